//! Loading a document's file on its own thread, so the screen stays live;
//! progress and the result come back to the loop as actions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread;

use super::wake::Wake;
use crate::action::{Action, Handed, Progress};
use crate::data::{self, LoadError};
use crate::document::DocId;
use crate::view::ViewData;

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

/// A set's files as the loader last read them, and each file's last good
/// version (the one the set last loaded with), kept between loads so that a
/// reload reads only the files that changed, and a bad save in one file
/// keeps that file's last good version.
#[derive(Default)]
pub struct SetCache {
    current: HashMap<PathBuf, data::SetFile>,
    good: HashMap<PathBuf, data::SetFile>,
}

/// Loads a set on a new thread: the files in `changed` (or not read yet)
/// afresh, the rest from the cache; then merges them. If some files fail,
/// they are replaced by their last good versions and the set is shown
/// STALE, naming them (`Action::LoadedStale`).
pub fn spawn_set(
    doc: DocId,
    paths: Vec<PathBuf>,
    changed: Vec<PathBuf>,
    cache: Arc<Mutex<SetCache>>,
    tx: Sender<Wake>,
) {
    thread::spawn(move || {
        let action = match cache.lock() {
            Ok(mut cache) => load_set(doc, &paths, &changed, &mut cache),
            Err(poisoned) => load_set(doc, &paths, &changed, &mut poisoned.into_inner()),
        };
        let _ = tx.send(Wake::Action(action));
    });
}

fn load_set(doc: DocId, paths: &[PathBuf], changed: &[PathBuf], cache: &mut SetCache) -> Action {
    let failed = |e: LoadError| Action::Loaded {
        doc,
        outcome: Handed::new(Err(e)),
    };
    let files = match data::expand(paths) {
        Ok(files) => files,
        Err(e) => return failed(e),
    };
    // A change to a folder (a file added or removed) reads nothing again
    // by itself: the folder is listed anew on every load.
    let set: Vec<data::SetFile> = files
        .iter()
        .map(|path| match cache.current.get(path) {
            Some(file) if !changed.contains(path) => file.clone(),
            _ => data::SetFile::read(path, true),
        })
        .collect();
    cache.current = files.iter().cloned().zip(set.iter().cloned()).collect();
    let outcome = data::merge(set.clone());
    if let Some(dataset) = outcome.dataset {
        cache.good = cache.current.clone();
        return Action::Loaded {
            doc,
            outcome: Handed::new(Ok(ViewData::new(dataset))),
        };
    }
    let broken: Vec<bool> = outcome.files.iter().map(|f| f.result.is_err()).collect();
    let error = match outcome.into_result() {
        Err(e) => e,
        Ok(_) => return failed(LoadError::Set { errors: Vec::new() }),
    };
    // Each broken file at its last good version, if it has one.
    let mut fallback = Vec::with_capacity(set.len());
    for ((path, file), broken) in files.iter().zip(set).zip(&broken) {
        match (broken, cache.good.get(path)) {
            (false, _) => fallback.push(file),
            (true, Some(good)) => fallback.push(good.clone()),
            (true, None) => return failed(error),
        }
    }
    match data::merge(fallback).dataset {
        Some(dataset) => Action::LoadedStale {
            doc,
            view: Handed::new(ViewData::new(dataset)),
            error: Handed::new(error),
        },
        None => failed(error),
    }
}
