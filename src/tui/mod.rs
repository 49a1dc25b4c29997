//! The explorer in a real terminal: `terminal` sets it up and restores it,
//! `event_loop` turns input, loader and watcher events into actions and
//! performs the effects `update` returns, `loader` reads files off the UI
//! thread, and `watch` reports changes to them.

mod event_loop;
mod loader;
mod signals;
mod terminal;
mod wake;
mod watch;

use std::path::PathBuf;

pub use event_loop::{export_to_dir, input_action};
pub use terminal::{MAX_HEIGHT, MAX_WIDTH, restore, unusable};

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

/// Runs the explorer until the user quits. The terminal is restored on
/// every way out, panics and signals included.
pub fn run(options: Options) -> std::io::Result<Outcome> {
    terminal::install_panic_hook();
    let mut term = terminal::setup()?;
    let result = event_loop::run(&mut term, options);
    terminal::restore();
    result
}
