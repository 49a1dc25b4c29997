//! The real binary in a pseudo-terminal, end to end: keys in as bytes, the
//! screen read back through a terminal emulator (`vt100`), and the terminal
//! left as it was found (alternate screen left, cursor shown) on every way
//! out, a bad `--data` file included.
//!
//! Waits poll the emulated screen with a generous deadline, so the tests are
//! quick when things work and say what was on screen when they do not.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use gigawatt::action::Action;
use gigawatt::keymap::BINDINGS;
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_gigawatt");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ROWS: u16 = 30;
const COLS: u16 = 100;
const DEADLINE: Duration = Duration::from_secs(10);

const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";

/// Everything the program wrote, raw and as an emulated screen.
struct Output {
    raw: Vec<u8>,
    parser: vt100::Parser,
    /// The reader saw the end of the stream (the program and its pty closed).
    done: bool,
}

struct Session {
    output: Arc<Mutex<Output>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn spawn(args: &[&str]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(ROOT);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pty.slave.spawn_command(cmd).expect("spawn gigawatt");
        // Only the child holds the slave now, so the reader sees the end of
        // the stream when the child exits.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            parser: vt100::Parser::new(ROWS, COLS, 0),
            done: false,
        }));
        let sink = Arc::clone(&output);
        let reader = thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match reader.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut out = sink.lock().unwrap();
                        out.raw.extend_from_slice(&chunk[..n]);
                        out.parser.process(&chunk[..n]);
                    }
                }
            }
            sink.lock().unwrap().done = true;
        });
        Session {
            output,
            writer,
            child,
            reader: Some(reader),
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    /// Polls the screen until `ready` holds; panics with the screen if it
    /// does not within the deadline.
    #[track_caller]
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.contents();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; the screen shows:\n{screen}");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[track_caller]
    fn wait_for_text(&self, needles: &[&str]) -> String {
        self.wait_for(&format!("{needles:?}"), |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits for the child to exit, then for the reader to drain the pty.
    #[track_caller]
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!(
                    "gigawatt did not exit; the screen shows:\n{}",
                    self.contents()
                );
            }
            thread::sleep(Duration::from_millis(20));
        };
        while !self.output.lock().unwrap().done {
            if start.elapsed() > DEADLINE * 2 {
                panic!("the pty never reached end of stream");
            }
            thread::sleep(Duration::from_millis(10));
        }
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        status
    }

    fn raw(&self) -> Vec<u8> {
        self.output.lock().unwrap().raw.clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // A failed test must not leave its gigawatt running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was handed back: the alternate screen left after it was
/// last entered, and the cursor shown after it was last hidden.
#[track_caller]
fn assert_restored(raw: &[u8]) {
    let shown = || String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..]).into_owned();
    let enter = rfind(raw, ENTER_ALT).expect("gigawatt entered the alternate screen");
    let leave = rfind(raw, LEAVE_ALT)
        .unwrap_or_else(|| panic!("never left the alternate screen; stream ends {:?}", shown()));
    assert!(
        leave > enter,
        "the alternate screen was entered again after it was left; stream ends {:?}",
        shown()
    );
    let show = rfind(raw, SHOW_CURSOR)
        .unwrap_or_else(|| panic!("the cursor is never shown; stream ends {:?}", shown()));
    if let Some(hide) = rfind(raw, HIDE_CURSOR) {
        assert!(
            show > hide,
            "the cursor is left hidden; stream ends {:?}",
            shown()
        );
    }
    assert!(
        show > enter,
        "the cursor is shown only before the alternate screen; stream ends {:?}",
        shown()
    );
}

fn help_text(action: Action) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.help)
        .expect("a binding for the action")
}

#[test]
fn explore_every_tab_help_and_search_then_quit_cleanly() {
    let mut s = Session::spawn(&["--no-watch"]);
    s.wait_for_text(&["Providers", "Amazon Web Services", "as of 2025-11-03"]);

    s.send(b"2");
    s.wait_for_text(&["Total $610.4bn", "4 of 5", "undisclosed"]);
    s.send(b"3");
    s.wait_for_text(&["30 weeks", "1 GW/wk", "30 GW"]);
    s.send(b"4");
    s.wait_for_text(&["<$140bn", "▲ +10%", "▲ +5%"]);
    s.send(b"1");
    s.wait_for_text(&["hyperscaler", "Nvidia GB200"]);

    // Tab and Shift-Tab, as the terminal sends them.
    s.send(b"\t");
    s.wait_for_text(&["Total $610.4bn"]);
    s.send(b"\x1b[Z");
    s.wait_for_text(&["hyperscaler"]);
    s.send(b"\x1b[Z");
    s.wait_for_text(&["<$140bn"]);
    s.send(b"1");
    s.wait_for_text(&["hyperscaler"]);

    // Help lists the keys; Esc closes it.
    let help = help_text(Action::Help);
    let tabs = help_text(Action::GoTab(0));
    s.send(b"?");
    s.wait_for_text(&[help, tabs]);
    s.send(b"\x1b");
    s.wait_for("help to close", |screen| !screen.contains(tabs));

    // Search: the footer becomes the query line.
    s.send(b"2");
    s.wait_for_text(&["Total $610.4bn"]);
    s.send(b"/");
    s.send(b"oracle");
    s.wait_for_text(&["/oracle", "1 match"]);
    s.send(b"\x1b");
    s.wait_for("the search to clear", |screen| !screen.contains("/oracle"));

    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&s.raw());
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A file in the temp dir, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &str) -> TempFile {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "gigawatt-pty-{}-{n}-{}.toml",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::write(&path, contents).expect("write the temp file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `as_of` is a date-time where a date belongs: line 6, column 9.
const BROKEN: &str = r#"format = 1

[dataset]
title = "Broken"
subject = "Broken Co"
as_of = 2025-11-03T09:00:00

[[sources]]
id = "report"
title = "A report"
"#;

#[test]
fn a_broken_data_file_exits_nonzero_with_its_location_on_a_restored_terminal() {
    let file = TempFile::new(BROKEN);
    let path = file.0.display().to_string();
    let mut s = Session::spawn(&["--data", &path, "--no-watch"]);
    let status = s.wait_exit();
    assert!(!status.success(), "exit status {status:?}");
    assert_eq!(status.exit_code(), 1);

    let raw = s.raw();
    assert_restored(&raw);
    // The message comes after the terminal is handed back, so it stays on
    // the normal screen for the user to read.
    let leave = rfind(&raw, LEAVE_ALT).unwrap();
    let after = String::from_utf8_lossy(&raw[leave..]).into_owned();
    let location = format!("{path}:6:9");
    assert!(
        after.contains(&location) && after.contains("dataset.as_of"),
        "no {location:?} after leaving the alternate screen:\n{after:?}"
    );
    // And the emulated terminal shows it on the main screen.
    let output = s.output.lock().unwrap();
    assert!(!output.parser.screen().alternate_screen());
    let screen = output.parser.screen().contents();
    assert!(screen.contains("dataset.as_of"), "{screen}");
}
