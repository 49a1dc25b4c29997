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

use std::collections::HashSet;
use std::io::Read;

use toml::de::{DeTable, DeValue};

use super::MAX_FILE_BYTES;
use super::model::*;
use super::raw::Rec;
use super::validate::{At, DatasetMeta, Validator, assemble};

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
                if b[i] == b'[' {
                    starts.push(line);
                }
                i = end;
            }
            None if eof => {
                if b[i] == b'[' {
                    starts.push(line);
                }
                return b.len();
            }
            None => return line,
        }
    }
    i
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
    if b[i..].starts_with(&triple) {
        let mut j = i + 3;
        while j < b.len() {
            if escapes && b[j] == b'\\' {
                j += 2;
            } else if b[j..].starts_with(&triple) {
                j += 3;
                // Up to two more quotes belong to the string.
                let mut extra = 0;
                while extra < 2 && b.get(j) == Some(&quote) {
                    j += 1;
                    extra += 1;
                }
                return j;
            } else {
                j += 1;
            }
        }
        return b.len();
    }
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if escapes => j += 2,
            b'\n' => return j,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// Everything a sectioned load has gathered so far.
#[derive(Default)]
struct Sections {
    /// The text before the first header has been read.
    root_read: bool,
    format: Option<i64>,
    meta: Option<DatasetMeta>,
    sources: Vec<Source>,
    providers: Vec<Party>,
    commitments: Vec<Commitment>,
    capacity: Option<Capacity>,
    milestones: Vec<Milestone>,
    notes: Vec<Note>,
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
    let mut bounds = vec![0];
    scan_headers(text.as_bytes(), 0, true, &mut bounds);
    bounds.push(text.len());
    let mut all = Sections::default();
    all.feed(text, &bounds)?;
    all.finish()
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
pub(super) fn stream_sections(mut reader: impl Read) -> Option<Dataset> {
    const CHUNK: usize = 256 * 1024;
    /// A section this long is no record: read such a file whole.
    const MAX_PENDING: usize = 8 * 1024 * 1024;
    let mut all = Sections::default();
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
        all.feed(text, &bounds)?;
        if eof {
            return all.finish();
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

impl Sections {
    /// Reads the sections cut at `bounds` (each a section's start, then the
    /// end of the last): one at a time, except that runs of up to `BATCH`
    /// array tables under the same header line (`[[commitments]]`) are
    /// parsed together, which costs a parse per batch instead of per record.
    fn feed(&mut self, text: &str, bounds: &[usize]) -> Option<()> {
        const BATCH: usize = 64;
        let header = |k: usize| text[bounds[k]..bounds[k + 1]].lines().next().map(str::trim);
        let sections = bounds.len().saturating_sub(1);
        let mut k = 0;
        while k < sections {
            let mut end = k + 1;
            if !self.root_read {
                self.root_read = true;
                self.section(&text[bounds[k]..bounds[end]], true, 0)?;
            } else {
                let first = header(k);
                if first.is_some_and(|h| h.starts_with("[[")) {
                    while end < sections && end - k < BATCH && header(end) == first {
                        end += 1;
                    }
                }
                self.section(&text[bounds[k]..bounds[end]], false, end - k)?;
            }
            k = end;
        }
        Some(())
    }

    /// One section, or a batch of `headers` array tables under one header
    /// line; `root` for the text before the first header. Only format 1
    /// files are read this way: the first section says which format a file
    /// is, and format 2 files are read whole.
    fn section(&mut self, section: &str, root: bool, headers: usize) -> Option<()> {
        let parsed = DeTable::parse(section).ok()?;
        let table = parsed.get_ref();
        let array = section.trim_start().starts_with("[[");
        let mut validator = Validator::new(section);
        if root {
            // Only `format = 1`.
            if table.len() != 1 {
                return None;
            }
            let format = table.get("format")?.get_ref().as_integer()?;
            if format.radix() != 10 || format.as_str() != "1" {
                return None;
            }
            self.format = Some(1);
            return Some(());
        }
        // One header line, so one key.
        if table.len() != 1 || !(array || headers == 1) {
            return None;
        }
        let (key, value) = table.iter().next()?;
        let span = value.span();
        match (key.get_ref().as_ref(), value.get_ref(), array) {
            ("dataset", DeValue::Table(t), false) if self.meta.is_none() => {
                self.meta = Some(validator.dataset_meta(&Rec { table: t, span }));
            }
            // `[capacity]` may not set `milestones` itself, or a later
            // `[[capacity.milestones]]` would not append to it.
            ("capacity", DeValue::Table(t), false)
                if self.capacity.is_none()
                    && self.milestones.is_empty()
                    && t.get("milestones").is_none() =>
            {
                let rec = Rec { table: t, span };
                self.capacity = Some(validator.capacity(None, &rec, None));
            }
            // `[[capacity.milestones]]`: as many milestones as headers, in a
            // capacity table that holds nothing else.
            ("capacity", DeValue::Table(t), true) if t.len() == 1 => {
                let items = t.get("milestones")?.get_ref().as_array()?;
                if items.len() != headers {
                    return None;
                }
                for item in items.iter() {
                    let rec = Rec {
                        table: item.get_ref().as_table()?,
                        span: item.span(),
                    };
                    let i = self.milestones.len();
                    let at = At::milestone(i, item.span());
                    self.milestones.push(validator.milestone(at, &rec, None)?);
                }
            }
            // `[[sources]]` and the like: one record per header, so no
            // header opened a sub-table of a record instead.
            (name, DeValue::Array(items), true) if items.len() == headers => {
                for item in items.iter() {
                    let rec = Rec {
                        table: item.get_ref().as_table()?,
                        span: item.span(),
                    };
                    match name {
                        "sources" => {
                            let i = self.sources.len();
                            self.sources.push(validator.source(i, &rec)?);
                        }
                        "providers" => {
                            let i = self.providers.len();
                            let party = validator.party(("providers", i), &rec, None)?;
                            self.providers.push(party);
                        }
                        "commitments" => {
                            let i = self.commitments.len();
                            self.commitments.push(validator.commitment(i, &rec, None)?);
                        }
                        "notes" => {
                            let i = self.notes.len();
                            self.notes.push(validator.note(i, &rec, None)?);
                        }
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
        validator.is_clean().then_some(())
    }

    /// The checks that span sections: the format, required tables, unique
    /// ids and references.
    fn finish(self) -> Option<Dataset> {
        if self.format? != 1 || self.sources.is_empty() || self.providers.is_empty() {
            return None;
        }
        let meta = self.meta?;
        let sources = unique_ids(self.sources.iter().map(|s| s.id.as_str()))?;
        let providers = unique_ids(self.providers.iter().map(|p| p.id.as_str()))?;
        unique_ids(self.commitments.iter().map(|c| c.id.as_str()))?;
        let cited = |cites: &[Cite]| {
            cites
                .iter()
                .all(|c| c.source.as_deref().is_none_or(|s| sources.contains(s)))
        };
        let supplied = |p: Option<&str>| p.is_none_or(|p| providers.contains(p));
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
        let valid = self.providers.iter().all(|p| cited(&p.cites))
            && self
                .commitments
                .iter()
                .all(|c| supplied(Some(&c.provider)) && cited(&c.cites))
            && capacity.as_ref().is_none_or(|c| {
                cited(&c.cites)
                    && c.milestones
                        .iter()
                        .all(|m| supplied(m.provider.as_deref()) && cited(&m.cites))
            })
            && self.notes.iter().all(|n| cited(&n.cites));
        if !valid {
            return None;
        }
        drop((sources, providers));
        assemble(
            1,
            meta,
            self.sources,
            self.providers,
            self.commitments,
            capacity.into_iter().collect(),
            self.notes,
        )
    }
}

/// The ids as a set, or `None` if one repeats.
fn unique_ids<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Option<HashSet<&'a str>> {
    let len = ids.len();
    let set: HashSet<&str> = ids.collect();
    (set.len() == len).then_some(set)
}
