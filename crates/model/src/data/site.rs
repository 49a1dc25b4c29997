//! The physical build-out: campuses (`[[sites]]`) with dated timelines of
//! what runs there, and compute clusters as the field's cluster tables list
//! them. A site's timeline holds readings (dates on or before the data's
//! `as_of`) and plans (dates after it); the two are never mixed in a figure.

use chrono::NaiveDate;

use super::ids::Cites;
use super::vocabulary::{Vocabulary, vocabulary};
use crate::figure::{Figure, HedgedDate};

vocabulary!(Confidence {
    Confident => "confident",
    Likely => "likely",
    Speculative => "speculative",
});

vocabulary!(SiteStatus {
    Planned => "planned",
    UnderConstruction => "under construction",
    Operational => "operational",
    Paused => "paused",
    Cancelled => "cancelled",
});

/// A party that uses a site, or owns a cluster, and how sure the source is.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteUser {
    /// Party id, known to exist.
    pub party: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// Party id, known to exist.
    pub owner: Option<String>,
    pub owner_confidence: Option<Confidence>,
    pub users: Vec<SiteUser>,
    pub project: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    /// Latitude and longitude, in degrees.
    pub coordinates: Option<(f64, f64)>,
    /// The planned full size.
    pub power: Option<Figure>,
    pub status: Option<SiteStatus>,
    pub summary: Option<String>,
    /// The hub's own current figures, exactly as its table gave them
    /// (their meaning has varied between its downloads): power, H100
    /// equivalents, capital cost. `None` for a site written by hand.
    pub current: Option<HubCurrent>,
    pub cites: Cites,
    /// In date order, as written.
    pub timeline: Vec<SiteEntry>,
    pub file: usize,
}

/// A site hub's "current" columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HubCurrent {
    pub power: Option<Figure>,
    pub h100e: Option<Figure>,
    pub capex: Option<Figure>,
}

/// One dated state of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteEntry {
    pub date: HedgedDate,
    /// Facility power.
    pub power: Option<Figure>,
    pub it_power: Option<Figure>,
    pub h100e: Option<Figure>,
    pub buildings: Option<i64>,
    pub capex: Option<Figure>,
    /// In the file's words, short.
    pub status: Option<String>,
    pub cites: Cites,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: String,
    pub name: String,
    /// As the table words it: "Existing", "Planned", "Decommissioned".
    pub status: Option<String>,
    /// As the table words it: "Confirmed", "Likely", "Unlikely".
    pub certainty: Option<String>,
    /// Party ids, known to exist.
    pub owners: Vec<String>,
    pub users: Vec<String>,
    pub country: Option<String>,
    pub h100e: Option<Figure>,
    pub power: Option<Figure>,
    pub chips: Option<String>,
    pub first_operational: Option<HedgedDate>,
    pub cites: Cites,
    pub file: usize,
}

impl Site {
    /// The latest timeline entry dated on or before `day` (placed at its
    /// date's anchor, the earliest day it may be).
    pub fn entry_at(&self, day: NaiveDate) -> Option<&SiteEntry> {
        self.entry_where(day, |_| true)
    }

    /// The latest entry on or before `day` that gives facility power.
    pub fn power_entry_at(&self, day: NaiveDate) -> Option<&SiteEntry> {
        self.entry_where(day, |e| e.power.is_some())
    }

    fn entry_where(&self, day: NaiveDate, keep: impl Fn(&SiteEntry) -> bool) -> Option<&SiteEntry> {
        self.timeline
            .iter()
            .filter(|e| e.date.anchor().is_some_and(|d| d <= day) && keep(e))
            .max_by_key(|e| e.date.anchor())
    }

    /// The timeline entry that says what runs on `day`: the latest on or
    /// before it that gives facility power, or, when none does, the latest
    /// on or before it (whose IT power may still be known). Later entries
    /// are plans, never mixed into what runs.
    pub fn now(&self, day: NaiveDate) -> Option<&SiteEntry> {
        self.power_entry_at(day).or_else(|| self.entry_at(day))
    }

    /// The confidence with which `party` uses the site, owning counting as
    /// confident.
    pub fn use_by(&self, party: &str) -> Option<Confidence> {
        if self.owner.as_deref() == Some(party) {
            return Some(self.owner_confidence.unwrap_or(Confidence::Confident));
        }
        self.users
            .iter()
            .filter(|u| u.party == party)
            .map(|u| u.confidence)
            .min()
    }
}

impl Confidence {
    /// One glyph each, told apart without colour.
    pub fn glyph(self) -> char {
        match self {
            Confidence::Confident => '●',
            Confidence::Likely => '◐',
            Confidence::Speculative => '○',
        }
    }

    /// `#confident`, the hub's tag.
    pub fn from_tag(tag: &str) -> Option<Confidence> {
        Confidence::from_word(
            tag.trim()
                .trim_start_matches('#')
                .to_ascii_lowercase()
                .as_str(),
        )
    }
}
