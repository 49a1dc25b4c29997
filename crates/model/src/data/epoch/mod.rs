//! Epoch AI's CSV downloads as data files: the Frontier Data Centers
//! hub's data centers (`sites`) and their timelines (`timelines`), and the
//! GPU Clusters dataset (`clusters`), one module a table, each knowing its
//! columns, how to tell its header and how to read a row (`cells` holds
//! what they share, `table` tells them apart and reads a file). A set
//! reads them beside its TOML files: `join` names each timeline row's site
//! and each owner's and user's party across the set.
//!
//! A file is read as a table when it is named `*.csv` or its first line is
//! a header one of the tables has; which table is told by the header
//! alone, its columns read by name in any order, renamed ones under their
//! known names (`Handle` or `Name`), unknown ones counted and not read.
//! Exports change over time (Epoch AI's README: "column names and order
//! are those of this snapshot"), so nothing depends on a column's place.

mod cells;
mod clusters;
mod join;
mod sites;
mod table;
mod timelines;

use std::path::Path;

use chrono::NaiveDate;

pub use join::{Joined, PartyNames, join};
pub use table::{Table, TableKind, is_header};

use super::error::{LoadError, Problem};
use super::model::{Dataset, FileInfo, Lookup};

/// Whether the file `name`, holding `text`, is read as a table: named
/// `*.csv` (which table it is, or that it is none gigawatt reads, the
/// header then says), or headed by a row a table has.
pub fn is_table(name: &str, text: &str) -> bool {
    let csv = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    csv || is_header(text.lines().next().unwrap_or_default())
}

/// Reads a table, or says what is wrong with it, every problem located at
/// its line and column name (`FILE:LINE: Date: ...`).
pub fn read(text: &str, file: &str) -> Result<Table, LoadError> {
    table::read(text).map_err(|problems| invalid(file, text, problems))
}

/// `LoadError::Invalid` for a table's problems, in the order of its rows.
pub fn invalid(file: &str, text: &str, mut problems: Vec<Problem>) -> LoadError {
    problems.sort_by_key(|p| (p.line, p.span.start));
    LoadError::Invalid {
        file: file.to_string(),
        source_text: text.to_string(),
        problems,
    }
}

/// A table's file as a dataset, from its joined records. A table says
/// nothing of when it was made: its `as_of` is the set's (its ledger's
/// latest), or today for tables alone, the day of reading being the
/// latest day the download can be of.
pub fn dataset(table: &Table, joined: Joined, as_of: NaiveDate) -> Dataset {
    let kind = table.kind();
    let summary = format!(
        "{} read from Epoch AI's download, which Epoch AI publishes under the Creative \
         Commons Attribution licence: credit Epoch AI.",
        kind.title()
    );
    Dataset {
        title: kind.title().to_string(),
        subject: String::new(),
        subject_id: None,
        as_of,
        summary: Some(summary.clone()),
        files: vec![FileInfo {
            name: String::new(),
            title: kind.title().to_string(),
            subject: None,
            as_of,
            format: 2,
            summary: Some(summary),
            unknown_columns: table.unknown_columns.clone(),
        }],
        sources: vec![cells::source(kind.source())],
        providers: joined.parties,
        subject_party: None,
        other_subjects: Vec::new(),
        commitments: Vec::new(),
        capacities: Vec::new(),
        notes: Vec::new(),
        sites: joined.sites,
        clusters: joined.clusters,
        lookup: Lookup::default(),
    }
}

/// A table read as a file of its own: its names make parties of their
/// own, and a timeline's rows find no site (they need the data centers
/// table beside them, in a set).
pub fn load_alone(text: &str, file: &str) -> Result<Dataset, LoadError> {
    let table = read(text, file)?;
    let mut names = PartyNames::default();
    match join(&[&table], &mut names).pop() {
        Some(Ok(joined)) => Ok(dataset(&table, joined, today()).named(file)),
        Some(Err(problems)) => Err(invalid(file, text, problems)),
        None => Ok(dataset(&table, Joined::default(), today()).named(file)),
    }
}

/// The day of reading, where a table needs a day and its set gives none.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
