//! The data contract (`../shared/docs/data-format.md`) from the outside: every
//! rule a broken file can break, the size and encoding guards, the bundled
//! dataset and its derived figures, and a fuzz that the loader never panics.

use chrono::NaiveDate;
use gigawatt_model::data::{
    self, BUNDLED, Cite, Dataset, LoadError, MAX_FILE_BYTES, NoteKind, ProviderKind, Status,
    load_bytes, load_file, load_str,
};
use gigawatt_model::export::{self, Format, TableName};
use gigawatt_model::figure::{Figure, Period, Qualifier, Unit};
use gigawatt_model::ledger::{self, Derived, DerivedValue};
use proptest::prelude::*;

mod common;
use common::{Case, edited, temp_dir};

/// A small valid file with every section. Line numbers matter: the broken
/// cases below assert them.
const BASE: &str = include_str!("fixtures/base.toml");

fn problems_of(text: &str) -> Vec<data::Problem> {
    match load_str(text, "bad.toml") {
        Ok(_) => panic!("expected the file to be refused:\n{text}"),
        Err(e) => {
            assert!(
                matches!(e, LoadError::Invalid { .. }),
                "expected Invalid, got {e:?}"
            );
            e.problems().to_vec()
        }
    }
}

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

#[test]
fn base_file_is_valid() {
    let d = load_str(BASE, "base.toml").expect("the base file of the broken cases is valid");
    assert_eq!(d.title, "Test compute");
    assert_eq!(d.as_of, NaiveDate::from_ymd_opt(2025, 11, 3).unwrap());
    assert_eq!(d.providers.len(), 2);
    assert_eq!(d.commitments.len(), 1);
    assert_eq!(d.commitments[0].status, Status::Signed);
    let capacity = d.capacity().unwrap();
    assert_eq!(capacity.milestones.len(), 1);
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.notes[0].kind, NoteKind::Stock);
}

const DATASET_BLOCK: &str =
    "[dataset]\ntitle = \"Test compute\"\nsubject = \"TestCo\"\nas_of = 2025-11-03\n\n";

const CASES: &[Case] = &[
    Case {
        name: "missing format",
        edits: &[("format = 1\n", "")],
        line: 1,
        column: 1,
        path: "format",
        message: "missing required key `format`",
    },
    Case {
        name: "unsupported format",
        edits: &[("format = 1", "format = 3")],
        line: 1,
        column: 10,
        path: "format",
        message: "unsupported format 3; this build of gigawatt reads format 1, 2",
    },
    Case {
        name: "format as a string",
        edits: &[("format = 1", "format = \"1\"")],
        line: 1,
        column: 10,
        path: "format",
        message: "this build of gigawatt reads format 1",
    },
    Case {
        name: "missing [dataset]",
        edits: &[(DATASET_BLOCK, "")],
        line: 1,
        column: 1,
        path: "dataset",
        message: "missing required key `dataset`",
    },
    Case {
        name: "missing dataset.title",
        edits: &[("title = \"Test compute\"\n", "")],
        line: 3,
        column: 1,
        path: "dataset.title",
        message: "missing required key `title`",
    },
    Case {
        name: "as_of quoted",
        edits: &[("as_of = 2025-11-03", "as_of = \"2025-11-03\"")],
        line: 6,
        column: 9,
        path: "dataset.as_of",
        message: "write a TOML date without quotes, like 2025-11-03",
    },
    Case {
        name: "as_of a date-time",
        edits: &[("as_of = 2025-11-03", "as_of = 2025-11-03T10:00:00Z")],
        line: 6,
        column: 9,
        path: "dataset.as_of",
        message: "expected a date like 2025-11-03, found 2025-11-03T10:00:00Z",
    },
    Case {
        name: "unknown key in a commitment",
        edits: &[("value = \"$38bn\"", "valu = \"$38bn\"")],
        line: 25,
        column: 1,
        path: "commitments[0].valu",
        message: "unknown field `valu`, expected one of `id`, `provider`, `value`",
    },
    Case {
        name: "unknown key in a milestone",
        edits: &[("label = \"Online\"\n", "label = \"Online\"\nlabels = 1\n")],
        line: 39,
        column: 1,
        path: "capacity.milestones[0].labels",
        message: "unknown field `labels`",
    },
    Case {
        name: "duplicate provider id",
        edits: &[("id = \"chips-b\"", "id = \"cloud-a\"")],
        line: 18,
        column: 6,
        path: "providers[1].id",
        message: "duplicate id \"cloud-a\", already used by providers[0]",
    },
    Case {
        name: "id with uppercase",
        edits: &[("id = \"deal-a\"", "id = \"Deal-A\"")],
        line: 23,
        column: 6,
        path: "commitments[0].id",
        message: "id \"Deal-A\" must be made of a-z, 0-9 and - only",
    },
    Case {
        name: "commitment names a missing provider",
        edits: &[(
            "provider = \"cloud-a\"\nvalue",
            "provider = \"nowhere\"\nvalue",
        )],
        line: 24,
        column: 12,
        path: "commitments[0].provider",
        message: "no provider with id \"nowhere\" in [[providers]]",
    },
    Case {
        name: "source names a missing source",
        edits: &[("source = \"report\"", "source = \"nosuch\"")],
        line: 28,
        column: 10,
        path: "commitments[0].source",
        message: "no source with id \"nosuch\" in [[sources]]",
    },
    Case {
        name: "milestone names a missing provider",
        edits: &[(
            "provider = \"cloud-a\"\n\n[[notes]]",
            "provider = \"nowhere\"\n\n[[notes]]",
        )],
        line: 39,
        column: 12,
        path: "capacity.milestones[0].provider",
        message: "no provider with id \"nowhere\" in [[providers]]",
    },
    Case {
        name: "money field holding power",
        edits: &[("value = \"$38bn\"", "value = \"30 GW\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "expected money like \"$38bn\", found power \"30 GW\"",
    },
    Case {
        name: "percent field holding money",
        edits: &[("change = \"+5%\"", "change = \"$5bn\"")],
        line: 45,
        column: 10,
        path: "notes[0].change",
        message: "expected percent like \"+5%\", found money \"$5bn\"",
    },
    Case {
        name: "negative money",
        edits: &[("value = \"$38bn\"", "value = \"-$5bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "money cannot be negative: \"-$5bn\"",
    },
    // Before, "more than $0" passed as a bound: a floor of nothing.
    Case {
        name: "a lower bound of zero",
        edits: &[("value = \"$38bn\"", "value = \"more than $0\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "a lower bound of zero says nothing: \"more than $0\"",
    },
    Case {
        name: "a decimal point with no digit after it",
        edits: &[("value = \"$38bn\"", "value = \"$5.bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "malformed number in \"$5.bn\": a decimal point needs a digit after it",
    },
    Case {
        name: "thousands commas out of step",
        edits: &[("value = \"$38bn\"", "value = \"$1,40bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "malformed number in \"$1,40bn\": thousands commas group three digits",
    },
    Case {
        name: "unparseable figure",
        edits: &[(
            "homes_equivalent = \"roughly 25m homes\"",
            "homes_equivalent = \"hundreds of thousands\"",
        )],
        line: 34,
        column: 20,
        path: "capacity.homes_equivalent",
        message: "expected count like \"roughly 25m homes\": no number in \"hundreds of thousands\"",
    },
    Case {
        name: "wrong provider kind",
        edits: &[("kind = \"hyperscaler\"", "kind = \"hyper-scaler\"")],
        line: 15,
        column: 8,
        path: "providers[0].kind",
        message: "expected one of \"hyperscaler\", \"cloud\", \"neocloud\", \"chipmaker\", \"other\", found \"hyper-scaler\"",
    },
    Case {
        name: "wrong status",
        edits: &[("status = \"signed\"", "status = \"done\"")],
        line: 27,
        column: 10,
        path: "commitments[0].status",
        message: "expected one of \"signed\", \"agreed\", \"reported\", \"ongoing\", \"option\", found \"done\"",
    },
    Case {
        name: "missing status",
        edits: &[("status = \"signed\"\n", "")],
        line: 22,
        column: 1,
        path: "commitments[0].status",
        message: "missing required key `status` (one of \"signed\",",
    },
    Case {
        name: "wrong note kind",
        edits: &[("kind = \"stock\"", "kind = \"rumour\"")],
        line: 43,
        column: 8,
        path: "notes[0].kind",
        message: "expected one of \"stock\", \"valuation\", \"finance\", \"analyst\", \"statement\", \"context\", found \"rumour\"",
    },
    Case {
        name: "control character in a name",
        edits: &[("name = \"Cloud A\"", "name = \"Cloud \\u001b[31mA\"")],
        line: 14,
        column: 8,
        path: "providers[0].name",
        message: "control character U+001B at character 7 of the string",
    },
    Case {
        name: "C1 control character in a headline",
        edits: &[(
            "headline = \"Shares rise\"",
            "headline = \"Shares \\u009b rise\"",
        )],
        line: 44,
        column: 12,
        path: "notes[0].headline",
        message: "control character U+009B at character 8",
    },
    Case {
        name: "no [[sources]]",
        edits: &[
            ("[[sources]]\nid = \"report\"\ntitle = \"A report\"\n\n", ""),
            ("source = \"report\"\n", ""),
        ],
        line: 1,
        column: 1,
        path: "sources",
        message: "missing required key `sources` (at least one [[sources]] entry)",
    },
    Case {
        name: "no [[providers]]",
        edits: &[
            (
                "[[providers]]\nid = \"cloud-a\"\nname = \"Cloud A\"\nkind = \"hyperscaler\"\n\n",
                "",
            ),
            (
                "[[providers]]\nid = \"chips-b\"\nname = \"Chips B\"\nkind = \"chipmaker\"\n\n",
                "",
            ),
            (
                "[[commitments]]\nid = \"deal-a\"\nprovider = \"cloud-a\"\nvalue = \"$38bn\"\n\
                 term = \"7 years\"\nstatus = \"signed\"\nsource = \"report\"\nat = \"para 3\"\n\n",
                "",
            ),
            ("provider = \"cloud-a\"\n", ""),
        ],
        line: 1,
        column: 1,
        path: "providers",
        message: "missing required key `providers` (at least one [[providers]] entry)",
    },
    Case {
        name: "TOML syntax error",
        edits: &[("kind = \"hyperscaler\"", "kind = hyperscaler")],
        line: 15,
        column: 8,
        path: "",
        message: "string values must be quoted",
    },
    Case {
        name: "impossible calendar date",
        edits: &[("date = 2026-12-31", "date = 2026-02-30")],
        line: 37,
        column: 8,
        path: "",
        message: "invalid date",
    },
];

#[test]
fn each_broken_rule_is_reported_with_line_column_path_and_message() {
    assert!(CASES.len() >= 18);
    let failures = common::failed_cases(BASE, CASES);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn key_path_at_names_the_innermost_key() {
    let text = edited(BASE, &[("value = \"$38bn\"", "valu = \"$38bn\"")]);
    let offset = text.find("valu").unwrap();
    assert_eq!(data::key_path_at(&text, offset), "commitments[0].valu");
    let offset = text.find("\"up to").unwrap() + 3;
    assert_eq!(data::key_path_at(&text, offset), "capacity.target_cost");
    let offset = text.find("2026-12-31").unwrap();
    assert_eq!(
        data::key_path_at(&text, offset),
        "capacity.milestones[0].date"
    );
    let offset = text.find("\"Shares rise\"").unwrap();
    assert_eq!(data::key_path_at(&text, offset), "notes[0].headline");
}

#[test]
fn display_names_file_line_column_and_path() {
    let text = edited(BASE, &[("value = \"$38bn\"", "value = \"30 GW\"")]);
    let e = load_str(&text, "bad.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "bad.toml:25:9: commitments[0].value: expected money like \"$38bn\", found power \"30 GW\""
    );
    let report = e.report();
    assert!(report.starts_with("error: bad.toml:25:9: commitments[0].value: "));
    assert!(report.contains("25 | value = \"30 GW\""), "{report}");
    assert!(report.ends_with("bad.toml: 1 problem\n"), "{report}");
}

#[test]
fn three_independent_problems_are_all_reported_in_file_order() {
    // The validator meets these out of file order (ids are checked before
    // [dataset]), so this also checks that problems are sorted.
    let text = edited(
        BASE,
        &[
            ("as_of = 2025-11-03", "as_of = 2025-11-03T10:00:00Z"),
            ("id = \"chips-b\"", "id = \"cloud-a\""),
            ("kind = \"stock\"", "kind = \"rumour\""),
        ],
    );
    let e = load_str(&text, "bad.toml").unwrap_err();
    let problems = e.problems();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let places: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.path.as_str())).collect();
    assert_eq!(
        places,
        [
            (6, "dataset.as_of"),
            (18, "providers[1].id"),
            (43, "notes[0].kind")
        ]
    );
    assert!(
        problems
            .windows(2)
            .all(|w| w[0].span.start < w[1].span.start)
    );
    assert_eq!(e.to_string().lines().count(), 3);
    assert!(e.report().ends_with("bad.toml: 3 problems\n"));
    assert!(e.summary().ends_with("(+2 more)"), "{}", e.summary());
}

#[test]
fn syntax_errors_are_listed_in_file_order() {
    // A string broken across lines: the parser's recovery reports the
    // stray quote on the next line before the unclosed string.
    let text = edited(
        BASE,
        &[("title = \"Test compute\"", "title = \"Test compute\n\"")],
    );
    let problems = problems_of(&text);
    assert!(problems.len() >= 2, "{problems:#?}");
    assert_eq!(problems[0].line, 4, "{problems:#?}");
    assert!(
        problems
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start),
        "{problems:#?}"
    );
}

#[test]
fn control_characters_in_keys_and_file_names_never_reach_the_report() {
    // A quoted key is echoed by serde's "unknown field" message.
    let text = edited(
        BASE,
        &[(
            "format = 1\n",
            "format = 1\n\"\\u001b]0;pwned\\u0007\" = 1\n",
        )],
    );
    let e = load_str(&text, "bad\u{1b}[2J.toml").unwrap_err();
    assert_eq!(e.problems().len(), 1);
    assert_eq!(e.problems()[0].line, 2);
    for shown in [e.report(), e.to_string(), e.summary()] {
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "control character in {shown:?}"
        );
        assert!(shown.contains("pwned"), "{shown:?}");
    }
}

#[test]
fn non_utf8_bytes_are_located_by_offset_line_and_column() {
    // "é" is two bytes but one column.
    let bytes = b"format = 1\n# caf\xc3\xa9 \xff\n";
    let e = load_bytes(bytes, "bad.toml").unwrap_err();
    match &e {
        LoadError::NotUtf8 {
            file,
            offset,
            line,
            column,
        } => {
            assert_eq!(file, "bad.toml");
            assert_eq!((*offset, *line, *column), (19, 2, 8));
        }
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    let message = e.to_string();
    assert!(
        message.starts_with("bad.toml:2:8: not valid UTF-8 at byte offset 19"),
        "{message}"
    );
    assert!(e.problems().is_empty());
}

#[test]
fn files_over_64_mib_are_refused_before_reading() {
    let dir = temp_dir();
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    drop(file);
    let e = load_file(&path).unwrap_err();
    match &e {
        LoadError::TooLarge { size, .. } => assert_eq!(*size, MAX_FILE_BYTES + 1),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let message = e.to_string();
    assert!(message.contains("64 MiB"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");

    // A sparse terabyte: reading it would fail to allocate (an Io error) or
    // take minutes, so a quick TooLarge shows the size was checked first.
    let file = std::fs::File::create(&path).unwrap();
    if file.set_len(1 << 40).is_ok() {
        drop(file);
        match load_file(&path) {
            Err(LoadError::TooLarge { size, .. }) => assert_eq!(size, 1 << 40),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    } else {
        eprintln!("skipping the terabyte check: the temp file system refused a sparse 1 TiB file");
    }
}

#[test]
fn a_file_of_exactly_64_mib_is_not_refused_for_its_size() {
    let dir = temp_dir();
    let path = dir.path().join("limit.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES).unwrap();
    drop(file);
    let bytes = data::read_file(&path).expect("64 MiB exactly is within the limit");
    assert_eq!(bytes.len() as u64, MAX_FILE_BYTES);
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let dir = temp_dir();
    let path = dir.path().join("missing.toml");
    let e = load_file(&path).unwrap_err();
    assert!(matches!(e, LoadError::Io { .. }), "{e:?}");
    assert!(e.to_string().contains(&path.display().to_string()));
}

// ------------------------------------------------------------ bundled data

/// The seed article's dataset, `data/openai-compute.toml`, on its own.
fn bundled() -> Dataset {
    data::load_str(BUNDLED, data::BUNDLED_NAME)
        .unwrap_or_else(|e| panic!("the seed dataset is invalid:\n{}", e.report()))
}

const SOURCE_ID: &str = "amazon-openai-38bn";

/// "para 5" -> [5]; "paras 8-9" -> [8, 9]; "paras 2, 4" -> [2, 4].
fn cited_paragraphs(at: &str) -> Vec<usize> {
    let list = at
        .strip_prefix("paras ")
        .or_else(|| at.strip_prefix("para "))
        .unwrap_or_else(|| panic!("locator {at:?} is not \"para N\" or \"paras ...\""));
    let number = |s: &str| -> usize {
        s.trim()
            .parse()
            .unwrap_or_else(|_| panic!("bad paragraph number in {at:?}"))
    };
    let mut out = Vec::new();
    for part in list.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a), number(b));
                assert!(a < b, "bad range in {at:?}");
                out.extend(a..=b);
            }
            None => out.push(number(part)),
        }
    }
    out
}

/// Every cited record: what it is, and its citation.
fn citations(d: &Dataset) -> Vec<(String, &Cite)> {
    let mut out = Vec::new();
    for p in &d.providers {
        out.push((format!("provider {}", p.id), p.cite()));
    }
    for c in &d.commitments {
        out.push((format!("commitment {}", c.id), c.cite()));
    }
    let capacity = d.capacity().expect("bundled capacity");
    out.push(("capacity".to_string(), capacity.cite()));
    for m in &capacity.milestones {
        out.push((format!("milestone {}", m.label), m.cite()));
    }
    for n in &d.notes {
        out.push((format!("note {}", n.headline), n.cite()));
    }
    out
}

#[test]
fn bundled_dataset_loads_with_its_providers_and_commitments() {
    let d = bundled();
    assert_eq!(d.subject, "OpenAI");
    assert_eq!(d.as_of, NaiveDate::from_ymd_opt(2025, 11, 3).unwrap());
    let ids: Vec<&str> = d.providers.iter().map(|p| p.id.as_str()).collect();
    for id in [
        "aws",
        "azure",
        "oracle",
        "coreweave",
        "google-cloud",
        "nvidia",
    ] {
        assert!(ids.contains(&id), "provider {id} missing from {ids:?}");
    }
    // The six suppliers and OpenAI, the buyer, a party of its own in format 2.
    assert_eq!(d.providers.len(), 7);
    assert!(ids.contains(&"openai"));
    assert_eq!(d.provider("nvidia").unwrap().kind, ProviderKind::Chipmaker);
    assert_eq!(d.provider("aws").unwrap().kind, ProviderKind::Hyperscaler);
    assert_eq!(
        d.provider("coreweave").unwrap().kind,
        ProviderKind::Neocloud
    );

    assert_eq!(d.commitments.len(), 5);
    let google: Vec<_> = d
        .commitments
        .iter()
        .filter(|c| c.provider == "google-cloud")
        .collect();
    assert_eq!(google.len(), 1);
    assert_eq!(google[0].value, None, "google-cloud's value is undisclosed");
    assert_eq!(google[0].status, Status::Ongoing);
    for c in &d.commitments {
        assert!(d.provider(&c.provider).is_some());
        if c.provider != "google-cloud" {
            let value = c.value.as_ref().expect("disclosed value");
            assert_eq!(value.qualifier, Qualifier::Exact, "{}", c.id);
            assert_eq!(value.unit, Unit::Money);
        }
    }
    let aws = d.commitments.iter().find(|c| c.id == "aws-2025").unwrap();
    assert!(close(aws.value.as_ref().unwrap().value, 38e9, 1.0));
    assert_eq!(aws.term.as_ref().unwrap().years(), Some(7.0));
    assert_eq!(aws.status, Status::Signed);
}

#[test]
fn bundled_records_all_cite_a_source_and_a_place() {
    let d = bundled();
    assert_eq!(d.sources.len(), 1);
    assert_eq!(d.sources[0].id, SOURCE_ID);
    for (what, cite) in citations(&d) {
        assert_eq!(cite.source.as_deref(), Some(SOURCE_ID), "{what}");
        let at = cite
            .at
            .as_deref()
            .unwrap_or_else(|| panic!("{what}: no `at`"));
        assert!(!cited_paragraphs(at).is_empty(), "{what}");
    }
}

#[test]
fn bundled_citations_point_at_paragraphs_that_exist_and_say_so() {
    let article_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/000_df9fd06c6db8c158.txt"
    );
    let Ok(article) = std::fs::read_to_string(article_path) else {
        eprintln!("skipping the paragraph check: {article_path} is not present");
        return;
    };
    // Paragraphs are blank-line-separated blocks after the headline, from 1
    // (data/README.md's rule): `blocks[0]` is the headline, `blocks[n]` para n.
    let paragraphs: Vec<&str> = article
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(paragraphs.len() >= 20, "article has {}", paragraphs.len());
    let d = bundled();
    for (what, cite) in citations(&d) {
        for n in cited_paragraphs(cite.at.as_deref().unwrap()) {
            assert!(
                (1..paragraphs.len()).contains(&n),
                "{what}: para {n} is not in the article ({} paragraphs)",
                paragraphs.len() - 1
            );
        }
    }
    // Money figures are quoted as the report words them, so the cited
    // paragraphs must hold that wording: this catches an `at` that is off by one.
    let cited_text = |cite: &Cite| -> String {
        cited_paragraphs(cite.at.as_deref().unwrap())
            .into_iter()
            .map(|n| paragraphs[n].to_lowercase())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut checked = 0;
    for c in &d.commitments {
        if let Some(value) = &c.value {
            let text = cited_text(c.cite());
            assert!(
                text.contains(&value.text.as_str().to_lowercase()),
                "commitment {}: {:?} not in its cited paragraphs",
                c.id,
                value.text
            );
            checked += 1;
        }
    }
    for n in &d.notes {
        let text = cited_text(n.cite());
        if let Some(amount) = &n.amount {
            assert!(
                text.contains(&amount.text.as_str().to_lowercase()),
                "note {:?}: {:?} not in its cited paragraphs",
                n.headline,
                amount.text
            );
            checked += 1;
        }
        if let Some(change) = &n.change {
            let bare = change.text.trim_start_matches('+');
            assert!(
                text.contains(bare),
                "note {:?}: {bare:?} not in its cited paragraphs",
                n.headline
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4 + 5 + 2);
}

fn assert_figure(figure: Option<&Figure>, q: Qualifier, value: f64, unit: Unit, what: &str) {
    let f = figure.unwrap_or_else(|| panic!("{what} missing"));
    assert_eq!(f.qualifier, q, "{what}: {f:?}");
    assert!(
        close(f.value, value, value.abs() * 1e-12),
        "{what}: {} != {value}",
        f.value
    );
    assert_eq!(f.unit, unit, "{what}");
}

#[test]
fn bundled_capacity_figures_keep_their_hedges() {
    let d = bundled();
    let c = d.capacity().unwrap();
    assert_figure(
        c.target.as_ref(),
        Qualifier::Exact,
        30e9,
        Unit::Power,
        "target",
    );
    assert_figure(
        c.target_cost.as_ref(),
        Qualifier::Upper,
        1.4e12,
        Unit::Money,
        "target_cost",
    );
    assert_figure(
        c.build_rate.as_ref(),
        Qualifier::Exact,
        1e9,
        Unit::Rate(Period::Week),
        "build_rate",
    );
    assert_eq!(c.build_rate.as_ref().unwrap().watts_per_week(), Some(1e9));
    assert_figure(
        c.cost_per_gw.as_ref(),
        Qualifier::Lower,
        40e9,
        Unit::Money,
        "cost_per_gw",
    );
    assert_figure(
        c.homes_equivalent.as_ref(),
        Qualifier::Approx,
        25e6,
        Unit::Count(Some("US homes".into())),
        "homes_equivalent",
    );
    assert_eq!(c.milestones.len(), 3);
    assert!(
        c.milestones
            .iter()
            .all(|m| m.provider.as_deref() == Some("aws"))
    );
}

#[test]
fn bundled_notes_keep_their_hedges() {
    let d = bundled();
    let changes: Vec<(f64, bool)> = d
        .notes
        .iter()
        .filter_map(|n| n.change.as_ref())
        .map(|f| (f.value, f.plus_sign))
        .collect();
    assert!(changes.contains(&(10.0, true)), "{changes:?}");
    assert!(changes.contains(&(5.0, true)), "{changes:?}");
    let rising: Vec<_> = d.notes.iter().filter(|n| n.change.is_some()).collect();
    assert!(
        rising
            .iter()
            .all(|n| n.kind == NoteKind::Stock && n.subject == "Amazon")
    );

    let amounts: Vec<&Figure> = d.notes.iter().filter_map(|n| n.amount.as_ref()).collect();
    let has = |q: Qualifier, v: f64| {
        amounts
            .iter()
            .any(|f| f.qualifier == q && f.unit == Unit::Money && close(f.value, v, v * 1e-12))
    };
    assert!(has(Qualifier::Below, 140e9), "nearly $140bn");
    assert!(has(Qualifier::Approx, 20e9), "about $20bn");
    assert!(has(Qualifier::Upper, 1e12), "up to $1tn");
    assert!(has(Qualifier::Lower, 40e9), "exceeding $40bn");
    assert!(has(Qualifier::Upper, 1.4e12), "as much as $1.4tn");
    assert!(
        !amounts.iter().any(|f| f.qualifier == Qualifier::Exact),
        "every reported amount in the article is hedged"
    );

    let statements: Vec<_> = d
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Statement)
        .collect();
    assert!(statements.len() >= 2);
    assert!(statements.iter().all(|n| n.speaker.is_some()));
    let speakers: Vec<&str> = statements
        .iter()
        .filter_map(|n| n.speaker.as_deref())
        .collect();
    assert!(speakers.iter().any(|s| s.starts_with("Sam Altman")));
    assert!(speakers.iter().any(|s| s.starts_with("Matt Garman")));
    assert!(
        d.notes
            .iter()
            .filter(|n| n.kind != NoteKind::Statement)
            .all(|n| n.speaker.is_none())
    );
}

// ----------------------------------------------------------------- derived

fn find<'a>(all: &'a [Derived], key: &str) -> &'a Derived {
    all.iter()
        .find(|d| d.key == key)
        .unwrap_or_else(|| panic!("no derived figure {key}"))
}

fn derived_figure<'a>(all: &'a [Derived], key: &str) -> &'a Figure {
    find(all, key)
        .figure()
        .unwrap_or_else(|| panic!("{key} is not a figure"))
}

#[test]
fn bundled_derived_figures() {
    let d = bundled();
    let all = ledger::all(&d);

    let total = find(&all, "committed_total");
    let f = total.figure().unwrap();
    assert!(close(f.value, 610.4e9, 1.0), "{}", f.value);
    assert_eq!(f.qualifier, Qualifier::Exact);
    assert_eq!(f.unit, Unit::Money);
    assert_eq!(total.covers, Some((4, 5)));
    assert_eq!(
        ledger::total_sentence(total),
        "$610.4bn across 4 of 5 commitments"
    );

    let per_gw = derived_figure(&all, "implied_cost_per_gw");
    assert!(close(per_gw.value, 4.6667e10, 1e7), "{}", per_gw.value);
    assert_eq!(per_gw.qualifier, Qualifier::Upper);
    assert_eq!(per_gw.unit, Unit::MoneyPerGw);
    assert_eq!(per_gw.compact(), "≤$46.7bn/GW");

    let weeks = derived_figure(&all, "weeks_to_target");
    assert!(close(weeks.value, 30.0, 1e-9), "{}", weeks.value);
    assert_eq!(weeks.qualifier, Qualifier::Exact);
    assert_eq!(weeks.unit, Unit::Duration(Period::Week));
    assert_eq!(
        find(&all, "date_to_target").value,
        DerivedValue::Date(
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            Qualifier::Exact
        )
    );

    let aws = find(&all, "value_per_year:aws-2025");
    let f = aws.figure().unwrap();
    assert!(close(f.value, 5.4286e9, 1e5), "{}", f.value);
    assert_eq!(f.qualifier, Qualifier::Exact);
    assert_eq!(f.unit, Unit::MoneyPer(Period::Year));
    assert_eq!(aws.formula, "$38bn / 7 years = $5.43bn/yr");
    // Only the AWS deal has a term.
    assert_eq!(
        all.iter()
            .filter(|d| d.key.starts_with("value_per_year:"))
            .count(),
        1
    );

    // A capex estimate from a lower-bound cost per GW is itself a lower bound.
    let capex = derived_figure(&all, "target_capex");
    assert!(close(capex.value, 1.2e12, 1e3), "{}", capex.value);
    assert_eq!(capex.qualifier, Qualifier::Lower);

    // Shares: one per disclosed commitment; the undisclosed one has none.
    let shares: Vec<&Derived> = all.iter().filter(|d| d.key.starts_with("share:")).collect();
    assert_eq!(shares.len(), 4);
    assert!(!all.iter().any(|d| d.key == "share:google-cloud"));
    let sum: f64 = shares.iter().map(|d| d.figure().unwrap().value).sum();
    assert!(close(sum, 100.0, 1e-9), "{sum}");
}

#[test]
fn undisclosed_values_are_left_out_not_zero() {
    // One undisclosed and one hedged value: the sum covers 1 of 2 and keeps
    // the hedge.
    let text = edited(
        BASE,
        &[(
            "[capacity]",
            "[[commitments]]\nid = \"deal-b\"\nprovider = \"chips-b\"\nstatus = \"reported\"\n\n\
         [[commitments]]\nid = \"deal-c\"\nprovider = \"chips-b\"\nvalue = \"nearly $2bn\"\n\
         status = \"option\"\n\n[capacity]",
        )],
    );
    let d = load_str(&text, "t.toml").unwrap_or_else(|e| panic!("{}", e.report()));
    let all = ledger::all(&d);
    let total = find(&all, "committed_total");
    assert_eq!(total.covers, Some((2, 3)));
    let f = total.figure().unwrap();
    assert_eq!(f.qualifier, Qualifier::Upper, "exact + nearly is at most");
    assert!(close(f.value, 40e9, 1.0));
    assert_eq!(total.compact(), "≤$40bn");
}

// -------------------------------------------------------------------- fuzz

/// Whatever the input, a load either succeeds or explains itself: problems
/// located inside the file, in order, and a report safe for a terminal. The
/// fast path (a table at a time) reads what the whole-file parse reads.
fn exercise(bytes: &[u8]) -> Result<(), TestCaseError> {
    let loaded = load_bytes(bytes, "fuzz.toml");
    if let Ok(text) = std::str::from_utf8(bytes) {
        let whole = data::load_whole(text, "fuzz.toml");
        prop_assert_eq!(loaded.as_ref().ok(), whole.as_ref().ok());
    }
    match loaded {
        Ok(dataset) => {
            let _ = ledger::all(&dataset);
            for table in [
                TableName::Providers,
                TableName::Commitments,
                TableName::Milestones,
                TableName::Notes,
                TableName::Derived,
            ] {
                let t = export::table(&dataset, table, None);
                for format in [Format::Csv, Format::Json, Format::Markdown] {
                    let mut out = Vec::new();
                    export::write(&t, format, &mut out)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                }
            }
        }
        Err(e) => {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            if let LoadError::Invalid { problems, .. } = &e {
                prop_assert!(!problems.is_empty());
                for p in problems {
                    prop_assert!(p.line >= 1 && p.line <= lines, "{:?}", p);
                    prop_assert!(p.column >= 1, "{:?}", p);
                }
                prop_assert!(
                    problems
                        .windows(2)
                        .all(|w| w[0].span.start <= w[1].span.start),
                    "{:?}",
                    problems
                );
            }
            let report = e.report();
            prop_assert!(
                !report.chars().any(|c| c.is_control() && c != '\n'),
                "{:?}",
                report
            );
            let _ = e.summary();
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Token(prop::sample::Index, String),
    DuplicateLine(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
}

/// Fragments that keep a mutated file near the grammar, so mutations reach
/// the validator and the figure parser rather than stopping at syntax.
fn tokens() -> Vec<String> {
    let mut tokens: Vec<String> = [
        "\"",
        "'",
        "[[",
        "]]",
        "=",
        "\n",
        "#",
        "\\u001b",
        "\\u009b",
        "\\",
        "-",
        "$",
        " GW",
        "/week",
        "%",
        "nearly ",
        "up to ",
        "0",
        ",",
        "T10:00:00Z",
        "[capacity]\n",
        "[[commitments]]\n",
        "[[capacity]]\n",
        "[[capacity.milestones]]\n",
        "[[parties]]\n",
        "supersedes = \"",
        "buyer = \"",
        "commitment = \"",
        "\"\"",
        "2026-H2",
        "-$9bn",
        "é",
        "\u{1b}",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // More digits than an f64 holds: the value becomes infinite.
    tokens.push("9".repeat(400));
    tokens
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<prop::sample::Index>(), prop::sample::select(tokens()))
            .prop_map(|(i, t)| Mutation::Token(i, t)),
        any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let split_lines = |bytes: &[u8]| -> Vec<Vec<u8>> {
        bytes
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    match mutation {
        Mutation::Delete(at, n) => {
            if bytes.is_empty() {
                return;
            }
            let start = at.index(bytes.len());
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert(at, new) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Token(at, token) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, token.bytes());
        }
        Mutation::DuplicateLine(line) => {
            let mut lines = split_lines(bytes);
            if lines.is_empty() {
                return;
            }
            let i = line.index(lines.len());
            let copy = lines[i].clone();
            lines.insert(i + 1, copy);
            *bytes = lines.concat();
        }
        Mutation::SwapLines(a, b) => {
            let mut lines = split_lines(bytes);
            if lines.is_empty() {
                return;
            }
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            *bytes = lines.concat();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes)?;
    }

    #[test]
    fn random_text_never_panics(text in "[a-z_\\[\\]=\"$.0-9 \n#-]{0,512}") {
        exercise(text.as_bytes())?;
    }

    #[test]
    fn mutated_bundled_file_never_panics(
        mutations in prop::collection::vec(mutation(), 1..4)
    ) {
        let mut bytes = BUNDLED.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        exercise(&bytes)?;
    }

    #[test]
    fn mutated_format_2_file_never_panics_and_the_paths_agree(
        mutations in prop::collection::vec(mutation(), 1..4)
    ) {
        let mut bytes = include_bytes!("fixtures/multi-buyer.toml").to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        exercise(&bytes)?;
    }
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_accepted() {
    let plain = bundled();
    let windows = format!("\u{feff}{}", BUNDLED.replace('\n', "\r\n"));
    let d =
        load_bytes(windows.as_bytes(), "crlf.toml").unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(d.title, plain.title);
    assert_eq!(d.providers.len(), plain.providers.len());
    // Prose may keep its `\r`s; everything else reads the same.
    assert_eq!(d.commitments.len(), plain.commitments.len());
    for (a, b) in d.commitments.iter().zip(&plain.commitments) {
        assert_eq!(
            (&a.id, &a.value, &a.term, a.status),
            (&b.id, &b.value, &b.term, b.status)
        );
        assert_eq!(
            a.summary.as_ref().map(|s| s.replace('\r', "")),
            b.summary.as_deref().map(str::to_string)
        );
    }
    assert_eq!(d.notes.len(), plain.notes.len());
    // Errors in such a file are still placed on the right line and column.
    let broken = windows.replace("status = \"signed\"", "status = \"done\"");
    let e = load_str(&broken, "crlf.toml").unwrap_err();
    let line = BUNDLED
        .lines()
        .position(|l| l == "status = \"signed\"")
        .unwrap()
        + 1;
    assert_eq!(e.problems().len(), 1);
    assert_eq!((e.problems()[0].line, e.problems()[0].column), (line, 10));
}
