//! Each kind of record, and the whole file: required keys, figures of the
//! right kind, ids unique and references resolved.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{At, Place, Rec, Refs, Validator, format_versions};
use crate::data::FORMATS;
use crate::data::model::*;
use crate::data::raw;
use crate::figure::Kind;

/// `[dataset]`'s keys, as far as they are valid.
#[derive(Debug, Default)]
pub(in crate::data) struct DatasetMeta {
    pub title: Option<String>,
    /// As written: a name in format 1, a party id in format 2.
    pub subject: Option<String>,
    pub as_of: Option<chrono::NaiveDate>,
    pub summary: Option<String>,
}

/// Where a party record was written: `providers[1]` or `parties[0]`.
type PartyPlace = (&'static str, usize);

impl Validator<'_> {
    pub(in crate::data) fn dataset_meta(&mut self, rec: &Rec<'_, '_>) -> DatasetMeta {
        let at = At {
            place: Place::Table("dataset"),
            span: rec.span.clone(),
        };
        self.keys(rec, &at, &raw::DATASET);
        let title = self.required(rec, &at, "title", "a string");
        let subject = if self.format == 1 {
            self.required(rec, &at, "subject", "a string")
        } else {
            let span = rec.get("subject").map(|v| v.span());
            let subject = self.name(rec, &at, "subject");
            if let (Some(id), Some(span)) = (&subject, span) {
                self.check_id(id, span, &at, "subject");
            }
            subject
        };
        let as_of = self.required_day(rec, &at, "as_of");
        let summary = self.prose(rec, &at, "summary");
        DatasetMeta {
            title,
            subject,
            as_of,
            summary,
        }
    }

    pub(in crate::data) fn source(&mut self, i: usize, rec: &Rec<'_, '_>) -> Option<Source> {
        let at = At::item("sources", i, rec.span.clone());
        self.keys(rec, &at, &raw::SOURCE);
        let id = self.id(rec, &at);
        let title = self.required(rec, &at, "title", "a string");
        let publisher = self.name(rec, &at, "publisher");
        let published = self.date(rec, &at, "published");
        let accessed = if self.format == 1 {
            None
        } else {
            self.day(rec, &at, "accessed")
        };
        let url = self.text(rec, &at, "url");
        let kind = self
            .word::<SourceKind>(rec, &at, "kind", false)
            .unwrap_or(SourceKind::News);
        Some(Source {
            id: id?,
            title: title?,
            publisher,
            published,
            accessed,
            url,
            kind,
            file: 0,
        })
    }

    pub(in crate::data) fn party(
        &mut self,
        (table, i): PartyPlace,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Party> {
        let at = At::item(table, i, rec.span.clone());
        self.keys(rec, &at, &raw::PARTY);
        let id = self.id(rec, &at);
        let name = self.required(rec, &at, "name", "a string");
        let kind = self.word::<PartyKind>(rec, &at, "kind", true);
        let hardware = self.names(rec, &at, "hardware");
        let parent = self.name(rec, &at, "parent");
        let summary = self.prose(rec, &at, "summary");
        let cites = self.cites(rec, &at, refs);
        let aliases = self.names(rec, &at, "aliases");
        let imported = self.flag(rec, &at, "imported");
        Some(Party {
            id: id?,
            name: name?,
            parent,
            kind: kind?,
            hardware,
            summary,
            cites,
            aliases,
            imported,
            file: 0,
        })
    }

    /// A buyer: the one written, or else the subject (`""` here; filled in
    /// by `assemble`). Without either, format 2 says what to add.
    fn buyer<'r>(
        &mut self,
        rec: &Rec<'r, '_>,
        at: &At,
        refs: Option<&Refs>,
        what: &str,
    ) -> &'r str {
        if self.format == 1 {
            return "";
        }
        let span = rec.get("buyer").map(|v| v.span());
        let buyer = self.name_str(rec, at, "buyer");
        self.party_ref(buyer, span, at, "buyer", refs);
        if buyer.is_none()
            && rec.get("buyer").is_none()
            && let Some(refs) = refs
            && refs.subject.is_none()
        {
            self.problem(
                at.span.clone(),
                Self::key(at, "buyer"),
                format!(
                    "no buyer: {what} has no `buyer` and [dataset] has no `subject` to \
                     default to; add buyer = \"party-id\" here or subject = \"party-id\" \
                     to [dataset]"
                ),
            );
        }
        buyer.unwrap_or_default()
    }

    pub(in crate::data) fn commitment(
        &mut self,
        i: usize,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Commitment> {
        let at = At::item("commitments", i, rec.span.clone());
        self.keys(rec, &at, &raw::COMMITMENT);
        let id = self.id_str(rec, &at);
        let buyer = self.buyer(rec, &at, refs, "the deal");
        let buyer = self.ids.id(buyer);
        let provider_span = rec.get("provider").map(|p| p.span());
        let provider = self.required_str(rec, &at, "provider", "a provider id");
        self.party_ref(provider, provider_span, &at, "provider", refs);
        let provider = provider.map(|p| self.ids.id(p));
        let v2 = self.format != 1;
        let kind = if v2 {
            self.word::<DealKind>(rec, &at, "kind", false)
        } else {
            None
        };
        let mut alternatives = Vec::new();
        let alts = &mut alternatives;
        let value = self.figure(rec, &at, "value", Kind::Money, alts, refs);
        let term = self.figure(rec, &at, "term", Kind::Duration, alts, refs);
        let (power, units, hardware, starts) = if v2 {
            (
                self.figure(rec, &at, "power", Kind::Power, alts, refs),
                self.figure(rec, &at, "units", Kind::Count, alts, refs),
                self.names(rec, &at, "hardware"),
                self.date(rec, &at, "starts"),
            )
        } else {
            (None, None, Vec::new(), None)
        };
        let announced = self.date(rec, &at, "announced");
        let status = self.word::<Status>(rec, &at, "status", true);
        let online_by = self.date(rec, &at, "online_by");
        let supersedes = if v2 {
            self.ids(rec, &at, "supersedes")
        } else {
            Vec::new()
        };
        if let Some(refs) = refs {
            for (earlier, span) in &supersedes {
                let message = if Some(earlier.as_str()) == id {
                    Some(format!("commitment {earlier:?} cannot supersede itself"))
                } else if !refs.has_commitment(earlier) {
                    Some(format!(
                        "no commitment with id {earlier:?} in [[commitments]]"
                    ))
                } else {
                    None
                };
                if let Some(message) = message {
                    self.problem(span.clone(), Self::key(&at, "supersedes"), message);
                }
            }
        }
        let summary = self.prose(rec, &at, "summary");
        let cites = self.cites(rec, &at, refs);
        let (power_layer, tranches, sites) = if v2 {
            let layer = self.word::<PowerLayer>(rec, &at, "power_layer", false);
            if power.is_some()
                && layer.is_none()
                && kind.is_some_and(|k| k.default_layer().is_none())
            {
                self.missing(
                    &at,
                    "power_layer",
                    "what the deal's power measures, as this kind has no default: \
                     \"chips\", \"hosting\" or \"grid\"",
                );
            }
            let tranches = self.tranches(rec, &at, i, refs);
            let sites = self.ids(rec, &at, "sites");
            if let Some(refs) = refs {
                for (site, span) in &sites {
                    if !refs.has_site(site) {
                        self.problem(
                            span.clone(),
                            Self::key(&at, "sites"),
                            format!("no site with id {site:?} in [[sites]]"),
                        );
                    }
                }
            }
            (layer, tranches, sites)
        } else {
            (None, Vec::new(), Vec::new())
        };
        let mut deal = Commitment {
            id: id?.into(),
            buyer,
            provider: provider?,
            kind: kind.unwrap_or(DealKind::Compute),
            value,
            term,
            announced,
            status: status?,
            online_by,
            summary: summary.map(String::into_boxed_str),
            cites,
            extras: None,
            file: 0,
        };
        deal.set_extras(DealExtras {
            power,
            units,
            hardware,
            starts,
            supersedes: supersedes.into_iter().map(|(id, _)| id).collect(),
            alternatives,
            power_layer,
            tranches,
            sites: sites.into_iter().map(|(id, _)| id).collect(),
            written_status: None,
            split: None,
        });
        deal.split_tranches();
        Some(deal)
    }

    pub(in crate::data) fn milestone(
        &mut self,
        at: At,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Milestone> {
        self.keys(rec, &at, &raw::MILESTONE);
        let v2 = self.format != 1;
        let id = if v2 && rec.get("id").is_some() {
            self.id(rec, &at)
        } else {
            None
        };
        let date = self.required_date(rec, &at, "date");
        let label = self.required(rec, &at, "label", "a string");
        let provider_span = rec.get("provider").map(|p| p.span());
        let provider = self.name(rec, &at, "provider");
        self.party_ref(provider.as_deref(), provider_span, &at, "provider", refs);
        let commitment = if v2 {
            let span = rec.get("commitment").map(|p| p.span());
            let commitment = self.name(rec, &at, "commitment");
            if let (Some(refs), Some(c), Some(span)) = (refs, &commitment, span)
                && !refs.has_commitment(c)
            {
                self.problem(
                    span,
                    Self::key(&at, "commitment"),
                    format!("no commitment with id {c:?} in [[commitments]]"),
                );
            }
            commitment
        } else {
            None
        };
        let cites = self.cites(rec, &at, refs);
        Some(Milestone {
            id,
            date: date?,
            label: label?,
            provider,
            commitment,
            cites,
            file: 0,
        })
    }

    /// A capacity plan; its milestones are checked first, as they come
    /// first in the block's data. `index` is its place in `[[capacity]]`,
    /// `None` for format 1's `[capacity]` table.
    pub(in crate::data) fn capacity(
        &mut self,
        index: Option<usize>,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Capacity {
        let at = match index {
            Some(i) => At::item("capacity", i, rec.span.clone()),
            None => At {
                place: Place::Table("capacity"),
                span: rec.span.clone(),
            },
        };
        self.keys(rec, &at, &raw::CAPACITY);
        let mut milestones = Vec::new();
        for (j, m) in self.tables(rec, &at, "milestones").into_iter().enumerate() {
            let m_at = At {
                place: match index {
                    Some(i) => Place::SubItem("capacity", i, "milestones", j),
                    None => Place::Item("capacity.milestones", j),
                },
                span: m.span.clone(),
            };
            milestones.extend(self.milestone(m_at, &m, refs));
        }
        let buyer = self.buyer(rec, &at, refs, "the capacity plan").to_string();
        let mut alternatives = Vec::new();
        let alts = &mut alternatives;
        let target = self.figure(rec, &at, "target", Kind::Power, alts, refs);
        let target_cost = self.figure(rec, &at, "target_cost", Kind::Money, alts, refs);
        let build_rate = self.figure(rec, &at, "build_rate", Kind::Rate, alts, refs);
        let cost_per_gw = self.figure(rec, &at, "cost_per_gw", Kind::Money, alts, refs);
        let homes_equivalent = self.figure(rec, &at, "homes_equivalent", Kind::Count, alts, refs);
        let by = if self.format == 1 {
            None
        } else {
            self.date(rec, &at, "by")
        };
        Capacity {
            buyer,
            target,
            target_cost,
            build_rate,
            cost_per_gw,
            homes_equivalent,
            by,
            summary: self.prose(rec, &at, "summary"),
            cites: self.cites(rec, &at, refs),
            milestones,
            alternatives,
            file: 0,
        }
    }

    pub(in crate::data) fn note(
        &mut self,
        i: usize,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Note> {
        let at = At::item("notes", i, rec.span.clone());
        self.keys(rec, &at, &raw::NOTE);
        let id = if self.format != 1 && rec.get("id").is_some() {
            self.id(rec, &at)
        } else {
            None
        };
        let date = self.date(rec, &at, "date");
        let subject = self.required(rec, &at, "subject", "a company or topic");
        let kind = self.word::<NoteKind>(rec, &at, "kind", true);
        let headline = self.required_line(rec, &at, "headline", "one line");
        let mut alternatives = Vec::new();
        let alts = &mut alternatives;
        let change = self.figure(rec, &at, "change", Kind::Percent, alts, refs);
        let amount = self.figure(rec, &at, "amount", Kind::Money, alts, refs);
        if kind == Some(NoteKind::Revenue) && rec.get("amount").is_none() {
            self.missing(
                &at,
                "amount",
                "a revenue note's annualised run rate, like \"$13bn\"",
            );
        }
        let speaker = self.name(rec, &at, "speaker");
        let body = self.prose(rec, &at, "body");
        let cites = self.cites(rec, &at, refs);
        let change_of = self.status_change(rec, &at, kind, date.is_some(), refs);
        let (commitment, status) = change_of.unzip();
        let power = self.figure(rec, &at, "power", Kind::Power, alts, refs);
        let scope = self.word::<CapacityScope>(rec, &at, "scope", kind == Some(NoteKind::Capacity));
        if kind == Some(NoteKind::Capacity) && rec.get("power").is_none() {
            self.missing(&at, "power", "the power in operation, like \"1.9 GW\"");
        }
        let projected = self.flag(rec, &at, "projected");
        Some(Note {
            id,
            date,
            subject: subject?,
            subject_party: None,
            kind: kind?,
            headline: headline?,
            change,
            amount,
            speaker,
            body,
            cites,
            alternatives,
            commitment,
            status: status.flatten(),
            power,
            scope,
            projected,
            file: 0,
        })
    }

    /// A required line of text: no control characters, but, being prose,
    /// invisible ones are kept (and shown escaped).
    fn required_line(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        key: &str,
        what: &str,
    ) -> Option<String> {
        if rec.get(key).is_none() {
            self.missing(at, key, what);
        }
        self.text(rec, at, key)
    }

    /// The tables of an array of tables (`[[sources]]`, or an inline array
    /// of inline tables); anything else is reported.
    pub(super) fn tables<'r, 'i>(
        &mut self,
        rec: &Rec<'r, 'i>,
        at: &At,
        key: &str,
    ) -> Vec<Rec<'r, 'i>> {
        let Some(value) = rec.get(key) else {
            return Vec::new();
        };
        let Some(items) = value.get_ref().as_array() else {
            let expected = format!("an array of tables ([[{}]])", Self::key(at, key));
            self.wrong_type(value, Self::key(at, key), &expected);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (j, item) in items.iter().enumerate() {
            match item.get_ref().as_table() {
                Some(table) => out.push(Rec::new(table, item.span())),
                None => {
                    let path = format!("{}[{j}]", Self::key(at, key));
                    self.wrong_type(item, path, "a table");
                }
            }
        }
        out
    }

    /// The format the file declares, reported if it is not one this build
    /// reads; and the rules to check the rest by: those of the format
    /// meant (`"2"` means 2), else format 1's unless the file has
    /// `[[parties]]`, so that a mistyped `format` is one problem, not many.
    fn format(&mut self, root: &Rec<'_, '_>) -> (Option<i64>, i64) {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        let versions = format_versions();
        let guess = if root.get("parties").is_some() { 2 } else { 1 };
        let Some(value) = root.get("format") else {
            self.missing(&whole, "format", "the format version: format = 1");
            return (None, guess);
        };
        let declared = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        match declared {
            Some(format) if FORMATS.contains(&format) => (Some(format), format),
            Some(format) => {
                self.problem(
                    value.span(),
                    "format".into(),
                    format!(
                        "unsupported format {format}; this build of gigawatt reads format {versions}"
                    ),
                );
                (None, guess)
            }
            None => {
                let found = raw::describe(value.get_ref());
                self.problem(
                    value.span(),
                    "format".into(),
                    format!(
                        "expected an integer, found {found}; this build of gigawatt reads \
                         format {versions}"
                    ),
                );
                let meant = value
                    .get_ref()
                    .as_str()
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .filter(|f| FORMATS.contains(f));
                (None, meant.unwrap_or(guess))
            }
        }
    }

    /// The whole file at once: every problem, each with its place.
    pub(in crate::data) fn file(&mut self, root: &Spanned<DeTable<'_>>) -> Option<Dataset> {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        let root = Rec::new(root.get_ref(), 0..0);
        let (declared, rules) = self.format(&root);
        self.format = rules;
        self.keys(&root, &whole, &raw::ROOT);

        let sources = self.tables(&root, &whole, "sources");
        // Parties from both tables, in file order.
        let mut parties: Vec<(PartyPlace, Rec<'_, '_>)> = Vec::new();
        for table in ["providers", "parties"] {
            if table == "parties" && rules == 1 {
                continue;
            }
            for (i, rec) in self.tables(&root, &whole, table).into_iter().enumerate() {
                parties.push(((table, i), rec));
            }
        }
        parties.sort_by_key(|(_, rec)| rec.span.start);
        let commitments = self.tables(&root, &whole, "commitments");
        let notes = self.tables(&root, &whole, "notes");
        let (sites, clusters) = if rules == 1 {
            (Vec::new(), Vec::new())
        } else {
            (
                self.tables(&root, &whole, "sites"),
                self.tables(&root, &whole, "clusters"),
            )
        };
        let capacities: Vec<(Option<usize>, Rec<'_, '_>)> = match root.get("capacity") {
            None => Vec::new(),
            Some(value) => match value.get_ref() {
                DeValue::Table(table) => vec![(None, Rec::new(table, value.span()))],
                DeValue::Array(_) if rules == 1 => {
                    let message = self.needs_format_2("an array of [[capacity]] plans");
                    self.problem(value.span(), "capacity".into(), message);
                    Vec::new()
                }
                _ => self
                    .tables(&root, &whole, "capacity")
                    .into_iter()
                    .enumerate()
                    .map(|(i, rec)| (Some(i), rec))
                    .collect(),
            },
        };

        let mut refs = Refs {
            others: std::mem::take(&mut self.others),
            ..Refs::default()
        };
        for (i, source) in sources.iter().enumerate() {
            self.unique(
                &mut refs.sources,
                source,
                i,
                format!("sources[{i}].id"),
                |first| format!("sources[{first}]"),
            );
        }
        for ((table, i), party) in &parties {
            self.unique(
                &mut refs.parties,
                party,
                (*table, *i),
                format!("{table}[{i}].id"),
                |(t, first)| format!("{t}[{first}]"),
            );
        }
        let mut commitment_ids = HashMap::new();
        for (i, commitment) in commitments.iter().enumerate() {
            self.unique(
                &mut commitment_ids,
                commitment,
                i,
                format!("commitments[{i}].id"),
                |first| format!("commitments[{first}]"),
            );
        }
        refs.commitments = commitment_ids.into_keys().collect();
        let mut site_ids = HashMap::new();
        for (i, site) in sites.iter().enumerate() {
            self.unique(&mut site_ids, site, i, format!("sites[{i}].id"), |first| {
                format!("sites[{first}]")
            });
        }
        refs.sites = site_ids.into_keys().collect();
        let mut cluster_ids = HashMap::new();
        for (i, cluster) in clusters.iter().enumerate() {
            self.unique(
                &mut cluster_ids,
                cluster,
                i,
                format!("clusters[{i}].id"),
                |first| format!("clusters[{first}]"),
            );
        }

        let dataset_meta = match root.get("dataset") {
            Some(value) => match value.get_ref().as_table() {
                Some(table) => Some(self.dataset_meta(&Rec::new(table, value.span()))),
                None => {
                    self.wrong_type(value, "dataset".into(), "a [dataset] table");
                    None
                }
            },
            None => {
                self.missing(
                    &whole,
                    "dataset",
                    "a [dataset] table with title, subject, as_of",
                );
                None
            }
        };
        refs.subject = match (&dataset_meta, rules) {
            (Some(meta), 1) => meta.subject.as_deref().map(party_id_of),
            (Some(meta), _) => meta.subject.clone(),
            (None, _) => None,
        };
        if rules != 1
            && let (Some(subject), Some(value)) = (
                &refs.subject,
                root.get("dataset")
                    .and_then(|d| d.get_ref().as_table())
                    .and_then(|t| t.get("subject")),
            )
            && !refs.has_party(subject)
        {
            self.problem(
                value.span(),
                "dataset.subject".into(),
                format!("no party with id {subject:?} in [[parties]] or [[providers]]"),
            );
        }

        // In a set, a format 2 file may lean on the sources and parties
        // its companions define (a file of parties only, say).
        let in_set = rules >= 2 && refs.has_others();
        let leans_on = |others: &std::collections::HashSet<String>| in_set && !others.is_empty();
        if sources.is_empty() && !leans_on(&refs.others.sources) {
            self.missing(&whole, "sources", "at least one [[sources]] entry");
        }
        if parties.is_empty() && !leans_on(&refs.others.parties) {
            let (key, what) = if rules == 1 {
                ("providers", "at least one [[providers]] entry")
            } else {
                ("parties", "at least one [[parties]] entry")
            };
            self.missing(&whole, key, what);
        }

        let refs = Some(&refs);
        let sources: Vec<Option<Source>> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| self.source(i, s))
            .collect();
        let parties: Vec<Option<Party>> = parties
            .iter()
            .map(|(place, p)| self.party(*place, p, refs))
            .collect();
        let commitment_spans: Vec<Range<usize>> =
            commitments.iter().map(|c| c.span.clone()).collect();
        let commitments: Vec<Option<Commitment>> = commitments
            .iter()
            .enumerate()
            .map(|(i, c)| self.commitment(i, c, refs))
            .collect();
        self.supersession_loops(&commitments, &commitment_spans);
        let capacities: Vec<Capacity> = capacities
            .iter()
            .map(|(i, c)| self.capacity(*i, c, refs))
            .collect();
        let notes: Vec<Option<Note>> = notes
            .iter()
            .enumerate()
            .map(|(i, n)| self.note(i, n, refs))
            .collect();

        let sites: Vec<Option<Site>> = sites
            .iter()
            .enumerate()
            .map(|(i, s)| self.site(i, s, refs))
            .collect();
        let clusters: Vec<Option<Cluster>> = clusters
            .iter()
            .enumerate()
            .map(|(i, c)| self.cluster(i, c, refs))
            .collect();

        let meta = dataset_meta?;
        let sites: Vec<Site> = sites.into_iter().collect::<Option<_>>()?;
        let clusters: Vec<Cluster> = clusters.into_iter().collect::<Option<_>>()?;
        let mut dataset = assemble(
            declared?,
            meta,
            sources.into_iter().collect::<Option<_>>()?,
            parties.into_iter().collect::<Option<_>>()?,
            commitments.into_iter().collect::<Option<_>>()?,
            capacities,
            notes.into_iter().collect::<Option<_>>()?,
        )?;
        dataset.sites = sites;
        dataset.clusters = clusters;
        Some(dataset)
    }

    /// Chains of `supersedes` must end: a record that, through others,
    /// supersedes itself is reported once per loop, at its first record.
    fn supersession_loops(&mut self, commitments: &[Option<Commitment>], spans: &[Range<usize>]) {
        let index: HashMap<&str, usize> = commitments
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (c.id.as_str(), i)))
            .collect();
        // 0: unvisited, 1: on the current path, 2: done.
        let mut state = vec![0u8; commitments.len()];
        let mut reported = HashSet::new();
        for start in 0..commitments.len() {
            if state[start] != 0 {
                continue;
            }
            // Depth-first, by hand: (record, next edge to follow).
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(&mut (i, ref mut edge)) = stack.last_mut() {
                let next = commitments[i]
                    .as_ref()
                    .and_then(|c| c.supersedes().get(*edge))
                    .and_then(|id| index.get(id.as_str()).copied());
                let has_more = commitments[i]
                    .as_ref()
                    .is_some_and(|c| *edge < c.supersedes().len());
                if !has_more {
                    state[i] = 2;
                    stack.pop();
                    continue;
                }
                *edge += 1;
                let Some(j) = next else { continue };
                match state[j] {
                    0 => {
                        state[j] = 1;
                        stack.push((j, 0));
                    }
                    1 if j != i => {
                        let on_loop: Vec<usize> = stack
                            .iter()
                            .map(|&(k, _)| k)
                            .skip_while(|&k| k != j)
                            .collect();
                        let first = on_loop.iter().copied().min().unwrap_or(j);
                        if reported.insert(first) {
                            let ids: Vec<&str> = on_loop
                                .iter()
                                .filter_map(|&k| commitments[k].as_ref().map(|c| c.id.as_str()))
                                .collect();
                            self.problem(
                                spans[first].clone(),
                                format!("commitments[{first}].supersedes"),
                                format!(
                                    "supersedes runs in a loop ({} -> {}); a chain must \
                                     end at the first record of the deal",
                                    ids.join(" -> "),
                                    ids.first().copied().unwrap_or_default()
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The dataset from valid records: the subject resolved, default buyers
/// filled in, notes' subjects matched to parties. `None` if a required key
/// of `[dataset]` is missing (already reported by whoever checked it).
pub(in crate::data) fn assemble(
    format: i64,
    meta: DatasetMeta,
    sources: Vec<Source>,
    providers: Vec<Party>,
    mut commitments: Vec<Commitment>,
    mut capacities: Vec<Capacity>,
    mut notes: Vec<Note>,
) -> Option<Dataset> {
    let title = meta.title?;
    let as_of = meta.as_of?;
    let (subject, subject_id, subject_party) = if format == 1 {
        // The subject's name becomes a party, unless one has its id.
        let name = meta.subject?;
        let id = party_id_of(&name);
        let implicit = (!providers.iter().any(|p| p.id == id)).then(|| Party {
            id: id.clone(),
            name: name.clone(),
            parent: None,
            kind: PartyKind::Other,
            hardware: Vec::new(),
            summary: None,
            cites: Cites::default(),
            aliases: Vec::new(),
            imported: false,
            file: 0,
        });
        (name, Some(id), implicit)
    } else {
        let name = meta
            .subject
            .as_deref()
            .and_then(|id| providers.iter().find(|p| p.id == id))
            .map_or_else(String::new, |p| p.name.clone());
        (name, meta.subject, None)
    };
    if let Some(id) = &subject_id {
        // One `Id` for every deal the subject buys.
        let buyer = Id::from(id);
        for c in commitments.iter_mut().filter(|c| c.buyer.is_empty()) {
            c.buyer = buyer.clone();
        }
        for c in capacities.iter_mut().filter(|c| c.buyer.is_empty()) {
            c.buyer.clone_from(id);
        }
    }
    if !notes.is_empty() {
        let ids: HashSet<&str> = providers
            .iter()
            .map(|p| p.id.as_str())
            .chain(subject_party.as_ref().map(|p| p.id.as_str()))
            .collect();
        for note in &mut notes {
            if ids.contains(note.subject.as_str()) {
                note.subject_party = Some(note.subject.clone());
            }
        }
    }
    let mut dataset = Dataset {
        files: vec![FileInfo {
            name: String::new(),
            title: title.clone(),
            subject: subject_id.clone(),
            as_of,
            format,
            summary: meta.summary.clone(),
            unknown_columns: Vec::new(),
        }],
        title,
        subject,
        subject_id,
        as_of,
        summary: meta.summary,
        sources,
        providers,
        subject_party,
        other_subjects: Vec::new(),
        commitments,
        capacities,
        notes,
        sites: Vec::new(),
        clusters: Vec::new(),
        lookup: Lookup::default(),
    };
    // Both loading paths end here, so both apply the file's status notes.
    dataset.apply_status_notes();
    Some(dataset)
}
