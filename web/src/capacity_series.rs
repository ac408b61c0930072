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
pub fn geometry(
    consumed: &[f64],
    provisioned: &[f64],
    throttles: &[u64],
    width: f64,
    height: f64,
) -> ChartGeometry {
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

/// Text escaped for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which column pair a chart draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// RCU.
    Read,
    /// WCU.
    Write,
}

/// The chart box (the markup in [`chart`] spells these numbers out).
const CHART_W: f64 = 600.0;
const CHART_H: f64 = 140.0;

/// A chart of consumed against provisioned capacity with throttled seconds marked, as a
/// `<figure>` with `data-points` and `data-throttles`.
pub fn chart(series: &Series, kind: Kind) -> String {
    let (consumed, provisioned, throttles, title, name) = match kind {
        Kind::Read => {
            (&series.read, &series.provisioned_read, &series.read_throttles, "Read capacity (RCU/s)", "read")
        }
        Kind::Write => (
            &series.write,
            &series.provisioned_write,
            &series.write_throttles,
            "Write capacity (WCU/s)",
            "write",
        ),
    };
    let g = geometry(consumed, provisioned, throttles, CHART_W, CHART_H);
    let last = consumed.last().copied().unwrap_or(0.0);
    let prov = provisioned.last().copied().unwrap_or(0.0);
    let prov_text = if prov > 0.0 { units(prov) } else { "on demand".into() };
    let mut s = format!(
        "<figure class=\"chart {name}\" data-testid=\"chart-{name}\" data-points=\"{}\" data-throttles=\"{}\">\
         <figcaption><strong>{title}</strong><span class=\"muted small\"> now {} · provisioned {prov_text} · {} throttled seconds</span></figcaption>\
         <svg viewBox=\"-34 -8 640 164\" role=\"img\" aria-label=\"{title}\">\
         <line class=\"axis\" x1=\"0\" y1=\"140\" x2=\"600\" y2=\"140\"/>\
         <line class=\"grid\" x1=\"0\" y1=\"70\" x2=\"600\" y2=\"70\"/>\
         <text class=\"tick\" x=\"-4\" y=\"4\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"-4\" y=\"74\" text-anchor=\"end\">{}</text>\
         <text class=\"tick\" x=\"-4\" y=\"144\" text-anchor=\"end\">0</text>\
         <text class=\"tick\" x=\"0\" y=\"155\">−{WINDOW_SECONDS} s</text>\
         <text class=\"tick\" x=\"600\" y=\"155\" text-anchor=\"end\">now</text>",
        consumed.len(),
        g.throttles.len(),
        units(last),
        g.throttles.len(),
        units(g.max),
        units(g.max / 2.0),
    );
    for x in &g.throttles {
        s.push_str(&format!(
            "<rect class=\"throttle\" x=\"{:.1}\" y=\"0\" width=\"4\" height=\"140\"/>",
            x - 2.0
        ));
    }
    s.push_str(&format!("<path class=\"area\" d=\"{}\"/><path class=\"line\" d=\"{}\"/>", g.area, g.line));
    if !g.provisioned.is_empty() {
        s.push_str(&format!("<path class=\"provisioned\" d=\"{}\"/>", g.provisioned));
    }
    s.push_str("</svg></figure>");
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
/// space, its fill and colour how close it is to its ceiling, a red outline and dot when it
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
            "<div class=\"partition{}\" data-testid=\"partition\" data-throttled=\"{throttled}\" data-heat=\"{h:.2}\" \
             style=\"flex:0 0 {:.3}%\" title=\"{title}\"><div class=\"fill\" style=\"height:{:.0}%;background:{}\"></div>\
             <div class=\"partition-label\"><strong>P{}</strong><span>{} items · {size}</span><span>W {}/{}</span><span>R {}/{}</span></div>{}</div>",
            if throttled { " throttled" } else { "" },
            (num(p, "EndFraction") - num(p, "StartFraction")) * 100.0,
            h.clamp(0.0, 1.0) * 100.0,
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
        let share = if total > 0.0 { count / total * 100.0 } else { 0.0 };
        s.push_str(&format!(
            "<li><code>{}</code><span class=\"bar\"><span style=\"width:{share:.0}%\"></span></span><span class=\"small\">{} {unit} ({share:.0}%)</span></li>",
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
            map.contains("data-throttled=\"true\" data-heat=\"1.00\"") && map.contains("flex:0 0 50.000%"),
            "{map}"
        );
        let mut s = Series::default();
        s.merge(&json!({"StartSecond": 1, "ConsumedWriteCapacityUnits": [1.0, 9.0], "ConsumedReadCapacityUnits": [0.0, 0.0],
            "ProvisionedWriteCapacityUnits": [5.0, 5.0], "ProvisionedReadCapacityUnits": [5.0, 5.0],
            "WriteThrottleEvents": [0, 2], "ReadThrottleEvents": [0, 0]}));
        let svg = chart(&s, Kind::Write);
        assert!(
            svg.contains("data-points=\"2\" data-throttles=\"1\"") && svg.contains("class=\"provisioned\""),
            "{svg}"
        );
    }
}
