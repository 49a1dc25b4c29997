//! How a figure, date or word reads in a cell: hedges, dispute marks,
//! units, and the dash for nothing.

use std::borrow::Cow;

use chrono::{Days, NaiveDate};

use crate::data::{Commitment, Dataset, Vocabulary};
use crate::figure::Figure;
use crate::ledger::{self, Derived};
use crate::text::escape_controls;

/// Marks a figure whose sources disagree, beside its envelope.
pub const DISPUTED: &str = "±";

/// A commitment on the timeline: announced, end of the solid bar (online by,
/// or else the end of the term), end of the term (or else online by).
pub type TimelineSpan = (NaiveDate, NaiveDate, NaiveDate);

/// The commitment's timeline span, if it has a start and an end. Its term
/// runs from when delivery starts (`starts`), else from its announcement.
pub fn timeline_span(c: &Commitment) -> Option<TimelineSpan> {
    let start = c.announced.and_then(|d| d.anchor());
    let term_from = c.starts().and_then(|d| d.anchor()).or(start);
    let term_end = term_from
        .zip(c.term.as_ref().and_then(|t| t.weeks()))
        .and_then(|(s, weeks)| s.checked_add_days(Days::new((weeks * 7.0).round() as u64)));
    let online_by = c.online_by.and_then(|d| d.anchor());
    let solid_end = online_by.or(term_end);
    let end = term_end.or(online_by);
    start.zip(solid_end).zip(end).map(|((s, m), e)| (s, m, e))
}

pub(crate) fn or_dash<'a>(s: Option<String>) -> Cow<'a, str> {
    s.map_or(Cow::Borrowed("—"), Cow::Owned)
}

/// A quotient of a value bounded neither way, in a cell: the share and
/// per year of "up to $60bn" or "more than $100bn" are anything at all.
pub(crate) const UNBOUNDED: &str = "unbounded";

pub(crate) fn unbounded(c: &Commitment) -> bool {
    c.value.as_ref().is_some_and(Figure::is_unbounded)
}

/// A share cell: one decimal, unless that would show a real share as 0.0%.
pub(crate) fn share_text(share: Option<&Figure>) -> String {
    match share {
        Some(f) => format!(
            "{}{}%",
            f.qualifier.symbol(),
            if f.value.abs() >= 0.1 || f.value == 0.0 {
                format!("{:.1}", f.value)
            } else {
                crate::figure::significant(f.value, 2)
            }
        ),
        None => "—".into(),
    }
}

/// A figure where text has room (details, prose): in the source's own
/// words, "up to $10bn", as the file wrote it; figures gigawatt derived
/// have no words of their own and are spelled out. Narrow columns and bars
/// use `Figure::compact`, the symbols: "≤$10bn".
pub fn worded(f: &Figure) -> String {
    match f.wording() {
        Some((text, _)) => escape_controls(text).into_owned(),
        None if !f.text.is_empty() => escape_controls(&f.text).into_owned(),
        None => f.spelled(),
    }
}

/// "▲ +5%" / "▼ −2.5%": the arrow and sign say it without colour.
pub fn change_text(f: &Figure) -> String {
    let arrow = if f.value > 0.0 {
        "▲"
    } else if f.value < 0.0 {
        "▼"
    } else {
        "="
    };
    let sign = if f.value > 0.0 { "+" } else { "" };
    let number = crate::figure::number(f.value.abs(), 2);
    let sign = if f.value < 0.0 { "−" } else { sign };
    format!("{arrow} {}{sign}{number}%", f.qualifier.symbol())
}

/// A figure's cell with its dispute mark: `±` says the figure spans what
/// sources say, so the envelope's own `~` would only repeat it.
pub(crate) fn disputed_cell(mark: &str, compact: String) -> String {
    if mark.is_empty() {
        compact
    } else {
        format!("{mark}{}", compact.strip_prefix('~').unwrap_or(&compact))
    }
}

/// A figure whose sources disagree so far that it is bounded neither way
/// ("up to $60bn", "more than $100bn"): the envelope would read "±>$0",
/// so the cell gives each source's figure instead, lowest first.
pub(crate) fn sources_far_apart(
    alternatives: &[crate::data::Disputed],
    field: &str,
    figure: &Figure,
) -> Option<String> {
    if !figure.is_unbounded() {
        return None;
    }
    let disputed = alternatives.iter().find(|d| d.field == field && !d.agree)?;
    let mut options: Vec<&Figure> = disputed.options.iter().map(|(f, _)| f).collect();
    options.sort_by(|a, b| a.interval.low.total_cmp(&b.interval.low));
    let texts: Vec<String> = options.iter().map(|f| f.compact()).collect();
    Some(format!("{DISPUTED}{}", texts.join(" or ")))
}

/// `±` where sources disagree on the field, else nothing.
pub(crate) fn disputed_mark(alternatives: &[crate::data::Disputed], field: &str) -> &'static str {
    if alternatives.iter().any(|d| d.field == field && !d.agree) {
        DISPUTED
    } else {
        ""
    }
}

/// Power in gigawatts, hedge kept, for narrow cells: "10", "≥10", "~1.2".
pub fn gw_text(f: &Figure) -> String {
    let compact = f.compact();
    compact
        .strip_suffix(" GW")
        .map_or(compact.clone(), str::to_string)
}

/// A status for a narrow cell: "letter of intent", three times as long as
/// any other status, is "LOI", as deal reports abbreviate it; the detail
/// and search keep the words.
pub(crate) fn status_text(status: crate::data::Status) -> &'static str {
    match status.as_str() {
        "letter of intent" => "LOI",
        word => word,
    }
}

/// A hedged date for a narrow cell; `HedgedDate` keeps its own precision.
pub(crate) fn date_text<'a>(d: Option<crate::figure::HedgedDate>) -> Cow<'a, str> {
    or_dash(d.map(|d| d.to_string()))
}

/// A money total's cell: "none" for no deal, "undisclosed", the figure with
/// "(n/m)" when some deals give none.
pub(crate) fn money_cell(d: &Derived) -> String {
    match (&d.value, d.covers) {
        (_, Some((0, 0))) => "none".to_string(),
        (ledger::DerivedValue::Undisclosed, _) => "undisclosed".to_string(),
        (_, Some((n, m))) if n < m => format!("{} ({n}/{m})", d.compact()),
        _ => d.compact(),
    }
}

/// The party's name, or its id when no party has it.
pub fn party_name<'a>(dataset: &'a Dataset, id: &'a str) -> &'a str {
    dataset.party(id).map_or(id, |p| p.name.as_str())
}

/// What a party does in the deals in view, in a word each.
pub(crate) fn roles_text(sells: bool, buys: bool, invests: bool) -> &'static str {
    match (buys, sells, invests) {
        (true, true, _) => "buyer·provider",
        (true, false, _) => "buyer",
        (false, true, true) => "provider·investor",
        (false, true, false) => "provider",
        (false, false, true) => "investor",
        (false, false, false) => "—",
    }
}

pub(crate) fn spending(c: &Commitment) -> bool {
    c.kind.is_spending()
}

/// A note's id for finding it again: its own, or its position and headline.
pub fn note_id(i: usize, n: &crate::data::Note) -> String {
    n.id.clone()
        .unwrap_or_else(|| format!("{i}:{}", n.headline))
}
