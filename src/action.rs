//! Everything the user (or the loader) can ask of the app. Keys and mouse
//! events become actions in `keymap`; `App::update` is the only place that
//! acts on them.

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
    PaceUp,
    PaceDown,
    CostUp,
    CostDown,
    ResetScenario,
    /// Write the current table to a CSV file.
    Export,
    /// Copy the selection with its citation (OSC 52 and the status line).
    Yank,
    Resize(u16, u16),
    Click(u16, u16),
    ScrollUp,
    ScrollDown,
}
