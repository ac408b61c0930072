//! Phase 1: expression text → tokens. Every character ends up in some token (a character
//! DynamoDB does not accept becomes a one-character `Bad` token), so the parser can always
//! name the token it stopped at, as DynamoDB's `Syntax error; token: "…", near: "…"` does.

/// The keywords of the expression language; they are never names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keyword {
    And,
    Or,
    Not,
    Between,
    In,
    Set,
    Remove,
    Add,
    Delete,
}

impl Keyword {
    fn parse(word: &str) -> Option<Keyword> {
        Some(match word.to_ascii_uppercase().as_str() {
            "AND" => Self::And,
            "OR" => Self::Or,
            "NOT" => Self::Not,
            "BETWEEN" => Self::Between,
            "IN" => Self::In,
            "SET" => Self::Set,
            "REMOVE" => Self::Remove,
            "ADD" => Self::Add,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare name: a letter, then letters, digits and `_`.
    Ident,
    /// A keyword (`AND`, `SET`, …), any case.
    Keyword(Keyword),
    /// `#name`.
    NamePlaceholder,
    /// `:value`.
    ValuePlaceholder,
    /// A list index: `0` or digits not starting with `0`.
    Int,
    /// `=`, `<>`, `<`, `<=`, `>`, `>=`, `(`, `)`, `[`, `]`, `,`, `.`, `+`, `-`.
    Punct(&'static str),
    /// A character the language has no use for (or a lone `#` / `:`).
    Bad,
    /// End of input.
    Eof,
}

/// A token and where it is in the text (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text as DynamoDB quotes it (`<EOF>` at the end).
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        if self.kind == TokenKind::Eof {
            "<EOF>"
        } else {
            source.get(self.start..self.end).unwrap_or("")
        }
    }
}

const PUNCTS: [&str; 14] = ["<>", "<=", ">=", "=", "<", ">", "(", ")", "[", "]", ",", ".", "+", "-"];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Splits `source` into tokens; the last one is always `Eof`.
pub(crate) fn tokenize(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if b.is_ascii_alphabetic() {
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            let word = &source[start..i];
            Keyword::parse(word).map_or(TokenKind::Ident, TokenKind::Keyword)
        } else if b == b'#' || b == b':' {
            i += 1;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            match (i - start, b) {
                (1, _) => TokenKind::Bad,
                (_, b'#') => TokenKind::NamePlaceholder,
                _ => TokenKind::ValuePlaceholder,
            }
        } else if b.is_ascii_digit() {
            i += 1;
            if b != b'0' {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            TokenKind::Int
        } else if let Some(p) = PUNCTS.iter().find(|p| bytes[i..].starts_with(p.as_bytes())) {
            i += p.len();
            TokenKind::Punct(p)
        } else {
            // One whole character (it may be several UTF-8 bytes).
            let width = source[i..].chars().next().map_or(1, char::len_utf8);
            i += width;
            TokenKind::Bad
        };
        tokens.push(Token { kind, start, end: i });
    }
    tokens.push(Token { kind: TokenKind::Eof, start: bytes.len(), end: bytes.len() });
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(TokenKind, &str)> {
        tokenize(s).iter().map(|t| (t.kind, t.text(s))).collect()
    }

    #[test]
    fn splits_every_token_kind() {
        use TokenKind::*;
        assert_eq!(
            kinds("a.#b[10] <= :v AND not x<>y"),
            vec![
                (Ident, "a"),
                (Punct("."), "."),
                (NamePlaceholder, "#b"),
                (Punct("["), "["),
                (Int, "10"),
                (Punct("]"), "]"),
                (Punct("<="), "<="),
                (ValuePlaceholder, ":v"),
                (Keyword(super::Keyword::And), "AND"),
                (Keyword(super::Keyword::Not), "not"),
                (Ident, "x"),
                (Punct("<>"), "<>"),
                (Ident, "y"),
                (Eof, "<EOF>"),
            ]
        );
    }

    #[test]
    fn odd_characters_become_bad_tokens() {
        use TokenKind::*;
        assert_eq!(kinds("!é"), vec![(Bad, "!"), (Bad, "é"), (Eof, "<EOF>")]);
        assert_eq!(kinds(": x"), vec![(Bad, ":"), (Ident, "x"), (Eof, "<EOF>")]);
        assert_eq!(kinds("_a"), vec![(Bad, "_"), (Ident, "a"), (Eof, "<EOF>")]);
        assert_eq!(kinds("007"), vec![(Int, "0"), (Int, "0"), (Int, "7"), (Eof, "<EOF>")]);
    }
}
