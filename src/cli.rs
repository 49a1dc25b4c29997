//! The command line: `gigawatt [--data FILE]`, `check`, `export`, `init`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::data::{self, Dataset, LoadError};
use crate::export::{self, Format, TableName};

#[derive(Debug, Parser)]
#[command(
    name = "gigawatt",
    version,
    about = "A full-screen terminal explorer of AI compute commitments",
    long_about = "A full-screen terminal explorer of AI compute commitments.\n\n\
        With no command, opens the explorer on --data FILE, or on the dataset \
        bundled in the binary (OpenAI's compute deals, November 2025)."
)]
pub struct Cli {
    /// Data file to open instead of the bundled dataset.
    #[arg(long, value_name = "FILE", global = true)]
    pub data: Option<PathBuf>,

    /// When to use colour. NO_COLOR in the environment means never, unless `always`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not watch the data file for changes.
    #[arg(long)]
    pub no_watch: bool,

    /// Where `e` in the explorer writes CSV files.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub export_dir: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a data file against the format; prints every problem. Exit 0 if valid, 1 if not.
    Check {
        /// The file to check (default: --data, or the bundled dataset).
        file: Option<PathBuf>,
    },
    /// Write a table as CSV, JSON or Markdown to standard output.
    Export {
        #[arg(value_enum)]
        table: TableName,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Write a new, commented data file that passes `check`.
    Init {
        /// The file to create.
        file: PathBuf,
        /// Whose commitments the file describes.
        #[arg(long, default_value = "Example Corp")]
        subject: String,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Loads `--data FILE`, or the bundled dataset.
pub fn load(path: Option<&Path>) -> Result<Dataset, LoadError> {
    match path {
        Some(path) => data::load_file(path),
        None => data::bundled(),
    }
}

/// One line of counts: "ok: 6 providers, 5 commitments, ...".
pub fn summary_line(dataset: &Dataset) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let milestones = dataset.capacity.as_ref().map_or(0, |c| c.milestones.len());
    format!(
        "ok: {}, {}, {}, {}, {}",
        count(dataset.providers.len(), "provider", "providers"),
        count(dataset.commitments.len(), "commitment", "commitments"),
        count(milestones, "milestone", "milestones"),
        count(dataset.notes.len(), "note", "notes"),
        count(dataset.sources.len(), "source", "sources"),
    )
}

/// `gigawatt check`: the exit code, after printing the verdict.
pub fn check(file: Option<&Path>) -> i32 {
    match load(file) {
        Ok(dataset) => {
            let name = file.map_or(data::BUNDLED_NAME.to_string(), |f| f.display().to_string());
            println!("{name}: {}", summary_line(&dataset));
            0
        }
        Err(e) => {
            eprint!("{}", e.report());
            1
        }
    }
}

/// `gigawatt export`: the exit code.
pub fn export(file: Option<&Path>, table: TableName, format: Format) -> i32 {
    let dataset = match load(file) {
        Ok(d) => d,
        Err(e) => {
            eprint!("{}", e.report());
            return 1;
        }
    };
    let table = export::table(&dataset, table, None);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match export::write(&table, format, &mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not an error worth shouting about.
        Err(export::ExportError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("gigawatt export: {e}");
            1
        }
    }
}

/// `gigawatt init`: the exit code.
pub fn init(file: &Path, subject: &str, force: bool) -> i32 {
    if file.exists() && !force {
        eprintln!(
            "gigawatt init: {} exists; pass --force to overwrite it",
            file.display()
        );
        return 1;
    }
    let text = crate::template::new_file(subject);
    match std::fs::write(file, text) {
        Ok(()) => {
            println!(
                "wrote {}; edit it, then `gigawatt check {0}` or `gigawatt --data {0}`",
                file.display()
            );
            0
        }
        Err(e) => {
            eprintln!("gigawatt init: cannot write {}: {e}", file.display());
            1
        }
    }
}
