//! Code for a request: turns (operation, request JSON) — exactly what the UI sent to the engine —
//! into the same call as an AWS CLI command, boto3 code and AWS SDK for JavaScript v3 code, so a
//! learner can copy it into a terminal or a program. Platform-free (tested natively).
//!
//! Top-level parameters are written with `TableName` first and the rest in name order (the
//! request JSON is an unordered map; a stable order keeps snippets diffable).

use dynaplay_engine::ApiFamily;
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

/// The service an operation is sent to, as each SDK names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    DynamoDB,
    Streams,
}

impl Service {
    /// The AWS CLI command and the boto3 client name.
    fn cli(self) -> &'static str {
        match self {
            Service::DynamoDB => "dynamodb",
            Service::Streams => "dynamodbstreams",
        }
    }

    /// The JS SDK v3 package and client class.
    fn js(self) -> (&'static str, &'static str) {
        match self {
            Service::DynamoDB => ("@aws-sdk/client-dynamodb", "DynamoDBClient"),
            Service::Streams => ("@aws-sdk/client-dynamodb-streams", "DynamoDBStreamsClient"),
        }
    }
}

/// Which AWS service serves `operation` (its `family` in the engine's registry, `None` for a
/// name it does not know), or why no AWS client can send it: the playground's own operations
/// and unknown names have no AWS call, and code that pretended otherwise would fail (or call
/// something else) when the learner ran it.
fn service(operation: &str, family: Option<ApiFamily>) -> Result<Service, String> {
    match family {
        Some(ApiFamily::DynamoDB) => Ok(Service::DynamoDB),
        Some(ApiFamily::DynamoDBStreams) => Ok(Service::Streams),
        Some(_) => Err(format!(
            "{operation} is one of dynaplay's own operations: AWS has no such call, so there is no \
             AWS CLI, boto3 or SDK code for it. dynaplay-server serves it under \
             X-Amz-Target: Dynaplay.{operation}."
        )),
        None => Err(format!("{operation} is not a DynamoDB or DynamoDB Streams operation: no code to show.")),
    }
}

/// The family of `operation` in the engine's registry (what [`generate_for`] is told in the
/// page; the module loaded on demand, which must not link the registry, reads it from the
/// page's copy instead).
pub fn family(operation: &str) -> Option<ApiFamily> {
    dynaplay_engine::operation(operation).map(|spec| spec.family)
}

/// The snippet for `operation` with `request` in `language`, or why there is none (see
/// [`service`]).
pub fn generate(language: Language, operation: &str, request: &Value) -> Result<String, String> {
    generate_for(family(operation), language, operation, request)
}

/// [`generate`] for an operation of `family` (see [`family`]).
pub fn generate_for(
    family: Option<ApiFamily>,
    language: Language,
    operation: &str,
    request: &Value,
) -> Result<String, String> {
    let service = service(operation, family)?;
    Ok(match language {
        Language::AwsCli => aws_cli(service, operation, request),
        Language::Boto3 => boto3(service, operation, request),
        Language::JsV3 => js_v3(service, operation, request),
    })
}

/// Commands whose CLI form paginates automatically and hides these parameters.
const PAGINATED: &[(&str, &[&str])] = &[
    ("Query", &["Limit", "ExclusiveStartKey"]),
    ("Scan", &["Limit", "ExclusiveStartKey"]),
    ("ListTables", &["Limit", "ExclusiveStartTableName"]),
];

/// Whether the CLI can take `name` as a `--flag`: the API's member names are PascalCase
/// ASCII, which kebab-cases back to the same name. Anything else (a typo with a space, a
/// `$`, a non-ASCII letter) would become a flag the CLI does not know, or none at all.
fn cli_flag_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether the CLI would take string `s` as it is after `--flag`: it reads a value that starts
/// with `file://`, `fileb://` (or, if configured, a URL) from there instead. (The caller writes a value that starts with `-` as `--flag=-x`: as a separate word the CLI
/// would take it for a flag of its own).
fn cli_literal(s: &str) -> bool {
    !["file://", "fileb://", "http://", "https://"].iter().any(|p| s.starts_with(p))
}

/// `aws dynamodb <command> --flag value …` (`aws dynamodbstreams` for Streams), one flag per
/// line. A request the flags cannot carry exactly — the paginated commands' `Limit` and start
/// key, a member name that is not a flag, a string the CLI would read as a file name — is sent
/// whole as `--cli-input-json`, which the CLI passes on as it is.
fn aws_cli(service: Service, operation: &str, request: &Value) -> String {
    let command = format!("aws {} {}", service.cli(), kebab_case(operation));
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    let hidden = PAGINATED
        .iter()
        .find(|(op, _)| *op == operation)
        .is_some_and(|(_, names)| names.iter().any(|n| params.contains_key(*n)));
    let flags_fit =
        params.iter().all(|(name, value)| cli_flag_name(name) && value.as_str().is_none_or(cli_literal));
    let mut parts = vec![command];
    if hidden || !flags_fit {
        parts.push(format!("--cli-input-json {}", shell_quote(&compact(request))));
        if hidden {
            parts.push("--no-paginate".to_owned());
        }
    } else {
        for (name, value) in ordered(params) {
            let flag = kebab_case(name);
            parts.push(match value {
                Value::Bool(true) => format!("--{flag}"),
                Value::Bool(false) => format!("--no-{flag}"),
                Value::String(s) if s.starts_with('-') => format!("--{flag}={}", shell_word(s)),
                Value::String(s) => format!("--{flag} {}", shell_word(s)),
                Value::Number(n) => format!("--{flag} {n}"),
                other => format!("--{flag} {}", shell_quote(&compact(other))),
            });
        }
    }
    parts.join(" \\\n    ")
}

/// `client.<snake_case>(Name=value, …)` with Python literals. Member names that cannot be
/// keyword arguments (not an ASCII identifier, or a Python keyword) go in a `**{…}` dict.
fn boto3(service: Service, operation: &str, request: &Value) -> String {
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    let mut out = format!("import boto3\n\nclient = boto3.client(\"{}\")\n\n", service.cli());
    out.push_str(&format!("response = client.{}(", snake_case(operation)));
    if params.is_empty() {
        out.push(')');
    } else {
        out.push('\n');
        let (plain, other): (Vec<_>, Vec<_>) =
            ordered(params).into_iter().partition(|(k, _)| python_keyword_arg(k));
        for (name, value) in plain {
            out.push_str(&format!("    {name}={},\n", python(value)));
        }
        if !other.is_empty() {
            let dict: Vec<String> =
                other.iter().map(|(k, v)| format!("{}: {}", python_str(k), python(v))).collect();
            out.push_str(&format!("    **{{{}}},\n", dict.join(", ")));
        }
        out.push(')');
    }
    out.push_str("\nprint(response)\n");
    out
}

/// Python's keywords: not usable as names (`class=`, `None=` are syntax errors).
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Whether `name=` is a keyword argument naming exactly `name`. ASCII only: Python
/// normalises non-ASCII identifiers (NFKC), so `ﬁ=` would pass `fi`.
fn python_keyword_arg(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !PYTHON_KEYWORDS.contains(&name)
}

/// `await client.send(new <Operation>Command({…}))` with `@aws-sdk/client-dynamodb` (or
/// `@aws-sdk/client-dynamodb-streams`).
fn js_v3(service: Service, operation: &str, request: &Value) -> String {
    let command = format!("{operation}Command");
    let (package, client) = service.js();
    let empty = Map::new();
    let params = request.as_object().unwrap_or(&empty);
    let mut out = format!(
        "import {{ {client}, {command} }} from \"{package}\";\n\n\
         const client = new {client}({{}});\n\n\
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

/// An object literal's key for member `k`: bare when it is an ASCII identifier, else a JSON
/// string; `__proto__` computed (`["__proto__"]`), because as a plain or quoted key it sets
/// the object's prototype instead of making a member.
fn js_key(k: &str) -> String {
    let quoted = compact(&Value::String(k.to_owned()));
    if k == "__proto__" {
        return format!("[{quoted}]");
    }
    let ident = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        k.to_owned()
    } else {
        quoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cli(operation: &str, request: &Value) -> String {
        generate(Language::AwsCli, operation, request).unwrap()
    }

    fn py(operation: &str, request: &Value) -> String {
        generate(Language::Boto3, operation, request).unwrap()
    }

    fn jsv3(operation: &str, request: &Value) -> String {
        generate(Language::JsV3, operation, request).unwrap()
    }

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
            cli("PutItem", &put()),
            "aws dynamodb put-item \\\n    --table-name Music \\\n    \
             --item '{\"Artist\":{\"S\":\"Guns N'\\'' Roses\"},\"Year\":{\"N\":\"1987\"}}' \\\n    \
             --return-consumed-capacity TOTAL"
        );
    }

    #[test]
    fn cli_booleans_and_strings() {
        let r = json!({"TableName": "My Table", "Key": {"id": {"S": "a"}}, "ConsistentRead": true});
        assert_eq!(
            cli("GetItem", &r),
            "aws dynamodb get-item \\\n    --table-name 'My Table' \\\n    --consistent-read \\\n    \
             --key '{\"id\":{\"S\":\"a\"}}'"
        );
        let q = json!({"TableName": "T", "KeyConditionExpression": "pk = :p",
                       "ExpressionAttributeValues": {":p": {"S": "x"}}, "ScanIndexForward": false});
        assert_eq!(
            cli("Query", &q),
            "aws dynamodb query \\\n    --table-name T \\\n    \
             --expression-attribute-values '{\":p\":{\"S\":\"x\"}}' \\\n    \
             --key-condition-expression 'pk = :p' \\\n    --no-scan-index-forward"
        );
    }

    #[test]
    fn cli_paginated_with_limit_uses_input_json() {
        let q = json!({"TableName": "T", "Limit": 2, "ExclusiveStartKey": {"pk": {"S": "it's"}}});
        assert_eq!(
            cli("Scan", &q),
            "aws dynamodb scan \\\n    \
             --cli-input-json '{\"ExclusiveStartKey\":{\"pk\":{\"S\":\"it'\\''s\"}},\"Limit\":2,\"TableName\":\"T\"}' \\\n    \
             --no-paginate"
        );
        assert_eq!(
            cli("ListTables", &json!({"Limit": 5})),
            "aws dynamodb list-tables \\\n    --cli-input-json '{\"Limit\":5}' \\\n    --no-paginate"
        );
        // Limit is a plain flag where the CLI does not paginate.
        assert_eq!(cli("ListTables", &json!({})), "aws dynamodb list-tables");
    }

    #[test]
    fn boto3_put_item() {
        assert_eq!(
            py("PutItem", &put()),
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
            py("GetItem", &r),
            "import boto3\n\nclient = boto3.client(\"dynamodb\")\n\n\
             response = client.get_item(\n    TableName='T',\n    ConsistentRead=False,\n    \
             Key={'b': {'BOOL': True}, 'n': {'NULL': True}},\n    Limit=10,\n)\nprint(response)\n"
        );
        assert_eq!(python(&json!([null, "a\\b\n"])), "[None, 'a\\\\b\\n']");
        assert!(py("ListTables", &json!({})).contains("response = client.list_tables()\n"));
    }

    #[test]
    fn js_v3_put_item() {
        assert_eq!(
            jsv3("PutItem", &put()),
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
        let code = jsv3("Query", &q);
        assert!(code.contains("import { DynamoDBClient, QueryCommand }"), "{code}");
        assert!(code.contains("  ExpressionAttributeValues: { \":p\": { S: \"x\" } },\n"), "{code}");
        assert!(code.contains("  ScanIndexForward: true,\n"), "{code}");
        assert!(jsv3("ListTables", &json!({})).contains("new ListTablesCommand({}))"));
    }

    #[test]
    fn streams_operations_use_the_streams_client() {
        let r = json!({"ShardIterator": "it-1", "Limit": 10});
        assert_eq!(
            cli("GetRecords", &r),
            "aws dynamodbstreams get-records \\\n    --limit 10 \\\n    --shard-iterator it-1"
        );
        let code = py("DescribeStream", &json!({"StreamArn": "arn"}));
        assert!(code.contains("client = boto3.client(\"dynamodbstreams\")\n"), "{code}");
        assert!(code.contains("client.describe_stream(\n    StreamArn='arn',\n)"), "{code}");
        let code = jsv3("ListStreams", &json!({}));
        assert!(
            code.starts_with(
                "import { DynamoDBStreamsClient, ListStreamsCommand } from \"@aws-sdk/client-dynamodb-streams\";\n\n\
                 const client = new DynamoDBStreamsClient({});"
            ),
            "{code}"
        );
    }

    #[test]
    fn playground_and_unknown_operations_have_no_code() {
        for language in Language::ALL {
            let refused = generate(language, "PlaygroundDescribeTime", &json!({})).unwrap_err();
            assert!(refused.contains("dynaplay's own operations"), "{refused}");
            let refused = generate(language, "PutItems", &json!({"TableName": "T"})).unwrap_err();
            assert!(refused.starts_with("PutItems is not a DynamoDB"), "{refused}");
        }
    }

    #[test]
    fn cli_sends_names_that_are_not_flags_as_input_json() {
        let r = json!({"TableName": "T", "Table Name": "x"});
        assert_eq!(
            cli("DescribeTable", &r),
            "aws dynamodb describe-table \\\n    --cli-input-json '{\"Table Name\":\"x\",\"TableName\":\"T\"}'"
        );
        // A value the CLI would read from a file, and one it would take for a flag.
        assert!(
            cli("DescribeTable", &json!({"TableName": "file:///etc/passwd"})).contains("--cli-input-json")
        );
        assert_eq!(
            cli("DescribeTable", &json!({"TableName": "-t"})),
            "aws dynamodb describe-table \\\n    --table-name=-t"
        );
    }

    #[test]
    fn boto3_passes_names_that_are_not_keyword_arguments_in_a_dict() {
        let r = json!({"TableName": "T", "class": 1, "my-name": "x", "Naïve": true});
        let code = py("DescribeTable", &r);
        assert!(
            code.contains("    TableName='T',\n    **{'Naïve': True, 'class': 1, 'my-name': 'x'},\n)"),
            "{code}"
        );
    }

    #[test]
    fn js_v3_writes_proto_as_a_computed_key() {
        let r = json!({"TableName": "T", "Item": {"__proto__": {"S": "x"}, "a b": {"S": "y"}}});
        assert!(
            jsv3("PutItem", &r).contains("Item: { [\"__proto__\"]: { S: \"x\" }, \"a b\": { S: \"y\" } },")
        );
    }
}
