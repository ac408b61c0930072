//! Phase 3: a statement → the engine's own request. PartiQL conditions become expression-
//! language text with `#n` / `:v` placeholders, so every request then goes through the same
//! checks and code as the API call it stands for:
//!
//! - SELECT with an equality on the partition key → Query (a sort-key condition joins the key
//!   condition, the rest becomes the FilterExpression); otherwise → Scan with the filter;
//! - INSERT → PutItem under `attribute_not_exists(pk)` (a duplicate is DuplicateItemException);
//! - UPDATE → UpdateItem under `attribute_exists(pk)` and the WHERE clause's other conditions;
//! - DELETE → DeleteItem (a missing item is no error; an existing one must meet the WHERE).

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::ast::{CompareOp, Expr, IsWhat, Path, Pos, Returning, Statement, Step, UpdateAction};
use super::parser::malformed;
use super::values::{is_value, item_of, value_of};
use crate::error::{ApiError, ApiResult, Cause};

/// The key attribute names a statement is planned against (a table's or an index's).
#[derive(Clone, Debug)]
pub(crate) struct KeyNames {
    pub partition: String,
    pub sort: Option<String>,
}

impl KeyNames {
    fn contains(&self, name: &str) -> bool {
        self.partition == name || self.sort.as_deref() == Some(name)
    }
}

/// What a statement turns into.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The engine operation to run.
    pub op: &'static str,
    /// Its request, in DynamoDB JSON.
    pub request: Value,
}

fn invalid(detail: &str) -> ApiError {
    ApiError::validation(malformed(detail))
}

/// A function DynamoDB's PartiQL does not know, named as written in lower case, at its place.
fn unrecognized(name: &str, pos: Pos) -> ApiError {
    ApiError::validation(format!("Unrecognized function: {name} at {pos}"))
}

/// A condition function's operand count, and whether its first operand must be a path.
fn check_call(name: &str, args: &[Expr], count: usize, path_first: bool) -> ApiResult<()> {
    if args.len() != count {
        return Err(ApiError::validation(format!(
            "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
            args.len()
        )));
    }
    if path_first && !matches!(args.first(), Some(Expr::Path(_))) {
        return Err(ApiError::validation(format!(
            "Operator or function requires a document path; operator or function: {name}"
        )));
    }
    Ok(())
}

/// Whether an expression is a call of a function that is itself a condition.
fn is_condition_call(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(name, ..) if matches!(
        name.to_ascii_lowercase().as_str(),
        "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains"
    ))
}

/// The error for an UPDATE or DELETE (or a batched SELECT) that does not name one item.
pub(crate) fn missing_key_equality() -> ApiError {
    ApiError::validation("Where clause does not contain a mandatory equality on all key attributes")
        .because(Cause::MissingKeyEquality)
}

/// Placeholders handed out while writing expression text.
#[derive(Default)]
struct Placeholders {
    names: Map<String, Value>,
    by_name: HashMap<String, String>,
    values: Map<String, Value>,
}

impl Placeholders {
    fn name(&mut self, name: &str) -> String {
        if let Some(p) = self.by_name.get(name) {
            return p.clone();
        }
        let p = format!("#n{}", self.by_name.len());
        self.names.insert(p.clone(), Value::String(name.to_owned()));
        self.by_name.insert(name.to_owned(), p.clone());
        p
    }

    fn path(&mut self, path: &Path) -> String {
        let mut text = String::new();
        for step in &path.0 {
            match step {
                Step::Name(n) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(&self.name(n));
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        text
    }

    fn value(&mut self, value: Value) -> String {
        let p = format!(":v{}", self.values.len());
        self.values.insert(p.clone(), value);
        p
    }

    /// An operand: a path, a value, `size(path)`, or (in SET) `a + b` / `list_append(..)`.
    fn operand(&mut self, expr: &Expr, params: &[Value]) -> ApiResult<String> {
        if is_value(expr) {
            return Ok(self.value(value_of(expr, params)?));
        }
        match expr {
            Expr::Path(p) => Ok(self.path(p)),
            Expr::Call(name, args, pos) => {
                let name = name.to_ascii_lowercase();
                match name.as_str() {
                    "size" => check_call(&name, args, 1, true)?,
                    "list_append" | "if_not_exists" => {}
                    "attribute_exists"
                    | "attribute_not_exists"
                    | "attribute_type"
                    | "begins_with"
                    | "contains" => {
                        return Err(invalid(&format!("Unsupported function in this position: {name}")))
                    }
                    _ => return Err(unrecognized(&name, *pos)),
                }
                let args = args.iter().map(|a| self.operand(a, params)).collect::<ApiResult<Vec<_>>>()?;
                Ok(format!("{name}({})", args.join(", ")))
            }
            Expr::Arith(a, op, b) => {
                Ok(format!("{} {op} {}", self.operand(a, params)?, self.operand(b, params)?))
            }
            _ => Err(invalid(&format!("Expected a path or a value, found {expr}"))),
        }
    }

    /// A condition in expression-language text.
    fn condition(&mut self, expr: &Expr, params: &[Value]) -> ApiResult<String> {
        Ok(match expr {
            // A condition function compared with a boolean: `attribute_exists(a) = true`.
            Expr::Compare(op @ (CompareOp::Eq | CompareOp::Ne), a, b)
                if matches!(b.as_ref(), Expr::Bool(_)) && is_condition_call(a) =>
            {
                let Expr::Bool(truth) = b.as_ref() else { unreachable!("matched above") };
                let text = self.condition(a, params)?;
                if (*op == CompareOp::Eq) == *truth {
                    text
                } else {
                    format!("NOT {text}")
                }
            }
            Expr::Compare(op, a, b) => {
                format!("{} {} {}", self.operand(a, params)?, op.symbol(), self.operand(b, params)?)
            }
            Expr::Between(a, lo, hi) => format!(
                "{} BETWEEN {} AND {}",
                self.operand(a, params)?,
                self.operand(lo, params)?,
                self.operand(hi, params)?
            ),
            Expr::In(a, items) => {
                let a = self.operand(a, params)?;
                let items = items.iter().map(|i| self.operand(i, params)).collect::<ApiResult<Vec<_>>>()?;
                format!("{a} IN ({})", items.join(", "))
            }
            Expr::Is(a, negated, what) => {
                let Expr::Path(p) = a.as_ref() else {
                    return Err(invalid("IS applies to a path"));
                };
                let p = self.path(p);
                let test = match what {
                    IsWhat::Missing => {
                        return Ok(if *negated {
                            format!("attribute_exists({p})")
                        } else {
                            format!("attribute_not_exists({p})")
                        })
                    }
                    IsWhat::Null => format!("attribute_type({p}, {})", self.value(json!({"S": "NULL"}))),
                    IsWhat::Type(_, Some(tag)) => {
                        format!("attribute_type({p}, {})", self.value(json!({"S": tag})))
                    }
                    // No DynamoDB value is of a type DynamoDB does not have.
                    IsWhat::Type(_, None) => format!("(attribute_exists({p}) AND attribute_not_exists({p}))"),
                };
                if *negated {
                    format!("NOT {test}")
                } else {
                    test
                }
            }
            Expr::Not(inner) if matches!(inner.as_ref(), Expr::And(_) | Expr::Or(_)) => {
                format!("NOT ({})", self.condition(inner, params)?)
            }
            Expr::Not(inner) => format!("NOT {}", self.condition(inner, params)?),
            Expr::And(items) => self.all_of(items.iter(), params)?,
            Expr::Or(items) => {
                let parts = items.iter().map(|i| self.condition(i, params)).collect::<ApiResult<Vec<_>>>()?;
                parts.join(" OR ")
            }
            Expr::Call(name, args, pos) => {
                let lower = name.to_ascii_lowercase();
                match lower.as_str() {
                    "attribute_exists" | "attribute_not_exists" => check_call(&lower, args, 1, true)?,
                    "attribute_type" => check_call(&lower, args, 2, true)?,
                    "begins_with" | "contains" => check_call(&lower, args, 2, false)?,
                    "size" | "list_append" | "if_not_exists" => {
                        return Err(invalid(&format!("Expected a condition, found {expr}")))
                    }
                    _ => return Err(unrecognized(&lower, *pos)),
                }
                let args = args.iter().map(|a| self.operand(a, params)).collect::<ApiResult<Vec<_>>>()?;
                format!("{lower}({})", args.join(", "))
            }
            _ => return Err(invalid(&format!("Expected a condition, found {expr}"))),
        })
    }

    /// Conditions joined by AND; only an OR operand needs parentheses (DynamoDB refuses
    /// redundant ones).
    fn all_of<'a>(&mut self, items: impl Iterator<Item = &'a Expr>, params: &[Value]) -> ApiResult<String> {
        let mut parts = Vec::new();
        for item in items {
            let text = self.condition(item, params)?;
            parts.push(if matches!(item, Expr::Or(_)) { format!("({text})") } else { text });
        }
        Ok(parts.join(" AND "))
    }

    /// Adds the placeholder maps a request needs.
    fn attach(self, request: &mut Map<String, Value>) {
        if !self.names.is_empty() {
            request.insert("ExpressionAttributeNames".into(), Value::Object(self.names));
        }
        if !self.values.is_empty() {
            request.insert("ExpressionAttributeValues".into(), Value::Object(self.values));
        }
    }
}

/// The top-level AND operands of a condition.
fn conjuncts(filter: &Expr) -> Vec<&Expr> {
    match filter {
        Expr::And(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The value `name` is compared equal to in `expr`, when `expr` is `name = value`.
fn equality<'a>(expr: &'a Expr, name: &str) -> Option<&'a Expr> {
    let Expr::Compare(CompareOp::Eq, a, b) = expr else { return None };
    match (a.as_ref(), b.as_ref()) {
        (Expr::Path(p), v) | (v, Expr::Path(p)) if p.single() == Some(name) && is_value(v) => Some(v),
        _ => None,
    }
}

/// Every path an expression reads.
fn paths<'a>(expr: &'a Expr, out: &mut Vec<&'a Path>) {
    match expr {
        Expr::Path(p) => out.push(p),
        Expr::List(items)
        | Expr::Bag(items)
        | Expr::Call(_, items, _)
        | Expr::And(items)
        | Expr::Or(items) => {
            items.iter().for_each(|i| paths(i, out));
        }
        Expr::Map(entries) => entries.iter().for_each(|(_, v)| paths(v, out)),
        Expr::Arith(a, _, b) | Expr::Compare(_, a, b) => {
            paths(a, out);
            paths(b, out);
        }
        Expr::Between(a, b, c) => {
            paths(a, out);
            paths(b, out);
            paths(c, out);
        }
        Expr::In(a, items) => {
            paths(a, out);
            items.iter().for_each(|i| paths(i, out));
        }
        Expr::Is(a, ..) | Expr::Not(a) => paths(a, out),
        _ => {}
    }
}

/// A sort-key condition the Query key condition accepts, as text.
fn sort_condition(
    expr: &Expr,
    sort: &str,
    ph: &mut Placeholders,
    params: &[Value],
) -> ApiResult<Option<String>> {
    let is_sort = |e: &Expr| matches!(e, Expr::Path(p) if p.single() == Some(sort));
    Ok(match expr {
        Expr::Compare(op, a, b) if *op != CompareOp::Ne => {
            let (op, v) = if is_sort(a) && is_value(b) {
                (*op, b)
            } else if is_sort(b) && is_value(a) {
                let flipped = match op {
                    CompareOp::Lt => CompareOp::Gt,
                    CompareOp::Le => CompareOp::Ge,
                    CompareOp::Gt => CompareOp::Lt,
                    CompareOp::Ge => CompareOp::Le,
                    other => *other,
                };
                (flipped, a)
            } else {
                return Ok(None);
            };
            let v = value_of(v, params)?;
            Some(format!("{} {} {}", ph.name(sort), op.symbol(), ph.value(v)))
        }
        Expr::Between(a, lo, hi) if is_sort(a) && is_value(lo) && is_value(hi) => {
            let (lo, hi) = (value_of(lo, params)?, value_of(hi, params)?);
            Some(format!("{} BETWEEN {} AND {}", ph.name(sort), ph.value(lo), ph.value(hi)))
        }
        Expr::Call(name, args, _) if name.eq_ignore_ascii_case("begins_with") => match args.as_slice() {
            [a, v] if is_sort(a) && is_value(v) => {
                let v = value_of(v, params)?;
                Some(format!("begins_with({}, {})", ph.name(sort), ph.value(v)))
            }
            _ => None,
        },
        _ => None,
    })
}

/// Options of a read that come from the request rather than the statement.
pub(crate) struct ReadOptions {
    pub consistent: bool,
    pub limit: Option<i64>,
    pub return_consumed: Option<String>,
    /// Ask the read for the projected paths: a local secondary index then reaches the table's
    /// item for any it does not project.
    pub project: bool,
}

/// Plans a SELECT as a Query (partition key given) or a Scan.
pub(crate) fn plan_select(
    statement: &Statement,
    keys: &KeyNames,
    params: &[Value],
    opts: &ReadOptions,
) -> ApiResult<Plan> {
    let Statement::Select { from, filter, descending, projection } = statement else {
        return Err(invalid("Expected a SELECT"));
    };
    let projected = |ph: &mut Placeholders, request: &mut Map<String, Value>| {
        if let (true, Some(paths)) = (opts.project, projection) {
            let text: Vec<String> = paths.iter().map(|p| ph.path(p)).collect();
            request.insert("ProjectionExpression".into(), json!(text.join(", ")));
        }
    };
    let mut request = Map::new();
    request.insert("TableName".into(), json!(from.table));
    if let Some(index) = &from.index {
        request.insert("IndexName".into(), json!(index));
    }
    if opts.consistent {
        request.insert("ConsistentRead".into(), json!(true));
    }
    if let Some(limit) = opts.limit {
        request.insert("Limit".into(), json!(limit));
    }
    if let Some(rc) = &opts.return_consumed {
        request.insert("ReturnConsumedCapacity".into(), json!(rc));
    }
    let mut ph = Placeholders::default();
    if let Some(filter) = filter {
        check_overlap(filter, keys, params)?;
        if let Some((key_condition, rest)) = key_condition(filter, keys, &mut ph, params)? {
            request.insert("KeyConditionExpression".into(), json!(key_condition));
            if !rest.is_empty() {
                let text = ph.all_of(rest.into_iter(), params)?;
                request.insert("FilterExpression".into(), json!(text));
            }
            if *descending {
                request.insert("ScanIndexForward".into(), json!(false));
            }
            projected(&mut ph, &mut request);
            ph.attach(&mut request);
            return Ok(Plan { op: "Query", request: Value::Object(request) });
        }
        let mut ph = Placeholders::default();
        request.insert("FilterExpression".into(), json!(ph.condition(filter, params)?));
        projected(&mut ph, &mut request);
        ph.attach(&mut request);
        return Ok(Plan { op: "Scan", request: Value::Object(request) });
    }
    projected(&mut ph, &mut request);
    ph.attach(&mut request);
    Ok(Plan { op: "Scan", request: Value::Object(request) })
}

/// DynamoDB reads a WHERE clause whose OR branches each name a partition by equality as one
/// key range per branch, and refuses branches on the same partition where one reads all of
/// it and another only a sort-key range. A branch that reads the sort key any other way
/// (`<>`, NOT) makes it a scan, never refused (recorded in eu-west-2 and us-east-1, 2026-10).
fn check_overlap(filter: &Expr, keys: &KeyNames, params: &[Value]) -> ApiResult<()> {
    let (Expr::Or(branches), Some(sort)) = (filter, &keys.sort) else { return Ok(()) };
    let mut ranges: Vec<(Value, bool)> = Vec::with_capacity(branches.len());
    for branch in branches {
        let all = conjuncts(branch);
        let found = all.iter().enumerate().find_map(|(i, c)| Some((i, equality(c, &keys.partition)?)));
        let Some((pi, partition)) = found else { return Ok(()) };
        let mut ranged = false;
        for (_, c) in all.iter().enumerate().filter(|(i, _)| *i != pi) {
            let mut read = Vec::new();
            paths(c, &mut read);
            if !read.iter().any(|p| p.head() == sort.as_str()) {
                continue;
            }
            if sort_condition(c, sort, &mut Placeholders::default(), params)?.is_none() {
                return Ok(());
            }
            ranged = true;
        }
        ranges.push((value_of(partition, params)?, ranged));
    }
    let overlap = ranges.iter().any(|(p, ranged)| !ranged && ranges.iter().any(|(q, r)| *r && p == q));
    if overlap {
        return Err(ApiError::validation(
            "Overlapping conditions with range keys are not supported in where clause",
        ));
    }
    Ok(())
}

/// Splits a WHERE clause into a key condition and the rest, when the partition key is given
/// by an equality and no other condition reads a key attribute (a Query filter may not).
fn key_condition<'a>(
    filter: &'a Expr,
    keys: &KeyNames,
    ph: &mut Placeholders,
    params: &[Value],
) -> ApiResult<Option<(String, Vec<&'a Expr>)>> {
    let all = conjuncts(filter);
    let Some(pi) = all.iter().position(|c| equality(c, &keys.partition).is_some()) else { return Ok(None) };
    let mut scratch = Placeholders::default();
    let mut sort_index = None;
    if let Some(sort) = &keys.sort {
        for (i, c) in all.iter().enumerate() {
            if i != pi && sort_condition(c, sort, &mut scratch, params)?.is_some() {
                sort_index = Some(i);
                break;
            }
        }
    }
    let rest: Vec<&Expr> =
        all.iter().enumerate().filter(|(i, _)| *i != pi && Some(*i) != sort_index).map(|(_, c)| *c).collect();
    let mut read = Vec::new();
    rest.iter().for_each(|c| paths(c, &mut read));
    if read.iter().any(|p| keys.contains(p.head())) {
        return Ok(None);
    }
    let value = equality(all[pi], &keys.partition).map(|v| value_of(v, params)).transpose()?;
    let Some(value) = value else { return Ok(None) };
    let mut text = format!("{} = {}", ph.name(&keys.partition), ph.value(value));
    if let (Some(i), Some(sort)) = (sort_index, &keys.sort) {
        if let Some(cond) = sort_condition(all[i], sort, ph, params)? {
            text = format!("{text} AND {cond}");
        }
    }
    Ok(Some((text, rest)))
}

/// The item key a WHERE clause names by equalities, and its other conditions.
fn key_and_rest<'a>(
    filter: &'a Expr,
    keys: &KeyNames,
    params: &[Value],
) -> ApiResult<(Value, Vec<&'a Expr>)> {
    let all = conjuncts(filter);
    let mut key = Map::new();
    let mut used = Vec::new();
    for name in std::iter::once(&keys.partition).chain(keys.sort.iter()) {
        let Some(i) = all.iter().position(|c| equality(c, name).is_some()) else {
            return Err(missing_key_equality());
        };
        if let Some(v) = equality(all[i], name) {
            key.insert(name.clone(), value_of(v, params)?);
        }
        used.push(i);
    }
    let rest = all.iter().enumerate().filter(|(i, _)| !used.contains(i)).map(|(_, c)| *c).collect();
    Ok((Value::Object(key), rest))
}

/// A SELECT that must name one item (BatchExecuteStatement, ExecuteTransaction): its key.
pub(crate) fn select_key(
    statement: &Statement,
    keys: &KeyNames,
    params: &[Value],
) -> ApiResult<Option<(Value, bool)>> {
    let Statement::Select { filter: Some(filter), .. } = statement else { return Ok(None) };
    match key_and_rest(filter, keys, params) {
        Ok((key, rest)) => Ok(Some((key, rest.is_empty()))),
        Err(e) if e.cause == Some(Cause::MissingKeyEquality) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Plans `EXISTS(SELECT * FROM t WHERE <key> AND <condition>)` as a ConditionCheck of that
/// item; `None` when the WHERE names the item and nothing more (there is no condition).
pub(crate) fn plan_exists(
    statement: &Statement,
    keys: &KeyNames,
    params: &[Value],
) -> ApiResult<Option<Plan>> {
    let Statement::Exists { table, filter } = statement else { return Ok(None) };
    let Some(filter) = filter else { return Ok(None) };
    let (key, rest) = key_and_rest(filter, keys, params)?;
    if rest.is_empty() {
        return Ok(None);
    }
    let mut ph = Placeholders::default();
    let mut request = Map::new();
    request.insert("TableName".into(), json!(table));
    request.insert("Key".into(), key);
    request.insert("ConditionExpression".into(), json!(ph.all_of(rest.into_iter(), params)?));
    ph.attach(&mut request);
    Ok(Some(Plan { op: "ConditionCheck", request: Value::Object(request) }))
}

/// Plans an INSERT, UPDATE or DELETE against a table with key `keys`.
pub(crate) fn plan_write(statement: &Statement, keys: &KeyNames, params: &[Value]) -> ApiResult<Plan> {
    let mut request = Map::new();
    request.insert("TableName".into(), json!(statement.table()));
    let mut ph = Placeholders::default();
    let op = match statement {
        Statement::Insert { item, .. } => {
            let item = item_of(item, params)?;
            let Some(map) = item.get("M").cloned() else {
                return Err(invalid("INSERT expects a map literal as its VALUE"));
            };
            request.insert("Item".into(), map);
            let pk = ph.name(&keys.partition);
            request.insert("ConditionExpression".into(), json!(format!("attribute_not_exists({pk})")));
            "PutItem"
        }
        Statement::Update { actions, filter, returning, .. } => {
            let Some(filter) = filter else { return Err(missing_key_equality()) };
            let (key, rest) = key_and_rest(filter, keys, params)?;
            request.insert("Key".into(), key);
            request.insert("UpdateExpression".into(), json!(update_expression(actions, &mut ph, params)?));
            let mut condition = format!("attribute_exists({})", ph.name(&keys.partition));
            if !rest.is_empty() {
                condition = format!("{condition} AND {}", ph.all_of(rest.into_iter(), params)?);
            }
            request.insert("ConditionExpression".into(), json!(condition));
            if let Some(r) = returning {
                request.insert("ReturnValues".into(), json!(r.return_values()));
            }
            "UpdateItem"
        }
        Statement::Delete { filter, returning, .. } => {
            let (key, rest) = key_and_rest(filter, keys, params)?;
            request.insert("Key".into(), key);
            if !rest.is_empty() {
                // A missing item is deleted without error; an existing one must meet the rest.
                let missing = format!("attribute_not_exists({})", ph.name(&keys.partition));
                let condition = format!("{missing} OR {}", ph.all_of(rest.into_iter(), params)?);
                request.insert("ConditionExpression".into(), json!(condition));
            }
            match returning {
                Some(Returning::AllOld) => {
                    request.insert("ReturnValues".into(), json!("ALL_OLD"));
                }
                Some(other) => {
                    return Err(ApiError::validation(format!(
                        "Invalid returning clause: RETURNING {}. Only RETURNING ALL OLD * is allowed in DELETE statements.",
                        match other {
                            Returning::ModifiedOld => "MODIFIED OLD *",
                            Returning::AllNew => "ALL NEW *",
                            _ => "MODIFIED NEW *",
                        }
                    )))
                }
                None => {}
            }
            "DeleteItem"
        }
        Statement::Select { .. } | Statement::Exists { .. } => {
            return Err(invalid("Expected a write statement"))
        }
    };
    ph.attach(&mut request);
    Ok(Plan { op, request: Value::Object(request) })
}

/// SET and REMOVE actions as an UpdateExpression; `set_add` / `set_delete` become ADD / DELETE.
fn update_expression(actions: &[UpdateAction], ph: &mut Placeholders, params: &[Value]) -> ApiResult<String> {
    let (mut set, mut remove, mut add, mut delete) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for action in actions {
        match action {
            UpdateAction::Remove(path) => remove.push(ph.path(path)),
            UpdateAction::Set(path, Expr::Call(name, args, pos))
                if name.eq_ignore_ascii_case("set_add") || name.eq_ignore_ascii_case("set_delete") =>
            {
                let upper = name.to_ascii_uppercase();
                let [target, value] = args.as_slice() else {
                    return Err(ApiError::validation(format!(
                        "{upper} must have exactly two arguments at {pos}"
                    )));
                };
                let Expr::Path(target) = target else {
                    return Err(ApiError::validation(format!(
                        "The first argument to {upper} must equal the assignment value at {pos}"
                    )));
                };
                if target != path {
                    return Err(ApiError::validation(format!(
                        "The first argument to {upper} must equal the assignment value at {pos}"
                    )));
                }
                let value = value_of(value, params)?;
                if !value
                    .as_object()
                    .is_some_and(|o| o.contains_key("SS") || o.contains_key("NS") || o.contains_key("BS"))
                {
                    // The position DynamoDB gives is the first argument's.
                    return Err(ApiError::validation(format!(
                        "The second argument to {upper} must be a value with type SET at {}",
                        target.1
                    )));
                }
                let text = format!("{} {}", ph.path(path), ph.value(value));
                if name.eq_ignore_ascii_case("set_add") {
                    add.push(text);
                } else {
                    delete.push(text);
                }
            }
            UpdateAction::Set(path, value) => {
                let target = ph.path(path);
                set.push(format!("{target} = {}", ph.operand(value, params)?));
            }
        }
    }
    let mut clauses = Vec::new();
    for (keyword, items) in [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)] {
        if !items.is_empty() {
            clauses.push(format!("{keyword} {}", items.join(", ")));
        }
    }
    Ok(clauses.join(" "))
}
