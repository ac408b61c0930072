//! The browser's AWS CLI parser (`dynaplay_web::cli`) never panics, whatever it is given: a
//! panic in the page kills it. Random command lines — soup from the characters and words the
//! parser treats specially (quotes, backslashes, braces, `=`, commas, options, commands,
//! shorthand and JSON fragments, non-ASCII) — go through the word splitter and the parser;
//! every command that parses is run on random answers (pages, errors, junk) until it is done.

use dynaplay_web::cli::{self, Registry, Run, Step};
use proptest::prelude::*;
use serde_json::{json, Value};

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("aws ".to_owned()),
        Just("dynamodb ".to_owned()),
        Just("dynamodbstreams ".to_owned()),
        prop::sample::select(vec![
            "scan ",
            "query ",
            "get-item ",
            "put-item ",
            "create-table ",
            "batch-write-item ",
            "wait ",
            "table-exists ",
            "list-tables ",
            "get-records ",
            "transact-write-items ",
            "update-table ",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(vec![
            "--table-name ",
            "--key ",
            "--item ",
            "--max-items ",
            "--page-size ",
            "--starting-token ",
            "--limit ",
            "--no-paginate ",
            "--cli-input-json ",
            "--key-schema ",
            "--attribute-definitions ",
            "--provisioned-throughput ",
            "--consistent-read ",
            "--no-consistent-read",
            "--output ",
            "--query ",
            "--expression-attribute-values ",
            "--request-items ",
            "--transact-items ",
            "--cli-binary-format ",
            "--table",
            "--key-condition",
            "--=",
            "-- ",
            "-5 ",
            "--x=y ",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(vec![
            "'",
            "\"",
            "\\",
            "\\\n",
            "\n",
            " ",
            "{",
            "}",
            "[",
            "]",
            "=",
            ",",
            "@=",
            "$",
            "#",
            "|",
            ";",
            "\\,",
            "a=b",
            "k={S=x}",
            "{\"a\": {\"S\": \"b\"}}",
            "[{\"S\": \"x\"}]",
            "file://x",
            "é😀",
            "\u{0}",
            "AttributeName=a,KeyType=HASH",
            "ReadCapacityUnits=1,WriteCapacityUnits",
            "raw-in-base64-out",
            "{B=aGk=}",
            "eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGx9",
            "Music",
            "0",
            "-1",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,6}",
    ]
}

/// A line's start: mostly a real command (so the options after it are read), sometimes soup.
fn command() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "aws dynamodb scan --table-name T ", "aws dynamodb query --table-name T ", "aws dynamodb list-tables ",
            "aws dynamodb list-tags-of-resource --resource-arn a ", "aws dynamodb put-item --table-name T ",
            "aws dynamodb create-table --table-name Tab ", "aws dynamodb wait table-exists --table-name T ",
            "aws dynamodb wait contributor-insights-enabled --table-name T ", "aws dynamodb get-item --table-name T ",
            "aws dynamodbstreams get-records ", "aws dynamodb transact-write-items ", "aws --region x dynamodb ",
        ])
        .prop_map(str::to_owned),
        1 => prop::collection::vec(piece(), 0..6).prop_map(|p| p.concat()),
    ]
}

fn answer() -> impl Strategy<Value = Result<Value, Value>> {
    prop_oneof![
        Just(Ok(json!({}))),
        Just(Ok(
            json!({"Items": [{"k": {"S": "a"}}], "Count": 1, "ScannedCount": 1, "LastEvaluatedKey": {"k": {"S": "a"}}})
        )),
        Just(Ok(json!({"Items": [], "Count": 0, "ScannedCount": 0}))),
        Just(Ok(json!({"TableNames": ["a"], "LastEvaluatedTableName": "a"}))),
        Just(Ok(json!({"Table": {"TableStatus": "ACTIVE"}}))),
        Just(Ok(json!({"Items": "not a list", "Count": "x", "LastEvaluatedKey": 7}))),
        Just(Ok(json!([1, 2]))),
        Just(Ok(Value::Null)),
        Just(Err(json!({"__type": "x#ResourceNotFoundException", "message": "no"}))),
        Just(Err(json!({"weird": true}))),
        any::<f64>().prop_map(|f| Ok(json!({"ConsumedCapacity": {"CapacityUnits": f}, "Count": f}))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_parser_and_runner_never_panic(command in command(), pieces in prop::collection::vec(piece(), 0..16),
                                         answers in prop::collection::vec(answer(), 1..8)) {
        run(&format!("{command}{}", pieces.concat()), &answers);
    }

    /// Reads (paginated or not) with their options and well-formed values, so most lines get past
    /// the parser and run: paging, tokens, waiters.
    #[test]
    fn commands_that_parse_run_without_panicking(command in read(), options in prop::collection::vec(option(), 0..4),
                                                 answers in prop::collection::vec(answer(), 1..8)) {
        run(&format!("{command}{}", options.concat()), &answers);
    }
}

fn read() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "aws dynamodb scan --table-name T ",
        "aws dynamodb query --table-name T ",
        "aws dynamodb list-tables ",
        "aws dynamodb wait table-exists --table-name T ",
        "aws dynamodb get-item --table-name T --key k={S=a} ",
    ])
    .prop_map(str::to_owned)
}

fn option() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "--max-items",
        "--page-size",
        "--starting-token",
        "--limit",
        "--no-paginate",
        "--exclusive-start-key",
        "--cli-input-json",
        "--return-consumed-capacity",
        "--cli-binary-format",
        "--segment",
    ]);
    let value = prop_oneof![
        (-3i64..12).prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "",
            "k={S=x}",
            "'{\"k\": {\"S\": \"x\"}}'",
            "Music",
            "'[{\"S\": \"x\"}]'",
            "AttributeName=a,KeyType=HASH",
            "ReadCapacityUnits=1,WriteCapacityUnits=2",
            "eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9",
            "raw-in-base64-out",
            "'Put={TableName=T,Item={k={B=aGk=}}}'",
            "TOTAL",
            "':v={N=1}'",
        ])
        .prop_map(str::to_owned),
    ];
    (name, value).prop_map(|(n, v)| format!("{n} {v} "))
}

fn run(text: &str, answers: &[Result<Value, Value>]) {
    let registry = Registry::from_engine();
    let (commands, _) = cli::commands(text, &registry);
    for command in commands {
        let Ok((mut run, _)) = Run::start(command) else { continue };
        // Waiters poll up to 30 times: the answers repeat until the run is done.
        for answer in answers.iter().cycle().take(64) {
            match run.answer(answer.clone()) {
                Step::Send(_) => continue,
                Step::Done(_) => break,
            }
        }
    }
}
