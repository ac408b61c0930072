//! Items written straight to DynamoDB-JSON text, without building a `serde_json::Value`
//! first. Answers that are mostly items (GetItem) are rendered this way on the hosts' text
//! path ([`crate::Engine::handle_text`]): building the `Value` tree and dropping it again was a
//! fifth of an in-page GetItem. The text equals `item_to_json(item).to_string()` (keys in the
//! same order), which the tests below pin.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use super::value::encode_base64;
use super::{AttributeValue, Item, Number};

/// An item (or key) as DynamoDB JSON.
pub struct ItemText<'a>(pub &'a Item);

impl Serialize for ItemText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        match self {
            Self::S(v) => map.serialize_entry("S", v)?,
            Self::N(n) => map.serialize_entry("N", &NumberText(n))?,
            Self::B(b) => map.serialize_entry("B", &encode_base64(b))?,
            Self::Bool(b) => map.serialize_entry("BOOL", b)?,
            Self::Null => map.serialize_entry("NULL", &true)?,
            Self::M(m) => map.serialize_entry("M", &ItemText(m))?,
            Self::L(l) => map.serialize_entry("L", l)?,
            Self::Ss(v) => map.serialize_entry("SS", v)?,
            Self::Ns(v) => map.serialize_entry("NS", &NumberSetText(v))?,
            Self::Bs(v) => map.serialize_entry("BS", &BinarySetText(v))?,
        }
        map.end()
    }
}

/// A number as its JSON string, written without an intermediate `String`.
struct NumberText<'a>(&'a Number);

impl Serialize for NumberText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// A number set's members as a JSON array of strings.
struct NumberSetText<'a>(&'a [Number]);

impl Serialize for NumberSetText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for n in self.0 {
            seq.serialize_element(&NumberText(n))?;
        }
        seq.end()
    }
}

/// A binary set's members as a JSON array of base64 strings.
struct BinarySetText<'a>(&'a [Vec<u8>]);

impl Serialize for BinarySetText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&encode_base64(b))?;
        }
        seq.end()
    }
}

/// `body` as JSON text with one more member, `name`, whose value is already JSON text; members
/// in name order, as a serialized `Map` has them.
pub(crate) fn object_text(body: &Map<String, Value>, name: &str, raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 128);
    let mut pending = Some((name, raw));
    let member = |out: &mut String, key: &str, value: &str| {
        out.push(if out.is_empty() { '{' } else { ',' });
        // Member names need no escape (serde_json escapes only `"`, `\\` and control
        // characters): written as they are, without a `Value` and the formatter.
        match key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            true => out.push_str(&Value::from(key).to_string()),
            false => {
                out.push('"');
                out.push_str(key);
                out.push('"');
            }
        }
        out.push(':');
        out.push_str(value);
    };
    for (key, value) in body {
        if let Some((n, r)) = pending.filter(|(n, _)| *n < key.as_str()) {
            member(&mut out, n, r);
            pending = None;
        }
        member(&mut out, key, &value.to_string());
    }
    if let Some((n, r)) = pending {
        member(&mut out, n, r);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::types::{item_from_json, item_to_json};

    #[test]
    fn writes_the_same_text_as_the_value_path() {
        let item = item_from_json(&json!({
            "pk": {"S": "user#1 \"quoted\" \u{e9}\n"}, "n": {"N": "-0.000120"}, "big": {"N": "1E+125"},
            "b": {"B": "AAEC/w=="}, "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
            "m": {"M": {"inner": {"L": [{"S": "x"}, {"N": "1"}, {"M": {}}]}, "e": {"L": []}}},
            "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["10", "-2.5"]}, "bs": {"BS": ["AQ==", "Ag=="]},
        }))
        .unwrap();
        let text = serde_json::to_string(&ItemText(&item)).unwrap();
        assert_eq!(text, item_to_json(&item).to_string());
        let empty = Item::new();
        assert_eq!(serde_json::to_string(&ItemText(&empty)).unwrap(), "{}");
    }
}
