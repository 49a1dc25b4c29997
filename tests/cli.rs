//! The `gigawatt` binary's non-interactive commands, run as a user would:
//! `check`, `export`, `init`, and `--data` pointing at a missing file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_gigawatt");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary from the crate root, with colour off and no terminal.
fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh path in the temp dir, removed on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn new(stem: &str) -> TempPath {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!(
            "gigawatt-cli-{stem}-{}-{n}-{nanos}.toml",
            std::process::id()
        ));
        assert!(!path.exists());
        TempPath(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("temp paths are UTF-8")
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn check_accepts_the_bundled_file() {
    let out = run(&["check", "data/openai-compute.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("data/openai-compute.toml"),
        "{}",
        describe(&out)
    );
    assert!(
        text.contains("ok: 6 providers, 5 commitments"),
        "{}",
        describe(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
}

#[test]
fn check_without_a_file_checks_the_bundled_dataset() {
    let out = run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(stdout(&out).contains("ok: 6 providers, 5 commitments"));
}

const BROKEN: &str = r#"format = 1

[dataset]
title = "Broken"
subject = "Broken Co"
as_of = 2025-11-03T09:00:00

[[sources]]
id = "report"
title = "A report"

[[providers]]
id = "cloud"
name = "Cloud"
kind = "hyperscaler"

[[commitments]]
id = "deal"
provider = "nowhere"
value = "30 GW"
status = "done"
source = "report"
"#;

#[test]
fn check_lists_every_problem_with_file_line_column_and_path() {
    let file = TempPath::new("broken");
    std::fs::write(file.path(), BROKEN).unwrap();
    let out = run(&["check", file.arg()]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stdout(&out).is_empty(), "{}", describe(&out));
    let err = stderr(&out);
    let name = file.arg();
    let expected = [
        format!("{name}:6:9: dataset.as_of: expected a date like 2025-11-03"),
        format!("{name}:19:12: commitments[0].provider: no provider with id \"nowhere\""),
        format!(
            "{name}:20:9: commitments[0].value: expected money like \"$38bn\", found power \"30 GW\""
        ),
        format!("{name}:21:10: commitments[0].status: expected one of \"signed\""),
    ];
    let mut last = 0;
    for line in &expected {
        let at = err
            .find(line.as_str())
            .unwrap_or_else(|| panic!("missing {line:?} in\n{}", describe(&out)));
        assert!(at >= last, "problems out of order:\n{err}");
        last = at;
    }
    // One `error:` line per problem, and a count at the end.
    assert_eq!(err.matches("error: ").count(), expected.len(), "{err}");
    assert!(err.contains(&format!("{name}: 4 problems")), "{err}");
}

#[test]
fn check_with_data_flag_checks_that_file() {
    let file = TempPath::new("broken-data");
    std::fs::write(file.path(), BROKEN).unwrap();
    let out = run(&["--data", file.arg(), "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains(&format!("{}:21:10:", file.arg())));
}

#[test]
fn check_never_prints_control_characters_from_the_file() {
    let file = TempPath::new("escape");
    let text = BROKEN.replace(
        "format = 1\n",
        "format = 1\n\"\\u001b]0;pwned\\u0007\" = 1\n",
    );
    std::fs::write(file.path(), text).unwrap();
    let out = run(&["check", file.arg()]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = stderr(&out);
    assert!(err.contains("pwned"), "{err}");
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "control character on stderr: {err:?}"
    );
}

fn export(table: &str, format: &str) -> String {
    let out = run(&["export", table, "--format", format]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    stdout(&out)
}

#[test]
fn export_derived_csv_keeps_values_hedges_and_coverage() {
    let text = export("derived", "csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "key",
            "label",
            "value",
            "unit",
            "qualifier",
            "covers",
            "formula"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |key: &str| -> &csv::StringRecord {
        rows.iter()
            .find(|r| &r[0] == key)
            .unwrap_or_else(|| panic!("no row {key} in\n{text}"))
    };
    let value = |key: &str| -> f64 {
        row(key)[2]
            .parse()
            .unwrap_or_else(|_| panic!("{key}: value {:?} is not a number", &row(key)[2]))
    };

    let total = row("committed_total");
    assert_eq!(&total[2], "610400000000");
    assert_eq!(&total[3], "USD");
    assert_eq!(&total[4], "exact");
    assert_eq!(&total[5], "4 of 5");

    let per_gw = value("implied_cost_per_gw");
    assert!((per_gw - 4.6667e10).abs() <= 1e8, "{per_gw}");
    assert_eq!(&row("implied_cost_per_gw")[4], "upper");

    assert_eq!(value("weeks_to_target"), 30.0);
    assert_eq!(&row("weeks_to_target")[4], "exact");

    let aws = value("value_per_year:aws-2025");
    assert!((aws - 5.4286e9).abs() <= 1e7, "{aws}");
    assert_eq!(&row("value_per_year:aws-2025")[4], "exact");

    assert_eq!(&row("date_to_target")[2], "2026-06-01");
    assert_eq!(&row("date_to_target")[3], "date");
    // Every derived row says how sure it is.
    for r in &rows {
        assert!(
            ["exact", "approx", "upper", "lower", "below"].contains(&&r[4]),
            "{r:?}"
        );
    }
}

const COMMITMENT_COLUMNS: [&str; 12] = [
    "id",
    "provider",
    "provider_name",
    "value_usd",
    "value_qualifier",
    "value_text",
    "term_years",
    "announced",
    "status",
    "online_by",
    "source",
    "at",
];

#[test]
fn export_commitments_json_has_five_objects_with_the_documented_columns() {
    let text = export("commitments", "json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let rows = json.as_array().expect("a JSON array");
    assert_eq!(rows.len(), 5);
    for row in rows {
        let object = row.as_object().expect("an object per commitment");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut expected = COMMITMENT_COLUMNS.to_vec();
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }
    let google = rows
        .iter()
        .find(|r| r["id"] == "google-cloud")
        .expect("google-cloud row");
    assert!(
        google["value_usd"].is_null(),
        "undisclosed is null, never 0"
    );
    assert!(google["value_qualifier"].is_null());
    assert_eq!(google["status"], "ongoing");
    let aws = rows.iter().find(|r| r["id"] == "aws-2025").unwrap();
    assert_eq!(aws["value_usd"].as_f64(), Some(38e9));
    assert_eq!(aws["value_qualifier"], "exact");
    assert_eq!(aws["term_years"].as_f64(), Some(7.0));
    assert_eq!(aws["provider_name"], "Amazon Web Services");
}

#[test]
fn export_commitments_markdown_has_a_header_and_five_rows() {
    let text = export("commitments", "markdown");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 2 + 5, "{text}");
    assert_eq!(lines[0], format!("| {} |", COMMITMENT_COLUMNS.join(" | ")));
    assert!(
        lines[1].split('|').filter(|c| !c.is_empty()).all(|c| c
            .trim()
            .chars()
            .all(|ch| ch == '-' || ch == ':')
            && c.contains("---")),
        "{}",
        lines[1]
    );
    assert_eq!(lines[1].matches('|').count(), COMMITMENT_COLUMNS.len() + 1);
    for row in &lines[2..] {
        assert!(row.starts_with("| ") && row.ends_with(" |"), "{row}");
        // Cells hold no unescaped pipes: each row has as many as the header.
        let unescaped = row.matches('|').count() - row.matches("\\|").count();
        assert_eq!(unescaped, COMMITMENT_COLUMNS.len() + 1, "{row}");
    }
    assert!(
        lines[2..]
            .iter()
            .any(|r| r.starts_with("| aws-2025 | aws |"))
    );
}

#[test]
fn export_reads_the_data_flag() {
    let file = TempPath::new("export-data");
    let created = run(&["init", file.arg(), "--subject", "Example Corp"]);
    assert_eq!(created.status.code(), Some(0), "{}", describe(&created));
    let out = run(&[
        "--data",
        file.arg(),
        "export",
        "commitments",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1, "the template has one commitment");
    assert_eq!(rows[0]["id"], "example-deal");
}

#[test]
fn init_writes_a_file_that_check_accepts_and_does_not_clobber() {
    let file = TempPath::new("init");
    let out = run(&["init", file.arg()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let written = std::fs::read_to_string(file.path()).expect("init wrote the file");
    assert!(written.contains("format = 1"));

    let checked = run(&["check", file.arg()]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
    assert!(stdout(&checked).starts_with(file.arg()));

    // Without --force an existing file is left alone, whatever it holds.
    let mine = "# my own notes, not a template\n";
    std::fs::write(file.path(), mine).unwrap();
    let again = run(&["init", file.arg()]);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert!(stderr(&again).contains("--force"), "{}", describe(&again));
    assert_eq!(std::fs::read_to_string(file.path()).unwrap(), mine);

    let forced = run(&["init", file.arg(), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", describe(&forced));
    assert_ne!(std::fs::read_to_string(file.path()).unwrap(), mine);
    let checked = run(&["check", file.arg()]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
}

#[test]
fn init_quotes_an_awkward_subject() {
    let file = TempPath::new("init-subject");
    let subject = r#"Quote "Co" \ Backslash"#;
    let out = run(&["init", file.arg(), "--subject", subject]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let checked = run(&["check", file.arg()]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
    let dataset = gigawatt::data::load_file(file.path()).unwrap();
    assert_eq!(dataset.subject, subject);
}

#[test]
fn a_missing_data_file_is_named_in_the_error() {
    let file = TempPath::new("missing");
    let out = run(&["--data", file.arg(), "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stdout(&out).is_empty(), "{}", describe(&out));
    let err = stderr(&out);
    assert!(err.contains(file.arg()), "{}", describe(&out));
    assert!(err.contains("cannot read"), "{}", describe(&out));

    assert!(!Path::new(ROOT).join("missing.toml").exists());
    let relative = run(&["--data", "missing.toml", "check"]);
    assert_eq!(relative.status.code(), Some(1), "{}", describe(&relative));
    assert!(
        stderr(&relative).contains("missing.toml"),
        "{}",
        describe(&relative)
    );
}
