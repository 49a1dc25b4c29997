//! What the tabs show, from one dataset. Worked out once per load: which
//! records count, each party's totals, the deals' names and their order,
//! the Flows matrix. Read from the records when asked (`Rows`): a table's
//! cells (formatted for the rows on screen only), its sort keys (when a
//! column is sorted) and its search (over the records' own text, with no
//! lowercased copy). So a view costs little beyond its dataset, and still
//! no keystroke re-parses a figure.
//!
//! - [`columns`]: the tables and their columns; [`sort`]: sort keys and
//!   orders; [`cells`]: how a figure reads in a cell;
//! - [`data`]: the `ViewData` a load works out, and [`build`], how;
//! - [`parties`], [`commitments`], [`notes`], [`sites`], [`clusters`]: each table's columns, one
//!   enum with its title, width, cell, sort key and whether it may hide;
//! - [`rows`]: a table's rows, cells, search and marks.

pub mod build;
pub mod cells;
pub mod clusters;
pub mod columns;
pub mod commitments;
pub mod data;
pub mod notes;
pub mod parties;
pub mod rows;
pub mod sites;
pub mod sort;
#[cfg(test)]
mod tests;

pub use cells::*;
pub use clusters::{CLUSTER_COLUMNS, ClusterColumn};
pub use columns::*;
pub use commitments::{COMMITMENT_COLUMNS, CommitmentColumn};
pub use data::*;
pub use notes::{NOTE_COLUMNS, NoteColumn};
pub use parties::{PARTIES_OPENING_ORDER, PROVIDER_COLUMNS, PartyColumn};
pub use rows::*;
pub use sites::{SITE_COLUMNS, SiteColumn, mw_text, users_text};
pub use sort::*;
