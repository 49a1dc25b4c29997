//! Files a hostile user might hand gigawatt: devices, FIFOs and symbolic
//! links to them, error floods, and keys nested beyond the TOML reader's
//! limit. Each must end quickly, in bounded memory, with a short report.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gigawatt_model::data::{self, LoadError};

mod common;
use common::{BIN, Options, Pty, generator, temp_dir};

/// Wall-clock allowance for a refusal. The refusal itself is immediate; the
/// margin is for a busy machine.
const QUICK: Duration = Duration::from_secs(3);

/// Address space for the CLI commands, in KiB. gigawatt needs a few tens of
/// MB; a read without bound fails to allocate long before this.
const CLI_MEMORY_KIB: u64 = 300 * 1024;

/// What a finished (or killed) run left behind.
struct Run {
    code: Option<i32>,
    elapsed: Duration,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    killed: bool,
}

impl Run {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "status {:?} after {:?}{}\n--- stdout ({} bytes)\n{}\n--- stderr ({} bytes)\n{}",
            self.code,
            self.elapsed,
            if self.killed { " (killed)" } else { "" },
            self.stdout.len(),
            String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(2000)]),
            self.stderr.len(),
            String::from_utf8_lossy(&self.stderr[..self.stderr.len().min(2000)]),
        )
    }
}

/// Runs the binary with `args` under an address-space limit, killing it if
/// it has not finished within `limit`.
fn run_bounded(args: &[&str], limit: Duration) -> Run {
    let mut child: Child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {CLI_MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gigawatt through sh");
    let started = Instant::now();
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gigawatt") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            killed = true;
            break child.wait().expect("wait for the killed gigawatt");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Run {
        code: status.code(),
        elapsed,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        killed,
    }
}

/// `check FILE` and `export commitments --data FILE` both refuse `file`
/// quickly, with exit status 1 and a message that contains `says`.
fn both_commands_refuse(file: &Path, says: &str) {
    let file = file.to_str().expect("temp paths are UTF-8");
    for args in [
        vec!["check", file],
        vec!["export", "commitments", "--data", file],
    ] {
        let run = run_bounded(&args, QUICK * 3);
        assert!(
            !run.killed && run.code == Some(1) && run.elapsed < QUICK,
            "{args:?}: {}",
            run.describe()
        );
        assert!(run.stderr().contains(says), "{args:?}: {}", run.describe());
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.describe());
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------- devices, FIFOs

#[test]
fn a_character_device_is_refused_before_reading() {
    both_commands_refuse(Path::new("/dev/zero"), "not a regular file");
}

#[test]
fn a_symbolic_link_to_a_device_is_refused_too() {
    let dir = temp_dir();
    let link = dir.path().join("data.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    both_commands_refuse(&link, "not a regular file");
}

#[test]
fn a_fifo_nobody_writes_to_does_not_hang() {
    let dir = temp_dir();
    let fifo = dir.path().join("data.toml");
    mkfifo(&fifo);
    both_commands_refuse(&fifo, "not a regular file");
}

#[test]
fn the_loader_refuses_devices_and_fifos_in_process() {
    let dir = temp_dir();
    let fifo = dir.path().join("data.toml");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let paths = [PathBuf::from("/dev/null"), fifo.clone()];
    // On a thread, so that a hang fails the test instead of stalling it.
    std::thread::spawn(move || {
        for path in paths {
            let mut stages = Vec::new();
            let with_progress =
                data::load_file_with_progress(&path, &mut |p: data::Progress| stages.push(p));
            let _ = tx.send((path.clone(), data::load_file(&path), with_progress));
        }
    });
    for _ in 0..2 {
        let (path, plain, with_progress) =
            rx.recv_timeout(QUICK).expect("the loader answers at once");
        for result in [plain, with_progress] {
            match result {
                Err(e @ LoadError::NotAFile { .. }) => {
                    let message = e.to_string();
                    assert!(message.contains(&path.display().to_string()), "{message}");
                    assert!(message.contains("not a regular file"), "{message}");
                }
                other => panic!("{}: expected NotAFile, got {other:?}", path.display()),
            }
        }
    }
}

#[test]
fn the_explorer_refuses_a_device_at_once() {
    // The explorer has threads, and glibc reserves address space per thread,
    // so its limit is looser than the CLI's: a read without bound still
    // fails to allocate within a second or two.
    let options = Options {
        cols: 80,
        rows: 24,
        no_color: true,
        memory_limit_kib: Some(2_000_000),
        ..Options::default()
    };
    let started = Instant::now();
    let mut pty = Pty::spawn_with(&options, &["--data", "/dev/zero"]);
    let status = pty.wait_exit(QUICK * 3);
    let elapsed = started.elapsed();
    let output = String::from_utf8_lossy(&pty.raw()).into_owned();
    let tail = &output[output.len().saturating_sub(2000)..];
    assert_eq!(status.exit_code(), 1, "after {elapsed:?}:\n{tail}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert!(output.contains("not a regular file"), "{tail}");
}

// ------------------------------------------------------------ error floods

/// `x = [[[[…` on one line of `n` brackets.
fn brackets(n: usize) -> String {
    format!("x = {}\n", "[".repeat(n))
}

#[test]
fn a_megabyte_of_brackets_gives_a_short_report() {
    let dir = temp_dir();
    let file = dir.path().join("f.toml");
    std::fs::write(&file, brackets(1_000_000)).expect("write");
    let run = run_bounded(&["check", file.to_str().expect("UTF-8")], QUICK * 10);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stderr.len() < 100 * 1024,
        "{} bytes of report",
        run.stderr.len()
    );
}

#[test]
fn identical_problems_are_reported_once() {
    let e = data::load_str(&brackets(100_000), "f.toml").unwrap_err();
    let problems = e.problems();
    for (i, a) in problems.iter().enumerate() {
        assert!(
            !problems[i + 1..].contains(a),
            "reported twice: {a:?} (of {})",
            problems.len()
        );
    }
}

#[test]
fn snippets_are_clipped_around_the_caret() {
    // The problem sits far into a long line: the snippet shows its
    // neighbourhood, marked as cut on both sides, and the caret under it.
    let line = format!(
        "x = \"{}\" y = 1 # {}\n",
        "a".repeat(5000),
        "b".repeat(5000)
    );
    let e = data::load_str(&format!("format = 1\n{line}"), "long.toml").unwrap_err();
    let report = e.report();
    for shown in report.lines() {
        assert!(
            shown.chars().count() <= 140,
            "{} columns: {}…",
            shown.chars().count(),
            shown.chars().take(140).collect::<String>()
        );
    }
    let snippet = report
        .lines()
        .find(|l| l.starts_with("2 | "))
        .unwrap_or_else(|| panic!("no snippet in:\n{report}"));
    let caret = report
        .lines()
        .find(|l| l.trim_start().starts_with("| ") && l.contains('^'))
        .unwrap_or_else(|| panic!("no caret in:\n{report}"));
    assert!(
        snippet.contains("…a") && snippet.contains("y = 1"),
        "{snippet}"
    );
    assert!(snippet.ends_with('…'), "{snippet}");
    let at = caret.find('^').expect("caret");
    let under: String = snippet.chars().skip(caret[..at].chars().count()).collect();
    assert!(
        under.starts_with('y'),
        "caret under {under:?}:\n{snippet}\n{caret}"
    );
}

#[test]
fn the_report_stops_at_a_hundred_problems_and_says_how_many_more() {
    let e = data::load_str(&generator::wrong_values(300), "many.toml").unwrap_err();
    assert_eq!(e.problems().len(), 300);
    let report = e.report();
    let listed = report.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(listed, 100, "{report}");
    assert!(report.contains("and 200 more"), "{report}");
    assert!(report.ends_with("many.toml: 300 problems\n"), "{report}");
    // The one-line form is capped alike.
    let display = e.to_string();
    assert!(display.lines().count() <= 101, "{display}");
    assert!(display.contains("and 200 more"), "{display}");
}

// ------------------------------------------------------------ deep nesting

#[test]
fn keys_nested_too_deep_are_reported_where_they_are() {
    let dotted = vec!["a"; 10_000].join(".");
    let header = format!("format = 1\n\n[{dotted}]\nx = 1\n");
    let key = format!("format = 1\n# deep\n  {dotted} = 1\n");
    let inline = format!("format = 1\n\n\ny = {{ {dotted} = 1 }}\n");
    for (text, line, starts) in [(header, 3, 2), (key, 3, 3), (inline, 4, 7)] {
        let e = data::load_str(&text, "deep.toml").unwrap_err();
        let problems = e.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let p = &problems[0];
        assert_eq!(p.line, line, "{p:?}");
        // Somewhere along the key, past its start and not past its end.
        assert!(
            p.column > starts && p.column < starts + dotted.len(),
            "{p:?}"
        );
        assert!(p.message.contains("nested"), "{p:?}");
        assert!(e.report().len() < 2000, "{}", e.report());
    }
}
