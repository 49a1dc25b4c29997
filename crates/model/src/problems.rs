//! The problems of a file that failed to load, for the STALE line, the body
//! while there is no data yet, and the `!` overlay. Each keeps the loader's
//! located line and snippet with its caret, and says where it is in words a
//! non-programmer reads: `commitments[0]` is also "the 1st commitment (id
//! `aws-2025`)".

use crate::data::{Dataset, LoadError};
use crate::text::{truncate, width};
use unicode_segmentation::UnicodeSegmentation;

/// One problem: where, in words, and the file's line with a caret.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `FILE:LINE:COL: key.path: message`.
    pub heading: String,
    /// "the 1st commitment (id `aws-2025`)", when the path names a record.
    pub note: Option<String>,
    /// The snippet as the report prints it: a gutter, the line, the caret.
    pub snippet: Vec<String>,
}

/// One file's problems, as a group of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblems {
    /// The file's name as given, escaped.
    pub file: String,
    /// How many problems it has: more than `entries` when the report stops
    /// listing them.
    pub count: usize,
    pub entries: Vec<Entry>,
    /// What follows its problems in the report: "and 12 more".
    pub tail: Vec<String>,
}

/// Every problem of a failed load, grouped by file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problems {
    /// One line for the status bar: how many problems in how many files,
    /// and the first.
    pub summary: String,
    pub files: Vec<FileProblems>,
}

impl Problems {
    /// The problems of `error`; `known` is the last data that loaded, for
    /// record ids the broken file does not show.
    pub fn new(error: &LoadError, known: Option<&Dataset>) -> Problems {
        let files: Vec<FileProblems> = error
            .files()
            .into_iter()
            .map(|e| FileProblems::new(e, known))
            .collect();
        let mut summary = error.summary();
        let first_note = files
            .first()
            .and_then(|f| f.entries.first())
            .and_then(|e| e.note.as_ref());
        if let (Some(first), Some(note)) = (error.problems().first(), first_note) {
            summary = annotate(&summary, &first.path, note);
        }
        Problems { summary, files }
    }

    /// Problems in every file.
    pub fn count(&self) -> usize {
        self.files.iter().map(|f| f.count).sum()
    }

    /// "1 problem", "3 problems in 2 files".
    pub fn counted(&self) -> String {
        let count = self.count();
        let problems = plural(count, "problem");
        match self.files.len() {
            0 | 1 => problems,
            files => format!("{problems} in {files} files"),
        }
    }
}

/// "1 problem", "2 problems".
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

impl FileProblems {
    /// One file's error, from its report: each problem with its snippet.
    fn new(error: &LoadError, known: Option<&Dataset>) -> FileProblems {
        let (file, source) = match error {
            LoadError::Invalid {
                file, source_text, ..
            } => (file.as_str(), source_text.as_str()),
            _ => ("", ""),
        };
        let notes: Vec<Option<String>> = error
            .problems()
            .iter()
            .map(|p| record_note(&p.path, source, p.span.start, known_in(known, file)))
            .collect();
        let mut entries: Vec<Entry> = Vec::new();
        let mut tail = Vec::new();
        let report = error.report();
        let lines: Vec<&str> = report.lines().collect();
        // The report's last line counts the problems ("a.toml: 2 problems");
        // the group's title says it instead.
        let counted = match error {
            LoadError::Invalid { .. } => lines.len().saturating_sub(1),
            _ => lines.len(),
        };
        for line in &lines[..counted] {
            if let Some(heading) = line.strip_prefix("error: ") {
                let note = notes.get(entries.len()).cloned().flatten();
                entries.push(Entry {
                    heading: heading.to_string(),
                    note,
                    snippet: Vec::new(),
                });
            } else if let (true, Some(entry)) = (is_snippet_line(line), entries.last_mut()) {
                entry.snippet.push(line.to_string());
            } else {
                tail.push(line.to_string());
            }
        }
        let name = match error {
            LoadError::Invalid { file, .. }
            | LoadError::Io { file, .. }
            | LoadError::NotAFile { file, .. }
            | LoadError::TooLarge { file, .. }
            | LoadError::GrewTooLarge { file, .. }
            | LoadError::NotUtf8 { file, .. }
            | LoadError::Skipped { file, .. } => file.as_str(),
            LoadError::EmptyFolder { folder } => folder.as_str(),
            LoadError::Set { .. } => "",
        };
        FileProblems {
            file: crate::text::escape_controls(name).into_owned(),
            count: error.problems().len().max(1),
            entries,
            tail,
        }
    }
}

/// The last good data's records of `file`, to name a record the broken
/// file no longer shows: in a set, the file's own; one file's, all of them.
fn known_in<'a>(known: Option<&'a Dataset>, file: &str) -> Option<(&'a Dataset, Option<usize>)> {
    let ds = known?;
    match ds.files.iter().position(|f| f.name == file) {
        Some(index) => Some((ds, Some(index))),
        None if ds.files.len() <= 1 => Some((ds, None)),
        None => None,
    }
}

/// `line` with "(note)" after the first `: path: `.
fn annotate(line: &str, path: &str, note: &str) -> String {
    if path.is_empty() {
        return line.to_string();
    }
    let needle = format!(": {path}: ");
    // "the 1st commitment (id `x`)" reads "in the 1st commitment, id `x`"
    // inside the parentheses that set it beside the path.
    let inline = match note.strip_suffix(')').and_then(|n| n.split_once(" (")) {
        Some((place, id)) => format!("in {place}, {id}"),
        None => format!("in {note}"),
    };
    match line.find(&needle) {
        Some(at) => {
            let end = at + 2 + path.len();
            format!("{} ({inline}){}", &line[..end], &line[end..])
        }
        None => line.to_string(),
    }
}

/// `  |`, `12 | text`, `   | ^^^`: the report's snippet lines.
fn is_snippet_line(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit());
    rest.len() < line.len() && (rest == "|" || rest.starts_with("| "))
}

/// "1st", "2nd", "3rd", "11th", "22nd".
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "the 1st commitment (id `aws-2025`)" for a path that starts in a record
/// list (`commitments[0].value`, `capacity.milestones[2]`).
fn record_note(
    path: &str,
    source: &str,
    at: usize,
    known: Option<(&Dataset, Option<usize>)>,
) -> Option<String> {
    let open = path.find('[')?;
    let close = open + path[open..].find(']')?;
    let index: usize = path[open + 1..close].parse().ok()?;
    let list = &path[..open];
    let name = list.rsplit('.').next().unwrap_or(list);
    let noun = match name {
        "providers" => "provider",
        "commitments" => "commitment",
        "notes" => "note",
        "sources" => "source",
        "milestones" => "milestone",
        "hardware" => "hardware entry",
        _ => return None,
    };
    let id = id_in_source(source, at, name).or_else(|| {
        let (ds, file) = known?;
        let mine = |of: usize| file.is_none_or(|f| f == of);
        match name {
            "providers" => ds
                .providers
                .iter()
                .filter(|p| mine(p.file))
                .nth(index)
                .map(|p| p.id.clone()),
            "commitments" => ds
                .commitments
                .iter()
                .filter(|c| mine(c.file_index()))
                .nth(index)
                .map(|c| c.id.to_string()),
            "sources" => ds
                .sources
                .iter()
                .filter(|s| mine(s.file))
                .nth(index)
                .map(|s| s.id.clone()),
            _ => None,
        }
    });
    let mut note = format!("the {} {noun}", ordinal(index + 1));
    if let Some(id) = id {
        note.push_str(&format!(" (id `{}`)", crate::text::escape_controls(&id)));
    }
    Some(note)
}

/// The `id = "…"` of the `[[name]]` table that holds byte `at`, read from
/// the file's text: the broken file's own id, even where the last good data
/// had another record at that place.
fn id_in_source(source: &str, at: usize, name: &str) -> Option<String> {
    let at = crate::data::line_column(source, at);
    let lines: Vec<&str> = source.lines().collect();
    let here = at.line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let header = lines[..=here]
        .iter()
        .rposition(|l| l.trim_start().starts_with('['))?;
    let title = lines[header].trim();
    if !(title.starts_with("[[") && title.trim_matches(['[', ']', ' ']).ends_with(name)) {
        return None;
    }
    lines[header + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            if key.trim() != "id" {
                return None;
            }
            // A basic or literal string, and whatever comment follows it.
            let value = value.trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let rest = &value[1..];
            Some(rest[..rest.find(quote)?].to_string())
        })
        .filter(|id| !id.is_empty() && id.len() <= 200)
}

/// A snippet's lines fitted to `room` cells: a line and its caret are cut
/// by the same cells on the left, so the caret stays under its place.
pub fn fit_snippet(lines: &[String], room: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let caret = lines.get(i + 1).filter(|c| c_has_caret(c));
        match (line.split_once(" | "), caret) {
            (Some((gutter, text)), Some(caret_line)) if width(line) > room => {
                let caret_text = caret_line.split_once(" | ").map_or("", |(_, c)| c);
                let at = caret_text.len() - caret_text.trim_start().len();
                let lead = width(gutter) + 3;
                let keep = room.saturating_sub(lead + 1);
                let drop = at.saturating_sub(keep / 3);
                let (cut, dropped) = drop_cells(text, drop);
                let shown = if dropped > 0 {
                    format!("…{cut}")
                } else {
                    cut.to_string()
                };
                let caret_rest = if dropped > 0 {
                    format!(" {}", &caret_text[dropped.min(caret_text.len())..])
                } else {
                    caret_text.to_string()
                };
                out.push(truncate(&format!("{gutter} | {shown}"), room).into_owned());
                let gutter_blank = " ".repeat(width(gutter));
                out.push(truncate(&format!("{gutter_blank} | {caret_rest}"), room).into_owned());
                i += 2;
            }
            _ => {
                out.push(truncate(line, room).into_owned());
                i += 1;
            }
        }
    }
    out
}

fn c_has_caret(line: &str) -> bool {
    line.split_once(" | ")
        .is_some_and(|(g, c)| g.trim().is_empty() && c.trim_start().starts_with('^'))
}

/// `s` without its first `cells` cells (a wide character is dropped whole),
/// and how many cells went.
fn drop_cells(s: &str, cells: usize) -> (&str, usize) {
    let mut dropped = 0;
    for (at, g) in s.grapheme_indices(true) {
        if dropped >= cells {
            return (&s[at..], dropped);
        }
        dropped += width(g);
    }
    ("", dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_named_by_its_place_and_the_id_in_the_broken_file() {
        let text =
            "format = 1\n\n[[commitments]]\nid = \"aws-2025\"   # unique\nvalue = \"30 GW\"\n";
        let at = text.find("\"30").unwrap_or(0);
        assert_eq!(
            record_note("commitments[0].value", text, at, None).as_deref(),
            Some("the 1st commitment (id `aws-2025`)")
        );
        assert_eq!(
            annotate(
                "f.toml:5:9: commitments[0].value: expected money",
                "commitments[0].value",
                "the 1st commitment (id `aws-2025`)"
            ),
            "f.toml:5:9: commitments[0].value (in the 1st commitment, id `aws-2025`): expected money"
        );
        assert!(is_snippet_line("   |") && is_snippet_line("12 | x = 1"));
        assert!(is_snippet_line("   |     ^^^") && !is_snippet_line("f.toml: 3 problems"));
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn a_long_snippet_is_cut_with_its_caret() {
        let text = format!("{}X{}", "a".repeat(100), "b".repeat(20));
        let lines = vec![
            "   |".to_string(),
            format!("12 | {text}"),
            format!("   | {}^", " ".repeat(100)),
        ];
        let fitted = fit_snippet(&lines, 60);
        assert!(fitted.iter().all(|l| width(l) <= 60), "{fitted:#?}");
        let (text_line, caret_line) = (&fitted[1], &fitted[2]);
        let caret_at = caret_line.find('^').expect("a caret");
        assert_eq!(text_line.chars().nth(caret_at), Some('X'), "{fitted:#?}");
    }
}
