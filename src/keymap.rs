//! Keys to actions: one table. The footer hints and the help overlay are
//! generated from it, so what the screen says is what the keys do.
//!
//! `BINDINGS` is the default table. A `Keymap` is the table in force: the
//! defaults with the `[keys]` of the config file applied (`Keymap::with`),
//! held by the app; footer and help are drawn from it.

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
    /// The Flows tab's matrix.
    Flows,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        "1-5",
        "go to tab 1 to 5",
        Action::GoTab(0),
        [plain('1'), plain('2'), plain('3'), plain('4'), plain('5')]
    ),
    bind!(
        Global,
        None,
        "b",
        "buyer in focus: all buyers, then each in turn",
        Action::Lens,
        [plain('b')]
    ),
    // Before the tab keys: on Flows the arrows move through the matrix.
    bind!(
        Flows,
        Some("cell"),
        "h/l",
        "the cell to the left",
        Action::CellLeft,
        [plain('h'), code(KeyCode::Left)]
    ),
    bind!(
        Flows,
        None,
        "l",
        "the cell to the right",
        Action::CellRight,
        [plain('l'), code(KeyCode::Right)]
    ),
    bind!(
        Flows,
        Some("money/GW"),
        "m",
        "money or gigawatts in the matrix",
        Action::ToggleMeasure,
        [plain('m')]
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
        Global,
        None,
        "!",
        "every problem of a file that failed to load",
        Action::Problems,
        [plain('!')]
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
        None,
        "z",
        "expand or fold a deal's earlier records",
        Action::Fold,
        [plain('z')]
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
        "faster build pace (×1.25)",
        Action::PaceUp,
        [plain('+'), plain('=')]
    ),
    bind!(
        Ramp,
        None,
        "-",
        "slower build pace (÷1.25)",
        Action::PaceDown,
        [plain('-')]
    ),
    bind!(
        Ramp,
        Some("cost/GW"),
        "[/]",
        "higher cost per GW (×1.25)",
        Action::CostUp,
        [plain(']')]
    ),
    bind!(
        Ramp,
        None,
        "[",
        "lower cost per GW (÷1.25)",
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

/// What a key does in the given context, with the default keys. Search
/// input is handled by the app before this table (typed characters are text
/// there, not commands).
pub fn action_for(key: KeyEvent, scopes: &[Scope]) -> Option<Action> {
    DEFAULT.action_for(key, scopes)
}

/// Footer hints for the scopes in force, with the default keys: ("j/k", "move").
pub fn hints(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    DEFAULT.hints(scopes)
}

/// Help overlay lines with the default keys, grouped by scope.
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    DEFAULT.help_sections()
}

/// The default keymap, `BINDINGS` as they are.
pub static DEFAULT: std::sync::LazyLock<Keymap> = std::sync::LazyLock::new(Keymap::default);

/// One binding in force: a row of `BINDINGS` with its keys, perhaps remapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub keys: Vec<Key>,
    /// How the keys are written in the footer: "j/k".
    pub label: String,
    pub action: Action,
    pub help: &'static str,
    pub scope: Scope,
    pub footer: Option<&'static str>,
}

/// The binding table in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: BINDINGS
                .iter()
                .map(|b| Bound {
                    keys: b.keys.to_vec(),
                    label: b.label.to_string(),
                    action: b.action.clone(),
                    help: b.help,
                    scope: b.scope,
                    footer: b.footer,
                })
                .collect(),
        }
    }
}

/// Why a `[keys]` entry cannot be used; `entry` is its index in the list given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub entry: usize,
    pub message: String,
}

/// Whether two scopes are ever in force together, given the scope sets
/// that are in force at once (one per tab).
fn overlap(a: Scope, b: Scope, together: &[&[Scope]]) -> bool {
    a == b
        || together
            .iter()
            .any(|scopes| scopes.contains(&a) && scopes.contains(&b))
}

impl Keymap {
    /// The defaults with `remaps` applied: (action name, keys) pairs, each
    /// replacing all the keys of that action. A key left bound to two
    /// actions that can be in force together is an error naming both.
    /// `together` lists the scope sets in force at once (each tab's).
    pub fn with(
        remaps: &[(String, Vec<String>)],
        together: &[&[Scope]],
    ) -> Result<Keymap, KeyError> {
        let mut map = Keymap::default();
        let mut set_by: Vec<Option<usize>> = vec![None; map.bindings.len()];
        for (entry, (name, keys)) in remaps.iter().enumerate() {
            let error = |message: String| KeyError { entry, message };
            let Some(at) = map
                .bindings
                .iter()
                .position(|b| action_name(&b.action) == name)
            else {
                return Err(error(format!(
                    "no action `{name}`; the actions are {}",
                    remappable().join(", ")
                )));
            };
            if matches!(map.bindings[at].action, Action::GoTab(_)) {
                return Err(error("the tab keys 1-5 cannot be remapped".into()));
            }
            if keys.is_empty() {
                return Err(error(format!("`{name}` needs at least one key")));
            }
            let mut parsed = Vec::new();
            for key in keys {
                let key = parse_key(key).map_err(error)?;
                if !parsed.contains(&key) {
                    parsed.push(key);
                }
            }
            map.bindings[at].keys = parsed;
            set_by[at] = Some(entry);
        }
        // Ctrl-C always quits, whatever the config says.
        let ctrl_c = Key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        if let Some(quit) = map.bindings.iter_mut().find(|b| b.action == Action::Quit)
            && !quit.keys.contains(&ctrl_c)
        {
            quit.keys.push(ctrl_c);
        }
        for (i, a) in map.bindings.iter().enumerate() {
            for (j, b) in map.bindings.iter().enumerate().skip(i + 1) {
                if !overlap(a.scope, b.scope, together) {
                    continue;
                }
                // A key both hold by default is no clash: a tab's own key
                // (←/→ on Flows) is meant to come before the global one.
                let by_default = |binding: usize, key: &Key| {
                    BINDINGS.get(binding).is_some_and(|d| d.keys.contains(key))
                };
                let Some(key) = a
                    .keys
                    .iter()
                    .find(|k| b.keys.contains(k) && !(by_default(i, k) && by_default(j, k)))
                else {
                    continue;
                };
                // Blame the entry that made the clash: the later one if both did.
                let (entry, mine, other, other_set) = match (set_by[i], set_by[j]) {
                    (Some(x), Some(y)) if x > y => (x, a, b, true),
                    (_, Some(y)) => (y, b, a, set_by[i].is_some()),
                    (Some(x), None) => (x, a, b, false),
                    (None, None) => continue,
                };
                let how = if other_set {
                    "in [keys] too"
                } else {
                    "by default"
                };
                return Err(KeyError {
                    entry,
                    message: format!(
                        "`{}` is bound twice: to `{}` and to `{}` ({how}); bind `{}` to another key too",
                        key_name(key),
                        action_name(&mine.action),
                        action_name(&other.action),
                        action_name(&other.action),
                    ),
                });
            }
        }
        map.relabel();
        Ok(map)
    }

    /// Footer labels follow the keys: each key named in a default label is
    /// replaced by the first key of the action that had it by default.
    fn relabel(&mut self) {
        let labels: Vec<String> = BINDINGS
            .iter()
            .map(|b| {
                let own = b.keys.first().map(footer_key_name);
                if matches!(b.action, Action::GoTab(_)) {
                    b.label.to_string()
                } else if own.as_deref() == Some(b.label) {
                    self.first_of(&b.action)
                        .unwrap_or_else(|| b.label.to_string())
                } else if b.label.len() > 1 && b.label.contains('/') {
                    b.label
                        .split('/')
                        .map(|part| {
                            BINDINGS
                                .iter()
                                .find(|o| {
                                    o.keys.first().map(footer_key_name).as_deref() == Some(part)
                                })
                                .and_then(|o| self.first_of(&o.action))
                                .unwrap_or_else(|| part.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join("/")
                } else {
                    b.label.to_string()
                }
            })
            .collect();
        for (bound, label) in self.bindings.iter_mut().zip(labels) {
            bound.label = label;
        }
    }

    /// The footer name of the first key bound to `action`.
    fn first_of(&self, action: &Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| &b.action == action)
            .and_then(|b| b.keys.first())
            .map(footer_key_name)
    }

    /// The footer label of the binding for `action`: "j/k" for `Down`.
    pub fn label(&self, action: &Action) -> &str {
        self.bindings
            .iter()
            .find(|b| &b.action == action)
            .map_or("", |b| b.label.as_str())
    }

    /// What a key does in the given context.
    pub fn action_for(&self, key: KeyEvent, scopes: &[Scope]) -> Option<Action> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Action::Quit);
        }
        self.bindings
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

    /// Footer hints for the scopes in force: ("j/k", "move").
    pub fn hints(&self, scopes: &[Scope]) -> Vec<(&str, &'static str)> {
        fn footer(b: &Bound) -> Option<(&str, &'static str)> {
            b.footer.map(|hint| (b.label.as_str(), hint))
        }
        // Help first, so that a narrow footer that cuts the tail still says
        // where every other key is; then this tab's keys; then the other globals.
        let is_help = |b: &&Bound| b.action == Action::Help;
        let mut hints: Vec<_> = self
            .bindings
            .iter()
            .filter(is_help)
            .filter_map(footer)
            .collect();
        hints.extend(
            self.bindings
                .iter()
                .filter(|b| scopes.contains(&b.scope) && b.scope != Scope::Global)
                .filter_map(footer),
        );
        hints.extend(
            self.bindings
                .iter()
                .filter(|b| b.scope == Scope::Global && !is_help(b))
                .filter_map(footer),
        );
        hints
    }

    /// Help overlay lines, grouped by scope: (group title, [(keys, help)]).
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let groups = [
            (Scope::Global, "Everywhere"),
            (Scope::List, "Lists"),
            (Scope::Table, "Tables"),
            (Scope::Ramp, "Capacity ramp"),
            (Scope::Flows, "Flows"),
        ];
        groups
            .iter()
            .map(|(scope, title)| {
                let lines = self
                    .bindings
                    .iter()
                    .filter(|b| b.scope == *scope)
                    .map(|b| (key_names(&b.keys), b.help))
                    .collect();
                (*title, lines)
            })
            .collect()
    }
}

/// The config file's name for an action: `down`, `next_match`.
pub fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Help => "help",
        Action::Quit => "quit",
        Action::GoTab(_) => "tabs",
        Action::NextTab => "next_tab",
        Action::PrevTab => "previous_tab",
        Action::Back => "back",
        Action::Problems => "problems",
        Action::Down => "down",
        Action::Up => "up",
        Action::Top => "top",
        Action::Bottom => "bottom",
        Action::PageUp => "page_up",
        Action::PageDown => "page_down",
        Action::Open => "open",
        Action::SearchStart => "search",
        Action::NextMatch => "next_match",
        Action::PrevMatch => "previous_match",
        Action::ToggleFilter => "filter",
        Action::SortNext => "sort",
        Action::SortReverse => "sort_reverse",
        Action::Cite => "cite",
        Action::Yank => "copy",
        Action::Export => "export",
        Action::PaceUp => "pace_up",
        Action::PaceDown => "pace_down",
        Action::CostUp => "cost_up",
        Action::CostDown => "cost_down",
        Action::ResetScenario => "reset",
        Action::Lens => "buyer",
        Action::Fold => "expand",
        Action::CellLeft => "cell_left",
        Action::CellRight => "cell_right",
        Action::ToggleMeasure => "measure",
        _ => "",
    }
}

/// The action names `[keys]` accepts, in table order.
pub fn remappable() -> Vec<&'static str> {
    BINDINGS
        .iter()
        .filter(|b| !matches!(b.action, Action::GoTab(_)))
        .map(|b| action_name(&b.action))
        .collect()
}

/// A key as the config writes it: `x`, `N`, `Down`, `Enter`, `Ctrl-x`, `F5`.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() {
            return Err(format!("{:?} is a control character, not a key", c));
        }
        return Ok(plain(c));
    }
    let lower = text.to_ascii_lowercase();
    for prefix in ["ctrl-", "c-", "ctrl+"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let mut rest = rest.chars();
            if let (Some(c), None) = (rest.next(), rest.next())
                && c.is_ascii_alphanumeric()
            {
                return Ok(Key(KeyCode::Char(c), KeyModifiers::CONTROL));
            }
        }
    }
    let named = match lower.as_str() {
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "s-tab" | "shift-tab" | "backtab" => KeyCode::BackTab,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) => {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            return Err(format!(
                "`{text}` is not a key: write one character (`x`, `N`, `?`), or Up, Down, \
                 Left, Right, Enter, Esc, Tab, S-Tab, Home, End, PgUp, PgDn, Space, F1-F24, Ctrl-x"
            ));
        }
    };
    Ok(code(named))
}

/// How help and messages write a key: "j", "↓", "Ctrl-C".
pub fn key_name(key: &Key) -> String {
    let Key(code, modifiers) = key;
    match code {
        KeyCode::Char(' ') => "Space".into(),
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
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

/// The footer's shorter name: Enter is ⏎.
fn footer_key_name(key: &Key) -> String {
    match key.0 {
        KeyCode::Enter => "⏎".into(),
        _ => key_name(key),
    }
}

/// "j ↓" for a binding's keys, as help lists them.
fn key_names(keys: &[Key]) -> String {
    let mut names: Vec<String> = Vec::new();
    for key in keys {
        let name = key_name(key);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(" ")
}
