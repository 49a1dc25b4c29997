//! Writes a large, valid data file (format 1, or format 2) for benchmarks and load tests.
//!
//! ```text
//! cargo run --release --example gen -- N [--seed S] [--buyers K | --format 2] > big.toml
//! ```
//!
//! N commitments, N/10 providers (at least one), a few sources, a capacity
//! block with milestones, and N/10 notes. Every figure form and hedge of the
//! data contract appears, names hold accented, CJK and emoji characters, and
//! about one commitment in ten is undisclosed (no `value`). The output is a
//! function of N and the seed alone.
//!
//! `--format 2` writes the ledger's format instead (`generate_v2`): four
//! buying labs, ranges, hedged dates, power with hedged starts, attributed
//! alternatives, deals that supersede earlier ones, plans with milestones,
//! and one deal in fifty a provider investing in a lab (money both ways,
//! for the Flows tab's loops). `--buyers K` (K > 1) writes the same format
//! with K labs, for the buyer lens and the Flows matrix. Without either the
//! output is format 1, as it always was.
//!
//! The benches include this file (`#[path = "../examples/gen.rs"]`) to make
//! the same data in memory, so the logic lives here once.

use std::io::{self, Write};

/// A tiny xorshift64* generator: deterministic, dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that seeds 0, 1, 2 start far apart and
        // the state is never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0); the bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const SOURCES: usize = 5;

const HEDGES_UP_TO: &[&str] = &["up to ", "as much as ", "at most ", "≤", "<= "];
const HEDGES_OVER: &[&str] = &["over ", "more than ", "exceeding ", ">", "at least ", "≥ "];
const HEDGES_ABOUT: &[&str] = &["about ", "~", "roughly ", "around ", "approximately "];
const HEDGES_NEARLY: &[&str] = &["nearly ", "almost ", "just under "];

const NAME_STEMS: &[&str] = &[
    "Northwind Cloud",
    "Zürich Rechenzentrum",
    "Café Compute",
    "Ωmega GPU",
    "北京算力",
    "データセンター",
    "서울 클라우드",
    "🚀 Rocket Compute",
    "⚡ Volt Systems",
    "Nørdic Hosting",
    "São Paulo Digital",
    "Kraków Compute",
    "深圳芯片",
    "Aurora 🌌 Labs",
    "Mumbai Megawatt",
    "Fjord & Sons \"GPU\"",
];

const PARENTS: &[&str] = &[
    "Amazon",
    "Microsoft",
    "Alphabet",
    "ソフトバンク",
    "腾讯",
    "Société Générale Tech",
];

const KINDS: &[&str] = &["hyperscaler", "cloud", "neocloud", "chipmaker", "other"];
const STATUSES: &[&str] = &["signed", "agreed", "reported", "ongoing", "option"];
const NOTE_KINDS: &[&str] = &[
    "stock",
    "valuation",
    "finance",
    "analyst",
    "statement",
    "context",
];
const HARDWARE: &[&str] = &[
    "Nvidia GB200",
    "Nvidia GB300",
    "AMD MI450",
    "Google TPU v7",
    "Trainium 3",
    "自研 NPU",
];
const TOPICS: &[&str] = &[
    "Chip supply",
    "Power grid",
    "Bond market",
    "AI valuations",
    "電力網",
    "Rechenzentren",
];
const SPEAKERS: &[&str] = &["Chief executive", "CFO", "An analyst", "広報担当"];
const WORDS: &[&str] = &[
    "capacity",
    "contract",
    "gigawatt",
    "compute",
    "expands",
    "régime",
    "data centre",
    "deal",
    "multi-year",
    "accelerators",
    "電力",
    "🔥",
    "investors",
    "financing",
    "options",
    "delivery",
];

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    quoted(out, value);
    out.push('\n');
}

fn raw_line(out: &mut String, key: &str, value: std::fmt::Arguments) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "{key} = {value}");
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        2023 + rng.below(8),
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn hedge(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0..=3 => "",
        4 => rng.pick(HEDGES_ABOUT),
        5 | 6 => rng.pick(HEDGES_UP_TO),
        7 | 8 => rng.pick(HEDGES_OVER),
        _ => rng.pick(HEDGES_NEARLY),
    }
}

/// Money in each written form: `$38bn`, `$22.4 billion`, `$1,400m`, ...
fn money(rng: &mut Rng) -> String {
    let hedge = hedge(rng);
    let number = match rng.below(7) {
        0 => format!("${}bn", 1 + rng.below(400)),
        1 => format!("${}.{} billion", 1 + rng.below(300), rng.below(10)),
        2 => format!("${},{:03}m", 1 + rng.below(99), rng.below(1000)),
        3 => format!("${} million", 10 + rng.below(990)),
        4 => format!("${}.{}tn", 1 + rng.below(2), rng.below(10)),
        5 => format!("${} b", 1 + rng.below(90)),
        _ => format!("${}", 1_000_000 + rng.below(9_000_000)),
    };
    format!("{hedge}{number}")
}

fn term(rng: &mut Rng) -> String {
    let hedge = if rng.chance(15) { hedge(rng) } else { "" };
    let t = match rng.below(5) {
        0 => format!("{} years", 2 + rng.below(9)),
        1 => format!("{} months", 6 + rng.below(54)),
        2 => "1 year".to_string(),
        3 => format!("{} weeks", 4 + rng.below(100)),
        _ => format!("{}.5 years", 1 + rng.below(6)),
    };
    format!("{hedge}{t}")
}

fn percent(rng: &mut Rng) -> String {
    let hedge = if rng.chance(20) { hedge(rng) } else { "" };
    let p = match rng.below(4) {
        0 => format!("+{}%", 1 + rng.below(30)),
        1 => format!("-{}.{}%", rng.below(20), 1 + rng.below(9)),
        2 => format!("{}%", rng.below(15)),
        _ => format!("+{}.{}%", rng.below(12), rng.below(10)),
    };
    format!("{hedge}{p}")
}

fn provider_name(i: usize) -> String {
    let stem = NAME_STEMS[i % NAME_STEMS.len()];
    format!("{stem} {}", i + 1)
}

/// The whole file as a string (the benches' entry point).
/// The `i`th provider's id, name, parent, kind and hardware, as both
/// formats write them (the same draws in the same order).
fn provider_head(s: &mut String, rng: &mut Rng, i: usize) {
    line(s, "id", &format!("p-{i}"));
    line(s, "name", &provider_name(i));
    if rng.chance(40) {
        line(s, "parent", rng.pick(PARENTS));
    }
    line(s, "kind", rng.pick(KINDS));
    if rng.chance(50) {
        s.push_str("hardware = [");
        for j in 0..1 + rng.below(3) {
            if j > 0 {
                s.push_str(", ");
            }
            quoted(s, rng.pick(HARDWARE));
        }
        s.push_str("]\n");
    }
}

pub fn generate(commitments: usize, seed: u64) -> String {
    generate_ledger(commitments, seed, 1)
}

/// `generate` (format 1) for one buyer; for more, `generate_v2`'s ledger
/// with that many buying labs.
pub fn generate_ledger(commitments: usize, seed: u64, buyers: usize) -> String {
    let mut out = Vec::with_capacity(commitments * 400 + 4096);
    write_ledger(&mut out, commitments, seed, buyers).expect("writing to memory");
    String::from_utf8(out).expect("the generator writes UTF-8")
}

/// `write` for one buyer, `write_v2` with `buyers` labs for more.
pub fn write_ledger(
    w: &mut impl Write,
    commitments: usize,
    seed: u64,
    buyers: usize,
) -> io::Result<()> {
    if buyers > 1 {
        write_v2(w, commitments, seed, buyers)
    } else {
        write(w, commitments, seed)
    }
}

/// The `member`th file of a generated set: `generate(commitments, seed +
/// member)` with every id (and every reference to one) prefixed by
/// `f{member}-`, so that the files of a set share no id.
pub fn generate_member(commitments: usize, seed: u64, member: usize) -> String {
    let text = generate(commitments, seed + member as u64);
    let prefix = format!("f{member}-");
    let mut out = String::with_capacity(text.len() + commitments * 16);
    for line in text.split_inclusive('\n') {
        let key = ["id = \"", "provider = \"", "source = \""]
            .into_iter()
            .find(|k| line.starts_with(k));
        match key {
            Some(key) => {
                out.push_str(key);
                out.push_str(&prefix);
                out.push_str(&line[key.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Writes a format 1 file to `w`, record by record.
pub fn write(w: &mut impl Write, commitments: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let providers = (commitments / 10).max(1);
    let notes = commitments / 10;
    let mut s = String::with_capacity(1024);

    s.push_str("# Generated by `cargo run --example gen`: synthetic data, not facts.\n");
    s.push_str(&format!("# {commitments} commitments, seed {seed}\n"));
    s.push_str("\nformat = 1\n\n[dataset]\n");
    line(
        &mut s,
        "title",
        &format!("Synthetic compute commitments ({commitments}) — 合成データ 🧪"),
    );
    line(&mut s, "subject", "Example Corp");
    raw_line(&mut s, "as_of", format_args!("2025-11-03"));
    line(
        &mut s,
        "summary",
        "A generated file for benchmarks.\nEvery figure form and hedge appears; \
         about one commitment in ten is undisclosed.",
    );
    w.write_all(s.as_bytes())?;

    for i in 1..=SOURCES {
        s.clear();
        s.push_str("\n[[sources]]\n");
        line(&mut s, "id", &format!("s-{i}"));
        line(
            &mut s,
            "title",
            &format!("Report {i}: {}", sentence(&mut rng, 5)),
        );
        if i % 2 == 1 {
            line(&mut s, "publisher", "The Synthetic Times");
            raw_line(&mut s, "published", format_args!("{}", date(&mut rng)));
        }
        line(&mut s, "url", &format!("https://example.com/report/{i}"));
        w.write_all(s.as_bytes())?;
    }

    for i in 0..providers {
        s.clear();
        s.push_str("\n[[providers]]\n");
        provider_head(&mut s, &mut rng, i);
        if rng.chance(70) {
            let words = 6 + rng.below(12);
            line(&mut s, "summary", &sentence(&mut rng, words));
        }
        if rng.chance(80) {
            line(&mut s, "source", &format!("s-{}", 1 + rng.below(SOURCES)));
            line(&mut s, "at", &format!("para {}", 1 + rng.below(40)));
        }
        w.write_all(s.as_bytes())?;
    }

    for i in 0..commitments {
        s.clear();
        s.push_str("\n[[commitments]]\n");
        line(&mut s, "id", &format!("c-{i}"));
        line(&mut s, "provider", &format!("p-{}", rng.below(providers)));
        if !rng.chance(10) {
            line(&mut s, "value", &money(&mut rng));
        }
        if rng.chance(60) {
            line(&mut s, "term", &term(&mut rng));
        }
        if rng.chance(80) {
            raw_line(&mut s, "announced", format_args!("{}", date(&mut rng)));
        }
        line(&mut s, "status", rng.pick(STATUSES));
        if rng.chance(40) {
            raw_line(&mut s, "online_by", format_args!("{}", date(&mut rng)));
        }
        if rng.chance(75) {
            let words = 8 + rng.below(20);
            let mut summary = sentence(&mut rng, words);
            if rng.chance(10) {
                summary.push_str("\nA second paragraph.");
            }
            line(&mut s, "summary", &summary);
        }
        if rng.chance(85) {
            line(&mut s, "source", &format!("s-{}", 1 + rng.below(SOURCES)));
            line(&mut s, "at", &format!("para {}", 1 + rng.below(40)));
        }
        w.write_all(s.as_bytes())?;
    }

    s.clear();
    s.push_str("\n[capacity]\n");
    let target = ["30 GW", "about 36 GW", "up to 500 MW", "over 12GW"];
    let rate = [
        "1 GW/week",
        "1 GW per month",
        "about 250 MW/week",
        "up to 2 GW per month",
    ];
    let k = (seed % 4) as usize;
    line(&mut s, "target", target[k]);
    line(&mut s, "target_cost", "as much as $1.4 trillion");
    line(&mut s, "build_rate", rate[k]);
    line(&mut s, "cost_per_gw", "exceeding $40bn");
    line(&mut s, "homes_equivalent", "roughly 25m homes");
    line(&mut s, "summary", "A generated plan.");
    line(&mut s, "source", "s-1");
    let milestones = 3 + (commitments / 2000).min(20);
    for i in 0..milestones {
        s.push_str("\n[[capacity.milestones]]\n");
        raw_line(&mut s, "date", format_args!("{}", date(&mut rng)));
        line(
            &mut s,
            "label",
            &format!("Milestone {}: {}", i + 1, sentence(&mut rng, 3)),
        );
        if rng.chance(50) {
            line(&mut s, "provider", &format!("p-{}", rng.below(providers)));
        }
        if rng.chance(50) {
            line(&mut s, "source", &format!("s-{}", 1 + rng.below(SOURCES)));
        }
    }
    w.write_all(s.as_bytes())?;

    for _ in 0..notes {
        s.clear();
        s.push_str("\n[[notes]]\n");
        if rng.chance(90) {
            raw_line(&mut s, "date", format_args!("{}", date(&mut rng)));
        }
        let subject = if rng.chance(70) {
            provider_name(rng.below(providers))
        } else {
            rng.pick(TOPICS).to_string()
        };
        line(&mut s, "subject", &subject);
        let kind = rng.pick(NOTE_KINDS);
        line(&mut s, "kind", kind);
        let words = 5 + rng.below(8);
        line(&mut s, "headline", &sentence(&mut rng, words));
        if rng.chance(50) {
            line(&mut s, "change", &percent(&mut rng));
        }
        if rng.chance(30) {
            line(&mut s, "amount", &money(&mut rng));
        }
        if kind == "statement" {
            line(&mut s, "speaker", rng.pick(SPEAKERS));
        }
        if rng.chance(40) {
            let words = 10 + rng.below(30);
            line(&mut s, "body", &sentence(&mut rng, words));
        }
        if rng.chance(80) {
            line(&mut s, "source", &format!("s-{}", 1 + rng.below(SOURCES)));
            line(&mut s, "at", &format!("para {}", 1 + rng.below(40)));
        }
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}

/// A format 2 money figure: a format 1 form, a range in each written form,
/// or a word range.
fn money_v2(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=4 => money(rng),
        5 => {
            let low = 1 + rng.below(50);
            format!("${low}bn-${}bn", low + 1 + rng.below(50))
        }
        6 => {
            let low = 1 + rng.below(50);
            format!("about ${low}–{}bn", low + 1 + rng.below(50))
        }
        7 => {
            let low = 100 + rng.below(400);
            format!("between ${low}m and ${}m", low + 1 + rng.below(500))
        }
        8 => rng
            .pick(&[
                "tens of billions",
                "billions",
                "multi-billion",
                "hundreds of millions",
            ])
            .to_string(),
        _ => format!("${} - {} billion", 1 + rng.below(9), 10 + rng.below(90)),
    }
}

fn power_v2(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("{} GW", 1 + rng.below(10)),
        1 => format!("about {} MW", 100 + rng.below(900)),
        2 => format!("at least {}.{} GW", rng.below(5), 1 + rng.below(9)),
        3 => {
            let low = 1 + rng.below(5);
            format!("{low} to {} GW", low + 1 + rng.below(5))
        }
        _ => format!("up to {}GW", 1 + rng.below(20)),
    }
}

/// A format 2 date: a TOML date, or a hedged stretch of days (quoted).
fn date_v2(rng: &mut Rng) -> String {
    let year = 2023 + rng.below(8);
    match rng.below(10) {
        0..=3 => date(rng),
        4 => format!("\"{year}-H{}\"", 1 + rng.below(2)),
        5 => format!("\"Q{} {year}\"", 1 + rng.below(4)),
        6 => format!("\"{year}-{:02}\"", 1 + rng.below(12)),
        7 => format!("\"by end of {year}\""),
        8 => format!("\"from {year}\""),
        _ => format!("\"about {year}-{:02}\"", 1 + rng.below(12)),
    }
}

/// `key = value` for a format 2 figure field: usually one figure, about one
/// in eight a list of what each source says.
fn figure_v2(out: &mut String, rng: &mut Rng, key: &str, figure: fn(&mut Rng) -> String) {
    if !rng.chance(12) {
        line(out, key, &figure(rng));
        return;
    }
    out.push_str(key);
    out.push_str(" = [");
    for j in 0..2 + rng.below(2) {
        if j > 0 {
            out.push_str(", ");
        }
        out.push_str("{ figure = ");
        quoted(out, &figure(rng));
        out.push_str(&format!(", source = \"s-{}\"", 1 + rng.below(SOURCES)));
        if rng.chance(50) {
            out.push_str(&format!(", at = \"para {}\"", 1 + rng.below(40)));
        }
        out.push_str(" }");
    }
    out.push_str("]\n");
}

/// Citations as format 2 writes them: the shorthand, or a list.
fn cites_v2(out: &mut String, rng: &mut Rng) {
    match rng.below(10) {
        0..=5 => {
            line(out, "source", &format!("s-{}", 1 + rng.below(SOURCES)));
            line(out, "at", &format!("para {}", 1 + rng.below(40)));
        }
        6..=8 => {
            out.push_str("sources = [");
            for j in 0..1 + rng.below(3) {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push_str(&format!("{{ source = \"s-{}\"", 1 + rng.below(SOURCES)));
                if rng.chance(60) {
                    out.push_str(&format!(", at = \"para {}\"", 1 + rng.below(40)));
                }
                out.push_str(" }");
            }
            out.push_str("]\n");
        }
        _ => {}
    }
}

/// Labs that buy: the subject and a few others, as party ids.
const LABS: &[&str] = &["example-corp", "lab-two", "lab-three", "lab-four"];
const DEAL_KINDS: &[&str] = &["compute", "compute", "compute", "chips", "power", "other"];
const STATUSES_V2: &[&str] = &[
    "signed",
    "agreed",
    "reported",
    "ongoing",
    "option",
    "announced",
    "letter of intent",
    "completed",
];

/// A format 2 file (the ledger's features) as a string: `generate`'s
/// counts, with four buying labs, ranges, hedged dates, attributed
/// alternatives, power, deals that supersede earlier ones, and plans with
/// milestones.
pub fn generate_v2(commitments: usize, seed: u64) -> String {
    let mut out = Vec::with_capacity(commitments * 400 + 4096);
    write_v2(&mut out, commitments, seed, LABS.len()).expect("writing to memory");
    String::from_utf8(out).expect("the generator writes UTF-8")
}

/// The id of the `b`th buying lab.
fn lab(b: usize) -> String {
    LABS.get(b)
        .map_or_else(|| format!("lab-{}", b + 1), |id| id.to_string())
}

/// Writes a format 2 file with `buyers` buying labs (at least one) to `w`,
/// record by record. One deal in fifty is a provider investing in a lab:
/// money both ways, for the Flows tab's loops.
pub fn write_v2(
    w: &mut impl Write,
    commitments: usize,
    seed: u64,
    buyers: usize,
) -> io::Result<()> {
    let labs: Vec<String> = (0..buyers.max(1)).map(lab).collect();
    let mut rng = Rng::new(seed);
    let providers = (commitments / 10).max(1);
    let notes = commitments / 10;
    let mut s = String::with_capacity(1024);

    s.push_str(
        "# Generated by `cargo run --example gen -- N --format 2`: synthetic data, not facts.\n",
    );
    s.push_str(&format!(
        "# {commitments} commitments, {} buyers, seed {seed}\n",
        labs.len()
    ));
    s.push_str("\nformat = 2\n\n[dataset]\n");
    line(
        &mut s,
        "title",
        &format!("Synthetic compute ledger ({commitments}) — 合成データ 🧪"),
    );
    line(&mut s, "subject", &labs[0]);
    raw_line(&mut s, "as_of", format_args!("2025-11-03"));
    line(
        &mut s,
        "summary",
        "A generated format 2 file for benchmarks: several buyers, ranges, hedged \
         dates and sources that disagree.",
    );
    w.write_all(s.as_bytes())?;

    for i in 1..=SOURCES {
        s.clear();
        s.push_str("\n[[sources]]\n");
        line(&mut s, "id", &format!("s-{i}"));
        line(
            &mut s,
            "title",
            &format!("Report {i}: {}", sentence(&mut rng, 5)),
        );
        line(&mut s, "publisher", "The Synthetic Times");
        raw_line(&mut s, "published", format_args!("{}", date_v2(&mut rng)));
        raw_line(&mut s, "accessed", format_args!("2025-11-04"));
        line(&mut s, "url", &format!("https://example.com/report/{i}"));
        w.write_all(s.as_bytes())?;
    }

    for (i, lab) in labs.iter().enumerate() {
        s.clear();
        s.push_str("\n[[parties]]\n");
        line(&mut s, "id", lab);
        line(&mut s, "name", &format!("Lab {} 🧠", i + 1));
        line(&mut s, "kind", "lab");
        cites_v2(&mut s, &mut rng);
        w.write_all(s.as_bytes())?;
    }

    for i in 0..providers {
        s.clear();
        // Both tables hold parties; format 1's name for them stays valid.
        s.push_str(if i % 3 == 0 {
            "\n[[providers]]\n"
        } else {
            "\n[[parties]]\n"
        });
        provider_head(&mut s, &mut rng, i);
        if rng.chance(60) {
            let words = 6 + rng.below(10);
            line(&mut s, "summary", &sentence(&mut rng, words));
        }
        cites_v2(&mut s, &mut rng);
        w.write_all(s.as_bytes())?;
    }

    for i in 0..commitments {
        s.clear();
        s.push_str("\n[[commitments]]\n");
        line(&mut s, "id", &format!("c-{i}"));
        let provider = format!("p-{}", rng.below(providers));
        let buyer = &labs[rng.below(labs.len())];
        let mut kind = "investment";
        if rng.chance(2) {
            line(&mut s, "buyer", &provider);
            line(&mut s, "provider", buyer);
            line(&mut s, "kind", "investment");
        } else {
            if rng.chance(40) {
                line(&mut s, "buyer", buyer);
            }
            line(&mut s, "provider", &provider);
            kind = rng.pick(DEAL_KINDS);
            if kind != "compute" || rng.chance(20) {
                line(&mut s, "kind", kind);
            }
        }
        if !rng.chance(10) {
            figure_v2(&mut s, &mut rng, "value", money_v2);
        }
        if rng.chance(40) {
            line(&mut s, "term", &term(&mut rng));
        }
        if rng.chance(40) {
            figure_v2(&mut s, &mut rng, "power", power_v2);
            // Only chips, compute and power deals say what their power
            // measures by their kind; the rest must say it.
            if matches!(kind, "investment" | "other") {
                line(&mut s, "power_layer", "hosting");
            }
        }
        if rng.chance(70) {
            raw_line(&mut s, "announced", format_args!("{}", date_v2(&mut rng)));
        }
        line(&mut s, "status", rng.pick(STATUSES_V2));
        if rng.chance(30) {
            raw_line(&mut s, "online_by", format_args!("{}", date_v2(&mut rng)));
        }
        if rng.chance(15) {
            raw_line(&mut s, "starts", format_args!("{}", date_v2(&mut rng)));
        }
        // An earlier record of the same deal, restated: always an earlier
        // id, so chains end.
        if i > 0 && rng.chance(5) {
            line(&mut s, "supersedes", &format!("c-{}", rng.below(i)));
        }
        if rng.chance(60) {
            let words = 8 + rng.below(16);
            line(&mut s, "summary", &sentence(&mut rng, words));
        }
        cites_v2(&mut s, &mut rng);
        w.write_all(s.as_bytes())?;
    }

    let milestones = 3 + (commitments / 2000).min(20);
    for (k, lab) in labs.iter().take(2).enumerate() {
        s.clear();
        s.push_str("\n[[capacity]]\n");
        line(&mut s, "buyer", lab);
        line(&mut s, "target", ["30 GW", "about 36 GW"][k]);
        line(&mut s, "target_cost", "as much as $1.4 trillion");
        line(&mut s, "build_rate", ["1 GW/week", "about 250 MW/week"][k]);
        line(&mut s, "cost_per_gw", "$40bn-$50bn");
        raw_line(&mut s, "by", format_args!("\"by end of 2033\""));
        line(&mut s, "source", "s-1");
        for j in 0..milestones {
            s.push_str("\n[[capacity.milestones]]\n");
            line(&mut s, "id", &format!("m-{k}-{j}"));
            raw_line(&mut s, "date", format_args!("{}", date_v2(&mut rng)));
            line(
                &mut s,
                "label",
                &format!("Milestone {}: {}", j + 1, sentence(&mut rng, 3)),
            );
            if rng.chance(50) {
                line(&mut s, "provider", &format!("p-{}", rng.below(providers)));
            }
            if commitments > 0 && rng.chance(30) {
                line(
                    &mut s,
                    "commitment",
                    &format!("c-{}", rng.below(commitments)),
                );
            }
            cites_v2(&mut s, &mut rng);
        }
        w.write_all(s.as_bytes())?;
    }

    for i in 0..notes {
        s.clear();
        s.push_str("\n[[notes]]\n");
        if rng.chance(30) {
            line(&mut s, "id", &format!("n-{i}"));
        }
        if rng.chance(90) {
            raw_line(&mut s, "date", format_args!("{}", date_v2(&mut rng)));
        }
        let revenue = rng.chance(5);
        let subject = if revenue {
            labs[rng.below(labs.len())].clone()
        } else if rng.chance(70) {
            provider_name(rng.below(providers))
        } else {
            rng.pick(TOPICS).to_string()
        };
        line(&mut s, "subject", &subject);
        let kind = if revenue {
            "revenue"
        } else {
            rng.pick(NOTE_KINDS)
        };
        line(&mut s, "kind", kind);
        let words = 5 + rng.below(8);
        line(&mut s, "headline", &sentence(&mut rng, words));
        if rng.chance(50) {
            figure_v2(&mut s, &mut rng, "change", percent);
        }
        if revenue || rng.chance(30) {
            figure_v2(&mut s, &mut rng, "amount", money_v2);
        }
        if kind == "statement" {
            line(&mut s, "speaker", rng.pick(SPEAKERS));
        }
        if rng.chance(40) {
            let words = 10 + rng.below(30);
            line(&mut s, "body", &sentence(&mut rng, words));
        }
        cites_v2(&mut s, &mut rng);
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}

/// A file of `n` commitments, each with a power figure where money
/// belongs: `n` problems, for error floods (not a valid file).
pub fn wrong_values(n: usize) -> String {
    let mut text = String::from(
        "format = 1\n\n[dataset]\ntitle = \"T\"\nsubject = \"S\"\nas_of = 2025-11-03\n\n\
         [[sources]]\nid = \"s\"\ntitle = \"S\"\n\n\
         [[providers]]\nid = \"p\"\nname = \"P\"\nkind = \"cloud\"\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "\n[[commitments]]\nid = \"c{i}\"\nprovider = \"p\"\nvalue = \"{i} GW\"\n\
             status = \"signed\"\n"
        ));
    }
    text
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo run --release --example gen -- N [--seed S] [--buyers K | --format 2] > big.toml\n       \
         cargo run --release --example gen -- N --set K DIR   (K files of N commitments, \
         no id shared, as DIR/set-000.toml ...)"
    );
    std::process::exit(2);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n: Option<usize> = None;
    let mut seed = 1u64;
    let mut buyers = 1usize;
    let mut set: Option<(usize, std::path::PathBuf)> = None;
    let mut format = 1;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--buyers" => {
                buyers = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|k| *k >= 1)
                    .unwrap_or_else(|| usage())
            }
            "--format" => {
                format = match args.next().as_deref() {
                    Some("1") => 1,
                    Some("2") => 2,
                    _ => usage(),
                }
            }
            "--set" => {
                let k = args.next().and_then(|s| s.parse().ok());
                let dir = args.next().map(std::path::PathBuf::from);
                match (k, dir) {
                    (Some(k), Some(dir)) => set = Some((k, dir)),
                    _ => usage(),
                }
            }
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "-h" | "--help" => usage(),
            _ => n = Some(arg.parse().unwrap_or_else(|_| usage())),
        }
    }
    let n = n.unwrap_or_else(|| usage());
    if let Some((k, dir)) = set {
        for member in 0..k {
            let path = dir.join(format!("set-{member:03}.toml"));
            if let Err(e) = std::fs::write(&path, generate_member(n, seed, member)) {
                eprintln!("gen: {}: {e}", path.display());
                std::process::exit(1);
            }
        }
        return;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = match format {
        2 => write_v2(&mut out, n, seed, buyers.max(LABS.len())),
        _ => write_ledger(&mut out, n, seed, buyers),
    }
    .and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("gen: {e}");
            std::process::exit(1);
        }
    }
}
