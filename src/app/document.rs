//! A document: what belongs to one opened file (or, later, set of files):
//! its rows, whether it is loading or stale, and each tab's place in it.
//! The app holds documents; tabs see them only through a `TabContext`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::list_state::ListState;
use crate::tabs::TabContext;
use crate::tabs::descriptor::Tab;
use crate::ui::layout;
use crate::ui::theme::Theme;
use gigawatt_model::ledger::Ramp;
use gigawatt_model::ledger::flow_matrix::Measure;
use gigawatt_model::ledger::scenario::Scenario;
use gigawatt_model::view::{Marks, Rows, ViewData};

pub use crate::app::action::DocId;

/// Progress of a load running on the loader thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    pub file: String,
    pub bytes: u64,
    pub total: u64,
    pub stage: &'static str,
    pub started: Instant,
    /// The time of the last tick, which the panel's clock shows: the loop
    /// ticks while a load runs, so the clock moves in every stage.
    pub now: Instant,
}

/// How often the loading panel is redrawn while nothing else arrives.
pub const LOADING_FRAME: Duration = Duration::from_millis(100);

/// Editors save in bursts (truncate, write, close; or write a temporary
/// file, rename, set attributes), so a reload waits until the file has been
/// quiet this long...
pub const QUIET: Duration = Duration::from_millis(100);
/// ...but no longer than this after the first change of a burst, so a file
/// that keeps changing is still shown within a second.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// When to reload the watched file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reload {
    /// When the current burst of changes started.
    first: Option<Instant>,
    /// When to reload, if the file stays quiet until then.
    pub due: Option<Instant>,
    /// A reload is due and waits for the load in flight to finish.
    pub wanted: bool,
    /// A load is running (the first one, or a reload).
    pub in_flight: bool,
}

impl Reload {
    /// The watcher saw a change.
    pub fn changed(&mut self, now: Instant) {
        let first = *self.first.get_or_insert(now);
        self.due = Some((now + QUIET).min(first + MAX_WAIT));
    }

    /// `due` passed: the burst is over, the file is to be read.
    pub fn settled(&mut self) {
        self.first = None;
        self.due = None;
        self.wanted = true;
    }

    /// Starts a load if one is wanted and none is running; says whether it did.
    pub fn start(&mut self) -> bool {
        if self.wanted && !self.in_flight {
            self.wanted = false;
            self.in_flight = true;
            true
        } else {
            false
        }
    }
}

pub struct Document {
    pub id: DocId,
    /// The file on disk; `None` for the bundled data or a set.
    pub path: Option<PathBuf>,
    /// A set: the files and folders given (`--data` several times, or a
    /// folder); empty otherwise.
    pub paths: Vec<PathBuf>,
    /// Files of the set changed since the last load began.
    pub changed: Vec<PathBuf>,
    /// The file shown, as named in messages ("data/openai-compute.toml (bundled)").
    pub source_name: String,
    /// What the tabs show: every buyer's deals, or the lens buyer's.
    /// Shared, so a lens can be built from it off the UI thread while it
    /// stays on screen.
    pub view: Option<Arc<ViewData>>,
    /// Every buyer's view, kept while a lens is on (`view` is then the
    /// lens buyer's) or being built.
    pub all: Option<Arc<ViewData>>,
    /// The lens being built off the UI thread: its buyer, and the data
    /// generation it is built from (a reload meanwhile makes it stale).
    pub pending_lens: Option<(String, u64)>,
    /// Counts the views shown, so that a lens built from an older one is
    /// never shown over a newer one.
    pub generation: u64,
    pub loading: Option<Loading>,
    /// The last load failed: this is its error in one line, and the data
    /// shown (if any) is older.
    pub stale: Option<String>,
    /// Every problem of the last load that failed, for the `!` overlay.
    pub problems: Option<gigawatt_model::problems::Problems>,
    /// Per tab, in `Tab::ALL` order.
    pub lists: Vec<ListState>,
    pub scenario: Scenario,
    /// What the Flows matrix counts.
    pub measure: Measure,
    /// Which of the buyer's sites the Ramp counts as running.
    pub site_use: gigawatt_model::view::SiteUse,
    /// The scenario's ramp, recomputed only when the scenario changes.
    pub scenario_ramp: Option<Ramp>,
    pub reload: Reload,
    /// What the last reload changed, while its marks are shown.
    pub changes: Option<gigawatt_model::view::Changes>,
    /// The marks of those changes on every buyer's rows (a lens shows none).
    pub marks: Marks,
}

/// A buyer's lens to build off the UI thread: the buyer, the generation
/// of the data it is built from, and every buyer's view to build it from.
#[derive(Debug)]
pub struct LensRequest {
    pub buyer: String,
    pub generation: u64,
    pub all: Arc<ViewData>,
}

impl Document {
    pub fn new(id: DocId, source_name: impl Into<String>, path: Option<PathBuf>) -> Document {
        Document {
            id,
            path,
            paths: Vec::new(),
            changed: Vec::new(),
            source_name: source_name.into(),
            view: None,
            all: None,
            pending_lens: None,
            generation: 0,
            loading: None,
            stale: None,
            problems: None,
            lists: vec![ListState::default(); Tab::ALL.len()],
            scenario: Scenario::default(),
            measure: Measure::default(),
            site_use: Default::default(),
            scenario_ramp: None,
            reload: Reload::default(),
            changes: None,
            marks: Marks::default(),
        }
    }

    /// The rows behind a tab's list, with the last reload's marks.
    pub fn rows(&self, tab: Tab) -> Rows<'_> {
        let table = tab.spec().rows;
        match self.view.as_deref() {
            Some(view) if view.lens.is_some() => view.rows(table),
            Some(view) => view.rows(table).marked(&self.marks),
            None => Rows::empty(table),
        }
    }

    pub fn list(&self, tab: Tab) -> &ListState {
        &self.lists[tab.index()]
    }

    /// Rows visible in a tab's list at the terminal size `size`.
    pub fn page_size(&self, tab: Tab, size: (u16, u16)) -> usize {
        let body = layout::frame(size).body;
        let rows = self.list(tab).order.len();
        usize::from((tab.spec().list_rows)(body, rows).height).max(1)
    }

    /// Runs `change` on a tab's list with its rows and page size, then
    /// keeps the selection on screen at the page size the list has now (a
    /// list's height follows its length, which a filter changes).
    pub fn with_list<T>(
        &mut self,
        tab: Tab,
        size: (u16, u16),
        change: impl FnOnce(&mut ListState, Rows, usize) -> T,
    ) -> T {
        let page = self.page_size(tab, size);
        let table = tab.spec().rows;
        let rows = self
            .view
            .as_deref()
            .map_or(Rows::empty(table), |v| v.rows(table));
        let out = change(&mut self.lists[tab.index()], rows, page);
        let page = self.page_size(tab, size);
        self.lists[tab.index()].clamp(page);
        out
    }

    /// Shows newly loaded rows, keeping each tab's selection (by record id),
    /// sort and search. A lens that was on (or on its way) stays on its
    /// buyer while the file still has it: every buyer's rows show until
    /// the buyer's are built from what this returns, as `cycle_lens`.
    pub fn set_view(&mut self, view: ViewData, size: (u16, u16)) -> Option<LensRequest> {
        let selected_ids: Vec<Option<String>> = Tab::ALL
            .iter()
            .map(|&tab| {
                let rows = self.rows(tab);
                self.list(tab)
                    .current()
                    .filter(|&i| i < rows.len())
                    .map(|i| rows.id(i).into_owned())
            })
            .collect();
        let first_load = self.view.is_none();
        let lens = match self.pending_lens.take() {
            Some((buyer, _)) => Some(buyer),
            None => self.view.as_ref().and_then(|v| v.lens.clone()),
        };
        // A reload marks what it changed, until the next one or Esc: every
        // buyer's rows against every buyer's rows, even with a lens on.
        let old = self.all.take().or_else(|| self.view.take());
        self.view = None;
        let (changes, marks) = match old {
            Some(old) => gigawatt_model::view::mark_changes(&old, &view),
            None => Default::default(),
        };
        self.changes = (!changes.is_empty()).then_some(changes);
        self.marks = marks;
        self.pending_lens = None;
        self.generation += 1;
        let lens = lens.filter(|buyer| view.buyers.contains(buyer));
        self.view = Some(Arc::new(view));
        self.loading = None;
        self.stale = None;
        self.problems = None;
        for tab in Tab::ALL {
            if first_load && tab == Tab::Notes {
                // Market notes read as a timeline: by date unless the user sorts.
                self.lists[tab.index()].sort = Some(0);
            }
            let wanted = selected_ids[tab.index()].as_deref();
            self.with_list(tab, size, |list, rows, page| {
                list.expanded.clear();
                list.refresh_order(rows);
                let position =
                    wanted.and_then(|id| list.order.iter().position(|&i| rows.id(i) == id));
                list.selected = position.unwrap_or(list.selected);
                list.clamp(page);
            });
        }
        self.recompute_scenario();
        lens.and_then(|buyer| self.request_lens(buyer))
    }

    /// Asks for `buyer`'s lens to be built from every buyer's view, which
    /// stays on screen meanwhile.
    fn request_lens(&mut self, buyer: String) -> Option<LensRequest> {
        if self.all.is_none() {
            self.all = self.view.clone();
        }
        let all = Arc::clone(self.all.as_ref()?);
        self.pending_lens = Some((buyer.clone(), self.generation));
        Some(LensRequest {
            buyer,
            generation: self.generation,
            all,
        })
    }

    /// Takes the reload's marks off; says whether there were any.
    pub fn clear_changes(&mut self) -> bool {
        let had = self.changes.take().is_some();
        let cleared = !self.marks.is_empty();
        self.marks = Marks::default();
        had || cleared
    }

    /// Every buyer in the file, as party ids.
    pub fn buyers(&self) -> &[String] {
        self.view.as_ref().map_or(&[], |v| &v.buyers)
    }

    /// The buyer in focus; `None`: all of them.
    pub fn lens(&self) -> Option<&str> {
        self.view.as_ref().and_then(|v| v.lens.as_deref())
    }

    /// Puts one buyer (or, with `None`, every buyer) in focus: the tabs'
    /// rows and totals become that buyer's. A buyer the file lacks means all.
    fn focus(&mut self, buyer: Option<String>) {
        if self.all.is_none() {
            self.all = self.view.take();
        }
        let Some(all) = self.all.as_ref() else {
            return;
        };
        match buyer.filter(|b| all.buyers.contains(b)) {
            Some(buyer) => self.view = Some(Arc::new(ViewData::lensed(all, &buyer))),
            None => self.view = self.all.take(),
        }
    }

    /// Moves the lens on: all buyers, then each buyer in turn, then all
    /// again. Back to all buyers is at once; a buyer's view is built off
    /// the UI thread from what this returns (its buyer, the generation and
    /// every buyer's view), and shown by `lens_built`. Meanwhile the old
    /// view stays, and a second press moves on from the buyer on its way.
    pub fn cycle_lens(&mut self, size: (u16, u16)) -> Option<LensRequest> {
        let buyers = self.buyers().to_vec();
        let current = match &self.pending_lens {
            Some((buyer, _)) => Some(buyer.as_str()),
            None => self.lens(),
        };
        let next = match current {
            None => buyers.first().cloned(),
            Some(current) => buyers
                .iter()
                .position(|b| b == current)
                .and_then(|i| buyers.get(i + 1))
                .cloned(),
        };
        let Some(buyer) = next else {
            self.pending_lens = None;
            self.focus(None);
            self.start_over(size);
            return None;
        };
        self.request_lens(buyer)
    }

    /// Shows a lens built off the UI thread, if it is still the one
    /// wanted: not moved on from, and built from the data shown.
    pub fn lens_built(
        &mut self,
        buyer: &str,
        generation: u64,
        view: ViewData,
        size: (u16, u16),
    ) -> bool {
        let wanted = self
            .pending_lens
            .as_ref()
            .is_some_and(|(b, g)| b == buyer && *g == generation && *g == self.generation);
        if !wanted {
            return false;
        }
        self.pending_lens = None;
        self.view = Some(Arc::new(view));
        self.start_over(size);
        true
    }

    /// Lists start over at the top, as their rows are new; the scenario is
    /// the new buyer's plan, so it starts from the file's.
    fn start_over(&mut self, size: (u16, u16)) {
        for tab in Tab::ALL {
            self.with_list(tab, size, |list, rows, page| {
                list.expanded.clear();
                list.refresh_order(rows);
                list.select(0, page);
            });
        }
        self.scenario = Scenario::default();
        self.recompute_scenario();
    }

    pub fn recompute_scenario(&mut self) {
        self.scenario_ramp = self.view.as_ref().and_then(|view| {
            self.scenario
                .ramp(&view.dataset, &view.plan_total, view.online_at_start)
        });
    }

    /// What a tab draws from.
    pub fn tab_context<'a>(&'a self, tab: Tab, theme: &'a Theme) -> Option<TabContext<'a>> {
        Some(TabContext {
            view: self.view.as_ref()?,
            rows: self.rows(tab),
            list: self.list(tab),
            theme,
            scenario: &self.scenario,
            scenario_ramp: self.scenario_ramp.as_ref(),
            measure: self.measure,
            site_use: self.site_use,
        })
    }

    /// A tab's selection as one Markdown line with its hedged figure and citation.
    pub fn citation_line(&self, tab: Tab) -> Option<String> {
        let view = self.view.as_ref()?;
        let index = self.list(tab).current()?;
        let spec = tab.spec();
        let text = (spec.copy_text)(view, index);
        let text = gigawatt_model::text::escape_controls(&text).into_owned();
        let cite = (spec.cite)(&view.dataset, index);
        Some(match view.dataset.cite_text(cite) {
            Some(c) => format!("{text} ({})", gigawatt_model::text::escape_controls(&c)),
            None => text,
        })
    }
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
}
