//! The price table the capacity calculator uses unless a request brings its own: DynamoDB
//! Standard table class, us-east-1, in exact decimal text (money is never a float here).
//!
//! Checked on 2026-12-03 against AWS's pricing pages (<https://aws.amazon.com/dynamodb/pricing/provisioned/>
//! and <https://aws.amazon.com/dynamodb/pricing/on-demand/>): provisioned capacity is billed per
//! capacity-unit hour, on-demand per million request units (the on-demand prices are those in
//! force since AWS halved them on 2024-11-01). Storage is billed per GB-month; the first 25 GB
//! a month are free, which the calculator leaves out (it prices the workload, not the account).
//! When AWS changes a price, change it here, with the date.

/// When the table was last checked against AWS's pricing pages.
pub(crate) const DATE: &str = "2026-12-03";
/// The Region the defaults are for.
pub(crate) const REGION: &str = "us-east-1";
/// Where the figures come from.
pub(crate) const SOURCE: &str =
    "https://aws.amazon.com/dynamodb/pricing/ (provisioned and on-demand capacity, Standard table class)";

/// Dollars per provisioned RCU per hour.
pub(crate) const READ_CAPACITY_UNIT_HOUR: &str = "0.00013";
/// Dollars per provisioned WCU per hour.
pub(crate) const WRITE_CAPACITY_UNIT_HOUR: &str = "0.00065";
/// Dollars per million on-demand read request units.
pub(crate) const READ_REQUEST_UNITS_PER_MILLION: &str = "0.125";
/// Dollars per million on-demand write request units.
pub(crate) const WRITE_REQUEST_UNITS_PER_MILLION: &str = "0.625";
/// Dollars per GB-month of storage.
pub(crate) const STORAGE_GB_MONTH: &str = "0.25";
/// Hours in the month the calculator prices (AWS's own examples use 720 = 30 days).
pub(crate) const HOURS_PER_MONTH: u64 = 720;

/// Nano-dollars (10⁻⁹ $): every price above is a whole number of them, so sums and products
/// are exact integers.
pub(crate) type Nanos = i128;

/// A price table in nano-dollars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Prices {
    pub read_capacity_unit_hour: Nanos,
    pub write_capacity_unit_hour: Nanos,
    pub read_request_units_per_million: Nanos,
    pub write_request_units_per_million: Nanos,
    pub storage_gb_month: Nanos,
    pub hours_per_month: u64,
}

impl Default for Prices {
    fn default() -> Self {
        // The constants are well-formed decimals (a unit test parses them).
        let n = |text: &str| parse_dollars(text).unwrap_or_default();
        Self {
            read_capacity_unit_hour: n(READ_CAPACITY_UNIT_HOUR),
            write_capacity_unit_hour: n(WRITE_CAPACITY_UNIT_HOUR),
            read_request_units_per_million: n(READ_REQUEST_UNITS_PER_MILLION),
            write_request_units_per_million: n(WRITE_REQUEST_UNITS_PER_MILLION),
            storage_gb_month: n(STORAGE_GB_MONTH),
            hours_per_month: HOURS_PER_MONTH,
        }
    }
}

/// Decimal dollars (`"0.00013"`, `"12"`, at most 9 decimal places, at most 12 whole digits)
/// as nano-dollars; `None` for anything else (signs, exponents, blanks).
pub(crate) fn parse_dollars(text: &str) -> Option<Nanos> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || fraction.len() > 9 || !digits(whole) || !digits(fraction) {
        return None;
    }
    if text.ends_with('.') {
        return None;
    }
    let mut nanos: Nanos = 0;
    for b in whole.bytes() {
        nanos = nanos * 10 + Nanos::from(b - b'0');
    }
    let mut scale = 1_000_000_000;
    for b in fraction.bytes() {
        scale /= 10;
        nanos = nanos * 10 + Nanos::from(b - b'0');
    }
    // `nanos` holds whole·10^len(fraction) + fraction; bring it to 10⁻⁹.
    Some(nanos * scale)
}

/// Nano-dollars as exact decimal dollars, trailing zeros dropped but at least two decimals
/// (`130000` → `"0.00013"`, `9_360_000_000` → `"9.36"`, `23_400_000_000` → `"23.40"`).
pub(crate) fn exact_dollars(nanos: Nanos) -> String {
    let whole = nanos / 1_000_000_000;
    let mut fraction = format!("{:09}", nanos % 1_000_000_000);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    format!("{whole}.{fraction}")
}

/// Nano-dollars rounded half up to cents (`"9.36"`, `"81.00"`), as a bill shows them.
pub(crate) fn cents(nanos: Nanos) -> String {
    let cents = (nanos + 5_000_000) / 10_000_000;
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_parses_and_prints_back() {
        let p = Prices::default();
        assert_eq!(p.read_capacity_unit_hour, 130_000);
        assert_eq!(p.write_capacity_unit_hour, 650_000);
        assert_eq!(p.read_request_units_per_million, 125_000_000);
        assert_eq!(p.write_request_units_per_million, 625_000_000);
        assert_eq!(p.storage_gb_month, 250_000_000);
        assert_eq!(exact_dollars(p.read_capacity_unit_hour), READ_CAPACITY_UNIT_HOUR);
        assert_eq!(exact_dollars(p.write_request_units_per_million), WRITE_REQUEST_UNITS_PER_MILLION);
    }

    #[test]
    fn dollars_parse_exactly_or_not_at_all() {
        assert_eq!(parse_dollars("12"), Some(12_000_000_000));
        assert_eq!(parse_dollars("0.000000001"), Some(1));
        for bad in ["", ".5", "5.", "-1", "1e3", "0.0000000001", "1,5", " 1", "1234567890123"] {
            assert_eq!(parse_dollars(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cents_round_half_up() {
        assert_eq!(cents(9_360_000_000), "9.36");
        assert_eq!(cents(23_400_000_000), "23.40");
        assert_eq!(cents(4_999_999), "0.00");
        assert_eq!(cents(5_000_000), "0.01");
        assert_eq!(exact_dollars(23_400_000_000), "23.40");
    }
}
