//! Running a command as the AWS CLI runs it, one request at a time: a host sends each
//! [`Call`] to its engine and hands the answer back ([`Run::answer`]) until the run is
//! [`Step::Done`] with the text the CLI prints. Platform-free, so the browser and the native
//! corpus check drive the same steps.
//!
//! - A plain command is one request; its answer is printed (`output.rs`) or its error is the
//!   CLI's line: `An error occurred (ResourceNotFoundException) when calling the GetItem
//!   operation: Requested resource not found`.
//! - A paginated command (`scan`, `query`, `list-tables`, `list-tags-of-resource`) follows
//!   the last evaluated key page after page and prints the pages merged, as the CLI's
//!   paginator does: `Items` joined, `Count` and `ScannedCount` summed, the first page's
//!   `ConsumedCapacity` (null when there was none), `--page-size` as each request's `Limit`,
//!   and `--max-items` cutting the output with a `NextToken` that `--starting-token` resumes
//!   from (the CLI's own token: base64 of its JSON). `--no-paginate`, or setting `--limit` or
//!   the start key by hand, sends one request.
//! - `aws dynamodb wait …` polls as the CLI's waiter does and prints nothing once it is met.

use serde_json::{Map, Value};

use super::args::{Command, PageOptions};
use super::output;
use super::Failure;

/// A request to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The operation.
    pub operation: String,
    /// Its request.
    pub request: Value,
    /// How long the CLI would wait before sending it (a waiter's delay between polls).
    pub delay_ms: u32,
}

/// What a run does next.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Send this and pass the answer to [`Run::answer`].
    Send(Call),
    /// Finished: what the CLI prints on stdout, or its error.
    Done(Result<String, Failure>),
}

/// A command's pagination as the CLI's paginator configures it.
#[derive(Debug)]
pub(super) struct Paginator {
    operation: &'static str,
    pub(super) input_token: &'static str,
    output_token: &'static str,
    pub(super) limit_key: Option<&'static str>,
    result_keys: &'static [&'static str],
    non_aggregate_keys: &'static [&'static str],
}

/// The paginated commands among the operations dynaplay serves (botocore's paginators).
static PAGINATORS: &[Paginator] = &[
    Paginator {
        operation: "ListTables",
        input_token: "ExclusiveStartTableName",
        output_token: "LastEvaluatedTableName",
        limit_key: Some("Limit"),
        result_keys: &["TableNames"],
        non_aggregate_keys: &[],
    },
    Paginator {
        operation: "Query",
        input_token: "ExclusiveStartKey",
        output_token: "LastEvaluatedKey",
        limit_key: Some("Limit"),
        result_keys: &["Items", "Count", "ScannedCount"],
        non_aggregate_keys: &["ConsumedCapacity"],
    },
    Paginator {
        operation: "Scan",
        input_token: "ExclusiveStartKey",
        output_token: "LastEvaluatedKey",
        limit_key: Some("Limit"),
        result_keys: &["Items", "Count", "ScannedCount"],
        non_aggregate_keys: &["ConsumedCapacity"],
    },
    Paginator {
        operation: "ListTagsOfResource",
        input_token: "NextToken",
        output_token: "NextToken",
        limit_key: None,
        result_keys: &["Tags"],
        non_aggregate_keys: &[],
    },
];

/// The paginator of `operation`, if the CLI paginates it.
pub(super) fn paginator(operation: &str) -> Option<&'static Paginator> {
    PAGINATORS.iter().find(|p| p.operation == operation)
}

/// A waiter's acceptor: what it matches, and the state a match means.
#[derive(Debug)]
struct Acceptor {
    state: &'static str,
    /// `Some(path)`: the response's value at `path` equals `expected`; `None`: the error
    /// code is `expected`.
    path: Option<&'static str>,
    expected: &'static str,
}

/// An `aws dynamodb wait` subcommand (botocore's waiters for the operations served).
#[derive(Debug)]
pub(super) struct Waiter {
    pub(super) command: &'static str,
    name: &'static str,
    pub(super) operation: &'static str,
    delay_s: u32,
    max_attempts: u32,
    acceptors: &'static [Acceptor],
}

pub(super) static WAITERS: &[Waiter] = &[
    Waiter {
        command: "contributor-insights-enabled",
        name: "ContributorInsightsEnabled",
        operation: "DescribeContributorInsights",
        delay_s: 20,
        max_attempts: 30,
        acceptors: &[
            Acceptor { state: "success", path: Some("ContributorInsightsStatus"), expected: "ENABLED" },
            Acceptor { state: "failure", path: Some("ContributorInsightsStatus"), expected: "FAILED" },
        ],
    },
    Waiter {
        command: "table-exists",
        name: "TableExists",
        operation: "DescribeTable",
        delay_s: 20,
        max_attempts: 25,
        acceptors: &[
            Acceptor { state: "success", path: Some("Table.TableStatus"), expected: "ACTIVE" },
            Acceptor { state: "retry", path: None, expected: "ResourceNotFoundException" },
        ],
    },
    Waiter {
        command: "table-not-exists",
        name: "TableNotExists",
        operation: "DescribeTable",
        delay_s: 20,
        max_attempts: 25,
        acceptors: &[Acceptor { state: "success", path: None, expected: "ResourceNotFoundException" }],
    },
];

/// The waiter of `aws dynamodb wait <command>`.
pub(super) fn waiter(command: &str) -> Option<&'static Waiter> {
    WAITERS.iter().find(|w| w.command == command)
}

impl Acceptor {
    fn explanation(&self) -> String {
        match self.path {
            Some(path) => {
                format!("For expression \"{path}\" we matched expected path: \"{}\"", self.expected)
            }
            None => format!("Matched expected service error code: {}", self.expected),
        }
    }

    fn matches(&self, answer: &Result<Value, Value>) -> bool {
        match (self.path, answer) {
            (Some(path), Ok(v)) => {
                path.split('.').try_fold(v, |v, k| v.get(k)) == Some(&Value::from(self.expected))
            }
            (None, Err(e)) => error_code(e) == self.expected,
            _ => false,
        }
    }
}

/// What the command does around its request.
#[derive(Debug)]
pub(super) enum Plan {
    Single,
    Pages(Paging),
    Wait(&'static Waiter),
}

/// A paginated command's progress.
#[derive(Debug)]
pub(super) struct Paging {
    paginator: &'static Paginator,
    options: PageOptions,
    /// The start of the page being read (`{input token: value or null}`).
    next_token: Value,
    /// Items to skip from the first page (a `--starting-token` that cut a page).
    skip: usize,
    total_items: usize,
    first: bool,
    /// The token the previous page ended with: the same one twice is an endless loop.
    previous: Option<Value>,
    /// The merged result, in the order its members were first set.
    merged: Vec<(&'static str, Value)>,
    non_aggregate: Vec<(&'static str, Value)>,
}

impl Paging {
    pub(super) fn new(paginator: &'static Paginator, options: PageOptions) -> Self {
        let next_token = Value::Object(Map::from_iter([(paginator.input_token.to_owned(), Value::Null)]));
        Paging {
            paginator,
            options,
            next_token,
            skip: 0,
            total_items: 0,
            first: true,
            previous: None,
            merged: Vec::new(),
            non_aggregate: Vec::new(),
        }
    }
}

/// One command on its way through its requests.
#[derive(Debug)]
pub struct Run {
    command: Command,
    attempts: u32,
    /// The waiter's acceptor that matched last.
    matched: Option<usize>,
}

impl Run {
    /// Starts `command`: the run and its first request (or the command's failure, for a
    /// `--starting-token` that is not one).
    pub fn start(mut command: Command) -> Result<(Run, Call), Failure> {
        if let Plan::Pages(p) = &mut command.plan {
            if let Some(token) = &p.options.starting_token {
                let (start, skip) = decode_token(token, p.paginator.input_token)?;
                p.skip = skip;
                p.next_token = start;
                inject(&mut command.request, &p.next_token);
            }
            if let (Some(size), Some(key)) = (p.options.page_size, p.paginator.limit_key) {
                command.request[key] = Value::from(size);
            }
        }
        let call =
            Call { operation: command.operation.clone(), request: command.request.clone(), delay_ms: 0 };
        Ok((Run { command, attempts: 0, matched: None }, call))
    }

    /// The command being run.
    pub fn command(&self) -> &Command {
        &self.command
    }

    /// Takes the answer to the last [`Call`] (a response, or a DynamoDB error body).
    pub fn answer(&mut self, answer: Result<Value, Value>) -> Step {
        let operation = self.command.operation.clone();
        let operation = operation.as_str();
        match &mut self.command.plan {
            Plan::Single => Step::Done(match answer {
                Ok(v) => Ok(output::print(operation, &v)),
                Err(e) => Err(service_error(operation, &e)),
            }),
            Plan::Wait(w) => {
                self.attempts += 1;
                let w: &'static Waiter = w;
                let now = w.acceptors.iter().position(|a| a.matches(&answer));
                let failed = |reason: String| {
                    Step::Done(Err(Failure::error(format!("Waiter {} failed: {reason}", w.name))))
                };
                let Some(i) = now else {
                    if let Err(e) = &answer {
                        return failed(format!(
                            "An error occurred ({}): {}",
                            error_code(e),
                            error_message(e)
                        ));
                    }
                    if self.attempts >= w.max_attempts {
                        return failed(match self.matched {
                            None => "Max attempts exceeded".to_owned(),
                            // The CLI names the acceptor its loop looked at last.
                            Some(_) => format!(
                                "Max attempts exceeded. Previously accepted state: {}",
                                w.acceptors[w.acceptors.len() - 1].explanation()
                            ),
                        });
                    }
                    return self.again(w.delay_s);
                };
                self.matched = Some(i);
                let acceptor = &w.acceptors[i];
                match acceptor.state {
                    "success" => Step::Done(Ok(String::new())),
                    "failure" => failed(format!(
                        "Waiter encountered a terminal failure state: {}",
                        acceptor.explanation()
                    )),
                    _ if self.attempts >= w.max_attempts => failed(format!(
                        "Max attempts exceeded. Previously accepted state: {}",
                        acceptor.explanation()
                    )),
                    _ => self.again(w.delay_s),
                }
            }
            Plan::Pages(p) => match answer {
                Err(e) => Step::Done(Err(service_error(operation, &e))),
                Ok(page) => match page_answered(p, page) {
                    Ok(None) => Step::Send(Call {
                        operation: operation.to_owned(),
                        request: {
                            inject(&mut self.command.request, &p.next_token);
                            self.command.request.clone()
                        },
                        delay_ms: 0,
                    }),
                    Ok(Some(())) => {
                        let members: Vec<(&str, &Value)> =
                            p.merged.iter().chain(&p.non_aggregate).map(|(k, v)| (*k, v)).collect();
                        Step::Done(Ok(output::print_members(operation, &members)))
                    }
                    Err(f) => Step::Done(Err(f)),
                },
            },
        }
    }

    fn again(&self, delay_s: u32) -> Step {
        Step::Send(Call {
            operation: self.command.operation.clone(),
            request: self.command.request.clone(),
            delay_ms: delay_s * 1000,
        })
    }
}

/// The code of a DynamoDB error body: its `__type` after the `#`.
fn error_code(e: &Value) -> &str {
    let t = e["__type"].as_str().unwrap_or("Unknown");
    t.rsplit('#').next().unwrap_or(t)
}

fn error_message(e: &Value) -> &str {
    e["message"].as_str().or_else(|| e["Message"].as_str()).unwrap_or("")
}

/// The CLI's line for a service error.
pub fn service_error(operation: &str, e: &Value) -> Failure {
    Failure::error(format!(
        "An error occurred ({}) when calling the {operation} operation: {}",
        error_code(e),
        error_message(e)
    ))
}

/// Sets (or, for a null, removes) the input token members in `request`.
fn inject(request: &mut Value, token: &Value) {
    let (Value::Object(request), Value::Object(token)) = (request, token) else { return };
    for (k, v) in token {
        if v.is_null() || v == "None" {
            request.remove(k);
        } else {
            request.insert(k.clone(), v.clone());
        }
    }
}

/// Folds one page into the merged result as the CLI's paginator does. `Ok(None)`: send the
/// next page; `Ok(Some(()))`: done; `Err`: the paginator's own error.
fn page_answered(p: &mut Paging, mut page: Value) -> Result<Option<()>, Failure> {
    let primary = p.paginator.result_keys[0];
    if p.first {
        p.first = false;
        if p.skip > 0 {
            if let Some(Value::Array(items)) = page.get_mut(primary) {
                items.drain(..p.skip.min(items.len()));
            }
        }
        for key in p.paginator.non_aggregate_keys {
            p.non_aggregate.push((key, page.get(*key).cloned().unwrap_or(Value::Null)));
        }
    } else {
        p.skip = 0;
    }
    let count = page.get(primary).and_then(Value::as_array).map_or(0, Vec::len);
    let truncate = p.options.max_items.map_or(0, |max| p.total_items as i64 + count as i64 - max);
    if truncate > 0 {
        // A --max-items of 0 or less gives a negative count to keep: Python's slice then
        // counts from the end, as here (the CLI warns the result is undefined).
        let keep = count as i64 - truncate;
        let kept = if keep >= 0 { keep } else { (count as i64 + keep).max(0) };
        if let Some(Value::Array(items)) = page.get_mut(primary) {
            items.truncate(kept as usize);
        }
        merge(p, &page);
        p.next_token["boto_truncate_amount"] = Value::from(keep + p.skip as i64);
        let token = encode_token(&p.next_token);
        p.non_aggregate.push(("NextToken", Value::String(token)));
        return Ok(Some(()));
    }
    merge(p, &page);
    p.total_items += count;
    let next = page.get(p.paginator.output_token).filter(|v| truthy(v)).cloned().unwrap_or(Value::Null);
    let mut next_token = Map::new();
    next_token.insert(p.paginator.input_token.to_owned(), next);
    let next_token = Value::Object(next_token);
    if next_token[p.paginator.input_token].is_null() {
        return Ok(Some(()));
    }
    if p.options.max_items.is_some_and(|max| p.total_items as i64 == max) {
        p.non_aggregate.push(("NextToken", Value::String(encode_token(&next_token))));
        return Ok(Some(()));
    }
    if p.previous.as_ref() == Some(&next_token) {
        return Err(Failure::error(format!(
            "Error during pagination: The same next token was received twice: {}",
            python_dumps(&next_token, false)
        )));
    }
    p.previous = Some(next_token.clone());
    p.next_token = next_token;
    Ok(None)
}

/// Python's truth: an empty string, list or map is false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// The CLI's `build_full_result` for one page: lists extended, numbers summed, the first
/// value of anything else kept.
fn merge(p: &mut Paging, page: &Value) {
    for key in p.paginator.result_keys {
        let Some(value) = page.get(*key).filter(|v| !v.is_null()) else { continue };
        match p.merged.iter_mut().find(|(k, _)| k == key) {
            None => p.merged.push((key, value.clone())),
            Some((_, Value::Array(existing))) => {
                if let Value::Array(more) = value {
                    existing.extend(more.iter().cloned());
                }
            }
            Some((_, existing @ Value::Number(_))) => {
                if let (Some(a), Some(b)) = (existing.as_i64(), value.as_i64()) {
                    *existing = Value::from(a + b);
                }
            }
            Some(_) => {}
        }
    }
}

/// The CLI's pagination token: base64 of `json.dumps(token)`.
fn encode_token(token: &Value) -> String {
    dynaplay_engine::types::base64::encode(python_dumps(token, true).as_bytes())
}

/// A `--starting-token` read back: the start members and the items to skip.
fn decode_token(token: &str, input_token: &str) -> Result<(Value, usize), Failure> {
    let bad = || Failure::error(format!("Error during pagination: Bad starting token: {token}"));
    let bytes = dynaplay_engine::types::base64::decode(token).ok_or_else(bad)?;
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&bytes) else { return Err(bad()) };
    let skip = map.remove("boto_truncate_amount").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
    if map.len() != 1 || !map.contains_key(input_token) {
        return Err(bad());
    }
    Ok((Value::Object(map), skip))
}

/// Python's `json.dumps(value)`: `", "` and `": "` between items, and with `ascii` every
/// character past ASCII as a `\uXXXX` escape.
fn python_dumps(value: &Value, ascii: bool) -> String {
    match value {
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", python_string(k, ascii), python_dumps(v, ascii)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(|v| python_dumps(v, ascii)).collect::<Vec<_>>().join(", "))
        }
        Value::String(s) => python_string(s, ascii),
        Value::Number(n) => output::python_number(n),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
    }
}

fn python_string(s: &str, ascii: bool) -> String {
    let text = Value::from(s).to_string();
    if !ascii || s.is_ascii() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(line: &str) -> Command {
        let registry = super::super::schema::Registry::from_engine();
        super::super::parse(&super::super::words::commands(line).unwrap().remove(0), &registry).unwrap()
    }

    fn start(line: &str) -> (Run, Call) {
        Run::start(parsed(line)).unwrap()
    }

    fn item(n: u32) -> Value {
        json!({"k": {"S": format!("{n}")}})
    }

    fn page(items: &[u32], last: Option<u32>) -> Value {
        let mut p = json!({"Items": items.iter().map(|&n| item(n)).collect::<Vec<_>>(), "Count": items.len(), "ScannedCount": items.len() + 1});
        if let Some(n) = last {
            p["LastEvaluatedKey"] = item(n);
        }
        p
    }

    fn done(step: Step) -> Result<Value, Failure> {
        match step {
            Step::Done(Ok(text)) => Ok(serde_json::from_slice(text.as_bytes()).unwrap_or(Value::Null)),
            Step::Done(Err(f)) => Err(f),
            Step::Send(call) => panic!("still running: {call:?}"),
        }
    }

    fn next(step: Step) -> Call {
        match step {
            Step::Send(call) => call,
            Step::Done(d) => panic!("finished: {d:?}"),
        }
    }

    #[test]
    fn pages_are_followed_and_merged() {
        let (mut run, first) = start("aws dynamodb scan --table-name T --page-size 2");
        assert_eq!(first.request, json!({"TableName": "T", "Limit": 2}));
        let second = next(run.answer(Ok(page(&[1, 2], Some(2)))));
        assert_eq!(second.request, json!({"TableName": "T", "Limit": 2, "ExclusiveStartKey": item(2)}));
        let out = done(run.answer(Ok(page(&[3], None)))).unwrap();
        assert_eq!(
            out,
            json!({"Items": [item(1), item(2), item(3)], "Count": 3, "ScannedCount": 5, "ConsumedCapacity": null})
        );
    }

    #[test]
    fn max_items_cuts_the_output_and_its_token_resumes_there() {
        let (mut run, _) = start("aws dynamodb scan --table-name T --max-items 3");
        let _ = next(run.answer(Ok(page(&[1, 2], Some(2)))));
        let out = done(run.answer(Ok(page(&[3, 4], Some(4))))).unwrap();
        assert_eq!(out["Items"], json!([item(1), item(2), item(3)]));
        // The CLI's own token: the page's start and how many of its items were shown.
        let token = out["NextToken"].as_str().unwrap();
        let text = String::from_utf8(dynaplay_engine::types::base64::decode(token).unwrap()).unwrap();
        assert_eq!(text, r#"{"ExclusiveStartKey": {"k": {"S": "2"}}, "boto_truncate_amount": 1}"#);
        let (mut resumed, first) =
            start(&format!("aws dynamodb scan --table-name T --starting-token {token}"));
        assert_eq!(first.request, json!({"TableName": "T", "ExclusiveStartKey": item(2)}));
        let out = done(resumed.answer(Ok(page(&[3, 4], None)))).unwrap();
        assert_eq!(out["Items"], json!([item(4)]));
    }

    #[test]
    fn a_page_that_ends_at_max_items_hands_on_its_last_key() {
        let (mut run, _) = start("aws dynamodb scan --table-name T --max-items 2");
        let out = done(run.answer(Ok(page(&[1, 2], Some(2))))).unwrap();
        let token = dynaplay_engine::types::base64::decode(out["NextToken"].as_str().unwrap()).unwrap();
        assert_eq!(String::from_utf8(token).unwrap(), r#"{"ExclusiveStartKey": {"k": {"S": "2"}}}"#);
        // Non-ASCII goes into the token as `\u` escapes, as Python's json.dumps writes it.
        assert_eq!(python_dumps(&json!({"a": "é😀"}), true), r#"{"a": "\u00e9\ud83d\ude00"}"#);
    }

    #[test]
    fn manual_paging_and_no_paginate_send_one_request() {
        for line in
            ["aws dynamodb scan --table-name T --limit 1", "aws dynamodb scan --table-name T --no-paginate"]
        {
            let (mut run, _) = start(line);
            let out = done(run.answer(Ok(page(&[1], Some(1))))).unwrap();
            assert_eq!(out["LastEvaluatedKey"], item(1), "{line}");
        }
        let bad = parsed("aws dynamodb scan --table-name T --starting-token x");
        assert_eq!(Run::start(bad).unwrap_err().message, "Error during pagination: Bad starting token: x");
    }

    #[test]
    fn a_max_items_below_one_cuts_as_python_slices() {
        let (mut run, _) = start("aws dynamodb scan --table-name T --max-items -1");
        let out = done(run.answer(Ok(page(&[1, 2, 3], Some(3))))).unwrap();
        assert_eq!(out["Items"], json!([item(1), item(2)]));
        let (mut run, _) = start("aws dynamodb scan --table-name T --max-items -9");
        assert_eq!(done(run.answer(Ok(page(&[1], None)))).unwrap()["Items"], json!([]));
    }

    #[test]
    fn the_same_token_twice_stops_the_paginator() {
        let (mut run, _) = start("aws dynamodb list-tables");
        let _ = next(run.answer(Ok(json!({"TableNames": ["a"], "LastEvaluatedTableName": "a"}))));
        let err =
            done(run.answer(Ok(json!({"TableNames": ["a"], "LastEvaluatedTableName": "a"})))).unwrap_err();
        assert_eq!(
            err.message,
            r#"Error during pagination: The same next token was received twice: {"ExclusiveStartTableName": "a"}"#
        );
    }

    #[test]
    fn service_errors_are_the_cli_line() {
        let (mut run, _) = start("aws dynamodb get-item --table-name T --key k={S=a}");
        let err = done(run.answer(Err(json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "Requested resource not found"})))).unwrap_err();
        assert_eq!(err.message, "An error occurred (ResourceNotFoundException) when calling the GetItem operation: Requested resource not found");
        assert_eq!(err.exit_code, 255);
    }

    #[test]
    fn waiters_poll_until_their_state_and_print_nothing() {
        let (mut run, first) = start("aws dynamodb wait table-exists --table-name T");
        assert_eq!((first.operation.as_str(), first.delay_ms), ("DescribeTable", 0));
        let not_found = json!({"__type": "x#ResourceNotFoundException", "message": "no"});
        assert_eq!(next(run.answer(Err(not_found.clone()))).delay_ms, 20_000);
        assert_eq!(next(run.answer(Ok(json!({"Table": {"TableStatus": "CREATING"}})))).delay_ms, 20_000);
        assert_eq!(
            run.answer(Ok(json!({"Table": {"TableStatus": "ACTIVE"}}))),
            Step::Done(Ok(String::new()))
        );
        // Gone: met at once; an unexpected error ends the wait.
        let (mut gone, _) = start("aws dynamodb wait table-not-exists --table-name T");
        assert_eq!(gone.answer(Err(not_found)), Step::Done(Ok(String::new())));
        let (mut denied, _) = start("aws dynamodb wait table-exists --table-name T");
        let err =
            done(denied.answer(Err(json!({"__type": "x#AccessDeniedException", "message": "read-only"}))))
                .unwrap_err();
        assert_eq!(
            err.message,
            "Waiter TableExists failed: An error occurred (AccessDeniedException): read-only"
        );
    }

    #[test]
    fn a_waiter_gives_up_after_its_attempts() {
        let (mut run, _) = start("aws dynamodb wait table-exists --table-name T");
        let not_found = json!({"__type": "x#ResourceNotFoundException", "message": "no"});
        for _ in 1..25 {
            let _ = next(run.answer(Err(not_found.clone())));
        }
        let err = done(run.answer(Err(not_found))).unwrap_err();
        assert_eq!(
            err.message,
            "Waiter TableExists failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException"
        );
        let (mut run, _) = start("aws dynamodb wait contributor-insights-enabled --table-name T");
        let err = done(run.answer(Ok(json!({"ContributorInsightsStatus": "FAILED"})))).unwrap_err();
        assert_eq!(
            err.message,
            "Waiter ContributorInsightsEnabled failed: Waiter encountered a terminal failure state: For expression \"ContributorInsightsStatus\" we matched expected path: \"FAILED\""
        );
    }
}
