//! Signals as events for the loop: it restores the terminal and exits on
//! SIGTERM, SIGHUP, SIGINT and SIGQUIT, steps out on SIGTSTP and back in on
//! SIGCONT. Should the loop not answer, the terminal is restored from here.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use super::wake::{SignalEvent, Wake};

/// The loop sets this once it is on its way out.
pub type Exiting = Arc<AtomicBool>;

#[cfg(unix)]
pub fn spawn(tx: Sender<Wake>, exiting: Exiting) -> std::io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    thread::spawn(move || {
        for signal in signals.forever() {
            let event = match signal {
                SIGTSTP => SignalEvent::Suspend,
                SIGCONT => SignalEvent::Continue,
                other => SignalEvent::Terminate(other),
            };
            if tx.send(Wake::Signal(event)).is_err() {
                break;
            }
            if let SignalEvent::Terminate(number) = event {
                // The loop normally exits at once; if it is stuck, the
                // terminal must still be handed back.
                thread::sleep(Duration::from_secs(2));
                if !exiting.load(Ordering::SeqCst) {
                    super::terminal::restore();
                    std::process::exit(128 + number);
                }
            }
        }
    });
    Ok(())
}

#[cfg(not(unix))]
pub fn spawn(_tx: Sender<Wake>, _exiting: Exiting) -> std::io::Result<()> {
    Ok(())
}
