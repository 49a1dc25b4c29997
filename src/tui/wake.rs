//! What wakes the event loop, from every thread that can.

use crossterm::event::Event as TermEvent;

use crate::app::action::Action;

/// Terminal input, which becomes an action only once the loop knows the
/// app's state (typing a search or not); actions from other threads; and
/// signals.
pub enum Wake {
    Input(TermEvent),
    Action(Action),
    Signal(SignalEvent),
}

/// What a signal asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalEvent {
    /// Restore the terminal and exit with 128 + this number.
    Terminate(i32),
    Suspend,
    Continue,
}
