//! Flows: who pays whom. A matrix of buyers (rows) by providers (columns),
//! each cell the pair's hedged total, in money or gigawatts (`m`), with
//! row and column totals and what they cover; the selected pair's deals
//! beside it; and the loops, where money goes round.
//!
//! The matrix scrolls both ways with its headers frozen: the buyer names
//! on the left, the provider names on top, the totals on the right and
//! at the bottom stay put while the cells move.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use gigawatt_model::data::{Cite, Dataset, Vocabulary};
use gigawatt_model::export::TableName;
use gigawatt_model::ledger::flow_matrix::{Flows, Measure, money_text};
use gigawatt_model::ledger::timing::overlap_words;
use gigawatt_model::text::{escape_controls, truncate, width};
use gigawatt_model::view::{Column, Table, ViewData, party_name};

const COLUMNS: &[Column] = &[Column {
    title: "Buyer",
    width: 16,
    drop: 0,
    right: false,
}];

pub const SPEC: TabSpec = TabSpec {
    title: "Flows",
    short: "Flows",
    scopes: &[Scope::Global, Scope::List, Scope::Flows],
    columns: COLUMNS,
    table: TableName::Derived,
    rows: Table::Flows,
    hidden: |_| &[],
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

/// Lines above the matrix's rows inside its border: the provider names.
const HEADER: u16 = 1;
/// Lines below them: column totals and their coverage.
const FOOTER: u16 = 2;

struct Areas {
    matrix: Rect,
    pair: Rect,
    loops: Rect,
}

fn areas(body: Rect, rows: usize) -> Areas {
    let wanted = u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .saturating_add(HEADER + FOOTER + 2);
    // The matrix across the whole width, as tall as its rows need (up to
    // three fifths); the pair and the loops side by side under it.
    let h = wanted
        .min(body.height * 3 / 5)
        .max(HEADER + FOOTER + 3)
        .min(body.height);
    let [matrix, rest] = Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(body);
    let [pair, loops] = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Min(0)])
        .areas(rest);
    Areas {
        matrix,
        pair,
        loops,
    }
}

fn list_rows(body: Rect, rows: usize) -> Rect {
    let m = areas(body, rows).matrix;
    Rect {
        x: m.x + 1,
        y: m.y + 1 + HEADER,
        width: m.width.saturating_sub(2),
        height: m.height.saturating_sub(2 + HEADER + FOOTER),
    }
}

fn cite(dataset: &Dataset, index: usize) -> &Cite {
    // The rows are the matrix's: buyers that buy, not investors alone.
    let buyers = gigawatt_model::ledger::purchasers(dataset);
    buyers
        .get(index)
        .and_then(|b| dataset.party(b))
        .map_or(&NO_CITE, |p| p.cite())
}

static NO_CITE: Cite = Cite {
    source: None,
    at: None,
};

fn copy_text(view: &ViewData, index: usize) -> String {
    let flows = &view.flows;
    let Some(buyer) = flows.buyers.get(index) else {
        return String::new();
    };
    let total = flows.row_money.get(index).map_or(String::new(), money_text);
    let pairs: Vec<String> = flows
        .providers
        .iter()
        .enumerate()
        .filter_map(|(c, p)| {
            let cell = flows.cell(&view.dataset, index, c)?;
            Some(format!(
                "{} {}",
                party_name(&view.dataset, p),
                money_text(&cell.money)
            ))
        })
        .collect();
    format!(
        "{} committed {total}: {}",
        party_name(&view.dataset, buyer),
        pairs.join(", ")
    )
}

/// The cell cursor's column, kept inside the matrix.
fn cursor(ctx: &TabContext) -> usize {
    ctx.list
        .column
        .min(ctx.view.flows.providers.len().saturating_sub(1))
}

fn total_text(flows: &Flows, row: usize, measure: Measure) -> (String, String) {
    let d = match measure {
        Measure::Money => flows.row_money.get(row),
        Measure::Power => flows.row_power.get(row),
    };
    // Chips and the halls that hold them are the same watts: no sum.
    if measure == Measure::Power && flows.row_power_layers.get(row).is_some_and(|&n| n > 1) {
        return ("by layer".into(), String::new());
    }
    match d {
        Some(d) if d.covers.is_some_and(|(_, m)| m == 0) => ("—".into(), String::new()),
        Some(d) => (
            match measure {
                Measure::Money => money_text(d),
                Measure::Power => d.figure().map_or("—".into(), |f| f.compact()),
            },
            d.covers.map_or(String::new(), |(n, m)| format!("{n}/{m}")),
        ),
        None => (String::new(), String::new()),
    }
}

fn column_total(
    flows: &Flows,
    dataset: &Dataset,
    column: usize,
    measure: Measure,
) -> (String, String) {
    match measure {
        Measure::Money => flows.column_money(dataset, column).map_or_else(
            || (String::new(), String::new()),
            |d| {
                (
                    money_text(&d),
                    d.covers.map_or(String::new(), |(n, m)| format!("{n}/{m}")),
                )
            },
        ),
        Measure::Power if flows.column_power_layers(dataset, column) > 1 => {
            ("by layer".into(), String::new())
        }
        Measure::Power => (
            flows
                .column_power(dataset, column)
                .map(|f| f.compact())
                .unwrap_or_else(|| "—".into()),
            String::new(),
        ),
    }
}

fn pad(text: &str, w: usize, right: bool) -> String {
    let cut = truncate(text, w);
    let fill = w.saturating_sub(width(&cut));
    if right {
        format!("{}{cut}", " ".repeat(fill))
    } else {
        format!("{cut}{}", " ".repeat(fill))
    }
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let areas = areas(body, ctx.list.order.len());
    render_matrix(ctx, areas.matrix, buf);
    render_pair(ctx, areas.pair, buf);
    render_loops(ctx, areas.loops, buf);
}

fn render_matrix(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let (view, theme, flows) = (ctx.view, ctx.theme, &ctx.view.flows);
    let measure = ctx.measure;
    let unit = match measure {
        Measure::Money => "money",
        Measure::Power => "GW",
    };
    let title = format!(" Flows: buyers (rows) pay providers (columns), {unit}; m switches ",);
    let inner = super::pane(title, theme.border_focus, area, buf);
    if inner.height < HEADER + FOOTER + 1 || inner.width < 20 {
        return;
    }
    if flows.buyers.is_empty() || flows.providers.is_empty() {
        Line::styled(" no deals between parties in this file", theme.muted).render(inner, buf);
        return;
    }
    let order = &ctx.list.order;
    // The frozen left column: buyer names, as wide as the longest, within reason.
    let name_w = order
        .iter()
        .filter_map(|&r| flows.buyers.get(r))
        .map(|b| width(&escape_controls(party_name(&view.dataset, b))))
        .max()
        .unwrap_or(6)
        .clamp(6, 16);
    let cell_text = |r: usize, c: usize| flows.cell_text(&view.dataset, r, c, measure);
    // Only the rows on screen are measured: a frame costs what it shows,
    // whatever the size of the matrix.
    let rows_h = usize::from(inner.height - HEADER - FOOTER);
    let on_screen: Vec<usize> = order
        .iter()
        .skip(ctx.list.offset)
        .take(rows_h)
        .copied()
        .collect();
    let total_w = on_screen
        .iter()
        .map(|&r| width(&total_text(flows, r, measure).0))
        .max()
        .unwrap_or(5)
        .clamp(7, 14);
    // What each row's coverage ("7/9") takes, its header "cov" at least.
    let covers_w = on_screen
        .iter()
        .map(|&r| width(&total_text(flows, r, measure).1))
        .max()
        .unwrap_or(0)
        .max(3);
    // Right of the columns: the ▸ (or a blank), the total and, after a
    // blank, the coverage.
    let room = usize::from(inner.width).saturating_sub(name_w + 1 + 1 + total_w + 1 + covers_w);
    let name_of = |c: usize| {
        width(&escape_controls(party_name(
            &view.dataset,
            &flows.providers[c],
        )))
    };
    // Each column as wide as its figures and, as far as the screen allows,
    // its provider's name: a wider screen cuts fewer names, and a short
    // name ("AMD") leaves room for more columns.
    let name_cap = (usize::from(inner.width) / 7).max(11);
    let fitted = |c: usize| -> usize {
        let figures = on_screen
            .iter()
            .map(|&r| width(&cell_text(r, c)))
            .chain([width(&column_total(flows, &view.dataset, c, measure).0)])
            .max()
            .unwrap_or(0);
        figures
            .max(name_of(c).min(name_cap))
            .clamp(7, name_cap.max(14))
    };
    // A matrix that fits whole shows every name whole; one that cannot
    // (no column is narrower than 7) is measured only near the cursor.
    let all = flows.providers.len();
    let whole: Option<Vec<usize>> = (all * 8 <= room)
        .then(|| {
            (0..all)
                .map(|c| fitted(c).max(name_of(c)))
                .collect::<Vec<_>>()
        })
        .filter(|w| w.iter().map(|w| w + 1).sum::<usize>() <= room);
    let mut measured: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut width_of = |c: usize| -> usize {
        match &whole {
            Some(w) => w[c],
            None => *measured.entry(c).or_insert_with(|| fitted(c)),
        }
    };
    let current = cursor(ctx);
    // The first column shown: as far left as keeps the cursor's column on
    // screen.
    let mut first = current;
    let mut used = width_of(current) + 1;
    while first > 0 && used + width_of(first - 1) < room {
        first -= 1;
        used += width_of(first) + 1;
    }
    let mut columns: Vec<usize> = vec![];
    let mut widths: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut used = 0;
    for c in first..all {
        let w = width_of(c);
        if !columns.is_empty() && used + w + 1 > room {
            break;
        }
        used += w + 1;
        columns.push(c);
        widths.insert(c, w);
    }
    let widths = |c: usize| widths.get(&c).copied().unwrap_or(7);
    let more_left = first > 0;
    let more_right = columns
        .last()
        .is_some_and(|&c| c + 1 < flows.providers.len());
    let line_at = |y: u16, spans: Vec<Span<'static>>, buf: &mut Buffer| {
        Line::from(spans).render(Rect::new(inner.x, y, inner.width, 1), buf);
    };
    let edge = |on: bool, glyph: &'static str| if on { glyph } else { " " };

    // Header: provider names.
    let mut header = vec![Span::styled(
        pad(&format!("{}Buyer", edge(more_left, "◂")), name_w, false),
        theme.muted,
    )];
    header.push(Span::raw(" "));
    for &c in &columns {
        let name = escape_controls(party_name(&view.dataset, &flows.providers[c])).into_owned();
        let style = if c == current {
            theme.header
        } else {
            theme.header.remove_modifier(Modifier::UNDERLINED)
        };
        header.push(Span::styled(pad(&name, widths(c), true), style));
        header.push(Span::raw(" "));
    }
    header.push(Span::styled(edge(more_right, "▸"), theme.key));
    header.push(Span::styled(pad("Total", total_w, true), theme.header));
    header.push(Span::styled(" cov", theme.muted));
    line_at(inner.y, header, buf);

    // Rows: only those in view, from the list's scroll position.
    for (line, (position, &r)) in order
        .iter()
        .enumerate()
        .skip(ctx.list.offset)
        .take(rows_h)
        .enumerate()
    {
        let selected = position == ctx.list.selected;
        let name = escape_controls(party_name(&view.dataset, &flows.buyers[r])).into_owned();
        let is_match = ctx.list.is_match(position);
        let name_style = if selected {
            theme.selected
        } else if is_match {
            theme.matched
        } else {
            Style::default()
        };
        let mut spans = vec![
            Span::styled(pad(&name, name_w, false), name_style),
            Span::raw(" "),
        ];
        for &c in &columns {
            let text = cell_text(r, c);
            let text = if text.is_empty() {
                "·".to_string()
            } else {
                text
            };
            let style = if selected && c == current {
                theme.selected
            } else if text == "·" {
                theme.muted
            } else {
                theme.hedge
            };
            spans.push(Span::styled(pad(&text, widths(c), true), style));
            spans.push(Span::raw(" "));
        }
        let (total, covers) = total_text(flows, r, measure);
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            pad(&total, total_w, true),
            theme.header.remove_modifier(Modifier::UNDERLINED),
        ));
        spans.push(Span::styled(format!(" {covers}"), theme.muted));
        line_at(inner.y + HEADER + line as u16, spans, buf);
    }
    if order.len() > rows_h && inner.width > 30 {
        let text = format!(
            " rows {}-{} of {} ",
            ctx.list.offset + 1,
            (ctx.list.offset + rows_h).min(order.len()),
            order.len()
        );
        buf.set_string(
            area.x + area.width.saturating_sub(width(&text) as u16 + 1),
            area.y + area.height - 1,
            text,
            theme.muted,
        );
    }

    // Footer: column totals, then how many deals they cover.
    let y = inner.y + inner.height - FOOTER;
    let mut totals = vec![
        Span::styled(
            pad("Total", name_w, false),
            theme.header.remove_modifier(Modifier::UNDERLINED),
        ),
        Span::raw(" "),
    ];
    let mut covers = vec![
        Span::styled(pad("covers", name_w, false), theme.muted),
        Span::raw(" "),
    ];
    for &c in &columns {
        let (t, cov) = column_total(flows, &view.dataset, c, measure);
        totals.push(Span::styled(pad(&t, widths(c), true), theme.hedge));
        totals.push(Span::raw(" "));
        covers.push(Span::styled(pad(&cov, widths(c), true), theme.muted));
        covers.push(Span::raw(" "));
    }
    line_at(y, totals, buf);
    line_at(y + 1, covers, buf);
}

/// The selected pair, with its deals (each record, counted or not).
fn pair_lines(ctx: &TabContext) -> Vec<Line<'static>> {
    let (view, theme, flows) = (ctx.view, ctx.theme, &ctx.view.flows);
    let ds = &view.dataset;
    let Some(row) = ctx.list.current() else {
        return vec![Line::styled(" no buyer selected", theme.muted)];
    };
    let column = cursor(ctx);
    let (Some(buyer), Some(provider)) = (flows.buyers.get(row), flows.providers.get(column)) else {
        return vec![];
    };
    let (b, p) = (
        escape_controls(party_name(ds, buyer)).into_owned(),
        escape_controls(party_name(ds, provider)).into_owned(),
    );
    let mut lines = vec![Line::from(vec![Span::styled(
        format!("{b} → {p}"),
        theme.header,
    )])];
    let Some(cell) = flows.cell(ds, row, column) else {
        lines.push(Line::styled(
            format!("no deal of {b} with {p}; h/l move along the row"),
            theme.muted,
        ));
        return lines;
    };
    let covers = cell.money.covers_text().unwrap_or_default();
    lines.push(Line::from(vec![
        Span::styled("money ", theme.muted),
        Span::styled(money_text(&cell.money), theme.hedge),
        Span::styled(format!("  ({covers})"), theme.muted),
    ]));
    if let Some(power) = &cell.power {
        lines.push(Line::from(vec![
            Span::styled("power ", theme.muted),
            Span::styled(power.compact(), theme.hedge),
        ]));
    }
    for (k, &i) in cell.deals.iter().enumerate() {
        let Some(c) = ds.commitments.get(i) else {
            continue;
        };
        let value = c
            .value
            .as_ref()
            .map_or("undisclosed".into(), |v| v.compact());
        let power = c
            .power()
            .as_ref()
            .map_or(String::new(), |p| format!(" · {}", p.compact()));
        let when = c
            .starts()
            .or(c.announced)
            .map_or(String::new(), |d| format!(" · {d}"));
        let why = if cell.counted.get(k).copied().unwrap_or(true) {
            String::new()
        } else {
            " (not counted)".to_string()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  • {} {value}{power}", c.kind.as_str())),
            Span::styled(
                format!(" · {}{when}{why} · {}", c.status.as_str(), c.id),
                theme.muted,
            ),
        ]));
    }
    lines
}

fn render_pair(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let inner = super::pane(" Pair (h/j/k/l, ⏎ detail) ", ctx.theme.border, area, buf);
    super::wrapped_text(pair_lines(ctx), inner, area, ctx.theme, buf);
}

/// Each loop: the parties in the order money goes, marked when its legs
/// are more than a year apart or their dates cannot tell; then each leg's
/// parties as its deals name them, its amount, and with `deal_ids` its
/// deals. At most `most` loops (the pane shows no more than its height,
/// however many loops thousands of deals make).
fn loop_lines(ctx: &TabContext, most: usize, deal_ids: bool) -> Vec<Line<'static>> {
    let (theme, flows) = (ctx.theme, &ctx.view.flows);
    if flows.loops.is_empty() {
        return vec![Line::styled(
            "no money flows both ways between these parties",
            theme.muted,
        )];
    }
    let mut lines = vec![];
    for l in flows.loops.iter().take(most) {
        let names: Vec<String> = l
            .names
            .iter()
            .map(|n| escape_controls(n).into_owned())
            .collect();
        let head = if names.len() == 2 {
            format!("⟲ {} ⇄ {}", names[0], names[1])
        } else {
            format!("⟲ {} → {}", names.join(" → "), names[0])
        };
        let mut title = vec![Span::styled(head, theme.header)];
        // Legs that meet are what a loop is: only the others are marked.
        if l.overlapping != Some(true) {
            title.push(Span::styled(
                format!(" · {}", overlap_words(l.overlapping)),
                theme.stale,
            ));
        }
        lines.push(Line::from(title));
        for leg in &l.legs {
            let mut what = escape_controls(&leg.what).into_owned();
            if deal_ids {
                let mut ids = leg.deals.join(", ");
                let more = leg.deal_count.saturating_sub(leg.deals.len());
                if more > 0 {
                    ids.push_str(&format!(" and {more} more"));
                }
                what = format!("{what} · {}", escape_controls(&ids));
            }
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} → {}: ",
                    escape_controls(&leg.from),
                    escape_controls(&leg.to)
                )),
                Span::styled(money_text(&leg.money), theme.hedge),
                Span::styled(format!(" ({what})"), theme.muted),
            ]));
        }
    }
    lines
}

fn render_loops(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let flows = &ctx.view.flows;
    // Past its budget the search stops: the count is of those found.
    let cut = if flows.loops_cut {
        ", search cut short"
    } else {
        ""
    };
    let title = format!(" Loops: money both ways ({}{cut}) ", flows.loops.len());
    let inner = super::pane(title, ctx.theme.border, area, buf);
    // A loop takes three lines or more: no more are laid out than fit.
    let most = usize::from(inner.height) / 3 + 1;
    super::wrapped_text(loop_lines(ctx, most, false), inner, area, ctx.theme, buf);
}

/// The detail overlay: the selected pair's deals, then the loops with the
/// deals of each leg.
fn detail_lines(ctx: &TabContext, _index: usize, _width: u16) -> Vec<Line<'static>> {
    let mut lines = pair_lines(ctx);
    lines.push(Line::from(""));
    lines.push(Line::styled("Loops", ctx.theme.header));
    lines.extend(loop_lines(ctx, usize::MAX, true));
    lines
}
