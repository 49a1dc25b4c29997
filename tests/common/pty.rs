//! The real binary in a pseudo-terminal: keys in as bytes, the screen read
//! back through a terminal emulator (`vt100`), everything it wrote kept raw.
//! Waits poll the emulated screen with a deadline, so the tests are quick
//! when things work and say what was on screen when they do not.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

use super::{BIN, ROOT};

/// How to start the binary. `Options::default()`: 100×30 at the crate root,
/// with colour, no memory limit.
#[derive(Clone, Debug)]
pub struct Options {
    pub cols: u16,
    pub rows: u16,
    /// The working folder.
    pub cwd: PathBuf,
    /// Sets `NO_COLOR=1` (otherwise it is removed from the environment).
    pub no_color: bool,
    /// Runs the binary under `ulimit -v` of this many KiB.
    pub memory_limit_kib: Option<u64>,
    /// Shell commands run before the binary replaces the shell: limits and
    /// signal dispositions it inherits (`trap '' XFSZ; ulimit -f 1`).
    pub prelude: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            cols: 100,
            rows: 30,
            cwd: PathBuf::from(ROOT),
            no_color: false,
            memory_limit_kib: None,
            prelude: None,
        }
    }
}

/// Everything the program wrote, raw and as an emulated screen.
struct Output {
    raw: Vec<u8>,
    parser: vt100::Parser,
    /// The reader saw the end of the stream (the program and its pty closed).
    done: bool,
}

/// The binary running in a pseudo-terminal. Killed on drop if still running.
pub struct Pty {
    output: Arc<Mutex<Output>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts the binary with `args` and the default [`Options`].
    pub fn spawn(args: &[&str]) -> Pty {
        Pty::spawn_with(&Options::default(), args)
    }

    pub fn spawn_with(options: &Options, args: &[&str]) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: options.rows,
                cols: options.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut prelude: Vec<String> = options.prelude.iter().cloned().collect();
        prelude.extend(
            options
                .memory_limit_kib
                .map(|kib| format!("ulimit -v {kib}")),
        );
        let mut cmd = if prelude.is_empty() {
            CommandBuilder::new(BIN)
        } else {
            let mut sh = CommandBuilder::new("sh");
            let script = format!("{} && exec \"$0\" \"$@\"", prelude.join(" && "));
            sh.args(["-c", &script, BIN]);
            sh
        };
        cmd.args(args);
        cmd.cwd(&options.cwd);
        cmd.env("TERM", "xterm-256color");
        if options.no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn gigawatt");
        // Only the child holds the slave now, so the reader sees the end of
        // the stream when the child exits.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            parser: vt100::Parser::new(options.rows, options.cols, 0),
            done: false,
        }));
        let sink = Arc::clone(&output);
        let reader = thread::spawn(move || {
            let mut chunk = vec![0u8; 1 << 16];
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
        Pty {
            output,
            writer,
            child,
            reader: Some(reader),
            _master: pty.master,
        }
    }

    /// Tells the program its window is now `cols`×`rows` (SIGWINCH). The
    /// emulated screen follows, up to 1000×500: an emulator of the full
    /// claimed size would need gigabytes, and a smaller one wraps and
    /// scrolls on every out-of-range cell, too slowly to keep up.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.output
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(rows.min(500), cols.min(1000));
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Whether the terminal is in canonical mode with echo, as a shell
    /// expects it: what raw mode turns off.
    pub fn is_cooked(&self) -> bool {
        let fd = self._master.as_raw_fd().expect("the pty's file descriptor");
        // SAFETY: a zeroed termios is a valid buffer for tcgetattr to fill,
        // and `fd` is the open master of this pty.
        let mut modes: libc::termios = unsafe { std::mem::zeroed() };
        let read = unsafe { libc::tcgetattr(fd, &mut modes) };
        assert_eq!(read, 0, "tcgetattr on the pty");
        modes.c_lflag & libc::ICANON != 0 && modes.c_lflag & libc::ECHO != 0
    }

    /// Sends a signal to the program.
    pub fn signal(&self, signal: i32) {
        let pid = self.pid().expect("a running program") as libc::pid_t;
        // SAFETY: kill has no memory effects; the pid is our child's.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0, "kill({pid}, {signal})");
    }

    /// The program's state letter from /proc: `T` when stopped.
    pub fn state(&self) -> Option<char> {
        let pid = self.pid()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit(')').next()?.trim_start().chars().next()
    }

    /// The emulated screen as it is now.
    pub fn screen(&self) -> vt100::Screen {
        self.output.lock().unwrap().parser.screen().clone()
    }

    /// The screen's text, one line per row.
    pub fn text(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    /// Everything the program wrote, escape sequences included.
    pub fn raw(&self) -> Vec<u8> {
        self.output.lock().unwrap().raw.clone()
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Polls the screen until `ready` holds and returns when it first did.
    /// Panics with the screen after `timeout`, or if the program exits first.
    #[track_caller]
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        mut ready: impl FnMut(&vt100::Screen) -> bool,
    ) -> Instant {
        let start = Instant::now();
        loop {
            let done = {
                let out = self.output.lock().unwrap();
                if ready(out.parser.screen()) {
                    return Instant::now();
                }
                out.done
            };
            if done {
                panic!("gigawatt exited while waiting for {what}:\n{}", self.text());
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {what}; the screen shows:\n{}",
                    self.text()
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits (up to [`PATIENCE`](super::PATIENCE)) until the screen shows
    /// every one of `needles` at once.
    #[track_caller]
    pub fn wait_for_text(&self, needles: &[&str]) -> Instant {
        self.wait_for(&format!("{needles:?}"), super::PATIENCE, |s| {
            let text = s.contents();
            needles.iter().all(|n| text.contains(n))
        })
    }

    /// Types `keys`: text, or the bytes a terminal sends (`"\x1b[Z"`).
    pub fn keys(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Presses `q` and expects a clean exit (status 0) on a restored terminal.
    #[track_caller]
    pub fn quit(&mut self) {
        self.keys("q");
        let status = self.wait_exit(super::PATIENCE);
        assert!(status.success(), "exit status {status:?}");
        assert_restored(&self.raw());
    }

    /// Waits for the program to exit, then for its output to end. Panics
    /// with the screen (after killing it) if it runs past `timeout`.
    #[track_caller]
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "gigawatt still running after {timeout:?}; the screen shows:\n{}",
                    self.text()
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        while !self.output.lock().unwrap().done {
            if start.elapsed() > timeout * 2 {
                panic!("the pty never reached end of stream");
            }
            thread::sleep(Duration::from_millis(10));
        }
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        status
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test must not leave its gigawatt running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";

/// Where `needle` last occurs in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was handed back: the alternate screen left after it was
/// last entered, and the cursor shown after it was last hidden.
#[track_caller]
pub fn assert_restored(raw: &[u8]) {
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

/// What the program wrote after it last left the alternate screen: a
/// message there stays on the normal screen for the user to read.
pub fn after_restore(raw: &[u8]) -> String {
    let leave = rfind(raw, LEAVE_ALT).expect("gigawatt left the alternate screen");
    String::from_utf8_lossy(&raw[leave..]).into_owned()
}
