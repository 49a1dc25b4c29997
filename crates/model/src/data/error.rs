//! Why a data file could not be loaded, said so a person can fix it.
//!
//! Reports stay short and cheap whatever the file: identical problems are
//! listed once, at most `SHOWN` of them with a snippet each, every snippet
//! clipped to a window around its caret, and the work is linear in the
//! number of problems.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use super::position::{Cursor, char_floor};
use crate::text::escape_controls;

/// At most this many problems are listed, then how many more there are.
pub const SHOWN: usize = 100;

/// A snippet shows at most this many characters of its line...
const WINDOW: usize = 120;
/// ...with the caret at most this far in, when the line goes on after it.
const LEAD: usize = WINDOW / 3;
/// Paths and messages longer than this are cut in the middle.
const LONGEST_PART: usize = 200;

/// One thing wrong with a file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters; 0 for a problem with a cell of a table
    /// (`epoch`), which is named by its column's header instead.
    pub column: usize,
    /// `commitments[2].value`; empty for syntax errors outside any key.
    pub path: String,
    pub message: String,
    /// Byte range in the file, for the caret under the line.
    pub span: Range<usize>,
}

impl Problem {
    /// A problem at `span`; its line and column are filled in by
    /// `in_file_order`, once for all problems.
    pub(super) fn at(span: Range<usize>, path: String, message: String) -> Problem {
        Problem {
            line: 0,
            column: 0,
            path,
            message,
            span,
        }
    }

    /// `LINE:COL: PATH: MESSAGE`, the part after the file name.
    ///
    /// Escaped: the path and the "unknown field" message quote a key as
    /// written, and a quoted key may hold control characters
    /// (`"\u001b]0;x\u0007" = 1`), which must not reach the terminal. Very
    /// long paths and messages (a key of a million characters) are cut.
    pub fn located(&self) -> String {
        let message = middle_cut(&self.message);
        let place = match self.column {
            0 => self.line.to_string(),
            column => format!("{}:{column}", self.line),
        };
        let located = if self.path.is_empty() {
            format!("{place}: {message}")
        } else {
            let path = middle_cut(&self.path);
            format!("{place}: {path}: {message}")
        };
        escape_controls(&located).into_owned()
    }
}

/// `s`, or its start and end around a "…" if it is longer than `LONGEST_PART`.
fn middle_cut(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= LONGEST_PART || s.chars().count() <= LONGEST_PART {
        return s.into();
    }
    let half = LONGEST_PART / 2;
    let head: String = s.chars().take(half).collect();
    let tail: String = {
        let mut tail: Vec<char> = s.chars().rev().take(half).collect();
        tail.reverse();
        tail.into_iter().collect()
    };
    format!("{head}…{tail}").into()
}

/// The problems sorted by place (the order a reader meets them), each
/// listed once, with their lines and columns: one pass over `text`.
pub(super) fn in_file_order(text: &str, mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| p.span.start);
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(problems.len());
        problems.iter().map(|p| seen.insert(p)).collect()
    };
    let mut keep = keep.into_iter();
    problems.retain(|_| keep.next().unwrap_or(true));
    let mut cursor = Cursor::new(text);
    for problem in &mut problems {
        let at = cursor.position(problem.span.start);
        problem.line = at.line;
        problem.column = at.column;
    }
    problems
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a regular file ({kind}); gigawatt reads data files only")]
    NotAFile { file: String, kind: &'static str },
    #[error(
        "{file}: the file is {size} bytes; gigawatt refuses files over {} MiB ({limit} bytes)",
        limit >> 20
    )]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error(
        "{file}: more than {limit} bytes read (the file grew while being read); \
         gigawatt refuses files over {} MiB",
        limit >> 20
    )]
    GrewTooLarge { file: String, limit: u64 },
    #[error(
        "{file}:{line}:{column}: not valid UTF-8 at byte offset {offset}; save the file as UTF-8"
    )]
    NotUtf8 {
        file: String,
        offset: usize,
        line: usize,
        column: usize,
    },
    #[error("{}", InvalidReport { file, problems })]
    Invalid {
        file: String,
        /// Kept to show the offending lines under each problem.
        source_text: String,
        problems: Vec<Problem>,
    },
    #[error("{file}: {why}")]
    Skipped { file: String, why: String },
    #[error("{folder}: no *.toml or *.csv files in this folder")]
    EmptyFolder { folder: String },
    /// Several files of a set failed, each for its own reasons.
    #[error("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Set { errors: Vec<LoadError> },
}

/// A copy: an I/O error is copied as its kind and message.
impl Clone for LoadError {
    fn clone(&self) -> LoadError {
        match self {
            LoadError::Io { file, source } => LoadError::Io {
                file: file.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            LoadError::NotAFile { file, kind } => LoadError::NotAFile {
                file: file.clone(),
                kind,
            },
            LoadError::TooLarge { file, size, limit } => LoadError::TooLarge {
                file: file.clone(),
                size: *size,
                limit: *limit,
            },
            LoadError::GrewTooLarge { file, limit } => LoadError::GrewTooLarge {
                file: file.clone(),
                limit: *limit,
            },
            LoadError::NotUtf8 {
                file,
                offset,
                line,
                column,
            } => LoadError::NotUtf8 {
                file: file.clone(),
                offset: *offset,
                line: *line,
                column: *column,
            },
            LoadError::Invalid {
                file,
                source_text,
                problems,
            } => LoadError::Invalid {
                file: file.clone(),
                source_text: source_text.clone(),
                problems: problems.clone(),
            },
            LoadError::Skipped { file, why } => LoadError::Skipped {
                file: file.clone(),
                why: why.clone(),
            },
            LoadError::EmptyFolder { folder } => LoadError::EmptyFolder {
                folder: folder.clone(),
            },
            LoadError::Set { errors } => LoadError::Set {
                errors: errors.clone(),
            },
        }
    }
}

/// One line per problem, up to `SHOWN`, then how many more.
struct InvalidReport<'a> {
    file: &'a str,
    problems: &'a [Problem],
}

impl fmt::Display for InvalidReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = escape_controls(self.file);
        for (i, problem) in self.problems.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{file}:{}", problem.located())?;
        }
        if let Some(more) = more(self.problems.len()) {
            write!(f, "\n{file}: {more}")?;
        }
        Ok(())
    }
}

/// "and 12 more" past the problems listed, if any.
fn more(count: usize) -> Option<String> {
    (count > SHOWN).then(|| format!("and {} more", count - SHOWN))
}

impl LoadError {
    /// Every problem (up to `SHOWN`), each with its line of the file and a
    /// caret under the place, the way compilers show errors. Control
    /// characters in the file are escaped so that the report is safe to
    /// print.
    pub fn report(&self) -> String {
        if let LoadError::Set { errors } = self {
            return errors.iter().map(LoadError::report).collect();
        }
        let LoadError::Invalid {
            file,
            source_text,
            problems,
        } = self
        else {
            return format!("error: {}\n", escape_controls(&self.to_string()));
        };
        // File names are shown too, and a path may hold control characters.
        let file = escape_controls(file);
        let mut out = String::new();
        for problem in problems.iter().take(SHOWN) {
            out.push_str(&format!("error: {file}:{}\n", problem.located()));
            if source_text.is_empty() {
                // A warning made an error (`--strict`): the place, no snippet.
                continue;
            }
            let snippet = Snippet::new(source_text, &problem.span);
            let gutter = problem.line.to_string().len();
            out.push_str(&format!(
                "{:gutter$} |\n{} | {}\n{:gutter$} | {}{}\n",
                "",
                problem.line,
                snippet.text,
                "",
                " ".repeat(snippet.caret),
                "^".repeat(snippet.width),
            ));
        }
        if let Some(more) = more(problems.len()) {
            out.push_str(&format!("{file}: {more}\n"));
        }
        let count = problems.len();
        out.push_str(&format!(
            "{file}: {count} problem{}\n",
            if count == 1 { "" } else { "s" }
        ));
        out
    }

    /// The problems, if the file was read but is invalid; of a set, the
    /// first broken file's (`files` has every file's).
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems, .. } => problems,
            LoadError::Set { errors } => errors.first().map_or(&[], LoadError::problems),
            _ => &[],
        }
    }

    /// Each file's own error: a set's, one by one; any other, itself.
    pub fn files(&self) -> Vec<&LoadError> {
        match self {
            LoadError::Set { errors } => errors.iter().flat_map(LoadError::files).collect(),
            other => vec![other],
        }
    }

    /// How many problems, in every file: a file that cannot be read is one.
    pub fn count(&self) -> usize {
        self.files().iter().map(|e| e.problems().len().max(1)).sum()
    }

    /// One line for a status bar: how much is wrong, then the first place
    /// to fix, so that a narrow screen cuts the least useful part.
    pub fn summary(&self) -> String {
        let files = self.files();
        let Some(first) = files.first() else {
            return String::new();
        };
        if files.len() > 1 {
            return format!(
                "{} problems in {} files: {}",
                self.count(),
                files.len(),
                first.first_problem()
            );
        }
        let more = self.count().saturating_sub(1);
        if more > 0 {
            format!("{} (+{more} more)", first.first_problem())
        } else {
            first.first_problem()
        }
    }

    /// The first problem of one file's error, on one line, escaped.
    fn first_problem(&self) -> String {
        let first = match self {
            LoadError::Invalid { file, problems, .. } => InvalidReport {
                file,
                problems: problems.get(..1).unwrap_or_default(),
            }
            .to_string(),
            _ => self.to_string(),
        };
        let first = first.lines().next().unwrap_or_default();
        escape_controls(first).into_owned()
    }
}

/// The line a problem is on, escaped and clipped to `WINDOW` characters
/// around the problem, and where the caret goes under it.
struct Snippet {
    text: String,
    /// Cells before the caret.
    caret: usize,
    /// Carets, at least one, a cell each.
    width: usize,
}

impl Snippet {
    fn new(source: &str, span: &Range<usize>) -> Snippet {
        let start = char_floor(source, span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line_end = if source[..line_end].ends_with('\r') && line_end > start {
            line_end - 1
        } else {
            line_end
        };
        let before = &source[line_start..start];
        let after = &source[start..line_end.max(start)];
        // At most a window's worth of characters each side, escaped; then
        // as much of each as fits, the caret near the left when it can be.
        let (raw_before, cut_before) = last_chars(before, WINDOW);
        let (raw_after, cut_after) = first_chars(after, WINDOW);
        let before: Vec<char> = escape_controls(raw_before).chars().collect();
        let after: Vec<char> = escape_controls(raw_after).chars().collect();
        let keep_before = before
            .len()
            .min(WINDOW.saturating_sub(after.len()).max(LEAD));
        let keep_after = after.len().min(WINDOW - keep_before);
        let cut_before = cut_before || keep_before < before.len();
        let cut_after = cut_after || keep_after < after.len();
        let kept_before: String = before[before.len() - keep_before..].iter().collect();
        let kept_after: String = after[..keep_after].iter().collect();
        let mut text = String::new();
        if cut_before {
            text.push('…');
        }
        text.push_str(&kept_before);
        text.push_str(&kept_after);
        if cut_after {
            text.push('…');
        }
        let span_end = char_floor(source, span.end.min(line_end)).max(start);
        let (spanned, _) = first_chars(&source[start..span_end], WINDOW);
        // Carets count terminal cells, not characters: a wide character
        // (数, an emoji) before or under the place takes two.
        let width = cells(&escape_controls(spanned))
            .min(cells(&kept_after))
            .max(1);
        Snippet {
            text,
            caret: usize::from(cut_before) + cells(&kept_before),
            width,
        }
    }
}

/// Terminal cells `s` takes.
fn cells(s: &str) -> usize {
    crate::text::width(s)
}

/// The last `n` characters of `s`, and whether any came before them.
fn last_chars(s: &str, n: usize) -> (&str, bool) {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => (&s[i..], i > 0),
        _ if n == 0 => ("", !s.is_empty()),
        _ => (s, false),
    }
}

/// The first `n` characters of `s`, and whether any came after them.
fn first_chars(s: &str, n: usize) -> (&str, bool) {
    match s.char_indices().nth(n) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(source: &str, span: Range<usize>) -> (String, String) {
        let s = Snippet::new(source, &span);
        (
            s.text,
            format!("{}{}", " ".repeat(s.caret), "^".repeat(s.width)),
        )
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let source = "a = 1\nvalue = \"30 GW\"\r\nz = 2\n";
        let start = source.find('"').unwrap_or(0);
        let (text, caret) = snippet(source, start..start + 7);
        assert_eq!(text, "value = \"30 GW\"");
        assert_eq!(caret, "        ^^^^^^^");
        // At the very end, and on an empty span.
        let (text, caret) = snippet(source, source.len()..source.len());
        assert_eq!((text.as_str(), caret.as_str()), ("", "^"));
    }

    #[test]
    fn long_lines_are_clipped_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let at = line.find('X').unwrap_or(0);
        let (text, caret) = snippet(&line, at..at + 1);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!(text.chars().count(), WINDOW + 2);
        assert_eq!(
            text.chars().nth(caret.len() - 1),
            Some('X'),
            "{text}\n{caret}"
        );
        // Near the end of the line, the window takes more from before.
        let line = format!("{}X", "a".repeat(1000));
        let (text, caret) = snippet(&line, 1000..1001);
        assert!(text.starts_with('…') && text.ends_with('X'), "{text}");
        assert_eq!(text.chars().count(), WINDOW + 1);
        assert_eq!(caret.len(), WINDOW + 1);
    }

    #[test]
    fn control_characters_are_escaped_and_the_caret_follows() {
        let source = "x = \"\u{1b}[2J\" y";
        let at = source.find('y').unwrap_or(0);
        let (text, caret) = snippet(source, at..at + 1);
        assert_eq!(text, "x = \"\\u{1b}[2J\" y");
        assert_eq!(text.chars().nth(caret.len() - 1), Some('y'));
    }

    #[test]
    fn carets_count_cells_under_wide_characters() {
        // 数据 and 🚀 take two cells each: the caret must land under `x`
        // and span the whole of a wide value, as a terminal draws them.
        let source = "name = \"数据🚀\" x";
        let at = source.find('x').unwrap_or(0);
        let (text, caret) = snippet(source, at..at + 1);
        assert_eq!(text, source);
        assert_eq!(crate::text::width(&text[..at]), caret.len() - 1);
        assert!(caret.ends_with(" ^"), "{caret:?}");
        let quote = source.find('"').unwrap_or(0);
        let (_, caret) = snippet(source, quote..at - 1);
        assert_eq!(caret, format!("{}{}", " ".repeat(7), "^".repeat(8)));
    }

    #[test]
    fn identical_problems_are_kept_once_in_file_order() {
        let p = |at: usize, m: &str| Problem::at(at..at + 1, String::new(), m.to_string());
        let text = "ab\ncd\n";
        let problems = in_file_order(text, vec![p(4, "x"), p(0, "y"), p(4, "x"), p(4, "z")]);
        let seen: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column, p.message.as_str()))
            .collect();
        assert_eq!(seen, [(1, 1, "y"), (2, 2, "x"), (2, 2, "z")]);
    }
}
