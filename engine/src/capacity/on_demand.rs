//! On-demand scaling [on-demand-capacity-mode]: a new table sustains 4,000 WCU/s and 12,000
//! RCU/s; traffic up to twice the *previous peak* is absorbed at once; a higher peak becomes
//! the new "previous peak" only 30 minutes after it was reached (DynamoDB asks for growth
//! beyond 2× to be spread over 30 minutes), so doubling is possible every half hour. The
//! per-table account quota (40,000 units per second each way) caps it all.
//!
//! The allowance is not a counter a request is refused by: it sets how many partitions the
//! table has (`partitions_for_on_demand`), and the partitions' ceilings do the refusing, as
//! DynamoDB's on-demand throttles name the key range (`KeyRangeThroughputExceeded`).
//!
//! Peaks are kept per minute in a ring of the last 30 minutes: O(1) per request.

use std::collections::VecDeque;

use super::bucket::MICRO;

/// Throughput a new on-demand table sustains.
pub(crate) const INITIAL_RCU: i64 = 12_000;
pub(crate) const INITIAL_WCU: i64 = 4_000;
/// Default per-table account quota, each way [ServiceQuotas].
pub(crate) const ACCOUNT_TABLE_LIMIT: i64 = 40_000;
/// How long a new peak takes to become the previous peak.
pub(crate) const SCALING_MS: u64 = 30 * 60 * 1000;

/// Peak tracking of one on-demand table or index.
#[derive(Clone, Debug, Default)]
pub(crate) struct OnDemand {
    /// The previous peak (micro-units per second): read, write.
    peak: (i64, i64),
    /// Per-minute maxima not yet 30 minutes old: (minute, read, write).
    recent: VecDeque<(u64, i64, i64)>,
}

impl OnDemand {
    /// Feeds the usage of one finished engine second.
    pub fn feed(&mut self, second: u64, read: i64, write: i64) {
        let minute = second / 60;
        match self.recent.back_mut() {
            Some(last) if last.0 == minute => {
                last.1 = last.1.max(read);
                last.2 = last.2.max(write);
            }
            _ => self.recent.push_back((minute, read, write)),
        }
        self.settle(second);
    }

    /// Promotes minutes whose every second is at least 30 minutes old.
    fn settle(&mut self, second: u64) {
        let scaling_s = SCALING_MS / 1000;
        while let Some(&(minute, r, w)) = self.recent.front() {
            if (minute + 1) * 60 + scaling_s > second {
                break;
            }
            self.peak = (self.peak.0.max(r), self.peak.1.max(w));
            self.recent.pop_front();
        }
    }

    /// The previous peak (read, write), micro-units per second.
    pub fn peak(&self) -> (i64, i64) {
        self.peak
    }

    /// Units per second absorbed at once (read, write), micro-units, and whether that is the
    /// account quota.
    pub fn allowance(&mut self, second: u64) -> ((i64, bool), (i64, bool)) {
        self.settle(second);
        let one = |initial: i64, peak: i64| {
            let want = (initial * MICRO).max(2 * peak);
            let cap = ACCOUNT_TABLE_LIMIT * MICRO;
            (want.min(cap), want >= cap)
        };
        (one(INITIAL_RCU, self.peak.0), one(INITIAL_WCU, self.peak.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_doubles_only_after_thirty_minutes() {
        let mut od = OnDemand::default();
        assert_eq!(od.allowance(0).1 .0, 4_000 * MICRO);
        // Sustain 3,500 WCU for a minute: nothing changes at once.
        for s in 0..60 {
            od.feed(s, 0, 3_500 * MICRO);
        }
        assert_eq!(od.allowance(61).1 .0, 4_000 * MICRO);
        // Thirty minutes after that minute, 2 × 3,500 is absorbed.
        assert_eq!(od.allowance(60 + 1_800).1 .0, 7_000 * MICRO);
        // Never above the account quota.
        od.feed(5_000, 0, 30_000 * MICRO);
        assert_eq!(od.allowance(10_000).1, (40_000 * MICRO, true));
    }
}
