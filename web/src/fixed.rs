//! Measured figures as decimal text, without Rust's float formatting.
//!
//! `format!("{:.1}", x)` on an `f64` links core's float printing (Grisu and Dragon, about
//! 11 KB of wasm) into the bundle; every figure the UI shows has at most three decimals, which
//! integer arithmetic prints exactly as well.

use std::fmt;

/// `value` with `decimals` digits after the point (0–3), rounded half away from zero;
/// NaN prints as 0 and infinities saturate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fixed(pub f64, pub u8);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(value, decimals) = *self;
        let decimals = decimals.min(3);
        let scale = 10u64.pow(u32::from(decimals));
        // Casting saturates and maps NaN to 0.
        let scaled = (value.abs() * scale as f64).round() as u64;
        if value < 0.0 && scaled != 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", scaled / scale)?;
        if decimals > 0 {
            let fraction = (scaled % scale).to_string();
            f.write_str(".")?;
            for _ in fraction.len()..usize::from(decimals) {
                f.write_str("0")?;
            }
            f.write_str(&fraction)?;
        }
        Ok(())
    }
}

/// Milliseconds as seconds, as short as exact: 3000 → "3", 1500 → "1.5", 250 → "0.25".
pub fn seconds(ms: u64) -> String {
    let fraction = format!("{:03}", ms % 1000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        (ms / 1000).to_string()
    } else {
        format!("{}.{fraction}", ms / 1000)
    }
}

/// A count and its noun, singular for one: `plural(1, "item")` is "1 item", `plural(2,
/// "partition")` "2 partitions" ("1 items" reads as a bug to a learner).
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{plural, seconds, Fixed};

    #[test]
    fn plurals_are_singular_for_one() {
        assert_eq!(plural(1, "item"), "1 item");
        assert_eq!(plural(0, "item"), "0 items");
        assert_eq!(plural(2, "partition"), "2 partitions");
    }

    #[test]
    fn seconds_are_short_and_exact() {
        assert_eq!(seconds(3000), "3");
        assert_eq!(seconds(1500), "1.5");
        assert_eq!(seconds(250), "0.25");
        assert_eq!(seconds(60_001), "60.001");
        assert_eq!(seconds(0), "0");
    }

    #[test]
    fn prints_like_rounded_decimals() {
        let cases = [
            (0.0, 0, "0"),
            (12.34, 1, "12.3"),
            (12.35, 1, "12.4"),
            (-0.04, 1, "0.0"),
            (-2.5, 0, "-3"),
            (0.05, 2, "0.05"),
            (1.005, 3, "1.005"),
            (99.96, 1, "100.0"),
            (123456.0, 0, "123456"),
            (7.0, 2, "7.00"),
            (f64::NAN, 1, "0.0"),
        ];
        for (v, d, text) in cases {
            assert_eq!(Fixed(v, d).to_string(), text, "{v} with {d} decimals");
        }
    }
}
