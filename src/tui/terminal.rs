//! Entering and leaving the full-screen terminal, and stepping out of it
//! while the process is stopped (Ctrl-Z).

use std::io::{self, IsTerminal, Stdout};

use crossterm::event as ct;
use crossterm::{execute, terminal};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The largest area gigawatt draws. A terminal that reports more (a
/// misbehaving emulator says 65535×65535) gets this much, never a buffer
/// sized to what it claims.
pub const MAX_WIDTH: u16 = 1000;
pub const MAX_HEIGHT: u16 = 500;

pub fn clamp_size(width: u16, height: u16) -> (u16, u16) {
    (width.min(MAX_WIDTH), height.min(MAX_HEIGHT))
}

/// Why the explorer cannot run here, in words for the user.
pub fn unusable(term: Option<&str>) -> Option<&'static str> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Some(
            "the explorer needs a terminal (standard input and output are not one); \
             `gigawatt check` validates files and `gigawatt export TABLE` writes \
             CSV, JSON or Markdown without one",
        );
    }
    if matches!(term, Some("dumb")) {
        return Some(
            "the explorer needs a terminal that can draw full screen (TERM is \"dumb\"); \
             set TERM (e.g. xterm-256color), or use `gigawatt check` and `gigawatt export`",
        );
    }
    None
}

/// Raw mode, the alternate screen, mouse reporting, no cursor; a fixed
/// viewport of the terminal's size, clamped.
pub fn setup() -> io::Result<Term> {
    enter()?;
    let (w, h) = terminal::size().inspect_err(|_| restore())?;
    let (w, h) = clamp_size(w, h);
    Terminal::with_options(
        CrosstermBackend::new(io::stdout()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .inspect_err(|_| restore())
}

/// The terminal modes gigawatt draws in; safe to repeat.
pub fn enter() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        ct::EnableMouseCapture,
        ct::EnableBracketedPaste,
        crossterm::cursor::Hide
    )
    .inspect_err(|_| restore())
}

/// Restores the terminal: leaves the alternate screen, shows the cursor.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        ct::DisableBracketedPaste,
        ct::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Ctrl-Z: hands the terminal back as it was, stops the process, and on
/// being continued takes the terminal again and redraws it all.
pub fn suspend<B: Backend>(term: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    restore();
    stop_self();
    resume(term)
}

/// After SIGCONT: raw mode and the alternate screen again, and a full
/// redraw, since whatever ran meanwhile drew over the screen.
pub fn resume<B: Backend>(term: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    enter()?;
    let (w, h) = terminal::size()?;
    let (w, h) = clamp_size(w, h);
    // Resizing clears the viewport and forgets what was drawn, so the next
    // draw is in full. (`Terminal::clear` would ask the terminal where its
    // cursor is, an answer the input thread swallows.)
    term.resize(Rect::new(0, 0, w, h)).map_err(Into::into)
}

#[cfg(unix)]
fn stop_self() {
    // SIGSTOP cannot be caught, so this stops even with SIGTSTP handled.
    // SAFETY: raise has no preconditions; it only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

#[cfg(not(unix))]
fn stop_self() {}

pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The terminal first, so the message lands on a normal screen.
        restore();
        previous(info);
    }));
}
