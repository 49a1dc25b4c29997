//! Keys to actions: one table. The footer hints and the help overlay are
//! generated from it, so what the screen says is what the keys do.
//!
//! `BINDINGS` is the default table. A `Keymap` is the table in force: the
//! defaults with the `[keys]` of the config file applied (`Keymap::with`),
//! held by the app; footer and help are drawn from it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use crate::app::action::Action;

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
    /// The search prompt, while a query is typed: only these keys (and
    /// Ctrl-C) are commands there; any other character is text.
    Search,
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
    /// The config file's name for it: `down`, `search_confirm`.
    pub name: &'static str,
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
    ($scope:ident, $name:literal, $footer:expr, $label:literal, $help:literal, $action:expr, [$($key:expr),+ $(,)?]) => {
        Binding {
            name: $name,
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
        "help",
        Some("help"),
        "?",
        "this help",
        Action::Help,
        [plain('?')]
    ),
    bind!(
        Global,
        "quit",
        Some("quit"),
        "q",
        "quit",
        Action::Quit,
        [plain('q'), Key(KeyCode::Char('c'), KeyModifiers::CONTROL)]
    ),
    bind!(
        Global,
        "tabs",
        Some("tabs"),
        "1-7",
        "go to tab 1 to 7",
        Action::GoTab(0),
        [
            plain('1'),
            plain('2'),
            plain('3'),
            plain('4'),
            plain('5'),
            plain('6'),
            plain('7')
        ]
    ),
    bind!(
        Global,
        "buyer",
        None,
        "b",
        "buyer in focus: all buyers, then each in turn",
        Action::Lens,
        [plain('b')]
    ),
    // Before the tab keys: on Flows the arrows move through the matrix.
    bind!(
        Flows,
        "cell_left",
        Some("cell"),
        "h/l",
        "the cell to the left",
        Action::CellLeft,
        [plain('h'), code(KeyCode::Left)]
    ),
    bind!(
        Flows,
        "cell_right",
        None,
        "l",
        "the cell to the right",
        Action::CellRight,
        [plain('l'), code(KeyCode::Right)]
    ),
    bind!(
        Flows,
        "measure",
        Some("money/GW"),
        "m",
        "money or gigawatts in the matrix",
        Action::ToggleMeasure,
        [plain('m')]
    ),
    bind!(
        Global,
        "next_tab",
        None,
        "Tab",
        "next tab",
        Action::NextTab,
        [code(KeyCode::Tab), code(KeyCode::Right)]
    ),
    bind!(
        Global,
        "previous_tab",
        None,
        "S-Tab",
        "previous tab",
        Action::PrevTab,
        [code(KeyCode::BackTab), code(KeyCode::Left)]
    ),
    bind!(
        Global,
        "back",
        None,
        "Esc",
        "back: close help, detail, search",
        Action::Back,
        [code(KeyCode::Esc)]
    ),
    bind!(
        Global,
        "problems",
        None,
        "!",
        "every problem of a file that failed to load",
        Action::Problems,
        [plain('!')]
    ),
    bind!(
        List,
        "down",
        Some("move"),
        "j/k",
        "down",
        Action::Down,
        [plain('j'), code(KeyCode::Down)]
    ),
    bind!(
        List,
        "up",
        None,
        "k",
        "up",
        Action::Up,
        [plain('k'), code(KeyCode::Up)]
    ),
    bind!(
        List,
        "top",
        None,
        "g",
        "first row",
        Action::Top,
        [plain('g'), code(KeyCode::Home)]
    ),
    bind!(
        List,
        "bottom",
        None,
        "G",
        "last row",
        Action::Bottom,
        [plain('G'), code(KeyCode::End)]
    ),
    bind!(
        List,
        "page_up",
        None,
        "PgUp",
        "page up",
        Action::PageUp,
        [code(KeyCode::PageUp)]
    ),
    bind!(
        List,
        "page_down",
        None,
        "PgDn",
        "page down",
        Action::PageDown,
        [code(KeyCode::PageDown)]
    ),
    bind!(
        List,
        "open",
        Some("detail"),
        "⏎",
        "open the selection's detail",
        Action::Open,
        [code(KeyCode::Enter)]
    ),
    bind!(
        List,
        "expand",
        None,
        "z",
        "expand or fold a deal's earlier records",
        Action::Fold,
        [plain('z')]
    ),
    bind!(
        List,
        "search",
        Some("search"),
        "/",
        "search this tab",
        Action::SearchStart,
        [plain('/')]
    ),
    bind!(
        List,
        "next_match",
        None,
        "n",
        "next match",
        Action::NextMatch,
        [plain('n')]
    ),
    bind!(
        List,
        "previous_match",
        None,
        "N",
        "previous match",
        Action::PrevMatch,
        [plain('N')]
    ),
    bind!(
        List,
        "filter",
        None,
        "&",
        "show only matching rows / all rows",
        Action::ToggleFilter,
        [plain('&')]
    ),
    bind!(
        Table,
        "sort",
        Some("sort"),
        "s/S",
        "sort by the next column",
        Action::SortNext,
        [plain('s')]
    ),
    bind!(
        Table,
        "sort_reverse",
        None,
        "S",
        "reverse the sort",
        Action::SortReverse,
        [plain('S')]
    ),
    bind!(
        List,
        "cite",
        Some("cite"),
        "c",
        "show the selection's citation",
        Action::Cite,
        [plain('c')]
    ),
    bind!(
        List,
        "copy",
        None,
        "y",
        "copy the selection with its citation",
        Action::Yank,
        [plain('y')]
    ),
    bind!(
        List,
        "export",
        None,
        "e",
        "export this table to CSV",
        Action::Export,
        [plain('e')]
    ),
    bind!(
        Ramp,
        "pace_up",
        Some("pace"),
        "+/-",
        "faster build pace (×1.25)",
        Action::PaceUp,
        [plain('+'), plain('=')]
    ),
    bind!(
        Ramp,
        "pace_down",
        None,
        "-",
        "slower build pace (÷1.25)",
        Action::PaceDown,
        [plain('-')]
    ),
    bind!(
        Ramp,
        "cost_up",
        Some("cost/GW"),
        "[/]",
        "higher cost per GW (×1.25)",
        Action::CostUp,
        [plain(']')]
    ),
    bind!(
        Ramp,
        "cost_down",
        None,
        "[",
        "lower cost per GW (÷1.25)",
        Action::CostDown,
        [plain('[')]
    ),
    bind!(
        Ramp,
        "reset",
        Some("reset"),
        "r",
        "reset the scenario to the file's values",
        Action::ResetScenario,
        [plain('r')]
    ),
    bind!(
        Ramp,
        "site_use",
        Some("sites"),
        "u",
        "count sites of any use, or confident only",
        Action::ToggleSiteUse,
        [plain('u')]
    ),
    bind!(
        Search,
        "search_confirm",
        Some("keep"),
        "⏎",
        "keep the search and go back to the list",
        Action::SearchConfirm,
        [code(KeyCode::Enter)]
    ),
    bind!(
        Search,
        "search_cancel",
        Some("clear"),
        "Esc",
        "clear the search",
        Action::Back,
        [code(KeyCode::Esc)]
    ),
    bind!(
        Search,
        "search_delete",
        None,
        "Backspace",
        "delete the last character",
        Action::SearchBackspace,
        [code(KeyCode::Backspace)]
    ),
    bind!(
        Search,
        "search_next",
        Some("matches"),
        "↓/↑",
        "next match",
        Action::NextMatch,
        [code(KeyCode::Down)]
    ),
    bind!(
        Search,
        "search_previous",
        None,
        "↑",
        "previous match",
        Action::PrevMatch,
        [code(KeyCode::Up)]
    ),
];

/// Keys while typing a search query, with the default keys.
pub fn search_action(key: KeyEvent) -> Option<Action> {
    DEFAULT.search_action(key)
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

/// What a key does in the given context, with the default keys. While a
/// search is typed, `search_action` decides instead (characters are text
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
    pub name: &'static str,
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
                    name: b.name,
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
            let Some(at) = map.bindings.iter().position(|b| b.name == name) else {
                // The nearest name, if it is near enough to be the one meant
                // (`qiut` for `quit`): strsim, which clap suggests with too.
                let nearest = remappable()
                    .into_iter()
                    .map(|known| (strsim::jaro_winkler(name, known), known))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                return Err(error(match nearest {
                    Some((_, known)) => format!("no action `{name}`; did you mean `{known}`?"),
                    None => format!(
                        "no action `{name}`; the actions are {}",
                        remappable().join(", ")
                    ),
                }));
            };
            if matches!(map.bindings[at].action, Action::GoTab(_)) {
                return Err(error("the tab keys 1-7 cannot be remapped".into()));
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
                        mine.name,
                        other.name,
                        other.name,
                    ),
                });
            }
        }
        map.relabel();
        Ok(map)
    }

    /// Footer labels follow the keys: each key named in a default label is
    /// replaced by the first key of the binding that had it by default, one
    /// of the same scope first (Enter is `open` in a list but `search_confirm`
    /// in the prompt).
    fn relabel(&mut self) {
        let first_key = |b: &Binding| b.keys.first().map(footer_key_name);
        let labels: Vec<String> = BINDINGS
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if matches!(b.action, Action::GoTab(_)) {
                    b.label.to_string()
                } else if first_key(b).as_deref() == Some(b.label) {
                    self.first_key_of(i).unwrap_or_else(|| b.label.to_string())
                } else if b.label.len() > 1 && b.label.contains('/') {
                    let holder = |part: &str| {
                        let holds = |o: &&Binding| first_key(o).as_deref() == Some(part);
                        let same_scope = BINDINGS
                            .iter()
                            .position(|o| o.scope == b.scope && holds(&o));
                        same_scope.or_else(|| BINDINGS.iter().position(|o| holds(&o)))
                    };
                    b.label
                        .split('/')
                        .map(|part| {
                            holder(part)
                                .and_then(|o| self.first_key_of(o))
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

    /// The footer name of the first key of the `index`th binding.
    fn first_key_of(&self, index: usize) -> Option<String> {
        self.bindings
            .get(index)
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

    /// What a key does while a search is typed: a key bound in the prompt
    /// does its action, Ctrl-C quits, and any other character is text.
    pub fn search_action(&self, key: KeyEvent) -> Option<Action> {
        if let Some(action) = self.action_for(key, &[Scope::Search]) {
            return Some(action);
        }
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(Action::SearchInput(c))
            }
            _ => None,
        }
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
                            // BackTab is shifted by nature (crossterm sends
                            // it with SHIFT), so it goes by the code too.
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

    /// Footer hints of one scope alone, as the search prompt shows them.
    pub fn hints_of(&self, scope: Scope) -> Vec<(&str, &'static str)> {
        self.bindings
            .iter()
            .filter(|b| b.scope == scope)
            .filter_map(|b| b.footer.map(|hint| (b.label.as_str(), hint)))
            .collect()
    }

    /// Help overlay lines, grouped by scope: (group title, [(keys, help)]).
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let groups = [
            (Scope::Global, "Everywhere"),
            (Scope::List, "Lists"),
            (Scope::Table, "Tables"),
            (Scope::Ramp, "Capacity ramp"),
            (Scope::Flows, "Flows"),
            (Scope::Search, "While typing a search"),
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

/// The action names `[keys]` accepts, in table order.
pub fn remappable() -> Vec<&'static str> {
    BINDINGS
        .iter()
        .filter(|b| !matches!(b.action, Action::GoTab(_)))
        .map(|b| b.name)
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
                if let Some(why) = never_arrives(c) {
                    return Err(format!("`{text}` cannot be bound: {why}"));
                }
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
                 Left, Right, Enter, Esc, Tab, S-Tab, Home, End, PgUp, PgDn, Space, Backspace, F1-F24, Ctrl-x"
            ));
        }
    };
    Ok(code(named))
}

/// Why Ctrl and `c` never reaches a binding, if it does not: a terminal
/// sends some as other keys, or none at all, and Ctrl-Z suspends.
fn never_arrives(c: char) -> Option<&'static str> {
    match c {
        'z' => Some("it suspends gigawatt, as in a shell (`fg` brings it back)"),
        'm' => Some("a terminal sends it as Enter; bind `Enter`"),
        'i' => Some("a terminal sends it as Tab; bind `Tab`"),
        '3' => Some("a terminal sends it as Esc; bind `Esc`"),
        '8' => Some("a terminal sends it as Backspace; bind `Backspace`"),
        '2' => Some("a terminal sends it as Ctrl-Space, which cannot be bound"),
        '0' | '1' | '9' => Some("a terminal sends the digit alone, or nothing"),
        _ => None,
    }
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
