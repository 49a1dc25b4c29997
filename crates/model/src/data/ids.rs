//! The atoms records are made of: the shared ids they name each other by,
//! and the citations that say where each came from.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

pub use compact_str::CompactString;

/// An id one record names another by (a deal's buyer and provider, a
/// citation's source), shared: the loader makes one per distinct id
/// (`Interner`), so 100k deals naming the same few parties hold a pointer
/// each, not a copy. Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(Arc<str>);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Default for Id {
    fn default() -> Id {
        Id::from("")
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id(Arc::from(s))
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        Id(Arc::from(s))
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id::from(s.as_str())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0.to_string()
    }
}

macro_rules! id_eq {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Id {
            fn eq(&self, other: &$other) -> bool {
                *self.0 == **other
            }
        }
        impl PartialEq<Id> for $other {
            fn eq(&self, other: &Id) -> bool {
                **self == *other.0
            }
        }
    )*};
}

id_eq!(String, &str);

/// (`CompactString == Id` comes with `compact_str`: any `AsRef<str>`.)
impl PartialEq<CompactString> for Id {
    fn eq(&self, other: &CompactString) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        *self == *other.0
    }
}

/// The ids made so far, one `Id` each: what the loader hands out. Every
/// reference of every record is looked up here (a format 2 deal names a
/// buyer, a provider and a source for each citation and alternative), so
/// the set hashes with foldhash rather than SipHash.
#[derive(Debug, Default)]
pub struct Interner(foldhash::HashSet<Id>);

impl Interner {
    /// The `Id` for `s`, made on its first use.
    pub fn id(&mut self, s: &str) -> Id {
        match self.0.get(s) {
            Some(id) => id.clone(),
            None => {
                let id = Id::from(s);
                self.0.insert(id.clone());
                id
            }
        }
    }
}

/// Where a record came from: a source id and a locator inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cite {
    pub source: Option<Id>,
    /// "para 5", "p. 12": short, so held inline.
    pub at: Option<CompactString>,
}

/// A deal's citations. Nearly every deal has one, which is held inline
/// (a `Vec` would cost a heap block per deal); more go to the heap. Reads
/// as a slice of `Cite`s.
#[derive(Clone, Default, PartialEq)]
pub struct Cites(CitesRepr);

#[derive(Clone, Default, PartialEq)]
enum CitesRepr {
    #[default]
    None,
    One(Cite),
    Many(Box<[Cite]>),
}

impl Deref for Cites {
    type Target = [Cite];
    fn deref(&self) -> &[Cite] {
        match &self.0 {
            CitesRepr::None => &[],
            CitesRepr::One(cite) => std::slice::from_ref(cite),
            CitesRepr::Many(cites) => cites,
        }
    }
}

impl fmt::Debug for Cites {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<Cite>> for Cites {
    fn from(mut cites: Vec<Cite>) -> Cites {
        Cites(match cites.len() {
            0 => CitesRepr::None,
            1 => CitesRepr::One(cites.remove(0)),
            _ => CitesRepr::Many(cites.into_boxed_slice()),
        })
    }
}

impl FromIterator<Cite> for Cites {
    fn from_iter<I: IntoIterator<Item = Cite>>(iter: I) -> Cites {
        Cites::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Cites {
    type Item = &'a Cite;
    type IntoIter = std::slice::Iter<'a, Cite>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq<Vec<Cite>> for Cites {
    fn eq(&self, other: &Vec<Cite>) -> bool {
        **self == **other
    }
}
