//! Data files: the model, the loader, and its errors.
//!
//! The modules form a chain with no way back: `ids` (shared ids and
//! citations) and `vocabulary` (closed word sets) are the atoms `site`
//! and `model` are made of; `position` (offsets to lines
//! and columns) and `raw` (the TOML tree's records, and the keys each may
//! have in each format) stand alone; `error` says what is wrong and where;
//! `validate` checks a parsed file against the data contract (formats 1 and
//! 2, summarised in the README) and builds the `model`; `sections` reads a
//! plainly valid file a table at a time, keeping each deal or only what
//! its checks need (`kept`); `load` reads text, by sections or whole;
//! `read` reads files from disk, guarded and with progress; `deals` reads
//! a valid file's deals twice instead of holding them, for an export;
//! `epoch` reads Epoch AI's CSV tables (data centers, their timelines, GPU
//! clusters) as files of a set; `set` merges files into one set, and `cache` keeps a set's files
//! between loads so that a reload reads only what changed. This
//! module holds the contract's constants and re-exports what the rest of
//! gigawatt uses.

mod cache;
mod deals;
pub mod epoch;
mod error;
mod ids;
mod kept;
mod load;
pub mod model;
mod position;
mod raw;
mod read;
mod sections;
mod set;
mod site;
mod syntax;
mod validate;
mod vocabulary;

mod limits;
pub use limits::*;

pub use cache::{SetCache, SetReload};
pub use deals::{DealError, DealFile, read_deal_file};
pub use error::{LoadError, Problem};
pub use load::{WHOLE_READ_BYTES, key_path_at, load_bytes, load_diagnosed, load_str, load_whole};
pub use model::*;
pub use position::{Position, line_column};
pub use read::{Progress, Stage, load_file, load_file_with_progress, read_file};
pub use sections::load_reader;
pub use set::{
    BUNDLED_FILES, Counts, FileOutcome, SetFile, SetLoad, SetOutcome, Warning, bundled_set, expand,
    expand_noting, is_data_file, load_set, merge, merge_shared, read_set,
};

/// The bundled set, merged. It is checked by the test suite, so a failure
/// here is a build defect, reported as an error rather than a panic all the
/// same.
pub fn bundled() -> Result<Dataset, LoadError> {
    bundled_set().into_result().map(|set| set.dataset)
}
