//! A newcomer's first hour (issue 13), end to end with the real binary in a
//! pseudo-terminal: a broken `--data` file opens in the STALE state with
//! its problems on screen, `!` shows them whole, and fixing the file on
//! disk loads the data. A small local harness; to be folded into
//! tests/common with the others.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_gigawatt");
const DEADLINE: Duration = Duration::from_secs(15);

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn spawn(args: &[&str], cwd: &std::path::Path, (cols, rows): (u16, u16)) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        // No config of the machine's user may change the keys under test.
        cmd.env("XDG_CONFIG_HOME", cwd);
        cmd.env_remove("GIGAWATT_LOG");
        let child = pty.slave.spawn_command(cmd).expect("spawn gigawatt");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let sink = Arc::clone(&screen);
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&chunk[..n]);
            }
        });
        Session {
            screen,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

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

    #[track_caller]
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "gigawatt did not exit; the screen shows:\n{}",
                    self.contents()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A folder of its own, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "gigawatt-newcomer-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).expect("make the temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The starter file `gigawatt init` writes: valid.
fn good() -> String {
    gigawatt::template::new_file("Acme AI")
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
    let dir = TempDir::new("fix");
    let file = dir.0.join("mine.toml");
    std::fs::write(&file, broken()).expect("write the broken file");
    let mut s = Session::spawn(&["--data", "mine.toml"], &dir.0, (100, 30));

    // Not an exit: the STALE line, and the problems in the body, each
    // located and said in plain words.
    let screen = s.wait_for_text(&["STALE", "commitments[0].value", "the 1st commitment"]);
    assert!(screen.contains("mine.toml:"), "{screen}");
    assert!(screen.contains("1 problem in mine.toml"), "{screen}");

    // `!` opens every problem with the file's line and a caret under it.
    s.send(b"!");
    let screen = s.wait_for_text(&["Problems (Esc closes", "value = \"30 GW\""]);
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
    let screen = s.wait_for("the fixed file's data", |s| {
        s.contains("Example Cloud") && !s.contains("STALE")
    });
    assert!(!screen.contains("Problems ("), "{screen}");
    assert!(screen.contains("Providers (1)"), "{screen}");

    s.send(b"q");
    assert!(s.wait_exit().success());
}
