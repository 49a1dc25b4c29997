//! Trust, round 2: hostile inputs, odd files and bursts of keys. Each test
//! is a case a hostile user found, described in issue 26.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{BIN, Options, Pty, arg, describe, stderr, stdout, temp_dir};

/// A small format 2 ledger: the buyer `lab`, the provider `cloud`, and the
/// test's own records after them.
fn ledger(as_of: &str, rest: &str) -> String {
    format!(
        "format = 2\n[dataset]\ntitle = \"Trust\"\nsubject = \"lab\"\nas_of = {as_of}\n\n\
         [[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n\
         [[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n\n\
         [[parties]]\nid = \"cloud\"\nname = \"Cloud\"\nkind = \"cloud\"\n{rest}"
    )
}

/// One signed deal of `value` from `lab` to `cloud`.
fn deal(id: &str, value: &str) -> String {
    format!(
        "\n[[commitments]]\nid = \"{id}\"\nprovider = \"cloud\"\nvalue = \"{value}\"\nstatus = \"signed\"\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run gigawatt")
}

// Item 14.
#[test]
fn dates_before_the_year_1000_export_as_four_digit_years() {
    let dir = temp_dir();
    let rest = format!("{}announced = 0001-01-01\n", deal("old", "$10bn"));
    let file = write(dir.path(), "old.toml", &ledger("0999-06-01", &rest));
    let out = run(&["export", "commitments", "--data", arg(&file)]);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let row = reader
        .records()
        .next()
        .expect("a row")
        .expect("a CSV record");
    for column in ["announced", "announced_earliest", "announced_latest"] {
        let i = headers.iter().position(|h| h == column).expect(column);
        assert_eq!(&row[i], "0001-01-01", "{column} in\n{text}");
    }
}

// Item 19.
#[test]
fn commands_fail_when_standard_output_is_closed() {
    for command in ["check", "export commitments", "man", "config --default"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {command} >&-"))
            .arg(BIN)
            .env("NO_COLOR", "1")
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(1), "{command}: {}", describe(&out));
        assert!(
            stderr(&out).contains("standard output"),
            "{command}: {}",
            describe(&out)
        );
    }
}

// Item 19's fix took any read-write /dev/null for a closed output, which is
// what a script's `subprocess.DEVNULL` (or `<>/dev/null`) hands a command.
#[test]
fn commands_write_to_dev_null_opened_read_write() {
    for command in ["check", "export commitments"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {command} 1<>/dev/null"))
            .arg(BIN)
            .env("NO_COLOR", "1")
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(0), "{command}: {}", describe(&out));
    }
}

// Item 10.
#[test]
fn a_folder_says_which_tomls_it_skipped_and_why() {
    let dir = temp_dir();
    write(
        dir.path(),
        "a.toml",
        &ledger("2025-11-03", &deal("a", "$1bn")),
    );
    std::os::unix::fs::symlink(dir.path().join("gone.toml"), dir.path().join("b.toml"))
        .expect("a dangling link");
    std::fs::create_dir(dir.path().join("c.toml")).expect("a folder named like a file");
    std::os::unix::fs::symlink(dir.path().join("d.toml"), dir.path().join("d.toml"))
        .expect("a link loop");
    let out = run(&["check", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    for (file, why) in [
        ("b.toml", "a symbolic link to nothing"),
        ("c.toml", "a folder"),
        ("d.toml", "symbolic links"),
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with("warning:") && l.contains(file))
            .unwrap_or_else(|| panic!("no warning for {file}: {}", describe(&out)));
        assert!(line.contains("skipped") && line.contains(why), "{line}");
    }
    let strict = run(&["check", "--strict", arg(dir.path())]);
    assert_eq!(strict.status.code(), Some(1), "{}", describe(&strict));
    assert!(stderr(&strict).contains("b.toml"), "{}", describe(&strict));
    // Export says so too, on standard error, and refuses under --strict.
    let export = run(&["export", "commitments", "--data", arg(dir.path())]);
    assert_eq!(export.status.code(), Some(0), "{}", describe(&export));
    assert!(stderr(&export).contains("c.toml"), "{}", describe(&export));
    let export = run(&[
        "export",
        "commitments",
        "--strict",
        "--data",
        arg(dir.path()),
    ]);
    assert_eq!(export.status.code(), Some(1), "{}", describe(&export));
}

// Item 11.
#[test]
fn a_folder_skips_dot_files_as_a_shell_glob_does() {
    let dir = temp_dir();
    let text = ledger("2025-11-03", &deal("a", "$1bn"));
    write(dir.path(), "deals.toml", &text);
    // An editor's backup: the same ids, which would clash.
    write(dir.path(), ".deals.toml", &text);
    // macOS's AppleDouble file: binary, not TOML at all.
    std::fs::write(
        dir.path().join("._deals.toml"),
        b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
    )
    .expect("write");
    let out = run(&["check", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(!stdout(&out).contains(".deals"), "{}", describe(&out));
    assert!(
        stdout(&out).contains("ok: 2 parties, 1 commitment"),
        "{}",
        describe(&out)
    );
}

// Item 12.
#[test]
fn one_file_under_several_spellings_is_read_once() {
    let dir = temp_dir();
    let file = write(
        dir.path(),
        "a.toml",
        &ledger("2025-11-03", &deal("a", "$1bn")),
    );
    std::os::unix::fs::symlink(&file, dir.path().join("link.toml")).expect("a link");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("a folder");
    let absolute = file.to_str().expect("a UTF-8 path").to_string();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .args([
            "check",
            "a.toml",
            "./a.toml",
            &absolute,
            "link.toml",
            "sub/../a.toml",
            ".",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("run gigawatt");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        stdout(&out),
        "a.toml: ok: 2 parties, 1 commitment, 0 milestones, 0 notes, 1 source\n"
    );
}

/// Runs the binary with `args`, killed if it runs past `limit`: the exit
/// code (none if killed) and standard error.
fn run_for(args: &[&str], limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gigawatt");
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait for gigawatt") {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut err);
    }
    (code, err)
}

fn fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// Item 8.
#[test]
fn a_config_file_that_is_a_device_or_a_fifo_is_refused_at_once() {
    let dir = temp_dir();
    let pipe = dir.path().join("config.toml");
    fifo(&pipe);
    for args in [
        vec!["config", "--config", "/dev/zero"],
        vec!["--config", "/dev/zero"],
        vec!["--config", arg(&pipe)],
        vec!["config", "--config", arg(&pipe)],
    ] {
        let (code, err) = run_for(&args, Duration::from_secs(5));
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
}

// Item 8.
#[test]
fn a_log_file_that_is_a_fifo_a_link_or_in_no_folder_is_refused() {
    let dir = temp_dir();
    let data = write(
        dir.path(),
        "a.toml",
        &ledger("2025-11-03", &deal("a", "$1bn")),
    );
    let pipe = dir.path().join("log.fifo");
    fifo(&pipe);
    let target = dir.path().join("elsewhere.log");
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&target, &link).expect("a link");
    let missing = dir.path().join("no").join("such").join("gigawatt.log");
    for (log, why) in [
        (&pipe, "not a regular file"),
        (&link, "symbolic link"),
        (&missing, "does not exist"),
    ] {
        let (code, err) = run_for(
            &["--log", arg(log), "--data", arg(&data)],
            Duration::from_secs(5),
        );
        assert_eq!(code, Some(1), "{}: {err}", log.display());
        assert!(err.contains(why), "{}: {err}", log.display());
    }
    assert!(!target.exists(), "the link was followed");
    assert!(!dir.path().join("no").exists(), "the folders were made");
}

// Item 9.
#[test]
fn a_log_that_fails_says_so_once_in_the_status_line_never_on_the_terminal() {
    let dir = temp_dir();
    let data = write(
        dir.path(),
        "a.toml",
        &ledger("2025-11-03", &deal("a", "$1bn")),
    );
    // Past the file size limit already: every append fails (EFBIG), as on
    // a full disk, and SIGXFSZ is ignored so that it is an error, not death.
    let log = write(dir.path(), "full.log", &"x".repeat(4096));
    let options = Options {
        prelude: Some("trap '' XFSZ && ulimit -f 1".to_string()),
        ..Options::default()
    };
    let mut pty = Pty::spawn_with(&options, &["--log", arg(&log), "--data", arg(&data)]);
    pty.wait_for_text(&["logging is off"]);
    pty.keys("jjkk2");
    pty.wait_for_text(&["Cloud"]);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(!raw.contains("Unable to write"), "{raw}");
    assert_eq!(raw.matches("logging is off").count(), 1, "{}", pty.text());
    pty.quit();
}

// Item 18.
#[test]
fn bindings_a_terminal_never_delivers_are_refused_saying_why() {
    let dir = temp_dir();
    for (key, why) in [
        ("Ctrl-z", "suspends"),
        ("Ctrl-m", "as Enter"),
        ("ctrl-I", "as Tab"),
    ] {
        let config = write(
            dir.path(),
            "config.toml",
            &format!("[keys]\nexport = \"{key}\"\n"),
        );
        let out = run(&["config", "--config", arg(&config)]);
        assert_eq!(out.status.code(), Some(1), "{key}: {}", describe(&out));
        let err = stderr(&out);
        assert!(
            err.contains("cannot be bound") && err.contains(why),
            "{key}: {err}"
        );
    }
    // Keys a terminal does send stay bindable.
    let config = write(
        dir.path(),
        "config.toml",
        "[keys]\nexport = [\"Ctrl-e\", \"Ctrl-j\", \"Ctrl-h\"]\n",
    );
    let out = run(&["config", "--config", arg(&config)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
}

/// A ledger where nothing is disclosed says so in words, not as
/// "Share of undisclosed disclosed" or "full bar = $0".
#[test]
fn nothing_disclosed_reads_as_words() {
    let text = common::lab_ledger!(
        title: "Nothing disclosed",
        as_of: "2026-01-01",
        cloud,
        "\n[[commitments]]\nid = \"quiet\"\nprovider = \"cloud\"\nstatus = \"signed\"\n"
    );
    let mut app = gigawatt::app::App::with_data(
        gigawatt_model::data::load_str(text, "quiet.toml")
            .unwrap_or_else(|e| panic!("{}", e.report())),
        "quiet.toml",
        (120, 40),
    );
    let parties = common::screen(&app);
    assert!(parties.contains("Shares: no value disclosed"), "{parties}");
    assert!(!parties.contains("undisclosed disclosed"), "{parties}");
    app.update(gigawatt::app::action::Action::GoTab(
        gigawatt::tabs::descriptor::Tab::Commitments.index(),
    ));
    let commitments = common::screen(&app);
    assert!(
        commitments.contains("no disclosed value to draw"),
        "{commitments}"
    );
    assert!(!commitments.contains("full bar = $0"), "{commitments}");
}

/// A blank name is an error where it is written.
#[test]
fn a_blank_party_name_is_an_error() {
    let text = common::lab_ledger!(
        title: "Blank",
        as_of: "2026-01-01",
        "\n[[parties]]\nid = \"blank\"\nname = \"  \"\nkind = \"cloud\"\n"
    );
    let e = gigawatt_model::data::load_str(text, "blank.toml").expect_err("a blank name");
    let problems = e.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.path == "parties[1].name" && p.message.contains("must not be blank")),
        "{}",
        e.report()
    );
}

/// Item 17: flags are pairs of regional indicators, whose width terminals
/// disagree on (tmux leaves half of an overwritten flag on screen). Every
/// screen spells them as their letters, in the same two cells.
#[test]
fn flags_reach_the_screen_as_letters() {
    let text = common::lab_ledger!(
        title: "Flags",
        as_of: "2026-01-01",
        "\n[[parties]]\nid = \"flags\"\nname = \"🇺🇸🇯🇵 Flag Cloud\"\nkind = \"cloud\"\n\
         \n[[commitments]]\nid = \"d\"\nprovider = \"flags\"\nvalue = \"$1bn\"\n\
         status = \"signed\"\nsource = \"wire\"\n"
    );
    let mut app = gigawatt::app::App::with_data(
        gigawatt_model::data::load_str(text, "flags.toml")
            .unwrap_or_else(|e| panic!("{}", e.report())),
        "flags.toml",
        (80, 24),
    );
    for tab in gigawatt::tabs::descriptor::Tab::ALL {
        app.update(gigawatt::app::action::Action::GoTab(tab.index()));
        let screen = common::screen(&app);
        let indicators = ('\u{1F1E6}'..='\u{1F1FF}').collect::<Vec<_>>();
        assert!(!screen.contains(&indicators[..]), "{tab:?}:\n{screen}");
        if tab == gigawatt::tabs::descriptor::Tab::Commitments {
            assert!(screen.contains("USJP Flag Cloud"), "{screen}");
        }
    }
}
