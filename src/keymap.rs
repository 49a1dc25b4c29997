//! Keys to actions: one table. The footer hints and the help overlay are
//! generated from it, so what the screen says is what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use crate::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every tab.
    Global,
    /// Tabs with a list: Providers, Commitments, Market notes, and the ramp's timeline.
    List,
    /// Tabs with a sortable table: Providers, Commitments, Market notes.
    Table,
    /// The Capacity ramp tab's scenario.
    Ramp,
}

#[derive(Debug, Clone, Copy)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const fn plain(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}

const fn code(code: KeyCode) -> Key {
    Key(code, KeyModifiers::NONE)
}

pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in hints: "j/k".
    pub label: &'static str,
    pub action: Action,
    /// What it does, short: for the footer and help.
    pub help: &'static str,
    pub scope: Scope,
    /// The footer's word for it; `None`: shown only in help.
    pub footer: Option<&'static str>,
}

macro_rules! bind {
    ($scope:ident, $footer:expr, $label:literal, $help:literal, $action:expr, [$($key:expr),+ $(,)?]) => {
        Binding {
            keys: &[$($key),+],
            label: $label,
            action: $action,
            help: $help,
            scope: Scope::$scope,
            footer: $footer,
        }
    };
}

pub const BINDINGS: &[Binding] = &[
    bind!(
        Global,
        Some("help"),
        "?",
        "this help",
        Action::Help,
        [plain('?')]
    ),
    bind!(
        Global,
        Some("quit"),
        "q",
        "quit",
        Action::Quit,
        [plain('q'), Key(KeyCode::Char('c'), KeyModifiers::CONTROL)]
    ),
    bind!(
        Global,
        Some("tabs"),
        "1-4",
        "go to tab 1 to 4",
        Action::GoTab(0),
        [plain('1'), plain('2'), plain('3'), plain('4')]
    ),
    bind!(
        Global,
        None,
        "Tab",
        "next tab",
        Action::NextTab,
        [code(KeyCode::Tab), code(KeyCode::Right)]
    ),
    bind!(
        Global,
        None,
        "S-Tab",
        "previous tab",
        Action::PrevTab,
        [code(KeyCode::BackTab), code(KeyCode::Left)]
    ),
    bind!(
        Global,
        None,
        "Esc",
        "back: close help, detail, search",
        Action::Back,
        [code(KeyCode::Esc)]
    ),
    bind!(
        List,
        Some("move"),
        "j/k",
        "down",
        Action::Down,
        [plain('j'), code(KeyCode::Down)]
    ),
    bind!(
        List,
        None,
        "k",
        "up",
        Action::Up,
        [plain('k'), code(KeyCode::Up)]
    ),
    bind!(
        List,
        None,
        "g",
        "first row",
        Action::Top,
        [plain('g'), code(KeyCode::Home)]
    ),
    bind!(
        List,
        None,
        "G",
        "last row",
        Action::Bottom,
        [plain('G'), code(KeyCode::End)]
    ),
    bind!(
        List,
        None,
        "PgUp",
        "page up",
        Action::PageUp,
        [code(KeyCode::PageUp)]
    ),
    bind!(
        List,
        None,
        "PgDn",
        "page down",
        Action::PageDown,
        [code(KeyCode::PageDown)]
    ),
    bind!(
        List,
        Some("detail"),
        "⏎",
        "open the selection's detail",
        Action::Open,
        [code(KeyCode::Enter)]
    ),
    bind!(
        List,
        Some("search"),
        "/",
        "search this tab (Enter keeps, Esc clears)",
        Action::SearchStart,
        [plain('/')]
    ),
    bind!(
        List,
        None,
        "n",
        "next match",
        Action::NextMatch,
        [plain('n')]
    ),
    bind!(
        List,
        None,
        "N",
        "previous match",
        Action::PrevMatch,
        [plain('N')]
    ),
    bind!(
        List,
        None,
        "&",
        "show only matching rows / all rows",
        Action::ToggleFilter,
        [plain('&')]
    ),
    bind!(
        Table,
        Some("sort"),
        "s/S",
        "sort by the next column",
        Action::SortNext,
        [plain('s')]
    ),
    bind!(
        Table,
        None,
        "S",
        "reverse the sort",
        Action::SortReverse,
        [plain('S')]
    ),
    bind!(
        List,
        Some("cite"),
        "c",
        "show the selection's citation",
        Action::Cite,
        [plain('c')]
    ),
    bind!(
        List,
        None,
        "y",
        "copy the selection with its citation",
        Action::Yank,
        [plain('y')]
    ),
    bind!(
        List,
        None,
        "e",
        "export this table to CSV",
        Action::Export,
        [plain('e')]
    ),
    bind!(
        Ramp,
        Some("pace"),
        "+/-",
        "faster build pace (GW/week)",
        Action::PaceUp,
        [plain('+'), plain('=')]
    ),
    bind!(
        Ramp,
        None,
        "-",
        "slower build pace",
        Action::PaceDown,
        [plain('-')]
    ),
    bind!(
        Ramp,
        Some("cost/GW"),
        "[/]",
        "higher cost per GW",
        Action::CostUp,
        [plain(']')]
    ),
    bind!(
        Ramp,
        None,
        "[",
        "lower cost per GW",
        Action::CostDown,
        [plain('[')]
    ),
    bind!(
        Ramp,
        Some("reset"),
        "r",
        "reset the scenario to the file's values",
        Action::ResetScenario,
        [plain('r')]
    ),
];

/// What a key does in the given context. Search input is handled by the app
/// before this table (typed characters are text there, not commands).
pub fn action_for(key: KeyEvent, scopes: &[Scope]) -> Option<Action> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::Quit);
    }
    BINDINGS
        .iter()
        .filter(|b| scopes.contains(&b.scope))
        .find(|b| {
            b.keys.iter().any(|k| {
                k.0 == key.code
                    && (k.1 == key.modifiers
                        // Terminals differ on whether Shift comes with
                        // shifted characters; the character decides.
                        // Fix (tests/ui.rs keys::shift_tab_*): crossterm
                        // reports Shift-Tab as BackTab *with* SHIFT, which the
                        // NONE-modifier binding never matched; BackTab is
                        // shifted by nature, so it goes by the code too.
                        || (matches!(k.0, KeyCode::Char(_) | KeyCode::BackTab)
                            && key.modifiers == KeyModifiers::SHIFT))
            })
        })
        .map(|b| match (&b.action, key.code) {
            (Action::GoTab(_), KeyCode::Char(d)) => {
                Action::GoTab(d.to_digit(10).map_or(0, |d| d as usize).saturating_sub(1))
            }
            (action, _) => action.clone(),
        })
}

/// Keys while typing a search query.
pub fn search_action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('c')).then_some(Action::Quit);
    }
    match key.code {
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Enter => Some(Action::SearchConfirm),
        KeyCode::Backspace => Some(Action::SearchBackspace),
        KeyCode::Down => Some(Action::NextMatch),
        KeyCode::Up => Some(Action::PrevMatch),
        KeyCode::Char(c) => Some(Action::SearchInput(c)),
        _ => None,
    }
}

pub fn mouse_action(event: MouseEvent) -> Option<Action> {
    match event.kind {
        MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
            Some(Action::Click(event.column, event.row))
        }
        MouseEventKind::ScrollUp => Some(Action::ScrollUp),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown),
        _ => None,
    }
}

/// Footer hints for the scopes in force: ("j/k", "move").
pub fn hints(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    let footer = |b: &Binding| b.footer.map(|hint| (b.label, hint));
    // Help first, so that a narrow footer that cuts the tail still says
    // where every other key is; then this tab's keys; then the other globals.
    let is_help = |b: &&Binding| b.action == Action::Help;
    let mut hints: Vec<_> = BINDINGS.iter().filter(is_help).filter_map(footer).collect();
    hints.extend(
        BINDINGS
            .iter()
            .filter(|b| scopes.contains(&b.scope) && b.scope != Scope::Global)
            .filter_map(footer),
    );
    hints.extend(
        BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Global && !is_help(b))
            .filter_map(footer),
    );
    hints
}

/// Help overlay lines, grouped by scope: (group title, [(keys, help)]).
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let groups = [
        (Scope::Global, "Everywhere"),
        (Scope::List, "Lists"),
        (Scope::Table, "Tables"),
        (Scope::Ramp, "Capacity ramp"),
    ];
    groups
        .iter()
        .map(|(scope, title)| {
            let lines = BINDINGS
                .iter()
                .filter(|b| b.scope == *scope)
                .map(|b| (key_names(b.keys), b.help))
                .collect();
            (*title, lines)
        })
        .collect()
}

/// "j ↓" for a binding's keys, as help lists them.
fn key_names(keys: &[Key]) -> String {
    let mut names: Vec<String> = Vec::new();
    for Key(code, modifiers) in keys {
        let name = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                format!("Ctrl-{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(" ")
}
