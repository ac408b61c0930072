//! Views written as HTML text. yew's `html!` compiles every element into code — about 400 bytes
//! of wasm each, listeners and attribute sets included — while the same element as text costs its
//! characters, which gzip well. The element-heavy views (forms, panels, charts, lists) are
//! therefore written here or next to them as text: one `Html::from_html_unchecked` node in the
//! component, one listener per event kind on its root reading the control's `name` or the
//! button's `data-action` (see `components::on_field` and `components::on_action`), and an
//! unchanged string leaves its DOM — and a control's focus and caret — untouched. Platform-free:
//! markup is unit-tested natively. Every piece of data written into it goes through [`esc`].

use std::fmt::Write;

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

/// `" selected"` when `on` (for an `<option>`).
pub fn selected(on: bool) -> &'static str {
    if on {
        " selected"
    } else {
        ""
    }
}

/// `" checked"` when `on` (for a radio button or checkbox).
pub fn checked(on: bool) -> &'static str {
    if on {
        " checked"
    } else {
        ""
    }
}

/// A `<select name=…>` of `(value, label)` choices with `current` selected; `extra` is written
/// into the tag as is (further attributes). The name, choices and `extra` are written as they
/// are: pass only the view's own text, never data.
pub fn select(out: &mut String, name: &str, extra: &str, choices: &[(&str, &str)], current: &str) {
    let _ = write!(out, "<select name=\"{name}\"{extra}>");
    for (value, label) in choices {
        let _ = write!(out, "<option value=\"{value}\"{}>{label}</option>", selected(*value == current));
    }
    out.push_str("</select>");
}

/// A form whose controls are markup: each control has a `name`, and one listener on the form
/// hands every `input` and `change` event to [`Fields::set`] with that name and the new value.
pub trait Fields {
    /// Applies the control `name`'s new `value` (a checkbox's is `"true"` or `"false"`).
    fn set(&mut self, name: &str, value: String);
}

/// A labelled text `<input name=…>` holding `value`: `<label class="field {class}"><span>{label}
/// </span><input …></label>`; `extra` is written into the input tag as is. Only `value` is
/// escaped: the class, label, name and `extra` must be the view's own text, never data.
pub fn text_field(out: &mut String, class: &str, label: &str, name: &str, value: &str, extra: &str) {
    let space = if class.is_empty() { "" } else { " " };
    let _ = write!(
        out,
        "<label class=\"field{space}{class}\"><span>{label}</span><input name=\"{name}\" value=\""
    );
    push_esc(out, value);
    let _ = write!(out, "\"{extra}></label>");
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
    }

    #[test]
    fn select_marks_the_current_choice_only() {
        let mut out = String::new();
        select(&mut out, "t", " aria-label=\"Type\"", &[("S", "String"), ("N", "Number")], "N");
        assert_eq!(
            out,
            "<select name=\"t\" aria-label=\"Type\"><option value=\"S\">String</option><option value=\"N\" selected>Number</option></select>"
        );
    }

    #[test]
    fn text_field_escapes_its_value() {
        let mut out = String::new();
        text_field(&mut out, "grow", "Table name", "name", "a\"><script>", " required");
        assert_eq!(
            out,
            "<label class=\"field grow\"><span>Table name</span><input name=\"name\" value=\"a&quot;&gt;&lt;script&gt;\" required></label>"
        );
    }
}
