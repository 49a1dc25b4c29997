//! Market notes: how markets and analysts reacted, by date, with the share
//! moves drawn as bars that carry ▲/▼ and a sign.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::table::{ListView, title};
use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use crate::ui::layout;
use gigawatt_model::data::Vocabulary;
use gigawatt_model::data::{Cite, Dataset};
use gigawatt_model::export::TableName;
use gigawatt_model::text::{escape_controls, truncate};
use gigawatt_model::view::{NOTE_COLUMNS, Table, ViewData, change_text};

pub const SPEC: TabSpec = TabSpec {
    title: "Market notes",
    short: "Notes",
    scopes: &[Scope::Global, Scope::List, Scope::Table],
    columns: NOTE_COLUMNS,
    table: TableName::Notes,
    rows: Table::Notes,
    hidden: |_| &[],
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

fn list_rows(body: Rect, rows: usize) -> Rect {
    layout::list_rows(layout::notes(body, rows).list, 0)
}

fn cite(dataset: &Dataset, index: usize) -> &Cite {
    dataset.notes[index].cite()
}

fn copy_text(view: &ViewData, index: usize) -> String {
    let n = &view.dataset.notes[index];
    let mut text = format!("{}: {}", n.subject, n.headline);
    if let Some(change) = &n.change {
        text.push_str(&format!(" ({})", change_text(change)));
    }
    if let Some(amount) = &n.amount {
        text.push_str(&format!(" ({})", amount.compact()));
    }
    text
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let areas = layout::notes(body, ctx.list.order.len());
    let state = ctx.list;
    let theme = ctx.theme;
    let change_cell = |column: usize, record: usize, w: u16| -> Option<Line<'static>> {
        if column != 3 {
            return None;
        }
        let f = view.dataset.notes[record].change.as_ref()?;
        let style = if f.value >= 0.0 { theme.up } else { theme.down };
        // The row's cell: the arrow, and `±` where sources disagree.
        let text = ctx.rows.cell(record, 3);
        Some(Line::from(Span::styled(
            super::table::pad(&text, w, true),
            style,
        )))
    };
    ListView {
        title: title("Market notes", state, ctx.rows.len(), NOTE_COLUMNS, None),
        columns: NOTE_COLUMNS,
        rows: ctx.rows,
        state,
        theme,
        footer: None,
        custom: Some(&change_cell),
        hidden: &[],
    }
    .render(areas.list, buf);

    let inner = super::pane(" Detail ", theme.border, areas.detail, buf);
    if let Some(index) = state.current() {
        let lines = detail_lines(ctx, index, inner.width);
        super::wrapped_text(lines, inner, areas.detail, theme, buf);
    }
    render_moves(ctx, areas.moves, buf);
}

fn detail_lines(ctx: &TabContext, index: usize, _width: u16) -> Vec<Line<'static>> {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let n = &ds.notes[index];
    let mut meta = vec![
        n.kind.as_str().to_string(),
        escape_controls(subject_name(ds, n)).into_owned(),
    ];
    if let Some(d) = n.date {
        meta.insert(0, d.to_string());
    }
    let mut lines = vec![
        Line::styled(escape_controls(&n.headline).into_owned(), theme.header),
        Line::styled(meta.join(" · "), theme.muted),
    ];
    if let Some(change) = &n.change {
        let style = if change.value >= 0.0 {
            theme.up
        } else {
            theme.down
        };
        lines.push(Line::from(vec![
            Span::styled("Change  ", theme.muted),
            Span::styled(change_text(change), style),
        ]));
    }
    if let Some(amount) = &n.amount {
        lines.push(Line::from(vec![
            Span::styled("Amount  ", theme.muted),
            Span::styled(gigawatt_model::view::worded(amount), theme.hedge),
        ]));
    }
    lines.extend(super::disputed_lines(ds, &n.alternatives, theme));
    if let Some(speaker) = &n.speaker {
        lines.push(Line::from(vec![
            Span::styled("Speaker ", theme.muted),
            Span::raw(escape_controls(speaker).into_owned()),
        ]));
    }
    if let Some(body) = &n.body {
        lines.extend(gigawatt_model::text::prose_lines(body).map(|l| Line::from(l.into_owned())));
    }
    if let Some(cite) = ds.cite_text(n.cite()) {
        lines.push(Line::from(vec![
            Span::styled("Source  ", theme.muted),
            Span::raw(escape_controls(&cite).into_owned()),
        ]));
    }
    lines
}

/// Share moves: one bar per note with a change, by date.
fn render_moves(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let (view, theme) = (ctx.view, ctx.theme);
    let mut moves: Vec<_> = view
        .dataset
        .notes
        .iter()
        .filter_map(|n| n.change.as_ref().map(|c| (n, c)))
        .collect();
    moves.sort_by_key(|(n, _)| n.date);
    // Only the latest fit: the title says how many are shown of how many.
    let room = usize::from(area.height.saturating_sub(2));
    let title = if moves.len() > room {
        format!(" Share moves ({room} of {}) ", moves.len())
    } else {
        " Share moves ".to_string()
    };
    let inner = super::pane(title, theme.border, area, buf);
    if moves.is_empty() {
        Line::styled(" no share moves in this file", theme.muted).render(inner, buf);
        return;
    }
    let max = moves.iter().map(|(_, c)| c.value.abs()).fold(0.0, f64::max);
    let label_w: u16 = (inner.width * 2 / 5).clamp(12, 22);
    let value_w: u16 = 9;
    let bar_w = inner.width.saturating_sub(label_w + value_w + 2);
    let skip = moves.len().saturating_sub(usize::from(inner.height));
    // The year always; in two digits where the pane is narrow.
    let date_format = if label_w >= 16 {
        "%Y-%m-%d"
    } else {
        "%y-%m-%d"
    };
    for (row, (note, change)) in moves.iter().skip(skip).enumerate() {
        let date = note
            .date
            .and_then(|d| d.anchor())
            .map_or("undated".into(), |d| d.format(date_format).to_string());
        let label = format!(
            "{date} {}",
            escape_controls(subject_name(&view.dataset, note))
        );
        let label = format!(
            "{:<w$}",
            truncate(&label, usize::from(label_w)),
            w = usize::from(label_w)
        );
        let style = if change.value >= 0.0 {
            theme.up
        } else {
            theme.down
        };
        let cells = if max > 0.0 {
            ((change.value.abs() / max) * f64::from(bar_w))
                .round()
                .max(1.0) as usize
        } else {
            1
        };
        let glyph = if change.value >= 0.0 { "█" } else { "▒" };
        let line = Line::from(vec![
            // What the bar is read by: plain text, not muted.
            Span::raw(label),
            Span::styled(
                format!("{:>w$} ", change_text(change), w = usize::from(value_w)),
                style,
            ),
            Span::styled(glyph.repeat(cells), style),
        ]);
        line.render(
            Rect::new(inner.x, inner.y + row as u16, inner.width, 1),
            buf,
        );
    }
}

/// A note's subject as shown: the party's name where it names a party.
fn subject_name<'a>(
    dataset: &'a gigawatt_model::data::Dataset,
    note: &'a gigawatt_model::data::Note,
) -> &'a str {
    note.subject_party
        .as_deref()
        .map_or(note.subject.as_str(), |p| {
            gigawatt_model::view::party_name(dataset, p)
        })
}
