//! Honest accounting (issue 22), one small ledger per rule: power layers
//! against a plan, conditional tranches, backstops, status notes that move
//! a deal out of the committed total, and shares as intervals.

mod common;

use gigawatt::app::App;
use gigawatt::app::action::Action;
use gigawatt::tabs::descriptor::Tab;
use gigawatt_model::data::Dataset;
use gigawatt_model::ledger::{Derived, all};

fn load(text: &str) -> Dataset {
    gigawatt_model::data::load_str(text, "accounting.toml")
        .unwrap_or_else(|e| panic!("the ledger loads:\n{}", e.report()))
}

fn derived<'a>(figures: &'a [Derived], key: &str) -> &'a Derived {
    figures.iter().find(|d| d.key == key).unwrap_or_else(|| {
        let keys: Vec<&str> = figures.iter().map(|d| d.key.as_str()).collect();
        panic!("no {key} among {keys:?}")
    })
}

const LAYERS: &str = common::lab_ledger!(
    title: "Layers",
    as_of: "2026-01-01",
    cloud,
    r#"
[[parties]]
id = "chipco"
name = "Chipco"
kind = "chipmaker"

[[commitments]]
id = "chips"
provider = "chipco"
kind = "chips"
power = "6 GW"
status = "signed"

[[commitments]]
id = "halls"
provider = "cloud"
power = "5 GW"
status = "signed"

[capacity]
target = "10 GW"
build_rate = "1 GW per month"
"#
);

/// 6 GW of chips and 5 GW of halls to hold them are not 11 GW: each layer
/// is its own share of the plan, 60% and 50%, and none is 110%.
#[test]
fn each_power_layer_is_its_own_share_of_the_target() {
    let figures = all(&load(LAYERS));
    assert_eq!(
        derived(&figures, "power_vs_target:lab:chips").compact(),
        "60%"
    );
    assert_eq!(
        derived(&figures, "power_vs_target:lab:hosting").compact(),
        "50%"
    );
    assert!(
        figures
            .iter()
            .all(|d| d.key.matches(':').count() >= 2 || !d.key.starts_with("power_")),
        "a power figure without its layer"
    );
    for size in [(80, 24), (120, 40)] {
        let mut app = App::with_data(load(LAYERS), "layers.toml", size);
        app.update(Action::GoTab(Tab::Ramp.index()));
        let screen = common::screen(&app);
        let row = |label: &str| {
            screen
                .lines()
                .find(|l| l.contains(&format!("│ {label} ")))
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            row("Chips").contains("6 GW") && row("Chips").contains("60%"),
            "{screen}"
        );
        assert!(
            row("Hosting").contains("5 GW") && row("Hosting").contains("50%"),
            "{screen}"
        );
        assert!(
            !screen.contains("110%") && !screen.contains("11 GW"),
            "{screen}"
        );
    }
}

const TRANCHES: &str = common::lab_ledger!(
    title: "Tranches",
    as_of: "2026-01-01",
    cloud,
    r#"
[[commitments]]
id = "stake"
buyer = "cloud"
provider = "lab"
kind = "investment"
value = "$50bn"
status = "signed"

[[commitments.tranches]]
value = "$35bn"
condition = "paid once the lab lists its shares"

[[commitments]]
id = "rent"
provider = "cloud"
value = "$50bn"
status = "signed"

[[commitments.tranches]]
value = "$15bn"

[[commitments.tranches]]
value = "$35bn"
due = "2028"
condition = "only if the second campus is built"
"#
);

/// $50bn with $35bn due on conditions counts $15bn, whether the firm part
/// is listed as a tranche or is what the conditional one leaves.
#[test]
fn a_conditional_tranche_is_not_counted_as_committed() {
    let figures = all(&load(TRANCHES));
    assert_eq!(derived(&figures, "committed_total:lab").compact(), "$15bn");
    assert_eq!(
        derived(&figures, "conditional_total:lab").compact(),
        "$35bn"
    );
    assert_eq!(derived(&figures, "invested_total:cloud").compact(), "$15bn");
    assert_eq!(
        derived(&figures, "conditional_total:cloud").compact(),
        "$35bn"
    );
}

const BACKSTOP: &str = common::lab_ledger!(
    title: "Backstop",
    as_of: "2026-01-01",
    cloud,
    r#"
[[commitments]]
id = "rent"
provider = "cloud"
value = "$10bn"
status = "signed"

[[commitments]]
id = "guarantee"
provider = "cloud"
kind = "backstop"
value = "$3bn"
status = "signed"
"#
);

/// A backstop pays only if others do not: exposure, in a total of its
/// own, and in no spending total.
#[test]
fn a_backstop_counts_in_no_spending_total() {
    let figures = all(&load(BACKSTOP));
    assert_eq!(derived(&figures, "committed_total:lab").compact(), "$10bn");
    assert_eq!(derived(&figures, "provider_total:cloud").compact(), "$10bn");
    assert_eq!(derived(&figures, "backstop_total:lab").compact(), "$3bn");
    assert!(
        figures
            .iter()
            .filter(|d| d.key.starts_with("committed_total") || d.key.starts_with("provider_total"))
            .all(|d| !d.formula.contains("guarantee")),
        "the backstop is in a spending total"
    );
}

const STALLED: &str = common::lab_ledger!(
    title: "Stalled",
    as_of: "2026-06-01",
    cloud,
    r#"
[[commitments]]
id = "campus"
provider = "cloud"
value = "$20bn"
announced = 2025-09-01
status = "signed"

[[commitments]]
id = "hall"
provider = "cloud"
value = "$5bn"
announced = 2025-09-01
status = "signed"

[[notes]]
id = "campus-on-ice"
kind = "status"
commitment = "campus"
status = "stalled"
date = 2026-03-01
subject = "cloud"
headline = "The campus deal is said to be on ice"
source = "wire"

[[notes]]
id = "campus-earlier"
kind = "status"
commitment = "campus"
status = "in talks"
date = 2025-08-01
subject = "cloud"
headline = "Talks over a campus"
source = "wire"
"#
);

/// The latest status note, by date, is the deal's status: "stalled" moves
/// the deal from the committed total to the tentative one.
#[test]
fn a_stalled_status_note_moves_a_deal_to_the_tentative_total() {
    let d = load(STALLED);
    let campus = d
        .commitments
        .iter()
        .find(|c| c.id == "campus")
        .expect("the deal");
    assert_eq!(campus.status, gigawatt_model::data::Status::Stalled);
    let figures = all(&d);
    assert_eq!(derived(&figures, "committed_total:lab").compact(), "$5bn");
    assert_eq!(derived(&figures, "tentative_total:lab").compact(), "$20bn");
    assert!(
        derived(&figures, "committed_total:lab")
            .covers_text()
            .is_some_and(|t| t.contains("1 tentative")),
        "the total says what it left out"
    );
}

const SHARES: &str = common::lab_ledger!(
    title: "Shares",
    as_of: "2026-01-01",
    cloud,
    r#"
[[parties]]
id = "cloud-b"
name = "Cloud B"
kind = "cloud"

[[parties]]
id = "cloud-c"
name = "Cloud C"
kind = "cloud"

[[commitments]]
id = "up-to"
provider = "cloud"
value = "up to $10bn"
status = "signed"

[[commitments]]
id = "exact"
provider = "cloud-b"
value = "$5bn"
status = "signed"

[[commitments]]
id = "about"
provider = "cloud-c"
value = "about $5bn"
status = "signed"
"#
);

/// Shares of "up to $10bn", "$5bn" and "about $5bn" are intervals: the
/// first starts at 0, and their low ends add to at most 100%.
#[test]
fn shares_are_intervals_whose_low_ends_fit_in_the_whole() {
    let figures = all(&load(SHARES));
    let bounds = |id: &str| {
        let share = derived(&figures, &format!("share:{id}"));
        let f = share.figure().unwrap_or_else(|| panic!("{share:?}"));
        (f.interval.low, f.interval.high)
    };
    let (low, high) = bounds("up-to");
    assert_eq!(low, 0.0);
    // At most $10bn of at least $10bn the others hold: 50%.
    assert!((high - 50.0).abs() < 1e-9, "{high}");
    let lows: f64 = ["up-to", "exact", "about"]
        .iter()
        .map(|id| bounds(id).0)
        .sum();
    assert!(lows <= 100.0 + 1e-9, "low ends add to {lows}%");
    for id in ["exact", "about"] {
        let (low, high) = bounds(id);
        assert!(
            low > 0.0 && low < high && high <= 100.0,
            "{id}: {low}..{high}"
        );
    }
}

const AT_LEAST: &str = common::lab_ledger!(
    title: "At least",
    as_of: "2026-01-01",
    cloud,
    r#"
[[parties]]
id = "cloud-b"
name = "Cloud B"
kind = "cloud"

[[commitments]]
id = "small"
provider = "cloud"
value = "more than $1bn"
status = "signed"

[[commitments]]
id = "large"
provider = "cloud-b"
value = "more than $10bn"
status = "signed"
"#
);

/// Two deals of "more than": neither is surely all of the total, so
/// neither share starts at 100% (an unbounded rest is not an empty one).
#[test]
fn a_share_of_at_least_within_an_unbounded_total_starts_at_zero() {
    let figures = all(&load(AT_LEAST));
    for id in ["small", "large"] {
        let share = derived(&figures, &format!("share:{id}"));
        let f = share.figure().unwrap_or_else(|| panic!("{share:?}"));
        assert_eq!(f.interval.low, 0.0, "{id}: {}", share.compact());
    }
}

const MONEY_ORDER: &str = common::lab_ledger!(
    title: "Money order",
    as_of: "2026-01-01",
    cloud,
    r#"
[[parties]]
id = "cloud-b"
name = "Bigger Cloud"
kind = "cloud"

[[parties]]
id = "idle"
name = "Idle Co"
kind = "other"

[[commitments]]
id = "small"
provider = "cloud"
value = "$1bn"
status = "signed"

[[commitments]]
id = "large"
provider = "cloud-b"
value = "$5bn"
status = "signed"
"#
);

/// Parties open sorted by the money each sold and bought, largest first,
/// not in file order; a party with neither comes last, and the title says
/// what the order is.
#[test]
fn parties_open_sorted_by_money_largest_first() {
    let app = App::with_data(load(MONEY_ORDER), "money.toml", (120, 40));
    let screen = common::screen(&app);
    let position = |name: &str| {
        screen
            .lines()
            .position(|l| l.starts_with(&format!("│ {name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{screen}"))
    };
    let order = ["Lab", "Bigger Cloud", "Cloud", "Idle Co"].map(position);
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{order:?}:\n{screen}"
    );
    assert!(screen.contains("by money sold + bought▼"), "{screen}");
}

const LOAN: &str = common::lab_ledger!(
    title: "Loan",
    as_of: "2026-01-01",
    cloud,
    r#"
[[commitments]]
id = "rent"
provider = "cloud"
value = "$10bn"
status = "signed"

[[commitments]]
id = "loan"
buyer = "cloud"
provider = "lab"
kind = "debt"
value = "$2bn"
status = "signed"

[[commitments]]
id = "guarantee"
buyer = "cloud"
provider = "lab"
kind = "backstop"
value = "$3bn"
status = "signed"
"#
);

/// A loan's money goes from the lender (the deal's provider) to the
/// borrower (its buyer); a backstop moves none unless called on. So a lab
/// that rents from a cloud and lends to it is no money loop.
#[test]
fn debt_flows_from_lender_to_borrower_and_backstops_do_not_flow() {
    let d = load(LOAN);
    let flows = gigawatt_model::ledger::flows(&d);
    let pairs: Vec<(&str, &str, String)> = flows
        .iter()
        .map(|f| (f.from.as_str(), f.to.as_str(), f.money.compact()))
        .collect();
    assert_eq!(
        pairs,
        [("lab", "cloud", "$12bn".to_string())],
        "rent and the loan both go from the lab to the cloud"
    );
    let figures = all(&d);
    assert!(figures.iter().all(|f| !f.key.starts_with("circular:")));
    assert_eq!(derived(&figures, "debt_total:cloud").compact(), "$2bn");
    assert_eq!(derived(&figures, "backstop_total:cloud").compact(), "$3bn");
}

/// The Flows matrix in gigawatts gives each pair's power, but a buyer
/// whose deals are in two layers has no row total: it says so.
#[test]
fn a_flows_row_of_two_layers_has_no_power_total() {
    let mut app = App::with_data(load(LAYERS), "layers.toml", (120, 40));
    app.update(Action::GoTab(Tab::Flows.index()));
    app.update(Action::ToggleMeasure);
    let screen = common::screen(&app);
    let lab = screen
        .lines()
        .find(|l| l.starts_with("│Lab"))
        .unwrap_or_else(|| panic!("no Lab row:\n{screen}"));
    assert!(lab.contains("6 GW") && lab.contains("5 GW"), "{lab}");
    assert!(lab.contains("by layer") && !lab.contains("11 GW"), "{lab}");
}

const RAMP_FROM_ONLINE: &str = common::lab_ledger!(
    title: "Ramp from what is online",
    as_of: "2026-01-01",
    cloud,
    r#"
[[commitments]]
id = "running"
provider = "cloud"
power = "2 GW"
starts = 2025-06-01
online_by = 2025-12-01
status = "signed"

[[commitments]]
id = "later"
provider = "cloud"
power = "3 GW"
starts = 2027-01-01
status = "signed"

[capacity]
target = "30-36 GW"
build_rate = "1 GW per week"
"#
);

/// The ramp starts from the power already contracted to be online on the
/// plan's day (2 GW of hosting here, not the 3 GW due later), says so in
/// its formula, and a range of targets over an exact pace is a range of
/// weeks and of dates, never its middle.
#[test]
fn the_ramp_starts_from_power_online_and_keeps_a_range_a_range() {
    let figures = all(&load(RAMP_FROM_ONLINE));
    let weeks = derived(&figures, "weeks_to_target");
    assert_eq!(weeks.compact(), "28–34 weeks");
    assert!(
        weeks
            .formula
            .contains("2 GW of hosting online by 2026-01-01"),
        "{}",
        weeks.formula
    );
    let f = weeks.figure().expect("a figure");
    assert_eq!((f.interval.low, f.interval.high), (28.0, 34.0));
    let date = derived(&figures, "date_to_target");
    assert_eq!(date.compact(), "2026-07-16 to 2026-08-27");
}

const TWO_PLANS: &str = common::lab_ledger!(
    title: "Two plans",
    as_of: "2026-01-01",
    cloud,
    r#"
[[capacity]]
target = "30 GW"
build_rate = "1 GW per week"
by = "by end-2033"

[[capacity]]
target = "26 GW"
build_rate = "1 GW per week"
by = "by end-2030"
"#
);

/// Two plans for one buyer: the ramp shows the first and names the other
/// beside it, and both are exported, the second keyed by its file.
#[test]
fn a_second_plan_is_shown_beside_the_first() {
    let app = {
        let mut app = App::with_data(load(TWO_PLANS), "plans.toml", (120, 40));
        app.update(Action::GoTab(Tab::Ramp.index()));
        app
    };
    let screen = common::screen(&app);
    assert!(
        screen.contains("± Also plan  26 GW by end-2030"),
        "{screen}"
    );
    let figures = all(&load(TWO_PLANS));
    assert_eq!(derived(&figures, "weeks_to_target").compact(), "30 weeks");
    assert!(
        figures
            .iter()
            .any(|d| d.key.starts_with("weeks_to_target:lab@") && d.compact() == "26 weeks"),
        "the second plan's figures"
    );
}

/// The explorer counts as the export does: a $50bn deal with $35bn on a
/// condition adds $15bn to the Commitments total, and the $35bn is beside it.
#[test]
fn the_explorers_total_leaves_out_money_on_conditions() {
    let mut app = App::with_data(load(TRANCHES), "tranches.toml", (120, 40));
    app.update(Action::GoTab(Tab::Commitments.index()));
    let screen = common::screen(&app);
    let total = screen
        .lines()
        .find(|l| l.contains("Total "))
        .unwrap_or_else(|| panic!("no total:\n{screen}"));
    assert!(total.contains("Total $15bn"), "{total}");
    assert!(total.contains("$35bn on conditions"), "{total}");
}

/// `export commitments` of one file streams its deals: each still takes
/// its latest status note, as in a set or the explorer.
#[test]
fn a_single_files_export_applies_its_status_notes() {
    let file = common::temp_file(STALLED);
    let out = std::process::Command::new(common::BIN)
        .args(["export", "commitments", "--data", common::arg(&file)])
        .output()
        .expect("run gigawatt");
    assert_eq!(out.status.code(), Some(0), "{}", common::describe(&out));
    let text = common::stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, status, left_out) = (at("id"), at("status"), at("left_out"));
    let campus = reader
        .records()
        .map(|r| r.expect("a record"))
        .find(|r| &r[id] == "campus")
        .expect("the campus deal");
    assert_eq!(
        (&campus[status], &campus[left_out]),
        ("stalled", "tentative")
    );
}

/// A deal whose status note says it completed has met its conditions: all
/// of its money is firm, none is left on conditions.
#[test]
fn a_completed_deal_has_no_money_left_on_conditions() {
    let text = TRANCHES.replace(
        "condition = \"only if the second campus is built\"\n",
        "condition = \"only if the second campus is built\"\n\n[[notes]]\nid = \"done\"\n\
         kind = \"status\"\ncommitment = \"rent\"\nstatus = \"completed\"\ndate = 2026-01-01\n\
         subject = \"cloud\"\nheadline = \"Both campuses built\"\nsource = \"wire\"\n",
    );
    let figures = all(&load(&text));
    assert_eq!(derived(&figures, "committed_total:lab").compact(), "$50bn");
    assert!(figures.iter().all(|d| d.key != "conditional_total:lab"));
}

/// A party's detail says what its totals leave apart: the tentative money
/// and the money on conditions.
#[test]
fn a_partys_detail_gives_what_its_totals_leave_apart() {
    let text = STALLED.replace(
        "[[notes]]\nid = \"campus-on-ice\"",
        "[[commitments]]\nid = \"option-hall\"\nprovider = \"cloud\"\nvalue = \"$50bn\"\n\
         status = \"signed\"\n\n[[commitments.tranches]]\nvalue = \"$35bn\"\n\
         condition = \"if the lab raises its next round\"\n\n[[notes]]\nid = \"campus-on-ice\"",
    );
    for size in [(80, 24), (120, 40)] {
        let app = App::with_data(load(&text), "apart.toml", size);
        // Parties opens on the largest by money: the lab, whose detail shows.
        let screen = common::screen(&app);
        assert!(screen.contains("Apart, not counted"), "{screen}");
        assert!(screen.contains("$20bn tentative"), "{screen}");
        assert!(screen.contains("$35bn on conditions"), "{screen}");
    }
}

const BUILT: &str = common::lab_ledger!(
    title: "Built",
    as_of: "2026-06-01",
    cloud,
    r#"
[[commitments]]
id = "halls"
provider = "cloud"
power = "5 GW"
status = "signed"

[[sites]]
id = "campus"
name = "Big Campus"
owner = "cloud"
users = [ { party = "lab", confidence = "confident" } ]
power = "3 GW"

[[sites.timeline]]
date = 2025-06-01
power = "400 MW"

[[sites.timeline]]
date = 2026-01-01
power = "1 GW"

[[sites.timeline]]
date = 2027-01-01
power = "3 GW"

[[sites]]
id = "rumour"
name = "Rumoured Campus"
users = [ { party = "lab", confidence = "likely" } ]

[[sites.timeline]]
date = 2025-06-01
power = "2 GW"

[[notes]]
id = "lab-running"
kind = "capacity"
subject = "lab"
date = "2025-12"
power = "about 1.9 GW"
scope = "total"
headline = "The lab says it runs about 1.9 GW"
source = "wire"

[capacity]
target = "10 GW"
build_rate = "1 GW per month"
"#
);

/// Promise beside build-out: the power running at the sites the buyer uses
/// with confidence, as their timelines stand on the set's day (1 GW, not
/// the 3 GW planned for 2027, nor the likely site's 2 GW), its own word
/// (about 1.9 GW), and the hosting under contract not yet running (4 GW),
/// in the export and on the Ramp.
#[test]
fn the_ramp_shows_what_runs_beside_what_is_promised() {
    let figures = all(&load(BUILT));
    assert_eq!(derived(&figures, "built_power:lab").compact(), "1 GW");
    assert_eq!(derived(&figures, "built_power:lab").covers, Some((1, 1)));
    assert_eq!(
        derived(&figures, "contracted_not_built:lab").compact(),
        "4 GW"
    );
    assert_eq!(
        derived(&figures, "stated_capacity:lab").compact(),
        "~1.9 GW"
    );
    for size in [(80, 24), (120, 40)] {
        let mut app = App::with_data(load(BUILT), "built.toml", size);
        app.update(Action::GoTab(Tab::Ramp.index()));
        let screen = common::screen(&app);
        let row = |label: &str| {
            screen
                .lines()
                .find(|l| l.contains(&format!("│ {label} ")))
                .unwrap_or_default()
                .to_string()
        };
        assert!(row("Not built").contains("4 GW"), "{screen}");
        assert!(row("Running").contains("1 GW at 1 site"), "{screen}");
        // And on the chart's time axis, told apart by its glyph.
        assert!(screen.contains("• running"), "{screen}");
        let graph_rows = screen
            .lines()
            .filter(|l| l.contains("│") && l.contains("••"));
        assert!(graph_rows.count() >= 1, "{screen}");
    }
}
