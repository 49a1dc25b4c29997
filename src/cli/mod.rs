//! The command line: `gigawatt [--data FILE]`, `check`, `export`, `init`,
//! `completions`, `man`.
//!
//! Every command returns its exit status: 0 success, 1 an error (invalid
//! data, a file that cannot be read or written), 2 a usage error. Nothing
//! here panics on a closed or full standard output, and every string the
//! user controls (file names, arguments) is printed with its control
//! characters escaped.

pub mod config;
pub mod log;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use gigawatt_model::data::{self, Dataset, LoadError};
use gigawatt_model::export::{self, Format, TableName, WriteOptions};
use gigawatt_model::text::escape_controls;

#[derive(Debug, Parser)]
#[command(
    name = "gigawatt",
    version,
    about = "A full-screen terminal explorer of AI compute commitments",
    long_about = "A full-screen terminal explorer of AI compute commitments.\n\n\
        With no command, opens the explorer on --data (files or folders of *.toml, \
        seen as one set), or on the data bundled in the binary.",
    after_help = "Exit status: 0 success, 1 an error (invalid data, a file that cannot be \
        read or written), 2 a usage error."
)]
pub struct Cli {
    /// Data file or folder (every *.toml in it) to open instead of the
    /// bundled data; repeat it to open several as one set (also read by
    /// `check` and `export`).
    #[arg(long, value_name = "FILE|DIR")]
    pub data: Vec<PathBuf>,

    /// When to use colour. NO_COLOR in the environment means never, unless `always`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not watch the data file for changes.
    #[arg(long)]
    pub no_watch: bool,

    /// Where `e` in the explorer writes CSV files.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub export_dir: PathBuf,

    /// Colour theme (default: the config's `[theme] name`, else dark).
    #[arg(long, value_enum, value_name = "NAME")]
    pub theme: Option<ThemeName>,

    /// Config file to read instead of $XDG_CONFIG_HOME/gigawatt/config.toml;
    /// `gigawatt config --config FILE` checks it.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Write a log of loads, reloads, file changes and effects to FILE
    /// (GIGAWATT_LOG=LEVEL sets the level, or alone logs to the state folder).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour forced on or off, or `None` to decide by the environment.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// The built-in themes, in `assets/themes/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeName {
    /// For dark backgrounds (the default).
    Dark,
    /// For light backgrounds.
    Light,
    /// Bright, bold colours; nothing dim.
    HighContrast,
}

impl ThemeName {
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        }
    }
}

/// How `gigawatt diff` writes its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DiffFormat {
    /// One line per record, one more per changed field
    #[default]
    Text,
    /// An array of objects: section, id, change, fields
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check data files against the format; prints every problem. Exit 0
    /// if valid (warnings allowed), 1 if not.
    Check {
        /// Files or folders to check as one set (default: --data, or the bundled data).
        file: Vec<PathBuf>,
        /// Files or folders to check, as an option (same as FILE).
        #[arg(long, value_name = "FILE|DIR", conflicts_with = "file")]
        data: Vec<PathBuf>,
        /// Treat warnings (a party or source defined differently in two files) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Write a table as CSV, JSON or Markdown to standard output.
    Export {
        /// The table to write.
        #[arg(value_enum)]
        table: TableName,
        /// The output format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Data files or folders to export as one set (default: the bundled data).
        #[arg(long, value_name = "FILE|DIR")]
        data: Vec<PathBuf>,
        /// Treat warnings (a party or source defined differently in two files) as errors.
        #[arg(long)]
        strict: bool,
        /// CSV: write cells exactly as they are. By default a text cell that
        /// begins with = + - @ TAB or CR gets a leading ' so that spreadsheets
        /// do not run it as a formula.
        #[arg(long)]
        raw: bool,
    },
    /// Print what changed between two ledgers, record by record: added,
    /// removed, and each changed field old → new. Exit 0 if none, 1 if
    /// some, 2 if either cannot be read.
    Diff {
        /// The earlier file.
        old: PathBuf,
        /// The later file.
        new: PathBuf,
        /// text, or json.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write what the readers read (Epoch AI's CSV downloads, or any set)
    /// as one format 2 file of sites, timelines, clusters, the parties they
    /// name and their sources, to annotate and cite; it passes `check`.
    Import {
        /// Files or folders to read, as one set.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The file to write.
        #[arg(short, long, value_name = "OUT.toml")]
        output: PathBuf,
        /// Replace the file if it exists (never through a symbolic link).
        #[arg(long)]
        force: bool,
    },
    /// Write a new, commented data file (format 2) that passes `check`.
    Init {
        /// The file to create.
        file: PathBuf,
        /// Whose commitments the file describes.
        #[arg(long, value_name = "NAME", default_value = "Example Corp")]
        subject: String,
        /// The format version to write: 2 (the default) or 1.
        #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=2))]
        format: i64,
        /// Replace the file if it exists (never through a symbolic link).
        #[arg(long)]
        force: bool,
    },
    /// Check the config file in force (--config, else the default place),
    /// or print a commented default one.
    Config {
        /// Print the default config file, every setting commented out.
        #[arg(long)]
        default: bool,
    },
    /// Print a shell completion script to standard output.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output; `gigawatt man | man -l -` reads it.
    Man,
}

/// Parses the command line. Help and `--version` print and exit 0; a usage
/// error prints (escaped: it may quote what the user typed) and exits 2.
pub fn parse() -> Cli {
    let cli = Cli::try_parse().unwrap_or_else(|e| exit_with(e));
    // `--data` before a command that reads no data is a mistake, not a no-op.
    if !cli.data.is_empty() {
        let name = match cli.command {
            Some(Command::Init { .. }) => Some("init"),
            Some(Command::Import { .. }) => Some("import"),
            Some(Command::Completions { .. }) => Some("completions"),
            Some(Command::Man) => Some("man"),
            Some(Command::Config { .. }) => Some("config"),
            Some(Command::Diff { .. }) => Some("diff"),
            _ => None,
        };
        if let Some(name) = name {
            exit_with(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("--data does not apply to `gigawatt {name}`"),
            ));
        }
    }
    cli
}

fn exit_with(e: clap::Error) -> ! {
    if !e.use_stderr() {
        // --help, --version: our own text, styled as clap likes.
        e.exit();
    }
    let text = e.render().to_string();
    let mut safe = String::with_capacity(text.len());
    for line in text.lines() {
        safe.push_str(&escape_controls(line));
        safe.push('\n');
    }
    let _ = std::io::stderr().write_all(safe.as_bytes());
    std::process::exit(e.exit_code());
}

/// A path as shown in messages: lossy UTF-8, control characters escaped.
pub fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string()).into_owned()
}

/// An error line on standard error. Printing it may fail (stderr closed or
/// full); there is nowhere left to say so, and it must not panic.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn complain_load(e: &LoadError) {
    let mut report = e.report();
    if !report.ends_with('\n') {
        report.push('\n');
    }
    if let Some(hint) = set_hint(e) {
        report.push_str(&hint);
    }
    let _ = std::io::stderr().write_all(report.as_bytes());
}

/// For a file read alone whose references name what only its folder's
/// other files define (one file of a bundled set, `data/meta.toml`): which
/// file defines the first such id, and the folder to check instead.
fn set_hint(e: &LoadError) -> Option<String> {
    let LoadError::Invalid { file, problems, .. } = e else {
        return None;
    };
    let missing: Vec<&str> = problems
        .iter()
        .filter_map(|p| {
            let rest = [
                "no party with id ",
                "no source with id ",
                "no commitment with id ",
            ]
            .iter()
            .find_map(|start| p.message.strip_prefix(start))?;
            let quoted = rest.strip_prefix('"')?;
            quoted.split('"').next()
        })
        .collect();
    let path = Path::new(file);
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut siblings: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.file_name() != path.file_name())
        .collect();
    siblings.sort();
    for id in missing {
        let line = format!("id = \"{id}\"");
        for sibling in &siblings {
            // Data files are capped in size; a sibling too big to read is
            // passed over.
            let big = std::fs::metadata(sibling).map_or(true, |m| m.len() > data::MAX_FILE_BYTES);
            if big {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(sibling) else {
                continue;
            };
            if text.lines().any(|l| l.trim() == line) {
                return Some(format!(
                    "hint: {} is one file of a set: {id:?} is defined in {}; check the folder \
                     with `gigawatt check {}`\n",
                    shown(path),
                    shown(sibling),
                    shown(folder)
                ));
            }
        }
    }
    None
}

/// Writes `bytes` to standard output: 0 on success or a closed pipe (as
/// `cat` does), 1 with a message on any other error (a full disk).
fn emit(command: &str, bytes: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            complain(&format!(
                "gigawatt {command}: cannot write to standard output: {e}"
            ));
            1
        }
    }
}

/// Whether standard output was closed (`>&-`) when the process began. Rust's
/// runtime reopens a closed standard descriptor on /dev/null before `main`,
/// which then looks like any `>/dev/null`; a constructor that runs before
/// the runtime (`ctor`) is the one place that can still tell them apart.
#[cfg(unix)]
static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

#[cfg(unix)]
#[ctor::ctor(unsafe)]
fn note_closed_stdout() {
    // SAFETY: fcntl(F_GETFD) only asks whether the descriptor is open.
    let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
    STDOUT_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// Why nothing written to standard output could arrive, if it could not:
/// the descriptor was closed (`>&-`).
pub fn stdout_closed() -> Option<&'static str> {
    #[cfg(unix)]
    if STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        return Some("standard output is closed; nothing could be written");
    }
    None
}

/// Reads `--data` (files and folders) as one set, or the bundled set.
pub fn read(paths: &[PathBuf]) -> Result<data::SetOutcome, LoadError> {
    if paths.is_empty() {
        Ok(data::bundled_set())
    } else {
        data::read_set(paths)
    }
}

/// Reads `--data` as one set, printing its warnings; with `strict`,
/// warnings are errors.
pub fn load(paths: &[PathBuf], strict: bool) -> Result<Dataset, LoadError> {
    let outcome = read(paths)?;
    let outcome = if strict { outcome.strict() } else { outcome };
    let set = outcome.into_result()?;
    for warning in &set.warnings {
        complain(&format!("warning: {warning}"));
    }
    Ok(set.dataset)
}

/// `gigawatt diff`: the changes from `old` to `new` (each a file or a
/// folder read as a set); 0 if none, 1 if some, 2 if either cannot be read.
pub fn diff(old: &Path, new: &Path, format: DiffFormat) -> i32 {
    let mut loaded = vec![];
    for path in [old, new] {
        match load(&[path.to_path_buf()], false) {
            Ok(d) => loaded.push(d),
            Err(e) => {
                complain_load(&e);
                return 2;
            }
        }
    }
    let changes = gigawatt_model::diff::diff(&loaded[0], &loaded[1]);
    let report = match format {
        DiffFormat::Text => gigawatt_model::diff::text_report(&changes),
        DiffFormat::Json => gigawatt_model::diff::json_report(&changes),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => i32::from(!changes.is_empty()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => i32::from(!changes.is_empty()),
        Err(e) => {
            complain(&format!("gigawatt diff: {e}"));
            2
        }
    }
}

/// One line of counts: "ok: 6 providers, 5 commitments, ...".
pub fn summary_line(dataset: &Dataset) -> String {
    format!("ok: {}", data::Counts::of(dataset).line())
}

/// `gigawatt check`: the exit code, after printing the verdict.
///
/// One file: `FILE: ok: counts`, or its problems on standard error. A set:
/// a line per file (`FILE: ok: counts` or `FILE: N problems`), then the
/// set's totals, then its warnings, on standard output; every problem on
/// standard error.
pub fn check(paths: &[PathBuf], strict: bool) -> i32 {
    let outcome = match read(paths) {
        Ok(outcome) => outcome,
        Err(e) => {
            complain_load(&e);
            return 1;
        }
    };
    let outcome = if strict { outcome.strict() } else { outcome };
    if let [file] = outcome.files.as_slice() {
        let name = escape_controls(&file.name);
        let code = match &file.result {
            Ok(counts) => {
                let mut out = format!("{name}: ok: {}\n", counts.line());
                for warning in &outcome.warnings {
                    out.push_str(&format!("warning: {warning}\n"));
                }
                emit("check", out.as_bytes())
            }
            Err(e) => {
                complain_load(e);
                1
            }
        };
        return code;
    }
    let mut out = String::new();
    let mut failed = 0;
    for file in &outcome.files {
        let name = escape_controls(&file.name);
        match &file.result {
            Ok(counts) => out.push_str(&format!("{name}: ok: {}\n", counts.line())),
            Err(e) => {
                failed += 1;
                let n = e.problems().len().max(1);
                let problems = if n == 1 { "problem" } else { "problems" };
                out.push_str(&format!("{name}: {n} {problems}\n"));
            }
        }
    }
    let files = outcome.files.len();
    let warnings = outcome.warnings.len();
    let warned = match warnings {
        0 => String::new(),
        1 => "; 1 warning".to_string(),
        n => format!("; {n} warnings"),
    };
    match &outcome.dataset {
        Some(dataset) if failed == 0 => out.push_str(&format!(
            "{files} files: ok: {}{warned}\n",
            data::Counts::of(dataset).line()
        )),
        _ => out.push_str(&format!("{files} files: {failed} with problems{warned}\n")),
    }
    for warning in &outcome.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    let code = emit("check", out.as_bytes());
    for file in &outcome.files {
        if let Err(e) = &file.result {
            complain_load(e);
        }
    }
    if failed > 0 { 1 } else { code }
}

/// `gigawatt export`: the exit code.
pub fn export(paths: &[PathBuf], strict: bool, table: TableName, format: Format, raw: bool) -> i32 {
    let options = WriteOptions { raw };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // The deals of one valid file are read twice rather than held (a 100k
    // ledger's table in a fraction of the memory); anything else, or a file
    // that is not plainly valid, is loaded.
    // A folder's skipped files are warnings, which `load` gives.
    let one_file = match data::expand_noting(paths) {
        Ok((files, skipped))
            if files.len() == 1
                && skipped.is_empty()
                && !paths.is_empty()
                && table == TableName::Commitments =>
        {
            data::read_deal_file(&files[0])
        }
        _ => None,
    };
    // Each row is written as it is made: the table is never held whole.
    let written = match one_file {
        Some(file) => export::stream_deal_file(&file, format, options, &mut out),
        None => {
            let dataset = match load(paths, strict) {
                Ok(d) => d,
                Err(e) => {
                    complain_load(&e);
                    return 1;
                }
            };
            export::stream(&dataset, table, None, format, options, &mut out)
        }
    }
    .and_then(|_| Ok(out.flush()?));
    match written {
        Ok(()) => 0,
        // A closed pipe (`| head`) ends the output quietly, as with `cat`.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            complain(&format!("gigawatt export: {e}"));
            1
        }
    }
}

/// Why `subject` cannot go into a data file, if it cannot: the loader
/// refuses control characters in strings.
fn subject_problem(subject: &str) -> Option<String> {
    if subject.trim().is_empty() {
        return Some("is empty".to_string());
    }
    let (at, c) = subject.chars().enumerate().find(|(_, c)| c.is_control())?;
    Some(format!(
        "holds the control character U+{:04X} at character {}; data files may not",
        c as u32,
        at + 1
    ))
}

/// `gigawatt init`: the exit code.
pub fn init(file: &Path, subject: &str, format: i64, force: bool) -> i32 {
    let name = shown(file);
    if let Some(problem) = subject_problem(subject) {
        complain(&format!("gigawatt init: --subject {problem}"));
        return 2;
    }
    let text = if format == 1 {
        gigawatt_model::template::new_file_v1(subject)
    } else {
        gigawatt_model::template::new_file(subject)
    };
    // The promise is a file that passes `check`: hold the template to it, so
    // a subject the loader refuses is caught here, not after writing.
    if let Err(e) = data::load_str(&text, &name) {
        complain("gigawatt init: --subject makes a file that fails `check`:");
        complain_load(&e);
        return 2;
    }
    if let Err(code) = write_new("init", file, &text, force) {
        return code;
    }
    emit(
        "init",
        format!(
            "wrote {name}; edit it, then `gigawatt check {name}` or `gigawatt --data {name}`\n"
        )
        .as_bytes(),
    )
}

/// Writes `text` as `file` for `command`, refusing a symbolic link, a
/// path that is not a regular file, and an existing file without `force`;
/// the exit code on failure, each refusal said on standard error.
fn write_new(command: &str, file: &Path, text: &str, force: bool) -> Result<(), i32> {
    let name = shown(file);
    let existing = match std::fs::symlink_metadata(file) {
        Ok(meta) if meta.file_type().is_symlink() => {
            complain(&format!(
                "gigawatt {command}: {name} is a symbolic link; {command} does not write through links \
                 (give the path of the file itself)"
            ));
            return Err(1);
        }
        Ok(meta) if !meta.is_file() => {
            complain(&format!(
                "gigawatt {command}: {name} exists and is not a regular file"
            ));
            return Err(1);
        }
        Ok(_) if !force => {
            complain(&format!(
                "gigawatt {command}: {name} exists; pass --force to overwrite it"
            ));
            return Err(1);
        }
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            complain(&format!("gigawatt {command}: cannot inspect {name}: {e}"));
            return Err(1);
        }
    };
    if let Err(e) = write_file(file, text, existing.as_ref()) {
        let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("gigawatt {command}: {name} exists; pass --force to overwrite it")
        } else {
            format!("gigawatt {command}: cannot write {name}: {e}")
        };
        complain(&message);
        return Err(1);
    }
    Ok(())
}

/// `gigawatt import`: reads `inputs` as one set and writes its sites,
/// timelines and clusters as `output`, a format 2 file that passes `check`.
pub fn import(inputs: &[PathBuf], output: &Path, force: bool) -> i32 {
    let dataset = match load(inputs, false) {
        Ok(d) => d,
        Err(e) => {
            complain_load(&e);
            return 1;
        }
    };
    let names: Vec<String> = inputs.iter().map(|p| shown(p)).collect();
    let text = gigawatt_model::import::to_toml(&dataset, &names);
    let name = shown(output);
    // The promise is a file that passes `check`: hold the output to it
    // before writing.
    if let Err(e) = data::load_str(&text, &name) {
        complain("gigawatt import: the file written would fail `check`:");
        complain_load(&e);
        return 1;
    }
    if let Err(code) = write_new("import", output, &text, force) {
        return code;
    }
    emit(
        "import",
        format!(
            "wrote {name}: {} sites, {} timeline entries, {} clusters\n",
            dataset.sites.len(),
            dataset
                .sites
                .iter()
                .map(|s| s.timeline.len())
                .sum::<usize>(),
            dataset.clusters.len()
        )
        .as_bytes(),
    )
}

/// Writes `text` to `path` through a temporary file in the same folder,
/// renamed into place once complete: a crash or a full disk never leaves a
/// half-written file. With `replacing` (the old file's metadata, `--force`)
/// the rename replaces the directory entry itself, so a symbolic link that
/// appeared meanwhile is replaced, never followed, and the old file's
/// permissions are kept; without it the rename fails if `path` exists.
fn write_file(
    path: &Path,
    text: &str,
    replacing: Option<&std::fs::Metadata>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gigawatt-init-").suffix(".tmp");
    #[cfg(unix)]
    {
        // As for any new file: 0666 less the umask (tempfile's default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    match replacing {
        Some(meta) => {
            tmp.as_file().set_permissions(meta.permissions())?;
            tmp.persist(path)?;
        }
        None => {
            tmp.persist_noclobber(path)?;
        }
    }
    Ok(())
}

/// `gigawatt config [--default]`: the exit code.
pub fn config(file: Option<&Path>, default: bool) -> i32 {
    if default {
        return emit("config", crate::cli::config::default_file().as_bytes());
    }
    let shown_default = crate::cli::config::default_path().map(|p| shown(&p));
    match crate::cli::config::load(file) {
        Ok(config) => {
            let line = match (&config.file, shown_default) {
                (Some(path), _) => format!("{}: ok\n", shown(path)),
                (None, Some(path)) => {
                    format!(
                        "{path}: no such file; the defaults are in force (`gigawatt config --default` prints them)\n"
                    )
                }
                (None, None) => "no config folder; the defaults are in force\n".to_string(),
            };
            emit("config", line.as_bytes())
        }
        Err(e) => {
            let _ = std::io::stderr().write_all(e.report().as_bytes());
            1
        }
    }
}

/// `gigawatt completions SHELL`: the exit code.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gigawatt", &mut script);
    emit("completions", &script)
}

/// `gigawatt man`: the exit code.
pub fn man() -> i32 {
    let page = clap_mangen::Man::new(Cli::command());
    let mut roff = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        page.render_title(&mut roff)?;
        page.render_name_section(&mut roff)?;
        page.render_synopsis_section(&mut roff)?;
        page.render_description_section(&mut roff)?;
        page.render_options_section(&mut roff)?;
        roff.extend_from_slice(man_commands().as_bytes());
        roff.extend_from_slice(man_explorer().as_bytes());
        roff.extend_from_slice(MAN_EXIT_STATUS.as_bytes());
        page.render_version_section(&mut roff)
    })();
    match rendered {
        Ok(()) => emit("man", &roff),
        Err(e) => {
            complain(&format!("gigawatt man: {e}"));
            1
        }
    }
}

/// Text for roff: its backslashes and leading dots and quotes escaped.
fn roff_text(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    match s.chars().next() {
        Some('.' | '\'') => format!("\\&{s}"),
        _ => s,
    }
}

/// The commands, each with what `--help` says of it: there is one page,
/// this one, not a page per command.
fn man_commands() -> String {
    let mut out = String::from(".SH COMMANDS\n");
    for sub in Cli::command().get_subcommands() {
        out.push_str(&format!(
            ".TP\n\\fBgigawatt {}\\fR\n",
            roff_text(sub.get_name())
        ));
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!("{}\n", roff_text(&about)));
    }
    out.push_str(".PP\nEach command's options: gigawatt COMMAND \\-\\-help.\n");
    out
}

/// The explorer's tabs and keys, from the tab table and the keymap, as
/// the help overlay lists them.
fn man_explorer() -> String {
    use crate::tabs::descriptor::Tab;
    let mut out = String::from(".SH TABS\n");
    for tab in Tab::ALL {
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            tab.index() + 1,
            roff_text(tab.title())
        ));
    }
    out.push_str(".SH KEYS\n");
    for (title, bindings) in crate::app::keymap::help_sections() {
        out.push_str(&format!(".SS {}\n", roff_text(title)));
        for (keys, help) in bindings {
            out.push_str(&format!(
                ".TP\n\\fB{}\\fR\n{}\n",
                roff_text(&keys),
                roff_text(help)
            ));
        }
    }
    out
}

const MAN_EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
0
Success; also when the reader of standard output goes away (as in gigawatt export commitments | head -1).
.TP
1
An error: a data file with problems (check lists every one), a file that cannot be read or written, a full disk.
.TP
2
A usage error: an unknown option, command, table or format, or a missing argument.
.SH "SEE ALSO"
gigawatt check FILE; gigawatt export --help; the README in the source repository.
"#;
