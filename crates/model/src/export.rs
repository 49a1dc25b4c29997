//! Tables for `gigawatt export` and the TUI's `e`: one set of columns, three
//! formats. Columns are stable, so scripts can rely on them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::data::{
    Cite, Cluster, Commitment, Dataset, DealError, DealFile, Milestone, Note, Party, Site,
    SiteEntry, Vocabulary,
};
use crate::figure::{Figure, HedgedDate};
use crate::ledger::{self, DerivedValue, LeftOut};

/// The tables `gigawatt export` writes; their columns are listed in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableName {
    /// Each provider with its deal count, disclosed total and share
    Providers,
    /// Each commitment with its value, hedge, term, dates and status
    Commitments,
    /// The capacity plan's milestones
    Milestones,
    /// Market reactions
    Notes,
    /// Totals, shares, per-year and per-GW figures, the ramp, with formulas
    Derived,
    /// Each party (lab, cloud, chipmaker, investor...): the providers table
    Parties,
    /// Each site (campus) with its owner, users, the hub's current figures
    /// and its power at the data's date
    Sites,
    /// Each dated entry of every site's timeline
    SiteTimeline,
    /// Each compute cluster with its owners, users, H100 equivalents and power
    Clusters,
}

impl TableName {
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Providers => "providers",
            TableName::Commitments => "commitments",
            TableName::Milestones => "milestones",
            TableName::Notes => "notes",
            TableName::Derived => "derived",
            TableName::Parties => "parties",
            TableName::Sites => "sites",
            TableName::SiteTimeline => "site-timeline",
            TableName::Clusters => "clusters",
        }
    }
}

/// How `gigawatt export` writes a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row; formula-like cells get a leading '
    #[default]
    Csv,
    /// An array of objects, one per row; null for absent values
    Json,
    /// A pipe table
    Markdown,
}

impl Format {
    /// The file name extension for this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "md",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            // Whole numbers print without a trailing ".0" (610400000000).
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            Cell::Number(n) => write!(f, "{n}"),
            Cell::Empty => Ok(()),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt<T: ToString>(value: Option<T>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

/// A date as `YYYY-MM-DD`, the year padded to four digits (`0001`). Years
/// past 9999 (a derived date far ahead) keep their digits without the `+`
/// sign chrono's ISO 8601 form puts before them.
pub fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn date(value: Option<NaiveDate>) -> Cell {
    value.map_or(Cell::Empty, |d| Cell::Text(iso_date(d)))
}

/// A hedged date: one day as `date` writes it, anything looser as shown
/// ("H2 2026", "by end-2026").
fn hedged_date(value: Option<&HedgedDate>) -> Cell {
    match value {
        Some(d) => match d.day() {
            Some(day) => Cell::Text(iso_date(day)),
            None => Cell::Text(d.to_string()),
        },
        None => Cell::Empty,
    }
}

fn num(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Number)
}

/// A figure's interval as `_low` and `_high` cells, times `factor` (to
/// the column's unit); an unbounded end is empty.
fn bounds(f: Option<&Figure>, factor: f64) -> [Cell; 2] {
    match f {
        Some(f) if f.is_unbounded() => [Cell::Empty, Cell::Empty],
        Some(f) => [
            num(f.interval.low_bound().map(|v| round6(v * factor))),
            num(f.interval.high_bound().map(|v| round6(v * factor))),
        ],
        None => [Cell::Empty, Cell::Empty],
    }
}

/// A hedged date's first and last possible days, as `_earliest` and
/// `_latest` cells; an open end is empty.
fn date_bounds(d: Option<&HedgedDate>) -> [Cell; 2] {
    match d {
        Some(d) => [date(d.earliest), date(d.latest)],
        None => [Cell::Empty, Cell::Empty],
    }
}

/// Years per base unit of a term: 1 for "7 years", 1/52.18 for weeks.
fn years_factor(term: &Figure) -> f64 {
    match term.years() {
        Some(y) if term.value != 0.0 => y / term.value,
        _ => 1.0,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

pub const COMMITMENT_COLUMNS: &[&str] = &[
    "id",
    "provider",
    "provider_name",
    "value_usd",
    "value_qualifier",
    "value_text",
    "term_years",
    "announced",
    "status",
    "online_by",
    "source",
    "at",
    // Format 2, after format 1's columns so that scripts reading by
    // position keep working.
    "buyer",
    "buyer_name",
    "kind",
    "power_w",
    "power_qualifier",
    "power_text",
    "starts",
    "supersedes",
    "file",
    "value_usd_low",
    "value_usd_high",
    "term_years_low",
    "term_years_high",
    "power_w_low",
    "power_w_high",
    "announced_earliest",
    "announced_latest",
    "online_by_earliest",
    "online_by_latest",
    "starts_earliest",
    "starts_latest",
    "left_out",
];

pub const PARTY_COLUMNS: &[&str] = &[
    "id",
    "name",
    "parent",
    "kind",
    "hardware",
    "commitments",
    "disclosed_usd",
    "disclosed_qualifier",
    "covers",
    "share_pct",
    "source",
    "at",
    "disclosed_usd_low",
    "disclosed_usd_high",
];

pub const MILESTONE_COLUMNS: &[&str] = &[
    "date",
    "label",
    "provider",
    "source",
    "at",
    "date_earliest",
    "date_latest",
];

pub const NOTE_COLUMNS: &[&str] = &[
    "date",
    "subject",
    "kind",
    "headline",
    "change_pct",
    "change_qualifier",
    "amount_usd",
    "amount_qualifier",
    "amount_text",
    "speaker",
    "body",
    "source",
    "at",
    "change_pct_low",
    "change_pct_high",
    "amount_usd_low",
    "amount_usd_high",
    "date_earliest",
    "date_latest",
];

pub const DERIVED_COLUMNS: &[&str] = &[
    "key",
    "label",
    "value",
    "unit",
    "qualifier",
    "covers",
    "formula",
    "value_low",
    "value_high",
];

pub const SITE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "owner_name",
    "owner_confidence",
    "users",
    "project",
    "country",
    "region",
    "status",
    "current_power_w",
    "current_power_qualifier",
    "current_h100e",
    "current_h100e_qualifier",
    "current_capex_usd",
    "current_capex_qualifier",
    "power_w",
    "power_qualifier",
    "it_power_w",
    "it_power_qualifier",
    "as_of",
    "planned_power_w",
    "planned_power_qualifier",
    "source",
    "at",
    "file",
    "current_power_w_low",
    "current_power_w_high",
    "current_h100e_low",
    "current_h100e_high",
    "current_capex_usd_low",
    "current_capex_usd_high",
    "power_w_low",
    "power_w_high",
    "it_power_w_low",
    "it_power_w_high",
    "planned_power_w_low",
    "planned_power_w_high",
    "as_of_earliest",
    "as_of_latest",
];

pub const SITE_TIMELINE_COLUMNS: &[&str] = &[
    "site",
    "site_name",
    "date",
    "power_w",
    "power_qualifier",
    "it_power_w",
    "it_power_qualifier",
    "h100e",
    "h100e_qualifier",
    "buildings",
    "capex_usd",
    "capex_qualifier",
    "status",
    "plan",
    "source",
    "at",
    "file",
    "power_w_low",
    "power_w_high",
    "it_power_w_low",
    "it_power_w_high",
    "h100e_low",
    "h100e_high",
    "capex_usd_low",
    "capex_usd_high",
    "date_earliest",
    "date_latest",
];

pub const CLUSTER_COLUMNS: &[&str] = &[
    "id",
    "name",
    "status",
    "certainty",
    "owners",
    "owner_name",
    "users",
    "country",
    "h100e",
    "h100e_qualifier",
    "power_w",
    "power_qualifier",
    "chips",
    "first_operational",
    "source",
    "at",
    "file",
    "h100e_low",
    "h100e_high",
    "power_w_low",
    "power_w_high",
    "first_operational_earliest",
    "first_operational_latest",
];

/// A table of the dataset, whole. `order`, when given, picks and orders
/// the records (the TUI passes what is on screen, filtered and sorted).
/// `stream` writes the same rows without holding them.
pub fn table(dataset: &Dataset, name: TableName, order: Option<&[usize]>) -> Table {
    let mut rows = Vec::new();
    let made: Result<(), std::convert::Infallible> = each_row(dataset, name, order, &mut |row| {
        rows.push(row);
        Ok(())
    });
    // Nothing can fail when rows are only collected.
    let _ = made;
    Table {
        columns: columns(name),
        rows,
    }
}

/// The columns of a table.
pub fn columns(name: TableName) -> &'static [&'static str] {
    match name {
        TableName::Commitments => COMMITMENT_COLUMNS,
        TableName::Providers | TableName::Parties => PARTY_COLUMNS,
        TableName::Milestones => MILESTONE_COLUMNS,
        TableName::Notes => NOTE_COLUMNS,
        TableName::Derived => DERIVED_COLUMNS,
        TableName::Sites => SITE_COLUMNS,
        TableName::SiteTimeline => SITE_TIMELINE_COLUMNS,
        TableName::Clusters => CLUSTER_COLUMNS,
    }
}

/// Makes the rows of a table one at a time and hands each to `sink`, which
/// may stop the run with an error. A row is dropped once handed over, so
/// a table written as it is made never exists whole (`export` at 100k
/// commitments would otherwise hold twice the dataset in cells).
pub fn each_row<E>(
    dataset: &Dataset,
    name: TableName,
    order: Option<&[usize]>,
    sink: &mut dyn FnMut(Vec<Cell>) -> Result<(), E>,
) -> Result<(), E> {
    // Every record, or those `order` picks that exist, in its order.
    let pick = |len: usize| -> Box<dyn Iterator<Item = usize> + '_> {
        match order {
            Some(order) => Box::new(order.iter().copied().filter(move |&i| i < len)),
            None => Box::new(0..len),
        }
    };
    match name {
        TableName::Commitments => {
            let left_out = ledger::left_out(dataset);
            for i in pick(dataset.commitments.len()) {
                let why = left_out.get(i).copied().flatten();
                sink(commitment_row(dataset, &dataset.commitments[i], why))?;
            }
        }
        TableName::Providers | TableName::Parties => {
            // What each party sold: deals that count, investments apart
            // (format 1's rule: options count, as in `committed_total`).
            let left_out = ledger::left_out(dataset);
            let all: Vec<_> = dataset
                .commitments
                .iter()
                .zip(&left_out)
                .filter(|(c, why)| {
                    c.kind.is_spending()
                        && !matches!(why, Some(LeftOut::Superseded | LeftOut::Cancelled))
                })
                .map(|(c, _)| c)
                .collect();
            let total = ledger::committed_total(&all);
            // Grouped once: a scan of every commitment per provider is
            // quadratic (16 s for 100k commitments).
            let mut by_provider: HashMap<&str, Vec<&Commitment>> = HashMap::new();
            for c in &all {
                by_provider.entry(c.provider.as_str()).or_default().push(c);
            }
            for i in pick(dataset.providers.len()) {
                let p = &dataset.providers[i];
                let own = by_provider
                    .get(p.id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                sink(party_row(p, own, &total))?;
            }
        }
        TableName::Milestones => {
            // Every plan's, in file order.
            let milestones: Vec<&Milestone> = dataset
                .capacities
                .iter()
                .flat_map(|c| &c.milestones)
                .collect();
            for i in pick(milestones.len()) {
                sink(milestone_row(milestones[i]))?;
            }
        }
        TableName::Notes => {
            for i in pick(dataset.notes.len()) {
                sink(note_row(&dataset.notes[i]))?;
            }
        }
        TableName::Derived => match order {
            // Picked and ordered: the figures are needed in any order.
            Some(_) => {
                let all = ledger::all(dataset);
                for i in pick(all.len()) {
                    sink(derived_row(&all[i]))?;
                }
            }
            // In the order they are derived, each written and dropped.
            None => {
                let mut failed = None;
                ledger::each(dataset, &mut |d| {
                    if failed.is_none()
                        && let Err(e) = sink(derived_row(&d))
                    {
                        failed = Some(e);
                    }
                });
                if let Some(e) = failed {
                    return Err(e);
                }
            }
        },
        TableName::Sites => {
            for i in pick(dataset.sites.len()) {
                sink(site_row(dataset, &dataset.sites[i]))?;
            }
        }
        TableName::SiteTimeline => {
            // Every site's entries, site by site in file order, each
            // site's as written (in date order). `order` picks entries.
            let entries: Vec<(&Site, &SiteEntry)> = dataset
                .sites
                .iter()
                .flat_map(|s| s.timeline.iter().map(move |e| (s, e)))
                .collect();
            for i in pick(entries.len()) {
                let (site, entry) = entries[i];
                sink(site_entry_row(dataset, site, entry))?;
            }
        }
        TableName::Clusters => {
            for i in pick(dataset.clusters.len()) {
                sink(cluster_row(dataset, &dataset.clusters[i]))?;
            }
        }
    }
    Ok(())
}

/// A figure's number: none for one bounded neither way
/// (`Figure::is_unbounded`), whose lower end, 0, a reader would take
/// for its value.
/// A figure's value, rounded as its bounds are (`bounds`): rounded apart,
/// a value could fall outside them.
fn figure_value(f: Option<&Figure>) -> Cell {
    num(f.filter(|f| !f.is_unbounded()).map(|f| round6(f.value)))
}

/// A figure's hedge; `unbounded` for one bounded neither way.
fn figure_qualifier(f: Option<&Figure>) -> Cell {
    opt(f.map(|f| {
        if f.is_unbounded() {
            "unbounded"
        } else {
            f.qualifier.code()
        }
    }))
}

fn figure_text(f: Option<&Figure>) -> Cell {
    opt(f.map(|f| f.text.as_str()))
}

/// A deal's figure as written; for one its sources bound neither way,
/// each source's words, lowest first ("up to $60 billion or more than
/// $100 billion"), where the envelope's text would read ">$0".
fn value_text(c: &Commitment, field: &str, f: Option<&Figure>) -> Cell {
    let disputed = f
        .filter(|f| f.is_unbounded())
        .and_then(|_| c.alternatives().iter().find(|d| d.field == field));
    match disputed {
        Some(d) => {
            let mut options: Vec<&Figure> = d.options.iter().map(|(f, _)| f).collect();
            options.sort_by(|a, b| a.interval.low.total_cmp(&b.interval.low));
            let words: Vec<&str> = options.iter().map(|f| f.text.as_str()).collect();
            Cell::Text(words.join(" or "))
        }
        None => figure_text(f),
    }
}

/// A deal's row; `dataset` gives its parties' names and its file's, and
/// `why` says why it is left out of totals, if it is.
fn commitment_row(dataset: &Dataset, c: &Commitment, why: Option<LeftOut>) -> Vec<Cell> {
    let provider = dataset.provider(&c.provider);
    let mut row = Vec::with_capacity(COMMITMENT_COLUMNS.len());
    row.extend([
        text(c.id.as_str()),
        text(c.provider.as_str()),
        opt(provider.map(|p| p.name.as_str())),
        figure_value(c.value.as_ref()),
        figure_qualifier(c.value.as_ref()),
        value_text(c, "value", c.value.as_ref()),
        num(c.term.as_ref().and_then(Figure::years).map(round6)),
        hedged_date(c.announced.as_ref()),
        text(c.status.as_str()),
        hedged_date(c.online_by.as_ref()),
        opt(c.cite().source.as_deref()),
        opt(c.cite().at.as_deref()),
        text(c.buyer.as_str()),
        opt(dataset.party(&c.buyer).map(|p| p.name.as_str())),
        text(c.kind.as_str()),
        figure_value(c.power()),
        figure_qualifier(c.power()),
        value_text(c, "power", c.power()),
        hedged_date(c.starts().as_ref()),
        text(c.supersedes().join("; ")),
        opt(dataset.files.get(c.file_index()).map(|f| f.name.as_str())),
    ]);
    row.extend(bounds(c.value.as_ref(), 1.0));
    row.extend(bounds(
        c.term.as_ref(),
        c.term.as_ref().map_or(1.0, years_factor),
    ));
    row.extend(bounds(c.power(), 1.0));
    row.extend(date_bounds(c.announced.as_ref()));
    row.extend(date_bounds(c.online_by.as_ref()));
    row.extend(date_bounds(c.starts().as_ref()));
    row.push(opt(why.map(|w| w.word())));
    row
}

/// A party's name, or its id when the dataset does not know it.
fn party_name<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    dataset.party(id).map_or(id, |p| p.name.as_str())
}

/// The name of the file a record came from.
fn file_name(dataset: &Dataset, file: usize) -> Cell {
    opt(dataset.files.get(file).map(|f| f.name.as_str()))
}

/// A record's first citation, as the `source` and `at` cells.
fn cite_cells(cite: Option<&Cite>) -> [Cell; 2] {
    [
        opt(cite.and_then(|c| c.source.as_deref())),
        opt(cite.and_then(|c| c.at.as_deref())),
    ]
}

fn site_row(dataset: &Dataset, s: &Site) -> Vec<Cell> {
    let current = s.current.as_ref();
    let now = s.now(dataset.as_of);
    let power = now.and_then(|e| e.power.as_ref());
    let it_power = now.and_then(|e| e.it_power.as_ref());
    let users: Vec<String> = s
        .users
        .iter()
        .map(|u| {
            format!(
                "{} ({})",
                party_name(dataset, &u.party),
                u.confidence.as_str()
            )
        })
        .collect();
    let mut row = Vec::with_capacity(SITE_COLUMNS.len());
    row.extend([
        text(s.id.as_str()),
        text(s.name.as_str()),
        opt(s.owner.as_deref()),
        opt(s.owner.as_deref().map(|o| party_name(dataset, o))),
        opt(s.owner_confidence.map(|c| c.as_str())),
        text(users.join("; ")),
        opt(s.project.as_deref()),
        opt(s.country.as_deref()),
        opt(s.region.as_deref()),
        opt(s.status.map(|st| st.as_str())),
    ]);
    for f in [
        current.and_then(|c| c.power.as_ref()),
        current.and_then(|c| c.h100e.as_ref()),
        current.and_then(|c| c.capex.as_ref()),
        power,
        it_power,
    ] {
        row.extend([figure_value(f), figure_qualifier(f)]);
    }
    row.push(hedged_date(now.map(|e| &e.date)));
    row.extend([
        figure_value(s.power.as_ref()),
        figure_qualifier(s.power.as_ref()),
    ]);
    row.extend(cite_cells(s.cites.first()));
    row.push(file_name(dataset, s.file));
    for f in [
        current.and_then(|c| c.power.as_ref()),
        current.and_then(|c| c.h100e.as_ref()),
        current.and_then(|c| c.capex.as_ref()),
        power,
        it_power,
        s.power.as_ref(),
    ] {
        row.extend(bounds(f, 1.0));
    }
    row.extend(date_bounds(now.map(|e| &e.date)));
    row
}

fn site_entry_row(dataset: &Dataset, s: &Site, e: &SiteEntry) -> Vec<Cell> {
    // A plan: dated after the data's date, so not yet a reading.
    let plan = e.date.anchor().map(|d| d > dataset.as_of);
    let mut row = Vec::with_capacity(SITE_TIMELINE_COLUMNS.len());
    row.extend([
        text(s.id.as_str()),
        text(s.name.as_str()),
        hedged_date(Some(&e.date)),
    ]);
    for f in [e.power.as_ref(), e.it_power.as_ref(), e.h100e.as_ref()] {
        row.extend([figure_value(f), figure_qualifier(f)]);
    }
    row.push(num(e.buildings.map(|b| b as f64)));
    row.extend([
        figure_value(e.capex.as_ref()),
        figure_qualifier(e.capex.as_ref()),
    ]);
    row.push(opt(e.status.as_deref()));
    row.push(opt(plan.map(|p| if p { "plan" } else { "reading" })));
    row.extend(cite_cells(e.cites.first()));
    row.push(file_name(dataset, s.file));
    for f in [
        e.power.as_ref(),
        e.it_power.as_ref(),
        e.h100e.as_ref(),
        e.capex.as_ref(),
    ] {
        row.extend(bounds(f, 1.0));
    }
    row.extend(date_bounds(Some(&e.date)));
    row
}

fn cluster_row(dataset: &Dataset, c: &Cluster) -> Vec<Cell> {
    let names = |ids: &[String]| -> Cell {
        let names: Vec<&str> = ids.iter().map(|id| party_name(dataset, id)).collect();
        text(names.join("; "))
    };
    let mut row = Vec::with_capacity(CLUSTER_COLUMNS.len());
    row.extend([
        text(c.id.as_str()),
        text(c.name.as_str()),
        opt(c.status.as_deref()),
        opt(c.certainty.as_deref()),
        text(c.owners.join("; ")),
        names(&c.owners),
        names(&c.users),
        opt(c.country.as_deref()),
        figure_value(c.h100e.as_ref()),
        figure_qualifier(c.h100e.as_ref()),
        figure_value(c.power.as_ref()),
        figure_qualifier(c.power.as_ref()),
        opt(c.chips.as_deref()),
        hedged_date(c.first_operational.as_ref()),
    ]);
    row.extend(cite_cells(c.cites.first()));
    row.push(file_name(dataset, c.file));
    row.extend(bounds(c.h100e.as_ref(), 1.0));
    row.extend(bounds(c.power.as_ref(), 1.0));
    row.extend(date_bounds(c.first_operational.as_ref()));
    row
}

fn party_row(p: &Party, own: &[&Commitment], total: &ledger::Derived) -> Vec<Cell> {
    let sub = ledger::committed_total(own);
    let share = sub
        .figure()
        .filter(|s| !s.is_unbounded())
        .zip(total.figure())
        .and_then(|(s, t)| (t.value > 0.0).then(|| round6(s.value / t.value * 100.0)));
    let mut row = Vec::with_capacity(PARTY_COLUMNS.len());
    row.extend([
        text(&p.id),
        text(&p.name),
        opt(p.parent.as_deref()),
        text(p.kind.as_str()),
        text(p.hardware.join("; ")),
        Cell::Number(own.len() as f64),
        figure_value(sub.figure()),
        match sub.figure() {
            Some(f) => figure_qualifier(Some(f)),
            None => opt(sub.qualifier().map(|q| q.code())),
        },
        opt(sub.covers_text()),
        num(share),
        opt(p.cite().source.as_deref()),
        opt(p.cite().at.as_deref()),
    ]);
    row.extend(bounds(sub.figure(), 1.0));
    row
}

fn milestone_row(m: &Milestone) -> Vec<Cell> {
    let mut row = Vec::with_capacity(MILESTONE_COLUMNS.len());
    row.extend([
        hedged_date(Some(&m.date)),
        text(&m.label),
        opt(m.provider.as_deref()),
        opt(m.cite().source.as_deref()),
        opt(m.cite().at.as_deref()),
    ]);
    row.extend(date_bounds(Some(&m.date)));
    row
}

fn note_row(n: &Note) -> Vec<Cell> {
    let mut row = Vec::with_capacity(NOTE_COLUMNS.len());
    row.extend([
        hedged_date(n.date.as_ref()),
        text(&n.subject),
        text(n.kind.as_str()),
        text(&n.headline),
        figure_value(n.change.as_ref()),
        figure_qualifier(n.change.as_ref()),
        figure_value(n.amount.as_ref()),
        figure_qualifier(n.amount.as_ref()),
        figure_text(n.amount.as_ref()),
        opt(n.speaker.as_deref()),
        opt(n.body.as_deref()),
        opt(n.cite().source.as_deref()),
        opt(n.cite().at.as_deref()),
    ]);
    row.extend(bounds(n.change.as_ref(), 1.0));
    row.extend(bounds(n.amount.as_ref(), 1.0));
    row.extend(date_bounds(n.date.as_ref()));
    row
}

fn derived_row(d: &ledger::Derived) -> Vec<Cell> {
    // Rounded to what the inputs justify.
    let unbounded = d.figure().is_some_and(Figure::is_unbounded);
    let (value, unit) = match &d.value {
        DerivedValue::Figure(f) if unbounded => (Cell::Empty, text(f.unit.code())),
        DerivedValue::Figure(f) => (num(d.rounded()), text(f.unit.code())),
        DerivedValue::Date(d, _) => (date(Some(*d)), text("date")),
        DerivedValue::DateRange(from, to) => (date(Some(*from + (*to - *from) / 2)), text("date")),
        DerivedValue::Undisclosed => (Cell::Empty, Cell::Empty),
        DerivedValue::Unbounded(unit) => (Cell::Empty, text(unit.code())),
    };
    // A quotient its inputs bound neither way has no hedge to name: it says
    // it is unbounded.
    let qualifier = match &d.value {
        DerivedValue::Unbounded(_) => Some("unbounded"),
        _ if unbounded => Some("unbounded"),
        _ => d.qualifier().map(|q| q.code()),
    };
    let bounds = d.rounded_bounds().filter(|_| !unbounded);
    vec![
        text(&d.key),
        text(&d.label),
        value,
        unit,
        opt(qualifier),
        opt(d.covers_text()),
        text(&d.formula),
        match &d.value {
            DerivedValue::DateRange(from, _) => date(Some(*from)),
            _ => num(bounds.and_then(|(low, _)| low)),
        },
        match &d.value {
            DerivedValue::DateRange(_, to) => date(Some(*to)),
            _ => num(bounds.and_then(|(_, high)| high)),
        },
    ]
}

/// Six decimals are plenty and keep float noise out of exports. A number
/// six decimals would round to zero keeps six significant digits instead:
/// `$0.0000001` is not zero. Rounding never changes the order of two
/// numbers, so a value and its bounds, rounded alike, stay in order.
fn round6(v: f64) -> f64 {
    let six = (v * 1e6).round() / 1e6;
    if six == 0.0 && v != 0.0 {
        ledger::round_significant(v, 6)
    } else {
        six
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An I/O error, also when the CSV or JSON writer met it: it is never
    /// wrapped, so callers can tell a closed pipe from a full disk.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(serde_json::Error),
    #[error("no free file name for {0} after 100 tries")]
    NoFreeName(String),
    /// A file read twice (`stream_deal_file`) was not the same the second time.
    #[error("{0} changed while it was exported; export again")]
    Changed(String),
}

impl ExportError {
    /// The reader went away (`| head`): not worth an error message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ExportError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        if !e.is_io_error() {
            return ExportError::Csv(e);
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ExportError::Io(io),
            // `is_io_error` said it was one.
            _ => ExportError::Io(std::io::Error::other("CSV writer I/O error")),
        }
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            // serde_json hands back the io::Error itself, kind intact.
            ExportError::Io(e.into())
        } else {
            ExportError::Json(e)
        }
    }
}

/// How cells are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Write CSV text cells exactly as they are, even those a spreadsheet
    /// would run as a formula (`gigawatt export --raw`).
    pub raw: bool,
}

/// A CSV text cell made safe for spreadsheets: a cell that begins with `=`,
/// `+`, `-`, `@`, tab or carriage return is run as a formula by Excel,
/// LibreOffice and Google Sheets, so it gets a leading `'` (as OWASP
/// advises). Numeric cells are never text, so `-3` stays a number.
pub fn neutralise_formula(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A Markdown table cell: pipes escaped, line breaks (`\n`, `\r\n`, a lone
/// `\r`) made spaces so a row stays one line.
#[cfg(test)]
fn markdown_cell(s: &str) -> String {
    let mut out = String::new();
    markdown_cell_into(&mut out, s);
    out
}

/// `markdown_cell`, appended to `out`.
fn markdown_cell_into(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push(' ');
            }
            '\n' => out.push(' '),
            '|' => out.push_str("\\|"),
            c => out.push(c),
        }
    }
}

/// Writes a table's rows as they come: the header first, then each row
/// as it is handed over, then whatever closes the format. Nothing but the
/// row being written is held, so output begins at once and memory does
/// not grow with the table.
pub struct RowWriter<'w> {
    options: WriteOptions,
    sink: Sink<'w>,
    rows: usize,
}

enum Sink<'w> {
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
    /// serde_json's own pretty printer, driven a value at a time, so the
    /// output is what `to_writer_pretty` gives for the whole array; `keys`
    /// are the column indices in the order a JSON object (a sorted map)
    /// writes its keys.
    Json {
        out: &'w mut dyn Write,
        pretty: PrettyFormatter<'static>,
        columns: &'static [&'static str],
        keys: Vec<usize>,
    },
    Markdown {
        out: &'w mut dyn Write,
        line: String,
    },
}

impl<'w> RowWriter<'w> {
    /// Starts a table of `columns`: writes what comes before the first row.
    pub fn new(
        columns: &'static [&'static str],
        format: Format,
        options: WriteOptions,
        out: &'w mut dyn Write,
    ) -> Result<RowWriter<'w>, ExportError> {
        let sink = match format {
            Format::Csv => {
                let mut writer = Box::new(csv::Writer::from_writer(out));
                writer.write_record(columns)?;
                Sink::Csv(writer)
            }
            Format::Json => {
                let mut pretty = PrettyFormatter::new();
                pretty.begin_array(out)?;
                let mut keys: Vec<usize> = (0..columns.len()).collect();
                keys.sort_by_key(|&k| columns[k]);
                Sink::Json {
                    out,
                    pretty,
                    columns,
                    keys,
                }
            }
            Format::Markdown => {
                writeln!(out, "| {} |", columns.join(" | "))?;
                writeln!(out, "|{}", " --- |".repeat(columns.len()))?;
                Sink::Markdown {
                    out,
                    line: String::new(),
                }
            }
        };
        Ok(RowWriter {
            options,
            sink,
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn row(&mut self, row: &[Cell]) -> Result<(), ExportError> {
        let first = self.rows == 0;
        self.rows += 1;
        match &mut self.sink {
            Sink::Csv(writer) => {
                let raw = self.options.raw;
                writer.write_record(row.iter().map(|cell| -> Cow<'_, [u8]> {
                    match cell {
                        Cell::Text(s) if !raw => match neutralise_formula(s) {
                            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
                        },
                        Cell::Text(s) => Cow::Borrowed(s.as_bytes()),
                        cell => Cow::Owned(cell.to_string().into_bytes()),
                    }
                }))?;
            }
            Sink::Json {
                out,
                pretty,
                columns,
                keys,
            } => {
                pretty.begin_array_value(out, first)?;
                pretty.begin_object(out)?;
                // As serde_json's map: the row's cells under their columns.
                for (n, &k) in keys.iter().filter(|&&k| k < row.len()).enumerate() {
                    pretty.begin_object_key(out, n == 0)?;
                    serde_json::to_writer(&mut **out, columns[k])?;
                    pretty.end_object_key(out)?;
                    pretty.begin_object_value(out)?;
                    match &row[k] {
                        Cell::Text(s) => serde_json::to_writer(&mut **out, s)?,
                        Cell::Number(n) if n.is_finite() => pretty.write_f64(out, *n)?,
                        Cell::Number(_) | Cell::Empty => pretty.write_null(out)?,
                    }
                    pretty.end_object_value(out)?;
                }
                pretty.end_object(out)?;
                pretty.end_array_value(out)?;
            }
            Sink::Markdown { out, line } => {
                line.clear();
                line.push_str("| ");
                for (n, cell) in row.iter().enumerate() {
                    if n > 0 {
                        line.push_str(" | ");
                    }
                    match cell {
                        Cell::Text(s) => markdown_cell_into(line, s),
                        cell => markdown_cell_into(line, &cell.to_string()),
                    }
                }
                line.push_str(" |\n");
                out.write_all(line.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Closes the table and flushes it; the number of rows written.
    pub fn finish(self) -> Result<usize, ExportError> {
        match self.sink {
            Sink::Csv(mut writer) => writer.flush()?,
            Sink::Json {
                out, mut pretty, ..
            } => {
                pretty.end_array(out)?;
                writeln!(out)?;
            }
            Sink::Markdown { .. } => {}
        }
        Ok(self.rows)
    }
}

/// Writes `table` with the default options: CSV cells that look like
/// formulas are neutralised.
pub fn write(table: &Table, format: Format, out: &mut dyn Write) -> Result<(), ExportError> {
    write_with(table, format, WriteOptions::default(), out)
}

/// Writes a table already made.
pub fn write_with(
    table: &Table,
    format: Format,
    options: WriteOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut writer = RowWriter::new(table.columns, format, options, out)?;
    for row in &table.rows {
        writer.row(row)?;
    }
    writer.finish().map(drop)
}

/// Makes a table of the dataset and writes it as it is made (`table` and
/// `write_with` in one, without the table); the number of rows written.
pub fn stream(
    dataset: &Dataset,
    name: TableName,
    order: Option<&[usize]>,
    format: Format,
    options: WriteOptions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut writer = RowWriter::new(columns(name), format, options, out)?;
    each_row(dataset, name, order, &mut |row| writer.row(&row))?;
    writer.finish()
}

/// `stream` of the commitments table of a file whose deals are read again
/// rather than held (`DealFile`): the same bytes, in the memory of the
/// file's other records.
pub fn stream_deal_file(
    file: &DealFile,
    format: Format,
    options: WriteOptions,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let dataset = file.dataset();
    let mut writer = RowWriter::new(COMMITMENT_COLUMNS, format, options, out)?;
    let written = file.each_deal(&mut |c| {
        let why = ledger::left_out_of(c, file.is_superseded(&c.id));
        writer.row(&commitment_row(dataset, c, why))
    });
    match written {
        Ok(()) => writer.finish(),
        Err(DealError::Emit(e)) => Err(e),
        Err(DealError::Changed) => Err(ExportError::Changed(
            dataset
                .files
                .first()
                .map_or_else(String::new, |f| f.name.clone()),
        )),
    }
}

/// Writes a new file in `dir`, `STEM.EXT`, or `STEM-2.EXT`, ... up to
/// `STEM-100.EXT` when the name is taken: an existing file is never
/// overwritten. `fill` writes the contents (`stream` does, a row at a
/// time). The write is atomic: the rows go to a hidden temporary file in
/// `dir`, which is synced and only then renamed into place, so a full disk
/// or any other failure leaves no file, not a truncated one (the temporary
/// file is removed). Returns the path written and what `fill` returned.
pub fn write_to_dir<T>(
    format: Format,
    dir: &Path,
    stem: &str,
    fill: impl FnOnce(&mut dyn Write) -> Result<T, ExportError>,
) -> Result<(PathBuf, T), ExportError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gigawatt-").suffix(".tmp");
    #[cfg(unix)]
    {
        // As for any new file: 0666 less the umask (tempfile's default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    let filled = {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        let filled = fill(&mut out)?;
        out.flush()?;
        filled
    };
    tmp.as_file().sync_all()?;
    let extension = format.extension();
    for n in 1..=100 {
        let name = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem}-{n}.{extension}")
        };
        let path = dir.join(name);
        match tmp.persist_noclobber(&path) {
            Ok(_) => return Ok((path, filled)),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            // Dropping `e.file` removes the temporary file.
            Err(e) => return Err(e.error.into()),
        }
    }
    Err(ExportError::NoFreeName(format!("{stem}.{extension}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> Table {
        Table {
            columns: &["id", "value"],
            rows: (0..rows)
                .map(|i| vec![text(format!("row-{i}")), Cell::Number(i as f64)])
                .collect(),
        }
    }

    /// `write_to_dir` of a table already made.
    fn to_dir(t: &Table, format: Format, dir: &Path, stem: &str) -> Result<PathBuf, ExportError> {
        write_to_dir(format, dir, stem, |out| write(t, format, out)).map(|(path, ())| path)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Before, a value was exported as read and its bounds rounded to six
    /// decimals: `$0.0000001` had a value of 1e-7 and bounds of 0 and 0,
    /// outside its own bounds (and "exact" at zero).
    #[test]
    fn a_tiny_figure_is_exported_within_its_own_bounds() {
        let deals: String = [
            "$0.0000001",
            "$0.0000001-0.0000003",
            "up to $0.0000004",
            "$0.0000012345",
            "$1.0000004",
            "$38bn",
            "about $0.1",
        ]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "[[commitments]]\nid = \"d{i}\"\nbuyer = \"a\"\nprovider = \"p{i}\"\n\
                 value = \"{v}\"\nstatus = \"signed\"\n[[parties]]\nid = \"p{i}\"\n\
                 name = \"P{i}\"\nkind = \"cloud\"\n"
            )
        })
        .collect();
        let text = format!(
            "format = 2\n[dataset]\ntitle = \"t\"\nas_of = 2025-11-03\n\
             [[sources]]\nid = \"s\"\ntitle = \"S\"\n\
             [[parties]]\nid = \"a\"\nname = \"A\"\nkind = \"lab\"\n{deals}"
        );
        let d = crate::data::load_str(&text, "t.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        for (name, value, low, high) in [
            (
                TableName::Commitments,
                "value_usd",
                "value_usd_low",
                "value_usd_high",
            ),
            (
                TableName::Parties,
                "disclosed_usd",
                "disclosed_usd_low",
                "disclosed_usd_high",
            ),
        ] {
            let t = super::table(&d, name, None);
            let at = |column: &str| {
                t.columns
                    .iter()
                    .position(|c| *c == column)
                    .unwrap_or_else(|| panic!("no {column}"))
            };
            let number = |row: &[Cell], column: &str| match row[at(column)] {
                Cell::Number(v) => Some(v),
                _ => None,
            };
            for row in &t.rows {
                let Some(v) = number(row, value) else {
                    continue;
                };
                let (lo, hi) = (number(row, low), number(row, high));
                let lo = lo.unwrap_or_else(|| panic!("{row:?}: no low bound"));
                assert!(lo <= v, "{name:?} {row:?}: {v} below its low bound {lo}");
                if let Some(hi) = hi {
                    assert!(v <= hi, "{name:?} {row:?}: {v} above its high bound {hi}");
                }
                // A figure above zero is not exported as zero.
                assert!(v > 0.0, "{name:?} {row:?}");
            }
        }
        let t = super::table(&d, TableName::Commitments, None);
        let value = t
            .columns
            .iter()
            .position(|c| *c == "value_usd")
            .unwrap_or(0);
        let values: Vec<String> = t.rows.iter().map(|r| r[value].to_string()).collect();
        assert_eq!(
            values,
            [
                "0.0000001",
                "0.0000002",
                "0.0000004",
                "0.000001",
                "1",
                "38000000000",
                "0.1"
            ]
        );
    }

    #[test]
    fn write_to_dir_never_overwrites_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), "mine").unwrap();
        let path = to_dir(&table(3), Format::Csv, dir.path(), "t").unwrap();
        assert_eq!(path, dir.path().join("t-2.csv"));
        let path = to_dir(&table(3), Format::Markdown, dir.path(), "t").unwrap();
        assert_eq!(path, dir.path().join("t.md"));
        let path = to_dir(&table(3), Format::Csv, dir.path(), "t").unwrap();
        assert_eq!(path, dir.path().join("t-3.csv"));
        assert_eq!(names(dir.path()), ["t-2.csv", "t-3.csv", "t.csv", "t.md"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("t.csv")).unwrap(),
            "mine"
        );
        let mut expected = Vec::new();
        write(&table(3), Format::Csv, &mut expected).unwrap();
        assert_eq!(std::fs::read(dir.path().join("t-2.csv")).unwrap(), expected);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o600, 0o600);
        }
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // 20,000 good rows (far past any buffer), then one the CSV writer refuses.
        let mut t = table(20_000);
        t.rows.push(vec![text("short")]);
        let err = to_dir(&t, Format::Csv, dir.path(), "t").unwrap_err();
        assert!(matches!(err, ExportError::Csv(_)), "{err}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn io_errors_keep_their_kind_through_the_csv_and_json_writers() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for format in [Format::Csv, Format::Json, Format::Markdown] {
            let err = write(&table(3), format, &mut Closed).unwrap_err();
            assert!(err.is_broken_pipe(), "{format:?}: {err:?}");
        }
    }

    #[test]
    fn formulas_are_neutralised_in_text_cells_only() {
        for s in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(s), format!("'{s}"));
        }
        for s in ["plain", "", "1-2", "'=already"] {
            assert_eq!(neutralise_formula(s), s);
        }
        let t = Table {
            columns: &["a", "b"],
            rows: vec![vec![text("=cmd"), Cell::Number(-3.0)]],
        };
        let mut out = Vec::new();
        write(&t, Format::Csv, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,b\n'=cmd,-3\n");
        let mut out = Vec::new();
        write_with(&t, Format::Csv, WriteOptions { raw: true }, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,b\n=cmd,-3\n");
    }

    #[test]
    fn dates_past_9999_have_no_sign() {
        let d = NaiveDate::from_ymd_opt(10000, 7, 28).unwrap();
        assert_eq!(iso_date(d), "10000-07-28");
        let d = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        assert_eq!(iso_date(d), "2025-01-02");
    }

    /// What `Format::Json` wrote when it built the whole array first: the
    /// streamed writer must give the same bytes.
    fn json_whole(t: &Table) -> Vec<u8> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = t
            .rows
            .iter()
            .map(|row| {
                t.columns
                    .iter()
                    .zip(row)
                    .map(|(column, cell)| {
                        let value = match cell {
                            Cell::Text(s) => serde_json::Value::String(s.clone()),
                            Cell::Number(n) => serde_json::Number::from_f64(*n)
                                .map_or(serde_json::Value::Null, serde_json::Value::Number),
                            Cell::Empty => serde_json::Value::Null,
                        };
                        (column.to_string(), value)
                    })
                    .collect()
            })
            .collect();
        let mut out = serde_json::to_vec_pretty(&rows).unwrap();
        out.push(b'\n');
        out
    }

    #[test]
    fn streamed_json_is_what_the_whole_array_gave() {
        let odd = Table {
            // Out of order, so the object's sorted keys differ from the columns'.
            columns: &["zeta", "alpha", "mid", "b"],
            rows: vec![
                vec![
                    text("quote \" back \\ nl \n tab \t bell \u{7} 数据 🚀"),
                    Cell::Number(-0.5),
                    Cell::Empty,
                    Cell::Number(f64::NAN),
                ],
                vec![
                    Cell::Number(1e300),
                    Cell::Number(f64::INFINITY),
                    text(""),
                    Cell::Number(610_400_000_000.0),
                ],
                // Short: as the old writer, only the columns it has.
                vec![text("short")],
            ],
        };
        for t in [table(0), table(1), table(3), odd] {
            let mut out = Vec::new();
            write(&t, Format::Json, &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(json_whole(&t)).unwrap()
            );
        }
    }

    #[test]
    fn markdown_cells_stay_on_one_line() {
        assert_eq!(markdown_cell("a\r\nb\rc\nd|e"), "a b c d\\|e");
        assert_eq!(markdown_cell("\r\r\n\n\r|"), "    \\|");
    }
}
