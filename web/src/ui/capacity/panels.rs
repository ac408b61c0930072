//! The Capacity view's element-heavy panels as markup, platform-free: the two charts (SVG),
//! the partition map of a table or GSI, and the hot-key lists — plus the figures they print
//! (heat, sizes, units). They are redrawn on every poll from data alone (no controls, no
//! events), and measured smaller and faster as text than as yew nodes (see web/README.md,
//! *One way to write a view*); every piece of data in them goes through
//! [`crate::ui::markup::esc`]. Unit-tested natively.

use serde_json::Value;

use super::geometry::{burst_path, geometry, point};
use super::series::{Series, WINDOW_SECONDS};
use crate::fixed::{plural, Fixed};
use crate::ui::markup::esc;

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

/// A partition's colour: cool blue when idle through amber (70 %) to orange at its ceiling —
/// a partition at its ceiling still serves everything it is asked (burst or adaptive capacity
/// may be covering it) — and red only when it actually throttled requests.
pub fn heat_colour(h: f64, throttled: bool) -> String {
    if throttled {
        return THROTTLED.to_owned();
    }
    let h = h.clamp(0.0, 1.0);
    // Hue 210 (blue) → 45 (amber) at 70 % → 25 (orange) at the ceiling; darker as it heats.
    let hue = if h < 0.7 { 210.0 - (h / 0.7) * 165.0 } else { 45.0 - ((h - 0.7) / 0.3) * 20.0 };
    let light = 88.0 - h * 33.0;
    format!("hsl({} 80% {}%)", Fixed(hue.max(0.0), 0), Fixed(light, 0))
}

/// The colour of a partition that throttled this or the last second.
const THROTTLED: &str = "hsl(0 80% 50%)";

/// The partition map's legend: every colour [`heat_colour`] gives a cell (drawn by it, so the
/// two cannot drift apart), the throttle dot and the borrowing mark.
pub fn legend() -> String {
    let mut s = String::from("<p class=\"small muted legend-line\" data-testid=\"capacity-legend\">");
    for (h, label) in [(0.0, "idle"), (0.35, "35%"), (0.7, "70%"), (1.0, "at its ceiling (still served)")] {
        s.push_str(&format!(
            "<span class=\"swatch\" style=\"background:{}\"></span> {label} ",
            heat_colour(h, false)
        ));
    }
    s.push_str(&format!(
        "<span class=\"swatch\" style=\"background:{THROTTLED}\"></span> throttled <span class=\"throttle-dot\"></span> throttled this or last second · \
         <strong>↑</strong> borrowing: using more than its share of provisioned capacity (adaptive capacity)</p>"
    ));
    s
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
        "<div class=\"resource-map\"><div class=\"row small\"><strong>{}</strong><span class=\"muted\">{} · {} · {} · now {} RCU / {} WCU</span>",
        esc(name),
        plural(int(r, "PartitionCount"), "partition"),
        plural(int(r, "ItemCount"), "item"),
        bytes(num(r, "SizeBytes")),
        units(num(r, "ReadCapacityUnits")),
        units(num(r, "WriteCapacityUnits")),
    );
    for (label, pool) in [("write", "WritePool"), ("read", "ReadPool")] {
        if let Some(b) = bucket(&r[pool]) {
            s.push_str(&format!("<span class=\"muted\">· {label} burst {b}</span>"));
        }
    }
    s.push_str("</div>");
    if int(r, "PartitionCount") == 1 {
        // Where a better key cannot help, say so (and why there is one partition).
        let only = &r["Partitions"][0];
        let (w, rd) = (num(only, "ProvisionedWriteCapacityUnits"), num(only, "ProvisionedReadCapacityUnits"));
        let share = if w > 0.0 {
            format!("its {} WCU and {} RCU a second", units(w), units(rd))
        } else {
            "its ceiling of 1,000 WCU and 3,000 RCU a second".to_owned()
        };
        s.push_str(&format!(
            "<p class=\"small note\" data-testid=\"one-partition\">One partition: every key shares {share}, so a better \
             partition key cannot spread this load — there is nowhere to spread it. A table starts with the larger of \
             ⌈RCU / 3,000 + WCU / 1,000⌉ and ⌈size / 10 GB⌉ partitions (here 1) and splits as its throughput or data grows.</p>"
        ));
    }
    // Focusable and named: it scrolls sideways when partitions are many.
    s.push_str("<div class=\"partition-track\" tabindex=\"0\" role=\"group\" aria-label=\"Partitions\">");
    let shared = r["Partitions"].as_array().is_some_and(|a| a.len() > 1);
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
            "Partition {} · hash {}–{}&#10;{}, {size}&#10;reads {} of {} RCU/s · writes {} of {} WCU/s",
            int(p, "PartitionId"),
            esc(p["KeyRangeStart"].as_str().unwrap_or("")),
            esc(p["KeyRangeEnd"].as_str().unwrap_or("")),
            plural(int(p, "ItemCount"), "item"),
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
        // Over its share of provisioned capacity: adaptive capacity is lending it more.
        // (One partition over its share is burst: there is nothing to borrow from.)
        let over = |used: f64, share: &str| shared && num(p, share) > 0.0 && used > num(p, share) + 1e-9;
        let (borrow_w, borrow_r) =
            (over(write, "ProvisionedWriteCapacityUnits"), over(read, "ProvisionedReadCapacityUnits"));
        if borrow_w || borrow_r {
            title.push_str("&#10;↑ over its share of provisioned capacity: adaptive capacity lends it unused table capacity");
        }
        let mark = |b: bool| if b { " ↑" } else { "" };
        s.push_str(&format!(
            "<div class=\"partition{}\" data-testid=\"partition\" data-throttled=\"{throttled}\" data-heat=\"{heat_text}\" data-borrowing=\"{}\" \
             style=\"flex:0 1 {}%\" title=\"{title}\"><div class=\"fill\" style=\"height:{}%;background:{}\"></div>\
             <div class=\"partition-label\"><strong>P{}</strong><span>{} · {size}</span><span>W {}/{}{}</span><span>R {}/{}{}</span></div>{}</div>",
            if throttled { " throttled" } else { "" },
            borrow_w || borrow_r,
            Fixed((num(p, "EndFraction") - num(p, "StartFraction")) * 100.0, 3),
            Fixed(h.clamp(0.0, 1.0) * 100.0, 0),
            heat_colour(h, throttled),
            int(p, "PartitionId"),
            plural(int(p, "ItemCount"), "item"),
            units(write),
            units(avail_w),
            mark(borrow_w),
            units(read),
            units(avail_r),
            mark(borrow_r),
            if throttled { "<span class=\"throttle-dot\" aria-label=\"throttled\"></span>" } else { "" },
        ));
    }
    s.push_str("</div></div>");
    s
}

/// The Capacity tab's log of what changed (newest first), as a list.
pub fn event_log(lines: &[String]) -> String {
    let mut s = String::from(
        "<div class=\"capacity-log\" data-testid=\"capacity-log\"><h3>What happened</h3><ol class=\"small\">",
    );
    if lines.is_empty() {
        s.push_str("<li class=\"muted\">Nothing yet: splits, adaptive capacity, burst and throttling are named here as they happen.</li>");
    }
    for line in lines {
        s.push_str("<li>");
        s.push_str(&esc(line));
        s.push_str("</li>");
    }
    s.push_str("</ol></div>");
    s
}

/// The key of a hot-keys row as text (`{"S":"key-0"}` → `key-0`).
fn key_text(k: &Value) -> String {
    match k.as_object().and_then(|m| m.values().next()) {
        Some(Value::String(s)) => s.clone(),
        // A multi-attribute partition key: its values, in KeySchema order.
        Some(Value::Array(parts)) => parts.iter().map(key_text).collect::<Vec<_>>().join(" · "),
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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn heat_uses_the_partition_share_or_the_hard_maximum() {
        let p = json!({"ConsumedWriteCapacityUnits": 4.0, "ProvisionedWriteCapacityUnits": 5.0,
            "MaxWriteCapacityUnits": 1000.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&p) - 0.8).abs() < 1e-9);
        let on_demand =
            json!({"LastSecondConsumedReadCapacityUnits": 1500.0, "MaxReadCapacityUnits": 3000.0});
        assert!((heat(&on_demand) - 0.5).abs() < 1e-9);
        assert_eq!(bytes(2048.0), "2.0 KB");
        // Red only when requests were throttled; at the ceiling but served is orange.
        assert_eq!(heat_colour(1.0, true), "hsl(0 80% 50%)");
        assert_eq!(heat_colour(1.0, false), "hsl(25 80% 55%)");
        assert_eq!(heat_colour(0.0, false), "hsl(210 80% 88%)");
    }

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
            map.contains("data-throttled=\"true\" data-heat=\"1.00\" data-borrowing=\"false\"")
                && map.contains("flex:0 1 50.000%")
                && map.contains("background:hsl(0 80% 50%)")
                && map.contains("1 partition · 2 items")
                && map.contains("One partition: every key shares its 5 WCU and 0 RCU a second"),
            "{map}"
        );
        // A partition over its share (adaptive capacity lending) is marked; the legend shows
        // every colour a cell can have.
        let r = json!({"PartitionCount": 2, "Partitions": [{
            "PartitionId": 1, "ItemCount": 1, "ConsumedWriteCapacityUnits": 1000.0, "ProvisionedWriteCapacityUnits": 500.0,
            "MaxWriteCapacityUnits": 1000.0, "MaxReadCapacityUnits": 3000.0}, {"PartitionId": 2}]});
        let map = resource_map("Table", &r);
        assert!(
            map.contains("data-borrowing=\"true\"")
                && map.contains("W 1000/500 ↑")
                && !map.contains("one-partition"),
            "{map}"
        );
        let legend = legend();
        for cell in [
            heat_colour(1.0, false),
            heat_colour(0.0, false),
            heat_colour(1.0, true),
            heat_colour(0.7, false),
        ] {
            assert!(legend.contains(&cell), "{cell} in {legend}");
        }
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
