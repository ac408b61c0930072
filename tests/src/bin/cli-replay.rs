//! The browser's AWS CLI (`dynaplay_web::cli`), run natively on answers recorded from the real
//! AWS CLI: for the corpus check (`tests/clients/test_cli_corpus.py`), which runs each line of
//! `tests/cli/corpus.txt` through the AWS CLI against `dynaplay-server`, records every request
//! it sent and every answer it got, and then asks this program what the browser's CLI sends
//! and prints for the same line given the same answers.
//!
//! stdin: one JSON object a line, `{"line": "aws dynamodb …", "answers": [{"status": 200,
//! "body": "…"}, …]}`; stdout, a line for each: `{"requests": [{"target": "DynamoDB_20120810.Scan",
//! "body": {…}}, …], "stdout": "…", "error": null or {"message", "exit_code"}, "notes": […]}`.
//!
//! `cli-replay --operations` prints the operations the CLI runs, one a line; `cli-replay
//! --options` prints each command's options as JSON (`{"dynamodb scan": {"--table-name":
//! "TableName", …}}`), for the check that every request member is an option of the real CLI's.

use std::io::{BufRead, Write};

use dynaplay_engine::ApiFamily;
use dynaplay_web::cli::{self, Registry, Step};
use dynaplay_web::ui::codegen::kebab_case;
use serde_json::{json, Value};

fn main() {
    let arg = std::env::args().nth(1);
    match arg.as_deref() {
        Some("--operations") => {
            for op in Registry::from_engine().operations {
                println!("{}", op.name);
            }
        }
        Some("--options") => println!("{}", options()),
        _ => replay(),
    }
}

/// Each command's options and the member each sets, from the registry the parser reads: an
/// option is `--` and the member's name kebab-cased.
fn options() -> Value {
    let mut all = serde_json::Map::new();
    for op in Registry::from_engine().operations {
        let service = match (op.streams, op.scaling) {
            (true, _) => "dynamodbstreams",
            (_, true) => "application-autoscaling",
            _ => "dynamodb",
        };
        let members = op.members.iter().map(|m| (kebab_case(&m.name), Value::from(m.name.clone()))).collect();
        all.insert(format!("{service} {}", kebab_case(&op.name)), Value::Object(members));
    }
    Value::Object(all)
}

fn replay() {
    let registry = Registry::from_engine();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let input: Value = serde_json::from_slice(line.as_bytes()).expect("a JSON object a line");
        let text = input["line"].as_str().unwrap_or_default();
        let mut answers = input["answers"].as_array().cloned().unwrap_or_default().into_iter();
        let (commands, failure) = cli::commands(text, &registry);
        let mut requests = Vec::new();
        let mut stdout = String::new();
        let mut error = failure.as_ref().map(|f| json!({"message": f.message, "exit_code": f.exit_code}));
        let mut notes = Vec::new();
        'commands: for command in commands {
            notes.extend(command.notes.clone());
            let family = dynaplay_engine::operation(&command.operation).map(|o| o.family);
            let prefix = family.map_or("?", ApiFamily::target_prefix);
            let (mut run, mut call) = match cli::Run::start(command) {
                Ok(started) => started,
                Err(f) => {
                    error = Some(json!({"message": f.message, "exit_code": f.exit_code}));
                    break;
                }
            };
            loop {
                requests
                    .push(json!({"target": format!("{prefix}.{}", call.operation), "body": call.request}));
                let Some(answer) = answers.next() else {
                    error = Some(
                        json!({"message": "the AWS CLI sent fewer requests than this", "exit_code": -1}),
                    );
                    break 'commands;
                };
                let body = answer["body"].as_str().unwrap_or_default();
                let body: Value = if body.trim().is_empty() {
                    json!({})
                } else {
                    serde_json::from_slice(body.as_bytes()).unwrap_or(Value::Null)
                };
                let result = if answer["status"] == 200 { Ok(body) } else { Err(body) };
                match run.answer(result) {
                    Step::Send(next) => call = next,
                    Step::Done(Ok(text)) => {
                        stdout.push_str(&text);
                        break;
                    }
                    Step::Done(Err(f)) => {
                        error = Some(json!({"message": f.message, "exit_code": f.exit_code}));
                        break 'commands;
                    }
                }
            }
        }
        let report = json!({"requests": requests, "stdout": stdout, "error": error, "notes": notes});
        writeln!(out, "{report}").expect("stdout");
        out.flush().expect("stdout");
    }
}
