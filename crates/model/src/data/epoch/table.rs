//! A table read: told apart by its header row (never by its file's name),
//! every row checked against the header's width and read by the table's
//! own module, every problem located.

use std::collections::HashMap;
use std::ops::Range;

use super::cells::{CLUSTERS_SOURCE, Cells, HUB_SOURCE, Header, slug};
use super::clusters::{self, ClusterRow};
use super::sites::{self, SiteRow};
use super::timelines::{self, TimelineRow};
use crate::data::error::Problem;

/// The tables gigawatt reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// The Frontier Data Centers hub's data centers.
    Sites,
    /// The hub's dated states of its data centers.
    Timeline,
    /// The GPU Clusters dataset.
    Clusters,
}

impl TableKind {
    /// What a file of this kind is called, as its dataset's title.
    pub fn title(self) -> &'static str {
        match self {
            TableKind::Sites => "Epoch AI: data centers",
            TableKind::Timeline => "Epoch AI: data center timelines",
            TableKind::Clusters => "Epoch AI: GPU clusters",
        }
    }

    /// The source its records cite.
    pub fn source(self) -> &'static str {
        match self {
            TableKind::Sites | TableKind::Timeline => HUB_SOURCE,
            TableKind::Clusters => CLUSTERS_SOURCE,
        }
    }
}

/// A table's rows, as its module reads them.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Sites(Vec<SiteRow>),
    Timeline(Vec<TimelineRow>),
    Clusters(Vec<ClusterRow>),
}

/// One of Epoch AI's tables, read but not yet joined to a set (`join`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Rows,
    /// Columns gigawatt does not know, as the header names them: not read.
    pub unknown_columns: Vec<String>,
}

impl Table {
    pub fn kind(&self) -> TableKind {
        match self.rows {
            Rows::Sites(_) => TableKind::Sites,
            Rows::Timeline(_) => TableKind::Timeline,
            Rows::Clusters(_) => TableKind::Clusters,
        }
    }

    /// Its records, the header aside.
    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Sites(rows) => rows.len(),
            Rows::Timeline(rows) => rows.len(),
            Rows::Clusters(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids of the sites it defines, which a set's deals may name.
    pub fn site_ids(&self) -> Vec<String> {
        match &self.rows {
            Rows::Sites(rows) => rows.iter().map(|r| r.site.id.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Where the record of `kind` ("site", "cluster") with `id` is: its
    /// line, key column and cell.
    pub fn place(&self, kind: &str, id: &str) -> Option<(usize, String, Range<usize>)> {
        let at = match (&self.rows, kind) {
            (Rows::Sites(rows), "site") => rows.iter().find(|r| r.site.id == id).map(|r| &r.at),
            (Rows::Clusters(rows), "cluster") => {
                rows.iter().find(|r| r.cluster.id == id).map(|r| &r.at)
            }
            _ => None,
        }?;
        Some((at.line, at.column.clone(), at.span.clone()))
    }
}

/// The table's columns, by kind: which kind a header is.
enum Columns {
    Sites(sites::Columns),
    Timeline(timelines::Columns),
    Clusters(clusters::Columns),
}

impl Columns {
    /// The kind whose columns `header` has, tried most particular first (a
    /// clusters table has a `Name`, as the data centers table may), with
    /// the header marked where the kind reads it.
    fn of(header: &mut Header) -> Option<Columns> {
        if let Some(c) = timelines::Columns::of(header) {
            return Some(Columns::Timeline(c));
        }
        header.unmark();
        if let Some(c) = clusters::Columns::of(header) {
            return Some(Columns::Clusters(c));
        }
        header.unmark();
        sites::Columns::of(header).map(Columns::Sites)
    }

    fn unread(&self) -> &'static [&'static str] {
        match self {
            Columns::Sites(_) => sites::UNREAD,
            Columns::Timeline(_) => timelines::UNREAD,
            Columns::Clusters(_) => clusters::UNREAD,
        }
    }
}

/// Whether `line`, a file's first, is a header gigawatt reads.
pub fn is_header(line: &str) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(record)) => Columns::of(&mut Header::new(&record)).is_some(),
        _ => false,
    }
}

/// What a table must have, in words, for the message on one gigawatt
/// does not read.
const KNOWN_TABLES: &str = "expected Epoch AI's data centers (Handle or Name, Current power \
    (MW)), timelines (Date, Data center) or GPU clusters (Name, Certainty, Chip type (primary))";

/// Reads a table, or says what is wrong with it, every problem located.
pub fn read(text: &str) -> Result<Table, Vec<Problem>> {
    let whole_line = |message: &str| Problem {
        line: 1,
        column: 0,
        path: String::new(),
        message: message.to_string(),
        span: 0..text.find(['\r', '\n']).unwrap_or(text.len()),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(vec![whole_line("the file is empty; expected a header row")]),
        Some(Err(e)) => return Err(vec![whole_line(&format!("cannot read the header: {e}"))]),
        Some(Ok(record)) => record,
    };
    let mut header = Header::new(&header);
    if let Some(twice) = header.repeated() {
        let mut problem = whole_line("the header names this column twice");
        problem.path = header.name(twice).to_string();
        return Err(vec![problem]);
    }
    let Some(columns) = Columns::of(&mut header) else {
        return Err(vec![whole_line(&format!(
            "not a table gigawatt reads: {KNOWN_TABLES}"
        ))]);
    };
    let unknown_columns = header.unknown(columns.unread());
    let mut problems = Vec::new();
    let mut sites = Vec::new();
    let mut timeline = Vec::new();
    let mut clusters = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let (line, byte) = e
                    .position()
                    .map_or((0, text.len()), |p| (p.line() as usize, p.byte() as usize));
                problems.push(Problem {
                    line,
                    column: 0,
                    path: String::new(),
                    message: format!("cannot read the row: {e}"),
                    span: byte..byte,
                });
                continue;
            }
        };
        let (start, line) = start_of(text, &record);
        let mut cells = Cells {
            text,
            record: &record,
            start,
            line,
            header: &header,
            problems: &mut problems,
        };
        if !fits(&mut cells) {
            continue;
        }
        match &columns {
            Columns::Sites(c) => sites.extend(sites::row(c, &mut cells)),
            Columns::Timeline(c) => timeline.extend(timelines::row(c, &mut cells)),
            Columns::Clusters(c) => clusters.extend(clusters::row(c, &mut cells)),
        }
    }
    let rows = match columns {
        Columns::Sites(_) => Rows::Sites(unique_sites(sites, &mut problems)),
        Columns::Timeline(_) => Rows::Timeline(timeline),
        Columns::Clusters(_) => Rows::Clusters(named_clusters(clusters)),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Table {
        rows,
        unknown_columns,
    })
}

/// Where a record starts: its first byte and line. The csv crate places a
/// record after a CRLF at that line's `\n` (and after blank lines at the
/// first of them): its place is moved on to the record's first field.
fn start_of(text: &str, record: &csv::StringRecord) -> (usize, usize) {
    let Some(p) = record.position() else {
        return (0, 0);
    };
    let (mut start, mut line) = (p.byte() as usize, p.line() as usize);
    while let Some(&b) = text.as_bytes().get(start) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        start += 1;
    }
    (start, line)
}

/// Whether the row has as many fields as the header has columns; if not,
/// a problem says how many, at the first missing column or the first
/// field too many.
fn fits(cells: &mut Cells<'_>) -> bool {
    let (fields, columns) = (cells.record.len(), cells.header.len());
    if fields == columns {
        return true;
    }
    if fields < columns {
        let message = format!("missing: the row has {fields} fields, the header {columns} columns");
        let mut problem = cells.place(fields.saturating_sub(1)).problem(message);
        problem.path = cells.header.name(fields).to_string();
        problem.span = problem.span.end..problem.span.end;
        cells.problems.push(problem);
    } else {
        let message = format!("the row has {fields} fields, the header only {columns} columns");
        let mut problem = cells.place(columns).problem(message);
        problem.path = String::new();
        cells.problems.push(problem);
    }
    false
}

/// The sites, each key once: a key that makes the id of an earlier row's
/// (the same handle, perhaps spelt with other case or punctuation) is a
/// problem at its cell.
fn unique_sites(rows: Vec<SiteRow>, problems: &mut Vec<Problem>) -> Vec<SiteRow> {
    let mut first: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(line) = first.get(&row.site.id) {
            problems.push(row.at.problem(format!(
                "{:?} is the data center of line {line} again; each row must have its own",
                row.handle
            )));
            continue;
        }
        first.insert(row.site.id.clone(), row.at.line);
        out.push(row);
    }
    out
}

/// The clusters with ids: the name's, and for a name used before, the
/// name's with the count so far (`anonymized-chinese-system-2`). Ids
/// follow the rows' order: two downloads may number them differently.
fn named_clusters(mut rows: Vec<ClusterRow>) -> Vec<ClusterRow> {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut taken: std::collections::HashSet<String> = Default::default();
    for row in &mut rows {
        let base = slug(&row.cluster.name);
        let n = seen.entry(base.clone()).or_insert(0);
        let mut id = base.clone();
        loop {
            *n += 1;
            if *n > 1 {
                id = format!("{base}-{n}");
            }
            // A name that ends in a number may make a later id: skip it.
            if taken.insert(id.clone()) {
                break;
            }
        }
        row.cluster.id = id;
    }
    rows
}
