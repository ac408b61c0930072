//! The code the UI shows for a request runs, and sends that request exactly — for member names
//! that are not identifiers in any of the three languages (spaces, quotes, dashes, `$`,
//! keywords, `__proto__`, non-ASCII, control characters, shell syntax).
//!
//! Each snippet runs for real against a stand-in for its client that prints what it was asked
//! to send: boto3 through `python3` with a fake `boto3` module, the JS SDK through `node` with
//! fake `@aws-sdk/client-dynamodb{,-streams}` packages, the AWS CLI through `sh` with `aws` a
//! function that prints its arguments. What each printed must equal the request. Needs
//! `python3`, `node` and `sh` on PATH (`scripts/test.sh` needs them too).
#![cfg(not(target_arch = "wasm32"))]
// Test code never ships: the bundle rules do not bind it.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};
use std::process::Command;

use dynaplay_engine::{ApiFamily, OPERATIONS};
use dynaplay_web::ui::codegen::{generate, kebab_case, Language};
use serde_json::{json, Map, Value};

/// Member names that are no identifier somewhere.
const AWKWARD: &[&str] = &[
    "my attr",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "dash-ed",
    "$dollar",
    "${HOME}",
    "$(echo pwned)",
    "`echo pwned`",
    "class",
    "None",
    "True",
    "function",
    "__proto__",
    "constructor",
    "1st",
    "naïve",
    "ﬁle",
    "日本語",
    "emoji 🎉",
    "line\nbreak",
    "tab\there",
    "nul\u{0}byte",
    "sep\u{2028}arator",
    "",
];

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dynaplay-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, path: &str, text: &str) -> PathBuf {
        let file = self.0.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a program and returns its standard output; fails the test with its stderr otherwise.
fn run(command: &mut Command, code: &str) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed on\n{code}\n--- stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A request for each kind of operation, with awkward names everywhere names go.
fn requests() -> Vec<(&'static str, Value)> {
    let mut item = Map::new();
    item.insert("pk".into(), json!({"S": "key"}));
    let mut names = Map::new();
    let mut values = Map::new();
    for (i, name) in AWKWARD.iter().enumerate() {
        item.insert((*name).into(), json!({"S": format!("value of {name}")}));
        names.insert(format!("#n{i}"), json!(name));
        values.insert(format!(":v{i}"), json!({"S": name}));
    }
    let put = json!({"TableName": "T", "Item": item, "ExpressionAttributeNames": names,
                     "ConditionExpression": "attribute_not_exists(#n0)"});
    let update = json!({"TableName": "my-table.v2", "Key": {"pk": {"S": "it's"}},
                        "UpdateExpression": "SET #n1 = :v1", "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values, "ReturnValues": "ALL_NEW"});
    let query = json!({"TableName": "T", "KeyConditionExpression": "pk = :v0", "Limit": 5,
                       "ExpressionAttributeValues": values, "ScanIndexForward": false});
    let mut odd_top = Map::new();
    odd_top.insert("TableName".into(), json!("-dash first"));
    for name in AWKWARD {
        odd_top.insert((*name).into(), json!(name));
    }
    vec![
        ("PutItem", put),
        ("UpdateItem", update),
        ("Query", query),
        ("DescribeTable", Value::Object(odd_top)),
        ("DescribeTable", json!({"TableName": "file://secrets"})),
        ("GetRecords", json!({"ShardIterator": "arn:aws:dynamodb:x|1|AAA", "Limit": 100})),
        ("ListTables", json!({})),
    ]
}

const FAKE_BOTO3: &str = r#"
import json
class _Client:
    def __init__(self, service):
        self.service = service
    def __getattr__(self, operation):
        def call(**params):
            print(json.dumps({"service": self.service, "operation": operation, "params": params}))
        return call
def client(service):
    return _Client(service)
"#;

#[test]
fn boto3_code_sends_the_request_as_is() {
    let dir = Scratch::new("boto3");
    dir.write("boto3.py", FAKE_BOTO3);
    for (operation, request) in requests() {
        let code = generate(Language::Boto3, operation, &request).unwrap();
        let file = dir.write("snippet.py", &code);
        let out = run(Command::new("python3").arg(&file).env("PYTHONPATH", &dir.0), &code);
        let sent: Value = serde_json::from_str(out.lines().next().unwrap_or_default()).unwrap();
        let service = if operation == "GetRecords" { "dynamodbstreams" } else { "dynamodb" };
        assert_eq!(sent["service"], service, "{code}");
        assert_eq!(sent["operation"], kebab_case(operation).replace('-', "_"), "{code}");
        assert_eq!(sent["params"], request, "{code}");
    }
}

/// A fake SDK package: the client prints the command's name and input.
fn fake_sdk(dir: &Scratch, package: &str, client: &str, family: ApiFamily) {
    let mut js = format!(
        "export class {client} {{ async send(command) {{ \
         console.log(JSON.stringify({{ client: \"{client}\", command: command.constructor.name, input: command.input }})); \
         return {{}}; }} }}\n"
    );
    for spec in OPERATIONS.iter().filter(|s| s.family == family) {
        js.push_str(&format!(
            "export class {0}Command {{ constructor(input) {{ this.input = input; }} }}\n",
            spec.name
        ));
    }
    dir.write(&format!("node_modules/{package}/index.js"), &js);
    dir.write(
        &format!("node_modules/{package}/package.json"),
        &format!("{{\"name\": \"{package}\", \"type\": \"module\", \"main\": \"index.js\"}}"),
    );
}

#[test]
fn js_v3_code_sends_the_request_as_is() {
    let dir = Scratch::new("js");
    fake_sdk(&dir, "@aws-sdk/client-dynamodb", "DynamoDBClient", ApiFamily::DynamoDB);
    fake_sdk(&dir, "@aws-sdk/client-dynamodb-streams", "DynamoDBStreamsClient", ApiFamily::DynamoDBStreams);
    for (operation, request) in requests() {
        let code = generate(Language::JsV3, operation, &request).unwrap();
        let file = dir.write("snippet.mjs", &code);
        let out = run(Command::new("node").arg(&file), &code);
        let sent: Value = serde_json::from_str(out.lines().next().unwrap_or_default()).unwrap();
        let client = if operation == "GetRecords" { "DynamoDBStreamsClient" } else { "DynamoDBClient" };
        assert_eq!(sent["client"], client, "{code}");
        assert_eq!(sent["command"], format!("{operation}Command"), "{code}");
        assert_eq!(sent["input"], request, "{code}");
    }
}

/// What the AWS CLI would send for these arguments (`aws <service> <command> …`), read the
/// CLI's way: `--cli-input-json` is the request; otherwise each `--flag value` (or
/// `--flag=value`) is a member, JSON when the member is a structure or list, `--flag` and
/// `--no-flag` booleans. Members come back under their kebab-case flag names.
fn cli_request(args: &[String], request: &Value) -> (String, String, Value) {
    let (service, command) = (args[0].clone(), args[1].clone());
    let mut sent = Map::new();
    let mut rest = args[2..].iter();
    while let Some(arg) = rest.next() {
        let flag = arg.strip_prefix("--").unwrap_or_else(|| panic!("not a flag: {arg:?}"));
        if flag == "no-paginate" {
            continue;
        }
        let (flag, value) = match flag.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (flag.to_owned(), None),
        };
        if flag == "cli-input-json" {
            let text = value.or_else(|| rest.next().cloned()).unwrap();
            return (service, command, serde_json::from_str(&text).unwrap());
        }
        let member = request
            .as_object()
            .unwrap()
            .iter()
            .find(|(name, _)| [kebab_case(name), format!("no-{}", kebab_case(name))].contains(&flag))
            .unwrap_or_else(|| panic!("--{flag} names no member of {request}"));
        let value = match member.1 {
            Value::Bool(_) => json!(!flag.starts_with("no-")),
            Value::String(_) => json!(value.or_else(|| rest.next().cloned()).unwrap()),
            Value::Number(_) => {
                serde_json::from_str(&value.or_else(|| rest.next().cloned()).unwrap()).unwrap()
            }
            _ => serde_json::from_str(&value.or_else(|| rest.next().cloned()).unwrap()).unwrap(),
        };
        sent.insert(kebab_case(member.0), value);
    }
    (service, command, Value::Object(sent))
}

#[test]
fn cli_code_sends_the_request_as_is() {
    let dir = Scratch::new("cli");
    let argv = dir.write("argv.py", "import json, sys\nprint(json.dumps(sys.argv[1:]))\n");
    let mut hidden = 0;
    for (operation, request) in requests() {
        let code = generate(Language::AwsCli, operation, &request).unwrap();
        let script = format!("aws() {{ python3 {} \"$@\"; }}\n{code}\n", argv.display());
        let out = run(Command::new("sh").arg("-c").arg(&script), &code);
        let args: Vec<String> = serde_json::from_str(out.trim()).unwrap();
        let (service, command, sent) = cli_request(&args, &request);
        assert_eq!(service, if operation == "GetRecords" { "dynamodbstreams" } else { "dynamodb" }, "{code}");
        assert_eq!(command, kebab_case(operation), "{code}");
        if code.contains("--cli-input-json") {
            hidden += 1;
            assert_eq!(sent, request, "{code}");
        } else {
            let by_flag: Map<String, Value> =
                request.as_object().unwrap().iter().map(|(k, v)| (kebab_case(k), v.clone())).collect();
            assert_eq!(sent, Value::Object(by_flag), "{code}");
        }
    }
    // The paginated Query, the odd top-level names and the file:// table name.
    assert_eq!(hidden, 3);
}

#[test]
fn the_stand_ins_catch_a_wrong_snippet() {
    // The checks above would pass vacuously if the stand-ins printed whatever they got
    // without the snippet running: an unquoted name must fail here.
    let dir = Scratch::new("negative");
    dir.write("boto3.py", FAKE_BOTO3);
    let code = "import boto3\nboto3.client('dynamodb').put_item(my attr=1)\n";
    let file = dir.write("bad.py", code);
    let out = Command::new("python3").arg(&file).env("PYTHONPATH", &dir.0).output().unwrap();
    assert!(!out.status.success(), "python3 accepted {code}");
    let file: &Path = &dir.write("bad.mjs", "const x = { my attr: 1 };\n");
    assert!(!Command::new("node").arg(file).output().unwrap().status.success());
}
