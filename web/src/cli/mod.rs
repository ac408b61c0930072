//! The AWS CLI in the browser: `aws dynamodb …` and `aws dynamodbstreams …` lines, as docs
//! and exams print them, read as the AWS CLI reads them and run on the page's engine.
//! Platform-free: the console and `dynaplay.cli` (`host/cli.rs`) drive it in the browser,
//! and `tests/src/bin/cli-replay.rs` drives the same code natively to check it against the
//! real AWS CLI (`tests/cli/corpus.txt`).
//!
//! - `words`: the line split into words as a shell splits it (quotes, `\` escapes,
//!   backslash-newline continuations), one command per line;
//! - `args`: the CLI's global options, the service and command (every operation of the
//!   engine's registry in that service, kebab-cased), the command's options (every member of
//!   the operation's request schema), in the CLI's order of errors;
//! - `value`, `shorthand`: an option's words as JSON or the CLI's shorthand syntax, read
//!   against the member's schema;
//! - `run`: the requests the CLI sends for the command — one, or pages, or a waiter's polls;
//! - `output`, `shapes`: the answer printed as the CLI prints JSON.

mod args;
pub mod output;
mod run;
pub mod schema;
mod shapes;
pub mod shorthand;
mod value;
pub mod words;

pub use args::{parse, Command};
pub use run::{service_error, Call, Run, Step};
pub use schema::Registry;

/// Why a command did not run, or failed: the text the AWS CLI writes to stderr (without its
/// usage banner) and its exit status (v1's: 2 for its argument parser's errors, 255 for
/// everything else).
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The error text.
    pub message: String,
    /// The exit status.
    pub exit_code: i32,
}

impl Failure {
    /// An error of the CLI's argument parser (`aws: error: …`), exit status 2.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure { message: message.into(), exit_code: 2 }
    }

    /// Any other error, exit status 255.
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Failure { message: message.into(), exit_code: 255 }
    }
}

/// Whether `text` is a command line for [`commands`] rather than a JSON request: its first
/// word (after an optional `$ ` prompt) is `aws`.
pub fn is_cli(text: &str) -> bool {
    // ASCII blanks only: the first load carries this check, and Unicode's are dead weight there.
    let t = text.trim_ascii_start();
    let t = t.strip_prefix("$ ").map_or(t, str::trim_ascii_start);
    t.strip_prefix("aws").is_some_and(|rest| rest.starts_with([' ', '\t', '\n', '\r']))
}

/// The commands of `text` (one per line), read against `registry`: each parsed as far as the
/// first that cannot be, whose failure ends the list (as a shell script with `set -e` would
/// stop there).
pub fn commands(text: &str, registry: &Registry) -> (Vec<Command>, Option<Failure>) {
    let lines = match words::commands(text) {
        Ok(lines) => lines,
        Err(f) => return (Vec::new(), Some(f)),
    };
    let mut out = Vec::new();
    for line in &lines {
        match parse(line, registry) {
            Ok(c) => out.push(c),
            Err(f) => return (out, Some(f)),
        }
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_are_told_from_json_requests() {
        assert!(is_cli("aws dynamodb list-tables"));
        assert!(is_cli("  $ aws dynamodb list-tables"));
        assert!(is_cli("aws\tdynamodb"));
        assert!(!is_cli("{\"TableName\": \"aws\"}"));
        assert!(!is_cli("awsdynamodb"));
        assert!(!is_cli(""));
    }

    #[test]
    fn a_script_runs_up_to_its_first_bad_command() {
        let registry = Registry::from_engine();
        let (commands, failure) = commands(
            "aws dynamodb list-tables\n\naws dynamodb scan --table-name T\naws dynamodb scan\naws dynamodb list-tables",
            &registry,
        );
        assert_eq!(commands.iter().map(|c| c.operation.as_str()).collect::<Vec<_>>(), ["ListTables", "Scan"]);
        assert_eq!(
            failure.unwrap().message,
            "aws: error: the following arguments are required: --table-name"
        );
        let (none, failure) = super::commands("aws dynamodb list-tables | jq", &registry);
        assert!(none.is_empty() && failure.is_some());
    }
}
