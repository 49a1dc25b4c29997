//! Derived figures across a set of buyers: what each buyer committed, what
//! each provider sold, each pair's total, power under contract against the
//! plan, commitments against revenue, and money that runs in circles.
//!
//! Which records count: a record that another record supersedes never
//! counts (only the latest of a chain does), nor does a cancelled deal, nor
//! an option (a right to buy, not a purchase). The coverage of a total says
//! what it left out: "4 of 6 deals; 2 superseded left out".
//!
//! Every deal's money flows from its buyer to its provider: for compute,
//! chips and power the buyer pays; for an investment the buyer is the
//! investor. Totals of spending (`committed_total:<buyer>`,
//! `provider_total:<p>`, `pair_total:<b>:<p>`) leave investments out; they
//! have their own total (`invested_total:<investor>`) and are money flows
//! like any other (`flows`, `circular:<a>:<b>`, `loops`).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::derived::{
    Derived, DerivedValue, digits_of, implied_cost_per_gw, plan_as_of, ramp, ratio_value, share_of,
    unbounded_because, value_per_year,
};
use super::timing::{InForce, overlap_words, overlapping};
use crate::data::{Commitment, Dataset, DealKind, NoteKind, PowerLayer, Status, Vocabulary};
use crate::figure::{Figure, Interval, Unit};

/// Why a record is left out of totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeftOut {
    /// Another record restates it.
    Superseded,
    /// Status "option".
    Option,
    /// Status "cancelled".
    Cancelled,
    /// Reported, a letter of intent, in talks or stalled: counted in
    /// `tentative_total`, not with firm commitments.
    Tentative,
}

impl LeftOut {
    /// "superseded", "option", "cancelled".
    pub fn word(self) -> &'static str {
        match self {
            LeftOut::Superseded => "superseded",
            LeftOut::Option => "option",
            LeftOut::Cancelled => "cancelled",
            LeftOut::Tentative => "tentative",
        }
    }
}

/// For each commitment, in order, why it is left out of totals, or `None`
/// when it counts.
pub fn left_out(dataset: &Dataset) -> Vec<Option<LeftOut>> {
    // Only a firm (or cancelled, or optional) restatement replaces a deal: a
    // press report that a signed deal grew is tentative, and leaves the
    // deal as signed counting, the report in the tentative total.
    let superseded: HashSet<&str> = dataset
        .commitments
        .iter()
        .filter(|c| !c.status.is_tentative())
        .flat_map(|c| c.supersedes().iter().map(String::as_str))
        .collect();
    dataset
        .commitments
        .iter()
        .map(|c| left_out_of(c, superseded.contains(c.id.as_str())))
        .collect()
}

/// Why one deal is left out of totals, if it is; `superseded` says whether
/// a record of the dataset supersedes it.
pub fn left_out_of(c: &Commitment, superseded: bool) -> Option<LeftOut> {
    if superseded {
        Some(LeftOut::Superseded)
    } else if c.status == Status::Cancelled {
        Some(LeftOut::Cancelled)
    } else if c.status == Status::Option {
        Some(LeftOut::Option)
    } else if c.status.is_tentative() {
        Some(LeftOut::Tentative)
    } else {
        None
    }
}

/// For each commitment, in order, whether it counts in totals.
pub fn counting(dataset: &Dataset) -> Vec<bool> {
    left_out(dataset).iter().map(Option::is_none).collect()
}

/// Every party that buys (or invests) in some deal, in order of first
/// appearance.
pub fn buyers(dataset: &Dataset) -> Vec<String> {
    distinct(dataset.commitments.iter().map(|c| c.buyer.as_str()))
}

/// Every party that buys something, in order of first appearance: the
/// buyer of a deal other than an investment (compute, chips, power or
/// other capacity, whatever became of the deal). A party that only invests
/// is not one: it is what the title bar counts as buyers, the lens cycles
/// through and the Flows matrix has rows for.
pub fn purchasers(dataset: &Dataset) -> Vec<String> {
    distinct(
        dataset
            .commitments
            .iter()
            .filter(|c| c.kind.is_spending())
            .map(|c| c.buyer.as_str()),
    )
}

/// Every party that sells in some deal other than an investment, in order
/// of first appearance.
pub fn providers(dataset: &Dataset) -> Vec<String> {
    distinct(
        dataset
            .commitments
            .iter()
            .filter(|c| c.kind.is_spending())
            .map(|c| c.provider.as_str()),
    )
}

fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id))
        .map(str::to_string)
        .collect()
}

fn name(dataset: &Dataset, id: &str) -> String {
    dataset
        .party(id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// How many terms a formula lists before it says how many more there are.
const FORMULA_TERMS: usize = 12;

/// What a total counts, without its words: the sum of the deals that
/// count, how many of them give a figure, and why the others were left
/// out. `total` words it (key, label, formula); the explorer's tables need
/// only this, for thousands of parties and pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub sum: Option<Figure>,
    /// Deals that count and give a figure.
    pub values: usize,
    /// Deals that count.
    pub counted: usize,
    /// Deals left out, by why, in the order first met.
    pub left: Vec<(LeftOut, usize)>,
    /// Distinct buyers among the deals that count, when asked for.
    pub buyers: Option<usize>,
}

impl Tally {
    /// The sum over the deals among `candidates` that `pick` chooses and
    /// `why` (`left_out`) counts; with `count_buyers`, their buyers too.
    pub fn of(
        dataset: &Dataset,
        why: &[Option<LeftOut>],
        candidates: &[usize],
        pick: impl Fn(&Commitment) -> bool,
        field: impl Fn(&Commitment) -> Option<&Figure>,
        count_buyers: bool,
    ) -> Tally {
        let deals = candidates
            .iter()
            .map(|&i| (i, why.get(i).copied().flatten()));
        Tally::over(dataset, deals, pick, field, count_buyers)
    }

    /// `of`, each deal given with why it is left out (if it is).
    pub fn over(
        dataset: &Dataset,
        deals: impl IntoIterator<Item = (usize, Option<LeftOut>)>,
        pick: impl Fn(&Commitment) -> bool,
        field: impl Fn(&Commitment) -> Option<&Figure>,
        count_buyers: bool,
    ) -> Tally {
        let mut tally = Tally::default();
        let mut figures: Vec<&Figure> = Vec::new();
        let mut buyers: Vec<&str> = Vec::new();
        for (i, why) in deals {
            let Some(c) = dataset.commitments.get(i) else {
                continue;
            };
            if !pick(c) {
                continue;
            }
            match why {
                None => {
                    tally.counted += 1;
                    if count_buyers {
                        buyers.push(c.buyer.as_str());
                    }
                    if let Some(f) = field(c) {
                        figures.push(f);
                    }
                }
                Some(reason) => match tally.left.iter_mut().find(|(r, _)| *r == reason) {
                    Some((_, n)) => *n += 1,
                    None => tally.left.push((reason, 1)),
                },
            }
        }
        tally.values = figures.len();
        tally.sum = Figure::sum(figures);
        if count_buyers {
            buyers.sort_unstable();
            buyers.dedup();
            tally.buyers = Some(buyers.len());
        }
        tally
    }

    /// " deals, 2 buyers; 1 superseded left out": said after `covers`.
    pub fn covers_more(&self) -> String {
        let noun = if self.counted == 1 { "deal" } else { "deals" };
        let mut more = format!(" {noun}");
        if let Some(n) = self.buyers {
            let s = if n == 1 { "" } else { "s" };
            more.push_str(&format!(", {n} buyer{s}"));
        }
        if !self.left.is_empty() {
            let parts: Vec<String> = self
                .left
                .iter()
                .map(|(r, n)| format!("{n} {}", r.word()))
                .collect();
            more.push_str(&format!("; {} left out", parts.join(", ")));
        }
        more
    }

    /// The total as a derived figure with no key, label or formula: its
    /// value and what it covers, and `covers_more` when `worded`.
    pub fn unworded(&self, worded: bool) -> Derived {
        let value = self
            .sum
            .clone()
            .map_or(DerivedValue::Undisclosed, DerivedValue::Figure);
        let mut d = Derived::new("", "", value, String::new());
        d.covers = Some((self.values, self.counted));
        if worded {
            d.covers_more = self.covers_more();
        }
        d
    }
}

/// The sum of `field` over the deals among `candidates` that `pick`
/// chooses, with what it covers. Also returns the deals that count.
#[allow(clippy::too_many_arguments)]
fn total(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    candidates: &[usize],
    pick: impl Fn(&Commitment) -> bool,
    field: impl Fn(&Commitment) -> Option<&Figure>,
    key: String,
    label: String,
    count_buyers: bool,
) -> (Derived, Vec<usize>) {
    let tally = Tally::of(dataset, why, candidates, &pick, &field, count_buyers);
    let counted: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| {
            dataset.commitments.get(i).is_some_and(&pick) && why.get(i).copied().flatten().is_none()
        })
        .collect();
    let formula = match &tally.sum {
        Some(t) => {
            let values = counted.iter().filter_map(|&i| {
                let c = &dataset.commitments[i];
                field(c).map(|f| (c, f))
            });
            let mut terms: Vec<String> = values
                .take(FORMULA_TERMS)
                .map(|(c, f)| format!("{} ({})", f.compact(), c.id))
                .collect();
            if tally.values > FORMULA_TERMS {
                terms.push(format!("{} more", tally.values - FORMULA_TERMS));
            }
            format!("{} = {}", terms.join(" + "), t.compact())
        }
        None => "no disclosed figures".to_string(),
    };
    let mut d = tally.unworded(true);
    d.key = key;
    d.label = label;
    d.formula = formula;
    (d, counted)
}

/// Every commitment's index.
fn every(dataset: &Dataset) -> Vec<usize> {
    (0..dataset.commitments.len()).collect()
}

/// Commitment indices grouped by a key, in order.
fn group<'a>(
    dataset: &'a Dataset,
    key: impl Fn(&'a Commitment) -> (&'a str, &'a str),
) -> HashMap<(&'a str, &'a str), Vec<usize>> {
    let mut map: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, c) in dataset.commitments.iter().enumerate() {
        map.entry(key(c)).or_default().push(i);
    }
    map
}

fn spending(c: &Commitment) -> bool {
    c.kind.is_spending()
}

/// The money a deal counts with: what is due without conditions.
fn value(c: &Commitment) -> Option<&Figure> {
    c.firm_value()
}

/// `committed_total:<buyer>`: the money the buyer committed to spend, its
/// deals other than investments.
pub fn committed_total_for(dataset: &Dataset, buyer: &str) -> Derived {
    let why = left_out(dataset);
    committed_with(dataset, &why, buyer)
}

fn committed_with(dataset: &Dataset, why: &[Option<LeftOut>], buyer: &str) -> Derived {
    total_among(dataset, why, &every(dataset), Total::Committed(buyer))
}

/// A total the Flows matrix shows, by its key's name.
#[derive(Debug, Clone, Copy)]
pub enum Total<'a> {
    /// `committed_total:<buyer>`
    Committed(&'a str),
    /// `power_total:<buyer>:<layer>`
    Power(&'a str, PowerLayer),
    /// `provider_total:<provider>`
    Provider(&'a str),
    /// `pair_total:<buyer>:<provider>`
    Pair(&'a str, &'a str),
}

/// A total over the deals `candidates` only, `why` (`left_out`) worked out
/// by the caller: with the deals grouped once, a total per buyer, provider
/// and pair costs its own deals, not a scan of every deal each.
pub fn total_among(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    candidates: &[usize],
    which: Total,
) -> Derived {
    match which {
        Total::Committed(buyer) => total(
            dataset,
            why,
            candidates,
            |c| spending(c) && c.buyer == buyer,
            value,
            format!("committed_total:{buyer}"),
            format!("Committed by {}", name(dataset, buyer)),
            false,
        ),
        Total::Power(buyer, layer) => total(
            dataset,
            why,
            candidates,
            |c| spending(c) && c.buyer == buyer && c.power_layer() == Some(layer),
            |c| c.power(),
            format!("power_total:{buyer}:{}", layer.as_str()),
            format!(
                "Power under contract ({}), {}",
                layer.as_str(),
                name(dataset, buyer)
            ),
            false,
        ),
        Total::Provider(provider) => total(
            dataset,
            why,
            candidates,
            |c| spending(c) && c.provider == provider,
            value,
            format!("provider_total:{provider}"),
            format!("Sold by {}", name(dataset, provider)),
            true,
        ),
        Total::Pair(buyer, provider) => total(
            dataset,
            why,
            candidates,
            |c| spending(c) && c.buyer == buyer && c.provider == provider,
            value,
            format!("pair_total:{buyer}:{provider}"),
            format!("{} from {}", name(dataset, buyer), name(dataset, provider)),
            false,
        ),
    }
    .0
}

/// `invested_total:<investor>`: the money the party invested in others.
pub fn invested_total(dataset: &Dataset, investor: &str) -> Derived {
    total(
        dataset,
        &left_out(dataset),
        &every(dataset),
        |c| c.kind == DealKind::Investment && c.buyer == investor,
        value,
        format!("invested_total:{investor}"),
        format!("Invested by {}", name(dataset, investor)),
        false,
    )
    .0
}

/// `provider_total:<provider>`: the money the provider sold, across buyers.
pub fn provider_total(dataset: &Dataset, provider: &str) -> Derived {
    total_among(
        dataset,
        &left_out(dataset),
        &every(dataset),
        Total::Provider(provider),
    )
}

/// `pair_total:<buyer>:<provider>`: what the buyer committed with the
/// provider.
pub fn pair_total(dataset: &Dataset, buyer: &str, provider: &str) -> Derived {
    total_among(
        dataset,
        &left_out(dataset),
        &every(dataset),
        Total::Pair(buyer, provider),
    )
}

/// `power_total:<buyer>:<layer>`: the power under contract in the buyer's
/// deals whose power measures `layer`. Layers never add up: the chips a
/// buyer orders draw on the same watts the data centres hosting them are
/// sized by.
pub fn power_total(dataset: &Dataset, buyer: &str, layer: PowerLayer) -> Derived {
    power_with(dataset, &left_out(dataset), buyer, layer)
}

fn power_with(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    buyer: &str,
    layer: PowerLayer,
) -> Derived {
    total_among(dataset, why, &every(dataset), Total::Power(buyer, layer))
}

/// `power_vs_target:<buyer>:<layer>`: the power of one layer under
/// contract as a percent of the target of the buyer's capacity plan.
/// `None` without a plan with a target.
pub fn power_vs_target(dataset: &Dataset, buyer: &str, layer: PowerLayer) -> Option<Derived> {
    power_vs_target_with(dataset, &left_out(dataset), buyer, layer)
}

fn power_vs_target_with(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    buyer: &str,
    layer: PowerLayer,
) -> Option<Derived> {
    let target = dataset
        .capacities
        .iter()
        .filter(|p| p.buyer == buyer)
        .find_map(|p| p.target.as_ref())?;
    let power = power_with(dataset, why, buyer, layer);
    let layer = layer.as_str();
    let key = format!("power_vs_target:{buyer}:{layer}");
    let label = format!(
        "Power under contract ({layer}) vs target, {}",
        name(dataset, buyer)
    );
    let mut d = match power.figure() {
        Some(p) => {
            let (share, why) = ratio_value(p, target, 100.0, Unit::Percent)?;
            let result = match &share {
                DerivedValue::Figure(f) => format!(" = {}", f.compact()),
                _ => unbounded_because(why),
            };
            let formula = format!("{} / {}{result}", p.compact(), target.compact());
            let mut d = Derived::new(&key, &label, share, formula);
            d.digits = Some(digits_of(&[p, target]));
            d
        }
        None => Derived::new(
            &key,
            &label,
            DerivedValue::Undisclosed,
            format!("no disclosed {layer} power / {}", target.compact()),
        ),
    };
    d.covers = power.covers;
    d.covers_more = power.covers_more;
    Some(d)
}

/// `backstop_total:<party>` or `debt_total:<party>`: what a party stands
/// behind or owes, among its deals `own` (those it is the buyer of), as
/// exposure, never spending. `None` for another kind, or when it has no
/// such deal.
pub fn exposure_total(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    own: &[usize],
    party: &str,
    kind: DealKind,
) -> Option<Derived> {
    let (word, label) = match kind {
        DealKind::Backstop => ("backstop_total", "Backstops given by"),
        DealKind::Debt => ("debt_total", "Debt raised by"),
        _ => return None,
    };
    own.iter()
        .any(|&i| dataset.commitments[i].kind == kind)
        .then(|| {
            total(
                dataset,
                why,
                own,
                |c| c.kind == kind,
                |c| c.value.as_ref(),
                format!("{word}:{party}"),
                format!("{label} {}", name(dataset, party)),
                false,
            )
            .0
        })
}

/// `tentative_total`: the money of the tentative deals of spending kinds
/// among `candidates` (reported, letters of intent, in talks, stalled);
/// `None` when there are none.
fn tentative_among(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    candidates: &[usize],
) -> Option<Derived> {
    let tentative: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| why[i] == Some(LeftOut::Tentative) && spending(&dataset.commitments[i]))
        .collect();
    // The tentative deals are the candidates, so none is left out: an
    // empty `why` (each deal's is looked up with `get`) says so without a
    // slice as long as the ledger, which a party's detail would make per
    // frame.
    (!tentative.is_empty()).then(|| {
        total(
            dataset,
            &[],
            &tentative,
            spending,
            |c| c.value.as_ref(),
            "tentative_total".into(),
            "Tentative".into(),
            false,
        )
        .0
    })
}

/// What a committed total of `candidates` leaves apart: the money of
/// tentative deals (reported, letters of intent, in talks, stalled) and the
/// money due only on conditions, each `None` when there is none. For the
/// screens beside a committed total; exports give them per buyer.
pub fn apart_totals(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    candidates: &[usize],
) -> (Option<Derived>, Option<Derived>) {
    let tentative = tentative_among(dataset, why, candidates);
    let conditional = candidates
        .iter()
        .any(|&i| {
            why[i].is_none()
                && spending(&dataset.commitments[i])
                && dataset.commitments[i].conditional_value().is_some()
        })
        .then(|| {
            total(
                dataset,
                why,
                candidates,
                |c| spending(c) && c.conditional_value().is_some(),
                |c| c.conditional_value(),
                "conditional_total".into(),
                "Due on conditions".into(),
                false,
            )
            .0
        });
    (tentative, conditional)
}

/// One power layer of a buyer's deals, against its plan's target.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerPower {
    pub layer: PowerLayer,
    /// `power_total:<buyer>:<layer>`.
    pub total: Derived,
    /// `power_vs_target:<buyer>:<layer>`, when the buyer has a target.
    pub vs_target: Option<Derived>,
}

/// Each layer the buyer has counted deals with a power figure in (chips, hosting,
/// grid, in that order), never summed together: the same watts show up
/// in each, as chips, the halls that hold them and the grid that feeds them.
pub fn power_by_layer(dataset: &Dataset, why: &[Option<LeftOut>], buyer: &str) -> Vec<LayerPower> {
    [PowerLayer::Chips, PowerLayer::Hosting, PowerLayer::Grid]
        .into_iter()
        .filter_map(|layer| {
            let total = power_with(dataset, why, buyer, layer);
            // Layers no deal gives a figure for are left out, not "undisclosed".
            total
                .covers
                .is_some_and(|(given, _)| given > 0)
                .then(|| LayerPower {
                    layer,
                    vs_target: power_vs_target_with(dataset, why, buyer, layer),
                    total,
                })
        })
        .collect()
}

/// `committed_vs_revenue:<buyer>`: the buyer's committed total over its
/// latest revenue note's annualised run rate, as a multiple (years of
/// today's revenue). `None` without a revenue note with an amount.
pub fn committed_vs_revenue(dataset: &Dataset, buyer: &str) -> Option<Derived> {
    committed_vs_revenue_with(dataset, &left_out(dataset), buyer)
}

fn committed_vs_revenue_with(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    buyer: &str,
) -> Option<Derived> {
    committed_vs_revenue_among(dataset, why, &every(dataset), buyer)
}

/// `committed_vs_revenue` with `why` (`left_out`) worked out and the
/// buyer's deals (`own`, at least every deal it buys) found by the caller:
/// a view asks for it per frame, and a scan of every deal is too slow.
pub fn committed_vs_revenue_among(
    dataset: &Dataset,
    why: &[Option<LeftOut>],
    own: &[usize],
    buyer: &str,
) -> Option<Derived> {
    let note = dataset
        .notes
        .iter()
        .filter(|n| {
            n.kind == NoteKind::Revenue
                && n.amount.is_some()
                && (n.subject_party.as_deref() == Some(buyer) || n.subject == buyer)
        })
        // The latest: undated notes sort first; on a tie, the later in file.
        .max_by(|a, b| a.date.cmp(&b.date))?;
    let revenue = note.amount.as_ref()?;
    let committed = total_among(dataset, why, own, Total::Committed(buyer));
    let key = format!("committed_vs_revenue:{buyer}");
    let label = format!("Committed ÷ revenue run rate, {}", name(dataset, buyer));
    let when = note.date.map(|d| format!(", {d}")).unwrap_or_default();
    let source = note.id.as_deref().unwrap_or(&note.headline);
    let mut d = match committed.figure() {
        Some(c) => {
            let (multiple, why) = ratio_value(c, revenue, 1.0, Unit::Ratio)?;
            let mut formula = format!(
                "{} / {} a year ({source}{when})",
                c.compact(),
                revenue.compact(),
            );
            match &multiple {
                DerivedValue::Figure(f) => formula.push_str(&format!(" = {}", f.compact())),
                _ => formula.push_str(&unbounded_because(why)),
            }
            let mut d = Derived::new(&key, &label, multiple, formula);
            d.digits = Some(digits_of(&[c, revenue]));
            d
        }
        None => Derived::new(
            &key,
            &label,
            DerivedValue::Undisclosed,
            format!("no disclosed commitments / {} a year", revenue.compact()),
        ),
    };
    d.covers = committed.covers;
    d.covers_more = committed.covers_more;
    Some(d)
}

/// Money flowing from one party to another: the deals, that count, in which
/// `from` pays (or invests in) `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub from: String,
    pub to: String,
    /// `flow:<from>:<to>`: the sum of the deals' disclosed values, with
    /// what it covers. Undisclosed when no deal gives a value: unknown,
    /// never zero.
    pub money: Derived,
    /// Indices into `Dataset::commitments`.
    pub deals: Vec<usize>,
}

/// Every directed money flow between two parties, in order of each pair's
/// first deal.
pub fn flows(dataset: &Dataset) -> Vec<Flow> {
    flows_with(dataset, &left_out(dataset))
}

fn flows_with(dataset: &Dataset, why: &[Option<LeftOut>]) -> Vec<Flow> {
    flows_keyed(dataset, why, |id| id)
}

/// The party a party belongs to: its `parent` when that names another
/// party (by id, or by name ignoring case), followed up the chain. Azure's
/// parent "Microsoft" is the party `microsoft`, so money paid to Azure and
/// money Microsoft invests meet in one loop.
pub fn group_of<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    Parents::of(dataset).group(dataset, id)
}

/// The parties by id and by name in lower case, each to its first
/// position: a parent is looked up, not searched for among every party
/// (once per deal, a scan would be quadratic).
struct Parents<'a> {
    by_id: HashMap<&'a str, usize>,
    by_name: HashMap<String, usize>,
}

impl<'a> Parents<'a> {
    fn of(dataset: &'a Dataset) -> Parents<'a> {
        let mut by_id = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, p) in dataset.parties().iter().enumerate() {
            by_id.entry(p.id.as_str()).or_insert(i);
            by_name.entry(p.name.to_lowercase()).or_insert(i);
        }
        Parents { by_id, by_name }
    }

    /// `group_of`: the first party, in file order, whose id is the parent
    /// as written or in lower case, or whose name is it ignoring case.
    fn group(&self, dataset: &'a Dataset, id: &'a str) -> &'a str {
        let parties = dataset.parties();
        let mut current = id;
        for _ in 0..8 {
            let Some(parent) = dataset.party(current).and_then(|p| p.parent.as_deref()) else {
                break;
            };
            let lower = parent.to_lowercase();
            let found = [
                self.by_id.get(parent),
                self.by_id.get(lower.as_str()),
                self.by_name.get(&lower),
            ]
            .into_iter()
            .flatten()
            .min()
            .and_then(|&i| parties.get(i));
            match found {
                Some(p) if p.id != current => current = p.id.as_str(),
                _ => break,
            }
        }
        current
    }
}

/// Money flows between groups of parties (see `group_of`): what
/// `circular` and `loops` are found in, in order of each pair's first deal.
pub fn group_flows(dataset: &Dataset) -> Vec<Flow> {
    group_flows_with(dataset, &left_out(dataset))
}

/// Money flows between groups of parties (see `group_of`), for loops.
fn group_flows_with(dataset: &Dataset, why: &[Option<LeftOut>]) -> Vec<Flow> {
    // Each party's group once, not once per deal.
    let groups = groups(dataset);
    flows_keyed(dataset, why, |id| groups.get(id).copied().unwrap_or(id))
}

/// The directed pairs money flows along: each pair with a deal that
/// counts, in order of its first such deal, with every deal of the pair
/// (counted or not), without totals yet. Money is worked out per pair
/// (`flow`) only where it is wanted: a ledger of 100k deals has tens of
/// thousands of pairs, and loops go through few of them.
#[derive(Debug, Clone, Default)]
pub struct Pairs<'a> {
    /// (from, to), in order of each pair's first deal that counts.
    pub pairs: Vec<(&'a str, &'a str)>,
    /// Where each pair's deals start in `deals`; one more at the end.
    starts: Vec<u32>,
    deals: Vec<u32>,
}

impl<'a> Pairs<'a> {
    /// Every deal of pair `k`, in file order.
    pub fn deals(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        let (start, end) = (self.starts[k] as usize, self.starts[k + 1] as usize);
        self.deals[start..end].iter().map(|&i| i as usize)
    }

    /// Pair `k`'s money flow: its total, and the deals that count.
    pub fn flow(&self, dataset: &Dataset, why: &[Option<LeftOut>], k: usize) -> Flow {
        let (from, to) = self.pairs[k];
        let mine: Vec<usize> = self.deals(k).collect();
        let (money, deals) = total(
            dataset,
            why,
            &mine,
            |_| true,
            value,
            format!("flow:{from}:{to}"),
            format!("{} → {}", name(dataset, from), name(dataset, to)),
            false,
        );
        Flow {
            from: from.to_string(),
            to: to.to_string(),
            money,
            deals,
        }
    }
}

fn pairs_keyed<'a>(
    dataset: &'a Dataset,
    why: &[Option<LeftOut>],
    key: impl Fn(&'a str) -> &'a str,
) -> Pairs<'a> {
    pairs_by(
        dataset,
        why,
        |_, c| (key(c.buyer.as_str()), key(c.provider.as_str())),
        |id| id,
    )
}

/// `pairs_keyed` with each deal's ends as keys of any kind (`ends`), and
/// what party each key is (`id`).
fn pairs_by<'a, K: std::hash::Hash + Eq + Copy>(
    dataset: &'a Dataset,
    why: &[Option<LeftOut>],
    ends: impl Fn(usize, &'a Commitment) -> (K, K),
    id: impl Fn(K) -> &'a str,
) -> Pairs<'a> {
    let mut pairs: Vec<(K, K)> = Vec::new();
    let mut index: HashMap<(K, K), u32> = HashMap::new();
    // Each deal's pair, known once its pair has a deal that counts.
    let mut of_deal: Vec<(u32, u32)> = Vec::new();
    let mut later: Vec<(u32, (K, K))> = Vec::new();
    for (i, c) in dataset.commitments.iter().enumerate() {
        // Money moves the way it is paid: a loan from the lender (the
        // deal's provider) to the borrower (its buyer); a backstop moves
        // none unless it is called on, so it is exposure, not a flow.
        let pair = match c.kind {
            DealKind::Backstop => continue,
            DealKind::Debt => {
                let (borrower, lender) = ends(i, c);
                (lender, borrower)
            }
            _ => ends(i, c),
        };
        if pair.0 == pair.1 {
            continue;
        }
        let counts = why.get(i).copied().flatten().is_none();
        match index.get(&pair) {
            Some(&k) => of_deal.push((k, i as u32)),
            None if counts => {
                let k = pairs.len() as u32;
                index.insert(pair, k);
                pairs.push(pair);
                of_deal.push((k, i as u32));
            }
            None => later.push((i as u32, pair)),
        }
    }
    // Deals left out before their pair's first counted deal.
    of_deal.extend(
        later
            .into_iter()
            .filter_map(|(i, pair)| Some((*index.get(&pair)?, i))),
    );
    of_deal.sort_unstable();
    let mut starts = Vec::with_capacity(pairs.len() + 1);
    let mut at = 0;
    for k in 0..pairs.len() as u32 {
        starts.push(at as u32);
        while of_deal.get(at).is_some_and(|&(p, _)| p == k) {
            at += 1;
        }
    }
    starts.push(at as u32);
    Pairs {
        pairs: pairs.into_iter().map(|(a, b)| (id(a), id(b))).collect(),
        starts,
        deals: of_deal.into_iter().map(|(_, i)| i).collect(),
    }
}

fn flows_keyed<'a>(
    dataset: &'a Dataset,
    why: &[Option<LeftOut>],
    key: impl Fn(&'a str) -> &'a str,
) -> Vec<Flow> {
    let pairs = pairs_keyed(dataset, why, key);
    (0..pairs.pairs.len())
        .map(|k| pairs.flow(dataset, why, k))
        .collect()
}

/// The pairs money flows along between groups of parties (see
/// `group_of`), without their totals: what the Flows tab finds its loops
/// in, working out the money of their legs alone.
pub fn group_pairs<'a>(dataset: &'a Dataset, why: &[Option<LeftOut>]) -> Pairs<'a> {
    let groups = groups(dataset);
    pairs_keyed(dataset, why, |id| groups.get(id).copied().unwrap_or(id))
}

/// `group_pairs` for deals whose ends are known by position among `ids`
/// (`deals`: per deal, its buyer's and its provider's), each id's group
/// (`groups_of`) given: no id is hashed per deal.
pub fn group_pairs_of<'a>(
    dataset: &'a Dataset,
    why: &[Option<LeftOut>],
    ids: &[&'a str],
    groups: &[&'a str],
    deals: &[[u32; 2]],
) -> Pairs<'a> {
    let at: HashMap<&str, u32> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| (*id, k as u32))
        .collect();
    // Each id's group, as a position among `ids` where the group is one
    // of them (else its own place past them).
    let mut strays: Vec<&'a str> = Vec::new();
    let group: Vec<u32> = groups
        .iter()
        .map(|g| match at.get(g) {
            Some(&k) => k,
            None => {
                strays.push(g);
                (ids.len() + strays.len() - 1) as u32
            }
        })
        .collect();
    pairs_by(
        dataset,
        why,
        |i, _| {
            let [b, p] = deals[i];
            (group[b as usize], group[p as usize])
        },
        |k| {
            let k = k as usize;
            ids.get(k).copied().unwrap_or_else(|| strays[k - ids.len()])
        },
    )
}

/// Each party id a deal names, to its group (`group_of`), the parents
/// looked up once.
fn groups(dataset: &Dataset) -> HashMap<&str, &str> {
    let parents = Parents::of(dataset);
    let mut groups: HashMap<&str, &str> = HashMap::new();
    for c in &dataset.commitments {
        for id in [c.buyer.as_str(), c.provider.as_str()] {
            groups
                .entry(id)
                .or_insert_with(|| parents.group(dataset, id));
        }
    }
    groups
}

/// `group_of` for each of `ids`, the parents looked up once.
pub fn groups_of<'a>(dataset: &'a Dataset, ids: &[&'a str]) -> Vec<&'a str> {
    let parents = Parents::of(dataset);
    ids.iter().map(|id| parents.group(dataset, id)).collect()
}

/// `circular:<a>:<b>`: the money from `a` to `b` where money also flows
/// from `b` to `a`; the formula gives both ways. Two rows per pair, one per
/// direction, in flow order.
pub fn circular(dataset: &Dataset) -> Vec<Derived> {
    circular_of(&group_flows_with(dataset, &left_out(dataset)), dataset)
}

fn circular_of(flows: &[Flow], dataset: &Dataset) -> Vec<Derived> {
    let index: HashMap<(&str, &str), usize> = flows
        .iter()
        .enumerate()
        .map(|(i, f)| ((f.from.as_str(), f.to.as_str()), i))
        .collect();
    flows
        .iter()
        .filter_map(|f| {
            let back = &flows[*index.get(&(f.to.as_str(), f.from.as_str()))?];
            let mut d = f.money.clone();
            d.key = format!("circular:{}:{}", f.from, f.to);
            d.label = format!(
                "Circular: {} → {}, and back",
                name(dataset, &f.from),
                name(dataset, &f.to)
            );
            let leg = Leg::of(dataset, f.clone());
            let timing = overlapping(&[
                leg.in_force,
                InForce::of_deals(&dataset.commitments, &back.deals),
            ]);
            d.formula = format!(
                "{}; back: {} ({}); {}",
                leg.formula(dataset),
                back.money.compact(),
                deal_ids(dataset, &back.deals),
                overlap_words(timing)
            );
            Some(d)
        })
        .collect()
}

fn deal_ids(dataset: &Dataset, deals: &[usize]) -> String {
    let ids: Vec<&str> = deals
        .iter()
        .take(FORMULA_TERMS)
        .filter_map(|&i| dataset.commitments.get(i).map(|c| c.id.as_str()))
        .collect();
    let more = deals.len().saturating_sub(FORMULA_TERMS);
    if more > 0 {
        format!("{} and {more} more", ids.join(", "))
    } else {
        ids.join(", ")
    }
}

/// One leg of a loop: the money one group of parties pays the next, and
/// who the deals say pays and is paid. Loops join a party to its `parent`
/// (`group_of`: money paid to AWS is money paid to Amazon), and a leg keeps
/// the parties as written, so that it can say it reaches Amazon through
/// AWS rather than silently.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// Between the groups (`from`, `to`), with the deals that count.
    pub flow: Flow,
    /// Who pays, as the deals name them, each once in file order.
    pub payers: Vec<String>,
    /// Who is paid, as the deals name them, each once in file order.
    pub payees: Vec<String>,
    /// When its deals are in force.
    pub in_force: InForce,
}

impl Leg {
    pub fn of(dataset: &Dataset, flow: Flow) -> Leg {
        let deals = || {
            flow.deals
                .iter()
                .filter_map(|&i| dataset.commitments.get(i))
        };
        let payers = distinct(deals().map(|c| c.buyer.as_str()));
        let payees = distinct(deals().map(|c| c.provider.as_str()));
        let in_force = InForce::of_deals(&dataset.commitments, &flow.deals);
        Leg {
            flow,
            payers,
            payees,
            in_force,
        }
    }

    /// Who pays, in words: each party by `word`, and where it is not the
    /// group the loop counts it under, the group it is part of ("Amazon
    /// Web Services (part of Amazon)").
    pub fn payers_text(&self, word: impl Fn(&str) -> String) -> String {
        parties_text(&self.payers, &self.flow.from, word)
    }

    /// Who is paid, in words, as `payers_text`.
    pub fn payees_text(&self, word: impl Fn(&str) -> String) -> String {
        parties_text(&self.payees, &self.flow.to, word)
    }

    /// The leg in a formula, by ids: "openai → aws (part of amazon):
    /// $138bn (openai-aws-2026-02)".
    fn formula(&self, dataset: &Dataset) -> String {
        let id = |p: &str| p.to_string();
        format!(
            "{} → {}: {} ({})",
            self.payers_text(id),
            self.payees_text(id),
            self.flow.money.compact(),
            deal_ids(dataset, &self.flow.deals)
        )
    }
}

/// "A", "A and B", "A, B and C": each party by `word`, with the group it is
/// part of when it is not `group` itself.
fn parties_text(parties: &[String], group: &str, word: impl Fn(&str) -> String) -> String {
    let worded: Vec<String> = parties
        .iter()
        .map(|p| {
            if p == group {
                word(p)
            } else {
                format!("{} (part of {})", word(p), word(group))
            }
        })
        .collect();
    match worded.as_slice() {
        [] => word(group),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Money around a loop of three or more parties: A pays B, B pays C, C
/// pays A.
#[derive(Debug, Clone, PartialEq)]
pub struct Loop {
    /// The parties in the order money flows, starting from the first in
    /// party order; the last pays the first.
    pub parties: Vec<String>,
    /// One per leg: `parties[i]` → `parties[i + 1]`, then back.
    pub legs: Vec<Leg>,
    /// Whether the legs meet in time (`timing::overlapping`): `None` when
    /// their dates cannot tell.
    pub overlapping: Option<bool>,
}

/// Longest loop `loops` looks for, and how many it lists at most: a set of
/// a few hundred parties has few loops, and the search stays bounded
/// whatever the data.
pub const LOOP_MAX_PARTIES: usize = 6;
pub const LOOP_MAX_COUNT: usize = 100;
/// How many paths the loop search tries at most (`LoopSearch::tried`).
/// Loops found stop it early, but a graph with few loops and many paths
/// (a hundred parties each paying every later one has over a billion
/// paths of six) would otherwise take minutes; the bundled ledger tries a
/// few dozen.
pub const LOOP_MAX_TRIED: usize = 1_000_000;

/// Loops of three to `LOOP_MAX_PARTIES` parties in the directed money
/// graph (two-party loops are `circular`), each once, at most
/// `LOOP_MAX_COUNT`: those found within `LOOP_MAX_TRIED` paths.
pub fn loops(dataset: &Dataset) -> Vec<Loop> {
    loops_of(dataset, &group_flows_with(dataset, &left_out(dataset)))
}

/// `loops`, among flows already computed by `group_flows`.
pub fn loops_of(dataset: &Dataset, flows: &[Flow]) -> Vec<Loop> {
    let pairs: Vec<(&str, &str)> = flows
        .iter()
        .map(|f| (f.from.as_str(), f.to.as_str()))
        .collect();
    loop_legs(&pairs)
        .into_iter()
        .map(|legs| {
            let legs: Vec<Leg> = legs
                .iter()
                .map(|&k| Leg::of(dataset, flows[k].clone()))
                .collect();
            let spans: Vec<InForce> = legs.iter().map(|l| l.in_force).collect();
            Loop {
                parties: legs.iter().map(|l| l.flow.from.clone()).collect(),
                overlapping: overlapping(&spans),
                legs,
            }
        })
        .collect()
}

/// The loops among directed pairs (from, to), as `loops` finds them: each
/// loop's legs, as positions in `pairs`, starting from its lowest party.
pub fn loop_legs(pairs: &[(&str, &str)]) -> Vec<Vec<usize>> {
    loop_search(pairs).legs
}

/// What the loop search found, and what it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoopSearch {
    /// Each loop's legs, as positions in the pairs searched, starting from
    /// its lowest party, in the order found; at most `LOOP_MAX_COUNT`.
    pub legs: Vec<Vec<usize>>,
    /// Paths tried: each step from a path's last party along one of its
    /// pairs, whether or not it led anywhere.
    pub tried: usize,
    /// The search stopped at `LOOP_MAX_TRIED` paths with some left to
    /// try: `legs` are the loops found by then, and others may exist.
    pub cut: bool,
}

/// `loop_legs`, with what the search cost and whether it was cut short.
///
/// A loop never leaves its strongly connected component, so the search
/// runs only inside components of three parties or more, along pairs
/// within them: on a graph with no loops it tries no path at all. Found in
/// the same order as a search of the whole graph: each loop from its
/// lowest party, through higher ones only, along pairs in their order.
pub fn loop_search(pairs: &[(&str, &str)]) -> LoopSearch {
    let mut ids: Vec<&str> = Vec::new();
    let mut node: HashMap<&str, usize> = HashMap::new();
    for (from, to) in pairs {
        for id in [*from, *to] {
            node.entry(id).or_insert_with(|| {
                ids.push(id);
                ids.len() - 1
            });
        }
    }
    let mut next: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ids.len()];
    for (k, (from, to)) in pairs.iter().enumerate() {
        if let (Some(&a), Some(&b)) = (node.get(from), node.get(to)) {
            next[a].push((b, k));
        }
    }
    let component = components(&next);
    let mut size = vec![0usize; ids.len()];
    for &c in &component {
        size[c] += 1;
    }
    // A loop of three parties or more lies within one component that big.
    for (a, out) in next.iter_mut().enumerate() {
        let c = component[a];
        out.retain(|&(b, _)| component[b] == c && size[c] >= 3);
    }
    let mut search = LoopSearch::default();
    for start in 0..ids.len() {
        if next[start].is_empty() {
            continue;
        }
        let mut path = vec![start];
        let mut legs: Vec<usize> = Vec::new();
        walk(start, &next, &mut path, &mut legs, &mut search);
        if search.legs.len() >= LOOP_MAX_COUNT || search.cut {
            break;
        }
    }
    search.legs.truncate(LOOP_MAX_COUNT);
    search
}

fn walk(
    start: usize,
    next: &[Vec<(usize, usize)>],
    path: &mut Vec<usize>,
    legs: &mut Vec<usize>,
    search: &mut LoopSearch,
) {
    let Some(&here) = path.last() else { return };
    for &(to, leg) in &next[here] {
        if search.legs.len() >= LOOP_MAX_COUNT || search.cut {
            return;
        }
        if search.tried >= LOOP_MAX_TRIED {
            search.cut = true;
            return;
        }
        search.tried += 1;
        if to == start {
            if path.len() >= 3 {
                let mut all = legs.clone();
                all.push(leg);
                search.legs.push(all);
            }
        } else if to > start && !path.contains(&to) && path.len() < LOOP_MAX_PARTIES {
            path.push(to);
            legs.push(leg);
            walk(start, next, path, legs, search);
            path.pop();
            legs.pop();
        }
    }
}

/// Each node's strongly connected component, numbered from 0, by
/// Tarjan's algorithm over `next` (per node, its (node, pair) steps). Its
/// own stack of calls rather than recursion: a chain of 100k parties
/// would overflow the thread's.
fn components(next: &[Vec<(usize, usize)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = next.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut seen, mut found) = (0usize, 0usize);
    // Each call: its node, and how many of its steps it has taken.
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // A node to enter: `root`, then each step to an unseen node.
        let mut entering = Some(root);
        loop {
            if let Some(v) = entering.take() {
                index[v] = seen;
                low[v] = seen;
                seen += 1;
                stack.push(v);
                on_stack[v] = true;
                calls.push((v, 0));
            }
            let Some(&(v, step)) = calls.last() else {
                break;
            };
            if let Some(&(w, _)) = next[v].get(step) {
                if let Some(call) = calls.last_mut() {
                    call.1 += 1;
                }
                if index[w] == UNSEEN {
                    entering = Some(w);
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = found;
                    if w == v {
                        break;
                    }
                }
                found += 1;
            }
        }
    }
    component
}

/// `loop:<a>:<b>:<c>`: a loop's smallest leg, the most money that can
/// have gone all the way round; undisclosed if any leg is. The formula
/// gives every leg (the parties its deals name, its money, its deals),
/// then whether the legs meet in time.
fn loop_derived(dataset: &Dataset, l: &Loop) -> Derived {
    let key = format!("loop:{}", l.parties.join(":"));
    let names: Vec<String> = l.parties.iter().map(|p| name(dataset, p)).collect();
    let label = format!("Loop: {} → {}", names.join(" → "), names[0]);
    let legs: Vec<String> = l.legs.iter().map(|leg| leg.formula(dataset)).collect();
    let figures: Option<Vec<&Figure>> = l.legs.iter().map(|leg| leg.flow.money.figure()).collect();
    let smallest = figures.and_then(|fs| {
        let first = fs.first()?;
        let mut interval = first.interval;
        let mut approx = false;
        for f in &fs {
            interval = Interval {
                low: interval.low.min(f.interval.low),
                high: interval.high.min(f.interval.high),
            };
            approx |= f.approx;
        }
        Figure::from_interval(interval, approx, first.unit.clone())
    });
    let formula = format!(
        "smallest of {} = {}; {}",
        legs.join("; "),
        smallest
            .as_ref()
            .map_or_else(|| "undisclosed".to_string(), Figure::compact),
        overlap_words(l.overlapping)
    );
    Derived::new(
        &key,
        &label,
        smallest.map_or(DerivedValue::Undisclosed, DerivedValue::Figure),
        formula,
    )
}

/// A total of no deal that counts says nothing its buyer's
/// `committed_total` does not: left out of `all`.
fn counted(d: Derived) -> Option<Derived> {
    (d.covers.is_none_or(|(_, m)| m > 0)).then_some(d)
}

/// The ledger's keys, in this order: per buyer (`committed_total:<b>`,
/// `invested_total:<b>`, `power_total:<b>`, `power_vs_target:<b>`,
/// `committed_vs_revenue:<b>`, then `pair_total:<b>:<p>` per provider);
/// `provider_total:<p>` per provider; `circular:<a>:<b>`; `loop:...`. With
/// `per_buyer_plans` (a set of several buyers) also `share:<id>` (of its
/// buyer's committed total) and `value_per_year:<id>` for deals that
/// count, and each capacity plan's keys with `:<buyer>` appended
/// (`weeks_to_target:openai`).
pub fn all(dataset: &Dataset, per_buyer_plans: bool) -> Vec<Derived> {
    let mut out = Vec::new();
    each(dataset, per_buyer_plans, &mut |d| out.push(d));
    out
}

/// `all`, handed to `emit` one figure at a time, in the same order.
pub fn each(dataset: &Dataset, per_buyer_plans: bool, emit: &mut dyn FnMut(Derived)) {
    let why = left_out(dataset);
    let counts: Vec<bool> = why.iter().map(Option::is_none).collect();
    let mut out = Emit(emit);
    let mut committed: HashMap<String, Derived> = HashMap::new();
    // Grouped once: a scan per buyer, provider or pair is quadratic.
    let by_buyer = group(dataset, |c| (c.buyer.as_str(), ""));
    let by_provider = group(dataset, |c| (c.provider.as_str(), ""));
    let by_pair = group(dataset, |c| (c.buyer.as_str(), c.provider.as_str()));
    let none: &[usize] = &[];
    for buyer in buyers(dataset) {
        let own = by_buyer
            .get(&(buyer.as_str(), ""))
            .map_or(none, Vec::as_slice);
        let mine =
            |pick: fn(&Commitment) -> bool| own.iter().any(|&i| pick(&dataset.commitments[i]));
        let spends = mine(spending);
        if spends {
            let total = total(
                dataset,
                &why,
                own,
                spending,
                value,
                format!("committed_total:{buyer}"),
                format!("Committed by {}", name(dataset, &buyer)),
                false,
            )
            .0;
            committed.insert(buyer.clone(), total.clone());
            out.push(total);
        }
        if mine(|c| c.kind == DealKind::Investment) {
            out.push(
                total(
                    dataset,
                    &why,
                    own,
                    |c| c.kind == DealKind::Investment,
                    value,
                    format!("invested_total:{buyer}"),
                    format!("Invested by {}", name(dataset, &buyer)),
                    false,
                )
                .0,
            );
        }
        let has_plan = dataset.capacities.iter().any(|p| p.buyer == buyer);
        for layer in PowerLayer::ALL.iter().copied() {
            let in_layer = |c: &Commitment| {
                spending(c) && c.power().is_some() && c.power_layer() == Some(layer)
            };
            if !own.iter().any(|&i| in_layer(&dataset.commitments[i])) {
                continue;
            }
            out.extend(counted(total_among(
                dataset,
                &why,
                own,
                Total::Power(&buyer, layer),
            )));
            if has_plan {
                out.extend(power_vs_target_with(dataset, &why, &buyer, layer));
            }
        }
        out.extend(tentative_among(dataset, &why, own).map(|mut d| {
            d.key = format!("tentative_total:{buyer}");
            d.label = format!("Tentative, {}", name(dataset, &buyer));
            d
        }));
        if mine(|c| c.conditional_value().is_some()) {
            out.extend(counted(
                total(
                    dataset,
                    &why,
                    own,
                    |c| c.conditional_value().is_some(),
                    |c| c.conditional_value(),
                    format!("conditional_total:{buyer}"),
                    format!("Due on conditions, {}", name(dataset, &buyer)),
                    false,
                )
                .0,
            ));
        }
        for kind in [DealKind::Backstop, DealKind::Debt] {
            out.extend(exposure_total(dataset, &why, own, &buyer, kind));
        }
        // What runs beside what is promised: at its sites, and by its word.
        let built = super::built::built_power(
            dataset,
            &buyer,
            dataset.as_of,
            crate::data::Confidence::Confident,
        );
        let hosting = power_with(dataset, &why, &buyer, PowerLayer::Hosting);
        let not_built = built
            .as_ref()
            .and_then(|b| super::built::contracted_not_built(&buyer, &hosting, b));
        out.extend(built);
        out.extend(not_built);
        out.extend(super::built::stated_capacity(
            dataset,
            &buyer,
            dataset.as_of,
        ));
        if spends {
            out.extend(committed_vs_revenue_among(dataset, &why, own, &buyer));
        }
        let sellers = distinct(
            own.iter()
                .map(|&i| &dataset.commitments[i])
                .filter(|c| spending(c))
                .map(|c| c.provider.as_str()),
        );
        for provider in sellers {
            let pair = by_pair
                .get(&(buyer.as_str(), provider.as_str()))
                .map_or(none, Vec::as_slice);
            out.extend(counted(
                total(
                    dataset,
                    &why,
                    pair,
                    spending,
                    value,
                    format!("pair_total:{buyer}:{provider}"),
                    format!(
                        "{} from {}",
                        name(dataset, &buyer),
                        name(dataset, &provider)
                    ),
                    false,
                )
                .0,
            ));
        }
    }
    for provider in providers(dataset) {
        out.extend(counted(
            total(
                dataset,
                &why,
                by_provider
                    .get(&(provider.as_str(), ""))
                    .map_or(none, Vec::as_slice),
                spending,
                value,
                format!("provider_total:{provider}"),
                format!("Sold by {}", name(dataset, &provider)),
                true,
            )
            .0,
        ));
    }
    let flows = group_flows_with(dataset, &why);
    out.extend(circular_of(&flows, dataset));
    out.extend(
        loops_of(dataset, &flows)
            .iter()
            .map(|l| loop_derived(dataset, l)),
    );
    if per_buyer_plans {
        for (c, why) in dataset.commitments.iter().zip(&why) {
            if why.is_some() || !spending(c) {
                continue;
            }
            if let Some(total) = committed.get(c.buyer.as_str()) {
                let text = total.figure().map(Figure::compact).unwrap_or_default();
                out.extend(share_of(c, total, &text).map(|mut d| {
                    d.label = format!("Share of {}'s committed total", name(dataset, &c.buyer));
                    d
                }));
            }
            out.extend(value_per_year(c));
        }
    }
    for (at, plan) in dataset.capacities.iter().enumerate() {
        // A buyer's first plan is the one the ramp shows, keyed by the
        // buyer; a later plan of the same buyer (a file restating it)
        // is keyed by its file too, so that every key stays unique.
        let restated = dataset.capacities[..at]
            .iter()
            .any(|earlier| earlier.buyer == plan.buyer);
        // With one buyer, format 1's unsuffixed keys give its first plan.
        if !per_buyer_plans && !restated {
            continue;
        }
        let file = dataset.files.get(plan.file).map_or("", |f| {
            std::path::Path::new(&f.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&f.name)
        });
        let (owner, whose) = if restated {
            (
                format!("{}@{file}", plan.buyer),
                format!("{} (the plan in {file})", name(dataset, &plan.buyer)),
            )
        } else {
            (plan.buyer.clone(), name(dataset, &plan.buyer).to_string())
        };
        let suffix = |mut d: Derived| {
            d.key = format!("{}:{owner}", d.key);
            d.label = format!("{}, {whose}", d.label);
            d
        };
        if let (Some(cost), Some(target)) = (&plan.target_cost, &plan.target) {
            out.extend(implied_cost_per_gw(cost, target).map(suffix));
        }
        if let (Some(target), Some(rate)) = (&plan.target, &plan.build_rate)
            && let Some(r) = ramp(
                plan_as_of(dataset, plan),
                target,
                rate,
                plan.cost_per_gw.as_ref(),
                committed.get(&plan.buyer),
                super::Contracted::online_at_start(dataset, &counts, plan),
            )
        {
            out.extend(r.all().cloned().map(suffix));
        }
    }
}

/// Where `each` puts figures: `emit`, called as a list would be filled.
struct Emit<'e>(&'e mut dyn FnMut(Derived));

impl Emit<'_> {
    fn push(&mut self, d: Derived) {
        (self.0)(d);
    }

    fn extend(&mut self, figures: impl IntoIterator<Item = Derived>) {
        figures.into_iter().for_each(&mut *self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../../../tests/fixtures/multi-buyer.toml");

    fn fixture() -> Dataset {
        crate::data::load_str(FIXTURE, "multi-buyer.toml")
            .unwrap_or_else(|e| panic!("{}", e.report()))
    }

    fn find<'a>(all: &'a [Derived], key: &str) -> &'a Derived {
        all.iter()
            .find(|d| d.key == key)
            .unwrap_or_else(|| panic!("no {key} in {:#?}", keys(all)))
    }

    fn keys(all: &[Derived]) -> Vec<&str> {
        all.iter().map(|d| d.key.as_str()).collect()
    }

    #[test]
    fn superseded_cancelled_and_options_do_not_count() {
        let d = fixture();
        let why = left_out(&d);
        let at = |id: &str| {
            d.commitments
                .iter()
                .position(|c| c.id == id)
                .and_then(|i| why[i])
        };
        assert_eq!(at("coreweave-1"), Some(LeftOut::Superseded));
        assert_eq!(at("coreweave-2"), Some(LeftOut::Superseded));
        assert_eq!(at("coreweave-3"), None);
        assert_eq!(at("stargate-power"), Some(LeftOut::Cancelled));
        // A letter of intent is a promise, not a contract: no total counts it.
        assert_eq!(at("stargate-build"), Some(LeftOut::Tentative));
        assert_eq!(counting(&d).iter().filter(|c| !**c).count(), 4);
    }

    #[test]
    fn per_buyer_totals_sum_ranges_with_exact_figures() {
        let d = fixture();
        let openai = committed_total_for(&d, "openai");
        // $300bn + $10–100bn + $22.4bn; coreweave-1 and -2 left out, and the
        // $5–10bn letter of intent.
        assert_eq!(openai.compact(), "$332.4–422.4bn");
        assert_eq!(
            openai.covers_text().as_deref(),
            Some("3 of 5 deals; 1 tentative, 2 superseded left out")
        );
        assert_eq!(pair_total(&d, "openai", "coreweave").compact(), "$22.4bn");
        let nvidia = invested_total(&d, "nvidia");
        assert_eq!(nvidia.compact(), "≤$100bn");
        assert_eq!(
            provider_total(&d, "coreweave").covers_text().as_deref(),
            Some("1 of 1 deal, 1 buyer; 2 superseded left out")
        );
        assert_eq!(committed_total_for(&d, "nobody").compact(), "undisclosed");
    }

    #[test]
    fn power_keeps_its_hedge_against_the_plan() {
        let d = fixture();
        // 10 GW + 6 GW + at least 10 GW.
        let power = power_total(&d, "openai", PowerLayer::Chips);
        assert_eq!(power.compact(), ">26 GW");
        // Of the deals that measure chips: the data-centre deals are another layer.
        assert_eq!(power.covers, Some((3, 3)));
        let vs = power_vs_target(&d, "openai", PowerLayer::Chips).expect("openai has a target");
        assert_eq!(vs.compact(), ">86.67%");
        assert_eq!(power_vs_target(&d, "microsoft", PowerLayer::Chips), None);
        let revenue = committed_vs_revenue(&d, "openai").expect("a revenue note");
        assert!(revenue.compact().starts_with('~'), "{}", revenue.compact());
        assert!(
            revenue.formula.contains("openai-revenue"),
            "{}",
            revenue.formula
        );
    }

    #[test]
    fn circular_pairs_and_loops() {
        let d = fixture();
        let all = flows(&d);
        let pair = |a: &str, b: &str| all.iter().find(|f| f.from == a && f.to == b);
        assert_eq!(
            pair("nvidia", "openai").map(|f| f.money.compact()),
            Some("≤$100bn".to_string())
        );
        // Chips with no disclosed value: a flow, undisclosed, never zero.
        assert_eq!(
            pair("openai", "nvidia").map(|f| f.money.compact()),
            Some("undisclosed".to_string())
        );
        let circular = circular(&d);
        assert_eq!(
            keys(&circular),
            ["circular:openai:nvidia", "circular:nvidia:openai"]
        );
        assert!(loops(&d).is_empty());

        // A → B → C → A, with each leg's amount.
        let text = r#"
format = 2
[dataset]
title = "loop"
as_of = 2025-11-03
[[sources]]
id = "s"
title = "S"
[[parties]]
id = "a"
name = "A"
kind = "lab"
[[parties]]
id = "b"
name = "B"
kind = "cloud"
[[parties]]
id = "c"
name = "C"
kind = "chipmaker"
[[commitments]]
id = "ab"
buyer = "a"
provider = "b"
value = "$10bn"
status = "signed"
[[commitments]]
id = "bc"
buyer = "b"
provider = "c"
value = "$5-8bn"
status = "signed"
[[commitments]]
id = "ca"
buyer = "c"
provider = "a"
kind = "investment"
value = "up to $6bn"
status = "signed"
"#;
        let d =
            crate::data::load_str(text, "loop.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        let found = loops(&d);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].parties, ["a", "b", "c"]);
        let legs: Vec<String> = found[0]
            .legs
            .iter()
            .map(|leg| leg.flow.money.compact())
            .collect();
        assert_eq!(legs, ["$10bn", "$5–8bn", "≤$6bn"]);
        let all = crate::ledger::all(&d);
        let l = find(&all, "loop:a:b:c");
        assert_eq!(l.compact(), "≤$6bn");
        assert!(l.formula.contains("b → c: $5–8bn (bc)"), "{}", l.formula);
        // No deal gives a date: unknown, neither together nor apart.
        assert_eq!(found[0].overlapping, None);
        assert!(l.formula.ends_with("; timing unknown"), "{}", l.formula);
    }

    fn ledger(deals: &str) -> Dataset {
        let text = format!(
            r#"
format = 2
[dataset]
title = "ledger"
as_of = 2026-06-01
[[sources]]
id = "s"
title = "S"
[[parties]]
id = "lab"
name = "Lab"
kind = "lab"
[[parties]]
id = "amazon"
name = "Amazon"
kind = "hyperscaler"
[[parties]]
id = "aws"
name = "Amazon Web Services"
parent = "amazon"
kind = "hyperscaler"
{deals}"#
        );
        crate::data::load_str(&text, "ledger.toml").unwrap_or_else(|e| panic!("{}", e.report()))
    }

    /// The Flows tab's loops of `d`, its parties placed as the view does.
    fn matrix_loops(d: &Dataset) -> Vec<crate::ledger::flow_matrix::Loop> {
        let mut ids: Vec<&str> = Vec::new();
        let mut deals: Vec<[u32; 2]> = Vec::new();
        for c in &d.commitments {
            let mut ends = [0; 2];
            for (end, id) in ends.iter_mut().zip([c.buyer.as_str(), c.provider.as_str()]) {
                *end = match ids.iter().position(|k| *k == id) {
                    Some(k) => k as u32,
                    None => {
                        ids.push(id);
                        (ids.len() - 1) as u32
                    }
                };
            }
            deals.push(ends);
        }
        let parties = crate::ledger::flow_matrix::Parties { ids, deals: &deals };
        crate::ledger::flow_matrix::Flows::new(d, &left_out(d), &parties).loops
    }

    /// Two deals of a lab with one group, the first's dates, then the
    /// second's (each a TOML line or none).
    fn two_legs(first: &str, second: &str) -> Dataset {
        ledger(&format!(
            r#"
[[commitments]]
id = "lab-aws"
buyer = "lab"
provider = "aws"
kind = "compute"
value = "$10bn"
status = "signed"
{first}
[[commitments]]
id = "amazon-lab"
buyer = "amazon"
provider = "lab"
kind = "investment"
value = "$4bn"
status = "signed"
{second}
"#
        ))
    }

    #[test]
    fn a_loop_through_a_parent_names_the_party_its_deal_reaches() {
        let d = two_legs("", "");
        let loops = matrix_loops(&d);
        assert_eq!(loops.len(), 1, "{loops:#?}");
        let l = &loops[0];
        assert_eq!(l.parties, ["lab", "amazon"]);
        assert_eq!(l.names, ["Lab", "Amazon"]);
        let (out, back) = (&l.legs[0], &l.legs[1]);
        assert_eq!(out.from, "Lab");
        assert_eq!(out.to, "Amazon Web Services (part of Amazon)");
        assert_eq!(out.deals, ["lab-aws"]);
        assert_eq!(out.money.compact(), "$10bn");
        assert_eq!((back.from.as_str(), back.to.as_str()), ("Amazon", "Lab"));
        assert_eq!(back.deals, ["amazon-lab"]);
        // The export says it too, by id.
        let pairs = circular(&d);
        let lab = find(&pairs, "circular:lab:amazon");
        assert!(
            lab.formula.starts_with(
                "lab → aws (part of amazon): $10bn (lab-aws); back: $4bn (amazon-lab)"
            ),
            "{}",
            lab.formula
        );
        let amazon = find(&pairs, "circular:amazon:lab");
        assert!(
            amazon
                .formula
                .starts_with("amazon → lab: $4bn (amazon-lab); back: $10bn (lab-aws)"),
            "{}",
            amazon.formula
        );
    }

    #[test]
    fn legs_years_apart_are_marked_as_not_overlapping() {
        let d = two_legs(
            "announced = 2020-03-02\nterm = \"1 year\"",
            "announced = 2026-05-04\nterm = \"2 years\"",
        );
        let loops = matrix_loops(&d);
        assert_eq!(loops[0].overlapping, Some(false));
        let lab = find(&circular(&d), "circular:lab:amazon").clone();
        assert!(
            lab.formula.ends_with("; legs more than a year apart"),
            "{}",
            lab.formula
        );
        // A term long enough to reach the other leg brings them together.
        let d = two_legs(
            "announced = 2020-03-02\nterm = \"7 years\"",
            "announced = 2026-05-04\nterm = \"2 years\"",
        );
        assert_eq!(matrix_loops(&d)[0].overlapping, Some(true));
    }

    #[test]
    fn legs_in_the_same_month_overlap() {
        let d = two_legs("announced = 2025-10-01", "announced = 2025-10-27");
        assert_eq!(matrix_loops(&d)[0].overlapping, Some(true));
        let lab = find(&circular(&d), "circular:lab:amazon").clone();
        assert!(
            lab.formula.ends_with("; legs within a year of each other"),
            "{}",
            lab.formula
        );
    }

    /// A date open at one end may be years from the other leg or beside
    /// it: neither is claimed.
    #[test]
    fn a_loose_or_missing_date_leaves_the_timing_unknown() {
        let by = two_legs(
            "announced = 2020-03-02\nterm = \"1 year\"",
            "announced = \"by 2026\"",
        );
        assert_eq!(matrix_loops(&by)[0].overlapping, None);
        let undated = two_legs("announced = 2020-03-02", "");
        assert_eq!(matrix_loops(&undated)[0].overlapping, None);
        let lab = find(&circular(&undated), "circular:lab:amazon").clone();
        assert!(lab.formula.ends_with("; timing unknown"), "{}", lab.formula);
    }

    /// `n` parties, each paying every later one: no loop, and over a
    /// billion paths of six parties at 100.
    fn every_later(n: usize) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                pairs.push((format!("p{i}"), format!("p{j}")));
            }
        }
        pairs
    }

    fn as_strs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    /// Before the search kept to strongly connected components, a ledger of
    /// 100 parties each paying every later one took over a minute of
    /// `export derived` (and forever here, unoptimised).
    #[test]
    fn a_graph_without_loops_tries_no_path() {
        let n = 100;
        let mut text = String::from(
            "format = 2\n[dataset]\ntitle = \"dag\"\nas_of = 2025-11-03\n\
             [[sources]]\nid = \"s\"\ntitle = \"S\"\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "[[parties]]\nid = \"p{i}\"\nname = \"P{i}\"\nkind = \"lab\"\n"
            ));
        }
        for (a, b) in every_later(n) {
            text.push_str(&format!(
                "[[commitments]]\nid = \"{a}-{b}\"\nbuyer = \"{a}\"\nprovider = \"{b}\"\n\
                 value = \"$1bn\"\nstatus = \"signed\"\n"
            ));
        }
        let d =
            crate::data::load_str(&text, "dag.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        assert!(loops(&d).is_empty());
        let all = crate::ledger::all(&d);
        assert!(!keys(&all).iter().any(|k| k.starts_with("loop:")));
        let pairs = every_later(n);
        let search = loop_search(&as_strs(&pairs));
        assert_eq!(search, LoopSearch::default(), "no path tried, none cut");
    }

    /// Loops lie within a component: parties that lead into one, or out
    /// of it, cost nothing, and the loops come in the order a search of
    /// the whole graph finds them.
    #[test]
    fn the_search_keeps_to_components_and_keeps_its_order() {
        let mut pairs = vec![
            ("x", "a"),
            ("a", "b"),
            ("b", "c"),
            ("c", "a"),
            ("c", "y"),
            ("b", "d"),
            ("d", "a"),
            ("y", "z"),
        ];
        // A component of two: a pair paying each other, not a loop here.
        pairs.extend([("z", "w"), ("w", "z")]);
        let search = loop_search(&pairs);
        assert_eq!(search.legs, [vec![1, 2, 3], vec![1, 5, 6]]);
        assert!(!search.cut);
        // From a: a→b, b→c, c→a, b→d, d→a; from b: b→c, c→a, b→d, d→a;
        // from c and d one step each. None from x, y, z or w, nor c→y.
        assert_eq!(search.tried, 11);
    }

    /// One component 100k parties deep: found without recursion, which
    /// would overflow the stack; its only loop is too long to list.
    #[test]
    fn a_ring_of_100k_parties_is_searched_without_overflow() {
        let n = 100_000;
        let pairs: Vec<(String, String)> = (0..n)
            .map(|i| (format!("p{i}"), format!("p{}", (i + 1) % n)))
            .collect();
        let search = loop_search(&as_strs(&pairs));
        assert!(search.legs.is_empty());
        assert!(!search.cut);
        // Six steps from each party at most: the rest of the ring is
        // further than a loop may go.
        assert!(search.tried <= 6 * n, "{}", search.tried);
    }

    /// Layers of parties, each paying every party of the next, the last
    /// paying the first: one component, every loop eight parties long, and
    /// more paths of six than the budget. The search stops there, keeping
    /// the loops found before (a triangle met first), and says so.
    #[test]
    fn a_search_past_its_budget_keeps_what_it_found_and_says_it_was_cut() {
        let (layers, width) = (8, 20);
        let mut pairs: Vec<(String, String)> = [("t0", "t1"), ("t1", "t2"), ("t2", "t0")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        for l in 0..layers {
            for i in 0..width {
                for j in 0..width {
                    pairs.push((format!("l{l}-{i}"), format!("l{}-{j}", (l + 1) % layers)));
                }
            }
        }
        let search = loop_search(&as_strs(&pairs));
        assert_eq!(search.legs, [vec![0, 1, 2]]);
        assert!(search.cut);
        assert_eq!(search.tried, LOOP_MAX_TRIED);
    }

    #[test]
    fn a_set_of_several_buyers_keys_its_plans_by_buyer() {
        let d = fixture();
        let all = crate::ledger::all(&d);
        assert!(!keys(&all).contains(&"committed_total"));
        assert_eq!(find(&all, "weeks_to_target:openai").compact(), "30 weeks");
        assert!(keys(&all).contains(&"share:coreweave-3"));
        assert!(!keys(&all).contains(&"share:coreweave-1"));
        let mut seen = HashSet::new();
        for k in keys(&all) {
            assert!(seen.insert(k), "{k} twice");
        }
    }

    #[test]
    fn rounding_keeps_what_the_inputs_justify() {
        use crate::ledger::{round_significant, significant_digits};
        assert_eq!(
            round_significant(46_666_666_666.666_664, 3),
            46_700_000_000.0
        );
        assert_eq!(round_significant(6.225_426, 3), 6.23);
        assert_eq!(round_significant(0.1 + 0.2, 12), 0.3);
        assert_eq!(significant_digits("as much as $1.4 trillion"), Some(2));
        assert_eq!(significant_digits("$610.4bn"), Some(4));
        assert_eq!(significant_digits("0.05%"), Some(1));
        assert_eq!(significant_digits("undisclosed"), None);
    }
}
