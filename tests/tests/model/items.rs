//! PutItem, GetItem, DeleteItem and UpdateItem against the model: conditions (expressions and
//! the legacy `Expected`), ReturnValues, ReturnValuesOnConditionCheckFailure, index-key
//! validation, and the UpdateExpression actions of `harness::apply_update`.

use serde_json::{json, Value};

use crate::harness::{
    apply_update, attributes_response, conditional_check_failed, empty_index_key_error, legacy_expected,
    updated_attributes, Check, Ctx, Placeholders,
};
use crate::ops::{Cond, ReturnValues, UpdateAction};
use crate::schema::{empty_index_key, key_item, key_of, Key, TableId};
use crate::values::{expected_item, pick, wire_item, wire_value, Item, Spelling, Val};

/// The Key member of a request.
pub fn wire_key(table: TableId, key: &Key, spelling: Spelling) -> Value {
    wire_item(&key_item(table, key), spelling)
}

pub struct Put<'a> {
    pub table: TableId,
    pub item: &'a Item,
    pub cond: Option<&'a Cond>,
    pub return_old: bool,
    pub old_on_failure: bool,
    pub spelling: Spelling,
    pub legacy: bool,
}

pub fn check_put(ctx: &mut Ctx, op: Put<'_>) -> Check {
    let mut request = json!({ "TableName": op.table.name(), "Item": wire_item(op.item, op.spelling) });
    match (op.cond, op.legacy) {
        (Some(cond), true) => request["Expected"] = legacy_expected(cond, op.spelling),
        (Some(cond), false) => {
            let mut p = Placeholders::default();
            request["ConditionExpression"] = json!(p.condition(cond, op.spelling));
            p.attach(&mut request);
        }
        (None, _) => {}
    }
    if op.return_old {
        request["ReturnValues"] = json!("ALL_OLD");
    }
    if op.old_on_failure {
        request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
    }
    let got = ctx.client.call("PutItem", request.clone());

    let key = key_of(op.table, op.item);
    let old = ctx.model.get(op.table, &key).cloned();
    let expected = if let Some(attribute) = empty_index_key(op.table, op.item) {
        Err(empty_index_key_error(op.table, attribute))
    } else if op.cond.is_some_and(|c| !c.holds(old.as_ref())) {
        Err(conditional_check_failed(old.as_ref().filter(|_| op.old_on_failure)))
    } else {
        Ok(attributes_response(old.as_ref().filter(|_| op.return_old)))
    };
    if ctx.client.settle(&[op.table], &got, &expected, &format!("PutItem {request}"))? {
        ctx.model.put(op.table, op.item.clone());
    }
    Ok(())
}

pub fn check_get(
    ctx: &mut Ctx,
    table: TableId,
    key: &Key,
    projection: &[&'static str],
    consistent: bool,
    spelling: Spelling,
    legacy: bool,
) -> Check {
    let mut request = json!({ "TableName": table.name(), "Key": wire_key(table, key, spelling), "ConsistentRead": consistent });
    if legacy && !projection.is_empty() {
        request["AttributesToGet"] = json!(projection);
    } else {
        add_projection(&mut request, projection);
    }
    let got = ctx.client.call("GetItem", request.clone());
    let expected = Ok(get_response(ctx.model.get(table, key), projection));
    ctx.client.settle(&[table], &got, &expected, &format!("GetItem {request}"))?;
    Ok(())
}

/// A ProjectionExpression naming `projection` (through placeholders: some are reserved words).
pub fn add_projection(request: &mut Value, projection: &[&'static str]) {
    if projection.is_empty() {
        return;
    }
    let mut p = Placeholders::default();
    let names: Vec<String> = projection.iter().map(|a| p.name(a)).collect();
    request["ProjectionExpression"] = json!(names.join(", "));
    p.attach(request);
}

/// What GetItem answers: `{}` for no item; a present item whose projection matches nothing
/// comes back as `"Item": {}`.
pub fn get_response(item: Option<&Item>, projection: &[&str]) -> Value {
    match item {
        None => json!({}),
        Some(item) => json!({ "Item": expected_item(&projected(item, projection)) }),
    }
}

/// An item as a ProjectionExpression of top-level names shapes it (all of it without one).
pub fn projected(item: &Item, projection: &[&str]) -> Item {
    if projection.is_empty() {
        item.clone()
    } else {
        pick(item, projection)
    }
}

pub struct Delete<'a> {
    pub table: TableId,
    pub key: &'a Key,
    pub cond: Option<&'a Cond>,
    pub return_old: bool,
    pub old_on_failure: bool,
    pub spelling: Spelling,
    pub legacy: bool,
}

pub fn check_delete(ctx: &mut Ctx, op: Delete<'_>) -> Check {
    let Delete { table, key, cond, return_old, old_on_failure, spelling, legacy } = op;
    let mut request = json!({ "TableName": table.name(), "Key": wire_key(table, key, spelling) });
    if return_old {
        request["ReturnValues"] = json!("ALL_OLD");
    }
    if old_on_failure {
        request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
    }
    match (cond, legacy) {
        (Some(cond), true) => request["Expected"] = legacy_expected(cond, spelling),
        (Some(cond), false) => {
            let mut p = Placeholders::default();
            request["ConditionExpression"] = json!(p.condition(cond, spelling));
            p.attach(&mut request);
        }
        (None, _) => {}
    }
    let got = ctx.client.call("DeleteItem", request.clone());

    let old = ctx.model.get(table, key).cloned();
    let expected = if cond.is_some_and(|c| !c.holds(old.as_ref())) {
        Err(conditional_check_failed(old.as_ref().filter(|_| old_on_failure)))
    } else {
        Ok(attributes_response(old.as_ref().filter(|_| return_old)))
    };
    if ctx.client.settle(&[table], &got, &expected, &format!("DeleteItem {request}"))? {
        ctx.model.delete(table, key);
    }
    Ok(())
}

pub struct Update<'a> {
    pub table: TableId,
    pub key: &'a Key,
    pub actions: &'a [UpdateAction],
    pub cond: Option<&'a Cond>,
    pub return_values: ReturnValues,
    pub old_on_failure: bool,
    pub spelling: Spelling,
    pub legacy: bool,
}

/// The actions as the legacy `AttributeUpdates`, when they can be written so (PUT, ADD,
/// DELETE: no functions, no arithmetic).
fn attribute_updates(actions: &[UpdateAction], spelling: Spelling) -> Option<Value> {
    let mut updates = serde_json::Map::new();
    for action in actions {
        let update = match action {
            UpdateAction::Set(_, v) => json!({ "Action": "PUT", "Value": wire_value(v, spelling) }),
            UpdateAction::Add(n) => json!({ "Action": "ADD", "Value": wire_value(&Val::N(*n), spelling) }),
            UpdateAction::AddTags(s) => {
                json!({ "Action": "ADD", "Value": wire_value(&Val::Ss(s.clone()), spelling) })
            }
            UpdateAction::DeleteTags(s) => {
                json!({ "Action": "DELETE", "Value": wire_value(&Val::Ss(s.clone()), spelling) })
            }
            UpdateAction::Remove(_) => json!({ "Action": "DELETE" }),
            UpdateAction::SetIfMissing(..) | UpdateAction::SetPlus(_) | UpdateAction::AppendParts { .. } => {
                return None
            }
        };
        updates.insert(action.attribute().to_owned(), update);
    }
    Some(Value::Object(updates))
}

pub fn check_update(ctx: &mut Ctx, op: Update<'_>) -> Check {
    let mut request = json!({ "TableName": op.table.name(), "Key": wire_key(op.table, op.key, op.spelling) });
    match attribute_updates(op.actions, op.spelling).filter(|_| op.legacy) {
        Some(updates) => {
            request["AttributeUpdates"] = updates;
            if let Some(cond) = op.cond {
                request["Expected"] = legacy_expected(cond, op.spelling);
            }
        }
        None => {
            let mut p = Placeholders::default();
            request["UpdateExpression"] = json!(p.update(op.actions, op.spelling));
            if let Some(cond) = op.cond {
                request["ConditionExpression"] = json!(p.condition(cond, op.spelling));
            }
            p.attach(&mut request);
        }
    }
    if let Some(rv) = op.return_values.wire() {
        request["ReturnValues"] = json!(rv);
    }
    if op.old_on_failure {
        request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
    }
    let got = ctx.client.call("UpdateItem", request.clone());

    let old = ctx.model.get(op.table, op.key).cloned();
    let mut new = None;
    let expected = if op.cond.is_some_and(|c| !c.holds(old.as_ref())) {
        Err(conditional_check_failed(old.as_ref().filter(|_| op.old_on_failure)))
    } else {
        match apply_update(op.table, old.as_ref(), op.key, op.actions) {
            Err(e) => Err(e),
            Ok(after) => {
                let returned = match op.return_values {
                    ReturnValues::None => None,
                    ReturnValues::AllOld => old.clone(),
                    ReturnValues::AllNew => after.clone(),
                    ReturnValues::UpdatedOld => updated_attributes(old.as_ref(), op.actions),
                    ReturnValues::UpdatedNew => updated_attributes(after.as_ref(), op.actions),
                };
                new = Some(after);
                Ok(attributes_response(returned.as_ref()))
            }
        }
    };
    if ctx.client.settle(&[op.table], &got, &expected, &format!("UpdateItem {request}"))? {
        if let Some(after) = new {
            ctx.model.set(op.table, op.key, after);
        }
    }
    Ok(())
}
