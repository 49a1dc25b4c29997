//! Providers: who OpenAI (or the file's subject) buys from, with a detail
//! pane for the selection.

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
use gigawatt_model::text::{escape_controls, wrap};
use gigawatt_model::view::{PROVIDER_COLUMNS, Table, ViewData};

pub const SPEC: TabSpec = TabSpec {
    title: "Parties",
    short: "Parties",
    scopes: &[Scope::Global, Scope::List, Scope::Table],
    columns: PROVIDER_COLUMNS,
    table: TableName::Providers,
    rows: Table::Parties,
    hidden: |view| &view.party_hidden,
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

fn list_rows(body: Rect, rows: usize) -> Rect {
    layout::list_rows(layout::providers(body, rows).list, 0)
}

fn cite(dataset: &Dataset, index: usize) -> &Cite {
    dataset.providers[index].cite()
}

fn copy_text(view: &ViewData, index: usize) -> String {
    let p = &view.dataset.providers[index];
    let total = &view.provider_totals[index];
    let deals = view.commitments_of(&p.id).count();
    match total.figure() {
        Some(f) => format!(
            "{}: {} committed across {} of {}",
            p.name,
            f.compact(),
            total.covers.map_or(0, |c| c.0),
            gigawatt_model::text::count(deals, "deal", "deals")
        ),
        None => format!(
            "{}: {}, value undisclosed",
            p.name,
            gigawatt_model::text::count(deals, "deal", "deals")
        ),
    }
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let areas = layout::providers(body, ctx.list.order.len());
    let state = ctx.list;
    ListView {
        title: title(
            "Parties",
            state,
            ctx.rows.len(),
            PROVIDER_COLUMNS,
            Some(gigawatt_model::view::PARTIES_OPENING_ORDER),
        ),
        columns: PROVIDER_COLUMNS,
        rows: ctx.rows,
        state,
        theme: ctx.theme,
        footer: None,
        custom: None,
        hidden: &view.party_hidden,
    }
    .render(areas.list, buf);

    if let Some(chart) = areas.chart {
        render_shares(ctx, chart, buf);
    }

    let inner = super::pane(" Detail ", ctx.theme.border, areas.detail, buf);
    if let Some(index) = state.current() {
        let lines = detail_lines(ctx, index, inner.width);
        super::wrapped_text(lines, inner, areas.detail, ctx.theme, buf);
    }
}

/// Each provider's share of the disclosed total, as bars, in list order.
fn render_shares(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let (view, theme) = (ctx.view, ctx.theme);
    let inner = super::pane(
        match view.total.figure() {
            Some(total) => format!(" Share of {} disclosed ", total.compact()),
            None => " Shares: no value disclosed ".to_string(),
        },
        theme.border,
        area,
        buf,
    );
    let state = ctx.list;
    // Names whole where there is room: as wide as the longest, up to 2/5.
    let longest = state
        .order
        .iter()
        .take(usize::from(inner.height))
        .map(|&i| gigawatt_model::text::width(&escape_controls(&view.dataset.providers[i].name)))
        .max()
        .unwrap_or(8);
    let label_w = (longest as u16).clamp(8, (inner.width * 2 / 5).max(8));
    let bar_room = inner.width.saturating_sub(label_w + 10);
    let total = view.total.figure().map_or(0.0, |f| f.value);
    for (line, &i) in state
        .order
        .iter()
        .take(usize::from(inner.height))
        .enumerate()
    {
        let p = &view.dataset.providers[i];
        let sub = &view.provider_totals[i];
        let label = gigawatt_model::text::truncate(&escape_controls(&p.name), usize::from(label_w))
            .into_owned();
        // The name is what the bar is read by: plain text, not muted.
        let mut spans = vec![Span::raw(format!("{label:<w$} ", w = usize::from(label_w)))];
        match sub.figure() {
            Some(f) if f.is_unbounded() => spans.push(Span::styled(
                "unbounded: its sources are too far apart to draw",
                theme.muted,
            )),
            Some(f) if total > 0.0 => {
                let share = f.value / total;
                let cells = (share * f64::from(bar_room)).round().max(1.0) as usize;
                spans.push(Span::styled("█".repeat(cells), theme.bar));
                // The table's share cell: the same figure, hedge and all.
                let share = PROVIDER_COLUMNS.iter().position(|c| c.title == "Share");
                let text = share.map(|c| ctx.rows.cell(i, c)).unwrap_or_default();
                spans.push(Span::styled(format!(" {text}"), theme.hedge));
            }
            _ if sub.covers.is_some_and(|(_, m)| m > 0) => {
                spans.push(Span::styled("undisclosed", theme.muted));
            }
            _ => spans.push(Span::styled("no commitments", theme.muted)),
        }
        Line::from(spans).render(
            Rect::new(inner.x, inner.y + line as u16, inner.width, 1),
            buf,
        );
    }
}

/// Most deals the detail lists per side: a party of a ledger of 100k deals
/// may have thousands, and every frame lays out what it lists.
const LISTED: usize = 100;

/// "  … and 12,400 more deals", where the list stopped at `LISTED`.
fn more_line(deals: usize, theme: &crate::ui::theme::Theme) -> Option<Line<'static>> {
    (deals > LISTED).then(|| {
        Line::styled(
            format!(
                "  … and {} more (the Commitments tab lists every deal)",
                gigawatt_model::text::count(deals - LISTED, "deal", "deals")
            ),
            theme.muted,
        )
    })
}

/// What the total above leaves apart among `deals`: "Apart: $20bn
/// tentative · $35bn on conditions", or nothing when it leaves none.
fn apart_line(
    ds: &gigawatt_model::data::Dataset,
    why: &[Option<gigawatt_model::ledger::LeftOut>],
    deals: &[usize],
    theme: &crate::ui::theme::Theme,
) -> Option<Line<'static>> {
    let (tentative, conditional) = gigawatt_model::ledger::apart_totals(ds, why, deals);
    let parts: Vec<String> = [
        tentative.map(|d| format!("{} tentative", d.compact())),
        conditional.map(|d| format!("{} on conditions", d.compact())),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| {
        Line::from(vec![
            Span::styled("  Apart, not counted: ", theme.muted),
            Span::styled(parts.join(" · "), theme.hedge),
        ])
    })
}

/// The provider's detail: summary, hardware, commitments, notes, citation.
fn detail_lines(ctx: &TabContext, index: usize, width: u16) -> Vec<Line<'static>> {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let p = &ds.providers[index];
    let w = usize::from(width.max(10));
    let mut lines = vec![Line::from(vec![
        Span::styled(escape_controls(&p.name).into_owned(), theme.header),
        Span::styled(
            format!(
                "  {}{}",
                p.kind.as_str(),
                p.parent.as_deref().map_or(String::new(), |parent| format!(
                    ", part of {}",
                    escape_controls(parent)
                ))
            ),
            theme.muted,
        ),
    ])];
    if let Some(cite) = ds.cite_text(p.cite()) {
        lines.push(Line::from(vec![
            Span::styled("Source: ", theme.muted),
            Span::raw(escape_controls(&cite).into_owned()),
        ]));
    }
    if !p.hardware.is_empty() {
        let hardware: Vec<_> = p
            .hardware
            .iter()
            .map(|h| escape_controls(h).into_owned())
            .collect();
        lines.push(Line::from(vec![
            Span::styled("Hardware: ", theme.muted),
            Span::raw(hardware.join(", ")),
        ]));
    }
    if let Some(summary) = &p.summary {
        lines.extend(wrap(summary, w).into_iter().map(Line::from));
    }
    let commitments: Vec<usize> = view.commitments_of(&p.id).collect();
    let bought: Vec<usize> = view
        .party_bought_commitments
        .get(index)
        .cloned()
        .unwrap_or_default();
    let total = &view.provider_totals[index];
    let why = &view.left_out;
    let deal_line = |i: usize, other: &str| -> Line<'static> {
        let c = &ds.commitments[i];
        // Prose has room: the source's own words ("up to $10bn"); a deal
        // with conditional tranches says what is firm and what is not.
        let value = match c.conditional_value() {
            Some(conditional) => format!(
                "{} firm + {} on conditions",
                c.firm_value().map_or("none".into(), |f| f.compact()),
                conditional.compact()
            ),
            None => c
                .value
                .as_ref()
                .map_or("undisclosed".into(), gigawatt_model::view::worded),
        };
        let term = c.term.as_ref().map_or(String::new(), |t| {
            format!(" over {}", gigawatt_model::view::worded(t))
        });
        let power = c
            .power()
            .as_ref()
            .map_or(String::new(), |p| format!(", {}", p.compact()));
        let counted = view.counts.get(i).copied().unwrap_or(true);
        Line::from(vec![
            Span::raw(format!(
                "  • {}{value}{term}{power}, {}{}",
                if other.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", escape_controls(other))
                },
                c.status.as_str(),
                c.online_by.map_or(String::new(), |d| {
                    let d = d.to_string();
                    if d.starts_with("by ") {
                        format!(", online {d}")
                    } else {
                        format!(", online by {d}")
                    }
                })
            )),
            Span::styled(
                match (counted, why.get(i).copied().flatten()) {
                    (true, _) => String::new(),
                    (false, Some(reason)) => format!(" ({}, not counted)", reason.word()),
                    (false, None) => format!(" ({}, not counted)", c.kind.as_str()),
                },
                theme.muted,
            ),
        ])
    };
    let several = view.buyers.len() > 1;
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled(
            if several { "Sells: " } else { "Commitments: " },
            theme.header,
        ),
        Span::raw(match commitments.len() {
            0 => "none in this file".to_string(),
            _ if total.covers == Some((0, 0)) => "no sales; money it receives:".to_string(),
            _ => gigawatt_model::ledger::total_sentence(total),
        }),
    ]));
    for &i in commitments.iter().take(LISTED) {
        let buyer = if several {
            gigawatt_model::view::party_name(ds, &ds.commitments[i].buyer)
        } else {
            ""
        };
        lines.push(deal_line(i, buyer));
    }
    lines.extend(more_line(commitments.len(), theme));
    lines.extend(apart_line(ds, why, &commitments, theme));
    if !bought.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("Buys and invests: ", theme.header),
            Span::raw(gigawatt_model::ledger::total_sentence(
                &view.party_bought[index],
            )),
        ]));
        for &i in bought.iter().take(LISTED) {
            lines.push(deal_line(
                i,
                gigawatt_model::view::party_name(ds, &ds.commitments[i].provider),
            ));
        }
        lines.extend(more_line(bought.len(), theme));
        lines.extend(apart_line(ds, why, &bought, theme));
        // What it stands behind or owes: exposure, apart from spending.
        for (kind, what) in [
            (
                gigawatt_model::data::DealKind::Backstop,
                "Backstops given: ",
            ),
            (gigawatt_model::data::DealKind::Debt, "Debt raised: "),
        ] {
            if let Some(d) = gigawatt_model::ledger::exposure_total(ds, why, &bought, &p.id, kind) {
                lines.push(Line::from(vec![
                    Span::styled(what, theme.muted),
                    Span::styled(
                        format!("{} (exposure, not spending)", d.compact()),
                        theme.hedge,
                    ),
                ]));
            }
        }
        if let Some(d) = gigawatt_model::ledger::committed_vs_revenue_among(ds, why, &bought, &p.id)
        {
            lines.push(Line::from(vec![
                Span::styled("Committed ÷ revenue run rate: ", theme.muted),
                Span::styled(d.compact(), theme.hedge),
            ]));
            lines.push(Line::styled(format!("  {}", d.formula), theme.muted));
        }
    }
    let notes: Vec<_> = ds.notes_about(p).collect();
    if !notes.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("Market notes ({})", notes.len()),
            theme.header,
        ));
        for note in notes {
            let change = note.change.as_ref().map_or(String::new(), |c| {
                format!("{} ", gigawatt_model::view::change_text(c))
            });
            let change = match &note.amount {
                Some(a) => format!("{change}{} ", a.compact()),
                None => change,
            };
            let date = note.date.map_or(String::new(), |d| format!("{d} "));
            lines.push(Line::from(vec![
                Span::styled(format!("  {date}"), theme.muted),
                Span::raw(format!("{change}{}", escape_controls(&note.headline))),
            ]));
        }
    }
    lines
}
