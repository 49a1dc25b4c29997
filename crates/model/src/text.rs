//! Text that reaches the terminal: control characters escaped, invisible
//! format characters found and shown, widths measured in terminal cells
//! (CJK and emoji take two) per grapheme cluster, as ratatui measures them.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces every control character (C0, DEL, C1) with a visible escape, so
/// a data file can never move the cursor or change the terminal's state;
/// and every invisible format character (bidi controls, zero-width spaces
/// and joiners outside emoji, tags) with `⟨U+202E⟩`, so text cannot read
/// differently from what it holds.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let clean = if s.is_ascii() {
        !s.bytes().any(|b| b < 0x20 || b == 0x7f)
    } else {
        !s.chars().any(|c| c.is_control() || is_invisible(c))
    };
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for found in invisibles(s) {
        push_controls_escaped(&mut out, &s[last..found.byte]);
        out.push_str(&format!("⟨U+{:04X}⟩", found.ch as u32));
        last = found.byte + found.ch.len_utf8();
    }
    push_controls_escaped(&mut out, &s[last..]);
    Cow::Owned(out)
}

fn push_controls_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
}

/// Lines of prose, each made safe; blank input gives no lines.
pub fn prose_lines(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.lines().map(escape_controls)
}

/// An invisible character in a string, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invisible {
    pub ch: char,
    /// Its index among the string's characters, from 0.
    pub index: usize,
    /// The terminal cells before it, from 0.
    pub column: usize,
    /// Its byte offset.
    pub byte: usize,
}

impl Invisible {
    /// "U+202E (right-to-left override)", for messages.
    pub fn describe(&self) -> String {
        let code = format!("U+{:04X}", self.ch as u32);
        match invisible_name(self.ch) {
            Some(name) => format!("{code} ({name})"),
            None => code,
        }
    }
}

fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{AD}' => "soft hyphen",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{FEFF}' => "zero-width no-break space",
        '\u{E0000}'..='\u{E007F}' => "tag",
        _ => return None,
    })
}

/// The first invisible character in `s`: a bidi control (U+202A–U+202E,
/// U+2066–U+2069), or any other format character (Unicode category Cf:
/// zero-width spaces and joiners, tags...), or a line separator or Hangul
/// filler. A zero-width joiner inside an emoji sequence (👨‍👩‍👧‍👦) and the tags
/// of the three subdivision flags (🏴 England, Scotland, Wales) belong to
/// what they join and are not reported. The loader refuses these in ids,
/// names and figures.
pub fn find_invisible(s: &str) -> Option<Invisible> {
    invisibles(s).next()
}

/// Every invisible character in `s`, in order.
fn invisibles(s: &str) -> impl Iterator<Item = Invisible> + '_ {
    let any = !s.is_ascii() && s.chars().any(is_invisible);
    let graphemes = if any {
        Some(s.grapheme_indices(true))
    } else {
        None
    };
    let mut index = 0;
    graphemes.into_iter().flatten().flat_map(move |(start, g)| {
        let first = index;
        index += g.chars().count();
        let flag = is_subdivision_flag(g);
        let chars: Vec<(usize, char)> = g.char_indices().collect();
        let found: Vec<Invisible> = chars
            .iter()
            .enumerate()
            .filter(|(i, (_, c))| {
                is_invisible(*c)
                    && !(flag && ('\u{E0020}'..='\u{E007F}').contains(c))
                    && !(*c == '\u{200D}' && joins_next(&chars, *i))
            })
            .map(|(i, (offset, c))| Invisible {
                ch: *c,
                index: first + i,
                column: width(&s[..start + offset]),
                byte: start + offset,
            })
            .collect();
        found
    })
}

/// A joiner followed, in its grapheme cluster, by something visible: an
/// emoji ZWJ sequence (or an Indic conjunct), which the segmentation rules
/// only join that way.
fn joins_next(chars: &[(usize, char)], i: usize) -> bool {
    chars
        .get(i + 1)
        .is_some_and(|(_, c)| !is_invisible(*c) && c.width().unwrap_or(0) > 0)
}

/// 🏴 followed by the tags of "gbeng", "gbsct" or "gbwls" and a cancel tag.
fn is_subdivision_flag(g: &str) -> bool {
    let Some(tags) = g.strip_prefix('\u{1F3F4}') else {
        return false;
    };
    let Some(tags) = tags.strip_suffix('\u{E007F}') else {
        return false;
    };
    let spelled: Option<String> = tags
        .chars()
        .map(|c| {
            ('\u{E0061}'..='\u{E007A}')
                .contains(&c)
                .then(|| char::from_u32(c as u32 - 0xE0000))
                .flatten()
        })
        .collect();
    matches!(spelled.as_deref(), Some("gbeng" | "gbsct" | "gbwls"))
}

/// Unicode's format characters (general category Cf, Unicode 15.1), and a
/// few others that show nothing: line and paragraph separators and the
/// Hangul fillers.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}'
        | '\u{600}'..='\u{605}'
        | '\u{61C}'
        | '\u{6DD}'
        | '\u{70F}'
        | '\u{890}'..='\u{891}'
        | '\u{8E2}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}'
        // Not Cf, but as invisible.
        | '\u{2028}'..='\u{2029}'
        | '\u{115F}'..='\u{1160}'
        | '\u{3164}'
        | '\u{FFA0}'
    )
}

/// Whether `c` is a bidirectional control (U+202A–U+202E, U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// "1 provider", "6 providers".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Terminal cells `s` takes, summed per grapheme cluster as ratatui lays it
/// out: the family emoji 👨‍👩‍👧‍👦 is one cluster of two cells, not four emoji.
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        return UnicodeWidthStr::width(s);
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Cuts `s` to at most `max` cells, ending with "…" when it had to cut.
/// Cuts fall between grapheme clusters, never inside an emoji sequence.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// Wraps prose to `max` cells per line, breaking at spaces where it can,
/// and between grapheme clusters where it must.
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
                for g in word.graphemes(true) {
                    let gw = UnicodeWidthStr::width(g);
                    if used + gw > max && used > 0 {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push_str(g);
                    used += gw;
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

/// What search looks for: a query, lowercased as `str::to_lowercase` does,
/// tested against text as it is written, with no lowercased copy of it.
/// `found_in(field)` answers as `field.to_lowercase().contains(query)`
/// would: an ASCII query is looked for byte by byte, either case, in the
/// field's own bytes (only two characters outside ASCII lowercase to ASCII
/// letters, the Kelvin sign and `İ`: a field with one is lowercased whole).
#[derive(Debug, Clone, PartialEq)]
pub struct Needle {
    lower: String,
    ascii: bool,
}

impl Needle {
    pub fn new(query: &str) -> Needle {
        let lower = query.to_lowercase();
        Needle {
            ascii: lower.is_ascii(),
            lower,
        }
    }

    /// The query, lowercased.
    pub fn lower(&self) -> &str {
        &self.lower
    }

    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// Whether a match could run across two fields joined by a space: only
    /// a query with a space in it can.
    pub fn spaced(&self) -> bool {
        self.lower.contains(' ')
    }

    /// Whether `field`, lowercased, contains the query.
    pub fn found_in(&self, field: &str) -> bool {
        self.found(field, true)
    }

    /// `found_in`, for a field known to hold neither character outside
    /// ASCII that lowercases to an ASCII letter (see `folds_to_ascii`).
    pub fn found_in_plain(&self, field: &str) -> bool {
        self.found(field, false)
    }

    fn found(&self, field: &str, odd: bool) -> bool {
        if self.lower.is_empty() {
            return true;
        }
        if self.ascii {
            // Characters outside ASCII lowercase to characters outside
            // ASCII, which an ASCII query cannot match; but for two.
            if ascii_contains(field.as_bytes(), self.lower.as_bytes()) {
                return true;
            }
            if !odd || field.is_ascii() || !folds_to_ascii(field) {
                return false;
            }
        } else if field.is_ascii() {
            return false;
        }
        field.to_lowercase().contains(&self.lower)
    }
}

/// Whether `s` holds a character outside ASCII that lowercases to an
/// ASCII letter: the Kelvin sign (`k`) or `İ` (`i` and a dot above).
pub fn folds_to_ascii(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xE2, 0xC4, b).any(|at| match b[at] {
        0xE2 => b.get(at + 1..at + 3) == Some(&[0x84, 0xAA]),
        _ => b.get(at + 1) == Some(&0xB0),
    })
}

/// Whether `hay` contains `needle` (lowercase ASCII), ignoring ASCII case.
/// Bytes outside ASCII match only themselves, so this is also right inside
/// UTF-8 text for the ASCII letters in it. A position is tried only where
/// the needle's first and last bytes both fit, tested 32 positions at a
/// time (which the compiler turns into vector instructions), as the
/// standard library's own `contains` does. `aho-corasick`'s case-blind
/// searcher does the same job but took twice as long on search-as-you-type
/// at 100k deals (19.6 ms a key against 10.5, same machine, same run): its
/// per-call setup outweighs the scan on fields this short.
fn ascii_contains(hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    if n == 0 {
        return true;
    }
    if n > hay.len() {
        return false;
    }
    // `| 0x20` lowercases an ASCII letter; other bytes it may pair up,
    // which only lets a position through to the full comparison.
    let (first, last) = (needle[0] | 0x20, needle[n - 1] | 0x20);
    let starts = hay.len() - n + 1;
    let fits = |at: usize| hay[at..at + n].eq_ignore_ascii_case(needle);
    const CHUNK: usize = 32;
    let mut at = 0;
    while at + CHUNK <= starts {
        let heads: &[u8; CHUNK] = hay[at..at + CHUNK].try_into().expect("a chunk");
        let tails: &[u8; CHUNK] = hay[at + n - 1..at + n - 1 + CHUNK]
            .try_into()
            .expect("a chunk");
        let hit = |j: usize| ((heads[j] | 0x20) == first) & ((tails[j] | 0x20) == last);
        let mut any = false;
        for j in 0..CHUNK {
            any |= hit(j);
        }
        if any && (0..CHUNK).any(|j| hit(j) && fits(at + j)) {
            return true;
        }
        at += CHUNK;
    }
    (at..starts).any(|at| (hay[at] | 0x20) == first && fits(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_finds_what_lowercasing_the_field_finds() {
        let fields = [
            "OpenAI",
            "Zürich Rechenzentrum",
            "電力 Deal",
            "ΟΔΟΣ ΣΑΣ",
            "\u{212A}elvin",
            "İstanbul",
            "straße",
            "STRASSE",
            "a—b",
            "",
            "MiXeD CaSe",
            "ǅ digraph",
        ];
        let queries = [
            "openai",
            "ZÜRICH",
            "電力",
            "deal",
            "οδος",
            "οδοσ",
            "σας",
            "kelvin",
            "i̇stanbul",
            "istanbul",
            "straße",
            "strasse",
            "—",
            "",
            "mixed case",
            "x",
            "ǆ",
        ];
        for field in fields {
            for query in queries {
                let needle = Needle::new(query);
                assert_eq!(
                    needle.found_in(field),
                    field.to_lowercase().contains(&query.to_lowercase()),
                    "{query:?} in {field:?}"
                );
            }
        }
    }

    #[test]
    fn a_needle_is_found_at_either_end_and_not_past_them() {
        for (hay, needle, found) in [
            ("abc", "abc", true),
            ("xabc", "abc", true),
            ("abcx", "abc", true),
            ("ab", "abc", false),
            ("zqz", "qz", true),
            ("qzz", "zq", false),
            ("a-b z", "b z", true),
            ("AbC", "bc", true),
            ("@", "`", false),
            (&"x".repeat(70), "xy", false),
            (&format!("{}Yx", "x".repeat(70)), "xy", true),
            (&format!("{}xY", "x".repeat(31)), "xy", true),
            (&format!("{}xY", "x".repeat(32)), "xy", true),
        ] {
            assert_eq!(ascii_contains(hay.as_bytes(), needle.as_bytes()), found);
        }
        assert!(folds_to_ascii("x\u{212A}y") && folds_to_ascii("\u{130}"));
        assert!(!folds_to_ascii("—é電") && !folds_to_ascii("\u{2129}"));
    }

    mod search {
        use super::*;
        use proptest::prelude::*;

        /// Text from a small alphabet, so that matches are common: either
        /// case of ASCII letters, letters outside ASCII that lowercase to
        /// other lengths, the two that lowercase into ASCII, and wide ones.
        fn text(max: usize) -> impl Strategy<Value = String> {
            proptest::collection::vec(
                prop::sample::select(vec![
                    'a', 'A', 'b', 'B', 'k', 'K', 'i', 'I', ' ', '-', '\u{212A}', '\u{130}', 'ß',
                    'ẞ', 'Σ', 'σ', 'ς', 'é', 'É', '電', 'ǅ', '\u{307}',
                ]),
                0..max,
            )
            .prop_map(|chars| chars.into_iter().collect())
        }

        proptest! {
            /// Search answers as lowercasing the field and the query and
            /// looking for one in the other would, for any text.
            #[test]
            fn a_needle_agrees_with_lowercasing_both(field in text(40), query in text(4)) {
                let expected = field.to_lowercase().contains(&query.to_lowercase());
                prop_assert_eq!(Needle::new(&query).found_in(&field), expected);
                if !folds_to_ascii(&field) {
                    prop_assert_eq!(Needle::new(&query).found_in_plain(&field), expected);
                }
            }
        }
    }

    #[test]
    fn only_two_characters_outside_ascii_lowercase_to_ascii() {
        let odd: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(odd, ['\u{130}', '\u{212A}']);
    }

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

    /// Bidi controls and other invisible format characters are found with
    /// their position, so the loader can refuse
    /// them in ids, names and figures.
    #[test]
    fn finds_invisible_characters() {
        type Found = Option<(char, usize, usize)>;
        let cases: &[(&str, Found)] = &[
            ("plain", None),
            ("Amazon\u{202E}lanigiro", Some(('\u{202E}', 6, 6))),
            ("a\u{202A}", Some(('\u{202A}', 1, 1))),
            ("\u{2066}isolate", Some(('\u{2066}', 0, 0))),
            ("x\u{2069}", Some(('\u{2069}', 1, 1))),
            ("zero\u{200B}width", Some(('\u{200B}', 4, 4))),
            ("数据\u{200D}x", Some(('\u{200D}', 2, 4))),
            ("a\u{200D}b", Some(('\u{200D}', 1, 1))),
            ("\u{FEFF}bom", Some(('\u{FEFF}', 0, 0))),
            ("tag\u{E0041}", Some(('\u{E0041}', 3, 3))),
            ("soft\u{AD}hyphen", Some(('\u{AD}', 4, 4))),
            // Emoji sequences keep their joiners and tags.
            ("family 👨‍👩‍👧‍👦", None),
            (
                "flag 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
                None,
            ),
            ("👍🏽 e\u{301}", None),
            // A joiner that ends the string joins nothing.
            ("👨\u{200D}", Some(('\u{200D}', 1, 2))),
            // Tags that smuggle text after a flag are still found.
            ("🏴\u{E0068}\u{E0069}\u{E007F}", Some(('\u{E0068}', 1, 2))),
        ];
        for (s, expected) in cases {
            let found = find_invisible(s).map(|i| (i.ch, i.index, i.column));
            assert_eq!(found, *expected, "{s:?}");
        }
    }

    #[test]
    fn escapes_invisible_characters_visibly() {
        assert_eq!(escape_controls("abc\u{202E}def"), "abc⟨U+202E⟩def");
        assert_eq!(escape_controls("a\u{200B}b\u{2066}"), "a⟨U+200B⟩b⟨U+2066⟩");
        assert_eq!(escape_controls("the 👨‍👩‍👧‍👦 family"), "the 👨‍👩‍👧‍👦 family");
        let lines: Vec<_> = prose_lines("one\u{202D}\ntwo").collect();
        assert_eq!(lines, vec!["one⟨U+202D⟩", "two"]);
    }

    #[test]
    fn emoji_sequences_take_their_width() {
        let family = "👨‍👩‍👧‍👦";
        assert_eq!(width(family), 2);
        assert_eq!(truncate(family, 2), family);
        assert_eq!(
            truncate(&format!("{family}{family}"), 3),
            format!("{family}…")
        );
        assert_eq!(wrap(&format!("{family} {family}"), 2), vec![family, family]);
        assert_eq!(wrap(&format!("ab{family}"), 3), vec!["ab", family]);
    }
}
