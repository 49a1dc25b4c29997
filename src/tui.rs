//! The terminal and the event loop. The loop blocks on one channel fed by
//! the input thread, the loader and the file watcher; it redraws only when
//! an event changed something, so an idle gigawatt uses no CPU.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{self as ct, Event as TermEvent, KeyEventKind};
use crossterm::{execute, terminal};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};

use crate::action::Action;
use crate::app::{App, Effect, Loading};
use crate::data::{self, Dataset, LoadError};
use crate::keymap::{self, Scope};
use crate::view::ViewData;

/// Everything that can wake the loop.
pub enum Event {
    Input(TermEvent),
    Progress {
        bytes: u64,
        total: u64,
        stage: &'static str,
    },
    /// A finished load: the rows, built on the loader thread, or why not.
    Loaded(Box<Result<ViewData, LoadError>>),
    /// The watched file changed on disk (or went away).
    FileChanged,
}

/// Turns an event into state changes; says whether to redraw.
pub fn handle(app: &mut App, event: Event) -> (bool, Option<Effect>) {
    match event {
        Event::Input(input) => {
            let action = match input {
                TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
                    if app.view.is_none() {
                        // Nothing loaded yet (or the first load is running):
                        // only the global keys, so that `/` cannot start a
                        // search that would swallow `q`.
                        keymap::action_for(key, &[Scope::Global])
                    } else if app.overlay.is_none() && app.list().typing {
                        keymap::search_action(key)
                    } else {
                        keymap::action_for(key, app.scopes())
                    }
                }
                TermEvent::Mouse(mouse) => keymap::mouse_action(mouse),
                TermEvent::Resize(w, h) => Some(Action::Resize(w, h)),
                _ => None,
            };
            match action {
                Some(action) => {
                    let effect = app.update(action);
                    (true, effect)
                }
                None => (false, None),
            }
        }
        Event::Progress {
            bytes,
            total,
            stage,
        } => {
            if let Some(loading) = app.loading.as_mut() {
                loading.bytes = bytes;
                loading.total = total;
                loading.stage = stage;
            }
            (true, None)
        }
        Event::Loaded(result) => {
            match *result {
                Ok(view) => {
                    let reloaded = app.view.is_some();
                    app.set_view(view);
                    if reloaded {
                        app.status = Some(crate::app::Status {
                            text: format!(
                                "reloaded {} at {}",
                                app.source_name,
                                chrono::Local::now().format("%H:%M:%S")
                            ),
                            kind: crate::app::StatusKind::Info,
                        });
                    }
                }
                // Nothing to show yet: the file is unusable, and gigawatt
                // says why on a restored terminal and exits non-zero.
                Err(e) if app.view.is_none() => {
                    app.fatal = Some(e);
                    app.should_quit = true;
                }
                Err(e) => app.set_load_error(&e),
            }
            (true, None)
        }
        // The loop starts the reload; nothing on screen changes yet.
        Event::FileChanged => (false, None),
    }
}

/// Reads and validates a file on this thread, reporting progress to `tx`.
pub fn load_with_progress(path: &Path, tx: &Sender<Event>) -> Result<Dataset, LoadError> {
    data::load_file_with_progress(path, &mut |progress| {
        let _ = tx.send(Event::Progress {
            bytes: progress.bytes,
            total: progress.total,
            stage: progress.stage.label(),
        });
    })
}

/// The rows for the screen, built here rather than on the UI thread.
fn prepared(result: Result<Dataset, LoadError>, tx: &Sender<Event>) -> Result<ViewData, LoadError> {
    let dataset = result?;
    let _ = tx.send(Event::Progress {
        bytes: 0,
        total: 0,
        stage: "arranging rows",
    });
    Ok(ViewData::new(dataset))
}

fn spawn_loader(path: PathBuf, tx: Sender<Event>) {
    thread::spawn(move || {
        let result = prepared(load_with_progress(&path, &tx), &tx);
        let _ = tx.send(Event::Loaded(Box::new(result)));
    });
}

fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        while let Ok(event) = ct::read() {
            if tx.send(Event::Input(event)).is_err() {
                break;
            }
        }
    });
}

/// Watches the file's folder rather than the file, so that every way of
/// saving is seen: writing in place, writing a temporary file and renaming it
/// over (most editors and `mv`), deleting and creating anew (vim without
/// `backupcopy`), and deleting (reported) then recreating (reloaded). When the
/// path is a symbolic link, the target's folder is watched too.
fn spawn_watcher(path: &Path, tx: Sender<Event>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let absolute = std::path::absolute(path)?;
    let mut targets = vec![split_dir_name(&absolute)?];
    if let Ok(canonical) = std::fs::canonicalize(path)
        && let Ok(target) = split_dir_name(&canonical)
        && !targets.contains(&target)
    {
        targets.push(target);
    }
    let wanted = targets.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if is_content_change(&event.kind)
            && event.paths.iter().any(|p| {
                wanted
                    .iter()
                    .any(|(dir, name)| p.parent() == Some(dir) && p.file_name() == Some(name))
            })
        {
            let _ = tx.send(Event::FileChanged);
        }
    })?;
    let mut dirs: Vec<&PathBuf> = targets.iter().map(|(dir, _)| dir).collect();
    dirs.dedup();
    for dir in dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// `/a/b/file` as (`/a/b`, `file`).
fn split_dir_name(path: &Path) -> notify::Result<(PathBuf, std::ffi::OsString)> {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => Ok((dir.to_path_buf(), name.to_os_string())),
        _ => Err(notify::Error::generic("not a file path").add_path(path.to_path_buf())),
    }
}

/// Whether a watcher event may have changed what the file holds. Opening and
/// reading are not changes, and must not count: gigawatt's own reload opens
/// the file, which would otherwise trigger the next reload, forever. Closing
/// after writing is a change (the writer's last word on it).
fn is_content_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
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

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The terminal first, so the message lands on a normal screen.
        restore();
        previous(info);
    }));
}

/// OSC 52: the terminal puts the text on the system clipboard.
fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub struct Options {
    pub data: Option<PathBuf>,
    pub color: bool,
    pub watch: bool,
    pub export_dir: PathBuf,
}

/// Runs the explorer until the user quits. The terminal is restored on
/// every way out, panics included. A file that cannot be loaded at start
/// comes back as `Ok(Some(error))`.
pub fn run(options: Options) -> io::Result<Option<LoadError>> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    let setup = execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        ct::EnableMouseCapture,
        crossterm::cursor::Hide
    );
    let result = setup.and_then(|()| {
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        event_loop(&mut terminal, options)
    });
    restore();
    result
}

fn event_loop<B: Backend + Write>(
    terminal: &mut Terminal<B>,
    options: Options,
) -> io::Result<Option<LoadError>>
where
    B::Error: Into<io::Error>,
{
    let source_name = match &options.data {
        Some(path) => path.display().to_string(),
        None => format!("{} (bundled)", data::BUNDLED_NAME),
    };
    let mut app = App::new(source_name, crate::theme::Theme::new(options.color));
    app.export_dir = options.export_dir.clone();
    let size = terminal.size().map_err(Into::into)?;
    app.size = (size.width, size.height);

    let (tx, rx) = mpsc::channel();
    let mut reload = Reload::default();
    // Started before the first load, so that a save during it is not missed.
    let _watcher = match &options.data {
        Some(path) if options.watch => match spawn_watcher(path, tx.clone()) {
            Ok(watcher) => Some(watcher),
            Err(e) => {
                app.status = Some(crate::app::Status {
                    text: format!("not watching {} for changes: {e}", path.display()),
                    kind: crate::app::StatusKind::Error,
                });
                None
            }
        },
        _ => None,
    };
    match &options.data {
        Some(path) => {
            app.loading = Some(Loading {
                file: path.display().to_string(),
                bytes: 0,
                total: 0,
                stage: "opening",
                started: Instant::now(),
            });
            reload.in_flight = true;
            spawn_loader(path.clone(), tx.clone());
        }
        None => match data::bundled() {
            Ok(dataset) => app.set_data(dataset),
            Err(e) => return Ok(Some(e)),
        },
    }
    spawn_input(tx.clone());
    draw(terminal, &app)?;
    loop {
        // Blocks until something happens; the only timeout is a pending
        // reload's quiet period, so an idle gigawatt sleeps.
        let event = match reload.due {
            None => match rx.recv() {
                Ok(event) => Some(event),
                Err(_) => break,
            },
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        let redraw = match event {
            // The file has been quiet long enough: read it.
            None => {
                reload.settled();
                false
            }
            Some(Event::FileChanged) => {
                reload.changed(Instant::now());
                false
            }
            Some(event) => {
                if matches!(event, Event::Loaded(_)) {
                    reload.in_flight = false;
                }
                let (redraw, effect) = handle(&mut app, event);
                if let Some(effect) = effect {
                    run_effect(&mut app, effect, terminal)?;
                }
                redraw
            }
        };
        if app.should_quit {
            break;
        }
        // One load at a time, so results arrive in the order the file changed.
        if reload.wanted
            && !reload.in_flight
            && let Some(path) = &options.data
        {
            reload.wanted = false;
            reload.in_flight = true;
            spawn_loader_quiet(path.clone(), tx.clone());
            // Replaced by the result at once for small files; for large
            // ones it says why the change has not shown yet.
            app.status = Some(crate::app::Status {
                text: format!("reloading {}…", app.source_name),
                kind: crate::app::StatusKind::Info,
            });
            draw(terminal, &app)?;
            continue;
        }
        if redraw {
            draw(terminal, &app)?;
        }
    }
    Ok(app.fatal.take())
}

/// Editors save in bursts (truncate, write, close; or write a temporary
/// file, rename, set attributes), so a reload waits until the file has been
/// quiet this long...
const QUIET: Duration = Duration::from_millis(100);
/// ...but no longer than this after the first change of a burst, so a file
/// that keeps changing is still shown within a second.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// When to reload the watched file.
#[derive(Debug, Default)]
struct Reload {
    /// When the current burst of changes started.
    first: Option<Instant>,
    /// When to reload, if the file stays quiet until then.
    due: Option<Instant>,
    /// A reload is due and waits for the load in flight to finish.
    wanted: bool,
    /// A load is running (the first one, or a reload).
    in_flight: bool,
}

impl Reload {
    /// The watcher saw a change.
    fn changed(&mut self, now: Instant) {
        let first = *self.first.get_or_insert(now);
        self.due = Some((now + QUIET).min(first + MAX_WAIT));
    }

    /// `due` passed: the burst is over, the file is to be read.
    fn settled(&mut self) {
        self.first = None;
        self.due = None;
        self.wanted = true;
    }
}

/// A reload keeps the old data on screen: no progress panel, just the result.
fn spawn_loader_quiet(path: PathBuf, tx: Sender<Event>) {
    thread::spawn(move || {
        let result = data::load_file(&path).map(ViewData::new);
        let _ = tx.send(Event::Loaded(Box::new(result)));
    });
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    terminal
        .draw(|frame| frame.render_widget(app, frame.area()))
        .map(|_| ())
        .map_err(Into::into)
}

fn run_effect<B: Backend + Write>(
    app: &mut App,
    effect: Effect,
    terminal: &mut Terminal<B>,
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    match effect {
        Effect::Clipboard(text) => {
            let backend = terminal.backend_mut();
            backend.write_all(osc52(&text).as_bytes())?;
            Write::flush(backend)?;
        }
        Effect::Export { table, order } => app.run_export(table, &order),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reload_waits_for_quiet_but_not_forever() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut reload = Reload::default();
        reload.changed(t0);
        assert_eq!(reload.due, Some(t0 + QUIET));
        reload.changed(t0 + ms(80));
        assert_eq!(reload.due, Some(t0 + ms(80) + QUIET));
        // A file that keeps changing is still read MAX_WAIT after the first change.
        reload.changed(t0 + ms(450));
        assert_eq!(reload.due, Some(t0 + MAX_WAIT));
        reload.settled();
        assert!(reload.wanted && reload.due.is_none());
        // The next burst is timed afresh.
        reload.changed(t0 + ms(900));
        assert_eq!(reload.due, Some(t0 + ms(900) + QUIET));
    }

    #[test]
    fn reading_the_file_is_not_a_change() {
        use notify::EventKind;
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
        };
        // gigawatt's own reads would otherwise reload forever.
        assert!(!is_content_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_content_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        for kind in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Remove(RemoveKind::File),
        ] {
            assert!(is_content_change(&kind), "{kind:?}");
        }
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
