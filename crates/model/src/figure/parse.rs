//! Format 2's figure grammar: format 1's, plus more hedge words, ranges
//! (`$5bn-$10bn`, `$5–10bn`, `between $5bn and $10bn`, `5 to 10 GW`), word
//! ranges (`tens of billions`, `hundreds of thousands`, `billions`,
//! `multi-billion`), a trailing `+`, and `US$` / `USD` / `dollars` for money.
//!
//! Every figure format 1 reads, format 2 reads the same way (a property
//! test holds it to that). Errors name the word or symbol that could not be
//! read; money in another currency is refused with what to do instead.

use super::{
    Figure, FigureError, Interval, Kind, Period, Qualifier, Unit, power_scale, split_number,
};

/// Hedge phrases of format 2 (format 1's among them). Matched longest
/// first, case-insensitively; a word needs a boundary after it.
const HEDGES: &[(&str, Qualifier)] = &[
    ("approximately", Qualifier::Approx),
    ("an estimated", Qualifier::Approx),
    ("estimated", Qualifier::Approx),
    ("roughly", Qualifier::Approx),
    ("around", Qualifier::Approx),
    ("about", Qualifier::Approx),
    ("circa", Qualifier::Approx),
    ("some", Qualifier::Approx),
    ("c.", Qualifier::Approx),
    ("≈", Qualifier::Approx),
    ("~", Qualifier::Approx),
    ("no more than", Qualifier::Upper),
    ("as much as", Qualifier::Upper),
    ("as many as", Qualifier::Upper),
    ("less than", Qualifier::Upper),
    ("at most", Qualifier::Upper),
    ("up to", Qualifier::Upper),
    ("under", Qualifier::Upper),
    ("below", Qualifier::Upper),
    ("<=", Qualifier::Upper),
    ("≤", Qualifier::Upper),
    ("no less than", Qualifier::Lower),
    ("more than", Qualifier::Lower),
    ("exceeding", Qualifier::Lower),
    ("well over", Qualifier::Lower),
    ("north of", Qualifier::Lower),
    ("at least", Qualifier::Lower),
    ("above", Qualifier::Lower),
    ("over", Qualifier::Lower),
    (">=", Qualifier::Lower),
    ("≥", Qualifier::Lower),
    (">", Qualifier::Lower),
    ("just under", Qualifier::Below),
    ("nearly", Qualifier::Below),
    ("almost", Qualifier::Below),
    ("<", Qualifier::Below),
];

/// Currency symbols that are not US dollars.
const FOREIGN_SYMBOLS: &[char] = &[
    '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₫', '₱', '₦', '₴', '₿', '¢', '₣', '₤', '元', '円',
];

/// Currency codes and names that are not US dollars (lowercase, whole
/// words, none longer than eight letters: see `FOREIGN_PACKED`).
const FOREIGN_WORDS: &[&str] = &[
    "aed", "aud", "brl", "cad", "chf", "cny", "dkk", "eur", "euro", "euros", "franc", "francs",
    "gbp", "hkd", "inr", "jpy", "krw", "mxn", "nok", "nzd", "pound", "pounds", "renminbi", "rmb",
    "rub", "rupee", "rupees", "sar", "sek", "sgd", "sterling", "twd", "yen", "yuan", "zar",
];

/// `FOREIGN_WORDS` as numbers (`packed`): every word of every figure is
/// looked up here, and eight-byte numbers compare faster than strings.
const FOREIGN_PACKED: [u64; FOREIGN_WORDS.len()] = {
    let mut out = [0; FOREIGN_WORDS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = match packed(FOREIGN_WORDS[i].as_bytes()) {
            Some(n) => n,
            None => panic!("a currency word longer than eight letters"),
        };
        i += 1;
    }
    out
};

/// An ASCII word of up to eight bytes, lowercased, as one number (the
/// bytes in order, so words of different lengths differ).
const fn packed(word: &[u8]) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    let mut n = 0u64;
    let mut i = 0;
    while i < word.len() {
        n = n << 8 | word[i].to_ascii_lowercase() as u64;
        i += 1;
    }
    Some(n)
}

/// Words after a number (or a word range) that make it money.
const DOLLAR_WORDS: &[&str] = &["dollars", "dollar", "us dollars", "usd"];

/// One end of a figure as written: currency, sign, number, scale.
#[derive(Debug, Clone, Copy)]
struct Head {
    money: bool,
    plus_sign: bool,
    number: f64,
    /// The scale word's factor, if one was written ("bn": 1e9).
    scale: Option<f64>,
    /// A `+` right after the number or scale: "$10bn+", "10+ GW".
    trailing_plus: bool,
}

/// A unit tail, read: the unit (if written), its factor (GW: 1e9), and
/// whether it said dollars.
struct Tail {
    unit: Option<Unit>,
    factor: f64,
    dollars: bool,
}

impl Figure {
    /// Parses a figure in format 2's grammar. `expected` is the kind the
    /// field takes: it decides what a bare word range means ("tens of
    /// billions" is money in a money field, a count in a count field), and
    /// nothing else; the caller still checks the kind.
    pub fn parse_v2(text: &str, expected: Option<Kind>) -> Result<Figure, FigureError> {
        let written = text.trim();
        if written.is_empty() {
            return Err(FigureError::Empty);
        }
        refuse_foreign_currency(written)?;
        let err_text = || written.to_string();

        // Hedges: at most one "approximately" and one bound, in any order
        // ("~>$10bn" is how an approximate lower bound is shown).
        let mut rest = written;
        let mut approx: Option<&str> = None;
        let mut bound: Option<(Qualifier, &str)> = None;
        while let Some((word, qualifier, after)) = split_hedge(rest) {
            let previous = match qualifier {
                Qualifier::Approx => approx.replace(word),
                q => bound.replace((q, word)).map(|(_, w)| w),
            };
            if let Some(first) = previous {
                return Err(FigureError::TwoHedges {
                    first: first.to_string(),
                    second: word.to_string(),
                    text: err_text(),
                });
            }
            rest = after.trim_start();
        }
        let consumed = written[..written.len() - rest.len()].trim();

        if let Some(figure) = word_range(rest, written, approx.is_some(), bound, expected)? {
            return Ok(figure);
        }

        let (a_text, b_text) = match split_between(rest) {
            Some(Ok(ends)) => (ends.0, Some(ends.1)),
            Some(Err(())) => {
                return Err(FigureError::Unreadable {
                    word: rest.to_string(),
                    text: err_text(),
                });
            }
            None => (rest, None),
        };
        let (head, after_head) = read_head(a_text, written, consumed)?;
        let range = match b_text {
            // "between A and B": A's whole tail is its unit.
            Some(b) => Some((after_head, b)),
            None => find_separator(after_head),
        };
        let Some((a_unit, b_text)) = range else {
            return single(head, after_head, approx.is_some(), bound, written);
        };
        if let Some((_, word)) = bound {
            return Err(FigureError::HedgedRange {
                hedge: word.to_string(),
                text: err_text(),
            });
        }
        let b_consumed = written[..written.len() - b_text.len()].trim();
        let (b_head, b_after) = read_head(b_text, written, b_consumed)?;
        if head.trailing_plus || b_head.trailing_plus {
            return Err(FigureError::Unreadable {
                word: "+".into(),
                text: err_text(),
            });
        }
        let a_tail = read_tail(a_unit, head.money, written)?;
        let b_tail = read_tail(b_after, b_head.money, written)?;
        let money = head.money || b_head.money || a_tail.dollars || b_tail.dollars;
        let unit = match (a_tail.unit.clone(), b_tail.unit.clone()) {
            (Some(a), Some(b)) if a == b => b,
            (None, Some(b)) => b,
            (None, None) if money => Unit::Money,
            (None, None) => Unit::Count(None),
            _ => return Err(FigureError::RangeUnits(err_text())),
        };
        if money && unit != Unit::Money {
            return Err(FigureError::MoneyWithUnit(err_text()));
        }
        let b_scale = b_head.scale.unwrap_or(1.0);
        // "$5–10bn" lends "bn" to 5; "$5-$10bn", whose second end repeats
        // the "$", does not.
        let lent = if b_head.money && head.money {
            1.0
        } else {
            b_scale
        };
        let low = head.number
            * head.scale.unwrap_or(lent)
            * if a_tail.unit.is_some() {
                a_tail.factor
            } else {
                b_tail.factor
            };
        let high = b_head.number * b_scale * b_tail.factor;
        // "10–1k" cannot lend "k" to 10 without running backwards, and a
        // count has no "$" to repeat, so 10 is read as written.
        let low = if low > high && head.scale.is_none() && matches!(unit, Unit::Count(_)) {
            low / lent
        } else {
            low
        };
        if !low.is_finite() || !high.is_finite() {
            return Err(FigureError::NotFinite(err_text()));
        }
        if low > high {
            return Err(FigureError::RangeOrder(err_text()));
        }
        Ok(range_figure(
            Interval { low, high },
            approx.is_some(),
            unit,
            written,
        ))
    }
}

/// A parsed range keeps the `Range` qualifier even from 0 ("0–5%"); only
/// equal ends make it a single number.
fn range_figure(interval: Interval, approx: bool, unit: Unit, written: &str) -> Figure {
    if interval.is_point() {
        let q = if approx {
            Qualifier::Approx
        } else {
            Qualifier::Exact
        };
        return Figure::with_text(q, interval.low, unit, false, written);
    }
    Figure {
        qualifier: Qualifier::Range,
        value: interval.low + (interval.high - interval.low) / 2.0,
        unit,
        plus_sign: false,
        text: written.into(),
        interval,
        approx,
    }
}

/// One number with its hedges: format 1's figure, plus a trailing `+`.
fn single(
    head: Head,
    after: &str,
    approx: bool,
    bound: Option<(Qualifier, &str)>,
    written: &str,
) -> Result<Figure, FigureError> {
    let mut after = after.trim();
    let mut trailing_plus = head.trailing_plus;
    if !trailing_plus && let Some(stripped) = after.strip_suffix('+') {
        trailing_plus = true;
        after = stripped.trim_end();
    }
    let tail = read_tail(after, head.money, written)?;
    let money = head.money || tail.dollars;
    let unit = match tail.unit {
        Some(unit) => unit,
        None if money => Unit::Money,
        None => Unit::Count(None),
    };
    let value = head.number * head.scale.unwrap_or(1.0) * tail.factor;
    if !value.is_finite() {
        return Err(FigureError::NotFinite(written.to_string()));
    }
    let mut qualifier = match bound {
        Some((q, _)) => q,
        None if approx => Qualifier::Approx,
        None => Qualifier::Exact,
    };
    if trailing_plus {
        if let Some((_, word)) = bound {
            return Err(FigureError::TwoHedges {
                first: word.to_string(),
                second: "+".into(),
                text: written.to_string(),
            });
        }
        qualifier = Qualifier::Lower;
    }
    let mut figure = Figure::with_text(qualifier, value, unit, head.plus_sign, written);
    figure.approx = approx;
    Ok(figure)
}

/// "tens of billions", "hundreds of thousands", "billions",
/// "multi-billion", each with an optional "of dollars" / noun after it.
fn word_range(
    rest: &str,
    written: &str,
    approx: bool,
    bound: Option<(Qualifier, &str)>,
    expected: Option<Kind>,
) -> Result<Option<Figure>, FigureError> {
    // Every word range begins with a letter; a figure that does not (nearly
    // every one: "$38bn", "30 GW") is not lowercased to find out.
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    let lower = rest.to_ascii_lowercase();
    let scale_of_plural = |w: &str| match w {
        "thousands" => Some(1e3),
        "millions" => Some(1e6),
        "billions" => Some(1e9),
        "trillions" => Some(1e12),
        _ => None,
    };
    let scale_of_singular = |w: &str| match w {
        "thousand" => Some(1e3),
        "million" => Some(1e6),
        "billion" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    };
    let word_end = |s: &str| {
        s.find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(s.len())
    };
    let (interval, used, name) = if let Some((many, tail)) = lower
        .strip_prefix("tens of ")
        .map(|t| (10.0, t))
        .or_else(|| lower.strip_prefix("hundreds of ").map(|t| (100.0, t)))
    {
        let end = word_end(tail);
        let Some(scale) = scale_of_plural(&tail[..end]) else {
            return Ok(None);
        };
        let used = lower.len() - tail.len() + end;
        let interval = Interval {
            low: many * scale,
            high: many * 10.0 * scale,
        };
        (interval, used, &rest[..used])
    } else {
        let multi = ["multi-", "multi ", "multi"]
            .iter()
            .find_map(|p| lower.strip_prefix(p));
        let tail = multi.unwrap_or(lower.as_str());
        let end = word_end(tail);
        let scale = match multi {
            Some(_) => scale_of_singular(&tail[..end]),
            None => scale_of_plural(&tail[..end]),
        };
        let Some(scale) = scale else {
            return Ok(None);
        };
        let used = lower.len() - tail.len() + end;
        (Interval::at_least(scale), used, &rest[..used])
    };
    let is_range = !interval.high.is_infinite();
    if let Some((_, word)) = bound {
        return Err(if is_range {
            FigureError::HedgedRange {
                hedge: word.to_string(),
                text: written.to_string(),
            }
        } else {
            FigureError::TwoHedges {
                first: word.to_string(),
                second: name.to_string(),
                text: written.to_string(),
            }
        });
    }
    let tail = rest[used..].trim();
    let tail = tail
        .strip_prefix("of ")
        .or_else(|| tail.strip_prefix("-"))
        .unwrap_or(tail)
        .trim();
    let unit = if dollar_word(tail) {
        Unit::Money
    } else if tail.is_empty() {
        match expected {
            Some(Kind::Money) => Unit::Money,
            _ => Unit::Count(None),
        }
    } else if tail
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
    {
        Unit::Count(Some(tail.into()))
    } else {
        return Err(FigureError::Unreadable {
            word: first_token(tail).to_string(),
            text: written.to_string(),
        });
    };
    let mut figure = if is_range {
        range_figure(interval, approx, unit, written)
    } else {
        Figure::with_text(Qualifier::Lower, interval.low, unit, false, written)
    };
    figure.approx = approx;
    Ok(Some(figure))
}

/// Refuses money in any currency but US dollars, naming it.
fn refuse_foreign_currency(written: &str) -> Result<(), FigureError> {
    let refuse = |currency: &str| {
        Err(FigureError::Currency {
            currency: currency.to_string(),
            text: written.to_string(),
        })
    };
    let ascii = written.is_ascii();
    // Every symbol is outside ASCII, as nearly every figure is not.
    if !ascii
        && let Some(c) = written
            .chars()
            .find(|c| !c.is_ascii() && FOREIGN_SYMBOLS.contains(c))
    {
        return refuse(&c.to_string());
    }
    // "C$", "HK$", "A$": letters before a dollar sign, other than "US".
    let dollars = written.bytes().enumerate().filter(|&(_, b)| b == b'$');
    for (i, _) in dollars {
        let before = &written[..i];
        // ASCII letters are one byte each.
        let start = before.len()
            - before
                .chars()
                .rev()
                .take_while(char::is_ascii_alphabetic)
                .count();
        let letters = &before[start..];
        if !letters.is_empty() && !letters.eq_ignore_ascii_case("us") {
            return refuse(&written[start..=i]);
        }
    }
    if ascii {
        // ASCII text: its letters are ASCII letters, runs of them compared
        // in place (no currency word is shorter than three letters).
        let bytes = written.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i - start >= 3 && foreign_word(&written[start..i]) {
                return refuse(&written[start..i]);
            }
        }
        return Ok(());
    }
    // No currency word has fewer than three letters, nor do their
    // lowercase forms.
    for word in written.split(|c: char| !c.is_alphabetic()) {
        if word.len() >= 3 && foreign_word(word) {
            return refuse(word);
        }
    }
    Ok(())
}

/// Whether `word`, lowercased, is one of `FOREIGN_WORDS`. An ASCII word is
/// compared as it is, without lowercasing a copy: this runs on every word
/// of every figure.
fn foreign_word(word: &str) -> bool {
    if word.is_ascii() {
        packed(word.as_bytes()).is_some_and(|n| FOREIGN_PACKED.contains(&n))
    } else {
        FOREIGN_WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// Whether `text` is one of `DOLLAR_WORDS`, ASCII letters in any case.
fn dollar_word(text: &str) -> bool {
    DOLLAR_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text))
}

/// Room for the longest word `lowered` is asked to match: every currency,
/// scale, unit and period word is shorter.
pub(super) const WORD_BYTES: usize = 16;

/// `word` in ASCII lowercase, in `buf` rather than a new `String`; `None`
/// if it is longer than `buf` (and so no word of the grammar).
pub(super) fn lowered<'b>(word: &str, buf: &'b mut [u8; WORD_BYTES]) -> Option<&'b str> {
    let out = buf.get_mut(..word.len())?;
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_lowercase();
    // Lowercasing ASCII letters keeps UTF-8 valid.
    std::str::from_utf8(out).ok()
}

/// Whether `text` starts with `prefix` (lowercase), ASCII letters in any case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The longest hedge at the start of `text`: (as written, meaning, rest).
fn split_hedge(text: &str) -> Option<(&str, Qualifier, &str)> {
    // No hedge begins with a digit or `$`, as most figures do.
    if text.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
        return None;
    }
    let first = text.as_bytes().first()?.to_ascii_lowercase();
    let mut best: Option<(usize, Qualifier)> = None;
    for (word, qualifier) in HEDGES {
        if word.as_bytes()[0] != first
            || !starts_with_ignore_case(text, word)
            || best.is_some_and(|(len, _)| len >= word.len())
        {
            continue;
        }
        let rest = &text[word.len()..];
        let needs_boundary = word.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
        if needs_boundary && rest.chars().next().is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        best = Some((word.len(), *qualifier));
    }
    best.map(|(len, q)| (&text[..len], q, &text[len..]))
}

/// "between A and B" → `Some(Ok((A, B)))`; "between A" → `Some(Err(()))`.
fn split_between(text: &str) -> Option<Result<(&str, &str), ()>> {
    if !starts_with_ignore_case(text, "between ") {
        return None;
    }
    let offset = "between ".len();
    let and = text.as_bytes()[offset..]
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b" and "));
    Some(match and {
        Some(i) => Ok((
            text[offset..offset + i].trim(),
            text[offset + i + 5..].trim(),
        )),
        None => Err(()),
    })
}

/// Currency prefix, sign, number, scale word and a `+` after them.
/// `consumed` is what came before (for "no number after ..." messages).
fn read_head<'a>(
    text: &'a str,
    written: &str,
    consumed: &str,
) -> Result<(Head, &'a str), FigureError> {
    let mut rest = text.trim_start();
    let mut money = false;
    let mut negative = false;
    let mut plus_sign = false;
    for _ in 0..2 {
        if let Some(r) = strip_currency(rest) {
            money = true;
            rest = r.trim_start();
        }
        if let Some(r) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('−')) {
            negative = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            plus_sign = true;
            rest = r;
        }
    }
    let (mut number, after) = match split_number(rest) {
        Ok(Some(found)) => found,
        Ok(None) if rest.trim().is_empty() => {
            let before = written[..written.len() - rest.len()].trim();
            let after = if before.is_empty() { consumed } else { before };
            return Err(FigureError::MissingNumber {
                after: after.to_string(),
                text: written.to_string(),
            });
        }
        Ok(None) => {
            return Err(FigureError::Unreadable {
                word: first_token(rest).to_string(),
                text: written.to_string(),
            });
        }
        Err(fault) => return Err(FigureError::BadNumber(written.to_string(), fault)),
    };
    if negative {
        number = -number;
    }
    let mut rest = after.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let mut buf = [0u8; WORD_BYTES];
    let scale = lowered(&rest[..end], &mut buf).and_then(super::scale_of);
    if scale.is_some() {
        rest = rest[end..].trim_start();
    }
    let trailing_plus = match rest.strip_prefix('+') {
        Some(r) => {
            rest = r.trim_start();
            true
        }
        None => false,
    };
    Ok((
        Head {
            money,
            plus_sign,
            number,
            scale,
            trailing_plus,
        },
        rest,
    ))
}

/// `$`, `US$` or `USD` at the start of `text`, and what follows.
fn strip_currency(text: &str) -> Option<&str> {
    if let Some(r) = text.strip_prefix('$') {
        return Some(r);
    }
    let head = text.get(..3)?;
    if head.eq_ignore_ascii_case("us$") {
        return Some(&text[3..]);
    }
    if head.eq_ignore_ascii_case("usd") && !text[3..].starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Some(&text[3..]);
    }
    None
}

/// Where a range's second end starts, after an optional unit for the
/// first ("500 MW–1.2 GW"): `Some((first end's unit, second end))`. A
/// separator counts only when a number follows, so a count noun such as
/// "to go" stays a noun.
fn find_separator(rest: &str) -> Option<(&str, &str)> {
    if let Some(b) = after_separator(rest) {
        return Some(("", b));
    }
    let r = rest.trim_start();
    let unit_len = if r.starts_with('%') {
        1
    } else {
        let end = r
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(r.len());
        let mut buf = [0u8; WORD_BYTES];
        let word = lowered(&r[..end], &mut buf).unwrap_or_default();
        let is_unit = power_scale(word).is_some()
            || Period::parse(word).is_some()
            || matches!(word, "yrs" | "wks");
        if !is_unit {
            return None;
        }
        // A rate's period: "MW/wk".
        match r[end..].strip_prefix('/') {
            Some(per) if power_scale(word).is_some() => {
                end + 1
                    + per
                        .find(|c: char| !c.is_ascii_alphabetic())
                        .unwrap_or(per.len())
            }
            _ => end,
        }
    };
    after_separator(&r[unit_len..]).map(|b| (&r[..unit_len], b))
}

/// The second end after a range separator, if a number follows it.
fn after_separator(r: &str) -> Option<&str> {
    let r = r.trim_start();
    let after = if let Some(a) = r
        .strip_prefix('-')
        .or_else(|| r.strip_prefix('–'))
        .or_else(|| r.strip_prefix('—'))
    {
        a
    } else if starts_with_ignore_case(r, "to") && r[2..].starts_with(char::is_whitespace) {
        &r[2..]
    } else {
        return None;
    };
    let next = after.trim_start();
    let unsigned = next
        .strip_prefix(['-', '−', '+'])
        .unwrap_or(next)
        .trim_start();
    let starts_number = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
    (starts_number(unsigned)
        || strip_currency(unsigned).is_some_and(|s| starts_number(s.trim_start())))
    .then_some(next)
}

/// The unit after a number: format 1's units, or "dollars".
fn read_tail(tail: &str, money: bool, written: &str) -> Result<Tail, FigureError> {
    let tail = tail.trim();
    if tail.is_empty() {
        return Ok(Tail {
            unit: None,
            factor: 1.0,
            dollars: false,
        });
    }
    if dollar_word(tail) {
        return Ok(Tail {
            unit: None,
            factor: 1.0,
            dollars: true,
        });
    }
    let mut factor = 1.0;
    // Money with a unit after it ("$30 GW") keeps format 1's message; a
    // tail that is no unit at all is named.
    let unit = match Figure::parse_unit(tail, false, &mut factor, written) {
        Ok(_) if money => return Err(FigureError::MoneyWithUnit(written.to_string())),
        Ok(unit) => unit,
        Err(FigureError::UnknownUnit { .. }) if money => {
            return Err(FigureError::Unreadable {
                word: first_token(tail).to_string(),
                text: written.to_string(),
            });
        }
        Err(e) => return Err(e),
    };
    Ok(Tail {
        unit: Some(unit),
        factor,
        dollars: false,
    })
}

/// The word (a run of letters) or symbol at the start of `text`.
fn first_token(text: &str) -> &str {
    let text = text.trim_start();
    match text.chars().next() {
        Some(c) if c.is_alphabetic() => {
            let end = text
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(text.len());
            &text[..end]
        }
        Some(c) => &text[..c.len_utf8()],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2(s: &str) -> Result<Figure, FigureError> {
        Figure::parse_v2(s, None)
    }

    #[test]
    fn foreign_words_are_found_in_any_case() {
        assert!(FOREIGN_WORDS.iter().all(|w| w.len() >= 3));
        for word in ["EUR", "Euros", "sterling", "YEN"] {
            assert!(foreign_word(word), "{word}");
        }
        for word in ["bn", "GW", "years", "dollars", "usd", "eu", "eurosterling"] {
            assert!(!foreign_word(word), "{word}");
        }
    }

    #[test]
    fn reads_format_2_figures() {
        use Qualifier::*;
        // (written, qualifier, approx, low, high, unit, shown)
        let inf = f64::INFINITY;
        type Case = (&'static str, Qualifier, bool, f64, f64, Unit, &'static str);
        let cases: &[Case] = &[
            ("under $4bn", Upper, false, 0.0, 4e9, Unit::Money, "≤$4bn"),
            (
                "less than $4bn",
                Upper,
                false,
                0.0,
                4e9,
                Unit::Money,
                "≤$4bn",
            ),
            ("below 5 GW", Upper, false, 0.0, 5e9, Unit::Power, "≤5 GW"),
            (
                "no more than $4bn",
                Upper,
                false,
                0.0,
                4e9,
                Unit::Money,
                "≤$4bn",
            ),
            (
                "as many as 1 million TPUs",
                Upper,
                false,
                0.0,
                1e6,
                Unit::Count(Some("TPUs".into())),
                "≤1m TPUs",
            ),
            (
                "just under $4bn",
                Below,
                false,
                0.0,
                4e9,
                Unit::Money,
                "<$4bn",
            ),
            (
                "at least 10 GW",
                Lower,
                false,
                10e9,
                inf,
                Unit::Power,
                ">10 GW",
            ),
            (
                "no less than $10bn",
                Lower,
                false,
                10e9,
                inf,
                Unit::Money,
                ">$10bn",
            ),
            (
                "well over $10bn",
                Lower,
                false,
                10e9,
                inf,
                Unit::Money,
                ">$10bn",
            ),
            (
                "North of $10bn",
                Lower,
                false,
                10e9,
                inf,
                Unit::Money,
                ">$10bn",
            ),
            ("$10bn+", Lower, false, 10e9, inf, Unit::Money, ">$10bn"),
            ("10+ GW", Lower, false, 10e9, inf, Unit::Power, ">10 GW"),
            ("10 GW+", Lower, false, 10e9, inf, Unit::Power, ">10 GW"),
            ("some $4bn", Approx, true, 4e9, 4e9, Unit::Money, "~$4bn"),
            (
                "an estimated $4bn",
                Approx,
                true,
                4e9,
                4e9,
                Unit::Money,
                "~$4bn",
            ),
            (
                "estimated $4bn",
                Approx,
                true,
                4e9,
                4e9,
                Unit::Money,
                "~$4bn",
            ),
            ("circa $4bn", Approx, true, 4e9, 4e9, Unit::Money, "~$4bn"),
            ("c. $4bn", Approx, true, 4e9, 4e9, Unit::Money, "~$4bn"),
            ("≈$4bn", Approx, true, 4e9, 4e9, Unit::Money, "~$4bn"),
            (
                "$5bn-$10bn",
                Range,
                false,
                5e9,
                10e9,
                Unit::Money,
                "$5–10bn",
            ),
            ("$5–10bn", Range, false, 5e9, 10e9, Unit::Money, "$5–10bn"),
            (
                "$5 - 10 billion",
                Range,
                false,
                5e9,
                10e9,
                Unit::Money,
                "$5–10bn",
            ),
            (
                "between $5bn and $10bn",
                Range,
                false,
                5e9,
                10e9,
                Unit::Money,
                "$5–10bn",
            ),
            (
                "between 5 and 10 GW",
                Range,
                false,
                5e9,
                10e9,
                Unit::Power,
                "5–10 GW",
            ),
            (
                "5 to 10 GW",
                Range,
                false,
                5e9,
                10e9,
                Unit::Power,
                "5–10 GW",
            ),
            (
                "5 GW to 10 GW",
                Range,
                false,
                5e9,
                10e9,
                Unit::Power,
                "5–10 GW",
            ),
            (
                "500 MW–1.2 GW",
                Range,
                false,
                5e8,
                1.2e9,
                Unit::Power,
                "500 MW–1.2 GW",
            ),
            (
                "$500m-$1.2bn",
                Range,
                false,
                5e8,
                1.2e9,
                Unit::Money,
                "$500m–$1.2bn",
            ),
            ("36-43%", Range, false, 36.0, 43.0, Unit::Percent, "36–43%"),
            ("5%-10%", Range, false, 5.0, 10.0, Unit::Percent, "5–10%"),
            (
                "5 to 7 years",
                Range,
                false,
                5.0,
                7.0,
                Unit::Duration(crate::figure::Period::Year),
                "5–7 years",
            ),
            (
                "1–2 GW/week",
                Range,
                false,
                1e9,
                2e9,
                Unit::Rate(crate::figure::Period::Week),
                "1–2 GW/wk",
            ),
            (
                "about $5–10bn",
                Range,
                true,
                5e9,
                10e9,
                Unit::Money,
                "~$5–10bn",
            ),
            ("~$5–10bn", Range, true, 5e9, 10e9, Unit::Money, "~$5–10bn"),
            (
                "tens of billions of dollars",
                Range,
                false,
                1e10,
                1e11,
                Unit::Money,
                "$10–100bn",
            ),
            (
                "hundreds of thousands",
                Range,
                false,
                1e5,
                1e6,
                Unit::Count(None),
                "100k–1m",
            ),
            (
                "hundreds of thousands of GPUs",
                Range,
                false,
                1e5,
                1e6,
                Unit::Count(Some("GPUs".into())),
                "100k–1m GPUs",
            ),
            (
                "billions of dollars",
                Lower,
                false,
                1e9,
                inf,
                Unit::Money,
                ">$1bn",
            ),
            (
                "multi-billion dollar",
                Lower,
                false,
                1e9,
                inf,
                Unit::Money,
                ">$1bn",
            ),
            ("US$3bn", Exact, false, 3e9, 3e9, Unit::Money, "$3bn"),
            ("USD 3bn", Exact, false, 3e9, 3e9, Unit::Money, "$3bn"),
            ("USD3bn", Exact, false, 3e9, 3e9, Unit::Money, "$3bn"),
            (
                "3 billion dollars",
                Exact,
                false,
                3e9,
                3e9,
                Unit::Money,
                "$3bn",
            ),
            (
                "about 3bn US dollars",
                Approx,
                true,
                3e9,
                3e9,
                Unit::Money,
                "~$3bn",
            ),
            ("~>$10bn", Lower, true, 10e9, inf, Unit::Money, "~>$10bn"),
            ("~≤$4bn", Upper, true, 0.0, 4e9, Unit::Money, "~≤$4bn"),
            ("$5-5bn", Exact, false, 5e9, 5e9, Unit::Money, "$5bn"),
            ("10–1k", Range, false, 10.0, 1e3, Unit::Count(None), "10–1k"),
            ("$10–$1k", Range, false, 10.0, 1e3, Unit::Money, "$10–$1k"),
            (
                "577 MW/wk–1 GW/wk",
                Range,
                false,
                577e6,
                1e9,
                Unit::Rate(crate::figure::Period::Week),
                "577 MW/wk–1 GW/wk",
            ),
            // A count noun that starts with "to" is still a noun.
            (
                "5 to go",
                Exact,
                false,
                5.0,
                5.0,
                Unit::Count(Some("to go".into())),
                "5 to go",
            ),
        ];
        for (text, q, approx, low, high, unit, shown) in cases {
            let f = v2(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(f.qualifier, *q, "{text}");
            assert_eq!(f.approx, *approx, "{text}");
            let close = |a: f64, b: f64| a == b || (a - b).abs() <= b.abs() * 1e-12;
            assert!(
                close(f.interval.low, *low),
                "{text}: low {}",
                f.interval.low
            );
            assert!(
                close(f.interval.high, *high),
                "{text}: high {}",
                f.interval.high
            );
            assert_eq!(&f.unit, unit, "{text}");
            assert_eq!(f.compact(), *shown, "{text}");
            assert_eq!(f.text, *text);
            // What is shown reads back as the same figure.
            let again = v2(shown).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert_eq!(again.compact(), *shown, "{text} shown as {shown}");
            assert_eq!(again.qualifier, f.qualifier, "{shown}");
        }
    }

    #[test]
    fn word_ranges_take_the_fields_kind() {
        let money = Figure::parse_v2("tens of billions", Some(Kind::Money)).ok();
        assert_eq!(money.map(|f| f.compact()), Some("$10–100bn".into()));
        let count = Figure::parse_v2("tens of billions", Some(Kind::Count)).ok();
        assert_eq!(count.map(|f| f.compact()), Some("10–100bn".into()));
        let billions = Figure::parse_v2("billions", Some(Kind::Money)).ok();
        assert_eq!(billions.map(|f| f.compact()), Some(">$1bn".into()));
        let multi = Figure::parse_v2("multi-billion", Some(Kind::Money)).ok();
        assert_eq!(multi.map(|f| f.compact()), Some(">$1bn".into()));
        let about = Figure::parse_v2("about tens of billions", Some(Kind::Money)).ok();
        assert_eq!(about.map(|f| f.compact()), Some("~$10–100bn".into()));
    }

    #[test]
    fn errors_name_what_they_could_not_read() {
        // (written, a fragment of the message)
        let cases: &[(&str, &str)] = &[
            ("fooish $4bn", "cannot read \"fooish\""),
            ("overall 5", "cannot read \"overall\""),
            ("#5bn", "cannot read \"#\""),
            ("about", "no number after \"about\""),
            ("$", "no number after \"$\""),
            ("up to $", "no number after \"up to $\""),
            ("$5bn-", "cannot read \"-\""),
            ("$5bn 3", "cannot read \"3\""),
            ("30 parsecs!", "unknown unit \"parsecs!\""),
            ("€3bn", "\"€\" is not US dollars"),
            ("£2bn", "\"£\" is not US dollars"),
            ("EUR 3bn", "\"EUR\" is not US dollars"),
            ("¥300bn", "\"¥\" is not US dollars"),
            ("3bn euros", "\"euros\" is not US dollars"),
            ("3bn EUROS", "\"EUROS\" is not US dollars"),
            ("3bn Yen, about", "\"Yen\" is not US dollars"),
            // Letters beyond ASCII: words are lowercased in full.
            ("3bn \u{212a}RW", "\"\u{212a}RW\" is not US dollars"),
            ("数 3bn Euro", "\"Euro\" is not US dollars"),
            ("BETWEEN $5bn", "cannot read \"BETWEEN $5bn\""),
            ("C$5bn", "\"C$\" is not US dollars"),
            ("HK$5bn", "\"HK$\" is not US dollars"),
            ("up to $5–10bn", "\"up to\" cannot bound a range"),
            ("over tens of billions", "\"over\" cannot bound a range"),
            ("over billions", "two hedges \"over\" and \"billions\""),
            ("about roughly $5bn", "two hedges \"about\" and \"roughly\""),
            ("over up to $5bn", "two hedges \"over\" and \"up to\""),
            ("over $5bn+", "two hedges \"over\" and \"+\""),
            ("$10–5bn", "range runs backwards"),
            ("5 GW to 10", "different units"),
            ("5 GW to 10%", "different units"),
            ("$5 GW to 10 GW", "cannot go with a unit"),
            ("between $5bn", "cannot read \"between $5bn\""),
            (
                "1,40 GW",
                "malformed number in \"1,40 GW\": thousands commas",
            ),
            (
                "$5.bn",
                "malformed number in \"$5.bn\": a decimal point needs a digit",
            ),
            ("5. GW", "a decimal point needs a digit after it"),
            ("", "empty figure"),
        ];
        for (text, fragment) in cases {
            let err = v2(text).map(|f| f.compact()).expect_err(text);
            let message = err.to_string();
            assert!(message.contains(fragment), "{text}: {message}");
            assert!(!message.starts_with("no number in"), "{text}: {message}");
        }
        let currency = v2("€3bn").map(|f| f.compact()).expect_err("euro");
        assert!(currency.to_string().contains("convert"), "{currency}");
        assert!(currency.to_string().contains("rate"), "{currency}");
    }

    #[test]
    fn hedges_and_range_words_read_in_any_case() {
        let interval = |s: &str| {
            let f = v2(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            (f.interval.low, f.interval.high, f.approx, f.qualifier)
        };
        assert_eq!(
            interval("Between $5bn AND $10bn"),
            interval("between $5bn and $10bn")
        );
        assert_eq!(interval("ABOUT $5bn"), interval("about $5bn"));
        assert_eq!(interval("Up To 5 GW"), interval("up to 5 GW"));
        assert_eq!(interval("Tens of Billions"), interval("tens of billions"));
        assert_eq!(interval("≈ $5bn"), interval("about $5bn"));
    }

    #[test]
    fn format_2_refuses_what_is_not_finite() {
        let nines = "9".repeat(400);
        for text in [
            format!("${nines}tn"),
            format!("${nines}-{nines}tn"),
            format!("$1-{nines}tn"),
            format!("{nines}+ GW"),
            format!("tens of billions {nines}"),
        ] {
            let err = v2(&text).map(|f| f.compact()).expect_err(&text);
            assert!(
                matches!(
                    err,
                    FigureError::NotFinite(_) | FigureError::Unreadable { .. }
                ),
                "{text}: {err}"
            );
        }
        assert!(matches!(
            v2(&format!("${nines}tn")),
            Err(FigureError::NotFinite(_))
        ));
    }

    /// Every figure format 1 reads, format 2 reads the same way.
    #[test]
    fn format_1_figures_read_the_same() {
        for text in [
            "$38bn",
            "up to $1.4tn",
            "as much as $1.4 trillion",
            "exceeding $40 billion",
            "about $20 billion",
            "nearly $140 billion",
            "$22.4 billion",
            "$1,400bn",
            "30 GW",
            "30GW",
            "about 500 MW",
            "1 GW/week",
            "1 GW per week",
            "1 GW a week",
            "+5%",
            "-2.5%",
            "10%",
            "7 years",
            "1 year",
            "~$20bn",
            "≥ $3m",
            "1500",
            "roughly 25m homes",
            "<$140bn",
            "≤$1.4tn",
            ">$40bn",
            "-$5bn",
            "$-5bn",
            "at most 3 data centres",
            "over 2 wks",
        ] {
            let one = Figure::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let two = v2(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(one, two, "{text}");
        }
    }
}
