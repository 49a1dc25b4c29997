//! Sites: the campuses meant to deliver the promises, what runs at each on
//! the data's date beside its planned size, and the selected site's power
//! over time, built to date apart from dated plans.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset as Series, GraphType, Widget};

use super::table::{ListView, title};
use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use crate::ui::layout;
use gigawatt_model::data::{Cite, Dataset, Site, Vocabulary};
use gigawatt_model::export::TableName;
use gigawatt_model::text::escape_controls;
use gigawatt_model::view::{SITE_COLUMNS, Table, ViewData, mw_text, party_name, worded};

pub const SPEC: TabSpec = TabSpec {
    title: "Sites",
    short: "Sites",
    scopes: &[Scope::Global, Scope::List, Scope::Table],
    columns: SITE_COLUMNS,
    table: TableName::Sites,
    rows: Table::Sites,
    hidden: |_| &[],
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

/// What marks built power and dated plans on the chart, told apart
/// without colour; the chart's title names them.
const BUILT: Marker = Marker::Braille;
const PLANNED: Marker = Marker::Dot;

fn list_rows(body: Rect, rows: usize) -> Rect {
    layout::list_rows(layout::sites(body, rows).list, 0)
}

fn cite(dataset: &Dataset, index: usize) -> &Cite {
    dataset.sites[index].cite()
}

fn copy_text(view: &ViewData, index: usize) -> String {
    let ds = &view.dataset;
    let s = &ds.sites[index];
    let mut text = s.name.clone();
    if let Some(power) = s.now(ds.as_of).and_then(|e| e.power.as_ref()) {
        text.push_str(&format!(": {} MW running", mw_text(power)));
    }
    if let Some(planned) = &s.power {
        text.push_str(&format!(", {} MW planned", mw_text(planned)));
    }
    text
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let areas = layout::sites(body, ctx.list.order.len());
    let state = ctx.list;
    let theme = ctx.theme;
    if view.dataset.sites.is_empty() {
        let inner = super::pane(" Sites (0) ", theme.border, areas.list, buf);
        Line::styled(
            " no sites in this data: add [[sites]] to a file, or open a folder of the hub's CSVs",
            theme.muted,
        )
        .render(inner, buf);
        return;
    }
    ListView {
        title: title("Sites", state, ctx.rows.len(), SITE_COLUMNS, None),
        columns: SITE_COLUMNS,
        rows: ctx.rows,
        state,
        theme,
        footer: None,
        custom: None,
        hidden: &[],
    }
    .render(areas.list, buf);

    let inner = super::pane(" Detail ", theme.border, areas.detail, buf);
    if let Some(index) = state.current() {
        let lines = detail_lines(ctx, index, inner.width);
        super::wrapped_text(lines, inner, areas.detail, theme, buf);
    }
    render_power(ctx, state.current(), areas.moves, buf);
}

fn detail_lines(ctx: &TabContext, index: usize, _width: u16) -> Vec<Line<'static>> {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let s = &ds.sites[index];
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<9} "), theme.muted),
            Span::raw(value),
        ])
    };
    let mut lines = vec![Line::styled(
        escape_controls(&s.name).into_owned(),
        theme.header,
    )];
    let place: Vec<String> = [&s.region, &s.country]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .map(|p| escape_controls(p).into_owned())
        .collect();
    if !place.is_empty() {
        lines.push(Line::styled(place.join(", "), theme.muted));
    }
    if let Some(owner) = &s.owner {
        let glyph = s
            .owner_confidence
            .map_or(String::new(), |c| format!("{} ", c.glyph()));
        lines.push(field(
            "Owner",
            format!("{glyph}{}", escape_controls(party_name(ds, owner))),
        ));
    }
    for user in &s.users {
        lines.push(field(
            "User",
            format!(
                "{} {} ({})",
                user.confidence.glyph(),
                escape_controls(party_name(ds, &user.party)),
                user.confidence.as_str()
            ),
        ));
    }
    if let Some(project) = &s.project {
        lines.push(field("Project", escape_controls(project).into_owned()));
    }
    if let Some(status) = s.status {
        lines.push(field("Status", status.as_str().to_string()));
    }
    if let Some(power) = &s.power {
        lines.push(field("Planned", worded(power)));
    }
    if let Some(summary) = &s.summary {
        lines.push(Line::from(""));
        lines
            .extend(gigawatt_model::text::prose_lines(summary).map(|l| Line::from(l.into_owned())));
    }
    if !s.timeline.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("Timeline (after {} a plan)", ds.as_of),
            theme.header,
        ));
    }
    for entry in &s.timeline {
        let plan = entry.date.anchor().is_some_and(|d| d > ds.as_of);
        let mut parts = vec![entry.date.to_string()];
        if let Some(power) = &entry.power {
            parts.push(format!("{} MW", mw_text(power)));
        }
        if let Some(it) = &entry.it_power {
            parts.push(format!("IT {} MW", mw_text(it)));
        }
        if let Some(h100e) = &entry.h100e {
            parts.push(format!("{} H100e", h100e.compact()));
        }
        if let Some(capex) = &entry.capex {
            parts.push(format!("capex {}", capex.compact()));
        }
        if let Some(status) = &entry.status {
            parts.push(escape_controls(status).into_owned());
        }
        let line = format!("{} {}", if plan { "·" } else { "•" }, parts.join("  "));
        lines.push(Line::styled(
            if plan {
                format!("{line}  (plan)")
            } else {
                line
            },
            if plan {
                theme.muted
            } else {
                ratatui::style::Style::default()
            },
        ));
    }
    if let Some(cite) = ds.cite_text(s.cite()) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("Source  ", theme.muted),
            Span::raw(escape_controls(&cite).into_owned()),
        ]));
    }
    lines
}

/// A site's facility power over time, in MW: readings up to the data's
/// date as a line, dated plans after it as dots.
fn render_power(ctx: &TabContext, index: Option<usize>, area: Rect, buf: &mut Buffer) {
    let (view, theme) = (ctx.view, ctx.theme);
    let title = " Power, MW: ⣿ built · • planned ";
    let Some(site) = index.map(|i| &view.dataset.sites[i]) else {
        super::pane(title, theme.border, area, buf);
        return;
    };
    let (built, planned) = power_points(site, view.dataset.as_of);
    if built.is_empty() && planned.is_empty() {
        let inner = super::pane(title, theme.border, area, buf);
        Line::styled(" no dated power readings for this site", theme.muted).render(inner, buf);
        return;
    }
    let all = || built.iter().chain(&planned);
    let (first, last) = all().fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
        (lo.min(*x), hi.max(*x))
    });
    // One reading alone still needs an axis of some length.
    let (first, last) = if last > first {
        (first, last)
    } else {
        (first - 30.0, first + 30.0)
    };
    let top = all().map(|(_, y)| *y).fold(0.0, f64::max).max(1.0) * 1.1;
    let day = |x: f64| {
        NaiveDate::from_num_days_from_ce_opt(x.round() as i32)
            .map_or(String::new(), |d| d.format("%Y-%m").to_string())
    };
    // The plan's dots go on from the last reading, so the two read as one
    // story.
    let mut planned_from = planned.clone();
    if let Some(last_built) = built.last() {
        planned_from.insert(0, *last_built);
    }
    let mut series = vec![];
    if !built.is_empty() {
        let kind = if built.len() > 1 {
            GraphType::Line
        } else {
            GraphType::Scatter
        };
        series.push(
            Series::default()
                .marker(BUILT)
                .graph_type(kind)
                .style(theme.bar)
                .data(&built),
        );
    }
    if !planned.is_empty() {
        series.push(
            Series::default()
                .marker(PLANNED)
                .graph_type(GraphType::Scatter)
                .style(theme.bar_alt)
                .data(&planned_from),
        );
    }
    let chart = Chart::new(series)
        .block(
            ratatui::widgets::Block::default()
                .borders(ratatui::widgets::Borders::ALL)
                .border_style(theme.border)
                .title(title),
        )
        .x_axis(
            Axis::default()
                .bounds([first, last])
                .labels([day(first), day(last)])
                .style(theme.muted),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(["0".to_string(), format!("{:.0}", top)])
                .style(theme.muted),
        );
    chart.render(area, buf);
}

/// (day, MW) of each dated reading of facility power: those on or before
/// `as_of` (built), and those after it (planned).
type Points = Vec<(f64, f64)>;

fn power_points(site: &Site, as_of: NaiveDate) -> (Points, Points) {
    let mut built = vec![];
    let mut planned = vec![];
    for entry in &site.timeline {
        let (Some(day), Some(power)) = (entry.date.anchor(), entry.power.as_ref()) else {
            continue;
        };
        let point = (
            f64::from(chrono::Datelike::num_days_from_ce(&day)),
            power.value / 1e6,
        );
        if day <= as_of {
            built.push(point);
        } else {
            planned.push(point);
        }
    }
    built.sort_by(|a, b| a.0.total_cmp(&b.0));
    planned.sort_by(|a, b| a.0.total_cmp(&b.0));
    (built, planned)
}
