//! Per-request cost traces: what the capacity code computed and decided for one request,
//! noted as it happened (see the module docs of [`super`]).
//!
//! Recording is cheap on the hot path: a trace is a few integers per step, its buffers are
//! reused from the oldest kept trace, and nothing is formatted until a trace is explained.

use std::cell::RefCell;

use crate::capacity::resource::{Access, Limit};

/// How many recent traces the engine keeps.
pub(crate) const KEPT: usize = 100;

/// One request's trace.
#[derive(Clone, Debug, Default)]
pub(crate) struct Trace {
    /// The engine's number for the request (1, 2, …), its id unless the host named it.
    pub seq: u64,
    /// The id the host gave the request (`x-amzn-RequestId` on the HTTP server).
    pub name: Option<String>,
    pub operation: &'static str,
    pub at_ms: u64,
    /// Tables the steps name, by index: the first `tables_used` (the strings past them are
    /// buffers kept from an earlier request, reused to spare an allocation per request).
    tables: Vec<String>,
    tables_used: usize,
    pub steps: Vec<Step>,
    /// The error the request answered with, if any (`ProvisionedThroughputExceededException`).
    pub error: Option<&'static str>,
}

impl Trace {
    /// The request's id as the host and the learner see it.
    pub fn id(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.seq.to_string())
    }

    /// Whether `id` names this trace.
    pub fn is(&self, id: &str) -> bool {
        match &self.name {
            Some(name) => name == id,
            None => id.parse::<u64>().is_ok_and(|n| n == self.seq),
        }
    }

    /// The name of table `i`.
    pub fn table(&self, i: u16) -> &str {
        self.tables().get(usize::from(i)).map_or("", String::as_str)
    }

    /// The tables the steps name.
    pub fn tables(&self) -> &[String] {
        self.tables.get(..self.tables_used).unwrap_or_default()
    }

    fn table_index(&mut self, name: &str) -> u16 {
        if let Some(i) = self.tables().iter().position(|t| t == name) {
            return i as u16;
        }
        match self.tables.get_mut(self.tables_used) {
            Some(buffer) => {
                buffer.clear();
                buffer.push_str(name);
            }
            None => self.tables.push(name.to_owned()),
        }
        self.tables_used += 1;
        (self.tables_used - 1) as u16
    }
}

/// One thing the capacity code did.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Read(ReadStep),
    Write(WriteStep),
    Admit(AdmitStep),
}

/// Read units computed for one item, or one Query/Scan page.
#[derive(Clone, Debug)]
pub(crate) struct ReadStep {
    pub table: u16,
    /// The index read (a Query or Scan on an index).
    pub index: Option<String>,
    /// Bytes read: the item's size, or the page's summed sizes.
    pub bytes: u64,
    /// Items read (a page's ScannedCount; 0 or 1 for one item).
    pub items: u64,
    /// A Query/Scan page (sizes summed, then rounded once) rather than one item.
    pub page: bool,
    pub consistent: bool,
    pub transactional: bool,
    /// Units charged, micro-units.
    pub micro: i64,
    /// An eventually consistent read: which replica served it and how stale its answer was
    /// (`replication`); `None` for a strongly consistent or transactional read.
    pub served: Option<crate::replication::Served>,
}

/// What a write did to the item, for its units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteKind {
    /// Put or update: the larger of old and new is charged.
    Store,
    /// Delete: the old item's size.
    Remove,
    /// Nothing changed (a delete of a missing item, a condition check, an update that only
    /// removes from a missing item): the existing item's size, at least one unit.
    Nothing,
    /// The condition failed: the existing item's size in write units, at least one.
    ConditionFailed,
}

/// Write units computed for one item.
#[derive(Clone, Debug)]
pub(crate) struct WriteStep {
    pub table: u16,
    pub kind: WriteKind,
    pub old: Option<u64>,
    pub new: Option<u64>,
    pub transactional: bool,
    /// Base-table units, micro-units (doubled when transactional).
    pub micro: i64,
    /// Units per index: (name, micro-units, is global).
    pub indexes: Vec<(String, i64, bool)>,
    /// `VectorWriteRequestBytes` per vector index whose entry changed: (name, bytes).
    pub vectors: Vec<(String, f64)>,
    /// The vectors the charged item's size counted at 4 bytes a dimension: (attribute,
    /// dimensions, the bytes its list of numbers takes as stored).
    pub billed_vectors: Vec<(String, usize, usize)>,
}

/// The verdict on one charge, with the figures it was judged on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Provisioned: the partition's bucket held `level_before` (micro-units) of at most
    /// `capacity`, refilling at `rate_milli` units/s × 1000; the table's pool held `pool_before`.
    Bucket { level_before: i64, capacity: i64, rate_milli: i64, pool_before: i64 },
    /// Provisioned: the partition's bucket was empty (`level`), adaptive capacity served the
    /// charge from the table's pool of unused capacity (`pool_before`).
    Pool { level: i64, rate_milli: i64, pool_before: i64, pool_rate_milli: i64 },
    /// On demand: the partition's ceiling bucket held `ceiling_before` of at most `capacity`
    /// (and the account's per-table quota was not exhausted).
    OnDemand { ceiling_before: i64, capacity: i64 },
    /// Throttling is switched off (a playground setting): counted, never refused.
    Unthrottled,
    /// Refused.
    Refused(Refusal),
}

/// Why a charge was refused, with the figures the rule compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The partition's ceiling bucket (refilled at 3,000 RCU / 1,000 WCU a second, `rate_milli`,
    /// banking at most `capacity`) was empty: `level`.
    PartitionCeiling { level: i64, capacity: i64, rate_milli: i64 },
    /// Provisioned: the partition's bucket (`level`) and the table's pool (`pool`) were both
    /// empty; the partition refills at `rate_milli`.
    Buckets { level: i64, pool: i64, rate_milli: i64, capacity: i64 },
    /// On demand: the account's per-table quota (refilled at `rate_milli`) was spent: `level`.
    Quota { level: i64, rate_milli: i64 },
    /// On demand: the table's or GSI's OnDemandThroughput maximum (refilled at `rate_milli`)
    /// was spent: `level`.
    MaxOnDemand { level: i64, rate_milli: i64 },
}

impl Refusal {
    /// The ThrottlingReason `LimitType` this refusal answers with.
    pub fn limit(&self) -> Limit {
        match self {
            Self::PartitionCeiling { .. } => Limit::KeyRange,
            Self::Buckets { .. } => Limit::Provisioned,
            Self::Quota { .. } => Limit::Account,
            Self::MaxOnDemand { .. } => Limit::MaxOnDemand,
        }
    }
}

/// One charge's admission.
#[derive(Clone, Debug)]
pub(crate) struct AdmitStep {
    pub table: u16,
    /// The GSI charged (`None`: the table, with its LSIs).
    pub index: Option<String>,
    pub access: Access,
    pub micro: i64,
    /// The partition's id, its position and how many the table or index has.
    pub partition_id: u32,
    pub position: usize,
    pub partitions: usize,
    pub verdict: Verdict,
}

/// The kept traces, in a ring of [`KEPT`] slots recorded in place (no trace is moved or
/// reallocated per request), and which slot is being recorded.
#[derive(Clone, Debug, Default)]
struct Ring {
    slots: Vec<Trace>,
    /// The slot of the request being recorded.
    recording: Option<usize>,
}

/// Where capacity code notes what it does while a request is recorded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recorder(RefCell<Ring>);

impl Recorder {
    /// Runs `f` on the trace being recorded, if one is.
    fn with(&self, f: impl FnOnce(&mut Trace)) {
        if let Ok(mut ring) = self.0.try_borrow_mut() {
            if let Some(i) = ring.recording {
                if let Some(trace) = ring.slots.get_mut(i) {
                    f(trace);
                }
            }
        }
    }

    /// Notes the read units of one item or page on `table`.
    pub fn read(&self, table: &str, step: impl FnOnce(u16) -> ReadStep) {
        self.with(|t| {
            let i = t.table_index(table);
            t.steps.push(Step::Read(step(i)));
        });
    }

    /// Notes the write units of one item on `table`.
    pub fn write(&self, table: &str, step: impl FnOnce(u16) -> WriteStep) {
        self.with(|t| {
            let i = t.table_index(table);
            t.steps.push(Step::Write(step(i)));
        });
    }

    /// Notes one charge's verdict on `table`.
    pub fn admit(&self, table: &str, step: impl FnOnce(u16) -> AdmitStep) {
        self.with(|t| {
            let i = t.table_index(table);
            t.steps.push(Step::Admit(step(i)));
        });
    }
}

/// The engine's recent traces and the one being recorded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Traces {
    pub recorder: Recorder,
    /// Requests traced so far (the next one's number is this + 1).
    count: u64,
    /// The name the host gave the next request.
    next_name: Option<String>,
    /// The last request handled was traced: its number.
    last: Option<u64>,
}

impl Traces {
    /// Names the next request (the host's request id).
    pub fn name_next(&mut self, id: String) {
        self.next_name = Some(id);
    }

    /// Starts recording a request of `operation` at engine time `now`, in the oldest slot.
    pub fn begin(&mut self, operation: &'static str, now: u64) {
        self.count += 1;
        let ring = self.recorder.0.get_mut();
        let i = ((self.count - 1) % KEPT as u64) as usize;
        if ring.slots.len() <= i {
            ring.slots.push(Trace::default());
        }
        let Some(trace) = ring.slots.get_mut(i) else { return };
        trace.seq = self.count;
        trace.name = self.next_name.take();
        trace.operation = operation;
        trace.at_ms = now;
        trace.tables_used = 0;
        trace.steps.clear();
        trace.error = None;
        ring.recording = Some(i);
    }

    /// Ends the recording, keeping the trace with the error the request answered, if any.
    pub fn end(&mut self, error: Option<&'static str>) {
        let ring = self.recorder.0.get_mut();
        let Some(i) = ring.recording.take() else { return };
        if let Some(trace) = ring.slots.get_mut(i) {
            trace.error = error;
            self.last = Some(trace.seq);
        }
    }

    /// A request that is not traced was handled: there is no "last traced request" now.
    pub fn untraced(&mut self) {
        self.next_name = None;
        self.last = None;
    }

    /// Runs `f` over the kept traces, newest first.
    fn newest_first<R>(&self, f: impl FnOnce(&mut dyn Iterator<Item = &Trace>) -> R) -> R {
        let Ok(ring) = self.recorder.0.try_borrow() else { return f(&mut std::iter::empty()) };
        let slots = ring.slots.as_slice();
        let n = slots.len();
        let newest = if n == 0 { 0 } else { ((self.count.max(1) - 1) % KEPT as u64) as usize };
        let mut iter = (0..n).filter_map(|k| slots.get((newest + n - k) % n)).filter(|t| t.seq > 0);
        f(&mut iter)
    }

    /// The id of the request just handled, if it was traced.
    pub fn last_id(&self) -> Option<String> {
        let seq = self.last?;
        self.newest_first(|traces| {
            for t in traces {
                if t.seq == seq {
                    return Some(t.id());
                }
            }
            None
        })
    }

    /// What `f` makes of the kept trace of request `id`, if there is one.
    pub fn with_trace<R>(&self, id: &str, f: impl FnOnce(&Trace) -> R) -> Option<R> {
        self.newest_first(|traces| {
            for t in traces {
                if t.is(id) {
                    return Some(f(t));
                }
            }
            None
        })
    }

    /// The ids of the kept traces, newest first (at most `n`).
    pub fn ids(&self, n: usize) -> Vec<String> {
        self.newest_first(|traces| {
            let mut ids = Vec::new();
            for t in traces {
                if ids.len() == n {
                    break;
                }
                ids.push(t.id());
            }
            ids
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_are_kept_bounded_and_found_by_id() {
        let mut traces = Traces::default();
        for _ in 0..KEPT + 5 {
            traces.begin("GetItem", 0);
            traces.recorder.read("T", |table| ReadStep {
                table,
                index: None,
                bytes: 10,
                items: 1,
                page: false,
                consistent: true,
                transactional: false,
                micro: 1_000_000,
                served: None,
            });
            traces.end(None);
        }
        assert_eq!(traces.ids(usize::MAX).len(), KEPT);
        assert_eq!(traces.ids(2), ["105", "104"]);
        assert!(traces.with_trace("5", |_| ()).is_none(), "the oldest are dropped");
        assert_eq!(traces.with_trace("6", |t| t.seq), Some(6));
        let steps = traces.with_trace(&(KEPT as u64 + 5).to_string(), |t| t.steps.len()).unwrap();
        assert_eq!(steps, 1, "a reused trace starts empty");
        assert_eq!(traces.last_id().as_deref(), Some("105"));
        traces.name_next("ABC".into());
        traces.begin("PutItem", 7);
        traces.end(Some("ProvisionedThroughputExceededException"));
        assert_eq!(
            traces.with_trace("ABC", |t| t.error),
            Some(Some("ProvisionedThroughputExceededException"))
        );
        assert_eq!(traces.last_id().as_deref(), Some("ABC"));
        traces.untraced();
        assert_eq!(traces.last_id(), None);
        // Nothing is recorded outside a request.
        traces.recorder.read("T", |_| unreachable!());
    }
}
