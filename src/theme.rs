//! Every style in one place. Colour never carries meaning alone: rises have
//! ▲ and +, falls ▼ and −, the selection is reverse video, matches are
//! underlined; colour only adds to that.

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
        }
    }

    /// `--color auto|always|never` with NO_COLOR (any non-empty value) respected under auto.
    pub fn wants_color(choice: crate::cli::ColorChoice, no_color: Option<&str>) -> bool {
        use crate::cli::ColorChoice::*;
        match choice {
            Always => true,
            Never => false,
            Auto => no_color.is_none_or(str::is_empty),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(true)
    }
}
