//! Byte offsets in a text, as the 1-based lines and columns people read.

/// A place in a text: 1-based line, and 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    const START: Position = Position { line: 1, column: 1 };
}

/// The position of a byte offset (clamped to the text, and back to the start
/// of a character if it falls inside one).
pub fn line_column(text: &str, offset: usize) -> Position {
    Cursor::new(text).position(offset)
}

/// Positions of many offsets in one pass over the text: each call moves on
/// from the last, so ascending offsets cost the text's length in all, not per
/// offset. An offset before the last starts again from the top.
pub struct Cursor<'t> {
    text: &'t str,
    offset: usize,
    at: Position,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str) -> Cursor<'t> {
        Cursor {
            text,
            offset: 0,
            at: Position::START,
        }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let offset = char_floor(self.text, offset);
        if offset < self.offset {
            self.offset = 0;
            self.at = Position::START;
        }
        let passed = &self.text[self.offset..offset];
        match passed.rfind('\n') {
            Some(last) => {
                self.at.line += passed.bytes().filter(|&b| b == b'\n').count();
                self.at.column = passed[last + 1..].chars().count() + 1;
            }
            None => self.at.column += passed.chars().count(),
        }
        self.offset = offset;
        self.at
    }
}

/// `offset` clamped to `text` and moved back to a character boundary.
pub fn char_floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_agrees_with_counting_from_the_top() {
        let text = "ab\ncafé\n\nx = \"é\"\r\nend";
        let naive = |offset: usize| {
            let before = &text[..offset];
            Position {
                line: before.matches('\n').count() + 1,
                column: before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1
                    - before[before.rfind('\n').map_or(0, |i| i + 1)..]
                        .bytes()
                        .filter(|b| b & 0xC0 == 0x80)
                        .count(),
            }
        };
        let mut cursor = Cursor::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        for &offset in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(cursor.position(offset), naive(offset), "offset {offset}");
            assert_eq!(line_column(text, offset), naive(offset), "offset {offset}");
        }
        // Inside "é", and past the end.
        let inside = text.find('é').unwrap_or(0) + 1;
        assert_eq!(line_column(text, inside), naive(inside - 1));
        assert_eq!(line_column(text, usize::MAX), naive(text.len()));
    }
}
