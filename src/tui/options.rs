//! What the explorer is started with, and how it ended: the values that
//! pass between `run` and the loop.

use std::path::PathBuf;

/// How the explorer ended.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The first load failed: the report to print on the restored terminal.
    pub report: Option<String>,
    /// A signal ended it: exit with 128 + this number.
    pub signal: Option<i32>,
}

pub struct Options {
    /// `--data`: nothing for the bundled set, one file, or a set of files
    /// and folders.
    pub data: Vec<PathBuf>,
    /// The colours in force: a named theme, the config's `[theme]`, or
    /// plain styles without colour.
    pub theme: crate::ui::theme::Theme,
    /// The keys in force: the defaults with the config's `[keys]`.
    pub keymap: crate::app::keymap::Keymap,
    pub watch: bool,
    pub export_dir: PathBuf,
}
