//! What every table's reader shares: the header row, and a row's cells
//! read as text, numbers, dates, degrees and tagged names. A cell that is
//! not what its column holds is a problem located at its line and named by
//! its column's header as the file writes it (`FILE:LINE: Date: ...`), and
//! reads as unknown; an empty cell is unknown, never zero.

use std::ops::Range;

use chrono::NaiveDate;

use crate::data::error::Problem;
use crate::data::ids::Cite;
use crate::data::model::{Source, SourceKind};
use crate::data::site::Confidence;
use crate::figure::{Figure, HedgedDate, Qualifier, Unit};
use crate::text::{escape_controls, find_invisible};

/// The source every record of the Frontier Data Centers hub's tables
/// (data centers and their timelines) cites: Epoch AI's data are free to
/// use under CC BY provided Epoch AI is credited, and a cited source is
/// how a record credits it.
pub const HUB_SOURCE: &str = "epoch-ai-frontier-data-centers";
/// The source the GPU clusters table's records cite.
pub const CLUSTERS_SOURCE: &str = "epoch-ai-gpu-clusters";

/// The source record behind `id` (`HUB_SOURCE` or `CLUSTERS_SOURCE`).
pub fn source(id: &str) -> Source {
    let (title, url) = if id == CLUSTERS_SOURCE {
        ("GPU Clusters", "https://epoch.ai/data/gpu-clusters")
    } else {
        (
            "Frontier Data Centers Hub",
            "https://epoch.ai/data/data-centers",
        )
    };
    Source {
        id: id.to_string(),
        title: title.to_string(),
        publisher: Some("Epoch AI".to_string()),
        published: None,
        accessed: None,
        url: Some(url.to_string()),
        kind: SourceKind::Aggregator,
        file: 0,
    }
}

/// A citation of `source`, for every record a table makes.
pub fn cite(source: &str) -> Cite {
    Cite {
        source: Some(source.into()),
        at: None,
    }
}

/// Where a cell is: its line (where the cell starts, which may be after
/// the row's first line when an earlier cell spans lines) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub span: Range<usize>,
    /// The column's name as the header writes it.
    pub column: String,
}

impl Place {
    pub fn problem(&self, message: String) -> Problem {
        Problem {
            line: self.line,
            column: 0,
            path: self.column.clone(),
            message,
            span: self.span.clone(),
        }
    }
}

/// A header row: each column's name as written, and as it is matched.
#[derive(Debug)]
pub struct Header {
    names: Vec<String>,
    keys: Vec<String>,
    read: Vec<bool>,
}

impl Header {
    pub fn new(record: &csv::StringRecord) -> Header {
        // A spreadsheet's export may start with a byte-order mark.
        let names: Vec<String> = record
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        Header {
            keys: names.iter().map(|n| key(n)).collect(),
            read: vec![false; names.len()],
            names,
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn name(&self, column: usize) -> &str {
        self.names.get(column).map_or("", String::as_str)
    }

    /// The first column called by any of `names`, ignoring case and
    /// spacing, which the table then reads.
    pub fn find(&mut self, names: &[&str]) -> Option<usize> {
        let at = self.position(names)?;
        self.read[at] = true;
        Some(at)
    }

    /// No column read, for trying the header as another kind's.
    pub fn unmark(&mut self) {
        self.read.fill(false);
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.position(names).is_some()
    }

    fn position(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| {
            let name = key(name);
            self.keys.iter().position(|k| *k == name)
        })
    }

    /// The columns neither read nor among `unread`, the columns known not
    /// to be read, in header order.
    pub fn unknown(&self, unread: &[&str]) -> Vec<String> {
        let unread: Vec<String> = unread.iter().map(|n| key(n)).collect();
        (0..self.names.len())
            .filter(|&i| !self.read[i] && !unread.contains(&self.keys[i]))
            // Kept to be shown, so kept safe to show.
            .map(|i| escape_controls(&self.names[i]).into_owned())
            .collect()
    }

    /// A column named twice (which one to read would be a guess).
    pub fn repeated(&self) -> Option<usize> {
        (1..self.keys.len())
            .find(|&i| !self.keys[i].is_empty() && self.keys[..i].contains(&self.keys[i]))
    }
}

/// How names are matched: without case, and with runs of spaces as one.
pub fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An id made from a name: its letters and digits lowercased, with a `-`
/// for each run of anything else ("OpenAI-Oracle Stargate Abilene Texas"
/// is `openai-oracle-stargate-abilene-texas`). Ids are ASCII (the format's
/// rule, so that an imported file passes `check`): letters beyond it are
/// written in ASCII by `deunicode` ("Linköping" is `linkoping`, "阿里巴巴"
/// `a-li-ba-ba`), so names in other scripts still make ids of their own.
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut id = String::with_capacity(ascii.len());
    for c in ascii.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() {
        id.push_str("unnamed");
    }
    id
}

/// A name from a cell of names, and the confidence its tag gives
/// (`OpenAI #likely`), if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub name: String,
    pub confidence: Option<Confidence>,
}

/// Which of the two coordinates a cell holds.
#[derive(Debug, Clone, Copy)]
pub enum Axis {
    Latitude,
    Longitude,
}

/// One row's cells, read for its table: each reading of a cell that is
/// not what its column holds adds a problem and gives `None`.
pub struct Cells<'r> {
    pub text: &'r str,
    pub record: &'r csv::StringRecord,
    /// The row's first byte in the text, and its line.
    pub start: usize,
    pub line: usize,
    pub header: &'r Header,
    pub problems: &'r mut Vec<Problem>,
}

impl Cells<'_> {
    /// The cell as written, without the spaces around it.
    pub fn raw(&self, column: usize) -> &str {
        self.record.get(column).map_or("", str::trim)
    }

    /// Where the cell is. Found by walking the row's text, only for the
    /// cells that are named in a problem or kept for one.
    pub fn place(&self, column: usize) -> Place {
        let span = field_span(self.text, self.start, column);
        let before = self.text.get(self.start..span.start).unwrap_or_default();
        Place {
            line: self.line + memchr::memchr_iter(b'\n', before.as_bytes()).count(),
            span,
            column: self.header.name(column).to_string(),
        }
    }

    pub fn problem(&mut self, column: usize, message: String) {
        let problem = self.place(column).problem(message);
        self.problems.push(problem);
    }

    /// The cell as text, `None` when empty. Line breaks and tabs are
    /// spaces (a table's cells are short fields, shown on one line); any
    /// other control character, or an invisible one, is a problem, so that
    /// nothing of a cell but what it shows reaches the terminal.
    pub fn text(&mut self, column: Option<usize>) -> Option<String> {
        let column = column?;
        let raw = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        if let Some(why) = unprintable(raw) {
            self.problem(column, why);
            return None;
        }
        if raw.contains(['\n', '\r', '\t', ' ']) {
            return Some(raw.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        Some(raw.to_string())
    }

    /// A number of at least zero, in any form Rust reads (`341`, `0.3`,
    /// `8.44323E+18`).
    pub fn number(&mut self, column: Option<usize>) -> Option<f64> {
        let column = column?;
        let raw = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            Ok(v) if v.is_finite() => {
                self.problem(column, format!("{raw:?} is below 0"));
                None
            }
            _ => {
                self.problem(column, format!("{raw:?} is not a number"));
                None
            }
        }
    }

    /// Megawatts, as a power figure (in watts).
    pub fn megawatts(&mut self, column: Option<usize>) -> Option<Figure> {
        let mw = self.number(column)?;
        let written = format!("{} MW", self.raw(column?));
        Some(exact(mw * 1e6, Unit::Power, written))
    }

    /// A count (H100 equivalents).
    pub fn count(&mut self, column: Option<usize>) -> Option<Figure> {
        let n = self.number(column)?;
        let written = self.raw(column?).to_string();
        Some(exact(n, Unit::Count(None), written))
    }

    /// Billions of dollars, as money (in dollars).
    pub fn billions(&mut self, column: Option<usize>) -> Option<Figure> {
        let bn = self.number(column)?;
        let written = format!("${}bn", self.raw(column?));
        Some(exact(bn * 1e9, Unit::Money, written))
    }

    /// A whole number of at least zero.
    pub fn whole(&mut self, column: Option<usize>) -> Option<i64> {
        let n = self.number(column)?;
        if n.fract() == 0.0 && n <= i64::MAX as f64 {
            return Some(n as i64);
        }
        let raw = self.raw(column?).to_string();
        self.problem(column?, format!("{raw:?} is not a whole number"));
        None
    }

    /// A day, written m/d/yyyy (the hub's older downloads) or yyyy-mm-dd
    /// (its newer ones); yyyy-mm is the month.
    pub fn date(&mut self, column: Option<usize>) -> Option<HedgedDate> {
        let column = column?;
        let raw = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        let date = parse_date(raw);
        if date.is_none() {
            let message = format!("{raw:?} is not a date (m/d/yyyy or yyyy-mm-dd)");
            self.problem(column, message);
        }
        date
    }

    /// Degrees, written as the hub does (`32°35'25"N`) or as a signed
    /// number (`32.59`, `-99.78`).
    pub fn degrees(&mut self, column: Option<usize>, axis: Axis) -> Option<f64> {
        let column = column?;
        let raw = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        let degrees = parse_degrees(raw, axis);
        if degrees.is_none() {
            let (what, example) = match axis {
                Axis::Latitude => ("latitude", "32°35'25\"N or 32.59"),
                Axis::Longitude => ("longitude", "99°47'02\"W or -99.78"),
            };
            self.problem(column, format!("{raw:?} is not a {what} (like {example})"));
        }
        degrees
    }

    /// Names separated by commas, each perhaps followed by a confidence
    /// tag (`OpenAI #likely, Microsoft #confident`). A `#` starts a tag
    /// only after a space and only for the name's last word, so that a
    /// name may hold one (`C# Labs`).
    pub fn tagged(&mut self, column: Option<usize>) -> Vec<Tagged> {
        let Some(column) = column else {
            return Vec::new();
        };
        let raw = self.raw(column).to_string();
        if raw.is_empty() {
            return Vec::new();
        }
        if let Some(why) = unprintable(&raw) {
            self.problem(column, why);
            return Vec::new();
        }
        let mut out = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let tag_at = part
                .rfind('#')
                .filter(|&i| i == 0 || part[..i].ends_with(char::is_whitespace))
                .filter(|&i| !part[i..].contains(char::is_whitespace));
            let Some(at) = tag_at else {
                out.push(Tagged {
                    name: part.split_whitespace().collect::<Vec<_>>().join(" "),
                    confidence: None,
                });
                continue;
            };
            let (name, tag) = (part[..at].trim(), &part[at..]);
            let Some(confidence) = Confidence::from_tag(tag) else {
                self.problem(
                    column,
                    format!(
                        "unknown confidence tag {tag:?}; expected #confident, #likely or #speculative"
                    ),
                );
                continue;
            };
            if name.is_empty() {
                self.problem(column, format!("the tag {tag:?} follows no name"));
                continue;
            }
            out.push(Tagged {
                name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                confidence: Some(confidence),
            });
        }
        out
    }
}

/// A figure as the table gives it: exactly this, in base units.
fn exact(value: f64, unit: Unit, written: String) -> Figure {
    Figure::with_text(Qualifier::Exact, value, unit, false, written)
}

/// Why a cell may not be shown, if it may not: it holds a control
/// character other than a line break or tab, or an invisible one.
fn unprintable(raw: &str) -> Option<String> {
    let control = raw
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    if let Some((index, c)) = control {
        return Some(format!(
            "control character U+{:04X} at character {} of the cell; cells are shown in a \
             terminal and may not hold control characters",
            c as u32,
            index + 1
        ));
    }
    let invisible = find_invisible(raw)?;
    Some(format!(
        "invisible character {} at character {} of the cell; names may not hold invisible \
         characters, which make text read differently from what it holds",
        invisible.describe(),
        invisible.index + 1
    ))
}

fn parse_date(raw: &str) -> Option<HedgedDate> {
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = raw.split('/').collect();
    if let [m, d, y] = parts[..] {
        if !(digits(m, &[1, 2]) && digits(d, &[1, 2]) && digits(y, &[4])) {
            return None;
        }
        let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
        return Some(HedgedDate::exact(day));
    }
    let parts: Vec<&str> = raw.split('-').collect();
    match parts[..] {
        [y, m, d] if digits(y, &[4]) && digits(m, &[2]) && digits(d, &[2]) => {
            let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            Some(HedgedDate::exact(day))
        }
        [y, m] if digits(y, &[4]) && digits(m, &[2]) => HedgedDate::parse(raw).ok(),
        _ => None,
    }
}

fn parse_degrees(raw: &str, axis: Axis) -> Option<f64> {
    let (limit, positive, negative) = match axis {
        Axis::Latitude => (90.0, 'N', 'S'),
        Axis::Longitude => (180.0, 'E', 'W'),
    };
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let within = |v: f64| (v.is_finite() && v.abs() <= limit).then_some(v);
    if let Ok(v) = compact.parse::<f64>() {
        return within(v);
    }
    let (body, sign) = match compact.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some(c) if c == positive => (&compact[..compact.len() - 1], 1.0),
        Some(c) if c == negative => (&compact[..compact.len() - 1], -1.0),
        _ => match compact.strip_prefix('-') {
            Some(rest) => (rest, -1.0),
            None => (compact.as_str(), 1.0),
        },
    };
    let parts: Vec<&str> = body
        .split(['°', 'º', '\'', '"', '′', '″'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut value = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let n: f64 = part
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
        if i > 0 && n >= 60.0 {
            return None;
        }
        value += n / 60f64.powi(i as i32);
    }
    within(sign * value)
}

/// The bytes of field `column` of the row that starts at `start`, as CSV
/// quoting splits it (a quoted field runs to its closing quote, `""`
/// inside it being one quote); past the row's last field, the empty span
/// at its end.
fn field_span(text: &str, start: usize, column: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut at = start.min(bytes.len());
    for field in 0.. {
        let end = field_end(bytes, at);
        if field == column {
            return at..end;
        }
        if bytes.get(end) != Some(&b',') {
            return end..end;
        }
        at = end + 1;
    }
    at..at
}

fn field_end(bytes: &[u8], mut at: usize) -> usize {
    if bytes.get(at) == Some(&b'"') {
        at += 1;
        loop {
            let Some(quote) = memchr::memchr(b'"', &bytes[at.min(bytes.len())..]) else {
                return bytes.len();
            };
            at += quote + 1;
            if bytes.get(at) == Some(&b'"') {
                at += 1;
            } else {
                break;
            }
        }
    }
    while at < bytes.len() && !matches!(bytes[at], b',' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_read_as_the_hub_writes_them_and_as_numbers() {
        let lat = |s: &str| parse_degrees(s, Axis::Latitude);
        let lon = |s: &str| parse_degrees(s, Axis::Longitude);
        let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
        assert!(near(lat("32°35'25\"N"), 32.0 + 35.0 / 60.0 + 25.0 / 3600.0));
        assert!(near(
            lat("32°29'59\"N "),
            32.0 + 29.0 / 60.0 + 59.0 / 3600.0
        ));
        assert!(near(
            lon(" 101°18'43\"W"),
            -(101.0 + 18.0 / 60.0 + 43.0 / 3600.0)
        ));
        assert!(near(
            lat("41°11'6.6732\"N"),
            41.0 + 11.0 / 60.0 + 6.6732 / 3600.0
        ));
        assert!(near(
            lon("114°42'1.6272\"E"),
            114.0 + 42.0 / 60.0 + 1.6272 / 3600.0
        ));
        assert!(near(lat("-32.5"), -32.5));
        assert!(near(
            lat("24°9'15\"S"),
            -(24.0 + 9.0 / 60.0 + 15.0 / 3600.0)
        ));
        for bad in ["91", "32°61'N", "32°35'25\"E", "north", "1°2'3'4\"N", "inf"] {
            assert_eq!(lat(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_read_in_both_of_the_hubs_forms() {
        let day = |s: &str| parse_date(s).and_then(|d| d.day());
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(day("9/20/2016"), ymd(2016, 9, 20));
        assert_eq!(day("01/01/2029"), ymd(2029, 1, 1));
        assert_eq!(day("2025-11-03"), ymd(2025, 11, 3));
        assert!(parse_date("2021-07").is_some_and(|d| !d.is_exact()));
        for bad in [
            "2/30/2025",
            "13/1/2025",
            "1/1/25",
            "2025-1-3",
            "soon",
            "2025/11/03",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn fields_are_found_past_quotes_and_line_breaks() {
        let text = "a,\"b,\"\"x\"\"\ny\",c\r\nd,e\n";
        assert_eq!(&text[field_span(text, 0, 0)], "a");
        assert_eq!(&text[field_span(text, 0, 1)], "\"b,\"\"x\"\"\ny\"");
        assert_eq!(&text[field_span(text, 0, 2)], "c");
        assert_eq!(field_span(text, 0, 3), 15..15);
        let second = text.find('d').unwrap_or_default();
        assert_eq!(&text[field_span(text, second, 1)], "e");
    }

    #[test]
    fn slugs_write_any_script_in_ascii() {
        assert_eq!(
            slug("OpenAI-Oracle Stargate Abilene Texas"),
            "openai-oracle-stargate-abilene-texas"
        );
        assert_eq!(slug("阿里巴巴 张北"), "a-li-ba-ba-zhang-bei");
        assert_eq!(slug("Linköping University"), "linkoping-university");
        assert_eq!(slug("  ?? "), "unnamed");
    }
}
