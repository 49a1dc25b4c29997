//! The `Derived` figure (a value with its formula, inputs and coverage) and
//! format 1's keys (`committed_total`, `share:<id>`, per-year and per-GW
//! figures, the ramp), which a set with one buyer keeps. Quotients follow
//! interval arithmetic, so nothing derived looks surer than its inputs.

use chrono::{Days, NaiveDate};

use crate::data::{Capacity, Commitment, Dataset};
use crate::figure::{self, Figure, Interval, Period, Qualifier, Unit};

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
    /// Said after `covers` in `covers_text`: " deals, 2 buyers; 1 superseded
    /// left out". Empty for format 1's keys, which say "4 of 5".
    pub covers_more: String,
    /// The significant digits the inputs justify, for exports (`rounded`);
    /// `None` for sums, which keep their terms' digits.
    pub digits: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DerivedValue {
    Figure(Figure),
    Date(NaiveDate, Qualifier),
    /// A date known only to lie between two days (a range of weeks from a
    /// day): never collapsed to its middle.
    DateRange(NaiveDate, NaiveDate),
    /// Nothing to compute from: every input undisclosed.
    Undisclosed,
    /// Computed, but the inputs' hedges bound it neither way: a lower
    /// bound over a lower bound (or an upper over an upper) may be any
    /// amount of its unit. Never shown as a number.
    Unbounded(Unit),
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
            DerivedValue::Figure(f) => f.shown(),
            DerivedValue::Date(d, q) => format!("{}{d}", q.symbol()),
            DerivedValue::DateRange(from, to) => format!("{from} to {to}"),
            DerivedValue::Undisclosed => "undisclosed".into(),
            DerivedValue::Unbounded(_) => "unbounded either way".into(),
        }
    }

    pub fn qualifier(&self) -> Option<Qualifier> {
        match &self.value {
            DerivedValue::Figure(f) => Some(f.qualifier),
            DerivedValue::Date(_, q) => Some(*q),
            DerivedValue::DateRange(..) => Some(Qualifier::Range),
            DerivedValue::Undisclosed | DerivedValue::Unbounded(_) => None,
        }
    }

    /// "4 of 5", or "2 of 2 deals, 2 buyers": what the figure covers.
    pub fn covers_text(&self) -> Option<String> {
        self.covers
            .map(|(n, m)| format!("{n} of {m}{}", self.covers_more))
    }

    /// A derived figure with nothing said about coverage or precision.
    pub fn new(key: &str, label: &str, value: DerivedValue, formula: String) -> Derived {
        Derived {
            key: key.to_string(),
            label: label.to_string(),
            value,
            covers: None,
            formula,
            covers_more: String::new(),
            digits: None,
        }
    }

    /// The value rounded to what its inputs justify: a quotient or product
    /// to `digits` significant digits, anything else to 12, which clears
    /// floating-point noise (46666666666.666664 -> 46700000000; 0.1 + 0.2
    /// -> 0.3). `None` when not a figure.
    pub fn rounded(&self) -> Option<f64> {
        self.figure().map(|f| self.round(f.value))
    }

    /// The figure's interval, rounded as `rounded`; an unbounded end is
    /// `None`.
    pub fn rounded_bounds(&self) -> Option<(Option<f64>, Option<f64>)> {
        let f = self.figure()?;
        Some((
            f.interval.low_bound().map(|v| self.round(v)),
            f.interval.high_bound().map(|v| self.round(v)),
        ))
    }

    fn round(&self, v: f64) -> f64 {
        round_significant(v, self.digits.unwrap_or(12))
    }
}

/// `v` to `digits` significant digits.
pub fn round_significant(v: f64, digits: u32) -> f64 {
    if v == 0.0 || !v.is_finite() || digits == 0 {
        return v;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let shift = digits as i32 - 1 - magnitude;
    let rounded = if shift >= 0 {
        let p = 10f64.powi(shift);
        (v * p).round() / p
    } else {
        let p = 10f64.powi(-shift);
        (v / p).round() * p
    };
    if rounded.is_finite() { rounded } else { v }
}

/// Significant digits of the first number written in `text`: "$1.4tn" 2,
/// "30 GW" 2, "$610.4bn" 4, "0.05%" 1. Trailing zeros of a whole number
/// count (a source's "30 GW" is taken at its word).
pub fn significant_digits(text: &str) -> Option<u32> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let number: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    let digits = number.trim_start_matches('0').len() as u32;
    Some(digits.max(1))
}

/// What a quotient or product of these figures justifies: the fewest
/// significant digits among them, but never fewer than the three gigawatt
/// shows (`≤$46.7bn/GW` from `$1.4tn / 30 GW`).
pub fn digits_of(inputs: &[&Figure]) -> u32 {
    inputs
        .iter()
        .filter_map(|f| significant_digits(&f.text))
        .min()
        .unwrap_or(3)
        .max(DISPLAY_DIGITS)
}

/// The significant digits gigawatt shows a derived figure with.
pub const DISPLAY_DIGITS: u32 = 3;

fn derived(key: &str, label: &str, value: DerivedValue, formula: String) -> Derived {
    Derived::new(key, label, value, formula)
}

/// `committed_total`'s value and coverage without its formula, which
/// lists every term (at 100k deals, a megabyte of text no screen shows):
/// what the explorer's tables show and sort by. `export derived` and the
/// detail views make the formula when asked.
pub fn committed_sum<'a>(commitments: impl IntoIterator<Item = &'a Commitment>) -> Derived {
    let mut n = 0;
    let mut values = 0;
    let total = Figure::sum(
        commitments
            .into_iter()
            .inspect(|_| n += 1)
            .filter_map(|c| c.firm_value())
            .inspect(|_| values += 1),
    );
    let value = total.map_or(DerivedValue::Undisclosed, DerivedValue::Figure);
    let mut d = derived("committed_total", "Committed total", value, String::new());
    d.covers = Some((values, n));
    d
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
            // Written into one string: a list of every term's text first
            // would hold a string per deal (5 MB at 100k deals).
            let mut formula = String::new();
            for (n, f) in values.iter().enumerate() {
                if n > 0 {
                    formula.push_str(" + ");
                }
                formula.push_str(&f.compact());
            }
            formula.push_str(" = ");
            formula.push_str(&t.compact());
            formula
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

/// How the formula of a quotient that nothing bounds ends, with why.
pub(crate) fn unbounded_because(why: &str) -> String {
    format!(": unbounded either way, as {why}")
}

/// Why a quotient of a value bounded neither way (`Figure::is_unbounded`)
/// is unbounded.
const UNBOUNDED_VALUE: &str = "the value is bounded neither way";

/// `share`, with the total's compact text made once for every commitment.
pub(crate) fn share_of(
    commitment: &Commitment,
    total: &Derived,
    total_text: &str,
) -> Option<Derived> {
    let value = commitment.firm_value()?;
    let total_figure = total.figure()?;
    let (share, result) = if value.is_unbounded() && total_figure.value > 0.0 {
        (
            DerivedValue::Unbounded(Unit::Percent),
            unbounded_because(UNBOUNDED_VALUE),
        )
    } else {
        let share = share_figure(commitment, total_figure)?;
        let result = format!(" = {}", share.text);
        (DerivedValue::Figure(share), result)
    };
    let formula = format!("{} / {total_text}{result}", value.compact());
    let mut d = derived(
        &format!("share:{}", commitment.id),
        "Share of disclosed total",
        share,
        formula,
    );
    d.digits = Some(digits_of(&[value, total_figure]));
    Some(d)
}

/// `share_of`'s figure alone: the deal's counted value as a percent of
/// `total`, as an interval. With the rest of the total `r` (the total less
/// the deal), the share is at least `d_low / (d_low + r_high)` and at most
/// `d_high / (d_high + r_low)`: so a share of "up to $X" starts at 0, and
/// the low ends of every share of one total add to at most 100%. `None`
/// for a value bounded neither way, whose share is unknown.
pub fn share_figure(commitment: &Commitment, total: &Figure) -> Option<Figure> {
    let value = commitment.firm_value()?;
    if total.value <= 0.0 || value.is_unbounded() {
        return None;
    }
    let d = value.interval;
    let rest_low = (total.interval.low - d.low).max(0.0);
    // An unbounded total less an unbounded deal leaves a rest nothing
    // bounds (∞ − ∞ is no number, and `max` would make it 0).
    let rest_high = if total.interval.high.is_infinite() {
        f64::INFINITY
    } else {
        (total.interval.high - d.high).max(0.0)
    };
    let part = |x: f64, rest: f64| {
        if x.is_infinite() {
            1.0
        } else if rest.is_infinite() || x + rest <= 0.0 {
            0.0
        } else {
            x / (x + rest)
        }
    };
    let low = part(d.low, rest_high);
    let high = if d.high + rest_low <= 0.0 {
        1.0
    } else {
        part(d.high, rest_low)
    };
    let interval = Interval::new(low * 100.0, high.max(low) * 100.0)?;
    Figure::from_interval(interval, value.approx || total.approx, Unit::Percent)
}

/// `value_per_year`'s figure alone, without its formula.
/// `None` for a value bounded neither way, as `share_figure`.
pub fn per_year_figure(commitment: &Commitment) -> Option<Figure> {
    let value = commitment.value.as_ref().filter(|v| !v.is_unbounded())?;
    let term = commitment.term.as_ref()?;
    let years = term.years().filter(|y| *y > 0.0)?;
    let (q, v) = figure::quotient(value, value.value, term, years);
    Some(Figure::derived(q, v, Unit::MoneyPer(Period::Year)))
}

/// Value per year, where both value and term are known.
pub fn value_per_year(commitment: &Commitment) -> Option<Derived> {
    let value = commitment.value.as_ref()?;
    let term = commitment.term.as_ref()?;
    if value.is_unbounded() && term.years().is_some_and(|y| y > 0.0) {
        let formula = format!(
            "{} / {}{}",
            value.compact(),
            term.compact(),
            unbounded_because(UNBOUNDED_VALUE)
        );
        let mut d = derived(
            &format!("value_per_year:{}", commitment.id),
            "Value per year",
            DerivedValue::Unbounded(Unit::MoneyPer(Period::Year)),
            formula,
        );
        d.digits = Some(digits_of(&[value, term]));
        return Some(d);
    }
    let per_year = per_year_figure(commitment)?;
    let formula = format!(
        "{} / {} = {}",
        value.compact(),
        term.compact(),
        per_year.compact()
    );
    let mut d = derived(
        &format!("value_per_year:{}", commitment.id),
        "Value per year",
        DerivedValue::Figure(per_year),
        formula,
    );
    d.digits = Some(digits_of(&[value, term]));
    Some(d)
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
    let mut d = derived(
        "implied_cost_per_gw",
        "Implied cost per GW",
        DerivedValue::Figure(per_gw),
        formula,
    );
    d.digits = Some(digits_of(&[target_cost, target]));
    Some(d)
}

/// The day a capacity plan was stated: its own file's `as_of`. A set's
/// `as_of` is its latest file's, which may be months after the plan's
/// buyer said "1 GW a week"; the ramp counts from the plan's own day.
pub fn plan_as_of(dataset: &Dataset, plan: &Capacity) -> NaiveDate {
    dataset
        .files
        .get(plan.file)
        .map_or(dataset.as_of, |file| file.as_of)
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

/// Power already contracted to be online on the plan's day, which the
/// ramp starts from: the sure watts of one layer (`PowerLayer::as_str`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnlineAtStart {
    pub watts: f64,
    pub layer: &'static str,
}

pub fn ramp(
    as_of: NaiveDate,
    target: &Figure,
    build_rate: &Figure,
    cost_per_gw: Option<&Figure>,
    committed: Option<&Derived>,
    online: Option<OnlineAtStart>,
) -> Option<Ramp> {
    let per_week = build_rate.watts_per_week().filter(|w| *w > 0.0)?;
    // What is left to build once the power online on the day is counted,
    // over the pace, both as intervals: a range of targets is a range of
    // weeks, not its middle.
    let online_watts = online.map_or(0.0, |o| o.watts.max(0.0));
    let left = Interval::new(
        (target.interval.low - online_watts).max(0.0),
        (target.interval.high - online_watts).max(0.0),
    )?;
    let pace = build_rate.interval.scale(per_week / build_rate.value);
    let weeks_interval = left.div(pace);
    let approx = target.approx || build_rate.approx;
    let weeks_figure =
        weeks_interval.and_then(|i| Figure::from_interval(i, approx, Unit::Duration(Period::Week)));
    let left_text = match online {
        Some(o) if online_watts > 0.0 => {
            let online_figure = Figure::derived(Qualifier::Exact, online_watts, Unit::Power);
            format!(
                "({} − {} of {} online by {as_of})",
                target.compact(),
                online_figure.compact(),
                o.layer
            )
        }
        _ => target.compact(),
    };
    let (weeks_value, weeks_shown) = match &weeks_figure {
        Some(f) => (DerivedValue::Figure(f.clone()), f.compact()),
        None => (
            DerivedValue::Unbounded(Unit::Duration(Period::Week)),
            "unbounded either way".to_string(),
        ),
    };
    let mut weeks_to_target = derived(
        "weeks_to_target",
        "Weeks to target",
        weeks_value,
        format!("{left_text} / {} = {weeks_shown}", build_rate.compact()),
    );
    weeks_to_target.digits = Some(digits_of(&[target, build_rate]));
    let day_after = |weeks: f64| {
        let days = (weeks * 7.0).ceil();
        (days.is_finite() && days < 1e6)
            .then(|| as_of.checked_add_days(Days::new(days as u64)))
            .flatten()
    };
    let date_value = match &weeks_figure {
        Some(f) if f.interval.is_point() => day_after(f.value)
            .map_or(DerivedValue::Undisclosed, |d| {
                DerivedValue::Date(d, f.qualifier)
            }),
        Some(f) => match (day_after(f.interval.low), day_after(f.interval.high)) {
            (Some(from), Some(to)) => DerivedValue::DateRange(from, to),
            (Some(from), None) => DerivedValue::Date(from, Qualifier::Lower),
            _ => DerivedValue::Undisclosed,
        },
        None => DerivedValue::Undisclosed,
    };
    let date_to_target = derived(
        "date_to_target",
        "Target reached",
        date_value,
        format!("{as_of} + {weeks_shown}"),
    );
    let weeks = weeks_figure.as_ref().map_or(f64::INFINITY, |f| f.value);
    let money = |key: &str,
                 label: &str,
                 q: Qualifier,
                 v: f64,
                 unit: Unit,
                 formula: &str,
                 inputs: &[&Figure]| {
        let f = Figure::derived(q, v, unit);
        let formula = format!("{formula} = {}", f.compact());
        let mut d = derived(key, label, DerivedValue::Figure(f), formula);
        d.digits = Some(digits_of(inputs));
        d
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
                &[target, cost],
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
            &[build_rate, cost],
        )
    });
    // A pace, not a spend: a build shorter than a year spends less than
    // this in all, which the formula says beside the whole build's capex.
    let capex_per_year = capex_per_week.as_ref().and_then(|per_week| {
        let f = per_week.figure()?;
        let mut formula = format!("{} × 52.18 weeks", f.compact());
        let whole = capex.as_ref().and_then(|(_, _, d)| d.figure());
        if let Some(whole) = whole.filter(|_| weeks < Period::Year.weeks()) {
            formula = format!(
                "annualised pace; the build takes {}, all of it {}: {formula}",
                weeks_shown,
                whole.compact()
            );
        }
        let inputs: Vec<&Figure> = [Some(build_rate), cost_per_gw]
            .into_iter()
            .flatten()
            .collect();
        Some(money(
            "capex_per_year",
            "Capex per year (annualised pace)",
            f.qualifier,
            f.value * Period::Year.weeks(),
            Unit::MoneyPer(Period::Year),
            &formula,
            &inputs,
        ))
    });
    // Divides by the disclosed part of the committed total: the label,
    // formula and coverage say how many deals that is.
    let capex_vs_committed = capex.as_ref().and_then(|(_, _, capex_d)| {
        let capex = capex_d.figure()?;
        let total = committed?;
        let committed = total.figure()?;
        if committed.value <= 0.0 {
            return None;
        }
        // By interval arithmetic, as the ledger's ratios: a lower bound
        // over a lower bound could be any multiple, and says so.
        let (multiple, why) = ratio_value(capex, committed, 1.0, Unit::Ratio)?;
        let covers = total
            .covers
            .map(|(n, m)| format!(" (committed total: {n} of {m} deals disclosed)"))
            .unwrap_or_default();
        let result = match &multiple {
            DerivedValue::Figure(f) => format!(" = {}", f.compact()),
            _ => unbounded_because(why),
        };
        let formula = format!(
            "{} / {}{covers}{result}",
            capex.compact(),
            committed.compact()
        );
        let mut inputs: Vec<&Figure> = [Some(target), cost_per_gw].into_iter().flatten().collect();
        inputs.push(committed);
        let mut d = derived(
            "capex_vs_committed",
            "Capex as a multiple of disclosed commitments",
            multiple,
            formula,
        );
        d.digits = Some(digits_of(&inputs));
        d.covers = total.covers;
        d.covers_more = total.covers_more.clone();
        Some(d)
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

/// `a / b × scale` by interval arithmetic: `>26 GW / 30 GW` is `>86.7%`,
/// and `>1 GW / >1 GW` is `>0%`, as nothing more is known.
pub fn ratio(a: &Figure, b: &Figure, scale: f64, unit: Unit) -> Option<Figure> {
    let interval = a.interval.div(b.interval)?.scale(scale);
    Figure::from_interval(interval, a.approx || b.approx, unit)
}

/// `ratio` as a derived value: `Unbounded` where the quotient's interval is
/// everything from nothing to no end (a lower bound over a lower bound, an
/// upper over an upper), which a figure could only show as a misleading
/// ">0"; with why, for the formula.
pub(crate) fn ratio_value(
    a: &Figure,
    b: &Figure,
    scale: f64,
    unit: Unit,
) -> Option<(DerivedValue, &'static str)> {
    let interval = a.interval.div(b.interval)?;
    if interval.is_unbounded() {
        let why = match (
            a.interval.high == f64::INFINITY,
            b.interval.high == f64::INFINITY,
        ) {
            (true, true) => "a lower bound over a lower bound is bounded neither way",
            (false, false) => "an upper bound over an upper bound is bounded neither way",
            _ => "these bounds bound the ratio neither way",
        };
        return Some((DerivedValue::Unbounded(unit), why));
    }
    ratio(a, b, scale, unit).map(|f| (DerivedValue::Figure(f), ""))
}
