//! What changed on the Capacity tab, in words, with the engine time it was seen: a partition
//! split, a partition borrowing over its share (adaptive capacity), burst capacity covering
//! traffic over provisioned, the burst bucket running dry, throttling starting and stopping.
//! [`Watch`] compares each poll's `PlaygroundDescribePartitions` and metrics with the last
//! and names the transitions (never the same state twice in a row). Platform-free, tested
//! natively.

use serde_json::Value;

use super::panels::units;
use super::series::Series;
use crate::fixed::plural;

/// What the last poll showed, to name what changed since.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Watch {
    /// (resource, partition count).
    partitions: Vec<(String, u64)>,
    /// "Table P3 W": partitions using more than their share.
    borrowing: Vec<String>,
    /// Burst capacity was covering traffic over provisioned.
    bursting: bool,
    /// The burst bucket was empty.
    bucket_empty: bool,
    /// Requests were throttled in the last complete second.
    throttled: bool,
}

/// Engine time (epoch milliseconds) as the clock of a log line, `HH:MM:SS` UTC.
pub fn clock(epoch_ms: u64) -> String {
    let s = epoch_ms / 1000 % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

impl Watch {
    /// The log lines for what changed since the last call, at engine time `now_ms`:
    /// `partitions` is a `PlaygroundDescribePartitions` answer, `series` the charts' metrics.
    pub fn observe(&mut self, now_ms: u64, partitions: &Value, series: &Series) -> Vec<String> {
        let at = clock(now_ms);
        let mut lines = Vec::new();
        let mut resources = vec![("Table".to_owned(), &partitions["Table"])];
        for g in partitions["GlobalSecondaryIndexes"].as_array().into_iter().flatten() {
            resources.push((format!("GSI {}", g["IndexName"].as_str().unwrap_or("")), g));
        }
        let mut counts = Vec::new();
        let mut borrowing = Vec::new();
        for (name, r) in resources {
            let list = r["Partitions"].as_array().cloned().unwrap_or_default();
            let count = r["PartitionCount"].as_u64().unwrap_or(list.len() as u64);
            if let Some((_, before)) = self.partitions.iter().find(|(n, _)| *n == name) {
                if count > *before {
                    // An item isolated by adaptive capacity owns a single hash value.
                    let isolated = list.iter().any(|p| {
                        let f = |k: &str| p[k].as_f64().unwrap_or(0.0);
                        f("EndFraction") - f("StartFraction") < 1e-9
                    });
                    lines.push(format!(
                        "{at} {name} split: {before} → {}. {}",
                        plural(count, "partition"),
                        if isolated {
                            "Adaptive capacity isolated a hot item on a partition of its own."
                        } else {
                            "More throughput or data than its partitions hold (each serves at most 1,000 WCU and 3,000 RCU a second, and holds up to the size limit)."
                        }
                    ));
                }
            }
            counts.push((name.clone(), count));
            // One partition over its share is burst, not borrowing: there is no other
            // partition to borrow from.
            for p in list.iter().filter(|_| list.len() > 1) {
                for (kind, unit, share, consumed, last) in [
                    (
                        "W",
                        "WCU",
                        "ProvisionedWriteCapacityUnits",
                        "ConsumedWriteCapacityUnits",
                        "LastSecondConsumedWriteCapacityUnits",
                    ),
                    (
                        "R",
                        "RCU",
                        "ProvisionedReadCapacityUnits",
                        "ConsumedReadCapacityUnits",
                        "LastSecondConsumedReadCapacityUnits",
                    ),
                ] {
                    let f = |k: &str| p[k].as_f64().unwrap_or(0.0);
                    let used = f(consumed).max(f(last));
                    if f(share) > 0.0 && used > f(share) + 1e-9 {
                        let key = format!("{name} P{} {kind}", p["PartitionId"].as_u64().unwrap_or(0));
                        if !self.borrowing.contains(&key) {
                            lines.push(format!(
                                "{at} {name} P{} uses {} {unit}/s, over its {} share: adaptive capacity lends it the table's unused capacity (at most {} per partition).",
                                p["PartitionId"].as_u64().unwrap_or(0),
                                units(used),
                                units(f(share)),
                                if kind == "W" { "1,000 WCU" } else { "3,000 RCU" },
                            ));
                        }
                        borrowing.push(key);
                    }
                }
            }
        }
        self.partitions = counts;
        self.borrowing = borrowing;
        // The last complete second of the charts' metrics (the newest is still filling).
        let second = series.write.len().checked_sub(2);
        let at_second = |v: &[f64]| second.and_then(|i| v.get(i).copied()).unwrap_or(0.0);
        let throttles = second.map_or(0, |i| {
            series.write_throttles.get(i).copied().unwrap_or(0)
                + series.read_throttles.get(i).copied().unwrap_or(0)
        });
        let mut bursting = false;
        let mut empty = false;
        if series.provisioned() {
            for (consumed, provisioned, bucket, unit) in [
                (&series.write, &series.provisioned_write, &series.write_burst, "WCU"),
                (&series.read, &series.provisioned_read, &series.read_burst, "RCU"),
            ] {
                let (c, p) = (at_second(consumed), at_second(provisioned));
                let level = second.and_then(|i| bucket.get(i).copied().flatten());
                if p > 0.0 && c > p + 1e-9 && level.is_some_and(|l| l > 0.0) {
                    if !self.bursting && !bursting {
                        lines.push(format!(
                            "{at} Burst capacity covers {} {unit}/s above the provisioned {}: unused capacity banked over the last 5 minutes ({} left).",
                            units(c - p),
                            units(p),
                            units(level.unwrap_or(0.0)),
                        ));
                    }
                    bursting = true;
                }
                if level.is_some_and(|l| l <= 0.0) {
                    if !self.bucket_empty && !empty {
                        lines.push(format!(
                            "{at} The {unit} burst bucket is empty: traffic over the provisioned {} now throttles.",
                            units(p)
                        ));
                    }
                    empty = true;
                }
            }
        }
        self.bursting = bursting;
        self.bucket_empty = empty;
        let throttled = throttles > 0;
        if throttled != self.throttled {
            lines.push(if throttled {
                format!("{at} Throttling: {} refused in the last second.", plural(throttles, "request"))
            } else {
                format!("{at} Throttling stopped.")
            });
        }
        self.throttled = throttled;
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn partition(id: u64, start: f64, end: f64, write: f64, share: f64) -> Value {
        json!({"PartitionId": id, "StartFraction": start, "EndFraction": end,
               "ConsumedWriteCapacityUnits": write, "ProvisionedWriteCapacityUnits": share})
    }

    #[test]
    fn splits_and_borrowing_are_named_once() {
        let mut watch = Watch::default();
        let one =
            json!({"Table": {"PartitionCount": 1, "Partitions": [partition(0, 0.0, 1.0, 10.0, 500.0)]}});
        let series = Series::default();
        assert!(watch.observe(0, &one, &series).is_empty(), "the first look names nothing");
        let alone =
            json!({"Table": {"PartitionCount": 1, "Partitions": [partition(0, 0.0, 1.0, 10.0, 5.0)]}});
        assert!(
            watch.observe(0, &alone, &series).is_empty(),
            "one partition over its share is burst, not borrowing"
        );
        let split = json!({"Table": {"PartitionCount": 2, "Partitions": [
            partition(0, 0.0, 0.5, 1000.0, 500.0), partition(1, 0.5, 1.0, 0.0, 500.0)]}});
        let lines = watch.observe(3_723_000, &split, &series);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("01:02:03 Table split: 1 → 2 partitions. More throughput"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].contains("Table P0 uses 1000 WCU/s, over its 500 share: adaptive capacity"),
            "{}",
            lines[1]
        );
        assert!(watch.observe(3_724_000, &split, &series).is_empty(), "nothing new: nothing said");
        let isolated = json!({"Table": {"PartitionCount": 3, "Partitions": [
            partition(0, 0.0, 0.25, 0.0, 333.0), partition(2, 0.25, 0.25, 1000.0, 333.0), partition(1, 0.5, 1.0, 0.0, 333.0)]}});
        let lines = watch.observe(0, &isolated, &series);
        assert!(lines[0].contains("2 → 3 partitions. Adaptive capacity isolated a hot item"), "{lines:?}");
        assert!(lines[1].contains("Table P2 uses 1000 WCU/s"), "{lines:?}");
    }

    #[test]
    fn burst_an_empty_bucket_and_throttling_are_told_apart() {
        let mut watch = Watch::default();
        let none = json!({});
        let mut s = Series::default();
        // 5 WCU provisioned, 100 consumed, the bucket still holding 1,000: burst covers it.
        s.merge(&json!({"StartSecond": 1, "ConsumedWriteCapacityUnits": [100.0, 0.0], "ConsumedReadCapacityUnits": [0.0, 0.0],
            "ProvisionedWriteCapacityUnits": [5.0, 5.0], "ProvisionedReadCapacityUnits": [5.0, 5.0],
            "WriteThrottleEvents": [0, 0], "ReadThrottleEvents": [0, 0],
            "WriteBucketLevel": [1000.0, 905.0], "ReadBucketLevel": [1500.0, 1500.0]}));
        let lines = watch.observe(0, &none, &s);
        assert_eq!(
            lines,
            ["00:00:00 Burst capacity covers 95 WCU/s above the provisioned 5: unused capacity banked over the last 5 minutes (1000 left)."]
        );
        assert!(watch.observe(0, &none, &s).is_empty());
        // The bucket runs dry and requests throttle.
        s.merge(&json!({"StartSecond": 2, "ConsumedWriteCapacityUnits": [5.0, 0.0], "ConsumedReadCapacityUnits": [0.0, 0.0],
            "ProvisionedWriteCapacityUnits": [5.0, 5.0], "ProvisionedReadCapacityUnits": [5.0, 5.0],
            "WriteThrottleEvents": [7, 0], "ReadThrottleEvents": [0, 0],
            "WriteBucketLevel": [-3.0, 0.0], "ReadBucketLevel": [1500.0, 1500.0]}));
        let lines = watch.observe(1000, &none, &s);
        assert_eq!(
            lines,
            [
                "00:00:01 The WCU burst bucket is empty: traffic over the provisioned 5 now throttles.",
                "00:00:01 Throttling: 7 requests refused in the last second."
            ]
        );
        s.merge(&json!({"StartSecond": 3, "ConsumedWriteCapacityUnits": [1.0, 0.0], "ConsumedReadCapacityUnits": [0.0, 0.0],
            "ProvisionedWriteCapacityUnits": [5.0, 5.0], "ProvisionedReadCapacityUnits": [5.0, 5.0],
            "WriteThrottleEvents": [0, 0], "ReadThrottleEvents": [0, 0],
            "WriteBucketLevel": [4.0, 8.0], "ReadBucketLevel": [1500.0, 1500.0]}));
        assert_eq!(watch.observe(2000, &none, &s), ["00:00:02 Throttling stopped."]);
    }
}
