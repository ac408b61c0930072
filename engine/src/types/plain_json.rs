//! A reader for the plainest JSON: objects, strings without escapes, `true` and `false`.
//! Anything else — numbers, arrays, `null`, an escape, a control character, invalid UTF-8,
//! text after the end — reads as `None`, and the caller takes its usual way, through
//! serde_json, which reads (or refuses) it in full.
//!
//! It exists for the requests that take most traffic in their plainest form (a GetItem by
//! table name and key): parsing such a body into a `serde_json::Value` tree, checking it
//! and freeing it was half of the request's time. A few bytes of code, where serde visitors
//! for the same requests cost the page's first load kilobytes.

/// JSON text read from the front, as far as it is plain.
pub(crate) struct Plain<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Plain<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Self { text, at: 0 }
    }

    /// The next byte after whitespace, consumed.
    fn next(&mut self) -> Option<u8> {
        while let Some(&b) = self.text.get(self.at) {
            self.at += 1;
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
        }
        None
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A string with no escape and no control character.
    pub fn string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.string_bytes()?).ok()
    }

    /// [`Plain::string`]'s bytes, not yet checked to be UTF-8 (a member name compared with
    /// the names a request may have need not be).
    fn string_bytes(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = self.text.get(self.at..)?;
        let len = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        self.at += len + 1;
        Some(&rest[..len])
    }

    pub fn boolean(&mut self) -> Option<bool> {
        let word: &[u8] = match self.next()? {
            b't' => b"rue",
            b'f' => b"alse",
            _ => return None,
        };
        let rest = self.text.get(self.at..self.at + word.len())?;
        self.at += word.len();
        (rest == word).then_some(word.len() == 3)
    }

    /// An object: `member` reads each member's value, given its name's bytes (compared with
    /// names as they are, or checked by [`utf8`]), or declines it.
    pub fn object(&mut self, mut member: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        let mut first = true;
        loop {
            let at = self.at;
            match self.next()? {
                b'}' if first => return Some(()),
                b'"' => self.at = at,
                _ => return None,
            }
            let name = self.string_bytes()?;
            self.eat(b':')?;
            member(self, name)?;
            match self.next()? {
                b',' => first = false,
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// Whether only whitespace is left.
    pub fn end(mut self) -> Option<()> {
        self.next().is_none().then_some(())
    }
}

/// A name [`Plain::object`] gave, as text.
pub(crate) fn utf8(name: &[u8]) -> Option<&str> {
    std::str::from_utf8(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The members of a flat object of strings and booleans, as text.
    fn members(text: &str) -> Option<Vec<(String, String)>> {
        let mut json = Plain::new(text.as_bytes());
        let mut out = Vec::new();
        json.object(|json, name| {
            let at = json.at;
            let value = match json.string() {
                Some(s) => s.to_owned(),
                None => {
                    json.at = at;
                    json.boolean()?.to_string()
                }
            };
            out.push((utf8(name)?.to_owned(), value));
            Some(())
        })?;
        json.end()?;
        Some(out)
    }

    #[test]
    fn reads_plain_objects_as_serde_json_does() {
        for text in
            [r#"{}"#, r#" { "a" : "x" , "b":true,"c":false } "#, "{\n\t\"é\":\"ü ✓\"\r\n}", r#"{"a":""}"#]
        {
            let ours = members(text).unwrap_or_else(|| panic!("{text} not read"));
            let theirs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
            let theirs: Vec<(String, String)> = theirs
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect();
            let mut sorted = ours.clone();
            sorted.sort();
            assert_eq!(sorted, theirs, "{text}");
        }
    }

    #[test]
    fn declines_everything_else() {
        for text in [
            "",
            "{",
            "{,}",
            r#"{"a":"x",}"#,
            r#"{"a":"x"} x"#,
            r#"{"a":"x"}{}"#,
            r#"{"a":"x\"y"}"#,
            r#"{"a":"\u0041"}"#,
            "{\"a\":\"x\ty\"}",
            r#"{"a":1}"#,
            r#"{"a":null}"#,
            r#"{"a":[]}"#,
            r#"{"a":tru}"#,
            r#"{"a":truex}"#,
            r#"{"a" "x"}"#,
            r#"{a:"x"}"#,
            r#"["a"]"#,
            r#"{"a":"x""#,
        ] {
            assert_eq!(members(text), None, "{text:?} was read");
        }
        // Invalid UTF-8 inside a string.
        let mut json = Plain::new(b"\"\xff\"");
        assert_eq!(json.string(), None);
    }
}
