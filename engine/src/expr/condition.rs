//! Phase 4 for conditions: a checked, resolved condition and its evaluation against an item.
//! As in DynamoDB, nothing here fails at run time: a missing attribute or a type mismatch just
//! makes the comparison false (and `<>` true).

use std::cmp::Ordering;

use super::ast::CompareOp;
use super::path::DocPath;
use crate::types::{AttributeValue, Item, Number};

/// An operand with placeholders resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// An attribute of the item.
    Path(DocPath),
    /// An `ExpressionAttributeValues` value.
    Literal(AttributeValue),
    /// `size(operand)`.
    Size(Box<Value>),
}

/// A checked condition (ConditionExpression or FilterExpression).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Condition {
    Or(Vec<Condition>),
    And(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        op: CompareOp,
        left: Value,
        right: Value,
    },
    Between {
        operand: Value,
        low: Value,
        high: Value,
    },
    In {
        operand: Value,
        list: Vec<Value>,
    },
    AttributeExists(DocPath),
    AttributeNotExists(DocPath),
    /// `attribute_type(path, :t)`, with the type tag (`S`, `NS`, …) already read.
    AttributeType(DocPath, String),
    BeginsWith(Value, Value),
    Contains(Value, Value),
}

impl Value {
    /// The operand's value for `item`, if it has one.
    pub fn resolve(&self, item: &Item) -> Option<AttributeValue> {
        match self {
            Self::Path(p) => p.get(item).cloned(),
            Self::Literal(v) => Some(v.clone()),
            Self::Size(inner) => size_of(&inner.resolve(item)?).map(AttributeValue::N),
        }
    }

    fn paths<'a>(&'a self, out: &mut Vec<&'a DocPath>) {
        match self {
            Self::Path(p) => out.push(p),
            Self::Literal(_) => {}
            Self::Size(inner) => inner.paths(out),
        }
    }
}

/// `size()`: characters of a string (UTF-16 units, as DynamoDB's Java counts them), bytes of a
/// binary, members of a set, list or map; nothing for other types.
fn size_of(value: &AttributeValue) -> Option<Number> {
    let n = match value {
        AttributeValue::S(s) => s.encode_utf16().count(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(v) => v.len(),
        AttributeValue::Ns(v) => v.len(),
        AttributeValue::Bs(v) => v.len(),
        AttributeValue::L(v) => v.len(),
        AttributeValue::M(m) => m.len(),
        _ => return None,
    };
    Some(Number::from_i64(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// Order of two scalar values of the same type (S and B bytewise, N numerically).
pub(crate) fn scalar_order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

impl Condition {
    /// Whether the item satisfies the condition (an absent item is an empty map).
    pub fn evaluate(&self, item: &Item) -> bool {
        match self {
            Self::Or(operands) => operands.iter().any(|c| c.evaluate(item)),
            Self::And(operands) => operands.iter().all(|c| c.evaluate(item)),
            Self::Not(a) => !a.evaluate(item),
            Self::Compare { op, left, right } => {
                let (l, r) = (left.resolve(item), right.resolve(item));
                match op {
                    CompareOp::Eq => matches!((&l, &r), (Some(a), Some(b)) if a == b),
                    CompareOp::Ne => !matches!((&l, &r), (Some(a), Some(b)) if a == b),
                    _ => {
                        let Some(ord) = l.zip(r).and_then(|(a, b)| scalar_order(&a, &b)) else {
                            return false;
                        };
                        match op {
                            CompareOp::Lt => ord.is_lt(),
                            CompareOp::Le => ord.is_le(),
                            CompareOp::Gt => ord.is_gt(),
                            _ => ord.is_ge(),
                        }
                    }
                }
            }
            Self::Between { operand, low, high } => {
                let (Some(v), Some(lo), Some(hi)) =
                    (operand.resolve(item), low.resolve(item), high.resolve(item))
                else {
                    return false;
                };
                matches!(
                    (scalar_order(&lo, &v), scalar_order(&v, &hi)),
                    (Some(a), Some(b)) if a.is_le() && b.is_le()
                )
            }
            Self::In { operand, list } => {
                let Some(v) = operand.resolve(item) else { return false };
                list.iter().any(|candidate| candidate.resolve(item).as_ref() == Some(&v))
            }
            Self::AttributeExists(p) => p.get(item).is_some(),
            Self::AttributeNotExists(p) => p.get(item).is_none(),
            Self::AttributeType(p, tag) => p.get(item).is_some_and(|v| v.type_name() == tag),
            Self::BeginsWith(a, b) => match (a.resolve(item), b.resolve(item)) {
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(prefix))) => {
                    s.starts_with(prefix.as_str())
                }
                (Some(AttributeValue::B(s)), Some(AttributeValue::B(prefix))) => s.starts_with(&prefix),
                _ => false,
            },
            Self::Contains(a, b) => match (a.resolve(item), b.resolve(item)) {
                (Some(haystack), Some(needle)) => contains(&haystack, &needle),
                _ => false,
            },
        }
    }

    /// Every document path the condition reads (for the key-attribute checks of Query and
    /// updates), in the order written.
    pub fn paths(&self) -> Vec<&DocPath> {
        let mut out = Vec::new();
        self.collect_paths(&mut out);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a DocPath>) {
        match self {
            Self::Or(operands) | Self::And(operands) => {
                for c in operands {
                    c.collect_paths(out);
                }
            }
            Self::Not(a) => a.collect_paths(out),
            Self::Compare { left, right, .. } => {
                left.paths(out);
                right.paths(out);
            }
            Self::Between { operand, low, high } => {
                for v in [operand, low, high] {
                    v.paths(out);
                }
            }
            Self::In { operand, list } => {
                operand.paths(out);
                for v in list {
                    v.paths(out);
                }
            }
            Self::AttributeExists(p) | Self::AttributeNotExists(p) | Self::AttributeType(p, _) => out.push(p),
            Self::BeginsWith(a, b) | Self::Contains(a, b) => {
                a.paths(out);
                b.paths(out);
            }
        }
    }
}

/// Whether `needle` is a run of `haystack`, in time linear in their lengths (Knuth–Morris–
/// Pratt). Comparing the needle at every offset is quadratic: a 390 KB binary and a 195 KB
/// needle that almost matches everywhere take 4·10¹⁰ byte comparisons (`benches/contains.rs`:
/// 443 ms natively even vectorised, 113× the whole Scan request with this search).
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.len() > haystack.len() {
        return false;
    }
    // fallback[i]: the length of the longest proper prefix of needle[..=i] that is also its
    // suffix — where to resume after a mismatch past position i.
    let mut fallback = vec![0usize; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = fallback[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fallback[i] = k;
    }
    let mut matched = 0;
    for &byte in haystack {
        while matched > 0 && byte != needle[matched] {
            matched = fallback[matched - 1];
        }
        if byte == needle[matched] {
            matched += 1;
            if matched == needle.len() {
                return true;
            }
        }
    }
    false
}

/// `contains(haystack, needle)`: a substring of a string, a byte run of a binary, a member of
/// a set of the needle's type, or an element of a list.
fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    match (haystack, needle) {
        (AttributeValue::S(s), AttributeValue::S(n)) => s.contains(n.as_str()),
        (AttributeValue::B(s), AttributeValue::B(n)) => contains_bytes(s, n),
        (AttributeValue::Ss(set), AttributeValue::S(n)) => set.contains(n),
        (AttributeValue::Ns(set), AttributeValue::N(n)) => set.contains(n),
        (AttributeValue::Bs(set), AttributeValue::B(n)) => set.contains(n),
        (AttributeValue::L(list), n) => list.contains(n),
        _ => false,
    }
}
