//! ExecuteStatement, BatchExecuteStatement and ExecuteTransaction against the model. PartiQL
//! writes are judged as DynamoDB documents them: INSERT fails on an existing key
//! (DuplicateItemException), UPDATE needs the item to exist and meet the WHERE clause,
//! DELETE of a missing item is no error; SELECT is a Query when it gives the partition key
//! (in sort-key order, ORDER BY … DESC reversed) and a Scan otherwise, paged with NextToken.

use serde_json::{json, Value};

use crate::harness::{
    apply_update, attributes_response, conditional_check_failed, empty_index_key_error, error_name,
    is_throttle, updated_attributes, Check, Ctx,
};
use crate::items::get_response;
use crate::ops::{Cond, Returning, SortCond, Statement, UpdateAction};
use crate::reads::{entries, normalized};
use crate::schema::{empty_index_key, key_item, key_of, Key, TableId};
use crate::transactions::{cancelled, duplicate_in_transaction, is_throttled_cancellation};
use crate::values::{expected_item, partiql_literal, pick, wire_value, Item, Scalar, Spelling, Val};
use crate::{ensure, ensure_eq};

/// Statement text under construction: values as literals or as `?` parameters.
struct Text {
    parameters: Option<Vec<Value>>,
}

impl Text {
    fn value(&mut self, value: &Val) -> String {
        match &mut self.parameters {
            Some(list) => {
                list.push(wire_value(value, Spelling::TrailingZero));
                "?".to_owned()
            }
            None => partiql_literal(value),
        }
    }

    fn scalar(&mut self, value: &Scalar) -> String {
        self.value(&value.to_val())
    }

    fn condition(&mut self, cond: &Cond) -> String {
        let name = format!("\"{}\"", cond.attribute());
        match cond {
            Cond::Exists(_) => format!("{name} IS NOT MISSING"),
            Cond::NotExists(_) => format!("{name} IS MISSING"),
            Cond::QtyBelow(n) => format!("{name} < {}", self.value(&Val::N(*n))),
            Cond::DoneIs(b) => format!("{name} = {}", self.value(&Val::Bool(*b))),
            Cond::TitleBegins(p) => format!("begins_with({name}, {})", self.value(&Val::S(p.clone()))),
        }
    }

    /// `"pk" = v AND "sk" = v` for a table key.
    fn key(&mut self, table: TableId, key: &Key) -> String {
        key_item(table, key)
            .iter()
            .map(|(name, v)| format!("\"{name}\" = {}", self.value(v)))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn sort(&mut self, attribute: &str, cond: &SortCond) -> String {
        let name = format!("\"{attribute}\"");
        match cond {
            SortCond::Eq(a) => format!("{name} = {}", self.scalar(a)),
            SortCond::Lt(a) => format!("{name} < {}", self.scalar(a)),
            SortCond::Le(a) => format!("{name} <= {}", self.scalar(a)),
            SortCond::Gt(a) => format!("{name} > {}", self.scalar(a)),
            SortCond::Ge(a) => format!("{name} >= {}", self.scalar(a)),
            SortCond::Between(a, b) => {
                let a = self.scalar(a);
                format!("{name} BETWEEN {a} AND {}", self.scalar(b))
            }
            SortCond::BeginsWith(p) => format!("begins_with({name}, {})", self.value(&Val::S(p.clone()))),
        }
    }
}

/// The statement's text and parameters (`Parameters` only when asked for).
fn render(statement: &Statement, parameters: bool) -> Value {
    let mut t = Text { parameters: parameters.then(Vec::new) };
    let text = match statement {
        Statement::Insert { table, item } => {
            let entries: Vec<String> = item
                .iter()
                .map(|(k, v)| format!("{}: {}", partiql_literal(&Val::S(k.clone())), t.value(v)))
                .collect();
            format!("INSERT INTO \"{}\" VALUE {{{}}}", table.name(), entries.join(", "))
        }
        Statement::Update { table, key, actions, cond, returning } => {
            let sets: Vec<String> = actions
                .iter()
                .filter_map(|(a, v)| v.as_ref().map(|v| (a, v)))
                .map(|(a, v)| format!("\"{a}\" = {}", t.value(v)))
                .collect();
            let removes: Vec<String> =
                actions.iter().filter(|(_, v)| v.is_none()).map(|(a, _)| format!("\"{a}\"")).collect();
            let mut text = format!("UPDATE \"{}\"", table.name());
            if !sets.is_empty() {
                text.push_str(&format!(" SET {}", sets.join(", ")));
            }
            if !removes.is_empty() {
                text.push_str(&format!(" REMOVE {}", removes.join(", ")));
            }
            text.push_str(&format!(" WHERE {}", t.key(*table, key)));
            if let Some(cond) = cond {
                text.push_str(&format!(" AND {}", t.condition(cond)));
            }
            if let Some(r) = returning {
                text.push_str(match r {
                    Returning::AllOld => " RETURNING ALL OLD *",
                    Returning::ModifiedOld => " RETURNING MODIFIED OLD *",
                    Returning::AllNew => " RETURNING ALL NEW *",
                    Returning::ModifiedNew => " RETURNING MODIFIED NEW *",
                });
            }
            text
        }
        Statement::Delete { table, key, cond, returning_old } => {
            let mut text = format!("DELETE FROM \"{}\" WHERE {}", table.name(), t.key(*table, key));
            if let Some(cond) = cond {
                text.push_str(&format!(" AND {}", t.condition(cond)));
            }
            if *returning_old {
                text.push_str(" RETURNING ALL OLD *");
            }
            text
        }
        Statement::Select { table, index, hash, sort, filter, projection, descending } => {
            let (hash_name, range_name) = target_keys(*table, *index);
            let what = if projection.is_empty() {
                "*".to_owned()
            } else {
                projection.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
            };
            let mut text = format!("SELECT {what} FROM \"{}\"", table.name());
            if let Some(index) = index {
                text.push_str(&format!(".\"{index}\""));
            }
            let mut conditions = Vec::new();
            if let Some(hash) = hash {
                conditions.push(format!("\"{hash_name}\" = {}", t.scalar(hash)));
            }
            if let (Some(range), Some(sort)) = (range_name, sort) {
                conditions.push(t.sort(range, sort));
            }
            if let Some(filter) = filter {
                conditions.push(t.condition(filter));
            }
            if !conditions.is_empty() {
                text.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
            }
            if let (true, Some(range)) = (*descending, range_name) {
                text.push_str(&format!(" ORDER BY \"{range}\" DESC"));
            }
            text
        }
    };
    let mut member = json!({ "Statement": text });
    if let Some(list) = t.parameters.filter(|l| !l.is_empty()) {
        member["Parameters"] = Value::Array(list);
    }
    member
}

fn target_keys(table: TableId, index: Option<&str>) -> (&'static str, Option<&'static str>) {
    match index {
        Some(name) => {
            let i = table.def().index(name);
            (i.hash, i.range)
        }
        None => (table.def().hash, table.def().range),
    }
}

fn duplicate_item() -> Value {
    json!({
        "__type": "com.amazonaws.dynamodb.v20120810#DuplicateItemException",
        "message": "Duplicate primary key exists in table"
    })
}

/// The table and key a write statement names.
fn write_target(statement: &Statement) -> Option<(TableId, Key)> {
    match statement {
        Statement::Insert { table, item } => Some((*table, key_of(*table, item))),
        Statement::Update { table, key, .. } | Statement::Delete { table, key, .. } => {
            Some((*table, key.clone()))
        }
        Statement::Select { .. } => None,
    }
}

/// What a write statement does on the model's current state: the attributes it returns and
/// the item it leaves (`Some(None)`: deleted; `None`: unchanged), or its error.
#[allow(clippy::type_complexity)]
fn judge_write(ctx: &Ctx, statement: &Statement) -> Result<(Option<Item>, Option<Option<Item>>), Value> {
    match statement {
        Statement::Insert { table, item } => {
            if let Some(attribute) = empty_index_key(*table, item) {
                return Err(empty_index_key_error(*table, attribute));
            }
            if ctx.model.get(*table, &key_of(*table, item)).is_some() {
                return Err(duplicate_item());
            }
            Ok((None, Some(Some(item.clone()))))
        }
        Statement::Update { table, key, actions, cond, returning } => {
            let old = ctx.model.get(*table, key);
            // The item must exist, and meet the rest of the WHERE clause.
            if old.is_none() || cond.as_ref().is_some_and(|c| !c.holds(old)) {
                return Err(conditional_check_failed(None));
            }
            let actions: Vec<UpdateAction> = actions
                .iter()
                .map(|(a, v)| match v {
                    Some(v) => UpdateAction::Set(a, v.clone()),
                    None => UpdateAction::Remove(a),
                })
                .collect();
            let new = apply_update(*table, old, key, &actions)?;
            let returned = match returning {
                None => None,
                Some(Returning::AllOld) => old.cloned(),
                Some(Returning::AllNew) => new.clone(),
                Some(Returning::ModifiedOld) => updated_attributes(old, &actions),
                Some(Returning::ModifiedNew) => updated_attributes(new.as_ref(), &actions),
            };
            Ok((returned, Some(new)))
        }
        Statement::Delete { table, key, cond, returning_old } => {
            let Some(old) = ctx.model.get(*table, key) else { return Ok((None, None)) };
            if cond.as_ref().is_some_and(|c| !c.holds(Some(old))) {
                return Err(conditional_check_failed(None));
            }
            Ok((Some(old.clone()).filter(|_| *returning_old), Some(None)))
        }
        Statement::Select { .. } => Err(json!("not a write")),
    }
}

fn apply(ctx: &mut Ctx, statement: &Statement, change: Option<Option<Item>>) {
    if let (Some((table, key)), Some(new)) = (write_target(statement), change) {
        ctx.model.set(table, &key, new);
    }
}

/// The statement's table, for the throttling rule.
fn table_of(statement: &Statement) -> TableId {
    match statement {
        Statement::Insert { table, .. }
        | Statement::Update { table, .. }
        | Statement::Delete { table, .. }
        | Statement::Select { table, .. } => *table,
    }
}

pub fn check_execute_statement(
    ctx: &mut Ctx,
    statement: &Statement,
    limit: Option<usize>,
    parameters: bool,
) -> Check {
    if let Statement::Select { .. } = statement {
        return check_select(ctx, statement, limit, parameters);
    }
    let request = render(statement, parameters);
    let got = ctx.client.call("ExecuteStatement", request.clone());
    let judged = judge_write(ctx, statement);
    let expected = judged.as_ref().map(|(returned, _)| {
        let items: Vec<Value> =
            attributes_response(returned.as_ref()).get("Attributes").cloned().into_iter().collect();
        json!({ "Items": items })
    });
    let expected = expected.map_err(Value::clone);
    if ctx.client.settle(&[table_of(statement)], &got, &expected, &format!("ExecuteStatement {request}"))? {
        if let Ok((_, change)) = judged {
            apply(ctx, statement, change);
        }
    }
    Ok(())
}

/// What a SELECT returns, in order (a Query's order; a Scan's is undefined), and whether the
/// order is exact (no ties on the sort key).
fn select_expected(ctx: &Ctx, statement: &Statement) -> (Vec<Value>, bool) {
    let Statement::Select { table, index, hash, sort, filter, projection, descending } = statement else {
        return (Vec::new(), false);
    };
    let def = table.def();
    let index_def = index.map(|n| def.index(n));
    let mut selected: Vec<_> = entries(&ctx.model, *table, index_def)
        .into_iter()
        .filter(|e| hash.as_ref().is_none_or(|h| &e.hash == h))
        .filter(|e| sort.as_ref().is_none_or(|s| e.range.as_ref().is_some_and(|r| s.holds(r))))
        .filter(|e| filter.as_ref().is_none_or(|f| f.holds(Some(&e.projected))))
        .collect();
    selected.sort_by(|a, b| (&a.range, &a.table_key).cmp(&(&b.range, &b.table_key)));
    if *descending {
        selected.reverse();
    }
    let items = selected
        .iter()
        .map(|e| {
            expected_item(&if projection.is_empty() {
                e.projected.clone().into_owned()
            } else {
                pick(&e.projected, projection)
            })
        })
        .collect();
    (items, hash.is_some() && index.is_none())
}

fn check_select(ctx: &mut Ctx, statement: &Statement, limit: Option<usize>, parameters: bool) -> Check {
    let (expected, exact_order) = select_expected(ctx, statement);
    let mut request = render(statement, parameters);
    if let Some(limit) = limit {
        request["Limit"] = json!(limit);
    }
    // Limit counts the items read, before the filter: a page may hold none.
    let readable = match statement {
        Statement::Select { table, index, .. } => {
            entries(&ctx.model, *table, index.map(|n| table.def().index(n))).len()
        }
        _ => 0,
    };
    let mut returned = Vec::new();
    for page in 0..=readable + 1 {
        let got = ctx.client.call("ExecuteStatement", request.clone());
        ctx.client.stats.pages += 1;
        let got = match got {
            Ok(got) => got,
            Err(e) if table_of(statement) == TableId::Tight && is_throttle(&e) => return Ok(()),
            Err(e) => return Err(format!("ExecuteStatement failed: {e}\nrequest: {request}")),
        };
        let items = got["Items"].as_array().cloned().unwrap_or_default();
        ensure!(limit.is_none_or(|l| items.len() <= l), "page {page} larger than Limit: {request} → {got}");
        returned.extend(items);
        match got.get("NextToken") {
            Some(token) => {
                ensure!(limit.is_some(), "a small SELECT without Limit paginated: {request} → {got}");
                request["NextToken"] = token.clone();
            }
            None => {
                if exact_order {
                    ensure_eq!(returned, expected, "SELECT pages concatenated: {request}");
                } else {
                    ensure_eq!(
                        normalized(returned),
                        normalized(expected),
                        "SELECT pages concatenated: {request}"
                    );
                }
                return Ok(());
            }
        }
    }
    Err(format!("SELECT did not finish paginating: {request}"))
}

/// Drops every write after the first on the same item (DynamoDB documents no order for a
/// batch's statements, so the model does not depend on one).
fn distinct_items(statements: &[Statement]) -> Vec<Statement> {
    let mut seen: Vec<(TableId, Key)> = Vec::new();
    statements
        .iter()
        .filter(|s| match write_target(s) {
            Some(target) if seen.contains(&target) => false,
            Some(target) => {
                seen.push(target);
                true
            }
            None => true,
        })
        .cloned()
        .collect()
}

/// A statement's error as BatchExecuteStatement reports it in its slot.
fn batch_slot_error(table: TableId, error: &Value) -> Value {
    let code = match error_name(error) {
        "ConditionalCheckFailedException" => "ConditionalCheckFailed",
        "DuplicateItemException" => "DuplicateItem",
        "ValidationException" => "ValidationError",
        other => other,
    };
    let body = json!({ "Code": code, "Message": error["message"] });
    // DynamoDB names the table on execution errors, not on validation ones.
    if code == "ValidationError" {
        json!({ "Error": body })
    } else {
        json!({ "TableName": table.name(), "Error": body })
    }
}

pub fn check_batch_execute(ctx: &mut Ctx, statements: &[Statement], parameters: bool) -> Check {
    let statements = distinct_items(statements);
    let members: Vec<Value> = statements.iter().map(|s| render(s, parameters)).collect();
    let request = json!({ "Statements": members });
    let got = ctx.client.call("BatchExecuteStatement", request.clone());
    let Ok(got) = got else {
        return Err(format!("BatchExecuteStatement failed: {got:?}\nrequest: {request}"));
    };
    let slots = got["Responses"].as_array().cloned().unwrap_or_default();
    ensure_eq!(
        slots.len(),
        statements.len(),
        "BatchExecuteStatement answers one slot per statement: {request} → {got}"
    );
    // Statements of a batch touch distinct items: judging each on the state before is exact.
    for (n, (statement, slot)) in statements.iter().zip(&slots).enumerate() {
        let table = table_of(statement);
        let throttled = table == TableId::Tight && slot["Error"]["Code"] == "ProvisionedThroughputExceeded";
        if throttled {
            continue;
        }
        let (expected, change) = match statement {
            Statement::Select { projection, hash, sort, .. } => {
                let key = (
                    hash.clone().unwrap_or(Scalar::N(0)),
                    sort.as_ref().map(|s| match s {
                        SortCond::Eq(v) => v.clone(),
                        other => panic!("batch SELECT by key only: {other:?}"),
                    }),
                );
                let mut slot = json!({ "TableName": table.name() });
                if let Some(item) = get_response(ctx.model.get(table, &key), projection).get("Item") {
                    slot["Item"] = item.clone();
                }
                (slot, None)
            }
            _ => match judge_write(ctx, statement) {
                Ok((_, change)) => (json!({ "TableName": table.name() }), change),
                Err(e) => (batch_slot_error(table, &e), None),
            },
        };
        ensure_eq!(slot, &expected, "BatchExecuteStatement slot {n} of {request}");
        apply(ctx, statement, change);
    }
    Ok(())
}

pub fn check_execute_transaction(ctx: &mut Ctx, statements: &[Statement], parameters: bool) -> Check {
    // RETURNING is refused in a transaction: the model sends none.
    let statements: Vec<Statement> = statements
        .iter()
        .map(|s| match s {
            Statement::Update { table, key, actions, cond, .. } => Statement::Update {
                table: *table,
                key: key.clone(),
                actions: actions.clone(),
                cond: cond.clone(),
                returning: None,
            },
            Statement::Delete { table, key, cond, .. } => Statement::Delete {
                table: *table,
                key: key.clone(),
                cond: cond.clone(),
                returning_old: false,
            },
            other => other.clone(),
        })
        .collect();
    let members: Vec<Value> = statements.iter().map(|s| render(s, parameters)).collect();
    let request = json!({ "TransactStatements": members });
    let got = ctx.client.call("ExecuteTransaction", request.clone());
    let tables: Vec<TableId> = statements.iter().map(table_of).collect();

    let reads = matches!(statements.first(), Some(Statement::Select { .. }));
    // Two statements on one item fail the call (an INSERT with an invalid item has no usable
    // key, and is a cancellation reason instead).
    let mut seen: Vec<(TableId, Key)> = Vec::new();
    for statement in &statements {
        let target = match statement {
            Statement::Insert { table, item } if empty_index_key(*table, item).is_some() => continue,
            Statement::Select { table, hash, sort, .. } => {
                let range = sort.as_ref().map(|s| match s {
                    SortCond::Eq(v) => v.clone(),
                    other => panic!("transaction SELECT by key only: {other:?}"),
                });
                (*table, (hash.clone().unwrap_or(Scalar::N(0)), range))
            }
            other => write_target(other).unwrap_or((TableId::Model, (Scalar::N(0), None))),
        };
        if seen.contains(&target) {
            ensure_eq!(got, Err(duplicate_in_transaction()), "ExecuteTransaction {request}");
            return Ok(());
        }
        seen.push(target);
    }
    if reads {
        let responses: Vec<Value> = statements
            .iter()
            .zip(&seen)
            .map(|(s, (table, key))| {
                let projection = match s {
                    Statement::Select { projection, .. } => projection.as_slice(),
                    _ => &[],
                };
                get_response(ctx.model.get(*table, key), projection)
            })
            .collect();
        return match got {
            Err(e) if is_throttled_cancellation(&e, &tables) => Ok(()),
            got => {
                ensure_eq!(got, Ok(json!({ "Responses": responses })), "ExecuteTransaction {request}");
                Ok(())
            }
        };
    }
    let judged: Vec<_> = statements.iter().map(|s| judge_write(ctx, s)).collect();
    if judged.iter().any(Result::is_err) {
        let reasons: Vec<Value> = judged
            .iter()
            .map(|j| match j {
                Ok(_) => json!({ "Code": "None" }),
                Err(e) => {
                    let code = match error_name(e) {
                        "ConditionalCheckFailedException" => "ConditionalCheckFailed",
                        "DuplicateItemException" => "DuplicateItem",
                        _ => "ValidationError",
                    };
                    json!({ "Code": code, "Message": e["message"] })
                }
            })
            .collect();
        let codes: Vec<&str> = reasons.iter().map(|r| r["Code"].as_str().unwrap_or_default()).collect();
        ensure_eq!(got, Err(cancelled(&codes, reasons.clone())), "ExecuteTransaction {request}");
        return Ok(());
    }
    match got {
        // Writes answer an empty Responses list (Parity Suite: eu-west-2 and three more Regions).
        Ok(body) => ensure_eq!(body, json!({ "Responses": [] }), "ExecuteTransaction {request}"),
        Err(e) if is_throttled_cancellation(&e, &tables) => return Ok(()),
        Err(e) => return Err(format!("ExecuteTransaction failed: {e}\nrequest: {request}")),
    }
    for (statement, judged) in statements.iter().zip(judged) {
        if let Ok((_, change)) = judged {
            apply(ctx, statement, change);
        }
    }
    Ok(())
}
