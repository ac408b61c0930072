//! The Capacity view's data, platform-free: per-second metric series appended from
//! `PlaygroundGetMetrics` answers (`SinceSecond` = the last second drawn, so the current,
//! still-filling second is fetched again and replaced), the SVG geometry of a chart, and the
//! heat of a partition. Unit-tested natively.

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
    /// Provisioned RCU (0 for on-demand).
    pub provisioned_read: Vec<f64>,
    /// Provisioned WCU (0 for on-demand).
    pub provisioned_write: Vec<f64>,
    /// Read throttle events per second.
    pub read_throttles: Vec<u64>,
    /// Write throttle events per second.
    pub write_throttles: Vec<u64>,
    /// Bumped on every change, so a chart's props compare in O(1).
    pub version: u64,
}

fn floats(v: &Value, name: &str) -> Vec<f64> {
    v[name].as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect()).unwrap_or_default()
}

fn ints(v: &Value, name: &str) -> Vec<u64> {
    v[name].as_array().map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0)).collect()).unwrap_or_default()
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

    /// Merges a `Metrics` object (`StartSecond`, `EndSecond`, columns): entries from
    /// `StartSecond` on are replaced, then the window is trimmed to [`WINDOW_SECONDS`].
    /// Returns whether anything changed.
    pub fn merge(&mut self, metrics: &Value) -> bool {
        let Some(start) = metrics["StartSecond"].as_u64() else { return false };
        let read = floats(metrics, "ConsumedReadCapacityUnits");
        if read.is_empty() {
            return false;
        }
        let columns = (
            read,
            floats(metrics, "ConsumedWriteCapacityUnits"),
            floats(metrics, "ProvisionedReadCapacityUnits"),
            floats(metrics, "ProvisionedWriteCapacityUnits"),
            ints(metrics, "ReadThrottleEvents"),
            ints(metrics, "WriteThrottleEvents"),
        );
        let before = self.clone();
        if self.read.is_empty() || start < self.start || start > self.start + self.read.len() as u64 {
            // First answer, or a gap (time jumped past the window): start afresh.
            *self = Series { start, version: self.version, ..Series::default() };
        }
        let keep = (start - self.start) as usize;
        self.read.truncate(keep);
        self.write.truncate(keep);
        self.provisioned_read.truncate(keep);
        self.provisioned_write.truncate(keep);
        self.read_throttles.truncate(keep);
        self.write_throttles.truncate(keep);
        self.read.extend(columns.0);
        self.write.extend(columns.1);
        self.provisioned_read.extend(columns.2);
        self.provisioned_write.extend(columns.3);
        self.read_throttles.extend(columns.4);
        self.write_throttles.extend(columns.5);
        let n = self.read.len();
        if n > WINDOW_SECONDS {
            let drop = n - WINDOW_SECONDS;
            self.start += drop as u64;
            self.read.drain(..drop);
            self.write.drain(..drop);
            self.provisioned_read.drain(..drop);
            self.provisioned_write.drain(..drop);
            self.read_throttles.drain(..drop.min(self.read_throttles.len()));
            self.write_throttles.drain(..drop.min(self.write_throttles.len()));
        }
        let changed = Series { version: before.version, ..self.clone() } != before;
        if changed {
            self.version = before.version + 1;
        }
        changed
    }
}

/// A chart's drawing in a `width` × `height` box: the consumed area's path, the provisioned
/// line's path, the x of every throttled second, and the y-axis maximum.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartGeometry {
    /// `M … L … Z` of the area under consumed capacity.
    pub area: String,
    /// `M … L …` of the consumed line.
    pub line: String,
    /// `M … H … V …` step line of provisioned capacity (empty when none is provisioned).
    pub provisioned: String,
    /// x of each second with throttle events.
    pub throttles: Vec<f64>,
    /// The value at the top of the chart.
    pub max: f64,
}

/// Lays out `consumed` against `provisioned` (same length; index 0 at the left, one slot per
/// second of [`WINDOW_SECONDS`], the newest at the right edge).
pub fn geometry(consumed: &[f64], provisioned: &[f64], throttles: &[u64], width: f64, height: f64) -> ChartGeometry {
    let peak = consumed.iter().chain(provisioned).fold(0.0f64, |m, v| m.max(*v));
    let max = nice_ceiling(peak * 1.15);
    let step = width / (WINDOW_SECONDS - 1) as f64;
    let offset = WINDOW_SECONDS.saturating_sub(consumed.len()) as f64 * step;
    let x = |i: usize| offset + i as f64 * step;
    let y = |v: f64| height - (v / max).clamp(0.0, 1.0) * height;
    let mut line = String::new();
    for (i, v) in consumed.iter().enumerate() {
        line.push_str(&format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x(i), y(*v)));
    }
    let area = if consumed.is_empty() {
        String::new()
    } else {
        format!("{line} L{:.1},{height:.1} L{:.1},{height:.1} Z", x(consumed.len() - 1), x(0))
    };
    let mut prov = String::new();
    if provisioned.iter().any(|p| *p > 0.0) {
        for (i, p) in provisioned.iter().enumerate() {
            if i == 0 {
                prov.push_str(&format!("M{:.1},{:.1}", x(0), y(*p)));
            } else {
                prov.push_str(&format!(" H{:.1} V{:.1}", x(i), y(*p)));
            }
        }
        if !provisioned.is_empty() {
            prov.push_str(&format!(" H{:.1}", x(provisioned.len() - 1) + step * 0.5));
        }
    }
    let throttles =
        throttles.iter().enumerate().filter(|(_, t)| **t > 0).map(|(i, _)| x(i)).collect::<Vec<_>>();
    ChartGeometry { area, line, provisioned: prov, throttles, max }
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `v` (at least 1).
pub fn nice_ceiling(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * magnitude >= v - 1e-9 {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// How close a partition is to its ceiling this second, 0–1+: the larger of reads and writes,
/// consumed over what it may use (its share of provisioned capacity, else the hard per-partition
/// maximum). Uses the busier of this and the last second, since this one is still filling.
pub fn heat(partition: &Value) -> f64 {
    let f = |name: &str| partition[name].as_f64().unwrap_or(0.0);
    let ratio = |consumed: f64, provisioned: f64, max: f64| {
        let ceiling = if provisioned > 0.0 { provisioned.min(max.max(provisioned)) } else { max };
        if ceiling > 0.0 {
            consumed / ceiling
        } else {
            0.0
        }
    };
    let read = f("ConsumedReadCapacityUnits").max(f("LastSecondConsumedReadCapacityUnits"));
    let write = f("ConsumedWriteCapacityUnits").max(f("LastSecondConsumedWriteCapacityUnits"));
    ratio(read, f("ProvisionedReadCapacityUnits"), f("MaxReadCapacityUnits"))
        .max(ratio(write, f("ProvisionedWriteCapacityUnits"), f("MaxWriteCapacityUnits")))
}

/// A heat (0–1+) as a colour from cool blue through amber to red.
pub fn heat_colour(h: f64) -> String {
    let h = h.clamp(0.0, 1.0);
    // Hue 210 (blue) → 45 (amber) → 0 (red); lightness falls as it heats.
    let hue = if h < 0.7 { 210.0 - (h / 0.7) * 165.0 } else { 45.0 - ((h - 0.7) / 0.3) * 45.0 };
    let light = 88.0 - h * 38.0;
    format!("hsl({:.0} 80% {light:.0}%)", hue.max(0.0))
}

/// Bytes as a short human-readable size.
pub fn bytes(n: f64) -> String {
    if n < 1024.0 {
        format!("{n:.0} B")
    } else if n < 1024.0 * 1024.0 {
        format!("{:.1} KB", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", n / 1024.0 / 1024.0)
    } else {
        format!("{:.1} GB", n / 1024.0 / 1024.0 / 1024.0)
    }
}

/// A capacity figure: whole numbers plain, others with one decimal.
pub fn units(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
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
        let v = s.version;
        assert!(!s.merge(&answer(102, &[4.0])), "nothing new: no redraw");
        assert_eq!(s.version, v);
    }

    #[test]
    fn keeps_a_bounded_window_and_restarts_after_a_gap() {
        let mut s = Series::default();
        s.merge(&answer(0, &vec![1.0; 500]));
        assert_eq!(s.read.len(), WINDOW_SECONDS);
        assert_eq!(s.end(), Some(499));
        s.merge(&answer(10_000, &[7.0]));
        assert_eq!((s.start, s.read.clone()), (10_000, vec![7.0]));
    }

    #[test]
    fn geometry_scales_to_provisioned_and_marks_throttles() {
        let g = geometry(&[0.0, 10.0], &[5.0, 5.0], &[0, 3], 238.0, 100.0);
        assert_eq!(g.max, 20.0);
        assert!(g.line.starts_with("M236.0,100.0 L238.0,50.0"), "{}", g.line);
        assert!(g.provisioned.starts_with("M236.0,75.0"), "{}", g.provisioned);
        assert_eq!(g.throttles, vec![238.0]);
        assert!(geometry(&[1.0], &[0.0], &[0], 100.0, 10.0).provisioned.is_empty());
    }

    #[test]
    fn heat_uses_the_partition_share_or_the_hard_maximum() {
        let p = json!({"ConsumedWriteCapacityUnits": 4.0, "ProvisionedWriteCapacityUnits": 5.0,
            "MaxWriteCapacityUnits": 1000.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&p) - 0.8).abs() < 1e-9);
        let on_demand = json!({"LastSecondConsumedReadCapacityUnits": 1500.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&on_demand) - 0.5).abs() < 1e-9);
        assert_eq!(nice_ceiling(11.5), 20.0);
        assert_eq!(nice_ceiling(0.2), 1.0);
        assert_eq!(bytes(2048.0), "2.0 KB");
        assert!(heat_colour(1.0).starts_with("hsl(0 "));
    }
}
