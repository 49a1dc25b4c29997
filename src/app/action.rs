//! Everything that can change the app: keys and mouse (through `keymap`),
//! the loader, the file watcher, the clock, and the outcomes of effects.
//! `App::update` is the only place that acts on them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use gigawatt_model::data::LoadError;
use gigawatt_model::view::ViewData;

/// A value handed over from another thread. Actions compare by value, but
/// a loaded file is compared by identity: two loads are never the same.
#[derive(Debug)]
pub struct Handed<T>(pub Arc<T>);

impl<T> Clone for Handed<T> {
    fn clone(&self) -> Self {
        Handed(Arc::clone(&self.0))
    }
}

impl<T> Handed<T> {
    pub fn new(value: T) -> Handed<T> {
        Handed(Arc::new(value))
    }
}

impl<T> PartialEq for Handed<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Which document an event from the loader or the watcher is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocId(pub u32);

/// How far a load has got, for the progress panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub total: u64,
    pub stage: &'static str,
}

/// A finished export: how many rows went to which file, or why none did.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportOutcome {
    Written { rows: usize, path: PathBuf },
    Failed { path: PathBuf, error: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(usize),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// Open the detail view of the selection.
    Open,
    /// Close whatever is open: overlay, search, detail.
    Back,
    SearchStart,
    SearchInput(char),
    /// Text pasted while typing a search: one event, never commands.
    SearchPaste(String),
    /// Text pasted anywhere else: ignored, and said so.
    Pasted,
    /// A set's load could not read these entries of its folders (a
    /// `*.toml` that is a folder, a link to nothing): each said as a line.
    Skipped {
        doc: DocId,
        skipped: Vec<String>,
    },
    SearchBackspace,
    SearchConfirm,
    NextMatch,
    PrevMatch,
    /// Show only the rows that match the search, or all rows again.
    ToggleFilter,
    SortNext,
    SortReverse,
    Cite,
    Help,
    /// Show every problem of a file that failed to load.
    Problems,
    PaceUp,
    PaceDown,
    CostUp,
    CostDown,
    ResetScenario,
    /// On the Ramp: count what runs at every site the buyer may use, or
    /// only at those it uses with confidence.
    ToggleSiteUse,
    /// Put the next buyer in focus (all buyers, then each in turn).
    Lens,
    /// Show or hide the earlier records of the selected deal.
    Fold,
    /// Flows: the matrix cell to the left or right.
    CellLeft,
    CellRight,
    /// Flows: money or gigawatts in the matrix.
    ToggleMeasure,
    /// Write the current table to a CSV file.
    Export,
    /// Copy the selection with its citation (OSC 52 and the status line).
    Yank,
    /// Step out to the shell (Ctrl-Z); `fg` comes back.
    Suspend,
    Resize(u16, u16),
    Click(u16, u16),
    ScrollUp,
    ScrollDown,
    /// The loader got further.
    LoadProgress {
        doc: DocId,
        progress: Progress,
    },
    /// A load finished: the rows, built on the loader thread, or why not.
    Loaded {
        doc: DocId,
        outcome: Handed<Result<ViewData, LoadError>>,
    },
    /// A set loaded with some of its files at their last good version:
    /// the merged rows, and what is wrong with the files that broke.
    LoadedStale {
        doc: DocId,
        view: Handed<ViewData>,
        error: Handed<LoadError>,
    },
    /// A buyer's lens, built off the UI thread from the data of
    /// `generation` (see `Document::cycle_lens`).
    LensBuilt {
        doc: DocId,
        buyer: String,
        generation: u64,
        view: Handed<ViewData>,
    },
    /// The watcher saw one of the document's files change (or go away);
    /// `file` is the path as the set names it (a folder: a file in it).
    FileChanged {
        doc: DocId,
        file: PathBuf,
        at: Instant,
    },
    /// Time passed: a reload that was waiting for quiet may be due.
    Tick(Instant),
    /// An export the loop ran has finished.
    Exported(ExportOutcome),
}
