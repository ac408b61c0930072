//! The Capacity view's data, platform-free: per-second metric series appended from
//! `PlaygroundGetMetrics` answers (`SinceSecond` = the last second drawn, so the current,
//! still-filling second is fetched again and replaced), the SVG geometry of a chart, and the
//! heat of a partition. Unit-tested natively.

use crate::fixed::Fixed;
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

/// Seconds whose consumption sets the chart's scale: a spike that has scrolled further back
/// than this no longer squeezes the current traffic.
pub const RECENT_SECONDS: usize = 30;

/// The most the scale stretches above provisioned capacity: consumption higher than this is
/// clipped (and marked), so the provisioned line always stays at least a fifth of the
/// chart's height above the axis.
pub const HEADROOM: f64 = 4.0;

/// A chart's drawing in a `width` × `height` box.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartGeometry {
    /// `M … L … Z` of the area under consumed capacity.
    pub area: String,
    /// `M … L …` of the consumed line.
    pub line: String,
    /// `M … H … V …` step line of provisioned capacity (empty when none is drawn).
    pub provisioned: String,
    /// y of the provisioned line at the newest second (for its label), if drawn.
    pub provisioned_y: Option<f64>,
    /// x of each second with throttle events.
    pub throttles: Vec<f64>,
    /// x of each second whose consumption is above the scale (drawn clipped at the top).
    pub clipped: Vec<f64>,
    /// The value at the top of the chart.
    pub max: f64,
}

/// Lays out `consumed` against `provisioned` (same length; index 0 at the left, one slot per
/// second of [`WINDOW_SECONDS`], the newest at the right edge).
///
/// The scale: with provisioned capacity, the top is the larger of provisioned and the peak of
/// the last [`RECENT_SECONDS`] (stretched at most [`HEADROOM`] × provisioned), plus 15 %,
/// rounded up to a round number but never above 5 × provisioned — so the provisioned line is
/// always drawn at least a fifth of the height up, however large a spike. On demand
/// (`provisioned_capacity` false) the allowance is not a line to stay under: the top follows
/// the recent peak and the allowance is drawn only when it fits.
pub fn geometry(
    consumed: &[f64],
    provisioned: &[f64],
    throttles: &[u64],
    provisioned_capacity: bool,
    width: f64,
    height: f64,
) -> ChartGeometry {
    let recent = consumed.iter().rev().take(RECENT_SECONDS).fold(0.0f64, |m, v| m.max(*v));
    let prov_now = provisioned.last().copied().unwrap_or(0.0);
    let max = if provisioned_capacity && prov_now > 0.0 {
        let top = nice_ceiling(prov_now.max(recent.min(prov_now * HEADROOM)) * 1.15);
        top.min(prov_now * (HEADROOM + 1.0))
    } else {
        nice_ceiling(recent * 1.15)
    };
    let step = width / (WINDOW_SECONDS - 1) as f64;
    let offset = WINDOW_SECONDS.saturating_sub(consumed.len()) as f64 * step;
    let x = |i: usize| offset + i as f64 * step;
    let y = |v: f64| height - (v / max).clamp(0.0, 1.0) * height;
    let mut line = String::new();
    for (i, v) in consumed.iter().enumerate() {
        point(&mut line, if i == 0 { "M" } else { " L" }, x(i), Some(y(*v)));
    }
    let mut area = String::new();
    if !consumed.is_empty() {
        area.push_str(&line);
        point(&mut area, " L", x(consumed.len() - 1), Some(height));
        point(&mut area, " L", x(0), Some(height));
        area.push_str(" Z");
    }
    let mut prov = String::new();
    // A line only where it fits: an on-demand allowance far above the traffic is named in the
    // caption instead of being drawn flat against the top.
    let drawn = provisioned.iter().any(|p| *p > 0.0) && provisioned.iter().all(|p| *p <= max);
    if drawn {
        for (i, p) in provisioned.iter().enumerate() {
            if i == 0 {
                point(&mut prov, "M", x(0), Some(y(*p)));
            } else {
                point(&mut prov, " H", x(i), None);
                point(&mut prov, " V", y(*p), None);
            }
        }
        point(&mut prov, " H", width, None);
    }
    let provisioned_y = drawn.then(|| y(prov_now));
    let marks =
        |keep: &dyn Fn(usize) -> bool| (0..consumed.len()).filter(|i| keep(*i)).map(x).collect::<Vec<_>>();
    let throttles = marks(&|i| throttles.get(i).is_some_and(|t| *t > 0));
    let clipped = marks(&|i| consumed[i] > max);
    ChartGeometry { area, line, provisioned: prov, provisioned_y, throttles, clipped, max }
}

/// The burst bucket strip under a chart: the area of the bucket's level, scaled to the most
/// it banks (300 s of provisioned capacity) over `height`. Empty when there is no bucket.
/// Debt (a negative level) draws as empty.
pub fn burst_path(levels: &[Option<f64>], provisioned: &[f64], width: f64, height: f64) -> String {
    let capacity = provisioned.iter().fold(0.0f64, |m, p| m.max(*p)) * 300.0;
    if capacity <= 0.0 || !levels.iter().any(Option::is_some) {
        return String::new();
    }
    let step = width / (WINDOW_SECONDS - 1) as f64;
    let offset = WINDOW_SECONDS.saturating_sub(levels.len()) as f64 * step;
    let x = |i: usize| offset + i as f64 * step;
    let y = |v: f64| height - (v / capacity).clamp(0.0, 1.0) * height;
    let first = levels.iter().position(Option::is_some).unwrap_or(0);
    let mut d = String::new();
    point(&mut d, "M", x(first), Some(height));
    for (i, level) in levels.iter().enumerate().skip(first) {
        point(&mut d, " L", x(i), Some(y(level.unwrap_or(0.0))));
    }
    point(&mut d, " L", x(levels.len() - 1), Some(height));
    d.push_str(" Z");
    d
}

/// Appends `command` and `x` (and `,y`) with one decimal, by integer formatting: paths are
/// rebuilt on every redraw, and this is smaller and faster than float formatting.
fn point(out: &mut String, command: &str, x: f64, y: Option<f64>) {
    out.push_str(command);
    decimal(out, x);
    if let Some(y) = y {
        out.push(',');
        decimal(out, y);
    }
}

fn decimal(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    out.push_str(&(t / 10).to_string());
    out.push('.');
    out.push(char::from(b'0' + (t % 10) as u8));
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `v` (at least 1).
pub fn nice_ceiling(v: f64) -> f64 {
    let mut magnitude = 1.0;
    while magnitude * 10.0 < v {
        magnitude *= 10.0;
    }
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
    ratio(read, f("ProvisionedReadCapacityUnits"), f("MaxReadCapacityUnits")).max(ratio(
        write,
        f("ProvisionedWriteCapacityUnits"),
        f("MaxWriteCapacityUnits"),
    ))
}

/// A heat (0–1+) as a colour from cool blue through amber to red.
pub fn heat_colour(h: f64) -> String {
    let h = h.clamp(0.0, 1.0);
    // Hue 210 (blue) → 45 (amber) → 0 (red); lightness falls as it heats.
    let hue = if h < 0.7 { 210.0 - (h / 0.7) * 165.0 } else { 45.0 - ((h - 0.7) / 0.3) * 45.0 };
    let light = 88.0 - h * 38.0;
    format!("hsl({} 80% {}%)", Fixed(hue.max(0.0), 0), Fixed(light, 0))
}

/// Bytes as a short human-readable size.
pub fn bytes(n: f64) -> String {
    if n < 1024.0 {
        format!("{} B", Fixed(n, 0))
    } else if n < 1024.0 * 1024.0 {
        format!("{} KB", Fixed(n / 1024.0, 1))
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{} MB", Fixed(n / 1024.0 / 1024.0, 1))
    } else {
        format!("{} GB", Fixed(n / 1024.0 / 1024.0 / 1024.0, 1))
    }
}

/// A capacity figure: whole numbers plain, others with one decimal.
pub fn units(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        Fixed(v, 0).to_string()
    } else {
        Fixed(v, 1).to_string()
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

    #[test]
    fn geometry_scales_to_provisioned_and_marks_throttles() {
        let g = geometry(&[0.0, 10.0], &[5.0, 5.0], &[0, 3], true, 238.0, 100.0);
        assert_eq!(g.max, 20.0);
        assert!(g.line.starts_with("M236.0,100.0 L238.0,50.0"), "{}", g.line);
        assert!(g.provisioned.starts_with("M236.0,75.0"), "{}", g.provisioned);
        assert_eq!(g.provisioned_y, Some(75.0));
        assert_eq!(g.throttles, vec![238.0]);
        assert!(g.clipped.is_empty());
        assert!(geometry(&[1.0], &[0.0], &[0], false, 100.0, 10.0).provisioned.is_empty());
    }

    /// The provisioned line's height above the axis as a share of the chart.
    fn line_height(g: &ChartGeometry, height: f64) -> f64 {
        (height - g.provisioned_y.expect("provisioned line drawn")) / height
    }

    #[test]
    fn a_spike_never_flattens_the_provisioned_line() {
        // 5 WCU, a 400 WCU spike 19 seconds ago: the scale stops at 25, the spike is clipped.
        let mut consumed = vec![5.0; 120];
        consumed[100] = 400.0;
        let g = geometry(&consumed, &[5.0; 120], &[0; 120], true, 119.0, 100.0);
        assert_eq!(g.max, 25.0);
        assert!((line_height(&g, 100.0) - 0.2).abs() < 1e-9);
        assert_eq!(g.clipped, vec![100.0]);
        // Once it is more than RECENT_SECONDS back, the scale fits the current traffic again.
        let mut consumed = vec![5.0; 120];
        consumed[50] = 400.0;
        let g = geometry(&consumed, &[5.0; 120], &[0; 120], true, 119.0, 100.0);
        assert_eq!(g.max, 10.0);
        assert!((line_height(&g, 100.0) - 0.5).abs() < 1e-9);
        // Whatever the provisioned level and the spike, the line stays between 1/5 and 7/8 up.
        for prov in [0.5, 1.0, 1.2, 3.0, 5.0, 7.0, 150.0, 333.3, 40_000.0] {
            for spike in [0.0, prov * 0.5, prov, prov * 3.0, prov * 1_000.0] {
                let g = geometry(&[spike, prov], &[prov, prov], &[0, 0], true, 119.0, 100.0);
                let h = line_height(&g, 100.0);
                assert!((0.2 - 1e-9..=0.875).contains(&h), "provisioned {prov}, spike {spike}: {h}");
                assert_eq!(g.clipped.is_empty(), spike <= g.max, "provisioned {prov}, spike {spike}");
            }
        }
    }

    #[test]
    fn on_demand_scales_to_traffic_and_draws_the_allowance_only_when_it_fits() {
        let g = geometry(&[100.0], &[4_000.0], &[0], false, 119.0, 100.0);
        assert_eq!(g.max, 200.0);
        assert!(g.provisioned.is_empty() && g.provisioned_y.is_none() && g.clipped.is_empty());
        let g = geometry(&[3_900.0], &[4_000.0], &[0], false, 119.0, 100.0);
        assert_eq!(g.max, 5_000.0);
        assert_eq!(g.provisioned_y, Some(20.0));
    }

    #[test]
    fn burst_strip_is_scaled_to_five_minutes_of_provisioned_capacity() {
        let levels = [None, Some(1_500.0), Some(750.0), Some(-10.0)];
        let d = burst_path(&levels, &[5.0; 4], 119.0, 20.0);
        // 116 s of the window are empty; x of index i = 116 + i.
        assert_eq!(d, "M117.0,20.0 L117.0,0.0 L118.0,10.0 L119.0,20.0 L119.0,20.0 Z");
        assert!(burst_path(&[None, None], &[4_000.0; 2], 119.0, 20.0).is_empty(), "on demand: no bucket");
    }

    #[test]
    fn heat_uses_the_partition_share_or_the_hard_maximum() {
        let p = json!({"ConsumedWriteCapacityUnits": 4.0, "ProvisionedWriteCapacityUnits": 5.0,
            "MaxWriteCapacityUnits": 1000.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&p) - 0.8).abs() < 1e-9);
        let on_demand =
            json!({"LastSecondConsumedReadCapacityUnits": 1500.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&on_demand) - 0.5).abs() < 1e-9);
        assert_eq!(nice_ceiling(11.5), 20.0);
        assert_eq!(nice_ceiling(0.2), 1.0);
        assert_eq!(bytes(2048.0), "2.0 KB");
        assert!(heat_colour(1.0).starts_with("hsl(0 "));
    }
}

// ---------------------------------------------------------------------------------------------
// Markup. The element-heavy panels (charts, partition tracks, hot-key lists) are rendered as
// HTML text here rather than as yew nodes: the same output for a fraction of the wasm size,
// and testable natively. Every piece of data in them is escaped.

pub use crate::ui::markup::esc;

/// Which column pair a chart draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// RCU.
    Read,
    /// WCU.
    Write,
}

/// The plot box and the burst strip under it, in SVG units (about CSS pixels at the charts'
/// usual width, so the labels stay legible).
const CHART_W: f64 = 420.0;
const CHART_H: f64 = 120.0;
const STRIP_Y: f64 = 134.0;
const STRIP_H: f64 = 22.0;

/// A chart of consumed against provisioned capacity with throttled seconds marked, and under
/// it the burst bucket's level, as a `<figure>` with `data-points`, `data-throttles`,
/// `data-max` (the top of the scale), `data-provisioned-y` (the provisioned line's height
/// from the axis, % of the plot; -1 when not drawn) and `data-burst` (the bucket's level now) for tests.
pub fn chart(series: &Series, kind: Kind) -> String {
    let (consumed, provisioned, throttles, burst, title, name, unit) = match kind {
        Kind::Read => (
            &series.read,
            &series.provisioned_read,
            &series.read_throttles,
            &series.read_burst,
            "Read capacity",
            "read",
            "RCU",
        ),
        Kind::Write => (
            &series.write,
            &series.provisioned_write,
            &series.write_throttles,
            &series.write_burst,
            "Write capacity",
            "write",
            "WCU",
        ),
    };
    let bucketed = series.provisioned();
    // The newest second is still filling (its consumption so far would dip at the right
    // edge): lines, marks and the caption stop at the last complete second.
    // The bucket's level, though, is exact at this instant.
    let level = burst.last().copied().flatten();
    let done = consumed.len().saturating_sub(1).max(consumed.len().min(1));
    let consumed = &consumed[..done];
    let provisioned = &provisioned[..done.min(provisioned.len())];
    let throttles = &throttles[..done.min(throttles.len())];
    let burst = &burst[..done.min(burst.len())];
    let g = geometry(consumed, provisioned, throttles, bucketed, CHART_W, CHART_H);
    let last = consumed.last().copied().unwrap_or(0.0);
    let prov = provisioned.last().copied().unwrap_or(0.0);
    let prov_text = match (bucketed, prov > 0.0) {
        (true, _) => format!("provisioned {}", units(prov)),
        (false, true) => format!("on demand · allowance {}", units(prov)),
        (false, false) => "on demand".to_owned(),
    };
    // Whole numbers in the markup (integer formatting only; see crate::fixed).
    let (w, h) = (CHART_W as u32, CHART_H as u32);
    let mut s = format!(
        "<figure class=\"chart {name}\" data-testid=\"chart-{name}\" data-points=\"{}\" data-throttles=\"{}\" data-max=\"{}\" data-provisioned-y=\"{}\" data-burst=\"{}\">\
         <figcaption><strong>{title} ({unit}/s)</strong><span class=\"muted small\"> now {} · {prov_text} · {} throttled s</span></figcaption>\
         <svg viewBox=\"-40 -12 {} {}\" role=\"img\" aria-label=\"{title}: consumed against provisioned {unit} per second, last {WINDOW_SECONDS} seconds\">\
         <line class=\"grid\" x1=\"0\" y1=\"{}\" x2=\"{w}\" y2=\"{}\"/>\
         <line class=\"grid\" x1=\"0\" y1=\"0\" x2=\"{w}\" y2=\"0\"/>\
         <line class=\"axis\" x1=\"0\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\"/>\
         <line class=\"axis\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{h}\"/>\
         <text class=\"tick\" x=\"-5\" y=\"4\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"-5\" y=\"{}\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"-5\" y=\"{}\" text-anchor=\"end\">0</text>\
         <text class=\"tick unit\" x=\"4\" y=\"-3\">{unit}/s</text>",
        consumed.len(),
        g.throttles.len(),
        units(g.max),
        // Percent of the height, as an integer (no float formatting needed).
        g.provisioned_y.map_or(-1, |py| ((CHART_H - py) / CHART_H * 100.0).round() as i64),
        level.map_or(String::new(), units),
        units(last),
        g.throttles.len(),
        w + 52,
        Fixed(STRIP_Y + STRIP_H + 30.0, 0),
        h / 2,
        h / 2,
        units(g.max),
        h / 2 + 4,
        units(g.max / 2.0),
        h + 4,
    );
    // Marks as one path each: a chart redraw touches a handful of elements, not hundreds.
    if !g.throttles.is_empty() {
        s.push_str("<path class=\"throttle\" d=\"");
        for x in &g.throttles {
            point(&mut s, "M", x - 1.5, Some(0.0));
            s.push_str("h3v120h-3Z"); // 120 = CHART_H
        }
        s.push_str("\"><title>throttled seconds</title></path>");
    }
    s.push_str(&format!("<path class=\"area\" d=\"{}\"/><path class=\"line\" d=\"{}\"/>", g.area, g.line));
    if let Some(py) = g.provisioned_y {
        s.push_str(&format!(
            "<path class=\"provisioned\" d=\"{}\"/><text class=\"prov-label\" x=\"{w}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            g.provisioned,
            Fixed((py - 4.0).max(9.0), 1),
            if bucketed { format!("provisioned {}", units(prov)) } else { format!("allowance {}", units(prov)) },
        ));
    }
    if !g.clipped.is_empty() {
        let peak = consumed.iter().fold(0.0f64, |m, v| m.max(*v));
        s.push_str("<path class=\"clipped\" d=\"");
        for x in &g.clipped {
            point(&mut s, "M", *x, Some(-1.0));
            s.push_str("l-3,6h6Z");
        }
        s.push_str(&format!(
            "\"/><text class=\"clip-label\" x=\"{}\" y=\"-3\" text-anchor=\"end\">▲ above the scale (peak {})</text>",
            w,
            units(peak)
        ));
    }
    // The burst bucket strip, scaled to what the bucket banks at most (300 s of provisioned).
    let strip = burst_path(burst, provisioned, CHART_W, STRIP_H);
    let (sy, strip_h) = (STRIP_Y as u32, STRIP_H as u32);
    if strip.is_empty() {
        s.push_str(&format!(
            "<text class=\"tick\" x=\"0\" y=\"{}\">no burst bucket on demand: capacity scales with traffic</text>",
            sy + 14
        ));
    } else {
        let capacity = provisioned.iter().fold(0.0f64, |m, p| m.max(*p)) * 300.0;
        let level_text = match level {
            Some(l) if l < 0.0 => format!("empty, {} {unit} in debt", units(-l)),
            Some(l) => format!("{} of {} {unit} banked", units(l), units(capacity)),
            None => String::new(),
        };
        s.push_str(&format!(
            "<g class=\"burst\" transform=\"translate(0 {sy})\"><rect class=\"burst-bg\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{strip_h}\"/>\
             <path class=\"burst-level\" d=\"{strip}\"/>\
             <text class=\"tick\" x=\"-5\" y=\"{label_y}\" text-anchor=\"end\">burst</text>\
             <text class=\"burst-label\" x=\"4\" y=\"{label_y}\">burst bucket: {level_text}</text></g>",
            label_y = Fixed(STRIP_H / 2.0 + 4.0, 0),
        ));
    }
    s.push_str(&format!(
        "<text class=\"tick\" x=\"0\" y=\"{axis_y}\">−{WINDOW_SECONDS} s</text><text class=\"tick\" x=\"{w}\" y=\"{axis_y}\" text-anchor=\"end\">now</text></svg></figure>",
        axis_y = sy + strip_h + 14
    ));
    s
}

fn num(v: &Value, name: &str) -> f64 {
    v[name].as_f64().unwrap_or(0.0)
}

fn int(v: &Value, name: &str) -> u64 {
    v[name].as_u64().unwrap_or(0)
}

fn bucket(v: &Value) -> Option<String> {
    Some(format!("{} / {}", units(v["Level"].as_f64()?), units(v["Capacity"].as_f64()?)))
}

/// One resource's (the table's or a GSI's) partitions from `PlaygroundDescribePartitions`:
/// a summary line and a track with one bar per partition, its width its share of the hash
/// space (at least a label's width: an item isolated by adaptive capacity owns a single hash
/// value, and must still be seen), its fill and colour how close it is to its ceiling, a red outline and dot when it
/// throttled this or the last second (`data-throttled`, `data-heat` for tests).
pub fn resource_map(name: &str, r: &Value) -> String {
    let mut s = format!(
        "<div class=\"resource-map\"><div class=\"row small\"><strong>{}</strong><span class=\"muted\">{} partitions · {} items · {} · now {} RCU / {} WCU</span>",
        esc(name),
        int(r, "PartitionCount"),
        int(r, "ItemCount"),
        bytes(num(r, "SizeBytes")),
        units(num(r, "ReadCapacityUnits")),
        units(num(r, "WriteCapacityUnits")),
    );
    for (label, pool) in [("write", "WritePool"), ("read", "ReadPool")] {
        if let Some(b) = bucket(&r[pool]) {
            s.push_str(&format!("<span class=\"muted\">· {label} burst {b}</span>"));
        }
    }
    s.push_str("</div><div class=\"partition-track\">");
    for p in r["Partitions"].as_array().into_iter().flatten() {
        let h = heat(p);
        let heat_text = Fixed(h, 2);
        let throttled = p["ReadThrottleEvents"].as_u64().unwrap_or(0)
            + p["WriteThrottleEvents"].as_u64().unwrap_or(0)
            > 0;
        let read = num(p, "ConsumedReadCapacityUnits").max(num(p, "LastSecondConsumedReadCapacityUnits"));
        let write = num(p, "ConsumedWriteCapacityUnits").max(num(p, "LastSecondConsumedWriteCapacityUnits"));
        let avail = |prov: f64, max: f64| if prov > 0.0 { prov } else { max };
        let avail_r = avail(num(p, "ProvisionedReadCapacityUnits"), num(p, "MaxReadCapacityUnits"));
        let avail_w = avail(num(p, "ProvisionedWriteCapacityUnits"), num(p, "MaxWriteCapacityUnits"));
        let size = bytes(num(p, "SizeBytes"));
        let mut title = format!(
            "Partition {} · hash {}–{}&#10;{} items, {size}&#10;reads {} of {} RCU/s · writes {} of {} WCU/s",
            int(p, "PartitionId"),
            esc(p["KeyRangeStart"].as_str().unwrap_or("")),
            esc(p["KeyRangeEnd"].as_str().unwrap_or("")),
            int(p, "ItemCount"),
            units(read),
            units(avail_r),
            units(write),
            units(avail_w),
        );
        if let Some(b) = bucket(&p["WriteBucket"]) {
            title.push_str(&format!("&#10;write bucket {b}"));
        }
        if throttled {
            title.push_str(&format!(
                "&#10;throttled: {} read / {} write events",
                int(p, "ReadThrottleEvents"),
                int(p, "WriteThrottleEvents")
            ));
        }
        s.push_str(&format!(
            "<div class=\"partition{}\" data-testid=\"partition\" data-throttled=\"{throttled}\" data-heat=\"{heat_text}\" \
             style=\"flex:0 1 {}%\" title=\"{title}\"><div class=\"fill\" style=\"height:{}%;background:{}\"></div>\
             <div class=\"partition-label\"><strong>P{}</strong><span>{} items · {size}</span><span>W {}/{}</span><span>R {}/{}</span></div>{}</div>",
            if throttled { " throttled" } else { "" },
            Fixed((num(p, "EndFraction") - num(p, "StartFraction")) * 100.0, 3),
            Fixed(h.clamp(0.0, 1.0) * 100.0, 0),
            heat_colour(h),
            int(p, "PartitionId"),
            int(p, "ItemCount"),
            units(write),
            units(avail_w),
            units(read),
            units(avail_r),
            if throttled { "<span class=\"throttle-dot\" aria-label=\"throttled\"></span>" } else { "" },
        ));
    }
    s.push_str("</div></div>");
    s
}

/// The key of a hot-keys row as text (`{"S":"key-0"}` → `key-0`).
fn key_text(k: &Value) -> String {
    match k.as_object().and_then(|m| m.values().next()) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => k.to_string(),
    }
}

/// One list of `PlaygroundDescribeHotKeys` (`MostAccessed` or `MostThrottled`).
pub fn hot_list(title: &str, v: &Value, unit: &str, testid: &str) -> String {
    let keys = v["Keys"].as_array().cloned().unwrap_or_default();
    let total = num(v, "Total");
    let mut s = format!("<div class=\"hot-list\" data-testid=\"{testid}\"><h3>{title}</h3>");
    if keys.is_empty() {
        s.push_str("<p class=\"muted small\">None in the last minute.</p>");
    }
    s.push_str("<ol>");
    for k in &keys {
        let count = num(k, "Count");
        let share = Fixed(if total > 0.0 { count / total * 100.0 } else { 0.0 }, 0);
        s.push_str(&format!(
            "<li><code>{}</code><span class=\"bar\"><span style=\"width:{share}%\"></span></span><span class=\"small\">{} {unit} ({share}%)</span></li>",
            esc(&key_text(&k["Key"])),
            units(count),
        ));
    }
    s.push_str("</ol></div>");
    s
}

#[cfg(test)]
mod markup_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markup_escapes_keys_and_marks_throttled_partitions() {
        let hot = json!({"Keys": [{"Key": {"S": "<b>&"}, "Count": 3.0}], "Total": 4.0});
        let html = hot_list("Most accessed", &hot, "units", "hot-accessed");
        assert!(html.contains("<code>&lt;b&gt;&amp;</code>") && html.contains("(75%)"), "{html}");
        let r = json!({"PartitionCount": 1, "ItemCount": 2, "SizeBytes": 10, "Partitions": [{
            "PartitionId": 7, "StartFraction": 0.0, "EndFraction": 0.5, "ItemCount": 2, "SizeBytes": 10,
            "ConsumedWriteCapacityUnits": 5.0, "ProvisionedWriteCapacityUnits": 5.0, "MaxWriteCapacityUnits": 1000.0,
            "WriteThrottleEvents": 3, "ReadThrottleEvents": 0}]});
        let map = resource_map("Table", &r);
        assert!(
            map.contains("data-throttled=\"true\" data-heat=\"1.00\"") && map.contains("flex:0 1 50.000%"),
            "{map}"
        );
        let mut s = Series::default();
        // The third second is still filling: it is left out of the lines and marks (its 3
        // throttle events too), but the bucket's level is the one at this instant.
        s.merge(&json!({"StartSecond": 1, "ConsumedWriteCapacityUnits": [1.0, 9.0, 0.5], "ConsumedReadCapacityUnits": [0.0, 0.0, 0.0],
            "ProvisionedWriteCapacityUnits": [5.0, 5.0, 5.0], "ProvisionedReadCapacityUnits": [5.0, 5.0, 5.0],
            "WriteThrottleEvents": [0, 2, 3], "ReadThrottleEvents": [0, 0, 0],
            "WriteBucketLevel": [1500.0, -2.5, -1.0], "ReadBucketLevel": [1500.0, 1500.0, 1500.0]}));
        let svg = chart(&s, Kind::Write);
        assert!(
            svg.contains("data-points=\"2\" data-throttles=\"1\" data-max=\"20\" data-provisioned-y=\"25\" data-burst=\"-1\"")
                && svg.contains("now 9 · provisioned 5 · 1 throttled s")
                && svg.contains("class=\"provisioned\"")
                && svg.contains(">provisioned 5</text>")
                && svg.contains("burst bucket: empty, 1 WCU in debt"),
            "{svg}"
        );
        assert!(chart(&s, Kind::Read).contains("burst bucket: 1500 of 1500 RCU banked"));
    }
}

// ---------------------------------------------------------------------------------------------
// Playground settings: the panel's controls as markup, and a changed control as a request.

/// Partition size limits offered (bytes, label); the current value is added when it is none
/// of these (set through the console or the API).
pub const SIZE_LIMITS: [(u64, &str); 7] = [
    (10_737_418_240, "10 GB (DynamoDB)"),
    (1_048_576, "1 MB"),
    (262_144, "256 KB"),
    (65_536, "64 KB"),
    (16_384, "16 KB"),
    (4_096, "4 KB"),
    (1_024, "1 KB"),
];

/// The settings panel's summary line and controls for a `PlaygroundDescribeSettings`
/// `Settings` object. Each control's `name` is the setting it changes (see
/// [`settings_request`]).
pub fn settings_form(settings: &Value) -> String {
    let limit = settings["PartitionSizeLimitBytes"].as_u64().unwrap_or(SIZE_LIMITS[0].0);
    let throttling = settings["ThrottlingEnabled"].as_bool().unwrap_or(true);
    let ttl_s = settings["TtlDeletionDelayMilliseconds"].as_u64().unwrap_or(5_000) / 1000;
    let mut options = String::new();
    if !SIZE_LIMITS.iter().any(|(b, _)| *b == limit) {
        options.push_str(&format!(
            "<option value=\"{limit}\" selected>{} (custom)</option>",
            bytes(limit as f64)
        ));
    }
    for (b, label) in SIZE_LIMITS {
        let selected = if b == limit { " selected" } else { "" };
        options.push_str(&format!("<option value=\"{b}\"{selected}>{label}</option>"));
    }
    format!(
        "<summary class=\"small\" data-testid=\"settings-summary\">Playground settings · partitions split at {} · throttling {} · TTL deletes {ttl_s} s after expiry</summary>\
         <div class=\"row settings-row\">\
         <label class=\"field narrow\" title=\"DynamoDB splits a partition at 10 GB; scale it down so a few thousand items already split\">Partition size limit\
         <select name=\"PartitionSizeLimitBytes\" data-testid=\"setting-partition-size\">{options}</select></label>\
         <label class=\"check\" title=\"Off: every request is served and still counted against capacity\">\
         <input type=\"checkbox\" name=\"ThrottlingEnabled\" data-testid=\"setting-throttling\"{}> Throttle requests over capacity</label>\
         <label class=\"field narrow\" title=\"DynamoDB deletes expired items within a few days; the playground after this delay\">TTL deletion delay (s)\
         <input name=\"TtlDeletionDelaySeconds\" inputmode=\"numeric\" value=\"{ttl_s}\" data-testid=\"setting-ttl-delay\"></label>\
         </div>",
        bytes(limit as f64),
        if throttling { "on" } else { "off" },
        if throttling { " checked" } else { "" },
    )
}

/// The `PlaygroundUpdateSettings` request for a settings control named `name` that changed to
/// `value` (a checkbox's value is `"true"` or `"false"`), or why the value is refused before
/// anything is sent.
pub fn settings_request(name: &str, value: &str) -> Result<Value, String> {
    let whole =
        |what: &str| value.trim().parse::<u64>().map_err(|_| format!("{what} must be a whole number"));
    match name {
        "PartitionSizeLimitBytes" => Ok(serde_json::json!({name: whole("The partition size limit")?})),
        "ThrottlingEnabled" => Ok(serde_json::json!({name: value == "true"})),
        "TtlDeletionDelaySeconds" => Ok(serde_json::json!({
            "TtlDeletionDelayMilliseconds": whole("The TTL deletion delay (seconds)")?.saturating_mul(1000)
        })),
        _ => Err(format!("Unknown setting {name}")),
    }
}

#[cfg(test)]
mod settings_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_form_shows_the_current_values_and_controls_map_to_requests() {
        let html = settings_form(&json!({"PartitionSizeLimitBytes": 4096, "ThrottlingEnabled": false,
            "TtlDeletionDelayMilliseconds": 60_000}));
        assert!(html.contains("<option value=\"4096\" selected>4 KB</option>"), "{html}");
        assert!(
            html.contains("partitions split at 4.0 KB · throttling off · TTL deletes 60 s after expiry"),
            "{html}"
        );
        assert!(!html.contains(" checked") && html.contains("value=\"60\""), "{html}");
        let custom = settings_form(&json!({"PartitionSizeLimitBytes": 5000, "ThrottlingEnabled": true}));
        assert!(
            custom.contains("<option value=\"5000\" selected>4.9 KB (custom)</option>")
                && custom.contains(" checked>")
        );
        assert_eq!(
            settings_request("PartitionSizeLimitBytes", "16384"),
            Ok(json!({"PartitionSizeLimitBytes": 16384}))
        );
        assert_eq!(settings_request("ThrottlingEnabled", "false"), Ok(json!({"ThrottlingEnabled": false})));
        assert_eq!(
            settings_request("TtlDeletionDelaySeconds", " 30 "),
            Ok(json!({"TtlDeletionDelayMilliseconds": 30_000}))
        );
        assert_eq!(
            settings_request("TtlDeletionDelaySeconds", "2.5"),
            Err("The TTL deletion delay (seconds) must be a whole number".into())
        );
    }
}
