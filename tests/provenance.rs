//! The bundled ledger keeps gigawatt's promise: every deal and note says
//! where it came from, every source is used and dated and linked, every
//! figure reads back to the hedge its source used, and the seed article's
//! sentences are not copied into the data.

mod common;

use std::collections::{BTreeSet, HashSet};

use gigawatt_model::data::{self, Cite, Dataset};
use gigawatt_model::figure::Figure;

fn ledger() -> Dataset {
    data::bundled().unwrap_or_else(|e| panic!("the bundled set is invalid:\n{}", e.report()))
}

#[test]
fn the_ledger_is_a_set_of_several_buyers() {
    let d = ledger();
    assert!(d.files.len() >= 6, "{} files", d.files.len());
    let buyers: BTreeSet<&str> = d.commitments.iter().map(|c| c.buyer.as_str()).collect();
    for buyer in ["openai", "anthropic", "meta", "microsoft"] {
        assert!(
            buyers.contains(buyer),
            "no deals bought by {buyer}: {buyers:?}"
        );
    }
}

#[test]
fn every_deal_and_note_cites_a_dated_linked_source() {
    let d = ledger();
    let check = |what: String, cites: &[Cite]| {
        assert!(!cites.is_empty(), "{what} cites nothing");
        for cite in cites {
            let id = cite
                .source
                .as_deref()
                .unwrap_or_else(|| panic!("{what}: a citation without a source"));
            let source = d
                .source(id)
                .unwrap_or_else(|| panic!("{what}: no source {id}"));
            assert!(
                source.url.as_deref().is_some_and(|u| u.starts_with("http")),
                "{what}: {id} has no URL"
            );
            assert!(
                source.published.is_some(),
                "{what}: {id} has no published date"
            );
            assert!(
                cite.at.as_deref().is_some_and(|a| !a.trim().is_empty()),
                "{what}: no locator in {id}"
            );
        }
    };
    for c in &d.commitments {
        check(format!("commitment {}", c.id), &c.cites);
    }
    for (i, n) in d.notes.iter().enumerate() {
        check(
            format!("note {} ({})", n.id.as_deref().unwrap_or("-"), i),
            &n.cites,
        );
    }
}

#[test]
fn every_source_is_used() {
    let d = ledger();
    let mut used: HashSet<String> = HashSet::new();
    let mut cite = |c: &Cite| {
        if let Some(id) = &c.source {
            used.insert(id.to_string());
        }
    };
    for p in d.parties() {
        p.cites.iter().for_each(&mut cite);
    }
    for c in &d.commitments {
        c.cites.iter().for_each(&mut cite);
        c.alternatives()
            .iter()
            .flat_map(|a| &a.options)
            .for_each(|(_, c)| cite(c));
    }
    for n in &d.notes {
        n.cites.iter().for_each(&mut cite);
        n.alternatives
            .iter()
            .flat_map(|a| &a.options)
            .for_each(|(_, c)| cite(c));
    }
    for plan in &d.capacities {
        plan.cites.iter().for_each(&mut cite);
        plan.alternatives
            .iter()
            .flat_map(|a| &a.options)
            .for_each(|(_, c)| cite(c));
        for m in &plan.milestones {
            m.cites.iter().for_each(&mut cite);
        }
    }
    for c in &d.commitments {
        for t in c.tranches() {
            t.cites.iter().for_each(&mut cite);
        }
    }
    for site in &d.sites {
        site.cites.iter().for_each(&mut cite);
        for e in &site.timeline {
            e.cites.iter().for_each(&mut cite);
        }
    }
    for cluster in &d.clusters {
        cluster.cites.iter().for_each(&mut cite);
    }
    let unused: Vec<&str> = d
        .sources
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| !used.contains(*id))
        .collect();
    assert!(unused.is_empty(), "sources nothing cites: {unused:?}");
}

/// A figure's written words parse again to the same hedge and interval:
/// what is shown is what the source said.
#[track_caller]
fn reads_back(what: &str, figure: &Figure) {
    let again = Figure::parse_v2(&figure.text, None)
        .unwrap_or_else(|e| panic!("{what}: {:?} no longer parses: {e}", figure.text));
    assert_eq!(
        again.qualifier, figure.qualifier,
        "{what}: {:?}",
        figure.text
    );
    assert_eq!(again.interval, figure.interval, "{what}: {:?}", figure.text);
}

#[test]
fn every_figure_keeps_its_sources_hedge() {
    let d = ledger();
    let mut seen = 0;
    let mut check = |what: String, figure: Option<&Figure>| {
        if let Some(f) = figure {
            reads_back(&what, f);
            seen += 1;
        }
    };
    for c in &d.commitments {
        check(format!("{}.value", c.id), c.value.as_ref());
        check(format!("{}.power", c.id), c.power());
        check(format!("{}.units", c.id), c.units());
        check(format!("{}.term", c.id), c.term.as_ref());
        for disputed in c.alternatives() {
            for (f, _) in &disputed.options {
                check(format!("{}.{} alternative", c.id, disputed.field), Some(f));
            }
        }
    }
    for (i, n) in d.notes.iter().enumerate() {
        check(format!("note {i}.change"), n.change.as_ref());
        check(format!("note {i}.amount"), n.amount.as_ref());
    }
    assert!(seen > 50, "only {seen} figures checked");
}

/// FNV-1a, 64 bits: the hash the fixture of the article's word runs uses.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '$' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn no_sentence_of_the_seed_article_is_copied_into_the_data() {
    let runs: HashSet<u64> = common::fixture_text("seed-article-8-word-runs.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| u64::from_str_radix(l.trim(), 16).expect("a hex hash"))
        .collect();
    assert!(runs.len() > 400, "the fixture holds {} runs", runs.len());
    for (name, text) in data::BUNDLED_FILES {
        let w = words(text);
        for run in w.windows(8) {
            let run = run.join(" ");
            assert!(
                !runs.contains(&fnv(&run)),
                "{name} repeats the article: {run:?}"
            );
        }
    }
}

#[test]
fn the_copy_check_sees_a_copied_run() {
    // Paragraph 3's opening, as a user might paste it (the words only).
    let pasted = [
        "openai", "has", "signed", "a", "seven", "year", "$38", "billion",
    ]
    .join(" ");
    let runs: HashSet<u64> = common::fixture_text("seed-article-8-word-runs.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| u64::from_str_radix(l.trim(), 16).ok())
        .collect();
    assert!(runs.contains(&fnv(&pasted)));
}
