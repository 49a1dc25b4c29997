//! Overlays (help, a record's detail, its citation, a broken file's
//! problems): their text and box.
//! `update` clamps scrolling and `ui` draws them from the same content,
//! measured as `Paragraph` wraps it, so every line can be scrolled into view.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::document::Document;
use crate::app::keymap;
use crate::tabs::descriptor::Tab;
use crate::tabs::wrapped_height;
use crate::ui::layout;
use crate::ui::theme::Theme;
use gigawatt_model::text::escape_controls;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Detail,
    Cite,
    /// Every problem of the file's last failed load.
    Problems,
}

/// What an overlay is drawn from.
pub struct OverlayContext<'a> {
    pub overlay: Overlay,
    pub tab: Tab,
    pub document: &'a Document,
    pub theme: &'a Theme,
    pub keymap: &'a keymap::Keymap,
}

/// An overlay's text, box and title.
pub struct OverlayContent {
    pub lines: Vec<Line<'static>>,
    pub rect: Rect,
    pub title: String,
    /// How far it can scroll: wrapped rows beyond the box's inside.
    pub max_scroll: u16,
}

pub fn content(ctx: &OverlayContext, area: Rect) -> Option<OverlayContent> {
    let scroll = ctx.keymap.label(&crate::app::action::Action::Down);
    let back = ctx.keymap.label(&crate::app::action::Action::Back);
    let (lines, w, title) = match ctx.overlay {
        Overlay::Help => (
            help_lines(ctx.theme, ctx.keymap),
            72,
            format!(" Help ({back} closes, {scroll} scroll) "),
        ),
        Overlay::Detail => {
            // Narrow screens give the detail every column; wide ones keep a margin.
            let w = if area.width < 100 {
                area.width
            } else {
                area.width * 9 / 10
            };
            let cite = ctx.keymap.label(&crate::app::action::Action::Cite);
            let copy = ctx.keymap.label(&crate::app::action::Action::Yank);
            (
                detail_lines(ctx, w.saturating_sub(2))?,
                w,
                format!(" Detail ({back} closes, {scroll} scroll, {cite} cites, {copy} copies) "),
            )
        }
        Overlay::Cite => {
            let copy = ctx.keymap.label(&crate::app::action::Action::Yank);
            (
                cite_lines(ctx)?,
                76,
                format!(" Citation ({back} closes, {copy} copies) "),
            )
        }
        Overlay::Problems => {
            let w = area.width;
            let problems = ctx.document.problems.as_ref()?;
            (
                problem_lines(problems, ctx.theme, usize::from(w.saturating_sub(2))),
                w,
                format!(" {} ({back} closes, {scroll} scroll) ", problems.counted()),
            )
        }
    };
    let w = w.min(area.width);
    let inner_w = w.saturating_sub(2);
    let height = wrapped_height(&lines, inner_w);
    let h = u16::try_from(height.saturating_add(2))
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let inside = usize::from(h.saturating_sub(2));
    let max_scroll = u16::try_from(height.saturating_sub(inside)).unwrap_or(u16::MAX);
    Some(OverlayContent {
        lines,
        rect,
        title,
        max_scroll,
    })
}

/// How far the open overlay can scroll at the terminal size `size`.
pub fn max_scroll(ctx: &OverlayContext, size: (u16, u16)) -> u16 {
    content(ctx, layout::frame(size).body).map_or(0, |c| c.max_scroll)
}

fn help_lines(theme: &Theme, keymap: &keymap::Keymap) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, bindings) in keymap.help_sections() {
        lines.push(Line::styled(title, theme.header));
        for (keys, help) in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), theme.key),
                Span::raw(help),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::styled(
        "Mouse: click a tab or a row; the wheel scrolls.",
        theme.muted,
    ));
    lines.push(Line::styled("Marks", theme.header));
    for (mark, meaning) in MARKS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {mark:<22}"), theme.hedge),
            Span::styled(*meaning, theme.muted),
        ]));
    }
    lines
}

/// Every mark a screen can show beside a figure or a row, and what it
/// means: the help lists them, and the README's legend is held to this
/// table by a test.
pub const MARKS: &[(&str, &str)] = &[
    ("~", "about"),
    ("≤", "up to, at most"),
    (">", "more than, at least"),
    ("<", "nearly, less than"),
    ("–", "a range: $10–100bn"),
    ("±", "sources disagree: Enter shows each"),
    ("unbounded", "bounded neither way (sources far apart)"),
    ("undisclosed", "not given: unknown, never counted as zero"),
    ("(3/5)", "3 of the 5 deals counted give a figure"),
    ("—", "does not apply, or nothing counted"),
    ("·", "no deal between the pair (Flows)"),
    ("Δ", "changed by the last reload"),
    ("⟲", "a loop of money (Flows)"),
    ("▸ ◂", "more columns off screen (Flows)"),
    ("● ◐ ○", "site use: confident, likely, speculative"),
    ("•", "power running at the buyer's sites (Ramp)"),
    ("STALE", "a file is broken; its last good data shown"),
];

fn detail_lines(ctx: &OverlayContext, inner_w: u16) -> Option<Vec<Line<'static>>> {
    let tab_ctx = ctx.document.tab_context(ctx.tab, ctx.theme)?;
    let index = tab_ctx.list.current()?;
    Some((ctx.tab.spec().detail)(&tab_ctx, index, inner_w))
}

fn cite_lines(ctx: &OverlayContext) -> Option<Vec<Line<'static>>> {
    let theme = ctx.theme;
    let view = ctx.document.view.as_ref()?;
    let index = ctx.document.list(ctx.tab).current()?;
    let ds = &view.dataset;
    let cite = (ctx.tab.spec().cite)(ds, index);
    // What the source does not say is left out, not shown as a dash.
    let field = |label: &str, value: Option<String>| {
        let value = value.filter(|v| !v.trim().is_empty())?;
        Some(Line::from(vec![
            Span::styled(format!("{label:<11}"), theme.muted),
            Span::raw(escape_controls(&value).into_owned()),
        ]))
    };
    let source = cite.source.as_deref().and_then(|id| ds.source(id));
    let mut lines = match (cite.source.as_deref(), source) {
        (None, _) => vec![Line::styled("This record names no source.", theme.muted)],
        (Some(id), None) => field("Source id", Some(id.to_string()))
            .into_iter()
            .chain(field("Locator", cite.at.as_deref().map(str::to_string)))
            .collect(),
        (Some(id), Some(s)) => [
            field("Title", Some(s.title.clone())),
            field("Publisher", s.publisher.clone()),
            field("Published", s.published.map(|d| d.to_string())),
            field("Locator", cite.at.as_deref().map(str::to_string)),
            field("URL", s.url.clone()),
            field("Source id", Some(id.to_string())),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    if let Some(line) = ctx.document.citation_line(ctx.tab) {
        lines.push(Line::from(""));
        let copy = ctx.keymap.label(&crate::app::action::Action::Yank);
        lines.push(Line::styled(
            format!("{copy} copies this line:"),
            theme.muted,
        ));
        lines.push(Line::from(line));
    }
    Some(lines)
}

/// Each file's problems under its name; each problem its place and
/// message, where it is in words, and the file's line with a caret under
/// the place, cut to `room` cells so that wrapping never moves the caret.
pub fn problem_lines(
    problems: &gigawatt_model::problems::Problems,
    theme: &Theme,
    room: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // One file's problems each name it already; several are grouped.
    let grouped = problems.files.len() > 1;
    for file in &problems.files {
        if grouped {
            // A rule, so that the groups part without colour too.
            let title = format!(
                "── {}: {} ",
                file.file,
                gigawatt_model::problems::plural(file.count, "problem")
            );
            let rule = "─".repeat(room.saturating_sub(gigawatt_model::text::width(&title)));
            let line = gigawatt_model::text::truncate(&format!("{title}{rule}"), room).into_owned();
            lines.push(Line::styled(line, theme.header));
        }
        for entry in &file.entries {
            lines.push(Line::styled(entry.heading.clone(), theme.error));
            if let Some(note) = &entry.note {
                lines.push(Line::styled(format!("  = {note}"), theme.hedge));
            }
            for line in gigawatt_model::problems::fit_snippet(&entry.snippet, room) {
                lines.push(Line::raw(line));
            }
            lines.push(Line::from(""));
        }
        for line in &file.tail {
            lines.push(Line::styled(line.clone(), theme.muted));
        }
    }
    lines.push(Line::styled(
        if problems.files.len() > 1 {
            "Fix the files and save them: gigawatt reloads each. `gigawatt check FILE...` lists them too."
        } else {
            "Fix the file and save it: gigawatt reloads it. `gigawatt check FILE` lists them too."
        },
        theme.muted,
    ));
    lines
}
