//! IAM policy documents, read and checked: the statements of an identity's inline policies
//! and of a table's or stream's resource-based policy, in the IAM JSON policy grammar
//! (Version, Statement, Sid, Effect, Principal, Action / NotAction, Resource / NotResource,
//! Condition). A document that does not follow it is refused with IAM's own words
//! (MalformedPolicyDocument's "Missing required field Effect", …), naming where.

use serde_json::Value;

/// The largest inline policy IAM accepts for a user or role, whitespace excluded (IAM's
/// quota is 2,048 characters for a user and 10,240 for a role: the larger is taken).
pub(crate) const MAX_IDENTITY_POLICY_CHARS: usize = 10_240;

/// Allow or Deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

/// A list of patterns, or (`Not…`) everything but them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Patterns {
    pub values: Vec<String>,
    pub negated: bool,
}

/// One condition: `operator` (its base name, such as `StringLike`) on `key` against `values`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    pub operator: String,
    pub qualifier: Qualifier,
    pub if_exists: bool,
    pub key: String,
    pub values: Vec<String>,
}

/// The set operator before a condition operator (`ForAllValues:StringEquals`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Qualifier {
    Single,
    ForAllValues,
    ForAnyValue,
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Statement {
    /// The statement's `Sid`, if it has one.
    pub sid: Option<String>,
    pub effect: Effect,
    /// Of a resource-based policy: the principals it names (`*` for anyone).
    pub principals: Vec<String>,
    pub actions: Patterns,
    pub resources: Patterns,
    pub conditions: Vec<Condition>,
}

/// A checked policy document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Policy {
    pub statements: Vec<Statement>,
    /// Version 2012-10-17: policy variables (`${aws:username}`) are replaced; in 2008-10-17
    /// (or with no Version) they are plain text.
    pub variables: bool,
}

/// The condition operators IAM knows that a DynamoDB request's keys can be used with.
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "Bool",
    "Null",
];

/// Whether a document is an identity's (no Principal allowed) or a resource's (Principal
/// required).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Identity,
    Resource,
}

/// Reads a policy document, or says what is wrong with it in IAM's words.
pub(crate) fn parse(document: &str, kind: Kind) -> Result<Policy, String> {
    let value: Value = serde_json::from_slice(document.as_bytes()).map_err(|_| "Syntax errors in policy.")?;
    let Value::Object(top) = &value else { return Err("Syntax errors in policy.".into()) };
    for key in top.keys() {
        if !matches!(key.as_str(), "Version" | "Statement" | "Id") {
            return Err(format!("Policy document has an unknown field: {key}"));
        }
    }
    let variables = match top.get("Version") {
        None => false,
        Some(Value::String(v)) if v == "2012-10-17" => true,
        Some(Value::String(v)) if v == "2008-10-17" => false,
        Some(_) => return Err("The policy failed legacy parsing".into()),
    };
    let statements = match top.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        Some(_) => return Err("Syntax errors in policy.".into()),
        None => return Err("Missing required field Statement".into()),
    };
    let mut read = Vec::with_capacity(statements.len());
    for (i, statement) in statements.into_iter().enumerate() {
        read.push(parse_statement(statement, kind).map_err(|e| format!("{e} (statement {})", i + 1))?);
    }
    Ok(Policy { statements: read, variables })
}

fn parse_statement(value: &Value, kind: Kind) -> Result<Statement, String> {
    let Value::Object(s) = value else { return Err("Syntax errors in policy.".into()) };
    for key in s.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Principal"
                | "NotPrincipal"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Condition"
        ) {
            return Err(format!("Statement has an unknown field: {key}"));
        }
    }
    let sid = match s.get("Sid") {
        None => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(_) => return Err("Syntax errors in policy.".into()),
    };
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(other) => return Err(format!("Invalid effect: {other}")),
        None => return Err("Missing required field Effect".into()),
    };
    if s.contains_key("NotPrincipal") {
        return Err("NotPrincipal is not supported by dynaplay: name the principals in Principal".into());
    }
    let principals = match (kind, s.get("Principal")) {
        (Kind::Identity, None) => Vec::new(),
        (Kind::Identity, Some(_)) => return Err("Policy document should not specify a principal.".into()),
        (Kind::Resource, None) => return Err("Missing required field Principal".into()),
        (Kind::Resource, Some(p)) => principals(p)?,
    };
    let actions = one_of(s, "Action", "NotAction")?;
    for action in &actions.values {
        if action != "*" && !action.contains(':') {
            return Err("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.".into());
        }
    }
    let resources = one_of(s, "Resource", "NotResource")?;
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(c) => conditions(c)?,
    };
    Ok(Statement { sid, effect, principals, actions, resources, conditions })
}

/// `Action` or `NotAction` (exactly one), as a list.
fn one_of(s: &serde_json::Map<String, Value>, name: &str, not: &str) -> Result<Patterns, String> {
    match (s.get(name), s.get(not)) {
        (Some(v), None) => Ok(Patterns { values: strings(v)?, negated: false }),
        (None, Some(v)) => Ok(Patterns { values: strings(v)?, negated: true }),
        (None, None) => Err(format!("Policy statement must contain {}", name.to_ascii_lowercase() + "s")),
        (Some(_), Some(_)) => Err(format!("Statement can not contain both {name} and {not}")),
    }
}

/// A string or a non-empty list of strings.
fn strings(v: &Value) -> Result<Vec<String>, String> {
    let list: Vec<String> = match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or("Syntax errors in policy.")?,
        _ => return Err("Syntax errors in policy.".into()),
    };
    if list.is_empty() {
        return Err("Syntax errors in policy.".into());
    }
    Ok(list)
}

/// `"*"`, `{"AWS": "<arn or account>"}` or `{"AWS": [...]}`.
fn principals(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) if s == "*" => Ok(vec!["*".into()]),
        Value::Object(m) => {
            let mut all = Vec::new();
            for (kind, names) in m {
                if kind != "AWS" {
                    return Err(format!(
                        "Invalid principal in policy: \"{kind}\" (dynaplay knows \"AWS\" principals)"
                    ));
                }
                all.extend(strings(names)?);
            }
            Ok(all)
        }
        _ => Err("Invalid principal in policy".into()),
    }
}

/// `{"<operator>": {"<key>": <value or list>}}`.
fn conditions(v: &Value) -> Result<Vec<Condition>, String> {
    let Value::Object(blocks) = v else { return Err("Syntax errors in policy.".into()) };
    let mut all = Vec::new();
    for (operator, block) in blocks {
        let (qualifier, rest) = if let Some(rest) = operator.strip_prefix("ForAllValues:") {
            (Qualifier::ForAllValues, rest)
        } else if let Some(rest) = operator.strip_prefix("ForAnyValue:") {
            (Qualifier::ForAnyValue, rest)
        } else {
            (Qualifier::Single, operator.as_str())
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) if base != "Null" => (base, true),
            _ => (rest, false),
        };
        if !OPERATORS.contains(&base) {
            return Err(format!("Invalid Condition type : {operator}"));
        }
        let Value::Object(keys) = block else { return Err("Syntax errors in policy.".into()) };
        for (key, values) in keys {
            if !key.contains(':') {
                return Err(
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.".into()
                );
            }
            let values = match values {
                Value::Bool(b) => vec![b.to_string()],
                Value::Number(n) => vec![n.to_string()],
                Value::Array(items) if items.iter().all(|i| i.is_boolean() || i.is_number()) => {
                    items.iter().map(Value::to_string).collect()
                }
                other => strings(other)?,
            };
            all.push(Condition { operator: base.to_owned(), qualifier, if_exists, key: key.clone(), values });
        }
    }
    Ok(all)
}

/// An identity's inline policy: a name IAM accepts and a document within its size.
pub(crate) fn check_identity_policy(name: &str, document: &str) -> Result<Policy, String> {
    if name.is_empty()
        || name.len() > 128
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
    {
        return Err(format!("Invalid PolicyName {name:?}: 1 to 128 of letters, digits and +=,.@_-"));
    }
    let size = document.chars().filter(|c| !c.is_whitespace()).count();
    if size > MAX_IDENTITY_POLICY_CHARS {
        return Err(format!(
            "Policy {name}: Maximum policy size of {MAX_IDENTITY_POLICY_CHARS} bytes exceeded for role/user ({size})"
        ));
    }
    parse(document, Kind::Identity).map_err(|e| format!("Policy {name}: {e}"))
}
