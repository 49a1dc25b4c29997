//! The limits and names every reader shares: the largest file, the format
//! versions, the bundled seed file.

/// Files above this are refused (the contract's limit); no more than one
/// byte past it is ever read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The format versions this build reads.
pub const FORMATS: &[i64] = &[1, 2];

/// The seed article's dataset, the first of the bundled files to be
/// written (the bundled set is `BUNDLED_FILES`).
pub const BUNDLED: &str = include_str!("../../../../data/openai-compute.toml");

/// The name the seed's file goes by in messages.
pub const BUNDLED_NAME: &str = "data/openai-compute.toml";

/// What the bundled set is called in the title bar and messages.
pub const BUNDLED_SET_NAME: &str = "bundled";
