//! A list's place on screen: selection, scroll, sort, search and filter,
//! and the operations on them. One per tab, kept in the document; it knows
//! rows only as the slice it is handed, never which tab it belongs to.

use gigawatt_model::view::{self, Rows};

/// Which of `records` (of `len`) match the search, as a flag per record.
/// They are tested in file order, whatever the list's: the records are
/// then read from memory in the order they lie in it, which at 100k rows
/// is several times faster than in a sorted list's order.
fn matching(search: &view::Matcher, len: usize, records: impl Iterator<Item = usize>) -> Vec<bool> {
    let mut records: Vec<usize> = records.collect();
    records.sort_unstable();
    let mut hit = vec![false; len];
    for i in records {
        hit[i] = search.is_match(i);
    }
    hit
}

/// A list's place: selection, scroll, sort, search.
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
    /// A column cursor, for a tab whose rows have cells to move through
    /// (the Flows matrix).
    pub column: usize,
    /// Records whose folded rows (`Rows::under`) are shown, under them.
    pub expanded: Vec<usize>,
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

    /// Recomputes the order (filter, then sort) and the matches.
    pub fn refresh_order(&mut self, rows: Rows) {
        let search = rows.matcher(&self.query);
        let query = search.query().to_string();
        let shown = |i: &usize| rows.under(*i).is_none();
        let filter: Vec<usize> = if self.filter && !query.is_empty() {
            (0..rows.len())
                .filter(shown)
                .filter(|&i| search.is_match(i))
                .collect()
        } else {
            (0..rows.len()).filter(shown).collect()
        };
        let order = view::sorted_order(&rows, &filter, self.sort, self.reverse);
        let order = self.unfold(rows, order);
        self.matches = if query.is_empty() {
            Vec::new()
        } else if self.filter {
            // Filtered: every row shown matches, no need to test them again.
            (0..order.len()).collect()
        } else {
            let hit = matching(&search, rows.len(), order.iter().copied());
            (0..order.len()).filter(|&p| hit[order[p]]).collect()
        };
        self.order = order;
        self.matched_query = query;
    }

    /// Puts the folded rows of each expanded record right under it, in
    /// file order, whatever the sort.
    fn unfold(&self, rows: Rows, order: Vec<usize>) -> Vec<usize> {
        if self.expanded.is_empty() {
            return order;
        }
        let mut out = Vec::with_capacity(order.len());
        for i in order {
            out.push(i);
            if self.expanded.contains(&i) {
                out.extend((0..rows.len()).filter(|&j| rows.under(j) == Some(i)));
            }
        }
        out
    }

    /// Shows or hides the rows folded under the selected record (or under
    /// the record the selected row is folded under); says whether it had any.
    pub fn toggle_fold(&mut self, rows: Rows, page: usize) -> bool {
        let Some(current) = self.current() else {
            return false;
        };
        if current >= rows.len() {
            return false;
        }
        let head = rows.under(current).unwrap_or(current);
        if rows.folds(head) == 0 {
            return false;
        }
        if let Some(at) = self.expanded.iter().position(|&h| h == head) {
            self.expanded.remove(at);
        } else {
            self.expanded.push(head);
        }
        self.refresh_order(rows);
        self.reselect(Some(head), page);
        true
    }

    /// Recomputes only the matches, for a query change that cannot change
    /// the order (no filter): no re-sort per keystroke, and a query that
    /// extends the last one re-tests only the last one's matches.
    pub fn refresh_matches(&mut self, rows: Rows) {
        let search = rows.matcher(&self.query);
        let query = search.query().to_string();
        let matches = if query.is_empty() {
            Vec::new()
        } else if !self.matched_query.is_empty() && query.starts_with(&self.matched_query) {
            let records = self.matches.iter().map(|&p| self.order[p]);
            let hit = matching(&search, rows.len(), records);
            let order = &self.order;
            self.matches
                .iter()
                .copied()
                .filter(|&p| hit[order[p]])
                .collect()
        } else {
            let hit = matching(&search, rows.len(), self.order.iter().copied());
            (0..self.order.len())
                .filter(|&p| hit[self.order[p]])
                .collect()
        };
        self.matches = matches;
        self.matched_query = query;
    }

    /// Keeps the selection in range and on screen, `page` rows tall.
    pub fn clamp(&mut self, page: usize) {
        let len = self.order.len();
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }

    pub fn select(&mut self, position: usize, page: usize) {
        self.selected = position;
        self.clamp(page);
    }

    pub fn move_by(&mut self, delta: isize, page: usize) {
        let len = self.order.len();
        if len == 0 {
            return;
        }
        let target = self.selected.saturating_add_signed(delta).min(len - 1);
        self.select(target, page);
    }

    /// After the order changed, keeps the same record selected if it is still shown.
    pub fn reselect(&mut self, record: Option<usize>, page: usize) {
        if let Some(p) = record.and_then(|r| self.order.iter().position(|&i| i == r)) {
            self.selected = p;
        }
        self.clamp(page);
    }

    /// Moves to the next (or previous) match from position `from`.
    pub fn jump_match(&mut self, forward: bool, from: usize, inclusive: bool, page: usize) {
        let found = if forward {
            self.matches
                .iter()
                .find(|&&p| if inclusive { p >= from } else { p > from })
                .or(self.matches.first())
        } else {
            self.matches
                .iter()
                .rev()
                .find(|&&p| p < from)
                .or(self.matches.last())
        };
        if let Some(&p) = found {
            self.select(p, page);
        }
    }

    /// Starts typing a query: the query is cleared (which may un-filter the
    /// list), the same record stays selected, and the search runs onward
    /// from where that record now is.
    pub fn start_search(&mut self, rows: Rows, page: usize) {
        let current = self.current();
        self.typing = true;
        self.query.clear();
        self.refresh_order(rows);
        self.reselect(current, page);
        self.search_origin = self.selected;
    }

    /// The query changed while typing.
    pub fn search_changed(&mut self, rows: Rows, page: usize) {
        let current = self.current();
        if self.filter {
            self.refresh_order(rows);
            self.reselect(current, page);
        } else {
            self.refresh_matches(rows);
        }
        if !self.matches.is_empty() {
            self.jump_match(true, self.search_origin, true, page);
        }
    }

    /// Clears the query and the filter; says whether anything was cleared.
    pub fn clear_search(&mut self, rows: Rows, page: usize) -> bool {
        if !self.typing && self.query.is_empty() {
            return false;
        }
        self.typing = false;
        self.query.clear();
        self.filter = false;
        self.refresh_order(rows);
        self.clamp(page);
        true
    }

    /// Re-sorts or re-filters, keeping the selected record.
    pub fn reorder(&mut self, rows: Rows, page: usize) {
        let current = self.current();
        self.refresh_order(rows);
        self.reselect(current, page);
    }
}
