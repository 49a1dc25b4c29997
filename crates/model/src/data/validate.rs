//! Validation: a parsed file (`raw`) checked against the data contract and
//! turned into the `model`, every problem recorded with its place. Field
//! checks are here; `records` checks each kind of record and the whole file.
//!
//! Values are read from the TOML reader's tree by hand, so that a misspelt
//! key, a value of the wrong type, a bad word and a dangling reference are
//! all reported in one pass. Format 1 files are held to format 1's rules: a
//! key, word or form that only format 2 has is an error saying so.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeValue;

use super::FORMATS;
use super::error::{Problem, in_file_order};
use super::model::*;
use super::raw::{self, Keys, Rec, Value};
use crate::figure::{Figure, HedgedDate, Kind, envelope};
use crate::text::find_invisible;

mod records;
mod sites;

pub(super) use records::{DatasetMeta, assemble};

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
    /// The rules in force: 1 for a format 1 file, else 2 (an unreadable
    /// `format` is reported, and the rest checked by the wider rules).
    format: i64,
    /// What the other files of a set define (empty for a file on its own).
    others: Known,
    /// The ids records name others by, one `Id` each. The sectioned load
    /// hands it from one section's validator to the next.
    pub(super) ids: Interner,
}

/// Where a record sits, for key paths in messages. Paths are only spelled
/// out when a problem is reported, so valid records cost no formatting.
#[derive(Clone)]
enum Place {
    Root,
    /// `dataset`, `capacity`.
    Table(&'static str),
    /// `commitments[2]`.
    Item(&'static str, usize),
    /// `capacity[1].milestones[0]`.
    SubItem(&'static str, usize, &'static str, usize),
    /// The `j`th element of a record's array field (`commitments[0].value[1]`),
    /// spelled out only if a problem is reported.
    Element(Box<Place>, &'static str, usize),
}

/// A record's place in the file and its span, for messages.
#[derive(Clone)]
pub(super) struct At {
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

    /// Format 1's `capacity.milestones[i]`.
    pub(super) fn milestone(i: usize, span: Range<usize>) -> At {
        At::item("capacity.milestones", i, span)
    }

    /// The place of the `j`th element of the array at `key`.
    fn element(&self, key: &'static str, j: usize, span: Range<usize>) -> At {
        At {
            place: Place::Element(Box::new(self.place.clone()), key, j),
            span,
        }
    }
}

/// A string value and its span.
#[derive(Clone)]
struct Str<'r> {
    text: &'r str,
    span: Range<usize>,
}

/// Ids seen so far, each with the place of its first record.
#[derive(Default)]
pub(super) struct Refs {
    sources: HashMap<String, usize>,
    /// Parties written in the file, with the table they are in.
    parties: HashMap<String, (&'static str, usize)>,
    commitments: HashSet<String>,
    /// The file's sites, which a deal's `sites` names.
    pub(super) sites: HashSet<String>,
    /// The file's subject as a party id, if it has one.
    subject: Option<String>,
    /// Ids the other files of a set define, which references may name too.
    pub(super) others: Known,
}

/// The ids a file defines that references in other files of a set may
/// name: sources, parties (a format 1 subject's too), commitments and sites.
#[derive(Debug, Default, Clone)]
pub(in crate::data) struct Known {
    pub sources: HashSet<String>,
    pub parties: HashSet<String>,
    pub commitments: HashSet<String>,
    pub sites: HashSet<String>,
}

impl Known {
    /// What a file defines, from its sources, the ids of its parties (a
    /// format 1 subject's among them) and of its deals.
    pub(in crate::data) fn of<'a>(
        sources: &[Source],
        parties: impl IntoIterator<Item = &'a str>,
        deals: impl IntoIterator<Item = &'a str>,
    ) -> Known {
        let mut known = Known::default();
        known.add(sources, parties, deals);
        known
    }

    /// Adds what a file defines, as `of` gathers it.
    pub(in crate::data) fn add<'a>(
        &mut self,
        sources: &[Source],
        parties: impl IntoIterator<Item = &'a str>,
        deals: impl IntoIterator<Item = &'a str>,
    ) {
        self.sources.extend(sources.iter().map(|s| s.id.clone()));
        self.parties.extend(parties.into_iter().map(str::to_string));
        self.commitments
            .extend(deals.into_iter().map(str::to_string));
    }

    /// Adds what `other` knows.
    pub(in crate::data) fn extend(&mut self, other: &Known) {
        self.sources.extend(other.sources.iter().cloned());
        self.parties.extend(other.parties.iter().cloned());
        self.commitments.extend(other.commitments.iter().cloned());
        self.sites.extend(other.sites.iter().cloned());
    }
}

impl Refs {
    fn has_source(&self, id: &str) -> bool {
        self.sources.contains_key(id) || self.others.sources.contains(id)
    }

    /// Whether this file is read as one of a set with other files.
    pub(super) fn has_others(&self) -> bool {
        !(self.others.sources.is_empty()
            && self.others.parties.is_empty()
            && self.others.commitments.is_empty()
            && self.others.sites.is_empty())
    }

    fn has_party(&self, id: &str) -> bool {
        self.parties.contains_key(id) || self.others.parties.contains(id)
    }

    fn has_commitment(&self, id: &str) -> bool {
        self.commitments.contains(id) || self.others.commitments.contains(id)
    }

    fn has_site(&self, id: &str) -> bool {
        self.sites.contains(id) || self.others.sites.contains(id)
    }
}

impl<'t> Validator<'t> {
    /// A validator of format 1's rules, as the sectioned load uses.
    pub(super) fn new(text: &'t str) -> Validator<'t> {
        Validator {
            text,
            problems: Vec::new(),
            format: 1,
            others: Known::default(),
            ids: Interner::default(),
        }
    }

    /// A validator of `format`'s rules (1, or 2), as the sectioned load
    /// uses once the file has said which it is.
    pub(super) fn for_format(text: &'t str, format: i64) -> Validator<'t> {
        Validator {
            format,
            ..Validator::new(text)
        }
    }

    /// A validator whose references may also name what `others` defines.
    pub(super) fn with_others(text: &'t str, others: Known) -> Validator<'t> {
        Validator {
            others,
            ..Validator::new(text)
        }
    }

    /// Nothing was wrong.
    pub(super) fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// What was wrong so far, as found, placed in this validator's text and
    /// not yet in file order; the validator is clean after.
    pub(super) fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    /// What was wrong, in file order, each once, with lines and columns.
    pub(super) fn problems(self) -> Vec<Problem> {
        in_file_order(self.text, self.problems)
    }

    fn problem(&mut self, span: Range<usize>, path: String, message: String) {
        self.problems.push(Problem::at(span, path, message));
    }

    fn key(at: &At, key: &str) -> String {
        Self::key_in(&at.place, key)
    }

    fn key_in(place: &Place, key: &str) -> String {
        match place {
            Place::Root => key.to_string(),
            Place::Table(table) => format!("{table}.{key}"),
            Place::Item(table, i) => format!("{table}[{i}].{key}"),
            Place::SubItem(table, i, sub, j) => format!("{table}[{i}].{sub}[{j}].{key}"),
            Place::Element(record, field, j) => {
                format!("{}[{j}].{key}", Self::key_in(record, field))
            }
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

    fn wrong_type(&mut self, value: &Value<'_>, path: String, expected: &str) {
        let found = raw::describe(value.get_ref());
        self.problem(
            value.span(),
            path,
            format!("expected {expected}, found {found}"),
        );
    }

    fn needs_format_2(&self, what: &str) -> String {
        format!(
            "{what} needs format = 2; this file says format = {}",
            self.format
        )
    }

    /// Reports keys the record may not have in this format.
    fn keys(&mut self, rec: &Rec<'_, '_>, at: &At, keys: &Keys) {
        // Nearly every record's keys are all allowed: checked from the
        // record's array of names, without walking the table's map, which
        // is only walked to report the others with their spans.
        let format = self.format;
        let allowed = |name: &str| {
            keys.format1.iter().any(|k| raw::same(k, name))
                || format != 1 && keys.format2.iter().any(|k| raw::same(k, name))
        };
        if rec
            .key_names()
            .is_some_and(|names| names.iter().all(|n| allowed(n)))
        {
            return;
        }
        for key in rec.table.keys() {
            let name: &str = key.get_ref();
            if keys.format1.iter().any(|k| raw::same(k, name)) {
                continue;
            }
            let known_later = keys.format2.iter().any(|k| raw::same(k, name));
            if known_later && self.format != 1 {
                continue;
            }
            let message = if known_later {
                self.needs_format_2(&format!("`{name}`"))
            } else {
                let all: Vec<String> = keys
                    .format1
                    .iter()
                    .chain(if self.format == 1 {
                        &[][..]
                    } else {
                        keys.format2
                    })
                    .map(|k| format!("`{k}`"))
                    .collect();
                format!("unknown field `{name}`, expected one of {}", all.join(", "))
            };
            self.problem(key.span(), Self::key(at, name), message);
        }
    }

    fn string<'r>(&mut self, rec: &Rec<'r, '_>, at: &At, key: &str) -> Option<Str<'r>> {
        let value = rec.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Str {
                text: s.as_ref(),
                span: value.span(),
            }),
            _ => {
                self.wrong_type(value, Self::key(at, key), "a string");
                None
            }
        }
    }

    /// Control characters would reach the terminal; prose may hold newlines
    /// and tabs, which the views lay out themselves.
    fn clean(&mut self, value: &Str<'_>, path: &dyn Fn() -> String, prose: bool) {
        let allowed = |c: char| prose && (c == '\n' || c == '\t' || c == '\r');
        let text = value.text;
        // Control characters are C0 and DEL, one byte each, and C1, which
        // UTF-8 writes as 0xC2 0x80-0x9F: a string with none of those bytes,
        // as nearly every one is, is clean.
        if !may_hold_control(text.as_bytes())
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
                value.span.clone(),
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

    /// Ids, names and figures may not hold invisible characters (bidi
    /// controls, zero-width and other format characters): they make text
    /// read differently from what it holds. Reported where the character is
    /// written, escape or not. Whether one was found.
    fn visible(&mut self, value: &Str<'_>, path: &dyn Fn() -> String) -> bool {
        if value.text.is_ascii() {
            return true;
        }
        let Some(found) = find_invisible(value.text) else {
            return true;
        };
        let literal = self.text.get(value.span.clone()).unwrap_or_default();
        let span = match written_at(literal, found.index) {
            Some((offset, len)) => value.span.start + offset..value.span.start + offset + len,
            None => value.span.clone(),
        };
        self.problem(
            span,
            path(),
            format!(
                "invisible character {} at character {} of the string; ids, names and \
                 figures may not hold invisible characters, which make text read \
                 differently from what it holds",
                found.describe(),
                found.index + 1
            ),
        );
        false
    }

    fn text(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<String> {
        let value = self.string(rec, at, key)?;
        self.clean(&value, &|| Self::key(at, key), false);
        Some(value.text.to_string())
    }

    /// A name: no control or invisible characters.
    fn name(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<String> {
        self.name_str(rec, at, key).map(str::to_string)
    }

    /// `name`, borrowed from the parsed text.
    fn name_str<'r>(&mut self, rec: &Rec<'r, '_>, at: &At, key: &str) -> Option<&'r str> {
        let value = self.string(rec, at, key)?;
        let path = || Self::key(at, key);
        self.clean(&value, &path, false);
        if self.visible(&value, &path) && value.text.trim().is_empty() {
            // A blank name reads as nothing on every screen: a row with no
            // name, "Share of  …".
            self.problem(value.span.clone(), path(), "must not be blank".to_string());
        }
        Some(value.text)
    }

    fn prose(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<String> {
        let value = self.string(rec, at, key)?;
        self.clean(&value, &|| Self::key(at, key), true);
        Some(value.text.to_string())
    }

    fn required(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str, what: &str) -> Option<String> {
        self.required_str(rec, at, key, what).map(str::to_string)
    }

    /// `required`, borrowed from the parsed text.
    fn required_str<'r>(
        &mut self,
        rec: &Rec<'r, '_>,
        at: &At,
        key: &str,
        what: &str,
    ) -> Option<&'r str> {
        if rec.get(key).is_none() {
            self.missing(at, key, what);
        }
        self.name_str(rec, at, key)
    }

    fn id(&mut self, rec: &Rec<'_, '_>, at: &At) -> Option<String> {
        self.id_str(rec, at).map(str::to_string)
    }

    /// `id`, borrowed from the parsed text.
    fn id_str<'r>(&mut self, rec: &Rec<'r, '_>, at: &At) -> Option<&'r str> {
        let span = rec.get("id").map(|v| v.span());
        let id = self.required_str(rec, at, "id", "a string of a-z, 0-9 and -")?;
        self.check_id(id, span.unwrap_or(at.span.clone()), at, "id");
        Some(id)
    }

    fn check_id(&mut self, id: &str, span: Range<usize>, at: &At, key: &str) {
        let well_formed = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            self.problem(
                span,
                Self::key(at, key),
                format!("id {id:?} must be made of a-z, 0-9 and - only"),
            );
        }
    }

    /// A date: a TOML date, or in format 2 a hedged date string.
    fn date(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<HedgedDate> {
        let value = rec.get(key)?;
        let path = || Self::key(at, key);
        match value.get_ref() {
            DeValue::Datetime(datetime) => {
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
                        path(),
                        format!("expected a date like 2025-11-03, found {datetime}"),
                    );
                }
                date.map(HedgedDate::exact)
            }
            DeValue::String(s) if self.format == 1 => {
                let hedged = if matches!(key, "as_of" | "accessed") {
                    ""
                } else {
                    " (hedged dates such as \"2026-H2\" need format = 2)"
                };
                let message = format!(
                    "invalid type: string {:?}, expected a TOML date; \
                     write a TOML date without quotes, like 2025-11-03{hedged}",
                    s.as_ref()
                );
                self.problem(value.span(), path(), message);
                None
            }
            DeValue::String(s) => {
                let written = Str {
                    text: s.as_ref(),
                    span: value.span(),
                };
                self.clean(&written, &path, false);
                if !self.visible(&written, &path) {
                    return None;
                }
                match HedgedDate::parse(written.text) {
                    Ok(date) => Some(date),
                    Err(e) => {
                        self.problem(
                            value.span(),
                            path(),
                            format!("expected a date like 2025-11-03 or \"2026-H2\": {e}"),
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(value, path(), "a date like 2025-11-03");
                None
            }
        }
    }

    /// A date that must be one day (`as_of`, `accessed`).
    fn day(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<NaiveDate> {
        let date = self.date(rec, at, key)?;
        let day = date.day();
        if day.is_none()
            && let Some(value) = rec.get(key)
        {
            self.problem(
                value.span(),
                Self::key(at, key),
                format!("`{key}` must be one day, like 2025-11-03, not {date}"),
            );
        }
        day
    }

    fn required_day(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<NaiveDate> {
        if rec.get(key).is_none() {
            self.missing(at, key, "a TOML date like 2025-11-03");
        }
        self.day(rec, at, key)
    }

    fn required_date(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<HedgedDate> {
        if rec.get(key).is_none() {
            self.missing(at, key, "a TOML date like 2025-11-03");
        }
        self.date(rec, at, key)
    }

    /// A figure field: a figure string, or in format 2 a list of attributed
    /// alternatives, whose envelope it then holds (the alternatives are
    /// kept in `disputed`).
    #[allow(clippy::too_many_arguments)]
    fn figure(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        key: &'static str,
        kind: Kind,
        disputed: &mut Vec<Disputed>,
        refs: Option<&Refs>,
    ) -> Option<Figure> {
        let value = rec.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                let written = Str {
                    text: s.as_ref(),
                    span: value.span(),
                };
                self.one_figure(&written, &|| Self::key(at, key), kind)
            }
            DeValue::Array(_) if self.format == 1 => {
                let message = self
                    .needs_format_2("a list of attributed alternatives ({ figure, source, at })");
                self.problem(value.span(), Self::key(at, key), message);
                None
            }
            DeValue::Array(items) => {
                let mut options = Vec::with_capacity(items.len());
                for (j, item) in items.iter().enumerate() {
                    let Some(table) = item.get_ref().as_table() else {
                        let path = format!("{}[{j}]", Self::key(at, key));
                        self.wrong_type(
                            item,
                            path,
                            "a table like { figure = \"$38bn\", source = \"id\" }",
                        );
                        continue;
                    };
                    let alt = Rec::new(table, item.span());
                    let alt_at = at.element(key, j, item.span());
                    self.keys(&alt, &alt_at, &raw::ALTERNATIVE);
                    let figure = match self.string(&alt, &alt_at, "figure") {
                        Some(written) => {
                            self.one_figure(&written, &|| Self::key(&alt_at, "figure"), kind)
                        }
                        None => {
                            if alt.get("figure").is_none() {
                                self.missing(&alt_at, "figure", kind.example());
                            }
                            None
                        }
                    };
                    if alt.get("source").is_none() {
                        self.missing(&alt_at, "source", "the id of the source that gives it");
                    }
                    let cite = self.shorthand_cite(&alt, &alt_at, refs);
                    if let (Some(figure), Some(cite)) = (figure, cite) {
                        options.push((figure, cite));
                    }
                }
                if items.is_empty() {
                    self.problem(
                        value.span(),
                        Self::key(at, key),
                        "an empty list of alternatives: give at least one \
                         { figure, source }, or leave the key out"
                            .to_string(),
                    );
                }
                if options.len() != items.len() {
                    return None;
                }
                match envelope(options.iter().map(|(f, _)| f)) {
                    Ok(env) => {
                        disputed.push(Disputed {
                            field: key,
                            agree: env.agree,
                            options,
                        });
                        Some(env.figure)
                    }
                    Err(e) => {
                        self.problem(value.span(), Self::key(at, key), e.to_string());
                        None
                    }
                }
            }
            _ => {
                let expected = format!("{} like {}", kind.name(), kind.example());
                self.wrong_type(value, Self::key(at, key), &expected);
                None
            }
        }
    }

    fn one_figure(
        &mut self,
        written: &Str<'_>,
        path: &dyn Fn() -> String,
        kind: Kind,
    ) -> Option<Figure> {
        self.clean(written, path, false);
        if !self.visible(written, path) {
            return None;
        }
        let text = written.text;
        let expected = || format!("expected {} like {}", kind.name(), kind.example());
        let parsed = if self.format == 1 {
            Figure::parse(text)
        } else {
            Figure::parse_v2(text, Some(kind))
        };
        let figure = match parsed {
            Ok(figure) => figure,
            Err(e) => {
                self.problem(written.span.clone(), path(), format!("{}: {e}", expected()));
                return None;
            }
        };
        match figure.kind() {
            Some(found) if found == kind => {}
            found => {
                let found = found.map_or("a figure", Kind::name);
                self.problem(
                    written.span.clone(),
                    path(),
                    format!("{}, found {found} {text:?}", expected()),
                );
                return None;
            }
        }
        let negative = figure.value.is_sign_negative()
            || (self.format != 1 && figure.interval.low.is_sign_negative());
        if kind != Kind::Percent && negative {
            self.problem(
                written.span.clone(),
                path(),
                format!("{} cannot be negative: {text:?}", kind.name()),
            );
            return None;
        }
        // "over $0" bounds nothing: money, power, terms and counts are never
        // below zero, and the figure would stand for any size (as an
        // envelope of sources that disagree does, where that is the truth).
        // A percent may fall, so "over 0%" says it rose.
        if kind != Kind::Percent && figure.is_unbounded() {
            self.problem(
                written.span.clone(),
                path(),
                format!(
                    "a lower bound of zero says nothing: {text:?}; give the bound the \
                     source gives, or leave the figure out"
                ),
            );
            return None;
        }
        Some(figure)
    }

    /// A word of a closed set; `required` says whether it may be left out.
    fn word<T: Vocabulary>(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        key: &str,
        required: bool,
    ) -> Option<T> {
        let Some(value) = rec.get(key) else {
            if required {
                let expected = T::expected_in(self.format);
                self.missing(at, key, &format!("one of {expected}"));
            }
            return None;
        };
        let word = self.string(rec, at, key)?;
        let found = T::from_word(word.text);
        let allowed = found.filter(|w| T::words(self.format).contains(w));
        if allowed.is_none() {
            let expected = T::expected_in(self.format);
            let message = match found {
                Some(_) => format!(
                    "{} (format 1 takes one of {expected})",
                    self.needs_format_2(&format!("{:?}", word.text))
                ),
                None => format!("expected one of {expected}, found {:?}", word.text),
            };
            self.problem(value.span(), Self::key(at, key), message);
        }
        allowed
    }

    /// An array of names (`hardware`).
    fn names(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Vec<String> {
        let Some(value) = rec.get(key) else {
            return Vec::new();
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, Self::key(at, key), "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (j, item) in items.iter().enumerate() {
            let path = || format!("{}[{j}]", Self::key(at, key));
            match item.get_ref().as_str() {
                Some(s) => {
                    let written = Str {
                        text: s,
                        span: item.span(),
                    };
                    self.clean(&written, &path, false);
                    self.visible(&written, &path);
                    out.push(s.to_string());
                }
                None => self.wrong_type(item, path(), "a string"),
            }
        }
        out
    }

    /// Ids given as one string or an array of them, with their spans.
    fn ids(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Vec<(String, Range<usize>)> {
        let Some(value) = rec.get(key) else {
            return Vec::new();
        };
        let single = std::slice::from_ref(value);
        let items = match value.get_ref() {
            DeValue::String(_) => single,
            DeValue::Array(items) => &items[..],
            _ => {
                self.wrong_type(value, Self::key(at, key), "an id or an array of ids");
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref().as_str() {
                Some(id) => {
                    self.check_id(id, item.span(), at, key);
                    out.push((id.to_string(), item.span()));
                }
                None => self.wrong_type(item, Self::key(at, key), "an id"),
            }
        }
        out
    }

    /// `source` and `at` of one citation; the source must exist when `refs`
    /// is given (the sectioned load checks references at the end instead).
    fn shorthand_cite(&mut self, rec: &Rec<'_, '_>, at: &At, refs: Option<&Refs>) -> Option<Cite> {
        let span = rec.get("source").map(|v| v.span());
        let source = self.name_str(rec, at, "source");
        if let (Some(refs), Some(id), Some(span)) = (refs, source, span)
            && !refs.has_source(id)
        {
            self.problem(
                span,
                Self::key(at, "source"),
                format!("no source with id {id:?} in [[sources]]"),
            );
        }
        let locator = self.name_str(rec, at, "at");
        (source.is_some() || locator.is_some()).then(|| Cite {
            source: source.map(|s| self.ids.id(s)),
            at: locator.map(CompactString::from),
        })
    }

    /// A record's citations: the `source`/`at` shorthand, then format 2's
    /// `sources = [{ source, at }]`.
    fn cites(&mut self, rec: &Rec<'_, '_>, at: &At, refs: Option<&Refs>) -> Cites {
        let mut cites: Vec<Cite> = self.shorthand_cite(rec, at, refs).into_iter().collect();
        if self.format == 1 {
            return cites.into();
        }
        let Some(value) = rec.get("sources") else {
            return cites.into();
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(
                value,
                Self::key(at, "sources"),
                "an array like [{ source = \"id\", at = \"para 3\" }]",
            );
            return cites.into();
        };
        for (j, item) in items.iter().enumerate() {
            let Some(table) = item.get_ref().as_table() else {
                let path = format!("{}[{j}]", Self::key(at, "sources"));
                self.wrong_type(
                    item,
                    path,
                    "a table like { source = \"id\", at = \"para 3\" }",
                );
                continue;
            };
            let cite_rec = Rec::new(table, item.span());
            let cite_at = at.element("sources", j, item.span());
            self.keys(&cite_rec, &cite_at, &raw::CITE);
            if cite_rec.get("source").is_none() {
                self.missing(&cite_at, "source", "a [[sources]] id");
            }
            cites.extend(self.shorthand_cite(&cite_rec, &cite_at, refs));
        }
        cites.into()
    }

    /// A reference to a party, which must exist when `refs` is given.
    fn party_ref(
        &mut self,
        value: Option<&str>,
        span: Option<Range<usize>>,
        at: &At,
        key: &str,
        refs: Option<&Refs>,
    ) {
        if let (Some(refs), Some(value), Some(span)) = (refs, value, span)
            && !refs.has_party(value)
        {
            let message = if self.format == 1 {
                format!("no provider with id {value:?} in [[providers]]")
            } else {
                format!("no party with id {value:?} in [[parties]] or [[providers]]")
            };
            self.problem(span, Self::key(at, key), message);
        }
    }

    /// Records the id's first use; a second use is an error naming the first.
    fn unique<T: Clone>(
        &mut self,
        seen: &mut HashMap<String, T>,
        rec: &Rec<'_, '_>,
        place: T,
        path: String,
        first: impl Fn(&T) -> String,
    ) {
        let Some(value) = rec.get("id") else { return };
        let Some(id) = value.get_ref().as_str() else {
            return;
        };
        if let Some(earlier) = seen.get(id) {
            let message = format!("duplicate id {id:?}, already used by {}", first(earlier));
            self.problem(value.span(), path, message);
        } else {
            seen.insert(id.to_string(), place);
        }
    }
}

/// Whether `bytes` hold a byte that starts a control character (C0, DEL,
/// or 0xC2, which starts C1 among others). Every string of a file is
/// scanned: blocks of 16 bytes are tested whole, without stopping at each
/// byte, which the compiler turns into vector compares.
fn may_hold_control(bytes: &[u8]) -> bool {
    let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2;
    let mut blocks = bytes.chunks_exact(16);
    let tail = blocks.remainder();
    blocks.any(|block| block.iter().fold(false, |found, &b| found | suspect(b)))
        || tail.iter().any(|&b| suspect(b))
}

/// Where the `index`th character of a string's value is written in its
/// literal (quotes and escapes included): its byte offset and length.
/// `None` if the literal cannot be followed.
fn written_at(literal: &str, index: usize) -> Option<(usize, usize)> {
    let (open, basic) = if literal.starts_with("\"\"\"") {
        (3, true)
    } else if literal.starts_with("'''") {
        (3, false)
    } else if literal.starts_with('"') {
        (1, true)
    } else if literal.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    let mut i = open;
    if open == 3 {
        // A newline right after the opening quotes is not part of the value.
        if literal[i..].starts_with("\r\n") {
            i += 2;
        } else if literal[i..].starts_with('\n') {
            i += 1;
        }
    }
    let bytes = literal.as_bytes();
    let mut n = 0;
    while i < literal.len() {
        let c = literal[i..].chars().next()?;
        let len = if basic && c == '\\' {
            match bytes.get(i + 1)? {
                b'u' => 6,
                b'U' => 10,
                b'x' => 4,
                b' ' | b'\t' | b'\n' | b'\r' => {
                    // A line-ending backslash: it and the whitespace after
                    // it are not part of the value.
                    i += 1;
                    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                        i += 1;
                    }
                    continue;
                }
                _ => 2,
            }
        } else {
            c.len_utf8()
        };
        if n == index {
            return Some((i, len));
        }
        n += 1;
        i += len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_found_where_they_are_written() {
        let at = |literal: &str, index: usize| written_at(literal, index);
        assert_eq!(at("\"ab\u{202e}c\"", 2), Some((3, 3)));
        assert_eq!(at("\"a\\u202Ec\"", 1), Some((2, 6)));
        assert_eq!(at("\"\\t\\U0000202Ec\"", 1), Some((3, 10)));
        assert_eq!(at("'a\\\u{200b}'", 2), Some((3, 3)));
        assert_eq!(at("\"\"\"\nab\\\n   c\u{200b}\"\"\"", 3), Some((12, 3)));
        assert_eq!(at("\"ab\"", 5), None);
    }

    #[test]
    fn control_bytes_are_found_in_blocks_and_in_the_tail() {
        for len in [0, 1, 15, 16, 17, 31, 32, 40] {
            let plain = vec![b'a'; len];
            assert!(!may_hold_control(&plain), "{len} plain bytes");
            for at in 0..len {
                for suspect in [0x00, 0x1f, 0x7f, 0xc2] {
                    let mut bytes = plain.clone();
                    bytes[at] = suspect;
                    assert!(may_hold_control(&bytes), "{suspect:#x} at {at} of {len}");
                }
                let mut bytes = plain.clone();
                bytes[at] = 0xc3;
                assert!(!may_hold_control(&bytes), "0xc3 at {at} of {len}");
            }
        }
    }
}
