//! gigawatt's model: figures and dates with their hedges, reading and
//! validating data files, the ledger's totals, flows and derived figures,
//! table views, exports and diffs. It knows nothing of the terminal: this
//! crate does not depend on ratatui or crossterm, so the compiler refuses
//! any import of the app's rooms.

pub mod data;
pub mod diff;
pub mod export;
pub mod figure;
pub mod import;
pub mod ledger;
pub mod problems;
pub mod template;
pub mod text;
pub mod view;
