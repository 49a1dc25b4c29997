//! The Parties table: one row per party, its roles, deals and totals.
//!
//! A column is one variant of the enum below and one arm in each of its
//! matches (title and width, cell, sort key, whether it may hide), so the
//! compiler holds them together.

use std::borrow::Cow;

use crate::data::Vocabulary;
use crate::figure::Figure;
use crate::text::escape_controls;

use super::cells::*;
use super::columns::{Column, col};
use super::data::ViewData;
use super::sort::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyColumn {
    Party,
    Parent,
    Kind,
    Roles,
    Deals,
    Sold,
    Bought,
    GwSold,
    Counterparties,
    Share,
}

impl PartyColumn {
    /// In the order the table shows them.
    pub const ALL: [PartyColumn; 10] = [
        PartyColumn::Party,
        PartyColumn::Parent,
        PartyColumn::Kind,
        PartyColumn::Roles,
        PartyColumn::Deals,
        PartyColumn::Sold,
        PartyColumn::Bought,
        PartyColumn::GwSold,
        PartyColumn::Counterparties,
        PartyColumn::Share,
    ];

    /// Title, preferred width, how soon it goes on narrow screens (0
    /// never, higher first), and whether it is right-aligned.
    pub const fn spec(self) -> Column {
        match self {
            Self::Party => col("Party", 20, 0, false),
            Self::Parent => col("Parent", 10, 6, false),
            Self::Kind => col("Kind", 11, 4, false),
            // Before Bought: a buyer's Sold is "—", and what it bought says
            // more than the word "buyer".
            Self::Roles => col("Roles", 14, 2, false),
            // Every record it is in, counted or not; the totals say how many count.
            Self::Deals => col("Records", 7, 0, true),
            Self::Sold => col("Sold", 16, 0, true),
            Self::Bought => col("Bought", 16, 1, true),
            Self::GwSold => col("GW sold", 7, 2, true),
            Self::Counterparties => col("Cpty", 4, 3, true),
            Self::Share => col("Share", 8, 5, true),
        }
    }

    /// Whether the column may be left out when every row reads the same
    /// (only columns format 2 brought, so a format 1 file looks as it did).
    pub const fn hideable(self) -> bool {
        matches!(
            self,
            Self::Roles | Self::Bought | Self::GwSold | Self::Counterparties
        )
    }

    /// The cell of row `i`, as the table shows it, control characters
    /// escaped.
    pub fn cell(self, view: &ViewData, i: usize) -> Cow<'_, str> {
        let p = &view.dataset.providers[i];
        let facts = &view.party_facts[i];
        match self {
            Self::Party => escape_controls(&p.name),
            Self::Parent => match p.parent.as_deref() {
                Some(parent) => escape_controls(parent),
                None => Cow::Borrowed("—"),
            },
            Self::Kind => Cow::Borrowed(p.kind.as_str()),
            Self::Roles => Cow::Borrowed(party_roles(view, i)),
            Self::Deals => Cow::Owned(facts.records.to_string()),
            Self::Sold if !facts.sells && facts.sold_any => Cow::Borrowed("—"),
            Self::Sold => Cow::Owned(money_cell(&view.provider_totals[i])),
            Self::Bought if !facts.buys => Cow::Borrowed("—"),
            Self::Bought => Cow::Owned(money_cell(&view.party_bought[i])),
            Self::GwSold => or_dash(view.party_gw_sold[i].as_ref().map(gw_text)),
            Self::Counterparties => Cow::Owned(facts.counterparties.to_string()),
            Self::Share
                if view.provider_totals[i]
                    .figure()
                    .is_some_and(Figure::is_unbounded) =>
            {
                Cow::Borrowed(UNBOUNDED)
            }
            Self::Share => Cow::Owned(share_text(view.party_share(i).as_ref())),
        }
    }

    /// The sort key of each row in this column, as a function of the row.
    pub fn key<'a>(self, view: &'a ViewData) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let ds = &view.dataset;
        let ranked = |ranks: Vec<u32>| -> Box<dyn Fn(usize) -> SortKey + 'a> {
            Box::new(move |i| rank_key(ranks[i]))
        };
        match self {
            Self::Party => Box::new(|i| rank_key(view.names.rank[i])),
            Self::Parent => ranked(text_ranks(ds.providers.iter().map(|p| p.parent.as_deref()))),
            Self::Kind => Box::new(|i| SortKey::Text(word_rank(ds.providers[i].kind))),
            Self::Roles => ranked(text_ranks(
                (0..ds.providers.len()).map(|i| Some(party_roles(view, i))),
            )),
            Self::Deals => Box::new(|i| SortKey::Number(f64::from(view.party_facts[i].records))),
            Self::Sold => Box::new(|i| figure_key(view.provider_totals[i].figure())),
            Self::Bought => Box::new(|i| figure_key(view.party_bought[i].figure())),
            Self::GwSold => Box::new(|i| figure_key(view.party_gw_sold[i].as_ref())),
            Self::Counterparties => {
                Box::new(|i| SortKey::Number(f64::from(view.party_facts[i].counterparties)))
            }
            Self::Share => Box::new(|i| figure_key(view.party_share(i).as_ref())),
        }
    }
}

const SPECS: [Column; 10] = {
    let mut out = [col("", 0, 0, false); 10];
    let mut i = 0;
    while i < out.len() {
        out[i] = PartyColumn::ALL[i].spec();
        i += 1;
    }
    out
};

pub const PROVIDER_COLUMNS: &[Column] = &SPECS;

/// What Parties opens sorted by, before any column sort: the money a party
/// sold and bought, largest first, so the build-out's big names lead.
pub const PARTIES_OPENING_ORDER: &str = "money sold + bought";

/// The key of `PARTIES_OPENING_ORDER`: each figure's point value, summed,
/// negated so that ascending order is largest first; parties with neither
/// a disclosed sale nor a purchase last.
pub(crate) fn money_key(view: &ViewData) -> Box<dyn Fn(usize) -> SortKey + '_> {
    Box::new(move |i| {
        let facts = &view.party_facts[i];
        let sold = facts
            .sells
            .then(|| view.provider_totals[i].figure())
            .flatten();
        let bought = facts.buys.then(|| view.party_bought[i].figure()).flatten();
        match (sold, bought) {
            (None, None) => SortKey::Missing,
            (s, b) => SortKey::Number(-(s.map_or(0.0, |f| f.value) + b.map_or(0.0, |f| f.value))),
        }
    })
}

/// What a party does in the deals in view.
pub(crate) fn party_roles(view: &ViewData, i: usize) -> &'static str {
    let facts = &view.party_facts[i];
    roles_text(facts.sells, facts.buys, facts.invests)
}
