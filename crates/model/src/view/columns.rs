//! The tables the tabs list, and the columns each shows.

/// A column: its title, how wide it likes to be, and how soon it goes on
/// narrow screens (0 never goes, higher goes first).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: u16,
    pub drop: u8,
    pub right: bool,
}

pub(crate) const fn col(title: &'static str, width: u16, drop: u8, right: bool) -> Column {
    Column {
        title,
        width,
        drop,
        right,
    }
}

pub const PROVIDER_COLUMNS: &[Column] = &[
    col("Party", 20, 0, false),
    col("Parent", 10, 6, false),
    col("Kind", 11, 4, false),
    // Before Bought: a buyer's Sold is "—", and what it bought says more
    // than the word "buyer".
    col("Roles", 14, 2, false),
    col("Deals", 5, 0, true),
    col("Sold", 16, 0, true),
    col("Bought", 16, 1, true),
    col("GW sold", 7, 2, true),
    col("Cpty", 4, 3, true),
    col("Share", 8, 5, true),
];

pub const COMMITMENT_COLUMNS: &[Column] = &[
    col("Buyer", 12, 1, false),
    col("Provider", 21, 0, false),
    col("Kind", 10, 1, false),
    col("Value", 11, 0, true),
    col("GW", 6, 1, true),
    col("Term", 7, 0, true),
    col("Per year", 10, 1, true),
    col("Announced", 10, 3, false),
    col("Status", 9, 1, false),
    col("Online by", 10, 2, false),
    col("Share", 8, 0, true),
];

pub const NOTE_COLUMNS: &[Column] = &[
    col("Date", 10, 0, false),
    col("Subject", 10, 1, false),
    col("Kind", 9, 2, false),
    col("Change", 7, 0, true),
    col("Amount", 8, 0, true),
    col("Headline", 24, 0, false),
];

/// The Flows tab's list: one row per buyer of the matrix.
pub const FLOW_COLUMNS: &[Column] = &[col("Buyer", 16, 0, false)];

/// The tables the tabs list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Parties,
    Commitments,
    Notes,
    /// The Flows matrix's buyers.
    Flows,
}

impl Table {
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Parties => PROVIDER_COLUMNS,
            Table::Commitments => COMMITMENT_COLUMNS,
            Table::Notes => NOTE_COLUMNS,
            Table::Flows => FLOW_COLUMNS,
        }
    }
}
