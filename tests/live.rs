//! The explorer with the user's own file, as the user sees it: the real
//! binary in a pseudo-terminal (120×40, xterm-256color), its output fed to a
//! vt100 parser, the screen polled with timeouts. Live reload (in place,
//! rename-save, vim-style, broken edits, deletion), the loading panel and
//! quitting during a load, and `e`/`y`; plus the export in-process.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use gigawatt::action::Action;
use gigawatt::app::{App, Effect};
use gigawatt::export::{self, Format, TableName};
use gigawatt::tab::Tab;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_gigawatt");
const ROWS: u16 = 40;
const COLS: u16 = 120;
/// Generous: the machine may be busy with the other tests. The reload
/// latency itself is printed (run with `--nocapture` to see it).
const PATIENCE: Duration = Duration::from_secs(10);

/// A fresh, short-named folder in the temp dir, removed on drop. Short, so
/// that the status line's `FILE:LINE:COL: PATH` fits in 120 columns.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("gw-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary running in a pseudo-terminal, and what it has drawn so far.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    /// The output reader finished: the terminal side closed.
    eof: bool,
    parser: vt100::Parser,
    /// Everything the program wrote, escape sequences included.
    raw: Vec<u8>,
}

impl Tui {
    fn start(args: &[&str], cwd: &Path) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut command = CommandBuilder::new(BIN);
        command.args(args);
        command.cwd(cwd);
        command.env("TERM", "xterm-256color");
        command.env("NO_COLOR", "1");
        let child = pair
            .slave
            .spawn_command(command)
            .expect("start gigawatt in the pseudo-terminal");
        // Only the child holds the terminal side now, so its exit ends the output.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Tui {
            child,
            _master: pair.master,
            writer,
            output,
            eof: false,
            parser: vt100::Parser::new(ROWS, COLS, 0),
            raw: Vec::new(),
        }
    }

    /// Takes in what the program wrote, waiting up to `wait` for the first of it.
    fn pump(&mut self, wait: Duration) {
        match self.output.recv_timeout(wait) {
            Ok(chunk) => self.feed(&chunk),
            Err(RecvTimeoutError::Timeout) => return,
            Err(RecvTimeoutError::Disconnected) => {
                self.eof = true;
                return;
            }
        }
        while let Ok(chunk) = self.output.try_recv() {
            self.feed(&chunk);
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        self.parser.process(chunk);
        self.raw.extend_from_slice(chunk);
    }

    fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    fn text(&self) -> String {
        self.screen().contents()
    }

    /// Polls the screen until `done` holds; returns when it first did.
    /// Panics with the screen after `timeout`.
    fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        mut done: impl FnMut(&vt100::Screen) -> bool,
    ) -> Instant {
        let start = Instant::now();
        loop {
            if done(self.screen()) {
                return Instant::now();
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {what}; the screen shows:\n{}",
                    self.text()
                );
            }
            if self.eof {
                panic!("gigawatt exited while waiting for {what}:\n{}", self.text());
            }
            self.pump(Duration::from_millis(10));
        }
    }

    fn wait_for_text(&mut self, text: &str) -> Instant {
        self.wait_for(&format!("{text:?}"), PATIENCE, |s| {
            s.contents().contains(text)
        })
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("type");
    }

    /// Waits for the program to exit and its output to end.
    fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                start.elapsed() < timeout,
                "gigawatt still running after {timeout:?}; the screen shows:\n{}",
                self.text()
            );
            self.pump(Duration::from_millis(10));
        };
        while !self.eof && start.elapsed() < timeout {
            self.pump(Duration::from_millis(10));
        }
        status
    }

    /// The status line (the last row).
    fn status_line(&self) -> String {
        row_text(self.screen(), ROWS - 1)
    }

    /// The list row in reverse video that contains `text`, if any.
    fn selected_row_with(&self, text: &str) -> bool {
        selected_rows(self.screen())
            .iter()
            .any(|row| row.contains(text))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn row_text(screen: &vt100::Screen, row: u16) -> String {
    (0..COLS)
        .map(|c| {
            screen
                .cell(row, c)
                .map_or(" ".to_string(), |cell| cell.contents().to_string())
        })
        .map(|s| if s.is_empty() { " ".to_string() } else { s })
        .collect()
}

/// Rows of the body whose cells are mostly in reverse video: the selection.
/// (The title bar and the active tab are reversed too; they are rows 0-1.)
fn selected_rows(screen: &vt100::Screen) -> Vec<String> {
    (2..ROWS - 2)
        .filter(|&row| {
            let reversed = (0..COLS)
                .filter(|&c| screen.cell(row, c).is_some_and(|cell| cell.inverse()))
                .count();
            reversed > usize::from(COLS) / 3
        })
        .map(|row| row_text(screen, row))
        .collect()
}

/// The bundled file with Oracle's commitment value replaced.
fn with_oracle_value(value: &str) -> String {
    let original = "value = \"$300 billion\"";
    assert_eq!(gigawatt::data::BUNDLED.matches(original).count(), 1);
    gigawatt::data::BUNDLED.replace(original, &format!("value = \"{value}\""))
}

/// Starts on `file` (absolute, or relative to `dir`), goes to Commitments
/// and selects Oracle (the third row).
fn start_on_oracle(file: &Path, dir: &TempDir) -> Tui {
    let mut tui = Tui::start(
        &[
            "--data",
            file.to_str().expect("UTF-8 path"),
            "--export-dir",
            dir.0.to_str().expect("UTF-8 path"),
        ],
        &dir.0,
    );
    tui.wait_for_text("providers ·");
    tui.keys("2jj");
    tui.wait_for("Oracle selected on Commitments", PATIENCE, |s| {
        selected_rows(s).iter().any(|r| r.contains("Oracle"))
    });
    tui
}

/// User plus system CPU time of a process, in clock ticks (usually 10 ms).
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // Fields after the command name, which is in parentheses: state is the
    // first, utime the 12th, stime the 13th.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Makes a change to the file and waits for `shown`; returns the latency.
fn change_and_wait(tui: &mut Tui, what: &str, change: impl FnOnce(), shown: &str) -> Duration {
    let written = Instant::now();
    change();
    let seen = tui.wait_for_text(shown);
    let latency = seen - written;
    eprintln!("reload latency ({what}): {} ms", latency.as_millis());
    latency
}

#[test]
fn an_edit_is_reloaded_keeping_tab_and_selection() {
    let dir = TempDir::new("reload");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("$300 billion")).unwrap();
    let mut tui = start_on_oracle(&file, &dir);
    assert!(tui.text().contains("$300bn"), "{}", tui.text());

    let latency = change_and_wait(
        &mut tui,
        "write in place",
        || std::fs::write(&file, with_oracle_value("$310 billion")).unwrap(),
        "$310bn",
    );
    assert!(latency < Duration::from_secs(3), "took {latency:?}");
    tui.wait_for_text("reloaded");
    assert!(!tui.text().contains("$300bn"), "{}", tui.text());
    // Still on Commitments, still on Oracle, which now shows the new value.
    assert!(
        tui.selected_row_with("Oracle") && tui.selected_row_with("$310bn"),
        "selection moved: {:?}\n{}",
        selected_rows(tui.screen()),
        tui.text()
    );
    // Idle means asleep: no timers once the reload is done.
    #[cfg(target_os = "linux")]
    {
        let pid = tui.child.process_id().expect("pid");
        let before = cpu_ticks(pid);
        let until = Instant::now() + Duration::from_secs(1);
        while Instant::now() < until {
            tui.pump(Duration::from_millis(50));
        }
        let used = cpu_ticks(pid) - before;
        eprintln!("CPU while idle for 1 s: {used} ticks");
        assert!(used <= 2, "{used} clock ticks of CPU in 1 s of idling");
    }
    // The citation popup's copy line names the selected record.
    tui.keys("c");
    tui.wait_for_text("Oracle: $310bn (");
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

#[test]
fn a_broken_edit_keeps_the_last_good_data_and_says_where() {
    let dir = TempDir::new("broken");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("$300 billion")).unwrap();
    let mut tui = start_on_oracle(&file, &dir);
    change_and_wait(
        &mut tui,
        "write in place",
        || std::fs::write(&file, with_oracle_value("$310 billion")).unwrap(),
        "$310bn",
    );

    let broken = with_oracle_value("30 GW");
    let line = broken
        .lines()
        .position(|l| l == "value = \"30 GW\"")
        .expect("the broken line")
        + 1;
    change_and_wait(
        &mut tui,
        "broken",
        || std::fs::write(&file, &broken).unwrap(),
        "STALE",
    );
    let status = tui.status_line();
    assert!(
        status.contains(&format!("d.toml:{line}:9: commitments[2].value")),
        "status line: {status}"
    );
    let text = tui.text();
    assert!(text.contains("$310bn"), "the last good data went:\n{text}");
    assert!(tui.selected_row_with("Oracle"), "{text}");

    change_and_wait(
        &mut tui,
        "fixed",
        || std::fs::write(&file, with_oracle_value("$320 billion")).unwrap(),
        "$320bn",
    );
    tui.wait_for("STALE to go", PATIENCE, |s| !s.contents().contains("STALE"));
    assert!(tui.selected_row_with("Oracle"), "{}", tui.text());
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

#[test]
fn rename_saves_and_vim_style_saves_are_seen() {
    let dir = TempDir::new("rename");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("$300 billion")).unwrap();
    // Named as a user in that folder would: `--data d.toml`.
    let mut tui = start_on_oracle(Path::new("d.toml"), &dir);

    // Most editors: write a temporary file, rename it over the original.
    let tmp = dir.join("d.toml.tmp");
    change_and_wait(
        &mut tui,
        "rename over",
        || {
            std::fs::write(&tmp, with_oracle_value("$310 billion")).unwrap();
            std::fs::rename(&tmp, &file).unwrap();
        },
        "$310bn",
    );

    // vim: move the original aside, write a new file, delete the backup.
    let backup = dir.join("d.toml~");
    change_and_wait(
        &mut tui,
        "move aside and create",
        || {
            std::fs::rename(&file, &backup).unwrap();
            std::fs::write(&file, with_oracle_value("$330 billion")).unwrap();
            std::fs::remove_file(&backup).unwrap();
        },
        "$330bn",
    );
    assert!(!tui.text().contains("STALE"), "{}", tui.text());
    assert!(tui.selected_row_with("Oracle"), "{}", tui.text());
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

#[test]
fn a_deleted_file_is_reported_and_reloaded_when_it_reappears() {
    let dir = TempDir::new("delete");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("$310 billion")).unwrap();
    let mut tui = start_on_oracle(&file, &dir);

    change_and_wait(
        &mut tui,
        "delete",
        || std::fs::remove_file(&file).unwrap(),
        "STALE",
    );
    let status = tui.status_line();
    assert!(status.contains("d.toml"), "status line: {status}");
    assert!(tui.text().contains("$310bn"), "{}", tui.text());

    change_and_wait(
        &mut tui,
        "recreate",
        || std::fs::write(&file, with_oracle_value("$340 billion")).unwrap(),
        "$340bn",
    );
    tui.wait_for("STALE to go", PATIENCE, |s| !s.contents().contains("STALE"));
    assert!(tui.selected_row_with("Oracle"), "{}", tui.text());
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

#[test]
fn no_watch_leaves_the_screen_alone() {
    let dir = TempDir::new("nowatch");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("$310 billion")).unwrap();
    let mut tui = Tui::start(&["--no-watch", "--data", file.to_str().unwrap()], &dir.0);
    tui.wait_for_text("providers ·");
    tui.keys("2");
    tui.wait_for_text("$310bn");
    std::fs::write(&file, with_oracle_value("$350 billion")).unwrap();
    // Absence can only be shown by waiting: longer than a reload takes.
    let until = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < until {
        tui.pump(Duration::from_millis(50));
    }
    assert!(tui.text().contains("$310bn"), "{}", tui.text());
    assert!(!tui.text().contains("$350bn"), "{}", tui.text());
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

/// A valid file with `commitments` commitments spread over 1,000 providers.
fn generated_file(commitments: usize) -> String {
    use std::fmt::Write as _;
    let providers = 1000;
    let mut out = String::with_capacity(commitments * 170);
    out.push_str(
        "format = 1\n\n[dataset]\ntitle = \"Generated\"\nsubject = \"Gen\"\n\
         as_of = 2025-11-03\n\n[[sources]]\nid = \"gen\"\ntitle = \"Generated\"\n\n",
    );
    for p in 0..providers {
        writeln!(
            out,
            "[[providers]]\nid = \"p{p}\"\nname = \"Provider {p}\"\nkind = \"cloud\"\n"
        )
        .unwrap();
    }
    for c in 0..commitments {
        writeln!(
            out,
            "[[commitments]]\nid = \"c{c}\"\nprovider = \"p{}\"\nvalue = \"about ${}.5 billion\"\n\
             term = \"{} years\"\nannounced = 2025-01-02\nstatus = \"agreed\"\n\
             source = \"gen\"\nat = \"para {}\"\n",
            c % providers,
            c % 997 + 1,
            c % 9 + 1,
            c % 50 + 1
        )
        .unwrap();
    }
    out
}

fn big_file(dir: &TempDir) -> PathBuf {
    let file = dir.join("big.toml");
    // That the loader accepts it shows in `a_large_file_shows_progress_then_the_data`.
    std::fs::write(&file, generated_file(100_000)).unwrap();
    file
}

fn loading_panel(screen: &vt100::Screen) -> bool {
    let text = screen.contents();
    text.contains("Loading")
        && text.contains(" MB")
        && (text.contains("reading") || text.contains("parsing") || text.contains("opening"))
}

fn restored(raw: &[u8]) -> bool {
    let find_last = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
    match (find_last(b"\x1b[?1049h"), find_last(b"\x1b[?1049l")) {
        (Some(entered), Some(left)) => left > entered,
        _ => false,
    }
}

#[test]
fn a_large_file_shows_progress_then_the_data() {
    let dir = TempDir::new("big");
    let file = big_file(&dir);
    let started = Instant::now();
    let mut tui = Tui::start(&["--data", file.to_str().unwrap()], &dir.0);
    let panel = tui.wait_for("the loading panel", PATIENCE, loading_panel);
    eprintln!("loading panel after {} ms", (panel - started).as_millis());
    assert!(!tui.text().contains("100000 commitments"), "{}", tui.text());
    // While it streams and checks the file, the panel gives the bytes read
    // so far, of the file's size, and a running clock.
    let size = std::fs::metadata(&file).unwrap().len() as f64 / 1e6;
    let parsing = format!(" of {size:.1} MB, ");
    let mut progress_lines = std::collections::BTreeSet::new();
    let shown = tui.wait_for("the data", Duration::from_secs(60), |s| {
        let text = s.contents();
        if let Some(line) = text.lines().find(|l| l.contains(&parsing)) {
            progress_lines.insert(line.to_string());
        }
        text.contains("100000 commitments · 1000 providers")
    });
    assert!(
        progress_lines.len() >= 2,
        "the loading panel did not move while loading: {progress_lines:?}"
    );
    eprintln!(
        "100,000 commitments shown after {} ms",
        (shown - started).as_millis()
    );
    assert!(!loading_panel(tui.screen()), "{}", tui.text());
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
    assert!(restored(&tui.raw));
}

/// Starts on the large file, types `keys` as soon as the loading panel
/// shows `stage`, and expects a prompt, clean exit on a restored terminal.
fn quit_during_load(tag: &str, keys: &str, stage: &str) {
    let dir = TempDir::new(tag);
    let file = big_file(&dir);
    let mut tui = Tui::start(&["--data", file.to_str().unwrap()], &dir.0);
    tui.wait_for(&format!("the loading panel at {stage:?}"), PATIENCE, |s| {
        loading_panel(s) && s.contents().contains(stage)
    });
    let pressed = Instant::now();
    tui.keys(keys);
    let status = tui.wait_exit(Duration::from_secs(5));
    let took = pressed.elapsed();
    eprintln!(
        "{keys:?} during the load: exited after {} ms",
        took.as_millis()
    );
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(restored(&tui.raw), "the terminal was not restored");
}

#[test]
fn q_quits_during_a_load() {
    quit_during_load("quit-q", "q", "");
}

#[test]
fn ctrl_c_quits_during_a_load() {
    // In the middle of the parse, which takes seconds in a debug build.
    quit_during_load("quit-ctrl-c", "\x03", "reading and checking");
}

#[test]
fn slash_does_not_swallow_q_during_a_load() {
    // Nothing to search yet: `/` must not turn the `q` after it into text.
    quit_during_load("quit-slash", "/q", "");
}

#[test]
fn a_broken_file_at_start_exits_non_zero_with_the_report_after_restoring() {
    let dir = TempDir::new("fatal");
    let file = dir.join("d.toml");
    std::fs::write(&file, with_oracle_value("30 GW")).unwrap();
    // Unwatched, nothing could reload it: only then does a broken file exit
    // (a watched one waits for a fix: tests/newcomer.rs).
    let mut tui = Tui::start(&["--data", file.to_str().unwrap(), "--no-watch"], &dir.0);
    let status = tui.wait_exit(PATIENCE);
    assert!(!status.success(), "{status:?}");
    assert!(restored(&tui.raw), "the terminal was not restored");
    // The report comes after the terminal is back to normal.
    let raw = String::from_utf8_lossy(&tui.raw);
    let after = &raw[raw.rfind("\x1b[?1049l").unwrap()..];
    assert!(
        after.contains("commitments[2].value") && after.contains("d.toml:"),
        "{after}"
    );
}

#[test]
fn e_exports_and_y_copies_from_the_keyboard() {
    let dir = TempDir::new("keys");
    let out = TempDir::new("keys-out");
    let mut tui = Tui::start(&["--export-dir", out.0.to_str().unwrap()], &dir.0);
    tui.wait_for_text("providers ·");
    tui.keys("2e");
    tui.wait_for_text("exported 5 rows to");
    let files: Vec<PathBuf> = std::fs::read_dir(&out.0)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_string();
    assert!(name.starts_with("gigawatt-commitments-") && name.ends_with(".csv"));
    assert!(tui.status_line().contains(&name), "{}", tui.status_line());
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        csv.starts_with("id,provider,provider_name,value_usd,"),
        "{csv}"
    );

    tui.keys("y");
    tui.wait_for_text("copied: Amazon Web Services: $38bn over 7 years");
    let raw = String::from_utf8_lossy(&tui.raw).into_owned();
    let start = raw.rfind("\x1b]52;c;").expect("an OSC 52 sequence") + 7;
    // OSC ends with BEL or with ST (ESC \\); crossterm sends ST.
    let end = start
        + raw[start..]
            .find(['\x07', '\x1b'])
            .expect("OSC 52 is terminated");
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD
        .decode(&raw[start..end])
        .expect("OSC 52 carries base64");
    let copied = String::from_utf8(payload).unwrap();
    assert!(
        copied.starts_with("Amazon Web Services: $38bn over 7 years ("),
        "{copied}"
    );
    assert!(copied.ends_with(", para 3)"), "{copied}");
    tui.keys("q");
    assert!(tui.wait_exit(PATIENCE).success());
}

fn csv_of(dataset: &gigawatt::data::Dataset, order: &[usize]) -> String {
    let mut out = Vec::new();
    export::write(
        &export::table(dataset, TableName::Commitments, Some(order)),
        Format::Csv,
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn export_writes_the_table_as_shown_with_the_cli_columns() {
    let dir = TempDir::new("export");
    let dataset = gigawatt::data::bundled().unwrap();
    let mut app = App::with_data(dataset.clone(), "bundled", (COLS, ROWS));
    app.export_dir = dir.0.clone();
    app.update(Action::GoTab(1));
    assert_eq!(app.tab, Tab::Commitments);
    // Sort by value, largest first; show only "agreed" deals.
    app.update(Action::SortNext);
    app.update(Action::SortNext);
    app.update(Action::SortReverse);
    app.update(Action::SearchStart);
    for c in "agreed".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchConfirm);
    app.update(Action::ToggleFilter);
    let order = app.list().order.clone();
    let ids: Vec<&str> = order
        .iter()
        .map(|&i| dataset.commitments[i].id.as_str())
        .collect();
    assert_eq!(ids, ["oracle", "azure-2025", "coreweave"]);

    let Some(Effect::Export {
        table,
        order: exported,
        dir: export_dir,
    }) = app.update(Action::Export)
    else {
        panic!("e gives an export effect");
    };
    assert_eq!((table, &exported), (TableName::Commitments, &order));
    let outcome = gigawatt::tui::export_to_dir(app.view().unwrap(), table, &exported, &export_dir);
    app.update(Action::Exported(outcome));
    let status = app.status.clone().expect("a status line").text;
    let files: Vec<PathBuf> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(status, format!("exported 3 rows to {}", files[0].display()));
    let written = std::fs::read_to_string(&files[0]).unwrap();
    assert_eq!(written, csv_of(&dataset, &order));

    // The same as `gigawatt export commitments`, cut to those rows in that order.
    let cli = std::process::Command::new(BIN)
        .args(["export", "commitments", "--format", "csv"])
        .output()
        .unwrap();
    assert!(cli.status.success());
    let cli = String::from_utf8(cli.stdout).unwrap();
    let mut lines = cli.lines();
    let mut expected = vec![lines.next().unwrap().to_string()];
    for id in &ids {
        let prefix = format!("{id},");
        expected.push(
            cli.lines()
                .find(|l| l.starts_with(&prefix))
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(written.lines().collect::<Vec<_>>(), expected);

    // A second export in the same second does not overwrite the first.
    app.update(Action::Export);
    let outcome = gigawatt::tui::export_to_dir(app.view().unwrap(), table, &exported, &export_dir);
    app.update(Action::Exported(outcome));
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 2);
}

#[test]
fn y_copies_the_selection_with_hedged_figure_and_citation() {
    let dataset = gigawatt::data::bundled().unwrap();
    let mut app = App::with_data(dataset, "bundled", (COLS, ROWS));
    app.update(Action::GoTab(1));
    let Some(Effect::Clipboard(line)) = app.update(Action::Yank) else {
        panic!("y gives a clipboard effect");
    };
    assert!(line.contains("$38bn over 7 years"), "{line}");
    assert!(line.contains("para 3"), "{line}");
    assert_eq!(app.status.unwrap().text, format!("copied: {line}"));
}
