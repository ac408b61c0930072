//! A strict reading of a request body, for the operations DynamoDB serves with its newer,
//! stricter deserialiser (SearchVectors: the Parity Suite's captures in eu-west-2 and
//! us-east-1, 2026-10-09). It reads the body's top-level members by the operation's schema
//! before any constraint is checked, and words its refusals as serde_json words them, with
//! the line and column where reading stopped:
//!
//! - a member of the wrong JSON type, or `null` for a required (`NotNull`) one, is a
//!   `SerializationException`: "invalid type: null, expected a string at line 1 column 28";
//! - a required member that is absent is a `ValidationException`, once the whole body is
//!   read, in the schema's order: "missing field `TableName` at line 1 column 51" (the closing brace).
//!
//! So a missing TableName is reported before a too-short IndexName, which only the
//! constraints see. Values nested deeper (attribute values) are left to the usual checks, as
//! are bodies that are not objects; unknown members are ignored. A member given twice is
//! "duplicate field `…`", as a derived deserialiser says (not captured).

use std::borrow::Cow;

use serde_json::Value;

use super::{Field, Rule, Shape};
use crate::error::{ApiError, ApiResult};

/// Reads `body` (JSON text) strictly by `fields`; `request` is the same body parsed.
///
/// A scan of the text rather than a serde `Visitor`: the body is already parsed, only the
/// positions are missing, and a visitor's monomorphised reader cost the page's bundle 4.5 KB.
/// The positions are serde_json's: a wrong scalar is reported after it, a wrong list or map
/// before its bracket (serde peeks at it), a repeated member after its name, a missing one
/// after the closing brace.
pub(crate) fn read(body: &[u8], request: &Value, fields: &'static [Field]) -> ApiResult<()> {
    if !request.is_object() {
        return Ok(());
    }
    let mut seen = vec![false; fields.len()];
    let mut at = skip_space(body, 0) + 1;
    loop {
        at = skip_space(body, at);
        match body.get(at) {
            Some(b'}') => break,
            Some(b',') => {
                at += 1;
                continue;
            }
            Some(b'"') => {}
            // Not what a parsed object looks like: leave it to the usual checks.
            _ => return Ok(()),
        }
        let name_end = skip_value(body, at);
        let name = name_of(&body[at..name_end]);
        let start = skip_space(body, skip_space(body, name_end) + 1);
        let end = skip_value(body, start);
        at = end;
        let Some(i) = fields.iter().position(|f| f.name == name) else { continue };
        if seen[i] {
            let text = format!("duplicate field `{}`", fields[i].name);
            return Err(ApiError::serialization(text + &position(body, name_end)));
        }
        seen[i] = true;
        check(&fields[i], body, start, end)?;
    }
    match fields.iter().zip(&seen).find(|(f, seen)| !**seen && required(f)) {
        Some((field, _)) => {
            let text = format!("missing field `{}`", field.name);
            Err(ApiError::validation(text + &position(body, at + 1)))
        }
        None => Ok(()),
    }
}

/// Reads a request a host handed over already parsed, as its compact JSON text (the columns
/// then count in that text).
pub(crate) fn read_value(request: &Value, fields: &'static [Field]) -> ApiResult<()> {
    if !request.is_object() {
        return Ok(());
    }
    read(request.to_string().as_bytes(), request, fields)
}

fn required(field: &Field) -> bool {
    field.rules.iter().any(|r| matches!(r, Rule::NotNull))
}

/// Checks one member's value (`body[start..end]`) against its shape.
fn check(field: &Field, body: &[u8], start: usize, end: usize) -> ApiResult<()> {
    let text = body.get(start..end).unwrap_or_default();
    let value: Value = serde_json::from_slice(text).unwrap_or(Value::Null);
    let fits = match (&field.shape, &value) {
        (_, Value::Null) => !required(field),
        (Shape::Str, Value::String(_))
        | (Shape::Bool, Value::Bool(_))
        | (Shape::List(_), Value::Array(_)) => true,
        (Shape::Map(_) | Shape::Struct(..) | Shape::AttributeValue, Value::Object(_)) => true,
        (Shape::Double, Value::Number(_)) => true,
        (Shape::Integer | Shape::Long, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            let whole = n.as_i64().map_or(i128::from(n.as_u64().unwrap_or(u64::MAX)), i128::from);
            let range = match field.shape {
                Shape::Integer => i128::from(i32::MIN)..=i128::from(i32::MAX),
                _ => i128::from(i64::MIN)..=i128::from(i64::MAX),
            };
            if !range.contains(&whole) {
                let text = format!("invalid value: integer `{n}`, expected {}", expected(field));
                return Err(ApiError::serialization(text + &position(body, end)));
            }
            true
        }
        _ => false,
    };
    if fits {
        return Ok(());
    }
    let found = match &value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    };
    // serde reads a scalar before refusing it, but only peeks at a bracket.
    let at = if matches!(value, Value::Array(_) | Value::Object(_)) { start } else { end };
    let text = format!("invalid type: {found}, expected {}", expected(field));
    Err(ApiError::serialization(text + &position(body, at)))
}

/// serde's own words for what a shape reads as.
fn expected(field: &Field) -> &'static str {
    match field.shape {
        Shape::Str => "a string",
        Shape::Bool => "a boolean",
        Shape::Integer => "i32",
        Shape::Long => "i64",
        Shape::Double => "f64",
        Shape::List(_) => "a sequence",
        Shape::Map(_) | Shape::Struct(..) | Shape::AttributeValue => "a map",
    }
}

/// " at line L column C" for the reader having read `body[..at]`, as serde_json counts them.
fn position(body: &[u8], at: usize) -> String {
    let read = body.get(..at).unwrap_or(body);
    let line_start = read.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + read[..line_start].iter().filter(|b| **b == b'\n').count();
    format!(" at line {line} column {}", read.len() - line_start)
}

/// A member name as the reader compares it (escapes undone).
fn name_of(quoted: &[u8]) -> Cow<'_, str> {
    match quoted.get(1..quoted.len().saturating_sub(1)) {
        Some(inner) if !inner.contains(&b'\\') => String::from_utf8_lossy(inner),
        _ => match serde_json::from_slice::<Value>(quoted) {
            Ok(Value::String(s)) => Cow::Owned(s),
            _ => Cow::Borrowed(""),
        },
    }
}

fn skip_space(body: &[u8], mut at: usize) -> usize {
    while body.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// Where the JSON value starting at `at` ends (the body is known to be valid JSON).
fn skip_value(body: &[u8], mut at: usize) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    while let Some(&b) = body.get(at) {
        at += 1;
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return at;
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ if depth > 0 => {}
            // The end of a number or literal: the byte after it is not part of it.
            b']' | b'}' | b',' | b':' => return at - 1,
            _ if b.is_ascii_whitespace() => return at - 1,
            _ => {}
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    // Every text and column below is what serde_json 1.0.154 answers for a struct with a
    // derived Deserialize of these three members (String, Option<i32>, Vec<_>), checked by hand.
    static FIELDS: &[Field] = &[
        super::super::field("TableName", Shape::Str, &[Rule::NotNull]),
        super::super::field("Limit", Shape::Integer, &[]),
        super::super::field("Vector", Shape::List(&Shape::AttributeValue), &[Rule::NotNull]),
    ];

    fn read_text(text: &str) -> ApiResult<()> {
        let request: Value = serde_json::from_str(text).unwrap();
        read(text.as_bytes(), &request, FIELDS)
    }

    fn refusal(text: &str) -> (ErrorKind, String) {
        let e = read_text(text).unwrap_err();
        (e.kind, e.message)
    }

    #[test]
    fn a_null_required_member_is_a_serialization_error_with_its_column() {
        assert_eq!(
            refusal(r#"{"TableName":null,"Vector":[]}"#),
            (ErrorKind::Serialization, "invalid type: null, expected a string at line 1 column 17".into())
        );
        // The column counts in the text as sent: spaces move it.
        assert_eq!(
            refusal(r#"{"TableName":   null, "Vector":[]}"#).1,
            "invalid type: null, expected a string at line 1 column 20"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":null}"#).1,
            "invalid type: null, expected a sequence at line 1 column 30"
        );
        // An optional member may be null.
        assert!(read_text(r#"{"TableName":"t","Vector":[{"N":"1"}],"Limit":null}"#).is_ok());
    }

    #[test]
    fn wrong_types_and_ranges_are_worded_as_serde_words_them() {
        assert_eq!(
            refusal(r#"{"TableName":7,"Vector":[]}"#).1,
            "invalid type: integer `7`, expected a string at line 1 column 14"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":[],"Limit":"5"}"#).1,
            "invalid type: string \"5\", expected i32 at line 1 column 40"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":[],"Limit":3000000000}"#),
            (
                ErrorKind::Serialization,
                "invalid value: integer `3000000000`, expected i32 at line 1 column 47".into()
            )
        );
        // A list or map is refused before its bracket: serde only peeks at it.
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":{}}"#).1,
            "invalid type: map, expected a sequence at line 1 column 26"
        );
        assert_eq!(
            refusal(r#"{"TableName":["t"],"Vector":[]}"#).1,
            "invalid type: sequence, expected a string at line 1 column 13"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":[],"Limit":1.5}"#).1,
            "invalid type: floating point `1.5`, expected i32 at line 1 column 40"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":[],"Limit":-3000000000}"#).1,
            "invalid value: integer `-3000000000`, expected i32 at line 1 column 48"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","Vector":[],"Limit":1e3}"#).1,
            "invalid type: floating point `1000.0`, expected i32 at line 1 column 40"
        );
        assert_eq!(
            refusal(r#"{"TableName":true,"Vector":[]}"#).1,
            "invalid type: boolean `true`, expected a string at line 1 column 17"
        );
        assert_eq!(
            refusal("{\"TableName\":\"t\",\n \"Vector\": \"a\\\"b\"}").1,
            "invalid type: string \"a\\\"b\", expected a sequence at line 2 column 17",
            "lines count from 1, columns from each line's start"
        );
    }

    #[test]
    fn a_missing_member_is_a_validation_error_after_the_whole_body() {
        // Reported in the schema's order, and only once every member read well.
        assert_eq!(
            refusal(r#"{"Limit":5}"#),
            (ErrorKind::Validation, "missing field `TableName` at line 1 column 11".into())
        );
        // The column is the body's closing brace.
        assert_eq!(refusal(r#"{"TableName":"t"}"#).1, "missing field `Vector` at line 1 column 17");
        assert_eq!(
            refusal(r#"{"Limit":5,"TableName":null}"#).0,
            ErrorKind::Serialization,
            "a wrong type is met before the end"
        );
        assert_eq!(
            refusal(r#"{"TableName":"t","TableName":"u","Vector":[]}"#).1,
            "duplicate field `TableName` at line 1 column 28"
        );
        // Names are compared with their escapes undone.
        assert_eq!(
            refusal(r#"{"Table\u004eame":null,"Vector":[]}"#).1,
            "invalid type: null, expected a string at line 1 column 22"
        );
        // Unknown members and bodies that are not objects pass (the usual checks answer).
        assert!(read_text(r#"{"Other":{"x":[null,"}"]},"TableName":"t", "Vector" : [ ] }"#).is_ok());
        assert!(read_text("[1]").is_ok());
    }
}
