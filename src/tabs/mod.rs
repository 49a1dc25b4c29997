//! One module per tab, each exporting a `SPEC`: everything about the tab in
//! one value. `tab.rs` lists them. Tabs draw from a `TabContext`, never from
//! the app, so they cannot reach state they were not given.

pub mod clusters;
pub mod commitments;
pub mod descriptor;
pub mod flows;
pub mod notes;
pub mod providers;
pub mod ramp;
pub mod sites;
pub mod table;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::app::keymap::Scope;
use crate::app::list_state::ListState;
use crate::ui::theme::Theme;
use gigawatt_model::data::{Cite, Dataset};
use gigawatt_model::export::TableName;
use gigawatt_model::ledger::Ramp;
use gigawatt_model::ledger::flow_matrix::Measure;
use gigawatt_model::ledger::scenario::Scenario;
use gigawatt_model::view::{Column, Rows, Table, ViewData};

/// What a tab draws from: the document's view and this tab's list.
pub struct TabContext<'a> {
    pub view: &'a ViewData,
    /// The rows of this tab's list, with the last reload's marks.
    pub rows: Rows<'a>,
    pub list: &'a ListState,
    pub theme: &'a Theme,
    pub scenario: &'a Scenario,
    /// The scenario's ramp, computed when the scenario changed.
    pub scenario_ramp: Option<&'a Ramp>,
    /// What the Flows matrix counts.
    pub measure: Measure,
    /// Which of the buyer's sites the Ramp counts as running.
    pub site_use: gigawatt_model::view::SiteUse,
}

/// Everything that differs from tab to tab.
pub struct TabSpec {
    pub title: &'static str,
    /// The label on narrow screens.
    pub short: &'static str,
    /// The key scopes in force on the tab.
    pub scopes: &'static [Scope],
    /// The list's columns, in sort order.
    pub columns: &'static [Column],
    /// The export table behind the tab's list.
    pub table: TableName,
    /// The table behind the tab's list.
    pub rows: Table,
    /// Columns of the list not drawn: every row alike there.
    pub hidden: fn(&ViewData) -> &[bool],
    /// Where the list's rows are drawn, in the body, for this many rows.
    pub list_rows: fn(Rect, usize) -> Rect,
    pub render: fn(&TabContext, Rect, &mut Buffer),
    /// The detail overlay's lines for a record, wrapped at `width`.
    pub detail: fn(&TabContext, usize, u16) -> Vec<Line<'static>>,
    /// The record's citation.
    pub cite: for<'d> fn(&'d Dataset, usize) -> &'d Cite,
    /// The record as one line of text with its hedged figure, for copying.
    pub copy_text: fn(&ViewData, usize) -> String,
}

impl TabSpec {
    pub fn sortable(&self) -> bool {
        self.scopes.contains(&Scope::Table)
    }
}

/// Draws a bordered, titled pane and returns the area inside its border.
pub fn pane<'a>(title: impl Into<Line<'a>>, border: Style, area: Rect, buf: &mut Buffer) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Rows that `lines` take when wrapped at `width` cells, as `Paragraph`
/// wraps them (at word boundaries), so that what is measured is what is drawn.
pub fn wrapped_height(lines: &[Line<'static>], width: u16) -> usize {
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1))
}

/// Draws wrapped text in a pane's inner area, and says "⏎ more" on the
/// pane's bottom border when it is taller than the pane, so a cut-off
/// detail never looks complete.
pub fn wrapped_text(
    lines: Vec<Line<'static>>,
    inner: Rect,
    outer: Rect,
    theme: &Theme,
    buf: &mut Buffer,
) {
    let needed = wrapped_height(&lines, inner.width);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    if needed > usize::from(inner.height) && outer.width > 12 && outer.height > 0 {
        let hint = " ⏎ more ";
        let x = outer.x + outer.width - 10;
        buf.set_string(x, outer.y + outer.height - 1, hint, theme.key);
    }
}

/// Where sources disagree on a figure: a heading marked `±` and each
/// source's figure with its citation. Nothing where they agree.
pub fn disputed_lines(
    dataset: &Dataset,
    alternatives: &[gigawatt_model::data::Disputed],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![];
    for disputed in alternatives.iter().filter(|d| !d.agree) {
        lines.push(Line::from(""));
        let span = disputed
            .options
            .iter()
            .map(|(f, _)| f.interval)
            .reduce(gigawatt_model::figure::Interval::hull);
        let how = match span {
            Some(i) if i.is_unbounded() => ", so far apart that nothing bounds it:",
            _ => "; the figure shown spans them:",
        };
        lines.push(Line::styled(
            format!(
                "{} Sources disagree on the {}{how}",
                gigawatt_model::view::DISPUTED,
                disputed.field
            ),
            theme.header,
        ));
        for (figure, cite) in &disputed.options {
            let source = dataset
                .cite_text(cite)
                .unwrap_or_else(|| "no source given".to_string());
            lines.push(Line::from(vec![
                ratatui::text::Span::styled(format!("  {:<12} ", figure.compact()), theme.hedge),
                ratatui::text::Span::raw(
                    gigawatt_model::text::escape_controls(&source).into_owned(),
                ),
            ]));
        }
    }
    lines
}
