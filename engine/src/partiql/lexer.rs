//! Phase 1: statement text → tokens. Keywords are recognised case-insensitively; everything
//! else keeps its spelling. Each token remembers its line and column (1-based), which
//! DynamoDB's messages name (`Unexpected path component at 1:8:5`).
//!
//! The whole statement is read before it is parsed, as DynamoDB's PartiQL does: a character
//! it has no use for (`#`), an unterminated literal or comment, or a number literal Java's
//! `BigDecimal` cannot hold (an exponent or scale past a 32-bit integer) fails the statement
//! with nothing after the colon of `Statement wasn't well formed, can't be processed: `,
//! wherever it sits.

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word: a letter or `_`, then letters, digits, `_` and `$`. Keywords are words too;
    /// the parser decides by position (so an attribute may be called `data` or `size`).
    Word(String),
    /// `"name"`: an identifier with any characters (`""` is a quote).
    Quoted(String),
    /// `'text'`: a string literal (`''` is a quote).
    Str(String),
    /// A number literal as written: digits, an optional fraction and exponent.
    Number(String),
    /// `?`: a parameter, numbered from 0 in order of appearance.
    Param(usize),
    /// Punctuation and operators: `, . ( ) [ ] { } : ; * + - = <> != < <= > >= << >>`.
    Punct(&'static str),
    /// End of input.
    Eof,
}

/// A token and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub line: usize,
    pub column: usize,
    /// Length in characters, as written.
    pub len: usize,
}

impl Token {
    /// Whether this token is the keyword `word` (any case).
    pub fn is_keyword(&self, word: &str) -> bool {
        matches!(&self.kind, TokenKind::Word(w) if w.eq_ignore_ascii_case(word))
    }

    /// How messages show the token.
    pub fn text(&self) -> String {
        match &self.kind {
            TokenKind::Word(w) => w.clone(),
            TokenKind::Quoted(q) => format!("\"{q}\""),
            TokenKind::Str(s) => format!("'{s}'"),
            TokenKind::Number(n) => n.clone(),
            TokenKind::Param(_) => "?".into(),
            TokenKind::Punct(p) => (*p).into(),
            TokenKind::Eof => "<EOF>".into(),
        }
    }
}

/// Operators, longest first so `<=` wins over `<`.
const PUNCTS: &[&str] = &[
    "<<", ">>", "<>", "!=", "<=", ">=", ",", ".", "(", ")", "[", "]", "{", "}", ":", ";", "*", "+", "-", "=",
    "<", ">",
];

/// Why the text could not be read: DynamoDB says nothing after the colon.
pub(crate) struct LexError;

/// Splits `text` into tokens, ending with `Eof`.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut params = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // `--` comments run to the end of the line.
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        // `/* … */` comments may span lines; an unterminated one fails the statement.
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            loop {
                match chars.get(i) {
                    None => return Err(LexError),
                    Some('*') if chars.get(i + 1) == Some(&'/') => {
                        i += 2;
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        line_start = i + 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            continue;
        }
        let start = i;
        let column = start - line_start + 1;
        let token_line = line;
        let kind = if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            TokenKind::Word(chars[start..i].iter().collect())
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            i = number_end(&chars, i);
            let text: String = chars[start..i].iter().collect();
            if !fits_big_decimal(&text) {
                return Err(LexError);
            }
            TokenKind::Number(text)
        } else if c == '\'' || c == '"' {
            let (value, end) = quoted(&chars, i, c);
            i = end;
            match value {
                Some(v) if c == '\'' => TokenKind::Str(v),
                Some(v) => TokenKind::Quoted(v),
                None => return Err(LexError),
            }
        } else if c == '?' {
            i += 1;
            params += 1;
            TokenKind::Param(params - 1)
        } else if let Some(p) =
            PUNCTS.iter().find(|p| p.chars().enumerate().all(|(k, pc)| chars.get(i + k) == Some(&pc)))
        {
            i += p.chars().count();
            TokenKind::Punct(p)
        } else {
            return Err(LexError);
        };
        // Multi-line string literals move the line counter too.
        if let Some(pos) = chars[start..i].iter().rposition(|ch| *ch == '\n') {
            line += chars[start..i].iter().filter(|ch| **ch == '\n').count();
            line_start = start + pos + 1;
        }
        tokens.push(Token { kind, line: token_line, column, len: i - start });
    }
    let column = chars.len() - line_start + 1;
    tokens.push(Token { kind: TokenKind::Eof, line, column, len: 0 });
    Ok(tokens)
}

/// Whether Java's `BigDecimal` reads a number literal: its exponent and its scale (digits
/// after the point less the exponent) must each fit a 32-bit integer.
pub(crate) fn fits_big_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, "0"),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    // More digits than an i64 holds is past an i32 anyway.
    let Ok(exponent) = exponent.parse::<i64>() else { return false };
    i32::try_from(exponent).is_ok() && i32::try_from(fraction - exponent).is_ok()
}

/// The end of a number starting at `i`: digits, `.digits`, `e[+-]digits`.
fn number_end(chars: &[char], mut i: usize) -> usize {
    let digits = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
    };
    digits(&mut i);
    if chars.get(i) == Some(&'.') {
        i += 1;
        digits(&mut i);
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        if chars.get(j).is_some_and(char::is_ascii_digit) {
            i = j;
            digits(&mut i);
        }
    }
    i
}

/// A quoted literal starting at `i` with quote `q`; a doubled quote stands for one. Returns
/// the value (None when unterminated) and the index after it.
fn quoted(chars: &[char], mut i: usize, q: char) -> (Option<String>, usize) {
    let mut value = String::new();
    i += 1;
    while i < chars.len() {
        if chars[i] == q {
            if chars.get(i + 1) == Some(&q) {
                value.push(q);
                i += 2;
                continue;
            }
            return (Some(value), i + 1);
        }
        value.push(chars[i]);
        i += 1;
    }
    (None, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text).unwrap_or_default().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn splits_statements() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"SELECT * FROM "T" WHERE a.b[1] <= 'it''s' AND c <> -1.5e3 -- done"#),
            vec![
                Word("SELECT".into()),
                Punct("*"),
                Word("FROM".into()),
                Quoted("T".into()),
                Word("WHERE".into()),
                Word("a".into()),
                Punct("."),
                Word("b".into()),
                Punct("["),
                Number("1".into()),
                Punct("]"),
                Punct("<="),
                Str("it's".into()),
                Word("AND".into()),
                Word("c".into()),
                Punct("<>"),
                Punct("-"),
                Number("1.5e3".into()),
                Eof
            ]
        );
        assert_eq!(kinds("<<?, ?>>"), vec![Punct("<<"), Param(0), Punct(","), Param(1), Punct(">>"), Eof]);
        assert_eq!(kinds("a /* note\n */ ; b"), vec![Word("a".into()), Punct(";"), Word("b".into()), Eof]);
        for bad in ["'open", "\"open", "a # b", "a /* b", "1e2147483648", "1.5e-2147483647", "1e99999999999"]
        {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
        assert!(tokenize("1e2147483647 .5e-3").is_ok());
    }

    #[test]
    fn positions_are_line_and_column() {
        let tokens = tokenize("SELECT\n  COUNT(*)").unwrap_or_default();
        assert_eq!((tokens[1].line, tokens[1].column, tokens[1].len), (2, 3, 5));
        assert!(tokens[0].is_keyword("select"));
    }
}
