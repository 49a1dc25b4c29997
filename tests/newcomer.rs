//! A newcomer's first hour (issue 13): one test per friction.
//!
//! - `pty`: the real binary in a pseudo-terminal: a broken `--data` file
//!   opens in the STALE state with its problems on screen, `!` shows them
//!   whole, and fixing the file on disk loads the data.
//! - `screens`: TestBackend: the problems overlay and its carets, wording,
//!   hedges, layout at 120×40, the timeline's glyphs.
//! - `config`: remapped keys drive input, footer and help, the search
//!   prompt's keys too; a key bound twice is a located error; `gigawatt
//!   config`.
//! - `themes`: every tab in light and high-contrast, one styled snapshot
//!   per theme (`INSTA_UPDATE=always cargo test --test newcomer themes`
//!   after a deliberate change).

mod common;

use std::path::PathBuf;

use gigawatt::app::App;
use gigawatt::app::action::{Action, Handed};
use gigawatt::tabs::descriptor::Tab;
use gigawatt_model::data::Dataset;

/// The format 1 starter file `gigawatt init --format 1` writes: valid.
fn good() -> String {
    gigawatt_model::template::new_file_v1("Acme AI")
}

/// The starter file with power where money belongs.
fn broken() -> String {
    let good = good();
    let at = good.find("value = \"").expect("the template has a value");
    let end = at + good[at + 9..].find('"').expect("a closing quote") + 10;
    format!("{}value = \"30 GW\"{}", &good[..at], &good[end..])
}

#[test]
fn a_broken_file_opens_with_its_problems_and_loads_once_fixed() {
    let dir = common::temp_dir();
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, broken()).expect("write the broken file");
    let options = common::Options {
        cwd: dir.path().to_path_buf(),
        ..common::Options::default()
    };
    let mut s =
        common::Pty::spawn_with(&options, &["--data", "mine.toml", "--log", "gigawatt.log"]);

    // Not an exit: the STALE line, and the problems in the body, each
    // located and said in plain words.
    s.wait_for_text(&["STALE", "commitments[0].value", "the 1st commitment"]);
    let screen = s.text();
    assert!(screen.contains("mine.toml:"), "{screen}");
    assert!(screen.contains("1 problem in mine.toml"), "{screen}");

    // `!` opens every problem with the file's line and a caret under it.
    s.keys("!");
    s.wait_for_text(&["1 problem (Esc closes", "value = \"30 GW\""]);
    let screen = s.text();
    let lines: Vec<&str> = screen.lines().collect();
    let row = lines
        .iter()
        .position(|l| l.contains("| value = \"30 GW\""))
        .expect("the snippet line");
    let snippet = lines[row];
    let caret = lines[row + 1];
    let at = snippet.find("\"30 GW\"").expect("the value");
    assert_eq!(caret.find('^'), Some(at), "\n{snippet}\n{caret}");

    // Fixed on disk: the data loads, the STALE line and the overlay go.
    std::fs::write(&file, good()).expect("fix the file");
    s.wait_for("the fixed file's data", common::PATIENCE, |screen| {
        let text = screen.contents();
        text.contains("Example Cloud") && !text.contains("STALE")
    });
    let screen = s.text();
    assert!(!screen.contains("problem (Esc closes"), "{screen}");
    assert!(screen.contains("Parties (1)"), "{screen}");
    s.quit();

    // --log wrote the story to its file, and nothing of it to the screen.
    let log = std::fs::read_to_string(dir.path().join("gigawatt.log")).expect("the log file");
    for event in [
        "gigawatt started",
        "load failed",
        "watch: the file changed",
        "effect",
        "loaded",
    ] {
        assert!(log.contains(event), "{event:?} not in the log:\n{log}");
    }
    assert!(!screen.contains("gigawatt started"), "{screen}");
}

/// Two format 1 files that load as one set: different deals, the same cloud.
fn alpha() -> String {
    gigawatt_model::template::new_file_v1("Alpha")
}

fn beta() -> String {
    gigawatt_model::template::new_file_v1("Beta").replace("example-deal", "beta-deal")
}

/// `alpha()` with two problems: at 42:9 (`commitments[0].value`) and 52:10.
fn broken_alpha() -> String {
    common::edited(
        &alpha(),
        &[
            ("value = \"about $10bn\"", "value = \"30 GW\""),
            ("target = \"5 GW\"", "target = \"5 apples\""),
        ],
    )
}

/// `beta()` with one problem, at 42:9 (`commitments[0].value`).
fn broken_beta() -> String {
    common::edited(&beta(), &[("value = \"about $10bn\"", "value = \"30 GW\"")])
}

fn write_set(dir: &std::path::Path, a: &str, b: &str) {
    std::fs::write(dir.join("a.toml"), a).expect("write a.toml");
    std::fs::write(dir.join("b.toml"), b).expect("write b.toml");
}

#[test]
fn a_set_with_two_broken_files_opens_with_every_problem_and_loads_once_fixed() {
    let dir = common::temp_dir();
    write_set(dir.path(), &broken_alpha(), &broken_beta());
    // 80×24: the list is longer than the overlay, so it must scroll.
    let options = common::Options {
        cols: 80,
        rows: 24,
        cwd: dir.path().to_path_buf(),
        ..common::Options::default()
    };
    let mut s = common::Pty::spawn_with(&options, &["--data", "."]);
    s.wait_for_text(&["STALE", "3 problems in 2 files"]);

    // `!`, then to the end of the list: the second file's problem, in words,
    // with its line and caret. The keys scroll though no data has loaded.
    s.keys("!");
    s.wait_for_text(&["3 problems in 2 files (Esc closes"]);
    s.keys("G");
    s.wait_for_text(&["b.toml: 1 problem", "the 1st commitment (id `beta-deal`)"]);
    let screen = s.text();
    let lines: Vec<&str> = screen.lines().collect();
    let row = lines
        .iter()
        .rposition(|l| l.contains("| value = \"30 GW\""))
        .expect("b.toml's snippet line");
    let at = lines[row].find("\"30 GW\"").expect("the value");
    assert_eq!(lines[row + 1].find('^'), Some(at), "\n{screen}");

    write_set(dir.path(), &alpha(), &beta());
    s.wait_for("the fixed set's data", common::PATIENCE, |screen| {
        let text = screen.contents();
        text.contains("2 files, 2 buyers") && !text.contains("STALE")
    });
    s.quit();
}

// ---------------------------------------------------------------- screens

fn load(text: &str) -> Dataset {
    gigawatt_model::data::load_str(text, "t.toml").unwrap_or_else(|e| panic!("{}", e.report()))
}

fn app_with(dataset: Dataset, tab: Tab, (w, h): (u16, u16)) -> App {
    let mut app = App::with_data(dataset, "t.toml", (w, h));
    app.update(Action::GoTab(tab.index()));
    app
}

use common::{draw, row_text, screen};

/// The app after a first load of `text` failed (as the loader reports it).
fn failed_app(text: &str, size: (u16, u16)) -> App {
    let (mut app, _) = App::opening(
        PathBuf::from("mine.toml"),
        gigawatt::ui::theme::Theme::new(false),
        std::time::Instant::now(),
    );
    app.update(Action::Resize(size.0, size.1));
    let error = gigawatt_model::data::load_str(text, "mine.toml").expect_err("the file is broken");
    let doc = app.document.id;
    app.update(Action::Loaded {
        doc,
        outcome: Handed::new(Err(error)),
    });
    app
}

mod screens {
    use super::*;

    #[test]
    fn a_failed_first_load_waits_stale_and_bang_shows_every_problem() {
        let mut app = failed_app(&broken(), (80, 24));
        assert!(!app.should_quit && app.fatal.is_none());
        let s = screen(&app);
        let status = s.lines().last().unwrap_or_default();
        assert!(status.starts_with(" STALE  ! mine.toml:"), "{status}");
        assert!(s.contains("1 problem in mine.toml"), "{s}");
        app.update(Action::Problems);
        assert_eq!(app.overlay, Some(gigawatt::ui::overlay::Overlay::Problems));
        let s = screen(&app);
        for want in [
            "1 problem (Esc closes",
            "commitments[0].value",
            "= the 1st commitment (id `example-deal`)",
            "value = \"30 GW\"",
            "^^^^^^^",
        ] {
            assert!(s.contains(want), "{want:?} not in\n{s}");
        }
        // Unwatched, nothing would ever reload it: it exits with the report.
        let (mut app, _) = App::opening(
            PathBuf::from("mine.toml"),
            Default::default(),
            std::time::Instant::now(),
        );
        app.watching = false;
        let error = gigawatt_model::data::load_str(&broken(), "mine.toml").expect_err("broken");
        let doc = app.document.id;
        app.update(Action::Loaded {
            doc,
            outcome: Handed::new(Err(error)),
        });
        assert!(app.should_quit && app.fatal.is_some());
    }

    #[test]
    fn a_set_gone_stale_in_two_files_counts_and_lists_every_problem_by_file() {
        let dir = common::temp_dir();
        let folder = vec![dir.path().to_path_buf()];
        write_set(dir.path(), &alpha(), &beta());
        let good = gigawatt_model::data::load_set(&folder).expect("the set loads");
        write_set(dir.path(), &broken_alpha(), &broken_beta());
        let error = gigawatt_model::data::load_set(&folder).expect_err("two files broke");

        let (mut app, _) = App::opening_set(
            folder,
            gigawatt::ui::theme::Theme::new(false),
            std::time::Instant::now(),
        );
        app.update(Action::Resize(80, 24));
        let doc = app.document.id;
        app.update(Action::LoadedStale {
            doc,
            view: Handed::new(gigawatt_model::view::ViewData::new(good.dataset)),
            error: Handed::new(error),
        });
        // How much is wrong comes first, before the first place to fix.
        let s = screen(&app);
        let status = s.lines().last().unwrap_or_default();
        assert!(
            status.starts_with(" STALE  ! 3 problems in 2 files: "),
            "{status}"
        );
        assert!(status.contains("a.toml:42:9"), "{status}");

        // Tall enough for the whole list: every problem, grouped by file,
        // each located, in words, with its line and caret.
        app.update(Action::Resize(80, 100));
        app.update(Action::Problems);
        let s = screen(&app);
        let lines: Vec<&str> = s.lines().collect();
        let line_of = |needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{needle:?} not in\n{s}"))
        };
        let order = [
            line_of("3 problems in 2 files (Esc closes"),
            line_of("a.toml: 2 problems"),
            line_of("a.toml:42:9: commitments[0].value"),
            line_of("= the 1st commitment (id `example-deal`)"),
            line_of("a.toml:52:10: capacity.target"),
            line_of("b.toml: 1 problem"),
            line_of("b.toml:42:9: commitments[0].value"),
            line_of("= the 1st commitment (id `beta-deal`)"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{s}");
        // Each group starts with a rule that parts it without colour.
        for header in [order[1], order[5]] {
            assert!(lines[header].contains("── /"), "{}", lines[header]);
        }
        let snippets: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].contains("| value = \"30 GW\""))
            .collect();
        assert_eq!(snippets.len(), 2, "{s}");
        for row in snippets {
            let at = lines[row].find("\"30 GW\"").expect("the value");
            assert_eq!(lines[row + 1].find("^^^^^^^"), Some(at), "\n{s}");
        }
        assert!(s.contains("| target = \"5 apples\""), "{s}");
    }

    #[test]
    fn the_caret_stays_under_its_place_after_wide_characters() {
        let text = good().replace(
            "provider = \"example-cloud\"          # a provider id from above",
            "provider = \"数据🚀-cloud\"",
        );
        let mut app = failed_app(&text, (100, 30));
        app.update(Action::Problems);
        let buf = draw(&app);
        let line_y = (0..buf.area.height)
            .find(|&y| row_text(&buf, y).contains("| provider = \"数"))
            .unwrap_or_else(|| panic!("no snippet line in\n{}", screen(&app)));
        let quote_x = (0..buf.area.width)
            .find(|&x| buf[(x, line_y)].symbol() == "\"")
            .expect("the opening quote");
        let caret_x = (0..buf.area.width)
            .find(|&x| buf[(x, line_y + 1)].symbol() == "^")
            .expect("a caret");
        assert_eq!(
            caret_x,
            quote_x,
            "\n{}\n{}",
            row_text(&buf, line_y),
            row_text(&buf, line_y + 1)
        );
        // `"数据🚀-cloud"`: 2 quotes, 6 cells of wide characters, 6 narrow.
        let carets = (0..buf.area.width)
            .filter(|&x| buf[(x, line_y + 1)].symbol() == "^")
            .count();
        assert_eq!(carets, 14);
    }

    #[test]
    fn one_of_a_thing_is_singular_and_asides_only_when_true() {
        let app = app_with(load(&good()), Tab::Commitments, (120, 40));
        let s = screen(&app);
        let status = s.lines().last().unwrap_or_default();
        assert!(status.contains("· 1 provider · 1 note"), "{status}");
        assert!(!s.contains("undisclosed values left out"), "{s}");
        let copied = {
            let mut app = app_with(load(&good()), Tab::Providers, (120, 40));
            app.update(Action::Yank);
            app.status.map(|s| s.text).unwrap_or_default()
        };
        assert!(copied.contains("across 1 of 1 deal"), "{copied}");
        assert!(!copied.contains("deals"), "{copied}");
        // The bundled file has an undisclosed deal: the aside is true there.
        let bundled = common::ui_dataset();
        let s = screen(&app_with(bundled, Tab::Commitments, (120, 40)));
        assert!(s.contains("(undisclosed values left out)"), "{s}");
    }

    #[test]
    fn a_sort_arrow_never_cuts_its_header() {
        let mut app = app_with(load(&good()), Tab::Providers, (80, 24));
        // Provider, Parent, Kind, Records.
        for _ in 0..4 {
            app.update(Action::SortNext);
        }
        let s = screen(&app);
        assert!(s.contains("Records▲"), "{s}");
        assert!(!s.contains("Record…"), "{s}");
    }

    #[test]
    fn a_source_that_does_not_say_is_left_out_not_dashed() {
        let text = good()
            .replace("publisher = \"Publisher\"             # optional\n", "")
            .replace("url = \"https://example.com/report\"  # optional\n", "");
        let text = text
            .lines()
            .filter(|l| !l.starts_with("published = "))
            .collect::<Vec<_>>()
            .join("\n");
        let mut app = app_with(load(&text), Tab::Providers, (80, 24));
        app.update(Action::Cite);
        let s = screen(&app);
        assert!(s.contains("Headline or document title"), "{s}");
        for absent in ["Publisher", "Published", "URL", "—"] {
            assert!(!s.contains(absent), "{absent:?} in\n{s}");
        }
    }

    #[test]
    fn details_keep_the_sources_words_columns_the_symbols() {
        let text = good().replace("value = \"about $10bn\"", "value = \"up to $10bn\"");
        let app = app_with(load(&text), Tab::Providers, (120, 40));
        let s = screen(&app);
        assert!(s.contains("• up to $10bn over 5 years"), "{s}");
        assert!(s.contains("≤$10bn"), "{s}");
        assert!(!s.contains("as much as"), "{s}");
        // The share: the table's text is the bars' text.
        let bundled = common::ui_dataset();
        let app = app_with(bundled, Tab::Providers, (120, 40));
        let share_column = app
            .columns()
            .iter()
            .position(|c| c.title == "Share")
            .unwrap_or(0);
        let share = app.rows(Tab::Providers).cell(0, share_column).into_owned();
        let s = screen(&app);
        let bars = s
            .lines()
            .find(|l| l.contains("Amazon Web Services") && l.contains('█'))
            .expect("a share bar");
        assert!(
            bars.contains(&format!(" {share}")),
            "{share:?} not in {bars:?}"
        );
    }

    #[test]
    fn a_hedged_pace_hedges_the_date_it_reaches_too() {
        let text = good().replace("\"1 GW per month\"", "\"about 1 GW per month\"");
        let s = screen(&app_with(load(&text), Tab::Ramp, (120, 40)));
        let weeks = s.lines().find(|l| l.contains(" Weeks ")).expect("weeks");
        let reached = s
            .lines()
            .find(|l| l.contains(" Reached "))
            .expect("reached");
        assert!(weeks.contains('~'), "{weeks}");
        assert!(reached.contains("~20"), "{reached}");
    }

    #[test]
    fn at_120x40_sorted_columns_show_and_text_fills_the_space() {
        let bundled = || common::ui_dataset();
        // Sorting by Parent shows Parent.
        let mut app = app_with(bundled(), Tab::Providers, (120, 40));
        app.update(Action::SortNext);
        app.update(Action::SortNext);
        let s = screen(&app);
        assert!(s.contains("by parent▲") && s.contains("Parent▲"), "{s}");
        // Market notes: every column, headlines whole, the list as tall as its rows.
        let s = screen(&app_with(bundled(), Tab::Notes, (120, 40)));
        assert!(s.contains(" Kind "), "{s}");
        assert!(
            s.contains("Amazon stock jumps 10% on the Friday before the deal  "),
            "{s}"
        );
        // Commitments: bar labels whole, the table across the pane.
        let s = screen(&app_with(bundled(), Tab::Commitments, (120, 40)));
        assert!(
            !s.contains("Amazon Web Se…") && !s.contains("Google Cloud …"),
            "{s}"
        );
        let header = s
            .lines()
            .find(|l| l.contains("Provider") && l.contains("Share"))
            .expect("header");
        assert!(header.trim_end().ends_with("Share │"), "{header:?}");
    }

    #[test]
    fn a_term_without_an_online_by_date_has_its_own_glyph() {
        let text = good()
            .lines()
            .filter(|l| !l.starts_with("online_by = "))
            .collect::<Vec<_>>()
            .join("\n");
        let s = screen(&app_with(load(&text), Tab::Ramp, (120, 40)));
        assert!(s.contains("▒ term, no online-by date"), "{s}");
        let bar = s
            .lines()
            .find(|l| l.contains("Example Cloud") && l.contains('▒'))
            .unwrap_or_else(|| panic!("no ▒ bar:\n{s}"));
        assert!(!bar.contains('█'), "{bar}");
        // With an online-by date, █ as before.
        let s = screen(&app_with(load(&good()), Tab::Ramp, (120, 40)));
        assert!(
            s.lines()
                .any(|l| l.contains("Example Cloud") && l.contains('█')),
            "{s}"
        );
    }
}

// ---------------------------------------------------------------- config

mod config {
    use super::*;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use gigawatt::cli::config;

    const COLEMAK: &str = "[keys]\nquit = \"x\"\ndown = [\"n\", \"Down\"]\nup = [\"e\", \"Up\"]\n\
        next_match = \"k\"\nexport = \"E\"\n";

    fn key(app: &App, c: char) -> Option<Action> {
        let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        gigawatt::tui::input_action(app, &event)
    }

    #[test]
    fn remapped_keys_work_and_footer_and_help_show_them() {
        let config =
            config::parse(COLEMAK, "config.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        let mut app = app_with(common::ui_dataset(), Tab::Commitments, (100, 30));
        app.keymap = config.keymap;
        assert_eq!(key(&app, 'n'), Some(Action::Down));
        assert_eq!(key(&app, 'e'), Some(Action::Up));
        assert_eq!(key(&app, 'x'), Some(Action::Quit));
        assert_eq!(key(&app, 'k'), Some(Action::NextMatch));
        assert_eq!(key(&app, 'q'), None);
        assert_eq!(key(&app, 'j'), None);
        let before = app.list().selected;
        app.update(key(&app, 'n').expect("n moves"));
        assert_eq!(app.list().selected, before + 1);

        let s = screen(&app);
        let footer = s.lines().nth(28).unwrap_or_default();
        assert!(
            footer.contains("n/e move") && footer.contains("x quit"),
            "{footer}"
        );
        assert!(
            !footer.contains("j/k") && !footer.contains("q quit"),
            "{footer}"
        );

        let s = whole_help(&mut app);
        assert!(s.contains("Help (Esc closes, n/e scroll)"), "{s}");
        assert_help_lines(
            &s,
            &[
                ("n ↓", "down"),
                ("e ↑", "up"),
                ("x Ctrl-C", "quit"),
                ("E", "export"),
            ],
        );
    }

    /// Every screen of the help, scrolled to its end: the help is longer
    /// than the screen, and what scrolling shows counts.
    fn whole_help(app: &mut App) -> String {
        app.update(Action::Help);
        let mut s = screen(app);
        for _ in 0..60 {
            app.update(Action::Down);
            s.push_str(&screen(app));
        }
        s
    }

    /// Each (keys, help) pair stands on one line of the help.
    fn assert_help_lines(s: &str, lines: &[(&str, &str)]) {
        for (keys, help) in lines {
            assert!(
                s.lines()
                    .any(|l| l.contains(&format!("  {keys} ")) && l.contains(help)),
                "no {keys:?} {help:?} line in\n{s}"
            );
        }
    }

    #[test]
    fn a_key_bound_twice_is_refused_with_a_located_error() {
        let text = "[keys]\nquit = \"x\"\ndown = [\"n\", \"Down\"]\n";
        let error = config::parse(text, "config.toml").expect_err("n is next_match's");
        let report = error.report();
        assert!(
            report.starts_with("error: config.toml:3:8: keys.down: `n` is bound twice"),
            "{report}"
        );
        assert!(
            report.contains("`down`") && report.contains("`next_match` (by default)"),
            "{report}"
        );
        assert!(report.contains("3 | down = [\"n\", \"Down\"]"), "{report}");

        // The binary refuses it the same way, before touching the terminal.
        let dir = common::temp_dir();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, text).expect("write");
        let out = std::process::Command::new(common::BIN)
            .args(["--config", file.to_str().expect("utf-8"), "config"])
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("config.toml:3:8: keys.down: `n` is bound twice"),
            "{stderr}"
        );
        let out = std::process::Command::new(common::BIN)
            .args(["--config", file.to_str().expect("utf-8")])
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("^"),
            "no caret"
        );
    }

    fn press(app: &mut App, code: KeyCode) {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = gigawatt::tui::input_action(app, &event) {
            app.update(action);
        }
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    #[test]
    fn the_search_prompts_keys_are_remapped_and_shown() {
        let text = "[keys]\nsearch_confirm = \"Tab\"\nsearch_cancel = \"Ctrl-g\"\n\
                    search_delete = \"Ctrl-h\"\nsearch_next = \"Ctrl-n\"\n";
        let config =
            config::parse(text, "config.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        let mut app = app_with(common::ui_dataset(), Tab::Commitments, (100, 30));
        app.keymap = config.keymap;

        press(&mut app, KeyCode::Char('/'));
        assert!(app.list().typing);
        // Characters bound nowhere in the prompt, `q` and `n` among them, are text.
        type_text(&mut app, "qn");
        assert_eq!(app.list().query, "qn");
        press(&mut app, KeyCode::Backspace);
        assert_eq!(app.list().query, "qn", "Backspace is no longer delete");
        let ctrl = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        for left in ["q", ""] {
            let delete = gigawatt::tui::input_action(&app, &ctrl('h')).expect("Ctrl-h deletes");
            app.update(delete);
            assert_eq!(app.list().query, left);
        }
        type_text(&mut app, "oracle");
        let footer = screen(&app).lines().nth(28).unwrap_or_default().to_string();
        assert!(
            footer.contains("Tab keep") && footer.contains("Ctrl-G clear"),
            "the prompt's footer follows the keymap: {footer}"
        );
        assert!(!footer.contains("⏎ keep"), "{footer}");

        // Enter no longer keeps the search; Tab does, and does not change tab.
        press(&mut app, KeyCode::Enter);
        assert!(
            app.list().typing,
            "Enter is not bound in the prompt any more"
        );
        assert_eq!(app.list().query, "oracle");
        press(&mut app, KeyCode::Tab);
        assert!(!app.list().typing);
        assert_eq!(app.list().query, "oracle");
        assert_eq!(app.tab, Tab::Commitments);
        // Out of the prompt, Tab is the next tab again.
        press(&mut app, KeyCode::Tab);
        assert_ne!(app.tab, Tab::Commitments);

        // The help lists the prompt's keys, remapped.
        let s = whole_help(&mut app);
        assert!(s.contains("While typing a search"), "{s}");
        assert_help_lines(
            &s,
            &[
                ("Tab", "keep the search"),
                ("Ctrl-G", "clear the search"),
                ("Ctrl-H", "delete"),
                ("Ctrl-N", "next match"),
            ],
        );
    }

    #[test]
    fn a_search_key_bound_twice_in_the_prompt_is_refused_with_a_located_error() {
        // Tab is the next tab's too, but never while typing: no clash.
        assert!(config::parse("[keys]\nsearch_confirm = \"Tab\"\n", "config.toml").is_ok());
        let text = "[keys]\nsearch_confirm = [\"Enter\", \"Esc\"]\n";
        let error = config::parse(text, "config.toml").expect_err("Esc cancels a search");
        let report = error.report();
        assert!(
            report.starts_with(
                "error: config.toml:2:18: keys.search_confirm: `Esc` is bound twice: \
                 to `search_confirm` and to `search_cancel` (by default)"
            ),
            "{report}"
        );
        let caret = format!("  | {}^", " ".repeat("search_confirm = ".len()));
        assert!(
            report.contains(&format!(
                "2 | search_confirm = [\"Enter\", \"Esc\"]\n{caret}"
            )),
            "{report}"
        );
    }

    #[test]
    fn config_default_prints_a_file_the_config_command_accepts() {
        let out = std::process::Command::new(common::BIN)
            .args(["config", "--default"])
            .output()
            .expect("run gigawatt");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            text.contains("[keys]") && text.contains("# quit = [\"q\", \"Ctrl-c\"]"),
            "{text}"
        );
        let dir = common::temp_dir();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, &text).expect("write");
        let out = std::process::Command::new(common::BIN)
            .args(["--config", file.to_str().expect("utf-8"), "config"])
            .output()
            .expect("run gigawatt");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).ends_with(": ok\n"));
        // XDG_CONFIG_HOME is where the file is looked for.
        std::fs::create_dir_all(dir.path().join("gigawatt")).expect("mkdir");
        std::fs::write(
            dir.path().join("gigawatt/config.toml"),
            "[theme]\nname = \"neon\"\n",
        )
        .expect("write");
        let out = std::process::Command::new(common::BIN)
            .arg("config")
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("config.toml:2:8: theme.name: no theme `neon`"),
            "{stderr}"
        );
    }
}

// ---------------------------------------------------------------- themes

mod themes {
    use super::*;
    use gigawatt::ui::theme::Theme;

    fn themed(name: &str, tab: Tab, size: (u16, u16)) -> App {
        let mut app = app_with(common::ui_dataset(), tab, size);
        app.theme = Theme::named(name).expect("a built-in theme");
        app
    }

    #[test]
    fn light_and_high_contrast_render_every_tab() {
        for name in ["light", "high-contrast"] {
            let theme = Theme::named(name).expect("theme");
            assert_ne!(theme, Theme::new(true), "{name} is not dark");
            for tab in Tab::ALL {
                let app = themed(name, tab, (120, 40));
                let buf = draw(&app);
                assert_eq!(buf[(0, 0)].style().bg, theme.title.bg, "{name} {tab:?}");
                assert!(screen(&app).contains(tab.title()), "{name} {tab:?}");
            }
        }
    }

    #[test]
    fn dark_styled() {
        insta::assert_debug_snapshot!(draw(&themed("dark", Tab::Commitments, (80, 24))));
    }

    #[test]
    fn light_styled() {
        insta::assert_debug_snapshot!(draw(&themed("light", Tab::Commitments, (80, 24))));
    }

    #[test]
    fn high_contrast_styled() {
        insta::assert_debug_snapshot!(draw(&themed("high-contrast", Tab::Commitments, (80, 24))));
    }
}

/// The README's legend lists every mark the help lists, from the one table
/// of marks (`ui::overlay::MARKS`), so the two cannot drift apart.
#[test]
fn the_readme_lists_every_mark_the_help_lists() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let legend = readme
        .split("## Marks")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Marks section");
    for (mark, meaning) in gigawatt::ui::overlay::MARKS {
        assert!(
            legend.contains(&format!("| `{mark}` | {meaning} |")),
            "the README's Marks lack `{mark}`"
        );
    }
}
