//! What the tabs show, computed once per load: display strings, sort keys
//! and search text for every row, so that no keystroke re-parses or
//! re-formats a figure.

use std::cmp::Ordering;

use chrono::{Days, NaiveDate};

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
    col("Share", 8, 0, true),
];

pub const COMMITMENT_COLUMNS: &[Column] = &[
    col("Provider", 21, 0, false),
    col("Value", 11, 0, true),
    col("Term", 7, 0, true),
    col("Per year", 10, 1, true),
    col("Announced", 10, 3, false),
    col("Status", 8, 1, false),
    col("Online by", 10, 2, false),
    col("Share", 8, 0, true),
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
    pub notes: Vec<Row>,
    pub ramp: Option<Ramp>,
    pub implied_cost_per_gw: Option<Derived>,
    /// Per provider: the indices of its commitments, in file order.
    pub provider_commitments: Vec<Vec<usize>>,
    /// Per commitment: its span on the ramp tab's timeline, computed once
    /// (at 100k rows, computing them per frame takes most of a frame).
    pub timeline: Vec<Option<TimelineSpan>>,
    /// The largest disclosed commitment value in dollars (0 if none), the
    /// full bar of the commitments chart: a scan of every row per frame
    /// costs half a millisecond at 100k.
    pub max_value: f64,
}

/// A commitment on the timeline: announced, end of the solid bar (online by,
/// or else the end of the term), end of the term (or else online by).
pub type TimelineSpan = (NaiveDate, NaiveDate, NaiveDate);

/// The commitment's timeline span, if it has a start and an end.
pub fn timeline_span(c: &Commitment) -> Option<TimelineSpan> {
    let start = c.announced.and_then(|d| d.anchor());
    let term_end = start
        .zip(c.term.as_ref().and_then(|t| t.weeks()))
        .and_then(|(s, weeks)| s.checked_add_days(Days::new((weeks * 7.0).round() as u64)));
    let online_by = c.online_by.and_then(|d| d.anchor());
    let solid_end = online_by.or(term_end);
    let end = term_end.or(online_by);
    start.zip(solid_end).zip(end).map(|((s, m), e)| (s, m, e))
}

fn or_dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "—".into())
}

fn share_text(share: &Option<Derived>) -> (String, SortKey) {
    match share.as_ref().and_then(Derived::figure) {
        Some(f) => (
            // One decimal, unless that would show a real share as 0.0%.
            format!(
                "{}{}%",
                f.qualifier.symbol(),
                if f.value.abs() >= 0.1 || f.value == 0.0 {
                    format!("{:.1}", f.value)
                } else {
                    crate::figure::significant(f.value, 2)
                }
            ),
            SortKey::Number(f.value),
        ),
        None => ("—".into(), SortKey::Missing),
    }
}

/// A figure where text has room (details, prose): in the source's own
/// words, "up to $10bn", as the file wrote it; figures gigawatt derived
/// have no words of their own and are spelled out. Narrow columns and bars
/// use `Figure::compact`, the symbols: "≤$10bn".
pub fn worded(f: &Figure) -> String {
    match f.wording() {
        Some((text, _)) => escape_controls(text).into_owned(),
        None if !f.text.is_empty() => escape_controls(&f.text).into_owned(),
        None => f.spelled(),
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
        let mut by_provider: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, c) in dataset.commitments.iter().enumerate() {
            by_provider.entry(c.provider.as_str()).or_default().push(i);
        }
        let mut provider_commitments = Vec::with_capacity(dataset.providers.len());
        let providers = dataset
            .providers
            .iter()
            .map(|p| {
                let indices = by_provider.get(p.id.as_str()).cloned().unwrap_or_default();
                let own: Vec<&Commitment> =
                    indices.iter().map(|&i| &dataset.commitments[i]).collect();
                provider_commitments.push(indices);
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
                            covers_more: String::new(),
                            digits: None,
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

        let total_text = total.figure().map(Figure::compact).unwrap_or_default();
        let commitments = dataset
            .commitments
            .iter()
            .map(|c| {
                let provider_name = dataset
                    .provider(&c.provider)
                    .map_or(c.provider.as_str(), |p| p.name.as_str());
                let share = derive::share_of(c, &total, &total_text);
                let per_year = derive::value_per_year(c);
                let (share_cell, share_key) = share_text(&share);
                Row {
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
                        date_key(c.announced.and_then(|d| d.anchor())),
                        text_key(c.status.as_str()),
                        date_key(c.online_by.and_then(|d| d.anchor())),
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
                }
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
                    date_key(n.date.and_then(|d| d.anchor())),
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

        let (ramp, implied_cost_per_gw) = match dataset.capacity() {
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

        let timeline = dataset.commitments.iter().map(timeline_span).collect();
        let max_value = dataset
            .commitments
            .iter()
            .filter_map(|c| c.value.as_ref().map(|v| v.value))
            .fold(0.0_f64, f64::max);
        ViewData {
            dataset,
            total,
            providers,
            provider_totals,
            commitments,
            notes,
            ramp,
            implied_cost_per_gw,
            provider_commitments,
            timeline,
            max_value,
        }
    }

    /// The commitment indices of a provider.
    pub fn commitments_of<'a>(&'a self, provider_id: &'a str) -> impl Iterator<Item = usize> + 'a {
        let grouped = self
            .dataset
            .provider_index(provider_id)
            .and_then(|p| self.provider_commitments.get(p));
        // An id no provider has (a dataset built by hand) is looked for the slow way.
        let scan = grouped.is_none().then(|| {
            self.dataset
                .commitments
                .iter()
                .enumerate()
                .filter(move |(_, c)| c.provider == provider_id)
                .map(|(i, _)| i)
        });
        grouped
            .into_iter()
            .flatten()
            .copied()
            .chain(scan.into_iter().flatten())
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
    let Some(column) = sort else {
        let mut order = filter.to_vec();
        if reverse {
            order.reverse();
        }
        return order;
    };
    let key = |i: usize| &rows[i].keys[column];
    // Sort keys side by side with their record, so that comparisons read
    // one array instead of chasing each row's key vector: at 100k rows this
    // is several times faster than comparing `SortKey`s in place.
    let mut missing = Vec::new();
    let mut numbers: Vec<(u64, usize)> = Vec::new();
    let mut texts: Vec<(&str, usize)> = Vec::new();
    let (mut has_number, mut has_date) = (false, false);
    for &i in filter {
        match key(i) {
            SortKey::Missing => missing.push(i),
            SortKey::Number(n) => {
                has_number = true;
                numbers.push((total_order(*n), i));
            }
            SortKey::Date(d) => {
                has_date = true;
                numbers.push((date_order(*d), i));
            }
            SortKey::Text(t) => texts.push((t.as_str(), i)),
        }
    }
    if usize::from(has_number) + usize::from(has_date) + usize::from(!texts.is_empty()) > 1 {
        // Kinds that do not compare: keep the plain sort's answer.
        return sorted_order_generic(rows, filter, column, reverse);
    }
    let mut order = Vec::with_capacity(filter.len());
    if !texts.is_empty() {
        texts.sort_unstable_by(|a, b| directed(a.0.cmp(b.0), reverse).then(a.1.cmp(&b.1)));
        order.extend(texts.iter().map(|(_, i)| *i));
    } else {
        numbers.sort_unstable_by(|a, b| directed(a.0.cmp(&b.0), reverse).then(a.1.cmp(&b.1)));
        order.extend(numbers.iter().map(|(_, i)| *i));
    }
    missing.sort_unstable();
    order.extend(missing);
    order
}

fn directed(ordering: Ordering, reverse: bool) -> Ordering {
    if reverse {
        ordering.reverse()
    } else {
        ordering
    }
}

/// An unsigned key that orders like `f64::total_cmp`.
fn total_order(n: f64) -> u64 {
    let bits = n.to_bits() as i64;
    let ordered = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    (ordered as u64) ^ (1 << 63)
}

/// An unsigned key that orders like the dates.
fn date_order(d: NaiveDate) -> u64 {
    use chrono::Datelike;
    (i64::from(d.num_days_from_ce()) - i64::from(i32::MIN)) as u64
}

/// The plain comparison sort, for a column whose keys are of mixed kinds.
fn sorted_order_generic(
    rows: &[Row],
    filter: &[usize],
    column: usize,
    reverse: bool,
) -> Vec<usize> {
    let mut order = filter.to_vec();
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
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: SortKey) -> Row {
        Row {
            cells: vec![],
            keys: vec![key],
            haystack: String::new(),
            id: String::new(),
        }
    }

    #[test]
    fn fast_sort_matches_the_plain_comparison() {
        let date = |d: i32| SortKey::Date(NaiveDate::from_num_days_from_ce_opt(d).unwrap());
        let columns: Vec<Vec<SortKey>> = vec![
            [3.0, -1.5, 3.0, 0.0, -0.0, 1e300, -1e300, f64::INFINITY, 2.5]
                .into_iter()
                .map(SortKey::Number)
                .chain([SortKey::Missing, SortKey::Number(f64::NAN)])
                .collect(),
            vec![
                date(700_000),
                SortKey::Missing,
                date(1),
                date(-5),
                date(700_000),
            ],
            ["b", "a", "B", "数据", "", "a", "ab"]
                .into_iter()
                .map(|t| SortKey::Text(t.into()))
                .chain([SortKey::Missing])
                .collect(),
            vec![SortKey::Missing, SortKey::Missing],
            vec![
                SortKey::Number(1.0),
                SortKey::Text("x".into()),
                SortKey::Missing,
            ],
        ];
        for keys in columns {
            let rows: Vec<Row> = keys.into_iter().map(row).collect();
            let all: Vec<usize> = (0..rows.len()).collect();
            let some: Vec<usize> = all.iter().copied().filter(|i| i % 3 != 1).collect();
            for filter in [&all, &some] {
                for reverse in [false, true] {
                    assert_eq!(
                        sorted_order(&rows, filter, Some(0), reverse),
                        sorted_order_generic(&rows, filter, 0, reverse),
                        "{:?} reverse {reverse}",
                        rows.iter().map(|r| &r.keys[0]).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}
