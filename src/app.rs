//! App state and `update`: the only place state changes. Rendering (`ui`)
//! reads an `&App` and never writes to it.

use std::path::PathBuf;
use std::time::Instant;

use crate::action::Action;
use crate::data::{Dataset, LoadError};
use crate::derive::{self, Ramp};
use crate::figure::{Figure, Period, Qualifier, Unit};
use crate::keymap::Scope;
use crate::layout;
use crate::theme::Theme;
use crate::view::{self, Row, ViewData};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Providers,
    Commitments,
    Ramp,
    Notes,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Providers, Tab::Commitments, Tab::Ramp, Tab::Notes];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Providers => "Providers",
            Tab::Commitments => "Commitments",
            Tab::Ramp => "Capacity ramp",
            Tab::Notes => "Market notes",
        }
    }

    /// The key scopes in force on this tab.
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Tab::Ramp => &[Scope::Global, Scope::List, Scope::Ramp],
            _ => &[Scope::Global, Scope::List, Scope::Table],
        }
    }

    /// The export table behind this tab's list.
    pub fn table_name(self) -> crate::export::TableName {
        use crate::export::TableName;
        match self {
            Tab::Providers => TableName::Providers,
            Tab::Commitments | Tab::Ramp => TableName::Commitments,
            Tab::Notes => TableName::Notes,
        }
    }
}

/// A list's place: selection, scroll, sort, search. One per tab.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListState {
    /// Position in `order`.
    pub selected: usize,
    /// First visible position.
    pub offset: usize,
    pub sort: Option<usize>,
    pub reverse: bool,
    /// Record indices as shown: filtered, then sorted.
    pub order: Vec<usize>,
    pub query: String,
    /// Typing a query right now.
    pub typing: bool,
    /// Show only matching rows.
    pub filter: bool,
    /// Positions in `order` whose rows match `query`.
    pub matches: Vec<usize>,
    /// Where the selection was when typing began, to search onward from it.
    search_origin: usize,
    /// The lowercased query `matches` were computed for: a longer query
    /// that starts with it only needs those matches re-tested.
    matched_query: String,
}

impl ListState {
    /// The record index under the selection.
    pub fn current(&self) -> Option<usize> {
        self.order.get(self.selected).copied()
    }

    pub fn is_match(&self, position: usize) -> bool {
        self.matches.binary_search(&position).is_ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Detail,
    Cite,
}

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

/// The ramp scenario: the file's pace and cost per GW, or the user's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// GW per week, when changed from the file's.
    pub pace: Option<f64>,
    /// Dollars per GW, when changed from the file's.
    pub cost: Option<f64>,
}

pub const PACE_STEP: f64 = 0.25;
pub const COST_STEP: f64 = 5e9;

impl Scenario {
    pub fn is_changed(&self) -> bool {
        self.pace.is_some() || self.cost.is_some()
    }
}

/// Progress of a load running on the loader thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    pub file: String,
    pub bytes: u64,
    pub total: u64,
    pub stage: &'static str,
    pub started: Instant,
}

/// What `update` asks the outside world to do; the event loop does it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Write the current table to a CSV file.
    Export {
        table: crate::export::TableName,
        order: Vec<usize>,
    },
}

pub struct App {
    pub view: Option<ViewData>,
    /// The file shown, as named in messages ("data/openai-compute.toml (bundled)").
    pub source_name: String,
    pub tab: Tab,
    pub lists: [ListState; 4],
    pub overlay: Option<Overlay>,
    pub overlay_scroll: u16,
    pub scenario: Scenario,
    /// The scenario's ramp, recomputed only when the scenario changes.
    pub scenario_ramp: Option<Ramp>,
    pub status: Option<Status>,
    /// The last reload failed: this is its error, and the data shown is older.
    pub stale: Option<String>,
    pub loading: Option<Loading>,
    pub size: (u16, u16),
    pub theme: Theme,
    pub should_quit: bool,
    /// The first load failed: nothing to show, so the app exits with this.
    pub fatal: Option<LoadError>,
    pub export_dir: PathBuf,
}

impl App {
    pub fn new(source_name: impl Into<String>, theme: Theme) -> App {
        App {
            view: None,
            source_name: source_name.into(),
            tab: Tab::Providers,
            lists: Default::default(),
            overlay: None,
            overlay_scroll: 0,
            scenario: Scenario::default(),
            scenario_ramp: None,
            status: None,
            stale: None,
            loading: None,
            size: (80, 24),
            theme,
            should_quit: false,
            fatal: None,
            export_dir: PathBuf::from("."),
        }
    }

    /// An app showing `dataset`, as tests and benches want it.
    pub fn with_data(dataset: Dataset, source_name: &str, size: (u16, u16)) -> App {
        let mut app = App::new(source_name, Theme::new(false));
        app.size = size;
        app.set_data(dataset);
        app
    }

    pub fn list(&self) -> &ListState {
        &self.lists[self.tab.index()]
    }

    fn list_mut(&mut self) -> &mut ListState {
        &mut self.lists[self.tab.index()]
    }

    /// The rows behind a tab's list.
    pub fn rows(&self, tab: Tab) -> &[Row] {
        match (&self.view, tab) {
            (None, _) => &[],
            (Some(v), Tab::Providers) => &v.providers,
            (Some(v), Tab::Commitments | Tab::Ramp) => &v.commitments,
            (Some(v), Tab::Notes) => &v.notes,
        }
    }

    /// Shows a newly loaded dataset, keeping each tab's selection (by record
    /// id), sort and search.
    pub fn set_data(&mut self, dataset: Dataset) {
        self.set_view(ViewData::new(dataset));
    }

    /// `set_data` with the rows already built (the loader thread builds them,
    /// so a large file does not freeze the screen while they are made).
    pub fn set_view(&mut self, view: ViewData) {
        let selected_ids: Vec<Option<String>> = Tab::ALL
            .iter()
            .map(|&tab| {
                let list = &self.lists[tab.index()];
                list.current()
                    .and_then(|i| self.rows(tab).get(i))
                    .map(|row| row.id.clone())
            })
            .collect();
        let first_load = self.view.is_none();
        self.view = Some(view);
        self.loading = None;
        self.stale = None;
        for tab in Tab::ALL {
            if first_load && tab == Tab::Notes {
                // Market notes read as a timeline: by date unless the user sorts.
                self.lists[tab.index()].sort = Some(0);
            }
            self.refresh_order(tab);
            let position = selected_ids[tab.index()].as_ref().and_then(|id| {
                let rows = self.rows(tab);
                self.lists[tab.index()]
                    .order
                    .iter()
                    .position(|&i| rows[i].id == *id)
            });
            let list = &mut self.lists[tab.index()];
            list.selected = position.unwrap_or(list.selected);
            self.clamp(tab);
        }
        self.recompute_scenario();
    }

    /// A reload failed: keep what is shown and say why.
    pub fn set_load_error(&mut self, error: &LoadError) {
        self.loading = None;
        let summary = error.summary();
        if self.view.is_some() {
            self.stale = Some(summary);
        } else {
            self.status = Some(Status {
                text: summary,
                kind: StatusKind::Error,
            });
        }
    }

    fn refresh_order(&mut self, tab: Tab) {
        let rows = self.rows(tab);
        let list = &self.lists[tab.index()];
        let query = list.query.to_lowercase();
        let filter: Vec<usize> = if list.filter && !query.is_empty() {
            (0..rows.len())
                .filter(|&i| rows[i].haystack.contains(&query))
                .collect()
        } else {
            (0..rows.len()).collect()
        };
        let order = view::sorted_order(rows, &filter, list.sort, list.reverse);
        let matches = if query.is_empty() {
            Vec::new()
        } else if list.filter {
            // Filtered: every row shown matches, no need to test them again.
            (0..order.len()).collect()
        } else {
            order
                .iter()
                .enumerate()
                .filter(|(_, i)| rows[**i].haystack.contains(&query))
                .map(|(p, _)| p)
                .collect()
        };
        let list = &mut self.lists[tab.index()];
        list.order = order;
        list.matches = matches;
        list.matched_query = query;
    }

    /// Recomputes only the matches, for a query change that cannot change
    /// the order (no filter): no re-sort per keystroke, and a query that
    /// extends the last one re-tests only the last one's matches.
    fn refresh_matches(&mut self, tab: Tab) {
        let rows = self.rows(tab);
        let list = &self.lists[tab.index()];
        let query = list.query.to_lowercase();
        let matches = if query.is_empty() {
            Vec::new()
        } else {
            let test = |p: &usize| rows[list.order[*p]].haystack.contains(&query);
            if !list.matched_query.is_empty() && query.starts_with(&list.matched_query) {
                list.matches.iter().copied().filter(test).collect()
            } else {
                (0..list.order.len()).filter(test).collect()
            }
        };
        let list = &mut self.lists[tab.index()];
        list.matches = matches;
        list.matched_query = query;
    }

    /// Rows visible in a tab's list at the current size.
    pub fn page_size(&self, tab: Tab) -> usize {
        let frame = layout::frame(self.size);
        let rows = self.lists[tab.index()].order.len();
        usize::from(layout::list_rows(tab, frame.body, rows).height).max(1)
    }

    /// Keeps the selection in range and on screen.
    fn clamp(&mut self, tab: Tab) {
        let page = self.page_size(tab);
        let list = &mut self.lists[tab.index()];
        let len = list.order.len();
        list.selected = list.selected.min(len.saturating_sub(1));
        if list.selected < list.offset {
            list.offset = list.selected;
        } else if list.selected >= list.offset + page {
            list.offset = list.selected + 1 - page;
        }
        list.offset = list.offset.min(len.saturating_sub(page));
    }

    fn select(&mut self, position: usize) {
        self.list_mut().selected = position;
        self.clamp(self.tab);
    }

    fn move_by(&mut self, delta: isize) {
        let list = self.list();
        let len = list.order.len();
        if len == 0 {
            return;
        }
        let target = list.selected.saturating_add_signed(delta).min(len - 1);
        self.select(target);
    }

    fn jump_match(&mut self, forward: bool, from: usize, inclusive: bool) {
        let list = self.list();
        if list.matches.is_empty() {
            return;
        }
        let found = if forward {
            list.matches
                .iter()
                .find(|&&p| if inclusive { p >= from } else { p > from })
                .or(list.matches.first())
        } else {
            list.matches
                .iter()
                .rev()
                .find(|&&p| p < from)
                .or(list.matches.last())
        };
        if let Some(&p) = found {
            self.select(p);
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            kind: StatusKind::Info,
        });
    }

    /// The scenario's inputs as figures: the file's, hedges kept, unless the
    /// user changed them, in which case the user's number is exact.
    pub fn scenario_inputs(&self) -> Option<(Figure, Figure, Option<Figure>)> {
        let capacity = self.view.as_ref()?.dataset.capacity.as_ref()?;
        let target = capacity.target.clone()?;
        let rate = match self.scenario.pace {
            Some(pace) => Figure::derived(Qualifier::Exact, pace * 1e9, Unit::Rate(Period::Week)),
            None => capacity.build_rate.clone()?,
        };
        let cost = match self.scenario.cost {
            Some(cost) => Some(Figure::derived(Qualifier::Exact, cost, Unit::Money)),
            None => capacity.cost_per_gw.clone(),
        };
        Some((target, rate, cost))
    }

    fn recompute_scenario(&mut self) {
        self.scenario_ramp = self.scenario_inputs().and_then(|(target, rate, cost)| {
            let view = self.view.as_ref()?;
            derive::ramp(
                view.dataset.as_of,
                &target,
                &rate,
                cost.as_ref(),
                Some(&view.total),
            )
        });
    }

    /// Current pace in GW/week and cost in $/GW, for stepping from.
    fn scenario_values(&self) -> Option<(f64, Option<f64>)> {
        let (_, rate, cost) = self.scenario_inputs()?;
        Some((rate.watts_per_week()? / 1e9, cost.map(|c| c.value)))
    }

    fn adjust_scenario(&mut self, pace_delta: f64, cost_delta: f64) {
        let Some((pace, cost)) = self.scenario_values() else {
            self.info("this file has no capacity target and build rate to ramp");
            return;
        };
        if pace_delta != 0.0 {
            // Snap to the step grid so that + then - returns where it was.
            let stepped = ((pace + pace_delta) / PACE_STEP).round() * PACE_STEP;
            self.scenario.pace = Some(stepped.clamp(PACE_STEP, 100.0));
        }
        if cost_delta != 0.0 {
            let Some(cost) = cost else {
                self.info("this file has no cost per GW to adjust");
                return;
            };
            let stepped = ((cost + cost_delta) / COST_STEP).round() * COST_STEP;
            self.scenario.cost = Some(stepped.clamp(COST_STEP, 1e13));
        }
        self.recompute_scenario();
    }

    /// The scopes whose keys are live now.
    pub fn scopes(&self) -> &'static [Scope] {
        self.tab.scopes()
    }

    pub fn update(&mut self, action: Action) -> Option<Effect> {
        // A message is read once: the next key clears it. Errors stay until
        // something replaces them.
        if !matches!(action, Action::Resize(..))
            && self
                .status
                .as_ref()
                .is_some_and(|s| s.kind == StatusKind::Info)
        {
            self.status = None;
        }
        // While help, a detail or a citation is open, movement scrolls it
        // and most else closes it.
        if let Some(overlay) = self.overlay {
            let max = crate::ui::overlay_max_scroll(self);
            let page = self.size.1.saturating_sub(8).max(1);
            let scroll = &mut self.overlay_scroll;
            match action {
                Action::Quit => self.should_quit = true,
                Action::Resize(w, h) => self.resize(w, h),
                Action::Down | Action::ScrollDown => *scroll = scroll.saturating_add(1).min(max),
                Action::Up | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
                Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
                Action::PageUp => *scroll = scroll.saturating_sub(page),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = max,
                Action::Help if overlay != Overlay::Help => self.open(Overlay::Help),
                Action::Cite if overlay != Overlay::Cite => self.open(Overlay::Cite),
                Action::Yank => return self.yank(),
                _ => self.overlay = None,
            }
            return None;
        }
        match action {
            Action::Quit => self.should_quit = true,
            Action::NextTab => self.tab = Tab::ALL[(self.tab.index() + 1) % 4],
            Action::PrevTab => self.tab = Tab::ALL[(self.tab.index() + 3) % 4],
            Action::GoTab(i) => self.tab = Tab::ALL[i.min(3)],
            Action::Down | Action::ScrollDown => self.move_by(1),
            Action::Up | Action::ScrollUp => self.move_by(-1),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::PageDown => {
                let page = self.page_size(self.tab) as isize;
                self.move_by(page);
            }
            Action::PageUp => {
                let page = self.page_size(self.tab) as isize;
                self.move_by(-page);
            }
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
            Action::Back => {
                let list = self.list_mut();
                if list.typing || !list.query.is_empty() {
                    list.typing = false;
                    list.query.clear();
                    list.filter = false;
                    self.refresh_order(self.tab);
                    self.clamp(self.tab);
                }
            }
            Action::SearchStart => {
                // Fix (tests/ui.rs search_sort::slash_while_filtered_keeps_the_selection):
                // with `&` on, clearing the query un-filters the list, and the
                // old position then pointed at a different record. Keep the
                // record, and search onward from where it now is.
                let current = self.list().current();
                let list = self.list_mut();
                list.typing = true;
                list.query.clear();
                self.refresh_order(self.tab);
                self.reselect(current);
                let list = self.list_mut();
                list.search_origin = list.selected;
            }
            Action::SearchInput(c) => {
                if !c.is_control() {
                    self.list_mut().query.push(c);
                    self.search_changed();
                }
            }
            Action::SearchBackspace => {
                self.list_mut().query.pop();
                self.search_changed();
            }
            Action::SearchConfirm => {
                let list = self.list_mut();
                list.typing = false;
                let count = list.matches.len();
                let query = list.query.clone();
                if !query.is_empty() {
                    self.info(format!(
                        "{count} match{} for \"{query}\"; n/N next/previous, & only matches, Esc clears",
                        if count == 1 { "" } else { "es" }
                    ));
                }
            }
            Action::NextMatch => {
                let from = self.list().selected;
                self.jump_match(true, from, false);
            }
            Action::PrevMatch => {
                let from = self.list().selected;
                self.jump_match(false, from, false);
            }
            Action::ToggleFilter => {
                let current = self.list().current();
                let list = self.list_mut();
                if list.query.is_empty() {
                    self.info("search first (/), then & shows only the matching rows");
                    return None;
                }
                list.filter = !list.filter;
                self.refresh_order(self.tab);
                self.reselect(current);
            }
            Action::SortNext | Action::SortReverse if self.tab == Tab::Ramp => {}
            Action::SortNext => {
                let columns = self.columns().len();
                let current = self.list().current();
                let list = self.list_mut();
                list.sort = match list.sort {
                    None => Some(0),
                    Some(c) if c + 1 < columns => Some(c + 1),
                    Some(_) => None,
                };
                list.reverse = false;
                self.refresh_order(self.tab);
                self.reselect(current);
            }
            Action::SortReverse => {
                let current = self.list().current();
                let list = self.list_mut();
                list.reverse = !list.reverse;
                self.refresh_order(self.tab);
                self.reselect(current);
            }
            Action::PaceUp => self.adjust_scenario(PACE_STEP, 0.0),
            Action::PaceDown => self.adjust_scenario(-PACE_STEP, 0.0),
            Action::CostUp => self.adjust_scenario(0.0, COST_STEP),
            Action::CostDown => self.adjust_scenario(0.0, -COST_STEP),
            Action::ResetScenario => {
                self.scenario = Scenario::default();
                self.recompute_scenario();
            }
            Action::Export => {
                self.view.as_ref()?;
                return Some(Effect::Export {
                    table: self.tab.table_name(),
                    order: self.list().order.clone(),
                });
            }
            Action::Yank => return self.yank(),
            Action::Resize(w, h) => self.resize(w, h),
            Action::Click(x, y) => self.click(x, y),
        }
        None
    }

    fn open(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    fn search_changed(&mut self) {
        let current = self.list().current();
        let origin = self.list().search_origin;
        if self.list().filter {
            self.refresh_order(self.tab);
            self.reselect(current);
        } else {
            self.refresh_matches(self.tab);
        }
        if !self.list().matches.is_empty() {
            self.jump_match(true, origin, true);
        }
    }

    /// After the order changed, keeps the same record selected if it is still shown.
    fn reselect(&mut self, record: Option<usize>) {
        let list = self.list_mut();
        if let Some(p) = record.and_then(|r| list.order.iter().position(|&i| i == r)) {
            list.selected = p;
        }
        self.clamp(self.tab);
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        for tab in Tab::ALL {
            self.clamp(tab);
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        let frame = layout::frame(self.size);
        if y == frame.tabs.y {
            if let Some(tab) = layout::tab_at(frame.tabs, x) {
                self.tab = tab;
            }
            return;
        }
        let rows = layout::list_rows(self.tab, frame.body, self.list().order.len());
        if rows.contains(ratatui::layout::Position { x, y }) {
            let position = self.list().offset + usize::from(y - rows.y);
            if position < self.list().order.len() {
                self.select(position);
            }
        }
    }

    /// The sortable columns of the current tab.
    pub fn columns(&self) -> &'static [view::Column] {
        match self.tab {
            Tab::Providers => view::PROVIDER_COLUMNS,
            Tab::Commitments | Tab::Ramp => view::COMMITMENT_COLUMNS,
            Tab::Notes => view::NOTE_COLUMNS,
        }
    }

    /// The selection as one Markdown line with its hedged figure and citation.
    pub fn citation_line(&self) -> Option<String> {
        let view = self.view.as_ref()?;
        let ds = &view.dataset;
        let index = self.list().current()?;
        let (text, cite) = match self.tab {
            Tab::Providers => {
                let p = &ds.providers[index];
                let total = &view.provider_totals[index];
                let deals = view.commitments_of(&p.id).count();
                let text = match total.figure() {
                    Some(f) => format!(
                        "{}: {} committed across {} of {deals} deals",
                        p.name,
                        f.compact(),
                        total.covers.map_or(0, |c| c.0)
                    ),
                    None => format!("{}: {deals} deals, value undisclosed", p.name),
                };
                (text, &p.cite)
            }
            Tab::Commitments | Tab::Ramp => {
                let c = &ds.commitments[index];
                let name = ds
                    .provider(&c.provider)
                    .map_or(c.provider.as_str(), |p| &p.name);
                let value = c
                    .value
                    .as_ref()
                    .map_or("undisclosed value".into(), Figure::compact);
                let term = c
                    .term
                    .as_ref()
                    .map_or(String::new(), |t| format!(" over {}", t.compact()));
                (format!("{name}: {value}{term}"), &c.cite)
            }
            Tab::Notes => {
                let n = &ds.notes[index];
                let mut text = format!("{}: {}", n.subject, n.headline);
                if let Some(change) = &n.change {
                    text.push_str(&format!(" ({})", view::change_text(change)));
                }
                if let Some(amount) = &n.amount {
                    text.push_str(&format!(" ({})", amount.compact()));
                }
                (text, &n.cite)
            }
        };
        let text = crate::text::escape_controls(&text).into_owned();
        Some(match ds.cite_text(cite) {
            Some(c) => format!("{text} ({})", crate::text::escape_controls(&c)),
            None => text,
        })
    }

    fn yank(&mut self) -> Option<Effect> {
        let line = self.citation_line()?;
        self.info(format!("copied: {line}"));
        Some(Effect::Clipboard(line))
    }

    /// Runs an effect that needs no terminal (exports), reporting in the status line.
    pub fn run_export(&mut self, table: crate::export::TableName, order: &[usize]) {
        let Some(view) = &self.view else { return };
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let table_data = crate::export::table(&view.dataset, table, Some(order));
        let rows = table_data.rows.len();
        // Atomic, and never over an earlier export (`-2`, `-3`, ... suffixes).
        let stem = format!("gigawatt-{}-{stamp}", table.as_str());
        let result = crate::export::write_to_dir(
            &table_data,
            crate::export::Format::Csv,
            &self.export_dir,
            &stem,
        );
        self.status = Some(match result {
            Ok(path) => Status {
                text: format!("exported {rows} rows to {}", path.display()),
                kind: StatusKind::Info,
            },
            Err(e) => Status {
                text: format!("export to {} failed: {e}", self.export_dir.display()),
                kind: StatusKind::Error,
            },
        });
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
            crate::data::bundled().expect("bundled data loads"),
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
                .filter(|&p| rows[list.order[p]].haystack.contains(query))
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
