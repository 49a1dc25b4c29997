//! The web of deals on screen (issue 11), on the multi-buyer ledger
//! `tests/fixtures/multi-buyer.toml`: the buyer lens, Parties, folded
//! history and disputed figures on Commitments, the Flows matrix and its
//! loops, the ramp's scenario and legend, reload marks, and `gigawatt diff`.

use gigawatt::app::App;
use gigawatt::app::action::{Action, Handed};
use gigawatt::tabs::descriptor::Tab;
use gigawatt::ui::theme::Theme;
use gigawatt_model::data::Dataset;
use gigawatt_model::view::ViewData;

mod common;
use common::{BIN, assert_shows, fixture, fixture_text, press_lens};

fn multi() -> Dataset {
    gigawatt_model::data::load_str(&fixture_text("multi-buyer.toml"), "multi-buyer.toml")
        .unwrap_or_else(|e| panic!("the fixture loads:\n{}", e.report()))
}

/// The derived figure named `key` among `all`.
fn derived_of<'a>(
    all: &'a [gigawatt_model::ledger::Derived],
    key: &str,
) -> &'a gigawatt_model::ledger::Derived {
    all.iter()
        .find(|d| d.key == key)
        .unwrap_or_else(|| panic!("no derived {key}"))
}

/// The bundled set, and its derived figure named `key`.
fn bundled_and_derived(key: &str) -> (Dataset, gigawatt_model::ledger::Derived) {
    let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
    let derived = gigawatt_model::ledger::all(&bundled)
        .into_iter()
        .find(|d| d.key == key)
        .unwrap_or_else(|| panic!("the bundled set derives {key}"));
    (bundled, derived)
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

/// The buyers `b` visits, in order, from all buyers round to all again.
fn lens_round(app: &mut App) -> Vec<String> {
    let mut seen = vec![];
    for _ in 0..100 {
        press_lens(app);
        if app.lens_name() == "all buyers" {
            break;
        }
        seen.push(app.lens_name());
    }
    seen
}

/// The lens to `buyer`, by pressing `b` until the title bar names it.
fn focus(app: &mut App, buyer: &str) {
    for _ in 0..100 {
        if app.lens_name() == buyer {
            return;
        }
        press_lens(app);
    }
    panic!("the lens never reached {buyer}");
}

fn status_line(app: &App) -> String {
    screen(app).lines().last().unwrap_or_default().to_string()
}

mod lens {
    use super::*;
    use gigawatt::app::Effect;
    use gigawatt::app::action::{DocId, Handed};

    #[test]
    fn b_cycles_all_buyers_then_each_and_the_title_says_which() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        assert_shows(&screen(&app), &["all buyers (b)"]);
        let mut seen = vec![app.lens_name()];
        for _ in 0..app.document.buyers().len() {
            press_lens(&mut app);
            seen.push(app.lens_name());
        }
        assert_eq!(seen.first().map(String::as_str), Some("all buyers"));
        assert_eq!(seen.get(1).map(String::as_str), Some("OpenAI"));
        assert!(seen.contains(&"Anthropic".to_string()), "{seen:?}");
        // And round again.
        press_lens(&mut app);
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
            .map(|&i| app.rows(Tab::Commitments).id(i).into_owned())
            .collect();
        assert_eq!(ids, ["anthropic-google"]);
    }

    /// Under a lens the ledger's rules still hold: each buyer's total on
    /// every tab is the ledger's `committed_total:<buyer>`, options left
    /// out as with every buyer in view (Microsoft's $2bn Nebius option).
    #[test]
    fn a_lens_leaves_options_out_as_the_ledger_does() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let derived = gigawatt_model::ledger::all(&bundled);
        let mut app = App::with_data(bundled, "bundled", (120, 40));
        let buyers = lens_round(&mut app);
        assert!(buyers.len() > 1, "{buyers:?}");
        for buyer in buyers {
            focus(&mut app, &buyer);
            let id = app
                .document
                .view
                .as_ref()
                .and_then(|v| v.lens.clone())
                .expect("a lens");
            let ledger = derived
                .iter()
                .find(|d| d.key == format!("committed_total:{id}"))
                .expect("each buyer's committed total");
            app.status = None;
            for tab in Tab::ALL {
                app.update(Action::GoTab(tab.index()));
                let line = status_line(&app);
                assert!(
                    line.starts_with(&format!(" {}", ledger.compact())),
                    "{buyer}, {tab:?}: {line} against the ledger's {}",
                    ledger.compact()
                );
            }
        }
    }

    /// The Parties table's Sold and Bought are the ledger's
    /// `provider_total:<party>` and `committed_total:<party>`, coverage
    /// and all, for every party of the bundled set.
    #[test]
    fn parties_sold_and_bought_are_the_ledgers_totals() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let derived = gigawatt_model::ledger::all(&bundled);
        let ids: Vec<String> = bundled.providers.iter().map(|p| p.id.clone()).collect();
        let app = App::with_data(bundled, "bundled", (200, 60));
        let rows = app.rows(Tab::Providers);
        let mut checked = 0;
        for (i, id) in ids.iter().enumerate() {
            for (column, key) in [(5, "provider_total"), (6, "committed_total")] {
                let Some(d) = derived.iter().find(|d| d.key == format!("{key}:{id}")) else {
                    continue;
                };
                let Some((n, m)) = d.covers.filter(|&(_, m)| m > 0) else {
                    continue;
                };
                let cell = rows.cell(i, column);
                let want = if n < m {
                    format!("{} ({n}/{m})", d.compact())
                } else {
                    d.compact()
                };
                if d.figure().is_some() {
                    assert_eq!(cell, want, "{key}:{id}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10, "only {checked} cells checked");
    }

    /// A buyer buys compute, chips, power or capacity: a party that only
    /// invests (Nvidia and SoftBank here) is not one, in the count or the
    /// lens.
    #[test]
    fn buyers_are_parties_that_buy_not_pure_investors() {
        let mut app = app_on(multi(), Tab::Flows, (120, 40));
        let seen = lens_round(&mut app);
        assert_eq!(seen, ["OpenAI", "Anthropic", "Microsoft", "Stargate LLC"]);
        // The lens visits exactly the Flows matrix's rows.
        let rows: Vec<String> = app
            .view()
            .expect("data")
            .flows
            .buyers
            .iter()
            .map(|b| {
                gigawatt_model::view::party_name(&app.view().expect("data").dataset, b).to_string()
            })
            .collect();
        assert_eq!(rows, seen);

        // The bundled set: the title counts the buyers the lens visits;
        // Amazon, Google and SoftBank only invest, so are not among them,
        // while Nvidia, which also buys, is.
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = App::with_data(bundled, "bundled", (200, 60));
        let s = screen(&app);
        let seen = lens_round(&mut app);
        assert_shows(&s, &[&format!("{} buyers", seen.len())]);
        assert!(seen.len() >= 8, "{seen:?}");
        for investor in ["Amazon", "Google", "SoftBank Group"] {
            assert!(
                !seen.iter().any(|b| b == investor),
                "{investor} in {seen:?}"
            );
        }
        for buyer in ["Anthropic", "Meta", "Microsoft", "OpenAI", "Nvidia"] {
            assert!(seen.iter().any(|b| b == buyer), "{buyer} not in {seen:?}");
        }
    }

    /// The effect `b` asks the loop for: a buyer's lens to build.
    fn build_request(app: &mut App) -> (DocId, String, u64, Handed<ViewData>) {
        match app.update(Action::Lens) {
            Some(Effect::BuildLens {
                doc,
                buyer,
                generation,
                all,
            }) => (doc, buyer, generation, all),
            other => panic!("b asked for {other:?}, not a lens to build"),
        }
    }

    fn built(request: &(DocId, String, u64, Handed<ViewData>)) -> Action {
        let (doc, buyer, generation, all) = request;
        gigawatt::app::lens_built(*doc, buyer.clone(), *generation, &all.0)
    }

    /// At 100k deals a buyer's view takes longer than a frame to build:
    /// `b` asks for it to be built off the UI thread and says so; the old
    /// view stays on screen until it arrives.
    #[test]
    fn a_lens_is_built_off_the_ui_thread_and_the_old_view_stays_meanwhile() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let rows = app.list().order.len();
        let request = build_request(&mut app);
        assert_eq!(request.1, "openai");
        let waiting = screen(&app);
        assert_shows(&waiting, &["all buyers (b)", "focusing on OpenAI…"]);
        assert_eq!(app.list().order.len(), rows, "the old rows stay");
        app.update(built(&request));
        assert_eq!(app.lens_name(), "OpenAI");
        assert_shows(
            &screen(&app),
            &["buyer OpenAI (b)", "buyer in focus: OpenAI"],
        );
    }

    /// Pressing `b` again before a lens arrives moves on from the buyer
    /// on its way; the lens overtaken is dropped when it arrives.
    #[test]
    fn a_second_press_moves_on_and_the_lens_overtaken_is_dropped() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let first = build_request(&mut app);
        let second = build_request(&mut app);
        assert_eq!(
            (first.1.as_str(), second.1.as_str()),
            ("openai", "anthropic")
        );
        app.update(built(&first));
        assert_eq!(
            app.lens_name(),
            "all buyers",
            "an overtaken lens is not shown"
        );
        app.update(built(&second));
        assert_eq!(app.lens_name(), "Anthropic");
    }

    /// A lens built from the data before a reload is never shown over the
    /// reloaded data: the reload asks for the buyer's lens again, from the
    /// new data, and that one is shown.
    #[test]
    fn a_lens_built_from_older_data_is_not_shown_after_a_reload() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        let request = build_request(&mut app);
        let reloaded = gigawatt_model::view::ViewData::new(multi());
        let again = app.update(Action::Loaded {
            doc: app.document.id,
            outcome: Handed::new(Ok(reloaded)),
        });
        app.update(built(&request));
        assert_eq!(app.lens_name(), "all buyers");
        let Some(Effect::BuildLens {
            doc,
            buyer,
            generation,
            all,
        }) = again
        else {
            panic!("the reload asked for {again:?}, not the lens on its way");
        };
        assert_eq!(buyer, "openai");
        app.update(built(&(doc, buyer, generation, all)));
        assert_eq!(app.lens_name(), "OpenAI");
    }

    /// A reload keeps the lens on its buyer, and builds it as `b` does:
    /// every buyer's new rows show until the buyer's arrive, and the
    /// reload's message stays.
    #[test]
    fn a_reload_keeps_the_lens_and_builds_it_off_the_ui_thread() {
        let mut app = app_on(multi(), Tab::Commitments, (120, 40));
        focus(&mut app, "Anthropic");
        let reload = app.update(Action::Loaded {
            doc: app.document.id,
            outcome: Handed::new(Ok(gigawatt_model::view::ViewData::new(multi()))),
        });
        let Some(Effect::BuildLens {
            doc,
            buyer,
            generation,
            all,
        }) = reload
        else {
            panic!("the reload asked for {reload:?}, not the lens to build");
        };
        assert_eq!(buyer, "anthropic");
        assert_eq!(app.lens_name(), "all buyers", "the new rows, every buyer's");
        // The same file again: nothing changed, though the rows before were
        // one buyer's and the new ones every buyer's.
        assert!(
            app.document.changes.is_none(),
            "{:?}",
            app.document.changes.as_ref().map(|c| c.summary())
        );
        app.update(gigawatt::app::lens_built(doc, buyer, generation, &all.0));
        assert_eq!(app.lens_name(), "Anthropic");
        assert_shows(&screen(&app), &["buyer Anthropic (b)"]);
    }

    #[test]
    fn one_buyer_changes_nothing() {
        let ds =
            gigawatt_model::data::load_str(&fixture_text("ui.toml"), "ui.toml").expect("loads");
        let mut app = app_on(ds, Tab::Commitments, (80, 24));
        let before = screen(&app);
        press_lens(&mut app);
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
                .map(|&i| app.rows(Tab::Commitments).id(i).into_owned())
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
            .position(|&i| app.rows(Tab::Notes).id(i) == "amd-jump")
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
            .position(|&i| app.rows(Tab::Commitments).id(i) == "microsoft-nebius")
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

    /// Meta–AMD's sources say "more than $100bn" and "up to $60bn": the
    /// value spans from nothing to no end, so its share of the total is
    /// unknown, not "~0%" (the share of the envelope's lower end).
    #[test]
    fn a_value_bounded_neither_way_has_an_unbounded_share_not_zero() {
        let (bundled, share) = bundled_and_derived("share:meta-amd-2026-02");
        assert_eq!(share.compact(), "unbounded either way", "{share:?}");
        assert!(share.formula.contains("bounded neither way"), "{share:?}");
        let mut app = app_on(bundled, Tab::Commitments, (120, 40));
        app.update(Action::SearchStart);
        for c in "meta-amd".chars() {
            app.update(Action::SearchInput(c));
        }
        app.update(Action::SearchConfirm);
        let s = screen(&app);
        let row = s
            .lines()
            .find(|l| l.contains("›Meta") && l.contains("AMD"))
            .unwrap_or_default();
        assert!(row.contains("unbounded"), "{s}");
        // The value gives each source's figure, not the envelope's ">$0"
        // (cut to its column here; whole in the cell).
        assert!(row.contains("±≤$60bn"), "{row}");
        let record = app.list().current().expect("the deal is selected");
        assert_eq!(
            app.rows(Tab::Commitments).cell(record, 3),
            "±≤$60bn or >$100bn"
        );
        assert!(!row.contains("0.0%"), "{row}");
        app.update(Action::Open);
        let detail = screen(&app);
        assert!(!detail.contains("= ~0%"), "{detail}");
        assert_shows(
            &detail,
            &[
                "Share of disclosed total",
                "bounded neither way",
                "± Sources disagree on the value, so far apart that nothing bounds it:",
            ],
        );
    }

    /// A total of nothing but that deal (Meta to AMD, AMD's sales) is
    /// bounded neither way too: cells say so rather than "~>$0", and the
    /// share chart draws no bar for it.
    #[test]
    fn a_total_bounded_neither_way_reads_unbounded_not_more_than_zero() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = app_on(bundled, Tab::Flows, (200, 60));
        let flows = screen(&app);
        let meta = flows
            .lines()
            .find(|l| l.starts_with("│Meta "))
            .unwrap_or_default();
        assert!(meta.contains("unbounded"), "{flows}");
        assert!(!flows.contains("~>$0 "), "{flows}");
        app.update(Action::GoTab(Tab::Providers.index()));
        let parties = screen(&app);
        let amd: Vec<&str> = parties.lines().filter(|l| l.contains("AMD")).collect();
        assert!(
            amd.iter().any(|l| l.contains("unbounded (1/3)")),
            "{parties}"
        );
        assert!(amd.iter().all(|l| !l.contains("█")), "{amd:?}");
        assert!(!parties.contains(">$0"), "{parties}");
    }

    /// A sum of a lower and an upper bound reads as format 1 says ("~8 GW"
    /// for ">2 GW + ≤6 GW"), but its bounds are what the terms allow: at
    /// least 2 GW and no end, not exactly 8. Exports give those bounds.
    #[test]
    fn a_mixed_sum_reads_approximate_and_keeps_the_bounds_its_terms_allow() {
        let text = r#"format = 2
[dataset]
title = "Mixed sums"
as_of = 2026-01-01
[[sources]]
id = "s"
title = "S"
[[parties]]
id = "meta"
name = "Meta"
kind = "hyperscaler"
[[parties]]
id = "owl"
name = "Owl"
kind = "neocloud"
[[parties]]
id = "nvidia"
name = "Nvidia"
kind = "chipmaker"
[[commitments]]
id = "lease"
buyer = "meta"
provider = "owl"
power = "more than 2 GW"
status = "signed"
source = "s"
[[commitments]]
id = "hall"
buyer = "meta"
provider = "owl"
power = "up to 6 GW"
status = "signed"
source = "s"
[[commitments]]
id = "stake-1"
buyer = "nvidia"
provider = "owl"
kind = "investment"
value = "$30bn"
status = "signed"
source = "s"
[[commitments]]
id = "stake-2"
buyer = "nvidia"
provider = "meta"
kind = "investment"
value = "up to $10bn"
status = "signed"
source = "s"
"#;
        let d = gigawatt_model::data::load_str(text, "mixed.toml")
            .unwrap_or_else(|e| panic!("{}", e.report()));
        let all = gigawatt_model::ledger::all(&d);
        let find = |key: &str| {
            all.iter()
                .find(|f| f.key == key)
                .unwrap_or_else(|| panic!("no {key}"))
        };
        let power = find("power_total:meta:hosting");
        assert_eq!(power.compact(), "~8 GW");
        let f = power.figure().expect("a figure");
        assert_eq!((f.interval.low, f.interval.high), (2e9, f64::INFINITY));
        let invested = find("invested_total:nvidia");
        assert_eq!(invested.compact(), "≤$40bn");
        let f = invested.figure().expect("a figure");
        assert_eq!((f.interval.low, f.interval.high), (30e9, 40e9));
    }

    /// At 120 columns every Status and Online-by cell is whole, page after
    /// page of the bundled set ("letter of intent", "by end-2026").
    #[test]
    fn at_120_columns_status_and_online_by_are_not_cut() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = app_on(bundled, Tab::Commitments, (120, 40));
        let mut statuses = std::collections::BTreeSet::new();
        let mut last = String::new();
        for _ in 0..app.list().order.len() {
            let s = screen(&app);
            if s == last {
                break;
            }
            let lines: Vec<&str> = s.lines().collect();
            let header = lines
                .iter()
                .position(|l| l.contains("Provider") && l.contains("Status"))
                .unwrap_or_else(|| panic!("no header with Status:\n{s}"));
            let chars = |l: &str| l.chars().collect::<Vec<char>>();
            let head = chars(lines[header]);
            let at = |title: &str| -> usize {
                let t: Vec<char> = title.chars().collect();
                head.windows(t.len())
                    .position(|w| w == t.as_slice())
                    .unwrap_or_else(|| panic!("no {title} column:\n{s}"))
            };
            let (status, online, share) = (at("Status"), at("Online by"), at("Share"));
            for line in lines[header + 1..]
                .iter()
                .take_while(|l| !l.contains("Total"))
            {
                let cells = chars(line);
                let cell = |from: usize, to: usize| -> String {
                    cells[from.min(cells.len())..to.min(cells.len())]
                        .iter()
                        .collect()
                };
                let (st, on) = (cell(status, online), cell(online, share - 2));
                assert!(!st.contains('…') && !on.contains('…'), "cut: {line}\n{s}");
                statuses.insert(st.trim().to_string());
            }
            last = s;
            app.update(Action::PageDown);
        }
        assert!(
            statuses
                .iter()
                .any(|s| s.contains("LOI") || s.contains("letter of intent")),
            "{statuses:?}"
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
        let derived = gigawatt_model::ledger::all(&ds);
        let mut checked = 0;
        for (r, buyer) in flows.buyers.iter().enumerate() {
            for (c, provider) in flows.providers.iter().enumerate() {
                let Some(cell) = flows.cell(&view.dataset, r, c) else {
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
        let cell = flows
            .cell(&app.view().expect("data").dataset, r, c)
            .expect("a cell");
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

    /// `export derived` pairs parties by group (Azure's money is
    /// Microsoft's), so Anthropic ⇄ Microsoft is a circular pair there; the
    /// panel lists every such pair, each direction with its amount, paid to
    /// the group or to a party part of it.
    #[test]
    fn every_circular_pair_of_the_export_is_in_the_loops_panel() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let derived = gigawatt_model::ledger::all(&bundled);
        let app = app_on(bundled, Tab::Flows, (200, 60));
        let ds = &app.view().expect("data").dataset;
        let name = |id: &str| gigawatt_model::view::party_name(ds, id).to_string();
        let pairs: Vec<(String, String)> = derived
            .iter()
            .filter_map(|d| {
                let mut parts = d.key.strip_prefix("circular:")?.split(':');
                Some((name(parts.next()?), name(parts.next()?)))
            })
            .collect();
        assert!(
            pairs.contains(&("Anthropic".into(), "Microsoft".into())),
            "{pairs:?}"
        );
        let s = screen(&app);
        for (a, b) in &pairs {
            assert!(
                s.contains(&format!("{a} ⇄ {b}")) || s.contains(&format!("{b} ⇄ {a}")),
                "{a} ⇄ {b} is not in the loops panel:\n{s}"
            );
            for (from, to) in [(a, b), (b, a)] {
                let leg = |l: &&str| {
                    l.split_once(&format!("{from} → "))
                        .is_some_and(|(_, paid)| {
                            paid.starts_with(&format!("{to}: "))
                                || paid.contains(&format!("(part of {to}): "))
                        })
                };
                assert!(s.lines().any(|l| leg(&l)), "no leg {from} → {to}:\n{s}");
            }
        }
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

    /// Wherever the cursor takes the matrix at 80×24, each buyer's total
    /// and how many deals it covers stay whole at the right ("7/9", not
    /// "7/"), however wide the cells beside them ("unbounded").
    #[test]
    fn at_80x24_every_row_keeps_its_total_and_coverage_whole() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = app_on(bundled, Tab::Flows, (80, 24));
        let columns = app.view().expect("data").flows.providers.len();
        let coverage = |cell: &str| {
            cell.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
            })
        };
        for step in 0..=columns {
            let s = screen(&app);
            let lines: Vec<&str> = s.lines().collect();
            let header = lines
                .iter()
                .position(|l| l.contains("Buyer") && l.contains("Total"))
                .unwrap_or_else(|| panic!("no matrix header:\n{s}"));
            let rows: Vec<&str> = lines[header + 1..]
                .iter()
                .take_while(|l| !l.starts_with("│Total"))
                .copied()
                .collect();
            assert!(rows.len() >= 3, "{s}");
            for row in rows {
                let last = row
                    .trim_end_matches('│')
                    .split_whitespace()
                    .last()
                    .unwrap_or_default();
                assert!(coverage(last), "at column {step}: {row}");
            }
            app.update(Action::CellRight);
        }
    }

    /// A buyer's lens keeps only the parties of its deals, but its loops go
    /// through others: they are named, not shown by id.
    #[test]
    fn a_lens_names_every_party_of_its_loops() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = app_on(bundled, Tab::Flows, (200, 60));
        focus(&mut app, "OpenAI");
        let s = screen(&app);
        // $15bn: the $35bn due on conditions is not counted.
        assert_shows(&s, &["OpenAI ⇄ Amazon", "Amazon → OpenAI: $15bn"]);
        assert!(!s.contains("amazon") && !s.contains("→ google"), "{s}");
    }

    /// Provider names are cut only when the screen has no room for them:
    /// at 200 columns "Google Cloud Platform" is whole; at 80 the matrix
    /// still scrolls, its columns no wider than a name needs.
    #[test]
    fn matrix_columns_grow_with_the_screen() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let mut app = App::with_data(bundled.clone(), "bundled", (200, 60));
        app.update(Action::GoTab(Tab::Flows.index()));
        let s = screen(&app);
        let header = s
            .lines()
            .find(|l| l.contains("Buyer") && l.contains("Total"))
            .unwrap_or_default();
        assert!(
            header.contains("Google Cloud Platform") && header.contains("Amazon Web Services"),
            "{header}"
        );
        assert!(!header.contains('…'), "{header}");
        // Short names take no more room than their figures need, so wide
        // names do not push most of the matrix off screen.
        let view = app.view().expect("data");
        let whole = view
            .flows
            .providers
            .iter()
            .filter(|p| header.contains(gigawatt_model::view::party_name(&view.dataset, p)))
            .count();
        assert!(whole >= 10, "{whole} names whole: {header}");

        let app = app_on(bundled, Tab::Flows, (80, 24));
        let s = screen(&app);
        assert_shows(&s, &["Buyer", "Total", "▸"]);
    }

    /// The lab pays AWS (part of Amazon) and Amazon invests back; the
    /// first leg's dates are `$first`, the second's `$second`.
    macro_rules! parent_loop {
        ($first:literal, $second:literal) => {
            common::lab_ledger!(
                title: "Parent",
                as_of: "2026-06-01",
                concat!(
                    r#"
[[parties]]
id = "amazon"
name = "Amazon"
kind = "hyperscaler"

[[parties]]
id = "aws"
name = "Amazon Web Services"
parent = "amazon"
kind = "hyperscaler"

[[commitments]]
id = "lab-aws"
provider = "aws"
kind = "compute"
value = "$138bn"
power = "~2 GW"
status = "signed"
"#,
                    $first,
                    r#"

[[commitments]]
id = "amazon-lab"
buyer = "amazon"
provider = "lab"
kind = "investment"
value = "$15bn"
status = "signed"
"#,
                    $second,
                    "\n"
                )
            )
        };
    }

    fn parent_app(text: &str) -> App {
        let ds = gigawatt_model::data::load_str(text, "parent.toml")
            .unwrap_or_else(|e| panic!("the ledger loads:\n{}", e.report()));
        app_on(ds, Tab::Flows, (160, 40))
    }

    fn loops_pane(text: &str) -> String {
        screen(&parent_app(text))
    }

    /// Money paid to AWS meets Amazon's in the loop; the leg says which
    /// party the deal names, and that it is part of Amazon.
    #[test]
    fn a_loop_through_a_parent_names_the_party_the_deal_reaches() {
        let s = loops_pane(parent_loop!(
            "announced = 2026-02-27",
            "announced = 2026-02-27"
        ));
        assert_shows(
            &s,
            &[
                "⟲ Lab ⇄ Amazon",
                "Lab → Amazon Web Services (part of Amazon): $138bn (compute, ~2 GW)",
                "Amazon → Lab: $15bn (investment)",
            ],
        );
        // Legs of the same day: nothing to mark.
        assert!(!s.contains("apart") && !s.contains("timing"), "{s}");
        // The detail names each leg's deals.
        let mut app = parent_app(parent_loop!(
            "announced = 2026-02-27",
            "announced = 2026-02-27"
        ));
        app.update(Action::Open);
        assert_shows(
            &screen(&app),
            &["(compute, ~2 GW · lab-aws)", "(investment · amazon-lab)"],
        );
    }

    #[test]
    fn a_loop_whose_legs_are_years_apart_says_so_on_its_title() {
        let s = loops_pane(parent_loop!(
            "announced = 2020-03-02\nterm = \"1 year\"",
            "announced = 2026-05-04"
        ));
        assert_shows(&s, &["⟲ Lab ⇄ Amazon · legs more than a year apart"]);
        let s = loops_pane(parent_loop!("", ""));
        assert_shows(&s, &["⟲ Lab ⇄ Amazon · timing unknown"]);
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
        let ds = gigawatt_model::data::load_str(MONTHLY, "small.toml").expect("valid");
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

    /// The bundled OpenAI: more than $673bn committed against more than
    /// $20bn a year of revenue. Lower bound over lower bound: no multiple
    /// is known either way, and the panel says so in words.
    #[test]
    fn committed_over_revenue_of_two_lower_bounds_says_unbounded() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let app = App::with_data(bundled, "bundled", (120, 40));
        let mut app = app;
        app.update(Action::GoTab(Tab::Ramp.index()));
        let s = screen(&app);
        let row = s
            .lines()
            .find(|l| l.contains("÷ revenue"))
            .unwrap_or_default();
        assert!(row.contains("unbounded either way"), "{row}");
        assert!(!s.contains(">0×"), "{s}");
    }

    /// OpenAI's capex (">$1.2tn", a lower bound) over what it has
    /// committed ("~>$673.4bn", a lower bound too) could be any multiple:
    /// the panel says so rather than "~1.78×".
    #[test]
    fn capex_over_committed_of_two_lower_bounds_says_unbounded() {
        let (bundled, ratio) = bundled_and_derived("capex_vs_committed:openai");
        assert_eq!(ratio.compact(), "unbounded either way", "{ratio:?}");
        assert!(
            ratio.formula.contains("a lower bound over a lower bound"),
            "{ratio:?}"
        );
        let app = app_on(bundled, Tab::Ramp, (120, 40));
        let s = screen(&app);
        let row = s
            .lines()
            .find(|l| l.contains("vs committed"))
            .unwrap_or_default();
        assert!(row.contains("unbounded either way"), "{row}");
    }

    /// A deal announced in 2025 whose delivery starts in 2026 runs its
    /// two-year term from the start, not from the announcement.
    #[test]
    fn a_deals_term_on_the_timeline_runs_from_when_delivery_starts() {
        const TERM: &str = common::lab_ledger!(
            title: "Term",
            as_of: "2025-06-01",
            cloud,
            r#"
[[commitments]]
id = "later"
provider = "cloud"
value = "$10bn"
term = "2 years"
announced = 2025-01-01
starts = 2026-01-01
status = "signed"
"#
        );
        let ds = gigawatt_model::data::load_str(TERM, "term.toml").expect("the ledger is valid");
        let (announced, _, end) = gigawatt_model::view::timeline_span(&ds.commitments[0])
            .expect("a span on the timeline");
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        assert_eq!(announced, day(2025, 1, 1));
        assert!(
            (day(2027, 12, 30)..=day(2028, 1, 2)).contains(&end),
            "the term ends {end}, two years from the start"
        );
    }

    /// The bundled set states OpenAI's plan twice (the seed article's file
    /// and the ledger's, months apart): every derived figure still has a
    /// key of its own, the one the ramp tab shows keeping the plain key.
    #[test]
    fn two_plans_of_one_buyer_derive_figures_under_distinct_keys() {
        let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
        let derived = gigawatt_model::ledger::all(&bundled);
        let mut keys: Vec<&str> = derived.iter().map(|d| d.key.as_str()).collect();
        keys.sort_unstable();
        let repeated: Vec<&&str> = keys
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| &w[0])
            .collect();
        assert!(repeated.is_empty(), "keys given twice: {repeated:?}");
        let plain = derived
            .iter()
            .find(|d| d.key == "date_to_target:openai")
            .expect("OpenAI's first plan keeps the plain key");
        assert_eq!(plain.compact(), "2026-06-01");
        assert!(
            derived
                .iter()
                .any(|d| d.key.starts_with("date_to_target:openai@")),
            "the second plan's figures are keyed by their file"
        );
    }

    /// The bundled set's as-of date is its latest file's (2026-05-28), but
    /// OpenAI said "1 GW a week" as of its own file (2025-11-03): the ramp
    /// counts from the plan's date, under either lens, and the panel's
    /// figures are the plan's buyer's, not the set's subject's.
    #[test]
    fn the_ramp_counts_from_its_plans_own_date_and_buyer() {
        let (bundled, reached) = bundled_and_derived("date_to_target:openai");
        let all = gigawatt_model::ledger::all(&bundled);
        // 30 GW at 1 GW a week: 30 weeks from 2025-11-03.
        assert_eq!(reached.compact(), "2026-06-01");
        let mut app = app_on(bundled, Tab::Ramp, (120, 40));
        for lens in ["all buyers", "OpenAI"] {
            focus(&mut app, lens);
            let s = screen(&app);
            let row = |label: &str| {
                s.lines()
                    .find(|l| l.contains(&format!("│ {label} ")))
                    .unwrap_or_default()
                    .to_string()
            };
            assert!(row("Reached").contains("2026-06-01"), "{lens}:\n{s}");
            assert!(
                s.contains("Nov 2025"),
                "{lens}: the chart starts at the plan:\n{s}"
            );
            // OpenAI's power and money, not Anthropic's (the set's subject),
            // each power layer on its own row, never summed.
            for (label, key) in [
                ("Chips", "power_total:openai:chips"),
                ("Hosting", "power_total:openai:hosting"),
                ("Committed", "committed_total:openai"),
            ] {
                let figure = derived_of(&all, key).compact();
                assert!(
                    row(label).contains(&figure),
                    "{lens}: {label} {figure}:\n{s}"
                );
            }
            assert!(
                row("Contracted").is_empty(),
                "{lens}: one sum of layers:\n{s}"
            );
        }
    }

    #[test]
    fn annualised_capex_says_so_when_it_is_more_than_the_whole_plan() {
        let app = app_on(multi(), Tab::Ramp, (120, 40));
        // 30 GW at 1 GW a week: done in 30 weeks, so a year's pace is more
        // than the whole plan, and the panel says it.
        assert_shows(&screen(&app), &["Annualised", "(>plan)"]);
    }

    /// A buyer with four deals sized in gigawatts, each dated its own way:
    /// Alpha on the plan's first day, Beta across the second half of 2026,
    /// Gamma "up to" 2 GW (nothing sure), Delta with no date at all.
    const STACK: &str = common::lab_ledger!(
        title: "Stack",
        as_of: "2026-01-01",
        r#"
[[parties]]
id = "alpha"
name = "Alpha"
kind = "cloud"

[[parties]]
id = "beta"
name = "Beta"
kind = "neocloud"

[[parties]]
id = "gamma"
name = "Gamma"
kind = "chipmaker"

[[parties]]
id = "delta"
name = "Delta"
kind = "cloud"

[[commitments]]
id = "alpha-now"
provider = "alpha"
power = "4 GW"
starts = 2026-01-01
online_by = 2026-01-01
status = "signed"

[[commitments]]
id = "beta-h2"
provider = "beta"
power = "3 GW"
starts = "2026-H2"
status = "signed"

[[commitments]]
id = "gamma-march"
provider = "gamma"
power = "up to 2 GW"
starts = 2026-03-01
status = "agreed"

[[commitments]]
id = "delta-undated"
provider = "delta"
power = "1 GW"
status = "signed"

[capacity]
target = "10 GW"
build_rate = "1 GW per month"
"#
    );

    /// The graph of the ramp's chart, read off the screen: per column (left
    /// to right), the height in rows of the stack (the bands' glyphs) and
    /// of the "may be more" band above it; and the gigawatts one row is.
    struct Graph {
        /// `None` where a line drawn over the stack (the plan's pace, a
        /// milestone) may hide its top.
        stack: Vec<Option<usize>>,
        unsure: Vec<usize>,
        gw_per_row: f64,
    }

    fn graph(app: &App) -> Graph {
        let s = screen(app);
        let lines: Vec<Vec<String>> = s
            .lines()
            .map(|l| l.chars().map(String::from).collect())
            .collect();
        let axis_row = lines
            .iter()
            .position(|l| l.iter().any(|c| c == "└") && l.iter().filter(|c| *c == "─").count() > 20)
            .unwrap_or_else(|| panic!("no x axis:\n{s}"));
        let axis_x = lines[axis_row]
            .iter()
            .position(|c| c == "└")
            .unwrap_or_default();
        // The graph's rows: up the y axis from the x axis.
        let top_row = (0..axis_row)
            .rev()
            .take_while(|&r| lines[r].get(axis_x).is_some_and(|c| c == "│"))
            .last()
            .unwrap_or(axis_row);
        let rows = axis_row - top_row;
        // The top row's label is the graph's top, in GW.
        let top_label: String = lines[top_row][..axis_x].concat();
        let y_top: f64 = top_label
            .trim()
            .trim_start_matches('│')
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("no top label in {top_label:?}:\n{s}"));
        let band = |c: &str| {
            gigawatt::tabs::ramp::STACK_GLYPHS.contains(&c)
                || c == gigawatt::tabs::ramp::LEGEND_OTHERS
        };
        let unsure = |c: &str| c == gigawatt::tabs::ramp::LEGEND_UNSURE;
        let right = lines[axis_row]
            .iter()
            .rposition(|c| c == "─")
            .unwrap_or_default();
        let over = |c: &str| {
            c.chars().all(|ch| ('\u{2800}'..='\u{28ff}').contains(&ch))
                || [
                    gigawatt::tabs::ramp::LEGEND_MILESTONE,
                    gigawatt::tabs::ramp::LEGEND_SCENARIO,
                    gigawatt::tabs::ramp::LEGEND_NOW,
                ]
                .contains(&c)
        };
        let mut stack = vec![];
        let mut more = vec![];
        for x in axis_x + 1..=right {
            let cell = |r: usize| lines[r].get(x).map_or("", String::as_str);
            let highest = |pick: &dyn Fn(&str) -> bool| {
                (top_row..axis_row)
                    .find(|&r| pick(cell(r)))
                    .map_or(0, |r| axis_row - r)
            };
            let height = highest(&band);
            let hidden = highest(&over) > 0
                && (top_row..axis_row).any(|r| over(cell(r)) && axis_row - r <= height + 1);
            stack.push((!hidden).then_some(height));
            more.push(highest(&unsure));
        }
        Graph {
            stack,
            unsure: more,
            gw_per_row: y_top / rows as f64,
        }
    }

    fn stack_app(size: (u16, u16)) -> App {
        let ds = gigawatt_model::data::load_str(STACK, "stack.toml").expect("valid");
        app_on(ds, Tab::Ramp, size)
    }

    /// Sure gigawatts online by `day`, from the deals themselves: Alpha's 4
    /// from the first day, Beta's 3 arriving evenly over 2026-H2; Gamma's
    /// "up to 2" adds nothing sure, Delta has no date.
    fn online_by(day: chrono::NaiveDate) -> f64 {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().expect("a date");
        let (from, to) = (d("2026-07-01"), d("2026-12-31"));
        let beta = if day < from {
            0.0
        } else if day >= to {
            1.0
        } else {
            (day - from).num_days() as f64 / (to - from).num_days() as f64
        };
        4.0 + 3.0 * beta
    }

    /// The stack's top at a column's day is the sum of the providers'
    /// sure gigawatts online by then, to the row, at every screen size.
    #[test]
    fn the_stacks_top_is_the_power_online_by_each_date() {
        for size in [(80, 24), (120, 40), (200, 60)] {
            let app = stack_app(size);
            let g = graph(&app);
            // The chart runs from the plan's day to 5% past the last
            // arrival (2026-12-31, 364 days on), whole days.
            let x_max = (364.0_f64 * 1.05).ceil();
            let start: chrono::NaiveDate = "2026-01-01".parse().expect("a date");
            let columns = g.stack.len();
            let mut checked = 0;
            for (c, rows) in g.stack.iter().enumerate() {
                let Some(rows) = *rows else { continue };
                checked += 1;
                let offset = ((c as f64 + 0.5) / columns as f64 * x_max) as u64;
                let day = start + chrono::Days::new(offset);
                let expected = online_by(day) / g.gw_per_row;
                assert!(
                    (rows as f64 - expected).abs() <= 1.0,
                    "{size:?} column {c} ({day}): {rows} rows drawn, {expected:.1} expected:\n{}",
                    screen(&app)
                );
            }
            assert!(
                checked * 3 >= columns * 2,
                "{size:?}: {checked} of {columns} read"
            );
            // Gamma's "up to 2 GW" is drawn above the sure part, from March,
            // never as sure power.
            let last = columns - 1;
            assert_eq!(g.unsure[0], 0, "{size:?}: nothing unsure before March");
            let top = g.stack[last].unwrap_or_default();
            let above = (g.unsure[last] as f64 - top as f64) * g.gw_per_row;
            assert!(
                (above - 2.0).abs() <= g.gw_per_row,
                "{size:?}: {above} GW unsure"
            );
            let s = screen(&app);
            assert_shows(&s, &["Alpha 4 GW", "Beta 3 GW", "may be more"]);
            if size.0 >= 120 {
                assert_shows(&s, &["not drawn, no dates: 1 GW (Delta)"]);
            }
        }
    }

    /// "2026-H2" is a half year, not a day: Beta's power climbs across it
    /// rather than jumping at one column.
    #[test]
    fn an_interval_date_is_drawn_as_an_interval() {
        let app = stack_app((120, 40));
        let g = graph(&app);
        let heights: Vec<usize> = g.stack.iter().flatten().copied().collect();
        let before = *heights.first().unwrap_or(&0);
        let after = *heights.last().unwrap_or(&0);
        assert!(after > before + 2, "{before} → {after}");
        let between: std::collections::BTreeSet<usize> = heights
            .iter()
            .copied()
            .filter(|&h| h > before && h < after)
            .collect();
        assert!(
            between.len() >= 2,
            "the climb has steps between {before} and {after}: {between:?}\n{}",
            screen(&app)
        );
        assert!(
            heights.windows(2).all(|w| w[0] <= w[1]),
            "power only arrives: {heights:?}"
        );
    }

    /// A buyer with more providers than glyphs: the largest are named, the
    /// rest are one "others" band, and the legend stays whole at each size.
    #[test]
    fn many_providers_stack_the_largest_and_group_the_rest() {
        let mut text = STACK.replace("[capacity]", "[capacity.unused]");
        text = text[..text.find("[capacity.unused]").unwrap_or(text.len())].to_string();
        for k in 0..12 {
            text.push_str(&format!(
                "\n[[parties]]\nid = \"p{k}\"\nname = \"Provider {k}\"\nkind = \"cloud\"\n\n\
                 [[commitments]]\nid = \"deal-{k}\"\nprovider = \"p{k}\"\npower = \"{} GW\"\n\
                 starts = \"2026-Q{}\"\nstatus = \"signed\"\n",
                12 - k,
                1 + k % 4
            ));
        }
        text.push_str("\n[capacity]\ntarget = \"100 GW\"\nbuild_rate = \"2 GW per week\"\n");
        let ds = gigawatt_model::data::load_str(&text, "many.toml").expect("valid");
        for size in [(80, 24), (120, 40), (200, 60)] {
            let app = app_on(ds.clone(), Tab::Ramp, size);
            let s = screen(&app);
            assert_shows(&s, &["Provider 0 12 GW", "others"]);
            let g = graph(&app);
            let last = g.stack.iter().flatten().last().copied().unwrap_or(0) as f64 * g.gw_per_row;
            // 12 + 11 + ... + 1 = 78, and Alpha's 4 and Beta's 3.
            assert!((last - 85.0).abs() <= g.gw_per_row, "{size:?}: {last}\n{s}");
            // Each named band has its own glyph in the legend.
            let named: Vec<&str> = gigawatt::tabs::ramp::STACK_GLYPHS
                .iter()
                .copied()
                .filter(|glyph| {
                    s.contains(&format!("{glyph} Provider "))
                        || s.contains(&format!("{glyph} Alpha"))
                })
                .collect();
            // 80x24 has room for one name beside "others"; wider, more.
            let wanted = if size.0 >= 120 { 4 } else { 1 };
            assert!(named.len() >= wanted, "{size:?}:\n{s}");
        }
    }

    /// Without colour the legend's glyphs tell every line and band apart:
    /// the target, the plan and the scenario, each provider's band, what
    /// may be more, the milestones.
    #[test]
    fn no_color_legend_tells_entries_apart_by_glyph() {
        use gigawatt::tabs::ramp::{
            LEGEND_MILESTONE, LEGEND_PLAN, LEGEND_SCENARIO, LEGEND_TARGET, LEGEND_UNSURE,
            STACK_GLYPHS,
        };
        let mut app = App::with_data(multi(), "multi-buyer.toml", (160, 50));
        app.theme = Theme::new(false);
        app.update(Action::GoTab(Tab::Ramp.index()));
        app.update(Action::PaceUp);
        let s = screen(&app);
        let entries = [
            (LEGEND_TARGET, "target"),
            (LEGEND_PLAN, "plan pace"),
            (LEGEND_SCENARIO, "scenario"),
            (LEGEND_MILESTONE, "milestone"),
            (LEGEND_UNSURE, "may be more"),
            (STACK_GLYPHS[0], "Broadcom 10 GW"),
            (STACK_GLYPHS[1], "Nvidia >10 GW"),
            (STACK_GLYPHS[2], "AMD 6 GW"),
        ];
        for (glyph, name) in entries {
            assert!(
                s.contains(&format!("{glyph} {name}")),
                "legend lacks {glyph} {name}:\n{s}"
            );
        }
        let mut glyphs: Vec<&str> = entries.iter().map(|(g, _)| *g).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        assert_eq!(glyphs.len(), entries.len(), "every entry its own glyph");
        // And each is drawn in the chart itself, not only named: the plan
        // as a braille line, the others in their own glyph.
        for (glyph, _) in entries {
            let drawn = if glyph == LEGEND_PLAN {
                s.chars()
                    .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
                    .count()
            } else {
                s.matches(glyph).count()
            };
            assert!(drawn > 1, "{glyph} not drawn:\n{s}");
        }
        // No cell carries colour: the glyphs alone tell them apart.
        let buf = common::draw(&app);
        assert!(
            buf.content()
                .iter()
                .all(|c| c.fg == ratatui::style::Color::Reset),
            "a coloured cell without colour"
        );
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
        let ds = gigawatt_model::data::load_str(&changed, "multi-buyer.toml").expect("valid");
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

    const OLD: &str = common::lab_ledger!(
        title: "Diff",
        as_of: "2025-11-03",
        cloud,
        r#"
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
"#
    );

    fn new_text() -> String {
        OLD.replace("value = \"$10bn\"", "value = \"up to $12bn\"")
            .replace("id = \"gone\"", "id = \"fresh\"")
    }

    #[test]
    fn added_removed_and_a_changed_hedge() {
        let old = gigawatt_model::data::load_str(OLD, "old.toml").expect("valid");
        let new = gigawatt_model::data::load_str(&new_text(), "new.toml").expect("valid");
        let changes = gigawatt_model::diff::diff(&old, &new);
        let text = gigawatt_model::diff::text_report(&changes);
        assert!(text.contains("- commitments gone removed"), "{text}");
        assert!(text.contains("+ commitments fresh added"), "{text}");
        assert!(text.contains("~ commitments kept changed"), "{text}");
        assert!(
            text.contains("value: \"$10bn\" → \"up to $12bn\""),
            "{text}"
        );
        assert!(gigawatt_model::diff::diff(&old, &old).is_empty());
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

/// The generator's ledger (`--buyers K`) gives the lens, the Flows matrix
/// and its loops, and the ramp's stack work, for the benches at 100k.
#[test]
fn the_generated_ledger_has_several_buyers_loops_and_power() {
    let text = common::generator::generate_ledger(3_000, 1, 6);
    let ds = gigawatt_model::data::load_str(&text, "ledger.toml")
        .unwrap_or_else(|e| panic!("the generator writes valid files:\n{}", e.report()));
    let app = app_on(ds, Tab::Flows, (200, 60));
    let view = app.view().expect("data");
    assert_eq!(view.buyers.len(), 6, "{:?}", view.buyers);
    assert_eq!(view.flows.buyers.len(), 6);
    assert!(!view.flows.loops.is_empty(), "investments back make loops");
    assert!(!view.contracted.bands.is_empty(), "power to stack");
    // One buyer: the format 1 file it always wrote.
    assert!(common::generator::generate_ledger(50, 1, 1) == common::generator::generate(50, 1));
    assert!(common::generator::generate(50, 1).contains("\nformat = 1\n"));
}

/// An investor is a party of the ledger like any other: Parties counts its
/// records and names its role, where it read `0` deals and `—` (issue 23,
/// item 3), even when its only record stands apart from the totals.
#[test]
fn investors_show_their_records_and_role_in_parties() {
    let text = common::lab_ledger!(
        title: "Investors",
        as_of: "2026-01-01",
        cloud,
        r#"
[[parties]]
id = "fund"
name = "Fund"
kind = "other"

[[parties]]
id = "bank"
name = "Bank"
kind = "other"

[[commitments]]
id = "rent"
provider = "cloud"
value = "$10bn"
status = "signed"

[[commitments]]
id = "stake"
buyer = "fund"
provider = "lab"
kind = "investment"
value = "$2bn"
status = "signed"

[[commitments]]
id = "maybe-stake"
buyer = "bank"
provider = "lab"
kind = "investment"
value = "up to $1bn"
status = "option"
"#
    );
    let d = gigawatt_model::data::load_str(text, "investors.toml")
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let app = App::with_data(d, "investors.toml", (120, 40));
    let s = screen(&app);
    for name in ["Fund", "Bank"] {
        let row = s
            .lines()
            .find(|l| l.starts_with(&format!("│ {name} ")))
            .unwrap_or_else(|| panic!("no {name} row:\n{s}"));
        assert!(row.contains("investor"), "{row}");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert!(cells.contains(&"1"), "{name} shows no record: {row}");
    }
}
