//! Reading one DynamoDB-JSON map member of a request (PutItem's `Item`, GetItem's `Key`)
//! straight from the body's text into an [`Item`], without the `serde_json::Value` tree the
//! usual path builds, checks and then copies: that tree, its reading and its freeing were a
//! quarter of a PutItem's time.
//!
//! It reads only what is plainly well formed: one type per value, JSON of the type's kind,
//! valid numbers and base64, non-empty sets without repeats, no `null` members, at most
//! [`MAX_NESTING`] levels, the member once. Anything else — every input DynamoDB refuses
//! among it — answers `None`, and the request goes the usual way, which words the refusal.
//! So for every input either both ways give the same item, or this one gives nothing: a
//! property test holds it to that (`tests::reads_what_the_usual_way_reads`).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::value::{decode_base64, MAX_NESTING};
use super::{AttributeValue, Item, Number};

/// A request body as JSON with its `member` read as an item: the JSON holds an empty map in
/// the member's place (it is present, and passed its shape checks). `None` when the body
/// is not a JSON object that has the member plainly well formed (see the module).
pub(crate) fn request_with(body: &[u8], member: &'static str) -> Option<(Value, Item)> {
    if !crate::engine::json_depth_within_limit(body) {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    de.disable_recursion_limit();
    let (request, item) = Request { member }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some((request, item?))
}

struct Request {
    member: &'static str,
}

impl<'de> DeserializeSeed<'de> for Request {
    type Value = (Value, Option<Item>);

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Request {
    type Value = (Value, Option<Item>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut request, mut item) = (Map::new(), None);
        while let Some(name) = map.next_key::<String>()? {
            if name == self.member {
                // Given twice, JSON keeps the last: the usual way sorts that out.
                if item.is_some() {
                    return Err(A::Error::custom("member repeated"));
                }
                item = Some(map.next_value_seed(Attributes { depth: 0 })?);
                request.insert(name, Value::Object(Map::new()));
            } else {
                let value = map.next_value::<Value>()?;
                request.insert(name, value);
            }
        }
        Ok((Value::Object(request), item))
    }
}

/// A map of attribute name → value (an item, a key, an `M` value) whose values are at
/// nesting level `depth`.
struct Attributes {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Attributes {
    type Value = Item;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Item, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Attributes {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of attribute values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut item = Item::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(Typed { depth: self.depth })?;
            // A repeated name keeps its last value, as a JSON object does.
            item.insert(name, value);
        }
        Ok(item)
    }
}

/// One AttributeValue at nesting level `depth`: `{"S": "…"}` and the like.
struct Typed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Typed {
    type Value = AttributeValue;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<AttributeValue, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Typed {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        if self.depth >= MAX_NESTING {
            return Err(A::Error::custom("nested too deep"));
        }
        let declined = || A::Error::custom("not plainly well formed");
        let Some(tag) = map.next_key::<&str>()? else { return Err(declined()) };
        let value = match tag {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(number(map.next_value()?).ok_or_else(declined)?),
            "B" => AttributeValue::B(decode_base64(map.next_value()?).map_err(|_| declined())?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => match map.next_value()? {
                true => AttributeValue::Null,
                false => return Err(declined()),
            },
            "M" => AttributeValue::M(map.next_value_seed(Attributes { depth: self.depth + 1 })?),
            "L" => AttributeValue::L(map.next_value_seed(List { depth: self.depth + 1 })?),
            "SS" => set(map.next_value::<Vec<String>>()?, AttributeValue::string_set).ok_or_else(declined)?,
            "NS" => {
                let texts = map.next_value::<Vec<&str>>()?;
                let numbers =
                    texts.into_iter().map(number).collect::<Option<Vec<_>>>().ok_or_else(declined)?;
                set(numbers, AttributeValue::number_set).ok_or_else(declined)?
            }
            "BS" => {
                let texts = map.next_value::<Vec<&str>>()?;
                let bytes = texts.into_iter().map(|t| decode_base64(t).ok()).collect::<Option<Vec<_>>>();
                set(bytes.ok_or_else(declined)?, AttributeValue::binary_set).ok_or_else(declined)?
            }
            _ => return Err(declined()),
        };
        // One type per value.
        match map.next_key::<&str>()? {
            None => Ok(value),
            Some(_) => Err(declined()),
        }
    }
}

/// A non-empty set without repeats.
fn set<T>(members: Vec<T>, make: fn(Vec<T>) -> Option<AttributeValue>) -> Option<AttributeValue> {
    if members.is_empty() {
        return None;
    }
    make(members)
}

/// A number as the current layer reads it.
fn number(text: &str) -> Option<Number> {
    Number::parse(text).ok()
}

/// An `L` value's members at nesting level `depth`.
struct List {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for List {
    type Value = Vec<AttributeValue>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List {
    type Value = Vec<AttributeValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of attribute values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(value) = seq.next_element_seed(Typed { depth: self.depth })? {
            values.push(value);
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::item_from_json;

    /// What the usual way reads from the member: the item, or its refusal.
    fn usual(body: &str) -> Option<Item> {
        let request = crate::engine::parse_json(body.as_bytes())?;
        crate::types::layer::within(crate::types::layer::Layer::Current, || {
            item_from_json(request.get("Item")?).ok()
        })
    }

    fn put(item: &str) -> String {
        format!(r#"{{"TableName":"T","Item":{item},"ReturnValues":"NONE"}}"#)
    }

    #[test]
    fn reads_what_the_usual_way_reads() {
        for item in [
            r#"{}"#,
            r#"{"pk":{"S":"a\"b\u00e9"},"n":{"N":"-0012.50E1"},"b":{"B":"AAE="}}"#,
            r#"{"t":{"BOOL":false},"z":{"NULL":true},"ss":{"SS":["b","a"]},"ns":{"NS":["2","1"]}}"#,
            r#"{"bs":{"BS":["AAI=","AAE="]},"l":{"L":[{"S":"x"},{"L":[]},{"M":{}}]},"m":{"M":{"a":{"N":"1"}}}}"#,
            r#"{"a":{"S":"first"},"a":{"N":"2"}}"#,
        ] {
            let body = put(item);
            let (request, read) = request_with(body.as_bytes(), "Item").expect(item);
            assert_eq!(Some(read), usual(&body), "{item}");
            // The rest of the request is as the usual way reads it, the item's place empty.
            let mut whole = crate::engine::parse_json(body.as_bytes()).unwrap();
            whole["Item"] = Value::Object(Map::new());
            assert_eq!(request, whole);
        }
    }

    /// `handle_text` and `handle_logged` take the direct way for PutItem and GetItem (what
    /// lets `tests/tests/direct_read.rs` compare two different ways), and only for them.
    #[test]
    fn puts_and_gets_take_the_direct_way() {
        let mut engine = crate::Engine::new();
        let table = br#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}"#;
        engine.handle("CreateTable", table).unwrap();
        engine.advance(60_000);
        let spec = |name| crate::ops::operation(name).unwrap();
        let put = br#"{"TableName":"Tbl","Item":{"pk":{"S":"a"},"n":{"N":"1"}}}"#;
        assert_eq!(engine.handle_direct(spec("PutItem"), put).map(Result::unwrap).as_deref(), Some("{}"));
        let get = br#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}}}"#;
        let answer = engine.handle_direct(spec("GetItem"), get).map(Result::unwrap).unwrap_or_default();
        assert!(answer.contains(r#""n":{"N":"1"}"#), "{answer}");
        // Not a body it reads, or not an operation it serves: nothing has run.
        let unread = br#"{"TableName":"Tbl","Item":{"pk":{"S":null}}}"#;
        assert!(engine.handle_direct(spec("PutItem"), unread).is_none());
        assert!(engine.handle_direct(spec("DeleteItem"), get).is_none());
    }

    #[test]
    fn leaves_everything_else_to_the_usual_way() {
        for item in [
            r#"{"a":{"S":null}}"#,
            r#"{"a":null}"#,
            r#"{"a":{"N":"1e200"}}"#,
            r#"{"a":{"N":" 1"}}"#,
            r#"{"a":{"B":"abc"}}"#,
            r#"{"a":{"BOOL":"true"}}"#,
            r#"{"a":{"NULL":false}}"#,
            r#"{"a":{"SS":[]}}"#,
            r#"{"a":{"SS":["x","x"]}}"#,
            r#"{"a":{"NS":["1","1.0"]}}"#,
            r#"{"a":{"S":"x","N":"1"}}"#,
            r#"{"a":{"S":"x","N":null}}"#,
            r#"{"a":{}}"#,
            r#"{"a":{"X":"1"}}"#,
            r#"{"a":[]}"#,
            r#"[]"#,
            r#""item""#,
        ] {
            assert!(request_with(put(item).as_bytes(), "Item").is_none(), "{item}");
        }
        // A value 32 levels deep is the deepest DynamoDB takes.
        let nested = |levels: usize| {
            (1..levels).fold(r#"{"S":"x"}"#.to_owned(), |inner, _| format!(r#"{{"M":{{"m":{inner}}}}}"#))
        };
        assert!(request_with(put(&format!(r#"{{"a":{}}}"#, nested(32))).as_bytes(), "Item").is_some());
        assert!(request_with(put(&format!(r#"{{"a":{}}}"#, nested(33))).as_bytes(), "Item").is_none());
        // The member twice, or not at all; a body that is not one JSON object.
        for body in [
            r#"{"TableName":"T","Item":{},"Item":{}}"#,
            r#"{"TableName":"T"}"#,
            r#"{"TableName":"T","Item":{}} x"#,
            r#"["Item"]"#,
        ] {
            assert!(request_with(body.as_bytes(), "Item").is_none(), "{body}");
        }
    }
}
