//! PartiQL literals (and `?` parameters) as AttributeValues in DynamoDB JSON: `'s'` → S,
//! numbers → N, `true`/`false` → BOOL, `null` → NULL, `[..]` → L, `{'k': v}` → M,
//! `<<..>>` → SS / NS / BS. The JSON goes through the engine's own checks later (number
//! range, set duplicates), so DynamoDB's value errors come out unchanged.

use serde_json::{json, Map, Value};

use super::ast::Expr;
use super::parser::malformed;
use crate::error::{ApiError, ApiResult};

/// The value an expression stands for, when it is a literal or a parameter.
pub(crate) fn value_of(expr: &Expr, params: &[Value]) -> ApiResult<Value> {
    Ok(match expr {
        Expr::Str(s) => json!({ "S": s }),
        Expr::Number(n) => json!({ "N": n }),
        Expr::Bool(b) => json!({ "BOOL": b }),
        Expr::Null => json!({ "NULL": true }),
        Expr::Param(i) => param(*i, params)?,
        Expr::List(items) => {
            json!({ "L": items.iter().map(|e| value_of(e, params)).collect::<ApiResult<Vec<_>>>()? })
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
                map.insert(key, value_of(v, params)?);
            }
            json!({ "M": map })
        }
        Expr::Bag(items) => set_of(items, params)?,
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

/// `<<a, b>>`: every member must be a string, a number, or a binary, all the same.
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
    match kind {
        Some(k) => Ok(json!({ k: members })),
        None => Err(ApiError::validation(malformed("Sets may not be empty"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;

    fn item_of(text: &str, params: &[Value]) -> ApiResult<Value> {
        match parse(&format!("INSERT INTO t VALUE {text}")).map_err(ApiError::validation)? {
            Statement::Insert { item, .. } => value_of(&item, params),
            _ => unreachable!("an INSERT"),
        }
    }

    #[test]
    fn literals_map_to_attribute_values() {
        let got = item_of(
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
        assert_eq!(
            item_of("{'a': ?}", &[]).unwrap_err().message,
            "Number of parameters in request and statement don't match."
        );
        assert!(item_of("{'a': <<'x', 1>>}", &[]).is_err());
        assert!(item_of("{'a': <<>>}", &[]).is_err());
        assert!(item_of("{'a': b}", &[]).is_err());
        assert!(item_of("{?: 1}", &[json!({"N": "1"})]).is_err());
    }
}
