//! The validated dataset: what the rest of gigawatt reads. Every figure is
//! parsed, every reference resolved, every date a calendar date.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

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
    /// Id lookups, built on first use; not part of the data (equality
    /// ignores it). Build a `Dataset` by hand with `Default::default()` here.
    #[doc(hidden)]
    pub lookup: Lookup,
}

/// Id → position tables for `Dataset::provider` and `Dataset::source`, so
/// that a lookup per row stays cheap at 100k rows. Built lazily and checked
/// on use, so a dataset whose records were changed after a lookup still
/// answers correctly (by a scan, if an entry went stale).
#[derive(Debug, Default)]
pub struct Lookup {
    providers: OnceLock<HashMap<String, usize>>,
    sources: OnceLock<HashMap<String, usize>>,
    /// Notes' subjects, lowercased once for `notes_about`.
    note_subjects: OnceLock<Vec<Lowered>>,
}

/// A string and its lowercase, to tell whether it still belongs to it.
#[derive(Debug)]
struct Lowered {
    original: String,
    lower: String,
}

impl Lowered {
    fn new(s: &str) -> Lowered {
        Lowered {
            original: s.to_string(),
            lower: s.to_lowercase(),
        }
    }
}

/// A copy starts with empty tables: they are rebuilt on its first lookup.
impl Clone for Lookup {
    fn clone(&self) -> Lookup {
        Lookup::default()
    }
}

/// Derived from the data, so never a difference between two datasets.
impl PartialEq for Lookup {
    fn eq(&self, _: &Lookup) -> bool {
        true
    }
}

/// The first position of each id.
fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id.to_string()).or_insert(i);
    }
    map
}

/// The position of `id` in `items` by the table, checked, or else by a scan.
fn find<T>(
    items: &[T],
    table: &OnceLock<HashMap<String, usize>>,
    build: impl FnOnce() -> HashMap<String, usize>,
    id_of: impl Fn(&T) -> &str,
    id: &str,
) -> Option<usize> {
    let table = table.get_or_init(build);
    if let Some(&i) = table.get(id)
        && items.get(i).is_some_and(|item| id_of(item) == id)
    {
        return Some(i);
    }
    items.iter().position(|item| id_of(item) == id)
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
        let build = || positions(self.sources.iter().map(|s| s.id.as_str()));
        find(&self.sources, &self.lookup.sources, build, |s| &s.id, id).map(|i| &self.sources[i])
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.provider_index(id).map(|i| &self.providers[i])
    }

    /// The position of the provider with this id in `providers`.
    pub fn provider_index(&self, id: &str) -> Option<usize> {
        let build = || positions(self.providers.iter().map(|p| p.id.as_str()));
        find(
            &self.providers,
            &self.lookup.providers,
            build,
            |p| &p.id,
            id,
        )
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
        let lowered = self.lookup.note_subjects.get_or_init(|| {
            self.notes
                .iter()
                .map(|n| Lowered::new(&n.subject))
                .collect()
        });
        self.notes.iter().enumerate().filter_map(move |(i, note)| {
            let subject = match lowered.get(i) {
                Some(l) if l.original == note.subject => Cow::Borrowed(l.lower.as_str()),
                _ => Cow::Owned(note.subject.to_lowercase()),
            };
            let about = names.iter().any(|n| {
                (subject.len() >= n.len() && subject.contains(n.as_str()))
                    || (n.len() >= subject.len() && n.contains(&*subject))
            });
            about.then_some(note)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        crate::data::bundled().expect("the bundled dataset loads")
    }

    #[test]
    fn lookups_survive_changes_after_first_use() {
        let mut d = dataset();
        let aws = d.provider("aws").expect("aws").name.clone();
        assert_eq!(d.provider_index("nvidia"), Some(5));
        assert!(d.provider("nobody").is_none());
        // Moved, renamed, added: the tables were built, the answers still right.
        d.providers.swap(0, 5);
        d.providers[1].id = "azure-2".into();
        let mut extra = d.providers[2].clone();
        extra.id = "extra".into();
        d.providers.push(extra);
        assert_eq!(d.provider_index("nvidia"), Some(0));
        assert_eq!(d.provider("aws").map(|p| &p.name), Some(&aws));
        assert!(d.provider("azure").is_none());
        assert_eq!(d.provider_index("azure-2"), Some(1));
        assert_eq!(d.provider_index("extra"), Some(6));
        assert!(d.source("amazon-openai-38bn").is_some());
        // A copy answers alike.
        let copy = d.clone();
        assert_eq!(copy.provider_index("nvidia"), Some(0));
        assert_eq!(copy, d);
    }

    #[test]
    fn notes_about_follow_changed_subjects() {
        let mut d = dataset();
        let aws = d.provider("aws").expect("aws").clone();
        let before = d.notes_about(&aws).count();
        assert!(before > 0);
        for note in &mut d.notes {
            if note.subject.to_lowercase().contains("amazon") {
                note.subject = "Somebody else".into();
            }
        }
        assert_eq!(d.notes_about(&aws).count(), 0);
        d.notes[0].subject = "AMAZON WEB SERVICES".into();
        assert_eq!(d.notes_about(&aws).count(), 1);
    }
}
