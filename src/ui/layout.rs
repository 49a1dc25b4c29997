//! Screen geometry, as pure functions of the terminal size. Rendering and
//! `update` (mouse clicks, page sizes) both read it, so they always agree.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

use gigawatt_model::text::width;

/// Below this, gigawatt shows a "terminal too small" notice instead.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameAreas {
    pub title: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
    pub status: Rect,
}

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

pub fn frame((w, h): (u16, u16)) -> FrameAreas {
    let area = Rect::new(0, 0, w, h);
    let [title, tabs, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    FrameAreas {
        title,
        tabs,
        body,
        footer,
        status,
    }
}

/// Tab labels at this width: full titles, or short ones on narrow screens.
/// `titles` are (full, short) pairs in screen order.
pub fn tab_labels(titles: &[(&str, &str)], width_available: u16) -> Vec<String> {
    let label = |i: usize, t: &str| format!(" {} {t} ", i + 1);
    let full: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, (t, _))| label(i, t))
        .collect();
    let needed: usize = full.iter().map(|l| width(l) + 1).sum();
    if needed <= usize::from(width_available) {
        return full;
    }
    let short: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, (_, t))| label(i, t))
        .collect();
    let needed: usize = short.iter().map(|l| width(l) + 1).sum();
    if needed <= usize::from(width_available) {
        return short;
    }
    // Narrower still: short titles without their padding, then their first
    // three letters, then the digits alone, so that every tab still shows
    // at the smallest width the frame takes.
    let tiers: [&Tier; 3] = [
        &|i, t| format!("{} {t}", i + 1),
        &|i, t| format!("{} {}", i + 1, t.chars().take(3).collect::<String>()),
        &|i, _| (i + 1).to_string(),
    ];
    let mut labels = Vec::new();
    for tier in tiers {
        labels = titles
            .iter()
            .enumerate()
            .map(|(i, (_, t))| tier(i, t))
            .collect();
        let needed: usize = labels.iter().map(|l| width(l) + 1).sum();
        if needed <= usize::from(width_available) {
            break;
        }
    }
    labels
}

/// One way of writing a tab's label from its position and short title.
type Tier = dyn Fn(usize, &str) -> String;

/// Which label (by position) is at column `x` of the tab bar.
pub fn tab_at(labels: &[String], tabs: Rect, x: u16) -> Option<usize> {
    let mut start = tabs.x;
    for (i, label) in labels.iter().enumerate() {
        let end = start + width(label) as u16;
        if x >= start && x < end {
            return Some(i);
        }
        start = end + 1; // the divider
    }
    None
}

fn split(direction: Direction, area: Rect, first: Constraint) -> (Rect, Rect) {
    let [a, b] = Layout::default()
        .direction(direction)
        .constraints([first, Constraint::Min(0)])
        .areas(area);
    (a, b)
}

fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// Wide screens put panes side by side.
pub fn is_wide(body: Rect) -> bool {
    body.width >= 110
}

/// Too short for a list and a second pane: the list gets it all, since a
/// pane with no room inside its borders says nothing.
fn is_short(body: Rect) -> bool {
    body.height < 14
}

/// The list takes the whole body; the other panes are empty.
fn list_only(body: Rect) -> (Rect, Rect) {
    (body, Rect { height: 0, ..body })
}

/// Height for a list of `rows` records plus `chrome` lines (borders,
/// header, total): no taller than it needs, no more than `share` percent.
fn list_height(body: Rect, rows: usize, chrome: u16, share: u16, min: u16) -> u16 {
    let wanted = u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .saturating_add(chrome);
    wanted
        .min(body.height * share / 100)
        .max(min)
        .min(body.height)
}

pub struct ProvidersAreas {
    pub list: Rect,
    pub detail: Rect,
    /// Share bars under the list, on screens with room for them.
    pub chart: Option<Rect>,
}

pub fn providers(body: Rect, rows: usize) -> ProvidersAreas {
    if is_wide(body) {
        let (left, detail) = split(Direction::Horizontal, body, Constraint::Percentage(60));
        let h = list_height(left, rows, 3, 60, 6);
        let (list, chart) = split(Direction::Vertical, left, Constraint::Length(h));
        ProvidersAreas {
            list,
            detail,
            chart: (chart.height >= 4).then_some(chart),
        }
    } else {
        let h = list_height(body, rows, 3, 45, 6);
        let (list, detail) = if is_short(body) {
            list_only(body)
        } else {
            split(Direction::Vertical, body, Constraint::Length(h))
        };
        ProvidersAreas {
            list,
            detail,
            chart: None,
        }
    }
}

pub struct CommitmentsAreas {
    pub list: Rect,
    pub chart: Rect,
    /// The selection's detail beside the chart, on wide screens.
    pub detail: Option<Rect>,
}

pub fn commitments(body: Rect, rows: usize) -> CommitmentsAreas {
    let h = list_height(body, rows, 4, 55, 7);
    let (list, bottom) = if is_short(body) {
        list_only(body)
    } else {
        split(Direction::Vertical, body, Constraint::Length(h))
    };
    if is_wide(body) {
        let (chart, detail) = split(Direction::Horizontal, bottom, Constraint::Percentage(50));
        CommitmentsAreas {
            list,
            chart,
            detail: Some(detail),
        }
    } else {
        CommitmentsAreas {
            list,
            chart: bottom,
            detail: None,
        }
    }
}

pub struct RampAreas {
    pub chart: Rect,
    pub scenario: Rect,
    pub timeline: Rect,
}

pub fn ramp(body: Rect, rows: usize) -> RampAreas {
    // The timeline takes what its rows need, up to 40%; the chart the rest.
    let timeline_h = list_height(body, rows, 3, 40, 5);
    // On short screens the timeline, the tab's list, keeps its rows: a list
    // whose selection cannot be seen is worse than a smaller chart.
    let top_h = body.height.saturating_sub(timeline_h);
    let (top, timeline) = split(Direction::Vertical, body, Constraint::Length(top_h));
    let scenario_w = if body.width >= 120 { 46 } else { 36 };
    // A chart narrower than this is only axis labels: the scenario takes it all.
    let chart_w = top.width.saturating_sub(scenario_w);
    let chart_w = if chart_w < 30 { 0 } else { chart_w };
    let (chart, scenario) = split(Direction::Horizontal, top, Constraint::Length(chart_w));
    RampAreas {
        chart,
        scenario,
        timeline,
    }
}

pub struct NotesAreas {
    pub list: Rect,
    pub detail: Rect,
    pub moves: Rect,
}

pub fn notes(body: Rect, rows: usize) -> NotesAreas {
    if is_wide(body) && !is_short(body) {
        // The list across the whole width, so headlines and every column
        // fit, as tall as its rows need; detail and moves side by side below.
        let h = list_height(body, rows, 3, 60, 6);
        let (list, bottom) = split(Direction::Vertical, body, Constraint::Length(h));
        let (detail, moves) = split(Direction::Horizontal, bottom, Constraint::Percentage(62));
        NotesAreas {
            list,
            detail,
            moves,
        }
    } else {
        let h = (body.height * 55 / 100).max(6);
        let (list, bottom) = if is_short(body) {
            list_only(body)
        } else {
            split(Direction::Vertical, body, Constraint::Length(h))
        };
        let (detail, moves) = split(Direction::Horizontal, bottom, Constraint::Percentage(62));
        NotesAreas {
            list,
            detail,
            moves,
        }
    }
}

/// The rows of a list drawn in `block`: inside the border, under the
/// header line, and above `footer_lines` lines (a total, say).
/// The Sites tab is laid out as Market notes: the list across, then the
/// detail beside the selected site's power chart (in `moves`).
pub fn sites(body: Rect, rows: usize) -> NotesAreas {
    notes(body, rows)
}

/// The Clusters tab: the list across, then the detail below it across the
/// whole width (a cluster has no chart). `(list, detail)`.
pub fn clusters(body: Rect, rows: usize) -> (Rect, Rect) {
    let areas = notes(body, rows);
    (areas.list, areas.detail.union(areas.moves))
}

pub fn list_rows(block: Rect, footer_lines: u16) -> Rect {
    let mut r = inner(block);
    r.y = r.y.saturating_add(1);
    r.height = r.height.saturating_sub(1 + footer_lines);
    r
}
