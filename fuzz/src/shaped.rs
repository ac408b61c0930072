//! Requests built from an operation's own schema (`OperationSpec::request_members`): member
//! names, JSON shapes, enums and bounds, with values aimed at the fixture (a table it holds,
//! that table's keys, items, indexes, stream and shard) mixed with values at and past every
//! bound and now and then random JSON — so requests get past validation into the operation,
//! and the validator meets every kind of wrong value too.

use arbitrary::Unstructured;
use dynaplay_engine::schema::{Field, Rule, Shape};
use dynaplay_engine::OperationSpec;
use serde_json::{json, Map, Value};

use crate::fixture::{Facts, TableFacts};
use crate::text::placeholders;

/// Deepest nesting of generated JSON (attribute values, random members).
const MAX_DEPTH: usize = 5;

/// A request generator over fuzz input.
pub struct Gen<'a, 'u> {
    u: &'u mut Unstructured<'a>,
    facts: &'static Facts,
    /// The table the request aims at.
    table: &'static TableFacts,
}

/// `true` with probability `num / den` (false once the input is used up).
pub fn chance(u: &mut Unstructured<'_>, num: u8, den: u8) -> bool {
    u.ratio(num, den).unwrap_or(false)
}

/// An index below `len` (0 once the input is used up; `len` must not be 0).
pub fn index(u: &mut Unstructured<'_>, len: usize) -> usize {
    u.choose_index(len).unwrap_or(0)
}

/// One of `items` (the first once the input is used up; `items` must not be empty).
pub fn pick<'s, T>(u: &mut Unstructured<'_>, items: &'s [T]) -> &'s T {
    &items[index(u, items.len())]
}

/// A short string straight from the input.
pub fn raw_string(u: &mut Unstructured<'_>) -> String {
    let s: &str = u.arbitrary().unwrap_or("");
    s.chars().take(64).collect()
}

/// Numbers as text, near the bounds DynamoDB checks (38 digits, exponents ±125/130).
const NUMBER_TEXTS: [&str; 16] = [
    "0",
    "1",
    "-1",
    "2.5",
    "-0.0",
    "1e400",
    "1E-130",
    "9.9999999999999999999999999999999999999E+125",
    "12345678901234567890123456789012345678901",
    "NaN",
    "Infinity",
    "",
    " 1",
    "0x10",
    "1.",
    ".5",
];

/// Base64 texts, good and bad.
const BINARY_TEXTS: [&str; 6] = ["AAEC", "AAECAw==", "", "!!", "AQ", "YQ=="];

/// Words expressions are built from, besides the table's own attribute names.
const EXPRESSION_WORDS: [&str; 30] = [
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "(",
    ")",
    ",",
    ".",
    "[0]",
    "[1]",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "if_not_exists",
    "list_append",
    "+",
];

impl<'a, 'u> Gen<'a, 'u> {
    /// A generator aimed at one of the fixture's tables (chosen by the input).
    pub fn new(u: &'u mut Unstructured<'a>, facts: &'static Facts) -> Self {
        let table = pick(u, &facts.tables);
        Self { u, facts, table }
    }

    /// A request for `spec`, built from its schema; placeholders usually fitted.
    pub fn request(&mut self, spec: &'static OperationSpec) -> Value {
        let noisy = chance(self.u, 1, 3);
        let mut request = self.members(spec.request_members(), noisy, 0);
        if chance(self.u, 3, 4) {
            self.fit_placeholders(&mut request);
        }
        request
    }

    fn members(&mut self, fields: &'static [Field], noisy: bool, depth: usize) -> Value {
        let mut out = Map::new();
        for field in fields {
            let needed = field.rules.iter().any(|r| matches!(r, Rule::NotNull | Rule::Required))
                || matches!(field.name, "KeyConditionExpression" | "UpdateExpression" | "Key" | "Item");
            let (num, den) = match (needed, noisy) {
                (true, _) => (9, 10),
                (false, true) => (1, 3),
                (false, false) => (1, 8),
            };
            if !chance(self.u, num, den) {
                continue;
            }
            let value = if noisy && chance(self.u, 1, 16) {
                self.json(depth)
            } else {
                self.value(field.name, &field.shape, field.rules, noisy, depth)
            };
            out.insert(field.name.to_owned(), value);
        }
        Value::Object(out)
    }

    fn value(
        &mut self,
        name: &'static str,
        shape: &'static Shape,
        rules: &[Rule],
        noisy: bool,
        depth: usize,
    ) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match shape {
            Shape::Str => Value::String(self.string(name, rules)),
            Shape::Bool => match index(self.u, 8) {
                0 => json!("true"),
                1 => json!(null),
                i => json!(i % 2 == 0),
            },
            Shape::Integer | Shape::Long | Shape::Double => self.number(rules),
            Shape::List(inner) => self.list(name, inner, noisy, depth),
            Shape::Map(Shape::AttributeValue) => self.attribute_map(name, depth),
            Shape::Map(inner) => {
                let len = index(self.u, 4);
                let mut out = Map::new();
                for _ in 0..len {
                    let key = match name {
                        "RequestItems" => {
                            if chance(self.u, 4, 5) {
                                self.table.name.clone()
                            } else {
                                pick(self.u, &self.facts.tables).name.clone()
                            }
                        }
                        _ => self.attribute_name(),
                    };
                    let value = self.value(name, inner, &[], noisy, depth + 1);
                    out.insert(key, value);
                }
                Value::Object(out)
            }
            Shape::Struct(_, fields) => self.members(fields, noisy, depth + 1),
            Shape::AttributeValue => self.attribute_value(depth),
            _ => self.json(depth),
        }
    }

    fn list(&mut self, name: &'static str, inner: &'static Shape, noisy: bool, depth: usize) -> Value {
        // A table's (or index's) key and the attributes it declares, as CreateTable wants them.
        let fitting = match name {
            "KeySchema" => Some(vec![
                json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
                json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]),
                json!([{"AttributeName": "title", "KeyType": "HASH"}, {"AttributeName": "qty", "KeyType": "RANGE"}]),
            ]),
            "AttributeDefinitions" => Some(vec![
                json!([{"AttributeName": "pk", "AttributeType": "S"}]),
                json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]),
                json!([{"AttributeName": "title", "AttributeType": "S"}, {"AttributeName": "qty", "AttributeType": "N"}]),
            ]),
            "Keys" => {
                let n = index(self.u, 4) + 1;
                let keys: Vec<Value> = (0..n).map(|_| self.key()).collect();
                return Value::Array(keys);
            }
            _ => None,
        };
        if let Some(options) = fitting {
            if chance(self.u, 3, 4) {
                return pick(self.u, &options).clone();
            }
        }
        let len = match index(self.u, 8) {
            7 => 26, // past the 25 items a batch takes
            n => n / 2,
        };
        Value::Array((0..len).map(|_| self.value(name, inner, &[], noisy, depth + 1)).collect())
    }

    fn string(&mut self, name: &'static str, rules: &[Rule]) -> String {
        if let Some(values) = rules.iter().find_map(|r| match r {
            Rule::Enum(values) => Some(*values),
            _ => None,
        }) {
            if chance(self.u, 7, 8) && !values.is_empty() {
                return (*pick(self.u, values)).to_owned();
            }
        }
        if chance(self.u, 1, 10) {
            return self.any_string(rules);
        }
        let arns = |s: &&String| s.starts_with("arn:");
        match name {
            "TableName" => self.table.name.clone(),
            "IndexName" if !self.table.indexes.is_empty() => pick(self.u, &self.table.indexes).clone(),
            "StreamArn" | "ResourceArn" | "TableArn" => {
                let arns: Vec<&String> = self.facts.strings.iter().filter(arns).collect();
                match arns.len() {
                    0 => self.any_string(rules),
                    n => arns[index(self.u, n)].clone(),
                }
            }
            "ShardId" | "ShardIterator" | "ExclusiveStartShardId" => {
                let wanted = if name == "ShardIterator" { "|" } else { "shardId-" };
                let found: Vec<&String> = self.facts.strings.iter().filter(|s| s.contains(wanted)).collect();
                match found.len() {
                    0 => self.any_string(rules),
                    n => found[index(self.u, n)].clone(),
                }
            }
            "AttributeName" => self.attribute_name(),
            "Statement" => self.statement(),
            n if n.ends_with("Expression") => self.expression(n),
            _ => self.any_string(rules),
        }
    }

    /// Any string: one the fixture knows, one at a length bound, or one from the input.
    fn any_string(&mut self, rules: &[Rule]) -> String {
        match index(self.u, 4) {
            0 => pick(self.u, &self.facts.strings).clone(),
            1 => {
                let bound = rules
                    .iter()
                    .find_map(|r| match r {
                        Rule::MaxLength(n) => Some(*n + index(self.u, 2)),
                        Rule::MinLength(n) | Rule::DeferredMinLength(n) => {
                            Some(n.saturating_sub(index(self.u, 2)))
                        }
                        _ => None,
                    })
                    .unwrap_or(0);
                "a".repeat(bound.min(70_000))
            }
            _ => raw_string(self.u),
        }
    }

    fn number(&mut self, rules: &[Rule]) -> Value {
        let mut options: Vec<Value> = vec![json!(0), json!(1), json!(-1), json!(25), json!(100), json!(1.5)];
        for rule in rules {
            match rule {
                Rule::Min(n) | Rule::Max(n) => {
                    options.extend([json!(n.saturating_sub(1)), json!(*n), json!(n.saturating_add(1))]);
                }
                Rule::MinDecimal(f, _) => options.push(json!(f)),
                _ => {}
            }
        }
        match index(self.u, 6) {
            0 => json!(self.u.arbitrary::<i64>().unwrap_or(0)),
            1 => pick(self.u, &[json!(i64::MAX), json!(i64::MIN), json!(u64::MAX), json!(1e300), json!("5")])
                .clone(),
            _ => pick(self.u, &options).clone(),
        }
    }

    fn attribute_name(&mut self) -> String {
        match index(self.u, 8) {
            0 => raw_string(self.u),
            1 => pick(self.u, &self.table.keys).clone(),
            _ if !self.table.attributes.is_empty() => pick(self.u, &self.table.attributes).clone(),
            _ => "pk".into(),
        }
    }

    /// A key of the table: an item's, one no item has, or a broken one.
    fn key(&mut self) -> Value {
        let n = self.table.items.len();
        match index(self.u, 8) {
            0 => self.random_attribute_map(MAX_DEPTH - 1),
            1 => self.table.key(n),
            _ => {
                let i = index(self.u, n.max(1));
                self.table.key(i)
            }
        }
    }

    fn attribute_map(&mut self, name: &'static str, depth: usize) -> Value {
        match name {
            "Key" | "ExclusiveStartKey" if chance(self.u, 4, 5) => return self.key(),
            "Item" if chance(self.u, 4, 5) && !self.table.items.is_empty() => {
                let mut item = pick(self.u, &self.table.items).clone();
                if chance(self.u, 1, 2) {
                    let attribute = self.attribute_name();
                    item[attribute] = self.attribute_value(depth + 1);
                }
                return item;
            }
            _ => {}
        }
        self.random_attribute_map(depth)
    }

    fn random_attribute_map(&mut self, depth: usize) -> Value {
        let len = index(self.u, 4);
        let mut out = Map::new();
        for _ in 0..len {
            let key = self.attribute_name();
            out.insert(key, self.attribute_value(depth + 1));
        }
        Value::Object(out)
    }

    /// An attribute value of any type, sometimes malformed.
    pub fn attribute_value(&mut self, depth: usize) -> Value {
        let deep = depth >= MAX_DEPTH;
        match index(self.u, if deep { 9 } else { 13 }) {
            0 => json!({"S": raw_string(self.u)}),
            1 => json!({"S": pick(self.u, &self.facts.strings).clone()}),
            2 => json!({"N": *pick(self.u, &NUMBER_TEXTS)}),
            3 => json!({"B": *pick(self.u, &BINARY_TEXTS)}),
            4 => json!({"BOOL": chance(self.u, 1, 2)}),
            5 => json!({"NULL": true}),
            6 => json!({"SS": [raw_string(self.u), "red"]}),
            7 => json!({"NS": [*pick(self.u, &NUMBER_TEXTS), "1"]}),
            8 => match index(self.u, 4) {
                0 => json!({"BS": [*pick(self.u, &BINARY_TEXTS)]}),
                1 => json!({"S": "x", "N": "1"}),
                2 => json!({}),
                _ => json!({"SS": []}),
            },
            9 | 10 => {
                let len = index(self.u, 4);
                let mut map = Map::new();
                for _ in 0..len {
                    map.insert(self.attribute_name(), self.attribute_value(depth + 1));
                }
                json!({ "M": map })
            }
            _ => {
                let len = index(self.u, 4);
                json!({"L": (0..len).map(|_| self.attribute_value(depth + 1)).collect::<Vec<_>>()})
            }
        }
    }

    /// Random JSON, object keys mostly names the engine looks for.
    pub fn json(&mut self, depth: usize) -> Value {
        let leaf = depth >= MAX_DEPTH;
        match index(self.u, if leaf { 5 } else { 7 }) {
            0 => Value::Null,
            1 => json!(chance(self.u, 1, 2)),
            2 => self.number(&[]),
            3 => json!(raw_string(self.u)),
            4 => json!(pick(self.u, &self.facts.strings).clone()),
            5 => Value::Array((0..index(self.u, 4)).map(|_| self.json(depth + 1)).collect()),
            _ => {
                let mut map = Map::new();
                for _ in 0..index(self.u, 4) {
                    let key = match index(self.u, 3) {
                        0 => (*pick(self.u, &["S", "N", "M", "L", "TableName", "Key", "Item"])).to_owned(),
                        1 => self.attribute_name(),
                        _ => raw_string(self.u),
                    };
                    map.insert(key, self.json(depth + 1));
                }
                Value::Object(map)
            }
        }
    }

    /// An expression for `member`: grammar-shaped over the table's attributes and
    /// placeholders, or token soup.
    fn expression(&mut self, member: &str) -> String {
        let path = |g: &mut Self| -> String {
            let mut p = match index(g.u, 4) {
                0 => format!("#n{}", index(g.u, 3)),
                _ => g.attribute_name(),
            };
            if chance(g.u, 1, 4) {
                let step: &&str = pick(g.u, &[".k", "[0]", ".n.deep", "[2]"]);
                p.push_str(step);
            }
            p
        };
        let operand = |g: &mut Self| -> String {
            match index(g.u, 4) {
                0 | 1 => format!(":v{}", index(g.u, 3)),
                2 => path(g),
                _ => format!("size({})", path(g)),
            }
        };
        let comparison = |g: &mut Self| -> String {
            match index(g.u, 6) {
                0 => format!("{} BETWEEN {} AND {}", operand(g), operand(g), operand(g)),
                1 => format!("{} IN ({}, {})", operand(g), operand(g), operand(g)),
                2 => format!("attribute_exists({})", path(g)),
                3 => format!(
                    "{}({}, {})",
                    *pick(g.u, &["begins_with", "contains", "attribute_type"]),
                    path(g),
                    operand(g)
                ),
                _ => format!(
                    "{} {} {}",
                    operand(g),
                    *pick(g.u, &["=", "<>", "<", "<=", ">", ">="]),
                    operand(g)
                ),
            }
        };
        if chance(self.u, 1, 8) {
            let n = index(self.u, 12);
            let words: Vec<String> = (0..n)
                .map(|_| match index(self.u, 3) {
                    0 => (*pick(self.u, &EXPRESSION_WORDS)).to_owned(),
                    1 => operand(self),
                    _ => raw_string(self.u),
                })
                .collect();
            return words.join(" ");
        }
        match member {
            "UpdateExpression" => {
                let mut clauses = Vec::new();
                for _ in 0..=index(self.u, 3) {
                    clauses.push(match index(self.u, 5) {
                        0 => format!("REMOVE {}", path(self)),
                        1 => format!("ADD {} {}", path(self), operand(self)),
                        2 => format!("DELETE {} {}", path(self), operand(self)),
                        3 => {
                            format!("SET {} = list_append({}, {})", path(self), operand(self), operand(self))
                        }
                        _ => format!(
                            "SET {} = {} {} {}",
                            path(self),
                            operand(self),
                            pick(self.u, &["+", "-"]),
                            operand(self)
                        ),
                    });
                }
                clauses.join(" ")
            }
            "ProjectionExpression" => {
                (0..=index(self.u, 3)).map(|_| path(self)).collect::<Vec<_>>().join(", ")
            }
            "KeyConditionExpression" => {
                let partition = self.table.keys.first().cloned().unwrap_or_default();
                let mut text = format!("{partition} = :v0");
                if let Some(sort) = self.table.keys.get(1).cloned() {
                    match index(self.u, 4) {
                        0 => {}
                        1 => text.push_str(&format!(" AND begins_with({sort}, :v1)")),
                        2 => text.push_str(&format!(" AND {sort} BETWEEN :v1 AND :v2")),
                        _ => text.push_str(&format!(
                            " AND {sort} {} :v1",
                            pick(self.u, &["=", "<", "<=", ">", ">="])
                        )),
                    }
                }
                text
            }
            _ => {
                let mut text = comparison(self);
                for _ in 0..index(self.u, 3) {
                    let joiner = *pick(self.u, &["AND", "OR", "AND NOT"]);
                    text = format!("({text}) {joiner} {}", comparison(self));
                }
                text
            }
        }
    }

    /// A PartiQL statement on the table.
    fn statement(&mut self) -> String {
        let table = &self.table.name;
        let key = self.table.keys.first().cloned().unwrap_or_default();
        let attribute = self.attribute_name();
        match index(self.u, 7) {
            0 => format!("SELECT * FROM \"{table}\" WHERE \"{key}\" = ?"),
            1 => format!("SELECT {attribute}, \"{key}\" FROM \"{table}\""),
            2 => format!("INSERT INTO \"{table}\" VALUE {{'{key}': ?, '{attribute}': ?}}"),
            3 => format!("UPDATE \"{table}\" SET {attribute} = ? WHERE \"{key}\" = ?"),
            4 => format!("DELETE FROM \"{table}\" WHERE \"{key}\" = ?"),
            5 => format!("EXISTS(SELECT * FROM \"{table}\" WHERE \"{key}\" = ?)"),
            _ => raw_string(self.u),
        }
    }

    /// Gives every object of the request that holds expressions exactly the placeholders
    /// they use: a missing or unused placeholder is an error that would stop most requests
    /// short of evaluation.
    fn fit_placeholders(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                let used: Vec<String> = map
                    .iter()
                    .filter(|(k, _)| k.ends_with("Expression"))
                    .filter_map(|(_, v)| v.as_str())
                    .flat_map(placeholders)
                    .collect();
                if !used.is_empty() {
                    let mut names = Map::new();
                    let mut values = Map::new();
                    for p in used {
                        if p.starts_with('#') {
                            names.insert(p, json!(self.attribute_name()));
                        } else {
                            let v = self.attribute_value(1);
                            values.insert(p, v);
                        }
                    }
                    for (member, map_value) in
                        [("ExpressionAttributeNames", names), ("ExpressionAttributeValues", values)]
                    {
                        if map_value.is_empty() {
                            map.remove(member);
                        } else {
                            map.insert(member.to_owned(), Value::Object(map_value));
                        }
                    }
                }
                map.values_mut().for_each(|v| self.fit_placeholders(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.fit_placeholders(v)),
            _ => {}
        }
    }
}
