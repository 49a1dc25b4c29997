//! Sets of files seen as one dataset: `--data` given several times, or a
//! folder of `*.toml`.
//!
//! Each file is read and checked on its own first (the fast path for a
//! valid file), and only a file that fails is checked again with the ids
//! the others define, so a reference from one file to another resolves and
//! a set of self-contained files costs one load per file. Then the files
//! are merged in load order: parties and sources are shared by id (the
//! first definition wins; a different later one is a `Warning` naming both
//! places), and commitment, milestone and note ids must be unique across
//! the set (a clash is an error naming both places). Messages name their
//! file; places are found in the text only when there is something to say.
//!
//! Epoch AI's CSV tables (`epoch`) are files of a set too: each is read on
//! its own, then, before the merge, joined to the rest of the set (a
//! timeline's rows to the sites of the set's data centers tables, owners
//! and users to the set's parties by name and alias, a name that names
//! none made a party marked `imported`).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use super::epoch::{self, PartyNames, Table};
use super::error::{LoadError, Problem, in_file_order};
use super::load::{load_bytes, load_refused};
use super::model::*;
use super::position::line_column;
use super::read::{load_file, read_file};
use super::sections::{Sections, load_sections_with, sections_of};
use super::validate::Known;
use crate::text::escape_controls;

/// One file of a set: its name in messages, its text when it is needed
/// (to place messages, and to check it again against the other files), and
/// how it loaded: on its own, against the whole set (`from_texts`), or not
/// yet (`deferred`; `merge` gives every file its verdict). The text is
/// shared, so a copy of a file kept between loads (`SetCache`) copies its
/// records only.
#[derive(Debug, Clone)]
pub struct SetFile {
    pub name: String,
    text: Option<Arc<String>>,
    pub loaded: Result<Dataset, LoadError>,
    /// The file did not read plainly valid on its own and `loaded` holds
    /// no verdict yet: the merge checks it, knowing what the other files
    /// define. Most files of a set lean on another (the bundled ledger's
    /// name `parties.toml`'s parties), and the whole-file check that places
    /// a lone file's problems would be wasted on them.
    deferred: bool,
    /// A table of Epoch AI's that read: `loaded` holds it unjoined until
    /// the merge joins it to the set (`join_tables`). A table that did not
    /// read has no text either, so that nothing checks it again as TOML.
    table: Option<Arc<Table>>,
}

impl SetFile {
    /// Reads and checks a file on its own. With `keep_text` the text is
    /// kept for the merge; a set of one file does not need it, and is read
    /// a table at a time without ever holding the whole text.
    pub fn read(path: &Path, keep_text: bool) -> SetFile {
        let name = path.display().to_string();
        if !keep_text {
            return SetFile {
                loaded: load_file(path),
                name,
                text: None,
                deferred: false,
                table: None,
            };
        }
        match SetFile::text_of(path) {
            Ok((name, text)) => SetFile::from_text(&name, text),
            Err(unreadable) => *unreadable,
        }
    }

    /// A file's name and text, or the file with why it cannot be read (too
    /// large, not a file, not UTF-8).
    fn text_of(path: &Path) -> Result<(String, String), Box<SetFile>> {
        let name = path.display().to_string();
        let bytes = read_file(path).map_err(|e| SetFile {
            deferred: false,
            name: name.clone(),
            text: None,
            loaded: Err(e),
            table: None,
        })?;
        String::from_utf8(bytes)
            .map(|text| (name.clone(), text))
            .map_err(|e| {
                Box::new(SetFile {
                    deferred: false,
                    loaded: load_bytes(e.as_bytes(), &name),
                    name,
                    text: None,
                    table: None,
                })
            })
    }

    /// Files of a set whose texts are in memory, each parsed once: its
    /// sections read and checked on their own, then the checks that span
    /// the file made knowing what every file of the set defines. A file
    /// that does not read plainly valid is left for the merge, which
    /// places its problems (see `deferred`).
    pub fn from_texts(texts: Vec<(String, String)>) -> Vec<SetFile> {
        if texts.iter().any(|(name, text)| epoch::is_table(name, text)) {
            return SetFile::tables_apart(texts);
        }
        let read: Vec<Option<Sections>> = map_in_parallel(&texts, |(_, text)| sections_of(text));
        // Deals are named across files only by `supersedes` and milestones:
        // a set without either (every format 1 set) need not gather them.
        let deals = read.iter().flatten().any(Sections::names_deals);
        let mut everything = Known::default();
        for ((_, text), sections) in texts.iter().zip(&read) {
            match sections {
                Some(sections) => sections.add_known(&mut everything, deals),
                None => everything.extend(&scan_known(text)),
            }
        }
        texts
            .into_iter()
            .zip(read)
            .map(|((name, text), sections)| {
                let finished = sections.and_then(|s| s.finish_with(&everything));
                SetFile {
                    deferred: finished.is_none(),
                    loaded: finished
                        .map(|d| d.named(&name))
                        .ok_or_else(|| unchecked(&name)),
                    name,
                    text: Some(Arc::new(text)),
                    table: None,
                }
            })
            .collect()
    }

    /// A file of a set whose text is already in memory: read a table at a
    /// time, or else left for the merge to check (see `deferred`).
    pub fn from_text(name: &str, text: String) -> SetFile {
        if epoch::is_table(name, &text) {
            return SetFile::from_table(name, text);
        }
        let alone = load_sections_with(&text, &Known::default());
        SetFile {
            name: name.to_string(),
            deferred: alone.is_none(),
            loaded: alone.map(|d| d.named(name)).ok_or_else(|| unchecked(name)),
            text: Some(Arc::new(text)),
            table: None,
        }
    }

    /// A table of Epoch AI's, read on its own; the merge joins it.
    fn from_table(name: &str, text: String) -> SetFile {
        match epoch::read(&text, name) {
            Ok(table) => SetFile {
                name: name.to_string(),
                // Until the merge joins it, the table's records on their own.
                loaded: Ok(epoch::dataset(&table, Default::default(), epoch::today()).named(name)),
                text: Some(Arc::new(text)),
                deferred: false,
                table: Some(Arc::new(table)),
            },
            Err(e) => SetFile {
                name: name.to_string(),
                loaded: Err(e),
                text: None,
                deferred: false,
                table: None,
            },
        }
    }

    /// `from_texts` for a set with tables: the TOML files as one, the
    /// tables each on its own, in the set's order.
    fn tables_apart(texts: Vec<(String, String)>) -> Vec<SetFile> {
        let is_table: Vec<bool> = texts.iter().map(|(n, t)| epoch::is_table(n, t)).collect();
        let (tables, ledger): (Vec<_>, Vec<_>) = texts
            .into_iter()
            .zip(&is_table)
            .partition(|(_, table)| **table);
        let mut ledger =
            SetFile::from_texts(ledger.into_iter().map(|(t, _)| t).collect()).into_iter();
        let mut tables = tables
            .into_iter()
            .map(|((name, text), _)| SetFile::from_table(&name, text));
        is_table
            .iter()
            .filter_map(|&table| if table { tables.next() } else { ledger.next() })
            .collect()
    }
}

/// What a deferred file holds until the merge checks it: no verdict.
fn unchecked(name: &str) -> LoadError {
    LoadError::Invalid {
        file: name.to_string(),
        source_text: String::new(),
        problems: Vec::new(),
    }
}

/// Something a set's files disagree on that does not stop it loading: a
/// party or source defined differently in two files. `--strict` makes
/// warnings errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// `providers[0].id`.
    pub path: String,
    pub message: String,
}

impl Warning {
    /// A file of a folder that was not read; it has no place inside it.
    fn skipped(file: String, why: String) -> Warning {
        Warning {
            file,
            line: 0,
            column: 0,
            path: String::new(),
            message: format!("skipped: {why}"),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return f.write_str(&escape_controls(&format!(
                "{}: {}",
                self.file, self.message
            )));
        }
        let line = format!(
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.path, self.message
        );
        f.write_str(&escape_controls(&line))
    }
}

/// A set loaded: the merged dataset, and what the files disagree on.
#[derive(Debug, Clone)]
pub struct SetLoad {
    pub dataset: Dataset,
    pub warnings: Vec<Warning>,
}

/// How many records of each kind: a file's own, or a set's after merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// The highest format among the files counted: format 2 calls every
    /// company a party, whatever its role; format 1 calls them providers.
    pub format: i64,
    pub parties: usize,
    pub commitments: usize,
    pub milestones: usize,
    pub notes: usize,
    pub sources: usize,
    pub sites: usize,
    /// Dated entries of the sites' timelines; of a timeline table, its rows.
    pub timeline_entries: usize,
    pub clusters: usize,
    /// Columns of tables (`epoch`) that gigawatt does not know, not read.
    pub unknown_columns: usize,
}

impl Counts {
    pub fn of(dataset: &Dataset) -> Counts {
        Counts {
            format: dataset.files.iter().map(|f| f.format).max().unwrap_or(1),
            parties: dataset.providers.len(),
            commitments: dataset.commitments.len(),
            milestones: dataset.capacities.iter().map(|c| c.milestones.len()).sum(),
            notes: dataset.notes.len(),
            sources: dataset.sources.len(),
            sites: dataset.sites.len(),
            timeline_entries: dataset.sites.iter().map(|s| s.timeline.len()).sum(),
            clusters: dataset.clusters.len(),
            unknown_columns: dataset.files.iter().map(|f| f.unknown_columns.len()).sum(),
        }
    }

    /// "6 providers, 5 commitments, 2 milestones, 4 notes, 1 source"; in
    /// format 2, "7 parties, ..."; then, when there are any, "31 sites, 112
    /// timeline entries, 786 clusters", and the unknown columns ignored. A
    /// ledger without sites reads as it always has.
    pub fn line(&self) -> String {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let (party, parties) = if self.format >= 2 {
            ("party", "parties")
        } else {
            ("provider", "providers")
        };
        let mut line = format!(
            "{}, {}, {}, {}, {}",
            count(self.parties, party, parties),
            count(self.commitments, "commitment", "commitments"),
            count(self.milestones, "milestone", "milestones"),
            count(self.notes, "note", "notes"),
            count(self.sources, "source", "sources"),
        );
        if self.sites + self.timeline_entries + self.clusters > 0 {
            line.push_str(&format!(
                ", {}, {}, {}",
                count(self.sites, "site", "sites"),
                count(self.timeline_entries, "timeline entry", "timeline entries"),
                count(self.clusters, "cluster", "clusters"),
            ));
        }
        if self.unknown_columns > 0 {
            line.push_str(&format!(
                " ({} not read)",
                count(self.unknown_columns, "unknown column", "unknown columns")
            ));
        }
        line
    }
}

/// One file's verdict within its set.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub name: String,
    /// Its own records, or what is wrong with it (against the set).
    pub result: Result<Counts, LoadError>,
}

/// Everything a set's load found: per file, then the whole.
#[derive(Debug, Clone)]
pub struct SetOutcome {
    pub files: Vec<FileOutcome>,
    /// The merged dataset, when every file loaded.
    pub dataset: Option<Dataset>,
    pub warnings: Vec<Warning>,
}

impl SetOutcome {
    /// The set, or its errors: one file's as they are, several files'
    /// together (`LoadError::Set`).
    pub fn into_result(self) -> Result<SetLoad, LoadError> {
        let mut errors: Vec<LoadError> = self
            .files
            .into_iter()
            .filter_map(|f| f.result.err())
            .collect();
        match (self.dataset, errors.len()) {
            (Some(dataset), 0) => Ok(SetLoad {
                dataset,
                warnings: self.warnings,
            }),
            (_, 1) => Err(errors.remove(0)),
            _ => Err(LoadError::Set { errors }),
        }
    }

    /// Warnings made errors (`--strict`), each in its file's error.
    pub fn strict(mut self) -> SetOutcome {
        for warning in std::mem::take(&mut self.warnings) {
            let problem = Problem {
                line: warning.line,
                column: warning.column,
                path: warning.path,
                message: warning.message,
                span: 0..0,
            };
            let Some(file) = self.files.iter_mut().find(|f| f.name == warning.file) else {
                // A file skipped from a folder: in error on its own.
                self.files.push(FileOutcome {
                    result: Err(LoadError::Skipped {
                        file: warning.file.clone(),
                        why: problem.message,
                    }),
                    name: warning.file,
                });
                self.dataset = None;
                continue;
            };
            match &mut file.result {
                Err(LoadError::Invalid { problems, .. }) => problems.push(problem),
                Err(_) => {}
                Ok(_) => {
                    file.result = Err(LoadError::Invalid {
                        file: file.name.clone(),
                        source_text: String::new(),
                        problems: vec![problem],
                    })
                }
            }
            self.dataset = None;
        }
        self
    }
}

/// The files `--data` names: a file as it is; a folder as every `*.toml`
/// and `*.csv` (Epoch AI's tables, `epoch`) directly in it, in name order. A file named twice, however spelt
/// (`a.toml`, `./a.toml`, a link to it), is read once, under its first name.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    expand_noting(paths).map(|(files, _)| files)
}

/// `expand`, and a warning for each `*.toml` of a folder that is not read:
/// a link to nothing, a link loop, a folder, a device. A dot file (an
/// editor's backup, macOS's `._deals.toml`) is left out without a word, as
/// a shell's `*.toml` leaves it.
pub fn expand_noting(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Warning>), LoadError> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut skipped = Vec::new();
    let mut add = |file: PathBuf, out: &mut Vec<PathBuf>| {
        // A path that cannot be resolved is kept as spelt, to fail when read.
        let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if seen.insert(identity) {
            out.push(file);
        }
    };
    for path in paths {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            add(path.clone(), &mut out);
            continue;
        }
        let io = |source| LoadError::Io {
            file: path.display().to_string(),
            source,
        };
        let mut found: Vec<PathBuf> = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let file = entry.path();
            let data = is_data_file(&file);
            let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
            if !data || hidden {
                continue;
            }
            // Links are followed, so a folder of links to files works.
            match std::fs::metadata(&file) {
                Ok(m) if m.is_file() => match foreign_table(&file) {
                    Some(why) => skipped.push((file, why)),
                    None => found.push(file),
                },
                Ok(m) => skipped.push((file, not_a_file(&m).to_string())),
                Err(e)
                    if std::fs::symlink_metadata(&file).is_ok()
                        && e.kind() == std::io::ErrorKind::NotFound =>
                {
                    let to = std::fs::read_link(&file).unwrap_or_default();
                    skipped.push((
                        file,
                        format!("a symbolic link to nothing ({})", to.display()),
                    ));
                }
                Err(e) => skipped.push((file, format!("cannot be read: {e}"))),
            }
        }
        if found.is_empty() {
            return Err(LoadError::EmptyFolder {
                folder: path.display().to_string(),
            });
        }
        found.sort();
        for file in found {
            add(file, &mut out);
        }
    }
    skipped.sort();
    let warnings = skipped
        .into_iter()
        .map(|(file, why)| Warning::skipped(file.display().to_string(), why))
        .collect();
    Ok((out, warnings))
}

/// Whether a folder's file is one of its set's by its name: `*.toml`, or
/// `*.csv` (Epoch AI's tables, `epoch`; any case, as spreadsheets save
/// them). A dot file is left out apart from this.
pub fn is_data_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "toml" || e.eq_ignore_ascii_case("csv"))
}

/// Why a folder's `*.csv` is not read, when its header is not a table's:
/// a folder may hold other CSV files (gigawatt's own exports land in the
/// folder it runs in), which are no part of the set. A file named on its
/// own is read, and such a header is an error. A file that cannot be read
/// here is kept, to fail with its error when it is read.
fn foreign_table(path: &Path) -> Option<String> {
    use std::io::Read;
    if path
        .extension()
        .is_none_or(|e| e.eq_ignore_ascii_case("toml"))
    {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    // Too large a file fails as too large; a binary one as not UTF-8.
    if file.metadata().ok()?.len() > super::MAX_FILE_BYTES {
        return None;
    }
    let mut head = Vec::new();
    // A header longer than this is none of the tables'.
    file.take(64 * 1024).read_to_end(&mut head).ok()?;
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).ok()?;
    if line.trim().is_empty() || epoch::is_header(line) {
        return None;
    }
    Some("not a table gigawatt reads (its header is none of Epoch AI's data centers, timelines or GPU clusters)".to_string())
}

/// What a folder's entry is, when it is not a regular file.
fn not_a_file(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a folder, not a file";
    }
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    #[cfg(unix)]
    if kind.is_fifo() {
        return "a FIFO, not a file";
    }
    #[cfg(unix)]
    if kind.is_socket() {
        return "a socket, not a file";
    }
    "a device, not a file"
}

/// Reads the files and folders `paths` names as one set.
pub fn read_set(paths: &[PathBuf]) -> Result<SetOutcome, LoadError> {
    let (files, skipped) = expand_noting(paths)?;
    let mut outcome = read_files(&files);
    outcome.warnings.splice(0..0, skipped);
    Ok(outcome)
}

fn read_files(files: &[PathBuf]) -> SetOutcome {
    if files.len() < 2 {
        return merge(files.iter().map(|p| SetFile::read(p, false)).collect());
    }
    // Each file is parsed once (`from_texts`); one that cannot be read
    // keeps its place in the set with its error.
    let mut texts = Vec::with_capacity(files.len());
    let mut unreadable = Vec::with_capacity(files.len());
    for read in map_in_parallel(files, |p| SetFile::text_of(p)) {
        match read {
            Ok(text) => {
                texts.push(text);
                unreadable.push(None);
            }
            Err(file) => unreadable.push(Some(*file)),
        }
    }
    let mut loaded = SetFile::from_texts(texts).into_iter();
    let set = unreadable
        .into_iter()
        .filter_map(|slot| slot.or_else(|| loaded.next()))
        .collect();
    merge(set)
}

/// `items.iter().map(f)`, in order, spread over the machine's cores: a
/// set's files are read and checked each on its own, so a set of seven
/// small files (the bundled data) or a hundred large ones waits for the
/// slowest share, not for the sum.
pub(super) fn map_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `read_set`, as the merged dataset and its warnings, or its errors.
pub fn load_set(paths: &[PathBuf]) -> Result<SetLoad, LoadError> {
    read_set(paths)?.into_result()
}

/// Where a record's id is written, for messages: its key path and span.
type Places = HashMap<(&'static str, String), (String, Range<usize>)>;

/// The place of every id in `text`, by kind of record. Parsed only when a
/// message needs a place.
fn places(text: &str) -> Places {
    let mut out = Places::new();
    let Ok(root) = DeTable::parse(text) else {
        return out;
    };
    let root = root.get_ref();
    let mut array = |kind: &'static str, path: &str, value: &DeValue<'_>| {
        let Some(items) = value.as_array() else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let Some(id) = item.get_ref().as_table().and_then(|t| t.get("id")) else {
                continue;
            };
            if let Some(s) = id.get_ref().as_str() {
                out.entry((kind, s.to_string()))
                    .or_insert_with(|| (format!("{path}[{i}].id"), id.span()));
            }
        }
    };
    for (table, kind) in [
        ("sources", "source"),
        ("providers", "party"),
        ("parties", "party"),
        ("commitments", "commitment"),
        ("notes", "note"),
        ("sites", "site"),
        ("clusters", "cluster"),
    ] {
        if let Some(value) = root.get(table) {
            array(kind, table, value.get_ref());
        }
    }
    match root.get("capacity").map(|c| c.get_ref()) {
        Some(DeValue::Table(t)) => {
            if let Some(m) = t.get("milestones") {
                array("milestone", "capacity.milestones", m.get_ref());
            }
        }
        Some(DeValue::Array(plans)) => {
            for (i, plan) in plans.iter().enumerate() {
                if let Some(m) = plan.get_ref().as_table().and_then(|t| t.get("milestones")) {
                    array(
                        "milestone",
                        &format!("capacity[{i}].milestones"),
                        m.get_ref(),
                    );
                }
            }
        }
        _ => {}
    }
    out
}

/// What a file that failed defines, as far as its text says.
fn scan_known(text: &str) -> Known {
    let mut known = Known::default();
    let Ok(root) = DeTable::parse(text) else {
        return known;
    };
    let root = root.get_ref();
    let ids = |table: &str| -> Vec<String> {
        root.get(table)
            .and_then(|v| v.get_ref().as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get_ref().as_table()?.get("id")?.get_ref().as_str())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    known.sources.extend(ids("sources"));
    known.parties.extend(ids("providers"));
    known.parties.extend(ids("parties"));
    known.commitments.extend(ids("commitments"));
    known.sites.extend(ids("sites"));
    let format1 = root
        .get("format")
        .and_then(|f| f.get_ref().as_integer())
        .is_some_and(|i| i.as_str() == "1");
    let subject = root
        .get("dataset")
        .and_then(|d| d.get_ref().as_table()?.get("subject")?.get_ref().as_str());
    if let (true, Some(subject)) = (format1, subject) {
        known.parties.insert(party_id_of(subject));
    }
    known
}

/// What a loaded file defines.
fn known_of(d: &Dataset) -> Known {
    let mut known = Known::of(
        &d.sources,
        d.providers
            .iter()
            .chain(&d.subject_party)
            .map(|p| p.id.as_str()),
        d.commitments.iter().map(|c| c.id.as_str()),
    );
    known.sites.extend(d.sites.iter().map(|s| s.id.to_string()));
    known
}

/// A place in a file, for messages: `a.toml:12:6 (providers[0].id)`.
struct Place {
    line: usize,
    column: usize,
    path: String,
    span: Range<usize>,
}

/// A file's name and text, kept for messages once its records have been
/// moved into the set.
struct Named {
    name: String,
    text: Option<Arc<String>>,
    /// A table's records are placed by its rows, not its text.
    table: Option<Arc<Table>>,
}

/// Finds places in the files' texts, parsing each at most once.
struct Placer<'f> {
    files: &'f [Named],
    parsed: HashMap<usize, Places>,
}

impl Placer<'_> {
    fn place(&mut self, file: usize, kind: &'static str, id: &str) -> Place {
        if let Some(table) = &self.files[file].table {
            let (line, path, span) = table.place(kind, id).unwrap_or((1, String::new(), 0..0));
            // A table's places have no column but the header's name.
            return Place {
                line,
                column: 0,
                path,
                span,
            };
        }
        let text = self.files[file].text.as_deref().map_or("", String::as_str);
        let places = self.parsed.entry(file).or_insert_with(|| places(text));
        match places.get(&(kind, id.to_string())) {
            Some((path, span)) => {
                let at = line_column(text, span.start);
                Place {
                    line: at.line,
                    column: at.column,
                    path: path.clone(),
                    span: span.clone(),
                }
            }
            None => Place {
                line: 1,
                column: 1,
                path: String::new(),
                span: 0..0,
            },
        }
    }

    /// `a.toml:12:6 (providers[0].id)`.
    /// The warning for `kind` `id` defined in file `at.1` unlike its first
    /// definition in file `at.0`, which is the one used.
    fn defined_differently(
        &mut self,
        file_name: &str,
        (earlier, later): (usize, usize),
        kind: &'static str,
        id: &str,
        differ: &[&str],
    ) -> Warning {
        let there = self.named(earlier, kind, id);
        let here = self.place(later, kind, id);
        Warning {
            file: file_name.to_string(),
            line: here.line,
            column: here.column,
            path: here.path,
            message: format!(
                "{kind} {id:?} is defined differently ({}) at {there}; the first definition is used",
                differ.join(", ")
            ),
        }
    }

    fn named(&mut self, file: usize, kind: &'static str, id: &str) -> String {
        let place = self.place(file, kind, id);
        let name = &self.files[file].name;
        let at = match place.column {
            0 => format!("{name}:{}", place.line),
            column => format!("{name}:{}:{column}", place.line),
        };
        if place.path.is_empty() {
            at
        } else {
            format!("{at} ({})", place.path)
        }
    }
}

/// The fields in which two definitions of a party differ, by name. A later
/// definition may leave the summary out.
fn party_differences(a: &Party, b: &Party) -> Vec<&'static str> {
    differing(&[
        ("name", a.name != b.name),
        ("kind", a.kind != b.kind),
        ("parent", a.parent != b.parent),
        ("summary", b.summary.is_some() && a.summary != b.summary),
    ])
}

/// `party_differences` for sources; a later one may leave `accessed` out.
fn source_differences(a: &Source, b: &Source) -> Vec<&'static str> {
    differing(&[
        ("title", a.title != b.title),
        ("publisher", a.publisher != b.publisher),
        ("published", a.published != b.published),
        ("url", a.url != b.url),
        ("accessed", b.accessed.is_some() && a.accessed != b.accessed),
    ])
}

/// The names of the fields marked as differing, in order.
fn differing(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| *name)
        .collect()
}

/// Adds to `into` the items of `from` it lacks, in order.
fn merge_list<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
    for item in from {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// Loads the files as one set; see the module's description. Each file's
/// records are moved into the set, not copied.
pub fn merge(files: Vec<SetFile>) -> SetOutcome {
    merge_held(files.into_iter().map(Cow::Owned).collect())
}

/// `merge` of files kept elsewhere (by a `SetCache`, for the next load):
/// their records are copied into the set, once.
pub fn merge_shared(files: &[&SetFile]) -> SetOutcome {
    merge_held(files.iter().map(|f| Cow::Borrowed(*f)).collect())
}

/// `merge` of files of its own (`Cow::Owned`), taken apart, and of files
/// kept elsewhere (`Cow::Borrowed`), copied from.
fn merge_held(mut files: Vec<Cow<'_, SetFile>>) -> SetOutcome {
    recheck(&mut files);
    join_tables(&mut files);
    if files.len() == 1 {
        let file = files.remove(0).into_owned();
        let result = file
            .loaded
            .as_ref()
            .map(|d| file_counts(&file, d))
            .map_err(Clone::clone);
        return SetOutcome {
            files: vec![FileOutcome {
                name: file.name,
                result,
            }],
            dataset: file.loaded.ok(),
            warnings: Vec::new(),
        };
    }

    // Names and texts stay for messages; the datasets are taken apart.
    let mut named = Vec::with_capacity(files.len());
    let mut results: Vec<Result<Counts, LoadError>> = Vec::with_capacity(files.len());
    let mut datasets: Vec<Option<Cow<'_, Dataset>>> = Vec::with_capacity(files.len());
    for file in files {
        let counts = file.loaded.as_ref().map(|d| file_counts(&file, d)).ok();
        let (name, text, table, loaded) = match file {
            Cow::Owned(f) => (f.name, f.text, f.table, f.loaded.map(Cow::Owned)),
            Cow::Borrowed(f) => (
                f.name.clone(),
                f.text.clone(),
                f.table.clone(),
                f.loaded.as_ref().map(Cow::Borrowed).map_err(Clone::clone),
            ),
        };
        named.push(Named { name, text, table });
        match loaded {
            Ok(d) => {
                results.push(Ok(counts.unwrap_or_else(|| Counts::of(&d))));
                datasets.push(Some(d));
            }
            Err(e) => {
                results.push(Err(e));
                datasets.push(None);
            }
        }
    }
    let mut placer = Placer {
        files: &named,
        parsed: HashMap::new(),
    };
    let clashes = clashes(&datasets);
    let mut warnings = Vec::new();

    let mut merged_files = Vec::with_capacity(datasets.len());
    let mut sources: Vec<Source> = Vec::new();
    let mut parties: Vec<Party> = Vec::new();
    let mut implicit: Vec<Party> = Vec::new();
    let count = |f: fn(&Dataset) -> usize| datasets.iter().flatten().map(|d| f(d)).sum::<usize>();
    let mut commitments: Vec<Commitment> = Vec::with_capacity(count(|d| d.commitments.len()));
    let mut capacities: Vec<Capacity> = Vec::with_capacity(count(|d| d.capacities.len()));
    let mut notes: Vec<Note> = Vec::with_capacity(count(|d| d.notes.len()));
    let mut sites: Vec<Site> = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut source_at: HashMap<String, usize> = HashMap::new();
    let mut party_at: HashMap<String, usize> = HashMap::new();
    // The first file's title, subject and summary (the first TOML file's,
    // if any: a table's title names only its table); the latest `as_of`.
    let mut first: Option<Meta> = None;
    let mut first_is_table = false;
    let mut as_of = None;

    for (i, d) in datasets.into_iter().enumerate() {
        let Some(d) = d else { continue };
        let name = &named[i].name;
        let d = Parts::of(d);
        let table = named[i].table.is_some();
        if first.is_none() || (first_is_table && !table) {
            first = Some(d.meta);
            first_is_table = table;
        }
        as_of = as_of.max(Some(d.as_of));
        merged_files.extend(d.files);
        for s in d.sources {
            match source_at.get(&s.id) {
                Some(&at) => {
                    let earlier = &sources[at];
                    let differ = source_differences(earlier, &s);
                    if !differ.is_empty() {
                        let at = (earlier.file, i);
                        let warning =
                            placer.defined_differently(name, at, "source", &s.id, &differ);
                        warnings.push(warning);
                    }
                }
                None => {
                    source_at.insert(s.id.clone(), sources.len());
                    sources.push(Source { file: i, ..s });
                }
            }
        }
        for p in d.providers {
            match party_at.get(&p.id) {
                Some(&at) => {
                    let differ = party_differences(&parties[at], &p);
                    let earlier_file = parties[at].file;
                    merge_list(&mut parties[at].hardware, p.hardware);
                    let mut cites = parties[at].cites.to_vec();
                    merge_list(&mut cites, p.cites.to_vec());
                    parties[at].cites = cites.into();
                    if !differ.is_empty() {
                        let at = (earlier_file, i);
                        let warning = placer.defined_differently(name, at, "party", &p.id, &differ);
                        warnings.push(warning);
                    }
                }
                None => {
                    party_at.insert(p.id.clone(), parties.len());
                    parties.push(Party { file: i, ..p });
                }
            }
        }
        implicit.extend(d.subject_party.map(|p| Party { file: i, ..p }));
        // A clash fails the set (below), so what is gathered then goes unused.
        gather(&mut commitments, d.commitments, |c| c.file = i as u32);
        gather(&mut capacities, d.capacities, |c| {
            c.file = i;
            for m in &mut c.milestones {
                m.file = i;
            }
        });
        gather(&mut notes, d.notes, |n| n.file = i);
        gather(&mut sites, d.sites, |s| s.file = i);
        gather(&mut clusters, d.clusters, |c| c.file = i);
    }

    for (i, found) in clashes.iter().enumerate() {
        if found.is_empty() {
            continue;
        }
        let mut problems = Vec::new();
        for (kind, id, earlier) in found {
            let there = placer.named(*earlier, kind, id);
            let here = placer.place(i, kind, id);
            problems.push(Problem::at(
                here.span,
                here.path,
                format!(
                    "duplicate id {id:?}, already used by the {kind} at {there}; {kind} ids \
                     must be unique across the files of a set"
                ),
            ));
        }
        let text = named[i].text.as_deref().cloned().unwrap_or_default();
        if named[i].table.is_some() {
            for (problem, (kind, id, _)) in problems.iter_mut().zip(found) {
                let here = placer.place(i, kind, id);
                problem.line = here.line;
            }
            results[i] = Err(epoch::invalid(&named[i].name, &text, problems));
            continue;
        }
        results[i] = Err(LoadError::Invalid {
            file: named[i].name.clone(),
            problems: in_file_order(&text, problems),
            source_text: text,
        });
    }

    let ok = results.iter().all(Result::is_ok);
    let dataset = match (ok, first) {
        (
            true,
            Some(Meta {
                title,
                subject,
                subject_id,
                summary,
            }),
        ) => {
            let explicit: HashSet<&str> = parties.iter().map(|p| p.id.as_str()).collect();
            let mut seen = HashSet::new();
            let mut subjects: Vec<Party> = implicit
                .into_iter()
                .filter(|p| !explicit.contains(p.id.as_str()) && seen.insert(p.id.clone()))
                .collect();
            let subject_party = (!subjects.is_empty()).then(|| subjects.remove(0));
            let ids: HashSet<String> = parties
                .iter()
                .chain(subject_party.iter())
                .chain(subjects.iter())
                .map(|p| p.id.clone())
                .collect();
            for note in notes.iter_mut().filter(|n| n.subject_party.is_none()) {
                if ids.contains(&note.subject) {
                    note.subject_party = Some(note.subject.clone());
                }
            }
            let mut merged = Dataset {
                title,
                subject,
                subject_id,
                // Some file loaded, so some `as_of` was seen.
                as_of: as_of.unwrap_or_default(),
                summary,
                files: merged_files,
                sources,
                providers: parties,
                subject_party,
                other_subjects: subjects,
                commitments,
                capacities,
                notes,
                sites,
                clusters,
                lookup: Lookup::default(),
            };
            merged.apply_status_notes();
            Some(merged)
        }
        _ => None,
    };
    SetOutcome {
        files: named
            .into_iter()
            .zip(results)
            .map(|(f, result)| FileOutcome {
                name: f.name,
                result,
            })
            .collect(),
        dataset,
        warnings,
    }
}

/// A file's own records: a TOML file's, or a table's rows (its timeline
/// entries are its own though the merge puts them on other files' sites).
fn file_counts(file: &SetFile, d: &Dataset) -> Counts {
    let mut counts = Counts::of(d);
    if let Some(table) = &file.table {
        let rows = |kind| if table.kind() == kind { table.len() } else { 0 };
        counts.sites = rows(epoch::TableKind::Sites);
        counts.timeline_entries = rows(epoch::TableKind::Timeline);
        counts.clusters = rows(epoch::TableKind::Clusters);
    }
    counts
}

/// Joins the set's tables to each other and to its ledger (`epoch::join`):
/// each table that read gets its records, its owners and users named by
/// the set's party ids, or the problems of its rows that name no site.
/// The set's `as_of` is its ledger's, which the tables take (they give
/// none), or else today. A file kept elsewhere is copied, once.
fn join_tables(files: &mut [Cow<'_, SetFile>]) {
    let tables: Vec<(usize, Arc<Table>)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.loaded.is_ok())
        .filter_map(|(i, f)| Some((i, Arc::clone(f.table.as_ref()?))))
        .collect();
    if tables.is_empty() {
        return;
    }
    let ledger: Vec<&Dataset> = files
        .iter()
        .filter(|f| f.table.is_none())
        .filter_map(|f| f.loaded.as_ref().ok())
        .collect();
    let mut names = PartyNames::new(ledger.iter().flat_map(|d| {
        d.providers
            .iter()
            .chain(&d.subject_party)
            .chain(&d.other_subjects)
    }));
    let as_of = ledger
        .iter()
        .map(|d| d.as_of)
        .max()
        .unwrap_or_else(epoch::today);
    let joined = epoch::join(
        &tables.iter().map(|(_, t)| &**t).collect::<Vec<_>>(),
        &mut names,
    );
    for ((i, table), joined) in tables.iter().zip(joined) {
        let file = files[*i].to_mut();
        let text = file.text.as_deref().map_or("", String::as_str);
        file.loaded = match joined {
            Ok(joined) => Ok(epoch::dataset(table, joined, as_of).named(&file.name)),
            Err(problems) => Err(epoch::invalid(&file.name, text, problems)),
        };
    }
}

/// A file that failed alone may have failed only for naming what another
/// file defines: each such file is checked again, knowing what the others
/// define.
fn recheck(files: &mut [Cow<'_, SetFile>]) {
    // Alone, a file that failed has its verdict; in a set, any file that
    // failed is checked again knowing the others.
    let several = files.len() > 1;
    let again = |f: &SetFile| {
        f.text.is_some()
            && (f.deferred || several && matches!(f.loaded, Err(LoadError::Invalid { .. })))
    };
    if !files.iter().any(|f| again(f)) {
        return;
    }
    let known: Vec<Known> = map_in_parallel(files, |f| {
        let mut known = match (&f.loaded, &f.text) {
            (Ok(d), _) => known_of(d),
            (Err(_), Some(text)) => scan_known(text),
            (Err(_), None) => Known::default(),
        };
        // A table's sites are made when it is joined, but the set's deals
        // may name them already.
        if let Some(table) = &f.table {
            known.sites.extend(table.site_ids());
        }
        known
    });
    let indices: Vec<usize> = (0..files.len()).collect();
    let files_now: &[Cow<'_, SetFile>] = files;
    let again: Vec<Option<Result<Dataset, LoadError>>> = map_in_parallel(&indices, |&i| {
        let held = &files_now[i];
        let (true, Some(text)) = (again(held), &held.text) else {
            return None;
        };
        let mut others = Known::default();
        for (j, k) in known.iter().enumerate() {
            if j != i {
                others.extend(k);
            }
        }
        // The fast path first, as for a file on its own; the whole-file
        // check places the problems of a file that still fails.
        Some(match load_sections_with(text, &others) {
            Some(dataset) => Ok(dataset.named(&held.name)),
            None => load_refused(text, &held.name, others),
        })
    });
    for (held, loaded) in files.iter_mut().zip(again) {
        let Some(loaded) = loaded else {
            continue;
        };
        // A shared file is left as it is: the set gets a new result of its own.
        *held = Cow::Owned(SetFile {
            name: held.name.clone(),
            text: held.text.clone(),
            loaded,
            deferred: false,
            table: None,
        });
    }
}

/// A file's dataset in the pieces the merge takes: the small tables owned
/// (copied, if the dataset is shared), the large ones as they are.
struct Parts<'a> {
    meta: Meta,
    as_of: chrono::NaiveDate,
    files: Vec<FileInfo>,
    sources: Vec<Source>,
    providers: Vec<Party>,
    subject_party: Option<Party>,
    commitments: Cow<'a, [Commitment]>,
    capacities: Cow<'a, [Capacity]>,
    notes: Cow<'a, [Note]>,
    sites: Cow<'a, [Site]>,
    clusters: Cow<'a, [Cluster]>,
}

/// What a set takes from its first file.
struct Meta {
    title: String,
    subject: String,
    subject_id: Option<String>,
    summary: Option<String>,
}

impl<'a> Parts<'a> {
    fn of(d: Cow<'a, Dataset>) -> Parts<'a> {
        match d {
            Cow::Owned(d) => Parts {
                meta: Meta {
                    title: d.title,
                    subject: d.subject,
                    subject_id: d.subject_id,
                    summary: d.summary,
                },
                as_of: d.as_of,
                files: d.files,
                sources: d.sources,
                providers: d.providers,
                subject_party: d.subject_party,
                commitments: Cow::Owned(d.commitments),
                capacities: Cow::Owned(d.capacities),
                notes: Cow::Owned(d.notes),
                sites: Cow::Owned(d.sites),
                clusters: Cow::Owned(d.clusters),
            },
            Cow::Borrowed(d) => Parts {
                meta: Meta {
                    title: d.title.clone(),
                    subject: d.subject.clone(),
                    subject_id: d.subject_id.clone(),
                    summary: d.summary.clone(),
                },
                as_of: d.as_of,
                files: d.files.clone(),
                sources: d.sources.clone(),
                providers: d.providers.clone(),
                subject_party: d.subject_party.clone(),
                commitments: Cow::Borrowed(&d.commitments),
                capacities: Cow::Borrowed(&d.capacities),
                notes: Cow::Borrowed(&d.notes),
                sites: Cow::Borrowed(&d.sites),
                clusters: Cow::Borrowed(&d.clusters),
            },
        }
    }
}

/// Adds `records` to `into`, each marked by `mark` (with its file): moved
/// in one copy of the block if they are owned, else copied one by one.
fn gather<T: Clone>(into: &mut Vec<T>, records: Cow<'_, [T]>, mark: impl Fn(&mut T)) {
    match records {
        Cow::Owned(mut records) => {
            records.iter_mut().for_each(&mark);
            into.append(&mut records);
        }
        Cow::Borrowed(records) => into.extend(records.iter().map(|r| {
            let mut r = r.clone();
            mark(&mut r);
            r
        })),
    }
}

/// Commitment, milestone and note ids used in an earlier file, per file:
/// (kind, id, the file that has it first).
type Clashes = Vec<Vec<(&'static str, String, usize)>>;

/// The ids each file repeats from an earlier one, found before any record
/// is moved, so the tables borrow the ids rather than copy them.
fn clashes(datasets: &[Option<Cow<'_, Dataset>>]) -> Clashes {
    let mut clashes: Clashes = vec![Vec::new(); datasets.len()];
    let count = |f: fn(&Dataset) -> usize| datasets.iter().flatten().map(|d| f(d)).sum();
    let mut commitment_of: HashMap<&str, usize> =
        HashMap::with_capacity(count(|d| d.commitments.len()));
    let mut milestone_of: HashMap<&str, usize> = HashMap::new();
    let mut note_of: HashMap<&str, usize> = HashMap::new();
    let mut site_of: HashMap<&str, usize> = HashMap::new();
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    for (i, d) in datasets.iter().enumerate() {
        let Some(d) = d else { continue };
        for c in &d.commitments {
            first_use(
                &mut commitment_of,
                ("commitment", &c.id),
                i,
                &mut clashes[i],
            );
        }
        for m in d.capacities.iter().flat_map(|c| &c.milestones) {
            if let Some(id) = &m.id {
                first_use(&mut milestone_of, ("milestone", id), i, &mut clashes[i]);
            }
        }
        for n in &d.notes {
            if let Some(id) = &n.id {
                first_use(&mut note_of, ("note", id), i, &mut clashes[i]);
            }
        }
        for s in &d.sites {
            first_use(&mut site_of, ("site", &s.id), i, &mut clashes[i]);
        }
        for c in &d.clusters {
            first_use(&mut cluster_of, ("cluster", &c.id), i, &mut clashes[i]);
        }
    }
    clashes
}

/// Notes file `i`'s use of `id`: the first, or a clash with the first.
fn first_use<'a>(
    of: &mut HashMap<&'a str, usize>,
    (kind, id): (&'static str, &'a str),
    i: usize,
    clashes: &mut Vec<(&'static str, String, usize)>,
) {
    match of.get(id) {
        Some(&earlier) => clashes.push((kind, id.to_string(), earlier)),
        None => {
            of.insert(id, i);
        }
    }
}

/// The data compiled into the binary: every file of `data/`, in name
/// order, as `--data data` reads them. A new bundled file is one line here
/// (a test checks the list against the folder).
pub const BUNDLED_FILES: &[(&str, &str)] = &[
    (
        "data/anthropic.toml",
        include_str!("../../../../data/anthropic.toml"),
    ),
    (
        "data/capacity.toml",
        include_str!("../../../../data/capacity.toml"),
    ),
    (
        "data/chips.toml",
        include_str!("../../../../data/chips.toml"),
    ),
    (
        "data/markets.toml",
        include_str!("../../../../data/markets.toml"),
    ),
    ("data/meta.toml", include_str!("../../../../data/meta.toml")),
    (
        "data/microsoft.toml",
        include_str!("../../../../data/microsoft.toml"),
    ),
    (
        "data/nvidia.toml",
        include_str!("../../../../data/nvidia.toml"),
    ),
    (
        "data/openai-compute.toml",
        include_str!("../../../../data/openai-compute.toml"),
    ),
    (
        "data/openai-deals.toml",
        include_str!("../../../../data/openai-deals.toml"),
    ),
    (
        "data/parties.toml",
        include_str!("../../../../data/parties.toml"),
    ),
    (
        "data/sites.toml",
        include_str!("../../../../data/sites.toml"),
    ),
];

/// The bundled files, as a set.
pub fn bundled_set() -> SetOutcome {
    merge(SetFile::from_texts(
        BUNDLED_FILES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::load_whole_with;

    /// Reading each file of a set once and finishing it knowing the whole
    /// set gives what reading each alone and checking it again against the
    /// others gives: for the bundled set, and for a set with a broken file,
    /// whose problems stay placed as before.
    #[test]
    fn a_set_read_once_per_file_loads_as_a_set_checked_file_by_file() {
        let bundled: Vec<(String, String)> = BUNDLED_FILES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut broken = bundled.clone();
        broken[2].1 = broken[2].1.replacen("\nid = ", "\nid = 7 # ", 1);
        for (texts, fails) in [(bundled, false), (broken, true)] {
            let once = merge(SetFile::from_texts(texts.clone()));
            assert_eq!(once.files.iter().any(|f| f.result.is_err()), fails);
            let alone = merge(
                texts
                    .iter()
                    .map(|(name, text)| SetFile {
                        name: name.clone(),
                        loaded: load_whole_with(text, name, Known::default()),
                        text: Some(Arc::new(text.clone())),
                        deferred: false,
                        table: None,
                    })
                    .collect(),
            );
            assert_eq!(once.dataset, alone.dataset);
            let results = |o: &SetOutcome| -> Vec<String> {
                o.files
                    .iter()
                    .map(|f| match &f.result {
                        Ok(counts) => counts.line(),
                        Err(e) => e.report(),
                    })
                    .collect()
            };
            assert_eq!(results(&once), results(&alone));
        }
    }

    /// A file that leans on its set (the bundled ledger's files name the
    /// parties of `parties.toml`) is checked again knowing the others: by
    /// sections when it is plainly valid, with what the whole-file check
    /// gives.
    #[test]
    fn files_checked_against_their_set_take_the_fast_path_and_agree() {
        let files: Vec<SetFile> = BUNDLED_FILES
            .iter()
            .map(|(name, text)| SetFile::from_text(name, (*text).to_string()))
            .collect();
        let known: Vec<Known> = files
            .iter()
            .map(|f| match (&f.loaded, &f.text) {
                (Ok(d), _) => known_of(d),
                (Err(_), Some(text)) => scan_known(text),
                (Err(_), None) => Known::default(),
            })
            .collect();
        let mut fast = 0;
        for (i, file) in files.iter().enumerate() {
            let (Err(_), Some(text)) = (&file.loaded, &file.text) else {
                continue;
            };
            let mut others = Known::default();
            for (j, k) in known.iter().enumerate() {
                if j != i {
                    others.extend(k);
                }
            }
            // Sites and clusters are few and always take the whole path.
            if text.contains("\n[[sites]]") || text.contains("\n[[clusters]]") {
                assert!(load_sections_with(text, &others).is_none(), "{}", file.name);
                continue;
            }
            let mut others = Known::default();
            for (j, k) in known.iter().enumerate() {
                if j != i {
                    others.extend(k);
                }
            }
            let sections = load_sections_with(text, &others).map(|d| d.named(&file.name));
            let whole = load_whole_with(text, &file.name, others).ok();
            assert!(whole.is_some(), "{} loads in its set", file.name);
            assert_eq!(sections, whole, "{}", file.name);
            fast += 1;
        }
        assert!(fast >= 3, "only {fast} bundled files lean on the others");
        // Without the others, a file that names their parties is not read.
        let leaning = files
            .iter()
            .find(|f| f.loaded.is_err())
            .and_then(|f| f.text.as_deref());
        let leaning = leaning.expect("a bundled file leans on the others");
        assert!(load_sections_with(leaning, &Known::default()).is_none());
    }
}
