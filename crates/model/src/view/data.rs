//! `ViewData`: what the tabs show of one dataset, worked out once per load,
//! and what it answers about a deal or party.

use foldhash::{HashMap, HashMapExt};

use super::cells::*;
use super::columns::*;
use super::sort::*;
use crate::data::Dataset;
use crate::figure::Figure;
use crate::ledger::flow_matrix::Flows;
use crate::ledger::{self, Derived, LeftOut, Ramp};

/// What a party's row counts, beside its totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PartyFacts {
    /// Deals it sells or buys that count in the totals shown.
    pub deals: u32,
    /// Every record it is in, counted or not (superseded, tentative,
    /// options, investments): what the Deals column counts, so that a
    /// party whose records all stand apart does not read as dealing in
    /// nothing.
    pub records: u32,
    /// Distinct parties across those deals.
    pub counterparties: u32,
    /// It sells in a deal that counts.
    pub sells: bool,
    /// It is the provider of some deal, counted or not.
    pub sold_any: bool,
    /// It buys in a deal that counts.
    pub buys: bool,
    /// It invests in some deal, counted or not.
    pub invests: bool,
}

/// Which sites count as a buyer's when the Ramp sets what runs against
/// what was promised: those it owns or uses with confidence (the default),
/// or every site it may use, likely and speculative too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SiteUse {
    #[default]
    Confident,
    Any,
}

impl SiteUse {
    pub const ALL: [SiteUse; 2] = [SiteUse::Confident, SiteUse::Any];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The least confidence a use needs to count.
    pub fn confidence(self) -> crate::data::Confidence {
        match self {
            SiteUse::Confident => crate::data::Confidence::Confident,
            SiteUse::Any => crate::data::Confidence::Speculative,
        }
    }

    pub fn other(self) -> SiteUse {
        match self {
            SiteUse::Confident => SiteUse::Any,
            SiteUse::Any => SiteUse::Confident,
        }
    }

    /// The glyphs of the uses counted, as the Sites tab marks them.
    pub fn glyphs(self) -> &'static str {
        match self {
            SiteUse::Confident => "●",
            SiteUse::Any => "●◐○",
        }
    }

    /// How the status line names it.
    pub fn name(self) -> &'static str {
        match self {
            SiteUse::Confident => "confident use",
            SiteUse::Any => "any use",
        }
    }
}

/// What runs for a buyer at its sites: the power there on the data's date,
/// the hosting under contract not yet running, and the running power as it
/// steps over time, (day, watts), for the Ramp's chart.
#[derive(Debug, Clone, Default)]
pub struct BuiltAtSites {
    pub built: Option<Derived>,
    pub not_built: Option<Derived>,
    pub running: Vec<(chrono::NaiveDate, f64)>,
}

/// What the last reload changed, per table: for each record, the columns
/// whose cell changed (bit `c` for column `c`); every column of a record
/// the reload added. Shown with `Δ` until cleared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    pub(crate) parties: HashMap<usize, u32>,
    pub(crate) commitments: HashMap<usize, u32>,
    pub(crate) notes: HashMap<usize, u32>,
}

impl Marks {
    pub(crate) fn of(&self, table: Table) -> Option<&HashMap<usize, u32>> {
        match table {
            Table::Parties => Some(&self.parties),
            Table::Commitments => Some(&self.commitments),
            Table::Notes => Some(&self.notes),
            Table::Flows | Table::Sites | Table::Clusters => None,
        }
    }

    pub(crate) fn of_mut(&mut self, table: Table) -> Option<&mut HashMap<usize, u32>> {
        match table {
            Table::Parties => Some(&mut self.parties),
            Table::Commitments => Some(&mut self.commitments),
            Table::Notes => Some(&mut self.notes),
            Table::Flows | Table::Sites | Table::Clusters => None,
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
pub(crate) struct Names {
    /// Parties known to the dataset.
    pub(crate) parties: usize,
    /// Ids that name no party, shown as they are.
    pub(crate) strays: Vec<String>,
    /// Each name's rank in lowercase order.
    pub(crate) rank: Vec<u32>,
}

impl Names {
    /// The names, and each deal's buyer and provider among them.
    pub(crate) fn new<'d>(dataset: &'d Dataset) -> (Names, Vec<[u32; 2]>) {
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
    pub(crate) fn id<'a>(&'a self, dataset: &'a Dataset, k: u32) -> &'a str {
        self.of(dataset, k, |p| p.id.as_str())
    }

    /// The name of name `k`: a party's, or the stray id itself.
    pub(crate) fn name<'a>(&'a self, dataset: &'a Dataset, k: u32) -> &'a str {
        self.of(dataset, k, |p| p.name.as_str())
    }

    /// `field` of the party of name `k`, or the stray id itself.
    pub(crate) fn of<'a>(
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

    pub(crate) fn len(&self) -> usize {
        self.rank.len()
    }
}

/// The `k`th of `all_parties`.
pub(crate) fn party_at(dataset: &Dataset, k: usize) -> Option<&crate::data::Party> {
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
pub(crate) fn all_parties(dataset: &Dataset) -> impl Iterator<Item = &crate::data::Party> {
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
    /// What `total` leaves apart: tentative money, and money due only on
    /// conditions.
    pub total_tentative: Option<Derived>,
    pub total_conditional: Option<Derived>,
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
    /// The power of the stack's layer online on the plan's day, which the
    /// ramp to its target starts from.
    pub online_at_start: Option<ledger::OnlineAtStart>,
    /// What runs for the plan's buyer at its sites, once for each reach of
    /// `SiteUse` (index with `SiteUse::index`).
    pub plan_sites: [BuiltAtSites; 2],
    /// The plan's buyer's own latest statement of the capacity it runs.
    pub plan_stated: Option<Derived>,
    /// The plan's buyer's power under contract, one entry per layer.
    pub plan_power: Vec<ledger::LayerPower>,
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
    pub(crate) folds: HashMap<usize, usize>,
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
    pub(crate) names: Names,
    /// Per commitment: its buyer's and its provider's place in `names`.
    pub(crate) deal_names: Vec<[u32; 2]>,
    /// Per table (`Table as usize`): whether some text search looks in
    /// holds a character outside ASCII that lowercases to an ASCII letter
    /// (`text::folds_to_ascii`); found on the first search.
    pub(crate) odd_text: [std::sync::OnceLock<bool>; 6],
}

impl ViewData {
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
    /// A deal's buyer (`which` 0) or provider (1), by name.
    pub fn deal_party(&self, i: usize, which: usize) -> &str {
        self.names.name(&self.dataset, self.deal_names[i][which])
    }

    /// A deal's share of the total in view: a deal left out of the total
    /// (superseded, cancelled, ...) has none.
    pub(crate) fn share(&self, i: usize) -> Option<Figure> {
        let c = &self.dataset.commitments[i];
        self.counts[i]
            .then(|| ledger::share_figure(c, self.total.figure()?))
            .flatten()
    }

    /// A party's share of the total in view.
    pub(crate) fn party_share(&self, i: usize) -> Option<Figure> {
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
