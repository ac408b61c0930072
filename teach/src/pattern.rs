//! JSON patterns: what a check expects of a request, a response or an item, written as the
//! JSON it must contain. An object pattern asks for its members only (the rest of the actual
//! object may be anything); a list pattern asks for a list of the same length whose entries
//! match in order; a number matches an equal number (`1` matches `1.0`); any other value
//! matches an equal one. An object whose members all start with `$` is an operator instead:
//!
//! | operator | matches |
//! |---|---|
//! | `{"$exists": false}` | a member that is absent (`true`: present, whatever its value) |
//! | `{"$min": 2}`, `{"$max": 5}` | a number at least / at most this |
//! | `{"$length": 3}`, `{"$minLength": 1}` | a list, object or string of exactly / at least this many entries (characters) |
//! | `{"$includes": pattern}` | a list with at least one entry matching `pattern` |
//! | `{"$contains": "text"}` | a string containing `text` |
//!
//! Operators combine (`{"$min": 1, "$max": 3}`), and every operator must hold.

use serde_json::Value;

/// Operators a pattern may use (see the module docs).
const OPERATORS: [&str; 7] = ["$exists", "$min", "$max", "$length", "$minLength", "$includes", "$contains"];

/// Checks that `pattern` is well formed: every `$` operator is known and has an operand of
/// the right kind. `path` names the pattern in the file for the error.
pub fn validate(pattern: &Value, path: &str) -> Result<(), String> {
    match pattern {
        Value::Object(members) if is_operator(pattern) => {
            for (name, operand) in members {
                let ok = match name.as_str() {
                    "$exists" => operand.is_boolean(),
                    "$min" | "$max" => operand.is_number(),
                    "$length" | "$minLength" => operand.is_u64(),
                    "$contains" => operand.is_string(),
                    "$includes" => return validate(operand, &format!("{path}.$includes")),
                    _ => {
                        return Err(format!(
                            "{path}: unknown operator \"{name}\" (known: {})",
                            OPERATORS.join(", ")
                        ))
                    }
                };
                if !ok {
                    return Err(format!("{path}: {name} has an operand of the wrong kind"));
                }
            }
            Ok(())
        }
        Value::Object(members) => {
            members.iter().try_for_each(|(name, member)| validate(member, &format!("{path}.{name}")))
        }
        Value::Array(entries) => entries
            .iter()
            .enumerate()
            .try_for_each(|(index, entry)| validate(entry, &format!("{path}[{index}]"))),
        _ => Ok(()),
    }
}

/// Whether `actual` (absent: `None`) matches `pattern`. The error says where and how it does
/// not, for a learner: `Count is 3, expected 1`, `Item.Version is missing`. `path` names
/// `actual` in that text (empty for the top level).
pub fn matches(pattern: &Value, actual: Option<&Value>, path: &str) -> Result<(), String> {
    let name = if path.is_empty() { "the value" } else { path };
    if is_operator(pattern) {
        return operators(pattern, actual, name);
    }
    let Some(actual) = actual else {
        return Err(format!("{name} is missing"));
    };
    match (pattern, actual) {
        (Value::Object(wanted), Value::Object(_)) => {
            wanted.iter().try_for_each(|(member, sub)| matches(sub, actual.get(member), &join(path, member)))
        }
        (Value::Array(wanted), Value::Array(got)) => {
            if wanted.len() != got.len() {
                return Err(format!("{name} has {} entries, expected {}", got.len(), wanted.len()));
            }
            wanted
                .iter()
                .zip(got)
                .enumerate()
                .try_for_each(|(index, (sub, entry))| matches(sub, Some(entry), &format!("{path}[{index}]")))
        }
        (Value::Number(wanted), Value::Number(got)) if wanted.as_f64() == got.as_f64() => Ok(()),
        _ if pattern == actual => Ok(()),
        _ => Err(format!("{name} is {}, expected {}", short(actual), short(pattern))),
    }
}

fn operators(pattern: &Value, actual: Option<&Value>, name: &str) -> Result<(), String> {
    let Value::Object(members) = pattern else { return Ok(()) };
    for (operator, operand) in members {
        match (operator.as_str(), actual) {
            ("$exists", found) => {
                let wanted = operand.as_bool().unwrap_or(true);
                if found.is_some() != wanted {
                    return Err(match found {
                        Some(value) => format!("{name} is {}, expected it absent", short(value)),
                        None => format!("{name} is missing"),
                    });
                }
            }
            (_, None) => return Err(format!("{name} is missing")),
            ("$min" | "$max", Some(value)) => {
                let bound = operand.as_f64().unwrap_or(0.0);
                let Some(number) = value.as_f64() else {
                    return Err(format!("{name} is {}, expected a number", short(value)));
                };
                if operator == "$min" && number < bound {
                    return Err(format!("{name} is {}, expected at least {}", short(value), short(operand)));
                }
                if operator == "$max" && number > bound {
                    return Err(format!("{name} is {}, expected at most {}", short(value), short(operand)));
                }
            }
            ("$length" | "$minLength", Some(value)) => {
                let wanted = operand.as_u64().unwrap_or(0);
                let length = match value {
                    Value::Array(entries) => entries.len(),
                    Value::Object(members) => members.len(),
                    Value::String(text) => text.chars().count(),
                    _ => return Err(format!("{name} is {}, expected a list", short(value))),
                } as u64;
                if operator == "$length" && length != wanted {
                    return Err(format!("{name} has {length} entries, expected {wanted}"));
                }
                if operator == "$minLength" && length < wanted {
                    return Err(format!("{name} has {length} entries, expected at least {wanted}"));
                }
            }
            ("$includes", Some(value)) => {
                let Value::Array(entries) = value else {
                    return Err(format!("{name} is {}, expected a list", short(value)));
                };
                if !entries.iter().any(|entry| matches(operand, Some(entry), "").is_ok()) {
                    return Err(format!("{name} has no entry like {}", short(operand)));
                }
            }
            ("$contains", Some(value)) => {
                let text = operand.as_str().unwrap_or_default();
                if !value.as_str().is_some_and(|got| got.contains(text)) {
                    return Err(format!("{name} is {}, expected it to contain \"{text}\"", short(value)));
                }
            }
            (_, Some(_)) => return Err(format!("{name}: unknown operator {operator}")),
        }
    }
    Ok(())
}

/// Whether a pattern object is an operator: it has members and all start with `$`.
fn is_operator(pattern: &Value) -> bool {
    matches!(pattern, Value::Object(members)
        if !members.is_empty() && members.keys().all(|name| name.starts_with('$')))
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// A value as short JSON text for a message: long values are cut.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(pattern: Value, actual: Value) -> bool {
        matches(&pattern, Some(&actual), "").is_ok()
    }

    fn why(pattern: Value, actual: Value) -> String {
        matches(&pattern, Some(&actual), "").unwrap_err()
    }

    #[test]
    fn objects_match_a_subset_of_members() {
        assert!(ok(json!({"Count": 1}), json!({"Count": 1, "Items": []})));
        assert!(ok(json!({}), json!({"anything": true})));
        assert_eq!(why(json!({"Count": 1}), json!({"Count": 3})), "Count is 3, expected 1");
        assert_eq!(why(json!({"Item": {"V": {"N": "2"}}}), json!({})), "Item is missing");
        assert_eq!(
            why(json!({"Item": {"V": {"N": "2"}}}), json!({"Item": {"V": {"N": "1"}}})),
            "Item.V.N is \"1\", expected \"2\""
        );
    }

    #[test]
    fn numbers_compare_by_value_and_lists_entry_by_entry() {
        assert!(ok(json!(1), json!(1.0)));
        assert!(ok(json!({"CapacityUnits": 0.5}), json!({"CapacityUnits": 0.5})));
        assert!(!ok(json!(0.5), json!(1.0)));
        assert!(ok(json!([{"a": 1}, 2]), json!([{"a": 1, "b": 0}, 2])));
        assert_eq!(why(json!([1]), json!([1, 2])), "the value has 2 entries, expected 1");
        assert_eq!(why(json!({"L": [1, 3]}), json!({"L": [1, 2]})), "L[1] is 2, expected 3");
    }

    #[test]
    fn operators_test_presence_bounds_length_and_content() {
        assert!(ok(json!({"Unprocessed": {"$exists": false}}), json!({})));
        assert_eq!(
            why(json!({"U": {"$exists": false}}), json!({"U": {"T": []}})),
            "U is {\"T\":[]}, expected it absent"
        );
        assert!(ok(json!({"U": {"$exists": true}}), json!({"U": null})));
        assert!(ok(json!({"N": {"$min": 1, "$max": 3}}), json!({"N": 2})));
        assert_eq!(why(json!({"N": {"$min": 3}}), json!({"N": 2})), "N is 2, expected at least 3");
        assert_eq!(why(json!({"N": {"$max": 1}}), json!({"N": 2})), "N is 2, expected at most 1");
        assert_eq!(why(json!({"N": {"$max": 1}}), json!({})), "N is missing");
        assert!(ok(json!({"Items": {"$length": 2}}), json!({"Items": [1, 2]})));
        assert!(ok(json!({"Items": {"$minLength": 1}}), json!({"Items": [1, 2]})));
        assert_eq!(
            why(json!({"I": {"$minLength": 3}}), json!({"I": [1]})),
            "I has 1 entries, expected at least 3"
        );
        assert!(ok(
            json!({"R": {"$includes": {"Code": "None"}}}),
            json!({"R": [{"Code": "X"}, {"Code": "None"}]})
        ));
        assert_eq!(
            why(json!({"R": {"$includes": {"Code": "Y"}}}), json!({"R": [{"Code": "X"}]})),
            "R has no entry like {\"Code\":\"Y\"}"
        );
        assert!(ok(json!({"m": {"$contains": "throughput"}}), json!({"m": "the throughput was"})));
        assert!(!ok(json!({"m": {"$contains": "x"}}), json!({"m": 5})));
    }

    #[test]
    fn validate_refuses_unknown_operators_and_wrong_operands() {
        assert!(validate(&json!({"a": {"$min": 1}, "b": [{"$includes": {"$exists": true}}]}), "p").is_ok());
        assert_eq!(
            validate(&json!({"a": {"$gte": 1}}), "check").unwrap_err(),
            "check.a: unknown operator \"$gte\" (known: $exists, $min, $max, $length, $minLength, $includes, $contains)"
        );
        assert_eq!(
            validate(&json!({"a": {"$min": "1"}}), "p").unwrap_err(),
            "p.a: $min has an operand of the wrong kind"
        );
        assert!(validate(&json!({"a": {"$includes": {"$nope": 1}}}), "p").is_err());
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(500);
        let text = why(json!({"a": 1}), json!({"a": long}));
        assert!(text.chars().count() < 120 && text.contains('…'), "{text}");
    }
}
