//! A stored item written straight to DynamoDB-JSON text, without decoding it into an `Item`
//! first: the text `ItemText` writes for the decoded item, byte for byte (the test below pins
//! it). Query and Scan pages and GetItem answers are written this way; decoding each item
//! (a `String` per name and value, a map node) and dropping it again cost a Query of 10 items a
//! third more than reading them from a tree of values did.

use super::{
    key_attribute, r_bytes, read_key_value, text, write_number_text, AttributeNames, Reader, B, BS, FALSE,
    KEY_B, KEY_N, KEY_S, L, M, N, NS, S, SS, TRUE,
};
use crate::types::base64;

/// Writes the item whose key attributes are `keys` (sorted by name, no repeats; each value's
/// bytes as `put_key_value` wrote them) and whose other attributes `body` holds (as `put_item`
/// wrote them with `names`: sorted by name) as one JSON object.
pub(crate) fn write_item(
    out: &mut Vec<u8>,
    mut keys: &[(&str, &[u8])],
    mut body: Reader<'_>,
    names: &AttributeNames,
) {
    out.push(b'{');
    let mut first = true;
    let mut member = |out: &mut Vec<u8>, name: &str| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, name.as_bytes());
        out.push(b':');
    };
    // Both lists are sorted by name: merged, they come out in the decoded item's order.
    while !body.is_empty() {
        let name = names.read(&mut body);
        while let Some(((key_name, value), rest)) = keys.split_first().filter(|((k, _), _)| *k < name) {
            member(out, key_name);
            write_key_value(out, value);
            keys = rest;
        }
        member(out, name);
        write_value(out, &mut body);
    }
    for (key_name, value) in keys {
        member(out, key_name);
        write_key_value(out, value);
    }
    out.push(b'}');
}

/// A key attribute's value from its key bytes, as [`write_value`] writes the attribute: a
/// string or binary value without escaped bytes (nearly all) and every number straight from
/// the bytes, anything else (a multi-attribute key) decoded first.
fn write_key_value(out: &mut Vec<u8>, bytes: &[u8]) {
    let Some((&tag, value)) = bytes.split_first() else { return };
    // A string or binary value ends in 0; an escape begins with 1.
    let plain = value.split_last().filter(|(_, escaped)| !escaped.contains(&0) && !escaped.contains(&1));
    match (tag, plain) {
        (KEY_S, Some((_, s))) => {
            out.extend_from_slice(br#"{"S":"#);
            write_str(out, s);
            out.push(b'}');
        }
        (KEY_B, Some((_, b))) => {
            out.extend_from_slice(br#"{"B":""#);
            out.extend_from_slice(base64::encode(b).as_bytes());
            out.extend_from_slice(br#""}"#);
        }
        (KEY_N, _) => {
            out.extend_from_slice(br#"{"N":""#);
            write_number_text(out, &mut Reader::new(value));
            out.extend_from_slice(br#""}"#);
        }
        _ => {
            let value = key_attribute(read_key_value(&mut Reader::new(bytes)));
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, &value);
        }
    }
}

/// A JSON string from its UTF-8 bytes (stored ones, written from a `String`), escaped as
/// serde_json escapes it.
fn write_str(out: &mut Vec<u8>, s: &[u8]) {
    // Most names and strings need no escape: serde_json escapes only `"`, `\\` and control
    // characters, so such a string is copied as it is, without checking its UTF-8 again.
    if !s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
        return;
    }
    let _ = serde_json::to_writer(&mut *out, text(s));
}

fn write_value(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    // Counts are capped by the bytes left, as when reading.
    let count = |r: &mut Reader<'_>| r.varint().min(r.rest().len());
    let list =
        |out: &mut Vec<u8>, tag: &[u8], r: &mut Reader<'_>, each: &dyn Fn(&mut Vec<u8>, &mut Reader<'_>)| {
            out.extend_from_slice(tag);
            for i in 0..count(r) {
                if i > 0 {
                    out.push(b',');
                }
                each(out, r);
            }
            out.extend_from_slice(b"]}");
        };
    match r.byte() {
        S => {
            out.extend_from_slice(br#"{"S":"#);
            write_str(out, r_bytes(r));
            out.push(b'}');
        }
        N => {
            out.extend_from_slice(br#"{"N":""#);
            write_number_text(out, r);
            out.extend_from_slice(br#""}"#);
        }
        B => {
            out.extend_from_slice(br#"{"B":""#);
            out.extend_from_slice(base64::encode(r_bytes(r)).as_bytes());
            out.extend_from_slice(br#""}"#);
        }
        FALSE => out.extend_from_slice(br#"{"BOOL":false}"#),
        TRUE => out.extend_from_slice(br#"{"BOOL":true}"#),
        M => {
            out.extend_from_slice(br#"{"M":{"#);
            for i in 0..count(r) {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, r_bytes(r));
                out.push(b':');
                write_value(out, r);
            }
            out.extend_from_slice(b"}}");
        }
        L => list(out, br#"{"L":["#, r, &write_value),
        SS => list(out, br#"{"SS":["#, r, &|out, r| write_str(out, r_bytes(r))),
        NS => list(out, br#"{"NS":["#, r, &|out, r| {
            out.push(b'"');
            write_number_text(out, r);
            out.push(b'"');
        }),
        BS => list(out, br#"{"BS":["#, r, &|out, r| {
            out.push(b'"');
            out.extend_from_slice(base64::encode(r_bytes(r)).as_bytes());
            out.push(b'"');
        }),
        // NULL (and whatever else, though nothing else is written).
        _ => out.extend_from_slice(br#"{"NULL":true}"#),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{put_item, put_key_value};
    use super::*;
    use crate::types::{item_from_json, ItemText, KeyValue, Number};

    #[test]
    fn writes_what_item_text_writes_for_the_decoded_item() {
        let json = serde_json::json!({
            "a": {"S": "first \"quoted\" \\ \n\u{1}"}, "pk": {"S": "user#1"}, "m": {"M": {
                "x": {"L": [{"N": "1"}, {"S": "é"}, {"M": {}}, {"L": []}, {"NULL": true}]},
                "y": {"SS": ["p", "q"]}, "z": {"BOOL": false}}},
            "n": {"N": "-12.5E+3"}, "b": {"B": "AAEC"}, "t": {"BOOL": true},
            "ns": {"NS": ["1", "-2", "3.5"]}, "bs": {"BS": ["AA==", "AQ=="]}, "sk": {"N": "7"},
            "zz": {"NULL": true}
        });
        let item = item_from_json(&json).unwrap();
        let mut names = AttributeNames::default();
        let mut body = Vec::new();
        put_item(&mut body, &item, &["pk", "sk"], &mut names);
        let key = |value: KeyValue| {
            let mut bytes = Vec::new();
            put_key_value(&mut bytes, &value);
            bytes
        };
        let (pk, sk) = (key(KeyValue::S("user#1".into())), key(KeyValue::N(Number::from_i64(7))));
        let keys = [("pk", pk.as_slice()), ("sk", sk.as_slice())];
        let mut out = Vec::new();
        write_item(&mut out, &keys, Reader::new(&body), &names);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&ItemText(&item)).unwrap());
        // Key values of every kind from their key bytes, escaped bytes included.
        let tuple = KeyValue::Tuple(crate::types::key::KeyTuple::low(vec![
            KeyValue::S("a".into()),
            KeyValue::N(Number::from_i64(-3)),
        ]));
        for value in [
            KeyValue::S("a\u{0}b\u{1}c".into()),
            KeyValue::S("é \"q\" \\ \n".into()),
            KeyValue::B(vec![0, 1, 2, 255]),
            KeyValue::B(vec![5, 6]),
            KeyValue::N(Number::parse("-12.5E+3").unwrap()),
            KeyValue::N(Number::from_i64(0)),
            KeyValue::N(Number::parse("0.000123").unwrap()),
            tuple,
        ] {
            let mut out = Vec::new();
            write_key_value(&mut out, &key(value.clone()));
            let expected = serde_json::to_string(&super::super::key_attribute(value)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        // Keys only, or no keys at all.
        let mut out = Vec::new();
        write_item(&mut out, &keys, Reader::new(&[]), &names);
        assert_eq!(out, br#"{"pk":{"S":"user#1"},"sk":{"N":"7"}}"#);
        let mut out = Vec::new();
        write_item(&mut out, &[], Reader::new(&[]), &names);
        assert_eq!(out, b"{}");
    }
}
