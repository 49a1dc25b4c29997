//! Validation: a raw file (`raw`) checked against the data contract and
//! turned into the `model`, every problem recorded with its place. Field
//! checks are here; `records` checks each kind of record and the whole file.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;

use super::FORMATS;
use super::error::{Problem, in_file_order};
use super::model::*;
use super::raw;
use crate::figure::{Figure, Kind};

mod records;

pub(super) use records::DatasetMeta;

/// "1" or "1, 2": the format versions this build reads, for messages.
pub(super) fn format_versions() -> String {
    FORMATS
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks records of one text, gathering problems. Positions are worked out
/// once, at the end (`problems`), so that many problems cost one pass.
pub(super) struct Validator<'t> {
    text: &'t str,
    problems: Vec<Problem>,
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

impl<'t> Validator<'t> {
    pub(super) fn new(text: &'t str) -> Validator<'t> {
        Validator {
            text,
            problems: Vec::new(),
        }
    }

    /// Nothing was wrong.
    pub(super) fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// What was wrong, in file order, each once, with lines and columns.
    pub(super) fn problems(self) -> Vec<Problem> {
        in_file_order(self.text, self.problems)
    }

    fn problem(&mut self, span: Range<usize>, path: String, message: String) {
        self.problems.push(Problem::at(span, path, message));
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
}
