//! The frame: title, tab bar, the current tab, footer hints from the keymap,
//! the status line, and overlays. It reads `&App` and never changes it.

pub mod layout;
pub mod overlay;
pub mod theme;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Widget, Wrap};

use crate::app::keymap;
use crate::app::{App, StatusKind};
use crate::tabs::descriptor::Tab;
use gigawatt_model::text::{escape_controls, truncate, width};
use layout::{MIN_HEIGHT, MIN_WIDTH};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render(self, area, buf);
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let size = (area.width, area.height);
    if layout::too_small(size) {
        render_too_small(area, buf);
        return;
    }
    let frame = layout::frame(size);
    render_title(app, frame.title, buf);
    render_tabs(app, frame.tabs, buf);
    let document = &app.document;
    match (document.tab_context(app.tab, &app.theme), &document.loading) {
        (_, Some(_)) => render_loading(app, frame.body, buf),
        (Some(ctx), None) => (app.tab.spec().render)(&ctx, frame.body, buf),
        (None, None) => render_no_data(app, frame.body, buf),
    }
    render_footer(app, frame.footer, buf);
    render_status(app, frame.status, buf);
    render_overlay(app, frame.body, buf);
    spell_out_flags(area, buf);
}

/// Flags (pairs of regional indicators, 🇺🇸) written as their two letters
/// (`US`), which take the same two cells. Terminals disagree on how wide a
/// regional indicator is and how a pair is cleared: tmux leaves the second
/// half of an overwritten flag on screen. Letters leave no residue.
fn spell_out_flags(area: Rect, buf: &mut Buffer) {
    let letter = |c: char| match c {
        '\u{1F1E6}'..='\u{1F1FF}' => char::from_u32('A' as u32 + (c as u32 - 0x1F1E6)),
        _ => None,
    };
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let Some(cell) = buf.cell_mut((x, y)) else {
                break;
            };
            if cell.symbol().is_ascii() || !cell.symbol().chars().any(|c| letter(c).is_some()) {
                x += 1;
                continue;
            }
            let letters: Vec<char> = cell.symbol().chars().filter_map(letter).collect();
            let mut spelled = [0u8; 4];
            let first = letters.first().copied().unwrap_or(' ');
            cell.set_symbol(first.encode_utf8(&mut spelled));
            // A pair took two cells: the second letter goes in the second.
            if let (Some(second), Some(next)) = (letters.get(1), buf.cell_mut((x + 1, y))) {
                next.set_symbol(second.encode_utf8(&mut spelled));
                x += 1;
            }
            x += 1;
        }
    }
}

fn render_too_small(area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::from("terminal too small:"),
        Line::from(format!("need {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::from(format!("have {}×{}", area.width, area.height)),
    ];
    let y = area.y + area.height.saturating_sub(3) / 2;
    Paragraph::new(lines).alignment(Alignment::Center).render(
        Rect {
            y,
            height: area.height.min(3),
            ..area
        },
        buf,
    );
}

fn render_title(app: &App, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, app.theme.title);
    let room = usize::from(area.width);
    let mut right = format!("{} ", escape_controls(&app.document.source_name));
    let left = match app.view() {
        Some(view) => {
            let ds = &view.dataset;
            // Several buyers: the one in focus (b), in place of the subject.
            let who = if view.buyers.len() > 1 {
                match &view.lens {
                    Some(_) => format!("buyer {} (b)", escape_controls(&ds.subject)),
                    None => "all buyers (b)".to_string(),
                }
            } else {
                escape_controls(&ds.subject).into_owned()
            };
            let tail = format!(" │ {who} │ as of {}", ds.as_of);
            // A set names itself by what it holds; one file by its title.
            let title = if ds.files.len() > 1 {
                set_title(app, ds).into()
            } else {
                escape_controls(&ds.title)
            };
            let fixed = width(" gigawatt │ ") + width(&tail);
            if fixed + width(&title) + width(&right) + 2 > room {
                right.clear();
            }
            // The dataset title gives way first: subject and date stay readable.
            let title = truncate(&title, room.saturating_sub(fixed).max(8));
            truncate(&format!(" gigawatt │ {title}{tail}"), room).into_owned()
        }
        None => " gigawatt".to_string(),
    };
    buf.set_string(area.x, area.y, &left, app.theme.title);
    if !right.is_empty() {
        buf.set_string(
            area.x + area.width - width(&right) as u16,
            area.y,
            &right,
            app.theme.title,
        );
    }
}

/// What a set holds, for the title bar: "bundled: 6 files, 4 buyers, 30
/// deals" or "3 files, 2 buyers, 12 deals".
fn set_title(app: &App, ds: &gigawatt_model::data::Dataset) -> String {
    // Parties that buy, not those that only invest.
    let buyers = app.view().map_or(0, |v| v.purchasers);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let what = format!(
        "{}, {}, {}",
        plural(ds.files.len(), "file", "files"),
        plural(buyers, "buyer", "buyers"),
        plural(ds.commitments.len(), "deal", "deals"),
    );
    let bundled = app.document.path.is_none() && app.document.paths.is_empty();
    if bundled {
        format!("bundled: {what}")
    } else {
        what
    }
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let mut x = area.x;
    let labels = Tab::labels(area.width);
    for (i, label) in labels.iter().enumerate() {
        let style = if Tab::ALL[i] == app.tab {
            app.theme.tab_active
        } else {
            app.theme.tab
        };
        buf.set_string(x, area.y, label, style);
        x += width(label) as u16;
        if i + 1 < labels.len() {
            buf.set_string(x, area.y, "│", app.theme.border);
            x += 1;
        }
    }
}

fn render_loading(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(loading) = &app.document.loading else {
        return;
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border)
        .title(" Loading ");
    let inner = block.inner(area);
    block.render(area, buf);
    let elapsed = loading
        .now
        .saturating_duration_since(loading.started)
        .as_secs_f64();
    // A turning mark, so that a long stage without progress (arranging
    // the rows of a large file) never looks hung.
    const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];
    let spin = SPINNER[(elapsed * 10.0) as usize % SPINNER.len()];
    let ratio = if loading.total > 0 {
        (loading.bytes as f64 / loading.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let lines = vec![
        Line::from(format!(" {}", escape_controls(&loading.file))),
        Line::from(if loading.total > 0 {
            format!(
                " {spin} {}: {:.1} of {:.1} MB, {elapsed:.1} s",
                loading.stage,
                loading.bytes as f64 / 1e6,
                loading.total as f64 / 1e6
            )
        } else {
            format!(" {spin} {}, {elapsed:.1} s", loading.stage)
        }),
        Line::styled(
            format!(
                " {} or Esc quits",
                app.keymap.label(&crate::app::action::Action::Quit)
            ),
            app.theme.muted,
        ),
    ];
    Paragraph::new(lines).render(Rect { height: 3, ..inner }, buf);
    if inner.height > 4 {
        Gauge::default()
            .ratio(ratio)
            .gauge_style(app.theme.bar)
            .render(
                Rect::new(inner.x + 1, inner.y + 4, inner.width.saturating_sub(2), 1),
                buf,
            );
    }
}

fn render_no_data(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(problems) = &app.document.problems else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.error)
            .title(" No data ");
        let text = app
            .status
            .as_ref()
            .map_or("no data loaded".to_string(), |s| s.text.clone());
        Paragraph::new(vec![Line::styled(text, theme.error)])
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
        return;
    };
    // A file that has never loaded: its problems are the screen, each with
    // its line and caret, until a save fixes them.
    // Several files each have their name in the list below.
    let place = match problems.files.len() {
        0 | 1 => format!(" in {}", escape_controls(&app.document.source_name)),
        _ => String::new(),
    };
    let title = format!(
        " {}{place}; {} shows them all ",
        problems.counted(),
        app.keymap.label(&crate::app::action::Action::Problems),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = overlay::problem_lines(problems, theme, usize::from(inner.width));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let list = app.list();
    let mut spans: Vec<Span> = Vec::new();
    if list.typing {
        spans.push(Span::styled(" /", theme.key));
        spans.push(Span::raw(escape_controls(&list.query).into_owned()));
        spans.push(Span::styled("▏", theme.key));
        spans.push(Span::styled(
            format!(
                "  {} match{} ",
                list.matches.len(),
                if list.matches.len() == 1 { "" } else { "es" }
            ),
            theme.muted,
        ));
        for (keys, hint) in app.keymap.hints_of(keymap::Scope::Search) {
            spans.push(Span::styled(format!(" {keys}"), theme.key));
            spans.push(Span::styled(format!(" {hint} "), theme.muted));
        }
        Line::from(spans).render(area, buf);
        return;
    }
    let mut used = 0usize;
    // Until data arrives only the global keys work, so only they are offered.
    let scopes: &[keymap::Scope] = if app.view().is_some() {
        app.scopes()
    } else {
        &[keymap::Scope::Global]
    };
    for (keys, hint) in app.keymap.hints(scopes) {
        let piece = width(keys) + width(hint) + 3;
        if used + piece > usize::from(area.width) {
            break;
        }
        spans.push(Span::styled(format!(" {keys}"), theme.key));
        spans.push(Span::styled(format!(" {hint} "), theme.muted));
        used += piece;
    }
    Line::from(spans).render(area, buf);
}

fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let line = if let Some(stale) = &app.document.stale {
        let shown = if app.view().is_some() {
            "last good data shown"
        } else {
            "waiting for a good save"
        };
        Line::from(vec![
            Span::styled(
                " STALE ",
                theme.stale.add_modifier(ratatui::style::Modifier::REVERSED),
            ),
            // The key to see every problem whole, before the text a narrow
            // screen cuts.
            Span::styled(
                format!(
                    " {} ",
                    app.keymap.label(&crate::app::action::Action::Problems)
                ),
                theme.key,
            ),
            Span::styled(
                // The place to fix comes first: a narrow screen cuts the tail.
                format!("{stale} ({shown})"),
                theme.stale,
            ),
        ])
    } else if let Some(status) = &app.status {
        let style = match status.kind {
            StatusKind::Info => Style::default(),
            StatusKind::Error => theme.error,
        };
        Line::styled(format!(" {}", escape_controls(&status.text)), style)
    } else if let Some(view) = app.view() {
        let ds = &view.dataset;
        Line::styled(
            // The total first: on a narrow screen the counts are what goes.
            format!(
                " {} · {} · {}",
                gigawatt_model::ledger::total_sentence(&view.total),
                // Several buyers: every company is a party, not a provider.
                if view.buyers.len() > 1 {
                    gigawatt_model::text::count(ds.providers.len(), "party", "parties")
                } else {
                    gigawatt_model::text::count(ds.providers.len(), "provider", "providers")
                },
                gigawatt_model::text::count(ds.notes.len(), "note", "notes")
            ),
            theme.muted,
        )
    } else {
        Line::from("")
    };
    Paragraph::new(line).render(area, buf);
}

/// Clears `rect` for an overlay, and blanks a wide character just left of
/// it whose second half the overlay covers: a terminal would draw that
/// half over the overlay's border (ratatui, which drew the character
/// whole, never emits the cell it covers).
fn clear_cutting_wide_characters(rect: Rect, buf: &mut Buffer) {
    if let Some(x) = rect.x.checked_sub(1) {
        for y in rect.top()..rect.bottom() {
            if let Some(cell) = buf.cell_mut((x, y))
                && gigawatt_model::text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(rect, buf);
}

fn render_overlay(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(ctx) = app.overlay_context() else {
        return;
    };
    let Some(content) = overlay::content(&ctx, area) else {
        return;
    };
    clear_cutting_wide_characters(content.rect, buf);
    let max = content.max_scroll;
    let scroll = app.overlay_scroll.min(max);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focus)
        .title(content.title);
    Paragraph::new(content.lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(block)
        .render(content.rect, buf);
    if scroll < max && content.rect.width > 20 {
        let hint = format!(
            " {}/↓ more ",
            app.keymap
                .label(&crate::app::action::Action::Down)
                .split('/')
                .next()
                .unwrap_or("j")
        );
        let x = content.rect.x + content.rect.width - width(&hint) as u16 - 1;
        buf.set_string(
            x,
            content.rect.y + content.rect.height - 1,
            hint,
            app.theme.key,
        );
    }
}
