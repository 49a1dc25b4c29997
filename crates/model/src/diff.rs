//! `gigawatt diff OLD NEW`: what changed between two loads of a ledger,
//! record by record: records added, records removed, and for a record in
//! both, each field whose text changed, old → new. Figures and dates are
//! compared as written, so a changed hedge ("$10bn" → "up to $12bn") is a
//! change even where the number is not.

use crate::data::{
    Capacity, Cite, Cluster, Commitment, Dataset, Note, Party, Site, SiteEntry, Source, Vocabulary,
};
use crate::figure::{Figure, HedgedDate};

/// One record's change.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordChange {
    /// "parties", "commitments", "capacity", "notes", "sources".
    pub section: &'static str,
    pub id: String,
    pub kind: ChangeKind,
    /// For a changed record: (field, old, new); "" where a field is absent.
    pub fields: Vec<(&'static str, String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn word(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }

    fn mark(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        }
    }
}

type Fields = Vec<(&'static str, String)>;

fn figure(f: Option<&Figure>) -> String {
    f.map_or(String::new(), |f| {
        if f.text.is_empty() {
            f.compact()
        } else {
            f.text.to_string()
        }
    })
}

fn date(d: &Option<HedgedDate>) -> String {
    d.map_or(String::new(), |d| d.to_string())
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn cites(cites: &[Cite]) -> String {
    cites
        .iter()
        .map(|c| {
            let source = c.source.as_deref().unwrap_or("");
            match &c.at {
                Some(at) => format!("{source} ({at})"),
                None => source.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn party_fields(p: &Party) -> Fields {
    vec![
        ("name", p.name.clone()),
        ("parent", text(&p.parent)),
        ("kind", p.kind.as_str().to_string()),
        ("hardware", p.hardware.join(", ")),
        ("summary", text(&p.summary)),
        ("sources", cites(&p.cites)),
    ]
}

fn commitment_fields(c: &Commitment) -> Fields {
    vec![
        ("buyer", c.buyer.to_string()),
        ("provider", c.provider.to_string()),
        ("kind", c.kind.as_str().to_string()),
        ("value", figure(c.value.as_ref())),
        ("term", figure(c.term.as_ref())),
        ("power", figure(c.power())),
        ("units", figure(c.units())),
        ("hardware", c.hardware().join(", ")),
        ("starts", date(&c.starts())),
        ("announced", date(&c.announced)),
        ("status", c.status.as_str().to_string()),
        ("online_by", date(&c.online_by)),
        ("supersedes", c.supersedes().join(", ")),
        ("summary", text(&c.summary.as_deref().map(str::to_string))),
        ("sources", cites(&c.cites)),
    ]
}

fn capacity_fields(c: &Capacity) -> Fields {
    vec![
        ("target", figure(c.target.as_ref())),
        ("target_cost", figure(c.target_cost.as_ref())),
        ("build_rate", figure(c.build_rate.as_ref())),
        ("cost_per_gw", figure(c.cost_per_gw.as_ref())),
        ("by", date(&c.by)),
        ("milestones", c.milestones.len().to_string()),
        ("summary", text(&c.summary)),
    ]
}

fn note_fields(n: &Note) -> Fields {
    vec![
        ("date", date(&n.date)),
        ("subject", n.subject.clone()),
        ("kind", n.kind.as_str().to_string()),
        ("headline", n.headline.clone()),
        ("change", figure(n.change.as_ref())),
        ("amount", figure(n.amount.as_ref())),
        ("speaker", text(&n.speaker)),
        ("body", text(&n.body)),
        ("sources", cites(&n.cites)),
    ]
}

fn source_fields(s: &Source) -> Fields {
    vec![
        ("title", s.title.clone()),
        ("publisher", text(&s.publisher)),
        ("published", date(&s.published)),
        ("url", text(&s.url)),
    ]
}

fn site_fields(s: &Site) -> Fields {
    let users: Vec<String> = s
        .users
        .iter()
        .map(|u| format!("{} ({})", u.party, u.confidence.as_str()))
        .collect();
    let current = s.current.clone().unwrap_or_default();
    vec![
        ("name", s.name.clone()),
        ("owner", text(&s.owner)),
        ("users", users.join(", ")),
        ("project", text(&s.project)),
        ("country", text(&s.country)),
        ("region", text(&s.region)),
        (
            "coordinates",
            s.coordinates
                .map_or(String::new(), |(lat, lon)| format!("{lat}, {lon}")),
        ),
        ("power", figure(s.power.as_ref())),
        (
            "status",
            s.status.map_or(String::new(), |st| st.as_str().to_string()),
        ),
        ("current_power", figure(current.power.as_ref())),
        ("current_h100e", figure(current.h100e.as_ref())),
        ("current_capex", figure(current.capex.as_ref())),
        ("sources", cites(&s.cites)),
    ]
}

fn entry_fields(e: &SiteEntry) -> Fields {
    vec![
        ("power", figure(e.power.as_ref())),
        ("it_power", figure(e.it_power.as_ref())),
        ("h100e", figure(e.h100e.as_ref())),
        (
            "buildings",
            e.buildings.map_or(String::new(), |b| b.to_string()),
        ),
        ("capex", figure(e.capex.as_ref())),
        ("status", text(&e.status)),
        ("sources", cites(&e.cites)),
    ]
}

fn cluster_fields(c: &Cluster) -> Fields {
    vec![
        ("name", c.name.clone()),
        ("status", text(&c.status)),
        ("certainty", text(&c.certainty)),
        ("owners", c.owners.join(", ")),
        ("users", c.users.join(", ")),
        ("country", text(&c.country)),
        ("h100e", figure(c.h100e.as_ref())),
        ("power", figure(c.power.as_ref())),
        ("chips", text(&c.chips)),
        ("first_operational", date(&c.first_operational)),
        ("sources", cites(&c.cites)),
    ]
}

/// Sites and clusters are matched by name, not id, as an id follows
/// whichever column keyed the download. A site's timeline entries are
/// records of their own, named by the site's
/// name and the entry's date ("Stargate Abilene, 2025-09-26"): a hub's
/// downloads key their sites by handle in some versions and by name in
/// others, and date them in two ways, which this name is the same across.
fn timeline_entries(sites: &[Site]) -> Vec<(String, &SiteEntry)> {
    sites
        .iter()
        .flat_map(|s| {
            s.timeline
                .iter()
                .map(move |e| (format!("{}, {}", s.name, e.date), e))
        })
        .collect()
}

/// A note's id: its own, else its headline (notes of format 1 have none).
fn note_key(n: &Note) -> String {
    n.id.clone().unwrap_or_else(|| n.headline.clone())
}

/// Keys made unique in order: a second "Anonymized Chinese System" (the
/// hub names many clusters so) is "Anonymized Chinese System #2", matched
/// with the second of that name in the other download.
fn numbered(keys: Vec<String>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    keys.into_iter()
        .map(|k| {
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { k } else { format!("{k} #{n}") }
        })
        .collect()
}

/// Records of one section, keyed by id, compared field by field.
fn section<T>(
    name: &'static str,
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    fields: impl Fn(&T) -> Fields,
    out: &mut Vec<RecordChange>,
) {
    let old_keys = numbered(old.iter().map(&key).collect());
    let new_keys = numbered(new.iter().map(&key).collect());
    for (i, record) in old.iter().enumerate() {
        match new_keys.iter().position(|k| *k == old_keys[i]) {
            None => out.push(RecordChange {
                section: name,
                id: old_keys[i].clone(),
                kind: ChangeKind::Removed,
                fields: vec![],
            }),
            Some(j) => {
                let changed: Vec<(&'static str, String, String)> = fields(record)
                    .into_iter()
                    .zip(fields(&new[j]))
                    .filter(|((_, a), (_, b))| a != b)
                    .map(|((field, a), (_, b))| (field, a, b))
                    .collect();
                if !changed.is_empty() {
                    out.push(RecordChange {
                        section: name,
                        id: old_keys[i].clone(),
                        kind: ChangeKind::Changed,
                        fields: changed,
                    });
                }
            }
        }
    }
    for (j, k) in new_keys.iter().enumerate() {
        if !old_keys.contains(k) {
            out.push(RecordChange {
                section: name,
                id: k.clone(),
                kind: ChangeKind::Added,
                fields: fields(&new[j])
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(f, v)| (f, String::new(), v))
                    .collect(),
            });
        }
    }
}

/// Every change from `old` to `new`, section by section in file order.
pub fn diff(old: &Dataset, new: &Dataset) -> Vec<RecordChange> {
    let mut out = Vec::new();
    section(
        "sources",
        &old.sources,
        &new.sources,
        |s| s.id.clone(),
        source_fields,
        &mut out,
    );
    section(
        "parties",
        &old.providers,
        &new.providers,
        |p| p.id.clone(),
        party_fields,
        &mut out,
    );
    section(
        "commitments",
        &old.commitments,
        &new.commitments,
        |c| c.id.to_string(),
        commitment_fields,
        &mut out,
    );
    section(
        "capacity",
        &old.capacities,
        &new.capacities,
        |c| c.buyer.clone(),
        capacity_fields,
        &mut out,
    );
    section(
        "notes",
        &old.notes,
        &new.notes,
        note_key,
        note_fields,
        &mut out,
    );
    section(
        "sites",
        &old.sites,
        &new.sites,
        |s| s.name.trim().to_string(),
        site_fields,
        &mut out,
    );
    let (old_entries, new_entries) = (timeline_entries(&old.sites), timeline_entries(&new.sites));
    section(
        "site-timeline",
        &old_entries,
        &new_entries,
        |(name, _)| name.clone(),
        |(_, e)| entry_fields(e),
        &mut out,
    );
    section(
        "clusters",
        &old.clusters,
        &new.clusters,
        |c| c.name.trim().to_string(),
        cluster_fields,
        &mut out,
    );
    out
}

/// The changes as text: one line per record, one more per changed field.
pub fn text_report(changes: &[RecordChange]) -> String {
    if changes.is_empty() {
        return "no changes\n".to_string();
    }
    let mut out = String::new();
    // Each line escaped on its own: the data's control characters must not
    // reach the terminal, the report's own line breaks must.
    let mut line = |text: String| {
        out.push_str(&crate::text::escape_controls(&text));
        out.push('\n');
    };
    for c in changes {
        line(format!(
            "{} {} {} {}",
            c.kind.mark(),
            c.section,
            c.id,
            c.kind.word()
        ));
        if c.kind == ChangeKind::Changed {
            for (field, old, new) in &c.fields {
                let shown = |s: &str| {
                    if s.is_empty() {
                        "(none)".to_string()
                    } else {
                        format!("{s:?}")
                    }
                };
                line(format!("    {field}: {} → {}", shown(old), shown(new)));
            }
        }
    }
    out
}

/// The changes as a JSON array of objects.
pub fn json_report(changes: &[RecordChange]) -> String {
    let value: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "section": c.section,
                "id": c.id,
                "change": c.kind.word(),
                "fields": c.fields.iter().map(|(field, old, new)| serde_json::json!({
                    "field": field,
                    "old": if old.is_empty() { serde_json::Value::Null } else { old.clone().into() },
                    "new": if new.is_empty() { serde_json::Value::Null } else { new.clone().into() },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
