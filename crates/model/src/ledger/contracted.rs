//! Power under contract over time, per provider, for the ramp's stacked
//! view. Each deal's gigawatts arrive across its hedged dates, from the
//! first day its start allows to the last day its online-by allows, so a
//! deal "online in the second half of 2026" ramps across that half rather
//! than jumping at one day. A power figure keeps its hedge as an interval:
//! its low end is what is sure, and what it may be beyond that ("up to",
//! "at least", a range) is kept apart, never added to the sure part.

use chrono::NaiveDate;

use crate::data::{Commitment, Dataset, PowerLayer, Vocabulary};
use crate::figure::{Figure, Interval, Unit};

/// One deal's power coming online.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    /// Index into `Dataset::commitments`.
    pub deal: usize,
    /// Gigawatts surely contracted: the figure's low end ("up to 1 GW": 0).
    pub low: f64,
    /// The most it may be: the high end, `INFINITY` for "at least".
    pub high: f64,
    /// The power arrives evenly from `from` to `to`; at once when equal.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Arrival {
    /// The share of the deal online by `day`: 0 before `from`, 1 from `to`.
    pub fn share_at(&self, day: NaiveDate) -> f64 {
        if day < self.from {
            0.0
        } else if day >= self.to {
            1.0
        } else {
            let span = (self.to - self.from).num_days() as f64;
            (day - self.from).num_days() as f64 / span
        }
    }
}

/// A provider's deals with the buyer.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Party id.
    pub provider: String,
    pub arrivals: Vec<Arrival>,
    /// Every arrival in: sure gigawatts, and the most they may be.
    pub low: f64,
    pub high: f64,
    /// Whether any of its figures is approximate ("about 2 GW").
    pub approx: bool,
}

impl Band {
    /// The band's power once every deal is in, hedge kept: "10 GW",
    /// ">10 GW", "≤1 GW", "~4.5–5 GW".
    pub fn figure(&self) -> Option<Figure> {
        let interval = Interval::new(self.low * 1e9, self.high * 1e9)?;
        Figure::from_interval(interval, self.approx, Unit::Power)
    }
}

/// One buyer's contracted power over time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contracted {
    /// Party id.
    pub buyer: String,
    /// The layer its deals' power measures: layers are never stacked
    /// together, as the same watts show up in each.
    pub layer: Option<PowerLayer>,
    /// Per provider, the most sure gigawatts first (then the most it may
    /// be, then by id), so the stack's largest band is at its foot.
    pub bands: Vec<Band>,
    /// Deals with power but neither a start nor an online-by date: there
    /// is no day to put them on, so they are said, not drawn.
    pub undated: Vec<usize>,
}

/// Days after an origin, as the sweeps count them.
fn day_number(day: NaiveDate) -> f64 {
    f64::from(chrono::Datelike::num_days_from_ce(&day))
}

/// When a deal's power arrives: from the first day its start allows (else
/// its start's last day, else its online-by's first day, else its
/// announcement), to the last day its online-by allows (else that date's
/// first day, else its start's last day). `None` without a start or an
/// online-by date.
pub fn arrival_days(c: &Commitment) -> Option<(NaiveDate, NaiveDate)> {
    let starts = c.starts();
    let online = c.online_by.as_ref();
    let to = online
        .and_then(|d| d.latest.or(d.earliest))
        .or_else(|| starts.and_then(|d| d.latest.or(d.earliest)))?;
    let from = starts
        .and_then(|d| d.earliest.or(d.latest))
        .or_else(|| online.and_then(|d| d.earliest))
        .or_else(|| c.announced.and_then(|d| d.anchor()))
        .unwrap_or(to);
    Some((from.min(to), to.max(from)))
}

impl Contracted {
    /// The sure power of its layer online by `day`, which a ramp to the
    /// plan's target starts from. `None` without a layer (no dated power).
    pub fn online_at(&self, day: NaiveDate) -> Option<super::derived::OnlineAtStart> {
        let layer = self.layer?;
        let gw: f64 = self
            .bands
            .iter()
            .flat_map(|b| &b.arrivals)
            .map(|a| a.low * a.share_at(day))
            .sum();
        Some(super::derived::OnlineAtStart {
            watts: gw * 1e9,
            layer: layer.as_str(),
        })
    }

    /// `online_at` the plan's day for the plan's buyer, its deals counted
    /// as the totals count them.
    pub fn online_at_start(
        dataset: &Dataset,
        counts: &[bool],
        plan: &crate::data::Capacity,
    ) -> Option<super::derived::OnlineAtStart> {
        Contracted::new(dataset, counts, &plan.buyer)
            .online_at(super::derived::plan_as_of(dataset, plan))
    }

    /// The deals of `buyer` that count (`counts`, per commitment) and have
    /// a power figure, by provider, in the hosting layer if the buyer has
    /// such deals, else the chips layer, else the grid's.
    pub fn new(dataset: &Dataset, counts: &[bool], buyer: &str) -> Contracted {
        let has = |layer: PowerLayer| {
            dataset.commitments.iter().enumerate().any(|(i, c)| {
                c.buyer == buyer
                    && c.kind.is_spending()
                    && c.power().is_some()
                    && c.power_layer() == Some(layer)
                    && counts.get(i).copied().unwrap_or(false)
            })
        };
        let layer = [PowerLayer::Hosting, PowerLayer::Chips, PowerLayer::Grid]
            .into_iter()
            .find(|&l| has(l));
        Contracted::of_layer(dataset, counts, buyer, layer)
    }

    /// `new`, for the deals of one layer.
    pub fn of_layer(
        dataset: &Dataset,
        counts: &[bool],
        buyer: &str,
        layer: Option<PowerLayer>,
    ) -> Contracted {
        let mut bands: Vec<Band> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut undated = Vec::new();
        for (i, c) in dataset.commitments.iter().enumerate() {
            if c.buyer != buyer
                || !c.kind.is_spending()
                || c.power_layer() != layer
                || !counts.get(i).copied().unwrap_or(false)
            {
                continue;
            }
            let Some(power) = c.power() else {
                continue;
            };
            let Some((from, to)) = arrival_days(c) else {
                undated.push(i);
                continue;
            };
            let (low, high) = (power.interval.low / 1e9, power.interval.high / 1e9);
            let at = *index.entry(c.provider.as_str()).or_insert_with(|| {
                bands.push(Band {
                    provider: c.provider.to_string(),
                    arrivals: Vec::new(),
                    low: 0.0,
                    high: 0.0,
                    approx: false,
                });
                bands.len() - 1
            });
            let band = &mut bands[at];
            band.low += low.max(0.0);
            band.high += high;
            band.approx |= power.approx;
            band.arrivals.push(Arrival {
                deal: i,
                low: low.max(0.0),
                high,
                from,
                to,
            });
        }
        bands.sort_by(|a, b| {
            b.low
                .total_cmp(&a.low)
                .then(a.high.total_cmp(&b.high))
                .then(a.provider.cmp(&b.provider))
        });
        Contracted {
            buyer: buyer.to_string(),
            layer,
            bands,
            undated,
        }
    }

    /// The sure gigawatts of a band online by `day`.
    pub fn band_at(&self, band: usize, day: NaiveDate) -> f64 {
        self.bands.get(band).map_or(0.0, |b| {
            b.arrivals.iter().map(|a| a.low * a.share_at(day)).sum()
        })
    }

    /// The sure gigawatts of every band online by `day`, and the most they
    /// may be (`INFINITY` once an "at least" deal has begun to arrive).
    pub fn total_at(&self, day: NaiveDate) -> (f64, f64) {
        let mut low = 0.0;
        let mut high = 0.0;
        for a in self.bands.iter().flat_map(|b| &b.arrivals) {
            let share = a.share_at(day);
            low += a.low * share;
            if share > 0.0 {
                high += if a.high.is_finite() {
                    a.high * share
                } else {
                    f64::INFINITY
                };
            }
        }
        (low, high)
    }

    /// Sure gigawatts online at each of `days` (ascending), summed over the
    /// bands `bands` picks: one sweep over their arrivals, not one pass per
    /// day, so a frame stays cheap with thousands of deals.
    pub fn low_series(&self, bands: impl Iterator<Item = usize>, days: &[NaiveDate]) -> Vec<f64> {
        let arrivals = bands
            .filter_map(|b| self.bands.get(b))
            .flat_map(|b| &b.arrivals)
            .map(|a| (a.from, a.to, a.low));
        sweep(arrivals, days)
    }

    /// The most the gigawatts online at each of `days` (ascending) may be.
    pub fn high_series(&self, days: &[NaiveDate]) -> Vec<f64> {
        let all = || self.bands.iter().flat_map(|b| &b.arrivals);
        let finite = sweep(
            all()
                .filter(|a| a.high.is_finite())
                .map(|a| (a.from, a.to, a.high)),
            days,
        );
        let unbounded_from = all().filter(|a| !a.high.is_finite()).map(|a| a.from).min();
        days.iter()
            .zip(finite)
            .map(|(day, v)| match unbounded_from {
                Some(from) if *day >= from => f64::INFINITY,
                _ => v,
            })
            .collect()
    }

    /// The sure gigawatts once everything is in, and the most they may be.
    pub fn totals(&self) -> (f64, f64) {
        self.bands
            .iter()
            .fold((0.0, 0.0), |(l, h), b| (l + b.low, h + b.high))
    }

    /// The day the last deal is fully in.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.bands
            .iter()
            .flat_map(|b| &b.arrivals)
            .map(|a| a.to)
            .max()
    }
}

/// The sum of linear arrivals (`from`, `to`, amount) at each of `days`
/// (ascending): a piecewise-linear function swept once, its slope changing
/// where an arrival starts or ends.
fn sweep(
    arrivals: impl Iterator<Item = (NaiveDate, NaiveDate, f64)>,
    days: &[NaiveDate],
) -> Vec<f64> {
    // (day, step in value, change of slope per day)
    let mut events: Vec<(f64, f64, f64)> = Vec::new();
    for (from, to, amount) in arrivals {
        let (a, b) = (day_number(from), day_number(to));
        if b > a {
            let slope = amount / (b - a);
            events.push((a, 0.0, slope));
            events.push((b, 0.0, -slope));
        } else {
            events.push((a, amount, 0.0));
        }
    }
    events.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut out = Vec::with_capacity(days.len());
    let (mut value, mut slope, mut at) = (0.0, 0.0, f64::NEG_INFINITY);
    let mut next = events.iter().peekable();
    for day in days {
        let t = day_number(*day);
        while let Some(&&(when, step, change)) = next.peek() {
            if when > t {
                break;
            }
            if at.is_finite() {
                value += slope * (when - at);
            }
            at = when;
            value += step;
            slope += change;
            next.next();
        }
        let since = if at.is_finite() { t - at } else { 0.0 };
        out.push(value + slope * since);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn the_sweep_agrees_with_the_direct_sum() {
        let arrivals = [
            (day("2026-01-01"), day("2026-01-01"), 4.0),
            (day("2026-07-01"), day("2026-12-31"), 3.0),
            (day("2026-03-01"), day("2027-03-01"), 1.5),
        ];
        let days: Vec<NaiveDate> = (0..30)
            .map(|k| day("2025-12-01") + chrono::Days::new(k * 17))
            .collect();
        let swept = sweep(arrivals.iter().copied(), &days);
        for (d, v) in days.iter().zip(swept) {
            let direct: f64 = arrivals
                .iter()
                .map(|&(from, to, amount)| {
                    amount
                        * Arrival {
                            deal: 0,
                            low: 0.0,
                            high: 0.0,
                            from,
                            to,
                        }
                        .share_at(*d)
                })
                .sum();
            assert!((v - direct).abs() < 1e-9, "{d}: {v} vs {direct}");
        }
    }
}
