//! What terminals do to a program kept open all day: signals, suspend,
//! absurd window sizes, no terminal at all, and the file's folder or link
//! changing under the watch. The real binary in a pseudo-terminal.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Options, PATIENCE, Pty, arg, assert_restored, fixture, temp_dir};

/// The explorer on the frozen fixture, its first screen up.
fn started() -> Pty {
    let pty = Pty::spawn(&["--data", arg(&fixture("ui.toml")), "--no-watch"]);
    pty.wait_for_text(&["1 Parties", "as of 2025-11-03"]);
    pty
}

/// The stream last left the alternate screen, after last entering it.
fn left_alternate_screen(raw: &[u8]) -> bool {
    let leave = common::rfind(raw, b"\x1b[?1049l");
    leave.is_some() && leave > common::rfind(raw, b"\x1b[?1049h")
}

#[track_caller]
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn each_ending_signal_restores_the_terminal_and_exits_128_plus_n() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGQUIT, "SIGQUIT"),
    ] {
        let mut pty = started();
        pty.signal(signal);
        let status = pty.wait_exit(PATIENCE);
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{name}: exit status {status:?}"
        );
        assert_restored(&pty.raw());
        assert!(pty.is_cooked(), "{name} left the terminal in raw mode");
    }
}

/// After SIGTSTP the shell gets its terminal back; after SIGCONT gigawatt
/// takes it again and draws every cell anew.
fn suspend_and_continue(pty: &mut Pty, suspend: impl FnOnce(&mut Pty)) {
    suspend(pty);
    wait_until("the process to stop", || pty.state() == Some('T'));
    // What it wrote before stopping may still be on its way to the reader.
    wait_until("the terminal to be handed back", || {
        left_alternate_screen(&pty.raw())
    });
    assert_restored(&pty.raw());
    assert!(pty.is_cooked(), "stopped with the terminal in raw mode");
    assert!(
        !pty.text().contains("1 Parties"),
        "the explorer is still on screen while stopped"
    );
    pty.signal(libc::SIGCONT);
    pty.wait_for_text(&["1 Parties", "as of 2025-11-03", "Amazon Web Services"]);
    assert!(!pty.is_cooked(), "continued without raw mode");
    pty.quit();
}

#[test]
fn sigtstp_hands_the_terminal_back_and_sigcont_redraws_in_full() {
    let mut pty = started();
    suspend_and_continue(&mut pty, |pty| pty.signal(libc::SIGTSTP));
}

#[test]
fn ctrl_z_suspends_like_sigtstp() {
    let mut pty = started();
    suspend_and_continue(&mut pty, |pty| pty.keys("\x1a"));
}

#[test]
fn a_window_of_65535_by_65535_is_survived() {
    let options = Options {
        // A buffer for the claimed size would need about 200 GB.
        memory_limit_kib: Some(2 * 1024 * 1024),
        ..Options::default()
    };
    let mut pty = Pty::spawn_with(
        &options,
        &["--data", arg(&fixture("ui.toml")), "--no-watch"],
    );
    pty.wait_for_text(&["1 Parties"]);
    pty.resize(65535, 65535);
    pty.keys("2j");
    // The frame for the clamped size is large: let it all arrive.
    let mut seen = 0;
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(1000));
        let now = pty.raw().len();
        if std::mem::replace(&mut seen, now) == now || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let state = pty.state();
    assert!(
        state.is_some_and(|s| s != 'Z'),
        "gigawatt died at 65535x65535 ({state:?})"
    );
    let frame = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(
        frame.contains("Commitments"),
        "no frame drawn at the large size ({state:?}); the stream ends {:?}",
        &frame[frame.len().saturating_sub(300)..]
    );
    // Back to a sane size, the screen follows.
    pty.resize(100, 30);
    // (Generous: the emulator here reads the large frames slowly under load.)
    pty.wait_for(
        "the screen at 100x30 again",
        Duration::from_secs(60),
        |screen| {
            let text = screen.contents();
            ["1 Parties", "Microsoft Azure", "$250bn"]
                .iter()
                .all(|t| text.contains(t))
        },
    );
    // Quitting after megabytes of large frames is left out: the kernel
    // holds the exit until an emulator this slow has read them all, and
    // the other tests check quitting and the terminal handed back.
}

#[test]
fn without_a_terminal_the_explorer_says_so_and_points_at_check_and_export() {
    let out = Command::new(BIN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run gigawatt");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "escapes went to the pipe: {:?}",
        out.stdout
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("gigawatt check") && err.contains("gigawatt export"),
        "{err}"
    );
}

#[test]
fn term_dumb_is_refused_in_plain_words() {
    let out = Command::new("script")
        .args(["-qec", BIN, "/dev/null"])
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .output()
        .expect("run gigawatt under script(1)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("TERM is \"dumb\""), "{text}");
    assert!(
        !text.contains("\x1b[?1049h"),
        "entered the alternate screen: {text:?}"
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
}

fn with_oracle(value: &str) -> String {
    common::fixture_text("ui.toml")
        .replace("value = \"$300 billion\"", &format!("value = \"{value}\""))
}

/// The explorer watching `file`, on the Commitments tab.
fn watching(file: &std::path::Path, cwd: &std::path::Path) -> Pty {
    let options = Options {
        cwd: cwd.to_path_buf(),
        ..Options::default()
    };
    let mut pty = Pty::spawn_with(&options, &["--data", arg(file)]);
    pty.wait_for_text(&["$300bn"]);
    pty.keys("2");
    pty
}

#[test]
fn a_folder_deleted_and_made_anew_is_watched_again() {
    let scratch = temp_dir();
    let dir = scratch.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("deals.toml");
    std::fs::write(&file, with_oracle("$300 billion")).unwrap();
    let mut pty = watching(&file, scratch.path());
    std::fs::remove_dir_all(&dir).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(&file, with_oracle("$301 billion")).unwrap();
    pty.wait_for_text(&["$301bn"]);
    // And it keeps watching after that.
    std::fs::write(&file, with_oracle("$302 billion")).unwrap();
    pty.wait_for_text(&["$302bn"]);
    pty.quit();
}

#[test]
fn a_link_pointed_elsewhere_is_followed_for_later_edits() {
    let scratch = temp_dir();
    let first = scratch.path().join("first.toml");
    let second = scratch.path().join("second.toml");
    let link = scratch.path().join("deals.toml");
    std::fs::write(&first, with_oracle("$300 billion")).unwrap();
    std::fs::write(&second, with_oracle("$310 billion")).unwrap();
    std::os::unix::fs::symlink(&first, &link).unwrap();
    let mut pty = watching(&link, scratch.path());
    let relinked = scratch.path().join("relink.tmp");
    std::os::unix::fs::symlink(&second, &relinked).unwrap();
    std::fs::rename(&relinked, &link).unwrap();
    pty.wait_for_text(&["$310bn"]);
    std::fs::write(&second, with_oracle("$311 billion")).unwrap();
    pty.wait_for_text(&["$311bn"]);
    std::fs::write(&second, with_oracle("$312 billion")).unwrap();
    pty.wait_for_text(&["$312bn"]);
    pty.quit();
}
