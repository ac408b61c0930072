//! The Capacity view's per-second series, platform-free: the columns of
//! `PlaygroundGetMetrics` answers appended as they come (`SinceSecond` = the last second
//! drawn, so the current, still-filling second is fetched again and replaced), kept to a
//! window of [`WINDOW_SECONDS`]. Unit-tested natively.

use serde_json::Value;

/// Seconds a chart keeps (and shows).
pub const WINDOW_SECONDS: usize = 120;

/// The columns of one resource's per-second metrics that the charts draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Engine second of the first entry.
    pub start: u64,
    /// Consumed RCU per second.
    pub read: Vec<f64>,
    /// Consumed WCU per second.
    pub write: Vec<f64>,
    /// Provisioned RCU (on demand: the table's current allowance).
    pub provisioned_read: Vec<f64>,
    /// Provisioned WCU (on demand: the table's current allowance).
    pub provisioned_write: Vec<f64>,
    /// Read throttle events per second.
    pub read_throttles: Vec<u64>,
    /// Write throttle events per second.
    pub write_throttles: Vec<u64>,
    /// Burst bucket level (RCU banked) at the end of each second; `None` on demand.
    pub read_burst: Vec<Option<f64>>,
    /// Burst bucket level (WCU banked) at the end of each second; `None` on demand.
    pub write_burst: Vec<Option<f64>>,
    /// Bumped on every change, so a chart's props compare in O(1).
    pub version: u64,
}

fn floats(v: &Value, name: &str) -> Vec<f64> {
    v[name].as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect()).unwrap_or_default()
}

fn ints(v: &Value, name: &str) -> Vec<u64> {
    v[name].as_array().map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0)).collect()).unwrap_or_default()
}

fn optional(v: &Value, name: &str) -> Vec<Option<f64>> {
    v[name].as_array().map(|a| a.iter().map(Value::as_f64).collect()).unwrap_or_default()
}

/// Replaces `v` from index `keep` on with `new`, then drops the first `drop` entries (columns
/// shorter than the others, from an older engine, are only trimmed).
fn splice<T>(v: &mut Vec<T>, keep: usize, new: Vec<T>, drop: usize) {
    v.truncate(keep);
    v.extend(new);
    v.drain(..drop.min(v.len()));
}

impl Series {
    /// The last second held (the one to pass as `SinceSecond` minus one), if any.
    pub fn end(&self) -> Option<u64> {
        (!self.read.is_empty()).then(|| self.start + self.read.len() as u64 - 1)
    }

    /// `SinceSecond` for the next request: the answer starts at the last second held, so the
    /// partially filled current second is replaced by its final value.
    pub fn since(&self) -> Option<u64> {
        self.end().and_then(|e| e.checked_sub(1))
    }

    /// Whether the resource has burst buckets (provisioned capacity).
    pub fn provisioned(&self) -> bool {
        self.write_burst.last().is_some_and(Option::is_some)
    }

    /// Merges a `Metrics` object (`StartSecond`, `EndSecond`, columns): entries from
    /// `StartSecond` on are replaced, then the window is trimmed to [`WINDOW_SECONDS`].
    /// Returns whether anything changed.
    pub fn merge(&mut self, metrics: &Value) -> bool {
        let Some(start) = metrics["StartSecond"].as_u64() else { return false };
        let read = floats(metrics, "ConsumedReadCapacityUnits");
        if read.is_empty() {
            return false;
        }
        let before = self.clone();
        if self.read.is_empty() || start < self.start || start > self.start + self.read.len() as u64 {
            // First answer, or a gap (time jumped past the window): start afresh.
            *self = Series { start, version: self.version, ..Series::default() };
        }
        let keep = (start - self.start) as usize;
        let drop = (keep + read.len()).saturating_sub(WINDOW_SECONDS);
        splice(&mut self.read, keep, read, drop);
        splice(&mut self.write, keep, floats(metrics, "ConsumedWriteCapacityUnits"), drop);
        splice(&mut self.provisioned_read, keep, floats(metrics, "ProvisionedReadCapacityUnits"), drop);
        splice(&mut self.provisioned_write, keep, floats(metrics, "ProvisionedWriteCapacityUnits"), drop);
        splice(&mut self.read_throttles, keep, ints(metrics, "ReadThrottleEvents"), drop);
        splice(&mut self.write_throttles, keep, ints(metrics, "WriteThrottleEvents"), drop);
        splice(&mut self.read_burst, keep, optional(metrics, "ReadBucketLevel"), drop);
        splice(&mut self.write_burst, keep, optional(metrics, "WriteBucketLevel"), drop);
        self.start += drop as u64;
        let changed = Series { version: before.version, ..self.clone() } != before;
        if changed {
            self.version = before.version + 1;
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(start: u64, read: &[f64]) -> Value {
        json!({
            "StartSecond": start, "EndSecond": start + read.len() as u64 - 1,
            "ConsumedReadCapacityUnits": read, "ConsumedWriteCapacityUnits": read,
            "ProvisionedReadCapacityUnits": vec![5.0; read.len()],
            "ProvisionedWriteCapacityUnits": vec![5.0; read.len()],
            "ReadThrottleEvents": vec![0; read.len()], "WriteThrottleEvents": vec![1; read.len()],
            "ReadBucketLevel": vec![1500.0; read.len()], "WriteBucketLevel": vec![Value::Null; read.len()],
        })
    }

    #[test]
    fn appends_and_replaces_the_still_filling_second() {
        let mut s = Series::default();
        assert!(s.merge(&answer(100, &[1.0, 2.0])));
        assert_eq!((s.start, s.end(), s.since()), (100, Some(101), Some(100)));
        // The next answer starts at 101 (SinceSecond 100): 101 is replaced, 102 appended.
        assert!(s.merge(&answer(101, &[3.0, 4.0])));
        assert_eq!(s.read, vec![1.0, 3.0, 4.0]);
        assert_eq!(s.read_burst, vec![Some(1500.0); 3]);
        assert_eq!(s.write_burst, vec![None; 3]);
        assert!(!s.provisioned());
        let v = s.version;
        assert!(!s.merge(&answer(102, &[4.0])), "nothing new: no redraw");
        assert_eq!(s.version, v);
    }

    #[test]
    fn keeps_a_bounded_window_and_restarts_after_a_gap() {
        let mut s = Series::default();
        s.merge(&answer(0, &vec![1.0; 500]));
        assert_eq!(s.read.len(), WINDOW_SECONDS);
        assert_eq!((s.write_burst.len(), s.write_throttles.len()), (WINDOW_SECONDS, WINDOW_SECONDS));
        assert_eq!(s.end(), Some(499));
        s.merge(&answer(10_000, &[7.0]));
        assert_eq!((s.start, s.read.clone()), (10_000, vec![7.0]));
    }
}
