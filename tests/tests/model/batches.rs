//! BatchWriteItem and BatchGetItem across the three tables. The model applies what the engine
//! reports processed: on `Tight`, throttled requests come back in UnprocessedItems /
//! UnprocessedKeys (exactly as sent, in order), and the call fails only when nothing at all
//! was processed. Everywhere else every request must be processed.

use serde_json::{json, Map, Value};

use crate::harness::{empty_index_key_error, is_throttle, validation, Check, Ctx};
use crate::items::{get_response, wire_key};
use crate::ops::BatchWrite;
use crate::reads::normalized;
use crate::schema::{empty_index_key, key_of, Key, TableId};
use crate::values::{wire_item, Spelling};
use crate::{ensure, ensure_eq};

/// Groups `(table, x)` pairs by table, tables in name order: the order of the request's
/// `RequestItems` object (its members are sorted), which is the order they are checked in.
fn grouped<T: Clone>(pairs: &[(TableId, T)]) -> Vec<(TableId, Vec<T>)> {
    let mut groups: Vec<(TableId, Vec<T>)> = Vec::new();
    for (table, x) in pairs {
        match groups.iter_mut().find(|(t, _)| t == table) {
            Some((_, list)) => list.push(x.clone()),
            None => groups.push((*table, vec![x.clone()])),
        }
    }
    groups.sort_by_key(|(t, _)| t.name());
    groups
}

/// Which of `sent` came back unprocessed: `returned` must be a subsequence of `sent`.
fn unprocessed_positions(sent: &[Value], returned: &[Value]) -> Option<Vec<usize>> {
    let mut positions = Vec::new();
    let mut next = 0;
    for r in returned {
        let found = (next..sent.len()).find(|&i| &sent[i] == r)?;
        positions.push(found);
        next = found + 1;
    }
    Some(positions)
}

fn write_entry(table: TableId, request: &BatchWrite) -> Value {
    match request {
        BatchWrite::Put(item) => json!({ "PutRequest": { "Item": wire_item(item, Spelling::Plain) } }),
        BatchWrite::Delete(key) => {
            json!({ "DeleteRequest": { "Key": wire_key(table, key, Spelling::Plain) } })
        }
    }
}

/// The error a batch gets before writing anything, if any: an item with an empty index key,
/// or one key twice in a table (checked per request, in request order).
fn batch_write_error(groups: &[(TableId, Vec<BatchWrite>)]) -> Option<Value> {
    for (table, requests) in groups {
        let mut seen: Vec<Key> = Vec::new();
        for request in requests {
            let key = match request {
                BatchWrite::Put(item) => {
                    if let Some(attribute) = empty_index_key(*table, item) {
                        return Some(empty_index_key_error(*table, attribute));
                    }
                    key_of(*table, item)
                }
                BatchWrite::Delete(key) => key.clone(),
            };
            if seen.contains(&key) {
                return Some(validation("Provided list of item keys contains duplicates"));
            }
            seen.push(key);
        }
    }
    None
}

pub fn check_batch_write(ctx: &mut Ctx, requests: &[(TableId, BatchWrite)]) -> Check {
    let groups = grouped(requests);
    let sent: Vec<(TableId, Vec<Value>)> =
        groups.iter().map(|(t, list)| (*t, list.iter().map(|r| write_entry(*t, r)).collect())).collect();
    let request_items: Map<String, Value> =
        sent.iter().map(|(t, entries)| (t.name().to_owned(), Value::Array(entries.clone()))).collect();
    let request = json!({ "RequestItems": request_items });
    let got = ctx.client.call("BatchWriteItem", request.clone());

    if let Some(error) = batch_write_error(&groups) {
        ensure_eq!(got, Err(error), "BatchWriteItem {request}");
        return Ok(());
    }
    let only_tight = groups.iter().all(|(t, _)| *t == TableId::Tight);
    let got = match got {
        Err(e) if only_tight && is_throttle(&e) => {
            ctx.client.stats.unprocessed_items += requests.len() as u64;
            return Ok(());
        }
        Err(e) => return Err(format!("BatchWriteItem failed: {e}\nrequest: {request}")),
        Ok(got) => got,
    };
    // Only Tight's writes may come back, as they were sent; the rest are applied.
    let returned = got["UnprocessedItems"]["Tight"].as_array().cloned().unwrap_or_default();
    let tight_sent =
        sent.iter().find(|(t, _)| *t == TableId::Tight).map(|(_, e)| e.clone()).unwrap_or_default();
    let Some(skipped) = unprocessed_positions(&tight_sent, &returned) else {
        return Err(format!("UnprocessedItems are not requests of the batch: {request} → {got}"));
    };
    ensure!(
        !only_tight || skipped.len() < tight_sent.len(),
        "a batch that wrote nothing answered without an error: {got}"
    );
    let mut expected_unprocessed = Map::new();
    if !returned.is_empty() {
        expected_unprocessed.insert("Tight".into(), Value::Array(returned.clone()));
    }
    ensure_eq!(got, json!({ "UnprocessedItems": expected_unprocessed }), "BatchWriteItem {request}");
    ctx.client.stats.unprocessed_items += returned.len() as u64;
    for (table, list) in &groups {
        for (n, write) in list.iter().enumerate() {
            if *table == TableId::Tight && skipped.contains(&n) {
                continue;
            }
            match write {
                BatchWrite::Put(item) => {
                    ctx.model.put(*table, item.clone());
                }
                BatchWrite::Delete(key) => {
                    ctx.model.delete(*table, key);
                }
            }
        }
    }
    Ok(())
}

pub fn check_batch_get(
    ctx: &mut Ctx,
    keys: &[(TableId, Key)],
    options: &[(Vec<&'static str>, bool); 3],
) -> Check {
    let groups = grouped(keys);
    let mut request_items = Map::new();
    for (table, keys) in &groups {
        let (projection, consistent) = &options[*table as usize];
        let wire: Vec<Value> = keys.iter().map(|k| wire_key(*table, k, Spelling::Exponent)).collect();
        let mut spec = json!({ "Keys": wire, "ConsistentRead": consistent });
        crate::items::add_projection(&mut spec, projection);
        request_items.insert(table.name().to_owned(), spec);
    }
    let request = json!({ "RequestItems": request_items });
    let got = ctx.client.call("BatchGetItem", request.clone());

    let duplicate =
        groups.iter().any(|(_, keys)| keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k)));
    if duplicate {
        ensure_eq!(
            got,
            Err(validation("Provided list of item keys contains duplicates")),
            "BatchGetItem {request}"
        );
        return Ok(());
    }
    let only_tight = groups.iter().all(|(t, _)| *t == TableId::Tight);
    let got = match got {
        Err(e) if only_tight && is_throttle(&e) => {
            ctx.client.stats.unprocessed_keys += keys.len() as u64;
            return Ok(());
        }
        Err(e) => return Err(format!("BatchGetItem failed: {e}\nrequest: {request}")),
        Ok(got) => got,
    };
    let unprocessed_spec = got["UnprocessedKeys"]["Tight"].clone();
    let returned = unprocessed_spec["Keys"].as_array().cloned().unwrap_or_default();
    let tight_keys =
        groups.iter().find(|(t, _)| *t == TableId::Tight).map(|(_, k)| k.clone()).unwrap_or_default();
    let tight_sent: Vec<Value> =
        tight_keys.iter().map(|k| wire_key(TableId::Tight, k, Spelling::Exponent)).collect();
    let Some(skipped) = unprocessed_positions(&tight_sent, &returned) else {
        return Err(format!("UnprocessedKeys are not keys of the batch: {request} → {got}"));
    };
    ensure!(
        !only_tight || skipped.len() < tight_sent.len(),
        "a batch that read nothing answered without an error: {got}"
    );
    ctx.client.stats.unprocessed_keys += returned.len() as u64;

    // Items come back in no documented order: each table's are compared as a multiset.
    let mut responses = Map::new();
    let mut got_responses = Map::new();
    for (table, keys) in &groups {
        let (projection, _) = &options[*table as usize];
        let items: Vec<Value> = keys
            .iter()
            .enumerate()
            .filter(|(n, _)| *table != TableId::Tight || !skipped.contains(n))
            .filter_map(|(_, k)| ctx.model.get(*table, k))
            .map(|item| get_response(Some(item), projection)["Item"].clone())
            .collect();
        responses.insert(table.name().to_owned(), Value::Array(normalized(items)));
        let got_items = got["Responses"][table.name()].as_array().cloned().unwrap_or_default();
        got_responses.insert(table.name().to_owned(), Value::Array(normalized(got_items)));
    }
    let mut expected_unprocessed = Map::new();
    if !returned.is_empty() {
        let mut spec = request_items["Tight"].clone();
        spec["Keys"] = Value::Array(returned);
        expected_unprocessed.insert("Tight".into(), spec);
    }
    let mut got = got.clone();
    got["Responses"] = Value::Object(got_responses);
    ensure_eq!(
        got,
        json!({ "Responses": responses, "UnprocessedKeys": expected_unprocessed }),
        "BatchGetItem {request}"
    );
    Ok(())
}
