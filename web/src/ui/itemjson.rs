//! Items as DynamoDB JSON (`{"Artist": {"S": "Nina"}}`) and as plain JSON (`{"Artist": "Nina"}`),
//! converted both ways for the item editor's toggle. Platform-free (tested natively).
//!
//! Plain JSON has fewer types than DynamoDB: sets become arrays (`SS`/`NS`/`BS`), binary becomes
//! its base64 text, and the way back makes arrays lists (`L`) and text strings (`S`), as the
//! DocumentClient does without its `Set` and `Uint8Array` types.

use dynaplay_engine::types::object_from;
use serde_json::{Map, Value};

/// A DynamoDB-JSON item (a map of attribute values) as a plain JSON object.
pub fn item_to_plain(item: &Value) -> Result<Value, String> {
    let Some(map) = item.as_object() else {
        return Err("An item is a JSON object of attributes, like {\"id\": {\"S\": \"a\"}}".to_owned());
    };
    let mut out = Map::new();
    for (name, value) in map {
        out.insert(name.clone(), value_to_plain(value).map_err(|e| format!("Attribute \"{name}\": {e}"))?);
    }
    Ok(Value::Object(out))
}

/// One DynamoDB attribute value as plain JSON.
pub fn value_to_plain(value: &Value) -> Result<Value, String> {
    let descriptor = value.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next());
    let Some((kind, inner)) = descriptor else {
        return Err(format!("expected one type descriptor like {{\"S\": \"text\"}}, got {value}"));
    };
    let text =
        |v: &Value| v.as_str().map(str::to_owned).ok_or_else(|| format!("{kind} needs a string, got {v}"));
    let number = |v: &Value| -> Result<Value, String> {
        let t = text(v)?;
        match serde_json::from_slice::<Value>(t.trim().as_bytes()) {
            Ok(n @ Value::Number(_)) => Ok(n),
            _ => Err(format!("\"{t}\" is not a number")),
        }
    };
    let array = |v: &Value| v.as_array().cloned().ok_or_else(|| format!("{kind} needs an array, got {v}"));
    Ok(match kind.as_str() {
        "S" | "B" => Value::String(text(inner)?),
        "N" => number(inner)?,
        "BOOL" => {
            Value::Bool(inner.as_bool().ok_or_else(|| format!("BOOL needs true or false, got {inner}"))?)
        }
        "NULL" => Value::Null,
        "SS" | "BS" => {
            Value::Array(array(inner)?.iter().map(|v| text(v).map(Value::String)).collect::<Result<_, _>>()?)
        }
        "NS" => Value::Array(array(inner)?.iter().map(number).collect::<Result<_, _>>()?),
        "L" => Value::Array(array(inner)?.iter().map(value_to_plain).collect::<Result<_, _>>()?),
        "M" => item_to_plain(inner)?,
        other => return Err(format!("unknown type \"{other}\" (S, N, B, BOOL, NULL, SS, NS, BS, L, M)")),
    })
}

/// A plain JSON object as a DynamoDB-JSON item.
pub fn item_from_plain(item: &Value) -> Result<Value, String> {
    match item {
        Value::Object(map) => {
            Ok(Value::Object(object_from(map.iter().map(|(k, v)| (k.clone(), value_from_plain(v))))))
        }
        _ => Err("An item is a JSON object of attributes, like {\"id\": \"a\"}".to_owned()),
    }
}

/// One plain JSON value as a DynamoDB attribute value.
pub fn value_from_plain(value: &Value) -> Value {
    let (kind, inner) = match value {
        Value::Null => ("NULL", Value::Bool(true)),
        Value::Bool(b) => ("BOOL", Value::Bool(*b)),
        Value::Number(n) => ("N", Value::String(n.to_string())),
        Value::String(s) => ("S", Value::String(s.clone())),
        Value::Array(a) => ("L", Value::Array(a.iter().map(value_from_plain).collect())),
        Value::Object(o) => {
            ("M", Value::Object(object_from(o.iter().map(|(k, v)| (k.clone(), value_from_plain(v))))))
        }
    };
    let mut m = Map::new();
    m.insert(kind.to_owned(), inner);
    Value::Object(m)
}

/// Parses editor text: a clear message when it is not JSON.
pub fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_slice(text.as_bytes()).map_err(|e| format!("Not valid JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dynamodb_json_to_plain() {
        let item = json!({
            "id": {"S": "a"}, "n": {"N": "1.5"}, "big": {"N": "12"}, "ok": {"BOOL": true}, "none": {"NULL": true},
            "tags": {"SS": ["x", "y"]}, "nums": {"NS": ["1", "2"]}, "bin": {"B": "AAE="}, "bins": {"BS": ["AA=="]},
            "nested": {"M": {"list": {"L": [{"S": "z"}, {"N": "3"}, {"M": {}}]}}}
        });
        assert_eq!(
            item_to_plain(&item).unwrap(),
            json!({"id": "a", "n": 1.5, "big": 12, "ok": true, "none": null, "tags": ["x", "y"], "nums": [1, 2],
                   "bin": "AAE=", "bins": ["AA=="], "nested": {"list": ["z", 3, {}]}})
        );
    }

    #[test]
    fn plain_to_dynamodb_json_and_back() {
        let plain = json!({"id": "a", "n": 7, "f": -0.25, "ok": false, "none": null, "l": [1, "x", [true]], "m": {"k": "v"}});
        let ddb = item_from_plain(&plain).unwrap();
        assert_eq!(
            ddb,
            json!({"id": {"S": "a"}, "n": {"N": "7"}, "f": {"N": "-0.25"}, "ok": {"BOOL": false}, "none": {"NULL": true},
                   "l": {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"BOOL": true}]}]}, "m": {"M": {"k": {"S": "v"}}}})
        );
        assert_eq!(item_to_plain(&ddb).unwrap(), plain);
    }

    #[test]
    fn clear_errors() {
        assert_eq!(
            item_to_plain(&json!([1])).unwrap_err(),
            "An item is a JSON object of attributes, like {\"id\": {\"S\": \"a\"}}"
        );
        assert_eq!(
            item_to_plain(&json!({"a": {"X": "1"}})).unwrap_err(),
            "Attribute \"a\": unknown type \"X\" (S, N, B, BOOL, NULL, SS, NS, BS, L, M)"
        );
        assert_eq!(
            item_to_plain(&json!({"a": "plain"})).unwrap_err(),
            "Attribute \"a\": expected one type descriptor like {\"S\": \"text\"}, got \"plain\""
        );
        assert_eq!(
            item_to_plain(&json!({"a": {"N": "ten"}})).unwrap_err(),
            "Attribute \"a\": \"ten\" is not a number"
        );
        assert!(parse("{\"a\": ").unwrap_err().starts_with("Not valid JSON: "));
        assert!(item_from_plain(&json!("x")).is_err());
    }
}
