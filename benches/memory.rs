//! Peak memory at 100k commitments against the size of the file, for each
//! memory target: `check`, the two exports, and the explorer's state after
//! loading, after sorting every column and a search, and after a buyer lens.
//!
//! `cargo bench --bench memory` (add `-- --buyers 8` for the format 2
//! ledger with eight buyers). Each measure runs in a fresh child process
//! (this bench started again with one step to do) and reports the child's
//! high-water mark (VmHWM in /proc/self/status), so one measure's peak
//! never hides another's. The data file is generated once, into a
//! temporary folder, by the parent. The explorer's steps run the library's
//! `App` through `update` and draw into a buffer, without a terminal;
//! `benches/memory.py` measures the same on the real binary in a pty.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gigawatt::app::action::Action;
use gigawatt::app::{App, Effect};
use gigawatt::cli;
use gigawatt::tabs::descriptor::Tab;
use gigawatt_model::export::{Format, TableName};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

#[allow(dead_code)] // the generator's `main` is not used here
#[path = "../examples/gen.rs"]
mod generator;

const COMMITMENTS: usize = 100_000;
const STEP: &str = "GIGAWATT_MEMORY_STEP";

/// What a child measures; each prints one line per figure on stderr.
const STEPS: &[&str] = &["check", "export commitments", "export derived", "explorer"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Ok(step) = std::env::var(STEP) {
        let path = PathBuf::from(args.last().expect("the parent passes the file"));
        child(&step, &path);
        return;
    }
    // `cargo bench` passes `--bench`; a filter or `--buyers K` may follow.
    let buyers = args
        .iter()
        .position(|a| a == "--buyers")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(1);
    let dir = std::env::temp_dir().join(format!("gigawatt-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("big.toml");
    let file = std::fs::File::create(&path).expect("a temporary file");
    let mut out = std::io::BufWriter::new(file);
    generator::write_ledger(&mut out, COMMITMENTS, 1, buyers).expect("the file is written");
    drop(out);
    let size = std::fs::metadata(&path).expect("the file").len() as f64;
    println!(
        "memory: {COMMITMENTS} commitments, {} buyer(s), file {:.1} MiB",
        buyers,
        size / 1048576.0
    );
    println!("| measure | peak RSS | × file |");
    println!("| --- | --- | --- |");
    for step in STEPS {
        for (name, kib) in run_child(step, &path) {
            let bytes = kib as f64 * 1024.0;
            println!(
                "| {name} | {:.0} MiB | {:.1}× |",
                bytes / 1048576.0,
                bytes / size
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs this bench again to do `step` on `path`; its figures, in order.
fn run_child(step: &str, path: &Path) -> Vec<(String, u64)> {
    let exe = std::env::current_exe().expect("this bench's path");
    let output = Command::new(exe)
        .env(STEP, step)
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the child runs");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{step} failed:\n{text}");
    text.lines()
        .filter_map(|line| {
            let (name, kib) = line.rsplit_once('\t')?;
            Some((name.to_string(), kib.parse().ok()?))
        })
        .collect()
}

/// The process's peak resident set so far, in KiB.
fn high_water_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn report(name: &str) {
    eprintln!("{name}\t{}", high_water_kib());
}

fn child(step: &str, path: &Path) {
    let paths = [path.to_path_buf()];
    let code = match step {
        "check" => cli::check(&paths, false),
        "export commitments" => {
            cli::export(&paths, false, TableName::Commitments, Format::Csv, false)
        }
        "export derived" => cli::export(&paths, false, TableName::Derived, Format::Csv, false),
        "explorer" => {
            explorer(path);
            return;
        }
        other => panic!("no step {other:?}"),
    };
    assert_eq!(code, 0, "{step} exits 0");
    report(step);
}

/// The explorer's state after each step, drawn at 200x60 as the loop would.
fn explorer(path: &Path) {
    let dataset = gigawatt_model::data::load_file(path).expect("the generated file is valid");
    let area = Rect::new(0, 0, 200, 60);
    let mut app = App::with_data(dataset, "big.toml", (area.width, area.height));
    let mut buf = Buffer::empty(area);
    let mut draw = |app: &App| {
        buf.reset();
        app.render(area, &mut buf);
    };
    draw(&app);
    report("explorer, loaded");
    app.update(Action::GoTab(Tab::Commitments.index()));
    for _ in 0..12 {
        app.update(Action::SortNext);
        draw(&app);
        app.update(Action::SortReverse);
        draw(&app);
    }
    app.update(Action::SearchStart);
    for c in "agre".chars() {
        app.update(Action::SearchInput(c));
        draw(&app);
    }
    app.update(Action::SearchConfirm);
    draw(&app);
    report("explorer, after sorts and a search");
    if let Some(Effect::BuildLens {
        doc,
        buyer,
        generation,
        all,
    }) = app.update(Action::Lens)
    {
        app.update(gigawatt::app::lens_built(doc, buyer, generation, &all.0));
    }
    draw(&app);
    report("explorer, after a buyer lens");
}
