//! Per-second metrics of engine time, as CloudWatch would show them for a table, an index or
//! (beyond CloudWatch) one partition: consumed and provisioned capacity, throttle events,
//! throttled requests, item count and size.
//!
//! A [`Series`] is a ring of [`HISTORY_SECONDS`] one-second slots indexed by engine second,
//! so recording is O(1) and memory is fixed (allocated on first use: an idle partition costs
//! nothing). A slot is only written in seconds that saw activity; readers fill the gaps with
//! zero consumption and the last known gauges.

use serde_json::{json, Map, Value};

use super::bucket::MICRO;

/// How many seconds of history each series keeps (one hour).
pub(crate) const HISTORY_SECONDS: usize = 3_600;

/// One second of one resource.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Engine second this slot holds (`u64::MAX` when never used).
    pub second: u64,
    /// Consumed read capacity, micro-units.
    pub read: i64,
    /// Consumed write capacity, micro-units.
    pub write: i64,
    pub read_throttle_events: u32,
    pub write_throttle_events: u32,
    /// API requests that were throttled (wholly or, for batches, in part).
    pub throttled_requests: u32,
    /// Provisioned (or, on demand, currently sustainable) capacity, milli-units per second.
    pub provisioned_read: u64,
    pub provisioned_write: u64,
    /// Gauges as of the end of the second.
    pub items: u64,
    pub bytes: u64,
}

/// Gauges a slot starts from: provisioned units, items and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gauges {
    pub provisioned_read: u64,
    pub provisioned_write: u64,
    pub items: u64,
    pub bytes: u64,
}

/// A bounded per-second history.
#[derive(Clone, Debug, Default)]
pub(crate) struct Series {
    slots: Vec<Slot>,
    /// The most recent second written.
    latest: Option<u64>,
}

impl Series {
    /// The slot of engine second `second`, reset (with `gauges`) when it held an older second.
    pub fn at(&mut self, second: u64, gauges: Gauges) -> &mut Slot {
        if self.slots.is_empty() {
            self.slots = vec![Slot { second: u64::MAX, ..Slot::default() }; HISTORY_SECONDS];
        }
        let slot = &mut self.slots[(second % HISTORY_SECONDS as u64) as usize];
        if slot.second != second {
            *slot = Slot {
                second,
                provisioned_read: gauges.provisioned_read,
                provisioned_write: gauges.provisioned_write,
                items: gauges.items,
                bytes: gauges.bytes,
                ..Slot::default()
            };
        }
        if self.latest.is_none_or(|l| second > l) {
            self.latest = Some(second);
        }
        slot
    }

    /// Whether `second`'s slot is already in use (its gauges are set).
    pub fn is_current(&self, second: u64) -> bool {
        self.get(second).is_some()
    }

    /// The slot of `second` if it was written.
    pub fn get(&self, second: u64) -> Option<&Slot> {
        self.slots.get((second % HISTORY_SECONDS as u64) as usize).filter(|s| s.second == second)
    }

    /// Consumed (read, write) micro-units in `second`.
    pub fn used(&self, second: u64) -> (i64, i64) {
        self.get(second).map_or((0, 0), |s| (s.read, s.write))
    }

    /// The seconds `(from, to]` (at most the last hour before `to`) as columns, gaps filled:
    /// `{"StartSecond", "Seconds", "ConsumedReadCapacityUnits": [...], ...}`. Columns keep
    /// the JSON small and let a chart append `Since` the last second it drew.
    pub fn columns(&self, from: Option<u64>, to: u64, current: Gauges) -> Value {
        let oldest = to.saturating_sub(HISTORY_SECONDS as u64 - 1);
        let start = from.map_or(oldest, |f| f.saturating_add(1)).max(oldest);
        let mut cols: [Vec<Value>; 9] = Default::default();
        // Gauges carried into the first gap: the latest slot before `start`, else current.
        let mut carry = (start.saturating_sub(HISTORY_SECONDS as u64)..start)
            .rev()
            .take(HISTORY_SECONDS)
            .find_map(|s| self.get(s))
            .map(|s| Gauges {
                provisioned_read: s.provisioned_read,
                provisioned_write: s.provisioned_write,
                items: s.items,
                bytes: s.bytes,
            });
        if self.latest.is_none() {
            carry = Some(current);
        }
        let mut second = start;
        while second <= to {
            let slot = self.get(second).copied().unwrap_or_else(|| {
                let g = carry.unwrap_or(current);
                Slot {
                    second,
                    provisioned_read: g.provisioned_read,
                    provisioned_write: g.provisioned_write,
                    items: g.items,
                    bytes: g.bytes,
                    ..Slot::default()
                }
            });
            carry = Some(Gauges {
                provisioned_read: slot.provisioned_read,
                provisioned_write: slot.provisioned_write,
                items: slot.items,
                bytes: slot.bytes,
            });
            cols[0].push(json!(units(slot.read)));
            cols[1].push(json!(units(slot.write)));
            cols[2].push(json!(slot.provisioned_read as f64 / 1000.0));
            cols[3].push(json!(slot.provisioned_write as f64 / 1000.0));
            cols[4].push(json!(slot.read_throttle_events));
            cols[5].push(json!(slot.write_throttle_events));
            cols[6].push(json!(slot.throttled_requests));
            cols[7].push(json!(slot.items));
            cols[8].push(json!(slot.bytes));
            second += 1;
        }
        let names = [
            "ConsumedReadCapacityUnits",
            "ConsumedWriteCapacityUnits",
            "ProvisionedReadCapacityUnits",
            "ProvisionedWriteCapacityUnits",
            "ReadThrottleEvents",
            "WriteThrottleEvents",
            "ThrottledRequests",
            "ItemCount",
            "SizeBytes",
        ];
        let mut m = Map::new();
        m.insert("StartSecond".into(), json!(start));
        m.insert("EndSecond".into(), json!(to));
        for (name, col) in names.into_iter().zip(cols) {
            m.insert(name.into(), Value::Array(col));
        }
        Value::Object(m)
    }
}

/// Micro-units as capacity units (a JSON number; whole numbers stay integral).
pub(crate) fn units(micro: i64) -> f64 {
    micro as f64 / MICRO as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_an_hour_and_fills_gaps() {
        let mut s = Series::default();
        let g = Gauges { provisioned_read: 5_000, provisioned_write: 5_000, items: 1, bytes: 10 };
        s.at(10, g).read += 2 * MICRO;
        s.at(12, Gauges { items: 2, ..g }).write += MICRO;
        let cols = s.columns(Some(9), 13, g);
        assert_eq!(cols["StartSecond"], 10);
        assert_eq!(cols["ConsumedReadCapacityUnits"], json!([2.0, 0.0, 0.0, 0.0]));
        assert_eq!(cols["ItemCount"], json!([1, 1, 2, 2]));
        // A second an hour later reuses the slot.
        s.at(10 + HISTORY_SECONDS as u64, g);
        assert!(s.get(10).is_none());
    }
}
