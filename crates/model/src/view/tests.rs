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
