//! Code for a request: turns (operation, request JSON) — exactly what the UI sent to the engine —
//! into the same call as an AWS CLI command, boto3 code and AWS SDK for JavaScript v3 code, so a
//! learner can copy it into a terminal or a program. Platform-free (tested natively).
//!
//! Top-level parameters are written with `TableName` first and the rest in name order (the
//! request JSON is an unordered map; a stable order keeps snippets diffable).

use serde_json::{Map, Value};

/// The languages a request can be shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// `aws dynamodb …` in a POSIX shell.
    AwsCli,
    /// Python with boto3's low-level client.
    Boto3,
    /// JavaScript with `@aws-sdk/client-dynamodb` (v3).
    JsV3,
}

impl Language {
    /// Every language, in the order the UI shows them.
    pub const ALL: [Language; 3] = [Language::AwsCli, Language::Boto3, Language::JsV3];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            Language::AwsCli => "AWS CLI",
            Language::Boto3 => "boto3",
            Language::JsV3 => "JS SDK v3",
        }
    }
}

/// The snippet for `operation` with `request` in `language`.
pub fn generate(language: Language, operation: &str, request: &Value) -> String {
    match language {
        Language::AwsCli => aws_cli(operation, request),
        Language::Boto3 => boto3(operation, request),
        Language::JsV3 => js_v3(operation, request),
    }
}

/// Commands whose CLI form paginates automatically and hides these parameters.
const PAGINATED: &[(&str, &[&str])] = &[
    ("Query", &["Limit", "ExclusiveStartKey"]),
    ("Scan", &["Limit", "ExclusiveStartKey"]),
    ("ListTables", &["Limit", "ExclusiveStartTableName"]),
];

/// `aws dynamodb <command> --flag value …`, one flag per line.
pub fn aws_cli(operation: &str, request: &Value) -> String {
    let command = format!("aws dynamodb {}", kebab_case(operation));
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    // The CLI's automatic pagination hides Limit and the start key: the whole request as
    // --cli-input-json is the only way to send them as they are.
    let hidden = PAGINATED
        .iter()
        .find(|(op, _)| *op == operation)
        .is_some_and(|(_, names)| names.iter().any(|n| params.contains_key(*n)));
    let mut parts = vec![command];
    if hidden {
        parts.push(format!("--cli-input-json {}", shell_quote(&compact(request))));
        parts.push("--no-paginate".to_owned());
    } else {
        for (name, value) in ordered(params) {
            let flag = kebab_case(name);
            parts.push(match value {
                Value::Bool(true) => format!("--{flag}"),
                Value::Bool(false) => format!("--no-{flag}"),
                Value::String(s) => format!("--{flag} {}", shell_word(s)),
                Value::Number(n) => format!("--{flag} {n}"),
                other => format!("--{flag} {}", shell_quote(&compact(other))),
            });
        }
    }
    parts.join(" \\\n    ")
}

/// `client.<snake_case>(Name=value, …)` with Python literals.
pub fn boto3(operation: &str, request: &Value) -> String {
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    let mut out = String::from("import boto3\n\nclient = boto3.client(\"dynamodb\")\n\n");
    out.push_str(&format!("response = client.{}(", snake_case(operation)));
    if params.is_empty() {
        out.push(')');
    } else {
        out.push('\n');
        for (name, value) in ordered(params) {
            out.push_str(&format!("    {name}={},\n", python(value)));
        }
        out.push(')');
    }
    out.push_str("\nprint(response)\n");
    out
}

/// `await client.send(new <Operation>Command({…}))` with `@aws-sdk/client-dynamodb`.
pub fn js_v3(operation: &str, request: &Value) -> String {
    let command = format!("{operation}Command");
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    let mut out = format!(
        "import {{ DynamoDBClient, {command} }} from \"@aws-sdk/client-dynamodb\";\n\n\
         const client = new DynamoDBClient({{}});\n\n\
         const response = await client.send(new {command}("
    );
    if params.is_empty() {
        out.push_str("{}");
    } else {
        out.push_str("{\n");
        for (name, value) in ordered(params) {
            out.push_str(&format!("  {}: {},\n", js_key(name), js(value)));
        }
        out.push('}');
    }
    out.push_str("));\nconsole.log(response);\n");
    out
}

/// `TableName` first, then the rest in name order.
fn ordered(params: &Map<String, Value>) -> Vec<(&String, &Value)> {
    // A JSON map is already in name order.
    let (mut v, rest): (Vec<_>, Vec<_>) = params.iter().partition(|(k, _)| k.as_str() == "TableName");
    v.extend(rest);
    v
}

/// `PutItem` → `put-item`, `SSESpecification` → `sse-specification`.
pub fn kebab_case(name: &str) -> String {
    words(name).join("-")
}

/// `PutItem` → `put_item`.
pub fn snake_case(name: &str) -> String {
    words(name).join("_")
}

/// Splits PascalCase into lower-case words; a run of capitals is one word (`SSE`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Single-quotes for a POSIX shell: `'` becomes `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A word left bare when it has nothing the shell would interpret, quoted otherwise.
fn shell_word(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | ',' | '@' | '+' | '=')
        });
    if safe {
        s.to_owned()
    } else {
        shell_quote(s)
    }
}

/// A Python literal (dicts, lists, `True`/`False`/`None`, single-quoted strings).
pub fn python(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => python_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(python).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter().map(|(k, v)| format!("{}: {}", python_str(k), python(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn python_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A JavaScript literal: identifier keys unquoted, strings as JSON strings.
pub fn js(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("[{}]", a.iter().map(js).collect::<Vec<_>>().join(", ")),
        Value::Object(o) if o.is_empty() => "{}".to_owned(),
        Value::Object(o) => format!(
            "{{ {} }}",
            o.iter().map(|(k, v)| format!("{}: {}", js_key(k), js(v))).collect::<Vec<_>>().join(", ")
        ),
        other => compact(other),
    }
}

fn js_key(k: &str) -> String {
    let ident = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        k.to_owned()
    } else {
        compact(&Value::String(k.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn put() -> Value {
        json!({
            "TableName": "Music",
            "Item": {"Artist": {"S": "Guns N' Roses"}, "Year": {"N": "1987"}},
            "ReturnConsumedCapacity": "TOTAL"
        })
    }

    #[test]
    fn names() {
        assert_eq!(kebab_case("PutItem"), "put-item");
        assert_eq!(kebab_case("SSESpecification"), "sse-specification");
        assert_eq!(kebab_case("ExclusiveStartTableName"), "exclusive-start-table-name");
        assert_eq!(snake_case("BatchWriteItem"), "batch_write_item");
        assert_eq!(snake_case("ListTagsOfResource"), "list_tags_of_resource");
    }

    #[test]
    fn cli_put_item_quotes_apostrophes() {
        assert_eq!(
            aws_cli("PutItem", &put()),
            "aws dynamodb put-item \\\n    --table-name Music \\\n    \
             --item '{\"Artist\":{\"S\":\"Guns N'\\'' Roses\"},\"Year\":{\"N\":\"1987\"}}' \\\n    \
             --return-consumed-capacity TOTAL"
        );
    }

    #[test]
    fn cli_booleans_and_strings() {
        let r = json!({"TableName": "My Table", "Key": {"id": {"S": "a"}}, "ConsistentRead": true});
        assert_eq!(
            aws_cli("GetItem", &r),
            "aws dynamodb get-item \\\n    --table-name 'My Table' \\\n    --consistent-read \\\n    \
             --key '{\"id\":{\"S\":\"a\"}}'"
        );
        let q = json!({"TableName": "T", "KeyConditionExpression": "pk = :p",
                       "ExpressionAttributeValues": {":p": {"S": "x"}}, "ScanIndexForward": false});
        assert_eq!(
            aws_cli("Query", &q),
            "aws dynamodb query \\\n    --table-name T \\\n    \
             --expression-attribute-values '{\":p\":{\"S\":\"x\"}}' \\\n    \
             --key-condition-expression 'pk = :p' \\\n    --no-scan-index-forward"
        );
    }

    #[test]
    fn cli_paginated_with_limit_uses_input_json() {
        let q = json!({"TableName": "T", "Limit": 2, "ExclusiveStartKey": {"pk": {"S": "it's"}}});
        assert_eq!(
            aws_cli("Scan", &q),
            "aws dynamodb scan \\\n    \
             --cli-input-json '{\"ExclusiveStartKey\":{\"pk\":{\"S\":\"it'\\''s\"}},\"Limit\":2,\"TableName\":\"T\"}' \\\n    \
             --no-paginate"
        );
        assert_eq!(
            aws_cli("ListTables", &json!({"Limit": 5})),
            "aws dynamodb list-tables \\\n    --cli-input-json '{\"Limit\":5}' \\\n    --no-paginate"
        );
        // Limit is a plain flag where the CLI does not paginate.
        assert_eq!(aws_cli("ListTables", &json!({})), "aws dynamodb list-tables");
    }

    #[test]
    fn boto3_put_item() {
        assert_eq!(
            boto3("PutItem", &put()),
            "import boto3\n\nclient = boto3.client(\"dynamodb\")\n\n\
             response = client.put_item(\n    \
             TableName='Music',\n    \
             Item={'Artist': {'S': 'Guns N\\' Roses'}, 'Year': {'N': '1987'}},\n    \
             ReturnConsumedCapacity='TOTAL',\n)\nprint(response)\n"
        );
    }

    #[test]
    fn boto3_literals() {
        let r = json!({"TableName": "T", "ConsistentRead": false, "Key": {"b": {"BOOL": true}, "n": {"NULL": true}},
                       "Limit": 10});
        assert_eq!(
            boto3("GetItem", &r),
            "import boto3\n\nclient = boto3.client(\"dynamodb\")\n\n\
             response = client.get_item(\n    TableName='T',\n    ConsistentRead=False,\n    \
             Key={'b': {'BOOL': True}, 'n': {'NULL': True}},\n    Limit=10,\n)\nprint(response)\n"
        );
        assert_eq!(python(&json!([null, "a\\b\n"])), "[None, 'a\\\\b\\n']");
        assert!(boto3("ListTables", &json!({})).contains("response = client.list_tables()\n"));
    }

    #[test]
    fn js_v3_put_item() {
        assert_eq!(
            js_v3("PutItem", &put()),
            "import { DynamoDBClient, PutItemCommand } from \"@aws-sdk/client-dynamodb\";\n\n\
             const client = new DynamoDBClient({});\n\n\
             const response = await client.send(new PutItemCommand({\n  \
             TableName: \"Music\",\n  \
             Item: { Artist: { S: \"Guns N' Roses\" }, Year: { N: \"1987\" } },\n  \
             ReturnConsumedCapacity: \"TOTAL\",\n}));\nconsole.log(response);\n"
        );
    }

    #[test]
    fn js_v3_quotes_keys_that_are_not_identifiers() {
        let q = json!({"TableName": "T", "ExpressionAttributeValues": {":p": {"S": "x"}}, "ScanIndexForward": true});
        let code = js_v3("Query", &q);
        assert!(code.contains("import { DynamoDBClient, QueryCommand }"), "{code}");
        assert!(code.contains("  ExpressionAttributeValues: { \":p\": { S: \"x\" } },\n"), "{code}");
        assert!(code.contains("  ScanIndexForward: true,\n"), "{code}");
        assert!(js_v3("ListTables", &json!({})).contains("new ListTablesCommand({}))"));
    }
}
