//! What the tabs show, computed once per load: display strings, sort keys
//! and search text for every row, so that no keystroke re-parses or
//! re-formats a figure.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::data::{Commitment, Dataset, Vocabulary};
use crate::derive::{self, Derived, Ramp};
use crate::figure::Figure;
use crate::text::escape_controls;

/// A sortable cell value; missing values sort last in either direction.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Missing,
}

impl SortKey {
    /// Ascending order with `Missing` after everything.
    pub fn cmp_present(&self, other: &SortKey) -> Option<Ordering> {
        match (self, other) {
            (SortKey::Text(a), SortKey::Text(b)) => Some(a.cmp(b)),
            (SortKey::Number(a), SortKey::Number(b)) => Some(a.total_cmp(b)),
            (SortKey::Date(a), SortKey::Date(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

fn text_key(s: &str) -> SortKey {
    SortKey::Text(s.to_lowercase())
}

fn figure_key(f: Option<&Figure>) -> SortKey {
    f.map_or(SortKey::Missing, |f| SortKey::Number(f.value))
}

fn date_key(d: Option<NaiveDate>) -> SortKey {
    d.map_or(SortKey::Missing, SortKey::Date)
}

/// One row of a table tab: cells already formatted, keys already computed.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<String>,
    pub keys: Vec<SortKey>,
    /// Lowercased text that search looks in.
    pub haystack: String,
    /// Record id, to find the row again after a reload.
    pub id: String,
}

/// A column: its title, how wide it likes to be, and how soon it goes on
/// narrow screens (0 never goes, higher goes first).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: u16,
    pub drop: u8,
    pub right: bool,
}

const fn col(title: &'static str, width: u16, drop: u8, right: bool) -> Column {
    Column {
        title,
        width,
        drop,
        right,
    }
}

pub const PROVIDER_COLUMNS: &[Column] = &[
    col("Provider", 20, 0, false),
    col("Parent", 10, 2, false),
    col("Kind", 11, 1, false),
    col("Deals", 5, 0, true),
    col("Disclosed", 14, 0, true),
    col("Share", 6, 0, true),
];

pub const COMMITMENT_COLUMNS: &[Column] = &[
    col("Provider", 21, 0, false),
    col("Value", 11, 0, true),
    col("Term", 7, 0, true),
    col("Per year", 10, 1, true),
    col("Announced", 10, 3, false),
    col("Status", 8, 1, false),
    col("Online by", 10, 2, false),
    col("Share", 6, 0, true),
];

pub const NOTE_COLUMNS: &[Column] = &[
    col("Date", 10, 0, false),
    col("Subject", 10, 1, false),
    col("Kind", 9, 2, false),
    col("Change", 7, 0, true),
    col("Amount", 8, 0, true),
    col("Headline", 24, 0, false),
];

/// Everything the tabs read, derived from one dataset.
#[derive(Debug, Clone)]
pub struct ViewData {
    pub dataset: Dataset,
    pub total: Derived,
    pub providers: Vec<Row>,
    /// Per provider: the disclosed total of its commitments.
    pub provider_totals: Vec<Derived>,
    pub commitments: Vec<Row>,
    /// Per commitment: derived figures (share, per year) for the detail view.
    pub commitment_derived: Vec<Vec<Derived>>,
    pub notes: Vec<Row>,
    pub ramp: Option<Ramp>,
    pub implied_cost_per_gw: Option<Derived>,
}

fn or_dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "—".into())
}

fn share_text(share: &Option<Derived>) -> (String, SortKey) {
    match share.as_ref().and_then(Derived::figure) {
        Some(f) => (
            format!("{}{:.1}%", f.qualifier.symbol(), f.value),
            SortKey::Number(f.value),
        ),
        None => ("—".into(), SortKey::Missing),
    }
}

/// "▲ +5%" / "▼ −2.5%": the arrow and sign say it without colour.
pub fn change_text(f: &Figure) -> String {
    let arrow = if f.value > 0.0 {
        "▲"
    } else if f.value < 0.0 {
        "▼"
    } else {
        "="
    };
    let sign = if f.value > 0.0 { "+" } else { "" };
    let number = crate::figure::number(f.value.abs(), 2);
    let sign = if f.value < 0.0 { "−" } else { sign };
    format!("{arrow} {}{sign}{number}%", f.qualifier.symbol())
}

impl ViewData {
    pub fn new(dataset: Dataset) -> ViewData {
        let all: Vec<&Commitment> = dataset.commitments.iter().collect();
        let total = derive::committed_total(&all);

        let mut provider_totals = Vec::with_capacity(dataset.providers.len());
        // Group once: providers × commitments would be quadratic at 100k.
        let mut by_provider: std::collections::HashMap<&str, Vec<&Commitment>> =
            std::collections::HashMap::new();
        for c in &dataset.commitments {
            by_provider.entry(c.provider.as_str()).or_default().push(c);
        }
        let providers = dataset
            .providers
            .iter()
            .map(|p| {
                let own = by_provider.get(p.id.as_str()).cloned().unwrap_or_default();
                let sub = derive::committed_total(&own);
                let share = sub.figure().zip(total.figure()).and_then(|(s, t)| {
                    (t.value > 0.0).then(|| {
                        let (q, v) = crate::figure::quotient(s, s.value, t, t.value);
                        Derived {
                            key: String::new(),
                            label: String::new(),
                            value: derive::DerivedValue::Figure(Figure::derived(
                                q,
                                v * 100.0,
                                crate::figure::Unit::Percent,
                            )),
                            covers: None,
                            formula: String::new(),
                        }
                    })
                });
                let (share_cell, share_key) = share_text(&share);
                let disclosed = match (&sub.value, sub.covers) {
                    (_, Some((0, 0))) => "none".to_string(),
                    (derive::DerivedValue::Undisclosed, _) => "undisclosed".to_string(),
                    (_, Some((n, m))) if n < m => format!("{} ({n}/{m})", sub.compact()),
                    _ => sub.compact(),
                };
                let row = Row {
                    cells: vec![
                        escape_controls(&p.name).into_owned(),
                        or_dash(p.parent.as_deref().map(|s| escape_controls(s).into_owned())),
                        p.kind.as_str().to_string(),
                        own.len().to_string(),
                        disclosed,
                        share_cell,
                    ],
                    keys: vec![
                        text_key(&p.name),
                        p.parent.as_deref().map_or(SortKey::Missing, text_key),
                        text_key(p.kind.as_str()),
                        SortKey::Number(own.len() as f64),
                        figure_key(sub.figure()),
                        share_key,
                    ],
                    haystack: format!(
                        "{} {} {} {} {}",
                        p.name,
                        p.parent.as_deref().unwrap_or(""),
                        p.kind.as_str(),
                        p.hardware.join(" "),
                        p.summary.as_deref().unwrap_or("")
                    )
                    .to_lowercase(),
                    id: p.id.clone(),
                };
                provider_totals.push(sub);
                row
            })
            .collect();

        let mut commitment_derived = Vec::with_capacity(dataset.commitments.len());
        let commitments = dataset
            .commitments
            .iter()
            .map(|c| {
                let provider_name = dataset
                    .provider(&c.provider)
                    .map_or(c.provider.as_str(), |p| p.name.as_str());
                let share = derive::share(c, &total);
                let per_year = derive::value_per_year(c);
                let (share_cell, share_key) = share_text(&share);
                let row = Row {
                    cells: vec![
                        escape_controls(provider_name).into_owned(),
                        c.value
                            .as_ref()
                            .map_or("undisclosed".into(), |v| v.compact()),
                        or_dash(c.term.as_ref().map(Figure::compact)),
                        or_dash(
                            per_year
                                .as_ref()
                                .map(|d| d.compact().trim_end_matches("/yr").to_string()),
                        ),
                        or_dash(c.announced.map(|d| d.to_string())),
                        c.status.as_str().to_string(),
                        or_dash(c.online_by.map(|d| d.to_string())),
                        share_cell,
                    ],
                    keys: vec![
                        text_key(provider_name),
                        figure_key(c.value.as_ref()),
                        c.term
                            .as_ref()
                            .and_then(Figure::years)
                            .map_or(SortKey::Missing, SortKey::Number),
                        figure_key(per_year.as_ref().and_then(Derived::figure)),
                        date_key(c.announced),
                        text_key(c.status.as_str()),
                        date_key(c.online_by),
                        share_key,
                    ],
                    haystack: format!(
                        "{} {} {} {} {}",
                        c.id,
                        provider_name,
                        c.value.as_ref().map_or("undisclosed", |v| v.text.as_str()),
                        c.status.as_str(),
                        c.summary.as_deref().unwrap_or("")
                    )
                    .to_lowercase(),
                    id: c.id.clone(),
                };
                commitment_derived.push(share.into_iter().chain(per_year).collect());
                row
            })
            .collect();

        // Notes have no id in the format; their position and headline stand in.
        let notes = dataset
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| Row {
                cells: vec![
                    or_dash(n.date.map(|d| d.to_string())),
                    escape_controls(&n.subject).into_owned(),
                    n.kind.as_str().to_string(),
                    n.change.as_ref().map_or(String::new(), change_text),
                    n.amount.as_ref().map_or(String::new(), Figure::compact),
                    escape_controls(&n.headline).into_owned(),
                ],
                keys: vec![
                    date_key(n.date),
                    text_key(&n.subject),
                    text_key(n.kind.as_str()),
                    figure_key(n.change.as_ref()),
                    figure_key(n.amount.as_ref()),
                    text_key(&n.headline),
                ],
                haystack: format!(
                    "{} {} {} {} {}",
                    n.subject,
                    n.kind.as_str(),
                    n.headline,
                    n.speaker.as_deref().unwrap_or(""),
                    n.body.as_deref().unwrap_or("")
                )
                .to_lowercase(),
                id: format!("{i}:{}", n.headline),
            })
            .collect();

        let (ramp, implied_cost_per_gw) = match &dataset.capacity {
            Some(capacity) => (
                capacity
                    .target
                    .as_ref()
                    .zip(capacity.build_rate.as_ref())
                    .and_then(|(target, rate)| {
                        derive::ramp(
                            dataset.as_of,
                            target,
                            rate,
                            capacity.cost_per_gw.as_ref(),
                            Some(&total),
                        )
                    }),
                capacity
                    .target_cost
                    .as_ref()
                    .zip(capacity.target.as_ref())
                    .and_then(|(cost, target)| derive::implied_cost_per_gw(cost, target)),
            ),
            None => (None, None),
        };

        ViewData {
            dataset,
            total,
            providers,
            provider_totals,
            commitments,
            commitment_derived,
            notes,
            ramp,
            implied_cost_per_gw,
        }
    }

    /// The commitment indices of a provider.
    pub fn commitments_of<'a>(&'a self, provider_id: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.dataset
            .commitments
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.provider == provider_id)
            .map(|(i, _)| i)
    }
}

/// Record order for a table: `sort` column ascending (or descending), missing
/// values last either way, ties in file order. `None` keeps file order.
pub fn sorted_order(
    rows: &[Row],
    filter: &[usize],
    sort: Option<usize>,
    reverse: bool,
) -> Vec<usize> {
    let mut order = filter.to_vec();
    if let Some(column) = sort {
        order.sort_by(|&a, &b| {
            let (ka, kb) = (&rows[a].keys[column], &rows[b].keys[column]);
            match ka.cmp_present(kb) {
                Some(o) if reverse => o.reverse(),
                Some(o) => o,
                None => match (ka, kb) {
                    (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
                    (SortKey::Missing, _) => Ordering::Greater,
                    (_, SortKey::Missing) => Ordering::Less,
                    _ => Ordering::Equal,
                },
            }
            .then(a.cmp(&b))
        });
    } else if reverse {
        order.reverse();
    }
    order
}
