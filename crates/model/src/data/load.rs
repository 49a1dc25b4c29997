//! Reading data text: encoding, the TOML parse, then validation. A plainly
//! valid text is read a table at a time (`sections`); anything else whole,
//! which finds and places every problem.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::MAX_FILE_BYTES;
use super::error::{LoadError, Problem, in_file_order};
use super::model::*;
use super::position::line_column;
use super::sections::{diagnose_sections, load_sections};
use super::syntax::syntax_problem;
use super::validate::{Known, Validator};

/// Validates bytes already in memory; `file` names them in messages.
pub fn load_bytes(bytes: &[u8], file: &str) -> Result<Dataset, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        // The valid prefix is text, so its lines and columns can be counted.
        let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let at = line_column(prefix, offset);
        LoadError::NotUtf8 {
            file: file.to_string(),
            offset,
            line: at.line,
            column: at.column,
        }
    })?;
    load_str(text, file)
}

/// Validates TOML text; `file` names it in messages.
///
/// A valid file is read a table at a time (`load_sections`), which keeps
/// memory near the size of the data instead of that of a syntax tree of the
/// whole file (14 times the file's size at 100k commitments). Anything that
/// is not plainly valid is then read whole, which finds and places every
/// problem, so messages do not depend on the path taken.
pub fn load_str(text: &str, file: &str) -> Result<Dataset, LoadError> {
    if let Some(dataset) = load_sections(text) {
        return Ok(dataset.named(file));
    }
    load_refused(text, file, Known::default())
}

/// Files at most this long that the sectioned read refused are read whole
/// to place their problems; longer ones are diagnosed a section at a time
/// first, as a whole-file parse costs many times their size.
pub const WHOLE_READ_BYTES: usize = 4 * 1024 * 1024;

/// The read of a file the sectioned read refused: invalid, or laid out
/// otherwise. A long file's problems are found a section at a time where
/// they lie within its records (`diagnose_sections`); anything else is read
/// whole.
pub(super) fn load_refused(text: &str, file: &str, others: Known) -> Result<Dataset, LoadError> {
    if text.len() > WHOLE_READ_BYTES
        && let Some(problems) = diagnose_sections(text)
    {
        return Err(LoadError::Invalid {
            file: file.to_string(),
            source_text: text.to_string(),
            problems: in_file_order(text, problems),
        });
    }
    load_whole_with(text, file, others)
}

/// `load_refused` for any length: the sectioned diagnosis if it finds
/// problems. For tests that compare it with the whole-file read.
#[doc(hidden)]
pub fn load_diagnosed(text: &str) -> Option<Vec<Problem>> {
    diagnose_sections(text).map(|problems| in_file_order(text, problems))
}

/// `load_str` by the whole-file parse alone. Tests and the fuzz target
/// check that it agrees with `load_str`.
#[doc(hidden)]
pub fn load_whole(text: &str, file: &str) -> Result<Dataset, LoadError> {
    load_whole_with(text, file, Known::default())
}

/// `load_whole` for a file of a set: its references may also name what
/// `others` (the set's other files) defines.
pub(super) fn load_whole_with(text: &str, file: &str, others: Known) -> Result<Dataset, LoadError> {
    let invalid = |problems| LoadError::Invalid {
        file: file.to_string(),
        source_text: text.to_string(),
        problems,
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let problems: Vec<Problem> = syntax
            .iter()
            .map(|e| syntax_problem(text, e, String::new()))
            .collect();
        // The parser's recovery does not report in file order (an unclosed
        // string gives errors on the next line first); list them by position.
        return Err(invalid(in_file_order(text, problems)));
    }
    let mut validator = Validator::with_others(text, others);
    let dataset = validator.file(&root);
    match dataset {
        Some(dataset) if validator.is_clean() => Ok(dataset.named(file)),
        _ => Err(invalid(validator.problems())),
    }
}

/// The key path (`commitments[2].value`) of the innermost key or value at
/// `offset`. Only used on the error path, so a second parse is fine.
pub fn key_path_at(text: &str, offset: usize) -> String {
    let Ok(root) = DeTable::parse(text) else {
        return String::new();
    };
    let mut path = String::new();
    find_in_table(root.get_ref(), offset, &mut path);
    path
}

fn find_in_table(table: &DeTable<'_>, offset: usize, path: &mut String) -> bool {
    for (key, value) in table {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.get_ref());
        if find_in_value(value, offset, path) || key.span().contains(&offset) {
            return true;
        }
        path.truncate(len);
    }
    false
}

fn find_in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut String) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => {
            find_in_table(table, offset, path) || value.span().contains(&offset)
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                if find_in_value(item, offset, path) {
                    return true;
                }
                path.truncate(len);
            }
            value.span().contains(&offset)
        }
        _ => value.span().contains(&offset),
    }
}

/// The generator of `cargo run --example gen`, for the tests below.
#[cfg(test)]
#[allow(dead_code)] // its `main` and helpers
#[path = "../../../../examples/gen.rs"]
mod generator;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sections::{scan_headers, stream_sections};
    use std::io::Read;

    use super::generator;

    const BASE: &str = r#"format = 1

[dataset]
title = "Test compute"
subject = "TestCo"
as_of = 2025-11-03

[[sources]]
id = "report"
title = "A report"

[[providers]]
id = "cloud-a"
name = "Cloud A"
kind = "hyperscaler"

[[commitments]]
id = "deal-a"
provider = "cloud-a"
value = "$38bn"
status = "signed"
source = "report"

[capacity]
target = "30 GW"

[[capacity.milestones]]
date = 2026-12-31
label = "Online"
provider = "cloud-a"

[[notes]]
subject = "Cloud A"
kind = "stock"
headline = "Shares rise"
"#;

    /// A reader that hands out a few bytes at a time, to cut sections
    /// anywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            self.step = self.step % 7 + 1;
            Ok(n)
        }
    }

    /// Every way in reads the same: by sections, streamed, and whole.
    fn agree(text: &str) -> Option<Dataset> {
        let whole = load_whole(text, "t.toml").ok();
        let sections = load_sections(text).map(|d| d.named("t.toml"));
        if sections.is_some() {
            assert_eq!(sections, whole, "sections differ from whole:\n{text}");
        }
        // Byte-by-byte reads rescan the pending section (quadratic): only on
        // small texts; larger ones in odd-sized reads that still cut headers.
        let step = if text.len() < 8192 { 1 } else { 4093 };
        let streamed = stream_sections(Trickle {
            bytes: text.as_bytes(),
            step,
        })
        .map(|d| d.named("t.toml"));
        assert_eq!(
            streamed, sections,
            "streamed differs from sections:\n{text}"
        );
        assert_eq!(load_str(text, "t.toml").ok(), whole);
        whole
    }

    #[test]
    fn the_paths_agree_on_generated_and_format_1_files() {
        // A frozen copy of the first dataset, in format 1.
        let format_1 = include_str!("../../../../tests/fixtures/ui.toml");
        assert!(load_sections(format_1).is_some());
        agree(format_1).expect("the format 1 fixture loads");

        for (n, seed) in [(0, 1), (1, 2), (10, 3), (300, 4), (600, 5)] {
            let text = generator::generate(n, seed);
            let sections = load_sections(&text).expect("generated files take the fast path");
            assert_eq!(sections.commitments.len(), n);
            let sections = sections.named("gen.toml");
            assert_eq!(Some(sections), load_whole(&text, "gen.toml").ok());
        }
        let text = generator::generate(200, 9);
        agree(&text).expect("generated loads");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        assert!(load_sections(&windows).is_some());
        agree(&windows).expect("CRLF and BOM load");
    }

    #[test]
    fn format_2_files_take_the_fast_path_and_agree() {
        let multi = include_str!("../../../../tests/fixtures/multi-buyer.toml");
        let mut files: Vec<(&str, &str)> = crate::data::BUNDLED_FILES.to_vec();
        files.push(("multi-buyer.toml", multi));
        let mut fast = 0;
        for (name, text) in files {
            // A file that leans on its set's other files fails alone, by
            // both paths; every other takes the fast path.
            let whole = agree(text);
            assert_eq!(
                load_sections(text).is_some(),
                whole.is_some(),
                "{name}: the paths disagree on whether it loads"
            );
            fast += usize::from(whole.is_some());
        }
        assert!(fast >= 2, "only {fast} files load alone");
        for (n, seed) in [(0, 1), (1, 2), (10, 3), (300, 4)] {
            let text = generator::generate_v2(n, seed);
            let d = load_sections(&text).expect("generated format 2 files take the fast path");
            assert_eq!(d.commitments.len(), n);
            agree(&text).expect("generated format 2 loads");
        }
    }

    /// The problems the whole-file read gives `text`.
    fn whole_problems(text: &str) -> Vec<Problem> {
        match load_whole(text, "f.toml") {
            Err(LoadError::Invalid { problems, .. }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    /// `n`th occurrence of `needle` in `text`, replaced by `with`.
    fn replace_nth(text: &str, needle: &str, n: usize, with: &str) -> String {
        let (at, _) = text.match_indices(needle).nth(n).expect("needle");
        format!("{}{with}{}", &text[..at], &text[at + needle.len()..])
    }

    #[test]
    fn a_long_files_problems_are_found_a_section_at_a_time_as_the_whole_read_finds_them() {
        for text in [generator::generate_v2(400, 3), generator::generate(400, 4)] {
            // A misspelt key, a figure the format refuses and a bad status
            // in records far apart: each keeps its place and its record's
            // index, later records' indices included.
            let typo = replace_nth(&text, "\nprovider = ", 120, "\nprovidr = ");
            let typo = replace_nth(&typo, "\nstatus = \"", 300, "\nstatus = \"maybe-");
            let typo = replace_nth(&typo, "\nheadline = ", 20, "\nheadline = 5\n#");
            // A syntax error is reported alone, as the whole read does.
            let syntax = replace_nth(&text, "\nprovider = ", 200, "\nprovider = = ");
            let unclosed = replace_nth(&text, "\nid = \"", 250, "\nid = \"open\nx = 1\n");
            for broken in [typo, syntax, unclosed] {
                let whole = whole_problems(&broken);
                assert!(!whole.is_empty());
                assert_eq!(load_diagnosed(&broken), Some(whole));
            }
        }
    }

    #[test]
    fn what_spans_the_file_leaves_the_diagnosis_to_the_whole_read() {
        let text = generator::generate_v2(200, 5);
        // A dangling reference is only seen once every section is read.
        let dangling = replace_nth(&text, "\nprovider = \"", 50, "\nprovider = \"nowhere-");
        assert!(!whole_problems(&dangling).is_empty());
        assert_eq!(load_diagnosed(&dangling), None);
        // A valid file has nothing to diagnose.
        assert_eq!(load_diagnosed(&text), None);
    }

    const BASE_2: &str = r#"format = 2

[dataset]
title = "Test ledger"
subject = "lab"
as_of = 2025-11-03

[[sources]]
id = "report"
title = "A report"

[[parties]]
id = "lab"
name = "Lab"
kind = "lab"

[[providers]]
id = "cloud"
name = "Cloud"
kind = "cloud"

[[commitments]]
id = "deal"
provider = "cloud"
value = "$1bn-$2bn"
announced = "2025-H2"
status = "signed"
source = "report"
"#;

    #[test]
    fn format_2_plans_own_the_milestones_after_them() {
        let milestone = |label: &str| {
            format!("\n[[capacity.milestones]]\ndate = \"2026-Q1\"\nlabel = \"{label}\"\n")
        };
        let plans = format!(
            "{BASE_2}\n[[capacity]]\ntarget = \"1 GW\"\n{}{}\n[[capacity]]\nbuyer = \"cloud\"\n\
             target = \"2 GW\"\n{}",
            milestone("a"),
            milestone("b"),
            milestone("c")
        );
        let d = load_sections(&plans).expect("plans take the fast path");
        let labels: Vec<Vec<&str>> = d
            .capacities
            .iter()
            .map(|c| c.milestones.iter().map(|m| m.label.as_str()).collect())
            .collect();
        assert_eq!(labels, [vec!["a", "b"], vec!["c"]]);
        agree(&plans).expect("plans load");
        // A table, or milestones alone (an implicit table), as in format 1.
        let table = format!(
            "{BASE_2}\n[capacity]\ntarget = \"1 GW\"\n{}",
            milestone("a")
        );
        assert!(load_sections(&table).is_some());
        agree(&table).expect("a table loads");
        let alone = format!("{BASE_2}{}", milestone("a"));
        assert!(load_sections(&alone).is_some());
        agree(&alone).expect("milestones alone load");
    }

    /// Format 2's checks across sections: each of these is invalid, so the
    /// fast path leaves it to the whole-file check.
    #[test]
    fn what_format_2_checks_across_sections_sends_the_file_whole() {
        let base = include_str!("../../../../tests/fixtures/multi-buyer.toml");
        assert!(load_sections(base).is_some());
        let first = |from: &str, to: &str| {
            assert!(base.contains(from), "{from:?} is not in the fixture");
            base.replacen(from, to, 1)
        };
        let cases = [
            // The subject is no party; a deal names no buyer and there is
            // no subject; a buyer or a plan's buyer written empty.
            first("subject = \"openai\"", "subject = \"nobody\""),
            first("subject = \"openai\"\n", "")
                + "\n[[commitments]]\nid = \"no-buyer\"\nprovider = \"oracle\"\nstatus = \"signed\"\n",
            base.to_string()
                + "\n[[commitments]]\nid = \"empty-buyer\"\nbuyer = \"\"\nprovider = \"oracle\"\n\
                   status = \"signed\"\n",
            base.to_string() + "\n[[capacity]]\nbuyer = \"\"\ntarget = \"1 GW\"\n",
            // References to records nowhere in the file.
            base.to_string()
                + "\n[[commitments]]\nid = \"stray\"\nbuyer = \"nobody\"\nprovider = \"oracle\"\n\
                   status = \"signed\"\n",
            base.to_string()
                + "\n[[commitments]]\nid = \"stray\"\nprovider = \"oracle\"\nstatus = \"signed\"\n\
                   supersedes = \"nothing\"\n",
            base.to_string()
                + "\n[[commitments]]\nid = \"itself\"\nprovider = \"oracle\"\nstatus = \"signed\"\n\
                   supersedes = \"itself\"\n",
            base.to_string()
                + "\n[[commitments]]\nid = \"loop-a\"\nprovider = \"oracle\"\nstatus = \"signed\"\n\
                   supersedes = \"loop-b\"\n\n[[commitments]]\nid = \"loop-b\"\nprovider = \"oracle\"\n\
                   status = \"signed\"\nsupersedes = \"loop-a\"\n",
            base.to_string()
                + "\n[[commitments]]\nid = \"alt\"\nprovider = \"oracle\"\nstatus = \"signed\"\n\
                   value = [{ figure = \"$1bn\", source = \"nowhere\" }]\n",
            base.to_string()
                + "\n[[notes]]\nsubject = \"x\"\nkind = \"stock\"\nheadline = \"h\"\n\
                   sources = [{ source = \"nowhere\" }]\n",
            base.to_string()
                + "\n[[capacity]]\nbuyer = \"openai\"\n\n[[capacity.milestones]]\ndate = \"2026\"\n\
                   label = \"x\"\ncommitment = \"nothing\"\n",
            base.to_string()
                + "\n[[capacity]]\nbuyer = \"openai\"\n\n[[capacity.milestones]]\ndate = \"2026\"\n\
                   label = \"x\"\nprovider = \"nobody\"\n",
            // Duplicate ids across `[[parties]]` and `[[providers]]`.
            base.to_string()
                + "\n[[providers]]\nid = \"oracle\"\nname = \"Oracle\"\nkind = \"cloud\"\n",
            // What TOML forbids: a plan table, then plans; milestones, then plans.
            base.to_string() + "\n[capacity]\ntarget = \"1 GW\"\n",
            BASE_2.to_string()
                + "\n[[capacity.milestones]]\ndate = 2026-01-01\nlabel = \"x\"\n\n[[capacity]]\n\
                   target = \"1 GW\"\n",
            // Format 2's tables in a format 1 file.
            include_str!("../../../../tests/fixtures/ui.toml").to_string()
                + "\n[[parties]]\nid = \"x\"\nname = \"X\"\nkind = \"lab\"\n",
            include_str!("../../../../tests/fixtures/ui.toml")
                .replace("[capacity]", "[[capacity]]"),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert!(
                load_sections(text).is_none(),
                "case {i} read by sections:\n{text}"
            );
            assert!(agree(text).is_none(), "case {i} loads:\n{text}");
        }
    }

    #[test]
    fn layouts_the_sections_do_not_read_still_load_whole() {
        let inline = BASE.replace("[[sources]]\nid = \"report\"\ntitle = \"A report\"\n", "");
        let inline = inline.replace(
            "format = 1\n",
            "format = 1\nsources = [{ id = \"report\", title = \"A report\" }]\n",
        );
        let cases = [
            // Inline records.
            inline,
            // Milestones before their table.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", "")
                + "\n[capacity]\ntarget = \"30 GW\"\n",
            // Milestones with no `[capacity]` at all.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", ""),
            // Headers quoted and spaced, comments after them.
            BASE.replace("[[notes]]", "[[ \"notes\" ]] # market"),
            // Strings that look like headers.
            BASE.replace(
                "headline = \"Shares rise\"",
                "headline = \"Shares [[rise]]\"\nbody = \"\"\"\n[[commitments]]\nid = 'x'\n\"\"\"",
            ),
            BASE.replace(
                "headline = \"Shares rise\"",
                "headline = 'it is [x]'\nbody = '''\n[dataset]\n'''",
            ),
            // A value spanning lines whose lines start with `[` (valid TOML,
            // if not valid data: the scan must not cut it).
            BASE.replace(
                "kind = \"hyperscaler\"",
                "kind = \"hyperscaler\"\nhardware = [\n[\"a\"],\n  [ \"b\" ]\n]",
            ),
            BASE.replace(
                "kind = \"hyperscaler\"",
                "kind = \"hyperscaler\"\nhardware = [\n\"a\", # [x]\n\"b\"\n]",
            ),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_eq!(agree(text).is_some(), i != 6, "case {i}:\n{text}");
        }
        assert!(load_sections(&cases[3]).is_some());
        assert!(load_sections(&cases[5]).is_some());
        assert_eq!(
            agree(&cases[4]).unwrap().notes[0].body.as_deref(),
            Some("[[commitments]]\nid = 'x'\n")
        );
    }

    #[test]
    fn what_toml_forbids_across_sections_is_never_read_by_sections() {
        let cases = [
            // A static array, then an array of tables of the same name.
            BASE.replace("format = 1\n", "format = 1\ncommitments = []\n"),
            // `[capacity]` setting `milestones`, then appending to it.
            BASE.replace(
                "target = \"30 GW\"\n",
                "target = \"30 GW\"\nmilestones = []\n",
            ),
            // A table defined twice.
            BASE.to_string() + "\n[dataset]\ntitle = \"Again\"\n",
            BASE.to_string() + "\n[capacity]\ntarget = \"1 GW\"\n",
            // A table extending an inline one.
            BASE.replace("[capacity]\ntarget = \"30 GW\"\n", "")
                .replace(
                    "format = 1\n",
                    "format = 1\ncapacity = { target = \"30 GW\" }\n",
                ),
            // Keys of the root after a header, and a root table by dotted keys.
            BASE.replace("format = 1\n", "") + "\nformat = 1\n",
            BASE.replace("format = 1\n", "format = 1\ndataset.title = \"x\"\n"),
            // Sub-tables of records.
            BASE.to_string() + "\n[commitments.extra]\nx = 1\n",
            BASE.to_string() + "\n[[providers.hardware]]\nx = 1\n",
            // An unterminated string that swallows a header.
            BASE.replace("title = \"A report\"", "title = \"A report"),
            BASE.replace("title = \"A report\"", "title = \"\"\"A report"),
            // Duplicates and dangling references.
            BASE.replace("id = \"deal-a\"", "id = \"report\"")
                + "\n[[sources]]\nid = \"report\"\ntitle = \"B\"\n",
            BASE.replace(
                "provider = \"cloud-a\"\nvalue",
                "provider = \"nobody\"\nvalue",
            ),
            BASE.replace("source = \"report\"", "source = \"elsewhere\""),
            BASE.replace("format = 1", "format = 3"),
        ];
        for text in &cases {
            assert!(load_sections(text).is_none(), "read by sections:\n{text}");
            assert!(agree(text).is_none(), "loads:\n{text}");
        }
    }

    #[test]
    fn the_scan_finds_headers_and_only_headers() {
        let text = "a = [\n[1],\n  [2]\n] # [c]\n  [t] # x\nb = \"\"\"\n[u]\n\"\"\"\n\
                    c = '''\n[v]'''\nd = { e = [\n[3]] }\n[[w]]\n[x]";
        let mut starts = Vec::new();
        assert_eq!(
            scan_headers(text.as_bytes(), 0, true, &mut starts),
            text.len()
        );
        let lines: Vec<&str> = starts
            .iter()
            .map(|&s| text[s..].lines().next().unwrap_or_default())
            .collect();
        assert_eq!(lines, ["  [t] # x", "[[w]]", "[x]"]);
        // Without the end of the file, the last line may go on.
        let mut starts = Vec::new();
        let cut = text.len() - 1;
        let done = scan_headers(&text.as_bytes()[..cut], 0, false, &mut starts);
        assert_eq!(starts.len(), 2);
        assert_eq!(&text[done..], "[x]");
    }

    #[test]
    fn a_header_cut_by_a_read_waits_for_the_rest() {
        // Byte-sized reads on a small file (each read rescans the pending
        // section, so this is quadratic), larger ones on a larger file.
        let small = generator::generate(5, 11);
        let large = generator::generate(50, 11);
        for (text, step) in [
            (&small, 1),
            (&small, 2),
            (&small, 3),
            (&large, 64),
            (&large, 4096),
        ] {
            let streamed = stream_sections(Trickle {
                bytes: text.as_bytes(),
                step,
            });
            assert_eq!(streamed, load_sections(text), "step {step}");
        }
        // Not UTF-8, or too long a section: the caller reads the file whole.
        let mut bytes = BASE.as_bytes().to_vec();
        bytes.extend_from_slice(b"\n[[notes]]\nsubject = \"\xff\"\n");
        assert!(stream_sections(bytes.as_slice()).is_none());
    }
}
