//! The web of deals on screen (issue 11), on the multi-buyer ledger
//! `tests/fixtures/multi-buyer.toml`: the buyer lens, Parties, folded
//! history and disputed figures on Commitments, the Flows matrix and its
//! loops, the ramp's scenario and legend, reload marks, and `gigawatt diff`.

use gigawatt::action::{Action, Handed};
use gigawatt::app::App;
use gigawatt::data::Dataset;
use gigawatt::tab::Tab;
use gigawatt::theme::Theme;
use gigawatt::view::ViewData;

mod common;
use common::{BIN, fixture, fixture_text};

fn multi() -> Dataset {
    gigawatt::data::load_str(&fixture_text("multi-buyer.toml"), "multi-buyer.toml")
        .unwrap_or_else(|e| panic!("the fixture loads:\n{}", e.report()))
}

fn app_on(dataset: Dataset, tab: Tab, (w, h): (u16, u16)) -> App {
    let mut app = App::with_data(dataset, "multi-buyer.toml", (w, h));
    app.update(Action::GoTab(tab.index()));
    app
}

fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let buf = common::draw(app);
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn assert_shows(screen: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            screen.contains(needle),
            "{needle:?} is not on screen:\n{screen}"
        );
    }
}

/// The lens to `buyer`, by pressing `b` until the title bar names it.
fn focus(app: &mut App, buyer: &str) {
    for _ in 0..10 {
        if app.lens_name() == buyer {
            return;
        }
        app.update(Action::Lens);
    }
    panic!("the lens never reached {buyer}");
}

fn status_line(app: &App) -> String {
    screen(app).lines().last().unwrap_or_default().to_string()
}

mod lens {
    use super::*;

    #[test]
    fn b_cycles_all_buyers_then_each_and_the_title_says_which() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        assert_shows(&screen(&app), &["all buyers (b)"]);
        let mut seen = vec![app.lens_name()];
        for _ in 0..app.document.buyers().len() {
            app.update(Action::Lens);
            seen.push(app.lens_name());
        }
        assert_eq!(seen.first().map(String::as_str), Some("all buyers"));
        assert_eq!(seen.get(1).map(String::as_str), Some("OpenAI"));
        assert!(seen.contains(&"Anthropic".to_string()), "{seen:?}");
        // And round again.
        app.update(Action::Lens);
        assert_eq!(app.lens_name(), "all buyers");
        focus(&mut app, "Microsoft");
        assert_shows(&screen(&app), &["buyer Microsoft (b)", "Nebius"]);
    }

    #[test]
    fn the_lens_changes_totals_on_every_tab() {
        for tab in Tab::ALL {
            let mut app = app_on(multi(), tab, (120, 40));
            let all = status_line(&app);
            let rows_all = app.list().order.len();
            focus(&mut app, "Microsoft");
            app.status = None;
            let one = status_line(&app);
            assert_ne!(all, one, "{tab:?}: the total did not follow the lens");
            assert!(one.contains("$17.4–19.4bn"), "{tab:?}: {one}");
            assert!(
                app.list().order.len() <= rows_all,
                "{tab:?}: a lens shows no more rows than all buyers"
            );
        }
        // Commitments: only the buyer's deals.
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        focus(&mut app, "Anthropic");
        let ids: Vec<String> = app
            .list()
            .order
            .iter()
            .map(|&i| app.rows(Tab::Commitments)[i].id.clone())
            .collect();
        assert_eq!(ids, ["anthropic-google"]);
    }

    #[test]
    fn one_buyer_changes_nothing() {
        let ds = gigawatt::data::load_str(&fixture_text("ui.toml"), "ui.toml").expect("loads");
        let mut app = app_on(ds, Tab::Commitments, (80, 24));
        let before = screen(&app);
        app.update(Action::Lens);
        let after = screen(&app);
        assert_eq!(app.lens_name(), "all buyers");
        assert!(after.contains("one buyer in this file"), "{after}");
        // Everything but the status line is as it was.
        let body = |s: &str| s.lines().take(22).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&before), body(&after));
        assert!(!before.contains("all buyers"), "{before}");
    }
}

mod parties {
    use super::*;

    #[test]
    fn a_party_shows_its_roles_money_both_ways_and_deals_on_both_sides() {
        let mut app = app_on(multi(), Tab::Providers, (200, 60));
        let s = screen(&app);
        assert_shows(
            &s,
            &["Parties", "Roles", "Sold", "Bought", "GW sold", "Cpty"],
        );
        let oracle = s
            .lines()
            .find(|l| l.contains("Oracle Cloud"))
            .unwrap_or_default();
        assert!(
            oracle.contains("provider") && oracle.contains("$300bn"),
            "{oracle}"
        );
        // OpenAI: a buyer, paid by its investors; its detail lists both sides.
        let openai = s
            .lines()
            .find(|l| l.contains("│ OpenAI"))
            .unwrap_or_default();
        assert!(openai.contains("buyer"), "{openai}");
        app.update(Action::Open);
        let s = screen(&app);
        assert_shows(
            &s,
            &[
                "Buys and invests",
                "Oracle Cloud Infrastructure: $300bn",
                "Nvidia: up to $100bn",
            ],
        );
        // Revenue notes feed committed ÷ revenue run rate.
        assert_shows(&s, &["Committed ÷ revenue run rate"]);
    }
}

mod commitments {
    use super::*;

    #[test]
    fn buyer_kind_and_power_columns() {
        let app = app_on(multi(), Tab::Commitments, (200, 60));
        let s = screen(&app);
        assert_shows(&s, &["Buyer", "Kind", "GW", "investment", "chips"]);
        let amd = s.lines().find(|l| l.contains("AMD")).unwrap_or_default();
        assert!(amd.contains(" 6 "), "power beside value: {amd}");
    }

    #[test]
    fn a_superseded_deal_folds_under_its_latest_and_expands() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let ids = |app: &App| -> Vec<String> {
            app.list()
                .order
                .iter()
                .map(|&i| app.rows(Tab::Commitments)[i].id.clone())
                .collect()
        };
        assert!(ids(&app).contains(&"coreweave-3".to_string()));
        assert!(!ids(&app).contains(&"coreweave-1".to_string()), "folded");
        let at = ids(&app)
            .iter()
            .position(|id| id == "coreweave-3")
            .unwrap_or(0);
        for _ in 0..at {
            app.update(Action::Down);
        }
        assert_shows(&screen(&app), &["▸ OpenAI", "z history"]);
        app.update(Action::Fold);
        let shown = ids(&app);
        assert_eq!(
            &shown[at..at + 3],
            ["coreweave-3", "coreweave-1", "coreweave-2"],
            "{shown:?}"
        );
        app.update(Action::Open);
        assert_shows(&screen(&app), &["History", "$11.9bn → $15.9bn → $22.4bn"]);
        app.update(Action::Back);
        app.update(Action::Fold);
        assert!(
            !ids(&app).contains(&"coreweave-1".to_string()),
            "folded again"
        );
    }

    #[test]
    fn a_disputed_figure_is_marked_and_its_detail_shows_each_source() {
        let mut app = app_on(multi(), Tab::Notes, (120, 40));
        let s = screen(&app);
        let amd = s
            .lines()
            .find(|l| l.contains("AMD shares jump"))
            .unwrap_or_default();
        assert!(amd.contains('±'), "{amd}");
        let at = app
            .list()
            .order
            .iter()
            .position(|&i| app.rows(Tab::Notes)[i].id == "amd-jump")
            .unwrap_or(0);
        for _ in 0..at {
            app.update(Action::Down);
        }
        app.update(Action::Open);
        let s = screen(&app);
        assert_shows(
            &s,
            &[
                "± Sources disagree on the change",
                "<43%",
                "Shares jump on GPU supply pact",
                "36%",
                "Lab signs compute deals",
            ],
        );
    }

    #[test]
    fn a_disputed_deal_value_is_marked_and_its_detail_shows_each_source() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        focus(&mut app, "Microsoft");
        let s = screen(&app);
        let nebius = s.lines().find(|l| l.contains("Nebius")).unwrap_or_default();
        assert!(nebius.contains("±$17.4–19.4bn"), "{nebius}");
        let at = app
            .list()
            .order
            .iter()
            .position(|&i| app.rows(Tab::Commitments)[i].id == "microsoft-nebius")
            .unwrap_or(0);
        for _ in 0..at {
            app.update(Action::Down);
        }
        app.update(Action::Open);
        assert_shows(
            &screen(&app),
            &[
                "± Sources disagree on the value",
                "$17.4bn      Neocloud expands contracts again",
                "$19.4bn      Lab signs compute deals worth hundreds of billions, Example Wire, 2025-11-03, para 7",
            ],
        );
    }

    #[test]
    fn hedged_dates_sort_by_their_first_day() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let announced = app
            .columns()
            .iter()
            .position(|c| c.title == "Announced")
            .expect("an Announced column");
        while app.list().sort != Some(announced) {
            app.update(Action::SortNext);
        }
        let ds = &app.view().expect("data").dataset;
        let days: Vec<_> = app
            .list()
            .order
            .iter()
            .filter_map(|&i| ds.commitments[i].announced.and_then(|d| d.anchor()))
            .collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    }
}

mod flows {
    use super::*;

    #[test]
    fn each_cell_is_derives_pair_total() {
        let ds = multi();
        let app = app_on(ds.clone(), Tab::Flows, (200, 60));
        let view = app.view().expect("data");
        let flows = &view.flows;
        let derived = gigawatt::derive::all(&ds);
        let mut checked = 0;
        for (r, buyer) in flows.buyers.iter().enumerate() {
            for (c, provider) in flows.providers.iter().enumerate() {
                let Some(cell) = &flows.cells[r][c] else {
                    continue;
                };
                let key = format!("pair_total:{buyer}:{provider}");
                if let Some(d) = derived.iter().find(|d| d.key == key) {
                    assert_eq!(cell.money.value, d.value, "{key}");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5, "{checked} pairs checked");
        // On screen: OpenAI's row has Oracle's $300bn, as `export derived` says.
        let s = screen(&app);
        let row = s
            .lines()
            .find(|l| l.contains("│OpenAI"))
            .unwrap_or_default();
        assert!(row.contains("$300bn"), "{row}");
        let oracle = derived
            .iter()
            .find(|d| d.key == "pair_total:openai:oracle")
            .expect("the pair's total");
        assert_eq!(oracle.compact(), "$300bn");
    }

    #[test]
    fn the_cli_export_agrees_with_the_matrix() {
        let out = std::process::Command::new(BIN)
            .args(["export", "derived", "--format", "csv", "--data"])
            .arg(fixture("multi-buyer.toml"))
            .output()
            .expect("run export");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("pair_total:openai:coreweave,"))
            .unwrap_or_else(|| panic!("no pair_total:openai:coreweave in\n{text}"));
        assert!(line.contains("22400000000"), "{line}");
        let app = app_on(multi(), Tab::Flows, (200, 60));
        let flows = &app.view().expect("data").flows;
        let r = flows
            .buyers
            .iter()
            .position(|b| b == "openai")
            .expect("row");
        let c = flows
            .providers
            .iter()
            .position(|p| p == "coreweave")
            .expect("column");
        let cell = flows.cells[r][c].as_ref().expect("a cell");
        assert_eq!(cell.money.compact(), "$22.4bn");
    }

    #[test]
    fn a_loop_is_listed_with_both_directions() {
        let app = app_on(multi(), Tab::Flows, (120, 40));
        let s = screen(&app);
        assert_shows(
            &s,
            &[
                "Loops: money both ways (1)",
                "OpenAI ⇄ Nvidia",
                "OpenAI → Nvidia:",
                "Nvidia → OpenAI: ≤$100bn",
            ],
        );
    }

    #[test]
    fn moving_through_cells_shows_the_pairs_deals_and_m_switches_to_gw() {
        let mut app = app_on(multi(), Tab::Flows, (120, 40));
        assert_shows(
            &screen(&app),
            &["OpenAI → Oracle Cloud Infrastructure", "oracle-compute"],
        );
        let flows = app.view().expect("data").flows.clone();
        let amd = flows
            .providers
            .iter()
            .position(|p| p == "amd")
            .expect("amd");
        for _ in 0..amd {
            app.update(Action::CellRight);
        }
        assert_shows(&screen(&app), &["OpenAI → AMD", "amd-chips"]);
        app.update(Action::ToggleMeasure);
        assert_shows(&screen(&app), &["GW", "6 GW"]);
        app.update(Action::CellLeft);
        app.update(Action::Down);
        assert_eq!(app.list().column, amd - 1);
    }

    #[test]
    fn at_80x24_the_matrix_scrolls_with_frozen_headers() {
        let mut app = app_on(multi(), Tab::Flows, (80, 24));
        let first = screen(&app);
        assert_shows(&first, &["Buyer", "Total", "covers", "OpenAI"]);
        let columns = app.view().expect("data").flows.providers.len();
        for _ in 0..columns {
            app.update(Action::CellRight);
        }
        let last = screen(&app);
        // Scrolled: the last provider is shown, the names and totals stay.
        assert_shows(&last, &["◂Buyer", "Total", "covers", "OpenAI", "Microsoft"]);
        assert_ne!(first, last);
    }

    #[test]
    fn a_lens_narrows_the_matrix_to_its_buyer() {
        let mut app = app_on(multi(), Tab::Flows, (120, 40));
        focus(&mut app, "OpenAI");
        let flows = &app.view().expect("data").flows;
        assert_eq!(flows.buyers, ["openai"]);
        assert!(!flows.providers.contains(&"nebius".to_string()));
        assert_shows(&screen(&app), &["OpenAI ⇄ Nvidia"]);
    }
}

mod ramp {
    use super::*;

    const MONTHLY: &str = r#"format = 1
[dataset]
title = "Small builder"
subject = "Small Co"
as_of = 2025-11-03

[[sources]]
id = "wire"
title = "Wire"

[[providers]]
id = "cloud"
name = "Cloud"
kind = "cloud"

[[commitments]]
id = "deal"
provider = "cloud"
value = "$2bn"
status = "signed"

[capacity]
target = "2 GW"
build_rate = "100 MW per month"
cost_per_gw = "$30bn"
"#;

    #[test]
    fn from_100_mw_a_month_ten_presses_of_minus_never_reach_zero_and_r_restores() {
        let ds = gigawatt::data::load_str(MONTHLY, "small.toml").expect("valid");
        let mut app = app_on(ds, Tab::Ramp, (100, 30));
        let pace = |app: &App| {
            app.scenario()
                .inputs(&app.view().expect("data").dataset)
                .and_then(|i| i.rate.watts_per_week())
                .unwrap_or(0.0)
        };
        let file = pace(&app);
        assert!(file > 0.0);
        let mut last = file;
        for press in 1..=10 {
            app.update(Action::PaceDown);
            app.update(Action::CostDown);
            let now = pace(&app);
            assert!(now > 0.0 && now < last, "press {press}: {now} after {last}");
            assert!(
                (now - file / 1.25f64.powi(press)).abs() < 1e-3 * file,
                "press {press}"
            );
            last = now;
        }
        // The pace keeps the file's unit: still per month.
        assert_shows(&screen(&app), &["/mo", "adjusted"]);
        app.update(Action::ResetScenario);
        assert_eq!(pace(&app), file);
        assert!(!app.scenario().is_changed());
        assert_shows(&screen(&app), &["100 MW/mo", "file's figures"]);
    }

    #[test]
    fn annualised_capex_says_so_when_it_is_more_than_the_whole_plan() {
        let app = app_on(multi(), Tab::Ramp, (120, 40));
        // 30 GW at 1 GW a week: done in 30 weeks, so a year's pace is more
        // than the whole plan, and the panel says it.
        assert_shows(&screen(&app), &["Annualised", "(>plan)"]);
    }

    #[test]
    fn no_color_legend_tells_entries_apart_by_glyph() {
        let mut app = App::with_data(multi(), "multi-buyer.toml", (160, 50));
        app.theme = Theme::new(false);
        app.update(Action::GoTab(Tab::Ramp.index()));
        app.update(Action::PaceUp);
        let s = screen(&app);
        let legend: Vec<&str> = s
            .lines()
            .filter_map(|l| {
                ["target", "plan pace", "scenario", "contracted", "milestone"]
                    .iter()
                    .find(|name| l.contains(&format!(" {name}")))
                    .map(|_| l)
            })
            .collect();
        let glyphs = [
            gigawatt::tabs::ramp::LEGEND_TARGET,
            gigawatt::tabs::ramp::LEGEND_PLAN,
            gigawatt::tabs::ramp::LEGEND_SCENARIO,
            gigawatt::tabs::ramp::LEGEND_CONTRACTED,
            gigawatt::tabs::ramp::LEGEND_MILESTONE,
        ];
        for (glyph, name) in
            glyphs
                .iter()
                .zip(["target", "plan pace", "scenario", "contracted", "milestone"])
        {
            assert!(
                s.contains(&format!("{glyph} {name}")),
                "legend lacks {glyph} {name}:\n{s}"
            );
        }
        let mut distinct = glyphs.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), glyphs.len(), "every entry its own glyph");
        // And each glyph is drawn in the chart itself, not only named.
        for glyph in glyphs {
            assert!(s.matches(glyph).count() > 1, "{glyph} not drawn:\n{s}");
        }
        assert!(!legend.is_empty());
    }
}

mod reload {
    use super::*;

    #[test]
    fn a_reload_marks_what_changed_until_esc() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let changed = fixture_text("multi-buyer.toml")
            .replace("value = \"$300bn\"", "value = \"up to $320bn\"")
            .replace("id = \"softbank-invests\"", "id = \"softbank-invests-2\"");
        let ds = gigawatt::data::load_str(&changed, "multi-buyer.toml").expect("valid");
        let doc = app.document.id;
        app.update(Action::Loaded {
            doc,
            outcome: Handed::new(Ok(ViewData::new(ds))),
        });
        let s = screen(&app);
        assert_shows(
            &s,
            &[
                "Δ≤$320bn",
                "changed",
                "1 added",
                "removed (softbank-invests)",
            ],
        );
        // Shares follow the total; only what the file changed is marked.
        let anthropic = s
            .lines()
            .find(|l| l.contains("Anthropic    Google"))
            .unwrap_or_default();
        assert!(!anthropic.contains('Δ'), "{anthropic}");
        // A second Esc is not needed: no search is open, so Esc clears marks.
        app.update(Action::Back);
        let s = screen(&app);
        assert!(!s.contains('Δ'), "{s}");
    }
}

mod diff {
    use super::*;

    const OLD: &str = r#"format = 2
[dataset]
title = "Diff"
subject = "lab"
as_of = 2025-11-03

[[sources]]
id = "wire"
title = "Wire"

[[parties]]
id = "lab"
name = "Lab"
kind = "lab"

[[parties]]
id = "cloud"
name = "Cloud"
kind = "cloud"

[[commitments]]
id = "kept"
provider = "cloud"
value = "$10bn"
status = "signed"

[[commitments]]
id = "gone"
provider = "cloud"
value = "$1bn"
status = "signed"
"#;

    fn new_text() -> String {
        OLD.replace("value = \"$10bn\"", "value = \"up to $12bn\"")
            .replace("id = \"gone\"", "id = \"fresh\"")
    }

    #[test]
    fn added_removed_and_a_changed_hedge() {
        let old = gigawatt::data::load_str(OLD, "old.toml").expect("valid");
        let new = gigawatt::data::load_str(&new_text(), "new.toml").expect("valid");
        let changes = gigawatt::diff::diff(&old, &new);
        let text = gigawatt::diff::text_report(&changes);
        assert!(text.contains("- commitments gone removed"), "{text}");
        assert!(text.contains("+ commitments fresh added"), "{text}");
        assert!(text.contains("~ commitments kept changed"), "{text}");
        assert!(
            text.contains("value: \"$10bn\" → \"up to $12bn\""),
            "{text}"
        );
        assert!(gigawatt::diff::diff(&old, &old).is_empty());
    }

    #[test]
    fn the_command_prints_text_and_json_and_exits_1_on_changes() {
        let dir = common::temp_dir();
        let old = dir.path().join("old.toml");
        let new = dir.path().join("new.toml");
        std::fs::write(&old, OLD).expect("write");
        std::fs::write(&new, new_text()).expect("write");
        let run = |args: &[&str]| {
            std::process::Command::new(BIN)
                .arg("diff")
                .arg(&old)
                .arg(&new)
                .args(args)
                .output()
                .expect("run diff")
        };
        let out = run(&[]);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        // One line per record and per field: the line breaks are real.
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "~ commitments kept changed",
                "    value: \"$10bn\" → \"up to $12bn\"",
                "- commitments gone removed",
                "+ commitments fresh added",
            ],
            "{text}"
        );
        assert!(
            text.contains("value: \"$10bn\" → \"up to $12bn\""),
            "{text}"
        );
        let out = run(&["--format", "json"]);
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("diff --format json is JSON");
        let kinds: Vec<&str> = json
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|c| c["change"].as_str())
            .collect();
        assert_eq!(kinds, ["changed", "removed", "added"]);
        let changed = &json[0]["fields"][0];
        assert_eq!(changed["field"], "value");
        assert_eq!(changed["old"], "$10bn");
        assert_eq!(changed["new"], "up to $12bn");
        let same = std::process::Command::new(BIN)
            .args(["diff"])
            .arg(&old)
            .arg(&old)
            .output()
            .expect("run diff");
        assert_eq!(same.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&same.stdout), "no changes\n");
    }
}

/// Two format 1 files with a provider in common, opened together: the
/// shared provider's row covers both buyers.
#[test]
fn two_format1_files_share_a_provider_row() {
    let dir = common::temp_dir();
    let file = |subject: &str, value: &str| {
        format!(
            "format = 1\n\n[dataset]\ntitle = \"{subject}'s deals\"\nsubject = \"{subject}\"\nas_of = 2025-11-03\n\n\
             [[sources]]\nid = \"note\"\ntitle = \"A note\"\n\n\
             [[providers]]\nid = \"cloud\"\nname = \"Shared Cloud\"\nkind = \"cloud\"\n\n\
             [[commitments]]\nid = \"{}-cloud\"\nprovider = \"cloud\"\nvalue = \"{value}\"\nstatus = \"signed\"\nsource = \"note\"\n",
            subject.to_lowercase()
        )
    };
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    std::fs::write(&a, file("Alpha", "$10bn")).expect("write");
    std::fs::write(&b, file("Beta", "$5bn")).expect("write");
    let mut pty = common::Pty::spawn(&["--data", common::arg(&a), "--data", common::arg(&b)]);
    pty.wait_for_text(&["Shared Cloud"]);
    // The shared provider sold to both buyers: two counterparties, $15bn.
    pty.wait_for_text(&["$15bn"]);
    pty.keys("5");
    pty.wait_for_text(&["Alpha", "Beta", "Shared Cloud"]);
    pty.quit();
}
