//! Interval arithmetic under hedged figures, and the envelope of sources
//! that give different figures for the same thing.

use super::{Figure, Qualifier, Unit};

/// The values a figure allows, in base units. `low <= high`; `high` may be
/// `f64::INFINITY` (a lower bound), and `low` may be `f64::NEG_INFINITY`
/// only for an upper bound on a negative number ("up to -2%").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// `[x, x]`.
    pub fn point(x: f64) -> Interval {
        Interval { low: x, high: x }
    }

    /// `[low, high]`, or `None` if either end is NaN or `low > high`.
    pub fn new(low: f64, high: f64) -> Option<Interval> {
        (!low.is_nan() && !high.is_nan() && low <= high).then_some(Interval { low, high })
    }

    /// `[0, x]`: "up to x". A negative `x` (a percent) has no floor.
    pub fn up_to(x: f64) -> Interval {
        let low = if x >= 0.0 { 0.0 } else { f64::NEG_INFINITY };
        Interval { low, high: x }
    }

    /// `[x, ∞)`: "more than x".
    pub fn at_least(x: f64) -> Interval {
        Interval {
            low: x,
            high: f64::INFINITY,
        }
    }

    /// The interval a format 1 qualifier implies for `value`.
    pub fn of(qualifier: Qualifier, value: f64) -> Interval {
        match qualifier {
            Qualifier::Exact | Qualifier::Approx | Qualifier::Range => Interval::point(value),
            Qualifier::Upper | Qualifier::Below => Interval::up_to(value),
            Qualifier::Lower => Interval::at_least(value),
        }
    }

    pub fn is_point(self) -> bool {
        self.low == self.high
    }

    /// The low end, `None` when unbounded (for exports: an empty cell).
    pub fn low_bound(self) -> Option<f64> {
        self.low.is_finite().then_some(self.low)
    }

    /// The high end, `None` when unbounded (for exports: an empty cell).
    pub fn high_bound(self) -> Option<f64> {
        self.high.is_finite().then_some(self.high)
    }

    /// Whether `x` lies inside.
    pub fn contains(self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    /// The interval sum: `[a, b] + [c, d] = [a + c, b + d]`.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: Interval) -> Interval {
        let low = self.low + other.low;
        let high = self.high + other.high;
        // -∞ + ∞ has no meaning: the sum is then unbounded on that side.
        Interval {
            low: if low.is_nan() { f64::NEG_INFINITY } else { low },
            high: if high.is_nan() { f64::INFINITY } else { high },
        }
    }

    /// Times a number; a negative factor swaps the ends.
    pub fn scale(self, factor: f64) -> Interval {
        let (a, b) = (times(self.low, factor), times(self.high, factor));
        if a <= b {
            Interval { low: a, high: b }
        } else {
            Interval { low: b, high: a }
        }
    }

    /// The product of two non-negative intervals; `None` if either has a
    /// negative end.
    #[allow(clippy::should_implement_trait)]
    pub fn mul(self, other: Interval) -> Option<Interval> {
        if self.low < 0.0 || other.low < 0.0 {
            return None;
        }
        Some(Interval {
            low: times(self.low, other.low),
            high: times(self.high, other.high),
        })
    }

    /// The quotient of two non-negative intervals: `[a/d, b/c]`, unbounded
    /// above when `c` is 0. `None` if either has a negative end or the
    /// divisor is `[0, 0]`.
    #[allow(clippy::should_implement_trait)]
    pub fn div(self, divisor: Interval) -> Option<Interval> {
        if self.low < 0.0 || divisor.low < 0.0 || divisor.high == 0.0 {
            return None;
        }
        let low = if divisor.high == f64::INFINITY {
            0.0
        } else {
            self.low / divisor.high
        };
        let high = if divisor.low == 0.0 || self.high == f64::INFINITY {
            f64::INFINITY
        } else {
            self.high / divisor.low
        };
        Interval::new(low, high)
    }

    /// From nothing to no end: what a quotient of a lower bound by a lower
    /// bound allows, or an envelope of "up to" one figure and "more than"
    /// another. It says nothing of a size.
    pub fn is_unbounded(self) -> bool {
        self.low <= 0.0 && self.high == f64::INFINITY
    }

    /// The smallest interval holding both.
    pub fn hull(self, other: Interval) -> Interval {
        Interval {
            low: self.low.min(other.low),
            high: self.high.max(other.high),
        }
    }
}

/// `a × b` where 0 × ∞ is 0: nothing of an unbounded thing is nothing.
fn times(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 { 0.0 } else { a * b }
}

/// Several sources' figures for one thing, taken together.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Where they agree, the figure they give; where they do not, the
    /// smallest interval holding every one, marked approximate.
    pub figure: Figure,
    /// Whether every source gives the same figure (same hedge, same
    /// interval, however worded: "$22.4bn" and "$22.4 billion" agree;
    /// "about $20bn" and "$20bn" do not).
    pub agree: bool,
    /// How many figures it covers.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("no figures to take the envelope of")]
    Empty,
    #[error("alternatives in different units: {first:?} and {other:?}")]
    MixedUnits { first: String, other: String },
}

/// The envelope of attributed alternatives ("nearly 43%" from one source,
/// "36%" from another). Arithmetic on a disputed figure uses the envelope;
/// the display shows each source's own figure.
pub fn envelope<'a>(
    figures: impl IntoIterator<Item = &'a Figure>,
) -> Result<Envelope, EnvelopeError> {
    let mut iter = figures.into_iter();
    let first = iter.next().ok_or(EnvelopeError::Empty)?;
    let mut hull = first.interval;
    let mut agree = true;
    let mut count = 1;
    for f in iter {
        if !same_unit(&f.unit, &first.unit) {
            return Err(EnvelopeError::MixedUnits {
                first: first.text.to_string(),
                other: f.text.to_string(),
            });
        }
        agree &= f.qualifier == first.qualifier
            && f.approx == first.approx
            && close(f.interval.low, first.interval.low)
            && close(f.interval.high, first.interval.high);
        hull = hull.hull(f.interval);
        count += 1;
    }
    let figure = if agree {
        first.clone()
    } else {
        Figure::from_interval(hull, true, first.unit.clone())
            .unwrap_or_else(|| Figure::derived(Qualifier::Approx, first.value, first.unit.clone()))
    };
    Ok(Envelope {
        figure,
        agree,
        count,
    })
}

/// Units that may be compared: count nouns must match too.
fn same_unit(a: &Unit, b: &Unit) -> bool {
    a == b
}

/// Equal to display precision and beyond: "$22.4bn" parsed twice, or
/// 22.4e9 against 22.4 × 1e9.
fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= a.abs().max(b.abs()) * 1e-12
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2(s: &str) -> Figure {
        Figure::parse_v2(s, None).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn interval_sums_are_interval_arithmetic() {
        let cases: &[(&[&str], &str)] = &[
            (&["$5–10bn", "$20bn"], "$25–30bn"),
            (&["$5bn-$10bn", "$20bn", "$1bn"], "$26–31bn"),
            (&["$5–10bn", "about $20bn"], "~$25–30bn"),
            (&["$5–10bn", ">$20bn"], ">$25bn"),
            (&["$5–10bn", "up to $4bn"], "$5–14bn"),
            (&["$5–10bn", "nearly $4bn"], "$5–14bn"),
            (&["tens of billions of dollars", "$5bn"], "$15–105bn"),
            (&["5 to 10 GW", "500 MW"], "5.5–10.5 GW"),
            (&["$38bn", "nearly $2bn", "$5–10bn"], "$43–50bn"),
            // Format 1's hedges keep format 1's rule.
            (&["$38bn", "nearly $2bn"], "≤$40bn"),
            (&[">$38bn", "up to $2bn"], "~$40bn"),
            (&["$38bn", "$250bn", "$300bn", "$22.4bn"], "$610.4bn"),
        ];
        for (terms, expected) in cases {
            let figures: Vec<Figure> = terms.iter().map(|t| v2(t)).collect();
            let sum = Figure::sum(&figures).unwrap_or_else(|| panic!("{terms:?}"));
            assert_eq!(sum.compact(), *expected, "{terms:?}");
            assert_eq!(sum.text, *expected);
        }
    }

    #[test]
    fn interval_products_and_quotients() {
        let a = Interval::new(2.0, 4.0).unwrap_or(Interval::point(0.0));
        let b = Interval::new(1.0, 2.0).unwrap_or(Interval::point(0.0));
        assert_eq!(a.mul(b), Interval::new(2.0, 8.0));
        assert_eq!(a.div(b), Interval::new(1.0, 4.0));
        assert_eq!(
            a.div(Interval::at_least(2.0)),
            Interval::new(0.0, 2.0),
            "over a lower bound: an upper bound"
        );
        assert_eq!(
            a.div(Interval::up_to(2.0)),
            Interval::new(1.0, f64::INFINITY),
            "over an upper bound: a lower bound"
        );
        assert_eq!(
            Interval::at_least(3.0).mul(Interval::point(0.0)),
            Some(Interval::point(0.0))
        );
        assert_eq!(a.div(Interval::point(0.0)), None);
        assert_eq!(Interval::up_to(-2.0).mul(a), None);
        assert_eq!(
            a.scale(-1.0),
            Interval {
                low: -4.0,
                high: -2.0
            }
        );
        assert_eq!(Interval::new(3.0, 1.0), None);
        assert_eq!(Interval::new(f64::NAN, 1.0), None);
        assert_eq!(Interval::at_least(1.0).high_bound(), None);
        assert_eq!(Interval::up_to(1.0).low_bound(), Some(0.0));
        assert_eq!(Interval::up_to(-1.0).low_bound(), None);
    }

    #[test]
    fn envelopes_of_alternatives() {
        let cases: &[(&[&str], &str, bool)] = &[
            (&["$22.4bn", "$22.4 billion"], "$22.4bn", true),
            (&["nearly 43%", "36%"], "~≤43%", false),
            (&["38%", "43%"], "~38–43%", false),
            (&["about $20bn", "$20bn"], "~$20bn", false),
            (&["$10bn", ">$12bn"], "~>$10bn", false),
            (&["$5–10bn", "$8–12bn", "$9bn"], "~$5–12bn", false),
            (&["up to $4bn"], "≤$4bn", true),
        ];
        for (alternatives, shown, agree) in cases {
            let figures: Vec<Figure> = alternatives.iter().map(|t| v2(t)).collect();
            let e = envelope(&figures).unwrap_or_else(|err| panic!("{alternatives:?}: {err}"));
            assert_eq!(e.figure.compact(), *shown, "{alternatives:?}");
            assert_eq!(e.agree, *agree, "{alternatives:?}");
            assert_eq!(e.count, alternatives.len());
            assert!(e.agree || e.figure.approx, "a dispute is approximate");
        }
        assert_eq!(envelope([]), Err(EnvelopeError::Empty));
        assert!(matches!(
            envelope([&v2("$5bn"), &v2("5 GW")]),
            Err(EnvelopeError::MixedUnits { .. })
        ));
    }
}
