//! Clusters: the compute clusters of a cluster table (Epoch AI's GPU
//! Clusters), one row each, with their status and certainty in the table's
//! own words, H100 equivalents, power and chips.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::table::{ListView, title};
use super::{TabContext, TabSpec};
use crate::app::keymap::Scope;
use crate::ui::layout;
use gigawatt_model::data::{Cite, Dataset};
use gigawatt_model::export::TableName;
use gigawatt_model::text::escape_controls;
use gigawatt_model::view::{CLUSTER_COLUMNS, Table, ViewData, mw_text, party_name, worded};

pub const SPEC: TabSpec = TabSpec {
    title: "Clusters",
    short: "GPUs",
    scopes: &[Scope::Global, Scope::List, Scope::Table],
    columns: CLUSTER_COLUMNS,
    table: TableName::Clusters,
    rows: Table::Clusters,
    hidden: |_| &[],
    list_rows,
    render,
    detail: detail_lines,
    cite,
    copy_text,
};

fn list_rows(body: Rect, rows: usize) -> Rect {
    layout::list_rows(layout::clusters(body, rows).0, 0)
}

fn cite(dataset: &Dataset, index: usize) -> &Cite {
    dataset.clusters[index].cite()
}

fn copy_text(view: &ViewData, index: usize) -> String {
    let c = &view.dataset.clusters[index];
    let mut text = c.name.clone();
    if let Some(h100e) = &c.h100e {
        text.push_str(&format!(": {} H100e", h100e.compact()));
    }
    if let Some(power) = &c.power {
        text.push_str(&format!(", {} MW", mw_text(power)));
    }
    text
}

fn render(ctx: &TabContext, body: Rect, buf: &mut Buffer) {
    let (list, detail) = layout::clusters(body, ctx.list.order.len());
    let (state, theme) = (ctx.list, ctx.theme);
    if ctx.view.dataset.clusters.is_empty() {
        let inner = super::pane(" Clusters (0) ", theme.border, list, buf);
        Line::styled(
            " no clusters in this data: open a folder holding Epoch AI's gpu_clusters.csv",
            theme.muted,
        )
        .render(inner, buf);
        return;
    }
    ListView {
        title: title("Clusters", state, ctx.rows.len(), CLUSTER_COLUMNS, None),
        columns: CLUSTER_COLUMNS,
        rows: ctx.rows,
        state,
        theme,
        footer: None,
        custom: None,
        hidden: &[],
    }
    .render(list, buf);
    let inner = super::pane(" Detail ", theme.border, detail, buf);
    if let Some(index) = state.current() {
        let lines = detail_lines(ctx, index, inner.width);
        super::wrapped_text(lines, inner, detail, theme, buf);
    }
}

fn detail_lines(ctx: &TabContext, index: usize, _width: u16) -> Vec<Line<'static>> {
    let (view, theme) = (ctx.view, ctx.theme);
    let ds = &view.dataset;
    let c = &ds.clusters[index];
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<10} "), theme.muted),
            Span::raw(value),
        ])
    };
    let text = |t: &str| escape_controls(t).into_owned();
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| text(party_name(ds, id)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![Line::styled(text(&c.name), theme.header)];
    let said: Vec<String> = [&c.status, &c.certainty, &c.country]
        .into_iter()
        .filter_map(|f| f.as_deref().map(text))
        .collect();
    if !said.is_empty() {
        lines.push(Line::styled(said.join(" · "), theme.muted));
    }
    if !c.owners.is_empty() {
        lines.push(field("Owners", names(&c.owners)));
    }
    if !c.users.is_empty() {
        lines.push(field("Users", names(&c.users)));
    }
    if let Some(h100e) = &c.h100e {
        lines.push(field("H100e", worded(h100e)));
    }
    if let Some(power) = &c.power {
        lines.push(field("Power", worded(power)));
    }
    if let Some(chips) = &c.chips {
        lines.push(field("Chips", text(chips)));
    }
    if let Some(first) = c.first_operational {
        lines.push(field("First on", first.to_string()));
    }
    if let Some(cite) = ds.cite_text(c.cite()) {
        lines.push(Line::from(""));
        lines.push(field("Source", text(&cite)));
    }
    lines
}
