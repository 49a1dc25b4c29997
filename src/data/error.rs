//! Why a data file could not be loaded, said so a person can fix it.

use std::fmt;
use std::ops::Range;

/// One thing wrong with a file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// `commitments[2].value`; empty for syntax errors outside any key.
    pub path: String,
    pub message: String,
    /// Byte range in the file, for the caret under the line.
    pub span: Range<usize>,
}

impl Problem {
    /// `LINE:COL: PATH: MESSAGE`, the part after the file name.
    ///
    /// Escaped: the path and serde's "unknown field" message quote a key as
    /// written, and a quoted key may hold control characters
    /// (`"\u001b]0;x\u0007" = 1`), which must not reach the terminal.
    pub fn located(&self) -> String {
        let located = if self.path.is_empty() {
            format!("{}:{}: {}", self.line, self.column, self.message)
        } else {
            format!(
                "{}:{}: {}: {}",
                self.line, self.column, self.path, self.message
            )
        };
        crate::text::escape_controls(&located).into_owned()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}: the file is {size} bytes; gigawatt refuses files over 64 MiB ({} bytes)",
        super::load::MAX_FILE_BYTES
    )]
    TooLarge { file: String, size: u64 },
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
}

struct InvalidReport<'a> {
    file: &'a str,
    problems: &'a [Problem],
}

impl fmt::Display for InvalidReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let file = crate::text::escape_controls(self.file);
            write!(f, "{file}:{}", problem.located())?;
        }
        Ok(())
    }
}

impl LoadError {
    /// Every problem, each with its line of the file and a caret under the
    /// place, the way compilers show errors. Control characters in the file
    /// are escaped so that the report is safe to print.
    pub fn report(&self) -> String {
        let LoadError::Invalid {
            file,
            source_text,
            problems,
        } = self
        else {
            return format!(
                "error: {}\n",
                crate::text::escape_controls(&self.to_string())
            );
        };
        // File names are shown too, and a path may hold control characters.
        let file = crate::text::escape_controls(file);
        let mut out = String::new();
        for problem in problems {
            out.push_str(&format!("error: {file}:{}\n", problem.located()));
            if let Some(line) = source_text.lines().nth(problem.line.saturating_sub(1)) {
                let gutter = problem.line.to_string().len();
                let shown = crate::text::escape_controls(line);
                let width = problem.span.len().clamp(
                    1,
                    shown
                        .chars()
                        .count()
                        .saturating_sub(problem.column - 1)
                        .max(1),
                );
                out.push_str(&format!(
                    "{:gutter$} |\n{} | {}\n{:gutter$} | {}{}\n",
                    "",
                    problem.line,
                    shown,
                    "",
                    " ".repeat(problem.column - 1),
                    "^".repeat(width),
                ));
            }
        }
        let count = problems.len();
        out.push_str(&format!(
            "{file}: {count} problem{}\n",
            if count == 1 { "" } else { "s" }
        ));
        out
    }

    /// The problems, if the file was read but is invalid.
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    /// One line for a status bar: the first problem, and how many more.
    pub fn summary(&self) -> String {
        let first = self.to_string();
        let first = first.lines().next().unwrap_or_default().to_string();
        let more = self.problems().len().saturating_sub(1);
        let line = if more > 0 {
            format!("{first} (+{more} more)")
        } else {
            first
        };
        crate::text::escape_controls(&line).into_owned()
    }
}
