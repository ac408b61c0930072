//! A chart's geometry, platform-free: the scale (provisioned capacity always in sight, spikes
//! clipped), the SVG paths of consumed and provisioned capacity, throttled seconds, and the
//! burst bucket's strip. Numbers are written with integer arithmetic (see `crate::fixed`).
//! Unit-tested natively.

use super::series::WINDOW_SECONDS;

/// Seconds whose consumption sets the chart's scale: a spike that has scrolled further back
/// than this no longer squeezes the current traffic.
pub const RECENT_SECONDS: usize = 30;

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
/// The scale follows the traffic: the top is the larger of provisioned capacity and the peak
/// of the last [`RECENT_SECONDS`], plus 15 %, rounded up to a round number — so 100 WCU/s
/// served by burst on a 5-WCU table is drawn as 100, over a low provisioned line (labelled),
/// rather than clipped at a multiple of provisioned. An older spike above the scale is drawn
/// clipped at the top. On demand (`provisioned_capacity` false) the allowance is not a line
/// to stay under: the top follows the recent peak and the allowance is drawn only when it fits.
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
    let max = if provisioned_capacity {
        nice_ceiling(prov_now.max(recent) * 1.15)
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
pub(super) fn point(out: &mut String, command: &str, x: f64, y: Option<f64>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_scale_follows_the_traffic_and_clips_only_older_spikes() {
        // 100 WCU/s on a 5-WCU table (burst covers it): the axis reaches past 100, not 25.
        let g = geometry(&[100.0; 10], &[5.0; 10], &[0; 10], true, 119.0, 100.0);
        assert_eq!(g.max, 200.0);
        assert!(g.clipped.is_empty());
        assert!((line_height(&g, 100.0) - 0.025).abs() < 1e-9, "the provisioned line is still drawn, low");
        // A spike further back than RECENT_SECONDS no longer sets the scale: it is clipped.
        let mut consumed = vec![5.0; 120];
        consumed[50] = 400.0;
        let g = geometry(&consumed, &[5.0; 120], &[0; 120], true, 119.0, 100.0);
        assert_eq!(g.max, 10.0);
        assert!((line_height(&g, 100.0) - 0.5).abs() < 1e-9);
        assert_eq!(g.clipped, vec![50.0]);
        // Whatever the provisioned level and the recent traffic: nothing recent is clipped,
        // and the provisioned line is drawn at most 7/8 up.
        for prov in [0.5, 1.0, 1.2, 3.0, 5.0, 7.0, 150.0, 333.3, 40_000.0] {
            for spike in [0.0, prov * 0.5, prov, prov * 3.0, prov * 1_000.0] {
                let g = geometry(&[spike, prov], &[prov, prov], &[0, 0], true, 119.0, 100.0);
                assert!(g.clipped.is_empty() && g.max >= spike, "provisioned {prov}, spike {spike}");
                assert!(line_height(&g, 100.0) <= 0.875, "provisioned {prov}, spike {spike}");
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
    fn scales_round_up_to_one_two_two_and_a_half_or_five() {
        assert_eq!(nice_ceiling(11.5), 20.0);
        assert_eq!(nice_ceiling(0.2), 1.0);
        assert_eq!(nice_ceiling(2.1), 2.5);
        assert_eq!(nice_ceiling(4_100.0), 5_000.0);
    }
}
