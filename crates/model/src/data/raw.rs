//! The file as the TOML reader gives it: tables of spanned values, read by
//! hand rather than through serde, so that an unknown key or a value of the
//! wrong type is one more problem among the others instead of the end of the
//! check. This module knows which keys each record may have in each format.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with its span in the text.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// A record: its table and the span of its header and keys.
#[derive(Clone)]
pub struct Rec<'r, 'i> {
    pub table: &'r DeTable<'i>,
    pub span: Range<usize>,
    /// The table's keys and values side by side, as far as `ENTRIES` of
    /// them: a record is asked for each key it may have, most of which it
    /// has not, and a scan of an array costs less than a walk of the map.
    keys: [&'r str; ENTRIES],
    values: [Option<&'r Value<'i>>; ENTRIES],
    /// How many entries the table has (more than `ENTRIES`: `get` walks
    /// the map).
    len: usize,
}

/// More keys than any record may have.
const ENTRIES: usize = 24;

impl<'r, 'i> Rec<'r, 'i> {
    #[inline]
    pub fn new(table: &'r DeTable<'i>, span: Range<usize>) -> Rec<'r, 'i> {
        let mut keys = [""; ENTRIES];
        let mut values = [None; ENTRIES];
        for (i, (k, v)) in table.iter().take(ENTRIES).enumerate() {
            keys[i] = k.get_ref().as_ref();
            values[i] = Some(v);
        }
        Rec {
            table,
            span,
            keys,
            values,
            len: table.len(),
        }
    }

    /// The table's keys, in its order, when they fit the array (`None`
    /// past `ENTRIES`).
    #[inline]
    pub fn key_names(&self) -> Option<&[&'r str]> {
        self.keys.get(..self.len)
    }

    /// The value at `key`. A record has a handful of keys: a scan that
    /// compares lengths first costs less than the map's ordered search,
    /// which compares bytes at every step (a fifth of a 100k load).
    #[inline(always)]
    pub fn get(&self, key: &str) -> Option<&'r Value<'i>> {
        if self.len > ENTRIES {
            return self
                .table
                .iter()
                .find(|(k, _)| same(k.get_ref(), key))
                .map(|(_, v)| v);
        }
        let n = self.len;
        (0..n)
            .find(|&i| same(self.keys[i], key))
            .and_then(|i| self.values[i])
    }
}

/// String equality for short keys, inline: lengths first, then bytes.
#[inline]
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The keys a record may have: format 1's, and those format 2 adds. Format
/// 1's are listed in the order format 1's messages have always named them.
pub struct Keys {
    pub format1: &'static [&'static str],
    pub format2: &'static [&'static str],
}

pub const ROOT: Keys = Keys {
    format1: &[
        "format",
        "dataset",
        "sources",
        "providers",
        "commitments",
        "capacity",
        "notes",
    ],
    format2: &["parties", "sites", "clusters"],
};

pub const DATASET: Keys = Keys {
    format1: &["title", "subject", "as_of", "summary"],
    format2: &[],
};

pub const SOURCE: Keys = Keys {
    format1: &["id", "title", "publisher", "published", "url"],
    format2: &["accessed", "kind"],
};

pub const PARTY: Keys = Keys {
    format1: &[
        "id", "name", "parent", "kind", "hardware", "summary", "source", "at",
    ],
    format2: &["sources", "aliases", "imported"],
};

pub const COMMITMENT: Keys = Keys {
    format1: &[
        "id",
        "provider",
        "value",
        "term",
        "announced",
        "status",
        "online_by",
        "summary",
        "source",
        "at",
    ],
    format2: &[
        "buyer",
        "kind",
        "power",
        "units",
        "hardware",
        "starts",
        "supersedes",
        "sources",
        "power_layer",
        "tranches",
        "sites",
    ],
};

/// One of a deal's `[[commitments.tranches]]`.
pub const TRANCHE: Keys = Keys {
    format1: &[],
    format2: &[
        "value",
        "power",
        "due",
        "condition",
        "summary",
        "source",
        "at",
        "sources",
    ],
};

pub const CAPACITY: Keys = Keys {
    format1: &[
        "target",
        "target_cost",
        "build_rate",
        "cost_per_gw",
        "homes_equivalent",
        "summary",
        "source",
        "at",
        "milestones",
    ],
    format2: &["buyer", "by", "sources"],
};

pub const MILESTONE: Keys = Keys {
    format1: &["date", "label", "provider", "source", "at"],
    format2: &["id", "commitment", "sources"],
};

pub const NOTE: Keys = Keys {
    format1: &[
        "date", "subject", "kind", "headline", "change", "amount", "speaker", "body", "source",
        "at",
    ],
    format2: &[
        "id",
        "sources",
        "commitment",
        "status",
        "power",
        "scope",
        "projected",
    ],
};

pub const SITE: Keys = Keys {
    format1: &[],
    format2: &[
        "id",
        "name",
        "owner",
        "owner_confidence",
        "users",
        "project",
        "country",
        "region",
        "latitude",
        "longitude",
        "power",
        "status",
        "summary",
        "current_power",
        "current_h100e",
        "current_capex",
        "source",
        "at",
        "sources",
        "timeline",
    ],
};

/// One of a site's `[[sites.timeline]]` entries.
pub const SITE_ENTRY: Keys = Keys {
    format1: &[],
    format2: &[
        "date",
        "power",
        "it_power",
        "h100e",
        "buildings",
        "capex",
        "status",
        "source",
        "at",
        "sources",
    ],
};

/// One of a site's `users = [{ party, confidence }]`.
pub const SITE_USER: Keys = Keys {
    format1: &[],
    format2: &["party", "confidence"],
};

pub const CLUSTER: Keys = Keys {
    format1: &[],
    format2: &[
        "id",
        "name",
        "status",
        "certainty",
        "owners",
        "users",
        "country",
        "h100e",
        "power",
        "chips",
        "first_operational",
        "source",
        "at",
        "sources",
    ],
};

/// One of `sources = [{ source, at }]`.
pub const CITE: Keys = Keys {
    format1: &[],
    format2: &["source", "at"],
};

/// One of a figure's attributed alternatives.
pub const ALTERNATIVE: Keys = Keys {
    format1: &[],
    format2: &["figure", "source", "at"],
};

/// "integer 5", "string \"x\"", "a table": what a value is, for messages.
pub fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("string {:?}", s.as_ref()),
        DeValue::Integer(i) if i.radix() == 10 => format!("integer {}", i.as_str()),
        DeValue::Integer(_) => "an integer".to_string(),
        DeValue::Float(f) => format!("float {}", f.as_str()),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("datetime {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}
