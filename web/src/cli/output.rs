//! A response as the AWS CLI prints it with `--output json`: its SDK parses the response
//! against the API model — a structure's members in the model's order (`shapes.rs`), members
//! the model does not name dropped, null members left out, maps and lists as received — and
//! the CLI writes that with Python's `json.dump(indent=4, ensure_ascii=False)`: four spaces,
//! `"key": value`, floats as Python writes them (`1.0`, `1e+16`), nothing at all for `{}`.

use serde_json::{Number, Value};

use super::shapes::SHAPES;

/// What the AWS CLI prints for `response`, the answer to `operation` (empty for `{}`).
pub fn print(operation: &str, response: &Value) -> String {
    let mut out = String::new();
    // Application Auto Scaling's operations have no output shapes here (the pinned model's
    // lines are DynamoDB's): their answers print as the engine wrote them.
    let ty = shape(operation).map(|_| format!(">{operation}"));
    write(&mut out, response, ty.as_deref(), 0);
    finish(out)
}

/// What the AWS CLI prints for a result it built itself (a paginated command's pages merged):
/// `members` in this order, each read against the operation's output shape.
pub(super) fn print_members(operation: &str, members: &[(&str, &Value)]) -> String {
    let line = shape(operation).unwrap_or("");
    let entries: Vec<(&str, &Value, Option<&str>)> =
        members.iter().map(|(k, v)| (*k, *v, member_type(line, k))).collect();
    let mut out = String::new();
    write_entries(&mut out, &entries, 0);
    finish(out)
}

fn finish(out: String) -> String {
    if out == "{}" {
        String::new()
    } else {
        out + "\n"
    }
}

/// The members line of structure `name`.
fn shape(name: &str) -> Option<&'static str> {
    SHAPES.split('\n').find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
}

/// A member of a structure line: its name and its type (`""`, `>X`, `[T`, `{T`).
fn split_member(member: &str) -> (&str, &str) {
    member.split_at(member.find(['>', '[', '{']).unwrap_or(member.len()))
}

fn member_type<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.split(' ').map(split_member).find(|(n, _)| *n == name).map(|(_, t)| t)
}

/// Writes `value` read as type `ty` (`None`: a value the model does not describe, written as
/// it came).
fn write(out: &mut String, value: &Value, ty: Option<&str>, depth: usize) {
    let (kind, inner) = match ty {
        Some(t) if !t.is_empty() => t.split_at(1),
        _ => ("", ""),
    };
    match (value, kind) {
        (Value::Object(map), ">") => {
            let line = shape(inner).unwrap_or("");
            let entries: Vec<(&str, &Value, Option<&str>)> = line
                .split(' ')
                .map(split_member)
                .filter_map(|(name, t)| map.get(name).filter(|v| !v.is_null()).map(|v| (name, v, Some(t))))
                .collect();
            write_entries(out, &entries, depth);
        }
        (Value::Object(map), _) => {
            let t = (kind == "{").then_some(inner);
            let entries: Vec<(&str, &Value, Option<&str>)> =
                map.iter().map(|(k, v)| (k.as_str(), v, t)).collect();
            write_entries(out, &entries, depth);
        }
        (Value::Array(items), _) if !items.is_empty() => {
            let t = (kind == "[").then_some(inner);
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write(out, item, t, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        (Value::Number(n), _) => out.push_str(&python_number(n)),
        // Strings escape as Python's json does with ensure_ascii=False; `[]`, bools, null.
        (other, _) => out.push_str(&other.to_string()),
    }
}

fn write_entries(out: &mut String, entries: &[(&str, &Value, Option<&str>)], depth: usize) {
    if entries.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (k, v, t)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        indent(out, depth + 1);
        out.push_str(&Value::from(*k).to_string());
        out.push_str(": ");
        write(out, v, *t, depth + 1);
    }
    indent(out, depth);
    out.push('}');
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// A JSON number as Python prints what `json.loads` made of it: integers as they are, floats
/// as `repr` writes them (`1.0`, `0.0001`, `1e-05`, `1e+16`). serde_json writes the shortest
/// digits that read back (as Python does); only the notation differs, so it is rewritten here
/// with text alone (no float formatting in the bundle).
pub(super) fn python_number(n: &Number) -> String {
    let text = n.to_string();
    if !n.is_f64() {
        return text;
    }
    python_float(&text)
}

fn python_float(text: &str) -> String {
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{whole}{fraction}");
    // The decimal point sits after `point` digits.
    let mut point = whole.len() as i32 + exponent;
    while digits.starts_with('0') {
        digits.remove(0);
        point -= 1;
    }
    let digits = digits.trim_end_matches('0');
    let sign = if negative { "-" } else { "" };
    if digits.is_empty() {
        return format!("{sign}0.0");
    }
    let n = digits.len() as i32;
    let body = if !(-4 < point && point <= 16) {
        let e = point - 1;
        let rest = &digits[1..];
        let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{}{dot}e{}{:02}", &digits[..1], if e < 0 { '-' } else { '+' }, e.abs())
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= n {
        format!("{digits}{}.0", "0".repeat((point - n) as usize))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_read_as_python_writes_them() {
        for (text, python) in [
            ("1.0", "1.0"),
            ("0.5", "0.5"),
            ("1796282730.174", "1796282730.174"),
            ("1e16", "1e+16"),
            ("1.5e16", "1.5e+16"),
            ("1234567890123456.0", "1234567890123456.0"),
            ("0.0001", "0.0001"),
            ("1e-5", "1e-05"),
            ("1.25e-7", "1.25e-07"),
            ("-2.5", "-2.5"),
            ("0.0", "0.0"),
            ("1e300", "1e+300"),
            ("123.456e2", "12345.6"),
        ] {
            assert_eq!(python_float(text), python, "{text}");
        }
        // Through serde_json's own writing of an f64.
        assert_eq!(python_number(json!(100.0).as_number().unwrap()), "100.0");
        assert_eq!(python_number(json!(1e20).as_number().unwrap()), "1e+20");
        assert_eq!(python_number(json!(7).as_number().unwrap()), "7");
    }

    #[test]
    fn members_print_in_the_model_order_and_unknown_ones_are_dropped() {
        let response = json!({
            "ConsumedCapacity": {"CapacityUnits": 0.5, "TableName": "Music"},
            "Count": 1,
            "Items": [{"b": {"S": "x"}, "a": {"N": "1"}}],
            "ScannedCount": 1,
            "NotInTheModel": true,
            "LastEvaluatedKey": null,
        });
        assert_eq!(
            print("Scan", &response),
            r#"{
    "Items": [
        {
            "a": {
                "N": "1"
            },
            "b": {
                "S": "x"
            }
        }
    ],
    "Count": 1,
    "ScannedCount": 1,
    "ConsumedCapacity": {
        "TableName": "Music",
        "CapacityUnits": 0.5
    }
}
"#
        );
    }

    #[test]
    fn an_operation_without_an_output_shape_prints_its_answer_as_it_came() {
        let printed = print("DescribeScalableTargets", &json!({"ScalableTargets": [{"MaxCapacity": 100}]}));
        assert!(
            printed.contains("\"ScalableTargets\": [") && printed.contains("\"MaxCapacity\": 100"),
            "{printed}"
        );
    }

    #[test]
    fn an_empty_answer_prints_nothing_and_empty_values_print_inline() {
        assert_eq!(print("PutItem", &json!({})), "");
        assert_eq!(print("TagResource", &json!({"Unmodelled": 1})), "");
        assert_eq!(print("ListTables", &json!({"TableNames": []})), "{\n    \"TableNames\": []\n}\n");
        assert_eq!(print("GetItem", &json!({"Item": {}})), "{\n    \"Item\": {}\n}\n");
        // Strings are escaped as Python's json writes them (non-ASCII as is).
        assert_eq!(
            print("GetItem", &json!({"Item": {"é": {"S": "a\"b\\\n\u{1}"}}})),
            "{\n    \"Item\": {\n        \"é\": {\n            \"S\": \"a\\\"b\\\\\\n\\u0001\"\n        }\n    }\n}\n"
        );
    }

    #[test]
    fn merged_pages_keep_the_order_they_were_built_in() {
        let items = json!([]);
        let null = Value::Null;
        let text =
            print_members("Scan", &[("Items", &items), ("Count", &json!(0)), ("ConsumedCapacity", &null)]);
        assert_eq!(text, "{\n    \"Items\": [],\n    \"Count\": 0,\n    \"ConsumedCapacity\": null\n}\n");
    }

    #[test]
    fn every_shape_a_line_names_is_defined() {
        for line in SHAPES.split('\n').filter(|l| !l.is_empty()) {
            let (_, members) = line.split_once('=').unwrap();
            for member in members.split(' ').filter(|m| !m.is_empty()) {
                let (_, ty) = split_member(member);
                if let Some(at) = ty.find('>') {
                    assert!(shape(&ty[at + 1..]).is_some(), "{line}: {} is not defined", &ty[at + 1..]);
                }
            }
        }
    }
}
