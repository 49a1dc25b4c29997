//! Hedged dates: sources date things loosely ("second half of 2026", "by
//! the end of 2029", "last week"), and a date keeps that looseness as an
//! interval of days plus how it was said.
//!
//! | written | interval | shown |
//! | --- | --- | --- |
//! | TOML date `2025-11-03`, `"2025-11-03"` | that day | `2025-11-03` |
//! | `"2025-11"`, `"Nov 2025"` | that month | `Nov 2025` |
//! | `"2026-Q3"`, `"Q3 2026"` | that quarter | `Q3 2026` |
//! | `"2026-H2"`, `"H2 2026"` | that half | `H2 2026` |
//! | `"2026"` | that year | `2026` |
//! | `"week of 2025-10-27"`, `"wk 2025-10-27"` | that Monday to Sunday | `wk 2025-10-27` |
//! | `"by 2026-12-31"`, `"by end of 2026"`, `"by 2026"` | up to the span's last day | `by 2026-12-31`, `by end-2026` |
//! | `"before 2027"`, `"before 2026-07-01"` | up to the day before the span | `by end-2026`, `by 2026-06-30` |
//! | `"from 2027"`, `"starting 2026-H2"` | from the span's first day | `from 2027`, `from H2 2026` |
//! | `"after 2026-06"` | from the day after the span | `from Jul 2026` |
//! | `"about 2026-06"`, `"~2026-06"` | the span, approximate | `~Jun 2026` |
//! | `"2026-01 to 2026-03"` | first day of one to last of the other | `Jan 2026 to Mar 2026` |
//!
//! Choices made here, which the format leaves open:
//!
//! - "week of" must name a Monday: a week is named by its first day, and a
//!   Wednesday there is more likely a slip than a week starting Wednesday.
//!   The error names the Monday to write instead.
//! - "before X" and "after X" are strict ("before 2027" ends on
//!   2026-12-31; "after 2026-06" starts on 2026-07-01), as a reader takes
//!   them; "by X" and "from X" include X.
//! - Years are four digits, 0001 to 9999.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{Figure, Unit};

/// A stretch of the calendar a source may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Span {
    Day(NaiveDate),
    /// Named by its Monday.
    Week(NaiveDate),
    // Months, quarters and halves are counted in bytes: a span is then 8
    // bytes, and a hedged date (two spans for "from X to Y") 28, not 36.
    Month {
        year: i32,
        month: u8,
    },
    Quarter {
        year: i32,
        quarter: u8,
    },
    Half {
        year: i32,
        half: u8,
    },
    Year(i32),
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Span {
    /// The first month of the span and how many months it runs, for the
    /// spans made of months.
    fn months(self) -> Option<(i32, u32, u32)> {
        match self {
            Span::Day(_) | Span::Week(_) => None,
            Span::Month { year, month } => Some((year, u32::from(month), 1)),
            Span::Quarter { year, quarter } => {
                Some((year, u32::from(quarter).checked_mul(3)?.checked_sub(2)?, 3))
            }
            Span::Half { year, half } => {
                Some((year, u32::from(half).checked_mul(6)?.checked_sub(5)?, 6))
            }
            Span::Year(year) => Some((year, 1, 12)),
        }
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        match self {
            Span::Day(d) | Span::Week(d) => Some(d),
            _ => {
                let (year, month, _) = self.months()?;
                NaiveDate::from_ymd_opt(year, month, 1)
            }
        }
    }

    pub fn last_day(self) -> Option<NaiveDate> {
        match self {
            Span::Day(d) => Some(d),
            Span::Week(d) => d.checked_add_days(Days::new(6)),
            _ => {
                let (year, month, count) = self.months()?;
                let next = month + count;
                let first_after = if next > 12 {
                    NaiveDate::from_ymd_opt(year.checked_add(1)?, next - 12, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, next, 1)?
                };
                first_after.pred_opt()
            }
        }
    }

    /// The span of the same size just before this one.
    fn previous(self) -> Option<Span> {
        Some(match self {
            Span::Day(d) => Span::Day(d.pred_opt()?),
            Span::Week(d) => Span::Week(d.checked_sub_days(Days::new(7))?),
            Span::Month { year, month: 1 } => Span::Month {
                year: year - 1,
                month: 12,
            },
            Span::Month { year, month } => Span::Month {
                year,
                month: month - 1,
            },
            Span::Quarter { year, quarter: 1 } => Span::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Span::Quarter { year, quarter } => Span::Quarter {
                year,
                quarter: quarter - 1,
            },
            Span::Half { year, half: 1 } => Span::Half {
                year: year - 1,
                half: 2,
            },
            Span::Half { year, .. } => Span::Half { year, half: 1 },
            Span::Year(year) => Span::Year(year - 1),
        })
        .filter(|s| s.in_range())
    }

    /// The span of the same size just after this one.
    fn next(self) -> Option<Span> {
        Some(match self {
            Span::Day(d) => Span::Day(d.succ_opt()?),
            Span::Week(d) => Span::Week(d.checked_add_days(Days::new(7))?),
            Span::Month { year, month: 12 } => Span::Month {
                year: year + 1,
                month: 1,
            },
            Span::Month { year, month } => Span::Month {
                year,
                month: month + 1,
            },
            Span::Quarter { year, quarter: 4 } => Span::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Span::Quarter { year, quarter } => Span::Quarter {
                year,
                quarter: quarter + 1,
            },
            Span::Half { year, half: 2 } => Span::Half {
                year: year + 1,
                half: 1,
            },
            Span::Half { year, .. } => Span::Half { year, half: 2 },
            Span::Year(year) => Span::Year(year + 1),
        })
        .filter(|s| s.in_range())
    }

    fn year(self) -> i32 {
        match self {
            Span::Day(d) | Span::Week(d) => d.year(),
            Span::Month { year, .. }
            | Span::Quarter { year, .. }
            | Span::Half { year, .. }
            | Span::Year(year) => year,
        }
    }

    fn in_range(self) -> bool {
        (1..=9999).contains(&self.year()) && self.last_day().is_some_and(|d| d.year() <= 9999)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Span::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Span::Week(d) => write!(f, "wk {}", d.format("%Y-%m-%d")),
            Span::Month { year, month } => {
                let name = (month as usize)
                    .checked_sub(1)
                    .and_then(|i| MONTHS.get(i))
                    .copied()
                    .unwrap_or("?");
                write!(f, "{name} {year:04}")
            }
            Span::Quarter { year, quarter } => write!(f, "Q{quarter} {year:04}"),
            Span::Half { year, half } => write!(f, "H{half} {year:04}"),
            Span::Year(year) => write!(f, "{year:04}"),
        }
    }
}

/// How a hedged date was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateKind {
    /// Within the span: "2025-11-03", "Nov 2025", "H2 2026", "wk 2025-10-27".
    In(Span),
    /// On or before the span's last day: "by 2026-12-31", "by end-2026".
    By(Span),
    /// On or after the span's first day: "from 2027".
    From(Span),
    /// From the first day of one span to the last day of another, as
    /// written ("2026-01 to 2026-03") or computed.
    Between(Span, Span),
    /// Computed from dates and durations open at both ends.
    Unbounded,
}

/// A date as a source gave it: the days it may be, and how it was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HedgedDate {
    /// The first day it may be; `None`: no limit ("by 2026").
    pub earliest: Option<NaiveDate>,
    /// The last day it may be; `None`: no limit ("from 2027").
    pub latest: Option<NaiveDate>,
    pub kind: DateKind,
    /// "about", "~": the interval itself is hedged.
    pub approx: bool,
}

/// "cannot read "Q5" in "Q5 2026"", or, where the word is the whole text,
/// "cannot read "yesterday" as a date" rather than saying it twice.
fn unreadable(word: &str, text: &str) -> String {
    if word == text {
        format!("cannot read {word:?} as a date")
    } else {
        format!("cannot read {word:?} in {text:?}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("empty date")]
    Empty,
    #[error("{}", unreadable(.word, .text))]
    Unreadable { word: String, text: String },
    #[error("no date after {after:?} in {text:?}")]
    Missing { after: String, text: String },
    #[error("quarter must be 1–4, found {found:?} in {text:?}")]
    Quarter { found: String, text: String },
    #[error("half must be 1 or 2 (H1, H2), found {found:?} in {text:?}")]
    Half { found: String, text: String },
    #[error("month must be 01–12, found {found:?} in {text:?}")]
    Month { found: String, text: String },
    #[error("year must be four digits, 0001–9999, found {found:?} in {text:?}")]
    Year { found: String, text: String },
    #[error("{found:?} is not a day of the calendar in {text:?}")]
    Day { found: String, text: String },
    #[error(
        "a week is named by its Monday: {day} is a {weekday}, in {text:?}; \
         write \"week of {monday}\""
    )]
    NotMonday {
        day: NaiveDate,
        weekday: String,
        monday: NaiveDate,
        text: String,
    },
    #[error("{0:?} ends before it starts")]
    Backwards(String),
    #[error("a date computed from {0} falls outside the years 0001–9999")]
    OutOfRange(String),
    #[error("cannot add {0} to a date: not a duration, or negative")]
    BadDuration(String),
}

impl HedgedDate {
    /// One known day: a TOML date.
    pub fn exact(day: NaiveDate) -> HedgedDate {
        HedgedDate::within(Span::Day(day), false).unwrap_or(HedgedDate {
            earliest: Some(day),
            latest: Some(day),
            kind: DateKind::In(Span::Day(day)),
            approx: false,
        })
    }

    /// A TOML date (no time, no offset) as an exact day.
    pub fn from_toml(value: &toml::value::Datetime) -> Result<HedgedDate, DateError> {
        let text = value.to_string();
        let date = match (value.date, value.time, value.offset) {
            (Some(date), None, None) => date,
            _ => {
                return Err(DateError::Unreadable {
                    word: text.clone(),
                    text,
                });
            }
        };
        let day = NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| DateError::Day {
            found: text.clone(),
            text: text.clone(),
        })?;
        if !(1..=9999).contains(&day.year()) {
            return Err(DateError::Year {
                found: day.year().to_string(),
                text,
            });
        }
        Ok(HedgedDate::exact(day))
    }

    fn within(span: Span, approx: bool) -> Option<HedgedDate> {
        Some(HedgedDate {
            earliest: Some(span.first_day()?),
            latest: Some(span.last_day()?),
            kind: DateKind::In(span),
            approx,
        })
    }

    fn by(span: Span, approx: bool) -> Option<HedgedDate> {
        Some(HedgedDate {
            earliest: None,
            latest: Some(span.last_day()?),
            kind: DateKind::By(span),
            approx,
        })
    }

    fn from(span: Span, approx: bool) -> Option<HedgedDate> {
        Some(HedgedDate {
            earliest: Some(span.first_day()?),
            latest: None,
            kind: DateKind::From(span),
            approx,
        })
    }

    /// A date between two days, either open; the kind follows the ends.
    pub fn between(
        earliest: Option<NaiveDate>,
        latest: Option<NaiveDate>,
        approx: bool,
    ) -> HedgedDate {
        let kind = match (earliest, latest) {
            (Some(a), Some(b)) if a == b => DateKind::In(Span::Day(a)),
            (Some(a), Some(b)) => DateKind::Between(Span::Day(a), Span::Day(b)),
            (None, Some(b)) => DateKind::By(Span::Day(b)),
            (Some(a), None) => DateKind::From(Span::Day(a)),
            (None, None) => DateKind::Unbounded,
        };
        HedgedDate {
            earliest,
            latest,
            kind,
            approx,
        }
    }

    /// Parses a hedged date string (see the module's table).
    pub fn parse(text: &str) -> Result<HedgedDate, DateError> {
        let written = text.trim();
        if written.is_empty() {
            return Err(DateError::Empty);
        }
        let mut rest = written;
        let mut approx = false;
        for prefix in [
            "approximately ",
            "roughly ",
            "around ",
            "about ",
            "circa ",
            "c. ",
            "~",
        ] {
            if let Some(after) = strip_prefix_ignore_case(written, prefix) {
                approx = true;
                rest = after.trim_start();
                break;
            }
        }
        #[derive(Clone, Copy)]
        enum Hedge {
            By,
            Before,
            From,
            After,
        }
        let mut hedge = None;
        for (prefix, h) in [
            ("by the end of ", Hedge::By),
            ("by end of ", Hedge::By),
            ("by end-", Hedge::By),
            ("by ", Hedge::By),
            ("no later than ", Hedge::By),
            ("before ", Hedge::Before),
            ("starting in ", Hedge::From),
            ("starting ", Hedge::From),
            ("from ", Hedge::From),
            ("on or after ", Hedge::From),
            ("after ", Hedge::After),
        ] {
            if let Some(after) = strip_prefix_ignore_case(rest, prefix) {
                hedge = Some(h);
                rest = after.trim_start();
                break;
            }
        }
        let bare_hedge = ["by", "before", "from", "after", "starting"]
            .iter()
            .any(|h| h.eq_ignore_ascii_case(rest));
        if rest.is_empty() || bare_hedge {
            return Err(DateError::Missing {
                after: written.to_string(),
                text: written.to_string(),
            });
        }
        let out_of_range = || DateError::OutOfRange(written.to_string());
        if hedge.is_none()
            && let Some(i) = rest
                .as_bytes()
                .windows(4)
                .position(|w| w.eq_ignore_ascii_case(b" to "))
        {
            let from = parse_span(rest[..i].trim(), written)?;
            let to = parse_span(rest[i + 4..].trim(), written)?;
            let earliest = from.first_day().ok_or_else(out_of_range)?;
            let latest = to.last_day().ok_or_else(out_of_range)?;
            if latest < earliest {
                return Err(DateError::Backwards(written.to_string()));
            }
            return Ok(HedgedDate {
                earliest: Some(earliest),
                latest: Some(latest),
                kind: DateKind::Between(from, to),
                approx,
            });
        }
        let span = parse_span(rest, written)?;
        let date = match hedge {
            None => HedgedDate::within(span, approx),
            Some(Hedge::By) => HedgedDate::by(span, approx),
            Some(Hedge::Before) => span.previous().and_then(|s| HedgedDate::by(s, approx)),
            Some(Hedge::From) => HedgedDate::from(span, approx),
            Some(Hedge::After) => span.next().and_then(|s| HedgedDate::from(s, approx)),
        };
        date.ok_or_else(out_of_range)
    }

    /// The day to place it at on a timeline: the earliest day it may be,
    /// else the latest ("by 2026"); `None` only when open at both ends.
    pub fn anchor(&self) -> Option<NaiveDate> {
        self.earliest.or(self.latest)
    }

    /// Whether it is one known day.
    pub fn is_exact(&self) -> bool {
        !self.approx && matches!(self.kind, DateKind::In(Span::Day(_)))
    }

    /// The one day, when exact.
    pub fn day(&self) -> Option<NaiveDate> {
        self.is_exact().then_some(self.earliest).flatten()
    }

    /// Shifted by `low` days at the earliest and `high` at the latest
    /// (`None`: no limit), e.g. a start date plus a duration "5 to 7 weeks".
    /// The result is as hedged as both: exact plus exact is exact.
    pub fn plus_days(&self, low: u64, high: Option<u64>) -> Result<HedgedDate, DateError> {
        let what = || {
            let high = high.map_or("∞".to_string(), |h| h.to_string());
            format!("{self} + {low}–{high} days")
        };
        let shift = |d: NaiveDate, n: u64| {
            d.checked_add_days(Days::new(n))
                .filter(|d| d.year() <= 9999)
                .ok_or_else(|| DateError::OutOfRange(what()))
        };
        if let Some(h) = high
            && h < low
        {
            return Err(DateError::Backwards(what()));
        }
        if low == 0 && high == Some(0) {
            return Ok(*self);
        }
        let earliest = self.earliest.map(|d| shift(d, low)).transpose()?;
        let latest = match (self.latest, high) {
            (Some(d), Some(h)) => Some(shift(d, h)?),
            _ => None,
        };
        Ok(HedgedDate::between(earliest, latest, self.approx))
    }

    /// Shifted by a number of weeks (fractions round up to whole days, as
    /// the ramp counts them); `high` may be `f64::INFINITY`.
    pub fn plus_weeks(&self, low: f64, high: f64) -> Result<HedgedDate, DateError> {
        let days = |w: f64| -> Result<Option<u64>, DateError> {
            if w.is_nan() || w < 0.0 {
                return Err(DateError::BadDuration(format!("{w} weeks")));
            }
            if w == f64::INFINITY {
                return Ok(None);
            }
            let d = (w * 7.0).ceil();
            // Past 9999 years of days, any date would be out of range.
            if d > 4.0e6 {
                return Err(DateError::OutOfRange(format!("{self} + {w} weeks")));
            }
            Ok(Some(d as u64))
        };
        let low_days = days(low)?.ok_or_else(|| DateError::BadDuration(format!("{low} weeks")))?;
        self.plus_days(low_days, days(high)?)
    }

    /// Shifted by a hedged duration: "~7 years", "5 to 10 weeks", "at least
    /// 30 weeks". An approximate duration makes the date approximate.
    pub fn plus(&self, duration: &Figure) -> Result<HedgedDate, DateError> {
        let Unit::Duration(period) = duration.unit else {
            return Err(DateError::BadDuration(duration.compact()));
        };
        let weeks = period.weeks();
        let mut date = self.plus_weeks(
            duration.interval.low * weeks,
            duration.interval.high * weeks,
        )?;
        date.approx |= duration.approx;
        Ok(date)
    }
}

/// A span: a day, week, month, quarter, half or year.
fn parse_span(s: &str, written: &str) -> Result<Span, DateError> {
    let unreadable = |word: &str| DateError::Unreadable {
        word: word.to_string(),
        text: written.to_string(),
    };
    if let Some(day) =
        strip_prefix_ignore_case(s, "week of ").or_else(|| strip_prefix_ignore_case(s, "wk "))
    {
        let day = day.trim();
        let Span::Day(d) = parse_numeric(day, written)? else {
            return Err(unreadable(day));
        };
        if d.weekday() != Weekday::Mon {
            let back = u64::from(d.weekday().num_days_from_monday());
            return Err(DateError::NotMonday {
                day: d,
                weekday: format!("{:?}", d.weekday()),
                monday: d.checked_sub_days(Days::new(back)).unwrap_or(d),
                text: written.to_string(),
            });
        }
        return Ok(Span::Week(d));
    }
    // "Q3 2026", "H2 2026", "Nov 2025", "November 2025".
    if let Some((head, year)) = s.split_once(' ') {
        let year = parse_year(year.trim(), written)?;
        if let Some(n) = strip_prefix_ignore_case(head, "q") {
            return quarter(n, head, year, written);
        }
        if let Some(n) = strip_prefix_ignore_case(head, "h") {
            return half(n, head, year, written);
        }
        let month = MONTHS
            .iter()
            .chain(&MONTH_NAMES)
            .position(|m| m.eq_ignore_ascii_case(head))
            .map(|i| i % 12)
            .ok_or_else(|| unreadable(head))?;
        return Ok(Span::Month {
            year,
            month: month as u8 + 1,
        });
    }
    parse_numeric(s, written)
}

/// "2025-11-03", "2025-11", "2026-Q3", "2026-H2", "2026".
fn parse_numeric(s: &str, written: &str) -> Result<Span, DateError> {
    let mut parts = s.split('-');
    let year_text = parts.next().unwrap_or_default();
    let year = parse_year(year_text, written)?;
    let Some(second) = parts.next() else {
        return Ok(Span::Year(year));
    };
    if let Some(n) = strip_prefix_ignore_case(second, "q") {
        return match parts.next() {
            None => quarter(n, second, year, written),
            Some(extra) => Err(unread(extra, written)),
        };
    }
    if let Some(n) = strip_prefix_ignore_case(second, "h") {
        return match parts.next() {
            None => half(n, second, year, written),
            Some(extra) => Err(unread(extra, written)),
        };
    }
    let month = two_digits(second).ok_or_else(|| unread(second, written))?;
    if !(1..=12).contains(&month) {
        return Err(DateError::Month {
            found: second.to_string(),
            text: written.to_string(),
        });
    }
    let Some(third) = parts.next() else {
        return Ok(Span::Month {
            year,
            month: month as u8,
        });
    };
    if let Some(extra) = parts.next() {
        return Err(unread(extra, written));
    }
    let day = two_digits(third).ok_or_else(|| unread(third, written))?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(Span::Day)
        .ok_or_else(|| DateError::Day {
            found: s.to_string(),
            text: written.to_string(),
        })
}

/// `text` after `prefix` (ASCII), its letters in any case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    // The bytes equal an ASCII prefix's, so the rest starts on a character.
    head.eq_ignore_ascii_case(prefix.as_bytes())
        .then(|| &text[prefix.len()..])
}

fn unread(word: &str, written: &str) -> DateError {
    DateError::Unreadable {
        word: if word.is_empty() { "-" } else { word }.to_string(),
        text: written.to_string(),
    }
}

fn two_digits(s: &str) -> Option<u32> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn parse_year(s: &str, written: &str) -> Result<i32, DateError> {
    if !s.bytes().all(|b| b.is_ascii_digit()) || s.is_empty() {
        return Err(unread(s, written));
    }
    match s.parse::<i32>() {
        Ok(y) if s.len() == 4 && y >= 1 => Ok(y),
        _ => Err(DateError::Year {
            found: s.to_string(),
            text: written.to_string(),
        }),
    }
}

fn quarter(n: &str, found: &str, year: i32, written: &str) -> Result<Span, DateError> {
    match n {
        "1" | "2" | "3" | "4" => Ok(Span::Quarter {
            year,
            quarter: n.as_bytes()[0] - b'0',
        }),
        _ => Err(DateError::Quarter {
            found: found.to_string(),
            text: written.to_string(),
        }),
    }
}

fn half(n: &str, found: &str, year: i32, written: &str) -> Result<Span, DateError> {
    match n {
        "1" | "2" => Ok(Span::Half {
            year,
            half: n.as_bytes()[0] - b'0',
        }),
        _ => Err(DateError::Half {
            found: found.to_string(),
            text: written.to_string(),
        }),
    }
}

impl fmt::Display for HedgedDate {
    /// Keeps the precision it was given: "Nov 2025", "by end-2026",
    /// "~Jun 2026", "2025-11-03".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approx {
            f.write_str("~")?;
        }
        match self.kind {
            DateKind::In(span) => write!(f, "{span}"),
            DateKind::By(span @ Span::Day(_)) => write!(f, "by {span}"),
            DateKind::By(span) => write!(f, "by end-{span}"),
            DateKind::From(span) => write!(f, "from {span}"),
            DateKind::Between(a, b) => write!(f, "{a} to {b}"),
            DateKind::Unbounded => f.write_str("any time"),
        }
    }
}

impl Ord for HedgedDate {
    /// Earliest day first (no limit before any day), then latest day (no
    /// limit after any day), then how it was said, so that the order agrees
    /// with equality.
    fn cmp(&self, other: &Self) -> Ordering {
        let latest = |d: &HedgedDate| (d.latest.is_none(), d.latest);
        self.earliest
            .cmp(&other.earliest)
            .then_with(|| latest(self).cmp(&latest(other)))
            .then_with(|| self.kind.cmp(&other.kind))
            .then_with(|| self.approx.cmp(&other.approx))
    }
}

impl PartialOrd for HedgedDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23, item 14: a date that is one unreadable word says so once.
    #[test]
    fn an_unreadable_date_is_named_once() {
        let said = |text: &str| HedgedDate::parse(text).expect_err(text).to_string();
        assert_eq!(said("yesterday"), "cannot read \"yesterday\" as a date");
        assert_eq!(
            said("Q5 2026"),
            "quarter must be 1–4, found \"Q5\" in \"Q5 2026\""
        );
        assert!(said("soonish 2026").contains("in \"soonish 2026\""));
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn parse(s: &str) -> HedgedDate {
        HedgedDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn reads_every_form() {
        // (written, earliest, latest, approx, shown)
        type Case = (
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            bool,
            &'static str,
        );
        let cases: &[Case] = &[
            (
                "2025-11-03",
                Some("2025-11-03"),
                Some("2025-11-03"),
                false,
                "2025-11-03",
            ),
            (
                "2025-11",
                Some("2025-11-01"),
                Some("2025-11-30"),
                false,
                "Nov 2025",
            ),
            (
                "2024-02",
                Some("2024-02-01"),
                Some("2024-02-29"),
                false,
                "Feb 2024",
            ),
            (
                "2026-Q3",
                Some("2026-07-01"),
                Some("2026-09-30"),
                false,
                "Q3 2026",
            ),
            (
                "2026-q4",
                Some("2026-10-01"),
                Some("2026-12-31"),
                false,
                "Q4 2026",
            ),
            (
                "2026-H2",
                Some("2026-07-01"),
                Some("2026-12-31"),
                false,
                "H2 2026",
            ),
            (
                "2026-H1",
                Some("2026-01-01"),
                Some("2026-06-30"),
                false,
                "H1 2026",
            ),
            (
                "2026",
                Some("2026-01-01"),
                Some("2026-12-31"),
                false,
                "2026",
            ),
            (
                "week of 2025-10-27",
                Some("2025-10-27"),
                Some("2025-11-02"),
                false,
                "wk 2025-10-27",
            ),
            (
                "by 2026-12-31",
                None,
                Some("2026-12-31"),
                false,
                "by 2026-12-31",
            ),
            (
                "by end of 2026",
                None,
                Some("2026-12-31"),
                false,
                "by end-2026",
            ),
            (
                "by the end of 2029",
                None,
                Some("2029-12-31"),
                false,
                "by end-2029",
            ),
            ("By 2026", None, Some("2026-12-31"), false, "by end-2026"),
            (
                "before 2027",
                None,
                Some("2026-12-31"),
                false,
                "by end-2026",
            ),
            (
                "before 2026-07-01",
                None,
                Some("2026-06-30"),
                false,
                "by 2026-06-30",
            ),
            (
                "before 2026-H2",
                None,
                Some("2026-06-30"),
                false,
                "by end-H1 2026",
            ),
            (
                "before 2026-01",
                None,
                Some("2025-12-31"),
                false,
                "by end-Dec 2025",
            ),
            (
                "by 2026-Q1",
                None,
                Some("2026-03-31"),
                false,
                "by end-Q1 2026",
            ),
            ("from 2027", Some("2027-01-01"), None, false, "from 2027"),
            (
                "after 2026-06",
                Some("2026-07-01"),
                None,
                false,
                "from Jul 2026",
            ),
            (
                "after 2026-12",
                Some("2027-01-01"),
                None,
                false,
                "from Jan 2027",
            ),
            (
                "after 2026-H2",
                Some("2027-01-01"),
                None,
                false,
                "from H1 2027",
            ),
            (
                "starting 2026-H2",
                Some("2026-07-01"),
                None,
                false,
                "from H2 2026",
            ),
            (
                "about 2026-06",
                Some("2026-06-01"),
                Some("2026-06-30"),
                true,
                "~Jun 2026",
            ),
            (
                "~2026-06",
                Some("2026-06-01"),
                Some("2026-06-30"),
                true,
                "~Jun 2026",
            ),
            (
                "around 2026",
                Some("2026-01-01"),
                Some("2026-12-31"),
                true,
                "~2026",
            ),
            (
                "~by end of 2026",
                None,
                Some("2026-12-31"),
                true,
                "~by end-2026",
            ),
            (
                "2026-01 to 2026-03",
                Some("2026-01-01"),
                Some("2026-03-31"),
                false,
                "Jan 2026 to Mar 2026",
            ),
            (
                "November 2025",
                Some("2025-11-01"),
                Some("2025-11-30"),
                false,
                "Nov 2025",
            ),
        ];
        for (text, earliest, latest, approx, shown) in cases {
            let d = parse(text);
            assert_eq!(d.earliest, earliest.map(day), "{text}");
            assert_eq!(d.latest, latest.map(day), "{text}");
            assert_eq!(d.approx, *approx, "{text}");
            assert_eq!(d.to_string(), *shown, "{text}");
            // What is shown reads back as the same date.
            assert_eq!(parse(shown), d, "{text} shown as {shown}");
        }
        assert!(parse("2025-11-03").is_exact());
        assert_eq!(parse("2025-11-03").day(), Some(day("2025-11-03")));
        assert_eq!(parse("2025-11").day(), None);
    }

    #[test]
    fn errors_name_what_they_could_not_read() {
        let cases: &[(&str, &str)] = &[
            ("2026-Q5", "quarter must be 1–4, found \"Q5\""),
            ("Q0 2026", "quarter must be 1–4, found \"Q0\""),
            ("2026-H3", "half must be 1 or 2 (H1, H2), found \"H3\""),
            ("2026-13", "month must be 01–12, found \"13\""),
            ("2026-02-30", "\"2026-02-30\" is not a day"),
            ("26", "year must be four digits"),
            ("10000", "year must be four digits"),
            ("0000", "year must be four digits"),
            ("soon", "cannot read \"soon\""),
            ("Noc 2025", "cannot read \"Noc\""),
            ("2026-1", "cannot read \"1\""),
            ("2026-11-03-01", "cannot read \"01\""),
            ("by ", "no date after"),
            ("", "empty date"),
            (
                "week of 2025-10-29",
                "2025-10-29 is a Wed, in \"week of 2025-10-29\"; write \"week of 2025-10-27\"",
            ),
            ("2026-03 to 2026-01", "ends before it starts"),
            ("after 9999", "outside the years"),
            ("before 0001-01-01", "outside the years"),
        ];
        for (text, fragment) in cases {
            let err = HedgedDate::parse(text).expect_err(text);
            assert!(err.to_string().contains(fragment), "{text}: {err}");
        }
    }

    #[test]
    fn sorts_by_earliest_then_latest() {
        let mut dates: Vec<HedgedDate> = [
            "2027",
            "from 2026-06",
            "2026-H2",
            "by end of 2026",
            "2026-06-15",
            "2026-Q3",
            "Jun 2026",
            "by 2026-06-30",
        ]
        .iter()
        .map(|s| parse(s))
        .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "by 2026-06-30",
                "by end-2026",
                "Jun 2026",
                "from Jun 2026",
                "2026-06-15",
                "Q3 2026",
                "H2 2026",
                "2027",
            ]
        );
    }

    #[test]
    fn adds_hedged_durations() {
        let start = parse("2025-11-03");
        let exact = start.plus_weeks(30.0, 30.0).ok();
        assert_eq!(exact.map(|d| d.to_string()), Some("2026-06-01".into()));
        let month = parse("2025-11").plus_days(7, Some(7)).ok();
        assert_eq!(
            month.map(|d| d.to_string()),
            Some("2025-11-08 to 2025-12-07".into())
        );
        let open = start.plus_weeks(30.0, f64::INFINITY).ok();
        assert_eq!(open.map(|d| d.to_string()), Some("from 2026-06-01".into()));
        let by = parse("by 2026").plus_days(1, Some(1)).ok();
        assert_eq!(by.map(|d| d.to_string()), Some("by 2027-01-01".into()));
        let unknown = parse("by 2026").plus_days(1, None).ok();
        assert_eq!(unknown.map(|d| d.to_string()), Some("any time".into()));
        let approx = parse("~2026-06").plus_days(0, Some(0)).ok();
        assert_eq!(approx.map(|d| d.to_string()), Some("~Jun 2026".into()));

        let figure = |s: &str| Figure::parse_v2(s, None).unwrap_or_else(|e| panic!("{s}: {e}"));
        let about = start.plus(&figure("about 30 weeks")).ok();
        assert_eq!(about.map(|d| d.to_string()), Some("~2026-06-01".into()));
        let range = start.plus(&figure("1 to 2 weeks")).ok();
        assert_eq!(
            range.map(|d| d.to_string()),
            Some("2025-11-10 to 2025-11-17".into())
        );
        let upper = start.plus(&figure("up to 1 week")).ok();
        assert_eq!(
            upper.map(|d| d.to_string()),
            Some("2025-11-03 to 2025-11-10".into())
        );
        assert!(start.plus(&figure("$5bn")).is_err());
        assert!(start.plus_weeks(-1.0, 1.0).is_err());
        assert!(start.plus_weeks(f64::NAN, 1.0).is_err());
        assert!(start.plus_weeks(1e300, 1e300).is_err());
        assert!(start.plus_days(3, Some(2)).is_err());
        assert!(parse("9999-12-31").plus_days(1, Some(1)).is_err());
    }

    #[test]
    fn toml_dates_are_exact() {
        let doc: toml::Table = toml::from_str("d = 2025-11-03\nt = 2025-11-03T10:00:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let Some(toml::Value::Datetime(d)) = doc.get("d") else {
            panic!("no date");
        };
        assert_eq!(HedgedDate::from_toml(d).ok(), Some(parse("2025-11-03")));
        let Some(toml::Value::Datetime(t)) = doc.get("t") else {
            panic!("no datetime");
        };
        assert!(HedgedDate::from_toml(t).is_err());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn span() -> impl Strategy<Value = Span> {
            let year = 1900i32..2200;
            prop_oneof![
                (0u64..100_000).prop_map(|n| Span::Day(
                    NaiveDate::from_ymd_opt(1950, 1, 2)
                        .and_then(|d| d.checked_add_days(Days::new(n)))
                        .unwrap_or_default()
                )),
                (0u64..10_000).prop_map(|n| Span::Week(
                    // 1950-01-02 was a Monday.
                    NaiveDate::from_ymd_opt(1950, 1, 2)
                        .and_then(|d| d.checked_add_days(Days::new(n * 7)))
                        .unwrap_or_default()
                )),
                (year.clone(), 1u8..=12).prop_map(|(year, month)| Span::Month { year, month }),
                (year.clone(), 1u8..=4).prop_map(|(year, quarter)| Span::Quarter { year, quarter }),
                (year.clone(), 1u8..=2).prop_map(|(year, half)| Span::Half { year, half }),
                year.prop_map(Span::Year),
            ]
        }

        proptest! {
            /// Display then parse gives the same date, for every kind.
            #[test]
            fn display_then_parse_round_trips(s in span(), which in 0u8..4, approx: bool) {
                let date = match which {
                    0 => HedgedDate::within(s, approx),
                    1 => HedgedDate::by(s, approx),
                    2 => HedgedDate::from(s, approx),
                    _ => s.first_day().zip(s.last_day()).map(|(a, b)| {
                        HedgedDate::between(Some(a), Some(b), approx)
                    }),
                };
                let Some(date) = date else { return Ok(()) };
                let shown = date.to_string();
                let back = HedgedDate::parse(&shown)
                    .map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
                prop_assert_eq!(back.earliest, date.earliest, "{}", shown);
                prop_assert_eq!(back.latest, date.latest, "{}", shown);
                prop_assert_eq!(back.to_string(), shown);
            }

            /// The interval is never empty, and the span holds its days.
            #[test]
            fn spans_hold_their_days(s in span()) {
                let (first, last) = (s.first_day(), s.last_day());
                prop_assert!(first.is_some() && last.is_some());
                prop_assert!(first <= last);
                if let Some(prev) = s.previous() {
                    prop_assert_eq!(prev.last_day().and_then(|d| d.succ_opt()), first);
                }
                if let Some(next) = s.next() {
                    prop_assert_eq!(next.first_day(), last.and_then(|d| d.succ_opt()));
                }
            }

            #[test]
            fn parse_never_panics(s in "\\PC{0,24}") {
                let _ = HedgedDate::parse(&s);
            }
        }
    }
}
