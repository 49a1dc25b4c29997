//! The fast path for valid files: read a table at a time.
//!
//! A whole-file TOML parse builds a syntax tree many times the file's size
//! (14x at 100k commitments). For a file that is plainly valid, this module
//! cuts the text at its table headers, parses and validates each section on
//! its own with the same `Validator`, and drops it before the next, so
//! memory stays near the size of the data. Anything unusual or invalid makes
//! it give up (`None`), and `load` reads the file whole, which finds and
//! places every problem: messages never depend on the path taken. The tests
//! and the fuzz target check that both paths agree.
//!
//! Format 1 and format 2 files both read this way. What format 2 checks
//! across records (buyers, which default to the subject; `supersedes` and
//! its chains; a milestone's deal; the sources of attributed alternatives)
//! is checked at the end, as references are; `[[capacity]]` plans take the
//! `[[capacity.milestones]]` that follow them, as TOML has it.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::io::Read;

use hashbrown::hash_table::{Entry, HashTable};
use toml::de::{DeTable, DeValue};

use super::MAX_FILE_BYTES;
use super::error::Problem;
use super::kept::{Kept, Skeleton};
use super::model::*;
use super::raw::Rec;
use super::syntax::syntax_problem;
use super::validate::{At, DatasetMeta, Known, Validator, assemble};

/// Finds the lines that open a table (`[x]`, `[[x]]`) in `b[from..]`, where
/// `from` is the start of a line outside any value, and pushes their offsets
/// to `starts`. A light scan that steps over strings, comments and values
/// spanning lines: in a valid file it finds exactly the table headers; in
/// any other, some section fails to parse on its own and the load reads the
/// file whole. Returns how far the scan got: with `eof` false, a statement
/// that runs to the end of `b` may go on in bytes not read yet, and is left
/// for the next call.
pub(super) fn scan_headers(b: &[u8], from: usize, eof: bool, starts: &mut Vec<usize>) -> usize {
    let mut i = from;
    while i < b.len() {
        let line = i;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let end = match b.get(i) {
            None => return if eof { b.len() } else { line },
            Some(b'\n' | b'\r') => Some(i + 1),
            Some(b'#') => end_of_comment(b, i).map(|e| e + 1),
            Some(_) => end_of_statement(b, i),
        };
        match end {
            Some(end) => {
                if starts_section(&b[i..]) {
                    starts.push(line);
                }
                i = end;
            }
            None if eof => {
                if starts_section(&b[i..]) {
                    starts.push(line);
                }
                return b.len();
            }
            None => return line,
        }
    }
    i
}

/// Whether a line (from its first non-blank byte) is a header that starts
/// a section. A deal's own tables (`[[commitments.tranches]]`) stay in the
/// deal's section, so that it is read as one record.
fn starts_section(line: &[u8]) -> bool {
    line.first() == Some(&b'[')
        && !line.starts_with(b"[[commitments.")
        && !line.starts_with(b"[commitments.")
}

/// The newline that ends the comment at `i`, if the bytes hold it.
fn end_of_comment(b: &[u8], i: usize) -> Option<usize> {
    b[i..].iter().position(|&c| c == b'\n').map(|p| i + p)
}

/// Past the newline that ends the statement at `i`, brackets balanced; `None`
/// if it runs to the end of the bytes.
fn end_of_statement(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'#' => i = end_of_comment(b, i)?,
            b'"' | b'\'' => i = end_of_string(b, i),
            b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// Past the string that opens at `i` (basic or literal, one line or many);
/// an unterminated one-line string ends before its newline.
fn end_of_string(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let escapes = quote == b'"';
    let triple = [quote; 3];
    // The next byte from `j` that may end the string (a quote, or with
    // `newline` a newline) or escape the byte after it. Strings are most
    // of a data file's bytes, and `memchr` steps over them many at a time.
    let next = |j: usize, newline: bool| -> Option<usize> {
        let rest = b.get(j..)?;
        match (escapes, newline) {
            (true, true) => memchr::memchr3(quote, b'\\', b'\n', rest),
            (true, false) => memchr::memchr2(quote, b'\\', rest),
            (false, true) => memchr::memchr2(quote, b'\n', rest),
            (false, false) => memchr::memchr(quote, rest),
        }
        .map(|p| j + p)
    };
    if b[i..].starts_with(&triple) {
        let mut j = i + 3;
        while let Some(k) = next(j, false) {
            if b[k] == b'\\' {
                j = k + 2;
            } else if b[k..].starts_with(&triple) {
                j = k + 3;
                // Up to two more quotes belong to the string.
                let mut extra = 0;
                while extra < 2 && b.get(j) == Some(&quote) {
                    j += 1;
                    extra += 1;
                }
                return j;
            } else {
                j = k + 1;
            }
        }
        return b.len();
    }
    let mut j = i + 1;
    while let Some(k) = next(j, true) {
        match b[k] {
            b'\\' => j = k + 2,
            b'\n' => return k,
            _ => return k + 1,
        }
    }
    b.len()
}

/// Everything a sectioned load has gathered so far. Deals are kept as
/// `D`: whole, or only what the checks at the end need (`deals`).
pub(super) struct Sections<D = Commitment> {
    /// The text before the first header has been read.
    root_read: bool,
    format: Option<i64>,
    meta: Option<DatasetMeta>,
    sources: Vec<Source>,
    /// Parties from `[[providers]]` and `[[parties]]`, in file order.
    providers: Vec<Party>,
    /// How many of those each table held: places in messages count per table.
    written: (usize, usize),
    pub(super) commitments: Vec<D>,
    /// `[capacity]`, a table.
    capacity: Option<Capacity>,
    /// Format 2's `[[capacity]]` plans, each with the milestones after it.
    plans: Vec<Capacity>,
    /// `[[capacity.milestones]]` of the `[capacity]` table (or, before any
    /// table, of the plan they make implicitly).
    milestones: Vec<Milestone>,
    notes: Vec<Note>,
    /// The ids records name others by, handed to each section's validator.
    ids: Interner,
    /// Read the deals only: every other section is parsed but passed over
    /// (a second read of a file already checked, `deals`).
    pub(super) deals_only: bool,
    /// Set for a diagnosis (`diagnose_sections`): each section's problems
    /// are gathered instead of ending the read.
    diagnosis: Option<Diagnosis>,
}

/// What a sectioned read of an invalid file found: its syntax errors, its
/// records' problems (both placed in the whole text), and how many records
/// of each table failed, so that later records keep their places
/// (`commitments[41560]`) in messages.
#[derive(Default)]
struct Diagnosis {
    syntax: Vec<Problem>,
    problems: Vec<Problem>,
    failed: Failed,
}

#[derive(Default, Clone, Copy)]
struct Failed {
    sources: usize,
    commitments: usize,
    notes: usize,
    plans: usize,
    milestones: usize,
}

impl<D> Default for Sections<D> {
    fn default() -> Sections<D> {
        Sections {
            root_read: false,
            format: None,
            meta: None,
            sources: Vec::new(),
            providers: Vec::new(),
            written: (0, 0),
            commitments: Vec::new(),
            capacity: None,
            plans: Vec::new(),
            milestones: Vec::new(),
            notes: Vec::new(),
            ids: Interner::default(),
            deals_only: false,
            diagnosis: None,
        }
    }
}

/// Reads a file one table at a time: each section (the text before the first
/// header, then each header and its keys) is parsed and validated on its
/// own, and dropped before the next. `None` when the file is not plainly
/// valid or is laid out otherwise (inline tables for records, `[capacity]`
/// after its milestones, ...): the caller then reads it whole.
///
/// Each section must parse alone, which, cut at line starts, makes the whole
/// text parse; each section must be of one of the shapes below, which rules
/// out redefined tables and arrays of tables appended to static arrays; and
/// references and ids are checked at the end. What passes reads the same as
/// the whole-file parse would (the tests and the fuzz target compare them).
pub(super) fn load_sections(text: &str) -> Option<Dataset> {
    load_sections_with(text, &Known::default())
}

/// `load_sections` for a file of a set: its references may also name what
/// `others` (the set's other files) defines, and a format 2 file may lean
/// on their sources and parties, as `load_whole_with` allows.
pub(super) fn load_sections_with(text: &str, others: &Known) -> Option<Dataset> {
    sections_of(text)?.finish(others)
}

/// A file's sections, each parsed and checked on its own, before the
/// checks that span the file (`Sections::finish_with`). A set reads each
/// file once so, learns from each what it defines (`Sections::known`),
/// and then finishes each knowing what the others define. `None` as
/// `load_sections`.
pub(super) fn sections_of(text: &str) -> Option<Sections> {
    let mut bounds = vec![0];
    scan_headers(text.as_bytes(), 0, true, &mut bounds);
    bounds.push(text.len());
    let mut all = Sections::<Commitment>::default();
    all.feed(text, &bounds)?;
    Some(all)
}

/// The problems of a file the sectioned read refused, found a section at a
/// time, so that memory stays near the size of the data where a whole-file
/// parse takes many times the file's size (a 28 MB file with one typo: 600
/// MB). Syntax errors if any, as the whole-file read gives them alone; else
/// the records' problems. `None` when no section has a problem, or the file
/// is laid out otherwise: what is wrong then spans the file (references,
/// unique ids) or needs the whole parse to place, and the caller reads it
/// whole. Spans are in `text`; lines and columns are not yet filled in.
pub(super) fn diagnose_sections(text: &str) -> Option<Vec<Problem>> {
    let mut bounds = vec![0];
    scan_headers(text.as_bytes(), 0, true, &mut bounds);
    bounds.push(text.len());
    // A diagnosis keeps of each good deal no more than a later check reads.
    let mut all = Sections::<Skeleton> {
        diagnosis: Some(Diagnosis::default()),
        ..Sections::default()
    };
    all.feed(text, &bounds)?;
    let found = all.diagnosis?;
    let problems = match found.syntax.is_empty() {
        true => found.problems,
        false => found.syntax,
    };
    (!problems.is_empty()).then_some(problems)
}

/// `load_file`'s streamed read on any reader, with no fallback: `Some` only
/// if every section read plainly valid. For tests and the fuzz target.
#[doc(hidden)]
pub fn load_reader(reader: impl Read, file: &str) -> Option<Dataset> {
    stream_sections(reader).map(|d| d.named(file))
}

/// `load_sections` on a file read a chunk at a time, so that the file's text
/// is never all in memory: only the section being read. `None` as there, and
/// also if the file cannot be read or is not UTF-8 (the caller reads it again
/// whole, to say why).
pub(super) fn stream_sections(reader: impl Read) -> Option<Dataset> {
    let mut all = Sections::<Commitment>::default();
    read_sections(reader, &mut |text, bounds| all.feed(text, bounds))?;
    all.finish(&Known::default())
}

/// Reads `reader` a chunk at a time and hands `feed` the text of the whole
/// sections read so far with their bounds (0, each section's start, then
/// the end of the last), until the end. `None` if `feed` says so, or the
/// reader fails, or the text is not UTF-8, too long or not cut into
/// sections of a record's size.
pub(super) fn read_sections(
    mut reader: impl Read,
    feed: &mut dyn FnMut(&str, &[usize]) -> Option<()>,
) -> Option<()> {
    const CHUNK: usize = 256 * 1024;
    /// A section this long is no record: read such a file whole.
    const MAX_PENDING: usize = 8 * 1024 * 1024;
    // Bytes from the start of the section being read.
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    // Reads land here and are appended: growing `buf` by a zeroed chunk per
    // read instead costs a chunk's memset for every short read (pipes).
    let mut chunk = vec![0u8; CHUNK];
    let mut scanned = 0;
    let mut bounds = vec![0];
    let mut total = 0u64;
    loop {
        let read = loop {
            match reader.read(&mut chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                result => break result.ok()?,
            }
        };
        buf.extend_from_slice(&chunk[..read]);
        total += read as u64;
        let eof = read == 0;
        if total > MAX_FILE_BYTES {
            return None;
        }
        // `bounds` holds 0, the start of the section being read.
        scanned = scan_headers(&buf, scanned, eof, &mut bounds);
        if eof {
            bounds.push(buf.len());
        }
        let from = *bounds.last().unwrap_or(&0);
        let text = std::str::from_utf8(&buf[..from]).ok()?;
        feed(text, &bounds)?;
        if eof {
            return Some(());
        }
        bounds.clear();
        bounds.push(0);
        buf.drain(..from);
        scanned -= from;
        if buf.len() > MAX_PENDING {
            return None;
        }
    }
}

impl Failed {
    /// One more record of the table `section`'s header names was passed
    /// over. Milestones count within their plan, so a new plan restarts them.
    fn count(&mut self, section: &str) {
        let header = section.trim_start().lines().next().unwrap_or_default();
        let table = header.trim().trim_matches(['[', ']']).trim();
        match table {
            "sources" => self.sources += 1,
            "commitments" => self.commitments += 1,
            "notes" => self.notes += 1,
            "capacity" => {
                self.plans += 1;
                self.milestones = 0;
            }
            "capacity.milestones" => self.milestones += 1,
            _ => {}
        }
    }
}

impl<D: Kept> Sections<D> {
    /// Reads the sections cut at `bounds` (each a section's start, then the
    /// end of the last): one at a time, except that runs of up to `BATCH`
    /// array tables under the same header line (`[[commitments]]`) are
    /// parsed together, which costs a parse per batch instead of per record.
    pub(super) fn feed(&mut self, text: &str, bounds: &[usize]) -> Option<()> {
        // A diagnosis reads one record per parse, so that a record's
        // problems do not hide those of the rest of its batch.
        let batch = if self.diagnosis.is_some() { 1 } else { 64 };
        let header = |k: usize| text[bounds[k]..bounds[k + 1]].lines().next().map(str::trim);
        let sections = bounds.len().saturating_sub(1);
        let mut k = 0;
        while k < sections {
            let mut end = k + 1;
            if !self.root_read {
                self.root_read = true;
                self.section(&text[bounds[k]..bounds[end]], bounds[k], true, 0)?;
            } else {
                let first = header(k);
                if first.is_some_and(|h| h.starts_with("[[")) {
                    while end < sections && end - k < batch && header(end) == first {
                        end += 1;
                    }
                }
                self.section(&text[bounds[k]..bounds[end]], bounds[k], false, end - k)?;
            }
            k = end;
        }
        Some(())
    }

    /// One section, or a batch of `headers` array tables under one header
    /// line; `root` for the text before the first header, which says the
    /// file's format.
    /// `offset` is where the section starts in the file, to place a
    /// diagnosis's problems.
    fn section(&mut self, section: &str, offset: usize, root: bool, headers: usize) -> Option<()> {
        let parsed = match DeTable::parse(section) {
            Ok(parsed) => parsed,
            Err(_) if !root => return self.diagnose_syntax(section, offset),
            Err(_) => return None,
        };
        let table = parsed.get_ref();
        let array = section.trim_start().starts_with("[[");
        if root {
            // Only `format = 1` or `format = 2`.
            if table.len() != 1 {
                return None;
            }
            let format = table.get("format")?.get_ref().as_integer()?;
            if format.radix() != 10 {
                return None;
            }
            self.format = Some(match format.as_str() {
                "1" => 1,
                "2" => 2,
                _ => return None,
            });
            return Some(());
        }
        let format = self.format?;
        let mut validator = Validator::for_format(section, format);
        validator.ids = std::mem::take(&mut self.ids);
        let read = self.records(&mut validator, table, array, headers);
        self.ids = std::mem::take(&mut validator.ids);
        let clean = validator.is_clean();
        if read.is_some() && clean {
            return Some(());
        }
        let diagnosis = self.diagnosis.as_mut().filter(|_| !clean)?;
        let shift = |p: Problem| Problem {
            span: p.span.start + offset..p.span.end + offset,
            ..p
        };
        diagnosis
            .problems
            .extend(validator.take_problems().into_iter().map(shift));
        if read.is_none() {
            diagnosis.failed.count(section);
        }
        Some(())
    }

    /// A section that does not parse alone: in a diagnosis, its syntax
    /// errors, placed in the file; else the end of the sectioned read.
    fn diagnose_syntax(&mut self, section: &str, offset: usize) -> Option<()> {
        let diagnosis = self.diagnosis.as_mut()?;
        let (_, errors) = DeTable::parse_recoverable(section);
        if errors.is_empty() {
            return None;
        }
        for e in &errors {
            let p = syntax_problem(section, e, String::new());
            diagnosis.syntax.push(Problem {
                span: p.span.start + offset..p.span.end + offset,
                ..p
            });
        }
        diagnosis.failed.count(section);
        Some(())
    }

    /// How many records of each table a diagnosis has passed over.
    fn failed(&self) -> Failed {
        self.diagnosis
            .as_ref()
            .map(|d| d.failed)
            .unwrap_or_default()
    }

    /// The records of one parsed section, checked by `validator`.
    fn records(
        &mut self,
        validator: &mut Validator<'_>,
        table: &DeTable<'_>,
        array: bool,
        headers: usize,
    ) -> Option<()> {
        let v2 = self.format? == 2;
        // One header line, so one key.
        if table.len() != 1 || !(array || headers == 1) {
            return None;
        }
        let (key, value) = table.iter().next()?;
        let span = value.span();
        if self.deals_only && key.get_ref().as_ref() != "commitments" {
            return Some(());
        }
        match (key.get_ref().as_ref(), value.get_ref(), array) {
            ("dataset", DeValue::Table(t), false) if self.meta.is_none() => {
                self.meta = Some(validator.dataset_meta(&Rec::new(t, span)));
            }
            // `[capacity]` may not set `milestones` itself, or a later
            // `[[capacity.milestones]]` would not append to it.
            ("capacity", DeValue::Table(t), false)
                if self.capacity.is_none()
                    && self.plans.is_empty()
                    && self.milestones.is_empty()
                    && t.get("milestones").is_none()
                    && !empty_buyer(t) =>
            {
                let rec = Rec::new(t, span);
                self.capacity = Some(validator.capacity(None, &rec, None));
            }
            // `[[capacity]]`, format 2's plans, one per header: never after
            // `[capacity]` or milestones of its own, which make a table.
            ("capacity", DeValue::Array(items), true)
                if v2
                    && items.len() == headers
                    && self.capacity.is_none()
                    && self.milestones.is_empty() =>
            {
                for item in items.iter() {
                    let t = item.get_ref().as_table()?;
                    if t.get("milestones").is_some() || empty_buyer(t) {
                        return None;
                    }
                    let rec = Rec::new(t, item.span());
                    let i = self.plans.len() + self.failed().plans;
                    self.plans.push(validator.capacity(Some(i), &rec, None));
                }
                if let Some(diagnosis) = self.diagnosis.as_mut() {
                    diagnosis.failed.milestones = 0;
                }
            }
            // `[[capacity.milestones]]`: as many milestones as headers, in a
            // capacity table that holds nothing else; they belong to the
            // last `[[capacity]]` plan, if there are plans.
            ("capacity", DeValue::Table(t), true) if t.len() == 1 => {
                let items = t.get("milestones")?.get_ref().as_array()?;
                if items.len() != headers {
                    return None;
                }
                let skipped = self.failed();
                for item in items.iter() {
                    let rec = Rec::new(item.get_ref().as_table()?, item.span());
                    let milestones = match self.plans.last_mut() {
                        Some(plan) => &mut plan.milestones,
                        None => &mut self.milestones,
                    };
                    let at = At::milestone(milestones.len() + skipped.milestones, item.span());
                    milestones.push(validator.milestone(at, &rec, None)?);
                }
            }
            // `[[sources]]` and the like: one record per header, so no
            // header opened a sub-table of a record instead.
            (name, DeValue::Array(items), true) if items.len() == headers => {
                for item in items.iter() {
                    let table = item.get_ref().as_table()?;
                    if empty_buyer(table) {
                        return None;
                    }
                    let rec = Rec::new(table, item.span());
                    match name {
                        "sources" => {
                            let i = self.sources.len() + self.failed().sources;
                            self.sources.push(validator.source(i, &rec)?);
                        }
                        "providers" | "parties" => {
                            let place = if name == "providers" {
                                self.written.0 += 1;
                                ("providers", self.written.0 - 1)
                            } else if v2 {
                                self.written.1 += 1;
                                ("parties", self.written.1 - 1)
                            } else {
                                return None;
                            };
                            let party = validator.party(place, &rec, None)?;
                            self.providers.push(party);
                        }
                        "commitments" => {
                            let i = self.commitments.len() + self.failed().commitments;
                            let deal = validator.commitment(i, &rec, None)?;
                            self.commitments.push(D::keep(deal));
                        }
                        "notes" => {
                            let i = self.notes.len() + self.failed().notes;
                            self.notes.push(validator.note(i, &rec, None)?);
                        }
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// The checks that span sections: required tables, unique ids and
    /// references (which the sections were checked without), buyers, and
    /// chains of `supersedes`. The dataset, and the deals kept apart from
    /// it (`Kept::split`).
    pub(super) fn finish_kept(self, others: &Known) -> Option<(Dataset, Vec<D>)> {
        let format = self.format?;
        // In a set, a format 2 file may lean on the sources and parties its
        // companions define.
        let in_set = format >= 2
            && !(others.sources.is_empty()
                && others.parties.is_empty()
                && others.commitments.is_empty());
        let leans_on = |ids: &HashSet<String>| in_set && !ids.is_empty();
        if self.sources.is_empty() && !leans_on(&others.sources)
            || self.providers.is_empty() && !leans_on(&others.parties)
        {
            return None;
        }
        let meta = self.meta?;
        let sources = UniqueIds::of(&self.sources, |s| &s.id)?;
        let parties = UniqueIds::of(&self.providers, |p| &p.id)?;
        let deals = UniqueIds::of(&self.commitments, D::id)?;
        let has_source = |id: &str| sources.contains(id) || others.sources.contains(id);
        let has_party = |id: &str| parties.contains(id) || others.parties.contains(id);
        let has_deal = |id: &str| deals.contains(id) || others.commitments.contains(id);
        // A file with `[[sites]]` takes the whole path, so a deal's sites
        // are the set's other files'.
        let has_site = |id: &str| others.sites.contains(id);
        let known = |c: &Cite| c.source.as_deref().is_none_or(has_source);
        let cited = |cites: &[Cite]| cites.iter().all(known);
        // Each source's figure names its source too.
        let undisputed = |alternatives: &[Disputed]| {
            alternatives
                .iter()
                .all(|d| d.options.iter().all(|(_, c)| known(c)))
        };
        let supplied = |p: Option<&str>| p.is_none_or(has_party);
        // Format 2's subject is a party of the file; format 1's is a name.
        let subject = match format {
            1 => None,
            _ => meta.subject.as_deref(),
        };
        if !supplied(subject) {
            return None;
        }
        // A buyer left out is the subject's, so there must be one.
        let bought = |buyer: &str| {
            if buyer.is_empty() {
                format == 1 || subject.is_some()
            } else {
                has_party(buyer)
            }
        };
        let capacity = match (self.capacity, self.milestones.is_empty()) {
            (capacity, true) => capacity,
            (Some(capacity), false) => Some(Capacity {
                milestones: self.milestones,
                ..capacity
            }),
            // Milestones alone make an implicit, otherwise empty `[capacity]`.
            (None, false) => Some(Capacity {
                milestones: self.milestones,
                ..Capacity::default()
            }),
        };
        let capacities: Vec<Capacity> = capacity.into_iter().chain(self.plans).collect();
        let valid = self.providers.iter().all(|p| cited(&p.cites))
            && self.commitments.iter().all(|c| {
                bought(c.buyer())
                    && supplied(Some(c.provider()))
                    && c.supersedes().iter().all(|s| s != c.id() && has_deal(s))
                    && c.sites().iter().all(|s| has_site(s))
                    && cited(c.cites())
                    && undisputed(c.alternatives())
            })
            && capacities.iter().all(|c| {
                bought(&c.buyer)
                    && cited(&c.cites)
                    && undisputed(&c.alternatives)
                    && c.milestones.iter().all(|m| {
                        supplied(m.provider.as_deref())
                            && m.commitment.as_deref().is_none_or(has_deal)
                            && cited(&m.cites)
                    })
            })
            && self.notes.iter().all(|n| {
                cited(&n.cites)
                    && undisputed(&n.alternatives)
                    && n.commitment.as_deref().is_none_or(has_deal)
            })
            && !supersedes_in_a_loop(&self.commitments, &deals);
        if !valid {
            return None;
        }
        drop((sources, parties, deals));
        let (commitments, kept) = D::split(self.commitments);
        let dataset = assemble(
            format,
            meta,
            self.sources,
            self.providers,
            commitments,
            capacities,
            self.notes,
        )?;
        Some((dataset, kept))
    }
}

impl Sections {
    /// `finish_kept` of a load that keeps its deals in the dataset.
    fn finish(self, others: &Known) -> Option<Dataset> {
        self.finish_kept(others).map(|(dataset, _)| dataset)
    }

    /// The file's checks that span it, its references looked up in the file
    /// and in `others` (what the set's other files define).
    pub(super) fn finish_with(self, others: &Known) -> Option<Dataset> {
        self.finish(others)
    }

    /// Adds what the file defines for the other files of a set: sources,
    /// parties (a format 1 file's subject among them) and, with `deals`,
    /// deals, which only a deal's `supersedes` or a milestone's
    /// `commitment` names (`names_deals`).
    pub(super) fn add_known(&self, known: &mut Known, deals: bool) {
        let subject = match (self.format, &self.meta) {
            (Some(1), Some(meta)) => meta.subject.as_deref().map(party_id_of),
            _ => None,
        };
        let commitments = if deals { &self.commitments[..] } else { &[] };
        known.add(
            &self.sources,
            self.providers
                .iter()
                .map(|p| p.id.as_str())
                .chain(subject.as_deref()),
            commitments.iter().map(|c| c.id.as_str()),
        );
    }

    /// Whether a deal or milestone of the file names a deal.
    pub(super) fn names_deals(&self) -> bool {
        let milestones = self.capacity.iter().chain(&self.plans);
        self.commitments.iter().any(|c| !c.supersedes().is_empty())
            || milestones
                .flat_map(|c| &c.milestones)
                .chain(&self.milestones)
                .any(|m| m.commitment.is_some())
            || self.notes.iter().any(|n| n.commitment.is_some())
    }
}

/// A record's `buyer` written as `""`. Checked without the file's parties,
/// it would pass for a buyer left out (the subject); the whole-file check
/// reports it.
fn empty_buyer(record: &DeTable<'_>) -> bool {
    record
        .get("buyer")
        .is_some_and(|b| b.get_ref().as_str() == Some(""))
}

/// Whether a chain of `supersedes` comes back to where it started (the
/// whole-file check reports it; here it only sends the file there).
/// `index` holds the deals' ids, to find where each superseded deal lies.
fn supersedes_in_a_loop<D: Kept>(commitments: &[D], index: &UniqueIds<'_, D>) -> bool {
    // Format 1 has no `supersedes`, and most ledgers few.
    if commitments.iter().all(|c| c.supersedes().is_empty()) {
        return false;
    }
    // 0: not visited, 1: on the path being followed, 2: done.
    let mut state = vec![0u8; commitments.len()];
    for start in 0..commitments.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((i, edge)) = stack.last_mut() {
            let Some(next) = commitments[*i].supersedes().get(*edge) else {
                state[*i] = 2;
                stack.pop();
                continue;
            };
            *edge += 1;
            let Some(j) = index.position(next) else {
                continue;
            };
            match state[j] {
                0 => {
                    state[j] = 1;
                    stack.push((j, 0));
                }
                1 => return true,
                _ => {}
            }
        }
    }
    false
}

/// Records' ids, each once: a table of positions in the records, four
/// bytes a record where a set of `&str` takes sixteen. It is built when the
/// whole file is held, so at 100k deals it is the top of the load's peak.
/// Every reference of every record is looked up in one (a format 2 deal
/// names a buyer, a provider, sources and deals it supersedes): foldhash
/// hashes an id in a fraction of SipHash's time.
struct UniqueIds<'a, T> {
    items: &'a [T],
    id: fn(&T) -> &str,
    table: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl<'a, T> UniqueIds<'a, T> {
    /// The records' ids, or `None` if one repeats.
    fn of(items: &'a [T], id: fn(&T) -> &str) -> Option<UniqueIds<'a, T>> {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(items.len());
        let hash = |i: u32| hasher.hash_one(id(&items[i as usize]));
        for (i, item) in items.iter().enumerate() {
            let key = id(item);
            let at = u32::try_from(i).ok()?;
            let same = |&j: &u32| id(&items[j as usize]) == key;
            match table.entry(hasher.hash_one(key), same, |&j| hash(j)) {
                Entry::Occupied(_) => return None,
                Entry::Vacant(place) => {
                    place.insert(at);
                }
            }
        }
        Some(UniqueIds {
            items,
            id,
            table,
            hasher,
        })
    }

    fn contains(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Where the record with id `key` lies in the records.
    fn position(&self, key: &str) -> Option<usize> {
        let same = |&j: &u32| (self.id)(&self.items[j as usize]) == key;
        let found = self.table.find(self.hasher.hash_one(key), same)?;
        Some(*found as usize)
    }
}
