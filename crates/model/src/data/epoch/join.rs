//! A set's tables joined to each other and to its ledger: each timeline
//! row to the site it names, each owner and user named in words to a
//! party.
//!
//! Parties are found simply, and only so: a name names the party whose
//! name or one of whose `aliases` it is, ignoring case and runs of spaces;
//! failing that, the party whose id the name makes (`Meta` names the party
//! `meta`). A name that names no party makes one, `imported`, of kind
//! "other", in the file where it is first met, and every later use of the
//! name in the set names that one. Parties are never guessed from parts of
//! names: "Google Cloud" is not "Google" unless the ledger says so in an
//! alias.

use std::collections::{HashMap, HashSet};

use super::cells::{Tagged, key, slug};
use super::table::{Rows, Table};
use crate::data::error::Problem;
use crate::data::ids::Cites;
use crate::data::model::{Party, PartyKind};
use crate::data::site::{Cluster, Confidence, Site, SiteUser};

/// The names the parties of a set go by.
#[derive(Debug, Default)]
pub struct PartyNames {
    /// Names and aliases, as matched (`key`), to party ids.
    by_name: HashMap<String, String>,
    ids: HashSet<String>,
}

impl PartyNames {
    /// The names of `parties`, the first party with a name keeping it.
    pub fn new<'a>(parties: impl IntoIterator<Item = &'a Party>) -> PartyNames {
        let mut names = PartyNames::default();
        for party in parties {
            names.ids.insert(party.id.clone());
            for name in std::iter::once(&party.name).chain(&party.aliases) {
                names
                    .by_name
                    .entry(key(name))
                    .or_insert_with(|| party.id.clone());
            }
        }
        names
    }

    /// The id of the party `name` names, adding to `made` the party made
    /// for a name that names none.
    pub fn id(&mut self, name: &str, made: &mut Vec<Party>) -> String {
        let matched = key(name);
        if let Some(id) = self.by_name.get(&matched) {
            return id.clone();
        }
        let base = slug(name);
        if self.ids.contains(&base) {
            self.by_name.insert(matched, base.clone());
            return base;
        }
        let id = base;
        self.ids.insert(id.clone());
        self.by_name.insert(matched, id.clone());
        made.push(Party {
            id: id.clone(),
            name: name.to_string(),
            parent: None,
            kind: PartyKind::Other,
            hardware: Vec::new(),
            summary: None,
            cites: Cites::default(),
            aliases: Vec::new(),
            imported: true,
            file: 0,
        });
        id
    }
}

/// A table's records once joined: the parties it made, its sites (with
/// the timeline entries of every timeline table of the set) and clusters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Joined {
    pub parties: Vec<Party>,
    pub sites: Vec<Site>,
    pub clusters: Vec<Cluster>,
}

/// Joins a set's tables, in order: each table's records, or the problems
/// of its rows that name no site.
pub fn join(tables: &[&Table], names: &mut PartyNames) -> Vec<Result<Joined, Vec<Problem>>> {
    let mut joined: Vec<Joined> = Vec::with_capacity(tables.len());
    // Handles and titles, as matched, to (table, site): a handle first,
    // since titles may repeat.
    let mut by_handle: HashMap<String, (usize, usize)> = HashMap::new();
    let mut by_title: HashMap<String, (usize, usize)> = HashMap::new();
    for (t, table) in tables.iter().enumerate() {
        let mut out = Joined::default();
        match &table.rows {
            Rows::Sites(rows) => {
                for row in rows {
                    let at = (t, out.sites.len());
                    by_handle.entry(key(&row.handle)).or_insert(at);
                    by_title.entry(key(&row.site.name)).or_insert(at);
                    out.sites.push(site(row, names, &mut out.parties));
                }
            }
            Rows::Clusters(rows) => {
                for row in rows {
                    let mut cluster = row.cluster.clone();
                    cluster.owners = ids(&row.owners, names, &mut out.parties);
                    cluster.users = ids(&row.users, names, &mut out.parties);
                    out.clusters.push(cluster);
                }
            }
            Rows::Timeline(_) => {}
        }
        joined.push(out);
    }
    let mut problems: Vec<Vec<Problem>> = vec![Vec::new(); tables.len()];
    let no_sites = !tables.iter().any(|t| matches!(t.rows, Rows::Sites(_)));
    for (t, table) in tables.iter().enumerate() {
        let Rows::Timeline(rows) = &table.rows else {
            continue;
        };
        for row in rows {
            let wanted = key(&row.site);
            let Some(&(s, i)) = by_handle.get(&wanted).or_else(|| by_title.get(&wanted)) else {
                let message = if no_sites {
                    format!(
                        "no site {:?}: the set has no data centers table (read the hub's \
                         data centers download with its timelines)",
                        row.site
                    )
                } else {
                    format!(
                        "no site {:?} in the set's data center tables (by Handle or Title)",
                        row.site
                    )
                };
                problems[t].push(row.at.problem(message));
                continue;
            };
            joined[s].sites[i].timeline.push(row.entry.clone());
        }
    }
    for site in joined.iter_mut().flat_map(|j| &mut j.sites) {
        // Stable: entries of one day keep the order the files give them.
        site.timeline.sort_by_key(|e| e.date.anchor());
    }
    joined
        .into_iter()
        .zip(problems)
        .map(|(j, p)| if p.is_empty() { Ok(j) } else { Err(p) })
        .collect()
}

/// A site row's site, its owner and users named by party id. A second
/// owner is counted as a user (the model has one owner), as sure of its
/// use as the tag says or else confident, as owning counts.
fn site(row: &super::sites::SiteRow, names: &mut PartyNames, made: &mut Vec<Party>) -> Site {
    let mut site = row.site.clone();
    let mut owners = row.owners.iter();
    if let Some(owner) = owners.next() {
        site.owner = Some(names.id(&owner.name, made));
        site.owner_confidence = owner.confidence;
    }
    for owner in owners {
        site.users.push(SiteUser {
            party: names.id(&owner.name, made),
            confidence: owner.confidence.unwrap_or(Confidence::Confident),
        });
    }
    for user in &row.users {
        site.users.push(SiteUser {
            party: names.id(&user.name, made),
            // A use no tag vouches for is the least sure kind.
            confidence: user.confidence.unwrap_or(Confidence::Speculative),
        });
    }
    site
}

/// Party ids for names, each once, in order.
fn ids(named: &[Tagged], names: &mut PartyNames, made: &mut Vec<Party>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(named.len());
    for n in named {
        let id = names.id(&n.name, made);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}
