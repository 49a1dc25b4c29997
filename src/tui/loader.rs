//! Loading a document's file on its own thread, so the screen stays live;
//! progress and the result come back to the loop as actions.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::thread;

use super::event_loop::Wake;
use crate::action::{Action, Handed, Progress};
use crate::data::{self, Dataset, LoadError};
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
    let dataset = load_with_progress(path, report)?;
    report(Progress {
        bytes: 0,
        total: 0,
        stage: "arranging rows",
    });
    // The rows are built here rather than on the UI thread.
    Ok(ViewData::new(dataset))
}

/// Reads and validates a file on this thread, reporting progress.
fn load_with_progress(path: &Path, report: &dyn Fn(Progress)) -> Result<Dataset, LoadError> {
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let total = std::fs::metadata(path).map_err(io)?.len();
    if total > data::MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { file, size: total });
    }
    // A valid file is checked as it streams in, a table at a time, so its
    // text is never all in memory; anything else is read whole below, where
    // every problem is found and placed.
    let reader = std::fs::File::open(path).map_err(io)?;
    let counted = Counted {
        inner: reader,
        bytes: 0,
        total,
        report,
    };
    if let Some(dataset) = data::load_reader(counted) {
        return Ok(dataset);
    }
    let mut reader = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(total as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = Read::read(&mut reader, &mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        report(Progress {
            bytes: bytes.len() as u64,
            total,
            stage: "reading",
        });
    }
    report(Progress {
        bytes: bytes.len() as u64,
        total,
        stage: "parsing and checking",
    });
    data::load_bytes(&bytes, &file)
}

/// A reader that reports how far it got, for the progress panel.
struct Counted<'a, R> {
    inner: R,
    bytes: u64,
    total: u64,
    report: &'a dyn Fn(Progress),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.bytes += n as u64;
        (self.report)(Progress {
            bytes: self.bytes,
            total: self.total,
            stage: "reading and checking",
        });
        Ok(n)
    }
}
