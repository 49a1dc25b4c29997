//! The validated dataset: what the rest of gigawatt reads. Every figure is
//! parsed, every reference resolved, every date a calendar date.

use chrono::NaiveDate;

use crate::figure::Figure;

/// Where a record came from: a source id and a locator inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cite {
    pub source: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub title: String,
    pub subject: String,
    pub as_of: NaiveDate,
    pub summary: Option<String>,
    pub sources: Vec<Source>,
    pub providers: Vec<Provider>,
    pub commitments: Vec<Commitment>,
    pub capacity: Option<Capacity>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<NaiveDate>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub kind: ProviderKind,
    pub hardware: Vec<String>,
    pub summary: Option<String>,
    pub cite: Cite,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    pub id: String,
    /// Provider id, known to exist.
    pub provider: String,
    /// `None` means undisclosed, never zero.
    pub value: Option<Figure>,
    pub term: Option<Figure>,
    pub announced: Option<NaiveDate>,
    pub status: Status,
    pub online_by: Option<NaiveDate>,
    pub summary: Option<String>,
    pub cite: Cite,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capacity {
    pub target: Option<Figure>,
    pub target_cost: Option<Figure>,
    pub build_rate: Option<Figure>,
    pub cost_per_gw: Option<Figure>,
    pub homes_equivalent: Option<Figure>,
    pub summary: Option<String>,
    pub cite: Cite,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub date: NaiveDate,
    pub label: String,
    pub provider: Option<String>,
    pub cite: Cite,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub date: Option<NaiveDate>,
    pub subject: String,
    pub kind: NoteKind,
    pub headline: String,
    pub change: Option<Figure>,
    pub amount: Option<Figure>,
    pub speaker: Option<String>,
    pub body: Option<String>,
    pub cite: Cite,
}

/// A closed set of words a field may take, with their file spelling.
pub trait Vocabulary: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == word)
    }
    fn expected() -> String {
        Self::ALL
            .iter()
            .map(|v| format!("\"{}\"", v.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocabulary {
    ($name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }
        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }
    };
}

vocabulary!(ProviderKind {
    Hyperscaler => "hyperscaler",
    Cloud => "cloud",
    Neocloud => "neocloud",
    Chipmaker => "chipmaker",
    Other => "other",
});

vocabulary!(Status {
    Signed => "signed",
    Agreed => "agreed",
    Reported => "reported",
    Ongoing => "ongoing",
    Option => "option",
});

vocabulary!(NoteKind {
    Stock => "stock",
    Valuation => "valuation",
    Finance => "finance",
    Analyst => "analyst",
    Statement => "statement",
    Context => "context",
});

impl Dataset {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// "Title, Publisher, 2025-11-03, para 5" for a citation.
    pub fn cite_text(&self, cite: &Cite) -> Option<String> {
        let id = cite.source.as_deref()?;
        let mut parts = vec![];
        match self.source(id) {
            Some(source) => {
                parts.push(source.title.clone());
                parts.extend(source.publisher.clone());
                parts.extend(source.published.map(|d| d.to_string()));
            }
            None => parts.push(id.to_string()),
        }
        parts.extend(cite.at.clone());
        Some(parts.join(", "))
    }

    /// Notes whose subject names the provider, its parent or its id.
    pub fn notes_about<'a>(&'a self, provider: &'a Provider) -> impl Iterator<Item = &'a Note> {
        let names: Vec<String> = [Some(&provider.name), provider.parent.as_ref()]
            .into_iter()
            .flatten()
            .map(|n| n.to_lowercase())
            .collect();
        self.notes.iter().filter(move |note| {
            let subject = note.subject.to_lowercase();
            names
                .iter()
                .any(|n| subject.contains(n.as_str()) || n.contains(subject.as_str()))
        })
    }
}
