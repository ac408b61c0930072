//! An item's size, attribute by attribute, by the rules `AttributeValue::size` applies
//! [CapacityUnitCalculations]: each name's UTF-8 bytes plus its value — S: UTF-8 bytes; N: one
//! byte per two significant digits, plus one (plus one if negative); B: raw bytes; BOOL and
//! NULL: 1; L and M: 3 bytes plus 1 per element plus the elements (a map's element names
//! included); sets: the sum of their members.

use super::text::{bytes, grouped};
use super::Explanation;
use crate::types::{item_size, AttributeValue, Item};

/// How one value's size is counted, with its figures.
fn value_rule(v: &AttributeValue) -> String {
    let n = |x: usize| grouped(x as u128);
    match v {
        AttributeValue::S(s) => format!("S: {} UTF-8 bytes", n(s.len())),
        AttributeValue::N(num) => {
            format!("N: 1 byte per 2 significant digits + 1 (+1 if negative) = {}", n(num.size()))
        }
        AttributeValue::B(b) => format!("B: {} raw bytes (not its base64 text)", n(b.len())),
        AttributeValue::Bool(_) => "BOOL: 1 byte".into(),
        AttributeValue::Null => "NULL: 1 byte".into(),
        AttributeValue::M(m) => format!(
            "M of {}: 3 bytes + 1 per element + its elements' names and values = {}",
            n(m.len()),
            n(v.size())
        ),
        AttributeValue::L(l) => {
            format!("L of {}: 3 bytes + 1 per element + the elements = {}", n(l.len()), n(v.size()))
        }
        AttributeValue::Ss(s) => format!("SS of {}: the members' UTF-8 bytes = {}", n(s.len()), n(v.size())),
        AttributeValue::Ns(s) => format!("NS of {}: the members' number sizes = {}", n(s.len()), n(v.size())),
        AttributeValue::Bs(s) => format!("BS of {}: the members' raw bytes = {}", n(s.len()), n(v.size())),
    }
}

/// The rule for an item's size: one step per attribute (name bytes + value bytes), then the
/// total, and what it costs to read and write.
pub(crate) fn item_size_explained(item: &Item) -> Explanation {
    let mut steps: Vec<String> = item
        .iter()
        .map(|(name, value)| {
            format!(
                "{name}: {} B of name + {} B of value ({}) = {} B",
                grouped(name.len() as u128),
                grouped(value.size() as u128),
                value_rule(value),
                grouped((name.len() + value.size()) as u128)
            )
        })
        .collect();
    let total = item_size(item) as u64;
    steps.push(format!(
        "Total: {} — reads count it in 4 KB units (⌈{} / 4,096⌉ = {}), writes in 1 KB units (⌈{} / 1,024⌉ = {}). Storage adds 100 B of overhead per item.",
        bytes(total),
        grouped(u128::from(total)),
        total.div_ceil(4096).max(1),
        grouped(u128::from(total)),
        total.div_ceil(1024).max(1),
    ));
    Explanation {
        rule: "ItemSize",
        summary: format!(
            "{}: the sum of {} attribute names and values.",
            bytes(total),
            grouped(item.len() as u128)
        ),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::item_from_json;
    use serde_json::json;

    #[test]
    fn each_attribute_is_counted_and_the_total_is_the_engines() {
        let item = item_from_json(&json!({
            "UserId": {"S": "U1001"},
            "Age": {"N": "29"},
            "Tags": {"SS": ["a", "bc"]},
            "Profile": {"M": {"x": {"BOOL": true}}},
            "Nums": {"L": [{"N": "-1.5"}, {"NULL": true}]},
            "Blob": {"B": "AAEC"}
        }))
        .unwrap();
        let e = item_size_explained(&item);
        // UserId: 6 + 5; Age: 3 + 2; Tags: 4 + 3; Profile: 7 + (3 + 1 + 1 + 1);
        // Nums: 4 + (3 + 1 + 4 (-1.5: two base-100 digits, exponent, sign) + 1 + 1); Blob: 4 + 3.
        assert_eq!(item_size(&item), 11 + 5 + 7 + 13 + 14 + 7);
        assert!(e.summary.starts_with("57 B (0.1 KB)"), "{}", e.summary);
        assert!(
            e.steps.iter().any(|s| s == "UserId: 6 B of name + 5 B of value (S: 5 UTF-8 bytes) = 11 B"),
            "{:?}",
            e.steps
        );
        assert!(e.steps.iter().any(|s| s.starts_with("Blob: 4 B of name + 3 B of value (B: 3 raw bytes")));
        assert!(e
            .steps
            .iter()
            .any(|s| s.contains("M of 1: 3 bytes + 1 per element") && s.ends_with("= 13 B")));
        assert!(e.steps.last().unwrap().contains("⌈57 / 4,096⌉ = 1"));
        assert_eq!(e.steps.len(), item.len() + 1);
    }
}
