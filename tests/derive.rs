//! `gigawatt export derived` on the multi-buyer example: per-buyer totals
//! where a superseded deal does not count, a range summed with an exact
//! figure, a power total with its hedge, a disputed figure's envelope and a
//! circular pair.

mod common;

use std::process::Command;

use common::{BIN, ROOT, arg, fixture};

/// The derived table of the multi-buyer example, as CSV records.
fn derived() -> (String, Vec<csv::StringRecord>) {
    let file = fixture("multi-buyer.toml");
    let out = Command::new(BIN)
        .current_dir(ROOT)
        .args(["export", "derived", "--data", arg(&file)])
        .output()
        .expect("run gigawatt");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows = reader.records().map(|r| r.expect("a CSV record")).collect();
    (text, rows)
}

/// key, value, unit, qualifier, covers, formula, value_low, value_high.
fn row<'a>(rows: &'a [csv::StringRecord], text: &str, key: &str) -> Vec<&'a str> {
    let r = rows
        .iter()
        .find(|r| &r[0] == key)
        .unwrap_or_else(|| panic!("no row {key} in\n{text}"));
    [0, 2, 3, 4, 5, 6, 7, 8].iter().map(|&i| &r[i]).collect()
}

#[test]
fn per_buyer_totals_leave_superseded_records_out_and_sum_a_range_with_exact_figures() {
    let (text, rows) = derived();
    let openai = row(&rows, &text, "committed_total:openai");
    // $300bn + $10–100bn + $22.4bn: coreweave-3 only, not the two records
    // it supersedes ($11.9bn, $15.9bn), and not the $5–10bn letter of intent.
    assert_eq!(
        openai,
        [
            "committed_total:openai",
            "377400000000",
            "USD",
            "range",
            "3 of 5 deals; 1 tentative, 2 superseded left out",
            "$300bn (oracle-compute) + $10–100bn (broadcom-chips) \
             + $22.4bn (coreweave-3) = $332.4–422.4bn",
            "332400000000",
            "422400000000",
        ]
    );
    // The letter of intent has a total of its own.
    let tentative = row(&rows, &text, "tentative_total:openai");
    assert_eq!(tentative[3], "range");
    assert!(tentative[5].contains("stargate-build"), "{tentative:?}");
    assert_eq!(tentative[6..], ["5000000000", "10000000000"]);
    assert!(!openai[5].contains("coreweave-1") && !openai[5].contains("coreweave-2"));
    let coreweave = row(&rows, &text, "pair_total:openai:coreweave");
    assert_eq!(coreweave[1], "22400000000");
    assert_eq!(coreweave[3], "exact");
    let sold = row(&rows, &text, "provider_total:coreweave");
    assert_eq!(sold[4], "1 of 1 deal, 1 buyer; 2 superseded left out");
    // Investments are not spending: they have their own total.
    assert_eq!(
        row(&rows, &text, "invested_total:nvidia")[1..4],
        ["100000000000", "USD", "upper"]
    );
    // Only cancelled deals: nothing counts, and it says why.
    assert_eq!(
        row(&rows, &text, "committed_total:stargate")[1..5],
        ["", "", "", "0 of 0 deals; 1 cancelled left out"]
    );
}

#[test]
fn a_power_total_keeps_its_hedge_against_the_plan() {
    let (text, rows) = derived();
    // Chips only: the data-centre deals measure another layer.
    assert!(!text.contains("power_total:openai,"), "{text}");
    let power = row(&rows, &text, "power_total:openai:chips");
    // 10 GW + 6 GW + at least 10 GW: at least 26 GW, no upper end.
    assert_eq!(
        power[1..],
        [
            "26000000000",
            "W",
            "lower",
            "3 of 3 deals",
            "10 GW (broadcom-chips) + 6 GW (amd-chips) + >10 GW (nvidia-chips) = >26 GW",
            "26000000000",
            "",
        ]
    );
    let vs = row(&rows, &text, "power_vs_target:openai:chips");
    assert_eq!(vs[1..4], ["86.7", "%", "lower"]);
    let revenue = row(&rows, &text, "committed_vs_revenue:openai");
    assert_eq!(revenue[2..4], ["ratio", "range"]);
    assert!(
        revenue[5].contains("~$13bn a year (openai-revenue"),
        "{revenue:?}"
    );
}

#[test]
fn a_disputed_value_sums_as_its_envelope() {
    let (text, rows) = derived();
    // Two sources: $17.4bn and $19.4bn.
    let microsoft = row(&rows, &text, "committed_total:microsoft");
    assert_eq!(
        microsoft[1..],
        [
            "18400000000",
            "USD",
            "range",
            "1 of 1 deal",
            "~$17.4–19.4bn (microsoft-nebius) = ~$17.4–19.4bn",
            "17400000000",
            "19400000000",
        ]
    );
}

#[test]
fn a_circular_pair_shows_the_money_each_way() {
    let (text, rows) = derived();
    // Nvidia invests in OpenAI; OpenAI buys Nvidia chips at no disclosed
    // price: unknown, never zero. Both in September 2025: the legs meet.
    assert_eq!(
        row(&rows, &text, "circular:nvidia:openai")[1..6],
        [
            "100000000000",
            "USD",
            "upper",
            "1 of 1 deal",
            "nvidia → openai: ≤$100bn (nvidia-invests); back: undisclosed (nvidia-chips); \
             legs within a year of each other",
        ]
    );
    assert_eq!(
        row(&rows, &text, "circular:openai:nvidia")[1..6],
        [
            "",
            "",
            "",
            "0 of 1 deal",
            "openai → nvidia: undisclosed (nvidia-chips); back: ≤$100bn (nvidia-invests); \
             legs within a year of each other",
        ]
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r[0].starts_with("circular:"))
            .count(),
        2
    );
}

#[test]
fn several_buyers_key_the_plan_by_buyer_and_every_key_is_unique() {
    let (text, rows) = derived();
    assert!(!rows.iter().any(|r| &r[0] == "committed_total"), "{text}");
    assert_eq!(row(&rows, &text, "weeks_to_target:openai")[1], "30");
    assert_eq!(
        row(&rows, &text, "implied_cost_per_gw:openai")[1..4],
        ["46700000000", "USD/GW", "upper"]
    );
    let mut keys: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let n = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), n, "a key twice in\n{text}");
}

/// A lower bound over a lower bound: "more than $10bn" committed against
/// "over $2bn" of revenue could be any multiple at all. The ratio says so
/// in words, with no number a reader could take for a bound.
const BOUNDS_BOTH_LOW: &str = common::lab_ledger!(
    title: "Bounds",
    as_of: "2025-11-03",
    cloud,
    r#"
[[commitments]]
id = "deal"
provider = "cloud"
value = "more than $10bn"
status = "signed"

[[notes]]
id = "revenue"
date = 2025-10-01
subject = "lab"
kind = "revenue"
headline = "Revenue run rate passes $2bn"
amount = "over $2bn"
"#
);

#[test]
fn a_lower_bound_over_a_lower_bound_is_unbounded_in_words() {
    let ds = gigawatt_model::data::load_str(BOUNDS_BOTH_LOW, "bounds.toml").expect("valid");
    let d = gigawatt_model::ledger::committed_vs_revenue(&ds, "lab").expect("a revenue note");
    assert_eq!(d.compact(), "unbounded either way");
    assert!(d.figure().is_none(), "no number: {d:?}");
    assert!(
        d.formula.contains(">$10bn / >$2bn a year")
            && d.formula.contains("a lower bound over a lower bound"),
        "{}",
        d.formula
    );
    // The export leaves the value and its bounds empty, and says why.
    let dir = common::temp_dir();
    let file = dir.path().join("bounds.toml");
    std::fs::write(&file, BOUNDS_BOTH_LOW).expect("write");
    let out = Command::new(BIN)
        .args(["export", "derived", "--data", arg(&file)])
        .output()
        .expect("run gigawatt");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV record")).collect();
    let ratio = row(&rows, &text, "committed_vs_revenue:lab");
    assert_eq!(ratio[1..4], ["", "ratio", "unbounded"], "{ratio:?}");
    assert_eq!(ratio[6..], ["", ""], "{ratio:?}");
}

/// `export derived` on the bundled ledger, as an analyst would check it:
/// no power figure sums layers, every row's text, value and bounds agree,
/// and each buyer's shares fit in its total at their low ends.
#[test]
fn the_bundled_ledgers_figures_add_up() {
    let out = Command::new(BIN)
        .current_dir(ROOT)
        .args(["export", "derived"])
        .output()
        .expect("run gigawatt");
    assert_eq!(out.status.code(), Some(0), "{}", common::describe(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (key, value, qualifier, formula, low, high) = (
        column("key"),
        column("value"),
        column("qualifier"),
        column("formula"),
        column("value_low"),
        column("value_high"),
    );
    // Dates (`date_to_target`) are values too; the checks below are of numbers.
    let number = |s: &str| s.parse::<f64>().ok();
    let bundled = gigawatt_model::data::bundled().expect("the bundled set loads");
    let mut low_ends: std::collections::BTreeMap<String, f64> = Default::default();
    let mut rows = 0;
    for record in reader.records() {
        let r = record.expect("a CSV record");
        rows += 1;
        let k = &r[key];
        if k.starts_with("power_total:") || k.starts_with("power_vs_target:") {
            assert_eq!(
                k.matches(':').count(),
                2,
                "{k}: a power figure without its layer"
            );
        }
        let (Some(v), q) = (number(&r[value]), &r[qualifier]) else {
            continue;
        };
        let (lo, hi) = (number(&r[low]), number(&r[high]));
        let slack = |x: f64| 1e-9 * x.abs().max(1.0);
        assert!(
            lo.is_none_or(|lo| v >= lo - slack(lo)),
            "{k}: {v} below {lo:?}"
        );
        assert!(
            hi.is_none_or(|hi| v <= hi + slack(hi)),
            "{k}: {v} above {hi:?}"
        );
        match q {
            "exact" => assert_eq!((lo, hi), (Some(v), Some(v)), "{k}"),
            "lower" => assert_eq!(hi, None, "{k}: at least, with an upper end"),
            _ => {}
        }
        // The result a formula ends in ("… = >$26bn") carries the same hedge.
        if let Some((_, shown)) = r[formula].rsplit_once("= ") {
            let marked = |marks: &[char]| shown.chars().any(|c| marks.contains(&c));
            let agrees = match q {
                "exact" => !marked(&['~', '≤', '<', '>']),
                "lower" => marked(&['>']),
                "upper" => marked(&['≤', '<']),
                "approx" => marked(&['~']),
                _ => true,
            };
            assert!(agrees, "{k}: {q}, shown as {shown}");
        }
        if let Some(deal) = k.strip_prefix("share:") {
            let buyer = bundled
                .commitments
                .iter()
                .find(|c| c.id == deal)
                .map(|c| c.buyer.to_string())
                .unwrap_or_else(|| panic!("{k}: no such deal"));
            *low_ends.entry(buyer).or_default() += lo.unwrap_or(0.0);
        }
    }
    assert!(rows > 100, "{rows} rows");
    assert!(low_ends.len() >= 4, "{low_ends:?}");
    for (buyer, sum) in &low_ends {
        assert!(
            *sum <= 100.0 + 1e-6,
            "{buyer}'s shares add to {sum}% at their low ends"
        );
    }
}
