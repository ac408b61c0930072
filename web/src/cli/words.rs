//! Shell words: a command line split as a POSIX shell (bash) splits it before `aws` sees its
//! arguments — blanks between words, single quotes (everything literal), double quotes (`\`
//! escapes only `$`, `` ` ``, `"`, `\` and a newline), a backslash outside quotes escaping the
//! next character, backslash-newline continuing the command on the next line as docs print
//! it, and `#` at the start of a word beginning a comment. A newline ends a command, so a text
//! can hold several; a `$ ` prompt before `aws` is dropped.
//!
//! What a shell would do and dynaplay cannot — variables, command substitution, pipes,
//! redirections, several commands on one line, brace expansion (`{a,b}` outside quotes) — is
//! refused with a message saying so, never silently read another way.

use super::Failure;

/// The commands in `text`, each as its words (`aws`, `dynamodb`, `scan`, …). Blank lines and
/// comment lines hold none.
pub fn commands(text: &str) -> Result<Vec<Vec<String>>, Failure> {
    let mut split =
        Splitter { chars: text.chars().collect(), at: 0, commands: Vec::new(), words: Vec::new() };
    split.run()?;
    Ok(split.commands)
}

struct Splitter {
    chars: Vec<char>,
    at: usize,
    commands: Vec<Vec<String>>,
    words: Vec<String>,
}

/// Refused shell syntax: what it is, in the learner's terms.
fn unsupported(what: &str) -> Failure {
    Failure::usage(format!(
        "dynaplay runs aws commands, not a shell: {what} is not supported. Write each command on a \
         line of its own, with the values themselves."
    ))
}

impl Splitter {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn run(&mut self) -> Result<(), Failure> {
        // The word being read; `None` between words (a quoted empty string is a word).
        let mut word: Option<String> = None;
        // Unquoted `{` of this word not yet closed, each with whether a `,` came inside it: a
        // shell would expand `{a,b}` into several words.
        let mut braces: Vec<bool> = Vec::new();
        while let Some(c) = self.peek(0) {
            self.at += 1;
            match c {
                ' ' | '\t' => self.end_word(&mut word, &mut braces),
                '\r' if self.peek(0) == Some('\n') => {}
                '\n' => {
                    self.end_word(&mut word, &mut braces);
                    self.end_command()?;
                }
                '#' if word.is_none() => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.at += 1;
                    }
                }
                '\\' => match self.peek(0) {
                    Some('\n') => self.at += 1,
                    Some('\r') if self.peek(1) == Some('\n') => self.at += 2,
                    Some(next) => {
                        self.at += 1;
                        word.get_or_insert_with(String::new).push(next);
                    }
                    None => word.get_or_insert_with(String::new).push('\\'),
                },
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match self.chars.get(self.at).copied() {
                            Some('\'') => break,
                            Some(c) => w.push(c),
                            None => return Err(unterminated('\'')),
                        }
                        self.at += 1;
                    }
                    self.at += 1;
                }
                '"' => self.double_quoted(word.get_or_insert_with(String::new))?,
                '$' => {
                    self.dollar()?;
                    word.get_or_insert_with(String::new).push('$');
                }
                '`' => return Err(unsupported("command substitution (`…`)")),
                '|' => return Err(unsupported("a pipe (|)")),
                '&' | ';' => return Err(unsupported("more than one command on a line (; or &&)")),
                '<' | '>' => return Err(unsupported("redirection (< or >)")),
                '(' | ')' => return Err(unsupported("a subshell ( … )")),
                _ => {
                    match c {
                        '{' => braces.push(false),
                        ',' => {
                            if let Some(comma) = braces.last_mut() {
                                *comma = true;
                            }
                        }
                        '}' if braces.pop() == Some(true) => return Err(unsupported(
                            "brace expansion ({a,b} outside quotes, which a shell turns into several words; \
                                 put the value in single quotes)",
                        )),
                        _ => {}
                    }
                    word.get_or_insert_with(String::new).push(c);
                }
            }
        }
        self.end_word(&mut word, &mut braces);
        self.end_command()
    }

    /// A `"…"` string, its opening quote already read: `\` escapes only what it escapes in a
    /// shell; anything else keeps its backslash.
    fn double_quoted(&mut self, w: &mut String) -> Result<(), Failure> {
        loop {
            let Some(c) = self.peek(0) else { return Err(unterminated('"')) };
            self.at += 1;
            match c {
                '"' => return Ok(()),
                '\\' => match self.peek(0) {
                    Some('\n') => self.at += 1,
                    Some(next @ ('$' | '`' | '"' | '\\')) => {
                        self.at += 1;
                        w.push(next);
                    }
                    _ => w.push('\\'),
                },
                '$' => {
                    self.dollar()?;
                    w.push('$');
                }
                '`' => return Err(unsupported("command substitution (`…`)")),
                _ => w.push(c),
            }
        }
    }

    /// A `$` just read: a shell expands `$NAME`, `${…}`, `$(…)` and `$1`; a lone `$` stays.
    fn dollar(&self) -> Result<(), Failure> {
        match self.peek(0) {
            Some('(') => Err(unsupported("command substitution ($(…))")),
            Some(c) if c == '{' || c == '_' || c.is_ascii_alphanumeric() => {
                Err(unsupported("a shell variable ($NAME)"))
            }
            _ => Ok(()),
        }
    }

    fn end_word(&mut self, word: &mut Option<String>, braces: &mut Vec<bool>) {
        braces.clear();
        if let Some(w) = word.take() {
            self.words.push(w);
        }
    }

    fn end_command(&mut self) -> Result<(), Failure> {
        let mut words = std::mem::take(&mut self.words);
        // A prompt copied with the command: `$ aws dynamodb …`.
        if words.len() > 1 && words[0] == "$" {
            words.remove(0);
        }
        match words.first().map(String::as_str) {
            None => Ok(()),
            Some("aws") => {
                self.commands.push(words);
                Ok(())
            }
            Some(first) if first.starts_with('-') => Err(Failure::usage(format!(
                "A line starts with {first}: a command continues on the next line only when its line \
                 ends with a \\ (with nothing after it, not even a space)."
            ))),
            Some(first) => Err(Failure::usage(format!(
                "Only aws commands run here (aws dynamodb … and aws dynamodbstreams …), not {first}."
            ))),
        }
    }
}

fn unterminated(quote: char) -> Failure {
    Failure::usage(format!("The command ends inside a {quote}…{quote} quote: close it."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut commands = commands(text).unwrap();
        assert_eq!(commands.len(), 1, "{text}");
        commands.remove(0)
    }

    fn refused(text: &str) -> String {
        commands(text).unwrap_err().message
    }

    #[test]
    fn splits_on_blanks_and_keeps_quoted_text_whole() {
        assert_eq!(
            words("aws  dynamodb\tscan --table-name Music"),
            ["aws", "dynamodb", "scan", "--table-name", "Music"]
        );
        assert_eq!(
            words(
                r#"aws dynamodb put-item --item '{"a": {"S": "x y"}}' --condition-expression "attribute_not_exists(a)""#
            ),
            [
                "aws",
                "dynamodb",
                "put-item",
                "--item",
                r#"{"a": {"S": "x y"}}"#,
                "--condition-expression",
                "attribute_not_exists(a)"
            ]
        );
        // Quotes join with what touches them; an empty quoted string is a word.
        assert_eq!(words(r#"aws a'b c'"d"e '' """#), ["aws", "ab cde", "", ""]);
    }

    #[test]
    fn backslashes_escape_as_in_a_shell() {
        assert_eq!(words(r"aws a\ b \$x \' \\"), ["aws", "a b", "$x", "'", "\\"]);
        // In double quotes only $ ` " \ and a newline are escaped.
        assert_eq!(words(r#"aws "a\"b" "\n" "c\\d" "e\$""#), ["aws", "a\"b", "\\n", "c\\d", "e$"]);
        // In single quotes nothing is.
        assert_eq!(words(r"aws '\n\'"), ["aws", "\\n\\"]);
    }

    #[test]
    fn continuations_join_lines_as_docs_print_them() {
        let text =
            "aws dynamodb create-table \\\n    --table-name Music \\\r\n    --billing-mode PAY_PER_REQUEST\n";
        assert_eq!(
            words(text),
            ["aws", "dynamodb", "create-table", "--table-name", "Music", "--billing-mode", "PAY_PER_REQUEST"]
        );
        // Inside double quotes too; a newline inside single quotes is kept.
        assert_eq!(words("aws \"a\\\nb\" 'c\nd'"), ["aws", "ab", "c\nd"]);
    }

    #[test]
    fn newlines_separate_commands_and_comments_are_dropped() {
        let text = "# create it\naws dynamodb list-tables  # all of them\n\n$ aws dynamodb scan --table-name 'a#b'\n";
        let got = commands(text).unwrap();
        assert_eq!(
            got,
            [vec!["aws", "dynamodb", "list-tables"], vec!["aws", "dynamodb", "scan", "--table-name", "a#b"]]
        );
        // `#` inside a word is not a comment.
        assert_eq!(words("aws x#y"), ["aws", "x#y"]);
        assert!(commands("  \n# nothing\n").unwrap().is_empty());
    }

    #[test]
    fn shell_features_are_refused_with_a_reason() {
        assert!(refused("aws dynamodb scan --table-name $TABLE").contains("shell variable"));
        assert!(refused("aws dynamodb scan --table-name \"${T}\"").contains("shell variable"));
        assert!(refused("aws dynamodb scan --table-name $(cat t)").contains("command substitution"));
        assert!(refused("aws dynamodb scan --table-name `cat t`").contains("command substitution"));
        assert!(refused("aws dynamodb list-tables | jq .").contains("pipe"));
        assert!(refused("aws dynamodb list-tables > out.json").contains("redirection"));
        assert!(
            refused("aws dynamodb list-tables; aws dynamodb list-tables").contains("more than one command")
        );
        assert!(refused("aws dynamodb get-item --key Artist={S=a,N=1}").contains("brace expansion"));
        assert!(refused("aws dynamodb scan --table-name 'Music").contains("inside a '…' quote"));
        assert!(refused("aws dynamodb scan --table-name \"Music").contains("inside a \"…\" quote"));
        assert!(refused("ls -l").contains("Only aws commands"));
        // A `\ ` before the newline (a space after the backslash) ends the command there.
        assert!(refused("aws dynamodb scan \\ \n  --table-name Music").contains("ends with a \\"));
        // A `$` that expands nothing stays, and quoted shell characters are data.
        assert_eq!(words("aws '$x|y;z' a$ \"{a,b}\" {a}"), ["aws", "$x|y;z", "a$", "{a,b}", "{a}"]);
    }
}
