//! One module per tab; `list` is the table widget they share.

pub mod commitments;
pub mod list;
pub mod notes;
pub mod providers;
pub mod ramp;
