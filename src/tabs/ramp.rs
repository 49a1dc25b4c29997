//! Capacity ramp: cumulative GW from `as_of` at the build rate, the target,
//! the milestones, a scenario panel the user can push around, and a
//! timeline of the commitments.

use chrono::{Days, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use super::{TabContext, TabSpec};
use crate::derive::Ramp;
use crate::export::TableName;
use crate::keymap::Scope;
use crate::layout;
use crate::text::{escape_controls, truncate, width};

/// Capex per year, said to be a pace: where the plan is done within a
/// year, the figure is more than the whole plan costs, and it says so.
fn annualised(ramp: Option<&Ramp>) -> String {
    let Some(per_year) = ramp.and_then(|r| r.capex_per_year.as_ref()) else {
        return "—".into();
    };
    let weeks = ramp.and_then(weeks_of).unwrap_or(f64::INFINITY);
    if weeks < crate::figure::Period::Year.weeks() {
        format!("{} (>plan)", per_year.compact().trim_end_matches("/yr"))
    } else {
        per_year.compact()
    }
}

/// The ramp's list is the timeline of commitments: it shares their
/// detail, citation and export.
pub const SPEC: TabSpec = TabSpec {
    title: "Capacity ramp",
    short: "Ramp",
    scopes: &[Scope::Global, Scope::List, Scope::Ramp],
    columns: crate::view::COMMITMENT_COLUMNS,
    table: TableName::Commitments,
    rows: |view| &view.commitments,
    hidden: |view| &view.commitment_hidden,
    list_rows,
    render,
    detail: super::commitments::detail_lines,
    cite: super::commitments::cite,
    copy_text: super::commitments::copy_text,
};

fn list_rows(body: Rect, rows: usize) -> Rect {
    layout::list_rows(layout::ramp(body, rows).timeline, 0)
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let areas = layout::ramp(body, ctx.list.order.len());
    render_chart(ctx, areas.chart, buf);
    render_scenario(ctx, areas.scenario, buf);
    render_timeline(ctx, areas.timeline, buf);
}

fn weeks_of(ramp: &Ramp) -> Option<f64> {
    ramp.weeks_to_target.figure().map(|f| f.value)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64
}

fn render_chart(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    if area.width == 0 || area.height < 3 {
        return;
    }
    let theme = ctx.theme;
    let ds = &view.dataset;
    let inner = super::pane(" Cumulative capacity (GW) ", theme.border, area, buf);
    let capacity = ds.capacity();
    let target = capacity.and_then(|c| c.target.as_ref());
    let (Some(target), Some(file_ramp)) = (target, view.ramp.as_ref()) else {
        let buyer = crate::view::party_name(ds, ds.subject_id.as_deref().unwrap_or(""));
        let mut lines = vec![];
        match capacity {
            None if view.buyers.len() > 1 => lines.push(Line::styled(
                format!(" {buyer} has no capacity plan in this file (b: the next buyer)"),
                theme.muted,
            )),
            None => lines.push(Line::styled(
                " this file has no [capacity] block to ramp",
                theme.muted,
            )),
            Some(plan) => {
                let figure =
                    |f: Option<&crate::figure::Figure>| f.map_or("—".into(), |f| f.compact());
                lines.push(Line::from(format!(
                    " Plan: {} by {}",
                    figure(plan.target.as_ref()),
                    plan.by.map_or("—".into(), |d| d.to_string())
                )));
                lines.push(Line::styled(
                    " no build rate in the plan: nothing to ramp",
                    theme.muted,
                ));
            }
        }
        let buyer_id = ds.subject_id.clone().unwrap_or_default();
        if let Some(power) = view
            .flows
            .buyers
            .iter()
            .position(|b| *b == buyer_id)
            .and_then(|r| view.flows.row_power.get(r))
            .and_then(|d| d.figure())
        {
            lines.push(Line::from(format!(" Contracted: {}", power.compact())));
        }
        ratatui::widgets::Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(inner, buf);
        return;
    };
    let target_gw = target.value / 1e9;
    let as_of = ds.as_of;
    let milestones = capacity.map_or(&[][..], |c| &c.milestones[..]);

    // The x range shows the ramp and the milestones near it; far-off ones
    // are listed below the chart instead of squeezing the ramp flat.
    let file_days = weeks_of(file_ramp).unwrap_or(0.0) * 7.0;
    let scenario_days = ctx
        .scenario_ramp
        .and_then(weeks_of)
        .map_or(0.0, |w| w * 7.0);
    let reach = file_days.max(scenario_days).max(28.0);
    let limit = (reach * 4.0).max(400.0);
    let far_milestone = milestones
        .iter()
        .map(|m| days_between(as_of, m.date.anchor().unwrap_or(as_of)))
        .filter(|d| *d > 0.0 && *d <= limit)
        .fold(0.0, f64::max);
    let x_max = (reach.max(far_milestone) * 1.08).ceil();

    let ramp_points =
        |days: f64| -> Vec<(f64, f64)> { vec![(0.0, 0.0), (days.min(x_max), target_gw)] };
    let file_line = ramp_points(file_days);
    let scenario_line = ramp_points(scenario_days);
    let target_line = vec![(0.0, target_gw), (x_max, target_gw)];
    // The power under contract, stepping up as each deal is surely started
    // (its hedged start's latest day; "from 2026" counts from its first).
    let contracted = contracted_steps(ctx, as_of, x_max);
    let gw_at = |days: f64| {
        if file_days <= 0.0 {
            target_gw
        } else {
            (days / file_days).min(1.0) * target_gw
        }
    };
    let milestone_points: Vec<(f64, f64)> = milestones
        .iter()
        .map(|m| days_between(as_of, m.date.anchor().unwrap_or(as_of)))
        .filter(|d| (0.0..=x_max).contains(d))
        .map(|d| (d, gw_at(d)))
        .collect();

    let listed = milestones
        .len()
        .min(usize::from(inner.height.saturating_sub(6) / 2).max(1));
    let chart_h = inner.height.saturating_sub(listed as u16);
    let chart_area = Rect {
        height: chart_h,
        ..inner
    };
    // Each line has its own glyph, named in the legend: without colour
    // (NO_COLOR) plan, scenario and target are still told apart.
    let mut datasets = vec![
        Dataset::default()
            .name(format!("{} target {}", LEGEND_TARGET, target.compact()))
            .marker(Marker::Custom('╌'))
            .graph_type(GraphType::Line)
            .style(theme.target)
            .data(&target_line),
        Dataset::default()
            .name(format!("{LEGEND_PLAN} plan pace"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.bar)
            .data(&file_line),
    ];
    if ctx.scenario.is_changed() && scenario_days > 0.0 {
        datasets.push(
            Dataset::default()
                .name(format!("{LEGEND_SCENARIO} scenario"))
                .marker(Marker::Custom('×'))
                .graph_type(GraphType::Line)
                .style(theme.scenario)
                .data(&scenario_line),
        );
    }
    if contracted.len() > 1 {
        datasets.push(
            Dataset::default()
                .name(format!("{LEGEND_CONTRACTED} contracted (by latest start)"))
                .marker(Marker::Custom('▪'))
                .graph_type(GraphType::Line)
                .style(theme.hedge)
                .data(&contracted),
        );
    }
    if !milestone_points.is_empty() {
        datasets.push(
            Dataset::default()
                .name(format!("{LEGEND_MILESTONE} milestone"))
                .marker(Marker::Custom('◆'))
                .graph_type(GraphType::Scatter)
                .style(theme.hedge)
                .data(&milestone_points),
        );
    }
    let end = as_of
        .checked_add_days(Days::new(x_max as u64))
        .unwrap_or(as_of);
    let mid = as_of
        .checked_add_days(Days::new((x_max / 2.0) as u64))
        .unwrap_or(as_of);
    let short = |d: NaiveDate| d.format("%b %Y").to_string();
    let x_labels = if chart_area.width >= 40 {
        vec![short(as_of), short(mid), short(end)]
    } else {
        vec![short(as_of), short(end)]
    };
    let y_labels = vec![
        "0".to_string(),
        crate::figure::number(target_gw / 2.0, 1),
        crate::figure::number(target_gw, 1),
    ];
    Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, x_max])
                .labels(x_labels)
                .style(theme.muted),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, target_gw * 1.1])
                .labels(y_labels)
                .style(theme.muted),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::BottomRight))
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Percentage(60),
            ratatui::layout::Constraint::Percentage(60),
        ))
        .render(chart_area, buf);

    for (i, m) in milestones.iter().take(listed).enumerate() {
        let off = days_between(as_of, m.date.anchor().unwrap_or(as_of)) > x_max;
        let marker = if off { "→" } else { LEGEND_MILESTONE };
        let text = format!(
            "{marker} {} {}{}",
            m.date,
            escape_controls(&m.label),
            if off { " (off chart)" } else { "" }
        );
        let y = chart_area.y + chart_h + i as u16;
        Line::from(Span::styled(
            truncate(&text, usize::from(inner.width)).into_owned(),
            theme.muted,
        ))
        .render(Rect::new(inner.x, y, inner.width, 1), buf);
    }
}

/// What the legend draws for each line.
pub const LEGEND_TARGET: &str = "╌";
pub const LEGEND_PLAN: &str = "⠔";
pub const LEGEND_SCENARIO: &str = "×";
pub const LEGEND_CONTRACTED: &str = "▪";
pub const LEGEND_MILESTONE: &str = "◆";

/// Cumulative contracted GW over the chart's days: a step at each deal's
/// start (the latest day its hedged start allows, else its earliest, else
/// its online-by date), deals that count only.
fn contracted_steps(ctx: &TabContext, as_of: NaiveDate, x_max: f64) -> Vec<(f64, f64)> {
    let ds = &ctx.view.dataset;
    // The plan's buyer's deals: with every buyer in view, the plan shown
    // is the subject's.
    let Some(buyer) = ds.capacity().map(|c| c.buyer.as_str()) else {
        return vec![];
    };
    let mut steps: Vec<(f64, f64)> = ds
        .commitments
        .iter()
        .enumerate()
        .filter(|(i, c)| ctx.view.counts.get(*i).copied().unwrap_or(false) && c.buyer == buyer)
        .filter_map(|(_, c)| {
            let gw = c.power.as_ref()?.interval.low / 1e9;
            let when = c.starts.or(c.online_by)?;
            let day = when.latest.or(when.earliest)?;
            Some((days_between(as_of, day).max(0.0), gw))
        })
        .collect();
    if steps.is_empty() {
        return vec![];
    }
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut points = vec![(0.0, 0.0)];
    let mut total = 0.0;
    for (day, gw) in steps {
        let day = day.min(x_max);
        points.push((day, total));
        total += gw;
        points.push((day, total));
    }
    points.push((x_max, total));
    points
}

fn render_scenario(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let theme = ctx.theme;
    let changed = ctx.scenario.is_changed();
    // Several buyers: whose plan it is comes first; it names the scenario.
    let whose = (view.buyers.len() > 1)
        .then(|| view.dataset.capacity())
        .flatten()
        .map(|c| crate::view::party_name(&view.dataset, &c.buyer).to_string());
    let title = match (whose, changed) {
        (Some(who), true) => format!(" {who}'s plan (adjusted; r resets) "),
        (Some(who), false) => format!(" {who}'s plan (file's figures) "),
        (None, true) => " Scenario (adjusted; r resets) ".to_string(),
        (None, false) => " Scenario (file's figures) ".to_string(),
    };
    let border = if changed {
        theme.scenario
    } else {
        theme.border
    };
    let inner = super::pane(title, border, area, buf);
    let Some(crate::scenario::ScenarioInputs { target, rate, cost }) =
        ctx.scenario.inputs(&view.dataset)
    else {
        ratatui::widgets::Paragraph::new(Line::styled(
            " no target and build rate: +/- have nothing to step",
            theme.muted,
        ))
        .wrap(ratatui::widgets::Wrap { trim: false })
        .render(inner, buf);
        return;
    };
    let ramp = ctx.scenario_ramp;
    let label_w = 13usize;
    let row = |label: &str, value: String, hint: &str| -> Line<'static> {
        Line::from(vec![
            Span::styled(format!(" {label:<label_w$}"), theme.muted),
            Span::styled(value, theme.hedge),
            Span::styled(format!(" {hint}"), theme.key),
        ])
    };
    let derived = |pick: fn(&Ramp) -> Option<&crate::derive::Derived>| {
        ramp.and_then(pick).map_or("—".to_string(), |d| d.compact())
    };
    let capex_note = view
        .implied_cost_per_gw
        .as_ref()
        .map(|d| d.compact().trim_end_matches("/GW").to_string());
    let plan_cost = view
        .dataset
        .capacity()
        .and_then(|c| c.target_cost.as_ref())
        .map_or(String::new(), |c| format!(" for {}", c.compact()));
    // Most telling first: on short screens the tail is what gives way.
    let mut lines = vec![
        row("Pace", rate.compact(), "+/-"),
        row(
            "Cost per GW",
            cost.as_ref().map_or("—".into(), |c| c.compact()),
            "[/]",
        ),
        row("Target", format!("{}{plan_cost}", target.compact()), ""),
        row("Weeks", derived(|r| Some(&r.weeks_to_target)), ""),
        // Hedged as the weeks are: one rule for every derived figure.
        row("Reached", derived(|r| Some(&r.date_to_target)), ""),
        row("Capex", derived(|r| r.target_capex.as_ref()), ""),
        row(
            "vs committed",
            derived(|r| r.capex_vs_committed.as_ref()),
            "",
        ),
        row("Per week", derived(|r| r.capex_per_week.as_ref()), ""),
        row("Annualised", annualised(ramp), ""),
        row("Committed", view.total.compact(), ""),
    ];
    let buyer = view.dataset.subject_id.clone().unwrap_or_default();
    if let Some(power) = ctx
        .view
        .flows
        .buyers
        .iter()
        .position(|b| *b == buyer)
        .and_then(|r| ctx.view.flows.row_power.get(r))
        .and_then(|d| d.figure())
    {
        let gap = crate::figure::Figure::from_interval(
            crate::figure::Interval::new(
                (target.interval.low - power.interval.high).max(0.0),
                (target.interval.high - power.interval.low).max(0.0),
            )
            .unwrap_or(crate::figure::Interval::point(0.0)),
            target.approx || power.approx,
            crate::figure::Unit::Power,
        )
        .map_or("—".to_string(), |g| g.compact());
        lines.insert(
            3,
            row("Contracted", format!("{} (gap {gap})", power.compact()), ""),
        );
    }
    if let Some(d) = crate::derive::committed_vs_revenue(&view.dataset, &buyer) {
        lines.insert(4.min(lines.len()), row("÷ revenue", d.compact(), ""));
    }
    if let Some(per_gw) = capex_note {
        lines.push(row("Plan per GW", per_gw, ""));
    }
    lines.push(Line::styled(
        " derived by gigawatt, not reported",
        theme.muted,
    ));
    if inner.height < 3 {
        // Too short for the table: the plan and its outcome in one line each.
        lines = vec![
            Line::from(vec![
                Span::styled(format!(" {}{plan_cost} at ", target.compact()), theme.hedge),
                Span::styled(rate.compact(), theme.hedge),
                Span::styled(" +/-", theme.key),
            ]),
            Line::styled(
                format!(
                    " → {}, capex {}",
                    derived(|r| Some(&r.date_to_target)),
                    derived(|r| r.target_capex.as_ref())
                ),
                theme.hedge,
            ),
        ];
    }
    for (i, line) in lines
        .into_iter()
        .take(usize::from(inner.height))
        .enumerate()
    {
        line.render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
    }
}

use crate::view::TimelineSpan as Span3;

/// Bars from announced to online-by, then on to the end of the term.
fn render_timeline(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let theme = ctx.theme;
    let ds = &view.dataset;
    let state = ctx.list;
    let inner = super::pane(
        " Timeline: █ announced → online by ─ rest of term ▒ term, no online-by date ",
        theme.border_focus,
        area,
        buf,
    );
    if inner.height < 2 || inner.width < 30 {
        return;
    }
    // Spans are computed once per load (ViewData::timeline), not per frame.
    let spans: Vec<(usize, Option<Span3>)> =
        state.order.iter().map(|&i| (i, view.timeline[i])).collect();
    let first = spans
        .iter()
        .filter_map(|(_, s)| s.map(|s| s.0))
        .chain([ds.as_of])
        .min()
        .unwrap_or(ds.as_of);
    let last = spans
        .iter()
        .filter_map(|(_, s)| s.map(|s| s.2))
        .max()
        .unwrap_or(ds.as_of)
        .max(first + Days::new(30));
    let name_w: u16 = (inner.width / 4).clamp(12, 24);
    let bar_w = inner.width.saturating_sub(name_w + 2);
    let x_of = |d: NaiveDate| -> usize {
        let frac = days_between(first, d) / days_between(first, last).max(1.0);
        ((frac * f64::from(bar_w.saturating_sub(1))).round() as usize)
            .min(usize::from(bar_w.saturating_sub(1)))
    };
    // Axis: first and last year, and the as-of date.
    let mut axis = vec![' '; usize::from(bar_w)];
    let put = |axis: &mut Vec<char>, at: usize, text: &str| {
        for (k, ch) in text.chars().enumerate() {
            if let Some(slot) = axis.get_mut(at + k) {
                *slot = ch;
            }
        }
    };
    put(&mut axis, 0, &first.to_string());
    let last_label = last.to_string();
    put(
        &mut axis,
        usize::from(bar_w).saturating_sub(last_label.len()),
        &last_label,
    );
    Line::from(vec![
        Span::styled(
            format!("{:<w$}  ", "", w = usize::from(name_w)),
            theme.muted,
        ),
        Span::styled(axis.into_iter().collect::<String>(), theme.muted),
    ])
    .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);

    let rows = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    for (line_no, (position, (record, span))) in spans
        .iter()
        .enumerate()
        .skip(state.offset)
        .take(usize::from(rows.height))
        .enumerate()
    {
        let c = &ds.commitments[*record];
        let name = ds
            .provider(&c.provider)
            .map_or(c.provider.as_str(), |p| p.name.as_str());
        let name = escape_controls(name);
        let is_match = state.is_match(position);
        let mut out = vec![Span::styled(
            format!(
                "{}{:<w$} ",
                if is_match { "›" } else { " " },
                truncate(&name, usize::from(name_w) - 1),
                w = usize::from(name_w) - 1
            ),
            if is_match {
                theme.matched
            } else {
                Style::default()
            },
        )];
        match span {
            Some((start, solid_end, end)) => {
                let (a, b, e) = (x_of(*start), x_of(*solid_end), x_of(*end));
                // █ is reserved for announced → online by; a term with no
                // online-by date is drawn in its own glyph.
                let glyph = if c.online_by.is_some() { "█" } else { "▒" };
                out.push(Span::raw(" ".repeat(a)));
                out.push(Span::styled(
                    glyph.repeat(b.saturating_sub(a).max(1)),
                    theme.bar,
                ));
                if e > b {
                    out.push(Span::styled("─".repeat(e - b), theme.bar_alt));
                }
                let label = format!(" {}", solid_end.format("%Y-%m"));
                if width(&label) + e.max(b) < usize::from(bar_w) {
                    out.push(Span::styled(label, theme.muted));
                }
            }
            None => {
                // One known date is a point on the axis, not a bar.
                let known = c
                    .announced
                    .or(c.online_by)
                    .and_then(|d| d.anchor())
                    .filter(|d| *d >= first && *d <= last);
                let text = match (c.announced, c.online_by) {
                    (None, None) => "no dates disclosed",
                    (Some(_), None) => "announced; no online-by date or term",
                    _ => "online by; announcement undated",
                };
                if let Some(d) = known {
                    let at = x_of(d);
                    out.push(Span::raw(" ".repeat(at)));
                    out.push(Span::styled("◆", theme.bar));
                    if at + 2 + width(text) < usize::from(bar_w) {
                        out.push(Span::styled(format!(" {text}"), theme.muted));
                    }
                } else {
                    out.push(Span::styled(text, theme.muted));
                }
            }
        }
        let row_area = Rect::new(rows.x, rows.y + line_no as u16, rows.width, 1);
        Line::from(out).render(row_area, buf);
        // Only the name is reversed: a reversed bar would read as a gap.
        if position == state.selected {
            buf.set_style(
                Rect {
                    width: name_w,
                    ..row_area
                },
                theme.selected,
            );
        }
    }
}
