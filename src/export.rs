//! Tables for `gigawatt export` and the TUI's `e`: one set of columns, three
//! formats. Columns are stable, so scripts can rely on them.

use std::fmt;
use std::io::Write;

use std::collections::HashMap;

use crate::data::{Commitment, Dataset, Vocabulary};
use crate::derive::{self, DerivedValue};
use crate::figure::Figure;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableName {
    Providers,
    Commitments,
    Milestones,
    Notes,
    Derived,
}

impl TableName {
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Providers => "providers",
            TableName::Commitments => "commitments",
            TableName::Milestones => "milestones",
            TableName::Notes => "notes",
            TableName::Derived => "derived",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Csv,
    Json,
    Markdown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            // Whole numbers print without a trailing ".0" (610400000000).
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            Cell::Number(n) => write!(f, "{n}"),
            Cell::Empty => Ok(()),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt<T: ToString>(value: Option<T>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

fn num(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Number)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

pub const COMMITMENT_COLUMNS: &[&str] = &[
    "id",
    "provider",
    "provider_name",
    "value_usd",
    "value_qualifier",
    "value_text",
    "term_years",
    "announced",
    "status",
    "online_by",
    "source",
    "at",
];

/// A table of the dataset. `order`, when given, picks and orders the records
/// (the TUI passes what is on screen, filtered and sorted).
pub fn table(dataset: &Dataset, name: TableName, order: Option<&[usize]>) -> Table {
    let pick = |len: usize| -> Vec<usize> {
        match order {
            Some(order) => order.iter().copied().filter(|&i| i < len).collect(),
            None => (0..len).collect(),
        }
    };
    let figure_qualifier = |f: Option<&Figure>| opt(f.map(|f| f.qualifier.code()));
    let figure_text = |f: Option<&Figure>| opt(f.map(|f| f.text.clone()));
    match name {
        TableName::Commitments => Table {
            columns: COMMITMENT_COLUMNS,
            rows: pick(dataset.commitments.len())
                .into_iter()
                .map(|i| {
                    let c = &dataset.commitments[i];
                    let provider = dataset.provider(&c.provider);
                    vec![
                        text(&c.id),
                        text(&c.provider),
                        opt(provider.map(|p| p.name.clone())),
                        num(c.value.as_ref().map(|v| v.value)),
                        figure_qualifier(c.value.as_ref()),
                        figure_text(c.value.as_ref()),
                        num(c.term.as_ref().and_then(Figure::years).map(round6)),
                        opt(c.announced),
                        text(c.status.as_str()),
                        opt(c.online_by),
                        opt(c.cite.source.clone()),
                        opt(c.cite.at.clone()),
                    ]
                })
                .collect(),
        },
        TableName::Providers => {
            let all: Vec<_> = dataset.commitments.iter().collect();
            let total = derive::committed_total(&all);
            // Grouped once: a scan of every commitment per provider is
            // quadratic (16 s for 100k commitments).
            let mut by_provider: HashMap<&str, Vec<&Commitment>> = HashMap::new();
            for c in &all {
                by_provider.entry(c.provider.as_str()).or_default().push(c);
            }
            Table {
                columns: &[
                    "id",
                    "name",
                    "parent",
                    "kind",
                    "hardware",
                    "commitments",
                    "disclosed_usd",
                    "disclosed_qualifier",
                    "covers",
                    "share_pct",
                    "source",
                    "at",
                ],
                rows: pick(dataset.providers.len())
                    .into_iter()
                    .map(|i| {
                        let p = &dataset.providers[i];
                        let own = by_provider.get(p.id.as_str()).cloned().unwrap_or_default();
                        let sub = derive::committed_total(&own);
                        let share = sub.figure().zip(total.figure()).and_then(|(s, t)| {
                            (t.value > 0.0).then(|| round6(s.value / t.value * 100.0))
                        });
                        vec![
                            text(&p.id),
                            text(&p.name),
                            opt(p.parent.clone()),
                            text(p.kind.as_str()),
                            text(p.hardware.join("; ")),
                            Cell::Number(own.len() as f64),
                            num(sub.figure().map(|f| f.value)),
                            opt(sub.qualifier().map(|q| q.code())),
                            opt(sub.covers_text()),
                            num(share),
                            opt(p.cite.source.clone()),
                            opt(p.cite.at.clone()),
                        ]
                    })
                    .collect(),
            }
        }
        TableName::Milestones => {
            let milestones = dataset
                .capacity
                .as_ref()
                .map_or(&[][..], |c| &c.milestones[..]);
            Table {
                columns: &["date", "label", "provider", "source", "at"],
                rows: pick(milestones.len())
                    .into_iter()
                    .map(|i| {
                        let m = &milestones[i];
                        vec![
                            text(m.date.to_string()),
                            text(&m.label),
                            opt(m.provider.clone()),
                            opt(m.cite.source.clone()),
                            opt(m.cite.at.clone()),
                        ]
                    })
                    .collect(),
            }
        }
        TableName::Notes => Table {
            columns: &[
                "date",
                "subject",
                "kind",
                "headline",
                "change_pct",
                "change_qualifier",
                "amount_usd",
                "amount_qualifier",
                "amount_text",
                "speaker",
                "body",
                "source",
                "at",
            ],
            rows: pick(dataset.notes.len())
                .into_iter()
                .map(|i| {
                    let n = &dataset.notes[i];
                    vec![
                        opt(n.date),
                        text(&n.subject),
                        text(n.kind.as_str()),
                        text(&n.headline),
                        num(n.change.as_ref().map(|f| f.value)),
                        figure_qualifier(n.change.as_ref()),
                        num(n.amount.as_ref().map(|f| f.value)),
                        figure_qualifier(n.amount.as_ref()),
                        figure_text(n.amount.as_ref()),
                        opt(n.speaker.clone()),
                        opt(n.body.clone()),
                        opt(n.cite.source.clone()),
                        opt(n.cite.at.clone()),
                    ]
                })
                .collect(),
        },
        TableName::Derived => {
            let all = derive::all(dataset);
            Table {
                columns: &[
                    "key",
                    "label",
                    "value",
                    "unit",
                    "qualifier",
                    "covers",
                    "formula",
                ],
                rows: pick(all.len())
                    .into_iter()
                    .map(|i| {
                        let d = &all[i];
                        let (value, unit) = match &d.value {
                            DerivedValue::Figure(f) => {
                                (Cell::Number(round6(f.value)), text(f.unit.code()))
                            }
                            DerivedValue::Date(date, _) => (text(date.to_string()), text("date")),
                            DerivedValue::Undisclosed => (Cell::Empty, Cell::Empty),
                        };
                        vec![
                            text(&d.key),
                            text(&d.label),
                            value,
                            unit,
                            opt(d.qualifier().map(|q| q.code())),
                            opt(d.covers_text()),
                            text(&d.formula),
                        ]
                    })
                    .collect(),
            }
        }
    }
}

/// Six decimals are plenty and keep float noise out of exports.
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

pub fn write(table: &Table, format: Format, out: &mut dyn Write) -> Result<(), ExportError> {
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(table.columns)?;
            for row in &table.rows {
                writer.write_record(row.iter().map(ToString::to_string))?;
            }
            writer.flush()?;
        }
        Format::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
                .rows
                .iter()
                .map(|row| {
                    table
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(column, cell)| {
                            let value = match cell {
                                Cell::Text(s) => serde_json::Value::String(s.clone()),
                                Cell::Number(n) => serde_json::Number::from_f64(*n)
                                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
                                Cell::Empty => serde_json::Value::Null,
                            };
                            (column.to_string(), value)
                        })
                        .collect()
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        Format::Markdown => {
            let escape = |s: String| s.replace('|', "\\|").replace('\n', " ");
            writeln!(out, "| {} |", table.columns.join(" | "))?;
            writeln!(out, "|{}", " --- |".repeat(table.columns.len()))?;
            for row in &table.rows {
                let cells: Vec<String> = row.iter().map(|c| escape(c.to_string())).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
    }
    Ok(())
}
