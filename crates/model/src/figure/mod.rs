//! The hedged figure: every number gigawatt shows is one of these.
//!
//! A figure keeps three things: the number (in a base unit: dollars, watts,
//! years...), its *qualifier* (exact, approximate, a bound) and the text as
//! the author wrote it. Arithmetic on figures follows the hedge rules of the
//! data contract, so a derived figure is never more certain than its inputs.
//!
//! Format 2 adds ranges ("$5–10bn", "tens of billions") and reads more
//! hedge words. Underneath every figure is an [`Interval`] plus an
//! "approximate" flag (exact `[x, x]`, upper bound `[0, x]`, lower bound
//! `[x, ∞)`); the qualifier and the point `value` stay as format 1 defined
//! them, so what format 1 files show is unchanged, and a range is
//! [`Qualifier::Range`] with its midpoint as `value`.
//!
//! - `mod.rs`: the figure, its qualifier, format 1's grammar and display.
//! - [`parse`]: format 2's grammar ([`Figure::parse_v2`]).
//! - [`arith`]: intervals, interval sums, envelopes of alternatives.
//! - [`date`]: hedged dates.

use std::fmt;

use compact_str::CompactString;

pub mod arith;
pub mod date;
pub mod parse;

pub use arith::{Envelope, EnvelopeError, Interval, envelope};
pub use date::{DateError, DateKind, HedgedDate, Span};

/// How sure a figure is. Names match the `value_qualifier` export column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    /// No hedge: "$38bn".
    Exact,
    /// "about", "around", "roughly", "approximately", "~".
    Approx,
    /// "up to", "as much as", "at most", "≤".
    Upper,
    /// "over", "more than", "exceeding", "above", "at least", "≥".
    Lower,
    /// "nearly", "almost", "just under": a little below the number.
    Below,
    /// Format 2: "$5–10bn", "between 5 and 10 GW", "tens of billions". The
    /// figure's `interval` holds both ends and `value` the midpoint; the
    /// point arithmetic of this type treats it as approximate.
    Range,
}

impl Qualifier {
    /// Stable machine name, used by exports.
    pub fn code(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::Upper => "upper",
            Qualifier::Lower => "lower",
            Qualifier::Below => "below",
            Qualifier::Range => "range",
        }
    }

    /// Compact prefix for narrow columns. A range shown as one number (its
    /// midpoint) is approximate: "~".
    pub fn symbol(self) -> &'static str {
        match self {
            Qualifier::Exact => "",
            Qualifier::Approx | Qualifier::Range => "~",
            Qualifier::Upper => "≤",
            Qualifier::Lower => ">",
            Qualifier::Below => "<",
        }
    }

    /// Plain words for wide screens and detail views.
    pub fn words(self) -> &'static str {
        match self {
            Qualifier::Exact => "exactly",
            Qualifier::Approx | Qualifier::Range => "about",
            Qualifier::Upper => "as much as",
            Qualifier::Lower => "more than",
            Qualifier::Below => "nearly",
        }
    }

    fn is_upperish(self) -> bool {
        matches!(self, Qualifier::Upper | Qualifier::Below)
    }

    /// Point arithmetic sees a range as its midpoint: approximate.
    fn as_point(self) -> Qualifier {
        match self {
            Qualifier::Range => Qualifier::Approx,
            q => q,
        }
    }

    /// The qualifier of a sum of two hedged terms.
    pub fn sum(self, other: Qualifier) -> Qualifier {
        use Qualifier::*;
        match (self.as_point(), other.as_point()) {
            (Approx, _) | (_, Approx) => Approx,
            (Exact, Exact) => Exact,
            (Exact | Lower, Exact | Lower) => Lower,
            (a, b) if (a == Exact || a.is_upperish()) && (b == Exact || b.is_upperish()) => Upper,
            _ => Approx,
        }
    }

    /// The qualifier of a product of two non-negative hedged factors.
    pub fn product(self, other: Qualifier) -> Qualifier {
        use Qualifier::*;
        match (self.as_point(), other.as_point()) {
            (Exact, q) | (q, Exact) => q,
            (Lower, Lower) => Lower,
            (a, b) if a.is_upperish() && b.is_upperish() => Upper,
            _ => Approx,
        }
    }

    /// The qualifier of `self / divisor` for non-negative figures.
    pub fn quotient(self, divisor: Qualifier) -> Qualifier {
        use Qualifier::*;
        match (self.as_point(), divisor.as_point()) {
            (q, Exact) => q,
            (Exact | Upper | Below, Lower) => Upper,
            (Exact | Lower, Upper | Below) => Lower,
            _ => Approx,
        }
    }
}

/// A span of calendar time used by rates and per-period figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Week,
    Month,
    Year,
}

impl Period {
    /// Length in weeks (a Gregorian year is 365.2425 days).
    pub fn weeks(self) -> f64 {
        match self {
            Period::Week => 1.0,
            Period::Month => 365.2425 / 7.0 / 12.0,
            Period::Year => 365.2425 / 7.0,
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Period::Week => "wk",
            Period::Month => "mo",
            Period::Year => "yr",
        }
    }

    pub fn long(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    pub(crate) fn parse(word: &str) -> Option<Period> {
        match word {
            "week" | "wk" | "weeks" => Some(Period::Week),
            "month" | "mo" | "months" => Some(Period::Month),
            "year" | "yr" | "years" => Some(Period::Year),
            _ => None,
        }
    }
}

/// What a figure measures. Values are stored in base units: dollars, watts,
/// watts per period, percent points, periods, plain counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    Money,
    Power,
    Rate(Period),
    Percent,
    Duration(Period),
    Count(Option<Noun>),
    /// Derived: dollars per period.
    MoneyPer(Period),
    /// Derived: dollars per gigawatt.
    MoneyPerGw,
    /// Derived: a plain multiple, "2×".
    Ratio,
}

/// A count's noun ("homes", "TPUs"), behind one thin pointer: few figures
/// have one, and a `String` here would make every figure 8 bytes larger
/// (a unit of 24 bytes, not 16). Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, Hash)]
// A `Box<String>` is one pointer wide; a `Box<str>` or a `String` is two.
#[allow(clippy::box_collection)]
pub struct Noun(Box<String>);

impl std::ops::Deref for Noun {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Noun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl fmt::Display for Noun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Noun {
    fn from(s: &str) -> Noun {
        Noun(Box::new(s.to_string()))
    }
}

impl From<String> for Noun {
    fn from(s: String) -> Noun {
        Noun(Box::new(s))
    }
}

/// The kinds of figure a data file may hold, used in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Money,
    Power,
    Rate,
    Percent,
    Duration,
    Count,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Money => "money",
            Kind::Power => "power",
            Kind::Rate => "rate",
            Kind::Percent => "percent",
            Kind::Duration => "duration",
            Kind::Count => "count",
        }
    }

    /// A valid example, quoted in "expected money like ..." messages.
    pub fn example(self) -> &'static str {
        match self {
            Kind::Money => "\"$38bn\"",
            Kind::Power => "\"30 GW\"",
            Kind::Rate => "\"1 GW/week\"",
            Kind::Percent => "\"+5%\"",
            Kind::Duration => "\"7 years\"",
            Kind::Count => "\"roughly 25m homes\"",
        }
    }
}

impl Unit {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Unit::Money => Some(Kind::Money),
            Unit::Power => Some(Kind::Power),
            Unit::Rate(_) => Some(Kind::Rate),
            Unit::Percent => Some(Kind::Percent),
            Unit::Duration(_) => Some(Kind::Duration),
            Unit::Count(_) => Some(Kind::Count),
            Unit::MoneyPer(_) | Unit::MoneyPerGw | Unit::Ratio => None,
        }
    }

    /// Unit name in exports (`unit` column).
    pub fn code(&self) -> String {
        match self {
            Unit::Money => "USD".into(),
            Unit::Power => "W".into(),
            Unit::Rate(p) => format!("W/{}", p.long()),
            Unit::Percent => "%".into(),
            Unit::Duration(p) => format!("{}s", p.long()),
            Unit::Count(noun) => noun.as_deref().unwrap_or("count").to_string(),
            Unit::MoneyPer(p) => format!("USD/{}", p.long()),
            Unit::MoneyPerGw => "USD/GW".into(),
            Unit::Ratio => "ratio".into(),
        }
    }
}

/// A hedged number with its unit and the text it was written as.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub qualifier: Qualifier,
    /// The point format 1 defined: the number written (for a bound, the
    /// bound); for a range, its midpoint.
    pub value: f64,
    pub unit: Unit,
    /// Written with an explicit `+` (share moves keep it on display).
    pub plus_sign: bool,
    /// The text as written in the file, or the formula result for derived
    /// figures. Inline up to 24 bytes, as nearly every figure's is.
    pub text: CompactString,
    /// What the figure allows, in base units: `[x, x]` exact or
    /// approximate, `[0, x]` an upper bound ("up to", "nearly"), `[x, ∞)` a
    /// lower bound, `[a, b]` a range.
    pub interval: Interval,
    /// The interval itself is hedged: "about", an approximate range, an
    /// envelope of sources that disagree.
    pub approx: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    #[error("empty figure")]
    Empty,
    /// Format 1's message; format 2 names what it found instead.
    #[error("no number in {0:?}")]
    NoNumber(String),
    #[error("malformed number in {0:?}: {1}")]
    BadNumber(String, NumberFault),
    #[error("unknown unit {unit:?} in {text:?}")]
    UnknownUnit { unit: String, text: String },
    #[error("\"$\" cannot go with a unit in {0:?}")]
    MoneyWithUnit(String),
    #[error("number too large in {0:?}: a figure must be finite")]
    NotFinite(String),
    #[error("cannot read {word:?} in {text:?}")]
    Unreadable { word: String, text: String },
    #[error("no number after {after:?} in {text:?}")]
    MissingNumber { after: String, text: String },
    #[error(
        "{currency:?} is not US dollars in {text:?}: convert the amount to US dollars \
         and note the rate used in the summary"
    )]
    Currency { currency: String, text: String },
    #[error("two hedges {first:?} and {second:?} in {text:?}; keep the one the source gives")]
    TwoHedges {
        first: String,
        second: String,
        text: String,
    },
    #[error("{hedge:?} cannot bound a range in {text:?}")]
    HedgedRange { hedge: String, text: String },
    #[error("range runs backwards in {0:?}: write the smaller end first")]
    RangeOrder(String),
    #[error("the ends of the range in {0:?} are in different units")]
    RangeUnits(String),
}

const QUALIFIERS: &[(&str, Qualifier)] = &[
    ("approximately", Qualifier::Approx),
    ("as much as", Qualifier::Upper),
    ("just under", Qualifier::Below),
    ("more than", Qualifier::Lower),
    ("exceeding", Qualifier::Lower),
    ("at least", Qualifier::Lower),
    ("at most", Qualifier::Upper),
    ("roughly", Qualifier::Approx),
    ("around", Qualifier::Approx),
    ("nearly", Qualifier::Below),
    ("almost", Qualifier::Below),
    ("about", Qualifier::Approx),
    ("above", Qualifier::Lower),
    ("up to", Qualifier::Upper),
    ("over", Qualifier::Lower),
    ("<=", Qualifier::Upper),
    (">=", Qualifier::Lower),
    ("≤", Qualifier::Upper),
    ("≥", Qualifier::Lower),
    ("≈", Qualifier::Approx),
    ("~", Qualifier::Approx),
    (">", Qualifier::Lower),
    // Not in the contract's table: "<" is how gigawatt *displays* "nearly",
    // and what it displays it must read back.
    ("<", Qualifier::Below),
];

fn scale_of(word: &str) -> Option<f64> {
    match word {
        "k" | "thousand" => Some(1e3),
        "m" | "mn" | "million" => Some(1e6),
        "b" | "bn" | "billion" => Some(1e9),
        "t" | "tn" | "trillion" => Some(1e12),
        _ => None,
    }
}

fn power_scale(word: &str) -> Option<f64> {
    match word {
        "gw" => Some(1e9),
        "mw" => Some(1e6),
        "kw" => Some(1e3),
        _ => None,
    }
}

/// Strips a leading qualifier; words need a boundary after them.
fn split_qualifier(text: &str) -> (Qualifier, &str) {
    for (word, qualifier) in QUALIFIERS {
        let head = text.as_bytes().get(..word.len());
        if head.is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes())) {
            let rest = &text[word.len()..];
            let needs_boundary = word.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
            if needs_boundary && rest.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            return (*qualifier, rest.trim_start());
        }
    }
    (Qualifier::Exact, text)
}

/// What is wrong with a malformed number, said after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFault {
    /// "1,40", "1,0000", ",5".
    Commas,
    /// "5.", "$5.bn".
    Point,
}

impl std::fmt::Display for NumberFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NumberFault::Commas => "thousands commas group three digits",
            NumberFault::Point => "a decimal point needs a digit after it",
        })
    }
}

/// Reads `[+-]digits[,ddd]*[.digits]`; returns the number and the rest.
fn split_number(text: &str) -> Result<Option<(f64, &str)>, NumberFault> {
    let bytes = text.as_bytes();
    let mut end = 0;
    let mut digits = Digits::default();
    let mut since_comma: Option<usize> = None;
    while end < bytes.len() {
        let b = bytes[end];
        if b.is_ascii_digit() {
            digits.push(b);
            digits.count(b);
            if let Some(n) = since_comma.as_mut() {
                *n += 1;
            }
        } else if b == b',' {
            if digits.is_empty() || since_comma.is_some_and(|n| n != 3) {
                return Err(NumberFault::Commas);
            }
            since_comma = Some(0);
        } else {
            break;
        }
        end += 1;
    }
    if digits.is_empty() {
        return Ok(None);
    }
    if since_comma.is_some_and(|n| n != 3) {
        return Err(NumberFault::Commas);
    }
    if end < bytes.len() && bytes[end] == b'.' {
        let start = end + 1;
        let mut frac_end = start;
        while frac_end < bytes.len() && bytes[frac_end].is_ascii_digit() {
            frac_end += 1;
        }
        if frac_end == start {
            return Err(NumberFault::Point);
        }
        digits.push(b'.');
        for &b in &bytes[start..frac_end] {
            digits.push(b);
            digits.count(b);
            digits.decimals += 1;
        }
        end = frac_end;
    }
    let value = match digits.exact() {
        Some(value) => value,
        // Only digits and one point are pushed, which always parse.
        None => digits.as_str().parse().map_err(|_| NumberFault::Point)?,
    };
    Ok(Some((value, &text[end..])))
}

/// A number's digits without its commas, for `split_number`: on the stack
/// for any number a figure holds, on the heap past that.
#[derive(Default)]
struct Digits {
    len: usize,
    short: [u8; 32],
    long: String,
    /// The digits as one integer, while there are few enough of them.
    mantissa: u64,
    /// How many digits, and how many of them after the point.
    digits: u32,
    decimals: u32,
}

/// Powers of ten a double holds exactly.
const EXACT_POWERS: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

impl Digits {
    /// Counts a digit into `mantissa`.
    fn count(&mut self, digit: u8) {
        self.digits += 1;
        if self.digits <= 15 {
            self.mantissa = self.mantissa * 10 + u64::from(digit - b'0');
        }
    }

    /// The number without reading its text again, when it has at most 15
    /// digits: the integer of its digits and the power of ten it is divided
    /// by are then both exact doubles, and one division rounds correctly,
    /// giving what `str::parse` gives (Clinger's fast path).
    fn exact(&self) -> Option<f64> {
        (self.digits <= 15).then(|| self.mantissa as f64 / EXACT_POWERS[self.decimals as usize])
    }

    fn push(&mut self, b: u8) {
        if self.len < self.short.len() {
            self.short[self.len] = b;
        } else {
            if self.long.is_empty() {
                self.long.extend(self.short.iter().map(|&b| char::from(b)));
            }
            self.long.push(char::from(b));
        }
        self.len += 1;
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_str(&self) -> &str {
        if self.len <= self.short.len() {
            // Only ASCII digits and '.' are pushed.
            std::str::from_utf8(&self.short[..self.len]).unwrap_or_default()
        } else {
            &self.long
        }
    }
}

/// The leading run of ASCII letters of `text`, and what follows it.
fn split_word(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

impl Figure {
    /// Parses `[QUALIFIER] NUMBER [UNIT]` as the data contract defines it.
    pub fn parse(text: &str) -> Result<Figure, FigureError> {
        let written = text.trim();
        if written.is_empty() {
            return Err(FigureError::Empty);
        }
        let (qualifier, rest) = split_qualifier(written);
        let mut rest = rest;
        let mut negative = false;
        let mut plus_sign = false;
        let mut money = false;
        // Sign and `$` may come in either order: "-$5bn", "$-5bn".
        for _ in 0..2 {
            if let Some(r) = rest.strip_prefix('$') {
                money = true;
                rest = r.trim_start();
            }
            if let Some(r) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('−')) {
                negative = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix('+') {
                plus_sign = true;
                rest = r;
            }
        }
        let (mut value, after) = match split_number(rest) {
            Ok(Some(found)) => found,
            Ok(None) => return Err(FigureError::NoNumber(written.to_string())),
            Err(fault) => return Err(FigureError::BadNumber(written.to_string(), fault)),
        };
        if negative {
            value = -value;
        }
        let mut rest = after.trim_start();
        let (word, after_word) = split_word(rest);
        let mut buf = [0u8; parse::WORD_BYTES];
        if let Some(scale) = parse::lowered(word, &mut buf).and_then(scale_of) {
            // "$1.4t" is a scale; "7 tons" is not, so the word must end there.
            value *= scale;
            rest = after_word.trim_start();
        }
        let unit = Self::parse_unit(rest, money, &mut value, written)?;
        if !value.is_finite() {
            return Err(FigureError::NotFinite(written.to_string()));
        }
        Ok(Figure::with_text(
            qualifier, value, unit, plus_sign, written,
        ))
    }

    /// A figure with the interval its qualifier implies.
    pub(crate) fn with_text(
        qualifier: Qualifier,
        value: f64,
        unit: Unit,
        plus_sign: bool,
        text: impl Into<CompactString>,
    ) -> Figure {
        let qualifier = match qualifier {
            // A range needs both ends: see `Figure::range`.
            Qualifier::Range => Qualifier::Approx,
            q => q,
        };
        Figure {
            qualifier,
            value,
            unit,
            plus_sign,
            text: text.into(),
            interval: Interval::of(qualifier, value),
            approx: qualifier == Qualifier::Approx,
        }
    }

    pub(crate) fn parse_unit(
        rest: &str,
        money: bool,
        value: &mut f64,
        written: &str,
    ) -> Result<Unit, FigureError> {
        let unknown = || FigureError::UnknownUnit {
            unit: rest.to_string(),
            text: written.to_string(),
        };
        if rest.is_empty() {
            return Ok(if money {
                Unit::Money
            } else {
                Unit::Count(None)
            });
        }
        if money {
            return Err(FigureError::MoneyWithUnit(written.to_string()));
        }
        if rest == "%" {
            return Ok(Unit::Percent);
        }
        let (word, after) = split_word(rest);
        let mut buf = [0u8; parse::WORD_BYTES];
        // A word longer than any unit's is read as no unit.
        let lower = parse::lowered(word, &mut buf).unwrap_or("-");
        if let Some(scale) = power_scale(lower) {
            *value *= scale;
            let after = after.trim();
            if after.is_empty() {
                return Ok(Unit::Power);
            }
            let per = after
                .strip_prefix('/')
                .or_else(|| after.strip_prefix("per "))
                .or_else(|| after.strip_prefix("a "))
                .or_else(|| after.strip_prefix("each "))
                .ok_or_else(unknown)?;
            let period = Period::parse(&per.trim().to_ascii_lowercase()).ok_or_else(unknown)?;
            return Ok(Unit::Rate(period));
        }
        if after.trim().is_empty() {
            let duration = match lower {
                "year" | "years" | "yr" | "yrs" => Some(Period::Year),
                "month" | "months" => Some(Period::Month),
                "week" | "weeks" | "wk" | "wks" => Some(Period::Week),
                _ => None,
            };
            if let Some(period) = duration {
                return Ok(Unit::Duration(period));
            }
        }
        // A count's noun is words: "homes", "US homes", "data centres".
        if rest
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
            && rest.chars().next().is_some_and(char::is_alphabetic)
        {
            return Ok(Unit::Count(Some(rest.into())));
        }
        Err(unknown())
    }

    pub fn kind(&self) -> Option<Kind> {
        self.unit.kind()
    }

    /// A derived figure: its text is its compact display. A `Range`
    /// qualifier has no second end here and is taken as approximate; build
    /// ranges with [`Figure::from_interval`].
    pub fn derived(qualifier: Qualifier, value: f64, unit: Unit) -> Figure {
        let mut figure = Figure::with_text(qualifier, value, unit, false, "");
        figure.text = figure.compact().into();
        figure
    }

    /// A derived figure from an interval: a point is exact (or approximate),
    /// `[0, x]` an upper bound, `[x, ∞)` a lower bound, anything else a
    /// range. `None` if the interval is empty, NaN or unbounded both ways.
    pub fn from_interval(interval: Interval, approx: bool, unit: Unit) -> Option<Figure> {
        let mut figure = Figure::interval_figure(interval, approx, unit, "")?;
        figure.text = figure.compact().into();
        Some(figure)
    }

    pub(crate) fn interval_figure(
        interval: Interval,
        approx: bool,
        unit: Unit,
        text: impl Into<CompactString>,
    ) -> Option<Figure> {
        let Interval { low, high } = interval;
        if low.is_nan() || high.is_nan() || low > high || low == f64::INFINITY {
            return None;
        }
        let (qualifier, value) = if low == high {
            let q = if approx {
                Qualifier::Approx
            } else {
                Qualifier::Exact
            };
            (q, low)
        } else if high == f64::INFINITY {
            if low == f64::NEG_INFINITY {
                return None;
            }
            (Qualifier::Lower, low)
        } else if low == f64::NEG_INFINITY || (low == 0.0 && high > 0.0) {
            (Qualifier::Upper, high)
        } else {
            (Qualifier::Range, low + (high - low) / 2.0)
        };
        Some(Figure {
            qualifier,
            value,
            unit,
            plus_sign: false,
            text: text.into(),
            interval,
            approx,
        })
    }

    /// The compact form, hedge kept: `$38bn`, `≤$1.4tn`, `>$40bn`, `1 GW/wk`,
    /// `$5–10bn`; an approximate bound or range leads with `~`.
    pub fn compact(&self) -> String {
        let approx = if self.approx && self.qualifier != Qualifier::Approx {
            "~"
        } else {
            ""
        };
        match self.qualifier {
            Qualifier::Range => format!("{approx}{}", self.bare_range()),
            q => format!("{approx}{}{}", q.symbol(), self.bare()),
        }
    }

    /// The hedge in words, for detail views: "as much as $1.4tn",
    /// "between $5bn and $10bn".
    pub fn spelled(&self) -> String {
        let approx = if self.approx && self.qualifier != Qualifier::Approx {
            "roughly "
        } else {
            ""
        };
        match self.qualifier {
            Qualifier::Exact => self.bare(),
            Qualifier::Range => format!(
                "{approx}between {} and {}",
                self.bare_value(self.interval.low, self.interval.high),
                self.bare_value(self.interval.high, self.interval.high)
            ),
            q => format!("{approx}{} {}", q.words(), self.bare()),
        }
    }

    /// The source's own wording beside the compact form, when the two
    /// differ: `Some(("as much as $1.4 trillion", "≤$1.4tn"))`; `None` for
    /// derived figures and figures written as they are shown.
    pub fn wording(&self) -> Option<(&str, String)> {
        let compact = self.compact();
        (!self.text.is_empty() && self.text != compact).then_some((self.text.as_str(), compact))
    }

    /// The number and unit without the hedge. Never shown alone to users.
    fn bare(&self) -> String {
        self.bare_value(self.value, self.value)
    }

    /// Both ends of a range, sharing their unit where they can: `$5–10bn`,
    /// `5–10 GW`, `36–43%`, `$500m–$1.2bn`.
    fn bare_range(&self) -> String {
        if let Unit::Count(Some(noun)) = &self.unit {
            let plain = Figure {
                unit: Unit::Count(None),
                ..self.clone()
            };
            return format!("{} {noun}", plain.bare_range());
        }
        let Interval { low, high } = self.interval;
        let low_text = self.bare_value(low, high);
        let high_text = self.bare_value(high, high);
        let (low_prefix, low_number, low_suffix) = split_display(&low_text);
        let (high_prefix, high_number, high_suffix) = split_display(&high_text);
        if low_prefix == high_prefix && low_suffix == high_suffix && !low_number.is_empty() {
            format!("{low_prefix}{low_number}–{high_number}{high_suffix}")
        } else {
            format!("{low_text}–{high_text}")
        }
    }

    /// `v` in this figure's unit; `plural_of` decides "year" or "years".
    fn bare_value(&self, v: f64, plural_of: f64) -> String {
        match &self.unit {
            Unit::Money => money(v),
            Unit::Power => power(v),
            Unit::Rate(p) => format!("{}/{}", power(v), p.short()),
            Unit::Percent => {
                let sign = if self.plus_sign && v > 0.0 { "+" } else { "" };
                format!("{sign}{}%", number(v, 2))
            }
            Unit::Duration(p) => {
                let name = p.long();
                let plural = if (plural_of - 1.0).abs() < f64::EPSILON {
                    ""
                } else {
                    "s"
                };
                format!("{} {name}{plural}", number(v, 2))
            }
            Unit::Count(noun) => {
                let n = scaled(v, &[(1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")]);
                match noun {
                    Some(noun) => format!("{n} {noun}"),
                    None => n,
                }
            }
            Unit::MoneyPer(p) => format!("{}/{}", money(v), p.short()),
            Unit::MoneyPerGw => format!("{}/GW", money(v)),
            Unit::Ratio => format!("{}×", significant(v, 3)),
        }
    }

    /// Value in dollars, if this is money.
    pub fn usd(&self) -> Option<f64> {
        (self.unit == Unit::Money).then_some(self.value)
    }

    /// Bounded neither way: from nothing to no end, as an envelope of
    /// sources that say "up to $60bn" and "more than $100bn" is. It says
    /// nothing of the figure's size, so nothing can be divided by or into it.
    pub fn is_unbounded(&self) -> bool {
        self.interval.is_unbounded()
    }

    /// `compact` where a reader needs the figure's size (cells, totals):
    /// "unbounded" for a figure bounded neither way, whose compact form
    /// ("~>$0") is true and says nothing. Formulas and exports keep the
    /// compact form, which reads back as the same figure.
    pub fn shown(&self) -> String {
        if self.is_unbounded() {
            "unbounded".into()
        } else {
            self.compact()
        }
    }

    /// Value in years, if this is a duration.
    pub fn years(&self) -> Option<f64> {
        match self.unit {
            Unit::Duration(p) => Some(self.value * p.weeks() / Period::Year.weeks()),
            _ => None,
        }
    }

    /// Value in weeks, if this is a duration.
    pub fn weeks(&self) -> Option<f64> {
        match self.unit {
            Unit::Duration(p) => Some(self.value * p.weeks()),
            _ => None,
        }
    }

    /// Watts per week, if this is a rate.
    pub fn watts_per_week(&self) -> Option<f64> {
        match self.unit {
            Unit::Rate(p) => Some(self.value / p.weeks()),
            _ => None,
        }
    }

    /// Sum of same-unit figures; `None` if empty. Figures of format 1's
    /// hedges are shown by its rule (a lower bound plus an upper bound is
    /// approximate), with the interval their terms allow. Once a range, or an approximate bound, is among them,
    /// the sum is the interval sum of all of them, approximate if any is:
    /// `$5–10bn + $20bn = $25–30bn`.
    pub fn sum<'a>(figures: impl IntoIterator<Item = &'a Figure>) -> Option<Figure> {
        let mut iter = figures.into_iter();
        let first = iter.next()?;
        let start = (
            first.qualifier,
            first.value,
            first.interval,
            first.approx,
            first.is_format1(),
        );
        let (qualifier, value, interval, approx, format1) =
            iter.fold(start, |(q, v, i, a, one), f| {
                (
                    q.sum(f.qualifier),
                    v + f.value,
                    i.add(f.interval),
                    a || f.approx,
                    one && f.is_format1(),
                )
            });
        if format1 {
            // Shown by format 1's rule, bounded by what the terms allow:
            // ">2 GW + ≤6 GW" reads "~8 GW" and lies in [2 GW, no end).
            let mut sum = Figure::derived(qualifier, value, first.unit.clone());
            sum.interval = interval;
            return Some(sum);
        }
        Figure::from_interval(interval, approx, first.unit.clone()).or_else(|| {
            Some(Figure::derived(
                Qualifier::Approx,
                value,
                first.unit.clone(),
            ))
        })
    }

    /// Whether this figure is one format 1 could hold: a single hedged
    /// number whose interval is the one its qualifier implies.
    pub(crate) fn is_format1(&self) -> bool {
        self.qualifier != Qualifier::Range
            && self.approx == (self.qualifier == Qualifier::Approx)
            && self.interval == Interval::of(self.qualifier, self.value)
    }

    /// This figure times an exact positive number.
    pub fn scale(&self, factor: f64, unit: Unit) -> Figure {
        if !self.is_format1() && factor > 0.0 {
            let scaled = self.interval.scale(factor);
            if let Some(f) = Figure::from_interval(scaled, self.approx, unit.clone()) {
                return f;
            }
        }
        let qualifier = if factor > 0.0 {
            self.qualifier
        } else {
            Qualifier::Approx
        };
        Figure::derived(qualifier, self.value * factor, unit)
    }
}

/// Splits a displayed value into what comes before its number, the number,
/// and what follows: `$5bn` → (`$`, `5`, `bn`); `-2.5%` → (``, `-2.5`, `%`).
fn split_display(s: &str) -> (&str, &str, &str) {
    let start = s
        .find(|c: char| c.is_ascii_digit() || c == '-')
        .unwrap_or(s.len());
    let end = s[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .map_or(s.len(), |i| start + i);
    (&s[..start], &s[start..end], &s[end..])
}

/// Hedge of `a / b`, and its value; the caller names the unit.
pub fn quotient(a: &Figure, a_value: f64, b: &Figure, b_value: f64) -> (Qualifier, f64) {
    (a.qualifier.quotient(b.qualifier), a_value / b_value)
}

/// Hedge of `a * b`, and its value.
pub fn product(a: &Figure, a_value: f64, b: &Figure, b_value: f64) -> (Qualifier, f64) {
    (a.qualifier.product(b.qualifier), a_value * b_value)
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.compact())
    }
}

/// `decimals` at most, trailing zeros trimmed.
pub fn number(v: f64, decimals: usize) -> String {
    if let Some(s) = number_fast(v, decimals) {
        return s;
    }
    number_exact(v, decimals)
}

/// `number` by `format!`, which rounds the exact binary value half to even.
fn number_exact(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// `number` in integer arithmetic, about ten times faster than `format!`
/// (which matters when 100k rows are formatted at load). `None` when the
/// result could differ from `number_exact`: when `v × 10^decimals` is too
/// large to hold exactly or lies too near a rounding tie (`x.5`), where
/// only exact decimal expansion decides.
fn number_fast(v: f64, decimals: usize) -> Option<String> {
    const POWERS: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
    let scale = *POWERS.get(decimals)?;
    let scaled = v * scale;
    // Integers to 2^52 are exact, and so is their fractional part.
    if !scaled.is_finite() || scaled.abs() >= 4.0e15 {
        return None;
    }
    // `scaled` is within an ulp or so of v × 10^d (one rounding in the
    // product); far enough from a tie, both round the same way.
    let distance = (scaled.abs().fract() - 0.5).abs();
    if distance <= scaled.abs() * 8.0 * f64::EPSILON + 1e-300 {
        return None;
    }
    let units = scaled.abs().round() as u64;
    let scale = scale as u64;
    let (whole, mut fraction) = (units / scale, units % scale);
    let mut out = String::with_capacity(24);
    if v < 0.0 && units != 0 {
        out.push('-');
    }
    use std::fmt::Write as _;
    let _ = write!(out, "{whole}");
    if fraction != 0 {
        let mut digits = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{fraction:0digits$}");
    }
    Some(out)
}

/// At least `digits` significant digits for small values (0.00469), two
/// decimals otherwise: a tiny ratio must not read as zero.
pub fn significant(v: f64, digits: i32) -> String {
    let magnitude = v.abs();
    if magnitude == 0.0 || magnitude >= 1.0 {
        return number(v, 2);
    }
    let decimals = (digits - 1 - magnitude.log10().floor() as i32).clamp(2, 12) as usize;
    number(v, decimals)
}

/// Three significant digits below 10, one decimal above: 5.43, 46.7, 610.4.
fn scaled(v: f64, scales: &[(f64, &str)]) -> String {
    let magnitude = v.abs();
    for (size, suffix) in scales {
        if magnitude >= *size * 0.9995 {
            let s = v / size;
            let decimals = if s.abs() < 10.0 { 2 } else { 1 };
            return format!("{}{suffix}", number(s, decimals));
        }
    }
    number(v, 2)
}

pub fn money(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let s = scaled(
        v.abs(),
        &[(1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")],
    );
    format!("{sign}${s}")
}

pub fn power(watts: f64) -> String {
    let s = scaled(watts, &[(1e9, " GW"), (1e6, " MW"), (1e3, " kW")]);
    if watts.abs() < 1e3 {
        format!("{s} W")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Figure {
        Figure::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn numbers_read_as_the_standard_parse_reads_them() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases: Vec<String> = [
            "0",
            "7",
            "38",
            "1.4",
            "0.1",
            "0.3",
            "22.4",
            "999999999999999",
            "9999999999999999",
            "1234567.891011",
            "0.000000000000001",
            "123456789012345.6",
            "1,000",
            "12,345.5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..5000 {
            let int = next() % 10u64.pow((next() % 16) as u32 + 1);
            let frac_digits = (next() % 12) as usize;
            let frac = next() % 10u64.pow(frac_digits as u32);
            cases.push(if frac_digits == 0 {
                int.to_string()
            } else {
                format!("{int}.{frac:0frac_digits$}")
            });
        }
        for case in &cases {
            let (value, rest) = split_number(case).unwrap().unwrap();
            assert_eq!(rest, "");
            let plain: f64 = case.replace(',', "").parse().unwrap();
            assert_eq!(value.to_bits(), plain.to_bits(), "{case}");
        }
    }

    #[test]
    fn fast_numbers_read_as_format_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            0.375,
            1.005,
            2.675,
            1.5,
            2.5,
            -2.5,
            -0.004,
            -0.005,
            9.995,
            99.95,
            0.045,
            1e15,
            4e15,
            1e16,
            1e300,
            -1e300,
            5e-324,
            0.1,
            0.7,
            610.4,
            5.428571428571429,
            46.666666666666664,
            f64::INFINITY,
            f64::NAN,
            f64::MAX,
        ];
        for _ in 0..20_000 {
            let r = next();
            let magnitude = 10f64.powi((r % 19) as i32 - 6);
            let mantissa = (next() % 1_000_000) as f64 / 1000.0;
            let sign = if r & 1 == 0 { 1.0 } else { -1.0 };
            values.push(sign * mantissa * magnitude);
            // Exact ties in binary: halves, quarters, eighths.
            values.push(sign * (next() % 100_000) as f64 / 8.0);
            values.push(f64::from_bits(next()));
        }
        for v in values {
            for decimals in 0..5 {
                assert_eq!(
                    number(v, decimals),
                    number_exact(v, decimals),
                    "{v:e} to {decimals}"
                );
            }
        }
    }

    #[test]
    fn parses_the_contract_examples() {
        let cases: &[(&str, Qualifier, f64, Unit, &str)] = &[
            ("$38bn", Qualifier::Exact, 38e9, Unit::Money, "$38bn"),
            (
                "up to $1.4tn",
                Qualifier::Upper,
                1.4e12,
                Unit::Money,
                "≤$1.4tn",
            ),
            (
                "as much as $1.4 trillion",
                Qualifier::Upper,
                1.4e12,
                Unit::Money,
                "≤$1.4tn",
            ),
            (
                "exceeding $40 billion",
                Qualifier::Lower,
                40e9,
                Unit::Money,
                ">$40bn",
            ),
            (
                "about $20 billion",
                Qualifier::Approx,
                20e9,
                Unit::Money,
                "~$20bn",
            ),
            (
                "nearly $140 billion",
                Qualifier::Below,
                140e9,
                Unit::Money,
                "<$140bn",
            ),
            (
                "$22.4 billion",
                Qualifier::Exact,
                22.4e9,
                Unit::Money,
                "$22.4bn",
            ),
            ("$1,400bn", Qualifier::Exact, 1.4e12, Unit::Money, "$1.4tn"),
            ("30 GW", Qualifier::Exact, 30e9, Unit::Power, "30 GW"),
            ("30GW", Qualifier::Exact, 30e9, Unit::Power, "30 GW"),
            (
                "about 500 MW",
                Qualifier::Approx,
                500e6,
                Unit::Power,
                "~500 MW",
            ),
            (
                "1 GW/week",
                Qualifier::Exact,
                1e9,
                Unit::Rate(Period::Week),
                "1 GW/wk",
            ),
            (
                "1 GW per week",
                Qualifier::Exact,
                1e9,
                Unit::Rate(Period::Week),
                "1 GW/wk",
            ),
            ("+5%", Qualifier::Exact, 5.0, Unit::Percent, "+5%"),
            ("-2.5%", Qualifier::Exact, -2.5, Unit::Percent, "-2.5%"),
            ("10%", Qualifier::Exact, 10.0, Unit::Percent, "10%"),
            (
                "7 years",
                Qualifier::Exact,
                7.0,
                Unit::Duration(Period::Year),
                "7 years",
            ),
            (
                "1 year",
                Qualifier::Exact,
                1.0,
                Unit::Duration(Period::Year),
                "1 year",
            ),
            ("~$20bn", Qualifier::Approx, 20e9, Unit::Money, "~$20bn"),
            ("≥ $3m", Qualifier::Lower, 3e6, Unit::Money, ">$3m"),
            ("1500", Qualifier::Exact, 1500.0, Unit::Count(None), "1.5k"),
        ];
        for (text, q, v, unit, shown) in cases {
            let f = p(text);
            assert_eq!(f.qualifier, *q, "{text}");
            assert!(
                (f.value - v).abs() <= v.abs() * 1e-12,
                "{text}: {}",
                f.value
            );
            assert_eq!(&f.unit, unit, "{text}");
            assert_eq!(f.compact(), *shown, "{text}");
            assert_eq!(f.text, *text);
        }
        let homes = p("roughly 25m homes");
        assert_eq!(homes.unit, Unit::Count(Some("homes".into())));
        assert_eq!(homes.compact(), "~25m homes");
    }

    #[test]
    fn rejects_what_is_not_a_figure() {
        for bad in [
            "",
            "hundreds of thousands",
            "$",
            "about",
            "$38bn a year",
            "1,40 GW",
            "1.GW",
            "30 parsecs!",
            "$30 GW",
        ] {
            assert!(Figure::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    /// A number too large for a float ("$" + 400 nines + "tn") would read as
    /// infinity and show as `$inftn`: a figure must be finite, in either grammar.
    #[test]
    fn rejects_figures_that_are_not_finite() {
        let nines = "9".repeat(400);
        for text in [
            format!("${nines}tn"),
            format!("{nines} GW"),
            format!("about ${nines}"),
            format!("{nines}%"),
            format!("${}tn", "9".repeat(300)),
        ] {
            let err = Figure::parse(&text).expect_err(&text);
            assert!(matches!(err, FigureError::NotFinite(_)), "{text}: {err}");
            assert!(err.to_string().contains("too large"), "{err}");
        }
    }

    #[test]
    fn qualifier_words_need_a_word_boundary() {
        // "over" must not eat the start of a noun-less count like "overall".
        assert!(Figure::parse("overall 5").is_err());
    }

    /// The contract's arithmetic rules, as a full table.
    #[test]
    fn hedge_rules_full_table() {
        use Qualifier::*;
        let all = [Exact, Approx, Upper, Lower, Below];
        for a in all {
            for b in all {
                let sum = a.sum(b);
                let expected_sum = match (a, b) {
                    (Approx, _) | (_, Approx) => Approx,
                    (Exact, Exact) => Exact,
                    (Exact, Lower) | (Lower, Exact) | (Lower, Lower) => Lower,
                    (Exact | Upper | Below, Exact | Upper | Below) => Upper,
                    _ => Approx,
                };
                assert_eq!(sum, expected_sum, "sum {a:?} + {b:?}");
                assert_eq!(a.sum(b), b.sum(a), "sum commutes");
                let quotient = a.quotient(b);
                let expected_quotient = match (a, b) {
                    (q, Exact) => q,
                    (Exact | Upper | Below, Lower) => Upper,
                    (Exact | Lower, Upper | Below) => Lower,
                    _ => Approx,
                };
                assert_eq!(quotient, expected_quotient, "quotient {a:?} / {b:?}");
            }
        }
        // Spot checks written out, as the contract words them.
        assert_eq!(Exact.sum(Exact), Exact);
        assert_eq!(Exact.sum(Lower), Lower);
        assert_eq!(Exact.sum(Below), Upper);
        assert_eq!(Lower.sum(Upper), Approx);
        assert_eq!(Upper.quotient(Exact), Upper);
        assert_eq!(Exact.quotient(Lower), Upper);
        assert_eq!(Lower.quotient(Upper), Lower);
        assert_eq!(Lower.quotient(Lower), Approx);
        assert_eq!(Lower.product(Exact), Lower);
        assert_eq!(Lower.product(Upper), Approx);
    }

    #[test]
    fn small_ratios_keep_their_digits() {
        assert_eq!(significant(0.0000469, 3), "0.0000469");
        assert_eq!(significant(0.5, 3), "0.5");
        assert_eq!(significant(1.966, 3), "1.97");
        assert_eq!(significant(0.0, 3), "0");
        assert_eq!(
            Figure::derived(Qualifier::Lower, 0.00123, Unit::Ratio).compact(),
            ">0.00123×"
        );
    }

    #[test]
    fn sums_and_quotients_keep_hedges() {
        let total = Figure::sum([&p("$38bn"), &p("$250bn"), &p("$300bn"), &p("$22.4bn")]).unwrap();
        assert_eq!(total.compact(), "$610.4bn");
        let hedged = Figure::sum([&p("$38bn"), &p("nearly $2bn")]).unwrap();
        assert_eq!(hedged.compact(), "≤$40bn");
        let (q, v) = quotient(&p("as much as $1.4tn"), 1.4e12, &p("30 GW"), 30.0);
        assert_eq!(
            Figure::derived(q, v, Unit::MoneyPerGw).compact(),
            "≤$46.7bn/GW"
        );
        assert!(Figure::sum([]).is_none());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn qualifier() -> impl Strategy<Value = Qualifier> {
            prop_oneof![
                Just(Qualifier::Exact),
                Just(Qualifier::Approx),
                Just(Qualifier::Upper),
                Just(Qualifier::Lower),
                Just(Qualifier::Below),
            ]
        }

        fn unit() -> impl Strategy<Value = Unit> {
            prop_oneof![
                Just(Unit::Money),
                Just(Unit::Power),
                Just(Unit::Rate(Period::Week)),
                Just(Unit::Rate(Period::Month)),
                Just(Unit::Rate(Period::Year)),
                Just(Unit::Percent),
                Just(Unit::Duration(Period::Year)),
                Just(Unit::Duration(Period::Month)),
                Just(Unit::Duration(Period::Week)),
                Just(Unit::Count(None)),
                Just(Unit::Count(Some("homes".into()))),
            ]
        }

        proptest! {
            /// Display then parse gives the same figure, for values that the
            /// display can carry (three significant digits at any scale).
            #[test]
            fn display_then_parse_round_trips(
                q in qualifier(),
                unit in unit(),
                mantissa in 1u32..1000,
                exponent in 0i32..13,
            ) {
                let mut value = f64::from(mantissa) * 10f64.powi(exponent - 2);
                if matches!(unit, Unit::Power | Unit::Rate(_)) {
                    value *= 1e6; // the smallest power unit shown is kW
                }
                let original = Figure::derived(q, value, unit.clone());
                let shown = original.compact();
                let parsed = Figure::parse(&shown).map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
                prop_assert_eq!(parsed.qualifier, q, "{}", shown);
                prop_assert_eq!(&parsed.unit, &unit, "{}", shown);
                let tolerance = value.abs() * 5e-3;
                prop_assert!((parsed.value - value).abs() <= tolerance, "{} -> {} vs {}", shown, parsed.value, value);
                prop_assert_eq!(parsed.compact(), shown);
            }

            #[test]
            fn parse_never_panics(s in "\\PC{0,24}") {
                let _ = Figure::parse(&s);
                let _ = Figure::parse_v2(&s, None);
                let _ = Figure::parse_v2(&s, Some(Kind::Money));
            }

            /// Format 2 reads whatever format 1 shows exactly as format 1.
            #[test]
            fn format_2_reads_format_1_the_same(
                q in qualifier(),
                unit in unit(),
                mantissa in 1u32..1000,
                exponent in 0i32..13,
            ) {
                let mut value = f64::from(mantissa) * 10f64.powi(exponent - 2);
                if matches!(unit, Unit::Power | Unit::Rate(_)) {
                    value *= 1e6;
                }
                let shown = Figure::derived(q, value, unit).compact();
                let one = Figure::parse(&shown).map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
                let two = Figure::parse_v2(&shown, None).map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
                prop_assert_eq!(one, two);
            }

            /// A range, approximate or not, shows and reads back as itself.
            #[test]
            fn ranges_round_trip(
                unit in unit(),
                low in 1u32..1000,
                span in 1u32..1000,
                exponent in 0i32..10,
                approx: bool,
            ) {
                let scale = 10f64.powi(exponent - 2)
                    * if matches!(unit, Unit::Power | Unit::Rate(_)) { 1e6 } else { 1.0 };
                let interval = Interval {
                    low: f64::from(low) * scale,
                    high: f64::from(low + span) * scale,
                };
                let Some(f) = Figure::from_interval(interval, approx, unit.clone()) else {
                    return Err(TestCaseError::fail("no figure"));
                };
                let shown = f.compact();
                let back = Figure::parse_v2(&shown, None)
                    .map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
                prop_assert_eq!(&back.unit, &unit, "{}", shown);
                prop_assert_eq!(back.approx, approx, "{}", shown);
                prop_assert_eq!(back.compact(), shown.clone());
                for (a, b) in [(back.interval.low, interval.low), (back.interval.high, interval.high)] {
                    prop_assert!((a - b).abs() <= b.abs() * 5e-3, "{}: {} vs {}", shown, a, b);
                }
            }

            /// The interval of a sum holds the sum of any values its terms
            /// allow, and the order of terms does not matter.
            #[test]
            fn interval_sums_hold_every_sum(
                terms in proptest::collection::vec((0u8..5, 1u32..1000, 0u32..1000, 0.0f64..=1.0), 1..6),
            ) {
                let figures: Vec<Figure> = terms
                    .iter()
                    .map(|&(shape, a, b, _)| {
                        let (a, b) = (f64::from(a) * 1e9, f64::from(a + b) * 1e9);
                        let interval = match shape {
                            0 => Interval::point(a),
                            1 => Interval::up_to(b),
                            2 => Interval::at_least(a),
                            _ => Interval { low: a, high: b },
                        };
                        Figure::from_interval(interval, shape == 4, Unit::Money)
                    })
                    .collect::<Option<_>>()
                    .ok_or_else(|| TestCaseError::fail("no figure"))?;
                let sum = Figure::sum(&figures).ok_or_else(|| TestCaseError::fail("empty"))?;
                let mut reversed = figures.clone();
                reversed.reverse();
                let sum_reversed = Figure::sum(&reversed).ok_or_else(|| TestCaseError::fail("empty"))?;
                prop_assert_eq!(sum.compact(), sum_reversed.compact());
                // Format 1's hedges keep format 1's rule (lower + upper is
                // approximate); past them, sums are interval sums.
                if figures.iter().any(|f| !f.is_format1()) {
                    // A value each term allows, chosen by the test's fraction.
                    let picked: f64 = figures
                        .iter()
                        .zip(&terms)
                        .map(|(f, &(_, _, _, t))| {
                            let high = f.interval.high.min(f.interval.low + 1e13);
                            f.interval.low + (high - f.interval.low) * t
                        })
                        .sum();
                    let slack = picked.abs() * 1e-12;
                    prop_assert!(
                        sum.interval.low - slack <= picked && picked <= sum.interval.high + slack,
                        "{} does not hold {}", sum.compact(), picked
                    );
                    prop_assert_eq!(sum.approx, figures.iter().any(|f| f.approx));
                }
            }
        }
    }
}
