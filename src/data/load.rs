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
use crate::figure::{Figure, Kind};

/// Files above this are refused before parsing (the contract's limit).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The format versions this build reads.
pub const FORMATS: &[i64] = &[1];

/// Reads and validates a data file from disk.
pub fn load_file(path: &Path) -> Result<Dataset, LoadError> {
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
pub fn load_str(text: &str, file: &str) -> Result<Dataset, LoadError> {
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

struct Validator<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

/// A record's place in the file: its key path and span, for messages.
#[derive(Clone)]
struct At<'p> {
    path: &'p str,
    span: Range<usize>,
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
        if at.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", at.path)
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
        let bad =
            value.get_ref().chars().enumerate().find(|(_, c)| {
                c.is_control() && !(prose && (*c == '\n' || *c == '\t' || *c == '\r'))
            });
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

    fn text(&mut self, field: &raw::Text, at: &At, key: &str) -> Option<String> {
        let value = field.as_ref()?;
        self.clean(value, || Self::key(at, key), false);
        Some(value.get_ref().clone())
    }

    fn prose(&mut self, field: &raw::Text, at: &At, key: &str) -> Option<String> {
        let value = field.as_ref()?;
        self.clean(value, || Self::key(at, key), true);
        Some(value.get_ref().clone())
    }

    fn required(&mut self, field: &raw::Text, at: &At, key: &str, what: &str) -> Option<String> {
        if field.is_none() {
            self.missing(at, key, what);
        }
        self.text(field, at, key)
    }

    fn id(&mut self, field: &raw::Text, at: &At) -> Option<String> {
        let id = self.required(field, at, "id", "a string of a-z, 0-9 and -")?;
        let well_formed = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            let span = field.as_ref().map(|f| f.span()).unwrap_or(at.span.clone());
            self.problem(
                span,
                Self::key(at, "id"),
                format!("id {id:?} must be made of a-z, 0-9 and - only"),
            );
        }
        Some(id)
    }

    fn date(&mut self, field: &raw::Date, at: &At, key: &str) -> Option<NaiveDate> {
        let value = field.as_ref()?;
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

    fn required_date(&mut self, field: &raw::Date, at: &At, key: &str) -> Option<NaiveDate> {
        if field.is_none() {
            self.missing(at, key, "a TOML date like 2025-11-03");
        }
        self.date(field, at, key)
    }

    fn figure(&mut self, field: &raw::Text, at: &At, key: &str, kind: Kind) -> Option<Figure> {
        let value = field.as_ref()?;
        let path = || Self::key(at, key);
        self.clean(value, path, false);
        let text = value.get_ref();
        let expected = format!("expected {} like {}", kind.name(), kind.example());
        let figure = match Figure::parse(text) {
            Ok(figure) => figure,
            Err(e) => {
                self.problem(value.span(), path(), format!("{expected}: {e}"));
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
                    format!("{expected}, found {found} {text:?}"),
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

    fn word<T: Vocabulary>(&mut self, field: &raw::Text, at: &At, key: &str) -> Option<T> {
        let Some(value) = field.as_ref() else {
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

    fn cite(&mut self, source: &raw::Text, at_field: &raw::Text, at: &At, refs: &Refs) -> Cite {
        let source_id = self.text(source, at, "source");
        if let (Some(id), Some(field)) = (&source_id, source)
            && !refs.sources.contains_key(id.as_str())
        {
            self.problem(
                field.span(),
                Self::key(at, "source"),
                format!("no source with id {id:?} in [[sources]]"),
            );
        }
        Cite {
            source: source_id,
            at: self.text(at_field, at, "at"),
        }
    }

    fn provider_ref(&mut self, field: &raw::Text, at: &At, refs: &Refs) {
        if let Some(value) = field
            && !refs.providers.contains_key(value.get_ref().as_str())
        {
            self.problem(
                value.span(),
                Self::key(at, "provider"),
                format!("no provider with id {:?} in [[providers]]", value.get_ref()),
            );
        }
    }

    /// Records the id's first use; a second use is an error naming the first.
    fn unique<'r>(
        &mut self,
        seen: &mut HashMap<&'r str, String>,
        field: &'r raw::Text,
        path: &str,
    ) {
        let Some(value) = field else { return };
        let id = value.get_ref().as_str();
        if let Some(first) = seen.get(id) {
            let message = format!("duplicate id {id:?}, already used by {first}");
            self.problem(value.span(), format!("{path}.id"), message);
        } else {
            seen.insert(id, path.to_string());
        }
    }

    fn file(&mut self, file: raw::File) -> Option<Dataset> {
        let whole = At {
            path: "",
            span: 0..0,
        };
        match &file.format {
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

        let mut refs = Refs::default();
        for (i, source) in file.sources.iter().enumerate() {
            self.unique(
                &mut refs.sources,
                &source.get_ref().id,
                &format!("sources[{i}]"),
            );
        }
        for (i, provider) in file.providers.iter().enumerate() {
            let path = format!("providers[{i}]");
            self.unique(&mut refs.providers, &provider.get_ref().id, &path);
        }
        let mut commitment_ids = HashMap::new();
        for (i, commitment) in file.commitments.iter().enumerate() {
            let path = format!("commitments[{i}]");
            self.unique(&mut commitment_ids, &commitment.get_ref().id, &path);
        }

        let dataset_meta = match &file.dataset {
            Some(dataset) => {
                let at = At {
                    path: "dataset",
                    span: dataset.span(),
                };
                let d = dataset.get_ref();
                let title = self.required(&d.title, &at, "title", "a string");
                let subject = self.required(&d.subject, &at, "subject", "a string");
                let as_of = self.required_date(&d.as_of, &at, "as_of");
                let summary = self.prose(&d.summary, &at, "summary");
                Some((title, subject, as_of, summary))
            }
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

        let sources: Vec<Option<Source>> = file
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = format!("sources[{i}]");
                let at = At {
                    path: &path,
                    span: s.span(),
                };
                let s = s.get_ref();
                Some(Source {
                    id: self.id(&s.id, &at)?,
                    title: self.required(&s.title, &at, "title", "a string")?,
                    publisher: self.text(&s.publisher, &at, "publisher"),
                    published: self.date(&s.published, &at, "published"),
                    url: self.text(&s.url, &at, "url"),
                })
            })
            .collect();

        let providers: Vec<Option<Provider>> = file
            .providers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = format!("providers[{i}]");
                let at = At {
                    path: &path,
                    span: p.span(),
                };
                let p = p.get_ref();
                let id = self.id(&p.id, &at);
                let name = self.required(&p.name, &at, "name", "a string");
                let kind = self.word::<ProviderKind>(&p.kind, &at, "kind");
                let hardware: Vec<String> = p
                    .hardware
                    .iter()
                    .enumerate()
                    .map(|(j, h)| {
                        self.clean(h, || format!("{path}.hardware[{j}]"), false);
                        h.get_ref().clone()
                    })
                    .collect();
                let parent = self.text(&p.parent, &at, "parent");
                let summary = self.prose(&p.summary, &at, "summary");
                let cite = self.cite(&p.source, &p.at, &at, &refs);
                Some(Provider {
                    id: id?,
                    name: name?,
                    parent,
                    kind: kind?,
                    hardware,
                    summary,
                    cite,
                })
            })
            .collect();

        let commitments: Vec<Option<Commitment>> = file
            .commitments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let path = format!("commitments[{i}]");
                let at = At {
                    path: &path,
                    span: c.span(),
                };
                let c = c.get_ref();
                let id = self.id(&c.id, &at);
                let provider = self.required(&c.provider, &at, "provider", "a provider id");
                self.provider_ref(&c.provider, &at, &refs);
                let value = self.figure(&c.value, &at, "value", Kind::Money);
                let term = self.figure(&c.term, &at, "term", Kind::Duration);
                let announced = self.date(&c.announced, &at, "announced");
                let status = self.word::<Status>(&c.status, &at, "status");
                let online_by = self.date(&c.online_by, &at, "online_by");
                let summary = self.prose(&c.summary, &at, "summary");
                let cite = self.cite(&c.source, &c.at, &at, &refs);
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
            })
            .collect();

        let capacity = file.capacity.as_ref().map(|c| {
            let at = At {
                path: "capacity",
                span: c.span(),
            };
            let c = c.get_ref();
            let milestones = c
                .milestones
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let path = format!("capacity.milestones[{i}]");
                    let at = At {
                        path: &path,
                        span: m.span(),
                    };
                    let m = m.get_ref();
                    let date = self.required_date(&m.date, &at, "date");
                    let label = self.required(&m.label, &at, "label", "a string");
                    let provider = self.text(&m.provider, &at, "provider");
                    self.provider_ref(&m.provider, &at, &refs);
                    let cite = self.cite(&m.source, &m.at, &at, &refs);
                    Some(Milestone {
                        date: date?,
                        label: label?,
                        provider,
                        cite,
                    })
                })
                .collect::<Vec<_>>();
            Capacity {
                target: self.figure(&c.target, &at, "target", Kind::Power),
                target_cost: self.figure(&c.target_cost, &at, "target_cost", Kind::Money),
                build_rate: self.figure(&c.build_rate, &at, "build_rate", Kind::Rate),
                cost_per_gw: self.figure(&c.cost_per_gw, &at, "cost_per_gw", Kind::Money),
                homes_equivalent: self.figure(
                    &c.homes_equivalent,
                    &at,
                    "homes_equivalent",
                    Kind::Count,
                ),
                summary: self.prose(&c.summary, &at, "summary"),
                cite: self.cite(&c.source, &c.at, &at, &refs),
                milestones: milestones.into_iter().flatten().collect(),
            }
        });

        let notes: Vec<Option<Note>> = file
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let path = format!("notes[{i}]");
                let at = At {
                    path: &path,
                    span: n.span(),
                };
                let n = n.get_ref();
                let date = self.date(&n.date, &at, "date");
                let subject = self.required(&n.subject, &at, "subject", "a company or topic");
                let kind = self.word::<NoteKind>(&n.kind, &at, "kind");
                let headline = self.required(&n.headline, &at, "headline", "one line");
                let change = self.figure(&n.change, &at, "change", Kind::Percent);
                let amount = self.figure(&n.amount, &at, "amount", Kind::Money);
                let speaker = self.text(&n.speaker, &at, "speaker");
                let body = self.prose(&n.body, &at, "body");
                let cite = self.cite(&n.source, &n.at, &at, &refs);
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
            })
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
        })
    }
}

#[derive(Default)]
struct Refs<'f> {
    sources: HashMap<&'f str, String>,
    providers: HashMap<&'f str, String>,
}
