//! The event loop. It blocks on one channel fed by the input thread, the
//! loader and the file watcher, turns what arrives into actions for
//! `App::update`, performs the effects that come back, and redraws only
//! when something changed, so an idle gigawatt uses no CPU.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use crossterm::event::{self as ct, Event as TermEvent, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::options::{Options, Outcome};
use super::signals;
use super::terminal::{self, clamp_size};
use super::wake::{SignalEvent, Wake};
use super::{loader, watch};
use crate::app::action::{Action, ExportOutcome};
use crate::app::keymap::{self, Scope};
use crate::app::{App, Effect, Status, StatusKind};
use gigawatt_model::data;

/// What a terminal event asks of the app in its current state.
pub fn input_action(app: &App, input: &TermEvent) -> Option<Action> {
    match input {
        // In raw mode Ctrl-Z is a key, not SIGTSTP: it suspends all the same.
        TermEvent::Key(key)
            if key.kind != KeyEventKind::Release
                && key.code == crossterm::event::KeyCode::Char('z')
                && key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
        {
            Some(Action::Suspend)
        }
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
            if app.overlay.is_some() {
                // An overlay scrolls with the list keys, loaded data or not
                // (a broken file's problems come before any data); every
                // other key closes it.
                app.keymap.action_for(*key, app.scopes())
            } else if app.view().is_none()
                && app.document.loading.is_some()
                && key.code == crossterm::event::KeyCode::Esc
            {
                // Leaving a first load that takes too long.
                Some(Action::Quit)
            } else if app.view().is_none() {
                // Nothing loaded yet (or the first load is running): only
                // the global keys, so that `/` cannot start a search that
                // would swallow `q`.
                app.keymap.action_for(*key, &[Scope::Global])
            } else if app.list().typing {
                app.keymap.search_action(*key)
            } else {
                app.keymap.action_for(*key, app.scopes())
            }
        }
        TermEvent::Paste(text) if app.view().is_some() && app.list().typing => {
            Some(Action::SearchPaste(text.clone()))
        }
        TermEvent::Paste(_) => Some(Action::Pasted),
        TermEvent::Mouse(mouse) => keymap::mouse_action(*mouse),
        TermEvent::Resize(w, h) => {
            let (w, h) = clamp_size(*w, *h);
            Some(Action::Resize(w, h))
        }
        _ => None,
    }
}

fn spawn_input(tx: Sender<Wake>) {
    thread::spawn(move || {
        while let Ok(event) = ct::read() {
            if tx.send(Wake::Input(event)).is_err() {
                break;
            }
        }
    });
}

pub fn run<B: Backend + Write>(terminal: &mut Terminal<B>, options: Options) -> io::Result<Outcome>
where
    B::Error: Into<io::Error>,
{
    let theme = options.theme;
    let (tx, rx) = mpsc::channel();
    let single = match options.data.as_slice() {
        [one] if !one.is_dir() => Some(one.clone()),
        _ => None,
    };
    let (mut app, first_load) = match (&single, options.data.is_empty()) {
        (Some(path), _) => {
            let (app, effect) = App::opening(path.clone(), theme, Instant::now());
            (app, Some(effect))
        }
        (None, false) => {
            let (app, effect) = App::opening_set(options.data.clone(), theme, Instant::now());
            (app, Some(effect))
        }
        (None, true) => match data::bundled().map(gigawatt_model::view::ViewData::new) {
            Ok(view) => {
                let name = match data::BUNDLED_FILES.len() {
                    1 => format!("{} (bundled)", data::BUNDLED_NAME),
                    n => format!("{} ({n} files)", data::BUNDLED_SET_NAME),
                };
                let mut app = App::new(name, theme);
                // As `App::set_data`, with the rows arranged already, at
                // the terminal's size: the lists' layouts are then worked
                // out once, for the size the first frame has.
                let size = terminal.size().map_err(Into::into)?;
                app.size = (size.width, size.height);
                app.document.set_view(view, app.size);
                (app, None)
            }
            Err(e) => {
                return Ok(Outcome {
                    report: Some(e.report()),
                    signal: None,
                });
            }
        },
    };
    app.export_dir = options.export_dir.clone();
    app.keymap = options.keymap.clone();
    app.watching = options.watch;
    let size = terminal.size().map_err(Into::into)?;
    app.update(Action::Resize(size.width, size.height));
    let exiting = signals::Exiting::default();
    signals::spawn(tx.clone(), exiting.clone())?;

    // Started before the first load, so that a save during it is not missed.
    let mut watchers = Vec::new();
    if options.watch {
        // One poller and one watcher for every file given, each folder of
        // a set a watcher of its own: threads and watches do not grow with
        // the files.
        watch::spawn_poll(app.document.id, &options.data, tx.clone());
        let (folders, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
            options.data.iter().partition(|p| p.is_dir());
        let files: Vec<PathBuf> = files.into_iter().cloned().collect();
        let mut started: Vec<(String, notify::Result<notify::RecommendedWatcher>)> = folders
            .into_iter()
            .map(|folder| {
                let watcher = watch::spawn_folder(app.document.id, folder, tx.clone());
                (folder.display().to_string(), watcher)
            })
            .collect();
        if !files.is_empty() {
            let name = match files.as_slice() {
                [one] => one.display().to_string(),
                more => format!("{} files", more.len()),
            };
            started.push((name, watch::spawn(app.document.id, &files, tx.clone())));
        }
        for (name, watcher) in started {
            match watcher {
                Ok(watcher) => watchers.push(watcher),
                Err(e) => {
                    app.status = Some(Status {
                        text: format!("watching {name} slowly (once every half second): {e}"),
                        kind: StatusKind::Error,
                    });
                }
            }
        }
    }
    let set_cache = Arc::new(Mutex::new(gigawatt_model::data::SetCache::default()));
    if let Some(effect) = first_load {
        perform(&mut app, effect, terminal, &tx, &set_cache)?;
    }
    // crossterm starts listening for window changes (SIGWINCH) when its
    // event source is first used; until then a resize is lost. Start it
    // here, before anything is on screen to resize.
    ct::poll(std::time::Duration::ZERO)?;
    spawn_input(tx.clone());
    draw(terminal, &app)?;
    loop {
        // Blocks until something happens; the only timeout is a pending
        // reload's quiet period, so an idle gigawatt sleeps.
        let wake = match app.deadline() {
            None => match rx.recv() {
                Ok(wake) => Some(wake),
                Err(_) => break,
            },
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(wake) => Some(wake),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        let action = match wake {
            None => Some(Action::Tick(Instant::now())),
            Some(Wake::Input(TermEvent::Resize(w, h))) => {
                // Window changes come as signals, which coalesce: two quick
                // ones can arrive as one carrying the older size. Ask the
                // terminal for the size it has now.
                let asked = crossterm::terminal::size();
                tracing::debug!("resize event {w}x{h}, terminal says {asked:?}");
                let (w, h) = asked.unwrap_or((w, h));
                input_action(&app, &TermEvent::Resize(w, h))
            }
            Some(Wake::Input(input)) => input_action(&app, &input),
            Some(Wake::Action(action)) => Some(action),
            Some(Wake::Signal(SignalEvent::Terminate(number))) => {
                exiting.store(true, std::sync::atomic::Ordering::SeqCst);
                return Ok(Outcome {
                    report: None,
                    signal: Some(number),
                });
            }
            Some(Wake::Signal(SignalEvent::Suspend)) => Some(Action::Suspend),
            Some(Wake::Signal(SignalEvent::Continue)) => {
                terminal::resume(terminal)?;
                draw(terminal, &app)?;
                None
            }
        };
        let Some(action) = action else { continue };
        if let Action::Resize(w, h) = action {
            // The viewport is fixed (so its size can be clamped): follow it by hand.
            terminal
                .resize(ratatui::layout::Rect::new(0, 0, w, h))
                .map_err(Into::into)?;
        }
        // A change on disk moves nothing on screen until the reload is due.
        let redraw = !matches!(action, Action::FileChanged { .. });
        let mut effect = app.update(action);
        while let Some(next) = effect.take() {
            effect = perform(&mut app, next, terminal, &tx, &set_cache)?;
        }
        if app.should_quit {
            break;
        }
        if let Some(text) = crate::cli::log::take_failure() {
            app.status = Some(Status {
                text,
                kind: StatusKind::Error,
            });
            draw(terminal, &app)?;
        }
        if redraw {
            draw(terminal, &app)?;
        }
    }
    exiting.store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(Outcome {
        report: app.fatal.take(),
        signal: None,
    })
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

/// Does what `update` asked; an outcome the app must know of is handed
/// straight back to `update`, which may ask for more.
fn perform<B: Backend + Write>(
    app: &mut App,
    effect: Effect,
    terminal: &mut Terminal<B>,
    tx: &Sender<Wake>,
    set_cache: &Arc<Mutex<gigawatt_model::data::SetCache>>,
) -> io::Result<Option<Effect>>
where
    B::Error: Into<io::Error>,
{
    tracing::debug!(effect = %effect.describe(), "performing");
    match effect {
        Effect::Clipboard(text) => {
            let backend = terminal.backend_mut();
            crossterm::execute!(
                backend,
                crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
            )?;
            Ok(None)
        }
        Effect::Export { table, order, dir } => {
            let outcome = match app.view() {
                Some(view) => export_to_dir(view, table, order.as_deref(), &dir),
                None => return Ok(None),
            };
            Ok(app.update(Action::Exported(outcome)))
        }
        Effect::Load {
            doc,
            path,
            progress,
        } => {
            loader::spawn(doc, path, progress, tx.clone());
            Ok(None)
        }
        Effect::LoadSet {
            doc,
            paths,
            changed,
        } => {
            loader::spawn_set(doc, paths, changed, Arc::clone(set_cache), tx.clone());
            Ok(None)
        }
        Effect::BuildLens {
            doc,
            buyer,
            generation,
            all,
        } => {
            loader::spawn_lens(doc, buyer, generation, all.0, tx.clone());
            Ok(None)
        }
        Effect::Suspend => {
            terminal::suspend(terminal)?;
            draw(terminal, app)?;
            Ok(None)
        }
    }
}

/// Writes the table, atomically, to the first free
/// `gigawatt-TABLE-STAMP[-N].csv` in `dir`: never over an earlier export.
pub fn export_to_dir(
    view: &gigawatt_model::view::ViewData,
    table: gigawatt_model::export::TableName,
    order: Option<&[usize]>,
    dir: &std::path::Path,
) -> ExportOutcome {
    use gigawatt_model::export::{self, Format, WriteOptions};
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let stem = format!("gigawatt-{}-{stamp}", table.as_str());
    let written = export::write_to_dir(Format::Csv, dir, &stem, |out| {
        let options = WriteOptions::default();
        export::stream(&view.dataset, table, order, Format::Csv, options, out)
    });
    match written {
        Ok((path, rows)) => ExportOutcome::Written { rows, path },
        Err(e) => ExportOutcome::Failed {
            path: dir.to_path_buf(),
            error: e.to_string(),
        },
    }
}
