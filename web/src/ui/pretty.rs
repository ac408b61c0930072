//! JSON as the UI shows it: indented by two spaces, exactly as `serde_json::to_string_pretty`
//! writes it. Written by hand over the compact writer (strings and numbers are written by
//! `serde_json` itself) because the pretty writer is a second copy of serde_json's serializer in
//! the wasm — ≈ 1.5 KB of the gzipped bundle for indentation.

use serde_json::Value;

/// `value` as indented JSON text.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, 0);
    out
}

fn write(out: &mut String, value: &Value, depth: usize) {
    let indent = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    match value {
        Value::Array(list) if !list.is_empty() => {
            out.push('[');
            for (i, v) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write(out, v, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                write(out, v, depth + 1);
            }
            indent(out, depth);
            out.push('}');
        }
        // Scalars, `[]` and `{}`: the compact text is the pretty text.
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_serde_json_pretty_printer() {
        for v in [
            json!(null),
            json!("a \"quoted\"\nline\u{1}"),
            json!(1.5),
            json!([]),
            json!({}),
            json!({"TableName": "Music", "Item": {"pk": {"S": "é"}, "n": {"N": "-1e5"}, "l": {"L": [{"BOOL": true}, {"NULL": true}]}}, "Empty": {}, "List": [[], [1, [2, {}]], {"x": []}]}),
        ] {
            assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap(), "{v}");
        }
    }
}
