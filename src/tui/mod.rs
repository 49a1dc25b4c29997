//! The explorer in a real terminal: `terminal` sets it up and restores it,
//! `event_loop` turns input, loader and watcher events into actions and
//! performs the effects `update` returns, `loader` reads files off the UI
//! thread, and `watch` reports changes to them.

mod event_loop;
mod loader;
mod options;
mod signals;
mod terminal;
mod wake;
mod watch;

pub use event_loop::{export_to_dir, input_action};
pub use options::{Options, Outcome};
pub use terminal::{MAX_HEIGHT, MAX_WIDTH, restore, unusable};

/// Runs the explorer until the user quits. The terminal is restored on
/// every way out, panics and signals included.
pub fn run(options: Options) -> std::io::Result<Outcome> {
    terminal::install_panic_hook();
    let mut term = terminal::setup()?;
    let result = event_loop::run(&mut term, options);
    terminal::restore();
    result
}
