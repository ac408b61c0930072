//! Attribute values as the model holds them, and how requests spell them and responses must
//! show them.
//!
//! Numbers are integer tenths: every number the test uses has at most one decimal, so sums
//! and comparisons are exact integer operations. Requests spell numbers in several ways
//! ("2.5", "2.50", "25E-1"); responses must carry DynamoDB's normalised form.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

/// An attribute value as the model holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    S(String),
    /// A number in tenths.
    N(i64),
    Bool(bool),
    Ss(BTreeSet<String>),
    L(Vec<Val>),
    M(BTreeMap<String, Val>),
}

/// An item: attribute name to value, in name order.
pub type Item = BTreeMap<String, Val>;

/// A key attribute's value: the only types key attributes have here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scalar {
    /// Ordered by UTF-8 bytes, as DynamoDB orders strings (`String`'s own order).
    S(String),
    /// Tenths, ordered numerically.
    N(i64),
}

impl Scalar {
    /// The key value held by an attribute value, if it is a string or a number.
    pub fn of(val: &Val) -> Option<Scalar> {
        match val {
            Val::S(s) => Some(Scalar::S(s.clone())),
            Val::N(n) => Some(Scalar::N(*n)),
            _ => None,
        }
    }

    pub fn to_val(&self) -> Val {
        match self {
            Scalar::S(s) => Val::S(s.clone()),
            Scalar::N(n) => Val::N(*n),
        }
    }
}

/// How a request spells its numbers; the engine must store and return them normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// "2.5", "-10"
    Plain,
    /// "2.50", "-10.0"
    TrailingZero,
    /// "25E-1", "-100E-1"
    Exponent,
}

/// DynamoDB's normalised text for a number of tenths: no trailing zeros, no exponent.
pub fn canonical_number(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

pub fn spelled_number(tenths: i64, spelling: Spelling) -> String {
    let plain = canonical_number(tenths);
    match spelling {
        Spelling::Plain => plain,
        Spelling::TrailingZero if plain.contains('.') => format!("{plain}0"),
        Spelling::TrailingZero => format!("{plain}.0"),
        Spelling::Exponent => format!("{tenths}E-1"),
    }
}

/// A value in DynamoDB JSON, numbers spelled as the request chooses.
pub fn wire_value(val: &Val, spelling: Spelling) -> Value {
    match val {
        Val::S(s) => json!({ "S": s }),
        Val::N(n) => json!({ "N": spelled_number(*n, spelling) }),
        Val::Bool(b) => json!({ "BOOL": b }),
        Val::Ss(set) => json!({ "SS": set.iter().collect::<Vec<_>>() }),
        Val::L(list) => json!({ "L": list.iter().map(|v| wire_value(v, spelling)).collect::<Vec<_>>() }),
        Val::M(map) => json!({ "M": wire_item(map, spelling) }),
    }
}

pub fn wire_item(item: &Item, spelling: Spelling) -> Value {
    Value::Object(item.iter().map(|(k, v)| (k.clone(), wire_value(v, spelling))).collect())
}

/// What a response must contain: numbers normalised.
pub fn expected_item(item: &Item) -> Value {
    wire_item(item, Spelling::Plain)
}

/// The attributes of `item` named in `names`.
pub fn pick(item: &Item, names: &[&str]) -> Item {
    item.iter().filter(|(k, _)| names.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// DynamoDB does not define the order of a set's members, so responses are compared with each
/// set's members sorted (the model's sets are already sorted). Everything else is compared
/// exactly.
pub fn sort_sets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if matches!(k.as_str(), "SS" | "NS" | "BS") {
                    if let Value::Array(members) = v {
                        members.sort_by_key(Value::to_string);
                    }
                } else {
                    sort_sets(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sort_sets),
        _ => {}
    }
}

/// A PartiQL literal for a value: strings in single quotes (a quote doubled), sets as bags.
pub fn partiql_literal(val: &Val) -> String {
    match val {
        Val::S(s) => format!("'{}'", s.replace('\'', "''")),
        Val::N(n) => canonical_number(*n),
        Val::Bool(b) => b.to_string(),
        Val::Ss(set) => {
            let members: Vec<String> = set.iter().map(|s| partiql_literal(&Val::S(s.clone()))).collect();
            format!("<<{}>>", members.join(", "))
        }
        Val::L(list) => format!("[{}]", list.iter().map(partiql_literal).collect::<Vec<_>>().join(", ")),
        Val::M(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("'{}': {}", k.replace('\'', "''"), partiql_literal(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}
