//! What has been built beside what was promised: the power running at a
//! buyer's sites on a day, from each site's timeline, and the buyer's own
//! latest statement of the capacity it runs. Both are figures a deal's
//! power is measured against, never added to it: a site is where hosting
//! deals are delivered, so the gap between contracted hosting and what runs
//! is the figure that says how much of the promise is real.

use chrono::NaiveDate;

use super::derived::{Derived, DerivedValue};
use crate::data::{CapacityScope, Confidence, Dataset, NoteKind, Vocabulary};
use crate::figure::{Figure, Interval, Unit};

/// `built_power:<buyer>`: the facility power of each site the buyer owns or
/// uses with at least `confidence` (`Confident` by default), as its latest
/// timeline entry on or before `day` gives it, summed. `None` when the
/// buyer uses no such site.
pub fn built_power(
    dataset: &Dataset,
    buyer: &str,
    day: NaiveDate,
    confidence: Confidence,
) -> Option<Derived> {
    let sites: Vec<_> = dataset
        .sites
        .iter()
        .filter(|s| s.use_by(buyer).is_some_and(|c| c <= confidence))
        .collect();
    if sites.is_empty() {
        return None;
    }
    let running: Vec<(&str, &Figure, String)> = sites
        .iter()
        .filter_map(|s| {
            let entry = s.power_entry_at(day)?;
            Some((
                s.name.as_str(),
                entry.power.as_ref()?,
                entry.date.to_string(),
            ))
        })
        .collect();
    let total = Figure::sum(running.iter().map(|(_, f, _)| *f));
    let terms: Vec<String> = running
        .iter()
        .map(|(name, f, date)| format!("{} ({name}, {date})", f.compact()))
        .collect();
    let (value, formula) = match total {
        Some(t) => {
            let shown = t.compact();
            (
                DerivedValue::Figure(t),
                format!("{} = {shown} running by {day}", terms.join(" + ")),
            )
        }
        None => (
            DerivedValue::Undisclosed,
            format!("no site of {buyer} gives its power by {day}"),
        ),
    };
    let mut d = Derived::new(
        &format!("built_power:{buyer}"),
        &format!(
            "Power running at {}'s sites ({} use)",
            name(dataset, buyer),
            confidence.as_str()
        ),
        value,
        formula,
    );
    d.covers = Some((running.len(), sites.len()));
    Some(d)
}

/// The power running at the buyer's sites (used with at least
/// `confidence`) as it steps over time: at each date a site's timeline
/// gives a power, the sure sum of every such site's latest power then
/// (low ends: "up to" adds nothing sure). In date order, one step a date.
pub fn running_steps(
    dataset: &Dataset,
    buyer: &str,
    confidence: Confidence,
) -> Vec<(NaiveDate, f64)> {
    let sites: Vec<_> = dataset
        .sites
        .iter()
        .filter(|s| s.use_by(buyer).is_some_and(|c| c <= confidence))
        .collect();
    let mut days: Vec<NaiveDate> = sites
        .iter()
        .flat_map(|s| &s.timeline)
        .filter(|e| e.power.is_some())
        .filter_map(|e| e.date.anchor())
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .map(|day| {
            let watts: f64 = sites
                .iter()
                .filter_map(|s| s.power_entry_at(day)?.power.as_ref())
                .map(|f| f.interval.low)
                .sum();
            (day, watts)
        })
        .collect()
}

/// `stated_capacity:<buyer>`: the buyer's latest own statement of the
/// capacity it has running (a `capacity` note of scope `total`, not a
/// projection) on or before `day`. `None` without one.
pub fn stated_capacity(dataset: &Dataset, buyer: &str, day: NaiveDate) -> Option<Derived> {
    let note = dataset
        .notes
        .iter()
        .filter(|n| {
            n.kind == NoteKind::Capacity
                && n.subject == buyer
                && !n.projected
                && n.scope.is_none_or(|s| s == CapacityScope::Total)
                && n.power.is_some()
                && n.date
                    .as_ref()
                    .and_then(|d| d.anchor())
                    .is_some_and(|d| d <= day)
        })
        .max_by_key(|n| n.date.as_ref().and_then(|d| d.anchor()))?;
    let power = note.power.clone()?;
    let when = note.date.map_or("undated".into(), |d| d.to_string());
    let formula = format!(
        "{} said {when}: {}",
        name(dataset, buyer),
        crate::text::escape_controls(&note.headline)
    );
    Some(Derived::new(
        &format!("stated_capacity:{buyer}"),
        &format!("Capacity {} says it runs", name(dataset, buyer)),
        DerivedValue::Figure(power),
        formula,
    ))
}

/// `contracted_not_built:<buyer>`: hosting power under contract less the
/// power running at the buyer's sites, both hedges kept: at least the
/// contract's low end less the running high end, at most its high end less
/// the running low end, never below zero.
pub fn contracted_not_built(buyer: &str, contracted: &Derived, built: &Derived) -> Option<Derived> {
    let (c, b) = (contracted.figure()?, built.figure()?);
    let gap = Interval::new(
        (c.interval.low - b.interval.high).max(0.0),
        (c.interval.high - b.interval.low).max(0.0),
    )?;
    let terms = format!(
        "{} contracted (hosting) − {} running",
        c.compact(),
        b.compact()
    );
    // From nothing to no end: a contract of "more than" less more than it
    // says nothing of what is left to build.
    let (value, result) = if gap.low <= 0.0 && gap.high.is_infinite() {
        (
            DerivedValue::Unbounded(Unit::Power),
            "unbounded either way (the contract has no upper end)".to_string(),
        )
    } else {
        let figure = Figure::from_interval(gap, c.approx || b.approx, Unit::Power)?;
        let shown = figure.compact();
        (DerivedValue::Figure(figure), shown)
    };
    Some(Derived::new(
        &format!("contracted_not_built:{buyer}"),
        "Hosting under contract, not yet running",
        value,
        format!("{terms} = {result}"),
    ))
}

fn name<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    dataset.party(id).map_or(id, |p| p.name.as_str())
}
