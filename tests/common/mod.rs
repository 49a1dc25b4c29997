//! What the integration tests share. Each test file starts with `mod common;`
//! and uses what it needs; the rest is compiled but unused there, hence the
//! `dead_code` and `unused_imports` allowances below.
//!
//! - The binary: [`BIN`], run from [`ROOT`].
//! - Fixtures in `tests/fixtures/`: [`fixture`] (its absolute path),
//!   [`fixture_text`], and the frozen UI data, [`ui_dataset`] with the
//!   source name [`UI_SOURCE`], so that editing the bundled data changes no
//!   UI test or snapshot. The files:
//!   - `ui.toml`: a frozen copy of `data/openai-compute.toml`.
//!   - `base.toml`: a small valid file with every section.
//!   - `broken.toml`: four problems, the first at 6:9 (`dataset.as_of`).
//!   - `probe.toml`: valid, with hostile strings (formulas, `\r`, tabs).
//! - Epoch AI's tables ([`epoch`]): small copies of the three CSV downloads,
//!   the real ones when `../shared/field-data` is present, and reshaping.
//! - Scratch space, removed on drop: [`temp_dir`] and [`temp_file`] (the
//!   `tempfile` crate); [`arg`] turns a path into a command-line argument.
//! - Data at any size: [`generator`], the generator of
//!   `cargo run --example gen` (`generator::generate(n, seed)` writes a valid
//!   file of `n` commitments; `generator::wrong_values(n)` one with `n`
//!   problems).
//! - The lens key as the loop performs it: [`press_lens`].
//! - Screens through ratatui's test backend: [`draw`], [`screen`] (as
//!   text), [`row_text`], [`lines`], [`assert_shows`]; [`lab_ledger!`] heads
//!   a small format 2 ledger for a test's own records.
//! - The binary in a pseudo-terminal: [`Pty`].
//!   `Pty::spawn(&["--data", ...])`, then `.wait_for_text(&[..])`,
//!   `.keys("2jj")`, `.quit()` (`q`, a clean exit, the terminal restored),
//!   or `.wait_exit(PATIENCE)`, `.raw()`, and
//!   [`assert_restored`]`(&pty.raw())` for the terminal handed back and
//!   [`after_restore`] for what was written after that.
//!   [`Options`] for another size, folder, `NO_COLOR` or a memory limit.

#![allow(dead_code, unused_imports)]

pub mod epoch;
mod pty;

#[path = "../../examples/gen.rs"]
pub mod generator;

use std::path::{Path, PathBuf};
use std::time::Duration;

use gigawatt_model::data::Dataset;

pub use pty::{Options, Pty, after_restore, assert_restored, rfind};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gigawatt");

/// The crate root: where the binary runs unless a test says otherwise.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// How long a wait may take before a test fails: generous, as the machine
/// may be busy with other tests. Quick when things work.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The source name the UI tests give the frozen data: the bundled file's,
/// so that the title bar reads as it does for users.
pub const UI_SOURCE: &str = "data/openai-compute.toml (bundled)";

/// The absolute path of `tests/fixtures/{name}`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/fixtures").join(name)
}

/// The text of `tests/fixtures/{name}`.
pub fn fixture_text(name: &str) -> String {
    let path = fixture(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The frozen UI dataset, `tests/fixtures/ui.toml`.
pub fn ui_dataset() -> Dataset {
    gigawatt_model::data::load_str(&fixture_text("ui.toml"), "tests/fixtures/ui.toml")
        .unwrap_or_else(|e| panic!("the UI fixture is invalid:\n{}", e.report()))
}

/// A fresh, short-named folder in the temp dir, removed on drop. Short, so
/// that a status line's `FILE:LINE:COL: PATH` fits on screen.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("gw-")
        .tempdir()
        .expect("create a temp dir")
}

/// A `.toml` file in the temp dir holding `contents`, removed on drop.
pub fn temp_file(contents: &str) -> tempfile::TempPath {
    let mut file = tempfile::Builder::new()
        .prefix("gw-")
        .suffix(".toml")
        .tempfile()
        .expect("create a temp file");
    std::io::Write::write_all(&mut file, contents.as_bytes()).expect("write the temp file");
    file.into_temp_path()
}

/// `path` as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// Draws the app as the event loop does, at the app's own size, through
/// ratatui's test backend.
pub fn draw(app: &gigawatt::app::App) -> ratatui::buffer::Buffer {
    let (w, h) = app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("test terminal");
    terminal
        .draw(|frame| frame.render_widget(app, frame.area()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// Presses the lens key (`b`) and does what the event loop does with the
/// effect: builds the buyer's view (here, at once, where the loop uses a
/// thread) and hands it back.
pub fn press_lens(app: &mut gigawatt::app::App) {
    use gigawatt::app::Effect;
    if let Some(Effect::BuildLens {
        doc,
        buyer,
        generation,
        all,
    }) = app.update(gigawatt::app::action::Action::Lens)
    {
        app.update(gigawatt::app::lens_built(doc, buyer, generation, &all.0));
    }
}

/// One row of a drawn buffer as text, trailing blanks dropped.
pub fn row_text(buf: &ratatui::buffer::Buffer, y: u16) -> String {
    let mut line = String::new();
    for x in 0..buf.area.width {
        line.push_str(buf[(x, y)].symbol());
    }
    line.trim_end().to_string()
}

/// The buffer as text, one line per row, trailing blanks dropped.
pub fn lines(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| row_text(buf, y)).collect()
}

/// The app's screen as text, one line per row, trailing blanks dropped.
pub fn screen(app: &gigawatt::app::App) -> String {
    lines(&draw(app)).join("\n")
}

/// Every needle is somewhere on the screen.
#[track_caller]
pub fn assert_shows(screen: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            screen.contains(needle),
            "{needle:?} is not on screen:\n{screen}"
        );
    }
}

/// Runs the binary from the crate root as a script would: colour off, no
/// terminal, no input.
#[allow(dead_code)]
pub fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

/// A command's standard output, as text.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A command's standard error, as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A command's status and both outputs, for failure messages.
pub fn describe(out: &std::process::Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

/// `base` with each `(from, to)` applied; each `from` must occur exactly
/// once, so that a case cannot silently test the unchanged file.
pub fn edited(base: &str, edits: &[(&str, &str)]) -> String {
    let mut text = base.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target {from:?} must occur exactly once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// A broken file and the one problem it must give: a valid base file with
/// edits, and where and what the loader must say.
pub struct Case {
    pub name: &'static str,
    pub edits: &'static [(&'static str, &'static str)],
    pub line: usize,
    pub column: usize,
    pub path: &'static str,
    pub message: &'static str,
}

/// Each case loaded as `case.toml`: what did not give exactly its one
/// problem, at its file, line, column and key path, with its message.
pub fn failed_cases(base: &str, cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let text = edited(base, case.edits);
        let e = match gigawatt_model::data::load_str(&text, "case.toml") {
            Ok(_) => {
                failures.push(format!("{}: loaded", case.name));
                continue;
            }
            Err(e) => e,
        };
        let gigawatt_model::data::LoadError::Invalid { file, problems, .. } = &e else {
            failures.push(format!("{}: {e:?}", case.name));
            continue;
        };
        let ok = file == "case.toml"
            && problems.len() == 1
            && problems[0].line == case.line
            && problems[0].column == case.column
            && problems[0].path == case.path
            && problems[0].message.contains(case.message);
        if !ok {
            failures.push(format!(
                "{}: expected one problem at {}:{} `{}` containing {:?}; got {problems:#?}",
                case.name, case.line, case.column, case.path, case.message
            ));
        }
    }
    failures
}

/// The head of a small format 2 test ledger, as a `&'static str`: the
/// dataset (subject `lab`), one source `wire` and the party `lab`, and
/// with `cloud,` the party `cloud` too; the test's own parties, deals and
/// plans follow as `$rest`.
#[allow(unused_macros)]
macro_rules! lab_ledger {
    (title: $title:literal, as_of: $as_of:literal, cloud, $rest:literal) => {
        $crate::common::lab_ledger!(
            title: $title,
            as_of: $as_of,
            concat!("\n[[parties]]\nid = \"cloud\"\nname = \"Cloud\"\nkind = \"cloud\"\n", $rest)
        )
    };
    (title: $title:literal, as_of: $as_of:literal, $rest:expr) => {
        concat!(
            "format = 2\n[dataset]\ntitle = \"",
            $title,
            "\"\nsubject = \"lab\"\nas_of = ",
            $as_of,
            "\n\n[[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n[[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n",
            $rest
        )
    };
}
#[allow(unused_imports)]
pub(crate) use lab_ledger;
