//! Token buckets in exact integer arithmetic. Capacity is counted in *micro-units* (one RCU or
//! WCU = 1,000,000) so that half-unit eventually consistent reads and fractional per-partition
//! shares (5 RCU over 3 partitions) refill without rounding drift: the same requests at the
//! same engine times always leave the same levels, on every platform.

/// One capacity unit in micro-units.
pub(crate) const MICRO: i64 = 1_000_000;

/// How many seconds of unused capacity a bucket banks [burst-adaptive-capacity].
pub(crate) const BURST_SECONDS: i64 = 300;

/// A token bucket refilled continuously at a fixed rate and capped at `BURST_SECONDS` of it.
///
/// A request is admitted while the level is above zero and then charged in full, so a single
/// request larger than what is banked still goes through (the level goes negative and must be
/// repaid before the next one). This is how a 1-WCU table can still take one 400 KB write.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bucket {
    /// Current level, micro-units.
    pub level: i64,
    /// Refill rate, micro-units per millisecond (= units per second × 1,000).
    pub rate_per_ms: i64,
    /// Engine time the level was last brought up to date.
    pub updated_ms: u64,
}

impl Bucket {
    /// A bucket refilling at `units_per_second_milli / 1000` units per second, starting full:
    /// a new table has its five minutes of burst available at once (as AWS's own tables do,
    /// which is why ordinary traffic against a fresh 5-RCU table is never throttled).
    pub fn full(units_per_second_milli: i64, now: u64) -> Self {
        let rate_per_ms = units_per_second_milli;
        Self { level: rate_per_ms * 1000 * BURST_SECONDS, rate_per_ms, updated_ms: now }
    }

    /// The most the bucket banks.
    pub fn capacity(&self) -> i64 {
        self.rate_per_ms * 1000 * BURST_SECONDS
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
