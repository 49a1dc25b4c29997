//! The explorer in a real terminal: `terminal` sets it up and restores it,
//! `event_loop` turns input, loader and watcher events into actions and
//! performs the effects `update` returns, `loader` reads files off the UI
//! thread, and `watch` reports changes to them.

mod event_loop;
mod loader;
mod terminal;
mod watch;

use std::path::PathBuf;

pub use event_loop::{export_to_dir, input_action};
pub use terminal::restore;

pub struct Options {
    pub data: Option<PathBuf>,
    /// The colours in force: a named theme, the config's `[theme]`, or
    /// plain styles without colour.
    pub theme: crate::theme::Theme,
    /// The keys in force: the defaults with the config's `[keys]`.
    pub keymap: crate::keymap::Keymap,
    pub watch: bool,
    pub export_dir: PathBuf,
}

/// Runs the explorer until the user quits. The terminal is restored on
/// every way out, panics included. A file that cannot be loaded at start
/// comes back as `Ok(Some(report))`.
pub fn run(options: Options) -> std::io::Result<Option<String>> {
    terminal::install_panic_hook();
    let mut term = terminal::setup()?;
    let result = event_loop::run(&mut term, options);
    terminal::restore();
    result
}
