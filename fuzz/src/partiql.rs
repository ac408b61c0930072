//! Target `partiql`: PartiQL statements through ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction, on the fixture's tables.
//!
//! Input: one byte, then text lines.
//! - byte 0: bits 0–1 the operation (ExecuteStatement, BatchExecuteStatement,
//!   ExecuteTransaction; 3 is ExecuteStatement too), bit 2 ConsistentRead, bit 3
//!   ReturnConsumedCapacity, bit 4 a Limit of 1, bit 5 ReturnValuesOnConditionCheckFailure,
//!   bit 6 follow a NextToken once, bit 7 a ClientRequestToken;
//! - each line is a statement, except lines starting `?`: a parameter of the statement above
//!   (DynamoDB JSON, or else the text as a string value).
//!
//! ExecuteStatement runs the statements one after another (an INSERT, then the SELECT that
//! finds it); the other two send them all in one request. The seeds are the golden cases of
//! the three operations.

use serde_json::{json, Value};

use crate::check;
use crate::fixture;
use crate::text::{attribute_value, one_line, write_attribute_value};

/// Statements one input runs at most (past the 25 and 100 the batch and transaction take).
const MAX_STATEMENTS: usize = 110;

/// The operations, as bits 0–1 of byte 0 pick them.
pub const OPERATIONS: [&str; 4] =
    ["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "ExecuteStatement"];

/// One decoded input (also what the seed generator encodes).
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Byte 0: operation and flags.
    pub flags: u8,
    /// Statements and their parameters.
    pub statements: Vec<(String, Vec<Value>)>,
}

impl Input {
    /// Reads an input (never fails).
    pub fn decode(data: &[u8]) -> Self {
        let flags = data.first().copied().unwrap_or(0);
        let text = String::from_utf8_lossy(data.get(1..).unwrap_or_default());
        let mut statements: Vec<(String, Vec<Value>)> = Vec::new();
        for line in text.split('\n') {
            let count = statements.len();
            match (line.strip_prefix('?'), statements.last_mut()) {
                (Some(param), Some((_, params))) => params.push(attribute_value(param)),
                _ if count < MAX_STATEMENTS => statements.push((line.to_owned(), Vec::new())),
                _ => break,
            }
        }
        Self { flags, statements }
    }

    /// The input's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut lines = Vec::new();
        for (statement, params) in &self.statements {
            lines.push(one_line(statement));
            lines.extend(params.iter().map(|p| format!("?{}", write_attribute_value(p))));
        }
        let mut out = vec![self.flags];
        out.extend(lines.join("\n").into_bytes());
        out
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let input = Input::decode(data);
    if input.statements.is_empty() {
        return;
    }
    let flags = input.flags;
    let state = check::checks_state(data);
    let op = OPERATIONS[(flags & 3) as usize];
    let mut engine = fixture::engine();
    let entry = |statement: &str, params: &[Value], batch: bool| {
        let mut e = json!({ "Statement": statement });
        if !params.is_empty() {
            e["Parameters"] = json!(params);
        }
        if batch && flags & 4 != 0 {
            e["ConsistentRead"] = json!(true);
        }
        if flags & 32 != 0 {
            e["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
        }
        e
    };
    let mut common = json!({});
    if flags & 8 != 0 {
        common["ReturnConsumedCapacity"] = json!("TOTAL");
    }
    match op {
        "ExecuteStatement" => {
            for (statement, params) in &input.statements {
                let mut request = entry(statement, params, false);
                if flags & 4 != 0 {
                    request["ConsistentRead"] = json!(true);
                }
                if flags & 16 != 0 {
                    request["Limit"] = json!(1);
                }
                merge(&mut request, &common);
                let answer = check::send_json(&mut engine, op, &request, state);
                // The next page, once: a NextToken must lead somewhere or fail cleanly.
                let token = answer.ok().and_then(|text| {
                    serde_json::from_str::<Value>(&text).ok()?.get("NextToken")?.as_str().map(str::to_owned)
                });
                if let (Some(token), true) = (token, flags & 64 != 0) {
                    request["NextToken"] = json!(token);
                    let _ = check::send_json(&mut engine, op, &request, state);
                }
            }
        }
        "BatchExecuteStatement" => {
            let statements: Vec<Value> = input.statements.iter().map(|(s, p)| entry(s, p, true)).collect();
            let mut request = json!({ "Statements": statements });
            merge(&mut request, &common);
            let _ = check::send_json(&mut engine, op, &request, state);
        }
        _ => {
            let statements: Vec<Value> = input.statements.iter().map(|(s, p)| entry(s, p, false)).collect();
            let mut request = json!({ "TransactStatements": statements });
            if flags & 128 != 0 {
                request["ClientRequestToken"] = json!("token-1");
            }
            merge(&mut request, &common);
            let _ = check::send_json(&mut engine, op, &request, state);
        }
    }
}

fn merge(request: &mut Value, common: &Value) {
    for (k, v) in common.as_object().into_iter().flatten() {
        request[k] = v.clone();
    }
}
