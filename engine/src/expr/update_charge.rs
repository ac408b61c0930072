//! What a standalone UpdateItem's UpdateExpression is charged against the 400 KB item limit.
//!
//! DynamoDB sizes UpdateItem twice: the finished item, and the statement itself — what its
//! clauses write plus a fixed cost per clause (the Parity Suite's
//! tier3/limits/itemSizeBySurface, bisected in eu-west-2 and read back). So the key and every
//! attribute the update leaves alone are out of the second figure, and at a short key an
//! UpdateItem is refused below 400 KB of finished item. PartiQL UPDATE, a transacted Update and
//! legacy AttributeUpdates size only the finished item. The figures look like an internal
//! mutation record's encoding; each below is the recorded one.

use super::path::{DocPath, PathStep};
use super::update::{Action, SetExpr, UpdateExpression, UpdateOperand};
use crate::types::{AttributeValue, Item};

/// The update itself, whatever its clauses.
const BASE: usize = 3;
/// A SET or an ADD clause, besides its target and what it writes.
const WRITE_CLAUSE: usize = 19;
/// A REMOVE or a DELETE clause, besides its target (the members DELETE removes are free).
const REMOVE_CLAUSE: usize = 1;
const PLUS: usize = 34;
const MINUS: usize = 37;
const IF_NOT_EXISTS: usize = 39;
const LIST_APPEND: usize = 37;

impl UpdateExpression {
    /// The statement's charge: checked against 409,600 bytes before the ConditionExpression,
    /// against the item as stored (`old`), since an ADD to a set pays only for new members.
    pub fn statement_charge(&self, old: Option<&Item>) -> usize {
        BASE + self.actions.iter().map(|action| action_charge(action, old)).sum::<usize>()
    }
}

fn action_charge(action: &Action, old: Option<&Item>) -> usize {
    match action {
        Action::Set(path, value) => WRITE_CLAUSE + target(path) + set_charge(value),
        Action::Add(path, value) => WRITE_CLAUSE + target(path) + added(path, value, old),
        Action::Remove(path) | Action::Delete(path, _) => REMOVE_CLAUSE + target(path),
    }
}

fn set_charge(value: &SetExpr) -> usize {
    match value {
        SetExpr::Operand(o) => operand(o),
        SetExpr::Plus(a, b) => PLUS + operand(a) + operand(b),
        SetExpr::Minus(a, b) => MINUS + operand(a) + operand(b),
    }
}

/// A value from the request costs its size at every use; a path costs its steps, not the
/// value it reads.
fn operand(o: &UpdateOperand) -> usize {
    match o {
        UpdateOperand::Literal(v) => v.size(),
        UpdateOperand::Path(p) => path_operand(p),
        UpdateOperand::IfNotExists(p, fallback) => IF_NOT_EXISTS + path_operand(p) + operand(fallback),
        UpdateOperand::ListAppend(a, b) => LIST_APPEND + operand(a) + operand(b),
    }
}

fn element(step: &PathStep) -> usize {
    match step {
        PathStep::Key(k) => k.len(),
        PathStep::Index(i) => i.to_string().len(),
    }
}

/// A path read as an operand: 1, plus 14 and the element for each element.
fn path_operand(path: &DocPath) -> usize {
    1 + path.0.iter().map(|s| 14 + element(s)).sum::<usize>()
}

/// A path written to: its first name, plus 4 and the element for each later element.
fn target(path: &DocPath) -> usize {
    let mut steps = path.0.iter();
    steps.next().map_or(0, element) + steps.map(|s| 4 + element(s)).sum::<usize>()
}

/// ADD to a set pays for the members it adds; any other ADD for the value added.
fn added(path: &DocPath, value: &AttributeValue, old: Option<&Item>) -> usize {
    let existing = old.and_then(|item| path.get(item));
    match (existing, value) {
        (Some(AttributeValue::Ss(have)), AttributeValue::Ss(new)) => new_members(have, new, |m| m.len()),
        (Some(AttributeValue::Ns(have)), AttributeValue::Ns(new)) => new_members(have, new, |m| m.size()),
        (Some(AttributeValue::Bs(have)), AttributeValue::Bs(new)) => new_members(have, new, |m| m.len()),
        _ => value.size(),
    }
}

fn new_members<T: Ord>(have: &[T], new: &[T], size: impl Fn(&T) -> usize) -> usize {
    // Sorted with the crate's one sort: a BTreeSet would compile into the browser bundle once
    // more for each member type.
    let mut have: Vec<&T> = have.iter().collect();
    crate::types::sort_by(&mut have, |a, b| a.cmp(b));
    new.iter().filter(|m| have.binary_search(m).is_err()).map(size).sum()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{parse_update, ExpressionAttributes};
    use crate::types::{item_from_json, AttributeValue, Item};

    /// The charge of `text` against `old`, values as DynamoDB JSON.
    fn charge(text: &str, values: serde_json::Value, old: serde_json::Value) -> usize {
        let values = item_from_json(&values).unwrap();
        let values: Vec<(&str, AttributeValue)> =
            values.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let mut attrs = ExpressionAttributes::from_parts(&[("#n", "b")], &values);
        let update = parse_update(text, &mut attrs).unwrap_or_else(|e| panic!("{text}: {e}"));
        let old: Item = item_from_json(&old).unwrap();
        update.statement_charge(Some(&old))
    }

    // The figures below are the Parity Suite's, measured in eu-west-2: the clause costs
    // 3 (update) + 19 (SET/ADD) + 1 (REMOVE/DELETE), operands by kind.
    #[test]
    fn a_set_pays_its_target_and_value_not_the_alias() {
        let pad = json!({":v": {"S": "0123456789"}});
        assert_eq!(charge("SET b = :v", pad.clone(), json!({})), 3 + 19 + 1 + 10);
        assert_eq!(charge("SET #n = :v", pad.clone(), json!({})), 3 + 19 + 1 + 10);
        // A list index as target: 4 plus its digits; a map step: 4 plus its name.
        assert_eq!(charge("SET d[0] = :v", pad.clone(), json!({})), 3 + 19 + 1 + 4 + 1 + 10);
        assert_eq!(charge("SET d.leaf = :v", pad, json!({})), 3 + 19 + 1 + 4 + 4 + 10);
    }

    #[test]
    fn operands_pay_by_kind() {
        let one = json!({":one": {"N": "1"}});
        let n = AttributeValue::N(crate::types::Number::from_i64(1)).size();
        // A path operand: 1, plus 14 and the element per element; the value read is free.
        assert_eq!(charge("SET c = m.z", json!({}), json!({})), 3 + 19 + 1 + 1 + 14 + 1 + 14 + 1);
        assert_eq!(charge("SET c = l[10]", json!({}), json!({})), 3 + 19 + 1 + 1 + 14 + 1 + 14 + 2);
        assert_eq!(charge("SET n = n + :one", one.clone(), json!({})), 3 + 19 + 1 + 34 + 15 + 1 + n);
        assert_eq!(charge("SET n = n - :one", one.clone(), json!({})), 3 + 19 + 1 + 37 + 15 + 1 + n);
        assert_eq!(
            charge("SET c = if_not_exists(c, :one)", one.clone(), json!({"c": {"S": "x"}})),
            3 + 19 + 1 + 39 + 15 + 1 + n
        );
        // A value used twice is paid twice; a document value at its item size.
        let list = json!({":l": {"L": [{"S": "0123456789"}]}});
        assert_eq!(
            charge("SET l = list_append(:l, :l)", list, json!({})),
            3 + 19 + 1 + 37 + 2 * (3 + 1 + 10)
        );
    }

    #[test]
    fn add_pays_for_new_members_remove_and_delete_for_their_path() {
        let old = json!({"ss": {"SS": ["ppppp", "q"]}, "r": {"S": "x"}});
        let add = json!({":s": {"SS": ["q", "0123456789"]}});
        assert_eq!(charge("ADD ss :s", add.clone(), old.clone()), 3 + 19 + 2 + 10);
        assert_eq!(charge("ADD fresh :s", add, old.clone()), 3 + 19 + 5 + 11);
        assert_eq!(charge("REMOVE r, l[10]", json!({}), old.clone()), 3 + 1 + 1 + 1 + 1 + 4 + 2);
        let rm = json!({":s": {"SS": ["ppppp"]}});
        assert_eq!(charge("DELETE ss :s", rm, old), 3 + 1 + 2);
    }
}
