//! A request's `ExpressionAttributeNames` and `ExpressionAttributeValues`: read and checked once
//! per request, shared by all its expressions, which mark the placeholders they use so that
//! unused ones can be reported afterwards, as DynamoDB does.

use serde_json::Value;

use crate::error::{ApiError, ApiResult, Cause, ErrorKind};
use crate::types::layer::{layer, Layer};
use crate::types::AttributeValue;

/// Longest placeholder key, in bytes.
const MAX_KEY_BYTES: usize = 255;

/// The placeholders of one request, in the order the request gave them.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExpressionAttributes {
    names: Vec<Placeholder<String>>,
    values: Vec<Placeholder<AttributeValue>>,
}

#[derive(Clone, Debug)]
struct Placeholder<T> {
    key: String,
    value: T,
    used: bool,
}

impl ExpressionAttributes {
    /// Reads both members from a request body, with DynamoDB's checks and messages, in its
    /// order: names (empty map, keys), then values (empty map, keys, then each value).
    pub fn from_request(request: &Value) -> ApiResult<Self> {
        let mut attrs = ExpressionAttributes::default();
        if let Some(names) = member(request, "ExpressionAttributeNames")? {
            if names.is_empty() {
                return Err(ApiError::validation("ExpressionAttributeNames must not be empty")
                    .because(Cause::RequestCheck));
            }
            for (key, value) in names {
                check_key("ExpressionAttributeNames", key, '#', true)?;
                let Value::String(name) = value else {
                    return Err(ApiError::serialization("Unexpected field type"));
                };
                if name.is_empty() {
                    return Err(ApiError::validation(format!(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name for key {key}"
                    )));
                }
                attrs.names.push(Placeholder { key: key.clone(), value: name.clone(), used: false });
            }
        }
        if let Some(values) = member(request, "ExpressionAttributeValues")? {
            if values.is_empty() {
                return Err(ApiError::validation("ExpressionAttributeValues must not be empty")
                    .because(Cause::RequestCheck));
            }
            for key in values.keys() {
                check_key("ExpressionAttributeValues", key, ':', false)?;
            }
            for (key, json) in values {
                // The older value layer names the key; the current one reports the value bare.
                let value = AttributeValue::from_json(json).map_err(|e| match e.kind {
                    ErrorKind::Validation if layer() == Layer::Older => ApiError::validation(format!(
                        "ExpressionAttributeValues contains invalid value: {} for key {key}",
                        e.message
                    ))
                    .because_of(&e),
                    _ => e,
                })?;
                attrs.values.push(Placeholder { key: key.clone(), value, used: false });
            }
        }
        Ok(attrs)
    }

    /// Placeholders from plain lists (tests and internal callers).
    #[cfg(test)]
    pub fn from_parts(names: &[(&str, &str)], values: &[(&str, AttributeValue)]) -> Self {
        ExpressionAttributes {
            names: names
                .iter()
                .map(|(k, v)| Placeholder { key: (*k).to_owned(), value: (*v).to_owned(), used: false })
                .collect(),
            values: values
                .iter()
                .map(|(k, v)| Placeholder { key: (*k).to_owned(), value: v.clone(), used: false })
                .collect(),
        }
    }

    /// Whether `#name` is defined (without marking it used).
    pub(crate) fn has_name(&self, key: &str) -> bool {
        self.names.iter().any(|p| p.key == key)
    }

    /// The attribute name behind `#name`, marking it used.
    pub(crate) fn use_name(&mut self, key: &str) -> Option<String> {
        let p = self.names.iter_mut().find(|p| p.key == key)?;
        p.used = true;
        Some(p.value.clone())
    }

    /// The attribute name behind `#name`, without marking it used.
    pub(crate) fn peek_name(&self, key: &str) -> Option<&str> {
        self.names.iter().find(|p| p.key == key).map(|p| p.value.as_str())
    }

    /// The value behind `:value`, marking it used.
    pub(crate) fn use_value(&mut self, key: &str) -> Option<AttributeValue> {
        let p = self.values.iter_mut().find(|p| p.key == key)?;
        p.used = true;
        Some(p.value.clone())
    }

    /// DynamoDB's error for placeholders no expression used: names first, then values. Keys are
    /// listed in the order a Java `HashSet` iterates them, as DynamoDB's message does.
    pub fn check_all_used(&self) -> ApiResult<()> {
        let unused: Vec<&str> = self.names.iter().filter(|p| !p.used).map(|p| p.key.as_str()).collect();
        if !unused.is_empty() {
            return Err(ApiError::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                java_hash_set_order(&unused, self.names.len()).join(", ")
            )));
        }
        let unused: Vec<&str> = self.values.iter().filter(|p| !p.used).map(|p| p.key.as_str()).collect();
        if !unused.is_empty() {
            return Err(ApiError::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                java_hash_set_order(&unused, self.values.len()).join(", ")
            )));
        }
        Ok(())
    }
}

fn member<'a>(request: &'a Value, name: &str) -> ApiResult<Option<&'a serde_json::Map<String, Value>>> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(ApiError::serialization("Unexpected field type")),
    }
}

fn check_key(member: &str, key: &str, sigil: char, report_size: bool) -> ApiResult<()> {
    if key.len() > MAX_KEY_BYTES {
        let size = if report_size { format!(" size of key: {}", key.len()) } else { String::new() };
        return Err(ApiError::validation(format!(
            "{member} contains invalid key: The expression attribute map contains a key that is too long;{size}"
        )));
    }
    let mut chars = key.chars();
    let valid = chars.next() == Some(sigil)
        && !chars.as_str().is_empty()
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(ApiError::validation(format!(
            "{member} contains invalid key: Syntax error; key: \"{key}\""
        )));
    }
    Ok(())
}

/// Java's `String.hashCode` (over UTF-16 code units).
fn java_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// The order a `java.util.HashSet` built from `total` keys iterates `keys` in: by bucket
/// (spread hash masked by the table size), ties in insertion order.
fn java_hash_set_order<'a>(keys: &[&'a str], total: usize) -> Vec<&'a str> {
    let wanted = (total as f64 / 0.75) as usize + 1;
    let capacity = wanted.max(16).next_power_of_two();
    let mask = (capacity - 1) as u32;
    let mut slots: Vec<(u32, usize, &str)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let h = java_hash(k) as u32;
            ((h ^ (h >> 16)) & mask, i, *k)
        })
        .collect();
    crate::types::sort_by(&mut slots, Ord::cmp);
    slots.into_iter().map(|(_, _, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(request: Value) -> String {
        ExpressionAttributes::from_request(&request).unwrap_err().message
    }

    #[test]
    fn java_hash_matches_java() {
        assert_eq!(java_hash(""), 0);
        assert_eq!(java_hash("a"), 97);
        assert_eq!(java_hash("hello"), 99_162_322);
        assert_eq!(java_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn maps_are_checked_in_dynamodb_order() {
        assert_eq!(
            err(json!({"ExpressionAttributeNames": {}})),
            "ExpressionAttributeNames must not be empty"
        );
        assert_eq!(
            err(json!({"ExpressionAttributeNames": {"a": "b"}})),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
        );
        assert_eq!(
            err(json!({"ExpressionAttributeNames": {"#a": ""}})),
            "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"
        );
        assert_eq!(
            err(json!({"ExpressionAttributeValues": {}})),
            "ExpressionAttributeValues must not be empty"
        );
        assert_eq!(
            err(json!({"ExpressionAttributeValues": {":b": {"S": "a"}, "b": {"S": "a"}}})),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\""
        );
        assert_eq!(
            err(json!({"ExpressionAttributeValues": {":b": {}}})),
            "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b"
        );
        assert_eq!(
            err(json!({"ExpressionAttributeValues": {":b": {"SS": []}}})),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b"
        );
    }

    #[test]
    fn unused_placeholders_are_reported() {
        let mut attrs = ExpressionAttributes::from_request(&json!({
            "ExpressionAttributeNames": {"#a": "a", "#b": "b"},
            "ExpressionAttributeValues": {":unused": {"S": "x"}}
        }))
        .unwrap();
        assert_eq!(
            attrs.check_all_used().unwrap_err().message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
        );
        attrs.use_name("#a");
        attrs.use_name("#b");
        assert_eq!(
            attrs.check_all_used().unwrap_err().message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
        );
        attrs.use_value(":unused");
        assert!(attrs.check_all_used().is_ok());
    }
}
