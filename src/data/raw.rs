//! The file as serde reads it: format 1 of the data contract, unknown keys
//! denied. Fields keep their spans so that validation can point at them, and
//! required fields are `Option` here so that validation reports every missing
//! one at once instead of serde stopping at the first.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

pub type Text = Option<Spanned<String>>;
pub type Date = Option<Spanned<Datetime>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub format: Option<Spanned<i64>>,
    pub dataset: Option<Spanned<Dataset>>,
    #[serde(default)]
    pub sources: Vec<Spanned<Source>>,
    #[serde(default)]
    pub providers: Vec<Spanned<Provider>>,
    #[serde(default)]
    pub commitments: Vec<Spanned<Commitment>>,
    pub capacity: Option<Spanned<Capacity>>,
    #[serde(default)]
    pub notes: Vec<Spanned<Note>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub title: Text,
    pub subject: Text,
    pub as_of: Date,
    pub summary: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Text,
    pub title: Text,
    pub publisher: Text,
    pub published: Date,
    pub url: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: Text,
    pub name: Text,
    pub parent: Text,
    pub kind: Text,
    #[serde(default)]
    pub hardware: Vec<Spanned<String>>,
    pub summary: Text,
    pub source: Text,
    pub at: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub id: Text,
    pub provider: Text,
    pub value: Text,
    pub term: Text,
    pub announced: Date,
    pub status: Text,
    pub online_by: Date,
    pub summary: Text,
    pub source: Text,
    pub at: Text,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub target: Text,
    pub target_cost: Text,
    pub build_rate: Text,
    pub cost_per_gw: Text,
    pub homes_equivalent: Text,
    pub summary: Text,
    pub source: Text,
    pub at: Text,
    #[serde(default)]
    pub milestones: Vec<Spanned<Milestone>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub date: Date,
    pub label: Text,
    pub provider: Text,
    pub source: Text,
    pub at: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub date: Date,
    pub subject: Text,
    pub kind: Text,
    pub headline: Text,
    pub change: Text,
    pub amount: Text,
    pub speaker: Text,
    pub body: Text,
    pub source: Text,
    pub at: Text,
}
