//! The compact byte form items are stored in (`storage::ItemStore`). An item held as a tree
//! of `AttributeValue`s cost eleven times its DynamoDB size — a B-tree node of 11 slots for
//! its attributes, a `String` per name and value, another node for its partition — where these
//! bytes, one allocation per item, cost 1.24× (engine/benches/memory.rs).
//!
//! Two encodings:
//! - *key bytes* ([`put_key_value`]) compare, as plain bytes, in the order DynamoDB orders the
//!   keys they encode, so the store's tree compares keys with one `memcmp` and a Query's range
//!   is a byte range. Strings and binaries are escaped (`0x00` → `0x01 0x01`, `0x01` →
//!   `0x01 0x02`) and end in `0x00`; numbers are written by magnitude ([`put_number`]).
//! - *attribute bytes* ([`put_item`]) are the rest of an item: each attribute's name, a type
//!   tag and its value, lengths as LEB128 varints. Read back by [`read_item`], or written
//!   straight to JSON text by [`write_item_json`].
//!
//! Reading never panics: the bytes are the engine's own, but a [`Reader`] past the end reads
//! zeros, so a bug shows as a wrong value in a test rather than a crash in a page.

use super::key::{KeyTuple, TupleEnd};
use super::number::{write_decimal, MAX_ADJUSTED_EXPONENT, MAX_DIGITS, MIN_ADJUSTED_EXPONENT};
use super::{AttributeValue, Item, KeyValue, Number};

mod json;
pub(crate) use json::write_item as write_item_json;

/// Appends `n` as an LEB128 varint (7 bits a byte, low first).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A cursor over stored bytes.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The next byte (zero past the end).
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => 0,
        }
    }

    /// The next `n` bytes (fewer past the end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.rest.split_at(n.min(self.rest.len()));
        self.rest = rest;
        taken
    }

    /// An LEB128 varint.
    pub fn varint(&mut self) -> usize {
        let mut n = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.byte();
            n |= usize::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        n
    }

    /// A big-endian u64 (partition tokens).
    pub fn u64(&mut self) -> u64 {
        self.take(8).iter().fold(0, |n, &b| (n << 8) | u64::from(b))
    }
}

// ---- Key bytes: ordered as the keys they encode ----------------------------------------------

/// Type tags of key values, in `KeyValue`'s order (S < N < B < Tuple). Zero is left to mark
/// "no value" (an absent sort key), which sorts first as `None` does.
const KEY_S: u8 = 1;
const KEY_N: u8 = 2;
const KEY_B: u8 = 3;
const KEY_TUPLE: u8 = 4;
/// What ends a multi-attribute key's components: a whole key or a lower bound sorts before
/// the longer keys it begins (`0x00` is below every tag), an upper bound after them.
const TUPLE_LOW: u8 = 0x00;
const TUPLE_HIGH: u8 = 0xFF;

/// Appends a key value's ordered bytes.
pub(crate) fn put_key_value(out: &mut Vec<u8>, value: &KeyValue) {
    match value {
        KeyValue::S(s) => {
            out.push(KEY_S);
            put_escaped(out, s.as_bytes());
        }
        KeyValue::N(n) => {
            out.push(KEY_N);
            put_number(out, n);
        }
        KeyValue::B(b) => {
            out.push(KEY_B);
            put_escaped(out, b);
        }
        KeyValue::Tuple(t) => {
            out.push(KEY_TUPLE);
            for part in &t.parts {
                put_key_value(out, part);
            }
            out.push(if t.end == TupleEnd::Low { TUPLE_LOW } else { TUPLE_HIGH });
        }
    }
}

/// Appends an optional key value (a sort key): `0x00` for none.
pub(crate) fn put_optional_key_value(out: &mut Vec<u8>, value: Option<&KeyValue>) {
    match value {
        Some(v) => put_key_value(out, v),
        None => out.push(0),
    }
}

/// Reads what [`put_key_value`] wrote.
pub(crate) fn read_key_value(r: &mut Reader<'_>) -> KeyValue {
    read_tagged_key_value(r.byte(), r).unwrap_or(KeyValue::S(String::new()))
}

/// Reads what [`put_optional_key_value`] wrote.
pub(crate) fn read_optional_key_value(r: &mut Reader<'_>) -> Option<KeyValue> {
    read_tagged_key_value(r.byte(), r)
}

fn read_tagged_key_value(tag: u8, r: &mut Reader<'_>) -> Option<KeyValue> {
    match tag {
        KEY_S => Some(KeyValue::S(into_string(read_escaped(r)))),
        KEY_N => Some(KeyValue::N(read_number(r))),
        KEY_B => Some(KeyValue::B(read_escaped(r))),
        KEY_TUPLE => {
            let mut parts = Vec::new();
            loop {
                match r.byte() {
                    TUPLE_LOW => break Some(KeyValue::Tuple(KeyTuple::low(parts))),
                    TUPLE_HIGH => break Some(KeyValue::Tuple(KeyTuple::high(parts))),
                    tag => parts.push(read_tagged_key_value(tag, r)?),
                }
            }
        }
        _ => None,
    }
}

/// One key value's bytes as [`put_key_value`] wrote them (its tag first), read past.
pub(crate) fn key_value_bytes<'a>(r: &mut Reader<'a>) -> &'a [u8] {
    let start = r.rest();
    skip_key_value(r);
    &start[..start.len() - r.rest().len()]
}

/// [`key_value_bytes`] of what [`put_optional_key_value`] wrote: `None` for no value.
pub(crate) fn optional_key_value_bytes<'a>(r: &mut Reader<'a>) -> Option<&'a [u8]> {
    if r.rest().first() == Some(&0) {
        r.byte();
        return None;
    }
    Some(key_value_bytes(r))
}

/// Skips one key value [`put_key_value`] wrote.
pub(crate) fn skip_key_value(r: &mut Reader<'_>) {
    skip_tagged_key_value(r.byte(), r);
}

fn skip_tagged_key_value(tag: u8, r: &mut Reader<'_>) {
    match tag {
        KEY_S | KEY_B => {
            // An escape's second byte is never zero.
            while r.byte() != 0 {}
        }
        KEY_N => {
            let class = r.byte();
            if class != ZERO {
                r.take(2);
                let end = if class == NEGATIVE { !0 } else { 0 };
                while !r.is_empty() && r.byte() != end {}
            }
        }
        KEY_TUPLE => loop {
            match r.byte() {
                TUPLE_LOW | TUPLE_HIGH => break,
                tag => skip_tagged_key_value(tag, r),
            }
        },
        _ => {}
    }
}

/// Bytes with `0x00` escaped as `0x01 0x01` and `0x01` as `0x01 0x02`, then `0x00`: a shorter
/// value sorts before a longer one it begins, and whatever follows the value cannot change its
/// order.
fn put_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        match b {
            0 | 1 => out.extend_from_slice(&[1, b + 1]),
            _ => out.push(b),
        }
    }
    out.push(0);
}

fn read_escaped(r: &mut Reader<'_>) -> Vec<u8> {
    // Most values hold neither escaped byte: copied at once, up to their end mark.
    let plain = r.rest().iter().position(|&b| b <= 1);
    if let Some(len) = plain.filter(|&len| r.rest()[len] == 0) {
        let bytes = r.take(len).to_vec();
        r.byte();
        return bytes;
    }
    let mut bytes = Vec::new();
    loop {
        match r.byte() {
            0 => break bytes,
            1 => bytes.push(r.byte().saturating_sub(1)),
            b => bytes.push(b),
        }
    }
}

/// Classes of numbers, in order.
const NEGATIVE: u8 = 1;
const ZERO: u8 = 2;
const POSITIVE: u8 = 3;

/// Appends a number so that the bytes of two numbers compare as the numbers do: its class
/// (negative, zero, positive), then — for a positive number — the exponent of its leading
/// digit (two bytes, big-endian, offset by 2^15) and its digits two to a byte (`1 + 10a + b`,
/// a last odd digit as `1 + 10a`) ending in `0x00`. A negative number writes the bytes of
/// its magnitude inverted, so a larger magnitude sorts first.
pub(crate) fn put_number(out: &mut Vec<u8>, n: &Number) {
    let (negative, coefficient, adjusted) = n.parts();
    if coefficient == 0 {
        out.push(ZERO);
        return;
    }
    out.push(if negative { NEGATIVE } else { POSITIVE });
    let start = out.len();
    let exponent = (adjusted + 0x8000).clamp(0, 0xFFFF) as u16;
    out.extend_from_slice(&exponent.to_be_bytes());
    let mut digits = [0u8; 40];
    let mut len = 0;
    let mut c = coefficient;
    while c > 0 && len < digits.len() {
        digits[len] = (c % 10) as u8;
        c /= 10;
        len += 1;
    }
    digits[..len].reverse();
    for pair in digits[..len].chunks(2) {
        out.push(1 + 10 * pair[0] + pair.get(1).copied().unwrap_or(0));
    }
    out.push(0);
    if negative {
        for b in &mut out[start..] {
            *b = !*b;
        }
    }
}

/// Reads what [`put_number`] wrote as its sign, its digits (ASCII in `buffer`: no leading or
/// trailing zero, at most 38) and the exponent of its leading digit; `None` for zero, and for
/// bytes no number wrote (a pair over 99, a leading zero, over 38 digits, an exponent out of
/// DynamoDB's range: only damaged storage could hold them), which read as zero. Every byte of
/// the number is read either way.
fn read_digits<'b>(r: &mut Reader<'_>, buffer: &'b mut [u8; 40]) -> Option<(bool, &'b [u8], i64)> {
    let class = r.byte();
    if class != NEGATIVE && class != POSITIVE {
        return None;
    }
    let flip = if class == NEGATIVE { 0xFF } else { 0 };
    let adjusted = i64::from(u16::from_be_bytes([r.byte() ^ flip, r.byte() ^ flip])) - 0x8000;
    let (mut len, mut valid) = (0, true);
    while !r.is_empty() {
        let b = r.byte() ^ flip;
        if b == 0 {
            break;
        }
        let pair = b - 1;
        valid &= pair < 100 && len + 2 <= buffer.len();
        if valid {
            buffer[len] = b'0' + pair / 10;
            buffer[len + 1] = b'0' + pair % 10;
            len += 2;
        }
    }
    // A last pair ending in 0 held one digit: coefficients have no trailing zeros.
    if len > 0 && buffer[len - 1] == b'0' {
        len -= 1;
    }
    let digits = &buffer[..len];
    let valid = valid
        && digits.first().is_some_and(|&d| d != b'0')
        && digits.last().is_some_and(|&d| d != b'0')
        && len <= MAX_DIGITS
        && (MIN_ADJUSTED_EXPONENT..=MAX_ADJUSTED_EXPONENT).contains(&adjusted);
    valid.then_some((class == NEGATIVE, digits, adjusted))
}

/// Writes the text of what [`put_number`] wrote — `Number`'s `Display` of [`read_number`]'s
/// number, byte for byte — straight from its digits: decoding it into a `Number` first (a
/// 128-bit coefficient, divided back into digits to be written) was most of the cost of
/// writing a stored number.
pub(crate) fn write_number_text(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    match read_digits(r, &mut [0; 40]) {
        Some((negative, digits, adjusted)) => {
            let exponent = adjusted - (digits.len() as i64 - 1);
            write_decimal(negative, digits, exponent, &mut |piece| out.extend_from_slice(piece));
        }
        None => out.push(b'0'),
    }
}

/// Reads what [`put_number`] wrote.
pub(crate) fn read_number(r: &mut Reader<'_>) -> Number {
    let mut buffer = [0; 40];
    let Some((negative, digits, adjusted)) = read_digits(r, &mut buffer) else { return Number::ZERO };
    let coefficient = digits.iter().fold(0u128, |c, &d| c * 10 + u128::from(d - b'0'));
    Number::from_parts(negative, coefficient, adjusted).unwrap_or(Number::ZERO)
}

fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A key value as the attribute it came from (a multi-attribute key's as the list of its
/// components, as `KeyValue::to_attribute` gives it: no one attribute holds it).
pub(crate) fn key_attribute(value: KeyValue) -> AttributeValue {
    match value {
        KeyValue::S(s) => AttributeValue::S(s),
        KeyValue::N(n) => AttributeValue::N(n),
        KeyValue::B(b) => AttributeValue::B(b),
        KeyValue::Tuple(t) => AttributeValue::L(t.parts.into_iter().map(key_attribute).collect()),
    }
}

// ---- Attribute bytes: the rest of an item ------------------------------------------------------

/// Type tags of attribute values.
const S: u8 = 1;
const N: u8 = 2;
const B: u8 = 3;
const FALSE: u8 = 4;
const TRUE: u8 = 5;
const NULL: u8 = 6;
const M: u8 = 7;
const L: u8 = 8;
const SS: u8 = 9;
const NS: u8 = 10;
const BS: u8 = 11;

/// The attribute names a store's items use, numbered as first seen: an item's attribute
/// refers to its name by number, so a name is kept once per table or index rather than once
/// per item (in bench/lib/load.mjs's items, 20 of 217 bytes). The first [`MAX_NAMES`] names
/// are numbered; an item writes any later one out in full.
#[derive(Clone, Debug, Default)]
pub(crate) struct AttributeNames {
    /// The names, by number.
    names: Vec<Box<str>>,
    /// The numbers, in the order of their names.
    sorted: Vec<u32>,
}

/// Most names a store numbers: tables have a few dozen, but a table whose items each invent
/// names of their own must not grow the list without end.
const MAX_NAMES: usize = 4096;

impl AttributeNames {
    /// The number of `name`, numbering it if it is new and there is room.
    fn number(&mut self, name: &str) -> Option<usize> {
        match self.sorted.binary_search_by(|&n| (*self.names[n as usize]).cmp(name)) {
            Ok(at) => Some(self.sorted[at] as usize),
            Err(at) if self.names.len() < MAX_NAMES => {
                let number = self.names.len();
                self.names.push(name.into());
                self.sorted.insert(at, number as u32);
                Some(number)
            }
            Err(_) => None,
        }
    }

    /// Writes `name`: its number plus one, or zero and the name.
    fn put(&mut self, out: &mut Vec<u8>, name: &str) {
        match self.number(name) {
            Some(number) => put_varint(out, number + 1),
            None => {
                out.push(0);
                put_bytes(out, name.as_bytes());
            }
        }
    }

    /// Reads what `put` wrote.
    fn read<'a, 'b: 'a>(&'a self, r: &mut Reader<'b>) -> &'a str {
        match r.varint() {
            0 => text(r_bytes(r)),
            number => self.names.get(number - 1).map_or("", |name| name),
        }
    }
}

/// Appends the attributes of `item` not named in `skip` (the key attributes, which the key
/// bytes already hold): name (see [`AttributeNames`]), then value, each in turn, to the end.
pub(crate) fn put_item(out: &mut Vec<u8>, item: &Item, skip: &[&str], names: &mut AttributeNames) {
    for (name, value) in item {
        if !skip.contains(&name.as_str()) {
            names.put(out, name);
            put_value(out, value);
        }
    }
}

/// Reads the attributes [`put_item`] wrote into `item`.
pub(crate) fn read_item(r: &mut Reader<'_>, item: &mut Item, names: &AttributeNames) {
    while !r.is_empty() {
        let name = names.read(r).to_owned();
        item.insert(name, read_value(r));
    }
}

/// Stored text is the engine's own, valid UTF-8; anything else reads as nothing.
fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn r_bytes<'a>(r: &mut Reader<'a>) -> &'a [u8] {
    let len = r.varint();
    r.take(len)
}

fn put_value(out: &mut Vec<u8>, value: &AttributeValue) {
    match value {
        AttributeValue::S(s) => {
            out.push(S);
            put_bytes(out, s.as_bytes());
        }
        AttributeValue::N(n) => {
            out.push(N);
            put_number(out, n);
        }
        AttributeValue::B(b) => {
            out.push(B);
            put_bytes(out, b);
        }
        AttributeValue::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        AttributeValue::Null => out.push(NULL),
        AttributeValue::M(m) => {
            out.push(M);
            put_varint(out, m.len());
            for (name, value) in m {
                put_bytes(out, name.as_bytes());
                put_value(out, value);
            }
        }
        AttributeValue::L(l) => {
            out.push(L);
            put_varint(out, l.len());
            for value in l {
                put_value(out, value);
            }
        }
        AttributeValue::Ss(members) => {
            out.push(SS);
            put_varint(out, members.len());
            for s in members {
                put_bytes(out, s.as_bytes());
            }
        }
        AttributeValue::Ns(members) => {
            out.push(NS);
            put_varint(out, members.len());
            for n in members {
                put_number(out, n);
            }
        }
        AttributeValue::Bs(members) => {
            out.push(BS);
            put_varint(out, members.len());
            for b in members {
                put_bytes(out, b);
            }
        }
    }
}

fn read_value(r: &mut Reader<'_>) -> AttributeValue {
    // Counts are capped by the bytes left, so a wrong count cannot make a huge allocation.
    let count = |r: &mut Reader<'_>| r.varint().min(r.rest().len());
    match r.byte() {
        S => AttributeValue::S(into_string(r_bytes(r).to_vec())),
        N => AttributeValue::N(read_number(r)),
        B => AttributeValue::B(r_bytes(r).to_vec()),
        FALSE => AttributeValue::Bool(false),
        TRUE => AttributeValue::Bool(true),
        M => {
            let mut m = Item::new();
            for _ in 0..count(r) {
                let name = into_string(r_bytes(r).to_vec());
                m.insert(name, read_value(r));
            }
            AttributeValue::M(m)
        }
        L => {
            let n = count(r);
            AttributeValue::L((0..n).map(|_| read_value(r)).collect())
        }
        SS => {
            let n = count(r);
            AttributeValue::Ss((0..n).map(|_| into_string(r_bytes(r).to_vec())).collect())
        }
        NS => {
            let n = count(r);
            AttributeValue::Ns((0..n).map(|_| read_number(r)).collect())
        }
        BS => {
            let n = count(r);
            AttributeValue::Bs((0..n).map(|_| r_bytes(r).to_vec()).collect())
        }
        _ => AttributeValue::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::item_from_json;
    use std::cmp::Ordering;

    fn key_bytes(v: &KeyValue) -> Vec<u8> {
        let mut out = Vec::new();
        put_key_value(&mut out, v);
        out
    }

    fn numbers() -> Vec<Number> {
        let texts = [
            "0",
            "1",
            "-1",
            "10",
            "-10",
            "1.5",
            "-1.5",
            "15",
            "2",
            "0.001",
            "-0.001",
            "100",
            "101",
            "1.01",
            "1.001",
            "9",
            "99",
            "999999",
            "1000000",
            "123456789012345678901234567890123456",
            "-123456789012345678901234567890123456",
            "1E+125",
            "9.9999999999999999999999999999999999999E+125",
            "1E-130",
            "-1E-130",
            "-9.9999999999999999999999999999999999999E+125",
            "12",
            "1201",
            "1.2",
            "0.5",
            "-0.5",
            "5E-7",
            "42",
            "-42",
            "3.14159",
        ];
        texts.iter().map(|t| Number::parse(t).unwrap()).collect()
    }

    #[test]
    fn numbers_round_trip_and_order_as_numbers() {
        let all = numbers();
        for a in &all {
            let bytes = key_bytes(&KeyValue::N(*a));
            assert_eq!(read_key_value(&mut Reader::new(&bytes)), KeyValue::N(*a), "{a}");
            let mut skipped = Reader::new(&bytes);
            skip_key_value(&mut skipped);
            assert!(skipped.is_empty(), "{a}");
            for b in &all {
                assert_eq!(bytes.cmp(&key_bytes(&KeyValue::N(*b))), a.cmp(b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn a_stored_number_is_written_as_its_number_displays() {
        // Both ways must write the same text and read the same bytes, for every number and for
        // bytes no number wrote (zero both ways).
        let same = |bytes: &[u8], what: &str| {
            let (mut direct, mut decoded) = (Reader::new(bytes), Reader::new(bytes));
            let mut text = Vec::new();
            write_number_text(&mut text, &mut direct);
            let number = read_number(&mut decoded);
            assert_eq!(String::from_utf8(text).unwrap(), number.to_string(), "{what}: {bytes:?}");
            assert_eq!(direct.rest(), decoded.rest(), "{what}: {bytes:?}");
        };
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut all = numbers();
        for _ in 0..3000 {
            let digits = 1 + next() % 38;
            let text: String = (0..digits).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let exponent = next() % 300;
            let sign = if next() % 2 == 0 { "-" } else { "" };
            if let Ok(n) = Number::parse(&format!("{sign}{text}E{}", exponent as i64 - 150)) {
                all.push(n);
            }
        }
        for n in &all {
            let mut bytes = Vec::new();
            put_number(&mut bytes, n);
            bytes.push(0x42); // what follows the number stays unread
            same(&bytes, &n.to_string());
        }
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            same(&bytes, "arbitrary bytes");
            // Near-valid: a class, an exponent in or near DynamoDB's range, up to 48 digits
            // (a pair now and then out of range), the end mark or not.
            let class = [NEGATIVE, ZERO, POSITIVE][(next() % 3) as usize];
            let adjusted = (next() % 300) as i64 - 160;
            let mut near = vec![class];
            near.extend_from_slice(&((adjusted + 0x8000) as u16).to_be_bytes());
            near.extend((0..len).map(|_| 1 + (next() % 101) as u8));
            if next() % 2 == 0 {
                near.push(0);
            }
            if class == NEGATIVE {
                near[1..].iter_mut().for_each(|b| *b = !*b);
            }
            same(&near, "near-valid bytes");
        }
    }

    #[test]
    fn strings_and_binaries_order_bytewise_whatever_follows() {
        let strings = ["", "a", "a\0", "a\0b", "a\u{1}", "ab", "b", "é", "\u{0}", "\u{0}\u{0}"];
        for a in strings {
            for b in strings {
                let (ka, kb) = (KeyValue::S(a.into()), KeyValue::S(b.into()));
                assert_eq!(key_bytes(&ka).cmp(&key_bytes(&kb)), ka.cmp(&kb), "{a:?} vs {b:?}");
                // What follows a value (a sort key) must not change the order of unequal values.
                if a != b {
                    let mut ba = key_bytes(&ka);
                    ba.push(0xFF);
                    let mut bb = key_bytes(&kb);
                    bb.push(0x00);
                    assert_eq!(ba.cmp(&bb), ka.cmp(&kb), "{a:?} vs {b:?}");
                }
                let binary = |s: &str| KeyValue::B(s.as_bytes().to_vec());
                assert_eq!(key_bytes(&binary(a)).cmp(&key_bytes(&binary(b))), binary(a).cmp(&binary(b)));
            }
            let bytes = key_bytes(&KeyValue::S(a.into()));
            assert_eq!(read_key_value(&mut Reader::new(&bytes)), KeyValue::S(a.into()));
            let mut skipped = Reader::new(&bytes);
            skip_key_value(&mut skipped);
            assert!(skipped.is_empty(), "{a:?}");
        }
        // Types order as KeyValue's variants do; an absent value first.
        let (s, n, b) = (KeyValue::S("z".into()), KeyValue::N(Number::from_i64(-5)), KeyValue::B(vec![0]));
        assert_eq!(key_bytes(&s).cmp(&key_bytes(&n)), Ordering::Less);
        assert_eq!(key_bytes(&n).cmp(&key_bytes(&b)), Ordering::Less);
        let mut none = Vec::new();
        put_optional_key_value(&mut none, None);
        assert!(none < key_bytes(&KeyValue::S(String::new())));
        assert_eq!(read_optional_key_value(&mut Reader::new(&none)), None);
    }

    #[test]
    fn multi_attribute_keys_and_their_bounds_order_as_tuples() {
        let s = |v: &str| KeyValue::S(v.into());
        let n = |v: i64| KeyValue::N(Number::from_i64(v));
        let tuples = [
            KeyTuple::low(vec![s("a"), n(1)]),
            KeyTuple::low(vec![s("a"), n(-1)]),
            KeyTuple::low(vec![s("a"), n(10)]),
            KeyTuple::low(vec![s("ab"), n(1)]),
            KeyTuple::low(vec![s("a")]),
            KeyTuple::high(vec![s("a")]),
            KeyTuple::low(vec![]),
            KeyTuple::high(vec![]),
            KeyTuple::high(vec![s("a"), n(1)]),
            KeyTuple::low(vec![s(""), n(1)]),
        ];
        for a in &tuples {
            let ka = KeyValue::Tuple(a.clone());
            let bytes = key_bytes(&ka);
            assert_eq!(read_key_value(&mut Reader::new(&bytes)), ka);
            let mut skipped = Reader::new(&bytes);
            skip_key_value(&mut skipped);
            assert!(skipped.is_empty(), "{a:?}");
            for b in &tuples {
                let kb = KeyValue::Tuple(b.clone());
                assert_eq!(bytes.cmp(&key_bytes(&kb)), ka.cmp(&kb), "{a:?} vs {b:?}");
            }
        }
        assert!(key_bytes(&KeyValue::B(vec![0xFF])) < key_bytes(&KeyValue::Tuple(KeyTuple::low(vec![]))));
    }

    #[test]
    fn items_round_trip_without_their_skipped_attributes() {
        let json = serde_json::json!({
            "pk": {"S": "user#1"}, "s": {"S": "héllo"}, "empty": {"S": ""}, "n": {"N": "-12.5"},
            "zero": {"N": "0"}, "b": {"B": "AAEC"}, "t": {"BOOL": true}, "f": {"BOOL": false},
            "null": {"NULL": true},
            "m": {"M": {"a": {"L": [{"N": "1"}, {"S": "x"}, {"M": {}}]}, "b": {"SS": ["p", "q"]}}},
            "ns": {"NS": ["1", "-2", "3.5"]}, "bs": {"BS": ["AA==", "AQ=="]}, "l": {"L": []},
            "long": {"S": "x".repeat(300)}
        });
        let item = item_from_json(&json).unwrap();
        let mut names = AttributeNames::default();
        let mut bytes = Vec::new();
        put_item(&mut bytes, &item, &["pk"], &mut names);
        let mut back = Item::new();
        read_item(&mut Reader::new(&bytes), &mut back, &names);
        let mut expected = item.clone();
        expected.remove("pk");
        assert_eq!(back, expected);
        // Truncated bytes read as something, never a panic.
        for cut in 0..bytes.len() {
            read_item(&mut Reader::new(&bytes[..cut]), &mut Item::new(), &names);
        }
    }

    #[test]
    fn names_are_numbered_up_to_the_limit_then_written_out() {
        let mut names = AttributeNames::default();
        let mut item = Item::new();
        for n in 0..MAX_NAMES + 10 {
            item.insert(format!("a{n}"), AttributeValue::Null);
        }
        let mut bytes = Vec::new();
        put_item(&mut bytes, &item, &[], &mut names);
        assert_eq!(names.names.len(), MAX_NAMES);
        let mut back = Item::new();
        read_item(&mut Reader::new(&bytes), &mut back, &names);
        assert_eq!(back, item);
        // The same names again: numbered as before, in a fresh item's bytes.
        let mut again = Vec::new();
        put_item(&mut again, &item, &[], &mut names);
        assert_eq!(again, bytes);
    }

    #[test]
    fn varints_round_trip() {
        for n in [0, 1, 127, 128, 300, 16_383, 16_384, 400_000, usize::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            let mut r = Reader::new(&out);
            assert_eq!(r.varint(), n);
            assert!(r.is_empty());
        }
    }
}
