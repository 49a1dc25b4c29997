//! The Frontier Data Centers hub's timelines table
//! (`data_center_timelines.csv`): dated states of its data centers, each
//! naming its site by handle (by title in other downloads).

use super::cells::{Cells, HUB_SOURCE, Header, Place, cite};
use crate::data::site::SiteEntry;

const DATE: &[&str] = &["Date"];
/// The site a row is of.
pub const SITE: &[&str] = &["Data center", "Data centre"];
const STATUS: &[&str] = &["Construction status"];
const POWER: &[&str] = &["Power (MW)", "Facility power (MW)"];
const IT_POWER: &[&str] = &["IT power (MW)"];
const H100E: &[&str] = &["H100 equivalents"];
const BUILDINGS: &[&str] = &["Buildings operational"];
const CAPEX: &[&str] = &["Total capital cost (2025 USD billions)"];

/// Columns the hub's downloads have that the model has no place for.
pub const UNREAD: &[&str] = &[
    "Compute cost (2025 USD billions)",
    "Construction cost (2025 USD billions)",
    "Building area (square feet)",
    "Site area (square feet)",
    "Water use (MGD)",
    "Performance (8-bit OP/s)",
    "Annual operating cost",
    "Annual operating cost (2025 USD billions)",
];

#[derive(Debug)]
pub struct Columns {
    date: usize,
    site: usize,
    status: Option<usize>,
    power: Option<usize>,
    it_power: Option<usize>,
    h100e: Option<usize>,
    buildings: Option<usize>,
    capex: Option<usize>,
}

impl Columns {
    /// The columns, if `header` is a timelines table's: a date and a site.
    pub fn of(header: &mut Header) -> Option<Columns> {
        Some(Columns {
            date: header.find(DATE)?,
            site: header.find(SITE)?,
            status: header.find(STATUS),
            power: header.find(POWER),
            it_power: header.find(IT_POWER),
            h100e: header.find(H100E),
            buildings: header.find(BUILDINGS),
            capex: header.find(CAPEX),
        })
    }
}

/// An entry of a site's timeline, and the site it names in words.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    /// A handle or a title, as written.
    pub site: String,
    pub entry: SiteEntry,
    /// The site's cell.
    pub at: Place,
}

pub fn row(columns: &Columns, cells: &mut Cells<'_>) -> Option<TimelineRow> {
    let at = cells.place(columns.site);
    let site = cells.text(Some(columns.site));
    if site.is_none() && cells.raw(columns.site).is_empty() {
        let message = "empty; every timeline entry names its data center".to_string();
        cells.problem(columns.site, message);
    }
    let date = cells.date(Some(columns.date));
    if cells.raw(columns.date).is_empty() {
        let message = "empty; every timeline entry has a date".to_string();
        cells.problem(columns.date, message);
    }
    // Every cell is read, so that one row's problems are all reported.
    let power = cells.megawatts(columns.power);
    let it_power = cells.megawatts(columns.it_power);
    let h100e = cells.count(columns.h100e);
    let buildings = cells.whole(columns.buildings);
    let capex = cells.billions(columns.capex);
    let status = cells.text(columns.status);
    Some(TimelineRow {
        site: site?,
        entry: SiteEntry {
            date: date?,
            power,
            it_power,
            h100e,
            buildings,
            capex,
            status,
            cites: vec![cite(HUB_SOURCE)].into(),
        },
        at,
    })
}
