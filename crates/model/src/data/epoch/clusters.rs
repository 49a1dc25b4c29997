//! Epoch AI's GPU clusters table (`gpu_clusters.csv`, formerly "AI
//! Supercomputers"): a cluster a row, with its chips, size, power and who
//! owns and uses it.

use super::cells::{CLUSTERS_SOURCE, Cells, Header, Place, Tagged, cite};
use crate::data::site::Cluster;

/// The cluster's name, not unique: Epoch AI names 257 rows "Anonymized
/// Chinese System".
pub const NAME: &[&str] = &["Name"];
const STATUS: &[&str] = &["Status"];
const CERTAINTY: &[&str] = &["Certainty"];
const CHIPS: &[&str] = &["Chip type (primary)", "Chip type"];
const H100E: &[&str] = &["H100 equivalents"];
const COUNTRY: &[&str] = &["Country"];
const OWNER: &[&str] = &["Owner", "Owners"];
const USERS: &[&str] = &["Users"];
const FIRST_OPERATIONAL: &[&str] = &["First Operational Date"];
const POWER: &[&str] = &["Power Capacity (MW)"];

/// Columns of the December 2025 download that the model has no place
/// for: notes, sources, the chips' detail, computed performance and cost.
pub const UNREAD: &[&str] = &[
    "Single cluster?",
    "Max OP/s (log)",
    "Chip quantity (primary)",
    "Note",
    "Sector",
    "Hardware Cost",
    "Location",
    "Hardware note",
    "Quote",
    "First Operational Date Note",
    "Certainty Note",
    "Energy Efficiency (log)",
    "Builds Upon",
    "Superseded by",
    "Possible Duplicate",
    "Possible Duplicate Of",
    "Chip type (secondary)",
    "Chip quantity (secondary)",
    "Total number of AI chips",
    "GPU Supplier (primary)",
    "GPU supplier (secondary)",
    "Include in Standard Analysis",
    "Exclude",
    "Rank when first operational",
    "16-bit OP/s (log)",
    "Max OP/s",
    "8-bit OP/s",
    "16-bit OP/s",
    "32-bit OP/s",
    "Calculated Power Capacity (MW)",
    "Reported Power Capacity (MW)",
    "Energy Efficiency",
    "Calculated Cost",
    "Reported Cost",
    "Reported Cost (Inflation adjusted)",
    "Cost Quote",
    "Noteworthy",
    "Decommissioned Date (if applicable)",
    "Largest existing cluster when first operational",
    "% of largest cluster when first operational",
    "Source 1",
    "Source 2",
    "Source 3",
    "Source 4",
    "Source 5",
];

#[derive(Debug)]
pub struct Columns {
    name: usize,
    status: Option<usize>,
    certainty: Option<usize>,
    chips: Option<usize>,
    h100e: Option<usize>,
    country: Option<usize>,
    owner: Option<usize>,
    users: Option<usize>,
    first_operational: Option<usize>,
    power: Option<usize>,
}

impl Columns {
    /// The columns, if `header` is a clusters table's: a name, a
    /// certainty and a chip type.
    pub fn of(header: &mut Header) -> Option<Columns> {
        if !header.has(CERTAINTY) || !header.has(CHIPS) {
            return None;
        }
        Some(Columns {
            name: header.find(NAME)?,
            status: header.find(STATUS),
            certainty: header.find(CERTAINTY),
            chips: header.find(CHIPS),
            h100e: header.find(H100E),
            country: header.find(COUNTRY),
            owner: header.find(OWNER),
            users: header.find(USERS),
            first_operational: header.find(FIRST_OPERATIONAL),
            power: header.find(POWER),
        })
    }
}

/// A cluster as its row gives it; its owners and users are named in words
/// until `join` finds their parties, and its id is made when the table is
/// whole (names repeat).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    pub cluster: Cluster,
    pub owners: Vec<Tagged>,
    pub users: Vec<Tagged>,
    /// The name's cell.
    pub at: Place,
}

pub fn row(columns: &Columns, cells: &mut Cells<'_>) -> Option<ClusterRow> {
    let at = cells.place(columns.name);
    let name = cells.text(Some(columns.name));
    if name.is_none() && cells.raw(columns.name).is_empty() {
        cells.problem(columns.name, "empty; every cluster needs one".to_string());
    }
    let cluster = Cluster {
        id: String::new(),
        name: String::new(),
        status: cells.text(columns.status),
        certainty: cells.text(columns.certainty),
        owners: Vec::new(),
        users: Vec::new(),
        country: cells.text(columns.country),
        h100e: cells.count(columns.h100e),
        power: cells.megawatts(columns.power),
        chips: cells.text(columns.chips),
        first_operational: cells.date(columns.first_operational),
        cites: vec![cite(CLUSTERS_SOURCE)].into(),
        file: 0,
    };
    let owners = cells.tagged(columns.owner);
    let users = cells.tagged(columns.users);
    Some(ClusterRow {
        cluster: Cluster {
            name: name?,
            ..cluster
        },
        owners,
        users,
        at,
    })
}
