//! The AWS CLI's shorthand syntax, read as the CLI reads it: `Key=Value,Key2=Value2` for a
//! structure or map, a value list after `=` (`Name=a,b,c`, or `[a,b]`), nested `{…}` and
//! `[…]`, values in `'…'` or `"…"` (where `\'` or `\"` and `\\` are escapes), `\,` for a comma
//! inside a bare value, and the characters a bare value may hold exactly as the CLI's grammar
//! allows them. Purely syntactic, as the CLI's own parser is: the result is strings, lists
//! and key-value lists; `value.rs` then reads them against the request's schema.
//!
//! Errors carry the CLI's wording ("Expected: '=', received: 'EOF' for input: …" with the
//! caret under the place).

/// A parsed shorthand value.
#[derive(Clone, Debug, PartialEq)]
pub enum Sh {
    /// A bare or quoted value.
    Str(String),
    /// `a,b,c` after `=`, or `[…]`.
    List(Vec<Sh>),
    /// `k=v,…` or `{k=v,…}`, in the order written.
    Map(Vec<(String, Sh)>),
}

/// Parses one shorthand argument (`AttributeName=Artist,KeyType=HASH`).
pub fn parse(input: &str) -> Result<Sh, String> {
    let mut p = Parser { s: input.chars().collect(), at: 0, from_file: false };
    p.parameter()
}

struct Parser {
    s: Vec<char>,
    at: usize,
    /// The value being read followed `key@=`: the CLI reads a `file://…` value from that file.
    from_file: bool,
}

/// Characters that may start a bare value.
fn starts_value(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// Characters that may follow in the first bare value after `=` (or inside `{}`/`[]`).
fn follows_first(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// Characters that may follow in the second and later values of a `a,b,c` list.
fn follows_second(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// The blanks the CLI skips between tokens (Python's `string.whitespace`).
fn blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

impl Parser {
    fn current(&self) -> Option<char> {
        self.s.get(self.at).copied()
    }

    fn eof(&self) -> bool {
        self.at >= self.s.len()
    }

    fn skip_blanks(&mut self) {
        while self.current().is_some_and(blank) {
            self.at += 1;
        }
    }

    /// The input with a caret under position `at`, as the CLI shows where it stopped.
    fn location(&self, at: usize) -> String {
        let at = at.min(self.s.len());
        let line_start = self.s[..at].iter().rposition(|&c| c == '\n').map_or(0, |nl| nl + 1);
        let line_end = self.s[at..].iter().position(|&c| c == '\n').map_or(self.s.len(), |nl| at + nl);
        let consumed: String = self.s[..line_end].iter().collect();
        let remaining: String = self.s[line_end..].iter().collect();
        format!("{consumed}\n{}^{remaining}", " ".repeat(at - line_start))
    }

    /// The CLI's syntax error: what it expected, what it found (`None`: the character there).
    fn error(&self, expected: &str, actual: Option<&str>) -> String {
        let found = self.s.get(self.at).map_or_else(|| "EOF".to_owned(), char::to_string);
        format!(
            "Expected: '{expected}', received: '{}' for input:\n{}",
            actual.unwrap_or(&found),
            self.location(self.at)
        )
    }

    fn expect(&mut self, c: char, blanks: bool) -> Result<(), String> {
        if blanks {
            self.skip_blanks();
        }
        if self.current() != Some(c) {
            return Err(self.error(&c.to_string(), None));
        }
        self.at += 1;
        if blanks {
            self.skip_blanks();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<Sh, String> {
        let mut params: Vec<(String, Sh)> = Vec::new();
        params.push(self.keyval()?);
        let mut last = self.at;
        while !self.eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.iter().any(|(k, _)| *k == key) {
                return Err(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because \
                     there is a preceding \",\" instead of a space.",
                    self.location(last + 1)
                ));
            }
            params.push((key, value));
            last = self.at;
        }
        Ok(Sh::Map(params))
    }

    /// A key and its `=` (or `@=`).
    fn key(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.current().is_some_and(|c| c.is_ascii_alphanumeric() || "-_.#/:".contains(c)) {
            self.at += 1;
        }
        let key: String = self.s[start..self.at].iter().collect();
        self.skip_blanks();
        self.from_file = self.current() == Some('@');
        if self.from_file {
            self.at += 1;
            self.skip_blanks();
        }
        self.expect('=', true)?;
        Ok(key)
    }

    fn keyval(&mut self) -> Result<(String, Sh), String> {
        let key = self.key()?;
        let value = match self.current() {
            None => Sh::Str(String::new()),
            Some('[') => self.explicit_list()?,
            Some('{') => self.hash_literal()?,
            Some(_) => self.csv_value()?,
        };
        Ok((key, value))
    }

    /// `a`, or `a,b,c`: a list that stops before the next `key=`.
    fn csv_value(&mut self) -> Result<Sh, String> {
        let first = self.first_value()?;
        self.skip_blanks();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            let next = self.second_value().and_then(|v| {
                self.skip_blanks();
                if self.eof() {
                    return Ok((v, true));
                }
                self.expect(',', true).map(|()| (v, false))
            });
            match next {
                Ok((v, last)) => {
                    list.push(v);
                    if last {
                        break;
                    }
                }
                Err(e) if self.eof() => return Err(e),
                Err(_) => {
                    // The next item is a `key=`: back to the comma before it.
                    while self.at > 0 && self.s.get(self.at) != Some(&',') {
                        self.at -= 1;
                    }
                    break;
                }
            }
        }
        Ok(if list.len() == 1 { list.remove(0) } else { Sh::List(list) })
    }

    /// A bare value of `starts_value` then `follows` characters, where `\,` is a comma.
    fn bare(&mut self, follows: fn(char) -> bool) -> Option<String> {
        let start = self.at;
        let mut out = String::new();
        while let Some(c) = self.current() {
            if c == '\\' && self.s.get(self.at + 1) == Some(&',') {
                out.push(',');
                self.at += 2;
            } else if if self.at == start { starts_value(c) } else { follows(c) } {
                out.push(c);
                self.at += 1;
            } else {
                break;
            }
        }
        (self.at > start).then(|| out.trim_end().to_owned())
    }

    fn first_value(&mut self) -> Result<Sh, String> {
        let value = match self.current() {
            Some(q @ ('\'' | '"')) => self.quoted(q)?,
            _ => self.bare(follows_first).unwrap_or_default(),
        };
        self.literal(value)
    }

    fn second_value(&mut self) -> Result<Sh, String> {
        let value = match self.current() {
            Some(q @ ('\'' | '"')) => self.quoted(q)?,
            _ => match self.bare(follows_second) {
                Some(v) => v,
                None => return Err(self.error("<second>", Some("<none>"))),
            },
        };
        self.literal(value)
    }

    /// A value as it is — unless it came after `@=` and names a file, which the browser
    /// cannot read.
    fn literal(&self, value: String) -> Result<Sh, String> {
        if self.from_file && (value.starts_with("file://") || value.starts_with("fileb://")) {
            return Err(format!(
                "@= reads {value} from a file, which dynaplay cannot do in the browser: write the value itself"
            ));
        }
        Ok(Sh::Str(value))
    }

    /// `'…'` or `"…"`: the longest run to a closing quote where every quote inside follows a
    /// `\`; then `\'` (`\"`) is the quote and `\\` a backslash.
    fn quoted(&mut self, q: char) -> Result<String, String> {
        let start = self.at;
        let mut end = None;
        let mut i = start + 1;
        while let Some(&c) = self.s.get(i) {
            if c == q {
                end = Some(i);
                if self.s[i - 1] != '\\' || i == start + 1 {
                    break;
                }
            }
            i += 1;
        }
        let Some(end) = end else {
            let name = if q == '\'' { "<singled quoted>" } else { "<double quoted>" };
            return Err(self.error(name, Some("<none>")));
        };
        let inner: String = self.s[start + 1..end].iter().collect();
        self.at = end + 1;
        Ok(inner.replace(&format!("\\{q}"), &q.to_string()).replace("\\\\", "\\"))
    }

    fn explicit_list(&mut self) -> Result<Sh, String> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            values.push(self.explicit_value()?);
            self.skip_blanks();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.skip_blanks();
            }
        }
        self.expect(']', false)?;
        Ok(Sh::List(values))
    }

    fn explicit_value(&mut self) -> Result<Sh, String> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<Sh, String> {
        self.expect('{', true)?;
        let mut pairs: Vec<(String, Sh)> = Vec::new();
        while self.current() != Some('}') {
            let key = self.key()?;
            let value = self.explicit_value()?;
            self.skip_blanks();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.skip_blanks();
            }
            // A repeated key in braces keeps the last value, as the CLI's dict does.
            match pairs.iter_mut().find(|(k, _)| *k == key) {
                Some(pair) => pair.1 = value,
                None => pairs.push((key, value)),
            }
        }
        self.expect('}', false)?;
        Ok(Sh::Map(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Sh {
        Sh::Str(v.to_owned())
    }

    fn map(pairs: &[(&str, Sh)]) -> Sh {
        Sh::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    #[test]
    fn reads_key_value_pairs_lists_and_nesting() {
        assert_eq!(
            parse("AttributeName=Artist,KeyType=HASH").unwrap(),
            map(&[("AttributeName", s("Artist")), ("KeyType", s("HASH"))])
        );
        assert_eq!(parse("a=b,c").unwrap(), map(&[("a", Sh::List(vec![s("b"), s("c")]))]));
        assert_eq!(parse("a=b,c,d=e").unwrap(), map(&[("a", Sh::List(vec![s("b"), s("c")])), ("d", s("e"))]));
        assert_eq!(
            parse("Artist={S=Nina},Tags=[{Key=k,Value=v},{Key=k2,Value=''}]").unwrap(),
            map(&[
                ("Artist", map(&[("S", s("Nina"))])),
                (
                    "Tags",
                    Sh::List(vec![
                        map(&[("Key", s("k")), ("Value", s("v"))]),
                        map(&[("Key", s("k2")), ("Value", s(""))])
                    ])
                ),
            ])
        );
        assert_eq!(
            parse(":a={SS=[x,y]} , :b={N=1}").unwrap(),
            map(&[(":a", map(&[("SS", Sh::List(vec![s("x"), s("y")]))])), (":b", map(&[("N", s("1"))]))])
        );
        assert_eq!(parse("a=").unwrap(), map(&[("a", s(""))]));
        // Empty values where a value may be empty, as the CLI reads them.
        assert_eq!(parse("a=,b").unwrap(), map(&[("a", Sh::List(vec![s(""), s("b")]))]));
        assert_eq!(parse("a=[,]").unwrap(), map(&[("a", Sh::List(vec![s("")]))]));
        assert_eq!(parse("a={},b=[]").unwrap(), map(&[("a", map(&[])), ("b", Sh::List(vec![]))]));
        assert_eq!(parse("a={b=1,b=2}").unwrap(), map(&[("a", map(&[("b", s("2"))]))]));
    }

    #[test]
    fn quoting_and_escaped_commas_keep_values_whole() {
        assert_eq!(
            parse(r#"a="x, y",b='it\'s',c=1\,2"#).unwrap(),
            map(&[("a", s("x, y")), ("b", s("it's")), ("c", s("1,2"))])
        );
        assert_eq!(parse(r#"a="back\\slash""#).unwrap(), map(&[("a", s("back\\slash"))]));
        // The longest quoted run wins: a quote after a backslash may close it.
        assert_eq!(parse(r"a='x\'").unwrap(), map(&[("a", s("x\\"))]));
        // Trailing blanks of a bare value are dropped; inner ones kept.
        assert_eq!(parse("a=x y  ,b=z").unwrap(), map(&[("a", s("x y")), ("b", s("z"))]));
    }

    #[test]
    fn errors_read_as_the_cli_writes_them() {
        assert_eq!(parse("a").unwrap_err(), "Expected: '=', received: 'EOF' for input:\na\n ^");
        assert_eq!(parse("a=1,b").unwrap(), map(&[("a", Sh::List(vec![s("1"), s("b")]))]));
        assert!(parse("a=1,a=2")
            .unwrap_err()
            .starts_with("Second instance of key \"a\" encountered for input:\n"));
        assert!(parse("a={b=1").unwrap_err().starts_with("Expected: ',', received: 'EOF'"));
        assert!(parse("a=[1,2").unwrap_err().starts_with("Expected: ',', received: 'EOF'"));
        assert!(parse("a@=file://x").unwrap_err().contains("cannot do in the browser"));
        // `@=` with a value that names no file is the value.
        assert_eq!(parse("a@=x").unwrap(), map(&[("a", s("x"))]));
        assert_eq!(
            parse("a=b,").unwrap_err(),
            "Expected: '<second>', received: '<none>' for input:\na=b,\n    ^"
        );
        assert_eq!(parse("a=x]").unwrap_err(), "Expected: ',', received: ']' for input:\na=x]\n   ^");
        assert_eq!(
            parse("a=1,a=2").unwrap_err(),
            "Second instance of key \"a\" encountered for input:\na=1,a=2\n    ^\nThis is often because there is a \
             preceding \",\" instead of a space."
        );
        assert!(parse("a='x")
            .unwrap_err()
            .starts_with("Expected: '<singled quoted>', received: '<none>' for input:"));
    }
}
