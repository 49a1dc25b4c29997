//! What the tabs show, from one dataset. Worked out once per load: which
//! records count, each party's totals, the deals' names and their order,
//! the Flows matrix. Read from the records when asked (`Rows`): a table's
//! cells (formatted for the rows on screen only), its sort keys (when a
//! column is sorted) and its search (over the records' own text, with no
//! lowercased copy). So a view costs little beyond its dataset, and still
//! no keystroke re-parses a figure.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{Days, NaiveDate};

use crate::data::{Commitment, Dataset, DealKind, Vocabulary};
use crate::figure::Figure;
use crate::ledger::flow_matrix::{Flows, Parties};
use crate::ledger::{self, Derived, LeftOut, Ramp, Tally};
use crate::text::{Needle, escape_controls, folds_to_ascii};

/// A sortable cell value; missing values sort last in either direction.
/// Text is its rank among the column's texts, lowercased: 16 bytes, and
/// compared without touching the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SortKey {
    /// The lowercased text's place in its column's sorted texts.
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

/// Each text's rank among `texts` in lowercase order, equal texts (ignoring
/// case) equal; `None` (no text) ranks `u32::MAX`.
fn text_ranks<'t>(texts: impl Iterator<Item = Option<&'t str>>) -> Vec<u32> {
    let lowered: Vec<Option<String>> = texts.map(|t| t.map(str::to_lowercase)).collect();
    let mut order: Vec<usize> = (0..lowered.len())
        .filter(|&i| lowered[i].is_some())
        .collect();
    order.sort_unstable_by(|&a, &b| lowered[a].cmp(&lowered[b]));
    let mut rank = vec![u32::MAX; lowered.len()];
    let mut r = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && lowered[order[k - 1]] != lowered[i] {
            r += 1;
        }
        rank[i] = r;
    }
    rank
}

/// A word's rank among its vocabulary's words, in text order.
fn word_rank<V: Vocabulary>(v: V) -> u32 {
    let word = v.as_str();
    V::ALL.iter().filter(|w| w.as_str() < word).count() as u32
}

fn figure_key(f: Option<&Figure>) -> SortKey {
    f.map_or(SortKey::Missing, |f| SortKey::Number(f.value))
}

fn date_key(d: Option<NaiveDate>) -> SortKey {
    d.map_or(SortKey::Missing, SortKey::Date)
}

fn rank_key(rank: u32) -> SortKey {
    if rank == u32::MAX {
        SortKey::Missing
    } else {
        SortKey::Text(rank)
    }
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
    // Before Bought: a buyer's Sold is "—", and what it bought says more
    // than the word "buyer".
    col("Roles", 14, 2, false),
    col("Deals", 5, 0, true),
    col("Sold", 16, 0, true),
    col("Bought", 16, 1, true),
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

/// The Flows tab's list: one row per buyer of the matrix.
pub const FLOW_COLUMNS: &[Column] = &[col("Buyer", 16, 0, false)];

/// The tables the tabs list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Parties,
    Commitments,
    Notes,
    /// The Flows matrix's buyers.
    Flows,
}

impl Table {
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Parties => PROVIDER_COLUMNS,
            Table::Commitments => COMMITMENT_COLUMNS,
            Table::Notes => NOTE_COLUMNS,
            Table::Flows => FLOW_COLUMNS,
        }
    }
}

/// What a party's row counts, beside its totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PartyFacts {
    /// Deals it sells or buys that count in the totals shown.
    pub deals: u32,
    /// Distinct parties across those deals.
    pub counterparties: u32,
    /// It sells in a deal that counts.
    pub sells: bool,
    /// It is the provider of some deal, counted or not.
    pub sold_any: bool,
    /// It buys in a deal that counts.
    pub buys: bool,
}

/// What the last reload changed, per table: for each record, the columns
/// whose cell changed (bit `c` for column `c`); every column of a record
/// the reload added. Shown with `Δ` until cleared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    parties: HashMap<usize, u32>,
    commitments: HashMap<usize, u32>,
    notes: HashMap<usize, u32>,
}

impl Marks {
    fn of(&self, table: Table) -> Option<&HashMap<usize, u32>> {
        match table {
            Table::Parties => Some(&self.parties),
            Table::Commitments => Some(&self.commitments),
            Table::Notes => Some(&self.notes),
            Table::Flows => None,
        }
    }

    fn of_mut(&mut self, table: Table) -> Option<&mut HashMap<usize, u32>> {
        match table {
            Table::Parties => Some(&mut self.parties),
            Table::Commitments => Some(&mut self.commitments),
            Table::Notes => Some(&mut self.notes),
            Table::Flows => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parties.is_empty() && self.commitments.is_empty() && self.notes.is_empty()
    }
}

/// Every name a deal's buyer or provider goes by: the parties in
/// `Dataset::party`'s order (the written parties, then a format 1 file's
/// subject, then a set's other subjects), then ids no party has (a dataset
/// built by hand), each ranked for sorting.
#[derive(Debug, Clone, Default)]
struct Names {
    /// Parties known to the dataset.
    parties: usize,
    /// Ids that name no party, shown as they are.
    strays: Vec<String>,
    /// Each name's rank in lowercase order.
    rank: Vec<u32>,
}

impl Names {
    /// The names, and each deal's buyer and provider among them.
    fn new<'d>(dataset: &'d Dataset) -> (Names, Vec<[u32; 2]>) {
        let parties = all_parties(dataset).count();
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(parties);
        for (k, p) in all_parties(dataset).enumerate() {
            index.entry(p.id.as_str()).or_insert(k as u32);
        }
        let mut strays: Vec<String> = Vec::new();
        let mut stray_index: HashMap<&str, u32> = HashMap::new();
        let mut of = |id: &'d str| -> u32 {
            if let Some(&k) = index.get(id) {
                return k;
            }
            *stray_index.entry(id).or_insert_with(|| {
                strays.push(id.to_string());
                (parties + strays.len() - 1) as u32
            })
        };
        let deals: Vec<[u32; 2]> = dataset
            .commitments
            .iter()
            .map(|c| [of(c.buyer.as_str()), of(c.provider.as_str())])
            .collect();
        drop(stray_index);
        let rank = text_ranks(
            all_parties(dataset)
                .map(|p| Some(p.name.as_str()))
                .chain(strays.iter().map(|s| Some(s.as_str()))),
        );
        (
            Names {
                parties,
                strays,
                rank,
            },
            deals,
        )
    }

    /// The party id of name `k`: a party's, or the stray id itself.
    fn id<'a>(&'a self, dataset: &'a Dataset, k: u32) -> &'a str {
        self.of(dataset, k, |p| p.id.as_str())
    }

    /// The name of name `k`: a party's, or the stray id itself.
    fn name<'a>(&'a self, dataset: &'a Dataset, k: u32) -> &'a str {
        self.of(dataset, k, |p| p.name.as_str())
    }

    /// `field` of the party of name `k`, or the stray id itself.
    fn of<'a>(
        &'a self,
        dataset: &'a Dataset,
        k: u32,
        field: fn(&crate::data::Party) -> &str,
    ) -> &'a str {
        let k = k as usize;
        match party_at(dataset, k) {
            Some(p) if k < self.parties => field(p),
            _ => self
                .strays
                .get(k.saturating_sub(self.parties))
                .map_or("", String::as_str),
        }
    }

    fn len(&self) -> usize {
        self.rank.len()
    }
}

/// The `k`th of `all_parties`.
fn party_at(dataset: &Dataset, k: usize) -> Option<&crate::data::Party> {
    let mut k = k;
    if let Some(p) = dataset.providers.get(k) {
        return Some(p);
    }
    k -= dataset.providers.len();
    if let Some(subject) = &dataset.subject_party {
        if k == 0 {
            return Some(subject);
        }
        k -= 1;
    }
    dataset.other_subjects.get(k)
}

/// The parties `Dataset::party` looks in, in its order.
fn all_parties(dataset: &Dataset) -> impl Iterator<Item = &crate::data::Party> {
    dataset
        .providers
        .iter()
        .chain(dataset.subject_party.as_ref())
        .chain(&dataset.other_subjects)
}

/// Everything the tabs read, derived from one dataset.
#[derive(Debug, Clone)]
pub struct ViewData {
    pub dataset: Dataset,
    /// The committed total of the deals in view, each deal once (a record
    /// superseded by a later one is left out): its value and coverage; the
    /// formula, which lists every deal, is `export derived`'s.
    pub total: Derived,
    /// Per party: the disclosed total of the deals it provides (sold),
    /// its value and coverage.
    pub provider_totals: Vec<Derived>,
    /// Per party: the disclosed total of the deals it pays for (bought).
    pub party_bought: Vec<Derived>,
    /// Per party: the power of the deals it provides.
    pub party_gw_sold: Vec<Option<Figure>>,
    /// Per party: what its row counts.
    pub party_facts: Vec<PartyFacts>,
    pub ramp: Option<Ramp>,
    /// The committed total the capacity plan is set against: its buyer's
    /// when there are several buyers, else `total`.
    pub plan_total: Derived,
    /// The plan's buyer's contracted power over time, by provider.
    pub contracted: ledger::Contracted,
    /// The plan's buyer's (or else the subject's) committed total over its
    /// revenue run rate (`committed_vs_revenue`), for the ramp tab.
    pub plan_vs_revenue: Option<Derived>,
    /// How many parties buy something (`ledger::purchasers`).
    pub purchasers: usize,
    pub implied_cost_per_gw: Option<Derived>,
    /// Per party: the indices of the commitments it provides, in file order.
    pub provider_commitments: Vec<Vec<usize>>,
    /// Per party: the indices of the commitments it pays for, in file order.
    pub party_bought_commitments: Vec<Vec<usize>>,
    /// Per commitment: the latest record of its deal (itself if none
    /// supersedes it).
    pub heads: Vec<usize>,
    /// Per latest record of a deal with earlier ones: how many.
    folds: HashMap<usize, usize>,
    /// Per commitment: whether it counts in the totals (not superseded,
    /// cancelled or an investment).
    pub counts: Vec<bool>,
    /// Per commitment: why the ledger's totals leave it out, if they do
    /// (`ledger::left_out`), worked out once.
    pub left_out: Vec<Option<LeftOut>>,
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
    /// The names deals go by, ranked.
    names: Names,
    /// Per commitment: its buyer's and its provider's place in `names`.
    deal_names: Vec<[u32; 2]>,
    /// Per table (`Table as usize`): whether some text search looks in
    /// holds a character outside ASCII that lowercases to an ASCII letter
    /// (`text::folds_to_ascii`); found on the first search.
    odd_text: [std::sync::OnceLock<bool>; 4],
}

/// A commitment on the timeline: announced, end of the solid bar (online by,
/// or else the end of the term), end of the term (or else online by).
pub type TimelineSpan = (NaiveDate, NaiveDate, NaiveDate);

/// The commitment's timeline span, if it has a start and an end. Its term
/// runs from when delivery starts (`starts`), else from its announcement.
pub fn timeline_span(c: &Commitment) -> Option<TimelineSpan> {
    let start = c.announced.and_then(|d| d.anchor());
    let term_from = c.starts().and_then(|d| d.anchor()).or(start);
    let term_end = term_from
        .zip(c.term.as_ref().and_then(|t| t.weeks()))
        .and_then(|(s, weeks)| s.checked_add_days(Days::new((weeks * 7.0).round() as u64)));
    let online_by = c.online_by.and_then(|d| d.anchor());
    let solid_end = online_by.or(term_end);
    let end = term_end.or(online_by);
    start.zip(solid_end).zip(end).map(|((s, m), e)| (s, m, e))
}

fn or_dash<'a>(s: Option<String>) -> Cow<'a, str> {
    s.map_or(Cow::Borrowed("—"), Cow::Owned)
}

/// A quotient of a value bounded neither way, in a cell: the share and
/// per year of "up to $60bn" or "more than $100bn" are anything at all.
const UNBOUNDED: &str = "unbounded";

fn unbounded(c: &Commitment) -> bool {
    c.value.as_ref().is_some_and(Figure::is_unbounded)
}

/// A share cell: one decimal, unless that would show a real share as 0.0%.
fn share_text(share: Option<&Figure>) -> String {
    match share {
        Some(f) => format!(
            "{}{}%",
            f.qualifier.symbol(),
            if f.value.abs() >= 0.1 || f.value == 0.0 {
                format!("{:.1}", f.value)
            } else {
                crate::figure::significant(f.value, 2)
            }
        ),
        None => "—".into(),
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

/// A figure whose sources disagree so far that it is bounded neither way
/// ("up to $60bn", "more than $100bn"): the envelope would read "±>$0",
/// so the cell gives each source's figure instead, lowest first.
fn sources_far_apart(
    alternatives: &[crate::data::Disputed],
    field: &str,
    figure: &Figure,
) -> Option<String> {
    if !figure.is_unbounded() {
        return None;
    }
    let disputed = alternatives.iter().find(|d| d.field == field && !d.agree)?;
    let mut options: Vec<&Figure> = disputed.options.iter().map(|(f, _)| f).collect();
    options.sort_by(|a, b| a.interval.low.total_cmp(&b.interval.low));
    let texts: Vec<String> = options.iter().map(|f| f.compact()).collect();
    Some(format!("{DISPUTED}{}", texts.join(" or ")))
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
fn date_text<'a>(d: Option<crate::figure::HedgedDate>) -> Cow<'a, str> {
    or_dash(d.map(|d| d.to_string()))
}

/// A hedged date's sort key: by its earliest day, else its latest, with
/// `HedgedDate`'s own order breaking ties inside a day.
fn hedged_date_key(d: Option<crate::figure::HedgedDate>) -> SortKey {
    date_key(d.and_then(|d| d.anchor()))
}

/// A money total's cell: "none" for no deal, "undisclosed", the figure with
/// "(n/m)" when some deals give none.
fn money_cell(d: &Derived) -> String {
    match (&d.value, d.covers) {
        (_, Some((0, 0))) => "none".to_string(),
        (ledger::DerivedValue::Undisclosed, _) => "undisclosed".to_string(),
        (_, Some((n, m))) if n < m => format!("{} ({n}/{m})", d.compact()),
        _ => d.compact(),
    }
}

/// Per column, whether it tells rows apart: not when every row has the
/// same text there, blanks ("—", "0", "none") aside. One buyer, one kind,
/// no power anywhere: such a column says nothing and is not drawn.
/// Only the columns format 2 brought (`hideable`) are ever left out, so a
/// format 1 file's tables look as they always have.
fn uniform_columns(rows: Rows, hideable: &[usize]) -> Vec<bool> {
    let blank = |s: &str| matches!(s, "" | "—" | "0" | "none");
    (0..rows.table.columns().len())
        .map(|c| {
            if !hideable.contains(&c) {
                return false;
            }
            // One row stands for every row with the same record behind
            // the cell: a deal's buyer or kind is one of few.
            let some: Vec<usize> = match (rows.table, rows.view) {
                (Table::Commitments, Some(view)) if c == 0 || c == 2 => {
                    let mut seen = HashMap::new();
                    (0..rows.len())
                        .filter(|&i| {
                            let key = match c {
                                0 => view.deal_names[i][0],
                                _ => view.dataset.commitments[i].kind as u32,
                            };
                            seen.insert(key, ()).is_none()
                        })
                        .collect()
                }
                _ => (0..rows.len()).collect(),
            };
            let mut cells = some.iter().map(|&i| rows.cell(i, c)).filter(|s| !blank(s));
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
    let n = dataset.commitments.len();
    if dataset
        .commitments
        .iter()
        .all(|c| c.supersedes().is_empty())
    {
        return (0..n).collect();
    }
    let index: HashMap<&str, usize> = dataset
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut next: Vec<Option<usize>> = vec![None; n];
    for (i, c) in dataset.commitments.iter().enumerate() {
        for old in c.supersedes() {
            if let Some(&o) = index.get(old.as_str())
                && o != i
            {
                next[o] = Some(i);
            }
        }
    }
    (0..n)
        .map(|i| {
            let mut at = i;
            for _ in 0..n {
                match next[at] {
                    Some(n) if n != i => at = n,
                    _ => break,
                }
            }
            at
        })
        .collect()
}

/// The party's name, or its id when no party has it.
pub fn party_name<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    dataset.party(id).map_or(id, |p| p.name.as_str())
}

/// What a party does in the deals in view, in a word each.
fn roles_text(sells: bool, buys: bool) -> &'static str {
    match (buys, sells) {
        (true, true) => "buyer·provider",
        (true, false) => "buyer",
        (false, true) => "provider",
        (false, false) => "—",
    }
}

fn spending(c: &Commitment) -> bool {
    c.kind != DealKind::Investment
}

impl ViewData {
    pub fn new(dataset: Dataset) -> ViewData {
        ViewData::build(dataset, None)
    }

    /// The view of `dataset`; with `lens`, the Flows matrix narrowed to a
    /// lens's buyer, whose dataset holds that buyer alone but whose totals
    /// follow the rules of the several buyers it was cut from.
    fn build(dataset: Dataset, lens: Option<Flows>) -> ViewData {
        let left_out = ledger::left_out(&dataset);
        let (names, deal_names) = Names::new(&dataset);
        // Who buys (`ledger::buyers`), and who buys something other than
        // a stake (`ledger::purchasers`), by name: no id hashed again.
        let mut buys = vec![0u8; names.len()];
        for (c, [b, _]) in dataset.commitments.iter().zip(&deal_names) {
            buys[*b as usize] |= 1 | (u8::from(spending(c)) << 1);
        }
        let several = lens.is_some() || buys.iter().filter(|b| **b != 0).count() > 1;
        let purchases = |k: usize| buys.get(k).is_some_and(|b| b & 2 != 0);
        // Several buyers, or a format 2 file: the ledger's totals, as
        // `export derived` gives them (options left out).
        let party_rules = several || dataset.files.iter().any(|f| f.format >= 2);
        // What the tables count: never a record superseded by a later one,
        // a cancelled deal or an investment (which is not spending); with
        // several buyers, not an option either (as `derive` counts them).
        let counts: Vec<bool> = left_out
            .iter()
            .zip(&dataset.commitments)
            .map(|(why, c)| {
                spending(c)
                    && match why {
                        None => true,
                        Some(LeftOut::Option) => !several,
                        Some(_) => false,
                    }
            })
            .collect();
        let heads = deal_heads(&dataset);
        let mut folds: HashMap<usize, usize> = HashMap::new();
        for (i, &h) in heads.iter().enumerate() {
            if h != i {
                *folds.entry(h).or_default() += 1;
            }
        }
        let total = ledger::committed_sum(
            dataset
                .commitments
                .iter()
                .zip(&counts)
                .filter(|(_, counted)| **counted)
                .map(|(c, _)| c),
        );
        // Each name's deals, sold and bought: grouped once, as parties ×
        // commitments would be quadratic at 100k.
        let mut sold: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        let mut bought: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (i, [b, p]) in deal_names.iter().enumerate() {
            sold[*p as usize].push(i);
            bought[*b as usize].push(i);
        }
        let counted_of =
            |ix: &[usize]| -> Vec<usize> { ix.iter().copied().filter(|&i| counts[i]).collect() };
        let sum_of =
            |ix: &[usize]| ledger::committed_sum(ix.iter().map(|&i| &dataset.commitments[i]));
        let n_parties = dataset.providers.len();
        let mut provider_totals = Vec::with_capacity(n_parties);
        let mut party_bought = Vec::with_capacity(n_parties);
        let mut party_gw_sold = Vec::with_capacity(n_parties);
        let mut party_facts = Vec::with_capacity(n_parties);
        let mut provider_commitments = Vec::with_capacity(n_parties);
        let mut party_bought_commitments = Vec::with_capacity(n_parties);
        // A party's place among the names: the first party with its id.
        let mut first_of: HashMap<&str, usize> = HashMap::with_capacity(n_parties);
        for (i, p) in dataset.providers.iter().enumerate() {
            first_of.entry(p.id.as_str()).or_insert(i);
        }
        // Two parties with one id (a dataset built by hand) share its deals.
        let twins = first_of.len() < n_parties;
        for (i, p) in dataset.providers.iter().enumerate() {
            let k = first_of.get(p.id.as_str()).copied().unwrap_or(i);
            let (sold_ix, bought_ix) = if twins {
                (sold[k].clone(), bought[k].clone())
            } else {
                (std::mem::take(&mut sold[k]), std::mem::take(&mut bought[k]))
            };
            let sold_deals = counted_of(&sold_ix);
            let bought_deals = counted_of(&bought_ix);
            let ledger = party_rules.then(|| {
                Tally::of(
                    &dataset,
                    &left_out,
                    &sold_ix,
                    spending,
                    |c| c.value.as_ref(),
                    false,
                )
            });
            let sub = match ledger {
                Some(t) if t.counted > 0 => t.unworded(false),
                _ => sum_of(&sold_deals),
            };
            let bought_total =
                if party_rules && bought_ix.iter().any(|&j| spending(&dataset.commitments[j])) {
                    Tally::of(
                        &dataset,
                        &left_out,
                        &bought_ix,
                        spending,
                        |c| c.value.as_ref(),
                        false,
                    )
                    .unworded(false)
                } else {
                    sum_of(&bought_deals)
                };
            let gw_sold = Figure::sum(
                sold_deals
                    .iter()
                    .map(|&j| &dataset.commitments[j])
                    .filter_map(|c| c.power()),
            );
            let mut counterparties: Vec<u32> = sold_deals
                .iter()
                .map(|&j| deal_names[j][0])
                .chain(bought_deals.iter().map(|&j| deal_names[j][1]))
                .filter(|&n| n as usize != k)
                .collect();
            counterparties.sort_unstable();
            counterparties.dedup();
            party_facts.push(PartyFacts {
                deals: (sold_deals.len() + bought_deals.len()) as u32,
                counterparties: counterparties.len() as u32,
                sells: !sold_deals.is_empty(),
                sold_any: !sold_ix.is_empty(),
                buys: !bought_deals.is_empty(),
            });
            provider_commitments.push(sold_ix);
            party_bought_commitments.push(bought_ix);
            provider_totals.push(sub);
            party_bought.push(bought_total);
            party_gw_sold.push(gw_sold);
        }
        // The plan is its buyer's: with several buyers, set against that
        // buyer's commitments, not everyone's.
        let plan_total = match dataset.capacity() {
            Some(plan) if several => {
                let own: Vec<usize> = dataset
                    .commitments
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.buyer == plan.buyer)
                    .map(|(i, _)| i)
                    .collect();
                ledger::totals::total_among(
                    &dataset,
                    &left_out,
                    &own,
                    ledger::totals::Total::Committed(&plan.buyer),
                )
            }
            _ => total.clone(),
        };
        drop((sold, bought));
        // The ramp's stack: the power of the plan's buyer's deals over time.
        let plan_buyer = dataset
            .capacity()
            .map(|plan| plan.buyer.clone())
            .or_else(|| dataset.subject_id.clone());
        let contracted = plan_buyer
            .as_ref()
            .map(|buyer| ledger::Contracted::new(&dataset, &counts, buyer))
            .unwrap_or_default();
        let plan_vs_revenue = plan_buyer.as_ref().and_then(|buyer| {
            let own: Vec<usize> = dataset
                .commitments
                .iter()
                .enumerate()
                .filter(|(_, c)| c.buyer == buyer.as_str())
                .map(|(i, _)| i)
                .collect();
            ledger::committed_vs_revenue_among(&dataset, &left_out, &own, buyer)
        });
        let (ramp, implied_cost_per_gw) = match dataset.capacity() {
            Some(capacity) => (
                capacity
                    .target
                    .as_ref()
                    .zip(capacity.build_rate.as_ref())
                    .and_then(|(target, rate)| {
                        ledger::ramp(
                            ledger::plan_as_of(&dataset, capacity),
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
                    .and_then(|(cost, target)| ledger::implied_cost_per_gw(cost, target)),
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
        let purchaser_count = (0..names.len()).filter(|&k| purchases(k)).count();
        let mut buyers: Vec<String> = dataset
            .providers
            .iter()
            .chain(dataset.subject_party.as_ref())
            .enumerate()
            .filter(|(i, p)| purchases(first_of.get(p.id.as_str()).copied().unwrap_or(*i)))
            .map(|(_, p)| p.id.clone())
            .collect();
        buyers.dedup();
        let flows = lens.unwrap_or_else(|| {
            let parties = Parties {
                ids: (0..names.len() as u32)
                    .map(|k| names.id(&dataset, k))
                    .collect(),
                deals: &deal_names,
            };
            Flows::new(&dataset, &left_out, &parties)
        });
        drop(first_of);
        let mut view = ViewData {
            dataset,
            total,
            provider_totals,
            party_bought,
            party_gw_sold,
            party_facts,
            ramp,
            plan_total,
            contracted,
            plan_vs_revenue,
            purchasers: purchaser_count,
            implied_cost_per_gw,
            provider_commitments,
            party_bought_commitments,
            heads,
            folds,
            counts,
            left_out,
            timeline,
            max_value,
            party_hidden: Vec::new(),
            commitment_hidden: Vec::new(),
            buyers,
            lens: None,
            flows: std::sync::Arc::new(flows),
            names,
            deal_names,
            odd_text: Default::default(),
        };
        view.party_hidden = uniform_columns(view.rows(Table::Parties), &[3, 6, 7, 8]);
        view.commitment_hidden = uniform_columns(view.rows(Table::Commitments), &[0, 2, 4]);
        view
    }

    /// The view of one buyer's deals: its commitments, the parties on
    /// them, its capacity plan, and the notes about those parties.
    pub fn lensed(all: &ViewData, buyer: &str) -> ViewData {
        let full = &all.dataset;
        let index: HashMap<usize, usize> = full
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

    /// A table's rows, read from this view.
    pub fn rows(&self, table: Table) -> Rows<'_> {
        Rows {
            view: Some(self),
            table,
            marks: None,
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

    /// The earlier records of a deal, oldest first, when `index` is its
    /// latest record.
    pub fn history_of(&self, index: usize) -> Vec<usize> {
        if !self.folds.contains_key(&index) {
            return Vec::new();
        }
        let mut older: Vec<usize> = (0..self.heads.len())
            .filter(|&i| i != index && self.heads[i] == index)
            .collect();
        older.sort_by_key(|&i| {
            let c = &self.dataset.commitments[i];
            (c.announced, i)
        });
        older
    }

    /// A deal's buyer's name and its provider's.
    fn deal_party(&self, i: usize, which: usize) -> &str {
        self.names.name(&self.dataset, self.deal_names[i][which])
    }

    /// A deal's share of the total in view: a deal left out of the total
    /// (superseded, cancelled, ...) has none.
    fn share(&self, i: usize) -> Option<Figure> {
        let c = &self.dataset.commitments[i];
        self.counts[i]
            .then(|| ledger::share_figure(c, self.total.figure()?))
            .flatten()
    }

    /// A party's share of the total in view.
    fn party_share(&self, i: usize) -> Option<Figure> {
        let (s, t) = self.provider_totals[i].figure().zip(self.total.figure())?;
        if s.is_unbounded() {
            return None;
        }
        (t.value > 0.0).then(|| {
            let (q, v) = crate::figure::quotient(s, s.value, t, t.value);
            Figure::derived(q, v * 100.0, crate::figure::Unit::Percent)
        })
    }
}

/// A table's rows, read from a view (or none, before the first load): how
/// many, their cells, ids, sort keys and search, each made when asked.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    view: Option<&'a ViewData>,
    table: Table,
    /// What the last reload changed, if these rows show it.
    marks: Option<&'a Marks>,
}

impl<'a> Rows<'a> {
    /// No rows: nothing loaded yet.
    pub fn empty(table: Table) -> Rows<'a> {
        Rows {
            view: None,
            table,
            marks: None,
        }
    }

    /// The rows with a reload's marks (`mark_changes`) on them.
    pub fn marked(self, marks: &'a Marks) -> Rows<'a> {
        Rows {
            marks: Some(marks),
            ..self
        }
    }

    pub fn table(&self) -> Table {
        self.table
    }

    pub fn len(&self) -> usize {
        let Some(view) = self.view else { return 0 };
        match self.table {
            Table::Parties => view.dataset.providers.len(),
            Table::Commitments => view.dataset.commitments.len(),
            Table::Notes => view.dataset.notes.len(),
            Table::Flows => view.flows.buyers.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn view(&self) -> &'a ViewData {
        self.view.expect("rows of a loaded view")
    }

    /// For an earlier record of a deal: the record of its latest one,
    /// under which it is folded until expanded.
    pub fn under(&self, i: usize) -> Option<usize> {
        match (self.view, self.table) {
            (Some(view), Table::Commitments) => {
                let head = *view.heads.get(i)?;
                (head != i).then_some(head)
            }
            _ => None,
        }
    }

    /// How many earlier records are folded under this one.
    pub fn folds(&self, i: usize) -> usize {
        match (self.view, self.table) {
            (Some(view), Table::Commitments) => view.folds.get(&i).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// The record's id, to find its row again after a reload: a note's is
    /// its own, or its position and headline.
    pub fn id(&self, i: usize) -> Cow<'a, str> {
        let ds = &self.view().dataset;
        match self.table {
            Table::Parties => Cow::Borrowed(ds.providers[i].id.as_str()),
            Table::Commitments => Cow::Borrowed(ds.commitments[i].id.as_str()),
            Table::Notes => match &ds.notes[i].id {
                Some(id) => Cow::Borrowed(id.as_str()),
                None => Cow::Owned(note_id(i, &ds.notes[i])),
            },
            Table::Flows => Cow::Borrowed(self.view().flows.buyers[i].as_str()),
        }
    }

    /// Whether the last reload changed the cell (`Δ`).
    pub fn changed(&self, i: usize, column: usize) -> bool {
        self.marks(i) & (1 << column) != 0
    }

    /// The row's reload marks, a bit per column.
    fn marks(&self, i: usize) -> u32 {
        self.marks
            .and_then(|m| m.of(self.table))
            .and_then(|m| m.get(&i))
            .copied()
            .unwrap_or(0)
    }

    /// Every cell of the row.
    pub fn cells(&self, i: usize) -> Vec<Cow<'a, str>> {
        (0..self.table.columns().len())
            .map(|c| self.cell(i, c))
            .collect()
    }

    /// A cell as the table shows it, control characters escaped.
    pub fn cell(&self, i: usize, column: usize) -> Cow<'a, str> {
        let view = self.view();
        match self.table {
            Table::Parties => party_cell(view, i, column),
            Table::Commitments => commitment_cell(view, i, column),
            Table::Notes => note_cell(view, i, column),
            Table::Flows => match column {
                0 => escape_controls(party_name(&view.dataset, &view.flows.buyers[i])),
                _ => Cow::Borrowed(""),
            },
        }
    }

    /// The text search looks in, as written (not lowercased): the fields
    /// the row shows, and a few it does not (a deal's id and summary), one
    /// after another with a space between.
    pub fn haystack(&self, i: usize) -> String {
        let view = self.view();
        let ds = &view.dataset;
        match self.table {
            Table::Parties => {
                let p = &ds.providers[i];
                format!(
                    "{} {} {} {} {} {}",
                    p.name,
                    p.parent.as_deref().unwrap_or(""),
                    p.kind.as_str(),
                    party_roles(view, i),
                    p.hardware.join(" "),
                    p.summary.as_deref().unwrap_or("")
                )
            }
            Table::Commitments => {
                let c = &ds.commitments[i];
                format!(
                    "{} {} {} {} {} {} {}",
                    c.id,
                    view.deal_party(i, 0),
                    view.deal_party(i, 1),
                    c.kind.as_str(),
                    c.value.as_ref().map_or("undisclosed", |v| v.text.as_str()),
                    c.status.as_str(),
                    c.summary.as_deref().unwrap_or("")
                )
            }
            Table::Notes => {
                let n = &ds.notes[i];
                format!(
                    "{} {} {} {} {}",
                    n.subject,
                    n.kind.as_str(),
                    n.headline,
                    n.speaker.as_deref().unwrap_or(""),
                    n.body.as_deref().unwrap_or("")
                )
            }
            Table::Flows => {
                let flows = &view.flows;
                let providers: Vec<&str> = flows
                    .row_columns(i)
                    .map(|c| party_name(ds, &flows.providers[c]))
                    .collect();
                format!(
                    "{} {}",
                    party_name(ds, &flows.buyers[i]),
                    providers.join(" ")
                )
            }
        }
    }

    /// A search for `query` over these rows: what `haystack` holds, looked
    /// for ignoring case as `str::to_lowercase` folds it, field by field.
    pub fn matcher(&self, query: &str) -> Matcher<'a> {
        let needle = Needle::new(query);
        // Names and words are tested once per search, not once per row.
        let names = match (self.view, self.table) {
            (Some(view), Table::Commitments) if !needle.spaced() && !needle.is_empty() => {
                (0..view.names.len())
                    .map(|k| needle.found_in(view.names.name(&view.dataset, k as u32)))
                    .collect()
            }
            _ => Vec::new(),
        };
        let odd = !needle.is_empty()
            && self.view.is_some_and(|view| {
                *view.odd_text[self.table as usize].get_or_init(|| self.any_field(folds_to_ascii))
            });
        // Words of a vocabulary, likewise.
        let kinds = DealKind::ALL
            .iter()
            .map(|k| needle.found_in(k.as_str()))
            .collect();
        let statuses = crate::data::Status::ALL
            .iter()
            .map(|s| needle.found_in(s.as_str()))
            .collect();
        Matcher {
            rows: *self,
            needle,
            names,
            kinds,
            statuses,
            odd,
        }
    }

    /// Whether `test` holds for some text that search looks in field by
    /// field (names apart, which are tested once per search).
    fn any_field(&self, test: impl Fn(&str) -> bool) -> bool {
        let Some(view) = self.view else {
            return false;
        };
        let ds = &view.dataset;
        let some = |field: Option<&str>| field.is_some_and(&test);
        match self.table {
            Table::Parties => ds.providers.iter().any(|p| {
                test(&p.name)
                    || some(p.parent.as_deref())
                    || p.hardware.iter().any(|h| test(h))
                    || some(p.summary.as_deref())
            }),
            Table::Commitments => ds.commitments.iter().any(|c| {
                test(&c.id)
                    || some(c.value.as_ref().map(|v| v.text.as_str()))
                    || some(c.summary.as_deref())
            }),
            Table::Notes => ds.notes.iter().any(|n| {
                test(&n.subject)
                    || test(&n.headline)
                    || some(n.speaker.as_deref())
                    || some(n.body.as_deref())
            }),
            Table::Flows => true,
        }
    }

    /// The sort key of each row in `column`, as a function of the row.
    pub fn keys(&self, column: usize) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let Some(view) = self.view else {
            return Box::new(|_| SortKey::Missing);
        };
        let ds = &view.dataset;
        let ranked = |ranks: Vec<u32>| -> Box<dyn Fn(usize) -> SortKey + 'a> {
            Box::new(move |i| rank_key(ranks[i]))
        };
        match (self.table, column) {
            (Table::Parties, 0) => Box::new(|i| rank_key(view.names.rank[i])),
            (Table::Parties, 1) => {
                ranked(text_ranks(ds.providers.iter().map(|p| p.parent.as_deref())))
            }
            (Table::Parties, 2) => Box::new(|i| SortKey::Text(word_rank(ds.providers[i].kind))),
            (Table::Parties, 3) => ranked(text_ranks(
                (0..ds.providers.len()).map(|i| Some(party_roles(view, i))),
            )),
            (Table::Parties, 4) => {
                Box::new(|i| SortKey::Number(f64::from(view.party_facts[i].deals)))
            }
            (Table::Parties, 5) => Box::new(|i| figure_key(view.provider_totals[i].figure())),
            (Table::Parties, 6) => Box::new(|i| figure_key(view.party_bought[i].figure())),
            (Table::Parties, 7) => Box::new(|i| figure_key(view.party_gw_sold[i].as_ref())),
            (Table::Parties, 8) => {
                Box::new(|i| SortKey::Number(f64::from(view.party_facts[i].counterparties)))
            }
            (Table::Parties, 9) => Box::new(|i| figure_key(view.party_share(i).as_ref())),
            (Table::Commitments, 0 | 1) => Box::new(move |i| {
                SortKey::Text(view.names.rank[view.deal_names[i][column] as usize])
            }),
            (Table::Commitments, 2) => {
                Box::new(|i| SortKey::Text(word_rank(ds.commitments[i].kind)))
            }
            // A value bounded neither way is no more known than an
            // undisclosed one: it sorts with them, last, not as $0.
            (Table::Commitments, 3) => Box::new(|i| {
                figure_key(
                    ds.commitments[i]
                        .value
                        .as_ref()
                        .filter(|v| !v.is_unbounded()),
                )
            }),
            (Table::Commitments, 4) => Box::new(|i| figure_key(ds.commitments[i].power())),
            (Table::Commitments, 5) => Box::new(|i| {
                ds.commitments[i]
                    .term
                    .as_ref()
                    .and_then(Figure::years)
                    .map_or(SortKey::Missing, SortKey::Number)
            }),
            (Table::Commitments, 6) => Box::new(|i| {
                let c = &ds.commitments[i];
                let value = c.value.as_ref();
                let years = c.term.as_ref().and_then(Figure::years).filter(|y| *y > 0.0);
                value
                    .zip(years)
                    .map_or(SortKey::Missing, |(v, y)| SortKey::Number(v.value / y))
            }),
            (Table::Commitments, 7) => Box::new(|i| hedged_date_key(ds.commitments[i].announced)),
            (Table::Commitments, 8) => {
                Box::new(|i| SortKey::Text(word_rank(ds.commitments[i].status)))
            }
            (Table::Commitments, 9) => Box::new(|i| hedged_date_key(ds.commitments[i].online_by)),
            (Table::Commitments, 10) => {
                let total = view.total.figure().map(|t| t.value).filter(|t| *t > 0.0);
                Box::new(move |i| {
                    let c = &ds.commitments[i];
                    match (view.counts[i], c.value.as_ref(), total) {
                        (true, Some(v), Some(t)) => SortKey::Number(v.value / t * 100.0),
                        _ => SortKey::Missing,
                    }
                })
            }
            (Table::Notes, 0) => Box::new(|i| date_key(ds.notes[i].date.and_then(|d| d.anchor()))),
            (Table::Notes, 1) => ranked(text_ranks(
                ds.notes.iter().map(|n| Some(n.subject.as_str())),
            )),
            (Table::Notes, 2) => Box::new(|i| SortKey::Text(word_rank(ds.notes[i].kind))),
            (Table::Notes, 3) => Box::new(|i| figure_key(ds.notes[i].change.as_ref())),
            (Table::Notes, 4) => Box::new(|i| figure_key(ds.notes[i].amount.as_ref())),
            (Table::Notes, 5) => ranked(text_ranks(
                ds.notes.iter().map(|n| Some(n.headline.as_str())),
            )),
            (Table::Flows, 0) => {
                let ranks = text_ranks(view.flows.buyers.iter().map(|b| Some(party_name(ds, b))));
                ranked(ranks)
            }
            _ => Box::new(|_| SortKey::Missing),
        }
    }
}

/// A search over a table's rows (`Rows::matcher`).
pub struct Matcher<'a> {
    rows: Rows<'a>,
    needle: Needle,
    /// Per name (`ViewData::names`): whether the query is in it.
    names: Vec<bool>,
    /// Per deal kind and status, in their vocabulary's order: likewise.
    kinds: Vec<bool>,
    statuses: Vec<bool>,
    /// Some field holds a character that lowercases to ASCII
    /// (`text::folds_to_ascii`): the exact test for fields outside ASCII.
    odd: bool,
}

impl Matcher<'_> {
    /// The query, lowercased.
    pub fn query(&self) -> &str {
        self.needle.lower()
    }

    /// Whether row `i` holds the query.
    pub fn is_match(&self, i: usize) -> bool {
        let Some(view) = self.rows.view else {
            return false;
        };
        let found = |field: &str| {
            if self.odd {
                self.needle.found_in(field)
            } else {
                self.needle.found_in_plain(field)
            }
        };
        if self.needle.spaced() {
            // A match may run across fields: the joined text is folded.
            return self
                .rows
                .haystack(i)
                .to_lowercase()
                .contains(self.needle.lower());
        }
        let ds = &view.dataset;
        match self.rows.table {
            Table::Parties => {
                let p = &ds.providers[i];
                found(&p.name)
                    || p.parent.as_deref().is_some_and(found)
                    || found(p.kind.as_str())
                    || found(party_roles(view, i))
                    || p.hardware.iter().any(|h| found(h))
                    || p.summary.as_deref().is_some_and(found)
            }
            Table::Commitments => {
                let c = &ds.commitments[i];
                let [b, p] = view.deal_names[i];
                let word =
                    |hits: &[bool], at: Option<usize>| at.and_then(|k| hits.get(k)) == Some(&true);
                self.names[b as usize]
                    || self.names[p as usize]
                    || word(&self.kinds, DealKind::ALL.iter().position(|k| *k == c.kind))
                    || word(
                        &self.statuses,
                        crate::data::Status::ALL.iter().position(|s| *s == c.status),
                    )
                    || found(&c.id)
                    || found(c.value.as_ref().map_or("undisclosed", |v| v.text.as_str()))
                    || c.summary.as_deref().is_some_and(found)
            }
            Table::Notes => {
                let n = &ds.notes[i];
                found(&n.subject)
                    || found(n.kind.as_str())
                    || found(&n.headline)
                    || n.speaker.as_deref().is_some_and(found)
                    || n.body.as_deref().is_some_and(found)
            }
            Table::Flows => {
                let flows = &view.flows;
                let name = |id: &str| self.needle.found_in(party_name(ds, id));
                name(&flows.buyers[i]) || flows.row_columns(i).any(|c| name(&flows.providers[c]))
            }
        }
    }
}

/// What a party does in the deals in view.
fn party_roles(view: &ViewData, i: usize) -> &'static str {
    let facts = &view.party_facts[i];
    roles_text(facts.sells, facts.buys)
}

fn party_cell(view: &ViewData, i: usize, column: usize) -> Cow<'_, str> {
    let p = &view.dataset.providers[i];
    let facts = &view.party_facts[i];
    match column {
        0 => escape_controls(&p.name),
        1 => match p.parent.as_deref() {
            Some(parent) => escape_controls(parent),
            None => Cow::Borrowed("—"),
        },
        2 => Cow::Borrowed(p.kind.as_str()),
        3 => Cow::Borrowed(party_roles(view, i)),
        4 => Cow::Owned(facts.deals.to_string()),
        5 if !facts.sells && facts.sold_any => Cow::Borrowed("—"),
        5 => Cow::Owned(money_cell(&view.provider_totals[i])),
        6 if !facts.buys => Cow::Borrowed("—"),
        6 => Cow::Owned(money_cell(&view.party_bought[i])),
        7 => or_dash(view.party_gw_sold[i].as_ref().map(gw_text)),
        8 => Cow::Owned(facts.counterparties.to_string()),
        9 if view.provider_totals[i]
            .figure()
            .is_some_and(Figure::is_unbounded) =>
        {
            Cow::Borrowed(UNBOUNDED)
        }
        9 => Cow::Owned(share_text(view.party_share(i).as_ref())),
        _ => Cow::Borrowed(""),
    }
}

fn commitment_cell(view: &ViewData, i: usize, column: usize) -> Cow<'_, str> {
    let c = &view.dataset.commitments[i];
    let mark = |field: &str| disputed_mark(c.alternatives(), field);
    match column {
        0 => escape_controls(view.deal_party(i, 0)),
        1 => escape_controls(view.deal_party(i, 1)),
        2 => Cow::Borrowed(c.kind.as_str()),
        3 => Cow::Owned(c.value.as_ref().map_or("undisclosed".into(), |v| {
            sources_far_apart(c.alternatives(), "value", v)
                .unwrap_or_else(|| disputed_cell(mark("value"), v.compact()))
        })),
        4 => or_dash(c.power().map(|p| disputed_cell(mark("power"), gw_text(p)))),
        5 => or_dash(c.term.as_ref().map(Figure::compact)),
        6 if unbounded(c) && c.term.is_some() => Cow::Borrowed(UNBOUNDED),
        6 => or_dash(
            ledger::per_year_figure(c).map(|f| f.compact().trim_end_matches("/yr").to_string()),
        ),
        7 => date_text(c.announced),
        8 => Cow::Borrowed(status_text(c.status)),
        9 => date_text(c.online_by),
        10 if unbounded(c) && view.counts[i] => Cow::Borrowed(UNBOUNDED),
        10 => Cow::Owned(share_text(view.share(i).as_ref())),
        _ => Cow::Borrowed(""),
    }
}

fn note_cell(view: &ViewData, i: usize, column: usize) -> Cow<'_, str> {
    let ds = &view.dataset;
    let n = &ds.notes[i];
    match column {
        0 => or_dash(n.date.map(|d| d.to_string())),
        // A subject that is a party goes by the party's name.
        1 => escape_controls(
            n.subject_party
                .as_deref()
                .map_or(n.subject.as_str(), |p| party_name(ds, p)),
        ),
        2 => Cow::Borrowed(n.kind.as_str()),
        3 => Cow::Owned(n.change.as_ref().map_or(String::new(), |c| {
            format!(
                "{}{}",
                disputed_mark(&n.alternatives, "change"),
                change_text(c)
            )
        })),
        4 => Cow::Owned(n.amount.as_ref().map_or(String::new(), |a| {
            format!(
                "{}{}",
                disputed_mark(&n.alternatives, "amount"),
                a.compact()
            )
        })),
        5 => escape_controls(&n.headline),
        _ => Cow::Borrowed(""),
    }
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

/// What differs in `new` from `old`, record by record, and the marks that
/// show it: the changed cells of a record both have, every cell of an added
/// one. A deal whose record and names are as they were is taken as
/// unchanged without its cells being made (its share follows the total, and
/// is never marked).
pub fn mark_changes(old: &ViewData, new: &ViewData) -> (Changes, Marks) {
    let mut changes = Changes::default();
    let mut marks = Marks::default();
    // Shares follow the total: a change elsewhere is not theirs.
    let share = |columns: &[Column]| columns.iter().position(|c| c.title == "Share");
    for table in [Table::Parties, Table::Commitments, Table::Notes] {
        let (before, after) = (old.rows(table), new.rows(table));
        let derived = share(table.columns());
        let old_rows: HashMap<Cow<str>, usize> =
            (0..before.len()).map(|i| (before.id(i), i)).collect();
        // Per old record: whether a new one has its id.
        let mut seen = vec![false; before.len()];
        let found = marks.of_mut(table).expect("a table with marks");
        for i in 0..after.len() {
            let id = after.id(i);
            let bits = match old_rows.get(&id) {
                Some(&was) => {
                    seen[was] = true;
                    let same = table == Table::Commitments
                        && old.dataset.commitments[was] == new.dataset.commitments[i]
                        && old.deal_party(was, 0) == new.deal_party(i, 0)
                        && old.deal_party(was, 1) == new.deal_party(i, 1);
                    if same {
                        0
                    } else {
                        let bits = (0..table.columns().len())
                            .filter(|&c| {
                                Some(c) != derived && before.cell(was, c) != after.cell(i, c)
                            })
                            .fold(0u32, |bits, c| bits | 1 << c);
                        if bits != 0 {
                            changes.changed += 1;
                        }
                        bits
                    }
                }
                None => {
                    changes.added += 1;
                    (1u32 << table.columns().len()) - 1
                }
            };
            if bits != 0 {
                found.insert(i, bits);
            }
        }
        changes.removed.extend((0..before.len()).filter_map(|i| {
            let id = before.id(i);
            let kept = old_rows.get(&id).is_some_and(|&was| seen[was]);
            (!kept).then(|| id.into_owned())
        }));
    }
    (changes, marks)
}

/// Record order for a table: `sort` column ascending (or descending), missing
/// values last either way, ties in file order. `None` keeps file order.
pub fn sorted_order(
    rows: &Rows,
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
    sorted_by_key(filter, &*rows.keys(column), reverse)
}

/// `sorted_order` with the keys given.
fn sorted_by_key(filter: &[usize], key: &dyn Fn(usize) -> SortKey, reverse: bool) -> Vec<usize> {
    // Sort keys side by side with their record, so that comparisons read
    // one array: at 100k rows this is several times faster than comparing
    // `SortKey`s.
    let mut missing = Vec::new();
    let mut numbers: Vec<(u64, usize)> = Vec::with_capacity(filter.len());
    let (mut has_number, mut has_date, mut has_text) = (false, false, false);
    for &i in filter {
        match key(i) {
            SortKey::Missing => missing.push(i),
            SortKey::Number(n) => {
                has_number = true;
                numbers.push((total_order(n), i));
            }
            SortKey::Date(d) => {
                has_date = true;
                numbers.push((date_order(d), i));
            }
            SortKey::Text(rank) => {
                has_text = true;
                numbers.push((u64::from(rank), i));
            }
        }
    }
    if usize::from(has_number) + usize::from(has_date) + usize::from(has_text) > 1 {
        // Kinds that do not compare: keep the plain sort's answer.
        return sorted_order_generic(filter, key, reverse);
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
    filter: &[usize],
    key: &dyn Fn(usize) -> SortKey,
    reverse: bool,
) -> Vec<usize> {
    let mut order = filter.to_vec();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        match ka.cmp_present(&kb) {
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

    #[test]
    fn text_keys_rank_in_lowercase_text_order() {
        let texts = ["b", "a", "B", "数据", "", "Ab"];
        let ranks = text_ranks(texts.iter().map(|t| Some(*t)));
        let mut by_key: Vec<usize> = (0..texts.len()).collect();
        by_key.sort_by(|&a, &b| ranks[a].cmp(&ranks[b]).then(a.cmp(&b)));
        let mut by_text: Vec<usize> = (0..texts.len()).collect();
        by_text.sort_by(|&a, &b| {
            texts[a]
                .to_lowercase()
                .cmp(&texts[b].to_lowercase())
                .then(a.cmp(&b))
        });
        assert_eq!(by_key, by_text);
        assert_eq!(ranks[0], ranks[2], "b and B sort as one");
        assert_eq!(text_ranks([None, Some("x")].into_iter()), [u32::MAX, 0]);
    }

    #[test]
    fn words_rank_in_text_order() {
        let mut words: Vec<&str> = DealKind::ALL.iter().map(|k| k.as_str()).collect();
        words.sort_unstable();
        for kind in DealKind::ALL {
            assert_eq!(
                words.iter().position(|w| *w == kind.as_str()),
                Some(word_rank(*kind) as usize)
            );
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
            [2, 1, 2, 4, 0, 1, 3]
                .into_iter()
                .map(SortKey::Text)
                .chain([SortKey::Missing])
                .collect(),
            vec![SortKey::Missing, SortKey::Missing],
            vec![SortKey::Number(1.0), SortKey::Text(0), SortKey::Missing],
        ];
        for keys in columns {
            let key = |i: usize| keys[i];
            let all: Vec<usize> = (0..keys.len()).collect();
            let some: Vec<usize> = all.iter().copied().filter(|i| i % 3 != 1).collect();
            for filter in [&all, &some] {
                for reverse in [false, true] {
                    assert_eq!(
                        sorted_by_key(filter, &key, reverse),
                        sorted_order_generic(filter, &key, reverse),
                        "{keys:?} reverse {reverse}"
                    );
                }
            }
        }
    }
}
