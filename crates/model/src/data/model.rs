//! The validated dataset: what the rest of gigawatt reads. Every figure is
//! parsed, every reference resolved, every date a calendar date or a hedged
//! interval of days. Format 1 files and format 2 files load into the same
//! model: a format 1 file's deals all have its subject as buyer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::figure::{Figure, HedgedDate, Interval, Unit};

pub use super::ids::{Cite, Cites, CompactString, Id, Interner};
pub use super::site::{Cluster, Confidence, HubCurrent, Site, SiteEntry, SiteStatus, SiteUser};
pub use super::vocabulary::Vocabulary;
pub(crate) use super::vocabulary::vocabulary;

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub title: String,
    /// The subject's name, for the title bar: as written in a format 1
    /// file, the subject party's name in format 2, or "" when none.
    pub subject: String,
    /// The subject's party id: the default buyer. In a format 1 file, the
    /// party of its subject name (see `party_id_of`).
    pub subject_id: Option<String>,
    pub as_of: NaiveDate,
    pub summary: Option<String>,
    /// The files loaded; records say which by index (0 for one file).
    pub files: Vec<FileInfo>,
    pub sources: Vec<Source>,
    /// Every party written in the file (`[[providers]]` and `[[parties]]`,
    /// in file order). Format 1 called them providers, hence the name.
    pub providers: Vec<Party>,
    /// A format 1 file's subject, when no party has its id: the buyer of
    /// the file's deals, known to lookups (`party`) but not listed among
    /// the providers, so that format 1 files show as they always have.
    pub subject_party: Option<Party>,
    /// In a set, the subjects of other format 1 files, as `subject_party`.
    pub other_subjects: Vec<Party>,
    pub commitments: Vec<Commitment>,
    /// Capacity plans, in file order; `capacity()` is the subject's.
    pub capacities: Vec<Capacity>,
    pub notes: Vec<Note>,
    /// Campuses, with their dated timelines.
    pub sites: Vec<Site>,
    /// Compute clusters, as the field's cluster tables list them.
    pub clusters: Vec<Cluster>,
    /// Id lookups, built on first use; not part of the data (equality
    /// ignores it). Build a `Dataset` by hand with `Default::default()` here.
    #[doc(hidden)]
    pub lookup: Lookup,
}

/// Id → position tables for `Dataset::provider` and `Dataset::source`, so
/// that a lookup per row stays cheap at 100k rows. Built lazily and checked
/// on use, so a dataset whose records were changed after a lookup still
/// answers correctly (by a scan, if an entry went stale).
#[derive(Debug, Default)]
pub struct Lookup {
    providers: OnceLock<Positions>,
    sources: OnceLock<Positions>,
    /// Notes' subjects, lowercased once for `notes_about`.
    note_subjects: OnceLock<Vec<Lowered>>,
}

/// A string and its lowercase, to tell whether it still belongs to it.
#[derive(Debug)]
struct Lowered {
    original: String,
    lower: String,
}

impl Lowered {
    fn new(s: &str) -> Lowered {
        Lowered {
            original: s.to_string(),
            lower: s.to_lowercase(),
        }
    }
}

/// A copy starts with empty tables: they are rebuilt on its first lookup.
impl Clone for Lookup {
    fn clone(&self) -> Lookup {
        Lookup::default()
    }
}

/// Derived from the data, so never a difference between two datasets.
impl PartialEq for Lookup {
    fn eq(&self, _: &Lookup) -> bool {
        true
    }
}

/// The first position of each id, and how many records there were.
#[derive(Debug)]
struct Positions {
    first: HashMap<String, usize>,
    len: usize,
}

fn positions<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Positions {
    let len = ids.len();
    let mut first = HashMap::new();
    for (i, id) in ids.enumerate() {
        first.entry(id.to_string()).or_insert(i);
    }
    Positions { first, len }
}

/// The position of `id` in `items` by the table, checked, or else by a scan.
/// A miss is trusted while the records are as many as when the table was
/// built (records are added or dropped, never renamed in place): a buyer
/// looked up among 10,000 providers for each of 100k deals must not scan.
fn find<T>(
    items: &[T],
    table: &OnceLock<Positions>,
    build: impl FnOnce() -> Positions,
    id_of: impl Fn(&T) -> &str,
    id: &str,
) -> Option<usize> {
    let table = table.get_or_init(build);
    match table.first.get(id) {
        Some(&i) if items.get(i).is_some_and(|item| id_of(item) == id) => Some(i),
        None if table.len == items.len() => None,
        _ => items.iter().position(|item| id_of(item) == id),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    /// A TOML date in format 1; may be hedged in format 2.
    pub published: Option<HedgedDate>,
    /// Format 2: when the author read it.
    pub accessed: Option<NaiveDate>,
    pub url: Option<String>,
    /// Whose words: the company's own, a news outlet's, or an aggregator's.
    pub kind: SourceKind,
    /// Index into `Dataset::files`.
    pub file: usize,
}

/// A company in the build-out: a lab, a cloud, a chipmaker, an investor, a
/// utility. Its roles come from its deals (a provider to one, a buyer from
/// another). Format 1 called these providers.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub id: String,
    pub name: String,
    /// Free text, or a party id.
    pub parent: Option<String>,
    pub kind: PartyKind,
    pub hardware: Vec<String>,
    pub summary: Option<String>,
    pub cites: Cites,
    /// Other spellings of the name ("NVIDIA", "Coreweave"), for matching
    /// names in imported tables.
    pub aliases: Vec<String>,
    /// Made by an import from a name that matched no party.
    pub imported: bool,
    pub file: usize,
}

/// Format 1's name for a party, kept for the code that shows providers.
pub type Provider = Party;
/// Format 1's name for a party's kind.
pub type ProviderKind = PartyKind;

/// A deal: who pays (`buyer`), who delivers (`provider`), what and how much.
///
/// A ledger holds 100k of these, so the common fields are held compactly
/// (ids inline or shared, one citation inline) and those few deals give sit
/// behind one pointer (`extras`; read them by `power()`, `starts()`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Inline up to 24 bytes.
    pub id: CompactString,
    /// Party id, known to exist: the buyer, or for an investment the
    /// investor. Format 1: the file's subject.
    pub buyer: Id,
    /// Party id, known to exist.
    pub provider: Id,
    pub kind: DealKind,
    /// `None` means undisclosed, never zero. Where sources disagree, the
    /// envelope of their figures (see `alternatives`).
    pub value: Option<Figure>,
    pub term: Option<Figure>,
    pub announced: Option<HedgedDate>,
    pub status: Status,
    pub online_by: Option<HedgedDate>,
    pub summary: Option<Box<str>>,
    pub cites: Cites,
    /// What few deals give; `None` when the deal gives none of it.
    pub extras: Option<Box<DealExtras>>,
    /// Index into `Dataset::files`.
    pub file: u32,
}

/// The fields of a deal that most deals leave out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DealExtras {
    /// The capacity the deal covers.
    pub power: Option<Figure>,
    /// How many chips or systems.
    pub units: Option<Figure>,
    pub hardware: Vec<String>,
    pub starts: Option<HedgedDate>,
    /// Ids of earlier records of the same deal, known to exist. The
    /// contract takes one id; a list is accepted too, for a record that
    /// restates two earlier ones.
    pub supersedes: Vec<String>,
    /// Figure fields given as attributed alternatives.
    pub alternatives: Vec<Disputed>,
    /// What `power` measures, when the file says (else `DealKind::default_layer`).
    pub power_layer: Option<PowerLayer>,
    /// The parts the deal splits into, some perhaps conditional.
    pub tranches: Vec<Tranche>,
    /// Site ids the deal is for, known to exist.
    pub sites: Vec<String>,
    /// The status the deal's own record gives, when a later status note
    /// changed it (`status` then holds the latest).
    pub written_status: Option<Status>,
    /// With conditional tranches: the sum of the unconditional ones (`None`
    /// when every tranche is conditional) and of the conditional ones.
    pub split: Option<(Option<Figure>, Option<Figure>)>,
}

/// A part of a deal: its money and/or power, when it is due, and what must
/// happen first (a tranche with a condition is conditional).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tranche {
    pub value: Option<Figure>,
    pub power: Option<Figure>,
    pub due: Option<HedgedDate>,
    pub condition: Option<String>,
    pub summary: Option<String>,
    pub cites: Cites,
}

impl Tranche {
    pub fn is_conditional(&self) -> bool {
        self.condition.is_some()
    }
}

impl DealExtras {
    fn is_empty(&self) -> bool {
        *self == DealExtras::default()
    }
}

/// A figure field written as several sources' figures: the field itself
/// holds their envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Disputed {
    /// The field: `"value"`, `"change"`, ...
    pub field: &'static str,
    /// Whether every source gives the same figure.
    pub agree: bool,
    /// Each source's figure and its citation, as written.
    pub options: Vec<(Figure, Cite)>,
}

/// A buyer's capacity plan: format 1's `[capacity]`, format 2's
/// `[[capacity]]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capacity {
    /// Party id: whose plan. Format 1: the file's subject.
    pub buyer: String,
    pub target: Option<Figure>,
    pub target_cost: Option<Figure>,
    pub build_rate: Option<Figure>,
    pub cost_per_gw: Option<Figure>,
    pub homes_equivalent: Option<Figure>,
    /// When the target should be met.
    pub by: Option<HedgedDate>,
    pub summary: Option<String>,
    pub cites: Cites,
    pub milestones: Vec<Milestone>,
    pub alternatives: Vec<Disputed>,
    pub file: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: Option<String>,
    pub date: HedgedDate,
    pub label: String,
    /// Party id, known to exist.
    pub provider: Option<String>,
    /// Commitment id, known to exist.
    pub commitment: Option<String>,
    pub cites: Cites,
    pub file: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: Option<String>,
    pub date: Option<HedgedDate>,
    /// A company or topic as written.
    pub subject: String,
    /// The party the subject names, when it is a party id.
    pub subject_party: Option<String>,
    pub kind: NoteKind,
    pub headline: String,
    pub change: Option<Figure>,
    /// Money; for a revenue note, the annualised revenue run rate.
    pub amount: Option<Figure>,
    pub speaker: Option<String>,
    pub body: Option<String>,
    pub cites: Cites,
    pub alternatives: Vec<Disputed>,
    /// A status note's deal (id, known to exist) and its new status.
    pub commitment: Option<String>,
    pub status: Option<Status>,
    /// A capacity note's power in operation, and whether it is all that
    /// runs or what was added; `projected` for a forecast.
    pub power: Option<Figure>,
    pub scope: Option<CapacityScope>,
    pub projected: bool,
    pub file: usize,
}

/// A loaded file: what its `[dataset]` says.
#[derive(Debug, Clone, PartialEq)]
pub struct FileInfo {
    /// As given to the loader, for messages.
    pub name: String,
    pub title: String,
    /// The subject's party id: the default buyer of the file's deals.
    pub subject: Option<String>,
    pub as_of: NaiveDate,
    /// The format version the file declares (2 for a table of Epoch AI's).
    pub format: i64,
    pub summary: Option<String>,
    /// A table's columns that gigawatt does not know (a newer download's),
    /// as its header names them; they are not read.
    pub unknown_columns: Vec<String>,
}

/// No citation, for records without one.
static NO_CITE: Cite = Cite {
    source: None,
    at: None,
};

/// The first of a record's citations, or an empty one.
fn first_cite(cites: &[Cite]) -> &Cite {
    cites.first().unwrap_or(&NO_CITE)
}

impl Party {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

impl Commitment {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }

    /// The capacity the deal covers.
    pub fn power(&self) -> Option<&Figure> {
        self.extras.as_ref()?.power.as_ref()
    }

    /// How many chips or systems.
    pub fn units(&self) -> Option<&Figure> {
        self.extras.as_ref()?.units.as_ref()
    }

    pub fn hardware(&self) -> &[String] {
        self.extras.as_ref().map_or(&[], |e| &e.hardware)
    }

    pub fn starts(&self) -> Option<HedgedDate> {
        self.extras.as_ref()?.starts
    }

    /// Ids of earlier records of the same deal.
    pub fn supersedes(&self) -> &[String] {
        self.extras.as_ref().map_or(&[], |e| &e.supersedes)
    }

    /// Figure fields given as attributed alternatives.
    pub fn alternatives(&self) -> &[Disputed] {
        self.extras.as_ref().map_or(&[], |e| &e.alternatives)
    }

    /// What the deal's power measures: as written, else the kind's default.
    pub fn power_layer(&self) -> Option<PowerLayer> {
        self.extras
            .as_ref()
            .and_then(|e| e.power_layer)
            .or(self.kind.default_layer())
    }

    pub fn tranches(&self) -> &[Tranche] {
        self.extras.as_ref().map_or(&[], |e| &e.tranches)
    }

    /// Site ids the deal is for.
    pub fn sites(&self) -> &[String] {
        self.extras.as_ref().map_or(&[], |e| &e.sites)
    }

    /// The status its own record gives, before any status note.
    pub fn written_status(&self) -> Status {
        self.extras
            .as_ref()
            .and_then(|e| e.written_status)
            .unwrap_or(self.status)
    }

    /// Takes `status` from a status note, keeping the status as written.
    pub fn take_status(&mut self, status: Status) {
        let written = self.written_status();
        if status != written {
            self.extras_mut().written_status = Some(written);
        }
        self.status = status;
    }

    /// The money due without conditions: the value, or with conditional
    /// tranches the sum of the others (`None` when all are conditional).
    pub fn firm_value(&self) -> Option<&Figure> {
        match self.conditional_split() {
            Some((firm, _)) => firm.as_ref(),
            None => self.value.as_ref(),
        }
    }

    /// The money due only once conditions are met.
    pub fn conditional_value(&self) -> Option<&Figure> {
        self.conditional_split()?.1.as_ref()
    }

    /// The split into firm and conditional money, while it holds: a deal
    /// completed has met its conditions, so all of it is firm.
    fn conditional_split(&self) -> Option<&(Option<Figure>, Option<Figure>)> {
        if self.status == Status::Completed {
            return None;
        }
        self.extras.as_ref()?.split.as_ref()
    }

    /// Works out `split` from the tranches: called once they are read.
    pub fn split_tranches(&mut self) {
        let tranches = self.tranches();
        if !tranches.iter().any(Tranche::is_conditional) {
            return;
        }
        let sum = |conditional: bool| {
            Figure::sum(
                tranches
                    .iter()
                    .filter(|t| t.is_conditional() == conditional)
                    .filter_map(|t| t.value.as_ref()),
            )
        };
        let conditional = sum(true);
        // Tranches that list only what is conditional leave the rest of the
        // value firm: "$50bn, $35bn of it on conditions" is $15bn firm.
        let firm = sum(false).or_else(|| {
            let (value, cond) = (self.value.as_ref()?, conditional.as_ref()?);
            let rest = Interval::new(
                (value.interval.low - cond.interval.high).max(0.0),
                (value.interval.high - cond.interval.low).max(0.0),
            )?;
            Figure::from_interval(rest, value.approx || cond.approx, Unit::Money)
        });
        self.extras_mut().split = Some((firm, conditional));
    }

    /// The extras, to change: made empty if the deal had none.
    pub fn extras_mut(&mut self) -> &mut DealExtras {
        self.extras.get_or_insert_default()
    }

    /// Sets the extras, keeping none when `extras` is empty.
    pub fn set_extras(&mut self, extras: DealExtras) {
        self.extras = (!extras.is_empty()).then(|| Box::new(extras));
    }

    /// `file` as an index into `Dataset::files`.
    pub fn file_index(&self) -> usize {
        self.file as usize
    }
}

impl Capacity {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

impl Site {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

impl Cluster {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

impl Milestone {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

impl Note {
    /// The first citation, or an empty one.
    pub fn cite(&self) -> &Cite {
        first_cite(&self.cites)
    }
}

vocabulary!(PartyKind {
    Hyperscaler => "hyperscaler",
    Cloud => "cloud",
    Neocloud => "neocloud",
    Chipmaker => "chipmaker",
    Other => "other",
} format2 {
    Lab => "lab",
    Investor => "investor",
    Energy => "energy",
});

vocabulary!(Status {
    Signed => "signed",
    Agreed => "agreed",
    Reported => "reported",
    Ongoing => "ongoing",
    Option => "option",
} format2 {
    Announced => "announced",
    LetterOfIntent => "letter of intent",
    Completed => "completed",
    Cancelled => "cancelled",
    InTalks => "in talks",
    Stalled => "stalled",
});

impl Status {
    /// Whether a deal of this status is a firm commitment: signed, agreed,
    /// announced, ongoing or completed. Reported deals, letters of intent,
    /// talks and stalled deals are tentative; options and cancelled deals
    /// are neither (they are left out of every total).
    pub fn is_firm(self) -> bool {
        matches!(
            self,
            Status::Signed
                | Status::Agreed
                | Status::Announced
                | Status::Ongoing
                | Status::Completed
        )
    }

    /// Reported, a letter of intent, in talks or stalled: counted apart from
    /// firm commitments (`tentative_total`).
    pub fn is_tentative(self) -> bool {
        matches!(
            self,
            Status::Reported | Status::LetterOfIntent | Status::InTalks | Status::Stalled
        )
    }
}

vocabulary!(NoteKind {
    Stock => "stock",
    Valuation => "valuation",
    Finance => "finance",
    Analyst => "analyst",
    Statement => "statement",
    Context => "context",
} format2 {
    Revenue => "revenue",
    StatusChange => "status",
    Capacity => "capacity",
    Credit => "credit",
});

vocabulary!(DealKind {
    Compute => "compute",
    Chips => "chips",
    Power => "power",
    Investment => "investment",
    Other => "other",
} format2 {
    Backstop => "backstop",
    Debt => "debt",
});

impl DealKind {
    /// Whether the buyer pays the provider for something delivered
    /// (compute, chips, power, other capacity). Investments, backstops and
    /// debt move money too, but are not spending: each has its own total.
    pub fn is_spending(self) -> bool {
        matches!(
            self,
            DealKind::Compute | DealKind::Chips | DealKind::Power | DealKind::Other
        )
    }

    /// What a deal's `power` measures when the file does not say.
    pub fn default_layer(self) -> Option<PowerLayer> {
        match self {
            DealKind::Chips => Some(PowerLayer::Chips),
            DealKind::Compute => Some(PowerLayer::Hosting),
            DealKind::Power => Some(PowerLayer::Grid),
            _ => None,
        }
    }
}

// What a power figure measures: the chips bought (their draw), the data
// centre capacity that hosts them, or the grid connection that feeds it.
// The same watts show up in all three, so totals never add across layers.
vocabulary!(PowerLayer {
    Chips => "chips",
    Hosting => "hosting",
    Grid => "grid",
});

vocabulary!(SourceKind {
    News => "news",
    Primary => "primary",
    Aggregator => "aggregator",
});

// Whether a capacity note gives all that runs, or what was added.
vocabulary!(CapacityScope {
    Total => "total",
    Added => "added",
});

/// A format 1 subject's party id: the name lowercased, runs of other
/// characters turned into `-` ("OpenAI" -> "openai", "Acme AI, Inc." ->
/// "acme-ai-inc"); `"subject"` if nothing is left.
///
/// An id is made of a-z, 0-9 and `-`, so letters and digits outside ASCII
/// cannot be kept: a name with any gets eight hex digits of a hash of its
/// letters and digits (lowercased, runs of others as one `-`) after what
/// is left, "数据" -> "subject-…", "Café AI" -> "caf-ai-…". Else `数据` and
/// `Ω` would both be `subject`, and two files' buyers one party. The hash
/// is FNV-1a, fixed here rather than the standard library's, whose output
/// may change between versions: a subject's id must not.
pub fn party_id_of(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    // The name as an id would be if any letter were allowed.
    let mut letters = String::with_capacity(name.len());
    let mut outside_ascii = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
        if c.is_alphanumeric() {
            outside_ascii |= !c.is_ascii();
            letters.push(c);
        } else if !letters.is_empty() && !letters.ends_with('-') {
            letters.push('-');
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() {
        id.push_str("subject");
    }
    if outside_ascii {
        while letters.ends_with('-') {
            letters.pop();
        }
        let hash = letters.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        id.push_str(&format!("-{:08x}", hash as u32));
    }
    id
}

impl Dataset {
    /// The dataset with its file's name, for messages.
    pub fn named(mut self, file: &str) -> Dataset {
        for info in &mut self.files {
            file.clone_into(&mut info.name);
        }
        self
    }

    /// Gives each deal named by status notes the status of its latest note
    /// (by date, then file order), keeping the one its record wrote.
    pub fn apply_status_notes(&mut self) {
        let latest = self.latest_statuses();
        if latest.is_empty() {
            return;
        }
        for c in &mut self.commitments {
            if let Some(&status) = latest.get(c.id.as_str()) {
                c.take_status(status);
            }
        }
    }

    /// Each deal's status as its latest status note (by date; the later in
    /// the files on a tie) gives it.
    pub fn latest_statuses(&self) -> HashMap<String, Status> {
        let mut latest: HashMap<&str, (&Note, Status)> = HashMap::new();
        for note in &self.notes {
            let (Some(id), Some(status)) = (note.commitment.as_deref(), note.status) else {
                continue;
            };
            let later = latest.get(id).is_none_or(|(seen, _)| {
                note.date.map(|d| d.anchor()) >= seen.date.map(|d| d.anchor())
            });
            if later {
                latest.insert(id, (note, status));
            }
        }
        latest
            .into_iter()
            .map(|(id, (_, s))| (id.to_string(), s))
            .collect()
    }

    /// The status notes of a deal, in date order.
    pub fn status_history<'a>(&'a self, deal: &'a str) -> impl Iterator<Item = &'a Note> {
        let mut notes: Vec<&Note> = self
            .notes
            .iter()
            .filter(|n| n.status.is_some() && n.commitment.as_deref() == Some(deal))
            .collect();
        notes.sort_by_key(|n| n.date.map(|d| d.anchor()));
        notes.into_iter()
    }

    /// Every party written in the files.
    pub fn parties(&self) -> &[Party] {
        &self.providers
    }

    /// A party by id: one written in the files, or a format 1 subject.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.provider(id)
            .or_else(|| self.subject_party.as_ref().filter(|p| p.id == id))
            .or_else(|| self.other_subjects.iter().find(|p| p.id == id))
    }

    /// The subject's capacity plan: the first whose buyer is the subject,
    /// else the first.
    pub fn capacity(&self) -> Option<&Capacity> {
        let subject = self.subject_id.as_deref();
        self.capacities
            .iter()
            .find(|c| Some(c.buyer.as_str()) == subject)
            .or(self.capacities.first())
    }

    /// `capacity()`, to change.
    pub fn capacity_mut(&mut self) -> Option<&mut Capacity> {
        let subject = self.subject_id.clone();
        let i = self
            .capacities
            .iter()
            .position(|c| Some(&c.buyer) == subject.as_ref())
            .unwrap_or(0);
        self.capacities.get_mut(i)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        let build = || positions(self.sources.iter().map(|s| s.id.as_str()));
        find(&self.sources, &self.lookup.sources, build, |s| &s.id, id).map(|i| &self.sources[i])
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.provider_index(id).map(|i| &self.providers[i])
    }

    /// The position of the provider with this id in `providers`.
    pub fn provider_index(&self, id: &str) -> Option<usize> {
        let build = || positions(self.providers.iter().map(|p| p.id.as_str()));
        find(
            &self.providers,
            &self.lookup.providers,
            build,
            |p| &p.id,
            id,
        )
    }

    /// "Title, Publisher, 2025-11-03, para 5" for a citation.
    pub fn cite_text(&self, cite: &Cite) -> Option<String> {
        let id = cite.source.as_deref()?;
        let mut parts = vec![];
        match self.source(id) {
            Some(source) => {
                parts.push(source.title.clone());
                parts.extend(source.publisher.clone());
                parts.extend(source.published.map(|d| d.to_string()));
            }
            None => parts.push(id.to_string()),
        }
        parts.extend(cite.at.as_deref().map(str::to_string));
        Some(parts.join(", "))
    }

    /// Notes whose subject names the provider, its parent or its id.
    pub fn notes_about<'a>(&'a self, provider: &'a Provider) -> impl Iterator<Item = &'a Note> {
        let names: Vec<String> = [Some(&provider.name), provider.parent.as_ref()]
            .into_iter()
            .flatten()
            .map(|n| n.to_lowercase())
            .collect();
        let lowered = self.lookup.note_subjects.get_or_init(|| {
            self.notes
                .iter()
                .map(|n| Lowered::new(&n.subject))
                .collect()
        });
        self.notes.iter().enumerate().filter_map(move |(i, note)| {
            let subject = match lowered.get(i) {
                Some(l) if l.original == note.subject => Cow::Borrowed(l.lower.as_str()),
                _ => Cow::Owned(note.subject.to_lowercase()),
            };
            let about = names.iter().any(|n| {
                (subject.len() >= n.len() && subject.contains(n.as_str()))
                    || (n.len() >= subject.len() && n.contains(&*subject))
            });
            about.then_some(note)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frozen copy of the first dataset, format 1: six providers.
    fn dataset() -> Dataset {
        crate::data::load_str(
            include_str!("../../../../tests/fixtures/ui.toml"),
            "ui.toml",
        )
        .expect("the fixture loads")
    }

    /// ASCII names keep the ids files and tests know them by; a name
    /// with letters outside ASCII gets a suffix of its own, so that `数据`
    /// and `Ω` (both `subject` before) stay two parties.
    #[test]
    fn a_subject_id_tells_apart_names_outside_ascii() {
        for (name, id) in [
            ("OpenAI", "openai"),
            ("Acme AI, Inc.", "acme-ai-inc"),
            ("  --  ", "subject"),
            ("xAI", "xai"),
        ] {
            assert_eq!(party_id_of(name), id, "{name}");
        }
        let ids: Vec<String> = ["数据", "Ω", "Café AI", "Cafè AI", "Caf AI"]
            .iter()
            .map(|n| party_id_of(n))
            .collect();
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
        for id in &ids {
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not a format 2 id"
            );
        }
        assert!(ids[0].starts_with("subject-"), "{}", ids[0]);
        assert!(ids[2].starts_with("caf-ai-"), "{}", ids[2]);
        // Case aside, as ASCII names are: Ω and ω are one subject.
        assert_eq!(party_id_of("Ω"), party_id_of("ω"));
        // Stable: a file's subject keeps its id from one version to the next.
        assert_eq!(party_id_of("数据"), "subject-7dca6cd5");
        assert_eq!(party_id_of("Ω"), "subject-b7235915");
        assert_eq!(party_id_of("Café AI"), "caf-ai-5778f25a");
    }

    #[test]
    fn lookups_survive_changes_after_first_use() {
        let mut d = dataset();
        let aws = d.provider("aws").expect("aws").name.clone();
        assert_eq!(d.provider_index("nvidia"), Some(5));
        assert!(d.provider("nobody").is_none());
        // Moved, renamed, added: the tables were built, the answers still right.
        d.providers.swap(0, 5);
        d.providers[1].id = "azure-2".into();
        let mut extra = d.providers[2].clone();
        extra.id = "extra".into();
        d.providers.push(extra);
        assert_eq!(d.provider_index("nvidia"), Some(0));
        assert_eq!(d.provider("aws").map(|p| &p.name), Some(&aws));
        assert!(d.provider("azure").is_none());
        assert_eq!(d.provider_index("azure-2"), Some(1));
        assert_eq!(d.provider_index("extra"), Some(6));
        assert!(d.source("amazon-openai-38bn").is_some());
        // A copy answers alike.
        let copy = d.clone();
        assert_eq!(copy.provider_index("nvidia"), Some(0));
        assert_eq!(copy, d);
    }

    #[test]
    fn notes_about_follow_changed_subjects() {
        let mut d = dataset();
        let aws = d.provider("aws").expect("aws").clone();
        let before = d.notes_about(&aws).count();
        assert!(before > 0);
        for note in &mut d.notes {
            if note.subject.to_lowercase().contains("amazon") {
                note.subject = "Somebody else".into();
            }
        }
        assert_eq!(d.notes_about(&aws).count(), 0);
        d.notes[0].subject = "AMAZON WEB SERVICES".into();
        assert_eq!(d.notes_about(&aws).count(), 1);
    }
}
