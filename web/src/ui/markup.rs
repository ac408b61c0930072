//! The one escaping helper for markup written as text. Views are yew `html!`, whose text and
//! attribute values are escaped by the DOM; the few panels written as text instead — the
//! Capacity view's charts, partition map and hot keys (`capacity/panels.rs`), redrawn from
//! data on every poll and measured smaller and faster that way (web/README.md, *One way to
//! write a view*) — put every piece of data through [`esc`] or [`push_esc`].

/// Text escaped for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_esc(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped for HTML content and attribute values.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_end_a_value_or_open_a_tag() {
        assert_eq!(
            esc(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(esc("Music — 音楽"), "Music — 音楽");
        let mut out = String::from("<b>");
        push_esc(&mut out, "1 < 2");
        assert_eq!(out, "<b>1 &lt; 2");
    }
}
