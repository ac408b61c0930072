//! From words to a request, as the AWS CLI gets there: the CLI's global options (taken from
//! anywhere on the line), the service (`dynamodb`, `dynamodbstreams`, `application-autoscaling` in the full engine), the command — the
//! kebab-case name of each operation the engine serves in that service, from the registry —
//! and the command's options: one per request member of the operation's schema, kebab-cased
//! (`--table-name`), a boolean as `--consistent-read` / `--no-consistent-read`, a list taking
//! every word up to the next option. Options are matched as the CLI's `argparse` matches
//! them: exactly, `--name=value`, or by an unambiguous prefix (`--table` for `--table-name`),
//! and the errors come in its order and words (`aws: error: argument --select: expected one
//! argument`, `the following arguments are required: …`, `Unknown options: …`).

use serde_json::{Map, Value};

use super::run::{paginator, waiter, Paging, Plan};
use super::schema::{Operation, Registry, Shape};
use super::value::{self, Given};
use super::Failure;
use crate::ui::codegen::kebab_case;

/// One `aws …` command, read: the operation and the request it sends, what the CLI does
/// around it (pages, a waiter), and notes on what was accepted but means nothing here.
#[derive(Debug)]
pub struct Command {
    /// The operation (`Scan`).
    pub operation: String,
    /// The request the AWS CLI sends for it (for a paginated command, its first page's).
    pub request: Value,
    pub(super) plan: Plan,
    /// What dynaplay ignored, for the learner (`--endpoint-url`).
    pub notes: Vec<String>,
}

/// How an option takes its value.
#[derive(Clone, Copy, PartialEq)]
enum Arity {
    Flag(bool),
    One,
    /// One word that must be an integer when it is read (argparse's `type=int`).
    Int,
    Many,
}

/// What an option sets.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    /// A request member (index into the operation's schema).
    Member(usize),
    CliInputJson,
    Skeleton,
    StartingToken,
    PageSize,
    MaxItems,
    // The CLI's global options.
    Output,
    Query,
    EndpointUrl,
    NoPaginate,
    BinaryFormat,
    Version,
    /// Accepted and without effect here (`--region`, `--profile`, `--debug`, …).
    Ignored,
}

struct Opt {
    name: String,
    arity: Arity,
    target: Target,
}

fn opt(name: &str, arity: Arity, target: Target) -> Opt {
    Opt { name: name.to_owned(), arity, target }
}

/// The CLI's global options (v1's, and v2's where harmless).
fn global_options() -> Vec<Opt> {
    use Arity::{Flag, Int, One};
    use Target::*;
    let mut table = vec![
        opt("debug", Flag(true), Ignored),
        opt("endpoint-url", One, EndpointUrl),
        opt("no-verify-ssl", Flag(false), Ignored),
        opt("no-paginate", Flag(false), NoPaginate),
        opt("output", One, Output),
        opt("query", One, Query),
        opt("profile", One, Ignored),
        opt("region", One, Ignored),
        opt("version", Flag(true), Version),
        opt("color", One, Ignored),
        opt("no-sign-request", Flag(false), Ignored),
        opt("ca-bundle", One, Ignored),
        opt("cli-read-timeout", Int, Ignored),
        opt("cli-connect-timeout", Int, Ignored),
        opt("v2-debug", Flag(true), Ignored),
    ];
    // AWS CLI v2's, as its docs print them.
    table.push(opt("no-cli-pager", Flag(false), Ignored));
    table.push(opt("cli-binary-format", One, BinaryFormat));
    table.push(opt("cli-auto-prompt", Flag(true), Ignored));
    table.push(opt("no-cli-auto-prompt", Flag(false), Ignored));
    table
}

/// A word as argparse classifies it against an option table.
enum Class {
    /// An argument (a value, a command name).
    Arg,
    /// Option `table[i]`, with the value after `=` if it had one.
    Known(usize, Option<String>),
    /// An option the table does not have.
    Unknown,
}

/// argparse's `_parse_optional`: exact names, `--name=value`, unambiguous prefixes;
/// negative numbers and words with a space are arguments.
fn classify(word: &str, table: &[Opt]) -> Result<Class, Failure> {
    if !word.starts_with('-') || word.len() == 1 {
        return Ok(Class::Arg);
    }
    let Some(name) = word.strip_prefix("--").filter(|n| !n.is_empty()) else {
        return Ok(if negative_number(word) || word.contains(' ') { Class::Arg } else { Class::Unknown });
    };
    if let Some(i) = table.iter().position(|o| o.name == name) {
        return Ok(Class::Known(i, None));
    }
    let (prefix, explicit) = match name.split_once('=') {
        Some((n, v)) => (n, Some(v.to_owned())),
        None => (name, None),
    };
    if let Some(i) = table.iter().position(|o| o.name == prefix) {
        return Ok(Class::Known(i, explicit));
    }
    let matches: Vec<usize> =
        (0..table.len()).filter(|&i| !prefix.is_empty() && table[i].name.starts_with(prefix)).collect();
    match matches.as_slice() {
        [one] => Ok(Class::Known(*one, explicit)),
        [] if word.contains(' ') => Ok(Class::Arg),
        [] => Ok(Class::Unknown),
        many => {
            let names: Vec<String> = many.iter().map(|&i| format!("--{}", table[i].name)).collect();
            Err(Failure::usage(format!(
                "aws: error: ambiguous option: {word} could match {}",
                names.join(", ")
            )))
        }
    }
}

/// argparse's negative number: `-5`, `-1.5`, `-.5`.
fn negative_number(word: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match word.strip_prefix('-').map(|n| n.split_once('.')) {
        Some(None) => digits(&word[1..]),
        Some(Some((whole, fraction))) => (whole.is_empty() || digits(whole)) && digits(fraction),
        None => false,
    }
}

/// What argparse's `parse_known_args` made of a list of words: each option given (index
/// into the table, its value; the last one given wins) and the other words in order.
struct Parsed {
    given: Vec<(usize, Given)>,
    /// Every word that was neither an option of the table nor its value, in order, with
    /// whether it is an argument (not an option of another parser).
    rest: Vec<(String, bool)>,
    /// Whether the first word was an argument.
    first_is_arg: bool,
}

impl Parsed {
    /// Takes the first argument out of the other words (argparse's positional argument).
    fn take_arg(&mut self) -> Option<String> {
        let at = self.rest.iter().position(|(_, arg)| *arg)?;
        Some(self.rest.remove(at).0)
    }

    fn rest_words(&self) -> Vec<String> {
        self.rest.iter().map(|(w, _)| w.clone()).collect()
    }
}

fn parse_known(words: &[String], table: &[Opt]) -> Result<Parsed, Failure> {
    let classes = words.iter().map(|w| classify(w, table)).collect::<Result<Vec<_>, _>>()?;
    let first_is_arg = matches!(classes.first(), Some(Class::Arg));
    let mut parsed = Parsed { given: Vec::new(), rest: Vec::new(), first_is_arg };
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let (k, explicit) = match &classes[i - 1] {
            Class::Arg => {
                parsed.rest.push((word.clone(), true));
                continue;
            }
            Class::Unknown => {
                parsed.rest.push((word.clone(), false));
                continue;
            }
            Class::Known(k, explicit) => (*k, explicit.clone()),
        };
        let o = &table[k];
        let is_arg = |j: usize| matches!(classes.get(j), Some(Class::Arg));
        let argument = || format!("aws: error: argument --{}", o.name);
        let given = match o.arity {
            Arity::Flag(b) => match explicit {
                Some(v) => {
                    return Err(Failure::usage(format!(
                        "{}: ignored explicit argument {}",
                        argument(),
                        value::repr(&v)
                    )))
                }
                None => Given::Flag(b),
            },
            Arity::One | Arity::Int => {
                let v = match explicit {
                    Some(v) => v,
                    None if is_arg(i) => {
                        i += 1;
                        words[i - 1].clone()
                    }
                    None => return Err(Failure::usage(format!("{}: expected one argument", argument()))),
                };
                if o.arity == Arity::Int && value::python_int(&v).is_none() {
                    return Err(Failure::usage(format!(
                        "{}: invalid int value: {}",
                        argument(),
                        value::repr(&v)
                    )));
                }
                Given::One(v)
            }
            Arity::Many => match explicit {
                Some(v) => Given::Many(vec![v]),
                None => {
                    let start = i;
                    while is_arg(i) {
                        i += 1;
                    }
                    Given::Many(words[start..i].to_vec())
                }
            },
        };
        parsed.given.retain(|(g, _)| *g != k && !same_member(table, *g, k));
        parsed.given.push((k, given));
    }
    Ok(parsed)
}

/// `--flag` and `--no-flag` set the same member: the later one wins.
fn same_member(table: &[Opt], a: usize, b: usize) -> bool {
    matches!(table[a].target, Target::Member(_)) && table[a].target == table[b].target
}

/// The CLI's "Invalid choice" error for `argument`, listing the choices two to a line.
fn invalid_choice(argument: &str, choices: &[String]) -> Failure {
    let mut text = format!("aws: error: argument {argument}: Invalid choice, valid choices are:\n");
    for pair in choices.chunks(2) {
        let cells: Vec<String> = pair.iter().map(|c| format!("{c:<40}")).collect();
        text.push('\n');
        text.push_str(cells.join(" | ").trim_end());
    }
    Failure::usage(text)
}

/// DynamoDB commands of the AWS CLI that dynaplay does not run: the engine does not simulate
/// Kinesis destinations, the replica auto scaling settings of global tables, or bulk
/// operations (a command the registry holds is run, whatever this list says).
const NOT_SIMULATED: &str = "cancel-bulk-operation describe-bulk-operation \
     describe-kinesis-streaming-destination describe-table-replica-auto-scaling \
     disable-kinesis-streaming-destination enable-kinesis-streaming-destination \
     list-bulk-operations start-bulk-put-items update-kinesis-streaming-destination \
     update-table-replica-auto-scaling";

/// Reads one command's words (`aws`, `dynamodb`, `scan`, …) into a [`Command`] of one of the
/// `registry`'s operations.
pub fn parse(words: &[String], registry: &Registry) -> Result<Command, Failure> {
    let globals_table = global_options();
    let main = parse_known(words.get(1..).unwrap_or_default(), &globals_table)?;
    let mut notes = Vec::new();
    let (mut paginate, mut raw_blobs) = (true, false);
    for (k, given) in &main.given {
        let Given::One(v) = given else {
            match globals_table[*k].target {
                Target::NoPaginate => paginate = false,
                Target::Version => {
                    return Err(Failure::error(
                        "--version: this is dynaplay, which reads the AWS CLI's commands and runs them on the page's \
                         engine; it is not the AWS CLI itself.",
                    ))
                }
                _ => {}
            }
            continue;
        };
        match globals_table[*k].target {
            Target::Output => match v.as_str() {
                "json" => {}
                "text" | "table" | "yaml" | "yaml-stream" => {
                    return Err(Failure::error(format!(
                        "--output {v}: dynaplay prints the AWS CLI's JSON output only: leave --output out or use \
                         --output json."
                    )))
                }
                _ => return Err(invalid_choice("--output", &["json".into(), "text".into(), "table".into()])),
            },
            Target::Query => {
                return Err(Failure::error(format!(
                    "--query {v}: dynaplay does not evaluate JMESPath queries: leave --query out to see the whole \
                     output."
                )))
            }
            Target::EndpointUrl => notes.push(format!(
                "--endpoint-url {v} is ignored: the command runs on this page's engine."
            )),
            Target::BinaryFormat => match v.as_str() {
                "base64" => raw_blobs = false,
                "raw-in-base64-out" => raw_blobs = true,
                _ => {
                    return Err(invalid_choice(
                        "--cli-binary-format",
                        &["base64".into(), "raw-in-base64-out".into()],
                    ))
                }
            },
            _ => {}
        }
    }
    // The service: the first argument; then the command, the first argument after it.
    let mut main = main;
    let Some(service) = main.take_arg() else {
        return Err(Failure::usage("aws: error: the following arguments are required: command"));
    };
    let (streams, scaling) = match service.as_str() {
        "dynamodb" => (false, false),
        "dynamodbstreams" => (true, false),
        // Application Auto Scaling for DynamoDB (the full engine's registry has it).
        "application-autoscaling" if registry.operations.iter().any(|o| o.scaling) => (false, true),
        other => {
            return Err(Failure::error(format!(
                "aws {other}: dynaplay runs aws dynamodb, aws dynamodbstreams and (in the full engine) aws \
                 application-autoscaling commands only."
            )))
        }
    };
    let mut service_level = parse_known(&main.rest_words(), &[])?;
    let Some(command) = service_level.take_arg() else {
        return Err(Failure::usage("aws: error: the following arguments are required: operation"));
    };
    let specs: Vec<&Operation> =
        registry.operations.iter().filter(|o| o.streams == streams && o.scaling == scaling).collect();
    let (spec, waiting) = if service == "dynamodb" && command == "wait" {
        let Some(name) = service_level.take_arg() else {
            return Err(Failure::error("aws: error: too few arguments"));
        };
        let Some(w) = waiter(&name) else {
            return Err(invalid_choice(
                "subcommand",
                &super::run::WAITERS.iter().map(|w| w.command.to_owned()).collect::<Vec<_>>(),
            ));
        };
        let spec = specs.iter().find(|s| s.name == w.operation).copied();
        (spec, Some(w))
    } else {
        (specs.iter().find(|s| kebab_case(&s.name) == command).copied(), None)
    };
    let Some(spec) = spec else {
        if NOT_SIMULATED.split(' ').filter(|n| !n.is_empty()).any(|n| n == command) {
            return Err(Failure::error(format!(
                "aws {service} {command}: dynaplay does not simulate this command (Kinesis destinations, \
                 replica auto scaling and bulk operations are outside the playground)."
            )));
        }
        let mut choices: Vec<String> = specs.iter().map(|s| kebab_case(&s.name)).collect();
        if service == "dynamodb" {
            choices.push("wait".into());
        }
        dynaplay_engine::types::sort_by(&mut choices, |a, b| a.cmp(b));
        return Err(invalid_choice("operation", &choices));
    };
    let rest = service_level.rest_words();
    let request = operation_request(spec, &rest, waiting.is_none(), &mut paginate, raw_blobs)?;
    let plan = match (waiting, paginator(&spec.name)) {
        (Some(w), _) => Plan::Wait(w),
        (None, Some(p)) if paginate => Plan::Pages(Paging::new(p, request.1)),
        _ => Plan::Single,
    };
    Ok(Command { operation: spec.name.clone(), request: request.0, plan, notes })
}

/// The options of `spec`'s command: its request members, `--cli-input-json`,
/// `--generate-cli-skeleton` and, for a paginated command, the CLI's paging options.
fn operation_options(spec: &Operation, pages: bool) -> Vec<Opt> {
    let mut table = Vec::new();
    for (i, f) in spec.members.iter().enumerate() {
        let name = kebab_case(&f.name);
        match f.shape {
            Shape::Bool => {
                table.push(Opt {
                    name: format!("no-{name}"),
                    arity: Arity::Flag(false),
                    target: Target::Member(i),
                });
                table.push(Opt { name, arity: Arity::Flag(true), target: Target::Member(i) });
            }
            Shape::List(_) => table.push(Opt { name, arity: Arity::Many, target: Target::Member(i) }),
            // argparse reads a Long as an integer as it parses (an Integer only later).
            Shape::Long => table.push(Opt { name, arity: Arity::Int, target: Target::Member(i) }),
            _ => table.push(Opt { name, arity: Arity::One, target: Target::Member(i) }),
        }
    }
    table.push(opt("cli-input-json", Arity::One, Target::CliInputJson));
    table.push(opt("generate-cli-skeleton", Arity::One, Target::Skeleton));
    if let Some(p) = paginator(&spec.name).filter(|_| pages) {
        table.push(opt("starting-token", Arity::One, Target::StartingToken));
        if p.limit_key.is_some() {
            table.push(opt("page-size", Arity::Int, Target::PageSize));
        }
        table.push(opt("max-items", Arity::Int, Target::MaxItems));
    }
    table
}

/// The options after the command, read into the request (and the CLI's paging options).
fn operation_request(
    spec: &Operation,
    words: &[String],
    pages: bool,
    paginate: &mut bool,
    raw_blobs: bool,
) -> Result<(Value, PageOptions), Failure> {
    let table = operation_options(spec, pages);
    let mut parsed = parse_known(words, &table)?;
    // argparse's optional `help` argument takes the first word when it is an argument.
    if parsed.first_is_arg {
        if words[0] == "help" {
            return Err(Failure::error(
                "help: the AWS CLI's help pages are not in dynaplay: see the AWS CLI Command Reference for \
                 aws dynamodb.",
            ));
        }
        let first = parsed.rest.remove(0);
        parsed.rest.push(first);
    }
    let fields = &spec.members;
    let given_target = |t: Target| parsed.given.iter().any(|(k, _)| table[*k].target == t);
    if !given_target(Target::CliInputJson) && !given_target(Target::Skeleton) {
        let missing: Vec<String> = (0..fields.len())
            .filter(|&i| fields[i].required && !given_target(Target::Member(i)))
            .map(|i| format!("--{}", kebab_case(&fields[i].name)))
            .collect();
        if !missing.is_empty() {
            return Err(Failure::usage(format!(
                "aws: error: the following arguments are required: {}",
                missing.join(", ")
            )));
        }
    }
    if !parsed.rest.is_empty() {
        return Err(Failure::error(format!("Unknown options: {}", parsed.rest_words().join(", "))));
    }
    if given_target(Target::Skeleton) {
        return Err(Failure::error(
            "--generate-cli-skeleton: dynaplay does not print skeletons: the AWS CLI Command Reference shows each \
             command's input.",
        ));
    }
    // The CLI pages by itself unless the line sets a page's start or size by hand.
    if let Some(p) = paginator(&spec.name) {
        let manual = [Some(p.input_token), p.limit_key].into_iter().flatten().any(|m| {
            fields.iter().position(|f| f.name == m).is_some_and(|i| given_target(Target::Member(i)))
        });
        if manual {
            *paginate = false;
        }
        if !*paginate {
            let used: Vec<&str> = [
                (Target::StartingToken, "--starting-token"),
                (Target::PageSize, "--page-size"),
                (Target::MaxItems, "--max-items"),
            ]
            .into_iter()
            .filter(|(t, _)| given_target(*t))
            .map(|(_, n)| n)
            .collect();
            if !used.is_empty() {
                return Err(Failure::error(format!(
                    "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
                    used.join(", ")
                )));
            }
        }
    }
    let mut request = Map::new();
    let mut paging = PageOptions::default();
    let mut input_json = None;
    // In the order of the option table, as the CLI unpacks them.
    let mut given = parsed.given;
    dynaplay_engine::types::sort_by(&mut given, |a, b| a.0.cmp(&b.0));
    for (k, g) in given {
        let o = &table[k];
        let option = format!("--{}", o.name);
        match (o.target, g) {
            (Target::Member(i), g) => {
                let v = value::unpack(&option, &fields[i].shape, g)?;
                request.insert(fields[i].name.clone(), v);
            }
            (Target::CliInputJson, Given::One(text)) => input_json = Some(text),
            (Target::StartingToken, Given::One(t)) => paging.starting_token = Some(t),
            (Target::PageSize, Given::One(n)) => paging.page_size = value::python_int(&n),
            (Target::MaxItems, Given::One(n)) => paging.max_items = value::python_int(&n),
            _ => {}
        }
    }
    if let Some(text) = input_json {
        value::no_file("cli-input-json", &text)?;
        let Value::Object(input) = value::json("cli-input-json", &text)? else {
            return Err(value::param_error(
                "cli-input-json",
                "Invalid JSON: the input must be a JSON object",
            ));
        };
        for (k, v) in input {
            request.entry(k).or_insert(v);
        }
    }
    let mut errors = Vec::new();
    value::check_members(&mut request, fields, "input", raw_blobs, &mut errors);
    if !errors.is_empty() {
        return Err(Failure::error(format!("Parameter validation failed:\n{}", errors.join("\n"))));
    }
    Ok((Value::Object(request), paging))
}

/// The CLI's paging options as given.
#[derive(Debug, Default)]
pub(super) struct PageOptions {
    pub(super) starting_token: Option<String>,
    pub(super) page_size: Option<i64>,
    pub(super) max_items: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(line: &str) -> Vec<String> {
        crate::cli::words::commands(line).unwrap().remove(0)
    }

    fn registry() -> Registry {
        Registry::from_engine()
    }

    fn request(line: &str) -> (String, Value) {
        let c = parse(&words(line), &registry()).unwrap_or_else(|f| panic!("{line}: {}", f.message));
        (c.operation, c.request)
    }

    fn refused(line: &str) -> Failure {
        parse(&words(line), &registry()).map(|c| c.request).unwrap_err()
    }

    #[test]
    fn every_operation_of_the_three_services_is_a_command() {
        let registry = registry();
        // 52 of DynamoDB (the resource-policy three, SearchVectors, the legacy global tables six,
        // the backups six and the exports and imports six among them), 4 of DynamoDB Streams
        // and, in the full engine, 7 of Application Auto Scaling.
        let scaling = match dynaplay_engine::operation("PutScalingPolicy") {
            // A build without auto scaling lists its operations with no members, to refuse them.
            Some(op) if !op.request_members().is_empty() => 7,
            _ => 0,
        };
        assert_eq!(registry.operations.len(), 56 + scaling);
        assert_eq!(registry.operations.iter().filter(|o| o.scaling).count(), scaling);
        assert!(registry.operations.iter().any(|op| op.name == "PutResourcePolicy"));
        for spec in &registry.operations {
            let service = match (spec.streams, spec.scaling) {
                (true, _) => "dynamodbstreams",
                (_, true) => "application-autoscaling",
                _ => "dynamodb",
            };
            let line = format!("aws {service} {} --cli-input-json {{}}", kebab_case(&spec.name));
            assert_eq!(request(&line).0, spec.name);
        }
        // The playground's own operations are not AWS CLI commands.
        assert!(refused("aws dynamodb playground-describe-time").message.contains("Invalid choice"));
    }

    #[test]
    fn options_are_the_request_members_kebab_cased() {
        let (op, req) = request(
            "aws dynamodb query --table-name Music --index-name ByYear --select COUNT --limit 5 \
             --no-scan-index-forward --consistent-read --key-condition-expression 'Artist = :a' \
             --expression-attribute-values ':a={S=Nina}' --expression-attribute-names '#y=Year' \
             --return-consumed-capacity INDEXES",
        );
        assert_eq!(op, "Query");
        assert_eq!(
            req,
            json!({"TableName": "Music", "IndexName": "ByYear", "Select": "COUNT", "Limit": 5,
                   "ScanIndexForward": false, "ConsistentRead": true, "KeyConditionExpression": "Artist = :a",
                   "ExpressionAttributeValues": {":a": {"S": "Nina"}}, "ExpressionAttributeNames": {"#y": "Year"},
                   "ReturnConsumedCapacity": "INDEXES"})
        );
    }

    #[test]
    fn shorthand_lists_of_structures_and_json_give_the_same_request() {
        let shorthand = request(
            "aws dynamodb create-table --table-name Music \
             --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S \
             --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE \
             --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \
             --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE --tags Key=a,Value=b",
        );
        let json = request(
            r#"aws dynamodb create-table --table-name Music
               --attribute-definitions '[{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongTitle", "AttributeType": "S"}]'
               --key-schema '{"AttributeName": "Artist", "KeyType": "HASH"}' '{"AttributeName": "SongTitle", "KeyType": "RANGE"}'
               --provisioned-throughput '{"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}'
               --stream-specification '{"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}' --tags '[{"Key": "a", "Value": "b"}]'"#
                .replace('\n', " ")
                .as_str(),
        );
        assert_eq!(shorthand, json);
        assert_eq!(
            shorthand.1["ProvisionedThroughput"],
            json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
        );
    }

    #[test]
    fn attribute_values_in_shorthand_take_their_types() {
        let (_, req) = request(
            "aws dynamodb put-item --table-name T --item 'k={S=a},n={N=1},ss={SS=[x,y]},one={SS=z},b={BOOL=TRUE},\
             nul={NULL=true},l={L=[{S=a},{M={x={N=2}}}]}'",
        );
        assert_eq!(
            req["Item"],
            json!({"k": {"S": "a"}, "n": {"N": "1"}, "ss": {"SS": ["x", "y"]}, "one": {"SS": ["z"]}, "b": {"BOOL": true},
                   "nul": {"NULL": true}, "l": {"L": [{"S": "a"}, {"M": {"x": {"N": "2"}}}]}})
        );
    }

    #[test]
    fn options_match_as_argparse_matches_them() {
        // A unique prefix, `--name=value`, the last of two, a negative number as a value.
        let (_, req) =
            request("aws dynamodb scan --table Music --select=COUNT --select ALL_ATTRIBUTES --segment -1");
        assert_eq!(req, json!({"TableName": "Music", "Select": "ALL_ATTRIBUTES", "Segment": -1}));
        // `--no-x` after `--x`: the later wins.
        assert_eq!(
            request(
                "aws dynamodb get-item --table-name T --key k={S=a} --consistent-read --no-consistent-read"
            )
            .1["ConsistentRead"],
            json!(false)
        );
        assert_eq!(
            refused("aws dynamodb query --table-name Music --key-condition x").message,
            "aws: error: ambiguous option: --key-condition could match --key-conditions, --key-condition-expression"
        );
        let f = refused("aws dynamodb scan --table-name Music --select");
        assert_eq!(
            (f.message.as_str(), f.exit_code),
            ("aws: error: argument --select: expected one argument", 2)
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name Music --filter-expression -x").message,
            "aws: error: argument --filter-expression: expected one argument"
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name Music --consistent-read=yes").message,
            "aws: error: argument --consistent-read: ignored explicit argument 'yes'"
        );
    }

    #[test]
    fn errors_come_in_the_cli_order_with_its_words() {
        let f = refused("aws dynamodb get-item --foo --table-name Music");
        assert_eq!(
            (f.message.as_str(), f.exit_code),
            ("aws: error: the following arguments are required: --key", 2)
        );
        let f = refused("aws dynamodb scan --table-name Music --foo bar");
        assert_eq!((f.message.as_str(), f.exit_code), ("Unknown options: --foo, bar", 255));
        // A first stray argument is argparse's `help` slot, reported last.
        assert_eq!(
            refused("aws dynamodb scan Music --table-name T --foo").message,
            "Unknown options: --foo, Music"
        );
        assert_eq!(
            refused("aws dynamodb get-item --table-name T --key k={S=a} --consistent-read true").message,
            "Unknown options: true"
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name T --limit x").message,
            "invalid literal for int() with base 10: 'x'"
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name T --max-items x").message,
            "aws: error: argument --max-items: invalid int value: 'x'"
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name T --no-paginate --page-size 2 --max-items 1").message,
            "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items"
        );
        assert_eq!(
            refused("aws dynamodb scan --table-name T --limit 1 --max-items 1").message,
            "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --max-items"
        );
        assert_eq!(
            refused("aws dynamodb update-table --table-name T --provisioned-throughput ReadCapacityUnits=1,WriteCapacityUnits").message,
            "int() argument must be a string, a bytes-like object or a real number, not 'list'"
        );
        assert_eq!(
            refused("aws dynamodb create-table --table-name T --attribute-definitions AttributeName=a,AttributeType=S,Foo=1 --key-schema AttributeName=a,KeyType=HASH").message,
            "Parameter validation failed:\nUnknown parameter in AttributeDefinitions[0]: \"Foo\", must be one of: AttributeName, AttributeType"
        );
        assert_eq!(
            refused("aws dynamodb put-item --table-name T --item 'k={X=1}'").message,
            "Parameter validation failed:\nUnknown parameter in Item.k: \"X\", must be one of: S, N, B, SS, NS, BS, M, L, NULL, BOOL"
        );
        assert!(refused("aws dynamodb put-item --table-name T --item 'k={S=x'").message.starts_with(
            "Error parsing parameter '--item': Expected: ',', received: 'EOF' for input:\nk={S=x\n      ^"
        ));
        assert_eq!(
            refused("aws dynamodb put-item --table-name T --item '[1]'").message,
            "Error parsing parameter '--item': Invalid JSON:\n[1]"
        );
        assert!(refused("aws dynamodb put-item --table-name T --item '{\"k\": '")
            .message
            .starts_with("Error parsing parameter '--item': Invalid JSON: "));
    }

    #[test]
    fn cli_input_json_fills_what_the_options_do_not_give() {
        let (_, req) = request(
            r#"aws dynamodb get-item --table-name Mine --cli-input-json '{"TableName": "Theirs", "Key": {"k": {"S": "a"}}}'"#,
        );
        assert_eq!(req, json!({"TableName": "Mine", "Key": {"k": {"S": "a"}}}));
        assert_eq!(
            refused(r#"aws dynamodb scan --cli-input-json '{"TableName": "T", "Nope": 1}'"#).message,
            "Parameter validation failed:\nUnknown parameter in input: \"Nope\", must be one of: Select, IndexName, \
             TotalSegments, ReturnConsumedCapacity, TableName, ConditionalOperator, ScanFilter, Segment, Limit, \
             AttributesToGet, ExclusiveStartKey, ConsistentRead, FilterExpression, ProjectionExpression, \
             ExpressionAttributeValues, ExpressionAttributeNames"
        );
    }

    #[test]
    fn global_options_are_taken_from_anywhere_and_harmless_ones_ignored() {
        let c = parse(
            &words(
                "aws --region eu-west-1 dynamodb list-tables --output json --endpoint-url http://localhost:8000 --no-cli-pager --debug",
            ),
            &registry(),
        )
        .unwrap();
        assert_eq!((c.operation.as_str(), &c.request), ("ListTables", &json!({})));
        assert_eq!(
            c.notes,
            ["--endpoint-url http://localhost:8000 is ignored: the command runs on this page's engine."]
        );
        assert!(refused("aws dynamodb list-tables --output text").message.contains("JSON output only"));
        assert!(refused("aws dynamodb list-tables --query TableNames").message.contains("JMESPath"));
        assert!(refused("aws dynamodb list-tables --output xml")
            .message
            .starts_with("aws: error: argument --output: Invalid choice"));
    }

    #[test]
    fn binary_values_follow_the_cli_binary_format() {
        let line = "aws dynamodb put-item --table-name T --item '{\"k\": {\"B\": \"aGk=\"}, \"s\": {\"BS\": [\"hi\"]}}'";
        // AWS CLI v2's default: the value is base64 already.
        assert_eq!(request(line).1["Item"]["k"], json!({"B": "aGk="}));
        let raw = request(&format!("{line} --cli-binary-format raw-in-base64-out")).1;
        assert_eq!(raw["Item"], json!({"k": {"B": "YUdrPQ=="}, "s": {"BS": ["aGk="]}}));
    }

    #[test]
    fn what_cannot_run_here_says_why() {
        assert!(refused("aws dynamodb put-item --table-name T --item file://item.json")
            .message
            .contains("cannot read file://"));
        assert!(refused("aws dynamodb describe-kinesis-streaming-destination --table-name T")
            .message
            .contains("does not simulate"));
        assert!(refused("aws s3 ls")
            .message
            .contains("aws dynamodb, aws dynamodbstreams and (in the full engine) aws"));
        // Application Auto Scaling's commands, in the full engine's registry.
        if registry().operations.iter().any(|o| o.scaling) {
            let (op, request) = request(
                "aws application-autoscaling describe-scalable-targets --service-namespace dynamodb --resource-ids table/T",
            );
            assert_eq!(
                (op.as_str(), request),
                (
                    "DescribeScalableTargets",
                    serde_json::json!({"ServiceNamespace": "dynamodb", "ResourceIds": ["table/T"]})
                )
            );
            assert!(refused("aws application-autoscaling wait x").message.contains("Invalid choice"));
        }
        assert!(refused("aws dynamodb scan help").message.contains("help pages"));
        assert!(refused("aws dynamodb scan --table-name T --generate-cli-skeleton")
            .message
            .contains("skeleton"));
        let f = refused("aws dynamodb scna");
        assert!(f
            .message
            .starts_with("aws: error: argument operation: Invalid choice, valid choices are:\n\n"));
        assert!(
            f.message.contains("\nbatch-execute-statement                  | batch-get-item\n"),
            "{}",
            f.message
        );
        assert_eq!(
            refused("aws dynamodb").message,
            "aws: error: the following arguments are required: operation"
        );
        assert_eq!(
            refused("aws dynamodb wait table-exists").message,
            "aws: error: the following arguments are required: --table-name"
        );
        assert!(refused("aws dynamodb wait export-completed").message.contains("Invalid choice"));
    }

    #[test]
    fn streams_commands_are_under_dynamodbstreams() {
        let (op, req) = request(
            "aws dynamodbstreams get-shard-iterator --stream-arn a --shard-id s --shard-iterator-type LATEST",
        );
        assert_eq!(
            (op.as_str(), req),
            ("GetShardIterator", json!({"StreamArn": "a", "ShardId": "s", "ShardIteratorType": "LATEST"}))
        );
        assert!(refused("aws dynamodbstreams scan --table-name T").message.contains("Invalid choice"));
    }
}
