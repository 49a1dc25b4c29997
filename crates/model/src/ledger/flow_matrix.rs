//! The Flows tab's data: who buys from whom, as a matrix of buyers (rows)
//! by providers (columns), each cell the pair's hedged total (the value of
//! `ledger::pair_total`), in money or in gigawatts; row and column totals
//! with what they cover; and the loops, where money flows both ways.
//!
//! What is kept per load is which pairs have deals, and their deals: at
//! 100k deals the matrix has tens of thousands of cells, and a frame shows
//! a few dozen. A cell's totals are summed from its deals when asked
//! (`tally`, `cell`), as are a column's; rows (a handful of buyers) and the
//! loops are worked out once. Narrowed for a lens, from the whole file.

use foldhash::HashMap;

use crate::data::Dataset;
use crate::figure::Figure;
use crate::ledger::timing::{InForce, overlapping};
use crate::ledger::{self, Derived, DerivedValue, LeftOut, Tally};

/// What the matrix counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Measure {
    #[default]
    Money,
    Power,
}

impl Measure {
    pub fn other(self) -> Measure {
        match self {
            Measure::Money => Measure::Power,
            Measure::Power => Measure::Money,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Measure::Money => "money",
            Measure::Power => "gigawatts",
        }
    }
}

/// One cell: a pair with deals, made when asked (`Flows::cell`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The value of `pair_total:<buyer>:<provider>`, and what it covers.
    pub money: Derived,
    /// The power of the deals that count.
    pub power: Option<Figure>,
    /// Every deal of the pair, counted or not (superseded, cancelled,
    /// investments), in file order.
    pub deals: Vec<usize>,
    /// Per deal of `deals`: whether the pair's total counts it (the
    /// ledger's rule, `ledger::counting`).
    pub counted: Vec<bool>,
}

/// A loop: money from each party to the next, the last paying the first.
/// Two parties: A pays B and B pays A (chips one way, an investment back).
#[derive(Debug, Clone, PartialEq)]
pub struct Loop {
    pub parties: Vec<String>,
    /// The parties' names, from the whole file: a buyer's lens keeps only
    /// the parties of its own deals, and a loop goes through others.
    pub names: Vec<String>,
    /// Per leg, `parties[i]` → `parties[i + 1]` (then back to the first).
    pub legs: Vec<Leg>,
    /// Whether the legs meet in time (`ledger::timing::overlapping`):
    /// `None` when their dates cannot tell.
    pub overlapping: Option<bool>,
}

/// A loop's leg in words, from the whole file (as `Loop::names`).
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    pub money: Derived,
    /// What the deals are: "chips, ≥10 GW".
    pub what: String,
    /// Who pays and who is paid, as the deals name them, each with the
    /// party the loop counts it under where that is its parent: "Amazon
    /// Web Services (part of Amazon)" (`ledger::Leg::payees_text`).
    pub from: String,
    pub to: String,
    /// The ids of the first `LEG_DEALS_NAMED` deals that count, in file
    /// order; `deal_count` says how many there are in all.
    pub deals: Vec<String>,
    pub deal_count: usize,
}

/// How many deal ids a leg keeps: a pair of a generated ledger has
/// hundreds of deals, and a screen names a few.
pub const LEG_DEALS_NAMED: usize = 12;

/// Where a cell's deals are in `Flows::deals`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    column: u32,
    start: u32,
    len: u32,
}

/// Each deal's buyer and provider as positions among `ids` (party ids,
/// each once), as the view knows them: the matrix is laid out without
/// hashing an id per deal.
pub struct Parties<'a> {
    pub ids: Vec<&'a str>,
    /// Per deal: its buyer's and its provider's position in `ids`.
    pub deals: &'a [[u32; 2]],
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flows {
    /// Row party ids: buyers, in order of first deal.
    pub buyers: Vec<String>,
    /// Column party ids: providers, in order of first deal.
    pub providers: Vec<String>,
    /// Per row: its cells, by column, ascending.
    cells: Vec<Vec<Span>>,
    /// Every cell's deals, cell after cell, with why each is left out of
    /// the whole file's totals (if it is).
    deals: Vec<(u32, Option<LeftOut>)>,
    /// The rows are one buyer's, under a lens: column totals are its cells.
    narrowed: bool,
    /// Per buyer: `committed_total:<buyer>` and `power_total:<buyer>`,
    /// their values and what they cover.
    pub row_money: Vec<Derived>,
    pub row_power: Vec<Derived>,
    /// Per buyer: how many power layers its counted deals' power is in. A
    /// row of several has no power total: chips and the halls that hold
    /// them are the same watts.
    pub row_power_layers: Vec<u8>,
    pub loops: Vec<Loop>,
    /// The search for loops of three parties or more ran out of paths to
    /// try (`ledger::LOOP_MAX_TRIED`): `loops` are those found by then.
    pub loops_cut: bool,
    /// Per buyer: the group its money is counted under in the loops
    /// (`ledger::group_of`), so a lens on it keeps its loops.
    pub buyer_groups: Vec<String>,
}

fn spending(c: &crate::data::Commitment) -> bool {
    c.kind.is_spending()
}

impl Flows {
    /// The matrix of `dataset`; `why` is `ledger::left_out(dataset)`.
    pub fn new(dataset: &Dataset, why: &[Option<LeftOut>], parties: &Parties) -> Flows {
        // Rows are buyers that pay for something (`ledger::purchasers`):
        // an investor alone has no cell (its money shows among the loops).
        // Columns are the providers of such deals (`ledger::providers`).
        // Both in order of first deal.
        let none = u32::MAX;
        let mut row_of = vec![none; parties.ids.len()];
        let mut column_of = vec![none; parties.ids.len()];
        let (mut buyers, mut providers) = (Vec::new(), Vec::new());
        for (c, [b, p]) in dataset.commitments.iter().zip(parties.deals) {
            if !spending(c) {
                continue;
            }
            for (at, of, list) in [
                (*b, &mut row_of, &mut buyers),
                (*p, &mut column_of, &mut providers),
            ] {
                if of[at as usize] == none {
                    of[at as usize] = list.len() as u32;
                    list.push(parties.ids[at as usize].to_string());
                }
            }
        }
        // Each deal under its cell, sorted: a cell's deals stay in file order.
        let mut placed: Vec<(u32, u32, u32)> = parties
            .deals
            .iter()
            .enumerate()
            .filter_map(|(i, [b, p])| {
                let (r, col) = (row_of[*b as usize], column_of[*p as usize]);
                (r != none && col != none).then_some((r, col, i as u32))
            })
            .collect();
        placed.sort_unstable();
        let mut cells: Vec<Vec<Span>> = vec![Vec::new(); buyers.len()];
        let mut deals: Vec<(u32, Option<LeftOut>)> = Vec::with_capacity(placed.len());
        for group in placed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let (r, column) = (group[0].0, group[0].1);
            // A pair of investments alone has no cell.
            if !group
                .iter()
                .any(|&(_, _, i)| spending(&dataset.commitments[i as usize]))
            {
                continue;
            }
            cells[r as usize].push(Span {
                column,
                start: deals.len() as u32,
                len: group.len() as u32,
            });
            deals.extend(
                group
                    .iter()
                    .map(|&(_, _, i)| (i, why.get(i as usize).copied().flatten())),
            );
        }
        drop(placed);
        let mut flows = Flows {
            buyers,
            providers,
            cells,
            deals,
            narrowed: false,
            row_money: Vec::new(),
            row_power: Vec::new(),
            row_power_layers: Vec::new(),
            loops: Vec::new(),
            loops_cut: false,
            buyer_groups: Vec::new(),
        };
        (flows.row_money, flows.row_power) = (0..flows.buyers.len())
            .map(|r| {
                let deals = flows.row_deals(r);
                let money = Tally::over(
                    dataset,
                    deals.iter().copied(),
                    spending,
                    |c| c.firm_value(),
                    false,
                );
                let power = Tally::over(dataset, deals, spending, |c| c.power(), false);
                (money.unworded(true), power.unworded(true))
            })
            .unzip();
        flows.row_power_layers = (0..flows.buyers.len())
            .map(|r| {
                let mut layers: Vec<_> = flows
                    .row_deals(r)
                    .into_iter()
                    .filter(|(_, why)| why.is_none())
                    .filter_map(|(i, _)| dataset.commitments.get(i))
                    .filter(|c| spending(c) && c.power().is_some())
                    .filter_map(|c| c.power_layer())
                    .collect();
                layers.sort_unstable();
                layers.dedup();
                layers.len() as u8
            })
            .collect();
        let groups = ledger::groups_of(dataset, &parties.ids);
        let pairs = ledger::group_pairs_of(dataset, why, &parties.ids, &groups, parties.deals);
        (flows.loops, flows.loops_cut) = loops(dataset, why, &pairs);
        flows.buyer_groups = (0..parties.ids.len())
            .filter(|&k| row_of[k] != none)
            .map(|k| (row_of[k], groups[k].to_string()))
            .collect::<std::collections::BTreeMap<u32, String>>()
            .into_values()
            .collect();
        flows
    }

    /// The matrix as one buyer sees it: its row, the providers it deals
    /// with, column totals that are its own cells, and its loops.
    /// `index` maps a deal's index in the whole file to its index in the
    /// buyer's own records.
    pub fn narrowed(&self, buyer: &str, index: &HashMap<usize, usize>) -> Flows {
        let Some(row) = self.buyers.iter().position(|b| b == buyer) else {
            return Flows::default();
        };
        let group = self.buyer_groups.get(row).map_or(buyer, String::as_str);
        let mut deals = Vec::new();
        let mut cells = Vec::new();
        for (k, span) in self.cells[row].iter().enumerate() {
            let start = deals.len() as u32;
            deals.extend(
                self.span_deals(span)
                    .iter()
                    .filter_map(|&(i, why)| Some((*index.get(&(i as usize))? as u32, why))),
            );
            cells.push(Span {
                column: k as u32,
                start,
                len: deals.len() as u32 - start,
            });
        }
        Flows {
            buyers: vec![buyer.to_string()],
            providers: self.cells[row]
                .iter()
                .map(|span| self.providers[span.column as usize].clone())
                .collect(),
            cells: vec![cells],
            deals,
            narrowed: true,
            row_money: vec![self.row_money[row].clone()],
            row_power: vec![self.row_power[row].clone()],
            row_power_layers: vec![self.row_power_layers[row]],
            loops: self
                .loops
                .iter()
                .filter(|l| l.parties.iter().any(|p| p == buyer || *p == group))
                .cloned()
                .collect(),
            loops_cut: self.loops_cut,
            buyer_groups: vec![group.to_string()],
        }
    }

    fn span_deals(&self, span: &Span) -> &[(u32, Option<LeftOut>)] {
        &self.deals[span.start as usize..(span.start + span.len) as usize]
    }

    fn span(&self, row: usize, column: usize) -> Option<&Span> {
        let cells = self.cells.get(row)?;
        let at = cells
            .binary_search_by_key(&(column as u32), |s| s.column)
            .ok()?;
        cells.get(at)
    }

    /// Whether the pair of `row` and `column` has a deal (other than
    /// investments alone).
    pub fn has_cell(&self, row: usize, column: usize) -> bool {
        self.span(row, column).is_some()
    }

    /// The columns of `row` that have a cell, ascending.
    pub fn row_columns(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        self.cells
            .get(row)
            .into_iter()
            .flatten()
            .map(|s| s.column as usize)
    }

    /// A cell's money: the sum of its spending deals that count.
    pub fn tally(&self, dataset: &Dataset, row: usize, column: usize) -> Option<Tally> {
        let span = self.span(row, column)?;
        Some(Tally::over(
            dataset,
            self.span_deals(span)
                .iter()
                .map(|&(i, why)| (i as usize, why)),
            spending,
            |c| c.firm_value(),
            false,
        ))
    }

    /// A cell's power: that of its spending deals that count.
    pub fn power(&self, dataset: &Dataset, row: usize, column: usize) -> Option<Figure> {
        let span = self.span(row, column)?;
        Figure::sum(
            self.span_deals(span)
                .iter()
                .filter(|(_, why)| why.is_none())
                .filter_map(|&(i, _)| dataset.commitments.get(i as usize))
                .filter(|c| spending(c))
                .filter_map(|c| c.power()),
        )
    }

    /// One cell, with its deals; `None`: the pair has no deal.
    pub fn cell(&self, dataset: &Dataset, row: usize, column: usize) -> Option<Cell> {
        let span = self.span(row, column)?;
        let deals = self.span_deals(span);
        Some(Cell {
            money: self.tally(dataset, row, column)?.unworded(true),
            power: self.power(dataset, row, column),
            deals: deals.iter().map(|&(i, _)| i as usize).collect(),
            counted: deals.iter().map(|(_, why)| why.is_none()).collect(),
        })
    }

    /// A row's deals in file order, with why each is left out: what its
    /// totals (`committed_total:<buyer>`, `power_total:<buyer>`) sum.
    fn row_deals(&self, row: usize) -> Vec<(usize, Option<LeftOut>)> {
        let mut deals: Vec<(usize, Option<LeftOut>)> = self.cells[row]
            .iter()
            .flat_map(|span| self.span_deals(span))
            .map(|&(i, why)| (i as usize, why))
            .collect();
        deals.sort_unstable_by_key(|&(i, _)| i);
        deals
    }

    /// A column's money: `provider_total:<provider>` (across buyers, in
    /// file order), or under a lens the buyer's own cell.
    pub fn column_money(&self, dataset: &Dataset, column: usize) -> Option<Derived> {
        if self.narrowed {
            return Some(self.tally(dataset, 0, column)?.unworded(false));
        }
        let mut deals: Vec<(usize, Option<LeftOut>)> = (0..self.buyers.len())
            .filter_map(|r| self.span(r, column))
            .flat_map(|span| self.span_deals(span))
            .map(|&(i, why)| (i as usize, why))
            .collect();
        if deals.is_empty() {
            return None;
        }
        deals.sort_unstable_by_key(|&(i, _)| i);
        let tally = Tally::over(dataset, deals, spending, |c| c.firm_value(), true);
        Some(tally.unworded(false))
    }

    /// How many power layers a column's counted deals' power is in: a
    /// column of several has no power total, as a row of several has none.
    pub fn column_power_layers(&self, dataset: &Dataset, column: usize) -> usize {
        let mut layers: Vec<_> = (0..self.buyers.len())
            .filter_map(|r| self.span(r, column))
            .flat_map(|span| self.span_deals(span).iter())
            .filter(|(_, why)| why.is_none())
            .filter_map(|&(i, _)| dataset.commitments.get(i as usize))
            .filter(|c| spending(c) && c.power().is_some())
            .filter_map(|c| c.power_layer())
            .collect();
        layers.sort_unstable();
        layers.dedup();
        layers.len()
    }

    /// A column's power: the sum of its cells' power, row by row.
    pub fn column_power(&self, dataset: &Dataset, column: usize) -> Option<Figure> {
        if self.narrowed {
            return self.power(dataset, 0, column);
        }
        let cells: Vec<Figure> = (0..self.buyers.len())
            .filter_map(|r| self.power(dataset, r, column))
            .collect();
        Figure::sum(&cells)
    }

    /// A cell's text in the measure: "$300bn", "≥10 GW", "" for no deal;
    /// "undisclosed" where the pair has deals and no figure.
    pub fn cell_text(
        &self,
        dataset: &Dataset,
        row: usize,
        column: usize,
        measure: Measure,
    ) -> String {
        let Some(tally) = self.tally(dataset, row, column) else {
            return String::new();
        };
        // Deals that none of count (cancelled, superseded): nothing flows.
        if tally.counted == 0 {
            return "—".into();
        }
        match measure {
            Measure::Money => tally
                .sum
                .as_ref()
                .map_or_else(|| "undiscl.".into(), Figure::shown),
            Measure::Power => self
                .power(dataset, row, column)
                .as_ref()
                .map_or("—".into(), Figure::compact),
        }
    }
}

/// The loops between groups of parties (Azure's money is Microsoft's), as
/// `export derived` finds its circular pairs: pairs of groups paying each
/// other, then longer loops. Only their legs' money is worked out. With
/// whether the search for longer loops was cut short.
fn loops(dataset: &Dataset, why: &[Option<LeftOut>], pairs: &ledger::Pairs) -> (Vec<Loop>, bool) {
    let index: HashMap<(&str, &str), usize> = pairs
        .pairs
        .iter()
        .enumerate()
        .map(|(k, &pair)| (pair, k))
        .collect();
    // What a leg's deals are, in words: their kinds and their power.
    let what = |deals: &[usize]| -> String {
        let kinds: std::collections::BTreeSet<&str> = deals
            .iter()
            .filter_map(|&i| dataset.commitments.get(i))
            .map(|c| crate::data::Vocabulary::as_str(c.kind))
            .collect();
        let power = Figure::sum(
            deals
                .iter()
                .filter_map(|&i| dataset.commitments.get(i)?.power()),
        );
        let mut text = kinds.into_iter().collect::<Vec<_>>().join(", ");
        if let Some(p) = power {
            text.push_str(&format!(", {}", p.compact()));
        }
        text
    };
    let name = |id: &str| {
        dataset
            .party(id)
            .map_or(id, |p| p.name.as_str())
            .to_string()
    };
    let leg = |k: usize| {
        let flow = pairs.flow(dataset, why, k);
        let text = what(&flow.deals);
        let leg = ledger::Leg::of(dataset, flow);
        let shown = Leg {
            what: text,
            from: leg.payers_text(name),
            to: leg.payees_text(name),
            deals: leg
                .flow
                .deals
                .iter()
                .take(LEG_DEALS_NAMED)
                .filter_map(|&i| Some(dataset.commitments.get(i)?.id.to_string()))
                .collect(),
            deal_count: leg.flow.deals.len(),
            money: leg.flow.money,
        };
        (shown, leg.in_force)
    };
    let of_legs = |parties: Vec<String>, legs: Vec<usize>| {
        let (legs, spans): (Vec<Leg>, Vec<InForce>) = legs.into_iter().map(leg).unzip();
        Loop {
            names: parties.iter().map(|p| name(p)).collect(),
            parties,
            legs,
            overlapping: overlapping(&spans),
        }
    };
    let mut loops: Vec<Loop> = Vec::new();
    for (k, &(from, to)) in pairs.pairs.iter().enumerate() {
        // Each pair once, from the direction seen first.
        if let Some(&back) = index.get(&(to, from))
            && k < back
        {
            loops.push(of_legs(
                vec![from.to_string(), to.to_string()],
                vec![k, back],
            ));
        }
    }
    let search = ledger::loop_search(&pairs.pairs);
    loops.extend(search.legs.into_iter().map(|legs| {
        let parties: Vec<String> = legs.iter().map(|&k| pairs.pairs[k].0.to_string()).collect();
        of_legs(parties, legs)
    }));
    (loops, search.cut)
}

/// A total for a cell: the figure, hedge kept, or "undisclosed" (never 0).
pub fn money_text(d: &Derived) -> String {
    match &d.value {
        DerivedValue::Figure(f) => f.shown(),
        _ => "undiscl.".into(),
    }
}
