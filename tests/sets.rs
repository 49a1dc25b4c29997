//! Sets of files: `--data` given several times or naming a folder, for
//! `check`, `export` and the explorer.

use std::path::Path;

mod common;
use common::run;

use common::{Options, PATIENCE, Pty, ROOT, arg, temp_dir};
use common::{describe, stderr, stdout};

/// A format 1 file of one buyer with one deal from `cloud-a` (named
/// `cloud_name`) and one from a provider of its own.
fn buyer_file(subject: &str, deal: &str, value: &str, cloud_name: &str, own: &str) -> String {
    format!(
        r#"format = 1

[dataset]
title = "{subject} compute"
subject = "{subject}"
as_of = 2025-11-03

[[sources]]
id = "report-{own}"
title = "A report"

[[providers]]
id = "cloud-a"
name = "{cloud_name}"
kind = "hyperscaler"

[[providers]]
id = "{own}"
name = "Own {own}"
kind = "neocloud"

[[commitments]]
id = "{deal}"
provider = "cloud-a"
value = "{value}"
status = "signed"
source = "report-{own}"

[[commitments]]
id = "{deal}-own"
provider = "{own}"
status = "reported"
"#
    )
}

/// The 1-based line and column of the value of the first `id = "{id}"`
/// in `text`.
fn id_place(text: &str, id: &str) -> (usize, usize) {
    let needle = format!("id = \"{id}\"");
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim() == needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    (i + 1, line.find('"').unwrap_or(0) + 1)
}

struct Set {
    dir: tempfile::TempDir,
}

impl Set {
    fn new(files: &[(&str, &str)]) -> Set {
        let dir = temp_dir();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write a set file");
        }
        Set { dir }
    }

    fn path(&self, name: &str) -> String {
        arg(&self.dir.path().join(name)).to_string()
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }
}

#[test]
fn two_format_1_files_share_a_provider_and_keep_both_buyers_deals() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A", "own-b");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let (pa, pb) = (set.path("a.toml"), set.path("b.toml"));

    let check = run(&["check", &pa, &pb]);
    assert_eq!(check.status.code(), Some(0), "{}", describe(&check));
    let out = stdout(&check);
    assert!(
        out.contains(&format!("{pa}: ok: 2 providers, 2 commitments")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{pb}: ok: 2 providers, 2 commitments")),
        "{out}"
    );
    assert!(
        out.contains("2 files: ok: 3 providers, 4 commitments"),
        "{out}"
    );
    assert!(!out.contains("warning"), "{out}");

    let providers = run(&[
        "export",
        "providers",
        "--data",
        &pa,
        "--data",
        &pb,
        "--format",
        "json",
    ]);
    assert_eq!(providers.status.code(), Some(0), "{}", describe(&providers));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&providers)).expect("json");
    let ids: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        ids.iter().filter(|id| **id == "cloud-a").count(),
        1,
        "{ids:?}"
    );
    assert_eq!(ids.len(), 3, "{ids:?}");

    let commitments = run(&[
        "--data",
        &pa,
        "--data",
        &pb,
        "export",
        "commitments",
        "--format",
        "json",
    ]);
    assert_eq!(
        commitments.status.code(),
        Some(0),
        "{}",
        describe(&commitments)
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&commitments)).expect("json");
    let on_cloud_a: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["provider"] == "cloud-a")
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(on_cloud_a, ["deal-a", "deal-b"]);

    // The shared provider's deals come from both buyers.
    let set_data =
        gigawatt_model::data::load_set(&[set.dir().join("a.toml"), set.dir().join("b.toml")])
            .expect("the set loads");
    let buyers: Vec<&str> = set_data
        .dataset
        .commitments
        .iter()
        .filter(|c| c.provider == "cloud-a")
        .map(|c| c.buyer.as_str())
        .collect();
    assert_eq!(buyers, ["alpha-lab", "beta-lab"]);
    assert!(set_data.dataset.party("beta-lab").is_some());
    let files: Vec<usize> = set_data
        .dataset
        .commitments
        .iter()
        .map(|c| c.file_index())
        .collect();
    assert_eq!(files, [0, 0, 1, 1]);
    assert_eq!(set_data.dataset.files.len(), 2);
}

/// Before, a subject with no ASCII letter or digit became the party
/// `subject`: two such files merged their buyers into one, silently.
#[test]
fn two_format_1_subjects_without_ascii_letters_stay_two_buyers() {
    let a = buyer_file("数据", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Ω", "deal-b", "$10bn", "Cloud A", "own-b");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let (pa, pb) = (set.path("a.toml"), set.path("b.toml"));
    let check = run(&["check", &pa, &pb]);
    assert_eq!(check.status.code(), Some(0), "{}", describe(&check));

    let commitments = run(&[
        "--data",
        &pa,
        "--data",
        &pb,
        "export",
        "commitments",
        "--format",
        "json",
    ]);
    assert_eq!(
        commitments.status.code(),
        Some(0),
        "{}",
        describe(&commitments)
    );
    let rows: serde_json::Value = serde_json::from_str(&stdout(&commitments)).expect("json");
    let mut buyers: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["buyer"].as_str())
        .collect();
    buyers.dedup();
    assert_eq!(buyers.len(), 2, "{buyers:?}");

    let set_data =
        gigawatt_model::data::load_set(&[set.dir().join("a.toml"), set.dir().join("b.toml")])
            .expect("the set loads");
    let d = &set_data.dataset;
    let names: Vec<&str> = buyers
        .iter()
        .map(|id| d.party(id).map_or("?", |p| p.name.as_str()))
        .collect();
    assert_eq!(names, ["数据", "Ω"]);
}

#[test]
fn a_record_id_clash_across_two_files_is_an_error_naming_both_places() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-a", "$10bn", "Cloud A", "own-b");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let (pa, pb) = (set.path("a.toml"), set.path("b.toml"));
    let (la, ca) = id_place(&a, "deal-a");
    let (lb, cb) = id_place(&b, "deal-a");

    let out = run(&["check", &pa, &pb]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let expected = format!(
        "error: {pb}:{lb}:{cb}: commitments[0].id: duplicate id \"deal-a\", already used by \
         the commitment at {pa}:{la}:{ca} (commitments[0].id); commitment ids must be unique \
         across the files of a set"
    );
    assert!(stderr(&out).contains(&expected), "{}", describe(&out));
    // The `-own` records clash too, each reported once, in file order.
    assert_eq!(
        stderr(&out).matches("duplicate id").count(),
        2,
        "{}",
        describe(&out)
    );
    assert!(
        stdout(&out).contains(&format!("{pa}: ok:")),
        "{}",
        describe(&out)
    );
    assert!(
        stdout(&out).contains(&format!("{pb}: 2 problems")),
        "{}",
        describe(&out)
    );
    assert!(
        stdout(&out).contains("2 files: 1 with problems"),
        "{}",
        describe(&out)
    );

    // The same through the library: file, line, column, key path, message.
    let error =
        gigawatt_model::data::load_set(&[set.dir().join("a.toml"), set.dir().join("b.toml")])
            .expect_err("a clash is an error");
    let gigawatt_model::data::LoadError::Invalid { file, problems, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(file, &pb);
    let first = &problems[0];
    assert_eq!((first.line, first.column), (lb, cb));
    assert_eq!(first.path, "commitments[0].id");
    assert!(
        first.message.contains(&format!("{pa}:{la}:{ca}")),
        "{}",
        first.message
    );
}

#[test]
fn a_differing_party_warns_naming_both_places_and_fails_only_when_strict() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A Inc", "own-b");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let (pa, pb) = (set.path("a.toml"), set.path("b.toml"));
    let (la, ca) = id_place(&a, "cloud-a");
    let (lb, cb) = id_place(&b, "cloud-a");

    let out = run(&["check", &pa, &pb]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let warning = format!(
        "warning: {pb}:{lb}:{cb}: providers[0].id: party \"cloud-a\" is defined differently \
         (name) at {pa}:{la}:{ca} (providers[0].id); the first definition is used"
    );
    assert!(stdout(&out).contains(&warning), "{}", describe(&out));
    assert!(stdout(&out).contains("; 1 warning"), "{}", describe(&out));

    let strict = run(&["check", "--strict", &pa, &pb]);
    assert_eq!(strict.status.code(), Some(1), "{}", describe(&strict));
    assert!(
        stderr(&strict).contains(&format!("error: {pb}:{lb}:{cb}: providers[0].id: party")),
        "{}",
        describe(&strict)
    );

    // Export warns on standard error, and refuses under --strict.
    let export = run(&["export", "providers", "--data", &pa, "--data", &pb]);
    assert_eq!(export.status.code(), Some(0), "{}", describe(&export));
    assert!(
        stderr(&export).contains("warning: "),
        "{}",
        describe(&export)
    );
    let export = run(&[
        "export",
        "providers",
        "--strict",
        "--data",
        &pa,
        "--data",
        &pb,
    ]);
    assert_eq!(export.status.code(), Some(1), "{}", describe(&export));
}

#[test]
fn a_folder_checks_as_a_set_with_a_line_per_file_then_totals_then_warnings() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A Inc", "own-b");
    // b names a party only a defines: references resolve across the set.
    let c = r#"format = 2

[dataset]
title = "Gamma"
subject = "gamma"
as_of = 2025-12-01

[[sources]]
id = "report-c"
title = "Another report"

[[parties]]
id = "gamma"
name = "Gamma"
kind = "lab"

[[commitments]]
id = "gamma-deal"
provider = "own-a"
value = "about $2bn"
status = "announced"
supersedes = "deal-b"
source = "report-own-a"
"#;
    let set = Set::new(&[
        ("b.toml", &b),
        ("a.toml", &a),
        ("c.toml", c),
        ("notes.txt", "not data"),
    ]);
    let dir = arg(set.dir()).to_string();
    let out = run(&["check", &dir]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let name = |f: &str| set.path(f);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("{}: ok: ", name("a.toml"))),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with(&format!("{}: ok: ", name("b.toml"))),
        "{lines:#?}"
    );
    // c is format 2, which counts parties; a set with a format 2 file does.
    assert!(lines[2].starts_with(&format!("{}: ok: 1 party, 1 commitment", name("c.toml"))));
    assert_eq!(
        lines[3],
        "3 files: ok: 4 parties, 5 commitments, 0 milestones, 0 notes, 3 sources; 1 warning"
    );
    assert!(
        lines[4].starts_with(&format!("warning: {}:", name("b.toml"))),
        "{lines:#?}"
    );

    // The same folder opens for export, and an empty folder is an error.
    let export = run(&["export", "commitments", "--data", &dir]);
    assert_eq!(export.status.code(), Some(0), "{}", describe(&export));
    assert!(stdout(&export).contains("gamma-deal"));
    let empty = temp_dir();
    let out = run(&["check", arg(empty.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("no *.toml or *.csv files"),
        "{}",
        describe(&out)
    );
    let usage = run(&["check", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2), "{}", describe(&usage));
}

#[test]
fn a_reference_nothing_in_the_set_defines_is_still_an_error_in_its_file() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A", "own-b")
        .replace("provider = \"own-b\"", "provider = \"nobody\"");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let (pa, pb) = (set.path("a.toml"), set.path("b.toml"));
    let out = run(&["check", &pa, &pb]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains(&format!(
            "{pb}:31:12: commitments[1].provider: no provider with id \"nobody\" in [[providers]]"
        )),
        "{}",
        describe(&out)
    );
    assert_eq!(
        stderr(&out).matches("error:").count(),
        1,
        "{}",
        describe(&out)
    );
}

#[test]
fn the_bundled_table_lists_exactly_the_files_in_data() {
    let mut on_disk: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("data"))
        .expect("data/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("data/{n}"))
        .collect();
    on_disk.sort();
    let bundled: Vec<String> = gigawatt_model::data::BUNDLED_FILES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(bundled, on_disk);
    for (name, text) in gigawatt_model::data::BUNDLED_FILES {
        let disk = std::fs::read_to_string(Path::new(ROOT).join(name)).expect("bundled file");
        assert_eq!(&disk, text, "{name}");
    }
    // `check` with no arguments checks the bundled set; the folder reads the same.
    let bundled = run(&["check"]);
    assert_eq!(bundled.status.code(), Some(0), "{}", describe(&bundled));
    let folder = run(&["check", "data"]);
    assert_eq!(stdout(&bundled), stdout(&folder));
}

#[test]
fn a_bad_save_in_one_file_keeps_its_last_good_version_and_the_other_file() {
    let a = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let b = buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A", "own-b");
    let set = Set::new(&[("a.toml", &a), ("b.toml", &b)]);
    let options = Options {
        cols: 160,
        cwd: set.dir().to_path_buf(),
        ..Options::default()
    };
    let mut pty = Pty::spawn_with(&options, &["--data", "a.toml", "--data", "b.toml"]);
    pty.wait_for_text(&["2 files, 2 buyers, 4 deals", "Own own-b"]);

    std::fs::write(
        set.dir().join("b.toml"),
        b.replace("\"$10bn\"", "\"30 GW\""),
    )
    .expect("break b");
    pty.wait_for_text(&["STALE", "b.toml:", "commitments[0].value"]);
    let screen = pty.text();
    assert!(screen.contains("Own own-a"), "{screen}");
    assert!(
        screen.contains("Own own-b"),
        "the last good b stays:\n{screen}"
    );
    assert!(!screen.contains("a.toml:"), "{screen}");

    // A change to the other file shows, b still at its last good version.
    std::fs::write(
        set.dir().join("a.toml"),
        a.replace("Own own-a", "Renamed own-a"),
    )
    .expect("change a");
    pty.wait_for_text(&["Renamed own-a", "STALE"]);

    std::fs::write(set.dir().join("b.toml"), &b).expect("fix b");
    pty.wait_for("STALE gone", PATIENCE, |s| {
        !s.contents().contains("STALE") && s.contents().contains("Own own-b")
    });
    pty.quit();
}

#[test]
fn generated_set_members_share_no_id_and_merge() {
    let files = (0..3)
        .map(|m| {
            let text = common::generator::generate_member(50, 7, m);
            gigawatt_model::data::SetFile::from_text(&format!("set-{m}.toml"), text)
        })
        .collect();
    let outcome = gigawatt_model::data::merge(files);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let dataset = outcome.dataset.expect("the generated set merges");
    assert_eq!(dataset.commitments.len(), 150);
    assert_eq!(dataset.providers.len(), 15);
}

/// A set merged from files kept for the next load (`merge_shared`, as the
/// explorer's cache does) is the set merged from files given up to it:
/// the same records, warnings, clashes and re-checked references.
#[test]
fn merging_shared_files_gives_what_merging_owned_files_gives() {
    use gigawatt_model::data::{SetFile, merge, merge_shared};
    let alpha = buyer_file("Alpha Lab", "deal-a", "$38bn", "Cloud A", "own-a");
    let sets: Vec<Vec<(String, String)>> = vec![
        // Clean, a warning (a party named differently), a clash, and a
        // file that names what only another defines (checked again).
        gigawatt_model::data::BUNDLED_FILES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect(),
        vec![
            ("a.toml".into(), alpha.clone()),
            (
                "b.toml".into(),
                buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A Inc", "own-b"),
            ),
        ],
        vec![
            ("a.toml".into(), alpha.clone()),
            (
                "b.toml".into(),
                buyer_file("Beta Lab", "deal-a", "$10bn", "Cloud A", "own-b"),
            ),
        ],
        vec![
            ("a.toml".into(), alpha.clone()),
            (
                "b.toml".into(),
                buyer_file("Beta Lab", "deal-b", "$10bn", "Cloud A", "own-b")
                    .replace("provider = \"own-b\"", "provider = \"own-a\""),
            ),
        ],
    ];
    // Whether each set loads, and how many warnings it has.
    let expected = [(true, 0), (true, 1), (false, 0), (true, 0)];
    for (files, (loads, warned)) in sets.into_iter().zip(expected) {
        let made = || -> Vec<SetFile> {
            files
                .iter()
                .map(|(name, text)| SetFile::from_text(name, text.clone()))
                .collect()
        };
        let kept = made();
        let shared: Vec<&SetFile> = kept.iter().collect();
        let (by_ref, by_value) = (merge_shared(&shared), merge(made()));
        assert_eq!(by_value.dataset.is_some(), loads, "{:?}", by_value.files);
        assert_eq!(by_value.warnings.len(), warned, "{:?}", by_value.warnings);
        assert_eq!(by_ref.dataset, by_value.dataset);
        assert_eq!(by_ref.warnings, by_value.warnings);
        assert_eq!(
            format!("{:?}", by_ref.files),
            format!("{:?}", by_value.files)
        );
    }
}
