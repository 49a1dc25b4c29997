//! `gigawatt import`: what the readers read (Epoch AI's CSV downloads, or
//! any set) written as one format 2 file, so that a user can annotate it,
//! add citations and keep it beside a ledger: its sites with their
//! timelines, its clusters, the parties those name and the sources they
//! cite. Figures are written as their source wrote them, so the file reads
//! back to the same records; the same input gives the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::data::{Cite, Cluster, Dataset, Site, SiteEntry, Vocabulary};
use crate::figure::{Figure, HedgedDate};

/// A TOML basic string holding `s`, escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A figure as written, quoted.
fn figure(f: &Figure) -> String {
    if f.text.is_empty() {
        quoted(&f.compact())
    } else {
        quoted(&f.text)
    }
}

/// An exact date bare, as TOML writes dates; a hedged one as its words.
fn date(d: &HedgedDate) -> String {
    if d.is_exact() {
        d.to_string()
    } else {
        quoted(&d.to_string())
    }
}

/// Writes `key = value` where there is a value.
fn line(out: &mut String, key: &str, value: Option<String>) {
    if let Some(value) = value {
        let _ = writeln!(out, "{key} = {value}");
    }
}

/// A record's citations: its first as `source` and `at`, naming the file it
/// was read from where it gives no place of its own.
fn cites(out: &mut String, cites: &[Cite], file: Option<&str>) {
    let Some(first) = cites.first() else { return };
    line(out, "source", first.source.as_deref().map(quoted));
    let at = first.at.as_deref().or(file);
    line(out, "at", at.map(quoted));
}

/// The file name a record was read from, without its folder.
fn file_of(dataset: &Dataset, file: usize) -> Option<&str> {
    let name = dataset.files.get(file)?.name.as_str();
    Path::new(name).file_name()?.to_str()
}

/// The parties `sites` and `clusters` name, in the dataset's order.
fn named_parties<'d>(sites: &[&'d Site], clusters: &[&'d Cluster]) -> BTreeSet<&'d str> {
    let mut named = BTreeSet::new();
    for s in sites {
        named.extend(s.owner.as_deref());
        named.extend(s.users.iter().map(|u| u.party.as_str()));
    }
    for c in clusters {
        named.extend(c.owners.iter().map(String::as_str));
        named.extend(c.users.iter().map(String::as_str));
    }
    named
}

/// The dataset's sites and clusters as one format 2 file; `inputs` name
/// what was read, for the file's header.
pub fn to_toml(dataset: &Dataset, inputs: &[String]) -> String {
    let sites: Vec<&Site> = dataset.sites.iter().collect();
    let clusters: Vec<&Cluster> = dataset.clusters.iter().collect();
    let parties = named_parties(&sites, &clusters);
    let mut cited: BTreeSet<&str> = BTreeSet::new();
    for c in sites
        .iter()
        .flat_map(|s| {
            s.cites
                .iter()
                .chain(s.timeline.iter().flat_map(|e| e.cites.iter()))
        })
        .chain(clusters.iter().flat_map(|c| c.cites.iter()))
    {
        cited.extend(c.source.as_deref());
    }

    let mut out = String::new();
    out.push_str("# gigawatt data file (format 2), written by `gigawatt import` from:\n");
    for input in inputs {
        let _ = writeln!(out, "#   {}", crate::text::escape_controls(input));
    }
    out.push_str(
        "# Figures are as the tables gave them. Epoch AI publishes its data under the\n\
         # Creative Commons Attribution licence: keep the citations that credit it.\n\n",
    );
    out.push_str("format = 2\n\n[dataset]\n");
    line(
        &mut out,
        "title",
        Some(quoted("Imported sites and clusters")),
    );
    line(&mut out, "as_of", Some(dataset.as_of.to_string()));
    line(
        &mut out,
        "summary",
        Some(quoted(&format!(
            "{} sites and {} clusters as read from the tables named above.",
            sites.len(),
            clusters.len()
        ))),
    );

    for source in dataset
        .sources
        .iter()
        .filter(|s| cited.contains(s.id.as_str()))
    {
        out.push_str("\n[[sources]]\n");
        line(&mut out, "id", Some(quoted(&source.id)));
        line(&mut out, "title", Some(quoted(&source.title)));
        line(
            &mut out,
            "publisher",
            source.publisher.as_deref().map(quoted),
        );
        line(&mut out, "published", source.published.as_ref().map(date));
        line(&mut out, "url", source.url.as_deref().map(quoted));
        line(&mut out, "kind", Some(quoted(source.kind.as_str())));
    }

    for party in dataset
        .providers
        .iter()
        .filter(|p| parties.contains(p.id.as_str()))
    {
        out.push_str("\n[[parties]]\n");
        line(&mut out, "id", Some(quoted(&party.id)));
        line(&mut out, "name", Some(quoted(&party.name)));
        line(&mut out, "kind", Some(quoted(party.kind.as_str())));
        if !party.aliases.is_empty() {
            let aliases: Vec<String> = party.aliases.iter().map(|a| quoted(a)).collect();
            line(
                &mut out,
                "aliases",
                Some(format!("[{}]", aliases.join(", "))),
            );
        }
        if party.imported {
            line(&mut out, "imported", Some("true".into()));
        }
    }

    for site in &sites {
        write_site(&mut out, dataset, site);
    }
    for cluster in &clusters {
        write_cluster(&mut out, dataset, cluster);
    }
    out
}

fn write_site(out: &mut String, dataset: &Dataset, s: &Site) {
    let file = file_of(dataset, s.file);
    out.push_str("\n[[sites]]\n");
    line(out, "id", Some(quoted(&s.id)));
    line(out, "name", Some(quoted(&s.name)));
    line(out, "owner", s.owner.as_deref().map(quoted));
    line(
        out,
        "owner_confidence",
        s.owner_confidence.map(|c| quoted(c.as_str())),
    );
    if !s.users.is_empty() {
        let users: Vec<String> = s
            .users
            .iter()
            .map(|u| {
                format!(
                    "{{ party = {}, confidence = {} }}",
                    quoted(&u.party),
                    quoted(u.confidence.as_str())
                )
            })
            .collect();
        line(out, "users", Some(format!("[{}]", users.join(", "))));
    }
    line(out, "project", s.project.as_deref().map(quoted));
    line(out, "country", s.country.as_deref().map(quoted));
    line(out, "region", s.region.as_deref().map(quoted));
    if let Some((lat, lon)) = s.coordinates {
        line(out, "latitude", Some(lat.to_string()));
        line(out, "longitude", Some(lon.to_string()));
    }
    line(out, "power", s.power.as_ref().map(figure));
    line(out, "status", s.status.map(|st| quoted(st.as_str())));
    line(out, "summary", s.summary.as_deref().map(quoted));
    if let Some(current) = &s.current {
        line(out, "current_power", current.power.as_ref().map(figure));
        line(out, "current_h100e", current.h100e.as_ref().map(figure));
        line(out, "current_capex", current.capex.as_ref().map(figure));
    }
    cites(out, &s.cites, file);
    for entry in &s.timeline {
        write_entry(out, entry, file);
    }
}

fn write_entry(out: &mut String, e: &SiteEntry, file: Option<&str>) {
    out.push_str("\n[[sites.timeline]]\n");
    line(out, "date", Some(date(&e.date)));
    line(out, "power", e.power.as_ref().map(figure));
    line(out, "it_power", e.it_power.as_ref().map(figure));
    line(out, "h100e", e.h100e.as_ref().map(figure));
    line(out, "buildings", e.buildings.map(|b| b.to_string()));
    line(out, "capex", e.capex.as_ref().map(figure));
    line(out, "status", e.status.as_deref().map(quoted));
    cites(out, &e.cites, file);
}

fn write_cluster(out: &mut String, dataset: &Dataset, c: &Cluster) {
    let ids = |ids: &[String]| {
        (!ids.is_empty()).then(|| {
            let quoted: Vec<String> = ids.iter().map(|i| quoted(i)).collect();
            format!("[{}]", quoted.join(", "))
        })
    };
    out.push_str("\n[[clusters]]\n");
    line(out, "id", Some(quoted(&c.id)));
    line(out, "name", Some(quoted(&c.name)));
    line(out, "status", c.status.as_deref().map(quoted));
    line(out, "certainty", c.certainty.as_deref().map(quoted));
    line(out, "owners", ids(&c.owners));
    line(out, "users", ids(&c.users));
    line(out, "country", c.country.as_deref().map(quoted));
    line(out, "h100e", c.h100e.as_ref().map(figure));
    line(out, "power", c.power.as_ref().map(figure));
    line(out, "chips", c.chips.as_deref().map(quoted));
    line(
        out,
        "first_operational",
        c.first_operational.as_ref().map(date),
    );
    cites(out, &c.cites, file_of(dataset, c.file));
}
