//! One module per tab; `list` is the table widget they share.

pub mod commitments;
pub mod list;
pub mod notes;
pub mod providers;
pub mod ramp;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Widget};

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

/// Says "⏎ more" on a pane's bottom border when its wrapped text is taller
/// than the pane, so a cut-off detail never looks complete.
pub fn more_hint(
    lines: &[Line],
    inner: Rect,
    outer: Rect,
    theme: &crate::theme::Theme,
    buf: &mut Buffer,
) {
    let w = usize::from(inner.width.max(1));
    let needed: usize = lines.iter().map(|l| l.width().max(1).div_ceil(w)).sum();
    if needed > usize::from(inner.height) && outer.width > 12 && outer.height > 0 {
        let hint = " ⏎ more ";
        let x = outer.x + outer.width - 10;
        buf.set_string(x, outer.y + outer.height - 1, hint, theme.key);
    }
}
