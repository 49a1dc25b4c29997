//! Building a `ViewData` from a dataset, or a buyer's lens from every
//! buyer's view.

use foldhash::{HashMap, HashMapExt};

use super::cells::*;
use super::columns::*;
use super::data::*;
use super::rows::*;
use crate::data::Dataset;
use crate::figure::Figure;
use crate::ledger::flow_matrix::{Flows, Parties};
use crate::ledger::{self, LeftOut, Tally};

/// Per column, whether it tells rows apart: not when every row has the
/// same text there, blanks ("—", "0", "none") aside. One buyer, one kind,
/// no power anywhere: such a column says nothing and is not drawn.
/// Only the columns format 2 brought (`hideable`) are ever left out, so a
/// format 1 file's tables look as they always have.
pub(crate) fn uniform_columns(rows: Rows) -> Vec<bool> {
    let blank = |s: &str| matches!(s, "" | "—" | "0" | "none");
    (0..rows.table.columns().len())
        .map(|c| {
            if !rows.table.hideable(c) {
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
pub(crate) fn deal_heads(dataset: &Dataset) -> Vec<usize> {
    if dataset
        .commitments
        .iter()
        .all(|c| c.supersedes().is_empty())
    {
        return (0..dataset.commitments.len()).collect();
    }
    heads_of(&successors(dataset)).0
}

/// For each record, the record that supersedes it, if one does (the last
/// in file order, if several do).
pub(crate) fn successors(dataset: &Dataset) -> Vec<Option<usize>> {
    let index: HashMap<&str, usize> = dataset
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
    next
}

/// Where each record's chain of `next` ends, and how many links were
/// followed to find out. Each link is followed once: a walk stops at a
/// record whose end is known, and every record it passed ends there too,
/// so a deal restated 100k times costs 100k steps, not five billion.
///
/// A loop (only in a dataset built by hand: a file's is an error) ends
/// each of its records at the one before it in the loop, where a walk from
/// that record comes back round; a record leading into a loop ends where
/// the record it enters by does.
pub(crate) fn heads_of(next: &[Option<usize>]) -> (Vec<usize>, usize) {
    const UNKNOWN: usize = usize::MAX;
    let mut head = vec![UNKNOWN; next.len()];
    // Per record, its place on the walk that met it, plus one (0: none).
    // Never reset: every record a walk meets has its end known after it,
    // and is not looked up here again.
    let mut on_walk = vec![0usize; next.len()];
    let mut walk: Vec<usize> = Vec::new();
    let mut steps = 0;
    for i in 0..next.len() {
        if head[i] != UNKNOWN {
            continue;
        }
        let mut at = i;
        let end = loop {
            walk.push(at);
            on_walk[at] = walk.len();
            let Some(to) = next[at] else {
                break at;
            };
            steps += 1;
            if head[to] != UNKNOWN {
                break head[to];
            }
            if on_walk[to] != 0 {
                let from = on_walk[to] - 1;
                let ring = &walk[from..];
                for (k, &r) in ring.iter().enumerate() {
                    head[r] = ring[(k + ring.len() - 1) % ring.len()];
                }
                walk.truncate(from);
                break head[to];
            }
            at = to;
        };
        for &w in &walk {
            head[w] = end;
        }
        walk.clear();
    }
    (head, steps)
}

impl ViewData {
    pub fn new(dataset: Dataset) -> ViewData {
        ViewData::build(dataset, None)
    }

    /// The view of `dataset`; with `lens`, the Flows matrix narrowed to a
    /// lens's buyer, whose dataset holds that buyer alone but whose totals
    /// follow the rules of the several buyers it was cut from.
    pub(crate) fn build(dataset: Dataset, lens: Option<Flows>) -> ViewData {
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
                    |c| c.firm_value(),
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
                        |c| c.firm_value(),
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
                records: (sold_ix.len() + bought_ix.len()) as u32,
                counterparties: counterparties.len() as u32,
                sells: !sold_deals.is_empty(),
                sold_any: !sold_ix.is_empty(),
                // Buys compute, chips, power or capacity; an investment is
                // no purchase (`invests`).
                buys: bought_deals
                    .iter()
                    .any(|&j| spending(&dataset.commitments[j])),
                invests: bought_ix
                    .iter()
                    .any(|&j| dataset.commitments[j].kind == crate::data::DealKind::Investment),
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
        let every: Vec<usize> = (0..dataset.commitments.len()).collect();
        let (total_tentative, total_conditional) =
            ledger::apart_totals(&dataset, &left_out, &every);
        drop(every);
        // The ramp's stack: the power of the plan's buyer's deals over time.
        let plan_buyer = dataset
            .capacity()
            .map(|plan| plan.buyer.clone())
            .or_else(|| dataset.subject_id.clone());
        let contracted = plan_buyer
            .as_ref()
            .map(|buyer| ledger::Contracted::new(&dataset, &counts, buyer))
            .unwrap_or_default();
        let online_at_start = dataset
            .capacity()
            .and_then(|plan| contracted.online_at(ledger::plan_as_of(&dataset, plan)));
        let plan_stated = plan_buyer
            .as_ref()
            .and_then(|buyer| ledger::built::stated_capacity(&dataset, buyer, dataset.as_of));
        let plan_power = plan_buyer
            .as_ref()
            .map(|buyer| ledger::power_by_layer(&dataset, &left_out, buyer))
            .unwrap_or_default();
        let hosting = plan_power
            .iter()
            .find(|l| l.layer == crate::data::PowerLayer::Hosting);
        // What runs at the buyer's sites, counting those it uses with
        // confidence, then every site it may use (the Ramp's `u`).
        let plan_sites = SiteUse::ALL.map(|used| {
            let Some(buyer) = plan_buyer.as_ref() else {
                return BuiltAtSites::default();
            };
            let confidence = used.confidence();
            let built = ledger::built::built_power(&dataset, buyer, dataset.as_of, confidence);
            let not_built = built.as_ref().zip(hosting).and_then(|(built, hosting)| {
                ledger::built::contracted_not_built(buyer, &hosting.total, built)
            });
            BuiltAtSites {
                built,
                not_built,
                running: ledger::built::running_steps(&dataset, buyer, confidence),
            }
        });
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
                            online_at_start,
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
            total_tentative,
            total_conditional,
            provider_totals,
            party_bought,
            party_gw_sold,
            party_facts,
            ramp,
            plan_total,
            contracted,
            plan_power,
            plan_sites,
            plan_stated,
            online_at_start,
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
        view.party_hidden = uniform_columns(view.rows(Table::Parties));
        view.commitment_hidden = uniform_columns(view.rows(Table::Commitments));
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
            sites: full
                .sites
                .iter()
                .filter(|s| s.use_by(buyer).is_some())
                .cloned()
                .collect(),
            clusters: full
                .clusters
                .iter()
                .filter(|c| c.owners.iter().chain(&c.users).any(|p| p == buyer))
                .cloned()
                .collect(),
            lookup: Default::default(),
        };
        let mut view = ViewData::build(dataset, Some(all.flows.narrowed(buyer, &index)));
        view.buyers = all.buyers.clone();
        view.lens = Some(buyer.to_string());
        view
    }
}
