//! What a sectioned load keeps of each deal: the deal, or for a read that
//! will go over the deals again (`deals`) a `Skeleton`, what the checks at
//! the end of the load read.

use super::model::*;

/// What a sectioned load keeps of each deal it has read and checked: the
/// deal itself, or a `Skeleton`. The methods are what the checks at the end
/// of a load read.
pub(in crate::data) trait Kept: Sized {
    fn keep(deal: Commitment) -> Self;
    fn id(&self) -> &str;
    /// `""` for the subject, not yet filled in.
    fn buyer(&self) -> &str;
    fn provider(&self) -> &str;
    /// As written, before any status note.
    fn status(&self) -> Status;
    fn supersedes(&self) -> &[String];
    fn sites(&self) -> &[String];
    fn cites(&self) -> &[Cite];
    fn alternatives(&self) -> &[Disputed];
    /// The deals that go into the dataset, and those kept apart from it.
    fn split(kept: Vec<Self>) -> (Vec<Commitment>, Vec<Self>);
}

/// The checks' reads, alike for both kinds: each has the deal's `id`,
/// `buyer`, `provider`, `cites` and `extras`.
macro_rules! reads {
    () => {
        fn id(&self) -> &str {
            &self.id
        }
        fn buyer(&self) -> &str {
            &self.buyer
        }
        fn provider(&self) -> &str {
            &self.provider
        }
        fn status(&self) -> Status {
            self.status
        }
        fn supersedes(&self) -> &[String] {
            self.extras.as_ref().map_or(&[], |e| &e.supersedes)
        }
        fn sites(&self) -> &[String] {
            self.extras.as_ref().map_or(&[], |e| &e.sites)
        }
        fn cites(&self) -> &[Cite] {
            &self.cites
        }
        fn alternatives(&self) -> &[Disputed] {
            self.extras.as_ref().map_or(&[], |e| &e.alternatives)
        }
    };
}

impl Kept for Commitment {
    reads!();
    fn keep(deal: Commitment) -> Commitment {
        deal
    }
    fn split(kept: Vec<Commitment>) -> (Vec<Commitment>, Vec<Commitment>) {
        (kept, Vec::new())
    }
}

/// A deal as far as the checks at the end of a load read it: its id, the
/// parties and sources it names, the deals it supersedes.
pub(in crate::data) struct Skeleton {
    id: CompactString,
    buyer: Id,
    provider: Id,
    status: Status,
    cites: Cites,
    /// Only when it holds `supersedes`, sites or alternatives.
    extras: Option<Box<DealExtras>>,
}

impl Kept for Skeleton {
    reads!();
    fn keep(deal: Commitment) -> Skeleton {
        let extras = deal.extras.filter(|e| {
            !(e.supersedes.is_empty() && e.sites.is_empty() && e.alternatives.is_empty())
        });
        Skeleton {
            id: deal.id,
            buyer: deal.buyer,
            provider: deal.provider,
            status: deal.status,
            cites: deal.cites,
            extras,
        }
    }
    fn split(kept: Vec<Skeleton>) -> (Vec<Commitment>, Vec<Skeleton>) {
        (Vec::new(), kept)
    }
}
