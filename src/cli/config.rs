//! The config file: `$XDG_CONFIG_HOME/gigawatt/config.toml` (the platform's
//! config folder, found by `etcetera`), or `--config FILE`.
//!
//! ```toml
//! [keys]              # action = key, or a list; the list replaces its keys
//! quit = "x"
//! down = ["n", "Down"]
//!
//! [theme]             # a built-in theme, then any roles set by hand
//! name = "light"
//! hedge = "bold magenta"
//! ```
//!
//! A missing default file is no error; a bad one is refused with located
//! problems (`FILE:LINE:COL: key.path: message`, the line and a caret), as
//! data files are.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::app::keymap::{BINDINGS, Key, Keymap};
use crate::ui::theme::{self, Theme};
use gigawatt_model::text::{escape_controls, width};

/// What the config file says, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file read, if one was.
    pub file: Option<PathBuf>,
    pub keymap: Keymap,
    /// `[theme] name`.
    pub theme: Option<String>,
    /// `[theme]` roles set by hand, in file order.
    pub roles: Vec<(String, String)>,
}

/// One thing wrong in a config file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    pub span: Range<usize>,
    /// `keys.down`; empty for syntax errors.
    pub path: String,
    pub message: String,
}

/// Why the config cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    Read {
        file: String,
        error: std::io::Error,
    },
    Invalid {
        file: String,
        text: String,
        problems: Vec<ConfigProblem>,
    },
}

impl ConfigError {
    /// Every problem with its place, its line and a caret under it, as
    /// `gigawatt check` reports data files.
    pub fn report(&self) -> String {
        match self {
            ConfigError::Read { file, error } => {
                format!(
                    "error: {}: cannot read the config file: {error}\n",
                    escape_controls(file)
                )
            }
            ConfigError::Invalid {
                file,
                text,
                problems,
            } => {
                let file = escape_controls(file);
                let mut out = String::new();
                for p in problems {
                    let at = gigawatt_model::data::line_column(text, p.span.start);
                    let located = if p.path.is_empty() {
                        format!("{}:{}: {}", at.line, at.column, p.message)
                    } else {
                        format!("{}:{}: {}: {}", at.line, at.column, p.path, p.message)
                    };
                    out.push_str(&format!("error: {file}:{}\n", escape_controls(&located)));
                    out.push_str(&snippet(text, &p.span, at.line));
                }
                let n = problems.len();
                out.push_str(&format!(
                    "{file}: {n} problem{} in the config file\n",
                    if n == 1 { "" } else { "s" }
                ));
                out
            }
        }
    }
}

/// The line holding `span` and a caret under it, counted in cells.
fn snippet(text: &str, span: &Range<usize>, line_no: usize) -> String {
    let start = gigawatt_model::data::line_column(text, span.start);
    let line = text.lines().nth(line_no.saturating_sub(1)).unwrap_or("");
    let before: String = line.chars().take(start.column.saturating_sub(1)).collect();
    let rest = &line[before.len().min(line.len())..];
    let spanned_len = span.end.saturating_sub(span.start).min(rest.len());
    let mut end = spanned_len;
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let gutter = line_no.to_string().len();
    let (shown_before, shown_line) = (escape_controls(&before), escape_controls(line));
    format!(
        "{:gutter$} |\n{line_no} | {shown_line}\n{:gutter$} | {}{}\n",
        "",
        "",
        " ".repeat(width(&shown_before)),
        "^".repeat(width(&escape_controls(&rest[..end])).max(1)),
    )
}

/// The config file gigawatt reads when no `--config` is given.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.config_dir().join("gigawatt").join("config.toml"))
}

/// Reads `--config FILE`, or else the default file if there is one.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match default_path() {
            Some(path) if path.exists() => path,
            _ => return Ok(Config::default()),
        },
    };
    let file = path.display().to_string();
    let text = read_text(&path).map_err(|error| ConfigError::Read {
        file: file.clone(),
        error,
    })?;
    let mut config = parse(&text, &file)?;
    config.file = Some(path);
    Ok(config)
}

/// A config file's text, read as data files are: a device (`/dev/zero`), a
/// FIFO or a socket is refused before it is read, and the read is capped.
fn read_text(path: &Path) -> std::io::Result<String> {
    use gigawatt_model::data::LoadError;
    let bytes = gigawatt_model::data::read_file(path).map_err(|e| match e {
        LoadError::Io { source, .. } => source,
        LoadError::NotAFile { kind, .. } => {
            std::io::Error::other(format!("not a regular file ({kind})"))
        }
        LoadError::TooLarge { limit, .. } | LoadError::GrewTooLarge { limit, .. } => {
            std::io::Error::other(format!("larger than {limit} bytes"))
        }
        other => std::io::Error::other(other.to_string()),
    })?;
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Checks a config file's text; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
    let invalid = |problems: Vec<ConfigProblem>| ConfigError::Invalid {
        file: file.to_string(),
        text: text.to_string(),
        problems,
    };
    let table = DeTable::parse(text).map_err(|e| {
        invalid(vec![ConfigProblem {
            span: e.span().unwrap_or(0..0),
            path: String::new(),
            message: e.message().trim().to_string(),
        }])
    })?;
    let mut problems = Vec::new();
    let mut config = Config::default();
    let mut remaps: Vec<(usize, Range<usize>, String, Vec<String>)> = Vec::new();
    for (key, value) in table.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match (name, value.get_ref()) {
            ("keys", DeValue::Table(keys)) => {
                for (action, keys) in keys.iter() {
                    let path = format!("keys.{}", action.get_ref());
                    match key_list(keys) {
                        Ok(list) => remaps.push((
                            keys.span().start,
                            keys.span(),
                            action.get_ref().to_string(),
                            list,
                        )),
                        Err(message) => problems.push(ConfigProblem {
                            span: keys.span(),
                            path,
                            message,
                        }),
                    }
                }
            }
            ("theme", DeValue::Table(roles)) => {
                for (role, spec) in roles.iter() {
                    let role_name = role.get_ref().as_ref();
                    let path = format!("theme.{role_name}");
                    let DeValue::String(spec_text) = spec.get_ref() else {
                        problems.push(ConfigProblem {
                            span: spec.span(),
                            path,
                            message: "expected a string".into(),
                        });
                        continue;
                    };
                    let checked = if role_name == "name" {
                        Theme::named(spec_text).map(|_| config.theme = Some(spec_text.to_string()))
                    } else {
                        Theme::default().set(role_name, spec_text).map(|()| {
                            config
                                .roles
                                .push((role_name.to_string(), spec_text.to_string()))
                        })
                    };
                    if let Err(message) = checked {
                        let span = if role_name == "name" || theme::ROLES.contains(&role_name) {
                            spec.span()
                        } else {
                            role.span()
                        };
                        problems.push(ConfigProblem {
                            span,
                            path,
                            message,
                        });
                    }
                }
            }
            ("keys" | "theme", _) => problems.push(ConfigProblem {
                span: value.span(),
                path: name.to_string(),
                message: format!("expected a table: [{name}]"),
            }),
            _ => problems.push(ConfigProblem {
                span: key.span(),
                path: name.to_string(),
                message: "unknown key; a config file has [keys] and [theme]".into(),
            }),
        }
    }
    remaps.sort_by_key(|r| r.0);
    let pairs: Vec<(String, Vec<String>)> = remaps
        .iter()
        .map(|(_, _, action, keys)| (action.clone(), keys.clone()))
        .collect();
    let together: Vec<&[crate::app::keymap::Scope]> = crate::tabs::descriptor::Tab::ALL
        .iter()
        .map(|t| t.spec().scopes)
        .collect();
    match Keymap::with(&pairs, &together) {
        Ok(keymap) => config.keymap = keymap,
        Err(e) => {
            let (_, span, action, _) = &remaps[e.entry];
            problems.push(ConfigProblem {
                span: span.clone(),
                path: format!("keys.{action}"),
                message: e.message,
            });
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        problems.sort_by_key(|p| p.span.start);
        Err(invalid(problems))
    }
}

/// A key, or a list of them, as strings.
fn key_list(value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, String> {
    match value.get_ref() {
        DeValue::String(key) => Ok(vec![key.to_string()]),
        DeValue::Array(keys) => keys
            .iter()
            .map(|k| match k.get_ref() {
                DeValue::String(key) => Ok(key.to_string()),
                _ => Err("expected a key as a string, like \"x\" or \"Down\"".to_string()),
            })
            .collect(),
        _ => Err("expected a key (\"x\") or a list of keys ([\"n\", \"Down\"])".into()),
    }
}

impl Config {
    /// The theme in force: `--theme`, else `[theme] name`, else dark; then
    /// the roles set by hand. Without colour, plain styles whatever is asked.
    pub fn theme(&self, cli: Option<&str>, color: bool) -> Result<Theme, String> {
        if !color {
            return Ok(Theme::new(false));
        }
        let name = cli.or(self.theme.as_deref()).unwrap_or("dark");
        let mut theme = Theme::named(name)?;
        for (role, spec) in &self.roles {
            theme.set(role, spec)?;
        }
        Ok(theme)
    }
}

/// How the config file writes a key: `x`, `Down`, `Ctrl-c`.
fn config_key_name(key: &Key) -> String {
    use crossterm::event::{KeyCode, KeyModifiers};
    let Key(code, modifiers) = key;
    match code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => format!("Ctrl-{c}"),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

/// The commented default config file: every setting at its default, every
/// line commented out, so that uncommenting one changes just that.
pub fn default_file() -> String {
    let mut out = String::from(
        "# gigawatt's config file: $XDG_CONFIG_HOME/gigawatt/config.toml\n\
         # (~/.config/gigawatt/config.toml), or --config FILE.\n\
         # Every setting below is the default, commented out: uncomment to change.\n\
         # `gigawatt config` checks the file in force.\n\
         \n\
         [keys]\n\
         # action = key, or a list of keys; the list replaces all the action's keys.\n\
         # Keys: one character (\"x\", \"N\", \"?\"), or Up Down Left Right Enter Esc Tab\n\
         # S-Tab Home End PgUp PgDn Space Backspace F1-F24 Ctrl-x. A key bound to two\n\
         # actions that can be live together is an error naming both. Ctrl-C always\n\
         # quits; 1-7 always go to the tabs. The search_ keys work while a search is\n\
         # typed, where every other character is text.\n",
    );
    let default = Keymap::default();
    for (b, bound) in BINDINGS.iter().zip(&default.bindings) {
        if matches!(b.action, crate::app::action::Action::GoTab(_)) {
            continue;
        }
        let keys: Vec<String> = bound
            .keys
            .iter()
            .map(|k| format!("{:?}", config_key_name(k)))
            .collect();
        let value = if keys.len() == 1 {
            keys[0].clone()
        } else {
            format!("[{}]", keys.join(", "))
        };
        let line = format!("# {} = {value}", b.name);
        out.push_str(&format!("{line:<40} # {}\n", b.help));
    }
    out.push_str(
        "\n[theme]\n\
         # name = \"dark\"                         # dark, light or high-contrast; --theme overrides\n\
         # Each role is a style: colours (black red green yellow blue magenta cyan gray\n\
         # darkgray lightred … white, #rrggbb, 0-255), \"on COLOUR\" for the background,\n\
         # and bold, dim, italic, underlined, reversed. The dark theme's:\n",
    );
    let dark = theme::THEMES
        .iter()
        .find(|(n, _)| *n == "dark")
        .map_or("", |(_, t)| t);
    for line in dark
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        out.push_str(&format!("# {line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uncommented(text: &str) -> String {
        text.lines()
            .map(|l| {
                match l
                    .strip_prefix("# ")
                    .and_then(|r| Some((r, r.split_once(" = ")?)))
                {
                    Some((rest, (key, value)))
                        if key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                            && value.starts_with(['"', '[']) =>
                    {
                        rest
                    }
                    _ => l,
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_default_file_is_the_defaults() {
        let text = default_file();
        assert_eq!(parse(&text, "c.toml").expect("valid"), Config::default());
        let all = uncommented(&text);
        let config = parse(&all, "c.toml").unwrap_or_else(|e| panic!("{}", e.report()));
        assert_eq!(config.keymap, Keymap::default());
        assert_eq!(config.theme.as_deref(), Some("dark"));
        assert_eq!(config.theme(None, true), Ok(Theme::new(true)));
    }

    #[test]
    fn a_key_bound_twice_is_refused_with_its_place_and_both_actions() {
        let text = "[keys]\nquit = \"x\"\ndown = [\"n\", \"Down\"]\n";
        let Err(e) = parse(text, "c.toml") else {
            panic!("accepted a clash")
        };
        let report = e.report();
        assert!(
            report.starts_with("error: c.toml:3:8: keys.down: `n` is bound twice"),
            "{report}"
        );
        assert!(
            report.contains("`down`") && report.contains("`next_match`"),
            "{report}"
        );
        assert!(
            report.contains("3 | down = [\"n\", \"Down\"]\n  |        ^"),
            "{report}"
        );
    }

    /// Issue 23, item 14: a misspelt action is answered with the one meant,
    /// not the list of all of them.
    #[test]
    fn a_misspelt_action_says_which_was_meant() {
        let Err(e) = parse("[keys]\nqiut = \"x\"\n", "c.toml") else {
            panic!("accepted")
        };
        let report = e.report();
        assert!(
            report.contains("keys.qiut: no action `qiut`; did you mean `quit`?"),
            "{report}"
        );
        assert!(!report.contains("the actions are"), "{report}");
    }

    #[test]
    fn unknown_actions_roles_and_colours_are_located() {
        let text = "[keys]\nfly = \"f\"\n\n[theme]\nname = \"neon\"\nhedge = \"blinky\"\nshade = \"red\"\n";
        let Err(e) = parse(text, "c.toml") else {
            panic!("accepted")
        };
        let report = e.report();
        for want in [
            "c.toml:2:7: keys.fly: no action `fly`",
            "c.toml:5:8: theme.name: no theme `neon`",
            "c.toml:6:9: theme.hedge: `blinky` is not a colour",
            "c.toml:7:1: theme.shade: no role `shade`",
            "4 problems",
        ] {
            assert!(report.contains(want), "{want:?} not in\n{report}");
        }
        let Err(e) = parse("[keys\n", "c.toml") else {
            panic!("accepted")
        };
        assert!(e.report().starts_with("error: c.toml:1:"), "{}", e.report());
    }
}
