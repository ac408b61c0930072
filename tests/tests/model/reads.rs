//! Query and Scan of tables and secondary indexes against the model, page by page.
//!
//! What a Query must return is derived from the model: the entries of the partition (for an
//! index, the derived projection of the table) that meet the sort-key condition, in sort-key
//! order, filtered after Limit counts them, shaped by the projection. Items that tie on an
//! index sort key have no documented order, so where a page boundary falls inside a tie the
//! page is checked by its sort-key bounds and the pages together as a multiset.

use std::borrow::Cow;

use serde_json::{json, Map, Value};

use crate::harness::{is_throttle, validation, Check, Client, Ctx, Placeholders};
use crate::ops::{Cond, QueryOp, ScanOp, SortCond};
use crate::reference::{IndexEntry, Model};
use crate::schema::{key_item, IndexDef, Projection, TableId, ONLINE_INDEX, ONLINE_TABLE};
use crate::values::{expected_item, pick, wire_value, Item, Scalar, Spelling, Val};
use crate::{ensure, ensure_eq};

/// The entries a Query or Scan of `table` (or of `index`) reads, in key order: a table's items
/// are entries of themselves.
pub fn entries<'m>(model: &'m Model, table: TableId, index: Option<&IndexDef>) -> Vec<IndexEntry<'m>> {
    match index {
        Some(index) => model.index_entries(table, index),
        None => model
            .items(table)
            .iter()
            .map(|(key, item)| IndexEntry {
                hash: key.0.clone(),
                range: key.1.clone(),
                more_hash: Vec::new(),
                more_range: Vec::new(),
                table_key: key,
                projected: Cow::Borrowed(item),
                full: item,
            })
            .collect(),
    }
}

/// The attributes a LastEvaluatedKey holds: the table key, then the index key.
pub fn start_key_names(table: TableId, index: Option<&IndexDef>) -> Vec<&'static str> {
    let mut names = table.def().key_names();
    for name in index.map(IndexDef::key_names).unwrap_or_default() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Items compared as a multiset: sorted by their JSON text.
pub fn normalized(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by_cached_key(Value::to_string);
    items
}

/// A ProjectionExpression through placeholders (some attribute names are reserved words).
fn projection_text(p: &mut Placeholders, projection: &[&str]) -> String {
    projection.iter().map(|a| p.name(a)).collect::<Vec<_>>().join(", ")
}

fn sort_text(p: &mut Placeholders, attribute: &str, cond: &SortCond, spelling: Spelling) -> String {
    let name = p.name(attribute);
    let mut v = |s: &Scalar| p.value(&s.to_val(), spelling);
    match cond {
        SortCond::Eq(a) => format!("{name} = {}", v(a)),
        SortCond::Lt(a) => format!("{name} < {}", v(a)),
        SortCond::Le(a) => format!("{name} <= {}", v(a)),
        SortCond::Gt(a) => format!("{name} > {}", v(a)),
        SortCond::Ge(a) => format!("{name} >= {}", v(a)),
        SortCond::Between(a, b) => {
            let (a, b) = (v(a), v(b));
            format!("{name} BETWEEN {a} AND {b}")
        }
        SortCond::BeginsWith(prefix) => format!("begins_with({name}, {})", v(&Scalar::S(prefix.clone()))),
    }
}

/// A condition in the legacy Condition form (KeyConditions, QueryFilter).
fn legacy_condition(op: &str, values: &[Val], spelling: Spelling) -> Value {
    let list: Vec<Value> = values.iter().map(|v| wire_value(v, spelling)).collect();
    if list.is_empty() {
        json!({ "ComparisonOperator": op })
    } else {
        json!({ "ComparisonOperator": op, "AttributeValueList": list })
    }
}

fn legacy_sort(cond: &SortCond, spelling: Spelling) -> Value {
    let (op, values) = match cond {
        SortCond::Eq(a) => ("EQ", vec![a.to_val()]),
        SortCond::Lt(a) => ("LT", vec![a.to_val()]),
        SortCond::Le(a) => ("LE", vec![a.to_val()]),
        SortCond::Gt(a) => ("GT", vec![a.to_val()]),
        SortCond::Ge(a) => ("GE", vec![a.to_val()]),
        SortCond::Between(a, b) => ("BETWEEN", vec![a.to_val(), b.to_val()]),
        SortCond::BeginsWith(p) => ("BEGINS_WITH", vec![Val::S(p.clone())]),
    };
    legacy_condition(op, &values, spelling)
}

fn legacy_filter(cond: &Cond, spelling: Spelling) -> Value {
    let condition = match cond {
        Cond::Exists(_) => legacy_condition("NOT_NULL", &[], spelling),
        Cond::NotExists(_) => legacy_condition("NULL", &[], spelling),
        Cond::QtyBelow(n) => legacy_condition("LT", &[Val::N(*n)], spelling),
        Cond::DoneIs(b) => legacy_condition("EQ", &[Val::Bool(*b)], spelling),
        Cond::TitleBegins(p) => legacy_condition("BEGINS_WITH", &[Val::S(p.clone())], spelling),
    };
    json!({ cond.attribute(): condition })
}

/// The Query request for one page.
fn query_request(q: &QueryOp, start: Option<&Value>) -> Value {
    let def = q.table.def();
    let index = q.index.map(|n| def.index(n));
    let (hash, range) = index.map_or((def.hash, def.range), |i| (i.hash, i.range));
    let mut request = json!({ "TableName": def.name, "ScanIndexForward": q.forward });
    if let Some(name) = q.index {
        request["IndexName"] = json!(name);
    }
    if q.consistent {
        request["ConsistentRead"] = json!(true);
    }
    if q.select_all {
        request["Select"] = json!("ALL_ATTRIBUTES");
    }
    if q.count {
        request["Select"] = json!("COUNT");
    }
    if let Some(limit) = q.limit {
        request["Limit"] = json!(limit);
    }
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    if q.legacy {
        let mut conditions = Map::new();
        conditions.insert(hash.into(), legacy_condition("EQ", &[q.hash.to_val()], q.spelling));
        if let (Some(range), Some(sort)) = (range, &q.sort) {
            conditions.insert(range.into(), legacy_sort(sort, q.spelling));
        }
        request["KeyConditions"] = Value::Object(conditions);
        if let Some(filter) = &q.filter {
            request["QueryFilter"] = legacy_filter(filter, q.spelling);
        }
        if !q.projection.is_empty() {
            request["AttributesToGet"] = json!(q.projection);
        }
        return request;
    }
    let mut p = Placeholders::default();
    let mut key_condition = format!("{} = {}", p.name(hash), p.value(&q.hash.to_val(), q.spelling));
    // A multi-attribute key: an equality on every further HASH attribute, then on the first
    // RANGE attributes, then the condition on the next one.
    let (more_hash, ranges) = match index {
        Some(i) => (i.more_hash, i.range.into_iter().chain(i.more_range.iter().copied()).collect()),
        None => (&[][..], range.into_iter().collect::<Vec<_>>()),
    };
    let equalities = more_hash.iter().zip(&q.more_hash).chain(ranges.iter().zip(&q.sort_prefix));
    for (name, value) in equalities {
        key_condition =
            format!("{key_condition} AND {} = {}", p.name(name), p.value(&value.to_val(), q.spelling));
    }
    if let (Some(range), Some(sort)) = (ranges.get(q.sort_prefix.len()), &q.sort) {
        key_condition = format!("{key_condition} AND {}", sort_text(&mut p, range, sort, q.spelling));
    }
    request["KeyConditionExpression"] = json!(key_condition);
    if let Some(filter) = &q.filter {
        request["FilterExpression"] = json!(p.condition(filter, q.spelling));
    }
    if !q.projection.is_empty() {
        request["ProjectionExpression"] = json!(projection_text(&mut p, &q.projection));
    }
    p.attach(&mut request);
    request
}

/// The error DynamoDB gives this Query before reading anything, if any.
fn query_error(q: &QueryOp, index: Option<&IndexDef>) -> Option<Value> {
    let global = index.filter(|i| i.global)?;
    if q.consistent {
        return Some(validation("Consistent reads are not supported on global secondary indexes"));
    }
    if q.select_all && !matches!(global.projection, Projection::All) {
        return Some(validation(&format!(
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
            global.name
        )));
    }
    let def = q.table.def();
    let mut missing: Vec<&str> = Vec::new();
    for name in &q.projection {
        if !global.projects(def, name) && !missing.contains(name) {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        return Some(validation(&format!(
            "One or more parameter values were invalid: Global secondary index {} does not project [{}]",
            global.name,
            missing.join(", ")
        )));
    }
    None
}

/// How a returned item must look: projected by the request, or everything the index holds
/// (a local index fetches the rest from the table when asked for it, a global one cannot).
fn shape(entry: &IndexEntry, index: Option<&IndexDef>, projection: &[&str], select_all: bool) -> Item {
    let fetches = index.is_none_or(|i| !i.global);
    let source: &Item = if fetches { entry.full } else { &entry.projected };
    if !projection.is_empty() {
        return pick(source, projection);
    }
    if select_all {
        return entry.full.clone();
    }
    entry.projected.clone().into_owned()
}

/// The start key of the entry: its table key and index key attributes.
fn entry_start_key(table: TableId, index: Option<&IndexDef>, entry: &IndexEntry) -> Value {
    let names = start_key_names(table, index);
    expected_item(&pick(entry.full, &names))
}

pub fn check_query(ctx: &mut Ctx, q: &QueryOp) -> Check {
    let def = q.table.def();
    let index = q.index.map(|n| def.index(n));
    let unreadable = q.index.filter(|n| *n == ONLINE_INDEX.name).and_then(|_| crate::online::read_error(ctx));
    if let Some(error) = unreadable.or_else(|| query_error(q, index)) {
        let request = query_request(q, None);
        let got = ctx.client.call("Query", request.clone());
        ensure_eq!(got, Err(error), "Query {request}");
        return Ok(());
    }
    // Everything the key condition selects, in the order the Query must read it.
    let mut selection: Vec<IndexEntry> = entries(&ctx.model, q.table, index)
        .into_iter()
        .filter(|e| {
            let sort = e.sort_values();
            let k = q.sort_prefix.len();
            e.hash == q.hash
                && e.more_hash == q.more_hash
                && sort.len() >= k
                && sort[..k].iter().copied().eq(&q.sort_prefix)
                && q.sort.as_ref().is_none_or(|s| sort.get(k).is_some_and(|r| s.holds(r)))
        })
        .collect();
    selection.sort_by(|a, b| (a.sort_values(), &a.table_key).cmp(&(b.sort_values(), &b.table_key)));
    if !q.forward {
        selection.reverse();
    }
    let matches = |e: &IndexEntry| q.filter.as_ref().is_none_or(|f| f.holds(Some(&e.projected)));
    let shaped = |e: &IndexEntry| expected_item(&shape(e, index, &q.projection, q.select_all));
    let expected_all: Vec<Value> = selection.iter().filter(|e| matches(e)).map(shaped).collect();
    // Base tables have no ties: the order is exact. Index entries may tie on the sort key.
    let exact_order = index.is_none();

    let len = selection.len();
    let mut returned_all: Vec<Value> = Vec::new();
    let mut start: Option<Value> = None;
    let mut position: usize = 0;
    let mut total_counted = 0;
    for page in 0.. {
        ensure!(page <= len + 1, "Query did not finish paginating: {}", query_request(q, None));
        let request = query_request(q, start.as_ref());
        let got = ctx.client.call("Query", request.clone());
        ctx.client.stats.pages += 1;
        let got = match got {
            Ok(got) => got,
            Err(e) if q.table == TableId::Tight && is_throttle(&e) => return Ok(()),
            Err(e) => return Err(format!("Query failed: {e}\nrequest: {request}")),
        };
        let items = got["Items"].as_array().cloned().unwrap_or_default();
        let scanned = got["ScannedCount"].as_u64().unwrap_or(u64::MAX) as usize;
        // Select COUNT answers the counts without Items.
        ensure_eq!(got.get("Items").is_none(), q.count, "Query Items of {request}: {got}");
        let counted = got["Count"].as_u64().unwrap_or(u64::MAX) as usize;
        if !q.count {
            ensure_eq!(counted, items.len(), "Query Count of {request}: {got}");
        }
        total_counted += counted;
        let end = position.saturating_add(scanned);
        ensure!(end <= len, "Query read {scanned} items past the {len} selected: {request} → {got}");
        match q.limit {
            Some(limit) => {
                ensure!(scanned <= limit, "Query page larger than Limit: {request} → {got}");
                ensure!(scanned == limit || end == len, "short Query page before the end: {request} → {got}");
            }
            None => ensure!(end == len, "Query without Limit stopped early: {request} → {got}"),
        }
        let window = &selection[position..end];
        let expected_page: Vec<Value> = window.iter().filter(|e| matches(e)).map(shaped).collect();
        let tie = |a: usize, b: usize| selection[a].sort_values() == selection[b].sort_values();
        let clean = (position == 0 || end == position || !tie(position - 1, position))
            && (end == len || end == 0 || !tie(end - 1, end));
        if q.count {
            if exact_order || clean {
                ensure_eq!(counted, expected_page.len(), "Query page {page} Count of {request}");
            }
        } else if exact_order {
            ensure_eq!(items, expected_page, "Query page {page} of {request}");
        } else if clean {
            ensure_eq!(
                normalized(items.clone()),
                normalized(expected_page),
                "Query page {page} of {request}"
            );
        }
        let stopped_at_limit = q.limit.is_some_and(|l| scanned == l);
        match got.get("LastEvaluatedKey") {
            Some(last) => {
                ensure!(
                    stopped_at_limit,
                    "LastEvaluatedKey on a page that did not stop at Limit: {request} → {got}"
                );
                // The key of the last entry read: exactly it, or one tying with it.
                let fits = end > 0
                    && selection.iter().any(|e| {
                        e.sort_values() == selection[end - 1].sort_values()
                            && &entry_start_key(q.table, index, e) == last
                    });
                ensure!(fits, "Query LastEvaluatedKey is not the last entry read: {request} → {got}");
                start = Some(last.clone());
            }
            None => {
                // A page that stops at Limit on the last entry may or may not carry a key
                // (DynamoDB does not always look ahead); anywhere else the key is required.
                ensure!(end == len, "Query page without LastEvaluatedKey before the end: {request} → {got}");
            }
        }
        returned_all.extend(items);
        position = end;
        if start.is_none() || got.get("LastEvaluatedKey").is_none() {
            break;
        }
    }
    ensure_eq!(position, len, "Query pages read {position} of {len} entries: {}", query_request(q, None));
    ensure_eq!(total_counted, expected_all.len(), "Query Counts summed: {}", query_request(q, None));
    if q.count {
        return Ok(());
    }
    if exact_order {
        ensure_eq!(returned_all, expected_all, "Query pages concatenated: {}", query_request(q, None));
    } else {
        ensure_in_order(&returned_all, index, q.forward)?;
        ensure_eq!(
            normalized(returned_all),
            normalized(expected_all),
            "Query pages concatenated: {}",
            query_request(q, None)
        );
    }
    Ok(())
}

/// Index Query results come in sort-key order (where the items carry the sort key: every
/// attribute of a multi-attribute one, compared one after another).
fn ensure_in_order(items: &[Value], index: Option<&IndexDef>, forward: bool) -> Check {
    let Some(index) = index.filter(|i| i.range.is_some()) else { return Ok(()) };
    let names: Vec<&str> = index.range.into_iter().chain(index.more_range.iter().copied()).collect();
    let keys: Vec<Vec<Scalar>> = items
        .iter()
        .filter_map(|item| names.iter().map(|n| scalar_of(&item[*n])).collect::<Option<Vec<_>>>())
        .collect();
    let ordered = keys.windows(2).all(|w| if forward { w[0] <= w[1] } else { w[0] >= w[1] });
    ensure!(ordered, "index Query results out of {names:?} order: {keys:?}");
    Ok(())
}

/// A key value in DynamoDB JSON as the model's scalar (numbers in tenths).
fn scalar_of(value: &Value) -> Option<Scalar> {
    if let Some(s) = value["S"].as_str() {
        return Some(Scalar::S(s.to_owned()));
    }
    let text = value["N"].as_str()?;
    let (whole, tenth) = text.split_once('.').unwrap_or((text, "0"));
    let negative = whole.starts_with('-');
    let magnitude = whole.trim_start_matches('-').parse::<i64>().ok()? * 10 + tenth.parse::<i64>().ok()?;
    Some(Scalar::N(if negative { -magnitude } else { magnitude }))
}

fn scan_request(s: &ScanOp, segment: Option<u32>, start: Option<&Value>) -> Value {
    let mut request = json!({ "TableName": s.table.name() });
    if let Some(index) = s.index {
        request["IndexName"] = json!(index);
    }
    if let Some(limit) = s.limit {
        request["Limit"] = json!(limit);
    }
    if let (Some(segment), Some(total)) = (segment, s.segments) {
        request["Segment"] = json!(segment);
        request["TotalSegments"] = json!(total);
    }
    if s.count {
        request["Select"] = json!("COUNT");
    }
    match (&s.filter, s.legacy) {
        (Some(filter), true) => request["ScanFilter"] = legacy_filter(filter, Spelling::Exponent),
        (Some(filter), false) => {
            let mut p = Placeholders::default();
            request["FilterExpression"] = json!(p.condition(filter, Spelling::Exponent));
            p.attach(&mut request);
        }
        (None, _) => {}
    }
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    request
}

/// Pages through a Scan (or one segment of a parallel Scan): the items returned and how many
/// were read. `None` when `Tight` throttled a page. `total` entries exist to be read.
/// What the pages of one Scan (or segment) returned: items, entries read, Counts summed.
struct ScanPages {
    items: Vec<Value>,
    read: usize,
    counted: usize,
}

fn scan_pages(
    client: &mut Client,
    s: &ScanOp,
    segment: Option<u32>,
    total: usize,
) -> Result<Option<ScanPages>, String> {
    let def = s.table.def();
    let names = start_key_names(s.table, s.index.map(|n| def.index(n)));
    let mut items = Vec::new();
    let mut read = 0;
    let mut counted = 0;
    let mut start: Option<Value> = None;
    for _ in 0..=total + 1 {
        let request = scan_request(s, segment, start.as_ref());
        let got = client.call("Scan", request.clone());
        client.stats.pages += 1;
        let got = match got {
            Ok(got) => got,
            Err(e) if s.table == TableId::Tight && s.index.is_none() && is_throttle(&e) => return Ok(None),
            Err(e) => return Err(format!("Scan failed: {e}\nrequest: {request}")),
        };
        let page = got["Items"].as_array().cloned().unwrap_or_default();
        let scanned = got["ScannedCount"].as_u64().unwrap_or(u64::MAX) as usize;
        let page_count = got["Count"].as_u64().unwrap_or(u64::MAX) as usize;
        // Select COUNT answers the counts without Items.
        ensure_eq!(got.get("Items").is_none(), s.count, "Scan Items of {request}: {got}");
        if !s.count {
            ensure_eq!(page_count, page.len(), "Scan Count of {request}: {got}");
        }
        ensure!(scanned >= page_count, "Scan counted more than it read: {request} → {got}");
        counted += page_count;
        let members: Vec<&str> =
            got.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        ensure!(
            members.iter().all(|k| matches!(*k, "Items" | "Count" | "ScannedCount" | "LastEvaluatedKey")),
            "unexpected Scan members: {got}"
        );
        read += scanned;
        items.extend(page);
        match (got.get("LastEvaluatedKey"), s.limit) {
            (Some(last), Some(limit)) => {
                ensure!(scanned == limit, "Scan key on a page that did not stop at Limit: {request} → {got}");
                let key_names: Vec<&str> =
                    last.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
                let mut expected_names = names.clone();
                expected_names.sort_unstable();
                ensure_eq!(key_names, expected_names, "Scan LastEvaluatedKey members of {request}");
                start = Some(last.clone());
            }
            (Some(_), None) => return Err(format!("small Scan without Limit paginated: {request} → {got}")),
            (None, limit) => {
                ensure!(limit.is_none_or(|l| scanned <= l), "Scan page larger than Limit: {request} → {got}");
                return Ok(Some(ScanPages { items, read, counted }));
            }
        }
    }
    Err(format!("Scan did not finish paginating: {}", scan_request(s, segment, None)))
}

/// The start-key values of a response item (a Scan returns whole entries: keys included).
fn response_key(item: &Value, names: &[&str]) -> Vec<Option<Scalar>> {
    names.iter().map(|n| scalar_of(&item[*n])).collect()
}

/// Checks a Scan of a table or index; returns how many entries it compared.
pub fn check_scan(ctx: &mut Ctx, s: &ScanOp) -> Result<usize, String> {
    let def = s.table.def();
    let index = s.index.map(|n| def.index(n));
    if let Some(error) =
        s.index.filter(|n| *n == ONLINE_INDEX.name).and_then(|_| crate::online::read_error(ctx))
    {
        let request = scan_request(s, s.segments.map(|_| 0), None);
        let got = ctx.client.call("Scan", request.clone());
        ensure_eq!(got, Err(error), "Scan {request}");
        return Ok(0);
    }
    let names = start_key_names(s.table, index);
    let all = entries(&ctx.model, s.table, index);
    // Scan order is the engine's hash order, which the model does not predict: both sides
    // are compared in key order (each entry's start key is unique).
    let mut expected: Vec<(Vec<Option<Scalar>>, Value)> = all
        .iter()
        .filter(|e| s.filter.as_ref().is_none_or(|f| f.holds(Some(&e.projected))))
        .map(|e| {
            (names.iter().map(|n| e.full.get(*n).and_then(Scalar::of)).collect(), expected_item(&e.projected))
        })
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    let mut union: Vec<(Vec<Option<Scalar>>, Value)> = Vec::new();
    let (mut read, mut counted) = (0, 0);
    for segment in 0..s.segments.unwrap_or(1) {
        let Some(pages) = scan_pages(&mut ctx.client, s, s.segments.map(|_| segment), all.len())? else {
            return Ok(0);
        };
        read += pages.read;
        counted += pages.counted;
        union.extend(pages.items.into_iter().map(|item| (response_key(&item, &names), item)));
    }
    ensure_eq!(counted, expected.len(), "Scan Counts summed: {s:?}");
    union.sort_by(|a, b| a.0.cmp(&b.0));
    // Segments are disjoint: no entry may be read twice.
    let twice = union.windows(2).find(|w| w[0].0 == w[1].0);
    ensure!(twice.is_none(), "entry read twice by {s:?}: {:?}", twice.map(|w| &w[1].1));
    ensure_eq!(read, all.len(), "Scan read {read} entries of {}: {s:?}", all.len());
    if s.count {
        return Ok(all.len());
    }
    let got: Vec<Value> = union.into_iter().map(|(_, v)| v).collect();
    let expected: Vec<Value> = expected.into_iter().map(|(_, v)| v).collect();
    ensure_eq!(got, expected, "Scan {s:?}");
    Ok(all.len())
}

/// Every table and index holds exactly what the model says: a Scan of each (on `Tight`, a
/// look at every key of its key space instead: a Scan would spend the capacity the test
/// throttles on) against the items, and against each index's derived projection.
pub fn check_state(ctx: &mut Ctx, tables: &[TableId]) -> Check {
    ensure_eq!(ctx.client.engine.now(), ctx.model.now_ms, "engine time");
    for &table in tables {
        let def = table.def();
        if table == TableId::Tight {
            for key in table.key_space() {
                let wire = expected_item(&key_item(table, &key));
                let mut got = ctx.client.engine.peek_item(def.name, &wire).map_err(|e| e.to_string())?;
                if let Some(item) = got.as_mut() {
                    crate::values::sort_sets(item);
                }
                let expected = ctx.model.get(table, &key).map(expected_item);
                ensure_eq!(got, expected, "item {wire} of {}", def.name);
            }
        } else {
            let scan = ScanOp {
                table,
                index: None,
                limit: None,
                segments: None,
                filter: None,
                count: false,
                legacy: false,
            };
            check_scan(ctx, &scan)?;
        }
        let online = (table == ONLINE_TABLE && ctx.model.online_index.present).then_some(&ONLINE_INDEX);
        for index in def.indexes.iter().chain(online) {
            let scan = ScanOp {
                table,
                index: Some(index.name),
                limit: None,
                segments: None,
                filter: None,
                count: false,
                legacy: false,
            };
            ctx.client.stats.index_entries_checked += check_scan(ctx, &scan)? as u64;
        }
    }
    Ok(())
}
