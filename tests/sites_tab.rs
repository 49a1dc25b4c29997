//! The Sites tab (issue 24): one row per campus with what runs beside what
//! is planned, and the selected site's power over time, built apart from
//! planned without colour.

mod common;

use gigawatt::app::App;
use gigawatt::app::action::Action;
use gigawatt::tabs::descriptor::Tab;
use gigawatt::ui::theme::Theme;

/// Two labs; `lab` uses one campus that ran 100 then 300 MW and plans
/// 600 then 1200 MW after the data's date, `other` a second campus.
const SITES: &str = common::lab_ledger!(
    title: "Sites",
    as_of: "2026-01-01",
    cloud,
    r#"
[[parties]]
id = "other"
name = "Other Lab"
kind = "lab"

[[commitments]]
id = "d"
provider = "cloud"
value = "$1bn"
status = "signed"
source = "wire"

[[commitments]]
id = "d2"
buyer = "other"
provider = "cloud"
value = "$2bn"
status = "signed"
source = "wire"

[[sites]]
id = "big"
name = "Big Campus"
owner = "cloud"
users = [{ party = "lab", confidence = "likely" }]
country = "United States"
power = "1.2 GW"
status = "under construction"
source = "wire"

[[sites.timeline]]
date = 2025-03-01
power = "100 MW"

[[sites.timeline]]
date = 2025-09-01
power = "about 300 MW"
h100e = "200,000"

[[sites.timeline]]
date = 2026-06-01
power = "600 MW"

[[sites.timeline]]
date = 2027-06-01
power = "1.2 GW"
status = "full size"

[[sites]]
id = "small"
name = "Small Hall"
users = [{ party = "other", confidence = "confident" }]
power = "50 MW"
status = "planned"
source = "wire"
"#
);

fn sites_app(size: (u16, u16)) -> App {
    let dataset = gigawatt_model::data::load_str(SITES, "sites.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let mut app = App::with_data(dataset, "sites.toml", size);
    app.theme = Theme::new(false);
    app.update(Action::GoTab(Tab::Sites.index()));
    app
}

#[test]
fn the_sites_tab_lists_what_runs_beside_what_is_planned() {
    for size in [(80, 24), (120, 40), (200, 60)] {
        let screen = common::screen(&sites_app(size));
        common::assert_shows(
            &screen,
            &[
                "6 Sites",
                "Sites (2)",
                "Running MW",
                "Planned MW",
                "Big Campus",
                "Small Hall",
            ],
        );
        // The reading on the data's date is the September one; the June
        // 2026 figure is a plan, never what runs.
        let row = screen
            .lines()
            .find(|l| l.contains("Big Campus"))
            .expect("the big campus's row");
        assert!(row.contains("~300"), "{row}");
        assert!(row.contains("1200"), "{row}");
        assert!(!row.contains("600"), "{row}");
    }
}

#[test]
fn the_detail_names_users_by_confidence_and_tells_plans_from_readings() {
    let screen = common::screen(&sites_app((120, 40)));
    common::assert_shows(
        &screen,
        &[
            "◐ Lab (likely)",
            "Owner     Cloud",
            "Timeline (after 2026-01-01 a plan)",
            "2026-06-01  600 MW  (plan)",
        ],
    );
}

/// The chart of power over time draws readings as a braille line and plans
/// as dots, later than every reading: told apart with colour off.
#[test]
fn the_power_chart_keeps_built_and_planned_apart_without_colour() {
    let app = sites_app((120, 40));
    let buf = common::draw(&app);
    let lines = common::lines(&buf);
    let top = lines
        .iter()
        .position(|l| l.contains("Power, MW"))
        .expect("the chart pane");
    let chart_x = lines[top]
        .find("┌ Power")
        .map(|b| lines[top][..b].chars().count())
        .expect("its corner");
    let (mut built, mut planned) = (vec![], vec![]);
    for line in &lines[top + 1..] {
        for (x, c) in line.chars().enumerate().skip(chart_x) {
            if ('\u{2801}'..='\u{28FF}').contains(&c) {
                built.push(x);
            } else if c == '•' {
                planned.push(x);
            }
        }
    }
    assert!(!built.is_empty(), "no built line:\n{}", lines.join("\n"));
    assert!(
        !planned.is_empty(),
        "no planned dots:\n{}",
        lines.join("\n")
    );
    let last_built = built.iter().max().expect("built");
    assert!(
        planned.iter().filter(|x| *x >= last_built).count() >= 2,
        "plans lie after the readings:\n{}",
        lines.join("\n")
    );
    // Every cell of the chart is plain: the glyphs alone tell them apart.
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset)
    );
}

#[test]
fn the_buyer_lens_keeps_the_sites_its_buyer_uses() {
    let mut app = sites_app((120, 40));
    common::press_lens(&mut app);
    let first = common::screen(&app);
    let mut seen = vec![first.clone()];
    // Cycle until the other lab is in focus.
    for _ in 0..4 {
        common::press_lens(&mut app);
        seen.push(common::screen(&app));
    }
    let lab = seen
        .iter()
        .find(|s| s.contains("buyer Lab (b)"))
        .expect("Lab's lens");
    assert!(
        lab.contains("Big Campus") && !lab.contains("Small Hall"),
        "{lab}"
    );
    let other = seen
        .iter()
        .find(|s| s.contains("buyer Other Lab (b)"))
        .expect("Other Lab's lens");
    assert!(
        other.contains("Small Hall") && !other.contains("Big Campus"),
        "{other}"
    );
}

#[test]
fn sites_sort_and_search_by_the_columns_shown() {
    let mut app = sites_app((120, 40));
    app.update(Action::SearchStart);
    for c in "hall".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchConfirm);
    app.update(Action::ToggleFilter);
    let screen = common::screen(&app);
    assert!(screen.contains("Small Hall"), "{screen}");
    assert!(screen.contains("Sites (1 of 2, filtered)"), "{screen}");
    app.update(Action::ToggleFilter);
    // Sorted by planned power, largest last: the 50 MW hall comes first.
    for _ in 0..6 {
        app.update(Action::SortNext);
    }
    let screen = common::screen(&app);
    assert!(screen.contains("by planned mw▲"), "{screen}");
    let (hall, campus) = (
        screen.find("Small Hall").expect("hall"),
        screen.find("Big Campus").expect("campus"),
    );
    assert!(hall < campus, "{screen}");
}

#[test]
fn a_file_without_sites_says_how_to_get_some() {
    let text = common::lab_ledger!(
        title: "No sites",
        as_of: "2026-01-01",
        cloud,
        "\n[[commitments]]\nid = \"d\"\nprovider = \"cloud\"\nvalue = \"$1bn\"\nstatus = \"signed\"\nsource = \"wire\"\n"
    );
    let dataset = gigawatt_model::data::load_str(text, "none.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let mut app = App::with_data(dataset, "none.toml", (80, 24));
    app.update(Action::GoTab(Tab::Sites.index()));
    let screen = common::screen(&app);
    assert!(screen.contains("no sites in this data"), "{screen}");
}

#[test]
fn enter_opens_a_sites_detail() {
    let mut app = sites_app((100, 30));
    app.update(Action::Open);
    let screen = common::screen(&app);
    common::assert_shows(&screen, &["Esc closes", "Big Campus", "1.2 GW"]);
}

/// Issue 24, item 5: the Ramp counts what runs at the sites its buyer uses
/// with confidence, and `u` adds those it likely or may use.
#[test]
fn the_ramp_counts_confident_sites_and_u_adds_the_rest() {
    let text = common::lab_ledger!(
        title: "Ramp sites",
        as_of: "2026-01-01",
        cloud,
        r#"
[[commitments]]
id = "d"
provider = "cloud"
value = "$10bn"
power = "1 GW"
power_layer = "hosting"
status = "signed"
source = "wire"

[[capacity]]
target = "2 GW"
build_rate = "1 GW/week"
source = "wire"

[[sites]]
id = "sure"
name = "Sure Site"
users = [{ party = "lab", confidence = "confident" }]
source = "wire"

[[sites.timeline]]
date = 2025-06-01
power = "100 MW"

[[sites]]
id = "maybe"
name = "Maybe Site"
users = [{ party = "lab", confidence = "likely" }]
source = "wire"

[[sites.timeline]]
date = 2025-06-01
power = "300 MW"
"#
    );
    let dataset = gigawatt_model::data::load_str(text, "ramp.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let mut app = App::with_data(dataset, "ramp.toml", (120, 40));
    app.update(Action::GoTab(Tab::Ramp.index()));
    let before = common::screen(&app);
    let running = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains("Running"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(
        running(&before).contains("Running ● 100 MW at 1 site"),
        "{before}"
    );
    assert!(before.contains("u sites"), "{before}");
    app.update(Action::ToggleSiteUse);
    let after = common::screen(&app);
    assert!(
        running(&after).contains("Running ●◐○ 400 MW at 2 sites"),
        "{after}"
    );
    assert!(
        after.contains("what runs counts sites of any use"),
        "{after}"
    );
}

/// Issue 24, item 4: the clusters of a cluster table, a tab of their own:
/// one row each, searched and sorted by the columns shown.
#[test]
fn the_clusters_tab_lists_a_cluster_tables_rows() {
    let folder = common::epoch::folder(&common::epoch::fixtures());
    let set = gigawatt_model::data::read_set(&[folder.path().to_path_buf()])
        .expect("the tables")
        .into_result()
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let mut app = App::with_data(set.dataset, "tables", (120, 40));
    app.update(Action::GoTab(Tab::Clusters.index()));
    let screen = common::screen(&app);
    common::assert_shows(
        &screen,
        &[
            "7 Clusters",
            "Clusters (4)",
            "Power MW",
            "xAI Colossus Memphis Phase 2",
            "Confirmed",
        ],
    );
    let row = screen
        .lines()
        .find(|l| l.contains("xAI Colossus") && l.contains("Existing"))
        .expect("the xAI row");
    assert!(
        row.contains("200k") && row.contains("300"),
        "{row}\n{screen}"
    );
    app.update(Action::SearchStart);
    for c in "anonymized".chars() {
        app.update(Action::SearchInput(c));
    }
    app.update(Action::SearchConfirm);
    app.update(Action::ToggleFilter);
    let screen = common::screen(&app);
    assert!(screen.contains("Clusters (2 of 4, filtered)"), "{screen}");
}

/// The digit keys are written by hand in the keymap's table: they must be
/// one per tab of the tab table, and say so in their label and help.
#[test]
fn there_is_one_digit_key_per_tab() {
    let tabs = gigawatt::app::keymap::BINDINGS
        .iter()
        .find(|b| b.name == "tabs")
        .expect("the tabs binding");
    assert_eq!(tabs.keys.len(), Tab::COUNT);
    assert_eq!(tabs.label, format!("1-{}", Tab::COUNT));
    assert_eq!(tabs.help, format!("go to tab 1 to {}", Tab::COUNT));
}

/// Issue 23, item 14: share moves are dated with their year, and when only
/// the latest fit, the pane's title says how many of how many.
#[test]
fn share_moves_say_their_years_and_how_many_are_shown() {
    let mut notes = String::new();
    for day in 1..=20 {
        notes.push_str(&format!(
            "\n[[notes]]\ndate = 2025-03-{day:02}\nsubject = \"Cloud\"\nkind = \"stock\"\n\
             headline = \"Move {day}\"\nchange = \"+{day}%\"\nsource = \"wire\"\n"
        ));
    }
    let text = format!(
        "{}{notes}",
        common::lab_ledger!(
            title: "Moves",
            as_of: "2026-01-01",
            cloud,
            "\n[[commitments]]\nid = \"d\"\nprovider = \"cloud\"\nvalue = \"$1bn\"\nstatus = \"signed\"\nsource = \"wire\"\n"
        )
    );
    let dataset = gigawatt_model::data::load_str(&text, "moves.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let mut app = App::with_data(dataset, "moves.toml", (80, 24));
    app.update(Action::GoTab(Tab::Notes.index()));
    let screen = common::screen(&app);
    assert!(screen.contains("Share moves (7 of 20)"), "{screen}");
    assert!(screen.contains("25-03-20 Cl"), "{screen}");
    app.update(Action::Resize(120, 40));
    let wide = common::screen(&app);
    assert!(wide.contains("2025-03-20 Cloud"), "{wide}");
}
