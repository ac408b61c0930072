//! Request validation as data, in DynamoDB's two phases:
//!
//! 1. **Types** ([`check_types`]): every known member must have its JSON type, or the request
//!    fails with a `SerializationException` (as DynamoDB's deserialiser does). Unknown members
//!    are ignored, as DynamoDB ignores them.
//! 2. **Constraints** ([`check_constraints`]): the field rules of the API model — required
//!    members, lengths, ranges, enums, patterns — collected (at most ten) into one
//!    `ValidationException` with DynamoDB's exact wording:
//!    `1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: …`.
//!
//! Each operation declares its request as a `SCHEMA` beside its handler
//! (`ops/<operation>.rs`), from the shapes several share (`shapes.rs`); the operation registry
//! names it. The semantic checks that need a table (key schema, expressions) come afterwards,
//! in the operation itself. A few constraints DynamoDB checks apart, in its newer wording,
//! go through [`check_alone`].

pub(crate) mod shapes;
pub(crate) mod strict;

use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// The JSON type (and nested structure) of a request member.
#[derive(Debug)]
#[non_exhaustive]
pub enum Shape {
    /// A string.
    Str,
    /// A boolean (the AWS JSON parser also accepts "true"/"false" strings).
    Bool,
    /// A 32-bit integer (`Integer` in the API model).
    Integer,
    /// A 64-bit integer (`Long` in the API model).
    Long,
    /// A floating-point number (`Double` in the API model).
    Double,
    /// A list of members of one shape.
    List(&'static Shape),
    /// A map from string keys to members of one shape.
    Map(&'static Shape),
    /// A structure: its model name (shown in messages as `Name(field=value, …)`) and fields.
    Struct(&'static str, &'static [Field]),
    /// An `AttributeValue` structure.
    AttributeValue,
}

/// A named member of a structure, its shape and its constraints.
#[derive(Debug)]
#[non_exhaustive]
pub struct Field {
    /// The member name, as the request spells it (`TableName`).
    pub name: &'static str,
    /// Its JSON type.
    pub shape: Shape,
    /// Its constraints, in the order DynamoDB reports their failures.
    pub rules: &'static [Rule],
}

/// A request member (for the schemas, which are data).
pub(crate) const fn field(name: &'static str, shape: Shape, rules: &'static [Rule]) -> Field {
    Field { name, shape, rules }
}

/// One constraint of the API model.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Rule {
    /// Absence is checked first and reported alone: "The parameter 'X' is required but was not
    /// present in the request" (a few control-plane operations).
    Required,
    /// "Member must not be null".
    NotNull,
    /// "Member must have length greater than or equal to N" (strings, lists, maps).
    MinLength(usize),
    /// "Member must have length greater than or equal to N", checked only once every other
    /// constraint holds (a table name: the model allows ARNs of 1+ characters, names need 3).
    DeferredMinLength(usize),
    /// "Member must have length less than or equal to N".
    MaxLength(usize),
    /// "Member must have value greater than or equal to N".
    Min(i64),
    /// "Member must have value greater than or equal to N" for a fractional bound: its value,
    /// and its text as the message shows it (`MinDecimal(0.001, "0.001")`), so no float is
    /// ever formatted or parsed (either would bring their tables into the wasm).
    MinDecimal(f64, &'static str),
    /// "Member must have value less than or equal to N".
    Max(i64),
    /// "Member must satisfy enum value set: [A, B]".
    Enum(&'static [&'static str]),
    /// "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+".
    NamePattern,
    /// Every key of a map must satisfy these rules; a failure lists them all:
    /// "Map keys must satisfy constraint: [Member must have length less than or equal to 255, …]".
    MapKeys(&'static [Rule]),
    /// Every value of a map must satisfy these rules ("Map value must satisfy constraint: […]").
    MapValues(&'static [Rule]),
    /// `MapKeys`, checked only once every other constraint holds (BatchWriteItem's table
    /// names: an unknown ReturnConsumedCapacity is reported alone over a malformed name).
    DeferredMapKeys(&'static [Rule]),
}

const MAX_ERRORS: usize = 10;

/// Phase 1: JSON types of every known member.
pub(crate) fn check_types(request: &Value, fields: &'static [Field]) -> ApiResult<()> {
    match request {
        Value::Object(_) => check_struct(request, fields),
        _ => Err(ApiError::serialization("Start of structure or map found where not expected")),
    }
}

fn check_struct(value: &Value, fields: &'static [Field]) -> ApiResult<()> {
    for field in fields {
        if let Some(member) = value.get(field.name).filter(|v| !v.is_null()) {
            check_shape(member, &field.shape)?;
        }
    }
    Ok(())
}

fn check_shape(value: &Value, shape: &'static Shape) -> ApiResult<()> {
    let wrong = |target: &str| Err(ApiError::serialization(json_kind_error(value, target)));
    match shape {
        Shape::Str => match value {
            Value::String(_) => Ok(()),
            _ => wrong("String"),
        },
        Shape::Bool => match value {
            Value::Bool(_) => Ok(()),
            Value::String(s) if matches!(s.to_ascii_uppercase().as_str(), "TRUE" | "FALSE" | "1" | "0" | "YES" | "NO") => {
                Ok(())
            }
            Value::String(_) => Err(ApiError::serialization("Unexpected token received from parser")),
            _ => wrong("Boolean"),
        },
        Shape::Integer => match value {
            Value::Number(_) => Ok(()),
            _ => wrong("Integer"),
        },
        Shape::Long => match value {
            Value::Number(_) => Ok(()),
            _ => wrong("Long"),
        },
        Shape::Double => match value {
            Value::Number(_) => Ok(()),
            _ => wrong("Double"),
        },
        Shape::List(member) => match value {
            Value::Array(items) => items.iter().filter(|v| !v.is_null()).try_for_each(|v| check_shape(v, member)),
            Value::Object(_) => Err(ApiError::serialization("Start of structure or map found where not expected")),
            _ => Err(ApiError::serialization("Unexpected field type")),
        },
        Shape::Map(member) => match value {
            Value::Object(map) => map.values().filter(|v| !v.is_null()).try_for_each(|v| check_shape(v, member)),
            Value::Array(_) => Err(ApiError::serialization(
                "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
            )),
            _ => Err(ApiError::serialization("Unexpected field type")),
        },
        Shape::Struct(_, fields) => match value {
            Value::Object(_) => check_struct(value, fields),
            Value::Array(_) => Err(ApiError::serialization("Unrecognized collection type")),
            _ => Err(ApiError::serialization("Unexpected field type")),
        },
        Shape::AttributeValue => check_attribute_value(value, 0),
    }
}

/// Types inside an AttributeValue; its semantic rules (one type set, sets non-empty, numbers)
/// are checked when the value is read (`AttributeValue::from_json`).
fn check_attribute_value(value: &Value, depth: usize) -> ApiResult<()> {
    const DEPTH_LIMIT: usize = 64;
    let Value::Object(map) = value else {
        return Err(ApiError::serialization(match value {
            Value::Array(_) => {
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
            }
            _ => "Unexpected value type in payload",
        }));
    };
    if depth > DEPTH_LIMIT {
        // Deeper than DynamoDB allows anyway; the reader reports the nesting error.
        return Ok(());
    }
    for (tag, member) in map.iter().filter(|(_, v)| !v.is_null()) {
        match tag.as_str() {
            "S" | "N" | "B" => check_shape(member, &Shape::Str)?,
            "BOOL" | "NULL" => check_shape(member, &Shape::Bool)?,
            "SS" | "NS" | "BS" => check_shape(member, &Shape::List(&Shape::Str))?,
            "L" => match member {
                Value::Array(items) => {
                    items.iter().filter(|v| !v.is_null()).try_for_each(|v| check_attribute_value(v, depth + 1))?
                }
                Value::Object(_) => {
                    return Err(ApiError::serialization("Start of structure or map found where not expected"))
                }
                _ => return Err(ApiError::serialization("Unexpected field type")),
            },
            "M" => match member {
                Value::Object(m) => {
                    m.values().filter(|v| !v.is_null()).try_for_each(|v| check_attribute_value(v, depth + 1))?
                }
                Value::Array(_) => return Err(ApiError::serialization(
                    "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
                )),
                _ => return Err(ApiError::serialization("Unexpected field type")),
            },
            _ => {}
        }
    }
    Ok(())
}

/// DynamoDB's deserialiser message for a JSON value of the wrong kind.
fn json_kind_error(value: &Value, target: &str) -> String {
    match value {
        Value::Bool(b) => {
            format!("{} cannot be converted to {target}", if *b { "TRUE_VALUE" } else { "FALSE_VALUE" })
        }
        Value::Number(n) if n.is_f64() => format!("DECIMAL_VALUE cannot be converted to {target}"),
        Value::Number(_) => format!("NUMBER_VALUE cannot be converted to {target}"),
        Value::String(_) => format!("STRING_VALUE cannot be converted to {target}"),
        Value::Array(_) => format!("Unrecognized collection type class java.lang.{target}"),
        Value::Object(_) | Value::Null => "Start of structure or map found where not expected".into(),
    }
}

/// Phase 2: the model's constraints, collected into one message.
pub(crate) fn check_constraints(request: &Value, fields: &'static [Field]) -> ApiResult<()> {
    // `Required` is reported alone and first. (Members are looked up only for the rules that
    // need them: each lookup is a search of the request's map.)
    let has = |field: &Field, wanted: fn(&Rule) -> bool| field.rules.iter().any(wanted);
    for field in fields.iter().filter(|f| has(f, |r| matches!(r, Rule::Required))) {
        if request.get(field.name).is_none_or(Value::is_null) {
            return Err(ApiError::validation(format!(
                "The parameter '{}' is required but was not present in the request",
                field.name
            )));
        }
    }
    let mut errors = Vec::new();
    collect_struct(request, fields, &Place::Root, &mut errors);
    if errors.is_empty() {
        let deferred = |r: &Rule| matches!(r, Rule::DeferredMinLength(_) | Rule::DeferredMapKeys(_));
        for field in fields.iter().filter(|f| has(f, deferred)) {
            let member = request.get(field.name).filter(|v| !v.is_null());
            for rule in field.rules {
                let failure = match (rule, member) {
                    (Rule::DeferredMinLength(n), Some(Value::String(s))) => (s.chars().count() < *n)
                        .then(|| format!("Member must have length greater than or equal to {n}")),
                    (Rule::DeferredMapKeys(rules), member) => rule_failure(&Rule::MapKeys(rules), member),
                    _ => None,
                };
                if let Some(failure) = failure {
                    errors.push(format!(
                        "Value {} at '{}' failed to satisfy constraint: {failure}",
                        shown(member, &field.shape),
                        lower_first(field.name)
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    errors.truncate(MAX_ERRORS);
    Err(detected(&errors))
}

/// DynamoDB's envelope around constraint failures: `2 validation errors detected: …; …`.
pub(crate) fn detected(errors: &[String]) -> ApiError {
    let plural = if errors.len() > 1 { "s" } else { "" };
    ApiError::validation(format!("{} validation error{plural} detected: {}", errors.len(), errors.join("; ")))
}

/// One constraint that DynamoDB checks on its own — before or after the model's, as the
/// operation calls it — and words the newer way: without the value, the member named by
/// `path` as given (`Value at 'Limit' failed to satisfy constraint: …`).
pub(crate) fn check_alone(
    member: Option<&Value>,
    path: std::fmt::Arguments<'_>,
    rule: Rule,
) -> ApiResult<()> {
    match rule_failure(&rule, member) {
        Some(failure) => {
            Err(detected(&[format!("Value at '{path}' failed to satisfy constraint: {failure}")]))
        }
        None => Ok(()),
    }
}

/// Where a member sits in the request, rendered (`keySchema.1.member.keyType`) only when a
/// constraint fails, so valid requests allocate nothing here.
#[derive(Clone, Copy)]
enum Place<'a> {
    Root,
    Field(&'a Place<'a>, &'static str),
    /// An element of a list (1-based) or a map (by key).
    Member(&'a Place<'a>, Label<'a>),
}

#[derive(Clone, Copy)]
enum Label<'a> {
    Index(usize),
    Key(&'a str),
}

impl Place<'_> {
    fn render(&self) -> String {
        match self {
            Place::Root => String::new(),
            Place::Field(parent, name) => join_path(&parent.render(), &lower_first(name)),
            Place::Member(parent, Label::Index(i)) => format!("{}.{i}.member", parent.render()),
            Place::Member(parent, Label::Key(k)) => format!("{}.{k}.member", parent.render()),
        }
    }
}

fn collect_struct(value: &Value, fields: &'static [Field], parent: &Place<'_>, errors: &mut Vec<String>) {
    for field in fields {
        let member = value.get(field.name).filter(|v| !v.is_null());
        if member.is_none() && field.rules.is_empty() {
            continue;
        }
        collect_member(member, &field.shape, field.rules, &Place::Field(parent, field.name), errors);
    }
}

fn collect_member(
    member: Option<&Value>,
    shape: &'static Shape,
    rules: &[Rule],
    place: &Place<'_>,
    errors: &mut Vec<String>,
) {
    for rule in rules {
        if errors.len() >= MAX_ERRORS {
            return;
        }
        if let Some(msg) = rule_failure(rule, member) {
            errors.push(format!(
                "Value {} at '{}' failed to satisfy constraint: {msg}",
                shown(member, shape),
                place.render()
            ));
        }
    }
    let Some(member) = member else { return };
    match (shape, member) {
        (Shape::Struct(_, fields), Value::Object(_)) => collect_struct(member, fields, place, errors),
        (Shape::List(Shape::Struct(_, fields)), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                collect_struct(item, fields, &Place::Member(place, Label::Index(i + 1)), errors);
            }
        }
        (Shape::Map(Shape::Struct(_, fields)), Value::Object(map)) => {
            for (k, item) in map {
                collect_struct(item, fields, &Place::Member(place, Label::Key(k)), errors);
            }
        }
        // A map of lists of structures (BatchWriteItem's RequestItems).
        (Shape::Map(inner @ Shape::List(Shape::Struct(..))), Value::Object(map)) => {
            for (k, item) in map {
                collect_member(Some(item), inner, &[], &Place::Member(place, Label::Key(k)), errors);
            }
        }
        _ => {}
    }
}

fn rule_failure(rule: &Rule, member: Option<&Value>) -> Option<String> {
    let length = |v: &Value| match v {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    };
    match (rule, member) {
        (Rule::NotNull, None) => Some("Member must not be null".into()),
        (_, None)
        | (Rule::Required | Rule::NotNull | Rule::DeferredMinLength(_) | Rule::DeferredMapKeys(_), _) => None,
        (Rule::MinLength(n), Some(v)) => {
            (length(v)? < *n).then(|| format!("Member must have length greater than or equal to {n}"))
        }
        (Rule::MaxLength(n), Some(v)) => {
            (length(v)? > *n).then(|| format!("Member must have length less than or equal to {n}"))
        }
        (Rule::Min(n), Some(v)) => {
            (v.as_f64()? < *n as f64).then(|| format!("Member must have value greater than or equal to {n}"))
        }
        (Rule::MinDecimal(n, text), Some(v)) => {
            (v.as_f64()? < *n).then(|| format!("Member must have value greater than or equal to {text}"))
        }
        (Rule::Max(n), Some(v)) => {
            (v.as_f64()? > *n as f64).then(|| format!("Member must have value less than or equal to {n}"))
        }
        (Rule::Enum(values), Some(v)) => (!values.contains(&v.as_str()?))
            .then(|| format!("Member must satisfy enum value set: [{}]", values.join(", "))),
        // An empty name fails only its length rule, as DynamoDB reports it.
        (Rule::NamePattern, Some(v)) => (!v.as_str()?.is_empty() && !is_name(v.as_str()?))
            .then(|| "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+".to_owned()),
        (Rule::MapKeys(rules), Some(Value::Object(map))) => map
            .keys()
            .any(|k| rules.iter().any(|r| key_fails(r, k)))
            .then(|| format!("Map keys must satisfy constraint: [{}]", describe_all(rules))),
        (Rule::MapValues(rules), Some(Value::Object(map))) => map
            .values()
            .any(|v| rules.iter().any(|r| rule_failure(r, Some(v)).is_some()))
            .then(|| format!("Map value must satisfy constraint: [{}]", describe_all(rules))),
        (Rule::MapKeys(_) | Rule::MapValues(_), Some(_)) => None,
    }
}

/// Whether a map key breaks `rule` (the key rules are string rules; checked on the `&str`,
/// without building a JSON string per key on every valid request).
fn key_fails(rule: &Rule, key: &str) -> bool {
    match rule {
        Rule::MinLength(n) => key.chars().count() < *n,
        Rule::MaxLength(n) => key.chars().count() > *n,
        Rule::NamePattern => !key.is_empty() && !is_name(key),
        Rule::Enum(values) => !values.contains(&key),
        other => rule_failure(other, Some(&Value::String(key.to_owned()))).is_some(),
    }
}

/// The constraint texts of a map's key or value rules, in their order.
fn describe_all(rules: &[Rule]) -> String {
    let text = |rule: &Rule| match rule {
        Rule::MinLength(n) | Rule::DeferredMinLength(n) => {
            Some(format!("Member must have length greater than or equal to {n}"))
        }
        Rule::MaxLength(n) => Some(format!("Member must have length less than or equal to {n}")),
        Rule::NamePattern => Some("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+".into()),
        _ => None,
    };
    rules.iter().filter_map(text).collect::<Vec<_>>().join(", ")
}

/// Table and index names: `[a-zA-Z0-9_.-]+`.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// How DynamoDB shows a value inside a constraint message: strings bare, lists in brackets,
/// structures as their model's `toString` (`KeySchemaElement(attributeName=pk, keyType=HASH)`),
/// members in model order, absent ones as `null`.
fn shown(member: Option<&Value>, shape: &Shape) -> String {
    fn plain(v: &Value, shape: &Shape) -> String {
        match (v, shape) {
            (Value::String(s), _) => s.clone(),
            (Value::Array(a), Shape::List(member)) => {
                format!("[{}]", a.iter().map(|v| plain(v, member)).collect::<Vec<_>>().join(", "))
            }
            (Value::Array(a), _) => {
                format!("[{}]", a.iter().map(|v| plain(v, &Shape::Str)).collect::<Vec<_>>().join(", "))
            }
            (Value::Object(_), Shape::Struct(name, fields)) => {
                let members: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        let value = v
                            .get(f.name)
                            .filter(|v| !v.is_null())
                            .map_or("null".into(), |m| plain(m, &f.shape));
                        format!("{}={value}", lower_first(f.name))
                    })
                    .collect();
                format!("{name}({})", members.join(", "))
            }
            (Value::Object(m), Shape::Map(member)) => {
                let entries: Vec<String> =
                    m.iter().map(|(k, v)| format!("{k}={}", plain(v, member))).collect();
                format!("{{{}}}", entries.join(", "))
            }
            (Value::Null, _) => "null".into(),
            (other, _) => other.to_string(),
        }
    }
    match (member, shape) {
        (None, _) => "null".into(),
        // BatchGetItem's RequestItems is echoed as the JSON sent (recorded in us-east-1 and
        // eu-west-2, 2026-10); BatchWriteItem's still in the model's `toString`.
        (Some(v), Shape::Map(Shape::Struct("KeysAndAttributes", _))) => format!("'{v}'"),
        (Some(v), _) => format!("'{}'", plain(v, shape)),
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn join_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Both phases for one operation's request.
pub(crate) fn check(request: &Value, fields: &'static [Field]) -> ApiResult<()> {
    check_types(request, fields)?;
    check_constraints(request, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static FIELDS: &[Field] = &[
        Field {
            name: "TableName",
            shape: Shape::Str,
            rules: &[Rule::NotNull, Rule::NamePattern, Rule::MinLength(3), Rule::MaxLength(255)],
        },
        Field { name: "Limit", shape: Shape::Long, rules: &[Rule::Min(1)] },
        Field { name: "Select", shape: Shape::Str, rules: &[Rule::Enum(&["A", "B"])] },
    ];

    #[test]
    fn collects_constraint_failures_in_model_order() {
        let err = check(&json!({"TableName": "a;", "Limit": 0, "Select": "C"}), FIELDS).unwrap_err();
        assert_eq!(
            err.message,
            "3 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; Value 'C' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [A, B]"
                .replace("3 validation errors", "4 validation errors")
        );
        let err = check(&json!({}), FIELDS).unwrap_err();
        assert_eq!(
            err.message,
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn map_key_and_value_rules_list_every_constraint() {
        static MAP: &[Field] = &[Field {
            name: "RequestItems",
            shape: Shape::Map(&Shape::List(&Shape::Str)),
            rules: &[
                Rule::MapKeys(&[Rule::MaxLength(255), Rule::MinLength(3)]),
                Rule::MapValues(&[Rule::MaxLength(2)]),
            ],
        }];
        let err = check(&json!({"RequestItems": {"a": ["x", "y", "z"]}}), MAP).unwrap_err();
        assert_eq!(
            err.message,
            "2 validation errors detected: Value '{a=[x, y, z]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3]; Value '{a=[x, y, z]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 2]"
        );
        assert!(check(&json!({"RequestItems": {"abc": ["x"]}}), MAP).is_ok());
    }

    #[test]
    fn fractional_bounds_and_doubles() {
        static SPEED: &[Field] = &[Field {
            name: "Speed",
            shape: Shape::Double,
            rules: &[Rule::MinDecimal(0.001, "0.001"), Rule::Max(10)],
        }];
        assert!(check(&json!({"Speed": 0.001}), SPEED).is_ok());
        assert_eq!(
            check(&json!({"Speed": 0.0001}), SPEED).unwrap_err().message,
            "1 validation error detected: Value '0.0001' at 'speed' failed to satisfy constraint: Member must have value greater than or equal to 0.001"
        );
        let err = check(&json!({"Speed": "fast"}), SPEED).unwrap_err();
        assert_eq!(err.to_string(), "SerializationException: STRING_VALUE cannot be converted to Double");
    }

    #[test]
    fn a_constraint_checked_alone_omits_the_value() {
        let err = check_alone(Some(&json!(0)), format_args!("Limit"), Rule::Min(1)).unwrap_err();
        assert_eq!(
            err.message,
            "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        assert!(check_alone(Some(&json!(1)), format_args!("Limit"), Rule::Min(1)).is_ok());
        assert!(check_alone(None, format_args!("Limit"), Rule::Min(1)).is_ok(), "absent is not checked");
    }

    #[test]
    fn wrong_json_types_are_serialization_errors() {
        let err = check(&json!({"TableName": 5}), FIELDS).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::Serialization);
        assert_eq!(err.message, "NUMBER_VALUE cannot be converted to String");
        let err = check(&json!({"Limit": "x"}), FIELDS).unwrap_err();
        assert_eq!(err.message, "STRING_VALUE cannot be converted to Long");
    }
}
