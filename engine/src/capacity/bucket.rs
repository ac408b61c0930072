//! Token buckets in exact integer arithmetic. Capacity is counted in *micro-units* (one RCU or
//! WCU = 1,000,000) so that half-unit eventually consistent reads and fractional per-partition
//! shares (5 RCU over 3 partitions) refill without rounding drift: the same requests at the
//! same engine times always leave the same levels, on every platform.

/// One capacity unit in micro-units.
pub(crate) const MICRO: i64 = 1_000_000;

/// How many seconds of unused capacity a bucket banks [burst-adaptive-capacity].
pub(crate) const BURST_SECONDS: i64 = 300;

/// How many seconds of its ceiling (3,000 RCU / 1,000 WCU a second) a partition banks. The
/// ceiling is a rate, not a count per wall-clock second: DynamoDB serves 200 items of 10 KB
/// (2,200 WCU) written under one partition key within 30 ms, and a 3 MB transaction right
/// after 15,000 WCU of batch writes and transactional deletes on a new on-demand table, so a
/// partition absorbs a few seconds of its ceiling at once. Sustained traffic above the ceiling
/// empties it within seconds, which is what keeps hot keys throttled: "burst capacity can't
/// alleviate partition-level throttling" [dynamodb-spiky-workloads-short-intervals].
pub(crate) const CEILING_BURST_SECONDS: i64 = 10;

/// A token bucket refilled continuously at a fixed rate and capped at a number of seconds of
/// it (`BURST_SECONDS` for provisioned capacity, `CEILING_BURST_SECONDS` for a partition's
/// ceiling). Continuous refill in engine milliseconds means no limit depends on where a
/// wall-clock second starts.
///
/// A request is admitted while the level is above zero and then charged in full, so a single
/// request larger than what is banked still goes through (the level goes negative and must be
/// repaid before the next one) — DynamoDB cannot know what a read costs before it has read
/// it. This is how a 1-WCU table can still take one 400 KB write.
#[derive(Clone, Debug)]
pub(crate) struct Bucket {
    /// Current level, micro-units.
    pub level: i64,
    /// Refill rate, micro-units per millisecond (= units per second × 1,000).
    pub rate_per_ms: i64,
    /// Engine time the level was last brought up to date.
    pub updated_ms: u64,
    /// Seconds of the rate the bucket banks at most.
    pub seconds: i64,
}

impl Default for Bucket {
    fn default() -> Self {
        Self { level: 0, rate_per_ms: 0, updated_ms: 0, seconds: BURST_SECONDS }
    }
}

impl Bucket {
    /// A bucket refilling at `units_per_second_milli / 1000` units per second, starting full:
    /// a new table has its five minutes of burst available at once (as AWS's own tables do,
    /// which is why ordinary traffic against a fresh 5-RCU table is never throttled).
    pub fn full(units_per_second_milli: i64, now: u64) -> Self {
        Self::banking(units_per_second_milli, BURST_SECONDS, now)
    }

    /// A full bucket refilling at `units_per_second_milli / 1000` units per second that banks
    /// `seconds` of it.
    pub fn banking(units_per_second_milli: i64, seconds: i64, now: u64) -> Self {
        let rate_per_ms = units_per_second_milli;
        Self {
            level: rate_per_ms.saturating_mul(1000).saturating_mul(seconds),
            rate_per_ms,
            updated_ms: now,
            seconds,
        }
    }

    /// The most the bucket banks.
    pub fn capacity(&self) -> i64 {
        self.rate_per_ms.saturating_mul(1000).saturating_mul(self.seconds)
    }

    /// Brings the level up to `now`.
    pub fn refill(&mut self, now: u64) {
        if now > self.updated_ms {
            let gained = self.rate_per_ms.saturating_mul((now - self.updated_ms) as i64);
            self.level = self.level.saturating_add(gained).min(self.capacity());
            self.updated_ms = now;
        }
    }

    /// Changes the refill rate from `now` on, keeping the level (capped to the new capacity).
    pub fn set_rate(&mut self, units_per_second_milli: i64, now: u64) {
        self.refill(now);
        self.rate_per_ms = units_per_second_milli;
        self.level = self.level.min(self.capacity());
    }

    /// The level and capacity at `now`, in units, as the partition views show them.
    pub fn describe(&mut self, now: u64) -> serde_json::Value {
        self.refill(now);
        let units = super::metrics::units;
        serde_json::json!({"Level": units(self.level), "Capacity": units(self.capacity())})
    }

    /// Whether the bucket holds anything once `taken` (what the same request already drew from
    /// it) is given back: a request is judged on the state before it.
    pub fn admits(&self, taken: i64) -> bool {
        self.level.saturating_add(taken) > 0
    }

    /// Debt is bounded by one burst, so a bucket always recovers within ten minutes.
    pub fn charge(&mut self, micro: i64) {
        self.level = (self.level - micro).max(-self.capacity());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refills_exactly_and_caps_at_five_minutes() {
        // 150 RCU: 150,000 micro-units per millisecond.
        let mut b = Bucket::full(150_000, 0);
        assert_eq!(b.level, 45_000 * MICRO);
        b.charge(45_000 * MICRO);
        b.refill(1_000);
        assert_eq!(b.level, 150 * MICRO);
        b.refill(10_000_000);
        assert_eq!(b.level, 45_000 * MICRO);
    }
}
