//! The ledger: what a loaded set adds up to. Totals, shares, per-year,
//! per-GW and ramp figures, flows, loops and the Flows matrix, each with
//! its formula and coverage, its hedge following the format's arithmetic.
//!
//! - [`derived`]: the `Derived` figure and format 1's keys.
//! - [`totals`]: format 2's keys across buyers (`committed_total:<buyer>`,
//!   `provider_total:<p>`, money flows, circular pairs and loops), and which
//!   records count.
//! - [`contracted`]: power under contract over time, for the ramp.
//! - [`flow_matrix`]: the Flows tab's matrix of buyers by providers.
//! - [`scenario`]: the ramp's what-if pace and cost.
//! - [`timing`]: when a deal is in force, and whether a loop's legs meet
//!   in time.
//!
//! This file only gathers them: `all` and `each` list every figure of a set.

pub mod built;
pub mod contracted;
pub mod derived;
pub mod flow_matrix;
pub mod scenario;
pub mod timing;
pub mod totals;

use crate::data::{Commitment, Dataset};
use crate::figure::Figure;

pub use contracted::{Arrival, Band, Contracted};
pub use derived::*;
pub use totals::{
    Flow, LayerPower, LeftOut, Leg, Loop, LoopSearch, Pairs, Tally, apart_totals, buyers,
    committed_total_for, committed_vs_revenue, committed_vs_revenue_among, counting,
    exposure_total, flows, group_flows, group_of, group_pairs, group_pairs_of, groups_of,
    invested_total, left_out, left_out_of, loop_legs, loop_search, loops, loops_of, pair_total,
    power_by_layer, power_total, power_vs_target, provider_total, providers, purchasers,
};

/// Every derived figure of a dataset, in a stable order, for exports and views.
///
/// A set with one buyer (every format 1 file) gives format 1's keys first,
/// as it always has. A set with several buyers, or any format 2 file, gives
/// the ledger's keys (see [`totals::all`]); with several buyers the plan's
/// keys are per buyer (`weeks_to_target:openai`) and format 1's unsuffixed
/// ones are left out, as no one buyer's total is "the" total.
pub fn all(dataset: &Dataset) -> Vec<Derived> {
    let mut out = Vec::new();
    each(dataset, &mut |d| out.push(d));
    out
}

/// `all`, handed to `emit` one figure at a time, in the same order, so that
/// an export can write each and drop it (at 100k commitments, `all` holds
/// two figures per deal).
pub fn each(dataset: &Dataset, emit: &mut dyn FnMut(Derived)) {
    let buyers = totals::buyers(dataset);
    let several = buyers.len() > 1;
    if !several {
        format1(dataset, emit);
    }
    if several || dataset.files.iter().any(|f| f.format >= 2) {
        totals::each(dataset, several, emit);
    }
}

/// Format 1's keys. `committed_total` keeps format 1's rule: the disclosed
/// values of every deal, options included; records superseded or
/// cancelled (format 2 only) and investments are left out.
fn format1(dataset: &Dataset, emit: &mut dyn FnMut(Derived)) {
    let why = totals::left_out(dataset);
    let commitments: Vec<&Commitment> = dataset
        .commitments
        .iter()
        .zip(&why)
        .filter(|(c, why)| {
            c.kind.is_spending() && !matches!(why, Some(LeftOut::Superseded | LeftOut::Cancelled))
        })
        .map(|(c, _)| c)
        .collect();
    let total = committed_total(&commitments);
    emit(total.clone());
    let total_text = total.figure().map(Figure::compact).unwrap_or_default();
    commitments
        .iter()
        .filter_map(|c| share_of(c, &total, &total_text))
        .for_each(&mut *emit);
    commitments
        .iter()
        .filter_map(|c| value_per_year(c))
        .for_each(&mut *emit);
    if let Some(capacity) = dataset.capacity() {
        if let (Some(cost), Some(target)) = (&capacity.target_cost, &capacity.target) {
            implied_cost_per_gw(cost, target)
                .into_iter()
                .for_each(&mut *emit);
        }
        let counts: Vec<bool> = why.iter().map(Option::is_none).collect();
        if let (Some(target), Some(rate)) = (&capacity.target, &capacity.build_rate)
            && let Some(ramp) = ramp(
                plan_as_of(dataset, capacity),
                target,
                rate,
                capacity.cost_per_gw.as_ref(),
                Some(&total),
                Contracted::online_at_start(dataset, &counts, capacity),
            )
        {
            ramp.all().cloned().for_each(&mut *emit);
        }
    }
}
