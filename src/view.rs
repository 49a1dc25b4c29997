//! What the tabs show, computed once per load: display strings, sort keys
//! and search text for every row, so that no keystroke re-parses or
//! re-formats a figure.

use std::cmp::Ordering;

use chrono::{Days, NaiveDate};

use crate::data::{Commitment, Dataset, DealKind, Vocabulary};
use crate::derive::{self, Derived, Ramp};
use crate::figure::Figure;
use crate::flows::Flows;
use crate::text::escape_controls;

/// A sortable cell value; missing values sort last in either direction.
/// Text is kept as its rank among the column's texts (`TextRanks`), so a
/// key is 16 bytes with nothing on the heap: at 100k rows, lowercased
/// copies of every name cost more than the names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SortKey {
    /// The lowercased text's place in its table's sorted texts.
    Text(u32),
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

/// A table's text sort keys while its rows are built: each distinct
/// lowercased text once, numbered as met; `finish` turns the numbers into
/// ranks in text order.
#[derive(Default)]
struct TextRanks {
    ids: std::collections::HashMap<String, u32>,
    texts: Vec<String>,
}

impl TextRanks {
    fn key(&mut self, s: &str) -> SortKey {
        let lower = s.to_lowercase();
        if let Some(&id) = self.ids.get(&lower) {
            return SortKey::Text(id);
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(lower.clone());
        self.ids.insert(lower, id);
        SortKey::Text(id)
    }

    fn finish(self, rows: &mut [Row]) {
        let mut order: Vec<usize> = (0..self.texts.len()).collect();
        order.sort_unstable_by(|&a, &b| self.texts[a].cmp(&self.texts[b]));
        let mut rank = vec![0u32; order.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id] = u32::try_from(r).unwrap_or(u32::MAX);
        }
        for row in rows {
            for key in row.keys.iter_mut() {
                if let SortKey::Text(id) = key {
                    *id = rank.get(*id as usize).copied().unwrap_or(u32::MAX);
                }
            }
        }
    }
}

fn figure_key(f: Option<&Figure>) -> SortKey {
    f.map_or(SortKey::Missing, |f| SortKey::Number(f.value))
}

fn date_key(d: Option<NaiveDate>) -> SortKey {
    d.map_or(SortKey::Missing, SortKey::Date)
}

/// A row's cells, formatted, in one string: one allocation per row instead
/// of one per cell (at 100k rows of eleven cells, the difference is tens of
/// megabytes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cells {
    /// The cells, each followed by `SEPARATOR`.
    text: Box<str>,
}

impl Cells {
    /// A control character, which no cell holds: data text reaches cells
    /// with its control characters escaped.
    const SEPARATOR: char = '\u{1f}';

    pub fn get(&self, column: usize) -> Option<&str> {
        self.iter().nth(column)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.text
            .strip_suffix(Self::SEPARATOR)
            .map(|t| t.split(Self::SEPARATOR))
            .into_iter()
            .flatten()
    }

    pub fn len(&self) -> usize {
        self.text.matches(Self::SEPARATOR).count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Cells {
        let mut text = String::with_capacity(cells.iter().map(|c| c.len() + 1).sum());
        for cell in cells {
            text.extend(
                cell.chars()
                    .map(|c| if c == Self::SEPARATOR { '\u{241f}' } else { c }),
            );
            text.push(Self::SEPARATOR);
        }
        Cells {
            text: text.into_boxed_str(),
        }
    }
}

/// One row of a table tab: cells already formatted, keys already computed.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Cells,
    pub keys: Box<[SortKey]>,
    /// Lowercased text that search looks in.
    pub haystack: Box<str>,
    /// Record id, to find the row again after a reload.
    pub id: String,
    /// For an earlier record of a deal: the record of its latest one,
    /// under which it is folded until expanded.
    pub under: Option<usize>,
    /// How many earlier records are folded under this one.
    pub folds: usize,
    /// Columns whose value changed in the last reload (`Δ`); every column
    /// of a record the reload added.
    pub changed: Vec<usize>,
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
    col("Party", 20, 0, false),
    col("Parent", 10, 6, false),
    col("Kind", 11, 4, false),
    col("Roles", 14, 1, false),
    col("Deals", 5, 0, true),
    col("Sold", 14, 0, true),
    col("Bought", 14, 1, true),
    col("GW sold", 7, 2, true),
    col("Cpty", 4, 3, true),
    col("Share", 8, 5, true),
];

pub const COMMITMENT_COLUMNS: &[Column] = &[
    col("Buyer", 12, 1, false),
    col("Provider", 21, 0, false),
    col("Kind", 10, 1, false),
    col("Value", 11, 0, true),
    col("GW", 6, 1, true),
    col("Term", 7, 0, true),
    col("Per year", 10, 1, true),
    col("Announced", 10, 3, false),
    col("Status", 9, 1, false),
    col("Online by", 10, 2, false),
    col("Share", 8, 0, true),
];

/// Marks a figure whose sources disagree, beside its envelope.
pub const DISPUTED: &str = "±";

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
    /// The committed total of the deals in view, each deal once (a record
    /// superseded by a later one is left out).
    pub total: Derived,
    pub providers: Vec<Row>,
    /// Per party: the disclosed total of the deals it provides (sold).
    pub provider_totals: Vec<Derived>,
    /// Per party: the disclosed total of the deals it pays for (bought).
    pub party_bought: Vec<Derived>,
    /// Per party: the power of the deals it provides.
    pub party_gw_sold: Vec<Option<Figure>>,
    pub commitments: Vec<Row>,
    pub notes: Vec<Row>,
    pub ramp: Option<Ramp>,
    /// The committed total the capacity plan is set against: its buyer's
    /// when there are several buyers, else `total`.
    pub plan_total: Derived,
    /// The plan's buyer's contracted power over time, by provider.
    pub contracted: derive::Contracted,
    pub implied_cost_per_gw: Option<Derived>,
    /// Per party: the indices of the commitments it provides, in file order.
    pub provider_commitments: Vec<Vec<usize>>,
    /// Per party: the indices of the commitments it pays for, in file order.
    pub party_bought_commitments: Vec<Vec<usize>>,
    /// Per commitment: the latest record of its deal (itself if none
    /// supersedes it).
    pub heads: Vec<usize>,
    /// Per commitment: whether it counts in the totals (not superseded,
    /// cancelled or an investment).
    pub counts: Vec<bool>,
    /// Per commitment: which of its figure fields sources disagree on.
    pub disputed: Vec<Vec<&'static str>>,
    /// Per commitment: its span on the ramp tab's timeline, computed once
    /// (at 100k rows, computing them per frame takes most of a frame).
    pub timeline: Vec<Option<TimelineSpan>>,
    /// The largest disclosed commitment value in dollars (0 if none), the
    /// full bar of the commitments chart: a scan of every row per frame
    /// costs half a millisecond at 100k.
    pub max_value: f64,
    /// Per tab table: columns whose every cell is the same (one buyer, one
    /// kind, no power anywhere) say nothing and are not drawn.
    pub party_hidden: Vec<bool>,
    pub commitment_hidden: Vec<bool>,
    /// Every buyer in the file (a party that buys something; not one that
    /// only invests), as party ids, in party order: what the lens cycles
    /// through. Kept from the whole file when a lens is on.
    pub buyers: Vec<String>,
    /// The buyer in focus; `None`: all buyers.
    pub lens: Option<String>,
    /// The Flows matrix: from the whole file, narrowed for a lens.
    pub flows: std::sync::Arc<Flows>,
    /// The Flows tab's rows: one per buyer in the matrix.
    pub flow_rows: Vec<Row>,
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

/// A figure's cell with its dispute mark: `±` says the figure spans what
/// sources say, so the envelope's own `~` would only repeat it.
fn disputed_cell(mark: &str, compact: String) -> String {
    if mark.is_empty() {
        compact
    } else {
        format!("{mark}{}", compact.strip_prefix('~').unwrap_or(&compact))
    }
}

/// `±` where sources disagree on the field, else nothing.
fn disputed_mark(alternatives: &[crate::data::Disputed], field: &str) -> &'static str {
    if alternatives.iter().any(|d| d.field == field && !d.agree) {
        DISPUTED
    } else {
        ""
    }
}

/// Power in gigawatts, hedge kept, for narrow cells: "10", "≥10", "~1.2".
pub fn gw_text(f: &Figure) -> String {
    let compact = f.compact();
    compact
        .strip_suffix(" GW")
        .map_or(compact.clone(), str::to_string)
}

/// A status for a narrow cell: "letter of intent", three times as long as
/// any other status, is "LOI", as deal reports abbreviate it; the detail
/// and search keep the words.
fn status_text(status: crate::data::Status) -> &'static str {
    match status.as_str() {
        "letter of intent" => "LOI",
        word => word,
    }
}

/// A hedged date for a narrow cell; `HedgedDate` keeps its own precision.
fn date_text(d: Option<crate::figure::HedgedDate>) -> String {
    or_dash(d.map(|d| d.to_string()))
}

/// A hedged date's sort key: by its earliest day, else its latest, with
/// `HedgedDate`'s own order breaking ties inside a day.
fn hedged_date_key(d: Option<crate::figure::HedgedDate>) -> SortKey {
    date_key(d.and_then(|d| d.anchor()))
}

/// A figure's sort key: the middle of what it allows, so that a range
/// sorts between its ends and a bound at its bound.
fn interval_key(f: Option<&Figure>) -> SortKey {
    figure_key(f)
}

/// Per column, whether it tells rows apart: not when every row has the
/// same text there, blanks ("—", "0", "none") aside. One buyer, one kind,
/// no power anywhere: such a column says nothing and is not drawn.
/// Only the columns format 2 brought (`hideable`) are ever left out, so a
/// format 1 file's tables look as they always have.
fn uniform_columns(rows: &[Row], columns: usize, hideable: &[usize]) -> Vec<bool> {
    let blank = |s: &str| matches!(s, "" | "—" | "0" | "none");
    (0..columns)
        .map(|c| {
            if !hideable.contains(&c) {
                return false;
            }
            let mut cells = rows
                .iter()
                .filter_map(|r| r.cells.get(c))
                .filter(|s| !blank(s));
            match cells.next() {
                Some(first) => cells.all(|cell| cell == first),
                None => !rows.is_empty(),
            }
        })
        .collect()
}

/// For each record, the latest record of its deal: follows `supersedes`
/// forward (a record superseded by one that is itself superseded goes to
/// the last), stopping at a loop.
fn deal_heads(dataset: &Dataset) -> Vec<usize> {
    let index: std::collections::HashMap<&str, usize> = dataset
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut next: Vec<Option<usize>> = vec![None; dataset.commitments.len()];
    for (i, c) in dataset.commitments.iter().enumerate() {
        for old in c.supersedes() {
            if let Some(&o) = index.get(old.as_str())
                && o != i
            {
                next[o] = Some(i);
            }
        }
    }
    (0..dataset.commitments.len())
        .map(|i| {
            let mut at = i;
            for _ in 0..dataset.commitments.len() {
                match next[at] {
                    Some(n) if n != i => at = n,
                    _ => break,
                }
            }
            at
        })
        .collect()
}

/// The deals among `deals` that spend money (not investments).
fn spent<'a>(deals: &[&'a Commitment]) -> Vec<&'a Commitment> {
    deals
        .iter()
        .copied()
        .filter(|c| c.kind != DealKind::Investment)
        .collect()
}

/// Whether totals follow the ledger's rules (several buyers, or a format 2
/// file) rather than format 1's.
fn ledger_rules(dataset: &Dataset) -> bool {
    derive::buyers(dataset).len() > 1 || dataset.files.iter().any(|f| f.format >= 2)
}

/// Per commitment, whether it counts in the totals shown: never a record
/// superseded by a later one, a cancelled deal or an investment (which is
/// not spending); with several buyers, not an option either (as
/// `derive` counts them).
fn counting(dataset: &Dataset) -> Vec<bool> {
    let several = derive::buyers(dataset).len() > 1;
    derive::left_out(dataset)
        .iter()
        .zip(&dataset.commitments)
        .map(|(why, c)| {
            c.kind != DealKind::Investment
                && match why {
                    None => true,
                    Some(derive::LeftOut::Option) => !several,
                    Some(_) => false,
                }
        })
        .collect()
}

/// The party's name, or its id when no party has it.
pub fn party_name<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    dataset.party(id).map_or(id, |p| p.name.as_str())
}

/// What a party does in the deals in view, in a word each.
fn roles_text(sells: bool, buys: bool, invests: bool) -> String {
    let words: Vec<&str> = [(buys, "buyer"), (sells, "provider"), (invests, "investor")]
        .into_iter()
        .filter_map(|(on, w)| on.then_some(w))
        .collect();
    if words.is_empty() {
        "—".into()
    } else {
        words.join("·")
    }
}

impl ViewData {
    pub fn new(dataset: Dataset) -> ViewData {
        ViewData::build(dataset, None)
    }

    fn build(dataset: Dataset, flows: Option<Flows>) -> ViewData {
        let heads = deal_heads(&dataset);
        let is_head = |i: usize| heads[i] == i;
        let counts = counting(&dataset);
        let counted = |i: usize| counts[i];
        let latest: Vec<&Commitment> = dataset
            .commitments
            .iter()
            .enumerate()
            .filter(|(i, _)| counted(*i))
            .map(|(_, c)| c)
            .collect();
        let total = derive::committed_total(&latest);
        // Several buyers: the ledger's totals, as `export derived` gives them.
        let ledger: std::collections::HashMap<String, Derived> =
            derive::ledger::all(&dataset, false)
                .into_iter()
                .map(|d| (d.key.clone(), d))
                .collect();
        let party_rules = ledger_rules(&dataset);
        let n_parties = dataset.providers.len();
        let mut provider_totals = Vec::with_capacity(n_parties);
        let mut party_bought = Vec::with_capacity(n_parties);
        let mut party_gw_sold = Vec::with_capacity(n_parties);
        // Group once: parties × commitments would be quadratic at 100k.
        let mut by_provider: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        let mut by_buyer: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, c) in dataset.commitments.iter().enumerate() {
            by_provider.entry(c.provider.as_str()).or_default().push(i);
            by_buyer.entry(c.buyer.as_str()).or_default().push(i);
        }
        let mut provider_commitments = Vec::with_capacity(n_parties);
        let mut party_bought_commitments = Vec::with_capacity(n_parties);
        let mut ranks = TextRanks::default();
        let mut providers = dataset
            .providers
            .iter()
            .map(|p| {
                let sold_ix = by_provider.get(p.id.as_str()).cloned().unwrap_or_default();
                let bought_ix = by_buyer.get(p.id.as_str()).cloned().unwrap_or_default();
                let counted_of = |ix: &[usize]| -> Vec<&Commitment> {
                    ix.iter()
                        .filter(|&&i| counted(i))
                        .map(|&i| &dataset.commitments[i])
                        .collect()
                };
                let sold_deals = counted_of(&sold_ix);
                let bought_deals = counted_of(&bought_ix);
                let keyed = |key: String, deals: &[&Commitment]| {
                    ledger
                        .get(&key)
                        .filter(|_| party_rules)
                        .cloned()
                        .unwrap_or_else(|| derive::committed_total(deals))
                };
                let sub = keyed(format!("provider_total:{}", p.id), &spent(&sold_deals));
                let bought = keyed(format!("committed_total:{}", p.id), &spent(&bought_deals));
                let gw_sold = Figure::sum(
                    sold_deals
                        .iter()
                        .filter(|c| c.kind != DealKind::Investment)
                        .filter_map(|c| c.power()),
                );
                let mut counterparties: Vec<&str> = sold_deals
                    .iter()
                    .map(|c| c.buyer.as_str())
                    .chain(bought_deals.iter().map(|c| c.provider.as_str()))
                    .filter(|id| *id != p.id)
                    .collect();
                counterparties.sort_unstable();
                counterparties.dedup();
                let invests = bought_deals.iter().any(|c| c.kind == DealKind::Investment);
                let buys = bought_deals.iter().any(|c| c.kind != DealKind::Investment);
                let roles = roles_text(!sold_deals.is_empty(), buys, invests);
                let deals = sold_deals.len() + bought_deals.len();
                let share = sub.figure().zip(total.figure()).and_then(|(s, t)| {
                    (t.value > 0.0).then(|| {
                        let (q, v) = crate::figure::quotient(s, s.value, t, t.value);
                        Derived::new(
                            "",
                            "",
                            derive::DerivedValue::Figure(Figure::derived(
                                q,
                                v * 100.0,
                                crate::figure::Unit::Percent,
                            )),
                            String::new(),
                        )
                    })
                });
                let (share_cell, share_key) = share_text(&share);
                let sold_cell = if spent(&sold_deals).is_empty() && !sold_ix.is_empty() {
                    "—".to_string()
                } else {
                    String::new()
                };
                let money_cell = |d: &Derived| match (&d.value, d.covers) {
                    (_, Some((0, 0))) => "none".to_string(),
                    (derive::DerivedValue::Undisclosed, _) => "undisclosed".to_string(),
                    (_, Some((n, m))) if n < m => format!("{} ({n}/{m})", d.compact()),
                    _ => d.compact(),
                };
                let bought_cell = if spent(&bought_deals).is_empty() {
                    "—".to_string()
                } else {
                    money_cell(&bought)
                };
                let row = Row {
                    cells: Cells::from(vec![
                        escape_controls(&p.name).into_owned(),
                        or_dash(p.parent.as_deref().map(|s| escape_controls(s).into_owned())),
                        p.kind.as_str().to_string(),
                        roles.clone(),
                        deals.to_string(),
                        if sold_cell.is_empty() {
                            money_cell(&sub)
                        } else {
                            sold_cell
                        },
                        bought_cell,
                        or_dash(gw_sold.as_ref().map(gw_text)),
                        counterparties.len().to_string(),
                        share_cell,
                    ]),
                    keys: Box::from(vec![
                        ranks.key(&p.name),
                        p.parent
                            .as_deref()
                            .map_or(SortKey::Missing, |s| ranks.key(s)),
                        ranks.key(p.kind.as_str()),
                        ranks.key(&roles),
                        SortKey::Number(deals as f64),
                        figure_key(sub.figure()),
                        figure_key(bought.figure()),
                        figure_key(gw_sold.as_ref()),
                        SortKey::Number(counterparties.len() as f64),
                        share_key,
                    ]),
                    haystack: format!(
                        "{} {} {} {} {} {}",
                        p.name,
                        p.parent.as_deref().unwrap_or(""),
                        p.kind.as_str(),
                        roles,
                        p.hardware.join(" "),
                        p.summary.as_deref().unwrap_or("")
                    )
                    .to_lowercase()
                    .into(),
                    id: p.id.clone(),
                    under: None,
                    folds: 0,
                    changed: Vec::new(),
                };
                provider_commitments.push(sold_ix);
                party_bought_commitments.push(bought_ix);
                provider_totals.push(sub);
                party_bought.push(bought);
                party_gw_sold.push(gw_sold);
                row
            })
            .collect::<Vec<Row>>();

        ranks.finish(&mut providers);
        let total_text = total.figure().map(Figure::compact).unwrap_or_default();
        let disputed: Vec<Vec<&'static str>> = dataset
            .commitments
            .iter()
            .map(|c| {
                c.alternatives()
                    .iter()
                    .filter(|d| !d.agree)
                    .map(|d| d.field)
                    .collect()
            })
            .collect();
        let mut ranks = TextRanks::default();
        let mut commitments = dataset
            .commitments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let provider_name = party_name(&dataset, &c.provider);
                let buyer_name = party_name(&dataset, &c.buyer);
                let head = is_head(i);
                // A record left out (superseded, cancelled, ...) adds
                // nothing to the totals.
                let share = if counted(i) {
                    derive::share_of(c, &total, &total_text)
                } else {
                    None
                };
                let per_year = derive::value_per_year(c);
                let (share_cell, share_key) = share_text(&share);
                let mark = |field: &str| {
                    if disputed[i].contains(&field) {
                        DISPUTED
                    } else {
                        ""
                    }
                };
                Row {
                    cells: Cells::from(vec![
                        escape_controls(buyer_name).into_owned(),
                        escape_controls(provider_name).into_owned(),
                        c.kind.as_str().to_string(),
                        c.value.as_ref().map_or("undisclosed".into(), |v| {
                            disputed_cell(mark("value"), v.compact())
                        }),
                        or_dash(
                            c.power()
                                .as_ref()
                                .map(|p| disputed_cell(mark("power"), gw_text(p))),
                        ),
                        or_dash(c.term.as_ref().map(Figure::compact)),
                        or_dash(
                            per_year
                                .as_ref()
                                .map(|d| d.compact().trim_end_matches("/yr").to_string()),
                        ),
                        date_text(c.announced),
                        status_text(c.status).to_string(),
                        date_text(c.online_by),
                        share_cell,
                    ]),
                    keys: Box::from(vec![
                        ranks.key(buyer_name),
                        ranks.key(provider_name),
                        ranks.key(c.kind.as_str()),
                        interval_key(c.value.as_ref()),
                        interval_key(c.power()),
                        c.term
                            .as_ref()
                            .and_then(Figure::years)
                            .map_or(SortKey::Missing, SortKey::Number),
                        figure_key(per_year.as_ref().and_then(Derived::figure)),
                        hedged_date_key(c.announced),
                        ranks.key(c.status.as_str()),
                        hedged_date_key(c.online_by),
                        share_key,
                    ]),
                    haystack: format!(
                        "{} {} {} {} {} {} {}",
                        c.id,
                        buyer_name,
                        provider_name,
                        c.kind.as_str(),
                        c.value.as_ref().map_or("undisclosed", |v| v.text.as_str()),
                        c.status.as_str(),
                        c.summary.as_deref().unwrap_or("")
                    )
                    .to_lowercase()
                    .into(),
                    id: c.id.to_string(),
                    under: (!head).then_some(heads[i]),
                    folds: 0,
                    changed: Vec::new(),
                }
            })
            .collect::<Vec<Row>>();

        ranks.finish(&mut commitments);
        // Notes have no id in the format; their position and headline stand in.
        let mut ranks = TextRanks::default();
        let mut notes: Vec<Row> = dataset
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| Row {
                cells: Cells::from(vec![
                    or_dash(n.date.map(|d| d.to_string())),
                    // A subject that is a party goes by the party's name.
                    escape_controls(
                        n.subject_party
                            .as_deref()
                            .map_or(n.subject.as_str(), |p| party_name(&dataset, p)),
                    )
                    .into_owned(),
                    n.kind.as_str().to_string(),
                    n.change.as_ref().map_or(String::new(), |c| {
                        format!(
                            "{}{}",
                            disputed_mark(&n.alternatives, "change"),
                            change_text(c)
                        )
                    }),
                    n.amount.as_ref().map_or(String::new(), |a| {
                        format!(
                            "{}{}",
                            disputed_mark(&n.alternatives, "amount"),
                            a.compact()
                        )
                    }),
                    escape_controls(&n.headline).into_owned(),
                ]),
                keys: Box::from(vec![
                    date_key(n.date.and_then(|d| d.anchor())),
                    ranks.key(&n.subject),
                    ranks.key(n.kind.as_str()),
                    figure_key(n.change.as_ref()),
                    figure_key(n.amount.as_ref()),
                    ranks.key(&n.headline),
                ]),
                haystack: format!(
                    "{} {} {} {} {}",
                    n.subject,
                    n.kind.as_str(),
                    n.headline,
                    n.speaker.as_deref().unwrap_or(""),
                    n.body.as_deref().unwrap_or("")
                )
                .to_lowercase()
                .into(),
                id: note_id(i, n),
                under: None,
                folds: 0,
                changed: Vec::new(),
            })
            .collect();

        ranks.finish(&mut notes);
        // The plan is its buyer's: with several buyers, set against that
        // buyer's commitments, not everyone's.
        let plan_total = match dataset.capacity() {
            Some(plan) if derive::buyers(&dataset).len() > 1 => ledger
                .get(&format!("committed_total:{}", plan.buyer))
                .cloned()
                .unwrap_or_else(|| derive::committed_total_for(&dataset, &plan.buyer)),
            _ => total.clone(),
        };
        // The ramp's stack: the power of the plan's buyer's deals over time.
        let contracted = dataset
            .capacity()
            .map(|plan| plan.buyer.clone())
            .or_else(|| dataset.subject_id.clone())
            .map(|buyer| derive::Contracted::new(&dataset, &counts, &buyer))
            .unwrap_or_default();
        let (ramp, implied_cost_per_gw) = match dataset.capacity() {
            Some(capacity) => (
                capacity
                    .target
                    .as_ref()
                    .zip(capacity.build_rate.as_ref())
                    .and_then(|(target, rate)| {
                        derive::ramp(
                            derive::plan_as_of(&dataset, capacity),
                            target,
                            rate,
                            capacity.cost_per_gw.as_ref(),
                            Some(&plan_total),
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
        // A party that only invests buys nothing: the lens passes it by.
        let purchasers: std::collections::HashSet<String> =
            derive::purchasers(&dataset).into_iter().collect();
        let mut buyers: Vec<String> = dataset
            .providers
            .iter()
            .chain(dataset.subject_party.as_ref())
            .filter(|p| purchasers.contains(&p.id))
            .map(|p| p.id.clone())
            .collect();
        buyers.dedup();
        let flows = flows.unwrap_or_else(|| Flows::new(&dataset, &ledger));
        let flow_rows = flow_rows(&dataset, &flows);
        for (i, &h) in heads.iter().enumerate() {
            if h != i {
                commitments[h].folds += 1;
            }
        }
        let party_hidden = uniform_columns(&providers, PROVIDER_COLUMNS.len(), &[3, 6, 7, 8]);
        let commitment_hidden = uniform_columns(&commitments, COMMITMENT_COLUMNS.len(), &[0, 2, 4]);
        ViewData {
            dataset,
            total,
            providers,
            provider_totals,
            party_bought,
            party_gw_sold,
            commitments,
            notes,
            ramp,
            plan_total,
            contracted,
            implied_cost_per_gw,
            provider_commitments,
            party_bought_commitments,
            heads,
            counts,
            disputed,
            timeline,
            max_value,
            party_hidden,
            commitment_hidden,
            buyers,
            lens: None,
            flows: std::sync::Arc::new(flows),
            flow_rows,
        }
    }

    /// The view of one buyer's deals: its commitments, the parties on
    /// them, its capacity plan, and the notes about those parties.
    pub fn lensed(all: &ViewData, buyer: &str) -> ViewData {
        let full = &all.dataset;
        let index: std::collections::HashMap<usize, usize> = full
            .commitments
            .iter()
            .enumerate()
            .filter(|(_, c)| c.buyer == buyer)
            .enumerate()
            .map(|(new, (old, _))| (old, new))
            .collect();
        let mut involved: std::collections::HashSet<&str> = full
            .commitments
            .iter()
            .filter(|c| c.buyer == buyer)
            .map(|c| c.provider.as_str())
            .collect();
        involved.insert(buyer);
        // Only the buyer's records are copied: a clone of the whole
        // dataset first would double the memory at 100k deals.
        let dataset = Dataset {
            title: full.title.clone(),
            subject: party_name(full, buyer).to_string(),
            subject_id: Some(buyer.to_string()),
            as_of: full.as_of,
            summary: full.summary.clone(),
            files: full.files.clone(),
            sources: full.sources.clone(),
            providers: full
                .providers
                .iter()
                .filter(|p| involved.contains(p.id.as_str()))
                .cloned()
                .collect(),
            subject_party: full.subject_party.clone(),
            other_subjects: full.other_subjects.clone(),
            commitments: full
                .commitments
                .iter()
                .filter(|c| c.buyer == buyer)
                .cloned()
                .collect(),
            capacities: full
                .capacities
                .iter()
                .filter(|c| c.buyer == buyer)
                .cloned()
                .collect(),
            notes: full
                .notes
                .iter()
                .filter(|n| {
                    n.subject_party
                        .as_deref()
                        .is_none_or(|party| involved.contains(party))
                })
                .cloned()
                .collect(),
            lookup: Default::default(),
        };
        let mut view = ViewData::build(dataset, Some(all.flows.narrowed(buyer, &index)));
        view.buyers = all.buyers.clone();
        view.lens = Some(buyer.to_string());
        view
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

    /// The earlier records of a deal, oldest first, when `index` is its
    /// latest record.
    pub fn history_of(&self, index: usize) -> Vec<usize> {
        let mut older: Vec<usize> = (0..self.heads.len())
            .filter(|&i| i != index && self.heads[i] == index)
            .collect();
        older.sort_by_key(|&i| {
            let c = &self.dataset.commitments[i];
            (c.announced, i)
        });
        older
    }
}

/// One row per buyer of the matrix: its name and total, and the names of
/// its providers to search in.
fn flow_rows(dataset: &Dataset, flows: &Flows) -> Vec<Row> {
    let mut ranks = TextRanks::default();
    let mut rows: Vec<Row> = flows
        .buyers
        .iter()
        .enumerate()
        .map(|(r, b)| {
            let name = party_name(dataset, b);
            let providers: Vec<&str> = flows
                .providers
                .iter()
                .enumerate()
                .filter(|(c, _)| flows.cells[r][*c].is_some())
                .map(|(_, p)| party_name(dataset, p))
                .collect();
            Row {
                cells: Cells::from(vec![escape_controls(name).into_owned()]),
                keys: Box::from(vec![ranks.key(name)]),
                haystack: format!("{name} {}", providers.join(" "))
                    .to_lowercase()
                    .into(),
                id: b.clone(),
                under: None,
                folds: 0,
                changed: Vec::new(),
            }
        })
        .collect();
    ranks.finish(&mut rows);
    rows
}

/// A note's id for finding it again: its own, or its position and headline.
pub fn note_id(i: usize, n: &crate::data::Note) -> String {
    n.id.clone()
        .unwrap_or_else(|| format!("{i}:{}", n.headline))
}

/// What a reload changed in the rows shown, by record id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Records with a changed cell.
    pub changed: usize,
    /// Records new in this load.
    pub added: usize,
    /// Records gone since the last load, by id.
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.changed == 0 && self.added == 0 && self.removed.is_empty()
    }

    /// "Δ 1 changed, 1 added, 1 removed (coreweave-2)".
    pub fn summary(&self) -> String {
        let mut parts = vec![];
        if self.changed > 0 {
            parts.push(format!("{} changed", self.changed));
        }
        if self.added > 0 {
            parts.push(format!("{} added", self.added));
        }
        if !self.removed.is_empty() {
            parts.push(format!(
                "{} removed ({})",
                self.removed.len(),
                self.removed.join(", ")
            ));
        }
        format!("Δ {}", parts.join(", "))
    }
}

/// Marks in `new`'s rows what differs from `old`'s (`Row::changed`):
/// the changed cells of a record both have, every cell of an added one.
pub fn mark_changes(old: &ViewData, new: &mut ViewData) -> Changes {
    let mut changes = Changes::default();
    // Shares follow the total: a change elsewhere is not theirs.
    let share = |columns: &[Column]| columns.iter().position(|c| c.title == "Share");
    for (before, after, derived) in [
        (&old.providers, &mut new.providers, share(PROVIDER_COLUMNS)),
        (
            &old.commitments,
            &mut new.commitments,
            share(COMMITMENT_COLUMNS),
        ),
        (&old.notes, &mut new.notes, None),
    ] {
        let old_rows: std::collections::HashMap<&str, &Row> =
            before.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut seen = std::collections::HashSet::new();
        for row in after.iter_mut() {
            seen.insert(row.id.clone());
            row.changed = match old_rows.get(row.id.as_str()) {
                Some(was) => (0..row.cells.len())
                    .filter(|&c| Some(c) != derived && was.cells.get(c) != row.cells.get(c))
                    .collect(),
                None => {
                    changes.added += 1;
                    (0..row.cells.len()).collect()
                }
            };
            if !row.changed.is_empty() && old_rows.contains_key(row.id.as_str()) {
                changes.changed += 1;
            }
        }
        changes.removed.extend(
            before
                .iter()
                .filter(|r| !seen.contains(&r.id))
                .map(|r| r.id.clone()),
        );
    }
    changes
}

/// Takes the reload marks off every row.
pub fn clear_marks(view: &mut ViewData) -> bool {
    let mut any = false;
    for rows in [&mut view.providers, &mut view.commitments, &mut view.notes] {
        for row in rows.iter_mut() {
            any |= !row.changed.is_empty();
            row.changed.clear();
        }
    }
    any
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
    let (mut has_number, mut has_date, mut has_text) = (false, false, false);
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
            SortKey::Text(rank) => {
                has_text = true;
                numbers.push((u64::from(*rank), i));
            }
        }
    }
    if usize::from(has_number) + usize::from(has_date) + usize::from(has_text) > 1 {
        // Kinds that do not compare: keep the plain sort's answer.
        return sorted_order_generic(rows, filter, column, reverse);
    }
    let mut order = Vec::with_capacity(filter.len());
    numbers.sort_unstable_by(|a, b| directed(a.0.cmp(&b.0), reverse).then(a.1.cmp(&b.1)));
    order.extend(numbers.iter().map(|(_, i)| *i));
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
            cells: Cells::default(),
            keys: Box::from([key]),
            haystack: Box::from(""),
            id: String::new(),
            under: None,
            folds: 0,
            changed: Vec::new(),
        }
    }

    #[test]
    fn cells_come_back_as_written_even_empty_or_holding_the_separator() {
        let cells = Cells::from(vec![
            "a".into(),
            String::new(),
            "x\u{1f}y".into(),
            "—".into(),
        ]);
        assert_eq!(cells.len(), 4);
        assert_eq!(
            cells.iter().collect::<Vec<_>>(),
            ["a", "", "x\u{241f}y", "—"]
        );
        assert_eq!(cells.get(1), Some(""));
        assert_eq!(cells.get(4), None);
        assert_eq!(Cells::default().iter().count(), 0);
    }

    #[test]
    fn text_keys_rank_in_lowercase_text_order() {
        let mut ranks = TextRanks::default();
        let texts = ["b", "a", "B", "数据", "", "Ab"];
        let mut rows: Vec<Row> = texts.iter().map(|t| row(ranks.key(t))).collect();
        ranks.finish(&mut rows);
        let mut by_key: Vec<usize> = (0..texts.len()).collect();
        by_key.sort_by(|&a, &b| {
            rows[a].keys[0]
                .cmp_present(&rows[b].keys[0])
                .unwrap()
                .then(a.cmp(&b))
        });
        let mut by_text: Vec<usize> = (0..texts.len()).collect();
        by_text.sort_by(|&a, &b| {
            texts[a]
                .to_lowercase()
                .cmp(&texts[b].to_lowercase())
                .then(a.cmp(&b))
        });
        assert_eq!(by_key, by_text);
        assert_eq!(rows[0].keys[0], rows[2].keys[0], "b and B sort as one");
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
            [2, 1, 2, 4, 0, 1, 3]
                .into_iter()
                .map(SortKey::Text)
                .chain([SortKey::Missing])
                .collect(),
            vec![SortKey::Missing, SortKey::Missing],
            vec![SortKey::Number(1.0), SortKey::Text(0), SortKey::Missing],
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
