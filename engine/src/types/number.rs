//! DynamoDB numbers: exact decimals of up to 38 significant digits, magnitude 1E-130 to
//! 9.9999999999999999999999999999999999999E+125 (never `f64`).
//!
//! A number is kept normalised as `sign × coefficient × 10^exponent` with no trailing zeros in
//! the coefficient, so equal values have equal representations and `Eq`/`Hash` are derived.
//! 38 decimal digits fit in a `u128` (10^38 < 2^127), which keeps the type small and fast and
//! saves the wasm bundle a big-number crate.

use std::cmp::Ordering;
use std::fmt;

/// Most significant digits DynamoDB stores.
pub(crate) const MAX_DIGITS: usize = 38;
/// Largest decimal exponent of the leading digit.
pub(crate) const MAX_ADJUSTED_EXPONENT: i64 = 125;
/// Smallest decimal exponent of the leading digit.
pub(crate) const MIN_ADJUSTED_EXPONENT: i64 = -130;

/// Why a string is not a DynamoDB number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not numeric at all (the empty string included).
    NotNumeric,
    /// More than 38 significant digits.
    TooPrecise,
    /// Magnitude above 9.99…E+125.
    Overflow,
    /// Magnitude below 1E-130 (but not zero).
    Underflow,
}

impl NumberError {
    /// DynamoDB's message for this error, given the offending text, as its older value layer
    /// words it (a text that is empty gets no colon).
    pub fn message(&self, text: &str) -> String {
        match self {
            Self::NotNumeric if text.is_empty() => {
                "The parameter cannot be converted to a numeric value".into()
            }
            Self::NotNumeric => format!("The parameter cannot be converted to a numeric value: {text}"),
            Self::TooPrecise => "Attempting to store more than 38 significant digits in a Number".into(),
            Self::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range"
                    .into()
            }
            Self::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range"
                    .into()
            }
        }
    }
}

impl NumberError {
    /// [`NumberError::message`] as DynamoDB's current value layer words it: an empty text
    /// keeps its colon and space.
    pub fn current_message(&self, text: &str) -> String {
        match self {
            Self::NotNumeric => format!("The parameter cannot be converted to a numeric value: {text}"),
            other => other.message(text),
        }
    }
}

/// An optional sign at `bytes[*i]`, stepped over: whether it is `-`.
fn sign(bytes: &[u8], i: &mut usize) -> bool {
    match bytes.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    }
}

/// An exact DynamoDB number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Number {
    negative: bool,
    /// No trailing zeros; zero only for the number zero.
    coefficient: u128,
    exponent: i32,
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number { negative: false, coefficient: 0, exponent: 0 };

    /// Parses DynamoDB's number syntax: optional sign, digits with an optional point, optional
    /// exponent (`-1.5E+3`, `.5`, `5.`, `+7`).
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let negative = sign(bytes, &mut i);
        // Significant digits, leading zeros dropped; `scale` counts digits after the point.
        let mut digits: Vec<u8> = Vec::new();
        let mut seen_digit = false;
        let mut seen_point = false;
        let mut scale: i64 = 0;
        while i < bytes.len() {
            match bytes[i] {
                b @ b'0'..=b'9' => {
                    seen_digit = true;
                    if seen_point {
                        scale += 1;
                    }
                    if b != b'0' || !digits.is_empty() {
                        digits.push(b - b'0');
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !seen_digit {
            return Err(NumberError::NotNumeric);
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() {
            if bytes[i] != b'e' && bytes[i] != b'E' {
                return Err(NumberError::NotNumeric);
            }
            i += 1;
            let exp_negative = sign(bytes, &mut i);
            let start = i;
            let mut too_long = false;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                // An exponent past a 64-bit integer cannot be converted at all; anything below
                // that but this large over/underflows, so it saturates.
                match exponent.checked_mul(10).and_then(|e| e.checked_add(i64::from(bytes[i] - b'0'))) {
                    Some(e) => exponent = e,
                    None => too_long = true,
                }
                i += 1;
            }
            if i == start || i != bytes.len() || too_long {
                return Err(NumberError::NotNumeric);
            }
            exponent = exponent.min(1 << 40);
            if exp_negative {
                exponent = -exponent;
            }
        }
        if digits.is_empty() {
            // Zero is range-checked by the exponent it is written with (`0e126` overflows).
            return Self::check_zero(exponent - scale);
        }
        Self::from_digits(negative, digits, exponent - scale)
    }

    fn check_zero(exponent: i64) -> Result<Number, NumberError> {
        if exponent > MAX_ADJUSTED_EXPONENT {
            Err(NumberError::Overflow)
        } else if exponent < MIN_ADJUSTED_EXPONENT {
            Err(NumberError::Underflow)
        } else {
            Ok(Self::ZERO)
        }
    }

    /// Parses a number as Java's `BigDecimal` reads a string, which DynamoDB's older value
    /// layer (and PartiQL's parameters) do: the text must be digits with at most one point and
    /// an optional exponent, the exponent and the scale (digits after the point less the
    /// exponent) must each fit a 32-bit integer, and the magnitude check works on precision
    /// less scale in 32-bit arithmetic, so `1e2147483647` wraps round to an underflow.
    pub fn parse_big_decimal(text: &str) -> Result<Number, NumberError> {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
        let points = mantissa.bytes().filter(|b| *b == b'.').count();
        let exponent_digits = exponent.map(|e| e.strip_prefix(['-', '+']).unwrap_or(e));
        if digits == 0
            || points > 1
            || digits + points != mantissa.len()
            || exponent_digits.is_some_and(|e| e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(NumberError::NotNumeric);
        }
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let Ok(exponent) = exponent.map_or(Ok(0), str::parse::<i64>) else {
            return Err(NumberError::NotNumeric);
        };
        let (Ok(_), Ok(scale)) = (i32::try_from(exponent), i32::try_from(fraction.len() as i64 - exponent))
        else {
            return Err(NumberError::NotNumeric);
        };
        match Self::parse(text) {
            Err(NumberError::Overflow) => {
                let precision = format!("{whole}{fraction}").trim_start_matches('0').len().max(1) as i32;
                if precision.wrapping_sub(scale) < 0 {
                    Err(NumberError::Underflow)
                } else {
                    Err(NumberError::Overflow)
                }
            }
            other => other,
        }
    }

    /// Builds a number from decimal digits (most significant first, no leading zeros) times
    /// `10^exponent`, enforcing DynamoDB's precision and range.
    fn from_digits(negative: bool, mut digits: Vec<u8>, mut exponent: i64) -> Result<Number, NumberError> {
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Ok(Self::ZERO);
        }
        if digits.len() > MAX_DIGITS {
            return Err(NumberError::TooPrecise);
        }
        let adjusted = exponent + digits.len() as i64 - 1;
        if adjusted > MAX_ADJUSTED_EXPONENT {
            return Err(NumberError::Overflow);
        }
        if adjusted < MIN_ADJUSTED_EXPONENT {
            return Err(NumberError::Underflow);
        }
        let coefficient = digits.iter().fold(0u128, |acc, &d| acc * 10 + u128::from(d));
        Ok(Number { negative, coefficient, exponent: exponent as i32 })
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.coefficient == 0
    }

    /// Count of significant digits (1 for zero).
    fn digit_count(&self) -> i64 {
        // Most numbers fit 64 bits, whose ilog10 needs no 128-bit division (item sizes are
        // computed on every read and write).
        match u64::try_from(self.coefficient) {
            Ok(0) => 1,
            Ok(small) => i64::from(small.ilog10()) + 1,
            Err(_) => i64::from(self.coefficient.ilog10()) + 1,
        }
    }

    /// Exponent of the leading digit.
    fn adjusted_exponent(&self) -> i64 {
        i64::from(self.exponent) + self.digit_count() - 1
    }

    /// The sign, the coefficient (no trailing zeros) and the exponent of the leading digit:
    /// the form `types::stored` writes numbers in.
    pub(crate) fn parts(&self) -> (bool, u128, i64) {
        (self.negative, self.coefficient, self.adjusted_exponent())
    }

    /// The number `parts` gave; `None` if they are not a DynamoDB number's.
    pub(crate) fn from_parts(negative: bool, coefficient: u128, adjusted: i64) -> Option<Number> {
        if coefficient == 0 {
            return Some(Self::ZERO);
        }
        if coefficient % 10 == 0 || !(MIN_ADJUSTED_EXPONENT..=MAX_ADJUSTED_EXPONENT).contains(&adjusted) {
            return None;
        }
        let mut n = Number { negative, coefficient, exponent: 0 };
        let digits = n.digit_count();
        if digits > MAX_DIGITS as i64 {
            return None;
        }
        n.exponent = i32::try_from(adjusted - digits + 1).ok()?;
        Some(n)
    }

    /// The number negated.
    pub fn negated(&self) -> Number {
        if self.is_zero() {
            *self
        } else {
            Number { negative: !self.negative, ..*self }
        }
    }

    /// `self + other`, exact, or the error DynamoDB gives when the sum cannot be stored.
    pub fn checked_add(&self, other: &Number) -> Result<Number, NumberError> {
        if other.is_zero() {
            return Ok(*self);
        }
        if self.is_zero() {
            return Ok(*other);
        }
        // Align both coefficients to the smaller exponent as little-endian digit vectors.
        let base = self.exponent.min(other.exponent);
        let a = Self::aligned_digits(self, base);
        let b = Self::aligned_digits(other, base);
        let (negative, digits) = if self.negative == other.negative {
            (self.negative, add_magnitudes(&a, &b))
        } else {
            match compare_magnitudes(&a, &b) {
                Ordering::Equal => return Ok(Self::ZERO),
                Ordering::Greater => (self.negative, sub_magnitudes(&a, &b)),
                Ordering::Less => (other.negative, sub_magnitudes(&b, &a)),
            }
        };
        let mut big_endian: Vec<u8> = digits.into_iter().rev().skip_while(|&d| d == 0).collect();
        if big_endian.is_empty() {
            big_endian.push(0);
        }
        Self::from_digits(negative, big_endian, i64::from(base))
    }

    /// `self - other`.
    pub fn checked_sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.checked_add(&other.negated())
    }

    /// Little-endian digits of the magnitude scaled to `10^base` (`base <= exponent`).
    fn aligned_digits(n: &Number, base: i32) -> Vec<u8> {
        let shift = (n.exponent - base) as usize;
        let mut digits = vec![0u8; shift];
        let mut c = n.coefficient;
        while c > 0 {
            digits.push((c % 10) as u8);
            c /= 10;
        }
        digits
    }

    /// Bytes this number counts for in an item's size: one per two significant digits (pairs
    /// aligned on the decimal point, as DynamoDB stores base-100 digits), plus one for the
    /// exponent, plus one if negative.
    pub fn size(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        let high = self.adjusted_exponent();
        let low = i64::from(self.exponent);
        let pairs = high.div_euclid(2) - low.div_euclid(2) + 1;
        1 + pairs as usize + usize::from(self.negative)
    }

    /// The number times 1000, truncated toward zero, if it fits an `i64` (epoch seconds of a
    /// Time to Live attribute as engine milliseconds).
    pub fn to_millis(&self) -> Option<i64> {
        let exponent = self.exponent + 3;
        let scaled = if exponent >= 0 {
            self.coefficient.checked_mul(10u128.checked_pow(exponent as u32)?)?
        } else {
            10u128.checked_pow(exponent.unsigned_abs()).map_or(0, |d| self.coefficient / d)
        };
        let v = i64::try_from(scaled).ok()?;
        Some(if self.negative { -v } else { v })
    }

    /// The nearest `f64` (vector indexes store their vectors as 32-bit floats): exact for
    /// up to 15 digits at moderate exponents, within a rounding or two beyond. Computed from the
    /// coefficient and a power of ten, so no decimal text is parsed (a float parser would bring
    /// its tables into the wasm).
    pub fn to_f64(&self) -> f64 {
        let c = self.coefficient as f64;
        // 10^k is exact in f64 up to k = 22: divide by it rather than multiply by 10^-k.
        let v =
            if self.exponent >= 0 { c * 10f64.powi(self.exponent) } else { c / 10f64.powi(-self.exponent) };
        if self.negative {
            -v
        } else {
            v
        }
    }

    /// A whole number.
    pub fn from_i64(v: i64) -> Number {
        let negative = v < 0;
        let mut coefficient = u128::from(v.unsigned_abs());
        let mut exponent = 0;
        while coefficient != 0 && coefficient % 10 == 0 {
            coefficient /= 10;
            exponent += 1;
        }
        Number { negative: negative && coefficient != 0, coefficient, exponent }
    }

    fn cmp_magnitude(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.adjusted_exponent().cmp(&other.adjusted_exponent()).then_with(|| {
            // Same leading position: scale to a common exponent; both stay within 38 digits.
            let base = self.exponent.min(other.exponent);
            let a = self.coefficient * 10u128.pow((self.exponent - base) as u32);
            let b = other.coefficient * 10u128.pow((other.exponent - base) as u32);
            a.cmp(&b)
        })
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |n: &Number| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if self.negative => other.cmp_magnitude(self),
            Ordering::Equal => self.cmp_magnitude(other),
            unequal => unequal,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Plain notation with no exponent and no trailing zeros, as DynamoDB returns numbers.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buffer = [0u8; 40];
        let digits = decimal_digits(self.coefficient, &mut buffer);
        let mut written = Ok(());
        write_decimal(self.negative, digits.as_bytes(), self.exponent.into(), &mut |piece| {
            // Every piece is ASCII: a sign, digits, zeros or a point.
            if written.is_ok() {
                written = f.write_str(std::str::from_utf8(piece).unwrap_or_default());
            }
        });
        written
    }
}

/// The text of the number `digits` × 10^`exponent` (`digits`: ASCII, no leading zero; "0" for
/// zero), in [`Number`]'s notation, handed to `put` piece by piece: shared by `Display` and
/// the writer of stored numbers (`stored::write_number_text`).
pub(crate) fn write_decimal(negative: bool, digits: &[u8], exponent: i64, put: &mut dyn FnMut(&[u8])) {
    let zeros = |put: &mut dyn FnMut(&[u8]), n: usize| (0..n).for_each(|_| put(b"0"));
    if negative {
        put(b"-");
    }
    if exponent >= 0 {
        put(digits);
        if digits != b"0" {
            zeros(put, exponent as usize);
        }
        return;
    }
    let fraction = exponent.unsigned_abs() as usize;
    if fraction < digits.len() {
        let (int, frac) = digits.split_at(digits.len() - fraction);
        put(int);
        put(b".");
        put(frac);
    } else {
        put(b"0.");
        zeros(put, fraction - digits.len());
        put(digits);
    }
}

/// `value`'s decimal digits, written into the end of `buffer` (39 digits at most) without
/// allocating; u64 arithmetic once the value fits, as wasm has no 128-bit division.
fn decimal_digits(mut value: u128, buffer: &mut [u8; 40]) -> &str {
    let mut at = buffer.len();
    while u64::try_from(value).is_err() {
        at -= 1;
        buffer[at] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    let mut small = value as u64;
    loop {
        at -= 1;
        buffer[at] = b'0' + (small % 10) as u8;
        small /= 10;
        if small == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[at..]).unwrap_or("0")
}

fn add_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0;
    for i in 0..a.len().max(b.len()) {
        let s = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out
}

/// `a - b` for little-endian magnitudes with `a >= b`.
fn sub_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for (i, &da) in a.iter().enumerate() {
        let mut d = da as i8 - b.get(i).copied().unwrap_or(0) as i8 - borrow;
        borrow = i8::from(d < 0);
        if d < 0 {
            d += 10;
        }
        out.push(d as u8);
    }
    out
}

fn compare_magnitudes(a: &[u8], b: &[u8]) -> Ordering {
    let significant = |v: &[u8]| v.iter().rposition(|&d| d != 0).map_or(0, |p| p + 1);
    let (la, lb) = (significant(a), significant(b));
    la.cmp(&lb).then_with(|| a[..la].iter().rev().cmp(b[..lb].iter().rev()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn decimal_digits_are_the_standard_librarys() {
        let max64 = u128::from(u64::MAX);
        for value in [0, 7, 10, 1_234_567_890, max64 - 1, max64, max64 + 1, 10u128.pow(38) - 1, u128::MAX] {
            assert_eq!(decimal_digits(value, &mut [0; 40]), value.to_string());
        }
    }

    #[test]
    fn parses_and_normalises() {
        for (input, out) in [
            ("0", "0"),
            ("-0", "0"),
            ("1.0", "1"),
            ("3.1400", "3.14"),
            ("1.5E+2", "150"),
            ("1e2", "100"),
            ("007", "7"),
            (".5", "0.5"),
            ("5.", "5"),
            ("+42", "42"),
            ("-0.000120", "-0.00012"),
            ("1E-130", &format!("0.{}1", "0".repeat(129))),
            ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ] {
            assert_eq!(n(input).to_string(), out, "{input}");
        }
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        assert_eq!(Number::parse(""), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("abc"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("1e"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("1.2.3"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse(" 1"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("."), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("123456789012345678901234567890123456789"), Err(NumberError::TooPrecise));
        assert_eq!(Number::parse("1E+126"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("-1E+126"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("1E-131"), Err(NumberError::Underflow));
        // An exponent past a 64-bit integer cannot be converted; one inside it is range-checked,
        // zero included (Parity Suite, eu-west-2, October 2026).
        assert_eq!(Number::parse("1e99999999999999999999"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse("1e2147483647"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("0e126"), Err(NumberError::Overflow));
        assert_eq!(Number::parse("0e-131"), Err(NumberError::Underflow));
        assert_eq!(Number::parse("0e125"), Ok(Number::ZERO));
        // As Java's BigDecimal reads it: the exponent and scale must fit an int, and the
        // magnitude check wraps.
        assert_eq!(Number::parse_big_decimal("1e2147483648"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse_big_decimal("1.5e-2147483647"), Err(NumberError::NotNumeric));
        assert_eq!(Number::parse_big_decimal("1e2147483647"), Err(NumberError::Underflow));
        assert_eq!(Number::parse_big_decimal("1e126"), Err(NumberError::Overflow));
        assert_eq!(Number::parse_big_decimal("-.5e3"), Number::parse("-500"));
        assert_eq!(Number::parse_big_decimal(" 1"), Err(NumberError::NotNumeric));
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        // Trailing zeros are not significant.
        assert!(Number::parse(&format!("1{}", "0".repeat(60))).is_ok());
    }

    #[test]
    fn orders_numerically() {
        let mut v: Vec<Number> =
            ["10", "-2", "0", "2", "-10.5", "1E-130", "9E+125", "0.3"].iter().map(|s| n(s)).collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s[..6], ["-10.5", "-2", "0", &format!("0.{}1", "0".repeat(129)), "0.3", "2"]);
        assert_eq!(n("1.50"), n("1.5"));
        assert!(n("-1") < n("-0.5"));
    }

    #[test]
    fn adds_exactly() {
        assert_eq!(n("0.1").checked_add(&n("0.2")).unwrap(), n("0.3"));
        assert_eq!(n("1E+38").checked_sub(&n("1")).unwrap().to_string(), "9".repeat(38));
        assert_eq!(n("5").checked_sub(&n("7.5")).unwrap(), n("-2.5"));
        assert_eq!(n("-5").checked_add(&n("5")).unwrap(), Number::ZERO);
        assert_eq!(n("1E+100").checked_add(&n("1")), Err(NumberError::TooPrecise));
        assert_eq!(n("9E+125").checked_add(&n("9E+125")), Err(NumberError::Overflow));
    }

    #[test]
    fn sizes_follow_base_100_digits() {
        assert_eq!(n("0").size(), 1);
        assert_eq!(n("5").size(), 2);
        assert_eq!(n("12").size(), 2);
        assert_eq!(n("123").size(), 3);
        assert_eq!(n("1.2").size(), 3);
        assert_eq!(n("-5").size(), 3);
        assert_eq!(n("100").size(), 2);
        assert_eq!(n("12345678901234567890123456789012345678").size(), 20);
    }
}
