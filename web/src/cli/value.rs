//! An option's words as a request member, read against the member's schema
//! (`dynaplay_engine::schema`) the way the AWS CLI reads them: JSON when the value starts with
//! `{` or `[`, the shorthand syntax otherwise (for structures, maps and lists of them), one
//! word per list element for lists of strings, integers as Python's `int()` reads them, and a
//! shorthand value's strings turned into the model's integers and booleans as the CLI's
//! back-compat step does. Then the check the CLI's SDK makes before sending: a structure
//! member the model does not have is refused ("Unknown parameter in …").

use serde_json::{Map, Value};

use super::schema::{Member, Shape};
use super::shorthand::{self, Sh};
use super::Failure;

/// The members of an AttributeValue, in the API model's order.
pub(super) const ATTRIBUTE_VALUE: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/// A value the option was given.
pub(super) enum Given {
    /// `--flag` (true) or `--no-flag` (false).
    Flag(bool),
    /// One word.
    One(String),
    /// The words of a list option (possibly none).
    Many(Vec<String>),
}

/// "Error parsing parameter '--key': …", the CLI's wording for a value it cannot read.
pub(super) fn param_error(option: &str, message: &str) -> Failure {
    Failure::error(format!("Error parsing parameter '{option}': {message}"))
}

/// Refuses a value the CLI would read from a file: the browser has none to read.
pub(super) fn no_file(option: &str, word: &str) -> Result<(), Failure> {
    match ["file://", "fileb://"].iter().find(|p| word.starts_with(**p)) {
        Some(prefix) => Err(param_error(
            option,
            &format!(
                "dynaplay cannot read {prefix} files in the browser: put the file's contents in place of {word} \
                 (in single quotes)"
            ),
        )),
        None => Ok(()),
    }
}

/// JSON text as the CLI parses it, or its "Invalid JSON" error.
pub(super) fn json(option: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_slice(text.as_bytes())
        .map_err(|e| param_error(option, &format!("Invalid JSON: {e}\nJSON received: {text}")))
}

/// Python's `repr` of a string, as its error messages quote values.
pub(super) fn repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::from(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Python's `int(text)`: surrounding blanks, a sign, digits with single `_` between them.
pub(super) fn python_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let ok = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !ok {
        return None;
    }
    let clean: String = t.chars().filter(|&c| c != '_').collect();
    clean.trim_start_matches('+').parse().ok()
}

/// `int(text)` or Python's ValueError text.
fn int_value(text: &str) -> Result<Value, Failure> {
    python_int(text)
        .map(Value::from)
        .ok_or_else(|| Failure::error(format!("invalid literal for int() with base 10: {}", repr(text))))
}

fn starts_json(word: &str, brackets: &[char]) -> bool {
    word.trim_start().starts_with(brackets)
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(shape, Shape::List(_) | Shape::Map(_) | Shape::Struct(_) | Shape::AttributeValue)
}

/// The request member `--option` sets, from the words it was given.
pub(super) fn unpack(option: &str, shape: &Shape, given: Given) -> Result<Value, Failure> {
    match given {
        Given::Flag(b) => Ok(Value::Bool(b)),
        Given::One(word) => {
            no_file(option, &word)?;
            match shape {
                Shape::Integer | Shape::Long => int_value(&word),
                Shape::Struct(_) | Shape::Map(_) | Shape::AttributeValue => {
                    if starts_json(&word, &['{']) {
                        json(option, &word)
                    } else if starts_json(&word, &['[']) {
                        Err(param_error(option, &format!("Invalid JSON:\n{word}")))
                    } else {
                        let sh = shorthand::parse(&word).map_err(|e| param_error(option, &e))?;
                        convert(sh, shape)
                    }
                }
                _ => Ok(Value::String(word)),
            }
        }
        Given::Many(words) => {
            let Shape::List(member) = shape else { return Ok(Value::Null) };
            if let [one] = words.as_slice() {
                no_file(option, one)?;
                if one.trim().starts_with('[') {
                    return json(option, one);
                }
            }
            let mut list = Vec::with_capacity(words.len());
            if is_scalar(member) {
                for w in words {
                    list.push(match **member {
                        Shape::Integer | Shape::Long => int_value(&w)?,
                        _ => Value::String(w),
                    });
                }
            } else if words.first().is_some_and(|w| w.trim().starts_with(['[', '{'])) {
                // JSON elements, one per word.
                for w in words {
                    if !starts_json(&w, &['{']) {
                        return Err(param_error(option, &format!("Invalid JSON:\n{w}")));
                    }
                    list.push(json(option, &w)?);
                }
            } else {
                for w in words {
                    let sh = shorthand::parse(&w).map_err(|e| param_error(option, &e))?;
                    list.push(convert(sh, member)?);
                }
            }
            Ok(Value::Array(list))
        }
    }
}

/// A shorthand value as it is: strings, lists and objects.
fn raw(sh: Sh) -> Value {
    match sh {
        Sh::Str(s) => Value::String(s),
        Sh::List(items) => Value::Array(items.into_iter().map(raw).collect()),
        Sh::Map(pairs) => Value::Object(pairs.into_iter().map(|(k, v)| (k, raw(v))).collect()),
    }
}

/// Python's name for a shorthand value's type, as `int()` complains about it.
fn type_name(sh: &Sh) -> &'static str {
    match sh {
        Sh::Str(_) => "str",
        Sh::List(_) => "list",
        Sh::Map(_) => "dict",
    }
}

/// The member shape of an AttributeValue's member `tag`.
fn attribute_value_member(tag: &str) -> Option<Shape> {
    Some(match tag {
        "S" | "N" | "B" => Shape::Str,
        "SS" | "NS" | "BS" => Shape::List(Box::new(Shape::Str)),
        "M" => Shape::Map(Box::new(Shape::AttributeValue)),
        "L" => Shape::List(Box::new(Shape::AttributeValue)),
        "NULL" | "BOOL" => Shape::Bool,
        _ => return None,
    })
}

/// A shorthand value read against `shape`: the CLI's back-compat step turns the strings of
/// integer and boolean members into numbers and booleans and a single value where a list
/// belongs into a one-element list; everything else stays as written.
fn convert(sh: Sh, shape: &Shape) -> Result<Value, Failure> {
    Ok(match (shape, sh) {
        (Shape::Struct(fields), Sh::Map(pairs)) => {
            let mut out = Map::new();
            for (k, v) in pairs {
                let value = match fields.iter().find(|f| f.name == k) {
                    Some(f) => convert(v, &f.shape)?,
                    None => raw(v),
                };
                out.insert(k, value);
            }
            Value::Object(out)
        }
        (Shape::AttributeValue, Sh::Map(pairs)) => {
            let mut out = Map::new();
            for (k, v) in pairs {
                let value = match attribute_value_member(&k) {
                    Some(member) => convert(v, &member)?,
                    None => raw(v),
                };
                out.insert(k, value);
            }
            Value::Object(out)
        }
        (Shape::Map(member), Sh::Map(pairs)) => {
            let mut out = Map::new();
            for (k, v) in pairs {
                out.insert(k, convert(v, member)?);
            }
            Value::Object(out)
        }
        (Shape::List(member), Sh::List(items)) => {
            Value::Array(items.into_iter().map(|v| convert(v, member)).collect::<Result<_, _>>()?)
        }
        // One value where a list belongs: a list of it, as written.
        (Shape::List(_), other) => Value::Array(vec![raw(other)]),
        (Shape::Integer | Shape::Long, Sh::Str(s)) => int_value(&s)?,
        (Shape::Integer | Shape::Long, other) => {
            return Err(Failure::error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                type_name(&other)
            )))
        }
        (Shape::Bool, Sh::Str(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        (Shape::Bool, Sh::Str(s)) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        (_, other) => raw(other),
    })
}

/// The check the CLI's SDK makes before it sends: every member of a structure (an
/// AttributeValue included) must be one the model has. Collects the errors in the SDK's
/// wording; with `raw_blobs` (`--cli-binary-format raw-in-base64-out`), writes binary values
/// (`B`, `BS`) as the base64 of their text, as that format asks.
pub(super) fn check(value: &mut Value, shape: &Shape, path: &str, raw_blobs: bool, errors: &mut Vec<String>) {
    match (shape, value) {
        (Shape::Struct(fields), Value::Object(map)) => check_members(map, fields, path, raw_blobs, errors),
        (Shape::List(member), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                check(item, member, &format!("{path}[{i}]"), raw_blobs, errors);
            }
        }
        (Shape::Map(member), Value::Object(map)) => {
            for (k, v) in map.iter_mut() {
                check(v, member, &format!("{path}.{k}"), raw_blobs, errors);
            }
        }
        (Shape::AttributeValue, Value::Object(map)) => {
            for (k, v) in map.iter_mut() {
                match attribute_value_member(k) {
                    None => errors.push(unknown(path, k, ATTRIBUTE_VALUE.iter().copied())),
                    Some(_) if raw_blobs && k == "B" => encode(v),
                    Some(_) if raw_blobs && k == "BS" => {
                        if let Value::Array(items) = v {
                            items.iter_mut().for_each(encode);
                        }
                    }
                    Some(member) => check(v, &member, &format!("{path}.{k}"), raw_blobs, errors),
                }
            }
        }
        _ => {}
    }
}

/// [`check`] for the members of a structure (or of the request itself, path "input").
pub(super) fn check_members(
    map: &mut Map<String, Value>,
    fields: &[Member],
    path: &str,
    raw_blobs: bool,
    errors: &mut Vec<String>,
) {
    for (k, v) in map.iter_mut() {
        match fields.iter().find(|f| f.name == *k) {
            Some(f) => {
                let inner = if path == "input" { k.clone() } else { format!("{path}.{k}") };
                check(v, &f.shape, &inner, raw_blobs, errors);
            }
            None => errors.push(unknown(path, k, fields.iter().map(|f| f.name.as_str()))),
        }
    }
}

fn unknown<'a>(path: &str, key: &str, valid: impl Iterator<Item = &'a str>) -> String {
    format!(
        "Unknown parameter in {path}: \"{key}\", must be one of: {}",
        valid.collect::<Vec<_>>().join(", ")
    )
}

fn encode(v: &mut Value) {
    if let Value::String(s) = v {
        *s = dynaplay_engine::types::base64::encode(s.as_bytes());
    }
}
