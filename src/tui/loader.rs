//! Loading a document's file on its own thread, so the screen stays live;
//! progress and the result come back to the loop as actions.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread;

use super::wake::Wake;
use crate::app::action::{Action, Handed, Progress};
use crate::app::document::DocId;
use gigawatt_model::data::{self, LoadError};
use gigawatt_model::view::ViewData;

/// Reads, validates and arranges the file's rows on a new thread. With
/// `progress`, every step is reported for the progress panel; without, the
/// old data stays on screen and only the result arrives.
pub fn spawn(doc: DocId, path: PathBuf, progress: bool, tx: Sender<Wake>) {
    thread::spawn(move || {
        let report = |p: Progress| {
            if progress {
                let _ = tx.send(Wake::Action(Action::LoadProgress { doc, progress: p }));
            }
        };
        let outcome = load(&path, &report);
        let outcome = Handed::new(outcome);
        let _ = tx.send(Wake::Action(Action::Loaded { doc, outcome }));
    });
}

fn load(path: &Path, report: &dyn Fn(Progress)) -> Result<ViewData, LoadError> {
    let dataset = data::load_file_with_progress(path, &mut |p: data::Progress| {
        report(Progress {
            bytes: p.bytes,
            total: p.total,
            stage: p.stage.label(),
        })
    })?;
    report(Progress {
        bytes: 0,
        total: 0,
        stage: "arranging rows",
    });
    // The rows are built here rather than on the UI thread.
    Ok(ViewData::new(dataset))
}

/// Builds a buyer's lens from every buyer's view on a new thread (at 100k
/// deals it takes longer than a frame); it comes back as `LensBuilt`.
pub fn spawn_lens(
    doc: DocId,
    buyer: String,
    generation: u64,
    all: Arc<ViewData>,
    tx: Sender<Wake>,
) {
    thread::spawn(move || {
        let _ = tx.send(Wake::Action(crate::app::lens_built(
            doc, buyer, generation, &all,
        )));
    });
}

/// Loads a set on a new thread: the files in `changed`, changed on disk or
/// not read yet afresh, the rest from the cache (`data::SetCache`); then
/// merges them. If some files fail, they are replaced by their last good
/// versions and the set is shown STALE, naming them (`Action::LoadedStale`).
pub fn spawn_set(
    doc: DocId,
    paths: Vec<PathBuf>,
    changed: Vec<PathBuf>,
    cache: Arc<Mutex<data::SetCache>>,
    tx: Sender<Wake>,
) {
    thread::spawn(move || {
        let (reload, skipped) = {
            let mut cache = match cache.lock() {
                Ok(cache) => cache,
                Err(poisoned) => poisoned.into_inner(),
            };
            let reload = cache.load(&paths, &changed);
            let skipped: Vec<String> = cache.skipped().iter().map(|w| w.to_string()).collect();
            (reload, skipped)
        };
        let action = match reload {
            data::SetReload::Loaded(dataset) => Action::Loaded {
                doc,
                outcome: Handed::new(Ok(ViewData::new(dataset))),
            },
            data::SetReload::Stale { dataset, error } => Action::LoadedStale {
                doc,
                view: Handed::new(ViewData::new(dataset)),
                error: Handed::new(error),
            },
            data::SetReload::Failed(error) => Action::Loaded {
                doc,
                outcome: Handed::new(Err(error)),
            },
        };
        let _ = tx.send(Wake::Action(action));
        if !skipped.is_empty() {
            let _ = tx.send(Wake::Action(Action::Skipped { doc, skipped }));
        }
    });
}
