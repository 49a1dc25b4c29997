//! When a deal is in force, and whether the legs of a loop meet in time.
//!
//! A loop says money goes round; if one leg was paid in 2020 and the next
//! in 2026, each for a year or two, no money went round at all. So each
//! leg gets the days it is in force, from its deals' dates, and a loop is
//! marked when its legs are more than a year apart.
//!
//! The rule, in full:
//!
//! - A deal begins on the first of `announced` and `starts` (else on
//!   `online_by`, its only date), and ends on the last of its dates and of
//!   its term's end (the term runs from `starts`, else from `announced`,
//!   as on the timeline). A deal without a term lasts as long as its
//!   dates say: an investment announced in 2020 is money paid in 2020.
//! - A leg is in force from its first deal's beginning to its last deal's
//!   end (the deals that count).
//! - The legs meet when the latest beginning among them is at most a year
//!   (`MEET_WITHIN_DAYS`) after the earliest end: spans that overlap meet,
//!   and so do deals days apart with no term, as when one party pays and
//!   the other invests back the same month.
//! - A date is a span of days ("2026" is the whole year, "by 2026" any day
//!   up to its end), so the answer is `Some(true)` only when the legs meet
//!   whichever days their dates turn out to be, `Some(false)` only when
//!   they are more than a year apart whichever days, and `None` otherwise:
//!   when a leg has no date, or a date too loose to tell. Unknown timing is
//!   never taken for either.

use chrono::NaiveDate;

use crate::data::Commitment;
use crate::figure::HedgedDate;

/// How far apart, in days, the latest beginning of a loop's legs may be
/// from the earliest end for the legs to meet: a year, so that a deal and
/// the investment back a few months later meet, and deals of different
/// years with short terms do not.
pub const MEET_WITHIN_DAYS: i64 = 365;

/// The days a deal or a leg is in force: when it begins and when it ends,
/// each as hedged as the dates it comes from (`HedgedDate::earliest` and
/// `latest`; no limit where a date gives none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    pub begins: HedgedDate,
    pub ends: HedgedDate,
}

/// Any day at all: what an undated deal may be.
const ANY_DAY: HedgedDate = HedgedDate {
    earliest: None,
    latest: None,
    kind: crate::figure::DateKind::Unbounded,
    approx: false,
};

impl InForce {
    /// A deal's days (see the module's rule); any day at all when the deal
    /// gives no date.
    pub fn of_deal(c: &Commitment) -> InForce {
        let starts = c.starts();
        let begins = match (c.announced, starts) {
            (None, None) => c.online_by,
            (Some(one), None) | (None, Some(one)) => Some(one),
            (Some(announced), Some(starts)) => first(&[announced, starts]),
        };
        let Some(begins) = begins else {
            return InForce::unknown();
        };
        let term_end = c.term.as_ref().and_then(|term| {
            let from = starts.or(c.announced)?;
            // A term too long for the calendar ends no day we can name.
            Some(from.plus(term).unwrap_or(HedgedDate {
                latest: None,
                ..from
            }))
        });
        // On the stack: a loop's legs may hold most of 100k deals.
        let mut dates = [ANY_DAY; 4];
        let mut n = 0;
        for date in [c.announced, starts, c.online_by, term_end]
            .into_iter()
            .flatten()
        {
            dates[n] = date;
            n += 1;
        }
        let ends = last(&dates[..n]).unwrap_or(begins);
        InForce { begins, ends }
    }

    /// Days nothing is known of.
    pub fn unknown() -> InForce {
        InForce {
            begins: ANY_DAY,
            ends: ANY_DAY,
        }
    }

    /// From the first beginning to the last end among `spans`: a leg of
    /// several deals. Unknown when there are none.
    pub fn hull(spans: impl IntoIterator<Item = InForce>) -> InForce {
        let (begins, ends): (Vec<HedgedDate>, Vec<HedgedDate>) =
            spans.into_iter().map(|s| (s.begins, s.ends)).unzip();
        match (first(&begins), last(&ends)) {
            (Some(begins), Some(ends)) => InForce { begins, ends },
            _ => InForce::unknown(),
        }
    }

    /// The days the deals `deals` (indices into `commitments`) are in force.
    pub fn of_deals(commitments: &[Commitment], deals: &[usize]) -> InForce {
        InForce::hull(
            deals
                .iter()
                .filter_map(|&i| commitments.get(i))
                .map(InForce::of_deal),
        )
    }
}

/// The first of several dates: it may be as early as the earliest of them
/// may, and is no later than the earliest of their latest days.
fn first(dates: &[HedgedDate]) -> Option<HedgedDate> {
    let earliest = dates
        .iter()
        .map(|d| d.earliest)
        .collect::<Option<Vec<_>>>()
        .and_then(|days| days.into_iter().min());
    let latest = dates.iter().filter_map(|d| d.latest).min();
    combined(dates, earliest, latest)
}

/// The last of several dates: no earlier than the latest of their earliest
/// days, and as late as the latest of them may be.
fn last(dates: &[HedgedDate]) -> Option<HedgedDate> {
    let earliest = dates.iter().filter_map(|d| d.earliest).max();
    let latest = dates
        .iter()
        .map(|d| d.latest)
        .collect::<Option<Vec<_>>>()
        .and_then(|days| days.into_iter().max());
    combined(dates, earliest, latest)
}

fn combined(
    dates: &[HedgedDate],
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
) -> Option<HedgedDate> {
    match dates {
        [] => None,
        [one] => Some(*one),
        _ => Some(HedgedDate::between(
            earliest,
            latest,
            dates.iter().any(|d| d.approx),
        )),
    }
}

/// Whether the legs meet in time (see the module's rule): `Some(true)`
/// whichever days their dates turn out to be, `Some(false)` when they are
/// more than `MEET_WITHIN_DAYS` apart whichever days, `None` when the
/// dates cannot tell.
pub fn overlapping(legs: &[InForce]) -> Option<bool> {
    if legs.is_empty() {
        return None;
    }
    let gap = |latest_begin: Option<NaiveDate>, earliest_end: Option<NaiveDate>| {
        Some((latest_begin? - earliest_end?).num_days())
    };
    // At their closest: the latest beginning as early as it may be, the
    // earliest end as late as it may be. A beginning with no lower limit
    // may be as early as the others', so it does not move the latest.
    let closest = gap(
        legs.iter().filter_map(|l| l.begins.earliest).max(),
        legs.iter().filter_map(|l| l.ends.latest).min(),
    );
    if closest.is_some_and(|days| days > MEET_WITHIN_DAYS) {
        return Some(false);
    }
    // At their farthest: every leg's bound is needed, as a leg open at one
    // end may be any distance away.
    let farthest = gap(
        legs.iter()
            .map(|l| l.begins.latest)
            .collect::<Option<Vec<_>>>()
            .and_then(|days| days.into_iter().max()),
        legs.iter()
            .map(|l| l.ends.earliest)
            .collect::<Option<Vec<_>>>()
            .and_then(|days| days.into_iter().min()),
    );
    if farthest.is_some_and(|days| days <= MEET_WITHIN_DAYS) {
        return Some(true);
    }
    None
}

/// How a loop's timing reads after its legs, in formulas and on screen.
pub fn overlap_words(overlapping: Option<bool>) -> &'static str {
    match overlapping {
        Some(true) => "legs within a year of each other",
        Some(false) => "legs more than a year apart",
        None => "timing unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> HedgedDate {
        HedgedDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn span(begins: &str, ends: &str) -> InForce {
        InForce {
            begins: date(begins),
            ends: date(ends),
        }
    }

    #[test]
    fn legs_meet_within_a_year_and_not_beyond() {
        assert_eq!(
            overlapping(&[span("2025-01", "2025-01"), span("2025-12", "2025-12")]),
            Some(true)
        );
        assert_eq!(
            overlapping(&[span("2020", "2021"), span("2026", "2028")]),
            Some(false)
        );
        // A long leg meets a short one inside it, but does not bring
        // together two short ones years apart.
        assert_eq!(
            overlapping(&[
                span("2020", "2030"),
                span("2021-03", "2021-03"),
                span("2029-06", "2029-06"),
            ]),
            Some(false)
        );
        assert_eq!(
            overlapping(&[span("2020", "2030"), span("2021-03", "2021-03")]),
            Some(true)
        );
    }

    #[test]
    fn loose_dates_claim_neither() {
        // "2026" as a whole year: 11 to 24 months after Jan 2025.
        assert_eq!(
            overlapping(&[span("2025-01", "2025-01"), span("2026", "2026")]),
            None
        );
        assert_eq!(
            overlapping(&[span("2020", "2020"), span("by 2026", "by 2026")]),
            None
        );
        assert_eq!(
            overlapping(&[span("2020", "2020"), InForce::unknown()]),
            None
        );
        // Two legs years apart stay apart whatever a third, undated, is.
        assert_eq!(
            overlapping(&[
                span("2020", "2020"),
                span("2026", "2026"),
                InForce::unknown()
            ]),
            Some(false)
        );
    }

    /// As on the timeline, the term runs from when delivery starts.
    #[test]
    fn a_deal_runs_from_its_first_date_to_its_terms_end() {
        let text = r#"
format = 2
[dataset]
title = "term"
as_of = 2025-06-01
[[sources]]
id = "s"
title = "S"
[[parties]]
id = "lab"
name = "Lab"
kind = "lab"
[[parties]]
id = "cloud"
name = "Cloud"
kind = "cloud"
[[commitments]]
id = "term"
buyer = "lab"
provider = "cloud"
value = "$10bn"
term = "2 years"
announced = 2025-01-01
starts = 2026-01-01
status = "signed"
[[commitments]]
id = "bare"
buyer = "lab"
provider = "cloud"
status = "signed"
"#;
        let d =
            crate::data::load_str(text, "term.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        let deal = InForce::of_deal(&d.commitments[0]);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(deal.begins.day(), day(2025, 1, 1));
        let end = deal.ends.earliest.unwrap_or_default();
        assert!(
            day(2027, 12, 30) <= Some(end) && Some(end) <= day(2028, 1, 2),
            "{end}"
        );
        assert_eq!(InForce::of_deal(&d.commitments[1]), InForce::unknown());
    }

    #[test]
    fn a_leg_runs_from_its_first_deal_to_its_last() {
        let leg = InForce::hull([span("2025-03", "2026"), span("2024", "2025-06")]);
        assert_eq!(leg.begins.earliest, date("2024").earliest);
        assert_eq!(leg.begins.latest, date("2024").latest);
        assert_eq!(leg.ends.earliest, date("2026").earliest);
        assert_eq!(leg.ends.latest, date("2026").latest);
        assert_eq!(InForce::hull([]), InForce::unknown());
    }
}
