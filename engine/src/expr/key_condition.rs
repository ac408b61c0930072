//! KeyConditionExpression: a condition (checked like any other) that must also have the shape
//! of a key condition — AND of simple conditions on top-level attributes — and then name the
//! key schema's attributes with the right types.
//!
//! The shape is checked with the expression (before the table is looked at); the schema later,
//! against the key schema of the table or of the index queried. A plain key takes one or two
//! conditions; a GSI with a multi-attribute key takes an equality on every HASH attribute and
//! conditions on its first RANGE attributes, left to right without a gap, of which only the
//! last may be a range (`<`, `<=`, `>`, `>=`, BETWEEN, begins_with).

use super::ast::CompareOp;
use super::condition::{Condition, Value};
use crate::error::{ApiError, ApiResult};
use crate::types::key::{KeyTuple, TupleEnd};
use crate::types::{AttributeValue, KeyAttribute, KeySchema, KeyValue, ScalarType};

/// The most conditions a key condition can have: every attribute of the largest
/// multi-attribute key (four HASH and four RANGE attributes).
const MAX_KEY_CONDITIONS: usize = 8;

/// DynamoDB's refusal of too many (or no) key conditions.
pub(crate) const CONDITION_COUNT: &str = "Conditions can be of length 1 or 2 only";

/// The operator of one key condition, with the key attribute first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyOp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    Between,
    BeginsWith,
    /// A legacy KeyConditions operator no key can be queried by (NE, IN, NULL, CONTAINS, …).
    NotIndexable,
}

/// One simple condition on a (would-be) key attribute.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KeyPart {
    pub name: String,
    pub op: KeyOp,
    pub values: Vec<AttributeValue>,
}

/// A KeyConditionExpression whose shape is right, not yet matched to a key schema.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KeyConditionExpr {
    pub parts: Vec<KeyPart>,
    /// From legacy `KeyConditions`, whose count error keeps the older words.
    pub legacy: bool,
}

/// A key condition matched to a key schema.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KeyCondition {
    /// The partition key value (always an equality; a tuple for a multi-attribute key).
    pub partition_value: KeyValue,
    /// Of a multi-attribute sort key: the equalities on its first RANGE attributes, in order.
    pub sort_prefix: Vec<KeyValue>,
    /// The sort key condition, if any — of a multi-attribute sort key, the condition on the
    /// RANGE attribute after `sort_prefix`.
    pub sort: Option<SortKeyCondition>,
    /// Whether the sort key has several attributes (its values are tuples).
    pub tuple_sort: bool,
}

impl KeyCondition {
    /// Whether a sort key value satisfies the sort conditions.
    pub fn sort_matches(&self, v: &KeyValue) -> bool {
        if !self.tuple_sort {
            return self.sort.as_ref().is_none_or(|c| c.matches(v));
        }
        let KeyValue::Tuple(t) = v else { return false };
        let k = self.sort_prefix.len();
        t.parts.get(..k) == Some(&self.sort_prefix[..])
            && self.sort.as_ref().is_none_or(|c| t.parts.get(k).is_some_and(|v| c.matches(v)))
    }

    /// The sort key value a range bound is made of: `value` itself for a plain sort key; for a
    /// multi-attribute one the tuple of `sort_prefix` and `value` (if any) sorting at `end` of
    /// the keys it starts.
    pub fn sort_bound(&self, value: Option<&KeyValue>, end: TupleEnd) -> Option<KeyValue> {
        if !self.tuple_sort {
            return value.cloned();
        }
        let parts = self.sort_prefix.iter().chain(value).cloned().collect();
        Some(KeyValue::Tuple(KeyTuple { parts, end }))
    }
}

/// A condition on the sort key.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SortKeyCondition {
    Eq(KeyValue),
    Lt(KeyValue),
    Le(KeyValue),
    Gt(KeyValue),
    Ge(KeyValue),
    Between(KeyValue, KeyValue),
    BeginsWith(KeyValue),
}

impl SortKeyCondition {
    /// Whether a sort key value satisfies the condition.
    pub fn matches(&self, v: &KeyValue) -> bool {
        match self {
            Self::Eq(x) => v == x,
            Self::Lt(x) => v < x,
            Self::Le(x) => v <= x,
            Self::Gt(x) => v > x,
            Self::Ge(x) => v >= x,
            Self::Between(lo, hi) => lo <= v && v <= hi,
            Self::BeginsWith(prefix) => match (v, prefix) {
                (KeyValue::S(s), KeyValue::S(p)) => s.starts_with(p.as_str()),
                (KeyValue::B(s), KeyValue::B(p)) => s.starts_with(p),
                _ => false,
            },
        }
    }
}

fn operator_error(op: &str) -> String {
    format!("Invalid operator used in KeyConditionExpression: {op}")
}

/// The shape rules, in DynamoDB's order (messages carry no expression prefix).
pub(crate) fn key_shape(cond: &Condition) -> Result<KeyConditionExpr, String> {
    let mut parts = Vec::new();
    collect(cond, &mut parts)?;
    // More than two fits only a multi-attribute key: `resolve` knows the schema.
    if parts.is_empty() || parts.len() > MAX_KEY_CONDITIONS {
        return Err(CONDITION_COUNT.into());
    }
    Ok(KeyConditionExpr { parts, legacy: false })
}

fn collect(cond: &Condition, parts: &mut Vec<KeyPart>) -> Result<(), String> {
    let (op, operands, first_must_be_key): (KeyOp, Vec<&Value>, Option<&str>) = match cond {
        Condition::And(operands) => return operands.iter().try_for_each(|c| collect(c, parts)),
        Condition::Or(..) => return Err(operator_error("OR")),
        Condition::Not(_) => return Err(operator_error("NOT")),
        Condition::In { .. } => return Err(operator_error("IN")),
        Condition::Compare { op: CompareOp::Ne, .. } => return Err(operator_error("<>")),
        Condition::AttributeExists(_) => return Err(operator_error("attribute_exists")),
        Condition::AttributeNotExists(_) => return Err(operator_error("attribute_not_exists")),
        Condition::AttributeType(..) => return Err(operator_error("attribute_type")),
        Condition::Contains(..) => return Err(operator_error("contains")),
        Condition::Compare { op, left, right } => {
            let op = match op {
                CompareOp::Lt => KeyOp::Lt,
                CompareOp::Le => KeyOp::Le,
                CompareOp::Gt => KeyOp::Gt,
                CompareOp::Ge => KeyOp::Ge,
                _ => KeyOp::Eq,
            };
            (op, vec![left, right], None)
        }
        Condition::Between { operand, low, high } => {
            (KeyOp::Between, vec![operand, low, high], Some("BETWEEN"))
        }
        Condition::BeginsWith(a, b) => (KeyOp::BeginsWith, vec![a, b], Some("begins_with")),
    };
    if let Some(name) = first_must_be_key {
        if !matches!(operands.first(), Some(Value::Path(_))) {
            return Err(format!(
                "Invalid condition in KeyConditionExpression: {name} operator must have the key attribute as its first operand"
            ));
        }
    }
    let mut key: Option<(String, usize)> = None;
    let mut values = Vec::new();
    for (i, operand) in operands.iter().enumerate() {
        match operand {
            Value::Path(p) => {
                if key.is_some() {
                    return Err("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition".into());
                }
                if p.is_nested() {
                    return Err("KeyConditionExpressions cannot have conditions on nested attributes".into());
                }
                key = Some((p.head().to_owned(), i));
            }
            Value::Size(_) => return Err("KeyConditionExpressions cannot contain nested operations".into()),
            Value::Literal(v) => values.push(v.clone()),
        }
    }
    let Some((name, position)) = key else {
        return Err("Invalid condition in KeyConditionExpression: No key attribute specified".into());
    };
    if parts.iter().any(|p: &KeyPart| p.name == name) {
        // Recorded (2026-10) with the member prefix the other shape errors lack.
        return Err(
            "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"
                .into(),
        );
    }
    // `:v < k` is `k > :v`.
    let op = if position == 0 {
        op
    } else {
        match op {
            KeyOp::Lt => KeyOp::Gt,
            KeyOp::Le => KeyOp::Ge,
            KeyOp::Gt => KeyOp::Lt,
            KeyOp::Ge => KeyOp::Le,
            other => other,
        }
    };
    parts.push(KeyPart { name, op, values });
    Ok(())
}

impl KeyConditionExpr {
    /// Matches the conditions to a key schema (the table's or the queried index's), with
    /// DynamoDB's messages and order: partition key first, then sort key.
    pub fn resolve(&self, schema: &KeySchema) -> ApiResult<KeyCondition> {
        // One rule set for every key: an equality on each HASH attribute, then conditions on
        // the first RANGE attributes with no gap, only the last a range. A plain key (one of
        // each) takes at most two conditions, one without a sort key.
        if !schema.is_multi_attribute() {
            let count = self.parts.len();
            if count > 2 && self.legacy {
                return Err(ApiError::validation(CONDITION_COUNT));
            }
            if count > 2 {
                // Recorded (2026-10): three or more conditions are measured against the schema.
                let keys = 1 + usize::from(schema.sort_key.is_some());
                return Err(ApiError::validation(format!(
                    "The number of query conditions ({count}) exceeds the number of key attributes defined in the schema ({keys})"
                )));
            }
            if schema.sort_key.is_none() && count > 1 {
                return Err(ApiError::validation("Query key condition not supported"));
            }
        }
        let find = |attr: &KeyAttribute| self.parts.iter().find(|p| p.name == attr.name);
        let mut hash = Vec::new();
        for attr in schema.partition_attributes() {
            let part = find(attr).ok_or_else(|| missed(attr))?;
            check_indexable(part)?;
            match (part.op, key_values(part, attr)?.pop()) {
                (KeyOp::Eq, Some(v)) => hash.push(v),
                _ => return Err(ApiError::validation("Query key condition not supported")),
            }
        }
        if self.parts.iter().any(|p| !schema.is_key(&p.name)) {
            // The first RANGE attribute without a condition is what the condition missed.
            return Err(match schema.sort_attributes().find(|a| find(a).is_none()) {
                Some(attr) => missed(attr),
                None => ApiError::validation("Query key condition not supported"),
            });
        }
        // The RANGE attributes before a condition that lack an equality: absent ones, and the
        // one before it if that has a range condition.
        let mut gaps: Vec<&str> = Vec::new();
        let mut sort_prefix = Vec::new();
        let mut sort: Option<(SortKeyCondition, &str)> = None;
        for attr in schema.sort_attributes() {
            let Some(part) = find(attr) else {
                gaps.push(&attr.name);
                continue;
            };
            check_indexable(part)?;
            let condition = sort_condition(part.op, key_values(part, attr)?)?;
            match sort.take() {
                Some((SortKeyCondition::Eq(v), _)) => sort_prefix.push(v),
                Some((_, before)) => gaps.push(before),
                None => {}
            }
            if !gaps.is_empty() {
                return Err(ApiError::validation(format!(
                    "RANGE key attributes {} must have equality conditions specified in the query because a condition is present on key attribute {}",
                    gaps.join(", "),
                    attr.name
                )));
            }
            sort = Some((condition, &attr.name));
        }
        let sort = sort.map(|(c, _)| c);
        let partition_value = if schema.has_multi_attribute_partition_key() {
            KeyValue::Tuple(KeyTuple::low(hash))
        } else {
            hash.pop().ok_or_else(|| ApiError::validation("Query key condition not supported"))?
        };
        Ok(KeyCondition {
            partition_value,
            sort_prefix,
            sort,
            tuple_sort: schema.has_multi_attribute_sort_key(),
        })
    }
}

fn missed(attr: &KeyAttribute) -> ApiError {
    ApiError::validation(format!("Query condition missed key schema element: {}", attr.name))
}

fn check_indexable(part: &KeyPart) -> ApiResult<()> {
    if part.op == KeyOp::NotIndexable {
        return Err(ApiError::validation("Attempted conditional constraint is not an indexable operation"));
    }
    Ok(())
}

fn key_values(part: &KeyPart, attr: &KeyAttribute) -> ApiResult<Vec<KeyValue>> {
    let mut out = Vec::with_capacity(part.values.len());
    for value in &part.values {
        let key = KeyValue::from_attribute(value).filter(|k| k.scalar_type() == Some(attr.scalar_type));
        let Some(key) = key else {
            return Err(ApiError::invalid_parameter("Condition parameter type does not match schema type"));
        };
        if key.is_empty() {
            let kind = if attr.scalar_type == ScalarType::S { "string" } else { "binary" };
            return Err(ApiError::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {}",
                attr.name
            )));
        }
        out.push(key);
    }
    Ok(out)
}

fn sort_condition(op: KeyOp, values: Vec<KeyValue>) -> ApiResult<SortKeyCondition> {
    let mut values = values.into_iter();
    let first = values.next().ok_or_else(|| ApiError::validation("Query key condition not supported"))?;
    Ok(match op {
        KeyOp::Eq => SortKeyCondition::Eq(first),
        KeyOp::Lt => SortKeyCondition::Lt(first),
        KeyOp::Le => SortKeyCondition::Le(first),
        KeyOp::Gt => SortKeyCondition::Gt(first),
        KeyOp::Ge => SortKeyCondition::Ge(first),
        KeyOp::BeginsWith => SortKeyCondition::BeginsWith(first),
        KeyOp::NotIndexable => {
            return Err(ApiError::validation(
                "Attempted conditional constraint is not an indexable operation",
            ))
        }
        KeyOp::Between => {
            let second =
                values.next().ok_or_else(|| ApiError::validation("Query key condition not supported"))?;
            SortKeyCondition::Between(first, second)
        }
    })
}
