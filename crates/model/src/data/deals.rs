//! A valid file's deals read twice instead of held, for a table of them
//! that is written as it is made (`gigawatt export commitments`).
//!
//! The first read checks the whole file as a load does (`sections`), but
//! keeps of each deal only what the checks at the end need (a `Skeleton`:
//! its ids and references), and of the rest everything: parties, sources
//! and notes are what a deal's row looks up. The second read goes over the
//! deals again, a section at a time, each read and checked as in a load
//! and handed over before the next. So a 100k ledger is never held: the
//! peak is that of the parties and notes, and of the skeletons during the
//! first read (104 bytes a deal, where a deal loaded takes 328 and its
//! strings about 130 more).
//!
//! Only a plainly valid file of one table a section is read so; anything
//! else is `None`, and the caller loads the file (which reports what is
//! wrong). A file that changes between the reads is an error, not a table
//! of two files.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::MAX_FILE_BYTES;
use super::kept::{Kept, Skeleton};
use super::model::*;
use super::read::open;
use super::sections::{Sections, read_sections};
use super::validate::Known;

/// A valid file, checked, whose deals are read again one at a time
/// (`each_deal`) rather than held.
#[derive(Debug)]
pub struct DealFile {
    path: PathBuf,
    /// Every record but the deals, as a load gives them.
    dataset: Dataset,
    /// How many deals the first read found.
    deals: usize,
    /// The ids some firm deal supersedes (a tentative restatement replaces
    /// nothing, as `ledger::left_out` has it).
    superseded: HashSet<String>,
    /// Deals' statuses as the file's status notes give them.
    statuses: std::collections::HashMap<String, Status>,
    /// The file's length and time when it was first read.
    stamp: Stamp,
}

type Stamp = (u64, Option<SystemTime>);

/// The length and time of an open file, to tell whether it changed.
fn stamp(file: &File) -> Option<Stamp> {
    let metadata = file.metadata().ok()?;
    Some((metadata.len(), metadata.modified().ok()))
}

/// Why `each_deal` stopped.
#[derive(Debug)]
pub enum DealError<E> {
    /// `emit` failed.
    Emit(E),
    /// The file is not as it was at the first read: changed, gone, or no
    /// longer valid.
    Changed,
}

/// Reads and checks the file at `path` as a load does, keeping its deals
/// aside; `None` if it is not plainly valid, cannot be read, or is not a
/// regular file (load it instead: that says why).
pub fn read_deal_file(path: &Path) -> Option<DealFile> {
    let (file, _) = open(path).ok()?;
    let stamp = stamp(&file)?;
    let mut all = Sections::<Skeleton>::default();
    read_sections((&file).take(MAX_FILE_BYTES + 1), &mut |text, bounds| {
        all.feed(text, bounds)
    })?;
    let (dataset, kept) = all.finish_kept(&Known::default())?;
    let statuses = dataset.latest_statuses();
    let superseded = kept
        .iter()
        .filter(|deal| {
            !statuses
                .get(deal.id())
                .copied()
                .unwrap_or(deal.status())
                .is_tentative()
        })
        .flat_map(|deal| deal.supersedes())
        .cloned()
        .collect();
    Some(DealFile {
        path: path.to_path_buf(),
        dataset: dataset.named(&path.display().to_string()),
        deals: kept.len(),
        superseded,
        statuses,
        stamp,
    })
}

impl DealFile {
    /// The file's dataset without its deals: what a deal's row looks up.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// How many deals the file holds.
    pub fn len(&self) -> usize {
        self.deals
    }

    pub fn is_empty(&self) -> bool {
        self.deals == 0
    }

    /// Whether some deal of the file supersedes the deal `id`.
    pub fn is_superseded(&self, id: &str) -> bool {
        self.superseded.contains(id)
    }

    /// Reads the file again and hands `emit` each deal, in file order, as
    /// a load would have it (a buyer left out is the subject). `emit` sees
    /// one deal at a time; an error from it stops the read.
    pub fn each_deal<E>(
        &self,
        emit: &mut dyn FnMut(&Commitment) -> Result<(), E>,
    ) -> Result<(), DealError<E>> {
        let (file, _) = open(&self.path).map_err(|_| DealError::Changed)?;
        if stamp(&file) != Some(self.stamp) {
            return Err(DealError::Changed);
        }
        let subject = self.dataset.subject_id.as_deref().map(Id::from);
        let mut all = Sections::<Commitment>::default();
        all.deals_only = true;
        let mut seen = 0;
        let mut failed = None;
        let read = read_sections((&file).take(MAX_FILE_BYTES + 1), &mut |text, bounds| {
            all.feed(text, bounds)?;
            for mut deal in all.commitments.drain(..) {
                seen += 1;
                if seen > self.deals {
                    return None;
                }
                if let Some(subject) = subject.as_ref().filter(|_| deal.buyer.is_empty()) {
                    deal.buyer = subject.clone();
                }
                if let Some(&status) = self.statuses.get(deal.id.as_str()) {
                    deal.take_status(status);
                }
                if let Err(e) = emit(&deal) {
                    failed = Some(e);
                    return None;
                }
            }
            Some(())
        });
        if let Some(e) = failed {
            return Err(DealError::Emit(e));
        }
        if read.is_none() || seen != self.deals || stamp(&file) != Some(self.stamp) {
            return Err(DealError::Changed);
        }
        Ok(())
    }
}
