//! Group commit, free of any browser API: mutations the engine has executed wait here until
//! the IndexedDB transaction holding them commits. At most one transaction is in flight; every
//! mutation that arrives meanwhile joins the next one, so N concurrent requests cost about two
//! transactions, not N.
//!
//! `W` is whatever acknowledges a request (a JS promise's resolve/reject pair in the page).

use dynaplay_engine::journal::Entry;

/// The batching state.
pub struct GroupCommit<W> {
    pending: Vec<(Entry, Option<W>)>,
    in_flight: Option<Vec<Option<W>>>,
    flush_scheduled: bool,
}

impl<W> Default for GroupCommit<W> {
    fn default() -> Self {
        Self { pending: Vec::new(), in_flight: None, flush_scheduled: false }
    }
}

/// What to do with the waiters once a transaction has finished.
pub struct Finished<W> {
    /// Acknowledge these (on success) or reject them (on failure).
    pub waiters: Vec<W>,
    /// Whether another flush should be scheduled (more mutations are pending).
    pub flush_again: bool,
}

impl<W> GroupCommit<W> {
    /// Queues an executed mutation. Returns true when the caller must schedule a flush (none
    /// is scheduled and none is in flight); the flush should run after the current JS task, so
    /// that every request issued in that task lands in the same transaction.
    pub fn push(&mut self, entry: Entry, waiter: Option<W>) -> bool {
        self.pending.push((entry, waiter));
        if self.flush_scheduled || self.in_flight.is_some() {
            return false;
        }
        self.flush_scheduled = true;
        true
    }

    /// Starts a transaction: takes every pending entry, unless one is already in flight or
    /// nothing is pending.
    pub fn begin(&mut self) -> Option<Vec<Entry>> {
        self.flush_scheduled = false;
        if self.in_flight.is_some() || self.pending.is_empty() {
            return None;
        }
        let (entries, waiters) = std::mem::take(&mut self.pending).into_iter().unzip();
        self.in_flight = Some(waiters);
        Some(entries)
    }

    /// The in-flight transaction committed: its waiters are acknowledged.
    pub fn committed(&mut self) -> Finished<W> {
        let waiters = self.in_flight.take().unwrap_or_default().into_iter().flatten().collect();
        let flush_again = !self.pending.is_empty() && !self.flush_scheduled;
        self.flush_scheduled |= flush_again;
        Finished { waiters, flush_again }
    }

    /// The in-flight transaction failed. Its waiters are rejected, and so are the pending ones:
    /// the engine executed them on top of the failed batch, so they cannot be committed alone.
    /// The host must roll the engine back to the stored state.
    pub fn failed(&mut self) -> Finished<W> {
        let mut waiters: Vec<W> = self.in_flight.take().unwrap_or_default().into_iter().flatten().collect();
        waiters.extend(std::mem::take(&mut self.pending).into_iter().filter_map(|(_, w)| w));
        self.flush_scheduled = false;
        Finished { waiters, flush_again: false }
    }

    /// Nothing pending and nothing in flight: the engine holds exactly the committed state.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.in_flight.is_none()
    }

    /// Mutations executed but not yet committed (pending + in flight).
    pub fn unacknowledged(&self) -> usize {
        self.pending.len() + self.in_flight.as_ref().map_or(0, Vec::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(n: u64) -> Entry {
        Entry::Mutation(dynaplay_engine::journal::Mutation {
            operation: "PutItem".into(),
            at_ms: n,
            request: "{}".into(),
            region: None,
        })
    }

    #[test]
    fn requests_of_one_task_share_one_transaction() {
        let mut gc = GroupCommit::default();
        assert!(gc.push(m(1), Some(1)));
        assert!(!gc.push(m(2), Some(2)));
        assert!(!gc.push(m(3), Some(3)));
        assert_eq!(gc.begin().unwrap().len(), 3);
        let done = gc.committed();
        assert_eq!(done.waiters, vec![1, 2, 3]);
        assert!(!done.flush_again);
        assert!(gc.is_idle());
    }

    #[test]
    fn requests_during_a_transaction_join_the_next_one() {
        let mut gc = GroupCommit::default();
        gc.push(m(1), Some(1));
        gc.begin().unwrap();
        assert!(!gc.push(m(2), Some(2)), "no flush while one is in flight");
        gc.push(m(3), Some(3));
        assert!(gc.begin().is_none(), "one transaction at a time");
        assert_eq!(gc.unacknowledged(), 3);
        let done = gc.committed();
        assert_eq!(done.waiters, vec![1]);
        assert!(done.flush_again);
        assert_eq!(gc.begin().unwrap().len(), 2);
        assert_eq!(gc.committed().waiters, vec![2, 3]);
    }

    #[test]
    fn a_failure_rejects_the_batch_and_everything_built_on_it() {
        let mut gc = GroupCommit::default();
        gc.push(m(1), Some(1));
        gc.begin().unwrap();
        gc.push(m(2), Some(2));
        let done = gc.failed();
        assert_eq!(done.waiters, vec![1, 2]);
        assert!(gc.is_idle());
        assert!(gc.push(m(3), Some(3)), "a new flush can start after recovery");
    }
}
