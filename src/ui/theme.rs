//! Every style in one place. Colour never carries meaning alone: rises have
//! ▲ and +, falls ▼ and −, the selection is reverse video, matches are
//! underlined; colour only adds to that.
//!
//! Named themes live in `assets/themes/` (dark, light, high-contrast), one
//! style per role; the config's `[theme]` sets roles the same way.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub color: bool,
    pub title: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub header: Style,
    pub selected: Style,
    pub matched: Style,
    pub muted: Style,
    pub border: Style,
    pub border_focus: Style,
    pub up: Style,
    pub down: Style,
    pub hedge: Style,
    pub error: Style,
    pub stale: Style,
    pub key: Style,
    pub bar: Style,
    pub bar_alt: Style,
    pub target: Style,
    pub scenario: Style,
    /// What the last reload changed (beside its `Δ`).
    pub changed: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let fg = |c: Color| if color { plain.fg(c) } else { plain };
        Theme {
            color,
            title: if color {
                bold.fg(Color::Black).bg(Color::Cyan)
            } else {
                bold.add_modifier(Modifier::REVERSED)
            },
            tab: fg(Color::Gray),
            tab_active: bold.add_modifier(Modifier::REVERSED),
            header: bold.add_modifier(Modifier::UNDERLINED),
            selected: plain.add_modifier(Modifier::REVERSED),
            matched: fg(Color::Yellow).add_modifier(Modifier::UNDERLINED),
            muted: if color {
                plain.fg(Color::DarkGray)
            } else {
                plain.add_modifier(Modifier::DIM)
            },
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            up: fg(Color::Green),
            down: fg(Color::Red),
            hedge: fg(Color::Yellow),
            error: bold.patch(fg(Color::Red)),
            stale: bold.patch(fg(Color::Yellow)),
            key: bold.patch(fg(Color::Cyan)),
            bar: fg(Color::Cyan),
            bar_alt: fg(Color::Blue),
            target: fg(Color::Red),
            scenario: fg(Color::Magenta),
            changed: bold.patch(fg(Color::LightGreen)),
        }
    }

    /// `--color auto|always|never` (`Some(true)`, `Some(false)`, `None` for
    /// auto) with NO_COLOR (any non-empty value) respected under auto.
    pub fn wants_color(forced: Option<bool>, no_color: Option<&str>) -> bool {
        forced.unwrap_or_else(|| no_color.is_none_or(str::is_empty))
    }
}

/// The themes built in, by name: the files in `assets/themes/`.
pub const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
];

/// The roles a theme sets, as its files name them.
pub const ROLES: &[&str] = &[
    "title",
    "tab",
    "tab_active",
    "header",
    "selected",
    "matched",
    "muted",
    "border",
    "border_focus",
    "up",
    "down",
    "hedge",
    "error",
    "stale",
    "key",
    "bar",
    "bar_alt",
    "target",
    "scenario",
    "changed",
];

impl Theme {
    /// A built-in theme by name, in colour.
    pub fn named(name: &str) -> Result<Theme, String> {
        let Some((_, text)) = THEMES.iter().find(|(n, _)| *n == name) else {
            return Err(format!(
                "no theme `{name}`; the themes are {}",
                THEMES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let roles: std::collections::BTreeMap<String, String> =
            toml::from_str(text).map_err(|e| format!("theme {name}: {e}"))?;
        let mut theme = Theme::new(true);
        for (role, spec) in &roles {
            theme
                .set(role, spec)
                .map_err(|e| format!("theme {name}: {role}: {e}"))?;
        }
        Ok(theme)
    }

    /// Sets one role's style from its spec: `"bold black on cyan"`.
    pub fn set(&mut self, role: &str, spec: &str) -> Result<(), String> {
        let style = parse_style(spec)?;
        let slot = match role {
            "title" => &mut self.title,
            "tab" => &mut self.tab,
            "tab_active" => &mut self.tab_active,
            "header" => &mut self.header,
            "selected" => &mut self.selected,
            "matched" => &mut self.matched,
            "muted" => &mut self.muted,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "up" => &mut self.up,
            "down" => &mut self.down,
            "hedge" => &mut self.hedge,
            "error" => &mut self.error,
            "stale" => &mut self.stale,
            "key" => &mut self.key,
            "bar" => &mut self.bar,
            "bar_alt" => &mut self.bar_alt,
            "target" => &mut self.target,
            "scenario" => &mut self.scenario,
            "changed" => &mut self.changed,
            _ => {
                return Err(format!(
                    "no role `{role}`; the roles are {}",
                    ROLES.join(", ")
                ));
            }
        };
        *slot = style;
        Ok(())
    }
}

/// A style from words: colours (`cyan`, `darkgray`, `#ff8800`, `208`),
/// `on COLOUR` for the background, and `bold`, `dim`, `italic`,
/// `underlined`, `reversed`; `none` for the terminal's own.
pub fn parse_style(spec: &str) -> Result<Style, String> {
    let mut style = Style::default();
    let mut words = spec.split_whitespace();
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        let modifier = match lower.as_str() {
            "none" | "default" | "plain" => continue,
            "bold" => Modifier::BOLD,
            "dim" => Modifier::DIM,
            "italic" => Modifier::ITALIC,
            "underlined" | "underline" => Modifier::UNDERLINED,
            "reversed" | "reverse" => Modifier::REVERSED,
            "crossed_out" | "strikethrough" => Modifier::CROSSED_OUT,
            "on" => {
                let colour = words
                    .next()
                    .ok_or_else(|| format!("`{spec}`: `on` needs a colour after it"))?;
                style = style.bg(parse_color(colour)?);
                continue;
            }
            _ => {
                style = style.fg(parse_color(word)?);
                continue;
            }
        };
        style = style.add_modifier(modifier);
    }
    Ok(style)
}

fn parse_color(word: &str) -> Result<Color, String> {
    word.parse::<Color>().map_err(|_| {
        format!(
            "`{word}` is not a colour or a style word: use black, red, green, yellow, blue, \
             magenta, cyan, gray, darkgray, light… (lightred), white, #rrggbb or 0-255; bold, \
             dim, italic, underlined, reversed; `on COLOUR` for the background"
        )
    })
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dark_theme_file_is_the_built_in_default() {
        assert_eq!(Theme::named("dark"), Ok(Theme::new(true)));
    }

    #[test]
    fn every_theme_file_sets_every_role() {
        for (name, text) in THEMES {
            let roles: std::collections::BTreeMap<String, String> =
                toml::from_str(text).expect("a table of roles");
            let set: Vec<&str> = roles.keys().map(String::as_str).collect();
            let mut want = ROLES.to_vec();
            want.sort_unstable();
            assert_eq!(set, want, "{name}");
            assert!(Theme::named(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn styles_read_from_words() {
        let style = parse_style("bold #ff8800 on blue").expect("a style");
        assert_eq!(
            style,
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Rgb(0xff, 0x88, 0))
                .bg(Color::Blue)
        );
        assert!(parse_style("blinky").is_err());
        assert!(parse_style("on").is_err());
    }
}
