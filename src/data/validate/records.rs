//! Each kind of record, and the whole file: required keys, figures of the
//! right kind, ids unique and references resolved.

use std::collections::HashMap;

use toml::Spanned;

use super::{At, Place, Refs, Validator, format_versions};
use crate::data::FORMATS;
use crate::data::model::*;
use crate::data::raw;
use crate::figure::Kind;

/// `[dataset]`'s keys, as far as they are valid.
#[derive(Debug, Default)]
pub(in crate::data) struct DatasetMeta {
    pub title: Option<String>,
    pub subject: Option<String>,
    pub as_of: Option<chrono::NaiveDate>,
    pub summary: Option<String>,
}

impl Validator<'_> {
    pub(in crate::data) fn dataset_meta(&mut self, dataset: Spanned<raw::Dataset>) -> DatasetMeta {
        let at = At {
            place: Place::Table("dataset"),
            span: dataset.span(),
        };
        let d = dataset.into_inner();
        let title = self.required(d.title, &at, "title", "a string");
        let subject = self.required(d.subject, &at, "subject", "a string");
        let as_of = self.required_date(d.as_of, &at, "as_of");
        let summary = self.prose(d.summary, &at, "summary");
        DatasetMeta {
            title,
            subject,
            as_of,
            summary,
        }
    }

    pub(in crate::data) fn source(&mut self, i: usize, s: Spanned<raw::Source>) -> Option<Source> {
        let at = At::item("sources", i, s.span());
        let s = s.into_inner();
        Some(Source {
            id: self.id(s.id, &at)?,
            title: self.required(s.title, &at, "title", "a string")?,
            publisher: self.text(s.publisher, &at, "publisher"),
            published: self.date(s.published, &at, "published"),
            url: self.text(s.url, &at, "url"),
        })
    }

    pub(in crate::data) fn provider(
        &mut self,
        i: usize,
        p: Spanned<raw::Provider>,
        refs: Option<&Refs>,
    ) -> Option<Provider> {
        let at = At::item("providers", i, p.span());
        let p = p.into_inner();
        let id = self.id(p.id, &at);
        let name = self.required(p.name, &at, "name", "a string");
        let kind = self.word::<ProviderKind>(p.kind, &at, "kind");
        let hardware: Vec<String> = p
            .hardware
            .into_iter()
            .enumerate()
            .map(|(j, h)| {
                self.clean(&h, || format!("{}[{j}]", Self::key(&at, "hardware")), false);
                h.into_inner()
            })
            .collect();
        let parent = self.text(p.parent, &at, "parent");
        let summary = self.prose(p.summary, &at, "summary");
        let cite = self.cite(p.source, p.at, &at, refs);
        Some(Provider {
            id: id?,
            name: name?,
            parent,
            kind: kind?,
            hardware,
            summary,
            cite,
        })
    }

    pub(in crate::data) fn commitment(
        &mut self,
        i: usize,
        c: Spanned<raw::Commitment>,
        refs: Option<&Refs>,
    ) -> Option<Commitment> {
        let at = At::item("commitments", i, c.span());
        let c = c.into_inner();
        let id = self.id(c.id, &at);
        let provider_span = c.provider.as_ref().map(|p| p.span());
        let provider = self.required(c.provider, &at, "provider", "a provider id");
        self.provider_ref(provider.as_deref(), provider_span, &at, refs);
        let value = self.figure(c.value, &at, "value", Kind::Money);
        let term = self.figure(c.term, &at, "term", Kind::Duration);
        let announced = self.date(c.announced, &at, "announced");
        let status = self.word::<Status>(c.status, &at, "status");
        let online_by = self.date(c.online_by, &at, "online_by");
        let summary = self.prose(c.summary, &at, "summary");
        let cite = self.cite(c.source, c.at, &at, refs);
        Some(Commitment {
            id: id?,
            provider: provider?,
            value,
            term,
            announced,
            status: status?,
            online_by,
            summary,
            cite,
        })
    }

    pub(in crate::data) fn milestone(
        &mut self,
        i: usize,
        m: Spanned<raw::Milestone>,
        refs: Option<&Refs>,
    ) -> Option<Milestone> {
        let at = At::item("capacity.milestones", i, m.span());
        let m = m.into_inner();
        let date = self.required_date(m.date, &at, "date");
        let label = self.required(m.label, &at, "label", "a string");
        let provider_span = m.provider.as_ref().map(|p| p.span());
        let provider = self.text(m.provider, &at, "provider");
        self.provider_ref(provider.as_deref(), provider_span, &at, refs);
        let cite = self.cite(m.source, m.at, &at, refs);
        Some(Milestone {
            date: date?,
            label: label?,
            provider,
            cite,
        })
    }

    /// The capacity block; its milestones are checked first, as they come
    /// first in the block's data.
    pub(in crate::data) fn capacity(
        &mut self,
        c: Spanned<raw::Capacity>,
        refs: Option<&Refs>,
    ) -> Capacity {
        let at = At {
            place: Place::Table("capacity"),
            span: c.span(),
        };
        let c = c.into_inner();
        let milestones = c
            .milestones
            .into_iter()
            .enumerate()
            .map(|(i, m)| self.milestone(i, m, refs))
            .collect::<Vec<_>>();
        Capacity {
            target: self.figure(c.target, &at, "target", Kind::Power),
            target_cost: self.figure(c.target_cost, &at, "target_cost", Kind::Money),
            build_rate: self.figure(c.build_rate, &at, "build_rate", Kind::Rate),
            cost_per_gw: self.figure(c.cost_per_gw, &at, "cost_per_gw", Kind::Money),
            homes_equivalent: self.figure(c.homes_equivalent, &at, "homes_equivalent", Kind::Count),
            summary: self.prose(c.summary, &at, "summary"),
            cite: self.cite(c.source, c.at, &at, refs),
            milestones: milestones.into_iter().flatten().collect(),
        }
    }

    pub(in crate::data) fn note(
        &mut self,
        i: usize,
        n: Spanned<raw::Note>,
        refs: Option<&Refs>,
    ) -> Option<Note> {
        let at = At::item("notes", i, n.span());
        let n = n.into_inner();
        let date = self.date(n.date, &at, "date");
        let subject = self.required(n.subject, &at, "subject", "a company or topic");
        let kind = self.word::<NoteKind>(n.kind, &at, "kind");
        let headline = self.required(n.headline, &at, "headline", "one line");
        let change = self.figure(n.change, &at, "change", Kind::Percent);
        let amount = self.figure(n.amount, &at, "amount", Kind::Money);
        let speaker = self.text(n.speaker, &at, "speaker");
        let body = self.prose(n.body, &at, "body");
        let cite = self.cite(n.source, n.at, &at, refs);
        Some(Note {
            date,
            subject: subject?,
            kind: kind?,
            headline: headline?,
            change,
            amount,
            speaker,
            body,
            cite,
        })
    }

    fn format(&mut self, format: &Option<Spanned<i64>>) {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        match format {
            None => self.missing(&whole, "format", "the format version: format = 1"),
            Some(format) if !FORMATS.contains(format.get_ref()) => {
                let versions = format_versions();
                self.problem(
                    format.span(),
                    "format".into(),
                    format!(
                        "unsupported format {}; this build of gigawatt reads format {versions}",
                        format.get_ref()
                    ),
                );
            }
            Some(_) => {}
        }
    }

    /// The whole file at once: every problem, each with its place.
    pub(in crate::data) fn file(&mut self, file: raw::File) -> Option<Dataset> {
        let whole = At {
            place: Place::Root,
            span: 0..0,
        };
        self.format(&file.format);

        let mut refs = Refs::default();
        for (i, source) in file.sources.iter().enumerate() {
            self.unique(&mut refs.sources, &source.get_ref().id, "sources", i);
        }
        for (i, provider) in file.providers.iter().enumerate() {
            self.unique(&mut refs.providers, &provider.get_ref().id, "providers", i);
        }
        let mut commitment_ids = HashMap::new();
        for (i, commitment) in file.commitments.iter().enumerate() {
            self.unique(
                &mut commitment_ids,
                &commitment.get_ref().id,
                "commitments",
                i,
            );
        }
        drop(commitment_ids);

        let dataset_meta = match file.dataset {
            Some(dataset) => Some(self.dataset_meta(dataset)),
            None => {
                self.missing(
                    &whole,
                    "dataset",
                    "a [dataset] table with title, subject, as_of",
                );
                None
            }
        };

        if file.sources.is_empty() {
            self.missing(&whole, "sources", "at least one [[sources]] entry");
        }
        if file.providers.is_empty() {
            self.missing(&whole, "providers", "at least one [[providers]] entry");
        }

        let refs = Some(&refs);
        let sources: Vec<Option<Source>> = file
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.source(i, s))
            .collect();
        let providers: Vec<Option<Provider>> = file
            .providers
            .into_iter()
            .enumerate()
            .map(|(i, p)| self.provider(i, p, refs))
            .collect();
        let commitments: Vec<Option<Commitment>> = file
            .commitments
            .into_iter()
            .enumerate()
            .map(|(i, c)| self.commitment(i, c, refs))
            .collect();
        let capacity = file.capacity.map(|c| self.capacity(c, refs));
        let notes: Vec<Option<Note>> = file
            .notes
            .into_iter()
            .enumerate()
            .map(|(i, n)| self.note(i, n, refs))
            .collect();

        let meta = dataset_meta?;
        Some(Dataset {
            title: meta.title?,
            subject: meta.subject?,
            as_of: meta.as_of?,
            summary: meta.summary,
            sources: sources.into_iter().collect::<Option<_>>()?,
            providers: providers.into_iter().collect::<Option<_>>()?,
            commitments: commitments.into_iter().collect::<Option<_>>()?,
            capacity,
            notes: notes.into_iter().collect::<Option<_>>()?,
            lookup: Lookup::default(),
        })
    }
}
