//! Text that reaches the terminal: control characters escaped, widths
//! measured in terminal cells (CJK and emoji take two).

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces every control character (C0, DEL, C1) with a visible escape, so
/// a data file can never move the cursor or change the terminal's state.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Lines of prose, each made safe; blank input gives no lines.
pub fn prose_lines(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.lines().map(escape_controls)
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending with "…" when it had to cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Wraps prose to `max` cells per line, breaking at spaces where it can.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in prose_lines(s) {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ') {
            let w = width(word);
            if used > 0 && used + 1 + w > max {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            if w > max {
                // A word longer than the line is broken where it must be.
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > max {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(word);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_control_character() {
        let s = "a\u{1b}[31mred\u{7}\u{9b}x\u{7f}";
        let out = escape_controls(s);
        assert!(!out.chars().any(char::is_control), "{out}");
        assert_eq!(out, "a\\u{1b}[31mred\\u{7}\\u{9b}x\\u{7f}");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncates_by_cells_not_bytes() {
        assert_eq!(truncate("Amazon Web Services", 10), "Amazon We…");
        assert_eq!(truncate("数据中心数据", 5), "数据…");
        assert!(width(&truncate("数据中心数据", 5)) <= 5);
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
