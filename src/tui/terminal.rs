//! Entering and leaving the full-screen terminal.

use std::io::{self, Stdout};

use crossterm::event as ct;
use crossterm::{execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, the alternate screen, mouse reporting, no cursor.
pub fn setup() -> io::Result<Term> {
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        ct::EnableMouseCapture,
        crossterm::cursor::Hide
    )
    .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())))
    .inspect_err(|_| restore())
}

/// Restores the terminal: leaves the alternate screen, shows the cursor.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        ct::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The terminal first, so the message lands on a normal screen.
        restore();
        previous(info);
    }));
}
