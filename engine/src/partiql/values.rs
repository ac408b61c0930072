//! PartiQL literals (and `?` parameters) as AttributeValues in DynamoDB JSON: `'s'` → S,
//! numbers → N, `true`/`false` → BOOL, `null` → NULL, `[..]` → L, `{'k': v}` → M,
//! `<<..>>` → SS / NS / BS.
//!
//! DynamoDB checks these values with messages of their own, before anything is planned, so
//! they never reach the expression language's checks (and its `ExpressionAttributeValues
//! contains invalid value` wording):
//! - a number literal breaking DynamoDB's number rules names where it sits in the value
//!   (`Number overflow. … under root.x`);
//! - a parameter is read as Java's `BigDecimal` reads a string: an exponent or scale past a
//!   32-bit integer cannot be converted (`The parameter cannot be converted to a numeric value:
//!   1e99999999999`), and the magnitude check works on precision less scale in 32-bit
//!   arithmetic, so `1e2147483647` wraps to an underflow;
//! - the parameters are walked in order, each depth first, and the first problem met is the
//!   one reported: a value nested past 32 levels, or a number that cannot be read.

use serde_json::{json, Map, Value};

use super::ast::Expr;
use super::parser::malformed;
use crate::error::{ApiError, ApiResult};
use crate::types::value::{MAX_NESTING, NESTED_TOO_DEEP};
use crate::types::{AttributeValue, Number};

/// The value an expression stands for, when it is a literal or a parameter.
pub(crate) fn value_of(expr: &Expr, params: &[Value]) -> ApiResult<Value> {
    value_at(expr, params, &mut String::from("root"))
}

/// An INSERT's item: each attribute's value is a `root` of its own.
pub(crate) fn item_of(expr: &Expr, params: &[Value]) -> ApiResult<Value> {
    let Expr::Map(entries) = expr else { return value_of(expr, params) };
    let mut map = Map::new();
    for (k, v) in entries {
        let Some(Value::String(key)) = value_of(k, params)?.get("S").cloned() else {
            return Err(ApiError::validation(malformed("Map keys must be strings")));
        };
        map.insert(key, value_of(v, params)?);
    }
    Ok(json!({ "M": map }))
}

/// `value_of`, with the path of the value inside the attribute it belongs to (`root`,
/// `root.x`, `root[1]`), which a literal number's message names.
fn value_at(expr: &Expr, params: &[Value], at: &mut String) -> ApiResult<Value> {
    Ok(match expr {
        Expr::Str(s) => json!({ "S": s }),
        Expr::Number(n) => {
            Number::parse(n).map_err(|e| ApiError::validation(format!("{} under {at}", e.message(n))))?;
            json!({ "N": n })
        }
        Expr::Bool(b) => json!({ "BOOL": b }),
        Expr::Null => json!({ "NULL": true }),
        Expr::Param(i) => param(*i, params)?,
        Expr::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, e) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                out.push(value_at(e, params, at)?);
                at.truncate(len);
            }
            json!({ "L": out })
        }
        Expr::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match value_of(k, params)? {
                    Value::Object(o) => match o.get("S") {
                        Some(Value::String(s)) => s.clone(),
                        _ => return Err(ApiError::validation(malformed("Map keys must be strings"))),
                    },
                    _ => return Err(ApiError::validation(malformed("Map keys must be strings"))),
                };
                let len = at.len();
                at.push('.');
                at.push_str(&key);
                map.insert(key, value_at(v, params, at)?);
                at.truncate(len);
            }
            json!({ "M": map })
        }
        Expr::Bag(items) => set_of(items, params)?,
        Expr::Call(name, _, pos) => {
            return Err(ApiError::validation(format!(
                "Unsupported data type: {} under key root at {pos}",
                name.to_ascii_lowercase()
            )))
        }
        _ => return Err(ApiError::validation(malformed(&format!("Expected a value, found {expr}")))),
    })
}

/// Whether an expression is a value (literal or parameter) rather than a path or condition.
pub(crate) fn is_value(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Str(_)
            | Expr::Number(_)
            | Expr::Bool(_)
            | Expr::Null
            | Expr::Param(_)
            | Expr::List(_)
            | Expr::Map(_)
            | Expr::Bag(_)
    )
}

fn param(i: usize, params: &[Value]) -> ApiResult<Value> {
    params.get(i).cloned().ok_or_else(parameter_count_mismatch)
}

/// DynamoDB's refusal when `?` slots and `Parameters` differ in number.
pub(crate) fn parameter_count_mismatch() -> ApiError {
    ApiError::validation("Number of parameters in request and statement don't match.")
}

/// Checks every parameter, in order and depth first, and reports the first problem.
pub(crate) fn check_parameters(params: &[Value]) -> ApiResult<()> {
    for p in params {
        check_parameter(p, 0)?;
    }
    for p in params {
        AttributeValue::from_json(p)?;
    }
    Ok(())
}

/// One parameter (or a value inside one) at `depth` levels below its top.
fn check_parameter(json: &Value, depth: usize) -> ApiResult<()> {
    if depth >= MAX_NESTING {
        return Err(ApiError::validation(NESTED_TOO_DEEP));
    }
    let Some(map) = json.as_object() else { return Ok(()) };
    for (tag, body) in map {
        match (tag.as_str(), body) {
            ("N", Value::String(n)) => check_number(n)?,
            ("NS", Value::Array(members)) => {
                for n in members.iter().filter_map(Value::as_str) {
                    check_number(n)?;
                }
            }
            ("M", Value::Object(members)) => {
                for v in members.values() {
                    check_parameter(v, depth + 1)?;
                }
            }
            ("L", Value::Array(items)) => {
                for v in items {
                    check_parameter(v, depth + 1)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A number as Java's `BigDecimal` reads it, then DynamoDB's range and precision.
fn check_number(text: &str) -> ApiResult<()> {
    Number::parse_big_decimal(text).map(|_| ()).map_err(|e| ApiError::validation(e.message(text)))
}

/// `<<a, b>>`: every member must be a string, a number, or a binary, all the same, and none
/// twice. The duplicate message lists the members as written.
fn set_of(items: &[Expr], params: &[Value]) -> ApiResult<Value> {
    let mut kind: Option<&'static str> = None;
    let mut members = Vec::new();
    for item in items {
        let value = value_of(item, params)?;
        let (k, member) = match value.as_object().and_then(|o| o.iter().next()) {
            Some((k, v)) if k == "S" => ("SS", v.clone()),
            Some((k, v)) if k == "N" => ("NS", v.clone()),
            Some((k, v)) if k == "B" => ("BS", v.clone()),
            _ => {
                return Err(ApiError::validation(malformed(
                    "Sets may only contain strings, numbers or binaries",
                )))
            }
        };
        if kind.is_some_and(|seen| seen != k) {
            return Err(ApiError::validation(malformed("Set members must all be of the same type")));
        }
        kind = Some(k);
        members.push(member);
    }
    let Some(k) = kind else { return Err(ApiError::validation("Empty bags are not supported")) };
    let set = json!({ k: members });
    if let Err(e) = AttributeValue::from_json(&set) {
        if k == "SS" && e.cause == Some(crate::error::Cause::DuplicateSetMembers) {
            let shown: Vec<&str> = members.iter().filter_map(Value::as_str).collect();
            return Err(ApiError::invalid_parameter(format!(
                "Input collection [{}] contains duplicates.",
                shown.join(", ")
            )));
        }
        return Err(e);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;

    fn inserted(text: &str, params: &[Value]) -> ApiResult<Value> {
        match parse(&format!("INSERT INTO t VALUE {text}")).map_err(ApiError::validation)? {
            Statement::Insert { item, .. } => item_of(&item, params),
            _ => unreachable!("an INSERT"),
        }
    }

    #[test]
    fn literals_map_to_attribute_values() {
        let got = inserted(
            "{'s': 'x', 'n': -1.5, 'b': true, 'z': null, 'l': [1, 'a'], 'm': {'k': ?}, 'ss': <<'a', 'b'>>, 'ns': <<1, 2>>}",
            &[json!({"BS": ["AA=="]})],
        )
        .unwrap();
        assert_eq!(
            got,
            json!({"M": {
                "s": {"S": "x"}, "n": {"N": "-1.5"}, "b": {"BOOL": true}, "z": {"NULL": true},
                "l": {"L": [{"N": "1"}, {"S": "a"}]}, "m": {"M": {"k": {"BS": ["AA=="]}}},
                "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}
            }})
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let msg = |text: &str| inserted(text, &[]).unwrap_err().message;
        assert_eq!(
            inserted("{'a': ?}", &[]).unwrap_err().message,
            "Number of parameters in request and statement don't match."
        );
        assert!(inserted("{'a': <<'x', 1>>}", &[]).is_err());
        assert_eq!(msg("{'a': <<>>}"), "Empty bags are not supported");
        assert_eq!(
            msg("{'a': <<'x', 'x'>>}"),
            "One or more parameter values were invalid: Input collection [x, x] contains duplicates."
        );
        assert!(inserted("{'a': b}", &[]).is_err());
        assert!(inserted("{?: 1}", &[json!({"N": "1"})]).is_err());
        assert_eq!(
            msg("{'m': {'x': [1, 1e126]}}"),
            "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x[1]"
        );
    }

    #[test]
    fn parameters_are_read_as_big_decimals() {
        let msg = |n: &str| check_parameters(&[json!({ "N": n })]).unwrap_err().message;
        assert_eq!(msg(""), "The parameter cannot be converted to a numeric value");
        assert_eq!(msg("abc"), "The parameter cannot be converted to a numeric value: abc");
        for unconvertible in
            ["1e99999999999", "-1e99999999999", "1e-99999999999", "1e2147483648", "1e-2147483648"]
        {
            assert_eq!(
                msg(unconvertible),
                format!("The parameter cannot be converted to a numeric value: {unconvertible}")
            );
        }
        assert_eq!(
            msg("1e2147483647"),
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        );
        assert_eq!(
            msg("1e126"),
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        );
        assert!(check_parameters(&[json!({"N": "-1.5e3"}), json!({"NS": ["1", ".5"]})]).is_ok());
        let mut deep = json!({"N": "abc"});
        for _ in 0..40 {
            deep = json!({ "M": { "n": deep } });
        }
        assert_eq!(
            check_parameters(&[deep.clone(), json!({"N": "abc"})]).unwrap_err().message,
            NESTED_TOO_DEEP
        );
        assert_eq!(
            check_parameters(&[json!({"N": "abc"}), deep]).unwrap_err().message,
            "The parameter cannot be converted to a numeric value: abc"
        );
    }
}
