//! Sort keys and the orders they make: missing values last either way, ties
//! in file order.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::data::Vocabulary;
use crate::figure::Figure;

/// A sortable cell value; missing values sort last in either direction.
/// Text is its rank among the column's texts, lowercased: 16 bytes, and
/// compared without touching the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SortKey {
    /// The lowercased text's place in its column's sorted texts.
    Text(u32),
    Number(f64),
    Date(NaiveDate),
    Missing,
}

impl SortKey {
    /// Ascending order with `Missing` after everything.
    pub fn cmp_present(&self, other: &SortKey) -> Option<Ordering> {
        match (self, other) {
            (SortKey::Text(a), SortKey::Text(b)) => Some(a.cmp(b)),
            (SortKey::Number(a), SortKey::Number(b)) => Some(a.total_cmp(b)),
            (SortKey::Date(a), SortKey::Date(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// Each text's rank among `texts` in lowercase order, equal texts (ignoring
/// case) equal; `None` (no text) ranks `u32::MAX`.
pub(crate) fn text_ranks<'t>(texts: impl Iterator<Item = Option<&'t str>>) -> Vec<u32> {
    let lowered: Vec<Option<String>> = texts.map(|t| t.map(str::to_lowercase)).collect();
    let mut order: Vec<usize> = (0..lowered.len())
        .filter(|&i| lowered[i].is_some())
        .collect();
    order.sort_unstable_by(|&a, &b| lowered[a].cmp(&lowered[b]));
    let mut rank = vec![u32::MAX; lowered.len()];
    let mut r = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && lowered[order[k - 1]] != lowered[i] {
            r += 1;
        }
        rank[i] = r;
    }
    rank
}

/// A word's rank among its vocabulary's words, in text order.
pub(crate) fn word_rank<V: Vocabulary>(v: V) -> u32 {
    let word = v.as_str();
    V::ALL.iter().filter(|w| w.as_str() < word).count() as u32
}

pub(crate) fn figure_key(f: Option<&Figure>) -> SortKey {
    f.map_or(SortKey::Missing, |f| SortKey::Number(f.value))
}

pub(crate) fn date_key(d: Option<NaiveDate>) -> SortKey {
    d.map_or(SortKey::Missing, SortKey::Date)
}

pub(crate) fn rank_key(rank: u32) -> SortKey {
    if rank == u32::MAX {
        SortKey::Missing
    } else {
        SortKey::Text(rank)
    }
}

/// A hedged date's sort key: by its earliest day, else its latest, with
/// `HedgedDate`'s own order breaking ties inside a day.
pub(crate) fn hedged_date_key(d: Option<crate::figure::HedgedDate>) -> SortKey {
    date_key(d.and_then(|d| d.anchor()))
}
