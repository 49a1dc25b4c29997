//! Epoch AI's CSV downloads as data files (issue 24, items 2 and 9): the
//! data centers, their timelines and the GPU clusters read beside a
//! ledger as one set, told apart by their headers, their owners and users
//! joined to the set's parties; and every bad table a located error.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use common::epoch::{
    CLUSTERS, NAMES, SITES, TIMELINES, field_data, fixtures, folder, iso_date, map_column, records,
    reshape, titles,
};
use common::{BIN, arg, describe, stderr, stdout};
use gigawatt_model::data::{
    Confidence, Counts, Dataset, LoadError, MAX_FILE_BYTES, SetCache, SetReload, load_file,
    load_set,
};
use gigawatt_model::figure::Unit;

fn set(dir: &Path) -> Result<Dataset, LoadError> {
    load_set(&[dir.to_path_buf()]).map(|s| s.dataset)
}

fn set_of(files: &[(&str, &str)]) -> Result<Dataset, LoadError> {
    let dir = folder(files);
    set(dir.path())
}

fn check(paths: &[&Path]) -> std::process::Output {
    let mut command = Command::new(BIN);
    command.arg("check");
    for path in paths {
        command.arg(arg(path));
    }
    command.output().expect("run gigawatt check")
}

fn entries(d: &Dataset) -> usize {
    d.sites.iter().map(|s| s.timeline.len()).sum()
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The real downloads: as many sites, timeline entries and clusters as
/// each file has records, every timeline row on its site.
#[test]
fn the_field_data_reads_every_record_and_puts_every_timeline_row_on_its_site() {
    let Some(dir) = field_data() else { return };
    let text = |name: &str| std::fs::read_to_string(dir.join(name)).expect("read");
    let d = set(&dir).unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(d.sites.len(), records(&text(NAMES[0])));
    assert_eq!(entries(&d), records(&text(NAMES[1])));
    assert_eq!(d.clusters.len(), records(&text(NAMES[2])));
    assert_eq!(
        (d.sites.len(), entries(&d), d.clusters.len()),
        (16, 112, 786)
    );
    // Each timeline row is on the site its handle names.
    let timelines = text(NAMES[1]);
    let mut reader = csv::Reader::from_reader(timelines.as_bytes());
    let mut on_site = std::collections::HashMap::<String, usize>::new();
    for record in reader.records() {
        *on_site
            .entry(record.expect("a row")[1].to_string())
            .or_default() += 1;
    }
    let handles = titles(&text(NAMES[0]));
    for (handle, title) in &handles {
        let site = d
            .sites
            .iter()
            .find(|s| &s.name == title)
            .expect("a site per row");
        assert_eq!(
            site.timeline.len(),
            on_site.get(handle).copied().unwrap_or(0),
            "{handle}"
        );
        let dates: Vec<_> = site.timeline.iter().map(|e| e.date.anchor()).collect();
        assert!(dates.is_sorted(), "{handle}: {dates:?}");
    }
    assert_eq!(Counts::of(&d).unknown_columns, 0, "every column is known");
    // A few cells, as the README describes them.
    let abilene = d.sites.iter().find(|s| s.name == "OpenAI Stargate Abilene");
    let abilene = abilene.expect("Abilene");
    let current = abilene.current.as_ref().expect("the hub's figures");
    assert_eq!(current.power.as_ref().map(|f| f.value), Some(295e6));
    assert_eq!(current.capex.as_ref().map(|f| f.value), Some(8e9));
    assert_eq!(abilene.owner.as_deref(), Some("oracle"));
    let anonymous = d
        .clusters
        .iter()
        .filter(|c| c.name == "Anonymized Chinese System");
    assert_eq!(anonymous.count(), 257);
    let ids: std::collections::HashSet<&str> = d.clusters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 786, "cluster ids are unique");
    let imported = d.providers.iter().filter(|p| p.imported).count();
    assert_eq!(
        imported,
        d.providers.len(),
        "with no ledger, every party is imported"
    );
}

/// Acceptance: `gigawatt check` on the folder of downloads.
#[test]
fn check_counts_the_field_datas_sites_timeline_entries_and_clusters() {
    let Some(dir) = field_data() else { return };
    let out = check(&[&dir]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    let total = text
        .lines()
        .find(|l| l.starts_with("3 files: ok: "))
        .unwrap_or_default();
    assert!(
        total.ends_with("16 sites, 112 timeline entries, 786 clusters"),
        "{}",
        describe(&out)
    );
    let line = |name: &str| {
        let file = dir.join(name).display().to_string();
        text.lines()
            .find(|l| l.starts_with(&format!("{file}: ok: ")))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no line for {file}:\n{text}"))
    };
    assert!(line(NAMES[0]).ends_with("16 sites, 0 timeline entries, 0 clusters"));
    assert!(line(NAMES[1]).ends_with("0 sites, 112 timeline entries, 0 clusters"));
    assert!(line(NAMES[2]).ends_with("0 sites, 0 timeline entries, 786 clusters"));
    // The files named one by one, in the folder's order, are the same set.
    let mut files: Vec<PathBuf> = NAMES.iter().map(|n| dir.join(n)).collect();
    files.sort();
    let named = check(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert_eq!(stdout(&named), text);
}

/// The fixtures' figures: megawatts as watts, billions as dollars, empty
/// cells unknown (never zero), tags as confidences, dates in order.
#[test]
fn the_tables_figures_dates_and_tags_read_as_the_hub_means_them() {
    let d = set_of(&fixtures()).unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!((d.sites.len(), entries(&d), d.clusters.len()), (3, 4, 4));
    let site = |id: &str| d.sites.iter().find(|s| s.id == id).expect(id);

    let abilene = site("openai-oracle-stargate-abilene-texas");
    assert_eq!(abilene.name, "OpenAI Stargate Abilene");
    assert_eq!(abilene.project.as_deref(), Some("Stargate"));
    let current = abilene.current.as_ref().expect("the hub's figures");
    let power = current.power.as_ref().expect("power");
    assert_eq!((power.value, &power.unit), (295e6, &Unit::Power));
    assert_eq!(
        current.capex.as_ref().map(|f| (f.value, f.unit.clone())),
        Some((8e9, Unit::Money))
    );
    assert_eq!(
        current.h100e.as_ref().map(|f| f.value),
        Some(254674.07781707932)
    );
    let (lat, lon) = abilene.coordinates.expect("coordinates");
    assert!(
        (lat - (32.0 + 29.0 / 60.0 + 59.0 / 3600.0)).abs() < 1e-9,
        "{lat}"
    );
    assert!(
        (lon + (99.0 + 47.0 / 60.0 + 2.0 / 3600.0)).abs() < 1e-9,
        "{lon}"
    );
    assert_eq!(abilene.owner.as_deref(), Some("oracle"));
    assert_eq!(abilene.owner_confidence, Some(Confidence::Confident));
    assert_eq!(abilene.use_by("openai"), Some(Confidence::Confident));
    let dates: Vec<_> = abilene.timeline.iter().map(|e| e.date.day()).collect();
    assert_eq!(dates, [day(2024, 6, 1), day(2025, 9, 30), day(2027, 1, 1)]);
    let built = &abilene.timeline[1];
    assert_eq!(built.power.as_ref().map(|f| f.value), Some(295e6));
    assert_eq!(built.buildings, Some(2));
    assert_eq!(built.capex.as_ref().map(|f| f.value), Some(8e9));
    assert_eq!(
        built.status.as_deref(),
        Some("Buildings 1 and 2 operational, per [Crusoe](https://crusoe.ai)")
    );
    // An empty cell is unknown; a 0 is a reading of none.
    assert_eq!(abilene.timeline[2].h100e, None);
    assert_eq!(
        abilene.timeline[0].h100e.as_ref().map(|f| f.value),
        Some(0.0)
    );

    let wisconsin = site("microsoft-fairwater-mount-pleasant-wisconsin");
    assert_eq!(wisconsin.use_by("openai"), Some(Confidence::Likely));
    let power = wisconsin.current.as_ref().and_then(|c| c.power.as_ref());
    assert_eq!(power.map(|f| f.value), Some(0.0));

    let goodnight = site("crusoe-goodnight-texas");
    let current = goodnight.current.as_ref().expect("the hub's columns");
    assert_eq!(
        (&current.power, &current.h100e, &current.capex),
        (&None, &None, &None)
    );
    assert_eq!(
        (goodnight.owner.as_deref(), goodnight.project.as_deref()),
        (None, None)
    );
    assert_eq!(goodnight.use_by("google"), Some(Confidence::Speculative));
    assert!(goodnight.timeline.is_empty());
    let (_, lon) = goodnight.coordinates.expect("coordinates");
    assert!(lon < -101.0, "west is negative: {lon}");

    let ids: Vec<&str> = d.clusters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "xai-colossus-memphis-phase-2",
            "anonymized-chinese-system",
            "anonymized-chinese-system-2",
            "openai-microsoft-mt-pleasant-wisconsin-phase-1",
        ]
    );
    let colossus = &d.clusters[0];
    assert_eq!(colossus.h100e.as_ref().map(|f| f.value), Some(200000.0));
    assert_eq!(colossus.power.as_ref().map(|f| f.value), Some(300e6));
    assert_eq!(colossus.chips.as_deref(), Some("NVIDIA H100 SXM5 80GB"));
    assert_eq!(
        colossus.first_operational.and_then(|d| d.day()),
        day(2025, 6, 15)
    );
    assert_eq!(
        (colossus.owners.as_slice(), colossus.users.as_slice()),
        (&["xai".to_string()][..], &["xai".to_string()][..])
    );
    assert_eq!(d.clusters[1].power.as_ref().map(|f| f.value), Some(0.3e6));
    assert_eq!(d.clusters[2].power, None);
    assert_eq!(d.clusters[3].owners, ["microsoft", "openai"]);
    assert_eq!(d.clusters[3].users, ["openai", "microsoft"]);
    // One party per name across the tables, each made by the import.
    let ids: Vec<&str> = d.providers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["oracle", "openai", "microsoft", "google", "xai", "cloud"]
    );
    assert!(d.providers.iter().all(|p| p.imported));
    // Every record cites Epoch AI, as its licence asks.
    let sources: Vec<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        sources,
        ["epoch-ai-frontier-data-centers", "epoch-ai-gpu-clusters"]
    );
    assert!(
        abilene
            .cites
            .iter()
            .chain(built.cites.iter())
            .all(|c| c.source.is_some())
    );
}

/// Other downloads name the key column `Name`, the timelines' sites by
/// title, write dates as yyyy-mm-dd, order columns otherwise, lack some
/// and add others: the same figures read, the unknown columns counted.
#[test]
fn a_renamed_reordered_and_trimmed_copy_reads_the_same_figures() {
    let mut cases = vec![("fixtures", fixtures().map(|(n, t)| (n, t.to_string())))];
    if let Some(dir) = field_data() {
        let text = |name: &str| std::fs::read_to_string(dir.join(name)).expect("read");
        cases.push(("field data", NAMES.map(|n| (n, text(n)))));
    }
    for (
        what,
        [
            (sites_name, sites),
            (timelines_name, timelines),
            (clusters_name, clusters),
        ],
    ) in cases
    {
        let by_title = titles(&sites);
        let unread_sites = ["Sentinel satellite timelapse", "Address", "Investors"];
        let other_sites = reshape(&sites, &[("Handle", "Name")], &unread_sites, &[]);
        let other_timelines = map_column(&timelines, "Data center", |handle| {
            let (_, title) = by_title
                .iter()
                .find(|(h, _)| h == handle)
                .expect("a handle");
            title.clone()
        });
        let other_timelines = map_column(&other_timelines, "Date", iso_date);
        let other_timelines = reshape(
            &other_timelines,
            &[],
            &["Compute cost (2025 USD billions)", "Water use (MGD)"],
            &[("IT power (MW)", ""), ("Cooling towers", "2")],
        );
        let other_clusters = reshape(&clusters, &[], &["Single cluster?"], &[]);
        let before = set_of(&[
            (sites_name, &sites),
            (timelines_name, &timelines),
            (clusters_name, &clusters),
        ]);
        let after = set_of(&[
            (sites_name, &other_sites),
            (timelines_name, &other_timelines),
            (clusters_name, &other_clusters),
        ]);
        let (before, after) = match (before, after) {
            (Ok(b), Ok(a)) => (b, a),
            (b, a) => panic!(
                "{what}: {:?} / {:?}",
                b.err().map(|e| e.report()),
                a.err().map(|e| e.report())
            ),
        };
        assert_eq!(before.sites, after.sites, "{what}");
        assert_eq!(before.clusters, after.clusters, "{what}");
        assert_eq!(before.providers, after.providers, "{what}");
        let unknown: Vec<&Vec<String>> = after.files.iter().map(|f| &f.unknown_columns).collect();
        // In name order: the timelines first.
        assert_eq!(
            unknown,
            [&vec!["Cooling towers".to_string()], &vec![], &vec![]],
            "{what}"
        );
        assert_eq!(Counts::of(&after).unknown_columns, 1);
        assert!(
            Counts::of(&after)
                .line()
                .ends_with(" (1 unknown column not read)")
        );
    }
}

/// The ledger's parties are found by name and alias, without case; the
/// rest are made, marked imported. A deal of the ledger may name a site
/// of a table.
#[test]
fn owners_and_users_join_the_ledgers_parties_by_name_and_alias() {
    let ledger = concat!(
        "format = 2\n\n[dataset]\ntitle = \"Ledger\"\nsubject = \"openai\"\nas_of = 2025-12-01\n\n",
        "[[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n",
        "[[parties]]\nid = \"openai\"\nname = \"OPENAI\"\nkind = \"lab\"\n\n",
        "[[parties]]\nid = \"msft\"\nname = \"Microsoft Corporation\"\nkind = \"hyperscaler\"\n",
        "aliases = [\"Microsoft\"]\n\n",
        "[[parties]]\nid = \"oracle-cloud\"\nname = \"Oracle Cloud\"\nkind = \"cloud\"\n\n",
        "[[commitments]]\nid = \"goodnight\"\nprovider = \"msft\"\nvalue = \"$1bn\"\n",
        "status = \"signed\"\nsource = \"wire\"\nsites = [\"crusoe-goodnight-texas\"]\n",
    );
    let d = set_of(&[
        ("a-ledger.toml", ledger),
        (NAMES[0], SITES),
        (NAMES[2], CLUSTERS),
    ])
    .unwrap_or_else(|e| panic!("{}", e.report()));
    let wisconsin = d
        .sites
        .iter()
        .find(|s| s.name == "Microsoft Fairwater Wisconsin");
    let wisconsin = wisconsin.expect("Wisconsin");
    assert_eq!(wisconsin.owner.as_deref(), Some("msft"));
    let users: Vec<&str> = wisconsin.users.iter().map(|u| u.party.as_str()).collect();
    assert_eq!(users, ["openai", "msft"]);
    // "Oracle" is not "Oracle Cloud": no part of a name is guessed.
    let made: Vec<(&str, &str, bool)> = d
        .providers
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str(), p.imported))
        .collect();
    assert_eq!(
        made,
        [
            ("openai", "OPENAI", false),
            ("msft", "Microsoft Corporation", false),
            ("oracle-cloud", "Oracle Cloud", false),
            ("oracle", "Oracle", true),
            ("google", "Google", true),
            ("xai", "xAI", true),
            ("cloud", "Cloud", true),
        ]
    );
    assert_eq!(d.clusters[3].owners, ["msft", "openai"]);
    // The set is the ledger's: its title and its day.
    assert_eq!(
        (d.title.as_str(), d.as_of),
        (
            "Ledger",
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()
        )
    );
    assert!(d.files.iter().all(|f| f.as_of == d.as_of));
}

/// A folder of TOML and CSV is one set: a line per file, then the totals.
#[test]
fn check_reads_a_folder_of_toml_and_csv_as_one_set() {
    let ledger = common::lab_ledger!(title: "Lab", as_of: "2025-12-01", "");
    let dir = folder(&[("a.toml", ledger), (NAMES[0], SITES), (NAMES[1], TIMELINES)]);
    let out = check(&[dir.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    let file = |name: &str| dir.path().join(name).display().to_string();
    assert!(
        text.contains(&format!(
            "{}: ok: 4 parties, 0 commitments, 0 milestones, 0 notes, 1 source, 3 sites, 0 timeline entries, 0 clusters\n",
            file(NAMES[0])
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: ok: 0 parties, 0 commitments, 0 milestones, 0 notes, 1 source, 0 sites, 4 timeline entries, 0 clusters\n",
            file(NAMES[1])
        )),
        "{text}"
    );
    assert!(
        text.contains("3 files: ok: 5 parties, 0 commitments, 0 milestones, 0 notes, 2 sources, 3 sites, 4 timeline entries, 0 clusters\n"),
        "{text}"
    );
}

/// Which table a file is, is its header's to say: a table named
/// otherwise is read all the same, alone (`load_file`, as `--data` opens
/// one file) or in a set.
#[test]
fn a_table_is_told_by_its_header_not_its_name() {
    let dir = folder(&[("clusters.txt", CLUSTERS), ("places.data", SITES)]);
    let clusters =
        load_file(&dir.path().join("clusters.txt")).unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(clusters.clusters.len(), 4);
    let sites =
        load_file(&dir.path().join("places.data")).unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(sites.sites.len(), 3);
    let both = load_set(&[
        dir.path().join("clusters.txt"),
        dir.path().join("places.data"),
    ]);
    let both = both.unwrap_or_else(|e| panic!("{}", e.report())).dataset;
    assert_eq!((both.sites.len(), both.clusters.len()), (3, 4));
}

/// The explorer's reloads (`--data DIR`): tables through the set cache,
/// joined again on each load; a bad save of one shows the set stale, with
/// the table's last good version.
#[test]
fn the_explorer_reloads_tables_and_keeps_a_bad_saves_last_good_version() {
    let dir = folder(&fixtures());
    let paths = [dir.path().to_path_buf()];
    let mut cache = SetCache::default();
    for _ in 0..2 {
        match cache.load(&paths, &[]) {
            SetReload::Loaded(d) => {
                assert_eq!((d.sites.len(), entries(&d), d.clusters.len()), (3, 4, 4))
            }
            other => panic!("{other:?}"),
        }
    }
    let timelines = dir.path().join(NAMES[1]);
    std::fs::write(&timelines, edited(TIMELINES, "9/30/2025", "9/31/2025")).expect("save");
    match cache.load(&paths, &[timelines]) {
        SetReload::Stale { dataset, error } => {
            assert_eq!(entries(&dataset), 4);
            assert!(
                error.to_string().contains(".csv:3: Date: \"9/31/2025\""),
                "{error}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A bad table and the one error it must give, whole: `FILE:LINE:
/// column: message`.
struct Bad {
    name: &'static str,
    /// The files of the set, the broken one among them.
    files: Vec<(&'static str, String)>,
    error: String,
}

fn edited(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

#[test]
fn bad_tables_are_errors_at_their_line_and_column() {
    let sites = |from: &str, to: &str| vec![(NAMES[0], edited(SITES, from, to))];
    let timelines = |from: &str, to: &str| {
        vec![
            (NAMES[0], SITES.to_string()),
            (NAMES[1], edited(TIMELINES, from, to)),
        ]
    };
    let cases = [
        Bad {
            name: "a field too many",
            files: sites("Serena,,,\n", "Serena,,,,\n"),
            error: "data_centers.csv:5: the row has 16 fields, the header only 15 columns".into(),
        },
        Bad {
            name: "a field too few",
            files: sites("254674.07781707932,295,8\n", "254674.07781707932,295\n"),
            error: "data_centers.csv:2: Current total capital cost (2025 USD billions): missing: \
                    the row has 14 fields, the header 15 columns"
                .into(),
        },
        Bad {
            name: "a number that is not one",
            files: sites(",295,8\n", ",lots,8\n"),
            error: "data_centers.csv:2: Current power (MW): \"lots\" is not a number".into(),
        },
        Bad {
            name: "a number below zero",
            files: timelines("(https://crusoe.ai)\",295,", "(https://crusoe.ai)\",-295,"),
            error: "data_center_timelines.csv:3: Power (MW): \"-295\" is below 0".into(),
        },
        Bad {
            name: "a date that is not one",
            files: timelines("9/30/2025", "9/31/2025"),
            error: "data_center_timelines.csv:3: Date: \"9/31/2025\" is not a date (m/d/yyyy or \
                    yyyy-mm-dd)"
                .into(),
        },
        Bad {
            name: "a whole number that is not one",
            files: timelines("254674.0778,2,8", "254674.0778,2.5,8"),
            error:
                "data_center_timelines.csv:3: Buildings operational: \"2.5\" is not a whole number"
                    .into(),
        },
        Bad {
            name: "a timeline row naming no site",
            files: timelines(
                "3/1/2026,Microsoft Fairwater Mount Pleasant Wisconsin",
                "3/1/2026,Microsoft Fairwater Atlanta",
            ),
            error:
                "data_center_timelines.csv:5: Data center: no site \"Microsoft Fairwater Atlanta\" \
                    in the set's data center tables (by Handle or Title)"
                    .into(),
        },
        Bad {
            name: "a timeline alone",
            files: vec![(
                NAMES[1],
                TIMELINES.lines().take(2).collect::<Vec<_>>().join("\n"),
            )],
            error: "data_center_timelines.csv:2: Data center: no site \"OpenAI-Oracle Stargate \
                    Abilene Texas\": the set has no data centers table (read the hub's data \
                    centers download with its timelines)"
                .into(),
        },
        Bad {
            name: "an unknown confidence tag",
            files: sites(
                "Oracle #confident,OpenAI #confident",
                "Oracle #confident,OpenAI #rumoured",
            ),
            error: "data_centers.csv:2: Users: unknown confidence tag \"#rumoured\"; expected \
                    #confident, #likely or #speculative"
                .into(),
        },
        Bad {
            name: "a bad cell on a row's second line",
            files: sites("\"35°01'01\"\"N\"", "north"),
            error:
                "data_centers.csv:5: Latitude: \"north\" is not a latitude (like 32°35'25\"N or \
                    32.59)"
                    .into(),
        },
        Bad {
            name: "a control character",
            files: sites(",Goodnight,", ",Good\u{1b}]0;pwned\u{7}night,"),
            error: "data_centers.csv:4: Title: control character U+001B at character 5 of the \
                    cell; cells are shown in a terminal and may not hold control characters"
                .into(),
        },
        Bad {
            name: "a data center twice",
            files: vec![(
                NAMES[0],
                format!("{SITES}{}", SITES.lines().nth(1).unwrap_or_default()),
            )],
            error: "data_centers.csv:6: Handle: \"OpenAI-Oracle Stargate Abilene Texas\" is the \
                    data center of line 2 again; each row must have its own"
                .into(),
        },
        Bad {
            name: "an empty file",
            files: vec![(NAMES[0], String::new())],
            error: "data_centers.csv:1: the file is empty; expected a header row".into(),
        },
        Bad {
            name: "a table gigawatt does not read",
            files: vec![("deals.csv", "id,value\nd1,$1bn\n".to_string())],
            error: "deals.csv:1: not a table gigawatt reads: expected Epoch AI's data centers \
                    (Handle or Name, Current power (MW)), timelines (Date, Data center) or GPU \
                    clusters (Name, Certainty, Chip type (primary))"
                .into(),
        },
        Bad {
            name: "a column twice",
            files: vec![(NAMES[2], CLUSTERS.replacen("Country,", "Name,", 1))],
            error: "gpu_clusters.csv:1: Name: the header names this column twice".into(),
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let dir = folder(
            &case
                .files
                .iter()
                .map(|(n, t)| (*n, t.as_str()))
                .collect::<Vec<_>>(),
        );
        let prefix = format!("{}/", dir.path().display());
        // Named one by one: a folder leaves out a CSV that is no table.
        let files: Vec<PathBuf> = case.files.iter().map(|(n, _)| dir.path().join(n)).collect();
        match load_set(&files) {
            Ok(_) => failures.push(format!("{}: loaded", case.name)),
            Err(e) => {
                let shown = e.to_string().replace(&prefix, "");
                if shown != case.error {
                    failures.push(format!(
                        "{}:\n  got  {shown}\n  want {}",
                        case.name, case.error
                    ));
                }
                if e.report().contains('\u{1b}') {
                    failures.push(format!("{}: the report holds an escape", case.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A table's site ids are the set's, as a TOML file's are: the same id in
/// both is an error at the later one, naming the earlier one's place.
#[test]
fn a_tables_site_ids_clash_with_a_ledgers_as_a_ledgers_do() {
    let ledger = concat!(
        "format = 2\n\n[dataset]\ntitle = \"Ledger\"\nas_of = 2025-12-01\n\n",
        "[[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n",
        "[[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n\n",
        "[[sites]]\nid = \"crusoe-goodnight-texas\"\nname = \"Goodnight\"\n",
    );
    for (toml, first) in [("a.toml", true), ("z.toml", false)] {
        let dir = folder(&[(toml, ledger), (NAMES[0], SITES)]);
        let e = set(dir.path()).expect_err("a clash");
        let shown = e
            .to_string()
            .replace(&format!("{}/", dir.path().display()), "");
        let want = if first {
            "data_centers.csv:4: Handle: duplicate id \"crusoe-goodnight-texas\", already used \
             by the site at a.toml:17:6 (sites[0].id); site ids must be unique across the files \
             of a set"
        } else {
            "z.toml:17:6: sites[0].id: duplicate id \"crusoe-goodnight-texas\", already used by \
             the site at data_centers.csv:4 (Handle); site ids must be unique across the files of \
             a set"
        };
        assert_eq!(shown, want);
    }
}

/// A folder's CSV that is none of the tables (gigawatt's own export, say)
/// is skipped with a warning, as a folder's entry that is not a file is;
/// named on its own, it is an error.
#[test]
fn a_folders_csv_that_is_no_table_is_skipped_with_a_warning() {
    let export = "id,buyer,provider,value\ndeal,lab,cloud,$1bn\n";
    let name = "gigawatt-commitments-20260101-120000.csv";
    let dir = folder(&[(NAMES[0], SITES), (name, export)]);
    let loaded = load_set(&[dir.path().to_path_buf()]);
    let loaded = loaded.unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(loaded.dataset.sites.len(), 3);
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    let why = "skipped: not a table gigawatt reads (its header is none of Epoch AI's data \
               centers, timelines or GPU clusters)";
    assert_eq!(
        warnings,
        [format!("{}: {why}", dir.path().join(name).display())]
    );
    let out = check(&[dir.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let named = check(&[&dir.path().join(name)]);
    assert_eq!(named.status.code(), Some(1), "{}", describe(&named));
    let err = stderr(&named);
    assert!(err.contains("csv:1: not a table gigawatt reads"), "{err}");
}

/// `check` exits 1 on a bad table, every problem on standard error, the
/// other files' lines on standard output.
#[test]
fn check_fails_on_a_bad_table_and_says_where() {
    let bad = edited(TIMELINES, "9/30/2025", "Sept 30");
    let dir = folder(&[(NAMES[0], SITES), (NAMES[1], &bad)]);
    let out = check(&[dir.path()]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let timelines = dir.path().join(NAMES[1]).display().to_string();
    assert!(
        stdout(&out).contains(&format!("{timelines}: 1 problem\n")),
        "{}",
        describe(&out)
    );
    assert!(
        stdout(&out).contains("2 files: 1 with problems"),
        "{}",
        describe(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error: {timelines}:3: Date: \"Sept 30\" is not a date (m/d/yyyy or yyyy-mm-dd)\n"
        )),
        "{err}"
    );
    // The row, with a caret under the cell.
    assert!(err.contains("3 | Sept 30,OpenAI-Oracle"), "{err}");
    assert!(err.contains(" | ^^^^^^^\n"), "{err}");
}

/// The guards TOML files have: the size cap, special files, UTF-8.
#[test]
fn tables_are_guarded_as_toml_files_are() {
    let dir = common::temp_dir();
    let big = dir.path().join("big.csv");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("a sparse file");
    match set(dir.path()) {
        Err(LoadError::TooLarge { .. }) => {}
        other => panic!("expected TooLarge, got {other:?}"),
    }
    std::fs::remove_file(&big).expect("remove");
    let latin1 = dir.path().join("latin.csv");
    std::fs::write(&latin1, b"Handle,Current power (MW)\nCaf\xe9,1\n").expect("write");
    match load_set(&[latin1]) {
        Err(LoadError::NotUtf8 { line, .. }) => assert_eq!(line, 2),
        other => panic!("expected NotUtf8, got {:?}", other.map(|_| ())),
    }
    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe.csv");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("run mkfifo");
        assert!(made.success());
        match load_set(&[fifo]) {
            Err(LoadError::NotAFile { kind, .. }) => assert_eq!(kind, "a FIFO"),
            other => panic!("expected NotAFile, got {:?}", other.map(|_| ())),
        }
    }
}
