//! `AttributeValue`, the ten DynamoDB data types, and their DynamoDB-JSON form.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::key::ScalarType;
use super::layer::{layer, Layer};
use super::number::{Number, NumberError};
use crate::error::{ApiError, ApiResult, Cause};

/// An item: attribute name → value. Ordered, so responses are deterministic.
pub type Item = BTreeMap<String, AttributeValue>;

/// One DynamoDB value. Sets are kept sorted and duplicate-free, so two equal sets compare
/// equal whatever order they were written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeValue {
    /// String (UTF-8).
    S(String),
    /// Number.
    N(Number),
    /// Binary.
    B(Vec<u8>),
    /// Boolean.
    Bool(bool),
    /// Null (always true).
    Null,
    /// Map of named values.
    M(Item),
    /// List of values.
    L(Vec<AttributeValue>),
    /// String set.
    Ss(Vec<String>),
    /// Number set.
    Ns(Vec<Number>),
    /// Binary set.
    Bs(Vec<Vec<u8>>),
}

/// Deepest nesting DynamoDB accepts: an attribute is level 1, so a value 31 maps deep (its
/// innermost value at level 32) is the deepest.
pub const MAX_NESTING: usize = 32;

/// DynamoDB's refusal of a value nested past [`MAX_NESTING`] levels.
pub const NESTED_TOO_DEEP: &str =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

impl AttributeValue {
    /// The type's DynamoDB-JSON tag: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::S(_) => "S",
            Self::N(_) => "N",
            Self::B(_) => "B",
            Self::Bool(_) => "BOOL",
            Self::Null => "NULL",
            Self::M(_) => "M",
            Self::L(_) => "L",
            Self::Ss(_) => "SS",
            Self::Ns(_) => "NS",
            Self::Bs(_) => "BS",
        }
    }

    /// Bytes the value counts for in an item's size (attribute name not included).
    pub fn size(&self) -> usize {
        match self {
            Self::S(s) => s.len(),
            Self::N(n) => n.size(),
            Self::B(b) => b.len(),
            Self::Bool(_) | Self::Null => 1,
            Self::M(m) => 3 + m.iter().map(|(k, v)| 1 + k.len() + v.size()).sum::<usize>(),
            Self::L(l) => 3 + l.iter().map(|v| 1 + v.size()).sum::<usize>(),
            Self::Ss(v) => v.iter().map(String::len).sum(),
            Self::Ns(v) => v.iter().map(Number::size).sum(),
            Self::Bs(v) => v.iter().map(Vec::len).sum(),
        }
    }

    /// A string set from members in any order; `None` if they repeat.
    pub fn string_set(mut members: Vec<String>) -> Option<AttributeValue> {
        super::sort_dedup(&mut members).then_some(Self::Ss(members))
    }

    /// A number set from members in any order; `None` if they repeat.
    pub fn number_set(mut members: Vec<Number>) -> Option<AttributeValue> {
        super::sort_dedup(&mut members).then_some(Self::Ns(members))
    }

    /// A binary set from members in any order; `None` if they repeat.
    pub fn binary_set(mut members: Vec<Vec<u8>>) -> Option<AttributeValue> {
        super::sort_dedup(&mut members).then_some(Self::Bs(members))
    }

    /// The DynamoDB-JSON form, e.g. `{"N": "42"}`.
    pub fn to_json(&self) -> Value {
        let (tag, body) = match self {
            Self::S(s) => ("S", Value::String(s.clone())),
            Self::N(n) => ("N", Value::String(n.to_string())),
            Self::B(b) => ("B", Value::String(encode_base64(b))),
            Self::Bool(b) => ("BOOL", Value::Bool(*b)),
            Self::Null => ("NULL", Value::Bool(true)),
            Self::M(m) => ("M", item_to_json(m)),
            Self::L(l) => ("L", Value::Array(l.iter().map(Self::to_json).collect())),
            Self::Ss(v) => ("SS", v.iter().map(|s| Value::String(s.clone())).collect()),
            Self::Ns(v) => ("NS", v.iter().map(|n| Value::String(n.to_string())).collect()),
            Self::Bs(v) => ("BS", v.iter().map(|b| Value::String(encode_base64(b))).collect()),
        };
        let mut map = Map::with_capacity(1);
        map.insert(tag.to_owned(), body);
        Value::Object(map)
    }

    /// Reads DynamoDB JSON, with DynamoDB's messages for every malformed value.
    pub fn from_json(json: &Value) -> ApiResult<AttributeValue> {
        Self::from_json_at(json, 0)
    }

    fn from_json_at(json: &Value, depth: usize) -> ApiResult<AttributeValue> {
        if depth >= MAX_NESTING {
            return Err(ApiError::validation(NESTED_TOO_DEEP).because(Cause::NestedTooDeep));
        }
        let Value::Object(map) = json else {
            return Err(ApiError::serialization("Unexpected value type in payload"));
        };
        // Nulls are treated as absent members, as the AWS JSON protocol does.
        let mut members = map.iter().filter(|(_, v)| !v.is_null());
        let Some((tag, body)) = members.next() else {
            return Err(ApiError::validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        };
        let value = Self::typed_from_json(tag, body, depth)?;
        for (tag, body) in members {
            // DynamoDB validates every member before noticing there are several.
            Self::typed_from_json(tag, body, depth)?;
        }
        if map.iter().filter(|(_, v)| !v.is_null()).count() > 1 {
            return Err(ApiError::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ));
        }
        Ok(value)
    }

    fn typed_from_json(tag: &str, body: &Value, depth: usize) -> ApiResult<AttributeValue> {
        Ok(match tag {
            "S" => Self::S(json_string(body)?.to_owned()),
            "N" => Self::N(parse_number(json_string(body)?)?),
            "B" => Self::B(decode_base64(json_string(body)?)?),
            "BOOL" => Self::Bool(json_bool(body)?),
            "NULL" => {
                if !json_bool(body)? {
                    return Err(ApiError::invalid_parameter(
                        "Null attribute value types must have the value of true",
                    ));
                }
                Self::Null
            }
            "M" => {
                let Value::Object(map) = body else {
                    return Err(ApiError::serialization("Unexpected field type"));
                };
                let mut item = Item::new();
                for (k, v) in map {
                    if !v.is_null() {
                        item.insert(k.clone(), Self::from_json_at(v, depth + 1)?);
                    }
                }
                Self::M(item)
            }
            "L" => Self::L(
                json_array(body)?
                    .iter()
                    .map(|v| Self::from_json_at(v, depth + 1))
                    .collect::<ApiResult<_>>()?,
            ),
            "SS" => {
                let raw = json_array(body)?;
                let members: Vec<String> =
                    raw.iter().map(|v| json_string(v).map(str::to_owned)).collect::<ApiResult<_>>()?;
                if members.is_empty() {
                    return Err(ApiError::invalid_parameter("An string set  may not be empty")
                        .because(Cause::EmptySet(ScalarType::S)));
                }
                // The members were moved into the set: the message (rare) reads them again.
                Self::string_set(members).ok_or_else(|| {
                    let sent: Vec<&str> = raw.iter().filter_map(Value::as_str).collect();
                    let shown = match layer() {
                        Layer::Current => {
                            let quoted =
                                until_repeat(&sent).iter().map(|m| format!("{m:?}")).collect::<Vec<_>>();
                            format!("[{}]", quoted.join(", "))
                        }
                        Layer::Older => format!("[{}]", sent.join(", ")),
                    };
                    ApiError::invalid_parameter(format!("Input collection {shown} contains duplicates."))
                        .because(Cause::DuplicateSetMembers)
                })?
            }
            "NS" => {
                let members: Vec<Number> = json_array(body)?
                    .iter()
                    .map(|v| json_string(v).and_then(parse_number))
                    .collect::<ApiResult<_>>()?;
                if members.is_empty() {
                    return Err(ApiError::invalid_parameter("An number set  may not be empty")
                        .because(Cause::EmptySet(ScalarType::N)));
                }
                Self::number_set(members).ok_or_else(|| {
                    match layer() {
                        Layer::Current => {
                            ApiError::invalid_parameter("Input collection contains duplicates.")
                        }
                        Layer::Older => ApiError::validation("Input collection contains duplicates"),
                    }
                    .because(Cause::DuplicateSetMembers)
                })?
            }
            "BS" => {
                let raw = json_array(body)?;
                let members: Vec<Vec<u8>> =
                    raw.iter().map(|v| json_string(v).and_then(decode_base64)).collect::<ApiResult<_>>()?;
                if members.is_empty() {
                    return Err(ApiError::invalid_parameter("Binary sets should not be empty")
                        .because(Cause::EmptySet(ScalarType::B)));
                }
                Self::binary_set(members).ok_or_else(|| {
                    let shown = match layer() {
                        Layer::Current => {
                            let sent: Vec<Vec<u8>> = raw
                                .iter()
                                .filter_map(|v| json_string(v).and_then(decode_base64).ok())
                                .collect();
                            let quoted = until_repeat(&sent)
                                .iter()
                                .map(|m| format!("\"{}\"", encode_base64(m)))
                                .collect::<Vec<_>>();
                            format!("[{}]", quoted.join(","))
                        }
                        Layer::Older => {
                            format!(
                                "[{}]",
                                raw.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
                            )
                        }
                    };
                    ApiError::invalid_parameter(format!(
                        "Input collection {shown}of type BS contains duplicates."
                    ))
                    .because(Cause::DuplicateSetMembers)
                })?
            }
            _ => {
                return Err(ApiError::serialization(format!(
                    "Unrecognized field name '{tag}' in AttributeValue"
                )))
            }
        })
    }
}

/// An item (or key) in DynamoDB JSON.
pub fn item_to_json(item: &Item) -> Value {
    Value::Object(super::object_from(item.iter().map(|(k, v)| (k.clone(), v.to_json()))))
}

/// Reads an item (or key, or ExpressionAttributeValues) from a DynamoDB-JSON map.
pub fn item_from_json(json: &Value) -> ApiResult<Item> {
    let Value::Object(map) = json else {
        return Err(ApiError::serialization("Unexpected field type"));
    };
    let mut item = Item::new();
    for (k, v) in map {
        if !v.is_null() {
            item.insert(k.clone(), AttributeValue::from_json(v)?);
        }
    }
    Ok(item)
}

/// Size of an item as DynamoDB counts it: names plus values.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

/// Set members as DynamoDB's current layer lists them when one repeats: in byte order up to
/// the first repeat, then the repeat, then the rest as sent.
fn until_repeat<T: Ord + Clone>(members: &[T]) -> Vec<T> {
    // The positions in member order (the crate's one sort, not a BTreeSet per member type: both
    // would compile into the browser bundle again for each type). Stable, so equal members
    // keep their sending order and the later of two neighbours is a repeat.
    let mut order: Vec<usize> = (0..members.len()).collect();
    super::sort_by(&mut order, |a, b| members[*a].cmp(&members[*b]));
    let first = order.windows(2).filter(|w| members[w[0]] == members[w[1]]).map(|w| w[1]).min();
    let Some(first) = first else { return members.to_vec() };
    let mut shown: Vec<T> = order.iter().filter(|&&i| i < first).map(|&i| members[i].clone()).collect();
    shown.extend(members[first..].iter().cloned());
    shown
}

fn parse_number(text: &str) -> ApiResult<Number> {
    let (parsed, message) = match layer() {
        Layer::Current => {
            (Number::parse(text), NumberError::current_message as fn(&NumberError, &str) -> String)
        }
        Layer::Older => {
            (Number::parse_big_decimal(text), NumberError::message as fn(&NumberError, &str) -> String)
        }
    };
    parsed.map_err(|e| ApiError::validation(message(&e, text)).because(Cause::InvalidNumber))
}

fn json_string(v: &Value) -> ApiResult<&str> {
    match v {
        Value::String(s) => Ok(s),
        Value::Bool(b) => Err(ApiError::serialization(format!(
            "{} cannot be converted to String",
            if *b { "TRUE_VALUE" } else { "FALSE_VALUE" }
        ))),
        Value::Number(n) => Err(ApiError::serialization(format!(
            "{} cannot be converted to String",
            if n.is_f64() { "DECIMAL_VALUE" } else { "NUMBER_VALUE" }
        ))),
        Value::Array(_) => {
            Err(ApiError::serialization("Unrecognized collection type class java.lang.String"))
        }
        Value::Object(_) => {
            Err(ApiError::serialization("Start of structure or map found where not expected"))
        }
        Value::Null => Err(ApiError::serialization("Unexpected field type")),
    }
}

fn json_bool(v: &Value) -> ApiResult<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        // The AWS JSON protocol's parser converts these strings, as DynamoDB does.
        Value::String(s) => match s.to_ascii_uppercase().as_str() {
            "TRUE" | "1" | "YES" => Ok(true),
            "FALSE" | "0" | "NO" => Ok(false),
            _ => Err(ApiError::serialization("Unexpected token received from parser")),
        },
        Value::Number(n) => Err(ApiError::serialization(format!(
            "{} cannot be converted to Boolean",
            if n.is_f64() { "DECIMAL_VALUE" } else { "NUMBER_VALUE" }
        ))),
        Value::Array(_) => {
            Err(ApiError::serialization("Unrecognized collection type class java.lang.Boolean"))
        }
        Value::Object(_) => {
            Err(ApiError::serialization("Start of structure or map found where not expected"))
        }
        Value::Null => Err(ApiError::serialization("Unexpected field type")),
    }
}

fn json_array(v: &Value) -> ApiResult<&Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a),
        Value::Object(_) => {
            Err(ApiError::serialization("Start of structure or map found where not expected"))
        }
        _ => Err(ApiError::serialization("Unexpected field type")),
    }
}

/// Standard base64 with padding, as DynamoDB's JSON carries binary.
pub fn encode_base64(bytes: &[u8]) -> String {
    super::base64::encode(bytes)
}

/// Decodes a `B`/`BS` member; errors are SerializationExceptions as DynamoDB gives them.
pub fn decode_base64(text: &str) -> ApiResult<Vec<u8>> {
    if text.len() % 4 != 0 {
        return Err(ApiError::serialization(format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            text.len()
        )));
    }
    super::base64::decode(text)
        .ok_or_else(|| ApiError::serialization("Invalid last non-pad Base64 character dectected"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_all_ten_types() {
        let item = json!({
            "s": {"S": "hé"}, "n": {"N": "1.50"}, "b": {"B": "AAE="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"S": "a"}, {"N": "2"}]},
            "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["10", "9"]}, "bs": {"BS": ["AQ==", "AA=="]}
        });
        let parsed = item_from_json(&item).unwrap();
        assert_eq!(
            item_to_json(&parsed),
            json!({
                "s": {"S": "hé"}, "n": {"N": "1.5"}, "b": {"B": "AAE="}, "t": {"BOOL": true},
                "z": {"NULL": true}, "m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"S": "a"}, {"N": "2"}]},
                "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["9", "10"]}, "bs": {"BS": ["AA==", "AQ=="]}
            })
        );
    }

    #[test]
    fn malformed_values_get_dynamodb_messages() {
        let msg = |v: Value| AttributeValue::from_json(&v).unwrap_err().message;
        assert_eq!(
            msg(json!({})),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            msg(json!({"S": "a", "N": "1"})),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            msg(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(
            msg(json!({"NS": []})),
            "One or more parameter values were invalid: An number set  may not be empty"
        );
        assert_eq!(
            msg(json!({"BS": []})),
            "One or more parameter values were invalid: Binary sets should not be empty"
        );
        assert_eq!(
            msg(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(msg(json!({"NS": ["1", "1.0"]})), "Input collection contains duplicates");
        assert_eq!(msg(json!({"NULL": false})), "One or more parameter values were invalid: Null attribute value types must have the value of true");
        assert_eq!(msg(json!({"N": "x"})), "The parameter cannot be converted to a numeric value: x");
        assert_eq!(msg(json!({"S": 5})), "NUMBER_VALUE cannot be converted to String");
        assert_eq!(
            msg(json!({"B": "abc"})),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 3"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut v = json!({"S": "x"});
        for _ in 0..40 {
            v = json!({"L": [v]});
        }
        assert_eq!(AttributeValue::from_json(&v).unwrap_err().message, NESTED_TOO_DEEP);
        // 31 maps around a leaf (the leaf at level 32) is the deepest DynamoDB stores.
        let wrap = |n: usize| (0..n).fold(json!({"S": "x"}), |v, _| json!({"M": {"n": v}}));
        assert!(AttributeValue::from_json(&wrap(31)).is_ok());
        assert!(AttributeValue::from_json(&wrap(32)).is_err());
    }

    #[test]
    fn sizes_follow_the_documented_rules() {
        let item = item_from_json(&json!({
            "pk": {"S": "abc"}, "m": {"M": {"k": {"BOOL": true}}}, "l": {"L": [{"N": "12"}]}
        }))
        .unwrap();
        // pk: 2+3; m: 1 + (3 + 1 + 1 + 1); l: 1 + (3 + 1 + 2)
        assert_eq!(item_size(&item), 5 + 7 + 7);
    }
}
