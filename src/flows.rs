//! The Flows tab's data: who buys from whom, as a matrix of buyers (rows)
//! by providers (columns), each cell the pair's hedged total from
//! `derive::pair_total`, in money or in gigawatts; row and column totals
//! with what they cover; and the loops, where money flows both ways.
//! Computed once per load, from the whole file, and narrowed for a lens.

use std::collections::HashMap;

use crate::data::{Dataset, DealKind};
use crate::derive::ledger::Total;
use crate::derive::{self, Derived, DerivedValue};
use crate::figure::Figure;

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

/// One cell: a pair with deals.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// `pair_total:<buyer>:<provider>`.
    pub money: Derived,
    /// The power of the deals that count.
    pub power: Option<Figure>,
    /// Every deal of the pair, counted or not (superseded, cancelled,
    /// investments), in file order.
    pub deals: Vec<usize>,
    /// Per deal of `deals`: whether the pair's total counts it (the
    /// ledger's rule, `derive::counting`), worked out once per load.
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
    /// Per leg, `parties[i]` → `parties[i + 1]` (then back to the first):
    /// the money, and what the deals are ("chips, ≥10 GW").
    pub legs: Vec<(Derived, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flows {
    /// Row party ids: buyers, in order of first deal.
    pub buyers: Vec<String>,
    /// Column party ids: providers, in order of first deal.
    pub providers: Vec<String>,
    /// `cells[row][column]`; `None`: the pair has no deal.
    pub cells: Vec<Vec<Option<Cell>>>,
    /// Per buyer: `committed_total:<buyer>` and `power_total:<buyer>`.
    pub row_money: Vec<Derived>,
    pub row_power: Vec<Derived>,
    /// Per provider: `provider_total:<provider>`, and its power sold.
    pub column_money: Vec<Derived>,
    pub column_power: Vec<Option<Figure>>,
    pub loops: Vec<Loop>,
    /// Per buyer: the group its money is counted under in the loops
    /// (`derive::group_of`), so a lens on it keeps its loops.
    pub buyer_groups: Vec<String>,
}

impl Flows {
    /// The matrix of `dataset`, its totals taken from `ledger` (the
    /// ledger's derived figures by key) where it has them.
    pub fn new(dataset: &Dataset, ledger: &HashMap<String, Derived>) -> Flows {
        let keyed = |key: String, compute: &dyn Fn() -> Derived| {
            ledger.get(&key).cloned().unwrap_or_else(compute)
        };
        let providers = derive::providers(dataset);
        // Rows are buyers that pay for something: an investor alone has
        // no cell (its money shows among the loops).
        let buyers = derive::purchasers(dataset);
        let why = derive::left_out(dataset);
        let counting: Vec<bool> = why.iter().map(Option::is_none).collect();
        // Grouped once: a total the ledger lacks (a pair of options only)
        // is summed over its own deals, not a scan of every deal.
        let mut by_pair: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut by_buyer: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_provider: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in dataset.commitments.iter().enumerate() {
            by_pair
                .entry((c.buyer.as_str(), c.provider.as_str()))
                .or_default()
                .push(i);
            by_buyer.entry(c.buyer.as_str()).or_default().push(i);
            by_provider.entry(c.provider.as_str()).or_default().push(i);
        }
        let among = |group: Option<&Vec<usize>>, which: Total| {
            derive::ledger::total_among(dataset, &why, group.map_or(&[][..], Vec::as_slice), which)
        };
        let cells: Vec<Vec<Option<Cell>>> = buyers
            .iter()
            .map(|b| {
                providers
                    .iter()
                    .map(|p| {
                        let deals = by_pair.get(&(b.as_str(), p.as_str()))?;
                        let spending =
                            |&&i: &&usize| dataset.commitments[i].kind != DealKind::Investment;
                        if !deals.iter().any(|i| spending(&i)) {
                            return None;
                        }
                        let power = Figure::sum(
                            deals
                                .iter()
                                .filter(|i| spending(i) && counting[**i])
                                .filter_map(|&i| dataset.commitments[i].power()),
                        );
                        Some(Cell {
                            money: keyed(format!("pair_total:{b}:{p}"), &|| {
                                among(Some(deals), Total::Pair(b, p))
                            }),
                            power,
                            deals: deals.clone(),
                            counted: deals.iter().map(|&i| counting[i]).collect(),
                        })
                    })
                    .collect()
            })
            .collect();
        let row_money = buyers
            .iter()
            .map(|b| {
                keyed(format!("committed_total:{b}"), &|| {
                    among(by_buyer.get(b.as_str()), Total::Committed(b))
                })
            })
            .collect();
        let row_power = buyers
            .iter()
            .map(|b| {
                keyed(format!("power_total:{b}"), &|| {
                    among(by_buyer.get(b.as_str()), Total::Power(b))
                })
            })
            .collect();
        let column_money = providers
            .iter()
            .map(|p| {
                keyed(format!("provider_total:{p}"), &|| {
                    among(by_provider.get(p.as_str()), Total::Provider(p))
                })
            })
            .collect();
        let column_power = (0..providers.len())
            .map(|c| {
                Figure::sum(
                    cells
                        .iter()
                        .filter_map(|row| row[c].as_ref()?.power.as_ref()),
                )
            })
            .collect();
        // Pairs and longer loops alike between groups of parties (Azure's
        // money is Microsoft's), as `export derived` finds its circular pairs.
        let flows = derive::group_flows(dataset);
        let index: HashMap<(&str, &str), usize> = flows
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.from.as_str(), f.to.as_str()), i))
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
        let mut loops: Vec<Loop> = Vec::new();
        for f in &flows {
            // Each pair once, from the direction seen first.
            if let Some(&back) = index.get(&(f.to.as_str(), f.from.as_str()))
                && index.get(&(f.from.as_str(), f.to.as_str())) < Some(&back)
            {
                let b = &flows[back];
                loops.push(Loop {
                    parties: vec![f.from.clone(), f.to.clone()],
                    names: vec![name(&f.from), name(&f.to)],
                    legs: vec![
                        (f.money.clone(), what(&f.deals)),
                        (b.money.clone(), what(&b.deals)),
                    ],
                });
            }
        }
        loops.extend(derive::loops_of(&flows).into_iter().map(|l| {
            Loop {
                names: l.parties.iter().map(|p| name(p)).collect(),
                parties: l.parties,
                legs: l
                    .legs
                    .into_iter()
                    .map(|f| {
                        let text = what(&f.deals);
                        (f.money, text)
                    })
                    .collect(),
            }
        }));
        let buyer_groups = buyers
            .iter()
            .map(|b| derive::group_of(dataset, b).to_string())
            .collect();
        Flows {
            buyers,
            providers,
            cells,
            row_money,
            row_power,
            column_money,
            column_power,
            loops,
            buyer_groups,
        }
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
        let columns: Vec<usize> = (0..self.providers.len())
            .filter(|&c| self.cells[row][c].is_some())
            .collect();
        let cells: Vec<Option<Cell>> = columns
            .iter()
            .map(|&c| {
                self.cells[row][c].clone().map(|mut cell| {
                    let (deals, counted) = cell
                        .deals
                        .iter()
                        .zip(&cell.counted)
                        .filter_map(|(i, counted)| Some((*index.get(i)?, *counted)))
                        .unzip();
                    cell.deals = deals;
                    cell.counted = counted;
                    cell
                })
            })
            .collect();
        let column_money = cells
            .iter()
            .flatten()
            .map(|cell| cell.money.clone())
            .collect();
        let column_power = cells
            .iter()
            .map(|cell| cell.as_ref().and_then(|c| c.power.clone()))
            .collect();
        Flows {
            buyers: vec![buyer.to_string()],
            providers: columns.iter().map(|&c| self.providers[c].clone()).collect(),
            cells: vec![cells],
            row_money: vec![self.row_money[row].clone()],
            row_power: vec![self.row_power[row].clone()],
            column_money,
            column_power,
            loops: self
                .loops
                .iter()
                .filter(|l| l.parties.iter().any(|p| p == buyer || *p == group))
                .cloned()
                .collect(),
            buyer_groups: vec![group.to_string()],
        }
    }

    /// A cell's text in the measure: "$300bn", "≥10 GW", "" for no deal;
    /// "undisclosed" where the pair has deals and no figure.
    pub fn cell_text(&self, row: usize, column: usize, measure: Measure) -> String {
        let Some(cell) = self
            .cells
            .get(row)
            .and_then(|r| r.get(column))
            .and_then(Option::as_ref)
        else {
            return String::new();
        };
        // Deals that none of count (cancelled, superseded): nothing flows.
        if cell.money.covers.is_some_and(|(_, m)| m == 0) {
            return "—".into();
        }
        match measure {
            Measure::Money => money_text(&cell.money),
            Measure::Power => cell
                .power
                .as_ref()
                .map_or("—".into(), crate::figure::Figure::compact),
        }
    }
}

/// A total for a cell: the figure, hedge kept, or "undisclosed" (never 0).
pub fn money_text(d: &Derived) -> String {
    match &d.value {
        DerivedValue::Figure(f) => f.compact(),
        _ => "undiscl.".into(),
    }
}
