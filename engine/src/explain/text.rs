//! Figures as the explanations print them — grouped integers, capacity units, kilobytes —
//! with integer arithmetic only: formatting a float would link core's float printer into the
//! browser bundle (see web/README.md, *The bundle rules*).

/// `1234567` → `"1,234,567"` (also the web UI's item counts).
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Capacity units given in micro-units (the engine's exact unit): `1_500_000` → `"1.5"`,
/// `2_000_000` → `"2"`, `333_333` → `"0.333333"`.
pub(crate) fn units(micro: i64) -> String {
    let sign = if micro < 0 { "-" } else { "" };
    let m = micro.unsigned_abs();
    let whole = grouped(u128::from(m / 1_000_000));
    let mut fraction = format!("{:06}", m % 1_000_000);
    while fraction.ends_with('0') {
        fraction.pop();
    }
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// A byte count with its size in KB (1 KB = 1,024 B) to the nearest tenth: `9421` →
/// `"9,421 B (9.2 KB)"`. The exact bytes come first: the unit rules round *them*.
pub(crate) fn bytes(n: u64) -> String {
    let tenths = (u128::from(n) * 10 + 512) / 1024;
    format!("{} B ({}.{} KB)", grouped(u128::from(n)), grouped(tenths / 10), tenths % 10)
}

/// `"1 item"`, `"3 items"`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(u128::from(n)), if n == 1 { one } else { many })
}

/// Engine time as `HH:MM:SS` of its UTC day (what the Capacity tab's clock shows).
pub(crate) fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", (s / 3600) % 24, (s / 60) % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_print_exactly() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(259_200_000), "259,200,000");
        assert_eq!(units(1_500_000), "1.5");
        assert_eq!(units(2_000_000), "2");
        assert_eq!(units(500_000), "0.5");
        assert_eq!(units(1_666_666), "1.666666");
        assert_eq!(units(-3_000_000), "-3");
        assert_eq!(units(12_000_000_000), "12,000");
        assert_eq!(bytes(9421), "9,421 B (9.2 KB)");
        assert_eq!(bytes(4096), "4,096 B (4.0 KB)");
        assert_eq!(bytes(4097), "4,097 B (4.0 KB)");
        assert_eq!(bytes(1000), "1,000 B (1.0 KB)");
        assert_eq!(count(1, "item", "items"), "1 item");
        assert_eq!(count(2, "item", "items"), "2 items");
        assert_eq!(clock(1_767_225_600_000 + 10 * 3_600_000 + 42 * 60_000 + 11_000), "10:42:11");
    }
}
