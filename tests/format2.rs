//! Format 2, the build-out ledger: a file per rule it adds, each broken
//! one reported with its file, line, column, key path and message; every
//! problem of a file in one pass; the example ledger in
//! `tests/fixtures/multi-buyer.toml`, which uses every feature; and format
//! 1 files, which keep format 1's rules and load into the same model.

mod common;

use common::{Case, edited};
use gigawatt_model::data::{self, DealKind, NoteKind, PartyKind, Status, Vocabulary, load_str};
use gigawatt_model::figure::{DateKind, Qualifier, Span, Unit};

/// A small valid format 2 file. Line numbers matter: the cases assert them.
const BASE: &str = r#"format = 2

[dataset]
title = "Small ledger"
subject = "lab"
as_of = 2025-11-03

[[sources]]
id = "report"
title = "A report"

[[parties]]
id = "lab"
name = "Lab"
kind = "lab"

[[parties]]
id = "cloud"
name = "Cloud"
kind = "cloud"

[[commitments]]
id = "deal"
provider = "cloud"
value = "$38bn"
power = "1 GW"
status = "signed"
announced = "2026-Q1"
source = "report"
"#;

/// A money figure of 320 digits, past the largest finite number.
const OVERFLOW: &str = "value = \"$99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999bn\"";

const CASES: &[Case] = &[
    Case {
        name: "a foreign currency",
        edits: &[("value = \"$38bn\"", "value = \"€3bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "expected money like \"$38bn\": \"€\" is not US dollars in \"€3bn\": \
                  convert the amount to US dollars and note the rate used in the summary",
    },
    Case {
        name: "an unreadable hedge word",
        edits: &[("value = \"$38bn\"", "value = \"roughy $38bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "expected money like \"$38bn\": cannot read \"roughy\" in \"roughy $38bn\"",
    },
    // Before, "over $0" passed as a bound: a floor of nothing, read as a
    // figure bounded neither way.
    Case {
        name: "a lower bound of zero",
        edits: &[("value = \"$38bn\"", "value = \"over $0\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "a lower bound of zero says nothing: \"over $0\"; give the bound the \
                  source gives, or leave the figure out",
    },
    Case {
        name: "a lower bound of zero in power",
        edits: &[("power = \"1 GW\"", "power = \"at least 0 GW\"")],
        line: 26,
        column: 9,
        path: "commitments[0].power",
        message: "a lower bound of zero says nothing: \"at least 0 GW\"",
    },
    // Before, the message blamed thousands commas the figure does not have.
    Case {
        name: "a decimal point with no digit after it",
        edits: &[("value = \"$38bn\"", "value = \"$5.bn\"")],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "expected money like \"$38bn\": malformed number in \"$5.bn\": \
                  a decimal point needs a digit after it",
    },
    Case {
        name: "an overflowing figure",
        edits: &[("value = \"$38bn\"", OVERFLOW)],
        line: 25,
        column: 9,
        path: "commitments[0].value",
        message: "expected money like \"$38bn\": number too large in \"$999",
    },
    Case {
        name: "a malformed hedged date",
        edits: &[("announced = \"2026-Q1\"", "announced = \"2026-Q5\"")],
        line: 28,
        column: 13,
        path: "commitments[0].announced",
        message: "expected a date like 2025-11-03 or \"2026-H2\": \
                  quarter must be 1–4, found \"Q5\" in \"2026-Q5\"",
    },
    Case {
        name: "supersedes an unknown id",
        edits: &[(
            "status = \"signed\"",
            "status = \"signed\"\nsupersedes = \"deal-0\"",
        )],
        line: 28,
        column: 14,
        path: "commitments[0].supersedes",
        message: "no commitment with id \"deal-0\" in [[commitments]]",
    },
    Case {
        name: "a deal with neither buyer nor subject",
        edits: &[("subject = \"lab\"\n", "")],
        line: 21,
        column: 1,
        path: "commitments[0].buyer",
        message: "no buyer: the deal has no `buyer` and [dataset] has no `subject` to \
                  default to; add buyer = \"party-id\" here or subject = \"party-id\" to [dataset]",
    },
    Case {
        name: "power given as money",
        edits: &[("power = \"1 GW\"", "power = \"$1bn\"")],
        line: 26,
        column: 9,
        path: "commitments[0].power",
        message: "expected power like \"30 GW\", found money \"$1bn\"",
    },
    Case {
        name: "an unknown kind",
        edits: &[(
            "provider = \"cloud\"",
            "provider = \"cloud\"\nkind = \"leasing\"",
        )],
        line: 25,
        column: 8,
        path: "commitments[0].kind",
        message: "expected one of \"compute\", \"chips\", \"power\", \"investment\", \"other\", \
                  \"backstop\", \"debt\", found \"leasing\"",
    },
    Case {
        name: "a bidi control in a name, written as an escape",
        edits: &[("name = \"Cloud\"", "name = \"Cl\\u202Eoud\"")],
        line: 19,
        column: 11,
        path: "parties[1].name",
        message: "invisible character U+202E (right-to-left override) at character 3 of the \
                  string; ids, names and figures may not hold invisible characters",
    },
    Case {
        name: "a bidi control in a name, written as itself",
        edits: &[("name = \"Lab\"", "name = \"L\u{2067}ab\"")],
        line: 14,
        column: 10,
        path: "parties[0].name",
        message: "invisible character U+2067 (right-to-left isolate) at character 2",
    },
];

#[test]
fn each_rule_of_format_2_is_reported_with_file_line_column_path_and_message() {
    let failures = common::failed_cases(BASE, CASES);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A format 1 file with four independent mistakes.
const FOUR_MISTAKES_1: &str = r#"format = 1

[dataset]
title = "Four"
subject = "Four Co"
as_of = "2025-11-03"

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
valu = "$3bn"
status = "done"
source = "report"
"#;

#[test]
fn four_independent_mistakes_are_reported_in_one_run_in_line_order() {
    // Format 1: a date as a string, a dangling provider, a typo'd key, a
    // bad status. The typo'd key used to stop the check on its own.
    let e = load_str(FOUR_MISTAKES_1, "four.toml").unwrap_err();
    let found: Vec<(usize, &str)> = e
        .problems()
        .iter()
        .map(|p| (p.line, p.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (6, "dataset.as_of"),
            (19, "commitments[0].provider"),
            (20, "commitments[0].valu"),
            (21, "commitments[0].status"),
        ],
        "{}",
        e.report()
    );
    assert!(
        e.problems()[0]
            .message
            .contains("write a TOML date without quotes")
    );
    assert!(e.problems()[2].message.contains("unknown field `valu`"));
    assert!(e.report().ends_with("four.toml: 4 problems\n"));

    // Format 2: the same with an unreadable hedged date, and a key typo'd
    // before the others, so that the order is by line, not by kind.
    let text = edited(
        BASE,
        &[
            ("id = \"deal\"\n", "id = \"deal\"\nprovder = \"cloud\"\n"),
            ("provider = \"cloud\"", "provider = \"nowhere\""),
            ("status = \"signed\"", "status = \"sealed\""),
            (
                "announced = \"2026-Q1\"",
                "announced = \"sometime in 2026\"",
            ),
        ],
    );
    let e = load_str(&text, "four.toml").unwrap_err();
    let found: Vec<(usize, &str)> = e
        .problems()
        .iter()
        .map(|p| (p.line, p.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (24, "commitments[0].provder"),
            (25, "commitments[0].provider"),
            (28, "commitments[0].status"),
            (29, "commitments[0].announced"),
        ],
        "{}",
        e.report()
    );
}

#[test]
fn format_1_files_keep_format_1_rules() {
    let format1 = BASE
        .replace("format = 2", "format = 1")
        .replace("subject = \"lab\"", "subject = \"Lab\"")
        .replace("[[parties]]", "[[providers]]")
        .replace("kind = \"lab\"", "kind = \"other\"")
        .replace("power = \"1 GW\"\n", "")
        .replace("announced = \"2026-Q1\"", "announced = 2026-01-15");
    let d = load_str(&format1, "one.toml").unwrap_or_else(|e| panic!("{}", e.report()));
    // The subject "Lab" is the party `lab`, which the file has: no
    // implicit party, and it buys every deal.
    assert_eq!(d.subject, "Lab");
    assert_eq!(d.subject_id.as_deref(), Some("lab"));
    assert!(d.subject_party.is_none());
    assert_eq!(d.commitments[0].buyer, "lab");
    assert_eq!(d.files[0].format, 1);
    assert_eq!(d.files[0].name, "one.toml");

    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "[[providers]]\nid = \"lab\"",
            "[[parties]]\nid = \"lab\"",
            "parties",
            "`parties` needs format = 2",
        ),
        (
            "provider = \"cloud\"",
            "provider = \"cloud\"\nbuyer = \"lab\"",
            "commitments[0].buyer",
            "`buyer` needs format = 2",
        ),
        (
            "kind = \"cloud\"",
            "kind = \"energy\"",
            "providers[1].kind",
            "\"energy\" needs format = 2; this file says format = 1 (format 1 takes one of \"hyperscaler\"",
        ),
        (
            "status = \"signed\"",
            "status = \"cancelled\"",
            "commitments[0].status",
            "\"cancelled\" needs format = 2",
        ),
        (
            "announced = 2026-01-15",
            "announced = \"2026-H1\"",
            "commitments[0].announced",
            "hedged dates such as \"2026-H2\" need format = 2",
        ),
        (
            "value = \"$38bn\"",
            "value = [{ figure = \"$38bn\", source = \"report\" }]",
            "commitments[0].value",
            "attributed alternatives ({ figure, source, at }) needs format = 2",
        ),
        (
            "value = \"$38bn\"",
            "value = \"$5bn-$10bn\"",
            "commitments[0].value",
            "expected money like \"$38bn\"",
        ),
    ];
    for (from, to, path, message) in cases {
        assert_eq!(format1.matches(from).count(), 1, "{from}");
        let text = format1.replacen(from, to, 1);
        let e = load_str(&text, "one.toml").unwrap_err();
        let problems = e.problems();
        assert!(
            problems.len() == 1
                && problems[0].path == *path
                && problems[0].message.contains(message),
            "{to}: {problems:#?}"
        );
    }
}

#[test]
fn a_format_1_subject_is_a_party_that_stays_out_of_the_providers() {
    // The first dataset as it was written, in format 1.
    let d = data::load_str(include_str!("fixtures/ui.toml"), "ui.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(d.subject, "OpenAI");
    assert_eq!(d.subject_id.as_deref(), Some("openai"));
    assert_eq!(d.providers.len(), 6);
    let subject = d.party("openai").expect("the subject is a party");
    assert_eq!(
        (subject.name.as_str(), subject.kind),
        ("OpenAI", PartyKind::Other)
    );
    assert!(d.provider("openai").is_none(), "not listed among providers");
    assert!(d.commitments.iter().all(|c| c.buyer == "openai"));
    assert!(d.commitments.iter().all(|c| c.kind == DealKind::Compute));
    assert_eq!(d.capacities.len(), 1);
    assert_eq!(d.capacity().map(|c| c.buyer.as_str()), Some("openai"));
    assert_eq!(d.files.len(), 1);
    assert_eq!(d.files[0].subject.as_deref(), Some("openai"));
    assert_eq!(data::party_id_of("Acme AI, Inc."), "acme-ai-inc");
    assert_eq!(data::party_id_of("  --  "), "subject");
}

#[test]
fn references_inside_format_2_records_must_resolve() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // An alternative's source.
        (
            "value = \"$38bn\"",
            "value = [{ figure = \"$38bn\", source = \"report\" }, { figure = \"$40bn\", source = \"elsewhere\" }]",
            "commitments[0].value[1].source",
            "no source with id \"elsewhere\" in [[sources]]",
        ),
        // A citation in `sources`.
        (
            "source = \"report\"",
            "sources = [{ source = \"report\" }, { source = \"gone\", at = \"p 2\" }]",
            "commitments[0].sources[1].source",
            "no source with id \"gone\"",
        ),
        // A buyer.
        (
            "provider = \"cloud\"",
            "provider = \"cloud\"\nbuyer = \"nobody\"",
            "commitments[0].buyer",
            "no party with id \"nobody\"",
        ),
        // The subject.
        (
            "subject = \"lab\"",
            "subject = \"labs\"",
            "dataset.subject",
            "no party with id \"labs\"",
        ),
        // A deal that supersedes itself.
        (
            "status = \"signed\"",
            "status = \"signed\"\nsupersedes = [\"deal\"]",
            "commitments[0].supersedes",
            "cannot supersede itself",
        ),
        // A revenue note without its amount.
        (
            "source = \"report\"\n",
            "source = \"report\"\n\n[[notes]]\nsubject = \"lab\"\nkind = \"revenue\"\nheadline = \"Revenue\"\n",
            "notes[0].amount",
            "missing required key `amount`",
        ),
        // A deal's site.
        (
            "status = \"signed\"",
            "status = \"signed\"\nsites = [\"nowhere\"]",
            "commitments[0].sites",
            "no site with id \"nowhere\" in [[sites]]",
        ),
        // A status note's deal.
        (
            "source = \"report\"\n",
            "source = \"report\"\n\n[[notes]]\nsubject = \"lab\"\nkind = \"status\"\nheadline = \"Stalls\"\n\
             commitment = \"no-deal\"\nstatus = \"stalled\"\ndate = 2026-01-01\n",
            "notes[0].commitment",
            "no commitment with id \"no-deal\"",
        ),
    ];
    for (from, to, path, message) in cases {
        let text = edited(BASE, &[(from, to)]);
        let e = load_str(&text, "refs.toml").unwrap_err();
        let problems = e.problems();
        assert!(
            problems.len() == 1
                && problems[0].path == *path
                && problems[0].message.contains(message),
            "{to}: {problems:#?}"
        );
    }
    // Chains of `supersedes` must end.
    let looped = edited(
        BASE,
        &[(
            "source = \"report\"\n",
            "source = \"report\"\nsupersedes = \"deal-b\"\n\n[[commitments]]\nid = \"deal-b\"\n\
         provider = \"cloud\"\nstatus = \"signed\"\nsupersedes = \"deal\"\n",
        )],
    );
    let e = load_str(&looped, "loop.toml").unwrap_err();
    assert_eq!(e.problems().len(), 1, "{}", e.report());
    assert!(
        e.problems()[0]
            .message
            .contains("loop (deal -> deal-b -> deal)"),
        "{}",
        e.report()
    );
}

const FIXTURE: &str = include_str!("fixtures/multi-buyer.toml");

#[test]
fn the_multi_buyer_ledger_loads_with_every_feature() {
    let d = load_str(FIXTURE, "tests/fixtures/multi-buyer.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(d.files[0].format, 2);
    assert_eq!(
        (d.subject.as_str(), d.subject_id.as_deref()),
        ("OpenAI", Some("openai"))
    );

    // Parties of every kind, from `[[parties]]` and `[[providers]]`.
    for kind in PartyKind::ALL {
        assert!(d.parties().iter().any(|p| p.kind == *kind), "no {kind:?}");
    }
    assert_eq!(
        d.party("stargate").and_then(|p| p.parent.as_deref()),
        Some("openai")
    );

    // Several buyers; the subject is the default.
    let buyers: std::collections::BTreeSet<&str> =
        d.commitments.iter().map(|c| c.buyer.as_str()).collect();
    assert_eq!(
        buyers.into_iter().collect::<Vec<_>>(),
        [
            "anthropic",
            "microsoft",
            "nvidia",
            "openai",
            "softbank",
            "stargate"
        ]
    );
    let deal = |id: &str| {
        d.commitments
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    assert_eq!(deal("oracle-compute").buyer, "openai");

    // Deals in gigawatts, with their hedges.
    let power = |id: &str| {
        deal(id)
            .power()
            .cloned()
            .unwrap_or_else(|| panic!("{id}: power"))
    };
    assert_eq!(power("amd-chips").unit, Unit::Power);
    assert_eq!(power("nvidia-chips").qualifier, Qualifier::Lower);
    assert_eq!(power("stargate-power").qualifier, Qualifier::Approx);
    assert_eq!(
        deal("amd-chips").value,
        None,
        "sized in GW, no money disclosed"
    );
    assert_eq!(
        deal("anthropic-google").units().map(|u| u.unit.clone()),
        Some(Unit::Count(Some("TPUs".into())))
    );

    // A range beside exact figures, and "tens of billions".
    let range = deal("stargate-build").value.clone().expect("a range");
    assert_eq!(range.qualifier, Qualifier::Range);
    assert_eq!((range.interval.low, range.interval.high), (5e9, 10e9));
    let tens = deal("broadcom-chips")
        .value
        .clone()
        .expect("tens of billions");
    assert_eq!((tens.interval.low, tens.interval.high), (1e10, 1e11));
    assert_eq!(
        deal("oracle-compute").value.as_ref().map(|v| v.qualifier),
        Some(Qualifier::Exact)
    );

    // Hedged dates of every form, a TOML date exact.
    let said: Vec<String> = d
        .commitments
        .iter()
        .flat_map(|c| [c.announced, c.starts(), c.online_by])
        .flatten()
        .map(|date| date.to_string())
        .collect();
    for shown in [
        "2025-09-10",
        "Nov 2025",
        "wk 2025-10-13",
        "Q3 2026",
        "H2 2026",
        "2027",
        "by end-2026",
        "by 2029-12-31",
        "from H2 2026",
        "from 2026",
        "from Jul 2026",
        "~Sep 2025",
        "Q4 2025",
    ] {
        assert!(said.iter().any(|s| s == shown), "{shown} not in {said:?}");
    }
    assert!(
        deal("oracle-compute")
            .announced
            .is_some_and(|a| a.is_exact())
    );
    let before = deal("amd-chips").online_by.expect("before 2031");
    assert!(
        matches!(before.kind, DateKind::By(Span::Year(2030))),
        "{before:?}"
    );

    // A chain of three records of one deal.
    assert_eq!(deal("coreweave-2").supersedes(), ["coreweave-1"]);
    assert_eq!(deal("coreweave-3").supersedes(), ["coreweave-2"]);
    assert_eq!(deal("coreweave-1").status, Status::Completed);

    // Sources that disagree, and sources that agree.
    let jump = d
        .notes
        .iter()
        .find(|n| n.id.as_deref() == Some("amd-jump"))
        .expect("amd-jump");
    let change = jump.change.as_ref().expect("the envelope");
    assert!(change.approx, "a disputed figure is approximate");
    assert_eq!(change.interval.high, 43.0);
    assert!(change.interval.low <= 36.0);
    assert_eq!(jump.alternatives.len(), 1);
    let disputed = &jump.alternatives[0];
    assert_eq!(
        (disputed.field, disputed.agree, disputed.options.len()),
        ("change", false, 2)
    );
    assert_eq!(disputed.options[0].1.source.as_deref(), Some("daily-d"));
    assert_eq!(jump.subject_party.as_deref(), Some("amd"));
    let agreed = &d.notes[1];
    assert!(agreed.alternatives[0].agree);
    assert_eq!(
        agreed.amount.as_ref().map(|a| a.qualifier),
        Some(Qualifier::Exact)
    );

    // A circular pair: OpenAI buys Nvidia chips, Nvidia invests in OpenAI.
    let chips = deal("nvidia-chips");
    let invests = deal("nvidia-invests");
    assert_eq!(
        (chips.buyer.as_str(), chips.provider.as_str(), chips.kind),
        ("openai", "nvidia", DealKind::Chips)
    );
    assert_eq!(
        (
            invests.buyer.as_str(),
            invests.provider.as_str(),
            invests.kind
        ),
        ("nvidia", "openai", DealKind::Investment)
    );
    assert_eq!(chips.cites.len(), 2, "several citations");
    assert_eq!(chips.cite().source.as_deref(), Some("wire-b"));

    // Capacity plans per buyer, with `by` and milestones.
    assert_eq!(d.capacities.len(), 2);
    let plan = d.capacity().expect("the subject's plan");
    assert_eq!(plan.buyer, "openai");
    assert_eq!(
        plan.by.map(|b| b.to_string()).as_deref(),
        Some("by end-2033")
    );
    assert_eq!(plan.milestones.len(), 2);
    assert_eq!(
        plan.milestones[0].commitment.as_deref(),
        Some("nvidia-chips")
    );
    assert_eq!(plan.milestones[0].date.to_string(), "H2 2026");
    assert_eq!(d.capacities[1].buyer, "anthropic");

    // A revenue note about a party.
    let revenue = d
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::Revenue)
        .expect("revenue");
    assert_eq!(revenue.subject_party.as_deref(), Some("openai"));
    assert_eq!(
        revenue.amount.as_ref().map(|a| a.qualifier),
        Some(Qualifier::Approx)
    );

    // Sources' dates may be hedged; `accessed` is a day.
    assert_eq!(
        d.sources[1].published.map(|p| p.to_string()).as_deref(),
        Some("wk 2025-09-22")
    );
    assert!(d.sources[0].accessed.is_some());

    // Whole and sectioned loads agree (format 2 is read whole).
    assert_eq!(
        Some(&d),
        data::load_whole(FIXTURE, "tests/fixtures/multi-buyer.toml")
            .as_ref()
            .ok()
    );
}

#[test]
fn the_ledger_goes_through_the_views_and_exports() {
    use gigawatt_model::export::{self, Format, TableName};
    let d = load_str(FIXTURE, "multi-buyer.toml").unwrap_or_else(|e| panic!("{}", e.report()));
    let _ = gigawatt_model::ledger::all(&d);
    let view = gigawatt_model::view::ViewData::new(d.clone());
    assert_eq!(
        view.rows(gigawatt_model::view::Table::Parties).len(),
        d.providers.len()
    );
    for table in [
        TableName::Providers,
        TableName::Commitments,
        TableName::Milestones,
        TableName::Notes,
        TableName::Derived,
    ] {
        let t = export::table(&d, table, None);
        let mut out = Vec::new();
        export::write(&t, Format::Csv, &mut out).expect("written");
    }
    let milestones = export::table(&d, TableName::Milestones, None);
    let mut out = Vec::new();
    export::write(&milestones, Format::Csv, &mut out).expect("written");
    let csv = String::from_utf8(out).expect("UTF-8");
    assert!(csv.contains("H2 2026,First gigawatt"), "{csv}");
}
