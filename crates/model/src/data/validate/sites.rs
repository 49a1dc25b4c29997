//! The records format 2 added for the accounting and the build-out: a
//! deal's tranches, status notes, sites with their timelines, and
//! clusters; and the few scalar fields (flags, whole numbers, degrees)
//! only they use.

use toml::de::DeValue;

use super::{At, Place, Rec, Refs, Validator};
use crate::data::model::*;
use crate::data::raw;
use crate::figure::Kind;

impl Validator<'_> {
    /// `true` when the key holds `true`; a value not a boolean is reported.
    pub(super) fn flag(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> bool {
        let Some(value) = rec.get(key) else {
            return false;
        };
        match value.get_ref() {
            DeValue::Boolean(b) => *b,
            _ => {
                self.wrong_type(value, Self::key(at, key), "true or false");
                false
            }
        }
    }

    /// A whole number of at least zero.
    fn count(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str) -> Option<i64> {
        let value = rec.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        match parsed {
            Some(n) if n >= 0 => Some(n),
            _ => {
                self.wrong_type(value, Self::key(at, key), "a whole number, 0 or more");
                None
            }
        }
    }

    /// Degrees within `-limit..=limit`, written as a number.
    fn degrees(&mut self, rec: &Rec<'_, '_>, at: &At, key: &str, limit: f64) -> Option<f64> {
        let value = rec.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', "").parse().ok(),
            _ => None,
        };
        match parsed {
            Some(d) if d.is_finite() && d.abs() <= limit => Some(d),
            _ => {
                let expected = format!("degrees from -{limit} to {limit}, like 32.5");
                self.wrong_type(value, Self::key(at, key), &expected);
                None
            }
        }
    }

    /// A deal's `[[commitments.tranches]]`.
    pub(super) fn tranches(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        deal: usize,
        refs: Option<&Refs>,
    ) -> Vec<Tranche> {
        let mut out = Vec::new();
        for (j, t) in self.tables(rec, at, "tranches").into_iter().enumerate() {
            let t_at = At {
                place: Place::SubItem("commitments", deal, "tranches", j),
                span: t.span.clone(),
            };
            self.keys(&t, &t_at, &raw::TRANCHE);
            let mut alternatives = Vec::new();
            let value = self.figure(&t, &t_at, "value", Kind::Money, &mut alternatives, refs);
            let power = self.figure(&t, &t_at, "power", Kind::Power, &mut alternatives, refs);
            if t.get("value").is_none() && t.get("power").is_none() {
                self.missing(&t_at, "value", "the tranche's money (or its `power`)");
            }
            if !alternatives.is_empty() {
                self.problem(
                    t.span.clone(),
                    Self::key(&t_at, "value"),
                    "a tranche takes one figure, not alternatives; give them on the deal"
                        .to_string(),
                );
            }
            out.push(Tranche {
                value,
                power,
                due: self.date(&t, &t_at, "due"),
                condition: self.name(&t, &t_at, "condition"),
                summary: self.prose(&t, &t_at, "summary"),
                cites: self.cites(&t, &t_at, refs),
            });
        }
        out
    }

    /// A status note's deal and new status, both required (and a date):
    /// `(commitment, status)`; keys a note of another kind may not use are
    /// reported.
    pub(super) fn status_change(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        kind: Option<NoteKind>,
        dated: bool,
        refs: Option<&Refs>,
    ) -> Option<(String, Option<Status>)> {
        let is_status = kind == Some(NoteKind::StatusChange);
        let span = rec.get("commitment").map(|v| v.span());
        let commitment = self.name(rec, at, "commitment");
        let status = self.word::<Status>(rec, at, "status", is_status);
        if !is_status {
            for key in ["commitment", "status"] {
                if let Some(value) = rec.get(key) {
                    self.problem(
                        value.span(),
                        Self::key(at, key),
                        format!("`{key}` belongs to a note of kind \"status\""),
                    );
                }
            }
            return None;
        }
        if !dated {
            self.missing(at, "date", "the date the status changed (may be hedged)");
        }
        match (&commitment, span) {
            (None, _) => self.missing(at, "commitment", "the id of the deal whose status changed"),
            (Some(id), Some(span)) => {
                if let Some(refs) = refs
                    && !refs.has_commitment(id)
                {
                    self.problem(
                        span,
                        Self::key(at, "commitment"),
                        format!("no commitment with id {id:?} in [[commitments]]"),
                    );
                }
            }
            _ => {}
        }
        Some((commitment?, status))
    }

    /// A party named by a site or cluster, which must exist.
    fn party_named(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        key: &str,
        refs: Option<&Refs>,
    ) -> Option<String> {
        let span = rec.get(key).map(|v| v.span());
        let party = self.name(rec, at, key);
        self.party_ref(party.as_deref(), span, at, key, refs);
        party
    }

    /// Party ids given as an array of strings.
    fn party_list(
        &mut self,
        rec: &Rec<'_, '_>,
        at: &At,
        key: &str,
        refs: Option<&Refs>,
    ) -> Vec<String> {
        let ids = self.ids(rec, at, key);
        for (id, span) in &ids {
            self.party_ref(Some(id), Some(span.clone()), at, key, refs);
        }
        ids.into_iter().map(|(id, _)| id).collect()
    }

    /// One `[[sites]]` record with its timeline.
    pub(super) fn site(
        &mut self,
        i: usize,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Site> {
        let at = At::item("sites", i, rec.span.clone());
        self.keys(rec, &at, &raw::SITE);
        let id = self.id(rec, &at);
        let name = self.required(rec, &at, "name", "the site's name");
        let owner = self.party_named(rec, &at, "owner", refs);
        let owner_confidence = self.word::<Confidence>(rec, &at, "owner_confidence", false);
        let mut users = Vec::new();
        for (j, u) in self.tables(rec, &at, "users").into_iter().enumerate() {
            let u_at = at.element("users", j, u.span.clone());
            self.keys(&u, &u_at, &raw::SITE_USER);
            let party = self.required(&u, &u_at, "party", "a party id");
            if let Some(span) = u.get("party").map(|v| v.span()) {
                self.party_ref(party.as_deref(), Some(span), &u_at, "party", refs);
            }
            let confidence = self.word::<Confidence>(&u, &u_at, "confidence", true);
            if let (Some(party), Some(confidence)) = (party, confidence) {
                users.push(SiteUser { party, confidence });
            }
        }
        let latitude = self.degrees(rec, &at, "latitude", 90.0);
        let longitude = self.degrees(rec, &at, "longitude", 180.0);
        if rec.get("latitude").is_some() != rec.get("longitude").is_some() {
            let missing = if rec.get("latitude").is_some() {
                "longitude"
            } else {
                "latitude"
            };
            self.missing(&at, missing, "both coordinates, or neither");
        }
        let mut alts = Vec::new();
        let power = self.figure(rec, &at, "power", Kind::Power, &mut alts, refs);
        let current_power = self.figure(rec, &at, "current_power", Kind::Power, &mut alts, refs);
        let current_h100e = self.figure(rec, &at, "current_h100e", Kind::Count, &mut alts, refs);
        let current_capex = self.figure(rec, &at, "current_capex", Kind::Money, &mut alts, refs);
        let hub = ["current_power", "current_h100e", "current_capex"]
            .iter()
            .any(|k| rec.get(k).is_some());
        let mut timeline = Vec::new();
        for (j, e) in self.tables(rec, &at, "timeline").into_iter().enumerate() {
            let e_at = At {
                place: Place::SubItem("sites", i, "timeline", j),
                span: e.span.clone(),
            };
            timeline.extend(self.site_entry(&e_at, &e, refs));
        }
        Some(Site {
            id: id?,
            name: name?,
            owner,
            owner_confidence,
            users,
            project: self.name(rec, &at, "project"),
            country: self.name(rec, &at, "country"),
            region: self.name(rec, &at, "region"),
            coordinates: latitude.zip(longitude),
            power,
            status: self.word::<SiteStatus>(rec, &at, "status", false),
            summary: self.prose(rec, &at, "summary"),
            current: hub.then_some(HubCurrent {
                power: current_power,
                h100e: current_h100e,
                capex: current_capex,
            }),
            cites: self.cites(rec, &at, refs),
            timeline,
            file: 0,
        })
    }

    fn site_entry(&mut self, at: &At, rec: &Rec<'_, '_>, refs: Option<&Refs>) -> Option<SiteEntry> {
        self.keys(rec, at, &raw::SITE_ENTRY);
        let mut alts = Vec::new();
        let date = self.required_date(rec, at, "date");
        let entry = SiteEntry {
            date: date?,
            power: self.figure(rec, at, "power", Kind::Power, &mut alts, refs),
            it_power: self.figure(rec, at, "it_power", Kind::Power, &mut alts, refs),
            h100e: self.figure(rec, at, "h100e", Kind::Count, &mut alts, refs),
            buildings: self.count(rec, at, "buildings"),
            capex: self.figure(rec, at, "capex", Kind::Money, &mut alts, refs),
            status: self.name(rec, at, "status"),
            cites: self.cites(rec, at, refs),
        };
        Some(entry)
    }

    /// One `[[clusters]]` record.
    pub(super) fn cluster(
        &mut self,
        i: usize,
        rec: &Rec<'_, '_>,
        refs: Option<&Refs>,
    ) -> Option<Cluster> {
        let at = At::item("clusters", i, rec.span.clone());
        self.keys(rec, &at, &raw::CLUSTER);
        let id = self.id(rec, &at);
        let name = self.required(rec, &at, "name", "the cluster's name");
        let mut alts = Vec::new();
        Some(Cluster {
            id: id?,
            name: name?,
            status: self.name(rec, &at, "status"),
            certainty: self.name(rec, &at, "certainty"),
            owners: self.party_list(rec, &at, "owners", refs),
            users: self.party_list(rec, &at, "users", refs),
            country: self.name(rec, &at, "country"),
            h100e: self.figure(rec, &at, "h100e", Kind::Count, &mut alts, refs),
            power: self.figure(rec, &at, "power", Kind::Power, &mut alts, refs),
            chips: self.name(rec, &at, "chips"),
            first_operational: self.date(rec, &at, "first_operational"),
            cites: self.cites(rec, &at, refs),
            file: 0,
        })
    }
}
