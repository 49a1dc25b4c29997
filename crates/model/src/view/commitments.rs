//! The Commitments table: one row per deal record.
//!
//! A column is one variant of the enum below and one arm in each of its
//! matches (title and width, cell, sort key, whether it may hide), so the
//! compiler holds them together.

use std::borrow::Cow;

use crate::data::Vocabulary;
use crate::figure::Figure;
use crate::ledger;
use crate::text::escape_controls;

use super::cells::*;
use super::columns::{Column, col};
use super::data::ViewData;
use super::sort::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentColumn {
    Buyer,
    Provider,
    Kind,
    Value,
    Power,
    Term,
    PerYear,
    Announced,
    Status,
    OnlineBy,
    Share,
}

impl CommitmentColumn {
    /// In the order the table shows them.
    pub const ALL: [CommitmentColumn; 11] = [
        CommitmentColumn::Buyer,
        CommitmentColumn::Provider,
        CommitmentColumn::Kind,
        CommitmentColumn::Value,
        CommitmentColumn::Power,
        CommitmentColumn::Term,
        CommitmentColumn::PerYear,
        CommitmentColumn::Announced,
        CommitmentColumn::Status,
        CommitmentColumn::OnlineBy,
        CommitmentColumn::Share,
    ];

    /// Title, preferred width, how soon it goes on narrow screens (0
    /// never, higher first), and whether it is right-aligned.
    pub const fn spec(self) -> Column {
        match self {
            Self::Buyer => col("Buyer", 12, 1, false),
            Self::Provider => col("Provider", 21, 0, false),
            Self::Kind => col("Kind", 10, 1, false),
            Self::Value => col("Value", 11, 0, true),
            Self::Power => col("GW", 6, 1, true),
            Self::Term => col("Term", 7, 0, true),
            Self::PerYear => col("Per year", 10, 1, true),
            Self::Announced => col("Announced", 10, 3, false),
            Self::Status => col("Status", 9, 1, false),
            Self::OnlineBy => col("Online by", 10, 2, false),
            Self::Share => col("Share", 8, 0, true),
        }
    }

    /// Whether the column may be left out when every row reads the same
    /// (only columns format 2 brought, so a format 1 file looks as it did).
    pub const fn hideable(self) -> bool {
        matches!(self, Self::Buyer | Self::Kind | Self::Power)
    }

    /// The cell of row `i`, as the table shows it, control characters
    /// escaped.
    pub fn cell(self, view: &ViewData, i: usize) -> Cow<'_, str> {
        let c = &view.dataset.commitments[i];
        let mark = |field: &str| disputed_mark(c.alternatives(), field);
        match self {
            Self::Buyer => escape_controls(view.deal_party(i, 0)),
            Self::Provider => escape_controls(view.deal_party(i, 1)),
            Self::Kind => Cow::Borrowed(c.kind.as_str()),
            Self::Value => Cow::Owned(c.value.as_ref().map_or("undisclosed".into(), |v| {
                sources_far_apart(c.alternatives(), "value", v)
                    .unwrap_or_else(|| disputed_cell(mark("value"), v.compact()))
            })),
            Self::Power => or_dash(c.power().map(|p| disputed_cell(mark("power"), gw_text(p)))),
            Self::Term => or_dash(c.term.as_ref().map(Figure::compact)),
            Self::PerYear if unbounded(c) && c.term.is_some() => Cow::Borrowed(UNBOUNDED),
            Self::PerYear => or_dash(
                ledger::per_year_figure(c).map(|f| f.compact().trim_end_matches("/yr").to_string()),
            ),
            Self::Announced => date_text(c.announced),
            Self::Status => Cow::Borrowed(status_text(c.status)),
            Self::OnlineBy => date_text(c.online_by),
            Self::Share if unbounded(c) && view.counts[i] => Cow::Borrowed(UNBOUNDED),
            Self::Share => Cow::Owned(share_text(view.share(i).as_ref())),
        }
    }

    /// The sort key of each row in this column, as a function of the row.
    pub fn key<'a>(self, view: &'a ViewData) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let ds = &view.dataset;
        let side = usize::from(self == Self::Provider);
        match self {
            Self::Buyer | Self::Provider => {
                Box::new(move |i| SortKey::Text(view.names.rank[view.deal_names[i][side] as usize]))
            }
            Self::Kind => Box::new(|i| SortKey::Text(word_rank(ds.commitments[i].kind))),
            // A value bounded neither way is no more known than an
            // undisclosed one: it sorts with them, last, not as $0.
            Self::Value => Box::new(|i| {
                figure_key(
                    ds.commitments[i]
                        .value
                        .as_ref()
                        .filter(|v| !v.is_unbounded()),
                )
            }),
            Self::Power => Box::new(|i| figure_key(ds.commitments[i].power())),
            Self::Term => Box::new(|i| {
                ds.commitments[i]
                    .term
                    .as_ref()
                    .and_then(Figure::years)
                    .map_or(SortKey::Missing, SortKey::Number)
            }),
            Self::PerYear => Box::new(|i| {
                let c = &ds.commitments[i];
                let value = c.value.as_ref();
                let years = c.term.as_ref().and_then(Figure::years).filter(|y| *y > 0.0);
                value
                    .zip(years)
                    .map_or(SortKey::Missing, |(v, y)| SortKey::Number(v.value / y))
            }),
            Self::Announced => Box::new(|i| hedged_date_key(ds.commitments[i].announced)),
            Self::Status => Box::new(|i| SortKey::Text(word_rank(ds.commitments[i].status))),
            Self::OnlineBy => Box::new(|i| hedged_date_key(ds.commitments[i].online_by)),
            Self::Share => {
                let total = view.total.figure().map(|t| t.value).filter(|t| *t > 0.0);
                Box::new(move |i| {
                    let c = &ds.commitments[i];
                    match (view.counts[i], c.firm_value(), total) {
                        (true, Some(v), Some(t)) => SortKey::Number(v.value / t * 100.0),
                        _ => SortKey::Missing,
                    }
                })
            }
        }
    }
}

const SPECS: [Column; 11] = {
    let mut out = [col("", 0, 0, false); 11];
    let mut i = 0;
    while i < out.len() {
        out[i] = CommitmentColumn::ALL[i].spec();
        i += 1;
    }
    out
};

pub const COMMITMENT_COLUMNS: &[Column] = &SPECS;
