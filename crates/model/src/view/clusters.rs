//! The Clusters table: one row per compute cluster of a cluster table (Epoch
//! AI's GPU Clusters), as the table words its status and certainty.
//!
//! A column is one variant of the enum below and one arm in each of its
//! matches, so the compiler holds them together. Power is in megawatts,
//! as the title says.

use std::borrow::Cow;

use crate::data::{Cluster, Dataset};
use crate::figure::Figure;
use crate::text::escape_controls;

use super::cells::*;
use super::columns::{Column, col};
use super::data::ViewData;
use super::sites::mw_text;
use super::sort::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterColumn {
    Name,
    Owners,
    Users,
    Country,
    Status,
    Certainty,
    H100e,
    Power,
    Chips,
    FirstOperational,
}

impl ClusterColumn {
    /// In the order the table shows them.
    pub const ALL: [ClusterColumn; 10] = [
        ClusterColumn::Name,
        ClusterColumn::Owners,
        ClusterColumn::Users,
        ClusterColumn::Country,
        ClusterColumn::Status,
        ClusterColumn::Certainty,
        ClusterColumn::H100e,
        ClusterColumn::Power,
        ClusterColumn::Chips,
        ClusterColumn::FirstOperational,
    ];

    /// Title, preferred width, how soon it goes on narrow screens (0
    /// never, higher first), and whether it is right-aligned.
    pub const fn spec(self) -> Column {
        match self {
            Self::Name => col("Cluster", 24, 0, false),
            Self::Owners => col("Owners", 14, 2, false),
            Self::Users => col("Users", 12, 5, false),
            Self::Country => col("Country", 10, 4, false),
            Self::Status => col("Status", 8, 1, false),
            Self::Certainty => col("Certainty", 9, 3, false),
            Self::H100e => col("H100e", 8, 0, true),
            Self::Power => col("Power MW", 8, 1, true),
            Self::Chips => col("Chips", 14, 6, false),
            Self::FirstOperational => col("First on", 10, 2, false),
        }
    }

    /// The cell of row `i`, as the table shows it, control characters
    /// escaped.
    pub fn cell(self, view: &ViewData, i: usize) -> Cow<'_, str> {
        let ds = &view.dataset;
        let c = &ds.clusters[i];
        let text = |t: &Option<String>| match t {
            Some(t) => escape_controls(t).into_owned(),
            None => "—".to_string(),
        };
        Cow::Owned(match self {
            Self::Name => escape_controls(&c.name).into_owned(),
            Self::Owners => names(ds, &c.owners),
            Self::Users => names(ds, &c.users),
            Self::Country => text(&c.country),
            Self::Status => text(&c.status),
            Self::Certainty => text(&c.certainty),
            Self::H100e => c.h100e.as_ref().map_or("—".into(), Figure::compact),
            Self::Power => c.power.as_ref().map_or("—".into(), mw_text),
            Self::Chips => text(&c.chips),
            Self::FirstOperational => c.first_operational.map_or("—".into(), |d| d.to_string()),
        })
    }

    /// The sort key of each row in this column, as a function of the row.
    pub fn key<'a>(self, view: &'a ViewData) -> Box<dyn Fn(usize) -> SortKey + 'a> {
        let ds = &view.dataset;
        let ranked = |ranks: Vec<u32>| -> Box<dyn Fn(usize) -> SortKey + 'a> {
            Box::new(move |i| rank_key(ranks[i]))
        };
        let texts = |field: fn(&Cluster) -> Option<&str>| text_ranks(ds.clusters.iter().map(field));
        match self {
            Self::Name => ranked(texts(|c| Some(c.name.as_str()))),
            Self::Owners => ranked(text_ranks(
                ds.clusters
                    .iter()
                    .map(|c| c.owners.first().map(|o| party_name(ds, o))),
            )),
            Self::Users => ranked(text_ranks(
                ds.clusters
                    .iter()
                    .map(|c| c.users.first().map(|u| party_name(ds, u))),
            )),
            Self::Country => ranked(texts(|c| c.country.as_deref())),
            Self::Status => ranked(texts(|c| c.status.as_deref())),
            Self::Certainty => ranked(texts(|c| c.certainty.as_deref())),
            Self::H100e => Box::new(|i| figure_key(ds.clusters[i].h100e.as_ref())),
            Self::Power => Box::new(|i| figure_key(ds.clusters[i].power.as_ref())),
            Self::Chips => ranked(texts(|c| c.chips.as_deref())),
            Self::FirstOperational => {
                Box::new(|i| hedged_date_key(ds.clusters[i].first_operational))
            }
        }
    }
}

/// Parties by name, or "—" for none.
fn names(ds: &Dataset, ids: &[String]) -> String {
    if ids.is_empty() {
        return "—".to_string();
    }
    ids.iter()
        .map(|id| escape_controls(party_name(ds, id)).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What search looks in for a cluster: its name and id, its owners' and
/// users' names, place, status, certainty and chips.
pub(crate) fn cluster_fields<'d>(ds: &'d Dataset, c: &'d Cluster) -> Vec<&'d str> {
    let mut fields = vec![c.name.as_str(), c.id.as_str()];
    fields.extend(c.owners.iter().chain(&c.users).map(|p| party_name(ds, p)));
    fields.extend(
        [&c.country, &c.status, &c.certainty, &c.chips]
            .into_iter()
            .filter_map(|f| f.as_deref()),
    );
    fields
}

const SPECS: [Column; 10] = {
    let mut out = [col("", 0, 0, false); 10];
    let mut i = 0;
    while i < out.len() {
        out[i] = ClusterColumn::ALL[i].spec();
        i += 1;
    }
    out
};

pub const CLUSTER_COLUMNS: &[Column] = &SPECS;
