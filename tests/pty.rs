//! The real binary in a pseudo-terminal, end to end: keys in as bytes, the
//! screen read back through a terminal emulator (`vt100`), and the terminal
//! left as it was found (alternate screen left, cursor shown) on every way
//! out, a bad `--data` file included. The harness is `common::Pty`.

use gigawatt::app::action::Action;
use gigawatt::app::keymap::BINDINGS;

mod common;
use common::{PATIENCE, Pty, after_restore, assert_restored};

fn help_text(action: Action) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.help)
        .expect("a binding for the action")
}

#[test]
fn the_bundled_data_opens_and_quits_cleanly() {
    let mut s = Pty::spawn(&["--no-watch"]);
    s.wait_for_text(&["gigawatt │ bundled:", "parties ·", "1 Parties"]);
    s.quit();
}

#[test]
fn explore_every_tab_help_and_search_then_quit_cleanly() {
    let mut s = Pty::spawn(&["--data", "tests/fixtures/ui.toml", "--no-watch"]);
    s.wait_for_text(&["Parties", "Amazon Web Services", "as of 2025-11-03"]);

    s.keys("2");
    s.wait_for_text(&["Total $610.4bn", "4 of 5", "undisclosed"]);
    s.keys("3");
    s.wait_for_text(&["30 weeks", "1 GW/wk", "30 GW"]);
    s.keys("4");
    s.wait_for_text(&["<$140bn", "▲ +10%", "▲ +5%"]);
    s.keys("1");
    // Parties open on the largest by money, whose detail is shown.
    s.wait_for_text(&["hyperscaler", "$300 billion, agreed"]);

    // Tab and Shift-Tab, as the terminal sends them.
    s.keys("\t");
    s.wait_for_text(&["Total $610.4bn"]);
    s.keys("\x1b[Z");
    s.wait_for_text(&["hyperscaler"]);
    // Shift-Tab from the first tab wraps round to the last, Clusters.
    s.keys("\x1b[Z");
    s.wait_for_text(&["no clusters in this data"]);
    s.keys("5");
    s.wait_for_text(&["pay providers (columns)"]);
    s.keys("1");
    s.wait_for_text(&["hyperscaler"]);

    // Help lists the keys; Esc closes it.
    let help = help_text(Action::Help);
    let tabs = help_text(Action::GoTab(0));
    s.keys("?");
    s.wait_for_text(&[help, tabs]);
    s.keys("\x1b");
    s.wait_for("help to close", PATIENCE, |screen| {
        !screen.contents().contains(tabs)
    });

    // Search: the footer becomes the query line.
    s.keys("2");
    s.wait_for_text(&["Total $610.4bn"]);
    s.keys("/");
    s.keys("oracle");
    s.wait_for_text(&["/oracle", "1 match"]);
    s.keys("\x1b");
    s.wait_for("the search to clear", PATIENCE, |screen| {
        !screen.contents().contains("/oracle")
    });

    s.quit();
}

#[test]
fn a_broken_data_file_exits_nonzero_with_its_location_on_a_restored_terminal() {
    // Relative to the crate root, where the binary runs.
    let path = "tests/fixtures/broken.toml";
    let mut s = Pty::spawn(&["--data", path, "--no-watch"]);
    let status = s.wait_exit(PATIENCE);
    assert!(!status.success(), "exit status {status:?}");
    assert_eq!(status.exit_code(), 1);

    let raw = s.raw();
    assert_restored(&raw);
    // The message comes after the terminal is handed back, so it stays on
    // the normal screen for the user to read.
    let after = after_restore(&raw);
    let location = format!("{path}:6:9");
    assert!(
        after.contains(&location) && after.contains("dataset.as_of"),
        "no {location:?} after leaving the alternate screen:\n{after:?}"
    );
    // And the emulated terminal shows it on the main screen.
    let screen = s.screen();
    assert!(!screen.alternate_screen());
    let screen = screen.contents();
    assert!(screen.contains("dataset.as_of"), "{screen}");
}

/// A burst of input (a held key on a slow link, a paste into a terminal
/// without bracketed paste) is read to its end: the `q` after 6 KB of
/// moves quits, with no key after it to push the tail through.
#[test]
fn a_burst_of_keys_is_read_to_its_end() {
    let mut s = Pty::spawn(&["--data", "tests/fixtures/ui.toml", "--no-watch"]);
    s.wait_for_text(&["Parties", "Amazon Web Services"]);
    s.keys(&"jk".repeat(3_000));
    s.quit();
}

/// A paste is text: into a search it is one event, its newlines are no
/// Enter, and a long one is cut to the query's limit with a message; the
/// keys after it are answered at once.
#[test]
fn a_paste_into_search_is_text_and_capped() {
    let mut s = Pty::spawn(&["--data", "tests/fixtures/ui.toml", "--no-watch"]);
    s.wait_for_text(&["Parties", "Amazon Web Services"]);
    s.keys("2");
    s.wait_for_text(&["Total $610.4bn"]);
    s.keys("/");
    let pasted = format!("\x1b[200~oracle\nq{}\x1b[201~", "x".repeat(100_000));
    s.keys(&pasted);
    s.wait_for_text(&["a search is at most 200"]);
    // Still typing: the newline confirmed nothing and the `q` quit nothing.
    assert!(s.text().contains("/oracle q"), "{}", s.text());
    s.keys("\x1b");
    s.wait_for("the search to clear", PATIENCE, |screen| {
        !screen.contents().contains("/oracle")
    });
    // Outside a search a paste does nothing but say where it would go.
    s.keys("\x1b[200~q\x1b[201~");
    s.wait_for_text(&["a paste is taken only by a search"]);
    s.quit();
}

/// A paste start whose end never comes (a terminal that lost it, a stray
/// `ESC [ 200 ~`) holds only the bytes that came with it: after a pause,
/// keys are keys again, so `q` still quits.
#[test]
fn an_unterminated_paste_does_not_swallow_later_keys() {
    let mut s = Pty::spawn(&["--data", "tests/fixtures/ui.toml", "--no-watch"]);
    s.wait_for_text(&["Parties", "Amazon Web Services"]);
    s.keys("\x1b[200~stray");
    // Longer than the pause after which an open paste is ended.
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    s.keys("2");
    s.wait_for_text(&["Commitments ("]);
    s.quit();
}
