//! `gigawatt export sites`, `site-timeline` and `clusters`: the bundled
//! campuses, the field's tables when present, and a site's power at the
//! data's date read from its timeline.

mod common;
use common::run;

use common::{arg, describe, epoch, lab_ledger, temp_file};

/// An export's CSV, as a header and records; the run must succeed.
fn export(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", describe(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A record's cell in the column `name`.
fn cell<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let at = header
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    &row[at]
}

/// The columns each table must begin with, in this order: scripts read
/// them by position.
const SITE_HEAD: &[&str] = &[
    "id",
    "name",
    "owner",
    "owner_name",
    "owner_confidence",
    "users",
    "project",
    "country",
    "region",
    "status",
    "current_power_w",
    "current_power_qualifier",
    "current_h100e",
    "current_h100e_qualifier",
    "current_capex_usd",
    "current_capex_qualifier",
    "power_w",
    "power_qualifier",
    "it_power_w",
    "it_power_qualifier",
    "as_of",
    "planned_power_w",
    "planned_power_qualifier",
    "source",
    "at",
    "file",
];

#[test]
fn export_sites_of_the_bundled_set_has_a_row_per_site() {
    let (header, rows) = export(&["export", "sites"]);
    assert_eq!(&header[..SITE_HEAD.len()], SITE_HEAD);
    for low_high in ["power_w_low", "power_w_high", "current_power_w_low"] {
        assert!(header.iter().any(|c| c == low_high), "{low_high}");
    }
    assert_eq!(rows.len(), 31);
    let abilene = rows
        .iter()
        .find(|r| r[0] == "stargate-abilene")
        .expect("Stargate Abilene is bundled");
    assert_eq!(cell(&header, abilene, "owner_name"), "Crusoe");
    assert_eq!(
        cell(&header, abilene, "users"),
        "Oracle (confident); OpenAI (confident)"
    );
    assert_eq!(cell(&header, abilene, "planned_power_w"), "1200000000");
    assert_eq!(cell(&header, abilene, "file"), "data/sites.toml");
}

#[test]
fn the_field_tables_export_every_site_entry_and_cluster() {
    let Some(folder) = epoch::field_data() else {
        return;
    };
    let data = arg(&folder);
    for (table, count) in [("sites", 16), ("site-timeline", 112), ("clusters", 786)] {
        let (header, rows) = export(&["export", table, "--data", data]);
        assert_eq!(rows.len(), count, "{table}");
        assert!(rows.iter().all(|r| r.len() == header.len()), "{table}");
    }
    let (header, _) = export(&["export", "site-timeline", "--data", data]);
    let head = [
        "site",
        "site_name",
        "date",
        "power_w",
        "power_qualifier",
        "it_power_w",
        "it_power_qualifier",
        "h100e",
        "h100e_qualifier",
        "buildings",
        "capex_usd",
        "capex_qualifier",
        "status",
        "plan",
        "source",
        "at",
        "file",
    ];
    assert_eq!(&header[..head.len()], head);
    let (header, rows) = export(&["export", "clusters", "--data", data]);
    let head = [
        "id",
        "name",
        "status",
        "certainty",
        "owners",
        "owner_name",
        "users",
        "country",
        "h100e",
        "h100e_qualifier",
        "power_w",
        "power_qualifier",
        "chips",
        "first_operational",
        "source",
        "at",
        "file",
    ];
    assert_eq!(&header[..head.len()], head);
    // Dates are days or as shown, never empty for every cluster.
    assert!(
        rows.iter()
            .any(|r| !cell(&header, r, "first_operational").is_empty())
    );
    // JSON: the same rows, as objects.
    let out = run(&["export", "clusters", "--data", data, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json.as_array().map(Vec::len),
        Some(786),
        "{}",
        describe(&out)
    );
}

/// A site with readings before the data's date and a plan after it.
const THREE_YEARS: &str = lab_ledger!(
    title: "Sites",
    as_of: "2026-06-01",
    cloud,
    r#"
[[sites]]
id = "campus"
name = "=HYPERLINK(\"http://x\")"
owner = "cloud"
users = [ { party = "lab", confidence = "likely" } ]
power = "about 1 GW"
sources = [ { source = "wire", at = "para 1" } ]

[[sites.timeline]]
date = "2025-01-01"
power = "100 MW"
sources = [ { source = "wire" } ]

[[sites.timeline]]
date = "2026-01-01"
power = "200 MW"
it_power = "up to 150 MW"
sources = [ { source = "wire" } ]

[[sites.timeline]]
date = "2027-01-01"
power = "300 MW"
sources = [ { source = "wire" } ]
"#
);

#[test]
fn a_sites_power_is_its_latest_reading_on_or_before_the_data_date() {
    let file = temp_file(THREE_YEARS);
    let (header, rows) = export(&["export", "sites", "--data", arg(&file)]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    let at = |name| cell(&header, row, name);
    assert_eq!(at("power_w"), "200000000");
    assert_eq!(at("power_qualifier"), "exact");
    assert_eq!(at("as_of"), "2026-01-01");
    assert_eq!(at("owner_name"), "Cloud");
    assert_eq!(at("users"), "Lab (likely)");
    // Hedged as the commitments table hedges: qualifier and interval.
    assert_eq!(at("it_power_w"), "150000000");
    assert_eq!(at("it_power_qualifier"), "upper");
    assert_eq!(at("it_power_w_low"), "0");
    assert_eq!(at("it_power_w_high"), "150000000");
    assert_eq!(at("planned_power_w"), "1000000000");
    assert_eq!(at("planned_power_qualifier"), "approx");
    // A site written by hand has no hub figures.
    assert_eq!(at("current_power_w"), "");

    let (header, rows) = export(&["export", "site-timeline", "--data", arg(&file)]);
    let column = |name| -> Vec<&str> { rows.iter().map(|r| cell(&header, r, name)).collect() };
    assert_eq!(column("date"), ["2025-01-01", "2026-01-01", "2027-01-01"]);
    assert_eq!(column("power_w"), ["100000000", "200000000", "300000000"]);
    assert_eq!(column("plan"), ["reading", "reading", "plan"]);
    assert_eq!(column("site"), ["campus"; 3]);
}

#[test]
fn site_cells_that_look_like_formulas_are_neutralised() {
    let file = temp_file(THREE_YEARS);
    for table in ["sites", "site-timeline"] {
        let (header, rows) = export(&["export", table, "--data", arg(&file)]);
        let name = if table == "sites" {
            "name"
        } else {
            "site_name"
        };
        for row in &rows {
            assert_eq!(cell(&header, row, name), "'=HYPERLINK(\"http://x\")");
        }
        let out = run(&["export", table, "--raw", "--data", arg(&file)]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("\"=HYPERLINK("),
            "{}",
            describe(&out)
        );
    }
}

/// Issue 24, item 7: `diff` of two downloads of the hub, the newer one
/// reshaped as newer downloads are (its key column `Name`, ISO dates), with
/// one figure revised and one site added, names both and nothing else.
#[test]
fn diff_of_two_downloads_names_the_revised_figure_and_the_added_site() {
    let old = epoch::folder(&epoch::fixtures());
    let revised = epoch::map_column(epoch::TIMELINES, "Power (MW)", |mw| {
        if mw == "295" {
            "147".into()
        } else {
            mw.to_string()
        }
    });
    let revised = epoch::map_column(&revised, "Date", epoch::iso_date);
    let added = format!(
        "{}New Campus Ohio,New Campus,,,,,,Oracle #confident,,,,,,,\n",
        epoch::SITES
    );
    let added = epoch::reshape(&added, &[("Handle", "Name")], &[], &[]);
    let new = epoch::folder(&[
        (epoch::NAMES[0], &added),
        (epoch::NAMES[1], &revised),
        (epoch::NAMES[2], epoch::CLUSTERS),
    ]);
    let out = common::run(&["diff", common::arg(old.path()), common::arg(new.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", common::describe(&out));
    let report = common::stdout(&out);
    assert!(report.contains("+ sites New Campus added"), "{report}");
    assert!(
        report.contains("~ site-timeline OpenAI Stargate Abilene, 2025-09-30 changed"),
        "{report}"
    );
    assert!(report.contains("power: \"295"), "{report}");
    assert!(report.contains("→ \"147"), "{report}");
    let lines: Vec<&str> = report.lines().filter(|l| !l.starts_with("    ")).collect();
    assert_eq!(lines.len(), 2, "only the two changes:\n{report}");
}

/// The rows of `export TABLE` for `data`, each without its `file` and `at`
/// cells (where a record was read from, which an import changes).
fn rows_without_place(table: &str, data: &std::path::Path) -> Vec<Vec<String>> {
    let out = run(&["export", table, "--data", arg(data)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = common::stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|&i| !["file", "at"].contains(&&headers[i]))
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            keep.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect()
}

/// Issue 24, item 3: `import` writes one format 2 file that passes
/// `check`, exports as the tables it came from do, names the file each
/// record was read from, and is the same bytes when made again.
#[test]
fn import_writes_a_file_that_checks_and_exports_as_its_tables() {
    let fixtures = epoch::folder(&epoch::fixtures());
    let dir = common::temp_dir();
    let inputs = std::iter::once(fixtures.path().to_path_buf()).chain(epoch::field_data());
    for (n, input) in inputs.enumerate() {
        let output = dir.path().join(format!("imported-{n}.toml"));
        let out = run(&["import", arg(&input), "-o", arg(&output)]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert!(common::stdout(&out).contains("sites"), "{}", describe(&out));
        let check = run(&["check", arg(&output)]);
        assert_eq!(check.status.code(), Some(0), "{}", describe(&check));
        for table in ["sites", "site-timeline", "clusters"] {
            assert_eq!(
                rows_without_place(table, &input),
                rows_without_place(table, &output),
                "{table} of {}",
                input.display()
            );
        }
        let text = std::fs::read_to_string(&output).expect("the import");
        assert!(text.contains("at = \"data_centers.csv\""), "{text}");
        // Again, over the first: refused without --force, the same bytes with it.
        let again = run(&["import", arg(&input), "-o", arg(&output)]);
        assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
        assert!(
            common::stderr(&again).contains("pass --force"),
            "{}",
            describe(&again)
        );
        let forced = run(&["import", arg(&input), "-o", arg(&output), "--force"]);
        assert_eq!(forced.status.code(), Some(0), "{}", describe(&forced));
        assert_eq!(std::fs::read_to_string(&output).expect("again"), text);
    }
}
