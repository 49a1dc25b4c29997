use chrono::NaiveDate;

use super::rows::*;
use super::sort::*;
use crate::data::{DealKind, Vocabulary};

#[test]
fn text_keys_rank_in_lowercase_text_order() {
    let texts = ["b", "a", "B", "数据", "", "Ab"];
    let ranks = text_ranks(texts.iter().map(|t| Some(*t)));
    let mut by_key: Vec<usize> = (0..texts.len()).collect();
    by_key.sort_by(|&a, &b| ranks[a].cmp(&ranks[b]).then(a.cmp(&b)));
    let mut by_text: Vec<usize> = (0..texts.len()).collect();
    by_text.sort_by(|&a, &b| {
        texts[a]
            .to_lowercase()
            .cmp(&texts[b].to_lowercase())
            .then(a.cmp(&b))
    });
    assert_eq!(by_key, by_text);
    assert_eq!(ranks[0], ranks[2], "b and B sort as one");
    assert_eq!(text_ranks([None, Some("x")].into_iter()), [u32::MAX, 0]);
}

#[test]
fn words_rank_in_text_order() {
    let mut words: Vec<&str> = DealKind::ALL.iter().map(|k| k.as_str()).collect();
    words.sort_unstable();
    for kind in DealKind::ALL {
        assert_eq!(
            words.iter().position(|w| *w == kind.as_str()),
            Some(word_rank(*kind) as usize)
        );
    }
}

#[test]
fn fast_sort_matches_the_plain_comparison() {
    let date = |d: i32| SortKey::Date(NaiveDate::from_num_days_from_ce_opt(d).unwrap());
    let columns: Vec<Vec<SortKey>> = vec![
        [3.0, -1.5, 3.0, 0.0, -0.0, 1e300, -1e300, f64::INFINITY, 2.5]
            .into_iter()
            .map(SortKey::Number)
            .chain([SortKey::Missing, SortKey::Number(f64::NAN)])
            .collect(),
        vec![
            date(700_000),
            SortKey::Missing,
            date(1),
            date(-5),
            date(700_000),
        ],
        [2, 1, 2, 4, 0, 1, 3]
            .into_iter()
            .map(SortKey::Text)
            .chain([SortKey::Missing])
            .collect(),
        vec![SortKey::Missing, SortKey::Missing],
        vec![SortKey::Number(1.0), SortKey::Text(0), SortKey::Missing],
    ];
    for keys in columns {
        let key = |i: usize| keys[i];
        let all: Vec<usize> = (0..keys.len()).collect();
        let some: Vec<usize> = all.iter().copied().filter(|i| i % 3 != 1).collect();
        for filter in [&all, &some] {
            for reverse in [false, true] {
                assert_eq!(
                    sorted_by_key(filter, &key, reverse),
                    sorted_order_generic(filter, &key, reverse),
                    "{keys:?} reverse {reverse}"
                );
            }
        }
    }
}

/// A ledger of `n` records of one deal, each restating the one before,
/// then a deal whose third record restates both earlier ones, then a deal
/// on its own.
fn restated(n: usize) -> crate::data::Dataset {
    let mut text = String::from(
        "format = 2\n[dataset]\ntitle = \"chain\"\nas_of = 2025-11-03\n\
         [[sources]]\nid = \"s\"\ntitle = \"S\"\n\
         [[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n\
         [[parties]]\nid = \"cloud\"\nname = \"Cloud\"\nkind = \"cloud\"\n",
    );
    let mut record = |id: &str, supersedes: &str| {
        text.push_str(&format!(
            "[[commitments]]\nid = \"{id}\"\nbuyer = \"lab\"\nprovider = \"cloud\"\n\
             value = \"$1bn\"\nstatus = \"signed\"\n{supersedes}"
        ));
    };
    for i in 0..n {
        let before = match i {
            0 => String::new(),
            _ => format!("supersedes = \"d{}\"\n", i - 1),
        };
        record(&format!("d{i}"), &before);
    }
    record("m1", "");
    record("m2", "");
    record("m3", "supersedes = [\"m1\", \"m2\"]\n");
    record("alone", "");
    crate::data::load_str(&text, "chain.toml").unwrap_or_else(|e| panic!("{}", e.report()))
}

/// Before heads were followed once per chain, each record walked its chain
/// to the end: 20k records of one deal took 200M steps (100k, ten seconds
/// of the explorer's load).
#[test]
fn a_long_chain_of_restatements_folds_under_its_last_record_in_linear_work() {
    let n = 20_000;
    let view = super::ViewData::new(restated(n));
    let last = n - 1;
    let (m1, m2, m3, alone) = (n, n + 1, n + 2, n + 3);
    let mut heads = vec![last; n];
    heads.extend([m3, m3, m3, alone]);
    assert_eq!(view.heads, heads);
    assert_eq!(view.folds.get(&last), Some(&(n - 1)));
    assert_eq!(view.folds.get(&m3), Some(&2));
    assert_eq!(
        view.folds.len(),
        2,
        "only the two deals' latest records fold"
    );
    let rows = view.rows(super::Table::Commitments);
    assert_eq!(rows.folds(last), n - 1);
    assert_eq!(rows.under(0), Some(last));
    assert_eq!(rows.under(last), None);
    assert_eq!(rows.under(alone), None);
    assert_eq!(view.history_of(last), (0..last).collect::<Vec<_>>());
    assert_eq!(view.history_of(m3), [m1, m2]);
    assert!(view.history_of(alone).is_empty());
    // Only the last record of each deal counts.
    let counted: Vec<usize> = (0..view.counts.len()).filter(|&i| view.counts[i]).collect();
    assert_eq!(counted, [last, m3, alone]);

    // Each link followed once, not once per record behind it.
    let d = &view.dataset;
    let (heads_again, steps) = super::build::heads_of(&super::build::successors(d));
    assert_eq!(heads_again, view.heads);
    assert!(steps <= d.commitments.len(), "{steps} steps");
}

/// A loop of restatements (only a dataset built by hand has one: a file's
/// is an error) ends each record at the one before it in the loop, and a
/// record leading into the loop where the loop's entry ends.
#[test]
fn a_loop_of_restatements_stops() {
    // 0 → 1 → 2 → 1: record 0 leads into the loop of 1 and 2.
    let next = [Some(1), Some(2), Some(1), None];
    let (heads, steps) = super::build::heads_of(&next);
    assert_eq!(heads, [2, 2, 1, 3]);
    assert!(steps <= next.len(), "{steps} steps");
}
