//! The tables the tabs list, and what a column is.

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

/// The Flows tab's list: one row per buyer of the matrix.
pub const FLOW_COLUMNS: &[Column] = &[col("Buyer", 16, 0, false)];

/// The tables the tabs list. Each one's columns are an enum in its own
/// file (`parties`, `commitments`, `notes`, `sites`, `clusters`); `Table::columns` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Parties,
    Commitments,
    Notes,
    /// The Flows matrix's buyers.
    Flows,
    Sites,
    Clusters,
}
