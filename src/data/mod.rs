//! Data files: the model, the loader, and its errors.
//!
//! `raw` is the file as serde reads it; `load` checks it against the data
//! contract (`../shared/docs/data-format.md`, summarised in the README) and
//! builds the `model` the rest of the program reads; `sections` is load's
//! fast path for valid files, a table at a time.

mod error;
mod load;
pub mod model;
mod raw;
mod sections;

pub use error::{LoadError, Problem};
pub use load::{
    FORMATS, MAX_FILE_BYTES, key_path_at, line_column, load_bytes, load_file, load_reader,
    load_str, load_whole, read_file,
};
pub use model::*;

/// The dataset compiled into the binary, so gigawatt runs anywhere.
pub const BUNDLED: &str = include_str!("../../data/openai-compute.toml");

/// The name the bundled file goes by in messages.
pub const BUNDLED_NAME: &str = "data/openai-compute.toml";

/// The bundled dataset. It is checked by the test suite, so a failure here is
/// a build defect, reported as an error rather than a panic all the same.
pub fn bundled() -> Result<Dataset, LoadError> {
    load_str(BUNDLED, BUNDLED_NAME)
}
