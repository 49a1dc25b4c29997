//! Derived figures: totals, shares, per-year, per-GW and the capacity ramp.
//! Each carries its formula and inputs, and its hedge follows the contract's
//! arithmetic, so nothing derived looks surer than what it came from.

use chrono::{Days, NaiveDate};

use crate::data::{Commitment, Dataset};
use crate::figure::{self, Figure, Period, Qualifier, Unit};

/// A derived figure or date, with how it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Stable key for exports: `committed_total`, `value_per_year:aws-2025`.
    pub key: String,
    pub label: String,
    pub value: DerivedValue,
    /// How many records the figure covers, of how many: (4, 5).
    pub covers: Option<(usize, usize)>,
    /// "$38bn / 7 years = $5.43bn/yr".
    pub formula: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DerivedValue {
    Figure(Figure),
    Date(NaiveDate, Qualifier),
    /// Nothing to compute from: every input undisclosed.
    Undisclosed,
}

impl Derived {
    pub fn figure(&self) -> Option<&Figure> {
        match &self.value {
            DerivedValue::Figure(f) => Some(f),
            _ => None,
        }
    }

    /// Compact display with the hedge kept: `≤$46.7bn/GW`, `2026-06-01`.
    pub fn compact(&self) -> String {
        match &self.value {
            DerivedValue::Figure(f) => f.compact(),
            DerivedValue::Date(d, q) => format!("{}{d}", q.symbol()),
            DerivedValue::Undisclosed => "undisclosed".into(),
        }
    }

    pub fn qualifier(&self) -> Option<Qualifier> {
        match &self.value {
            DerivedValue::Figure(f) => Some(f.qualifier),
            DerivedValue::Date(_, q) => Some(*q),
            DerivedValue::Undisclosed => None,
        }
    }

    /// "4 of 5", when the figure leaves records out.
    pub fn covers_text(&self) -> Option<String> {
        self.covers.map(|(n, m)| format!("{n} of {m}"))
    }
}

fn derived(key: &str, label: &str, value: DerivedValue, formula: String) -> Derived {
    Derived {
        key: key.to_string(),
        label: label.to_string(),
        value,
        covers: None,
        formula,
    }
}

/// The sum of disclosed commitment values, with how many it covers.
pub fn committed_total(commitments: &[&Commitment]) -> Derived {
    let values: Vec<&Figure> = commitments
        .iter()
        .filter_map(|c| c.value.as_ref())
        .collect();
    let total = Figure::sum(values.iter().copied());
    let formula = match &total {
        Some(t) => {
            let terms: Vec<String> = values.iter().map(|f| f.compact()).collect();
            format!("{} = {}", terms.join(" + "), t.compact())
        }
        None => "no disclosed values".to_string(),
    };
    let value = total.map_or(DerivedValue::Undisclosed, DerivedValue::Figure);
    let mut d = derived("committed_total", "Committed total", value, formula);
    d.covers = Some((values.len(), commitments.len()));
    d
}

/// "$610.4bn across 4 of 5 commitments".
pub fn total_sentence(total: &Derived) -> String {
    let (n, m) = total.covers.unwrap_or((0, 0));
    let noun = if m == 1 { "commitment" } else { "commitments" };
    format!("{} across {n} of {m} {noun}", total.compact())
}

/// A commitment's share of the disclosed total, as a percent.
pub fn share(commitment: &Commitment, total: &Derived) -> Option<Derived> {
    let total_text = total.figure()?.compact();
    share_of(commitment, total, &total_text)
}

/// `share`, with the total's compact text made once for every commitment.
pub(crate) fn share_of(
    commitment: &Commitment,
    total: &Derived,
    total_text: &str,
) -> Option<Derived> {
    let value = commitment.value.as_ref()?;
    let total_figure = total.figure()?;
    if total_figure.value <= 0.0 {
        return None;
    }
    let (q, v) = figure::quotient(value, value.value, total_figure, total_figure.value);
    let share = Figure::derived(q, v * 100.0, Unit::Percent);
    let formula = format!("{} / {total_text} = {}", value.compact(), share.text);
    Some(derived(
        &format!("share:{}", commitment.id),
        "Share of disclosed total",
        DerivedValue::Figure(share),
        formula,
    ))
}

/// Value per year, where both value and term are known.
pub fn value_per_year(commitment: &Commitment) -> Option<Derived> {
    let value = commitment.value.as_ref()?;
    let term = commitment.term.as_ref()?;
    let years = term.years().filter(|y| *y > 0.0)?;
    let (q, v) = figure::quotient(value, value.value, term, years);
    let per_year = Figure::derived(q, v, Unit::MoneyPer(Period::Year));
    let formula = format!(
        "{} / {} = {}",
        value.compact(),
        term.compact(),
        per_year.compact()
    );
    Some(derived(
        &format!("value_per_year:{}", commitment.id),
        "Value per year",
        DerivedValue::Figure(per_year),
        formula,
    ))
}

/// target_cost / target: what the plan implies per gigawatt.
pub fn implied_cost_per_gw(target_cost: &Figure, target: &Figure) -> Option<Derived> {
    let gw = target.value / 1e9;
    if gw <= 0.0 {
        return None;
    }
    let (q, v) = figure::quotient(target_cost, target_cost.value, target, gw);
    let per_gw = Figure::derived(q, v, Unit::MoneyPerGw);
    let formula = format!(
        "{} / {} = {}",
        target_cost.compact(),
        target.compact(),
        per_gw.compact()
    );
    Some(derived(
        "implied_cost_per_gw",
        "Implied cost per GW",
        DerivedValue::Figure(per_gw),
        formula,
    ))
}

/// The ramp to the capacity target at a pace and a cost per GW: the file's,
/// or a scenario's.
#[derive(Debug, Clone, PartialEq)]
pub struct Ramp {
    pub weeks_to_target: Derived,
    pub date_to_target: Derived,
    pub target_capex: Option<Derived>,
    pub capex_per_week: Option<Derived>,
    pub capex_per_year: Option<Derived>,
    /// Target capex as a multiple of the committed total.
    pub capex_vs_committed: Option<Derived>,
}

impl Ramp {
    pub fn all(&self) -> impl Iterator<Item = &Derived> {
        [&self.weeks_to_target, &self.date_to_target]
            .into_iter()
            .chain(self.target_capex.as_ref())
            .chain(self.capex_per_week.as_ref())
            .chain(self.capex_per_year.as_ref())
            .chain(self.capex_vs_committed.as_ref())
    }
}

pub fn ramp(
    as_of: NaiveDate,
    target: &Figure,
    build_rate: &Figure,
    cost_per_gw: Option<&Figure>,
    committed: Option<&Derived>,
) -> Option<Ramp> {
    let per_week = build_rate.watts_per_week().filter(|w| *w > 0.0)?;
    let (q, weeks) = figure::quotient(target, target.value, build_rate, per_week);
    let weeks_figure = Figure::derived(q, weeks, Unit::Duration(Period::Week));
    let weeks_to_target = derived(
        "weeks_to_target",
        "Weeks to target",
        DerivedValue::Figure(weeks_figure.clone()),
        format!(
            "{} / {} = {}",
            target.compact(),
            build_rate.compact(),
            weeks_figure.compact()
        ),
    );
    let days = (weeks * 7.0).ceil();
    let date = (days.is_finite() && days < 1e6)
        .then(|| as_of.checked_add_days(Days::new(days as u64)))
        .flatten();
    let date_to_target = derived(
        "date_to_target",
        "Target reached",
        date.map_or(DerivedValue::Undisclosed, |d| DerivedValue::Date(d, q)),
        format!("{as_of} + {}", weeks_figure.compact()),
    );
    let money = |key: &str, label: &str, q: Qualifier, v: f64, unit: Unit, formula: &str| {
        let f = Figure::derived(q, v, unit);
        let formula = format!("{formula} = {}", f.compact());
        derived(key, label, DerivedValue::Figure(f), formula)
    };
    let capex = cost_per_gw.map(|cost| {
        let (q, v) = figure::product(target, target.value / 1e9, cost, cost.value);
        let formula = format!("{} × {}/GW", target.compact(), cost.compact());
        (
            q,
            v,
            money(
                "target_capex",
                "Capex to target",
                q,
                v,
                Unit::Money,
                &formula,
            ),
        )
    });
    let capex_per_week = cost_per_gw.map(|cost| {
        let (q, v) = figure::product(build_rate, per_week / 1e9, cost, cost.value);
        let formula = format!("{} × {}/GW", build_rate.compact(), cost.compact());
        money(
            "capex_per_week",
            "Capex per week",
            q,
            v,
            Unit::MoneyPer(Period::Week),
            &formula,
        )
    });
    let capex_per_year = capex_per_week.as_ref().and_then(|per_week| {
        let f = per_week.figure()?;
        let formula = format!("{} × 52.18 weeks", f.compact());
        Some(money(
            "capex_per_year",
            "Capex per year",
            f.qualifier,
            f.value * Period::Year.weeks(),
            Unit::MoneyPer(Period::Year),
            &formula,
        ))
    });
    let capex_vs_committed = capex.as_ref().and_then(|(_, _, capex)| {
        let capex = capex.figure()?;
        let committed = committed?.figure()?;
        if committed.value <= 0.0 {
            return None;
        }
        let (q, v) = figure::quotient(capex, capex.value, committed, committed.value);
        let formula = format!("{} / {}", capex.compact(), committed.compact());
        Some(money(
            "capex_vs_committed",
            "Capex as a multiple of committed",
            q,
            v,
            Unit::Ratio,
            &formula,
        ))
    });
    Some(Ramp {
        weeks_to_target,
        date_to_target,
        target_capex: capex.map(|(_, _, d)| d),
        capex_per_week,
        capex_per_year,
        capex_vs_committed,
    })
}

/// Every derived figure of a dataset, in a stable order, for exports and views.
pub fn all(dataset: &Dataset) -> Vec<Derived> {
    let commitments: Vec<&Commitment> = dataset.commitments.iter().collect();
    let total = committed_total(&commitments);
    let mut out = vec![total.clone()];
    let total_text = total.figure().map(Figure::compact).unwrap_or_default();
    out.extend(
        commitments
            .iter()
            .filter_map(|c| share_of(c, &total, &total_text)),
    );
    out.extend(commitments.iter().filter_map(|c| value_per_year(c)));
    if let Some(capacity) = dataset.capacity() {
        if let (Some(cost), Some(target)) = (&capacity.target_cost, &capacity.target) {
            out.extend(implied_cost_per_gw(cost, target));
        }
        if let (Some(target), Some(rate)) = (&capacity.target, &capacity.build_rate)
            && let Some(ramp) = ramp(
                dataset.as_of,
                target,
                rate,
                capacity.cost_per_gw.as_ref(),
                Some(&total),
            )
        {
            out.extend(ramp.all().cloned());
        }
    }
    out
}
