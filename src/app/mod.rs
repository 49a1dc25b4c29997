//! App state and `update`: the only place state changes. Rendering (`ui`)
//! reads an `&App` and never writes to it; what `update` wants done outside
//! (files, clipboard, loads) it returns as an `Effect`, and the event loop
//! hands the outcome back as another `Action`.

pub mod action;
pub mod document;
pub mod keymap;
pub mod list_state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::app::action::{Action, ExportOutcome, Handed, Progress};
use crate::app::document::{DocId, Document, Loading};
use crate::app::keymap::{Keymap, Scope};
use crate::app::list_state::ListState;
use crate::tabs::descriptor::Tab;
use crate::ui::layout;
use crate::ui::overlay::{self, Overlay, OverlayContext};
use crate::ui::theme::Theme;
use gigawatt_model::data::{Dataset, LoadError};
use gigawatt_model::export::TableName;
use gigawatt_model::ledger::scenario::Scenario;
use gigawatt_model::problems::Problems;
use gigawatt_model::view::{self, Rows, ViewData};

/// The longest search query, in characters: a pasted megabyte is no query,
/// and matching it against every row would hold up every key after it.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

/// What `update` asks the outside world to do; the event loop does it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Write a table, in this order (`None`: every row, in file order),
    /// to a new CSV file in `dir`.
    Export {
        table: TableName,
        order: Option<Vec<usize>>,
        dir: PathBuf,
    },
    /// Read a document's file on the loader thread; `progress` shows the
    /// progress panel (a first load), otherwise the old data stays up.
    Load {
        doc: DocId,
        path: PathBuf,
        progress: bool,
    },
    /// Read a set of files (and folders) on the loader thread: the files in
    /// `changed` afresh, the others as the loader last read them (all of
    /// them, the first time).
    LoadSet {
        doc: DocId,
        paths: Vec<PathBuf>,
        changed: Vec<PathBuf>,
    },
    /// Build a buyer's lens from every buyer's view, off the UI thread;
    /// the result comes back as `Action::LensBuilt`.
    BuildLens {
        doc: DocId,
        buyer: String,
        generation: u64,
        all: Handed<ViewData>,
    },
    /// Hand the terminal back and stop until continued.
    Suspend,
}

/// How the status line starts while a buyer's lens is being built.
const FOCUSING: &str = "focusing on";

/// The action that hands over a buyer's lens, built here and now: what
/// the loop's lens thread sends for `Effect::BuildLens`, and what tests and
/// benches perform in place.
pub fn lens_built(doc: DocId, buyer: String, generation: u64, all: &ViewData) -> Action {
    let view = Handed::new(ViewData::lensed(all, &buyer));
    Action::LensBuilt {
        doc,
        buyer,
        generation,
        view,
    }
}

impl Effect {
    /// One line for the log: what, not the whole payload.
    pub fn describe(&self) -> String {
        match self {
            Effect::Clipboard(text) => format!("clipboard ({} bytes)", text.len()),
            Effect::Export { table, order, dir } => format!(
                "export {} ({} rows) to {}",
                table.as_str(),
                order
                    .as_ref()
                    .map_or("all".to_string(), |o| o.len().to_string()),
                dir.display()
            ),
            Effect::Load { path, progress, .. } => format!(
                "{} {}",
                if *progress { "load" } else { "reload" },
                path.display()
            ),
            Effect::LoadSet { paths, changed, .. } => format!(
                "load a set of {} paths ({} changed)",
                paths.len(),
                changed.len()
            ),
            Effect::BuildLens { buyer, .. } => format!("build the lens of {buyer}"),
            Effect::Suspend => "suspend".to_string(),
        }
    }
}

pub struct App {
    pub document: Document,
    pub tab: Tab,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: u16,
    pub status: Option<Status>,
    pub size: (u16, u16),
    pub theme: Theme,
    pub should_quit: bool,
    /// The first load failed and nothing will reload it (`--no-watch`):
    /// the app exits with this report.
    pub fatal: Option<String>,
    pub export_dir: PathBuf,
    /// The keys in force: the defaults, remapped by the config file.
    pub keymap: Keymap,
    /// The file is watched: a broken file can be fixed and reloaded, so a
    /// failed first load waits for it instead of exiting.
    pub watching: bool,
}

impl App {
    pub fn new(source_name: impl Into<String>, theme: Theme) -> App {
        App {
            document: Document::new(DocId(0), source_name, None),
            tab: Tab::ALL[0],
            overlay: None,
            overlay_scroll: 0,
            status: None,
            size: (80, 24),
            theme,
            should_quit: false,
            fatal: None,
            export_dir: PathBuf::from("."),
            keymap: Keymap::default(),
            watching: true,
        }
    }

    /// An app that will show the file at `path`, and the effect that loads
    /// it, started at `now`.
    pub fn opening(path: PathBuf, theme: Theme, now: Instant) -> (App, Effect) {
        let name = path.display().to_string();
        let mut app = App::new(name.clone(), theme);
        app.document.path = Some(path.clone());
        app.document.loading = Some(Loading {
            file: name,
            bytes: 0,
            total: 0,
            stage: "opening",
            started: now,
            now,
        });
        app.document.reload.in_flight = true;
        let effect = Effect::Load {
            doc: app.document.id,
            path,
            progress: true,
        };
        (app, effect)
    }

    /// An app that will show the set of files and folders `paths`, and the
    /// effect that loads it, started at `now`.
    pub fn opening_set(paths: Vec<PathBuf>, theme: Theme, now: Instant) -> (App, Effect) {
        let name = set_name(&paths);
        let mut app = App::new(name.clone(), theme);
        app.document.paths = paths.clone();
        app.document.loading = Some(Loading {
            file: name,
            bytes: 0,
            total: 0,
            stage: "opening",
            started: now,
            now,
        });
        app.document.reload.in_flight = true;
        let effect = Effect::LoadSet {
            doc: app.document.id,
            paths,
            changed: Vec::new(),
        };
        (app, effect)
    }

    /// An app showing `dataset`, as tests and benches want it.
    pub fn with_data(dataset: Dataset, source_name: &str, size: (u16, u16)) -> App {
        let mut app = App::new(source_name, Theme::new(false));
        app.size = size;
        app.set_data(dataset);
        app
    }

    pub fn view(&self) -> Option<&ViewData> {
        self.document.view.as_deref()
    }

    pub fn list(&self) -> &ListState {
        self.document.list(self.tab)
    }

    pub fn lists(&self) -> &[ListState] {
        &self.document.lists
    }

    pub fn scenario(&self) -> &Scenario {
        &self.document.scenario
    }

    /// The rows behind a tab's list.
    pub fn rows(&self, tab: Tab) -> Rows<'_> {
        self.document.rows(tab)
    }

    /// Shows a dataset, keeping each tab's selection (by record id), sort and search.
    pub fn set_data(&mut self, dataset: Dataset) {
        // A first view has no lens to keep.
        let _ = self.document.set_view(ViewData::new(dataset), self.size);
    }

    fn build_lens(&self, request: crate::app::document::LensRequest) -> Effect {
        Effect::BuildLens {
            doc: self.document.id,
            buyer: request.buyer,
            generation: request.generation,
            all: Handed(request.all),
        }
    }

    /// Rows visible in a tab's list at the current size.
    pub fn page_size(&self, tab: Tab) -> usize {
        self.document.page_size(tab, self.size)
    }

    /// The scopes whose keys are live now.
    pub fn scopes(&self) -> &'static [Scope] {
        self.tab.spec().scopes
    }

    /// The sortable columns of the current tab.
    pub fn columns(&self) -> &'static [view::Column] {
        self.tab.spec().columns
    }

    /// When the app next wants a `Tick`: a reload waiting for quiet.
    /// When the loop must wake with a `Tick` if nothing else arrives: a
    /// pending reload's quiet period, or the loading panel's next frame.
    pub fn deadline(&self) -> Option<Instant> {
        let frame = self
            .document
            .loading
            .as_ref()
            .map(|l| l.now + document::LOADING_FRAME);
        match (self.document.reload.due, frame) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The selection as one Markdown line with its hedged figure and citation.
    pub fn citation_line(&self) -> Option<String> {
        self.document.citation_line(self.tab)
    }

    pub fn overlay_context(&self) -> Option<OverlayContext<'_>> {
        Some(OverlayContext {
            overlay: self.overlay?,
            tab: self.tab,
            document: &self.document,
            theme: &self.theme,
            keymap: &self.keymap,
        })
    }

    /// The buyer in focus, by name: "all buyers" when none is.
    pub fn lens_name(&self) -> String {
        match (self.view(), self.document.lens()) {
            (Some(view), Some(id)) => {
                gigawatt_model::view::party_name(&view.dataset, id).to_string()
            }
            _ => "all buyers".to_string(),
        }
    }

    fn on_list<T>(&mut self, change: impl FnOnce(&mut ListState, Rows, usize) -> T) -> T {
        self.document.with_list(self.tab, self.size, change)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            kind: StatusKind::Info,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            kind: StatusKind::Error,
        });
    }

    fn adjust_scenario(&mut self, pace_steps: i32, cost_steps: i32) {
        let Some(view) = &self.document.view else {
            return;
        };
        let adjusted = self
            .document
            .scenario
            .adjust(&view.dataset, pace_steps, cost_steps);
        if let Err(refusal) = adjusted {
            self.info(refusal.message());
        }
        self.document.recompute_scenario();
    }

    pub fn update(&mut self, action: Action) -> Option<Effect> {
        let effect = self.step(action);
        if let Some(effect) = &effect {
            tracing::debug!(effect = %effect.describe(), "effect");
        }
        effect
    }

    fn step(&mut self, action: Action) -> Option<Effect> {
        // A message is read once: the next key clears it. Errors stay until
        // something replaces them. Background events leave it alone.
        let from_user = !matches!(
            action,
            Action::Resize(..)
                | Action::LoadProgress { .. }
                | Action::Loaded { .. }
                | Action::LoadedStale { .. }
                | Action::FileChanged { .. }
                | Action::LensBuilt { .. }
                | Action::Skipped { .. }
                | Action::Tick(_)
                | Action::Exported(_)
        );
        if from_user
            && self
                .status
                .as_ref()
                .is_some_and(|s| s.kind == StatusKind::Info)
        {
            self.status = None;
        }
        match action {
            Action::LoadProgress { doc, progress } => {
                self.progress(doc, progress);
                return None;
            }
            Action::Loaded { doc, outcome } => return self.loaded(doc, outcome.0),
            Action::LoadedStale { doc, view, error } => {
                return self.loaded_stale(doc, view.0, &error.0);
            }
            Action::FileChanged { doc, file, at } => {
                if doc == self.document.id {
                    tracing::debug!(file = %file.display(), "watch: the file changed");
                    self.document.reload.changed(at);
                    if !self.document.changed.contains(&file) {
                        self.document.changed.push(file);
                    }
                }
                return None;
            }
            Action::LensBuilt {
                doc,
                buyer,
                generation,
                view,
            } => {
                if doc == self.document.id {
                    let view = Arc::try_unwrap(view.0).unwrap_or_else(|shared| (*shared).clone());
                    // Said when `b` asked for it; after a reload, the
                    // reload's own message stays.
                    let asked = self
                        .status
                        .as_ref()
                        .is_some_and(|s| s.text.starts_with(FOCUSING));
                    if self
                        .document
                        .lens_built(&buyer, generation, view, self.size)
                        && asked
                    {
                        let focus = self.lens_name();
                        let next = self.keymap.label(&Action::Lens);
                        self.info(format!("buyer in focus: {focus} ({next} for the next)"));
                    }
                }
                return None;
            }
            Action::Tick(now) => return self.tick(now),
            Action::Exported(outcome) => {
                tracing::info!(?outcome, "export finished");
                match outcome {
                    ExportOutcome::Written { rows, path } => {
                        self.info(format!("exported {rows} rows to {}", path.display()))
                    }
                    ExportOutcome::Failed { path, error } => {
                        self.error(format!("export to {} failed: {error}", path.display()))
                    }
                }
                return None;
            }
            _ => {}
        }
        // While help, a detail or a citation is open, movement scrolls it
        // and most else closes it.
        if let Some(overlay) = self.overlay {
            let max = self
                .overlay_context()
                .map_or(0, |ctx| overlay::max_scroll(&ctx, self.size));
            let page = self.size.1.saturating_sub(8).max(1);
            let scroll = &mut self.overlay_scroll;
            match action {
                Action::Quit => self.should_quit = true,
                Action::Suspend => return Some(Effect::Suspend),
                Action::Resize(w, h) => {
                    self.resize(w, h);
                    let max = self
                        .overlay_context()
                        .map_or(0, |ctx| overlay::max_scroll(&ctx, self.size));
                    self.overlay_scroll = self.overlay_scroll.min(max);
                }
                Action::Down | Action::ScrollDown => *scroll = scroll.saturating_add(1).min(max),
                Action::Up | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
                Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
                Action::PageUp => *scroll = scroll.saturating_sub(page),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = max,
                Action::Help if overlay != Overlay::Help => self.open(Overlay::Help),
                Action::Cite if overlay != Overlay::Cite => self.open(Overlay::Cite),
                Action::Problems if overlay != Overlay::Problems => self.show_problems(),
                Action::Yank => return self.yank(),
                _ => self.overlay = None,
            }
            return None;
        }
        match action {
            Action::Quit => self.should_quit = true,
            Action::NextTab => self.tab = self.tab.next(),
            Action::PrevTab => self.tab = self.tab.previous(),
            Action::GoTab(i) => self.tab = Tab::at(i),
            Action::Down | Action::ScrollDown => self.on_list(|l, _, page| l.move_by(1, page)),
            Action::Up | Action::ScrollUp => self.on_list(|l, _, page| l.move_by(-1, page)),
            Action::Top => self.on_list(|l, _, page| l.select(0, page)),
            Action::Bottom => self.on_list(|l, _, page| l.select(usize::MAX, page)),
            Action::PageDown => self.on_list(|l, _, page| l.move_by(page as isize, page)),
            Action::PageUp => self.on_list(|l, _, page| l.move_by(-(page as isize), page)),
            Action::Open => {
                if self.list().current().is_some() {
                    self.open(Overlay::Detail);
                }
            }
            Action::Cite => {
                if self.list().current().is_some() {
                    self.open(Overlay::Cite);
                }
            }
            Action::Help => self.open(Overlay::Help),
            Action::Problems => self.show_problems(),
            Action::Back => {
                if !self.on_list(|l, rows, page| l.clear_search(rows, page))
                    && self.document.clear_changes()
                {
                    self.info("reload marks cleared");
                }
            }
            Action::Lens => {
                let buyers = self.document.buyers().len();
                if buyers < 2 {
                    let name = self.view().map_or(String::new(), |v| {
                        gigawatt_model::view::party_name(
                            &v.dataset,
                            v.buyers.first().map_or("", String::as_str),
                        )
                        .to_string()
                    });
                    self.info(if buyers == 1 {
                        format!("one buyer in this file ({name}): the lens has nothing to switch")
                    } else {
                        "no deals in this file: no buyer to focus on".to_string()
                    });
                    return None;
                }
                let next = self.keymap.label(&Action::Lens);
                if let Some(request) = self.document.cycle_lens(self.size) {
                    let name =
                        gigawatt_model::view::party_name(&request.all.dataset, &request.buyer);
                    self.info(format!("{FOCUSING} {name}… ({next} for the next)"));
                    return Some(self.build_lens(request));
                }
                let focus = self.lens_name();
                self.info(format!("buyer in focus: {focus} ({next} for the next)"));
            }
            Action::Fold => {
                let folded = self.on_list(|l, rows, page| l.toggle_fold(rows, page));
                if !folded {
                    self.info("the selected deal has no earlier records to expand");
                }
            }
            Action::CellLeft => self.on_list(|l, _, _| l.column = l.column.saturating_sub(1)),
            Action::CellRight => {
                let columns = self.view().map_or(0, |v| v.flows.providers.len());
                self.on_list(|l, _, _| l.column = (l.column + 1).min(columns.saturating_sub(1)));
            }
            Action::ToggleMeasure => {
                self.document.measure = self.document.measure.other();
                self.info(format!("flows in {}", self.document.measure.name()));
            }
            Action::SearchStart => self.on_list(|l, rows, page| l.start_search(rows, page)),
            Action::SearchInput(c) => {
                let full = self.on_list(|l, _, _| l.query.chars().count() >= MAX_QUERY_CHARS);
                if full {
                    self.error(format!("a search is at most {MAX_QUERY_CHARS} characters"));
                } else if !c.is_control() {
                    self.on_list(|l, rows, page| {
                        l.query.push(c);
                        l.search_changed(rows, page);
                    });
                }
            }
            Action::SearchPaste(text) => {
                // A paste is text: its line breaks and tabs are spaces, its
                // other control characters dropped, and it is matched once.
                let (added, cut) = self.on_list(|l, rows, page| {
                    let room = MAX_QUERY_CHARS.saturating_sub(l.query.chars().count());
                    let mut pasted = text
                        .chars()
                        .map(|c| if c.is_whitespace() { ' ' } else { c })
                        .filter(|c| !c.is_control());
                    let before = l.query.chars().count();
                    l.query.extend(pasted.by_ref().take(room));
                    let cut = pasted.next().is_some();
                    let added = l.query.chars().count() - before;
                    l.search_changed(rows, page);
                    (added, cut)
                });
                if cut {
                    self.error(format!(
                        "pasted {added} characters: a search is at most {MAX_QUERY_CHARS}"
                    ));
                }
            }
            Action::Skipped { doc, skipped } => {
                if doc == self.document.id {
                    let more = match skipped.len() {
                        1 => String::new(),
                        n => format!(" (and {} more: `gigawatt check` lists them)", n - 1),
                    };
                    self.error(format!("{}{more}", skipped[0]));
                }
            }
            Action::Pasted => {
                let search = self.keymap.label(&Action::SearchStart).to_string();
                self.info(format!(
                    "a paste is taken only by a search ({search}, then paste)"
                ));
            }
            Action::SearchBackspace => self.on_list(|l, rows, page| {
                l.query.pop();
                l.search_changed(rows, page);
            }),
            Action::SearchConfirm => {
                let (count, query) = self.on_list(|l, _, _| {
                    l.typing = false;
                    (l.matches.len(), l.query.clone())
                });
                if !query.is_empty() {
                    let key = |action| self.keymap.label(&action).to_string();
                    let (next, previous) = (key(Action::NextMatch), key(Action::PrevMatch));
                    let (filter, back) = (key(Action::ToggleFilter), key(Action::Back));
                    self.info(format!(
                        "{count} match{} for \"{query}\"; {next}/{previous} next/previous, \
                         {filter} only matches, {back} clears",
                        if count == 1 { "" } else { "es" }
                    ));
                }
            }
            Action::NextMatch => {
                self.on_list(|l, _, page| l.jump_match(true, l.selected, false, page))
            }
            Action::PrevMatch => {
                self.on_list(|l, _, page| l.jump_match(false, l.selected, false, page))
            }
            Action::ToggleFilter => {
                if self.list().query.is_empty() {
                    let search = self.keymap.label(&Action::SearchStart);
                    let filter = self.keymap.label(&Action::ToggleFilter);
                    self.info(format!(
                        "search first ({search}), then {filter} shows only the matching rows"
                    ));
                    return None;
                }
                self.on_list(|l, rows, page| {
                    l.filter = !l.filter;
                    l.reorder(rows, page);
                });
            }
            Action::SortNext | Action::SortReverse if !self.tab.spec().sortable() => {}
            Action::SortNext => {
                let columns = self.columns().len();
                // Columns not drawn (every row alike) are not sorted by.
                let hidden: Vec<bool> = self
                    .view()
                    .map_or(vec![], |v| (self.tab.spec().hidden)(v).to_vec());
                let shown = |c: &usize| !hidden.get(*c).copied().unwrap_or(false);
                self.on_list(|l, rows, page| {
                    let from = l.sort.map_or(0, |c| c + 1);
                    l.sort = (from..columns).find(shown);
                    l.reverse = false;
                    l.reorder(rows, page);
                });
            }
            Action::SortReverse => self.on_list(|l, rows, page| {
                l.reverse = !l.reverse;
                l.reorder(rows, page);
            }),
            Action::PaceUp => self.adjust_scenario(1, 0),
            Action::PaceDown => self.adjust_scenario(-1, 0),
            Action::CostUp => self.adjust_scenario(0, 1),
            Action::CostDown => self.adjust_scenario(0, -1),
            Action::ResetScenario => {
                self.document.scenario = Scenario::default();
                self.document.recompute_scenario();
            }
            Action::ToggleSiteUse => {
                self.document.site_use = self.document.site_use.other();
                self.info(format!(
                    "what runs counts sites of {}",
                    self.document.site_use.name()
                ));
            }
            Action::Export => {
                self.document.view.as_ref()?;
                let table = self.tab.spec().table;
                // The derived figures behind a view go out whole, made as
                // they are written.
                let order = (table != TableName::Derived).then(|| self.list().order.clone());
                return Some(Effect::Export {
                    table,
                    order,
                    dir: self.export_dir.clone(),
                });
            }
            Action::Yank => return self.yank(),
            Action::Suspend => return Some(Effect::Suspend),
            Action::Resize(w, h) => self.resize(w, h),
            Action::Click(x, y) => self.click(x, y),
            Action::LoadProgress { .. }
            | Action::Loaded { .. }
            | Action::LoadedStale { .. }
            | Action::FileChanged { .. }
            | Action::LensBuilt { .. }
            | Action::Tick(_)
            | Action::Exported(_) => {}
        }
        None
    }

    fn progress(&mut self, doc: DocId, progress: Progress) {
        if doc != self.document.id {
            return;
        }
        if let Some(loading) = self.document.loading.as_mut() {
            loading.bytes = progress.bytes;
            loading.total = progress.total;
            loading.stage = progress.stage;
        }
    }

    fn loaded(&mut self, doc: DocId, outcome: Arc<Result<ViewData, LoadError>>) -> Option<Effect> {
        if doc != self.document.id {
            return None;
        }
        self.document.reload.in_flight = false;
        let had_data = self.document.view.is_some();
        // The loader hands over its only reference; a shared one is copied.
        let view = match Arc::try_unwrap(outcome) {
            Ok(Ok(view)) => Ok(view),
            Ok(Err(e)) => Err(e),
            Err(shared) => match &*shared {
                Ok(view) => Ok(view.clone()),
                Err(e) => {
                    self.load_failed(e, had_data);
                    return self.start_reload();
                }
            },
        };
        let mut lens = None;
        match view {
            Ok(view) => {
                tracing::info!(
                    file = %self.document.source_name,
                    reload = had_data,
                    commitments = view.dataset.commitments.len(),
                    "loaded"
                );
                lens = self.document.set_view(view, self.size);
                if self.overlay == Some(Overlay::Problems) {
                    self.overlay = None;
                }
                if had_data {
                    let back = self.keymap.label(&Action::Back);
                    let changes = self.document.changes.as_ref().map_or(String::new(), |c| {
                        format!("; {} ({back} clears the marks)", c.summary())
                    });
                    self.info(format!(
                        "reloaded {} at {}{changes}",
                        self.document.source_name,
                        chrono::Local::now().format("%H:%M:%S")
                    ));
                }
            }
            Err(e) => self.load_failed(&e, had_data),
        }
        // A file changed meanwhile is read first; the lens waits for it.
        self.start_reload()
            .or_else(|| lens.map(|request| self.build_lens(request)))
    }

    /// A set loaded, some of its files at their last good version: the
    /// rows shown, STALE naming the files that broke and where.
    fn loaded_stale(
        &mut self,
        doc: DocId,
        view: Arc<ViewData>,
        error: &LoadError,
    ) -> Option<Effect> {
        if doc != self.document.id {
            return None;
        }
        self.document.reload.in_flight = false;
        let view = Arc::try_unwrap(view).unwrap_or_else(|shared| (*shared).clone());
        tracing::info!(
            file = %self.document.source_name,
            commitments = view.dataset.commitments.len(),
            "loaded, some files at their last good version"
        );
        let lens = self.document.set_view(view, self.size);
        self.load_failed(error, true);
        self.start_reload()
            .or_else(|| lens.map(|request| self.build_lens(request)))
    }

    fn load_failed(&mut self, error: &LoadError, had_data: bool) {
        tracing::warn!(
            file = %self.document.source_name,
            reload = had_data,
            problems = error.count(),
            first = %error.summary(),
            "load failed"
        );
        self.document.loading = None;
        // A save can fix a file with problems, or one that is missing or
        // too large; not a device or a folder given as the data file.
        let fixable = !matches!(error, LoadError::NotAFile { .. });
        let waits = had_data || (self.watching && fixable);
        if !waits {
            // Nothing to show and nothing will reload it: gigawatt says why
            // on a restored terminal and exits non-zero.
            self.fatal = Some(error.report());
            self.should_quit = true;
            return;
        }
        // Shown as STALE, over the last good data or, before any, over the
        // problems themselves; the next good save loads.
        let known = self.document.view.as_ref().map(|v| &v.dataset);
        let problems = Problems::new(error, known);
        self.document.stale = Some(problems.summary.clone());
        self.document.problems = Some(problems);
    }

    /// Opens the problems overlay, or says there are none.
    fn show_problems(&mut self) {
        if self.document.problems.is_some() {
            self.open(Overlay::Problems);
        } else {
            self.info(format!(
                "no problems: {} loaded cleanly",
                self.document.source_name
            ));
        }
    }

    fn tick(&mut self, now: Instant) -> Option<Effect> {
        if let Some(loading) = self.document.loading.as_mut() {
            loading.now = now;
        }
        let reload = &mut self.document.reload;
        if reload.due.is_some_and(|due| due <= now) {
            reload.settled();
        }
        self.start_reload()
    }

    /// A reload is wanted and none runs: start one, keeping the old data up.
    fn start_reload(&mut self) -> Option<Effect> {
        if !self.document.paths.is_empty() {
            if !self.document.reload.start() {
                return None;
            }
            self.info(format!("reloading {}…", self.document.source_name));
            return Some(Effect::LoadSet {
                doc: self.document.id,
                paths: self.document.paths.clone(),
                changed: std::mem::take(&mut self.document.changed),
            });
        }
        let path = self.document.path.clone()?;
        if !self.document.reload.start() {
            return None;
        }
        // Replaced by the result at once for small files; for large ones it
        // says why the change has not shown yet.
        self.info(format!("reloading {}…", self.document.source_name));
        Some(Effect::Load {
            doc: self.document.id,
            path,
            progress: false,
        })
    }

    fn open(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        for tab in Tab::ALL {
            self.document
                .with_list(tab, self.size, |l, _, page| l.clamp(page));
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        let frame = layout::frame(self.size);
        if y == frame.tabs.y {
            if let Some(i) = layout::tab_at(&Tab::labels(frame.tabs.width), frame.tabs, x) {
                self.tab = Tab::at(i);
            }
            return;
        }
        let rows = (self.tab.spec().list_rows)(frame.body, self.list().order.len());
        if rows.contains(ratatui::layout::Position { x, y }) {
            let position = self.list().offset + usize::from(y - rows.y);
            if position < self.list().order.len() {
                self.on_list(|l, _, page| l.select(position, page));
            }
        }
    }

    fn yank(&mut self) -> Option<Effect> {
        let line = self.citation_line()?;
        self.info(format!("copied: {line}"));
        Some(Effect::Clipboard(line))
    }
}

/// What a set is called in the title bar and messages: its one folder's
/// name, or how many paths it has.
pub fn set_name(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        _ => format!("{} paths", paths.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Typing narrows from the last matches; the result must be what a
    /// full scan gives, for every prefix, forwards and back.
    #[test]
    fn narrowed_matches_equal_a_full_scan() {
        let mut app = App::with_data(
            gigawatt_model::data::bundled().expect("bundled data loads"),
            "test",
            (120, 40),
        );
        app.update(Action::GoTab(3));
        app.update(Action::SortNext);
        app.update(Action::SearchStart);
        let full = |app: &App, query: &str| -> Vec<usize> {
            let rows = app.rows(Tab::Notes);
            let list = app.list();
            (0..list.order.len())
                .filter(|&p| rows.haystack(list.order[p]).to_lowercase().contains(query))
                .collect()
        };
        let typed = "amazon";
        for (n, c) in typed.char_indices() {
            app.update(Action::SearchInput(c));
            assert_eq!(
                app.list().matches,
                full(&app, &typed[..=n]),
                "typed {:?}",
                &typed[..=n]
            );
        }
        for n in (0..typed.len()).rev() {
            app.update(Action::SearchBackspace);
            let expected = if n == 0 {
                vec![]
            } else {
                full(&app, &typed[..n])
            };
            assert_eq!(app.list().matches, expected, "back to {:?}", &typed[..n]);
        }
        assert!(!full(&app, "amazon").is_empty());
    }
}
