//! The Market notes table: one row per note.
//!
//! A column is one variant of the enum below and one arm in each of its
//! matches (title and width, cell, sort key, whether it may hide), so the
//! compiler holds them together.

use std::borrow::Cow;

use crate::data::Vocabulary;
use crate::text::escape_controls;

use super::cells::*;
use super::columns::{Column, col};
use super::data::ViewData;
use super::sort::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteColumn {
    Date,
    Subject,
    Kind,
    Change,
    Amount,
    Headline,
}

impl NoteColumn {
    /// In the order the table shows them.
    pub const ALL: [NoteColumn; 6] = [
        NoteColumn::Date,
        NoteColumn::Subject,
        NoteColumn::Kind,
        NoteColumn::Change,
        NoteColumn::Amount,
        NoteColumn::Headline,
    ];

    /// Title, preferred width, how soon it goes on narrow screens (0
    /// never, higher first), and whether it is right-aligned.
    pub const fn spec(self) -> Column {
        match self {
            Self::Date => col("Date", 10, 0, false),
            Self::Subject => col("Subject", 10, 1, false),
            Self::Kind => col("Kind", 9, 2, false),
            Self::Change => col("Change", 7, 0, true),
            Self::Amount => col("Amount", 8, 0, true),
            Self::Headline => col("Headline", 24, 0, false),
        }
    }

    /// Whether the column may be left out when every row reads the same
    /// (only columns format 2 brought, so a format 1 file looks as it did).
    pub const fn hideable(self) -> bool {
        false
    }

    /// The cell of row `i`, as the table shows it, control characters
    /// escaped.
    pub fn cell(self, view: &ViewData, i: usize) -> Cow<'_, str> {
        let ds = &view.dataset;
        let n = &ds.notes[i];
        match self {
            Self::Date => or_dash(n.date.map(|d| d.to_string())),
            // A subject that is a party goes by the party's name.
            Self::Subject => escape_controls(
                n.subject_party
                    .as_deref()
                    .map_or(n.subject.as_str(), |p| party_name(ds, p)),
            ),
            Self::Kind => Cow::Borrowed(n.kind.as_str()),
            Self::Change => Cow::Owned(n.change.as_ref().map_or(String::new(), |c| {
                format!(
                    "{}{}",
                    disputed_mark(&n.alternatives, "change"),
                    change_text(c)
                )
            })),
            Self::Amount => Cow::Owned(n.amount.as_ref().map_or(String::new(), |a| {
                format!(
                    "{}{}",
                    disputed_mark(&n.alternatives, "amount"),
                    a.compact()
                )
            })),
            Self::Headline => escape_controls(&n.headline),
        }
    }

    /// The sort key of each row in this column, as a function of the row.
    pub fn key<'a>(self, view: &'a ViewData) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let ds = &view.dataset;
        let ranked = |ranks: Vec<u32>| -> Box<dyn Fn(usize) -> SortKey + 'a> {
            Box::new(move |i| rank_key(ranks[i]))
        };
        match self {
            Self::Date => Box::new(|i| date_key(ds.notes[i].date.and_then(|d| d.anchor()))),
            Self::Subject => ranked(text_ranks(
                ds.notes.iter().map(|n| Some(n.subject.as_str())),
            )),
            Self::Kind => Box::new(|i| SortKey::Text(word_rank(ds.notes[i].kind))),
            Self::Change => Box::new(|i| figure_key(ds.notes[i].change.as_ref())),
            Self::Amount => Box::new(|i| figure_key(ds.notes[i].amount.as_ref())),
            Self::Headline => ranked(text_ranks(
                ds.notes.iter().map(|n| Some(n.headline.as_str())),
            )),
        }
    }
}

const SPECS: [Column; 6] = {
    let mut out = [col("", 0, 0, false); 6];
    let mut i = 0;
    while i < out.len() {
        out[i] = NoteColumn::ALL[i].spec();
        i += 1;
    }
    out
};

pub const NOTE_COLUMNS: &[Column] = &SPECS;
