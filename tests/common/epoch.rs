//! Epoch AI's tables for the tests: small copies of the three downloads'
//! schemas ([`SITES`], [`TIMELINES`], [`CLUSTERS`]), the real December 2025
//! files when the shared folder is present ([`field_data`]), and ways to
//! reshape a table as other downloads have it ([`reshape`], [`map_column`]).
//!
//! The fixtures, line by line, as the tests locate problems in them:
//! - `SITES`: line 1 the header (the 15 columns of `data_centers.csv`);
//!   line 2 Abilene, line 3 Fairwater Wisconsin, lines 4-5 Goodnight, whose
//!   satellite cell spans both lines (its coordinates are on line 5) and
//!   whose current figures are empty.
//! - `TIMELINES`: CRLF, as the real file; line 1 the header (13 columns),
//!   lines 2-4 Abilene (the 2027 row has no H100 equivalents), line 5
//!   Fairwater Wisconsin.
//! - `CLUSTERS`: 13 of the 55 columns; lines 2-5, two of them named
//!   "Anonymized Chinese System", the last with two owners in one cell.

use std::path::{Path, PathBuf};

pub const SITES: &str = concat!(
    "Handle,Title,Project,Sentinel satellite timelapse,Address,Latitude,Longitude,Owner,Users,",
    "Investors,Construction companies,Energy companies,Current H100 equivalents,",
    "Current power (MW),Current total capital cost (2025 USD billions)\n",
    "OpenAI-Oracle Stargate Abilene Texas,OpenAI Stargate Abilene,Stargate #confident,",
    "\"[{'id': 'att1', 'filename': 'abilene.png'}]\",\"5502 Spinks Rd, Abilene, TX 79601\",",
    "\"32°29'59\"\"N \",\"99°47'02\"\"W\",Oracle #confident,OpenAI #confident,",
    "\"Softbank,OpenAI,Oracle\",\"Crusoe,Mortenson\",American Electric Power,",
    "254674.07781707932,295,8\n",
    "Microsoft Fairwater Mount Pleasant Wisconsin,Microsoft Fairwater Wisconsin,",
    "Microsoft AI WAN #confident,,\"4800 90th St, Mount Pleasant, WI 53403\",",
    "\"42°40'28\"\"N\",\"87°53'42\"\"W\",Microsoft #confident,\"OpenAI #likely, Microsoft #likely\",",
    ",,WE Energies,0,0,0\n",
    "Crusoe Goodnight Texas,Goodnight,,\"[{'id': 'att2',\n'filename': 'goodnight.png'}]\",",
    "\"10001 Lima Rd, Claude, TX 79019\",\"35°01'01\"\"N\",\" 101°18'43\"\"W\",,",
    "Google #speculative,,\"Crusoe,Hoffman\",Serena,,,\n",
);

pub const TIMELINES: &str = concat!(
    "Date,Data center,Construction status,Power (MW),H100 equivalents,Buildings operational,",
    "Total capital cost (2025 USD billions),Compute cost (2025 USD billions),",
    "Construction cost (2025 USD billions),Building area (square feet),",
    "Site area (square feet),Water use (MGD),Performance (8-bit OP/s)\r\n",
    "6/1/2024,OpenAI-Oracle Stargate Abilene Texas,Land clearing begins,0,0,0,0,0,0,,,,0\r\n",
    "9/30/2025,OpenAI-Oracle Stargate Abilene Texas,",
    "\"Buildings 1 and 2 operational, per [Crusoe](https://crusoe.ai)\",295,254674.0778,2,8,",
    "6.1,1.9,,,,8.44323E+18\r\n",
    "1/1/2027,OpenAI-Oracle Stargate Abilene Texas,Eight buildings planned,1200,,8,32,,,,,,\r\n",
    "3/1/2026,Microsoft Fairwater Mount Pleasant Wisconsin,First building operational,300,",
    "150000,1,10.5,,,,,,\r\n",
);

pub const CLUSTERS: &str = concat!(
    "Name,Status,Certainty,Single cluster?,H100 equivalents,Chip type (primary),",
    "Chip quantity (primary),Country,Owner,First Operational Date,Power Capacity (MW),Users,",
    "Source 1\r\n",
    "xAI Colossus Memphis Phase 2,Existing,Confirmed,TRUE,200000,NVIDIA H100 SXM5 80GB,150000,",
    "United States of America,xAI,6/15/2025,300,xAI,https://x.ai\r\n",
    "Anonymized Chinese System,Existing,Likely,,30,,,China,,11/15/2019,0.3,,\r\n",
    "Anonymized Chinese System,Planned,Unlikely,,40,,,China,,,,Cloud,\r\n",
    "\"OpenAI/Microsoft Mt Pleasant, Wisconsin Phase 1\",Planned,Likely,,,NVIDIA GB200,,",
    "United States of America,\"Microsoft,OpenAI\",,,\"OpenAI,Microsoft\",\r\n",
);

/// The file names of the three downloads.
pub const NAMES: [&str; 3] = [
    "data_centers.csv",
    "data_center_timelines.csv",
    "gpu_clusters.csv",
];

/// The fixtures under the downloads' names.
pub fn fixtures() -> [(&'static str, &'static str); 3] {
    [
        (NAMES[0], SITES),
        (NAMES[1], TIMELINES),
        (NAMES[2], CLUSTERS),
    ]
}

/// The shared folder of Epoch AI's December 2025 downloads, if this
/// machine has it (see its README.md); tests of the real files skip
/// without it.
pub fn field_data() -> Option<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/field-data");
    let present = NAMES.iter().all(|n| folder.join(n).is_file());
    if !present {
        eprintln!("skipping: {} is not present", folder.display());
    }
    present.then_some(folder)
}

/// A table's records, its header aside, as the csv crate counts them.
pub fn records(text: &str) -> usize {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .count()
}

/// `text` as another download might have it: columns renamed (`rename`,
/// header names), dropped (`drop`), added with one value in every row
/// (`add`), and then in reverse order.
pub fn reshape(text: &str, rename: &[(&str, &str)], drop: &[&str], add: &[(&str, &str)]) -> String {
    let rows = rows_of(text);
    let header = &rows[0];
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !drop.contains(&header[i].as_str()))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = keep.iter().map(|&i| row[i].clone()).collect();
        if n == 0 {
            for cell in &mut cells {
                if let Some((_, to)) = rename.iter().find(|(from, _)| from == cell) {
                    *cell = (*to).to_string();
                }
            }
        }
        for (name, value) in add {
            cells.push(if n == 0 { name } else { value }.to_string());
        }
        cells.reverse();
        out.push(cells);
    }
    write_rows(&out)
}

/// `text` with every cell of `column` below the header replaced by `f`'s.
pub fn map_column(text: &str, column: &str, f: impl Fn(&str) -> String) -> String {
    let mut rows = rows_of(text);
    let at = rows[0]
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column:?}"));
    for row in rows.iter_mut().skip(1) {
        row[at] = f(&row[at]);
    }
    write_rows(&rows)
}

/// A date as the hub's newer downloads write it: m/d/yyyy to yyyy-mm-dd.
pub fn iso_date(date: &str) -> String {
    let parts: Vec<u32> = date
        .split('/')
        .map(|p| p.parse().expect("a m/d/yyyy date"))
        .collect();
    format!("{:04}-{:02}-{:02}", parts[2], parts[0], parts[1])
}

/// Each handle of a data centers table, with its title.
pub fn titles(sites: &str) -> Vec<(String, String)> {
    let rows = rows_of(sites);
    rows.iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

fn rows_of(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a valid fixture")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn write_rows(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).expect("write a row");
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8")
}

/// Writes `files` (name, text) into a new temp folder.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = super::temp_dir();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write a table");
    }
    dir
}
