//! The Sites table: one row per campus, what runs there on the data's date
//! beside the size it is planned to reach.
//!
//! A column is one variant of the enum below and one arm in each of its
//! matches (title and width, cell, sort key), so the compiler holds them
//! together. Power columns are in megawatts, the unit the field reports
//! campuses in, and say so in their titles.

use std::borrow::Cow;

use crate::data::{Dataset, Site, SiteEntry, Vocabulary};
use crate::figure::{Figure, Qualifier};
use crate::text::escape_controls;

use super::cells::*;
use super::columns::{Column, col};
use super::data::ViewData;
use super::sort::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteColumn {
    Name,
    Owner,
    Users,
    Country,
    Running,
    Planned,
    H100e,
    Capex,
    Status,
    Reading,
}

impl SiteColumn {
    /// In the order the table shows them.
    pub const ALL: [SiteColumn; 10] = [
        SiteColumn::Name,
        SiteColumn::Owner,
        SiteColumn::Users,
        SiteColumn::Country,
        SiteColumn::Running,
        SiteColumn::Planned,
        SiteColumn::H100e,
        SiteColumn::Capex,
        SiteColumn::Status,
        SiteColumn::Reading,
    ];

    /// Title, preferred width, how soon it goes on narrow screens (0
    /// never, higher first), and whether it is right-aligned.
    pub const fn spec(self) -> Column {
        match self {
            Self::Name => col("Site", 20, 0, false),
            Self::Owner => col("Owner", 12, 4, false),
            Self::Users => col("Users", 16, 5, false),
            Self::Country => col("Country", 9, 6, false),
            Self::Running => col("Running MW", 10, 0, true),
            Self::Planned => col("Planned MW", 10, 1, true),
            Self::H100e => col("H100e", 7, 4, true),
            Self::Capex => col("Capex", 7, 4, true),
            Self::Status => col("Status", 18, 3, false),
            Self::Reading => col("Reading of", 10, 2, false),
        }
    }

    /// The cell of row `i`, as the table shows it, control characters
    /// escaped.
    pub fn cell(self, view: &ViewData, i: usize) -> Cow<'_, str> {
        let ds = &view.dataset;
        let s = &ds.sites[i];
        let now = s.now(ds.as_of);
        match self {
            Self::Name => escape_controls(&s.name),
            Self::Owner => match &s.owner {
                Some(owner) => escape_controls(party_name(ds, owner)),
                None => Cow::Borrowed("—"),
            },
            Self::Users => Cow::Owned(users_text(ds, s)),
            Self::Country => match &s.country {
                Some(country) => escape_controls(country),
                None => Cow::Borrowed("—"),
            },
            Self::Running => Cow::Owned(
                now.and_then(|e| e.power.as_ref())
                    .map_or("—".into(), mw_text),
            ),
            Self::Planned => Cow::Owned(s.power.as_ref().map_or("—".into(), mw_text)),
            Self::H100e => Cow::Owned(h100e(s, now).map_or("—".into(), Figure::compact)),
            Self::Capex => Cow::Owned(capex(s, now).map_or("—".into(), Figure::compact)),
            Self::Status => Cow::Borrowed(s.status.map_or("—", |st| st.as_str())),
            Self::Reading => or_dash(now.map(|e| e.date.to_string())),
        }
    }

    /// The sort key of each row in this column, as a function of the row.
    pub fn key<'a>(self, view: &'a ViewData) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let ds = &view.dataset;
        let ranked = |ranks: Vec<u32>| -> Box<dyn Fn(usize) -> SortKey + 'a> {
            Box::new(move |i| rank_key(ranks[i]))
        };
        let now = move |i: usize| ds.sites[i].now(ds.as_of);
        match self {
            Self::Name => ranked(text_ranks(ds.sites.iter().map(|s| Some(s.name.as_str())))),
            Self::Owner => ranked(text_ranks(
                ds.sites
                    .iter()
                    .map(|s| s.owner.as_deref().map(|o| party_name(ds, o))),
            )),
            Self::Users => {
                ranked(text_ranks(ds.sites.iter().map(|s| {
                    s.users.first().map(|u| party_name(ds, u.party.as_str()))
                })))
            }
            Self::Country => ranked(text_ranks(ds.sites.iter().map(|s| s.country.as_deref()))),
            Self::Running => Box::new(move |i| figure_key(now(i).and_then(|e| e.power.as_ref()))),
            Self::Planned => Box::new(|i| figure_key(ds.sites[i].power.as_ref())),
            Self::H100e => Box::new(move |i| figure_key(h100e(&ds.sites[i], now(i)))),
            Self::Capex => Box::new(move |i| figure_key(capex(&ds.sites[i], now(i)))),
            Self::Status => Box::new(|i| match ds.sites[i].status {
                Some(status) => SortKey::Text(word_rank(status)),
                None => SortKey::Missing,
            }),
            Self::Reading => Box::new(move |i| hedged_date_key(now(i).map(|e| e.date))),
        }
    }
}

/// Every user with the glyph of its confidence (● confident, ◐ likely,
/// ○ speculative), told apart without colour.
pub fn users_text(dataset: &Dataset, site: &Site) -> String {
    if site.users.is_empty() {
        return "—".to_string();
    }
    site.users
        .iter()
        .map(|u| {
            format!(
                "{}{}",
                u.confidence.glyph(),
                escape_controls(party_name(dataset, &u.party))
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// H100 equivalents running: the reading's, else the hub's own current
/// figure.
fn h100e<'s>(site: &'s Site, now: Option<&'s SiteEntry>) -> Option<&'s Figure> {
    now.and_then(|e| e.h100e.as_ref())
        .or_else(|| site.current.as_ref()?.h100e.as_ref())
}

/// Capital cost so far: the reading's, else the hub's own current figure.
fn capex<'s>(site: &'s Site, now: Option<&'s SiteEntry>) -> Option<&'s Figure> {
    now.and_then(|e| e.capex.as_ref())
        .or_else(|| site.current.as_ref()?.capex.as_ref())
}

/// Power in megawatts for a column titled in MW, hedge kept: "295",
/// "~1,200" is "~1200", "≥300", "100–200".
pub fn mw_text(f: &Figure) -> String {
    let approx = if f.approx && f.qualifier != Qualifier::Approx {
        "~"
    } else {
        ""
    };
    let mw = |watts: f64| {
        let mw = watts / 1e6;
        if mw >= 100.0 || mw.fract() == 0.0 {
            format!("{mw:.0}")
        } else {
            format!("{mw:.1}")
        }
    };
    match f.qualifier {
        Qualifier::Range => format!("{approx}{}–{}", mw(f.interval.low), mw(f.interval.high)),
        q => format!("{approx}{}{}", q.symbol(), mw(f.value)),
    }
}

const SPECS: [Column; 10] = {
    let mut out = [col("", 0, 0, false); 10];
    let mut i = 0;
    while i < out.len() {
        out[i] = SiteColumn::ALL[i].spec();
        i += 1;
    }
    out
};

pub const SITE_COLUMNS: &[Column] = &SPECS;
