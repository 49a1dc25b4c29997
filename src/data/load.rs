//! Reading a data file: size and encoding checks, the TOML parse, then
//! validation that reports every problem with file, line, column and key path.

use std::collections::HashMap;

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{LoadError, Problem};
use super::model::*;
use super::raw;
pub use super::sections::load_reader;
use super::sections::{load_sections, stream_sections};
use crate::figure::{Figure, Kind};

/// Files above this are refused before parsing (the contract's limit).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The format versions this build reads.
pub const FORMATS: &[i64] = &[1];

/// Reads and validates a data file from disk.
///
/// A valid file is read and checked a chunk at a time, so the whole text is
/// never in memory with the dataset (at 100k commitments the text is a third
/// of the peak). If that fails for any reason the file is read again whole,
/// and its problems reported as `load_bytes` reports them.
pub fn load_file(path: &Path) -> Result<Dataset, LoadError> {
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.len() <= MAX_FILE_BYTES
        && let Ok(file) = std::fs::File::open(path)
        && let Some(dataset) = stream_sections(file)
    {
        return Ok(dataset);
    }
    let bytes = read_file(path)?;
    load_bytes(&bytes, &path.display().to_string())
}

/// Reads a file's bytes, refusing it before reading if it is too large.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { file, size });
    }
    std::fs::read(path).map_err(io)
}

/// Validates bytes already in memory; `file` names them in messages.
pub fn load_bytes(bytes: &[u8], file: &str) -> Result<Dataset, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        // The valid prefix is text, so its lines and columns can be counted.
        let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = line_column(prefix, offset);
        LoadError::NotUtf8 {
            file: file.to_string(),
            offset,
            line,
            column,
        }
    })?;
    load_str(text, file)
}

/// Validates TOML text; `file` names it in messages.
///
/// A valid file is read a table at a time (`load_sections`), which keeps
/// memory near the size of the data instead of that of a syntax tree of the
/// whole file (14 times the file's size at 100k commitments). Anything that
/// is not plainly valid is then read whole, which finds and places every
/// problem, so messages do not depend on the path taken.
pub fn load_str(text: &str, file: &str) -> Result<Dataset, LoadError> {
    if let Some(dataset) = load_sections(text) {
        return Ok(dataset);
    }
    load_whole(text, file)
}

/// `load_str` by the whole-file parse alone. Tests and the fuzz target
/// check that it agrees with `load_str`.
#[doc(hidden)]
pub fn load_whole(text: &str, file: &str) -> Result<Dataset, LoadError> {
    let invalid = |problems| LoadError::Invalid {
        file: file.to_string(),
        source_text: text.to_string(),
        problems,
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut problems: Vec<Problem> = syntax
            .iter()
            .map(|e| toml_problem(text, e, String::new()))
            .collect();
        // The parser's recovery does not report in file order (an unclosed
        // string gives errors on the next line first); list them by position.
        problems.sort_by_key(|p| p.span.start);
        return Err(invalid(problems));
    }
    let deserializer = toml::de::Deserializer::from(root);
    let raw: raw::File = match serde::Deserialize::deserialize(deserializer) {
        Ok(raw) => raw,
        Err(e) => {
            let path = e
                .span()
                .map(|span| key_path_at(text, span.start))
                .unwrap_or_default();
            let mut problem = toml_problem(text, &e, path);
            // The contract: any `format` other than a supported version (a
            // string "1", a float 1.0) is an error naming the versions read.
            if problem.path == "format" {
                problem.message = format!(
                    "{}; this build of gigawatt reads format {}",
                    problem.message,
                    format_versions()
                );
            }
            return Err(invalid(vec![problem]));
        }
    };
    let mut validator = Validator {
        text,
        problems: Vec::new(),
    };
    let dataset = validator.file(raw);
    match dataset {
        Some(dataset) if validator.problems.is_empty() => Ok(dataset),
        _ => {
            let mut problems = validator.problems;
            problems.sort_by_key(|p| p.span.start);
            Err(invalid(problems))
        }
    }
}

/// "1" or "1, 2": the format versions this build reads, for messages.
fn format_versions() -> String {
    FORMATS
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn toml_problem(text: &str, e: &toml::de::Error, path: String) -> Problem {
    let span = e.span().unwrap_or(0..0);
    let (line, column) = line_column(text, span.start);
    Problem {
        line,
        column,
        path,
        message: friendly(e.message()),
        span,
    }
}

/// Serde's wording, made to speak the contract's language.
fn friendly(message: &str) -> String {
    let message = message.trim();
    if message.contains("expected a TOML datetime") || message.contains("expected a datetime") {
        return format!("{message}; write a TOML date without quotes, like 2025-11-03");
    }
    message.to_string()
}

/// The key path (`commitments[2].value`) of the innermost key or value at
/// `offset`. Only used on the error path, so a second parse is fine.
pub fn key_path_at(text: &str, offset: usize) -> String {
    let Ok(root) = DeTable::parse(text) else {
        return String::new();
    };
    let mut path = String::new();
    find_in_table(root.get_ref(), offset, &mut path);
    path
}

fn find_in_table(table: &DeTable<'_>, offset: usize, path: &mut String) -> bool {
    for (key, value) in table {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.get_ref());
        if find_in_value(value, offset, path) || key.span().contains(&offset) {
            return true;
        }
        path.truncate(len);
    }
    false
}

fn find_in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut String) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => {
            find_in_table(table, offset, path) || value.span().contains(&offset)
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                if find_in_value(item, offset, path) {
                    return true;
                }
                path.truncate(len);
            }
            value.span().contains(&offset)
        }
        _ => value.span().contains(&offset),
    }
}

pub(super) struct Validator<'t> {
    pub(super) text: &'t str,
    pub(super) problems: Vec<Problem>,
}

/// Where a record sits, for key paths in messages. Paths are only spelled
/// out when a problem is reported, so valid records cost no formatting.
#[derive(Clone, Copy)]
enum Place {
    Root,
    /// `dataset`, `capacity`.
    Table(&'static str),
    /// `commitments[2]`.
    Item(&'static str, usize),
}

/// A record's place in the file and its span, for messages.
struct At {
    place: Place,
    span: Range<usize>,
}

impl At {
    fn item(table: &'static str, i: usize, span: Range<usize>) -> At {
        At {
            place: Place::Item(table, i),
            span,
        }
    }
}

/// Ids seen so far, each with the position of its first record.
#[derive(Default)]
pub(super) struct Refs {
    sources: HashMap<String, usize>,
    providers: HashMap<String, usize>,
}

impl Validator<'_> {
    fn problem(&mut self, span: Range<usize>, path: String, message: String) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Problem {
            line,
            column,
            path,
            message,
            span,
        });
    }

    fn key(at: &At, key: &str) -> String {
        match at.place {
            Place::Root => key.to_string(),
            Place::Table(table) => format!("{table}.{key}"),
            Place::Item(table, i) => format!("{table}[{i}].{key}"),
        }
    }

    fn missing(&mut self, at: &At, key: &str, what: &str) {
        let path = Self::key(at, key);
        self.problem(
            at.span.clone(),
            path,
            format!("missing required key `{key}` ({what})"),
        );
    }

    /// Control characters would reach the terminal; prose may hold newlines
    /// and tabs, which the views lay out themselves.
    fn clean(&mut self, value: &Spanned<String>, path: impl FnOnce() -> String, prose: bool) {
        let allowed = |c: char| prose && (c == '\n' || c == '\t' || c == '\r');
        let text = value.get_ref();
        // Control characters are C0 and DEL, one byte each, and C1, which
        // UTF-8 writes as 0xC2 0x80-0x9F: a string with none of those bytes,
        // as nearly every one is, is clean.
        if !text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2)
            || !text.chars().any(|c| c.is_control() && !allowed(c))
        {
            return;
        }
        let bad = text
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control() && !allowed(*c));
        if let Some((index, c)) = bad {
            self.problem(
                value.span(),
                path(),
                format!(
                    "control character U+{:04X} at character {} of the string; \
                     strings are shown in a terminal and may not hold control characters",
                    c as u32,
                    index + 1
                ),
            );
        }
    }

    fn text(&mut self, field: raw::Text, at: &At, key: &str) -> Option<String> {
        let value = field?;
        self.clean(&value, || Self::key(at, key), false);
        Some(value.into_inner())
    }

    fn prose(&mut self, field: raw::Text, at: &At, key: &str) -> Option<String> {
        let value = field?;
        self.clean(&value, || Self::key(at, key), true);
        Some(value.into_inner())
    }

    fn required(&mut self, field: raw::Text, at: &At, key: &str, what: &str) -> Option<String> {
        if field.is_none() {
            self.missing(at, key, what);
        }
        self.text(field, at, key)
    }

    fn id(&mut self, field: raw::Text, at: &At) -> Option<String> {
        let span = field.as_ref().map(|f| f.span());
        let id = self.required(field, at, "id", "a string of a-z, 0-9 and -")?;
        let well_formed = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            self.problem(
                span.unwrap_or(at.span.clone()),
                Self::key(at, "id"),
                format!("id {id:?} must be made of a-z, 0-9 and - only"),
            );
        }
        Some(id)
    }

    fn date(&mut self, field: raw::Date, at: &At, key: &str) -> Option<NaiveDate> {
        let value = field?;
        let datetime = value.get_ref();
        let date = match (&datetime.date, &datetime.time) {
            (Some(date), None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            ),
            _ => None,
        };
        if date.is_none() {
            self.problem(
                value.span(),
                Self::key(at, key),
                format!("expected a date like 2025-11-03, found {datetime}"),
            );
        }
        date
    }

    fn required_date(&mut self, field: raw::Date, at: &At, key: &str) -> Option<NaiveDate> {
        if field.is_none() {
            self.missing(at, key, "a TOML date like 2025-11-03");
        }
        self.date(field, at, key)
    }

    fn figure(&mut self, field: raw::Text, at: &At, key: &str, kind: Kind) -> Option<Figure> {
        let value = field?;
        let path = || Self::key(at, key);
        self.clean(&value, path, false);
        let text = value.get_ref();
        let expected = || format!("expected {} like {}", kind.name(), kind.example());
        let figure = match Figure::parse(text) {
            Ok(figure) => figure,
            Err(e) => {
                self.problem(value.span(), path(), format!("{}: {e}", expected()));
                return None;
            }
        };
        match figure.kind() {
            Some(found) if found == kind => {}
            found => {
                let found = found.map_or("a figure", Kind::name);
                self.problem(
                    value.span(),
                    path(),
                    format!("{}, found {found} {text:?}", expected()),
                );
                return None;
            }
        }
        if kind != Kind::Percent && figure.value < 0.0 {
            self.problem(
                value.span(),
                path(),
                format!("{} cannot be negative: {text:?}", kind.name()),
            );
            return None;
        }
        Some(figure)
    }

    fn word<T: Vocabulary>(&mut self, field: raw::Text, at: &At, key: &str) -> Option<T> {
        let Some(value) = field else {
            self.missing(at, key, &format!("one of {}", T::expected()));
            return None;
        };
        let found = T::from_word(value.get_ref());
        if found.is_none() {
            self.problem(
                value.span(),
                Self::key(at, key),
                format!(
                    "expected one of {}, found {:?}",
                    T::expected(),
                    value.get_ref()
                ),
            );
        }
        found
    }

    /// A record's source and locator; the source must exist when `refs` is
    /// given (the sectioned load checks references at the end instead).
    fn cite(
        &mut self,
        source: raw::Text,
        at_field: raw::Text,
        at: &At,
        refs: Option<&Refs>,
    ) -> Cite {
        let span = source.as_ref().map(|f| f.span());
        let source_id = self.text(source, at, "source");
        if let (Some(refs), Some(id), Some(span)) = (refs, &source_id, span)
            && !refs.sources.contains_key(id.as_str())
        {
            self.problem(
                span,
                Self::key(at, "source"),
                format!("no source with id {id:?} in [[sources]]"),
            );
        }
        Cite {
            source: source_id,
            at: self.text(at_field, at, "at"),
        }
    }

    fn provider_ref(
        &mut self,
        value: Option<&str>,
        span: Option<Range<usize>>,
        at: &At,
        refs: Option<&Refs>,
    ) {
        if let (Some(refs), Some(value), Some(span)) = (refs, value, span)
            && !refs.providers.contains_key(value)
        {
            self.problem(
                span,
                Self::key(at, "provider"),
                format!("no provider with id {value:?} in [[providers]]"),
            );
        }
    }

    /// Records the id's first use; a second use is an error naming the first.
    fn unique(
        &mut self,
        seen: &mut HashMap<String, usize>,
        field: &raw::Text,
        table: &'static str,
        i: usize,
    ) {
        let Some(value) = field else { return };
        let id = value.get_ref().as_str();
        if let Some(first) = seen.get(id) {
            let message = format!("duplicate id {id:?}, already used by {table}[{first}]");
            self.problem(value.span(), format!("{table}[{i}].id"), message);
        } else {
            seen.insert(id.to_string(), i);
        }
    }

    pub(super) fn dataset_meta(&mut self, dataset: Spanned<raw::Dataset>) -> Meta {
        let at = At {
            place: Place::Table("dataset"),
            span: dataset.span(),
        };
        let d = dataset.into_inner();
        let title = self.required(d.title, &at, "title", "a string");
        let subject = self.required(d.subject, &at, "subject", "a string");
        let as_of = self.required_date(d.as_of, &at, "as_of");
        let summary = self.prose(d.summary, &at, "summary");
        (title, subject, as_of, summary)
    }

    pub(super) fn source(&mut self, i: usize, s: Spanned<raw::Source>) -> Option<Source> {
        let at = At::item("sources", i, s.span());
        let s = s.into_inner();
        Some(Source {
            id: self.id(s.id, &at)?,
            title: self.required(s.title, &at, "title", "a string")?,
            publisher: self.text(s.publisher, &at, "publisher"),
            published: self.date(s.published, &at, "published"),
            url: self.text(s.url, &at, "url"),
        })
    }

    pub(super) fn provider(
        &mut self,
        i: usize,
        p: Spanned<raw::Provider>,
        refs: Option<&Refs>,
    ) -> Option<Provider> {
        let at = At::item("providers", i, p.span());
        let p = p.into_inner();
        let id = self.id(p.id, &at);
        let name = self.required(p.name, &at, "name", "a string");
        let kind = self.word::<ProviderKind>(p.kind, &at, "kind");
        let hardware: Vec<String> = p
            .hardware
            .into_iter()
            .enumerate()
            .map(|(j, h)| {
                self.clean(&h, || format!("{}[{j}]", Self::key(&at, "hardware")), false);
                h.into_inner()
            })
            .collect();
        let parent = self.text(p.parent, &at, "parent");
        let summary = self.prose(p.summary, &at, "summary");
        let cite = self.cite(p.source, p.at, &at, refs);
        Some(Provider {
            id: id?,
            name: name?,
            parent,
            kind: kind?,
            hardware,
            summary,
            cite,
        })
    }

    pub(super) fn commitment(
        &mut self,
        i: usize,
        c: Spanned<raw::Commitment>,
        refs: Option<&Refs>,
    ) -> Option<Commitment> {
        let at = At::item("commitments", i, c.span());
        let c = c.into_inner();
        let id = self.id(c.id, &at);
        let provider_span = c.provider.as_ref().map(|p| p.span());
        let provider = self.required(c.provider, &at, "provider", "a provider id");
        self.provider_ref(provider.as_deref(), provider_span, &at, refs);
        let value = self.figure(c.value, &at, "value", Kind::Money);
        let term = self.figure(c.term, &at, "term", Kind::Duration);
        let announced = self.date(c.announced, &at, "announced");
        let status = self.word::<Status>(c.status, &at, "status");
        let online_by = self.date(c.online_by, &at, "online_by");
        let summary = self.prose(c.summary, &at, "summary");
        let cite = self.cite(c.source, c.at, &at, refs);
        Some(Commitment {
            id: id?,
            provider: provider?,
            value,
            term,
            announced,
            status: status?,
            online_by,
            summary,
            cite,
        })
    }

    pub(super) fn milestone(
        &mut self,
        i: usize,
        m: Spanned<raw::Milestone>,
        refs: Option<&Refs>,
    ) -> Option<Milestone> {
        let at = At::item("capacity.milestones", i, m.span());
        let m = m.into_inner();
        let date = self.required_date(m.date, &at, "date");
        let label = self.required(m.label, &at, "label", "a string");
        let provider_span = m.provider.as_ref().map(|p| p.span());
        let provider = self.text(m.provider, &at, "provider");
        self.provider_ref(provider.as_deref(), provider_span, &at, refs);
        let cite = self.cite(m.source, m.at, &at, refs);
        Some(Milestone {
            date: date?,
            label: label?,
            provider,
            cite,
        })
    }

    /// The capacity block; its milestones are checked first, as they come
    /// first in the block's data.
    pub(super) fn capacity(&mut self, c: Spanned<raw::Capacity>, refs: Option<&Refs>) -> Capacity {
        let at = At {
            place: Place::Table("capacity"),
            span: c.span(),
        };
        let c = c.into_inner();
        let milestones = c
            .milestones
            .into_iter()
            .enumerate()
            .map(|(i, m)| self.milestone(i, m, refs))
            .collect::<Vec<_>>();
        Capacity {
            target: self.figure(c.target, &at, "target", Kind::Power),
            target_cost: self.figure(c.target_cost, &at, "target_cost", Kind::Money),
            build_rate: self.figure(c.build_rate, &at, "build_rate", Kind::Rate),
            cost_per_gw: self.figure(c.cost_per_gw, &at, "cost_per_gw", Kind::Money),
            homes_equivalent: self.figure(c.homes_equivalent, &at, "homes_equivalent", Kind::Count),
            summary: self.prose(c.summary, &at, "summary"),
            cite: self.cite(c.source, c.at, &at, refs),
            milestones: milestones.into_iter().flatten().collect(),
        }
    }

    pub(super) fn note(
        &mut self,
        i: usize,
        n: Spanned<raw::Note>,
        refs: Option<&Refs>,
    ) -> Option<Note> {
        let at = At::item("notes", i, n.span());
        let n = n.into_inner();
        let date = self.date(n.date, &at, "date");
        let subject = self.required(n.subject, &at, "subject", "a company or topic");
        let kind = self.word::<NoteKind>(n.kind, &at, "kind");
        let headline = self.required(n.headline, &at, "headline", "one line");
        let change = self.figure(n.change, &at, "change", Kind::Percent);
        let amount = self.figure(n.amount, &at, "amount", Kind::Money);
        let speaker = self.text(n.speaker, &at, "speaker");
        let body = self.prose(n.body, &at, "body");
        let cite = self.cite(n.source, n.at, &at, refs);
        Some(Note {
            date,
            subject: subject?,
            kind: kind?,
            headline: headline?,
            change,
            amount,
            speaker,
            body,
            cite,
        })
    }

    fn format(&mut self, format: &Option<Spanned<i64>>) {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        match format {
            None => self.missing(&whole, "format", "the format version: format = 1"),
            Some(format) if !FORMATS.contains(format.get_ref()) => {
                let versions = format_versions();
                self.problem(
                    format.span(),
                    "format".into(),
                    format!(
                        "unsupported format {}; this build of gigawatt reads format {versions}",
                        format.get_ref()
                    ),
                );
            }
            Some(_) => {}
        }
    }

    /// The whole file at once: every problem, each with its place.
    fn file(&mut self, file: raw::File) -> Option<Dataset> {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        self.format(&file.format);

        let mut refs = Refs::default();
        for (i, source) in file.sources.iter().enumerate() {
            self.unique(&mut refs.sources, &source.get_ref().id, "sources", i);
        }
        for (i, provider) in file.providers.iter().enumerate() {
            self.unique(&mut refs.providers, &provider.get_ref().id, "providers", i);
        }
        let mut commitment_ids = HashMap::new();
        for (i, commitment) in file.commitments.iter().enumerate() {
            self.unique(
                &mut commitment_ids,
                &commitment.get_ref().id,
                "commitments",
                i,
            );
        }
        drop(commitment_ids);

        let dataset_meta = match file.dataset {
            Some(dataset) => Some(self.dataset_meta(dataset)),
            None => {
                self.missing(
                    &whole,
                    "dataset",
                    "a [dataset] table with title, subject, as_of",
                );
                None
            }
        };

        if file.sources.is_empty() {
            self.missing(&whole, "sources", "at least one [[sources]] entry");
        }
        if file.providers.is_empty() {
            self.missing(&whole, "providers", "at least one [[providers]] entry");
        }

        let refs = Some(&refs);
        let sources: Vec<Option<Source>> = file
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.source(i, s))
            .collect();
        let providers: Vec<Option<Provider>> = file
            .providers
            .into_iter()
            .enumerate()
            .map(|(i, p)| self.provider(i, p, refs))
            .collect();
        let commitments: Vec<Option<Commitment>> = file
            .commitments
            .into_iter()
            .enumerate()
            .map(|(i, c)| self.commitment(i, c, refs))
            .collect();
        let capacity = file.capacity.map(|c| self.capacity(c, refs));
        let notes: Vec<Option<Note>> = file
            .notes
            .into_iter()
            .enumerate()
            .map(|(i, n)| self.note(i, n, refs))
            .collect();

        let (title, subject, as_of, summary) = dataset_meta?;
        Some(Dataset {
            title: title?,
            subject: subject?,
            as_of: as_of?,
            summary,
            sources: sources.into_iter().collect::<Option<_>>()?,
            providers: providers.into_iter().collect::<Option<_>>()?,
            commitments: commitments.into_iter().collect::<Option<_>>()?,
            capacity,
            notes: notes.into_iter().collect::<Option<_>>()?,
            lookup: Lookup::default(),
        })
    }
}

/// `[dataset]`'s title, subject, as_of and summary, as far as they are valid.
pub(super) type Meta = (
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    Option<String>,
);

/// The generator of `cargo run --example gen`, for the tests below.
#[cfg(test)]
#[allow(dead_code)] // its `main` and helpers
#[path = "../../examples/gen.rs"]
mod generator;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sections::scan_headers;
    use std::io::Read;

    use super::generator;

    const BASE: &str = r#"format = 1

[dataset]
title = "Test compute"
subject = "TestCo"
as_of = 2025-11-03

[[sources]]
id = "report"
title = "A report"

[[providers]]
id = "cloud-a"
name = "Cloud A"
kind = "hyperscaler"

[[commitments]]
id = "deal-a"
provider = "cloud-a"
value = "$38bn"
status = "signed"
source = "report"

[capacity]
target = "30 GW"

[[capacity.milestones]]
date = 2026-12-31
label = "Online"
provider = "cloud-a"

[[notes]]
subject = "Cloud A"
kind = "stock"
headline = "Shares rise"
"#;

    /// A reader that hands out a few bytes at a time, to cut sections
    /// anywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            self.step = self.step % 7 + 1;
            Ok(n)
        }
    }

    /// Every way in reads the same: by sections, streamed, and whole.
    fn agree(text: &str) -> Option<Dataset> {
        let whole = load_whole(text, "t.toml").ok();
        let sections = load_sections(text);
        if sections.is_some() {
            assert_eq!(sections, whole, "sections differ from whole:\n{text}");
        }
        // Byte-by-byte reads rescan the pending section (quadratic): only on
        // small texts; larger ones in odd-sized reads that still cut headers.
        let step = if text.len() < 8192 { 1 } else { 4093 };
        let streamed = stream_sections(Trickle {
            bytes: text.as_bytes(),
            step,
        });
        assert_eq!(
            streamed, sections,
            "streamed differs from sections:\n{text}"
        );
        assert_eq!(load_str(text, "t.toml").ok(), whole);
        whole
    }

    #[test]
    fn the_paths_agree_on_generated_and_bundled_files() {
        assert!(load_sections(super::super::BUNDLED).is_some());
        agree(super::super::BUNDLED).expect("bundled loads");
        for (n, seed) in [(0, 1), (1, 2), (10, 3), (300, 4), (600, 5)] {
            let text = generator::generate(n, seed);
            let sections = load_sections(&text).expect("generated files take the fast path");
            assert_eq!(sections.commitments.len(), n);
            assert_eq!(Some(sections), load_whole(&text, "gen.toml").ok());
        }
        let text = generator::generate(200, 9);
        agree(&text).expect("generated loads");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        assert!(load_sections(&windows).is_some());
        agree(&windows).expect("CRLF and BOM load");
    }

    #[test]
    fn layouts_the_sections_do_not_read_still_load_whole() {
        let inline = BASE.replace("[[sources]]\nid = \"report\"\ntitle = \"A report\"\n", "");
        let inline = inline.replace(
            "format = 1\n",
            "format = 1\nsources = [{ id = \"report\", title = \"A report\" }]\n",
        );
        let cases = [
            // Inline records.
            inline,
            // Milestones before their table.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", "")
                + "\n[capacity]\ntarget = \"30 GW\"\n",
            // Milestones with no `[capacity]` at all.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", ""),
            // Headers quoted and spaced, comments after them.
            BASE.replace("[[notes]]", "[[ \"notes\" ]] # market"),
            // Strings that look like headers.
            BASE.replace(
                "headline = \"Shares rise\"",
                "headline = \"Shares [[rise]]\"\nbody = \"\"\"\n[[commitments]]\nid = 'x'\n\"\"\"",
            ),
            BASE.replace(
                "headline = \"Shares rise\"",
                "headline = 'it is [x]'\nbody = '''\n[dataset]\n'''",
            ),
            // A value spanning lines whose lines start with `[` (valid TOML,
            // if not valid data: the scan must not cut it).
            BASE.replace(
                "kind = \"hyperscaler\"",
                "kind = \"hyperscaler\"\nhardware = [\n[\"a\"],\n  [ \"b\" ]\n]",
            ),
            BASE.replace(
                "kind = \"hyperscaler\"",
                "kind = \"hyperscaler\"\nhardware = [\n\"a\", # [x]\n\"b\"\n]",
            ),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_eq!(agree(text).is_some(), i != 6, "case {i}:\n{text}");
        }
        assert!(load_sections(&cases[3]).is_some());
        assert!(load_sections(&cases[5]).is_some());
        assert_eq!(
            agree(&cases[4]).unwrap().notes[0].body.as_deref(),
            Some("[[commitments]]\nid = 'x'\n")
        );
    }

    #[test]
    fn what_toml_forbids_across_sections_is_never_read_by_sections() {
        let cases = [
            // A static array, then an array of tables of the same name.
            BASE.replace("format = 1\n", "format = 1\ncommitments = []\n"),
            // `[capacity]` setting `milestones`, then appending to it.
            BASE.replace(
                "target = \"30 GW\"\n",
                "target = \"30 GW\"\nmilestones = []\n",
            ),
            // A table defined twice.
            BASE.to_string() + "\n[dataset]\ntitle = \"Again\"\n",
            BASE.to_string() + "\n[capacity]\ntarget = \"1 GW\"\n",
            // A table extending an inline one.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", "")
                .replace(
                    "format = 1\n",
                    "format = 1\ncapacity = { target = \"30 GW\" }\n",
                ),
            // Keys of the root after a header, and a root table by dotted keys.
            BASE.replace("format = 1\n", "") + "\nformat = 1\n",
            BASE.replace("format = 1\n", "format = 1\ndataset.title = \"x\"\n"),
            // Sub-tables of records.
            BASE.to_string() + "\n[commitments.extra]\nx = 1\n",
            BASE.to_string() + "\n[[providers.hardware]]\nx = 1\n",
            // An unterminated string that swallows a header.
            BASE.replace("title = \"A report\"", "title = \"A report"),
            BASE.replace("title = \"A report\"", "title = \"\"\"A report"),
            // Duplicates and dangling references.
            BASE.replace("id = \"deal-a\"", "id = \"report\"")
                + "\n[[sources]]\nid = \"report\"\ntitle = \"B\"\n",
            BASE.replace(
                "provider = \"cloud-a\"\nvalue",
                "provider = \"nobody\"\nvalue",
            ),
            BASE.replace("source = \"report\"", "source = \"elsewhere\""),
            BASE.replace("format = 1", "format = 2"),
        ];
        for text in &cases {
            assert!(load_sections(text).is_none(), "read by sections:\n{text}");
            assert!(agree(text).is_none(), "loads:\n{text}");
        }
    }

    #[test]
    fn the_scan_finds_headers_and_only_headers() {
        let text = "a = [\n[1],\n  [2]\n] # [c]\n  [t] # x\nb = \"\"\"\n[u]\n\"\"\"\n\
                    c = '''\n[v]'''\nd = { e = [\n[3]] }\n[[w]]\n[x]";
        let mut starts = Vec::new();
        assert_eq!(
            scan_headers(text.as_bytes(), 0, true, &mut starts),
            text.len()
        );
        let lines: Vec<&str> = starts
            .iter()
            .map(|&s| text[s..].lines().next().unwrap_or_default())
            .collect();
        assert_eq!(lines, ["  [t] # x", "[[w]]", "[x]"]);
        // Without the end of the file, the last line may go on.
        let mut starts = Vec::new();
        let cut = text.len() - 1;
        let done = scan_headers(&text.as_bytes()[..cut], 0, false, &mut starts);
        assert_eq!(starts.len(), 2);
        assert_eq!(&text[done..], "[x]");
    }

    #[test]
    fn a_header_cut_by_a_read_waits_for_the_rest() {
        // Byte-sized reads on a small file (each read rescans the pending
        // section, so this is quadratic), larger ones on a larger file.
        let small = generator::generate(5, 11);
        let large = generator::generate(50, 11);
        for (text, step) in [
            (&small, 1),
            (&small, 2),
            (&small, 3),
            (&large, 64),
            (&large, 4096),
        ] {
            let streamed = stream_sections(Trickle {
                bytes: text.as_bytes(),
                step,
            });
            assert_eq!(streamed, load_sections(text), "step {step}");
        }
        // Not UTF-8, or too long a section: the caller reads the file whole.
        let mut bytes = BASE.as_bytes().to_vec();
        bytes.extend_from_slice(b"\n[[notes]]\nsubject = \"\xff\"\n");
        assert!(stream_sections(bytes.as_slice()).is_none());
    }
}
