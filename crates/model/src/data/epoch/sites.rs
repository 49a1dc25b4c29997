//! The Frontier Data Centers hub's data centers table
//! (`data_centers.csv`): a site a row, keyed by `Handle` (`Name` in other
//! downloads), with who owns and uses it, where it is, and the hub's
//! current figures.

use super::cells::{Axis, Cells, HUB_SOURCE, Header, Place, Tagged, cite};
use crate::data::site::{Confidence, HubCurrent, Site};
use crate::data::vocabulary::Vocabulary;

/// The key: what the timelines table names a site by (or by its title).
pub const KEY: &[&str] = &["Handle", "Name"];
const TITLE: &[&str] = &["Title"];
const PROJECT: &[&str] = &["Project"];
const LATITUDE: &[&str] = &["Latitude"];
const LONGITUDE: &[&str] = &["Longitude"];
const OWNER: &[&str] = &["Owner", "Owners"];
const USERS: &[&str] = &["Users"];
const COUNTRY: &[&str] = &["Country"];
const H100E: &[&str] = &["Current H100 equivalents"];
const POWER: &[&str] = &["Current power (MW)"];
const CAPEX: &[&str] = &["Current total capital cost (2025 USD billions)"];

/// Columns the hub's downloads have that are not read: satellite images
/// (signed, short-lived links), addresses, and the companies around a
/// site that are not its owner or users.
pub const UNREAD: &[&str] = &[
    "Sentinel satellite timelapse",
    "Address",
    "Investors",
    "Construction companies",
    "Energy companies",
];

/// Where the table's columns are.
#[derive(Debug)]
pub struct Columns {
    key: usize,
    title: Option<usize>,
    project: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    owner: Option<usize>,
    users: Option<usize>,
    country: Option<usize>,
    h100e: Option<usize>,
    power: Option<usize>,
    capex: Option<usize>,
}

impl Columns {
    /// The columns, if `header` is a data centers table's: a key and at
    /// least one of the hub's current figures.
    pub fn of(header: &mut Header) -> Option<Columns> {
        if ![H100E, POWER, CAPEX].iter().any(|c| header.has(c)) {
            return None;
        }
        Some(Columns {
            key: header.find(KEY)?,
            title: header.find(TITLE),
            project: header.find(PROJECT),
            latitude: header.find(LATITUDE),
            longitude: header.find(LONGITUDE),
            owner: header.find(OWNER),
            users: header.find(USERS),
            country: header.find(COUNTRY),
            h100e: header.find(H100E),
            power: header.find(POWER),
            capex: header.find(CAPEX),
        })
    }
}

/// A site as its row gives it; its owner and users are named in words
/// until `join` finds their parties.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRow {
    /// Owner and users still empty.
    pub site: Site,
    /// The key as written, which the timelines name the site by.
    pub handle: String,
    /// The first is the owner; any more are counted as users.
    pub owners: Vec<Tagged>,
    pub users: Vec<Tagged>,
    /// The key's cell.
    pub at: Place,
}

pub fn row(columns: &Columns, cells: &mut Cells<'_>) -> Option<SiteRow> {
    let at = cells.place(columns.key);
    let handle = cells.text(Some(columns.key));
    if handle.is_none() && cells.raw(columns.key).is_empty() {
        cells.problem(
            columns.key,
            "empty; every data center needs one".to_string(),
        );
    }
    let title = cells.text(columns.title);
    let project = cells
        .tagged(columns.project)
        .into_iter()
        .map(|p| match p.confidence {
            // The project's own tag has nowhere else to go: a doubt is
            // kept in its words.
            Some(c) if c != Confidence::Confident => {
                format!("{} ({})", p.name, c.as_str())
            }
            _ => p.name,
        })
        .collect::<Vec<_>>();
    let latitude = cells.degrees(columns.latitude, Axis::Latitude);
    let longitude = cells.degrees(columns.longitude, Axis::Longitude);
    let half = match (columns.latitude, columns.longitude) {
        (Some(lat), Some(lon)) => match (cells.raw(lat).is_empty(), cells.raw(lon).is_empty()) {
            (true, false) => Some((lat, cells.header.name(lon).to_string())),
            (false, true) => Some((lon, cells.header.name(lat).to_string())),
            _ => None,
        },
        _ => None,
    };
    if let Some((empty, given)) = half {
        cells.problem(
            empty,
            format!("empty, but {given} is given; give both or neither"),
        );
    }
    let owners = cells.tagged(columns.owner);
    let users = cells.tagged(columns.users);
    let country = cells.text(columns.country);
    let hub = columns.h100e.is_some() || columns.power.is_some() || columns.capex.is_some();
    let current = HubCurrent {
        power: cells.megawatts(columns.power),
        h100e: cells.count(columns.h100e),
        capex: cells.billions(columns.capex),
    };
    let handle = handle?;
    let site = Site {
        id: super::cells::slug(&handle),
        name: title.unwrap_or_else(|| handle.clone()),
        owner: None,
        owner_confidence: None,
        users: Vec::new(),
        project: (!project.is_empty()).then(|| project.join(", ")),
        country,
        region: None,
        coordinates: latitude.zip(longitude),
        power: None,
        status: None,
        summary: None,
        current: hub.then_some(current),
        cites: vec![cite(HUB_SOURCE)].into(),
        timeline: Vec::new(),
        file: 0,
    };
    Some(SiteRow {
        site,
        handle,
        owners,
        users,
        at,
    })
}
