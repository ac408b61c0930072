//! Pieces of the text input formats shared by the targets.

use serde_json::{json, Value};

/// An attribute value written on a line: DynamoDB JSON (`{"N":"1"}`) when it parses as an
/// object, otherwise the text as a string value — so a mutated value is still a value.
pub fn attribute_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(value @ Value::Object(_)) => value,
        _ => json!({ "S": text }),
    }
}

/// The same value written back (what [`attribute_value`] reads).
pub fn write_attribute_value(value: &Value) -> String {
    value.to_string()
}

/// `text` on one line: line breaks become spaces (the formats are line-based; a statement or
/// expression means the same with spaces).
pub fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// FNV-1a: a stable small hash, to map unknown names onto known ones deterministically.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The placeholders (`#x`, `:x`) an expression uses, as DynamoDB's lexer reads them.
pub fn placeholders(expression: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expression.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '#' && c != ':' {
            continue;
        }
        let mut end = start + 1;
        while let Some(&(i, n)) = chars.peek() {
            if n.is_ascii_alphanumeric() || n == '_' {
                end = i + n.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if end > start + 1 {
            out.push(expression[start..end].to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}
