//! The list widget the tabs share: columns that drop on narrow screens,
//! only the visible rows drawn, selection in reverse video, matches marked.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::list_state::ListState;
use crate::ui::theme::Theme;
use gigawatt_model::text::{truncate, width};
use gigawatt_model::view::{Column, Rows};

/// Chooses the columns that fit `available` cells and their widths: drops
/// the most droppable first (never `sorted`, the column the rows are sorted
/// by, which also gets room for its ▲), then lets the widest column grow
/// into what is left, as far as its longest visible text (`content`, cells
/// per column) needs: no truncation beside blank space, no name column
/// pushing the figures out of sight on wide screens. Room still left is
/// shared out between the columns, so the table fills its pane.
pub fn fit_columns(
    columns: &[Column],
    available: u16,
    content: &[u16],
    sorted: Option<usize>,
) -> Vec<(usize, u16)> {
    fit_shown_columns(columns, available, content, sorted, &[])
}

/// `fit_columns` leaving out the `hidden` columns (unless sorted by).
pub fn fit_shown_columns(
    columns: &[Column],
    available: u16,
    content: &[u16],
    sorted: Option<usize>,
    hidden: &[bool],
) -> Vec<(usize, u16)> {
    let base = |i: usize| -> u16 {
        let w = columns[i].width;
        if sorted == Some(i) {
            w.max(width(columns[i].title) as u16 + 1)
        } else {
            w
        }
    };
    let mut chosen: Vec<usize> = (0..columns.len())
        .filter(|&i| sorted == Some(i) || !hidden.get(i).copied().unwrap_or(false))
        .collect();
    let total = |chosen: &[usize]| -> u16 { chosen.iter().map(|&i| base(i) + 1).sum::<u16>() };
    while total(&chosen) > available {
        let Some((pos, _)) = chosen
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop > 0 && sorted != Some(**i))
            .max_by_key(|(pos, i)| (columns[**i].drop, *pos))
        else {
            break;
        };
        chosen.remove(pos);
    }
    let flex = chosen
        .iter()
        .copied()
        .max_by_key(|&i| (columns[i].width, usize::MAX - i))
        .unwrap_or(0);
    let used = total(&chosen);
    let wanted = |i: usize| content.get(i).copied().unwrap_or(0).saturating_sub(base(i));
    // What the other columns lack to be read whole comes before the
    // widest's growth: a figure cut short beside a long name says less.
    let others_lack: u16 = chosen
        .iter()
        .filter(|&&i| i != flex)
        .map(|&i| wanted(i))
        .sum();
    let mut fitted: Vec<(usize, u16)> = chosen
        .iter()
        .map(|&i| {
            let mut w = base(i);
            if i == flex {
                if used <= available {
                    w += (available - used)
                        .saturating_sub(others_lack)
                        .min(wanted(i));
                } else {
                    w = w.saturating_sub(used - available).max(4);
                }
            }
            (i, w)
        })
        .collect();
    // Room left goes first to columns whose text is cut, the nearest to
    // whole first, so that as many as can be are read whole ("by end-2026"
    // beside a blank); then it is shared out.
    let mut used: u16 = fitted.iter().map(|(_, w)| w + 1).sum();
    let mut short: Vec<(u16, usize)> = fitted
        .iter()
        .enumerate()
        .filter_map(|(k, (i, w))| {
            let wanted = content.get(*i).copied().unwrap_or(0);
            (wanted > *w).then(|| (wanted - w, k))
        })
        .collect();
    short.sort_unstable();
    for (missing, k) in short {
        if used + missing > available {
            break;
        }
        fitted[k].1 += missing;
        used += missing;
    }
    // Then the widest column, as far as its text needs; then all alike.
    if let Some(k) = fitted.iter().position(|(i, _)| *i == flex) {
        let lack = content
            .get(flex)
            .copied()
            .unwrap_or(0)
            .saturating_sub(fitted[k].1);
        let more = lack.min(available.saturating_sub(used));
        fitted[k].1 += more;
        used += more;
    }
    let n = fitted.len() as u16;
    if used < available && n > 0 {
        let (each, extra) = ((available - used) / n, (available - used) % n);
        for (k, (_, w)) in fitted.iter_mut().enumerate() {
            *w += each + u16::from((k as u16) < extra);
        }
    }
    fitted
}

/// `text` cut or filled to `w` cells, to the right or left. A figure with
/// a note after it ("~$22.7tn (9/10)") too wide for the cell drops the
/// note rather than cut the figure mid-number.
pub(super) fn pad(text: &str, w: u16, right: bool) -> String {
    let w = usize::from(w);
    let text = match text.rsplit_once(" (") {
        Some((figure, _)) if width(text) > w && text.ends_with(')') && width(figure) <= w => figure,
        _ => text,
    };
    let cut = truncate(text, w);
    let fill = w.saturating_sub(width(&cut));
    if right {
        format!("{}{cut}", " ".repeat(fill))
    } else {
        format!("{cut}{}", " ".repeat(fill))
    }
}

pub struct ListView<'a> {
    pub title: String,
    pub columns: &'static [Column],
    pub rows: Rows<'a>,
    pub state: &'a ListState,
    pub theme: &'a Theme,
    /// A line under the rows, e.g. the total.
    pub footer: Option<Line<'a>>,
    /// Cells drawn by the tab instead of the row's text: (column, record) -> span.
    pub custom: Option<&'a dyn Fn(usize, usize, u16) -> Option<Line<'static>>>,
    /// Columns not drawn (every row alike); empty: all drawn.
    pub hidden: &'a [bool],
}

/// A cell's text with what the row's place says: a folded deal's marker
/// (▸ n earlier records, ▾ shown, ↳ an earlier record) before the first
/// column, `Δ` before a value the last reload changed.
fn cell_text<'t>(
    rows: &Rows,
    record: usize,
    text: &'t str,
    column: usize,
    first: bool,
    expanded: bool,
) -> Cow<'t, str> {
    let mut prefix = String::new();
    if first {
        if rows.under(record).is_some() {
            prefix.push_str("↳ ");
        } else if rows.folds(record) > 0 {
            prefix.push_str(if expanded { "▾ " } else { "▸ " });
        }
    }
    if rows.changed(record, column) {
        prefix.push('Δ');
    }
    if prefix.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{prefix}{text}"))
    }
}

impl Widget for ListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                self.title.clone(),
                theme
                    .header
                    .remove_modifier(ratatui::style::Modifier::UNDERLINED),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        // One cell on the left marks matches without colour.
        let marker = 1u16;
        let header_h = 1;
        let footer_h = u16::from(self.footer.is_some());
        let visible_rows = usize::from(inner.height.saturating_sub(header_h + footer_h));
        let visible: Vec<(usize, usize)> = self
            .state
            .order
            .iter()
            .copied()
            .enumerate()
            .skip(self.state.offset)
            .take(visible_rows)
            .collect();
        // Cells are made for the rows on screen only, once a frame.
        let cells: Vec<Vec<Cow<str>>> = visible
            .iter()
            .map(|&(_, record)| self.rows.cells(record))
            .collect();
        let mut content = vec![0u16; self.columns.len()];
        for row in &cells {
            for (i, cell) in row.iter().enumerate().take(content.len()) {
                content[i] = content[i].max(u16::try_from(width(cell)).unwrap_or(u16::MAX));
            }
        }
        let fitted = fit_shown_columns(
            self.columns,
            inner.width.saturating_sub(marker),
            &content,
            self.state.sort,
            self.hidden,
        );
        let first_shown = fitted.first().map(|(i, _)| *i);
        let mut header = vec![Span::raw(" ")];
        for (i, w) in &fitted {
            let column = &self.columns[*i];
            let arrow = match self.state.sort {
                Some(s) if s == *i => {
                    if self.state.reverse {
                        "▼"
                    } else {
                        "▲"
                    }
                }
                _ => "",
            };
            let title = format!("{}{arrow}", column.title);
            header.push(Span::styled(pad(&title, *w, column.right), theme.header));
            header.push(Span::raw(" "));
        }
        Line::from(header).render(Rect { height: 1, ..inner }, buf);

        let rows_area = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1 + footer_h),
            ..inner
        };
        if self.state.order.is_empty() {
            let message = if self.state.filter {
                "no rows match the search (& shows all rows)"
            } else {
                "no records in this file"
            };
            Line::styled(format!(" {message}"), theme.muted).render(rows_area, buf);
        }
        for (line_no, (&(position, record), row)) in visible.iter().zip(&cells).enumerate() {
            let y = rows_area.y + line_no as u16;
            let is_match = self.state.is_match(position);
            let mut spans = vec![if is_match {
                Span::styled("›", theme.matched)
            } else {
                Span::raw(" ")
            }];
            for (i, w) in &fitted {
                let column = &self.columns[*i];
                let custom = self.custom.and_then(|f| f(*i, record, *w));
                match custom {
                    Some(line) => spans.extend(line.spans),
                    None => {
                        let expanded = self.state.expanded.contains(&record);
                        let cell = row.get(*i).map_or("", |c| c.as_ref());
                        let text = cell_text(
                            &self.rows,
                            record,
                            cell,
                            *i,
                            first_shown == Some(*i),
                            expanded,
                        );
                        let style = if is_match {
                            theme.matched
                        } else if self.rows.changed(record, *i) {
                            theme.changed
                        } else {
                            Style::default()
                        };
                        spans.push(Span::styled(pad(&text, *w, column.right), style));
                    }
                }
                spans.push(Span::raw(" "));
            }
            let mut line = Line::from(spans);
            if position == self.state.selected {
                line = line.style(theme.selected);
            }
            let row_area = Rect {
                y,
                height: 1,
                ..rows_area
            };
            if position == self.state.selected {
                buf.set_style(row_area, theme.selected);
            }
            line.render(row_area, buf);
        }
        if let Some(footer) = self.footer {
            let y = inner.y + inner.height - 1;
            footer.render(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
        // A scroll position when rows overflow: "12-24 of 100".
        let len = self.state.order.len();
        if len > usize::from(rows_area.height) && area.width > 20 {
            let first = self.state.offset + 1;
            let last = (self.state.offset + usize::from(rows_area.height)).min(len);
            let text = format!(" {first}-{last} of {len} ");
            let x = area.x + area.width.saturating_sub(width(&text) as u16 + 1);
            buf.set_string(x, area.y + area.height - 1, text, theme.muted);
        }
    }
}

/// The list block's title: name, count, sort and search state.
/// A table's title: its name, rows shown, and its order: the column sorted
/// by, or the order it opens in (`opening`) when that is not file order.
pub fn title(
    name: &str,
    state: &ListState,
    total: usize,
    columns: &[Column],
    opening: Option<&str>,
) -> String {
    let mut title = format!(" {name} ({})", state.order.len());
    if state.filter {
        title = format!(" {name} ({} of {total}, filtered)", state.order.len());
    }
    if let Some(sort) = state.sort {
        let dir = if state.reverse { "▼" } else { "▲" };
        title.push_str(&format!(
            " · by {}{dir}",
            columns[sort].title.to_lowercase()
        ));
    } else if let Some(opening) = opening {
        let dir = if state.reverse { "▲" } else { "▼" };
        title.push_str(&format!(" · by {opening}{dir}"));
    }
    if !state.query.is_empty() && !state.typing {
        let n = state.matches.len();
        title.push_str(&format!(
            " · /{}: {n}",
            gigawatt_model::text::escape_controls(&state.query)
        ));
    }
    title.push(' ');
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use gigawatt_model::view::{COMMITMENT_COLUMNS, NOTE_COLUMNS};

    #[test]
    fn a_figure_too_wide_with_its_coverage_drops_the_coverage_not_digits() {
        assert_eq!(
            pad("~$22693.3tn (90000/100000)", 16, true),
            "     ~$22693.3tn"
        );
        assert_eq!(pad("$38bn (1/2)", 16, true), "     $38bn (1/2)");
    }

    #[test]
    fn narrow_screens_drop_columns_not_figures() {
        let fitted = fit_columns(COMMITMENT_COLUMNS, 60, &[], None);
        let titles: Vec<_> = fitted
            .iter()
            .map(|(i, _)| COMMITMENT_COLUMNS[*i].title)
            .collect();
        assert!(titles.contains(&"Value"), "{titles:?}");
        assert!(titles.contains(&"Share"), "{titles:?}");
        assert!(!titles.contains(&"Announced"), "{titles:?}");
        let used: u16 = fitted.iter().map(|(_, w)| w + 1).sum();
        assert!(used <= 60, "{used}");
    }

    #[test]
    fn the_sorted_column_is_never_dropped_and_has_room_for_its_arrow() {
        use gigawatt_model::view::PROVIDER_COLUMNS;
        let parent = PROVIDER_COLUMNS
            .iter()
            .position(|c| c.title == "Parent")
            .unwrap_or(0);
        let unsorted = fit_columns(PROVIDER_COLUMNS, 60, &[], None);
        assert!(unsorted.iter().all(|(i, _)| *i != parent), "{unsorted:?}");
        let sorted = fit_columns(PROVIDER_COLUMNS, 60, &[], Some(parent));
        assert!(sorted.iter().any(|(i, _)| *i == parent), "{sorted:?}");
        let deals = PROVIDER_COLUMNS
            .iter()
            .position(|c| c.title == "Records")
            .unwrap_or(0);
        let fitted = fit_columns(PROVIDER_COLUMNS, 40, &[], Some(deals));
        let w = fitted.iter().find(|(i, _)| *i == deals).map_or(0, |f| f.1);
        assert!(usize::from(w) >= width("Records▲"), "{fitted:?}");
    }

    #[test]
    fn the_widest_column_grows_only_as_far_as_its_text() {
        let content = [10, 10, 9, 7, 8, 70];
        let fitted = fit_columns(NOTE_COLUMNS, 150, &content, None);
        assert_eq!(fitted.len(), NOTE_COLUMNS.len());
        let headline = |fitted: &[(usize, u16)]| {
            fitted
                .iter()
                .find(|(i, _)| NOTE_COLUMNS[*i].title == "Headline")
                .map(|(_, w)| *w)
        };
        // 70 cells, and its share of the room left over.
        let used: u16 = fitted.iter().map(|(_, w)| w + 1).sum();
        assert_eq!(used, 150);
        assert!(
            (70..=70 + 13).contains(&headline(&fitted).unwrap_or(0)),
            "{fitted:?}"
        );
        // Less room than the text wants: it takes all there is.
        let narrow = fit_columns(NOTE_COLUMNS, 100, &content, None);
        let used: u16 = narrow.iter().map(|(_, w)| w + 1).sum();
        assert_eq!(used, 100);
        let others: u16 = narrow
            .iter()
            .filter(|(i, _)| NOTE_COLUMNS[*i].title != "Headline")
            .map(|(_, w)| w + 1)
            .sum();
        assert_eq!(headline(&narrow), Some(100 - others - 1), "{narrow:?}");
        assert!(others <= 6 + 10 + 10 + 9 + 7 + 8, "{narrow:?}");
        // A cut figure gets its room from the widest column first.
        let content = [10, 10, 9, 10, 8, 70];
        let narrow = fit_columns(NOTE_COLUMNS, 100, &content, None);
        assert_eq!(
            narrow.iter().find(|(i, _)| *i == 3),
            Some(&(3, 10)),
            "{narrow:?}"
        );
    }
}
