//! Reading the content files (labs, questions) from JSON by hand: serde's derive would put a
//! deserializer per type into the browser bundle, and these files need only a few shapes.
//! Every reader refuses members it does not know, so a typo in a file is an error with its
//! place, never a silently ignored field.

use serde_json::{Map, Value};

/// The members of one JSON object being read; [`Fields::finish`] refuses any left unread.
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    path: &'a str,
    read: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    /// Starts reading `value`, which must be an object; `path` names it in errors
    /// (`steps[2].check`).
    pub fn of(value: &'a Value, path: &'a str) -> Result<Self, String> {
        match value {
            Value::Object(object) => Ok(Self { object, path, read: Vec::new() }),
            _ => Err(format!("{path}: expected an object")),
        }
    }

    /// Where this object is in the file.
    pub fn path(&self) -> &str {
        self.path
    }

    /// The member, if present (and not `null`).
    pub fn optional(&mut self, name: &'static str) -> Option<&'a Value> {
        self.read.push(name);
        self.object.get(name).filter(|v| !v.is_null())
    }

    /// The member, which must be present.
    pub fn required(&mut self, name: &'static str) -> Result<&'a Value, String> {
        let path = self.path;
        self.optional(name).ok_or_else(|| format!("{path}: \"{name}\" is missing"))
    }

    /// A string member, which must be present.
    pub fn string(&mut self, name: &'static str) -> Result<String, String> {
        let value = self.required(name)?;
        as_string(value, self.path, name)
    }

    /// A string member that may be left out.
    pub fn optional_string(&mut self, name: &'static str) -> Result<Option<String>, String> {
        match self.optional(name) {
            Some(value) => as_string(value, self.path, name).map(Some),
            None => Ok(None),
        }
    }

    /// A list of strings that may be left out (then empty).
    pub fn strings(&mut self, name: &'static str) -> Result<Vec<String>, String> {
        let path = format!("{}.{name}", self.path);
        match self.optional(name) {
            Some(value) => list(value, &path, |v, p| as_string(v, p, "")),
            None => Ok(Vec::new()),
        }
    }

    /// A non-negative whole number member that may be left out.
    pub fn optional_u64(&mut self, name: &'static str) -> Result<Option<u64>, String> {
        match self.optional(name) {
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("{}.{name}: expected a whole number", self.path)),
            None => Ok(None),
        }
    }

    /// A number member that may be left out.
    pub fn optional_f64(&mut self, name: &'static str) -> Result<Option<f64>, String> {
        match self.optional(name) {
            Some(value) => {
                value.as_f64().map(Some).ok_or_else(|| format!("{}.{name}: expected a number", self.path))
            }
            None => Ok(None),
        }
    }

    /// A true/false member that may be left out (then false).
    pub fn flag(&mut self, name: &'static str) -> Result<bool, String> {
        match self.optional(name) {
            Some(value) => {
                value.as_bool().ok_or_else(|| format!("{}.{name}: expected true or false", self.path))
            }
            None => Ok(false),
        }
    }

    /// Ends reading: an error names the first member nobody asked for.
    pub fn finish(self) -> Result<(), String> {
        match self.object.keys().find(|key| !self.read.contains(&key.as_str())) {
            Some(unknown) => Err(format!("{}: unknown member \"{unknown}\"", self.path)),
            None => Ok(()),
        }
    }
}

fn as_string(value: &Value, path: &str, name: &str) -> Result<String, String> {
    match value.as_str() {
        Some(text) => Ok(text.to_owned()),
        None if name.is_empty() => Err(format!("{path}: expected a string")),
        None => Err(format!("{path}.{name}: expected a string")),
    }
}

/// Reads a JSON list with `item`, naming each entry `path[i]` for its errors.
pub fn list<T>(
    value: &Value,
    path: &str,
    item: impl Fn(&Value, &str) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let Value::Array(entries) = value else {
        return Err(format!("{path}: expected a list"));
    };
    let mut out = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        out.push(item(entry, &format!("{path}[{index}]"))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_members_and_refuses_unknown_ones() {
        let value = json!({"a": "x", "n": 3, "f": true, "l": ["p", "q"], "extra": 1});
        let mut fields = Fields::of(&value, "lab").unwrap();
        assert_eq!(fields.string("a").unwrap(), "x");
        assert_eq!(fields.optional_u64("n").unwrap(), Some(3));
        assert!(fields.flag("f").unwrap());
        assert_eq!(fields.strings("l").unwrap(), ["p", "q"]);
        assert_eq!(fields.optional_string("absent").unwrap(), None);
        assert_eq!(fields.finish().unwrap_err(), "lab: unknown member \"extra\"");
    }

    #[test]
    fn wrong_shapes_name_their_place() {
        let value = json!({"a": 1, "l": ["p", 2], "n": -1});
        let mut fields = Fields::of(&value, "x").unwrap();
        assert_eq!(fields.string("a").unwrap_err(), "x.a: expected a string");
        assert_eq!(fields.strings("l").unwrap_err(), "x.l[1]: expected a string");
        assert_eq!(fields.optional_u64("n").unwrap_err(), "x.n: expected a whole number");
        assert_eq!(fields.required("b").unwrap_err(), "x: \"b\" is missing");
        assert_eq!(Fields::of(&json!([]), "y").err().unwrap(), "y: expected an object");
        assert_eq!(list(&json!({}), "z", |_, _| Ok(())).unwrap_err(), "z: expected a list");
    }
}
