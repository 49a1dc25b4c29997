//! Capacity ramp: cumulative GW from `as_of` at the build rate, the target,
//! the milestones, a scenario panel the user can push around, and a
//! timeline of the commitments.

use chrono::{Days, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use crate::ui::layout;
use gigawatt_model::export::TableName;
use gigawatt_model::ledger::Ramp;
use gigawatt_model::text::{count, escape_controls, truncate, width};
use gigawatt_model::view::Table;

/// Capex per year, said to be a pace: where the plan is done within a
/// year, the figure is more than the whole plan costs, and it says so.
fn annualised(ramp: Option<&Ramp>) -> String {
    let Some(per_year) = ramp.and_then(|r| r.capex_per_year.as_ref()) else {
        return "—".into();
    };
    let weeks = ramp.and_then(weeks_of).unwrap_or(f64::INFINITY);
    if weeks < gigawatt_model::figure::Period::Year.weeks() {
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
    columns: gigawatt_model::view::COMMITMENT_COLUMNS,
    table: TableName::Commitments,
    rows: Table::Commitments,
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

/// Whose plan the tab shows: the plan's buyer (with every buyer in view,
/// the subject's plan, else the first), or the subject when there is none.
fn plan_buyer(view: &gigawatt_model::view::ViewData) -> String {
    let ds = &view.dataset;
    ds.capacity()
        .map(|c| c.buyer.clone())
        .or_else(|| ds.subject_id.clone())
        .unwrap_or_default()
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
    let capacity = ds.capacity();
    let target = capacity.and_then(|c| c.target.as_ref());
    let planned = target.is_some() && view.ramp.is_some();
    // The stack is one layer's: the title says which.
    let layer = view
        .contracted
        .layer
        .map_or("", gigawatt_model::data::Vocabulary::as_str);
    let title = match (
        view.contracted.bands.is_empty(),
        planned && area.width >= 50,
    ) {
        (true, _) => " Capacity ramp (GW) ".to_string(),
        (false, true) => format!(" Contracted {layer} GW by provider, against the plan "),
        (false, false) => format!(" Contracted {layer} GW by provider "),
    };
    let inner = super::pane(title.as_str(), theme.border, area, buf);
    if view.contracted.bands.is_empty() && !planned {
        render_no_chart(ctx, inner, buf);
        return;
    }
    let chart = Chart::new(ctx, inner);
    chart.render(ctx, inner, buf);
}

/// No plan to ramp and no dated power to stack: what there is, in words.
fn render_no_chart(ctx: &TabContext, inner: Rect, buf: &mut Buffer) {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let capacity = ds.capacity();
    let buyer_id = plan_buyer(view);
    let buyer = gigawatt_model::view::party_name(ds, &buyer_id);
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
            let figure = |f: Option<&gigawatt_model::figure::Figure>| {
                f.map_or("—".into(), |f| f.compact())
            };
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
    for layer in &view.plan_power {
        lines.push(Line::from(format!(
            " {} under contract: {}",
            layer_label(layer.layer),
            layer_against_target(layer, usize::MAX)
        )));
    }
    if !view.contracted.undated.is_empty() {
        lines.push(Line::styled(
            " no deal gives a start or online-by date: nothing to stack over time",
            theme.muted,
        ));
    }
    ratatui::widgets::Paragraph::new(lines)
        .wrap(ratatui::widgets::Wrap { trim: false })
        .render(inner, buf);
}

/// "Chips", "Hosting", "Grid": a layer as a row's label.
fn layer_label(layer: gigawatt_model::data::PowerLayer) -> String {
    let word = gigawatt_model::data::Vocabulary::as_str(layer);
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A layer's power under contract and its share of the target:
/// "~20.1 GW, ~67% of target", "~20.1 GW (~67%)" within `width`, or the
/// power alone without a target.
fn layer_against_target(layer: &gigawatt_model::ledger::LayerPower, width: usize) -> String {
    let power = layer.total.compact();
    match &layer.vs_target {
        Some(vs) if vs.figure().is_some() => {
            let long = format!("{power}, {} of target", vs.compact());
            if long.chars().count() <= width {
                long
            } else {
                format!("{power} ({})", vs.compact())
            }
        }
        _ => power,
    }
}

/// What the legend draws for each line and band.
pub const LEGEND_TARGET: &str = "╌";
pub const LEGEND_PLAN: &str = "⠔";
pub const LEGEND_SCENARIO: &str = "×";
pub const LEGEND_MILESTONE: &str = "◆";
/// Above the sure gigawatts: what the deals may be beyond them ("up to",
/// "at least", ranges).
pub const LEGEND_UNSURE: &str = "░";
/// The power running at the buyer's sites, over the stack: built, not
/// promised.
pub const LEGEND_RUNNING: &str = "•";
/// The set's as-of date, where it is later than the plan's.
pub const LEGEND_NOW: &str = "┊";
/// The stack's bands, the largest provider first, at the foot.
pub const STACK_GLYPHS: [&str; 7] = ["█", "▓", "▒", "▚", "▞", "▤", "▥"];
/// The band of every provider past the ones named.
pub const LEGEND_OTHERS: &str = "▦";

/// Most providers named in the stack; the rest are one "others" band.
const MAX_BANDS: usize = STACK_GLYPHS.len();

/// One legend entry: its glyph, its words and its style.
struct Entry {
    glyph: &'static str,
    text: String,
    style: Style,
    /// Left out first when the pane is tight: what the chart shows by
    /// itself, or a remark.
    optional: bool,
}

impl Entry {
    fn copy(&self) -> Entry {
        Entry {
            glyph: self.glyph,
            text: self.text.clone(),
            style: self.style,
            optional: self.optional,
        }
    }
}

/// The stacked chart of one frame: its scale, its bands and its legend.
struct Chart {
    start: NaiveDate,
    /// Days shown after `start`.
    x_max: f64,
    /// The most gigawatts to show: the target, or all that is sure, or
    /// the most it may be where that has an end.
    y_max: f64,
    target_gw: Option<f64>,
    /// The plan's and the scenario's days to target (when they ramp).
    plan_days: Option<f64>,
    /// Where the pace lines start: the power already online on the plan's
    /// day, which the weeks to target count from.
    start_gw: f64,
    scenario_days: Option<f64>,
    /// The power running at the buyer's sites, stepping: (days from the
    /// chart's start, GW), drawn over the stack.
    running: Vec<(f64, f64)>,
    /// How many bands are named; the rest are "others".
    named: usize,
    legend: Vec<Entry>,
    legend_rows: u16,
    milestone_rows: u16,
    /// Marks drawn only while the legend names them.
    marks_milestones: bool,
    marks_now: bool,
}

impl Chart {
    fn new(ctx: &TabContext, inner: Rect) -> Chart {
        let view = ctx.view;
        let ds = &view.dataset;
        let theme = ctx.theme;
        let capacity = ds.capacity();
        let contracted = &view.contracted;
        let start = match capacity {
            Some(plan) => gigawatt_model::ledger::plan_as_of(ds, plan),
            None => contracted
                .bands
                .iter()
                .flat_map(|b| &b.arrivals)
                .map(|a| a.from)
                .min()
                .map_or(ds.as_of, |first| first.min(ds.as_of)),
        };
        let target = capacity.and_then(|c| c.target.as_ref());
        let target_gw = target.map(|t| t.value / 1e9);
        let plan_days = view.ramp.as_ref().and_then(weeks_of).map(|w| w * 7.0);
        let scenario_days = ctx
            .scenario_ramp
            .filter(|_| ctx.scenario.is_changed())
            .and_then(weeks_of)
            .map(|w| w * 7.0);
        let deals_days = contracted
            .last_day()
            .map_or(0.0, |d| days_between(start, d));
        let now_days = days_between(start, ds.as_of);
        // Wide enough for the plan, the scenario, every deal's arrival, the
        // data's own date and the milestones near the plan (far-off ones
        // are listed below the chart instead of squeezing it flat); ten
        // years at most.
        let plan_reach = [plan_days, scenario_days]
            .into_iter()
            .flatten()
            .fold(28.0, f64::max);
        let milestones = capacity.map_or(&[][..], |c| &c.milestones[..]);
        let near = (plan_reach * 4.0).max(400.0);
        let far_milestone = milestones
            .iter()
            .map(|m| days_between(start, m.date.anchor().unwrap_or(start)))
            .filter(|d| *d <= near)
            .fold(0.0, f64::max);
        let reach = [plan_reach, deals_days, now_days, far_milestone]
            .into_iter()
            .fold(28.0, f64::max)
            .min(3652.0);
        let x_max = (reach * 1.05).ceil();
        let (sure, most) = contracted.totals();
        let running: Vec<(f64, f64)> = view.plan_sites[ctx.site_use.index()]
            .running
            .iter()
            .map(|&(day, watts)| (days_between(start, day).max(0.0), watts / 1e9))
            .filter(|&(days, _)| days <= x_max)
            .collect();
        let running_top = running.iter().map(|&(_, gw)| gw).fold(0.0, f64::max);
        let y_max = [target_gw.unwrap_or(0.0), sure, most, running_top]
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .max(0.1);

        // The legend, before the bands, which it may leave fewer named. On
        // a narrow pane the lines' words are short: the axis gives the
        // target's figure, and room goes to the providers' names.
        let narrow = inner.width < 60;
        let mut head = vec![];
        if let Some(t) = target {
            head.push(Entry {
                glyph: LEGEND_TARGET,
                text: if narrow {
                    "target".into()
                } else {
                    format!("target {}", t.compact())
                },
                style: theme.target,
                optional: false,
            });
        }
        if plan_days.is_some() {
            head.push(Entry {
                glyph: LEGEND_PLAN,
                text: if narrow { "plan" } else { "plan pace" }.into(),
                style: plan_style(theme),
                optional: false,
            });
        }
        if scenario_days.is_some() {
            head.push(Entry {
                glyph: LEGEND_SCENARIO,
                text: "scenario".into(),
                style: theme.scenario,
                optional: false,
            });
        }
        if !running.is_empty() {
            head.push(Entry {
                glyph: LEGEND_RUNNING,
                text: if narrow {
                    "running"
                } else {
                    "running at its sites"
                }
                .into(),
                style: theme.hedge,
                optional: false,
            });
        }
        let mut tail = vec![];
        if most > sure {
            let to = if most.is_finite() {
                format!("up to {}", gigawatt_model::figure::power(most * 1e9))
            } else {
                "no upper bound".to_string()
            };
            tail.push(Entry {
                glyph: LEGEND_UNSURE,
                text: if narrow {
                    "may be more".into()
                } else {
                    format!("may be more, {to}")
                },
                style: theme.muted,
                optional: false,
            });
        }
        let drawn_milestone = milestones.iter().any(|m| {
            let d = days_between(start, m.date.anchor().unwrap_or(start));
            (0.0..=x_max).contains(&d)
        });
        if drawn_milestone && plan_days.is_some() {
            tail.push(Entry {
                glyph: LEGEND_MILESTONE,
                text: "milestone".into(),
                style: theme.hedge,
                optional: true,
            });
        }
        if now_days > 0.0 && now_days <= x_max {
            tail.push(Entry {
                glyph: LEGEND_NOW,
                text: if narrow {
                    "data's date".into()
                } else {
                    format!("data as of {}", ds.as_of)
                },
                style: theme.muted,
                optional: true,
            });
        }
        if capacity.is_some() && plan_days.is_none() {
            tail.push(Entry {
                glyph: "",
                text: "the plan has no build rate to ramp".into(),
                style: theme.muted,
                optional: true,
            });
        } else if capacity.is_none() {
            tail.push(Entry {
                glyph: "",
                text: "no capacity plan: contracted power only".into(),
                style: theme.muted,
                optional: true,
            });
        }
        if contracted.bands.is_empty() && contracted.undated.is_empty() {
            tail.push(Entry {
                glyph: "",
                text: "no deal gives GW: nothing to stack".into(),
                style: theme.muted,
                optional: true,
            });
        }
        if !contracted.undated.is_empty() {
            let power = gigawatt_model::figure::Figure::sum(
                contracted
                    .undated
                    .iter()
                    .filter_map(|&i| ds.commitments.get(i)?.power()),
            )
            .map_or(String::new(), |p| format!("{} ", p.compact()));
            let mut names: Vec<&str> = contracted
                .undated
                .iter()
                .filter_map(|&i| ds.commitments.get(i))
                .map(|c| gigawatt_model::view::party_name(ds, &c.provider))
                .collect();
            names.dedup();
            tail.push(Entry {
                glyph: "",
                text: if narrow {
                    format!("{power}undated, not drawn")
                } else {
                    format!("not drawn, no dates: {power}({})", names.join(", "))
                },
                style: theme.muted,
                optional: false,
            });
        }

        // Bands with sure power get a glyph each, as many as the legend
        // leaves the graph room for; the rest are "others".
        let sure_bands = contracted.bands.iter().filter(|b| b.low > 0.0).count();
        let width = usize::from(inner.width);
        let graph_min = (inner.height / 2).max(5);
        let room = inner.height.saturating_sub(2 + graph_min);
        // "Others" is never one provider: a band left alone is named.
        let fits = |n: usize| n <= MAX_BANDS && n + 1 != sure_bands;
        // A tight pane first leaves out what the chart shows by itself (the
        // milestones' and the data's date's marks) and remarks, then names
        // fewer bands.
        let essential: Vec<Entry> = tail
            .iter()
            .filter(|e| !e.optional)
            .map(Entry::copy)
            .collect();
        let mut named = (0..=sure_bands).rev().find(|&n| fits(n)).unwrap_or(0);
        let legend = loop {
            let entries = legend_entries(ctx, named, &head, &tail);
            if legend_rows(&entries, width) <= room {
                break entries;
            }
            let entries = legend_entries(ctx, named, &head, &essential);
            let fewer = (1..named).rev().find(|&n| fits(n));
            match fewer {
                Some(n) if legend_rows(&entries, width) > room => named = n,
                _ => break entries,
            }
        };
        let legend_rows = legend_rows(&legend, width).min(room.max(1));
        let milestone_rows = u16::try_from(milestones.len())
            .unwrap_or(u16::MAX)
            .min(room.saturating_sub(legend_rows))
            .min(inner.height / 6);
        let names = |glyph: &str| legend.iter().any(|e| e.glyph == glyph);
        let (marks_milestones, marks_now) = (names(LEGEND_MILESTONE), names(LEGEND_NOW));
        Chart {
            start,
            x_max,
            y_max,
            target_gw,
            plan_days,
            start_gw: view.online_at_start.map_or(0.0, |o| o.watts / 1e9),
            scenario_days,
            running,
            named,
            legend,
            legend_rows,
            milestone_rows,
            marks_milestones,
            marks_now,
        }
    }

    fn render(&self, ctx: &TabContext, inner: Rect, buf: &mut Buffer) {
        let view = ctx.view;
        let theme = ctx.theme;
        let ds = &view.dataset;
        let graph_h = inner
            .height
            .saturating_sub(2 + self.legend_rows + self.milestone_rows);
        if graph_h < 2 || inner.width < 12 {
            return;
        }
        // The top: a tenth over the most to show, a round figure, and high
        // enough that the target's line is under the top row, so both are
        // labelled.
        let rows = f64::from(graph_h);
        let under_top = self
            .target_gw
            .map_or(0.0, |t| t * rows / (rows - 1.0) * 1.01);
        let y_top = round_up((self.y_max * 1.1).max(under_top));
        // The y axis: 0 at the foot, the target on its line, the top.
        let row_of = |gw: f64| -> u16 {
            let r = (gw / y_top * f64::from(graph_h)).floor();
            (r.max(0.0) as u16).min(graph_h - 1)
        };
        // The top is always labelled: it gives the scale.
        let top = graph_h - 1;
        let mut labels: Vec<(u16, String)> = vec![
            (0, "0".into()),
            (top, gigawatt_model::figure::number(y_top, 1)),
        ];
        if let Some(t) = self.target_gw.filter(|t| row_of(*t) != top) {
            labels.push((row_of(t), gigawatt_model::figure::number(t, 1)));
        }
        let label_w = labels.iter().map(|(_, l)| width(l)).max().unwrap_or(1) as u16;
        let graph = Rect {
            x: inner.x + label_w + 1,
            y: inner.y,
            width: inner.width.saturating_sub(label_w + 1),
            height: graph_h,
        };
        for (row, label) in &labels {
            let y = graph.y + graph_h - 1 - row;
            buf.set_string(
                inner.x,
                y,
                format!("{label:>w$}", w = usize::from(label_w)),
                theme.muted,
            );
        }
        for y in graph.y..graph.y + graph_h {
            buf.set_string(graph.x - 1, y, "│", theme.muted);
        }
        let axis_y = graph.y + graph_h;
        buf.set_string(graph.x - 1, axis_y, "└", theme.muted);
        buf.set_string(
            graph.x,
            axis_y,
            "─".repeat(usize::from(graph.width)),
            theme.muted,
        );

        // The day at each column's middle.
        let columns = usize::from(graph.width);
        let days: Vec<NaiveDate> = (0..columns)
            .map(|c| self.day_at((c as f64 + 0.5) / columns as f64 * self.x_max))
            .collect();
        let contracted = &view.contracted;
        let mut stack: Vec<Vec<f64>> = (0..self.named)
            .map(|b| contracted.low_series(std::iter::once(b), &days))
            .collect();
        if contracted.bands.len() > self.named {
            stack.push(contracted.low_series(self.named..contracted.bands.len(), &days));
        }
        let most = contracted.high_series(&days);
        let per_row = y_top / f64::from(graph_h);
        for (c, most) in most.iter().enumerate() {
            let x = graph.x + c as u16;
            for row in 0..graph_h {
                let value = (f64::from(row) + 0.5) * per_row;
                let mut below = 0.0;
                let mut cell = None;
                for (b, series) in stack.iter().enumerate() {
                    below += series[c];
                    if value < below {
                        cell = Some(band_look(b, self.named, theme));
                        break;
                    }
                }
                let cell = cell.or_else(|| (value < *most).then_some((LEGEND_UNSURE, theme.muted)));
                if let Some((glyph, style)) = cell {
                    buf.set_string(x, graph.y + graph_h - 1 - row, glyph, style);
                }
            }
        }

        // The data's own date, where it is later than the plan's.
        let now = days_between(self.start, ds.as_of);
        if self.marks_now && now > 0.0 && now <= self.x_max {
            let x = graph.x + self.column_of(now, columns);
            for y in graph.y..graph.y + graph_h {
                if buf[(x, y)].symbol() == " " {
                    buf.set_string(x, y, LEGEND_NOW, theme.muted);
                }
            }
        }
        if let Some(t) = self.target_gw {
            let y = graph.y + graph_h - 1 - row_of(t);
            buf.set_string(graph.x, y, LEGEND_TARGET.repeat(columns), theme.target);
        }
        // The plan's pace and the scenario's, as lines over the stack.
        let start = self.start_gw;
        let line = |days: f64| -> (f64, f64) {
            let target = self.target_gw.unwrap_or(0.0);
            if days <= self.x_max {
                (days, target)
            } else {
                (self.x_max, start + (target - start) * self.x_max / days)
            }
        };
        let plan_line = self.plan_days.map(line);
        let scenario_line = self.scenario_days.map(line);
        let color = |style: Style| style.fg.unwrap_or(ratatui::style::Color::Reset);
        let (plan_color, scenario_color) = (color(plan_style(theme)), color(theme.scenario));
        // The lines pass behind the stack: what shows of them is where the
        // plan is ahead of the contracts, and the stack is never cut.
        let mut lines = Buffer::empty(graph);
        ratatui::widgets::canvas::Canvas::default()
            .x_bounds([0.0, self.x_max])
            .y_bounds([0.0, y_top])
            .marker(Marker::Braille)
            .paint(|painter| {
                if let Some((x, y)) = plan_line {
                    painter.draw(&ratatui::widgets::canvas::Line::new(
                        0.0, start, x, y, plan_color,
                    ));
                }
                if let Some((x, y)) = scenario_line {
                    painter.marker(Marker::Custom('×'));
                    painter.draw(&ratatui::widgets::canvas::Line::new(
                        0.0,
                        start,
                        x,
                        y,
                        scenario_color,
                    ));
                }
            })
            .render(graph, &mut lines);
        let behind = |symbol: &str| {
            STACK_GLYPHS.contains(&symbol) || symbol == LEGEND_OTHERS || symbol == LEGEND_TARGET
        };
        for y in graph.y..graph.y + graph.height {
            for x in graph.x..graph.x + graph.width {
                let line = &lines[(x, y)];
                if line.symbol() != " " && !behind(buf[(x, y)].symbol()) {
                    buf[(x, y)] = line.clone();
                }
            }
        }
        // What runs, over the stack and the lines: a step at each date a
        // site's timeline gives, held to the chart's end.
        if !self.running.is_empty() {
            let style = theme.hedge;
            let mut steps = self.running.clone();
            if let Some(&(_, last)) = steps.last() {
                steps.push((self.x_max, last));
            }
            for pair in steps.windows(2) {
                let ((x0, gw), (x1, _)) = (pair[0], pair[1]);
                let row = graph.y + graph_h - 1 - row_of(gw);
                let col = |days: f64| {
                    let at = (days / self.x_max * f64::from(graph.width)).floor() as u16;
                    graph.x + at.min(graph.width.saturating_sub(1))
                };
                for x in col(x0)..=col(x1) {
                    buf.set_string(x, row, LEGEND_RUNNING, style);
                }
            }
        }

        // Milestones on the plan's line; the far ones are listed below.
        let capacity = ds.capacity();
        let milestones = capacity.map_or(&[][..], |c| &c.milestones[..]);
        if let (Some(plan_days), Some(target), true) =
            (self.plan_days, self.target_gw, self.marks_milestones)
        {
            for m in milestones {
                let d = days_between(self.start, m.date.anchor().unwrap_or(self.start));
                if (0.0..=self.x_max).contains(&d) {
                    let gw = if plan_days <= 0.0 {
                        target
                    } else {
                        (d / plan_days).min(1.0) * target
                    };
                    let x = graph.x + self.column_of(d, columns);
                    let y = graph.y + graph_h - 1 - row_of(gw);
                    buf.set_string(x, y, LEGEND_MILESTONE, theme.hedge);
                }
            }
        }

        // Dates under the axis: the plan's day, the middle, the end.
        let labels_y = axis_y + 1;
        let short = |d: NaiveDate| d.format("%b %Y").to_string();
        let end = self.day_at(self.x_max);
        buf.set_string(graph.x, labels_y, short(self.start), theme.muted);
        let end_label = short(end);
        let end_x = graph.x + graph.width.saturating_sub(width(&end_label) as u16);
        if graph.width >= 40 {
            let mid = short(self.day_at(self.x_max / 2.0));
            let mid_x = graph.x + graph.width / 2 - width(&mid) as u16 / 2;
            buf.set_string(mid_x, labels_y, mid, theme.muted);
        }
        if graph.width >= 20 {
            buf.set_string(end_x, labels_y, end_label, theme.muted);
        }

        // The legend, entry after entry, wrapped to the pane's width.
        let mut y = labels_y + 1;
        for line in legend_lines(&self.legend, usize::from(inner.width))
            .into_iter()
            .take(usize::from(self.legend_rows))
        {
            line.render(Rect::new(inner.x, y, inner.width, 1), buf);
            y += 1;
        }
        for m in milestones.iter().take(usize::from(self.milestone_rows)) {
            let off = days_between(self.start, m.date.anchor().unwrap_or(self.start)) > self.x_max;
            let marker = if off { "→" } else { LEGEND_MILESTONE };
            let text = format!(
                "{marker} {} {}{}",
                m.date,
                escape_controls(&m.label),
                if off { " (off chart)" } else { "" }
            );
            Line::from(Span::styled(
                truncate(&text, usize::from(inner.width)).into_owned(),
                theme.muted,
            ))
            .render(Rect::new(inner.x, y, inner.width, 1), buf);
            y += 1;
        }
    }

    fn day_at(&self, days: f64) -> NaiveDate {
        self.start
            .checked_add_days(Days::new(days.max(0.0) as u64))
            .unwrap_or(self.start)
    }

    fn column_of(&self, days: f64, columns: usize) -> u16 {
        let c = (days / self.x_max * columns as f64).floor().max(0.0) as usize;
        u16::try_from(c.min(columns.saturating_sub(1))).unwrap_or(0)
    }
}

/// `v` rounded up to two significant digits: 33.6 → 34, 1.08 → 1.1.
fn round_up(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let step = 10f64.powf(v.log10().floor() - 1.0);
    (v / step - 1e-9).ceil() * step
}

/// The plan's pace line: bold, apart from the bands' colours.
fn plan_style(theme: &crate::ui::theme::Theme) -> Style {
    theme
        .header
        .remove_modifier(ratatui::style::Modifier::UNDERLINED)
}

/// A band's glyph and style: its own glyph while named, then "others".
fn band_look(band: usize, named: usize, theme: &crate::ui::theme::Theme) -> (&'static str, Style) {
    let style = if band.is_multiple_of(2) {
        theme.bar
    } else {
        theme.bar_alt
    };
    if band < named {
        (STACK_GLYPHS[band % STACK_GLYPHS.len()], style)
    } else {
        (LEGEND_OTHERS, theme.bar_alt)
    }
}

/// The legend's entries with `named` bands named: the lines first, then a
/// band per provider (its power once every deal is in), "others", then
/// the rest.
fn legend_entries(ctx: &TabContext, named: usize, head: &[Entry], tail: &[Entry]) -> Vec<Entry> {
    let view = ctx.view;
    let ds = &view.dataset;
    let bands = &view.contracted.bands;
    let mut entries: Vec<Entry> = head.iter().map(Entry::copy).collect();
    for (b, band) in bands.iter().enumerate().take(named) {
        let (glyph, style) = band_look(b, named, ctx.theme);
        let power = band
            .figure()
            .map_or(String::new(), |f| format!(" {}", f.compact()));
        entries.push(Entry {
            glyph,
            text: format!(
                "{}{power}",
                escape_controls(gigawatt_model::view::party_name(ds, &band.provider))
            ),
            style,
            optional: false,
        });
    }
    // Past the named, the bands with sure power: those with none are only
    // in "may be more".
    let rest: Vec<&gigawatt_model::ledger::Band> =
        bands.iter().skip(named).filter(|b| b.low > 0.0).collect();
    if !rest.is_empty() {
        let low: f64 = rest.iter().map(|b| b.low).sum();
        entries.push(Entry {
            glyph: LEGEND_OTHERS,
            text: format!(
                "{} others {}",
                rest.len(),
                gigawatt_model::figure::power(low * 1e9)
            ),
            style: ctx.theme.bar_alt,
            optional: false,
        });
    }
    entries.extend(tail.iter().map(Entry::copy));
    entries
}

/// The legend as lines of at most `width` cells, entries kept whole where
/// they fit, two spaces apart.
fn legend_lines(entries: &[Entry], width_cells: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = vec![];
    let mut spans: Vec<Span<'static>> = vec![];
    let mut used = 0;
    for e in entries {
        let text = if e.glyph.is_empty() {
            e.text.clone()
        } else {
            format!("{} {}", e.glyph, e.text)
        };
        let text = truncate(&text, width_cells.saturating_sub(1)).into_owned();
        let w = width(&text) + 2;
        if used > 0 && used + w > width_cells {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        spans.push(Span::raw(" "));
        if e.glyph.is_empty() {
            spans.push(Span::styled(text, e.style));
        } else {
            match text.strip_prefix(e.glyph) {
                Some(words) => {
                    spans.push(Span::styled(e.glyph, e.style));
                    spans.push(Span::raw(words.to_string()));
                }
                None => spans.push(Span::styled(text, e.style)),
            }
        }
        spans.push(Span::raw(" "));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn legend_rows(entries: &[Entry], width_cells: usize) -> u16 {
    u16::try_from(legend_lines(entries, width_cells).len()).unwrap_or(u16::MAX)
}

fn render_scenario(ctx: &TabContext, area: Rect, buf: &mut Buffer) {
    let view = ctx.view;
    let theme = ctx.theme;
    let changed = ctx.scenario.is_changed();
    // Several buyers: whose plan it is comes first; it names the scenario.
    let whose = (view.buyers.len() > 1)
        .then(|| view.dataset.capacity())
        .flatten()
        .map(|c| gigawatt_model::view::party_name(&view.dataset, &c.buyer).to_string());
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
    let Some(gigawatt_model::ledger::scenario::ScenarioInputs { target, rate, cost }) =
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
    // What a row's value has after its label (and the space before it).
    let value_w = usize::from(inner.width).saturating_sub(label_w + 1);
    let row = |label: &str, value: String, hint: &str| -> Line<'static> {
        Line::from(vec![
            Span::styled(format!(" {label:<label_w$}"), theme.muted),
            Span::styled(value, theme.hedge),
            Span::styled(format!(" {hint}"), theme.key),
        ])
    };
    let derived = |pick: fn(&Ramp) -> Option<&gigawatt_model::ledger::Derived>| {
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
        row("Committed", view.plan_total.compact(), ""),
    ];
    // The buyer's other plans, each with where it comes from: two files
    // that give one buyer different plans are a dispute, not a choice made
    // silently.
    let plan_buyer_id = plan_buyer(view);
    let others: Vec<String> = view
        .dataset
        .capacities
        .iter()
        .filter(|p| p.buyer == plan_buyer_id)
        .skip(1)
        .map(|p| {
            let target = p
                .target
                .as_ref()
                .map_or("no target".into(), |t| t.compact());
            let by = p.by.map_or(String::new(), |d| {
                let d = d.to_string();
                if d.starts_with("by ") {
                    format!(" {d}")
                } else {
                    format!(" by {d}")
                }
            });
            let file = view.dataset.files.get(p.file).map_or(String::new(), |f| {
                let name = std::path::Path::new(&f.name)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(&f.name);
                format!(" ({})", escape_controls(name))
            });
            // Where it comes from, where there is room for it whole.
            let whole = format!("{target}{by}{file}");
            if width(&whole) <= value_w {
                whole
            } else {
                format!("{target}{by}")
            }
        })
        .collect();
    for (k, other) in others.iter().enumerate() {
        lines.insert(3 + k, row("± Also plan", other.clone(), ""));
    }
    let layers_at = 3 + others.len();
    // One row per layer, each against the target: chips, the halls that
    // hold them and the grid that feeds them are the same watts.
    for (k, layer) in view.plan_power.iter().enumerate() {
        lines.insert(
            layers_at + k,
            row(
                &layer_label(layer.layer),
                layer_against_target(layer, value_w),
                "",
            ),
        );
    }
    // Beside the promise, what runs: the hosting under contract not yet
    // running under the layers (the figure the ramp exists to show), then,
    // after the weeks to target, what runs at the buyer's sites and what
    // it says it runs. On a short screen the tail gives way first.
    let mut after_layers = layers_at + view.plan_power.len();
    let sites = &view.plan_sites[ctx.site_use.index()];
    if let Some(d) = &sites.not_built {
        lines.insert(
            after_layers.min(lines.len()),
            row("Not built", d.compact(), ""),
        );
        after_layers += 1;
    }
    // Weeks and Reached follow the inserted rows.
    let mut after_reached = after_layers + 2;
    // "Running ●" counts the sites the buyer uses with confidence;
    // "Running ●◐○" (`u`) every site it may use.
    let running = format!("Running {}", ctx.site_use.glyphs());
    for (label, figure) in [
        (running.as_str(), sites.built.as_ref()),
        ("It says", view.plan_stated.as_ref()),
    ] {
        let Some(d) = figure else { continue };
        let text = match (label == running, d.covers) {
            (true, Some((n, _))) => format!("{} at {}", d.compact(), count(n, "site", "sites")),
            _ => d.compact(),
        };
        lines.insert(after_reached.min(lines.len()), row(label, text, ""));
        after_reached += 1;
    }
    if let Some(d) = &view.plan_vs_revenue {
        lines.insert(
            after_reached.min(lines.len()),
            row("÷ revenue", d.compact(), ""),
        );
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

use gigawatt_model::view::TimelineSpan as Span3;

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
