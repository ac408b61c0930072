//! Target `expressions`: the expression parser, checker and evaluator — condition, filter,
//! key-condition, update and projection expressions with their `#name` / `:value` maps —
//! through the operations that evaluate them against the fixture's items.
//!
//! Input: four bytes, then text lines.
//! - byte 0: the slot ([`Slot`]: which operation and which members the expressions go in);
//! - byte 1: the table (of the fixture's, in name order); byte 2: the item whose key the
//!   request names (one past the last: a key no item has);
//! - byte 3: flags — bit 0: fit the placeholder maps to the expressions (drop unused
//!   entries, add missing ones), bits 1–3: a variant (ReturnValues, the index a read goes
//!   to), bit 4: read backwards, bit 5: a Limit of 2;
//! - line 1, 2, 3: expressions A, B, C (empty: absent);
//! - further lines `#name=attribute` and `:value=<attribute value>` (DynamoDB JSON, or else
//!   the text as a string value).
//!
//! The seeds are the expression corpus (`tests/expressions/corpus.json`, whose items the
//! fixture's `Things` table holds) and the golden cases' expressions.

use serde_json::{json, Map, Value};

use crate::check;
use crate::fixture::{self, TableFacts};
use crate::text::{attribute_value, hash, placeholders, write_attribute_value};

/// Where the expressions go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// PutItem: A = ConditionExpression.
    Put,
    /// UpdateItem: A = UpdateExpression, B = ConditionExpression.
    Update,
    /// DeleteItem: A = ConditionExpression.
    Delete,
    /// Query: A = KeyConditionExpression, B = FilterExpression, C = ProjectionExpression.
    Query,
    /// Scan: A = FilterExpression, B = ProjectionExpression.
    Scan,
    /// GetItem: A = ProjectionExpression.
    Get,
    /// TransactWriteItems: a ConditionCheck (A) and an Update (B, condition C) of the next item.
    TransactWrite,
    /// TransactGetItems: A = ProjectionExpression.
    TransactGet,
    /// BatchGetItem of the item and the next: A = ProjectionExpression.
    BatchGet,
}

/// Every slot, in the order byte 0 picks them.
pub const SLOTS: [Slot; 9] = [
    Slot::Put,
    Slot::Update,
    Slot::Delete,
    Slot::Query,
    Slot::Scan,
    Slot::Get,
    Slot::TransactWrite,
    Slot::TransactGet,
    Slot::BatchGet,
];

/// One decoded input (also what the seed generator encodes).
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Index into [`SLOTS`].
    pub slot: u8,
    /// The table, by position in the fixture's table list.
    pub table: u8,
    /// The item, by position in the table's items.
    pub item: u8,
    /// The flags byte.
    pub flags: u8,
    /// Expressions A, B, C.
    pub expressions: [String; 3],
    /// `#name` placeholders and what they stand for.
    pub names: Vec<(String, String)>,
    /// `:value` placeholders and their attribute values.
    pub values: Vec<(String, Value)>,
}

impl Input {
    /// Reads an input (never fails: short input means zeros and absent expressions).
    pub fn decode(data: &[u8]) -> Self {
        let byte = |i: usize| data.get(i).copied().unwrap_or(0);
        let text = String::from_utf8_lossy(data.get(4..).unwrap_or_default());
        let mut lines = text.split('\n');
        let mut expressions: [String; 3] = Default::default();
        for slot in &mut expressions {
            *slot = lines.next().unwrap_or_default().to_owned();
        }
        let mut names = Vec::new();
        let mut values = Vec::new();
        for line in lines {
            let Some((placeholder, rest)) = line.split_once('=') else { continue };
            if placeholder.starts_with('#') {
                names.push((placeholder.to_owned(), rest.to_owned()));
            } else if placeholder.starts_with(':') {
                values.push((placeholder.to_owned(), attribute_value(rest)));
            }
        }
        Self { slot: byte(0), table: byte(1), item: byte(2), flags: byte(3), expressions, names, values }
    }

    /// The input's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.slot, self.table, self.item, self.flags];
        let mut text: Vec<String> = self.expressions.iter().map(|e| crate::text::one_line(e)).collect();
        text.extend(self.names.iter().map(|(k, v)| format!("{k}={}", crate::text::one_line(v))));
        text.extend(self.values.iter().map(|(k, v)| format!("{k}={}", write_attribute_value(v))));
        out.extend(text.join("\n").into_bytes());
        out
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let input = Input::decode(data);
    let facts = fixture::facts();
    let table = &facts.tables[input.table as usize % facts.tables.len()];
    let slot = SLOTS[input.slot as usize % SLOTS.len()];
    let (op, request) = build(&input, slot, table);
    let mut engine = fixture::engine();
    let _ = check::send_json(&mut engine, op, &request, check::checks_state(data));
}

fn expression(input: &Input, i: usize) -> Option<&str> {
    Some(input.expressions[i].as_str()).filter(|e| !e.is_empty())
}

/// The request for the slot: the table, the item's key, the expressions and their maps.
pub fn build(input: &Input, slot: Slot, table: &TableFacts) -> (&'static str, Value) {
    let item = input.item as usize % (table.items.len() + 1);
    let variant = (input.flags >> 1) & 7;
    let mut request = json!({ "TableName": table.name });
    let set = |request: &mut Value, member: &str, i: usize| {
        if let Some(e) = expression(input, i) {
            request[member] = json!(e);
        }
    };
    let op = match slot {
        Slot::Put => {
            request["Item"] = table.items.get(item).cloned().unwrap_or_else(|| table.key(item));
            set(&mut request, "ConditionExpression", 0);
            request["ReturnValues"] = json!(if variant.is_multiple_of(2) { "ALL_OLD" } else { "NONE" });
            if variant & 2 != 0 {
                request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
            }
            "PutItem"
        }
        Slot::Update => {
            request["Key"] = table.key(item);
            set(&mut request, "UpdateExpression", 0);
            set(&mut request, "ConditionExpression", 1);
            let returns = ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "ALL_OLD", "NONE"];
            request["ReturnValues"] = json!(returns[variant as usize % returns.len()]);
            "UpdateItem"
        }
        Slot::Delete => {
            request["Key"] = table.key(item);
            set(&mut request, "ConditionExpression", 0);
            request["ReturnValues"] = json!("ALL_OLD");
            "DeleteItem"
        }
        Slot::Query | Slot::Scan => {
            let query = slot == Slot::Query;
            if query {
                set(&mut request, "KeyConditionExpression", 0);
                set(&mut request, "FilterExpression", 1);
                set(&mut request, "ProjectionExpression", 2);
            } else {
                set(&mut request, "FilterExpression", 0);
                set(&mut request, "ProjectionExpression", 1);
            }
            if let Some(index) = table.indexes.get((variant as usize) % (table.indexes.len() + 1)) {
                request["IndexName"] = json!(index);
            }
            if input.flags & 16 != 0 && query {
                request["ScanIndexForward"] = json!(false);
            }
            if input.flags & 32 != 0 {
                request["Limit"] = json!(2);
            }
            if query {
                "Query"
            } else {
                "Scan"
            }
        }
        Slot::Get => {
            request["Key"] = table.key(item);
            set(&mut request, "ProjectionExpression", 0);
            "GetItem"
        }
        Slot::TransactWrite => {
            let mut check = json!({"TableName": table.name, "Key": table.key(item)});
            set(&mut check, "ConditionExpression", 0);
            let mut update = json!({"TableName": table.name, "Key": table.key(item + 1)});
            set(&mut update, "UpdateExpression", 1);
            set(&mut update, "ConditionExpression", 2);
            add_maps(input, &mut check, table);
            add_maps(input, &mut update, table);
            return (
                "TransactWriteItems",
                json!({"TransactItems": [{"ConditionCheck": check}, {"Update": update}]}),
            );
        }
        Slot::TransactGet => {
            let mut get = json!({"TableName": table.name, "Key": table.key(item)});
            set(&mut get, "ProjectionExpression", 0);
            add_maps(input, &mut get, table);
            return ("TransactGetItems", json!({"TransactItems": [{"Get": get}]}));
        }
        Slot::BatchGet => {
            let mut keys = json!({"Keys": [table.key(item), table.key(item + 1)]});
            set(&mut keys, "ProjectionExpression", 0);
            add_maps(input, &mut keys, table);
            return ("BatchGetItem", json!({"RequestItems": { table.name.as_str(): keys }}));
        }
    };
    add_maps(input, &mut request, table);
    (op, request)
}

/// Gives `target` the input's placeholder maps: as written, or (flag bit 0) fitted to the
/// expressions `target` holds.
fn add_maps(input: &Input, target: &mut Value, table: &TableFacts) {
    let fit = input.flags & 1 != 0;
    let mut names: Map<String, Value> = input.names.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut values: Map<String, Value> = input.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if fit {
        let used: Vec<String> = target
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.ends_with("Expression"))
            .filter_map(|(_, v)| v.as_str())
            .flat_map(placeholders)
            .collect();
        names.retain(|k, _| used.contains(k));
        values.retain(|k, _| used.contains(k));
        for p in &used {
            let h = hash(p.as_bytes()) as usize;
            if p.starts_with('#') && !names.contains_key(p) {
                let attribute = table.attributes.get(h % table.attributes.len().max(1)).cloned();
                names.insert(p.clone(), json!(attribute.unwrap_or_else(|| "pk".into())));
            } else if p.starts_with(':') && !values.contains_key(p) {
                values.insert(p.clone(), default_value(table, h));
            }
        }
    }
    if !names.is_empty() {
        target["ExpressionAttributeNames"] = Value::Object(names);
    }
    if !values.is_empty() {
        target["ExpressionAttributeValues"] = Value::Object(values);
    }
}

/// A value for a placeholder the input left out: one of the table's own values (so
/// comparisons can hold), or one of each type.
fn default_value(table: &TableFacts, h: usize) -> Value {
    let own: Vec<&Value> = table.items.iter().filter_map(Value::as_object).flat_map(|m| m.values()).collect();
    let others = [
        json!({"S": "x"}),
        json!({"N": "1"}),
        json!({"SS": ["red"]}),
        json!({"L": [{"N": "9"}]}),
        json!({"M": {"k": {"S": "v"}}}),
    ];
    match own.len() {
        0 => others[h % others.len()].clone(),
        n if !h.is_multiple_of(3) => own[h % n].clone(),
        _ => others[h % others.len()].clone(),
    }
}
