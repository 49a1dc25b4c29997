//! Commitments: the deals, a total that says what it covers, and bars of
//! the disclosed values (undisclosed ones said so, never drawn as zero).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::table::{ListView, title};
use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use crate::ui::layout;
use gigawatt_model::data::{Cite, Dataset, Vocabulary};
use gigawatt_model::export::TableName;
use gigawatt_model::figure::Figure;
use gigawatt_model::ledger::total_sentence;
use gigawatt_model::text::{truncate, width};
use gigawatt_model::view::{COMMITMENT_COLUMNS, Table, ViewData};

pub const SPEC: TabSpec = TabSpec {
    title: "Commitments",
    short: "Deals",
    scopes: &[Scope::Global, Scope::List, Scope::Table],
    columns: COMMITMENT_COLUMNS,
    table: TableName::Commitments,
    rows: Table::Commitments,
    hidden: |view| &view.commitment_hidden,
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

fn list_rows(body: Rect, rows: usize) -> Rect {
    // Under the rows, the total.
    layout::list_rows(layout::commitments(body, rows).list, 1)
}

pub(super) fn cite(dataset: &Dataset, index: usize) -> &Cite {
    dataset.commitments[index].cite()
}

pub(super) fn copy_text(view: &ViewData, index: usize) -> String {
    let c = &view.dataset.commitments[index];
    let (buyer, name) = (view.deal_party(index, 0), view.deal_party(index, 1));
    let value = c
        .value
        .as_ref()
        .map_or("undisclosed value".into(), Figure::compact);
    let term = c
        .term
        .as_ref()
        .map_or(String::new(), |t| format!(" over {}", t.compact()));
    format!("{buyer} → {name}: {value}{term}")
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let areas = layout::commitments(body, ctx.list.order.len());
    let state = ctx.list;
    let total = total_sentence(&view.total);
    let mut footer = vec![
        Span::styled(" Total ", ctx.theme.header),
        Span::raw(total.clone()),
    ];
    // What the total leaves apart, then why some values are missing, each
    // only where it fits whole: a cut "(undi" explains nothing.
    let mut asides: Vec<(String, ratatui::style::Style)> = Vec::new();
    if let Some(d) = &view.total_tentative {
        asides.push((format!(" · {} tentative", d.compact()), ctx.theme.hedge));
    }
    if let Some(d) = &view.total_conditional {
        asides.push((format!(" · {} on conditions", d.compact()), ctx.theme.hedge));
    }
    if view.total.covers.is_some_and(|(n, m)| n < m) {
        asides.push(("  (undisclosed values left out)".into(), ctx.theme.muted));
    }
    let mut used = 10 + gigawatt_model::text::width(&total);
    for (aside, style) in asides {
        let width = gigawatt_model::text::width(&aside);
        if used + width > usize::from(body.width) {
            break;
        }
        used += width;
        footer.push(Span::styled(aside, style));
    }
    let footer = Line::from(footer);
    ListView {
        title: title(
            "Commitments",
            state,
            ctx.rows.len(),
            COMMITMENT_COLUMNS,
            None,
        ),
        columns: COMMITMENT_COLUMNS,
        rows: ctx.rows,
        state,
        theme: ctx.theme,
        footer: Some(footer),
        custom: None,
        hidden: &view.commitment_hidden,
    }
    .render(areas.list, buf);
    render_bars(ctx, areas.chart, buf);
    if let Some(detail) = areas.detail {
        let rows = ctx.rows;
        let has_history = state
            .current()
            .filter(|&i| i < rows.len())
            .is_some_and(|i| rows.folds(i) > 0 || rows.under(i).is_some());
        let title = if has_history {
            " Detail (⏎ opens, c cites, z history) "
        } else {
            " Detail (⏎ opens, c cites) "
        };
        let inner = super::pane(title, ctx.theme.border, detail, buf);
        if let Some(index) = state.current() {
            ratatui::widgets::Paragraph::new(detail_lines(ctx, index, inner.width))
                .wrap(ratatui::widgets::Wrap { trim: false })
                .render(inner, buf);
        }
    }
}

/// Horizontal bars of disclosed values, in the list's order.
fn render_bars(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let (view, theme) = (ctx.view, ctx.theme);
    let inner = super::pane(" Disclosed value by deal ", theme.border, area, buf);
    if inner.height == 0 || inner.width < 20 {
        return;
    }
    let ds = &view.dataset;
    let state = ctx.list;
    let max = view.max_value;
    // Names whole where there is room: as wide as the longest, up to 2/5.
    let longest = state
        .order
        .iter()
        .map(|&i| {
            let c = &ds.commitments[i];
            let name = ds
                .provider(&c.provider)
                .map_or(c.provider.as_str(), |p| p.name.as_str());
            gigawatt_model::text::width(&gigawatt_model::text::escape_controls(name))
        })
        .take(200)
        .max()
        .unwrap_or(8);
    let label_w = (longest as u16).clamp(8, (inner.width * 2 / 5).max(8));
    let value_w = 12u16;
    let bar_w = inner.width.saturating_sub(label_w + value_w + 2);
    // Keep the selected deal's bar on screen when there are more than fit.
    let rows = usize::from(inner.height);
    let start = state.selected.saturating_sub(rows.saturating_sub(1));
    for (line_no, (position, &i)) in state
        .order
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .enumerate()
    {
        let c = &ds.commitments[i];
        let name = ds
            .provider(&c.provider)
            .map_or(c.provider.as_str(), |p| p.name.as_str());
        let name = gigawatt_model::text::escape_controls(name);
        let label = format!(
            "{:<w$}",
            truncate(&name, usize::from(label_w)),
            w = usize::from(label_w)
        );
        let selected = position == state.selected;
        // The name is what the bar is read by: plain text, not muted.
        let label_style = if selected {
            theme.selected
        } else {
            ratatui::style::Style::default()
        };
        let mut spans = vec![Span::styled(label, label_style), Span::raw(" ")];
        match &c.value {
            Some(v) if v.is_unbounded() => spans.push(Span::styled(
                "sources too far apart to draw (see the detail)",
                theme.muted,
            )),
            Some(v) if max > 0.0 => {
                let cells = ((v.value / max) * f64::from(bar_w)).round() as usize;
                let cells = cells.max(1);
                let style = if line_no % 2 == 0 {
                    theme.bar
                } else {
                    theme.bar_alt
                };
                spans.push(Span::styled("█".repeat(cells), style));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(v.compact(), theme.hedge));
            }
            _ => spans.push(Span::styled("undisclosed (not drawn as zero)", theme.muted)),
        }
        let y = inner.y + line_no as u16;
        Line::from(spans).render(Rect::new(inner.x, y, inner.width, 1), buf);
    }
    // Nothing disclosed draws no bar, and has no scale to give.
    let scale = if max > 0.0 {
        format!(" full bar = {} ", gigawatt_model::figure::money(max))
    } else {
        " no disclosed value to draw ".to_string()
    };
    if area.width as usize > width(&scale) + 30 {
        let x = area.x + area.width - width(&scale) as u16 - 1;
        buf.set_string(x, area.y + area.height - 1, scale, theme.muted);
    }
}

/// The commitment's detail: summary, figures spelled out, derived figures with formulas.
pub(super) fn detail_lines(ctx: &TabContext, index: usize, _width: u16) -> Vec<Line<'static>> {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let c = &ds.commitments[index];
    let name = ds
        .provider(&c.provider)
        .map_or_else(|| c.provider.to_string(), |p| p.name.clone());
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<12}"), theme.muted),
            Span::raw(gigawatt_model::text::escape_controls(&value).into_owned()),
        ])
    };
    // With one buyer, the buyer goes without saying.
    let heading = if view.buyers.len() > 1 {
        format!(
            "{} → {name}",
            gigawatt_model::view::party_name(ds, &c.buyer)
        )
    } else {
        name.clone()
    };
    let mut lines = vec![
        Line::styled(
            gigawatt_model::text::escape_controls(&heading).into_owned(),
            theme.header,
        ),
        field(
            "Value",
            c.value
                .as_ref()
                .map_or("undisclosed (left out of totals)".into(), |v| {
                    if v.is_unbounded() {
                        return "bounded neither way: its sources are listed below".into();
                    }
                    // The source's words first; the compact form the
                    // tables show beside them.
                    let words = gigawatt_model::view::worded(v);
                    if words == v.compact() {
                        format!("{words}   ({})", v.qualifier.code())
                    } else {
                        format!("{words}   ({}, {})", v.compact(), v.qualifier.code())
                    }
                }),
        ),
        field(
            "Term",
            c.term
                .as_ref()
                .map_or("—".into(), gigawatt_model::view::worded),
        ),
        field(
            "Status",
            gigawatt_model::data::Vocabulary::as_str(c.status).to_string(),
        ),
        field(
            "Announced",
            c.announced.map_or("—".into(), |d| d.to_string()),
        ),
        field(
            "Online by",
            c.online_by.map_or("—".into(), |d| d.to_string()),
        ),
        field("Record id", c.id.to_string()),
    ];
    // What format 2 adds, where the record has it.
    let mut extra = vec![];
    if c.kind != gigawatt_model::data::DealKind::Compute {
        extra.push(field("Kind", c.kind.as_str().to_string()));
    }
    if let Some(p) = c.power() {
        let words = gigawatt_model::view::worded(p);
        extra.push(field(
            "Power",
            if words == p.compact() {
                words
            } else {
                format!("{words}   ({})", p.compact())
            },
        ));
    }
    if let Some(starts) = c.starts() {
        extra.push(field("Starts", starts.to_string()));
    }
    if let Some(layer) = c.power_layer().filter(|_| c.power().is_some()) {
        extra.push(field(
            "Power layer",
            gigawatt_model::data::Vocabulary::as_str(layer).to_string(),
        ));
    }
    // Money due only on conditions is not committed: say which part is.
    if let Some(conditional) = c.conditional_value() {
        extra.push(field(
            "Counted",
            format!(
                "{} firm + {} on conditions (not counted)",
                c.firm_value().map_or("none".into(), |f| f.compact()),
                conditional.compact()
            ),
        ));
    }
    if c.status.is_tentative() {
        extra.push(field(
            "Counted",
            "no: tentative, in the tentative total only".to_string(),
        ));
    }
    lines.splice(2..2, extra);
    if !c.tranches().is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Tranches", theme.header));
        for t in c.tranches() {
            let amount = [t.value.as_ref(), t.power.as_ref()]
                .into_iter()
                .flatten()
                .map(|f| f.compact())
                .collect::<Vec<_>>()
                .join(", ");
            let due = t.due.map_or(String::new(), |d| format!(", due {d}"));
            let condition = t.condition.as_deref().map_or(" (firm)".to_string(), |w| {
                format!(" (condition: {})", gigawatt_model::text::escape_controls(w))
            });
            lines.push(Line::from(format!("  • {amount}{due}{condition}")));
        }
    }
    // Who said the status changed, and when.
    let changes: Vec<_> = ds.status_history(&c.id).collect();
    if !changes.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Status history", theme.header));
        lines.push(Line::from(format!(
            "  as written: {}",
            c.written_status().as_str()
        )));
        for n in changes {
            let cite = ds
                .cite_text(n.cite())
                .map_or(String::new(), |t| format!(" ({t})"));
            lines.push(Line::from(format!(
                "  {} → {}: {}{}",
                n.date.map_or("undated".into(), |d| d.to_string()),
                n.status.map_or("—", |s| s.as_str()),
                gigawatt_model::text::escape_controls(&n.headline),
                gigawatt_model::text::escape_controls(&cite),
            )));
        }
    }
    lines.extend(super::disputed_lines(ds, c.alternatives(), theme));
    // The deal's history: its earlier records, then this one.
    let head = view.heads.get(index).copied().unwrap_or(index);
    let history = view.history_of(head);
    if !history.is_empty() {
        lines.push(Line::from(""));
        let mut steps: Vec<String> = history
            .iter()
            .chain(std::iter::once(&head))
            .filter_map(|&i| ds.commitments.get(i))
            .map(|r| {
                r.value
                    .as_ref()
                    .map_or("undisclosed".into(), |v| v.compact())
            })
            .collect();
        steps.dedup();
        lines.push(Line::from(vec![
            Span::styled("History     ", theme.muted),
            Span::styled(steps.join(" → "), theme.hedge),
        ]));
        for &i in history.iter().chain(std::iter::once(&head)) {
            let r = &ds.commitments[i];
            let mark = if i == index { "▶" } else { " " };
            lines.push(Line::from(format!(
                "  {mark} {:<10} {:<12} {:<10} {}",
                r.announced.map_or("—".into(), |d| d.to_string()),
                r.value
                    .as_ref()
                    .map_or("undisclosed".into(), |v| v.compact()),
                r.status.as_str(),
                r.id
            )));
        }
        if head != index {
            lines.push(Line::styled(
                "  superseded: left out of totals; the latest record counts",
                theme.muted,
            ));
        }
    }
    if let Some(summary) = &c.summary {
        lines.push(Line::from(""));
        lines
            .extend(gigawatt_model::text::prose_lines(summary).map(|l| Line::from(l.into_owned())));
    }
    // Made when shown: one record's figures, not a copy for every record.
    let counts = view.counts.get(index).copied().unwrap_or(true);
    let derived: Vec<_> = gigawatt_model::ledger::share(c, &view.total)
        .filter(|_| counts)
        .into_iter()
        .chain(gigawatt_model::ledger::value_per_year(c))
        .collect();
    if !derived.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Derived", theme.header));
        for d in &derived {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<26}", d.label), theme.muted),
                Span::raw(d.formula.clone()),
            ]));
        }
    }
    if let Some(cite) = ds.cite_text(c.cite()) {
        lines.push(Line::from(""));
        lines.push(field("Source", cite));
    }
    lines
}
