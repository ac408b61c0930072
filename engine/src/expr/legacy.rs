//! The legacy (pre-expression) parameters, converted into the resolved forms the expression
//! engine evaluates, so conditions and updates are evaluated in one place:
//!
//! - `Expected` (PutItem, UpdateItem, DeleteItem) and `QueryFilter` / `ScanFilter`, joined by
//!   `ConditionalOperator`, become a [`Condition`];
//! - `KeyConditions` (Query) becomes a [`KeyConditionExpr`], resolved against the key schema
//!   exactly like a KeyConditionExpression;
//! - `AttributeUpdates` (UpdateItem) becomes an [`UpdateExpression`] of SET / ADD / DELETE /
//!   REMOVE actions (marked legacy: ADD also appends lists, and type errors use the older text).
//!
//! Each check is made in DynamoDB's order, with its exact text. Values were shape-checked by
//! the request schema; here they are parsed (value errors come first, as DynamoDB reports them).

use serde_json::{Map, Value as Json};

use super::ast::CompareOp;
use super::condition::{scalar_order, Condition, Value};
use super::key_condition::{KeyConditionExpr, KeyOp, KeyPart};
use super::path::{DocPath, PathStep};
use super::projection::Projection;
use super::update::{Action, SetExpr, UpdateExpression, UpdateOperand};
use crate::error::{ApiError, ApiResult, Cause};
use crate::types::AttributeValue;

/// A legacy `ComparisonOperator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ComparisonOperator {
    Eq,
    Ne,
    Le,
    Lt,
    Ge,
    Gt,
    NotNull,
    Null,
    Contains,
    NotContains,
    BeginsWith,
    In,
    Between,
}

impl ComparisonOperator {
    /// Reads the operator's name (already checked against its enum by the schema).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "EQ" => Self::Eq,
            "NE" => Self::Ne,
            "LE" => Self::Le,
            "LT" => Self::Lt,
            "GE" => Self::Ge,
            "GT" => Self::Gt,
            "NOT_NULL" => Self::NotNull,
            "NULL" => Self::Null,
            "CONTAINS" => Self::Contains,
            "NOT_CONTAINS" => Self::NotContains,
            "BEGINS_WITH" => Self::BeginsWith,
            "IN" => Self::In,
            "BETWEEN" => Self::Between,
            _ => return None,
        })
    }

    /// The operator as DynamoDB spells it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Eq => "EQ",
            Self::Ne => "NE",
            Self::Le => "LE",
            Self::Lt => "LT",
            Self::Ge => "GE",
            Self::Gt => "GT",
            Self::NotNull => "NOT_NULL",
            Self::Null => "NULL",
            Self::Contains => "CONTAINS",
            Self::NotContains => "NOT_CONTAINS",
            Self::BeginsWith => "BEGINS_WITH",
            Self::In => "IN",
            Self::Between => "BETWEEN",
        }
    }

    /// Whether the operator takes `count` values.
    fn takes(self, count: usize) -> bool {
        match self {
            Self::NotNull | Self::Null => count == 0,
            Self::In => count >= 1,
            Self::Between => count == 2,
            _ => count == 1,
        }
    }

    /// The value types the operator accepts (`None`: any). EQ and NE compare any type,
    /// documents included.
    fn value_types(self) -> Option<&'static [&'static str]> {
        match self {
            Self::Eq | Self::Ne | Self::NotNull | Self::Null => None,
            Self::BeginsWith => Some(&["S", "B"]),
            _ => Some(&["S", "N", "B"]),
        }
    }
}

/// One parsed legacy condition: attribute, operator and values, checked.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LegacyCondition {
    pub name: String,
    pub op: ComparisonOperator,
    pub values: Vec<AttributeValue>,
}

fn top_level(name: &str) -> DocPath {
    DocPath(vec![PathStep::Key(name.to_owned())])
}

impl LegacyCondition {
    /// The condition in the expression engine's resolved form.
    pub fn to_condition(&self) -> Condition {
        let path = top_level(&self.name);
        let attr = || Value::Path(path.clone());
        let mut literals = self.values.iter().cloned().map(Value::Literal);
        let mut next = || literals.next().unwrap_or(Value::Literal(AttributeValue::Null));
        let compare = |op, right| Condition::Compare { op, left: Value::Path(path.clone()), right };
        match self.op {
            ComparisonOperator::Eq => compare(CompareOp::Eq, next()),
            ComparisonOperator::Ne => compare(CompareOp::Ne, next()),
            ComparisonOperator::Le => compare(CompareOp::Le, next()),
            ComparisonOperator::Lt => compare(CompareOp::Lt, next()),
            ComparisonOperator::Ge => compare(CompareOp::Ge, next()),
            ComparisonOperator::Gt => compare(CompareOp::Gt, next()),
            ComparisonOperator::NotNull => Condition::AttributeExists(path.clone()),
            ComparisonOperator::Null => Condition::AttributeNotExists(path.clone()),
            ComparisonOperator::Contains => Condition::Contains(attr(), next()),
            ComparisonOperator::NotContains => Condition::Not(Box::new(Condition::Contains(attr(), next()))),
            ComparisonOperator::BeginsWith => Condition::BeginsWith(attr(), next()),
            ComparisonOperator::In => Condition::In {
                operand: attr(),
                list: self.values.iter().cloned().map(Value::Literal).collect(),
            },
            ComparisonOperator::Between => {
                let low = next();
                let high = next();
                Condition::Between { operand: attr(), low, high }
            }
        }
    }

    /// The condition as one part of a key condition. Operators a key cannot be queried by are
    /// kept (as `NotIndexable`) so the key schema check reports them in DynamoDB's order.
    fn to_key_part(&self) -> KeyPart {
        let op = match self.op {
            ComparisonOperator::Eq => KeyOp::Eq,
            ComparisonOperator::Le => KeyOp::Le,
            ComparisonOperator::Lt => KeyOp::Lt,
            ComparisonOperator::Ge => KeyOp::Ge,
            ComparisonOperator::Gt => KeyOp::Gt,
            ComparisonOperator::BeginsWith => KeyOp::BeginsWith,
            ComparisonOperator::Between => KeyOp::Between,
            _ => KeyOp::NotIndexable,
        };
        KeyPart { name: self.name.clone(), op, values: self.values.clone() }
    }
}

fn parse_values(list: Option<&Json>) -> ApiResult<Vec<AttributeValue>> {
    list.and_then(Json::as_array).into_iter().flatten().map(AttributeValue::from_json).collect()
}

fn operator_of(entry: &Json) -> ApiResult<Option<ComparisonOperator>> {
    match entry.get("ComparisonOperator").and_then(Json::as_str) {
        None => Ok(None),
        Some(name) => ComparisonOperator::parse(name).map(Some).ok_or_else(|| {
            ApiError::validation(format!("Unknown ComparisonOperator: {name}")) // the schema's enum catches this first
        }),
    }
}

/// The checks every legacy condition gets once its values are parsed: how many values the
/// operator takes, one type for all of them, a type the operator accepts, BETWEEN's order.
fn check_values(op: ComparisonOperator, values: &[AttributeValue]) -> ApiResult<()> {
    if !op.takes(values.len()) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid number of argument(s) for the {} ComparisonOperator",
            op.name()
        ))
        .because(Cause::RequestCheck));
    }
    if let Some(first) = values.first() {
        if values.iter().any(|v| v.type_name() != first.type_name()) {
            return Err(ApiError::invalid_parameter(
                "AttributeValues inside AttributeValueList must be of same type",
            ));
        }
    }
    if let Some(types) = op.value_types() {
        if let Some(bad) = values.iter().find(|v| !types.contains(&v.type_name())) {
            return Err(ApiError::invalid_parameter(format!(
                "ComparisonOperator {} is not valid for {} AttributeValue type",
                op.name(),
                bad.type_name()
            )));
        }
    }
    if let (ComparisonOperator::Between, [low, high]) = (op, values) {
        if scalar_order(low, high).is_some_and(|o| o.is_gt()) {
            return Err(ApiError::validation(
                "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
            ));
        }
    }
    Ok(())
}

fn map_member<'a>(request: &'a Json, member: &str) -> Option<&'a Map<String, Json>> {
    request.get(member).and_then(Json::as_object)
}

/// A `Condition` map (QueryFilter, ScanFilter, KeyConditions), each condition checked: its
/// values first, then their number and types.
pub(crate) fn conditions(request: &Json, member: &str) -> ApiResult<Option<Vec<LegacyCondition>>> {
    let Some(map) = map_member(request, member) else { return Ok(None) };
    let mut out = Vec::with_capacity(map.len());
    for (name, entry) in map {
        let values = parse_values(entry.get("AttributeValueList"))?;
        let Some(op) = operator_of(entry)? else {
            return Err(ApiError::validation(format!(
                "ComparisonOperator is required for Attribute: {name}"
            )));
        };
        check_values(op, &values)?;
        out.push(LegacyCondition { name: name.clone(), op, values });
    }
    Ok(Some(out))
}

/// Conditions joined by `ConditionalOperator` (AND unless OR is given); `None` when there are
/// none, as an empty map checks nothing.
pub(crate) fn join(conditions: &[LegacyCondition], request: &Json) -> Option<Condition> {
    let mut parts: Vec<Condition> = conditions.iter().map(LegacyCondition::to_condition).collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ if request.get("ConditionalOperator").and_then(Json::as_str) == Some("OR") => {
            Some(Condition::Or(parts))
        }
        _ => Some(Condition::And(parts)),
    }
}

/// QueryFilter or ScanFilter as one condition.
pub(crate) fn filter(request: &Json, member: &str) -> ApiResult<Option<Condition>> {
    Ok(conditions(request, member)?.and_then(|c| join(&c, request)))
}

/// `KeyConditions` as a key condition with the shape of a KeyConditionExpression.
pub(crate) fn key_conditions(request: &Json) -> ApiResult<Option<KeyConditionExpr>> {
    let Some(conditions) = conditions(request, "KeyConditions")? else { return Ok(None) };
    // More than two fits only a multi-attribute key: `KeyConditionExpr::resolve` knows.
    if conditions.is_empty() || conditions.len() > 8 {
        return Err(ApiError::validation(super::key_condition::CONDITION_COUNT));
    }
    let parts = conditions.iter().map(LegacyCondition::to_key_part).collect();
    Ok(Some(KeyConditionExpr { parts, legacy: true }))
}

/// DynamoDB's current layer checks a `ConditionalOperator` outside its enum ahead of the
/// model's constraints when there are conditions for it to join: bare, in its own words
/// (recorded in eu-west-2 and us-east-1, 2026-10). A request missing a required member, or
/// read by the older layer, gets the model's joined form (`Value 'XOR' at …`) instead.
pub(crate) fn check_conditional_operator_enum(
    request: &Json,
    members: &[&str],
    fields: &[crate::validate::Field],
) -> ApiResult<()> {
    use crate::types::layer::{layer, Layer};
    let Some(operator) = request.get("ConditionalOperator").and_then(Json::as_str) else { return Ok(()) };
    let joins = members.iter().filter_map(|m| map_member(request, m)).any(|m| m.len() >= 2);
    if layer() != Layer::Current || matches!(operator, "AND" | "OR") || !joins {
        return Ok(());
    }
    let required_missing = fields.iter().any(|f| {
        f.rules.iter().any(|r| matches!(r, crate::validate::Rule::NotNull))
            && request.get(f.name).is_none_or(Json::is_null)
    });
    if required_missing {
        return Ok(());
    }
    Err(ApiError::validation("Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]")
        .because(Cause::CurrentLayerEnum))
}

/// `ConditionalOperator` needs a condition map (of the members given) with two or more
/// entries to join.
pub(crate) fn check_conditional_operator(request: &Json, members: &[&str]) -> ApiResult<()> {
    if request.get("ConditionalOperator").is_none_or(Json::is_null) {
        return Ok(());
    }
    let maps: Vec<&Map<String, Json>> = members.iter().filter_map(|m| map_member(request, m)).collect();
    if maps.is_empty() {
        return Err(ApiError::validation("ConditionalOperator cannot be used without Filter or Expected"));
    }
    if maps.iter().any(|m| m.len() < 2) {
        return Err(ApiError::validation(
            "ConditionalOperator can only be used when Filter or Expected has two or more elements",
        ));
    }
    Ok(())
}

/// One `Expected` entry, checked in DynamoDB's order.
fn expected_entry(name: &str, entry: &Json) -> ApiResult<LegacyCondition> {
    let present = |m: &str| entry.get(m).is_some_and(|v| !v.is_null());
    // DynamoDB's current layer envelopes these on the single-item writes.
    let invalid = |detail: String| {
        ApiError::invalid_parameter(format!("{detail} for Attribute: {name}")).because(Cause::RequestCheck)
    };
    if present("AttributeValueList") && present("Value") {
        return Err(invalid("Value and AttributeValueList cannot be used together".into()));
    }
    if let Some(op) = operator_of(entry)? {
        if present("Exists") {
            return Err(invalid("Exists and ComparisonOperator cannot be used together".into()));
        }
        let takes_none = matches!(op, ComparisonOperator::Null | ComparisonOperator::NotNull);
        if !takes_none && !present("AttributeValueList") && !present("Value") {
            return Err(invalid(format!(
                "Value or AttributeValueList must be used with ComparisonOperator: {}",
                op.name()
            )));
        }
        let values = match entry.get("Value").filter(|v| !v.is_null()) {
            Some(v) => vec![AttributeValue::from_json(v)?],
            None => parse_values(entry.get("AttributeValueList"))?,
        };
        check_values(op, &values)?;
        return Ok(LegacyCondition { name: name.to_owned(), op, values });
    }
    if present("AttributeValueList") {
        return Err(invalid("AttributeValueList can only be used with a ComparisonOperator".into()));
    }
    // `Exists` is read the AWS JSON way ("true" strings too); absent means true.
    let exists = match entry.get("Exists").filter(|v| !v.is_null()) {
        None => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(Json::String(s)) => Some(matches!(s.to_ascii_uppercase().as_str(), "TRUE" | "1" | "YES")),
        Some(_) => Some(true),
    };
    let value = entry.get("Value").filter(|v| !v.is_null());
    match (exists.unwrap_or(true), value) {
        (true, None) => {
            let shown = exists.map_or("null", |_| "true");
            Err(invalid(format!("Value must be provided when Exists is {shown}")))
        }
        (false, Some(_)) => Err(invalid("Value cannot be used when Exists is false".into())),
        (true, Some(v)) => Ok(LegacyCondition {
            name: name.to_owned(),
            op: ComparisonOperator::Eq,
            values: vec![AttributeValue::from_json(v)?],
        }),
        (false, None) => {
            Ok(LegacyCondition { name: name.to_owned(), op: ComparisonOperator::Null, values: vec![] })
        }
    }
}

/// `Expected` (with `ConditionalOperator`) as one condition; `None` when absent or empty.
pub(crate) fn expected(request: &Json) -> ApiResult<Option<Condition>> {
    let Some(map) = map_member(request, "Expected") else { return Ok(None) };
    let conditions =
        map.iter().map(|(name, entry)| expected_entry(name, entry)).collect::<ApiResult<Vec<_>>>()?;
    Ok(join(&conditions, request))
}

/// `AttributeUpdates` as an update; `None` when absent or empty (an empty update still
/// creates the item, as DynamoDB does).
pub(crate) fn attribute_updates(request: &Json) -> ApiResult<Option<UpdateExpression>> {
    let Some(map) = map_member(request, "AttributeUpdates") else { return Ok(None) };
    let mut actions = Vec::with_capacity(map.len());
    for (name, update) in map {
        let value = match update.get("Value").filter(|v| !v.is_null()) {
            Some(v) => Some(AttributeValue::from_json(v)?),
            None => None,
        };
        let action = update.get("Action").and_then(Json::as_str).unwrap_or("PUT");
        let path = top_level(name);
        actions.push(match (action, value) {
            ("DELETE", None) => Action::Remove(path),
            (_, None) => {
                return Err(ApiError::invalid_parameter(
                    "Only DELETE action is allowed when no attribute value is specified",
                ))
            }
            ("DELETE", Some(v)) => {
                if !matches!(v.type_name(), "SS" | "NS" | "BS") {
                    return Err(ApiError::invalid_parameter(format!(
                        "DELETE action with value is not supported for the type {}",
                        v.type_name()
                    )));
                }
                Action::Delete(path, v)
            }
            ("ADD", Some(v)) => {
                if !matches!(v.type_name(), "L" | "SS" | "NS" | "BS" | "N") {
                    return Err(ApiError::invalid_parameter(format!(
                        "ADD action is not supported for the type {}",
                        v.type_name()
                    )));
                }
                Action::Add(path, v)
            }
            (_, Some(v)) => Action::Set(path, SetExpr::Operand(UpdateOperand::Literal(v))),
        });
    }
    Ok((!actions.is_empty()).then_some(UpdateExpression { actions, legacy: true }))
}

/// `AttributesToGet` (GetItem, BatchGetItem, Query, Scan) as a projection of top-level
/// attributes; duplicates are refused as DynamoDB does. Key attributes are not added.
pub(crate) fn attributes_to_get(request: &Json) -> ApiResult<Option<Projection>> {
    let Some(names) = request.get("AttributesToGet").and_then(Json::as_array) else { return Ok(None) };
    let mut paths: Vec<DocPath> = Vec::with_capacity(names.len());
    for name in names.iter().filter_map(Json::as_str) {
        let path = top_level(name);
        if paths.contains(&path) {
            return Err(ApiError::invalid_parameter(format!("Duplicate value in attribute name: {name}")));
        }
        paths.push(path);
    }
    Ok(Some(Projection { paths }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::item_from_json;
    use serde_json::json;

    fn err(result: ApiResult<impl std::fmt::Debug>) -> String {
        result.expect_err("an error").message
    }

    #[test]
    fn filter_counts_and_types() {
        let req = |cond: Json| json!({"ScanFilter": {"a": cond}});
        assert_eq!(
            err(filter(&req(json!({"ComparisonOperator": "EQ"})), "ScanFilter")),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"
        );
        assert_eq!(
            err(filter(&req(json!({"ComparisonOperator": "IN", "AttributeValueList": [{"S": "b"}, {"N": "1"}]})), "ScanFilter")),
            "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"
        );
        assert_eq!(
            err(filter(&req(json!({"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]})), "ScanFilter")),
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"
        );
        assert_eq!(
            err(filter(&req(json!({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "b"}, {"S": "a"}]})), "ScanFilter")),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
        );
        // Values are checked before their number.
        assert_eq!(
            err(filter(&req(json!({"ComparisonOperator": "NULL", "AttributeValueList": [{"NULL": false}]})), "ScanFilter")),
            "One or more parameter values were invalid: Null attribute value types must have the value of true"
        );
    }

    #[test]
    fn filter_evaluates_like_expressions() {
        let item =
            item_from_json(&json!({"s": {"S": "hello"}, "n": {"N": "5"}, "l": {"L": [{"S": "x"}]}})).unwrap();
        let eval = |f: Json, op: Option<&str>| {
            let mut req = json!({"QueryFilter": f});
            if let Some(op) = op {
                req["ConditionalOperator"] = json!(op);
            }
            filter(&req, "QueryFilter").unwrap().unwrap().evaluate(&item)
        };
        assert!(eval(
            json!({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}}),
            None
        ));
        assert!(eval(
            json!({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}}),
            None
        ));
        assert!(eval(
            json!({"l": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}}),
            None
        ));
        assert!(eval(
            json!({"z": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}}),
            None
        ));
        assert!(eval(json!({"z": {"ComparisonOperator": "NULL"}}), None));
        assert!(eval(
            json!({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "4"}, {"N": "5"}]}}),
            None
        ));
        let both = json!({
            "s": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "nope"}]},
            "n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}
        });
        assert!(!eval(both.clone(), None));
        assert!(!eval(both.clone(), Some("AND")));
        assert!(eval(both, Some("OR")));
    }

    #[test]
    fn expected_rules() {
        let req = |e: Json| json!({"Expected": {"a": e}});
        let prefix = "One or more parameter values were invalid: ";
        let cases = [
            (json!({}), "Value must be provided when Exists is null for Attribute: a"),
            (json!({"Exists": true}), "Value must be provided when Exists is true for Attribute: a"),
            (
                json!({"Exists": false, "Value": {"S": "a"}}),
                "Value cannot be used when Exists is false for Attribute: a",
            ),
            (
                json!({"ComparisonOperator": "LT"}),
                "Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a",
            ),
            (
                json!({"Exists": true, "ComparisonOperator": "LT"}),
                "Exists and ComparisonOperator cannot be used together for Attribute: a",
            ),
            (
                json!({"AttributeValueList": [{"S": "a"}], "Value": {"S": "a"}, "ComparisonOperator": "LT"}),
                "Value and AttributeValueList cannot be used together for Attribute: a",
            ),
            (
                json!({"AttributeValueList": [{"S": "a"}]}),
                "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
            ),
            (
                json!({"Value": {"S": "a"}, "ComparisonOperator": "NULL"}),
                "Invalid number of argument(s) for the NULL ComparisonOperator",
            ),
            (
                json!({"Value": {"S": "a"}, "ComparisonOperator": "BETWEEN"}),
                "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
            ),
        ];
        for (entry, message) in cases {
            assert_eq!(err(expected(&req(entry))), format!("{prefix}{message}"));
        }
        let cond = expected(&req(json!({"Exists": false}))).unwrap().unwrap();
        assert!(cond.evaluate(&Default::default()));
        let cond = expected(&req(json!({"Value": {"S": "x"}, "ComparisonOperator": "EQ"}))).unwrap().unwrap();
        assert!(!cond.evaluate(&Default::default()));
    }

    #[test]
    fn conditional_operator_needs_two_conditions() {
        let ok = json!({"ConditionalOperator": "OR", "Expected": {"a": {}, "b": {}}});
        assert!(check_conditional_operator(&ok, &["Expected"]).is_ok());
        let one = json!({"ConditionalOperator": "OR", "ScanFilter": {"a": {}}});
        assert_eq!(
            err(check_conditional_operator(&one, &["ScanFilter"])),
            "ConditionalOperator can only be used when Filter or Expected has two or more elements"
        );
        let none = json!({"ConditionalOperator": "AND"});
        assert_eq!(
            err(check_conditional_operator(&none, &["Expected"])),
            "ConditionalOperator cannot be used without Filter or Expected"
        );
    }

    #[test]
    fn attributes_to_get_projects_top_level_names() {
        let item = item_from_json(&json!({"a": {"S": "1"}, "b": {"N": "2"}, "c": {"BOOL": true}})).unwrap();
        let p = attributes_to_get(&json!({"AttributesToGet": ["c", "a", "zz"]})).unwrap().unwrap();
        assert_eq!(p.apply(&item), item_from_json(&json!({"a": {"S": "1"}, "c": {"BOOL": true}})).unwrap());
        assert_eq!(
            err(attributes_to_get(&json!({"AttributesToGet": ["a", "a"]}))),
            "One or more parameter values were invalid: Duplicate value in attribute name: a"
        );
        assert!(attributes_to_get(&json!({})).unwrap().is_none());
    }

    #[test]
    fn key_conditions_shape() {
        // Up to eight fit a multi-attribute key; the key schema decides later.
        let conditions = |n: usize| {
            let map: Map<String, Json> =
                (0..n).map(|i| (format!("a{i}"), json!({"ComparisonOperator": "NULL"}))).collect();
            json!({ "KeyConditions": map })
        };
        assert_eq!(key_conditions(&conditions(8)).unwrap().unwrap().parts.len(), 8);
        assert_eq!(err(key_conditions(&conditions(9))), "Conditions can be of length 1 or 2 only");
        assert_eq!(
            err(key_conditions(&json!({"KeyConditions": {}}))),
            "Conditions can be of length 1 or 2 only"
        );
        let ok =
            json!({"KeyConditions": {"a": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "x"}]}}});
        let parts = key_conditions(&ok).unwrap().unwrap().parts;
        assert_eq!(parts[0].op, KeyOp::NotIndexable);
    }

    #[test]
    fn attribute_update_rules() {
        let req = |u: Json| json!({"AttributeUpdates": {"a": u}});
        let prefix = "One or more parameter values were invalid: ";
        assert_eq!(
            err(attribute_updates(&req(json!({"Action": "PUT"})))),
            format!("{prefix}Only DELETE action is allowed when no attribute value is specified")
        );
        assert_eq!(
            err(attribute_updates(&req(json!({"Action": "DELETE", "Value": {"S": "1"}})))),
            format!("{prefix}DELETE action with value is not supported for the type S")
        );
        assert_eq!(
            err(attribute_updates(&req(json!({"Action": "ADD", "Value": {"B": "Yg=="}})))),
            format!("{prefix}ADD action is not supported for the type B")
        );
        assert!(attribute_updates(&json!({"AttributeUpdates": {}})).unwrap().is_none());

        let mut item =
            item_from_json(&json!({"n": {"N": "1"}, "l": {"L": [{"S": "x"}]}, "s": {"SS": ["a", "b"]}}))
                .unwrap();
        let update = attribute_updates(&json!({"AttributeUpdates": {
            "n": {"Action": "ADD", "Value": {"N": "2"}},
            "l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}},
            "s": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
            "p": {"Value": {"S": "new"}}
        }}))
        .unwrap()
        .unwrap();
        update.apply(&mut item).unwrap();
        let want = item_from_json(&json!({
            "n": {"N": "3"}, "l": {"L": [{"S": "x"}, {"S": "x"}]}, "p": {"S": "new"}
        }))
        .unwrap();
        assert_eq!(item, want);

        let mismatch =
            attribute_updates(&json!({"AttributeUpdates": {"n": {"Action": "ADD", "Value": {"NS": ["1"]}}}}))
                .unwrap()
                .unwrap();
        assert_eq!(err(mismatch.apply(&mut item)), "Type mismatch for attribute to update");
    }
}
