//! The commands and their options as the parser reads them: the engine's registry
//! (`dynaplay_engine::OPERATIONS`, each operation's request schema) copied into plain data.
//! The copy is what lets the parser run in the module loaded on demand, which must not link
//! the registry (its rows name every handler, and with them the whole engine): the page makes
//! it ([`engine_json`]: the JSON written straight from the engine's schemas, the least code in
//! the page) and hands it over; the module reads it back ([`Registry::from_json`]).

use dynaplay_engine::schema::{Field, Rule, Shape as EngineShape};
use dynaplay_engine::{ApiFamily, OPERATIONS};
use serde_json::Value;

/// A request member's JSON shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// A 32-bit integer (argparse reads it late, as a string).
    Integer,
    /// A 64-bit integer (argparse reads it as it parses).
    Long,
    /// A floating-point number.
    Double,
    /// A list of one shape.
    List(Box<Shape>),
    /// A map from names to one shape.
    Map(Box<Shape>),
    /// A structure's members.
    Struct(Vec<Member>),
    /// An AttributeValue.
    AttributeValue,
}

/// A member of a request or a structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// As the request spells it (`TableName`).
    pub name: String,
    /// Its shape.
    pub shape: Shape,
    /// Whether the CLI asks for it (DynamoDB's model: "Member must not be null").
    pub required: bool,
}

/// An operation a CLI command sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `PutItem`.
    pub name: String,
    /// Served under `aws dynamodbstreams` rather than `aws dynamodb`.
    pub streams: bool,
    /// Served under `aws application-autoscaling` (full engine only).
    pub scaling: bool,
    /// Its request's members.
    pub members: Vec<Member>,
}

/// Every operation of `aws dynamodb` and `aws dynamodbstreams` the engine serves.
#[derive(Clone, Debug, PartialEq)]
pub struct Registry {
    /// In the engine's registry order.
    pub operations: Vec<Operation>,
}

fn member(f: &Field) -> Member {
    Member {
        name: f.name.to_owned(),
        shape: shape(&f.shape),
        required: f.rules.iter().any(|r| matches!(r, Rule::Required | Rule::NotNull)),
    }
}

fn shape(s: &EngineShape) -> Shape {
    match s {
        EngineShape::Bool => Shape::Bool,
        EngineShape::Integer => Shape::Integer,
        EngineShape::Long => Shape::Long,
        EngineShape::Double => Shape::Double,
        EngineShape::List(m) => Shape::List(Box::new(shape(m))),
        EngineShape::Map(m) => Shape::Map(Box::new(shape(m))),
        EngineShape::Struct(_, fields) => Shape::Struct(fields.iter().map(member).collect()),
        EngineShape::AttributeValue => Shape::AttributeValue,
        _ => Shape::Str,
    }
}

impl Registry {
    /// The engine's DynamoDB and DynamoDB Streams operations (not the playground's own).
    pub fn from_engine() -> Registry {
        Registry {
            operations: OPERATIONS
                .iter()
                .filter(|o| served(o))
                .map(|o| Operation {
                    name: o.name.to_owned(),
                    streams: o.family == ApiFamily::DynamoDBStreams,
                    scaling: o.family == ApiFamily::ApplicationAutoScaling,
                    members: o.request_members().iter().map(member).collect(),
                })
                .collect(),
        }
    }

    /// The operation named `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// Reads [`engine_json`]'s JSON back; `None` if it is not that.
    pub fn from_json(value: &Value) -> Option<Registry> {
        let operations = value
            .as_array()?
            .iter()
            .map(|o| {
                Some(Operation {
                    name: o.get(0)?.as_str()?.to_owned(),
                    streams: *o.get(1)? == true,
                    scaling: *o.get(1)? == "application-autoscaling",
                    members: members_from(o.get(2)?)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Registry { operations })
    }
}

/// The engine's registry as [`Registry::from_json`] reads it, written as text straight from the
/// schemas: `[[name, streams (or "application-autoscaling"), [member…]], …]`, a member `[name, shape, required]`, a shape
/// `"s" "b" "i" "l" "d" "a"` or `{"L": shape}`, `{"M": shape}`, `{"S": [member…]}`. Names are
/// the API model's (ASCII letters), so they need no escaping.
pub fn engine_json() -> String {
    let mut out = String::from("[");
    for o in OPERATIONS.iter().filter(|o| served(o)) {
        if out.len() > 1 {
            out.push(',');
        }
        // The service: DynamoDB Streams (true), DynamoDB (false), or Application Auto Scaling.
        let service = match o.family {
            ApiFamily::ApplicationAutoScaling => "\"application-autoscaling\"",
            family => {
                if family == ApiFamily::DynamoDBStreams {
                    "true"
                } else {
                    "false"
                }
            }
        };
        out.push_str(&format!("[\"{}\",{service},", o.name));
        write_members(&mut out, o.request_members());
        out.push(']');
    }
    out.push(']');
    out
}

/// Whether the browser's AWS CLI runs `o`: DynamoDB's and DynamoDB Streams' operations, and
/// Application Auto Scaling's where the engine has them (a build without the feature lists them
/// with no members, only to refuse them: `aws application-autoscaling` is then refused whole).
fn served(o: &dynaplay_engine::OperationSpec) -> bool {
    match o.family {
        ApiFamily::DynamoDB | ApiFamily::DynamoDBStreams => true,
        ApiFamily::ApplicationAutoScaling => !o.request_members().is_empty(),
        _ => false,
    }
}

fn write_members(out: &mut String, fields: &[Field]) {
    out.push('[');
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("[\"{}\",", f.name));
        write_shape(out, &f.shape);
        let required = f.rules.iter().any(|r| matches!(r, Rule::Required | Rule::NotNull));
        out.push_str(if required { ",true]" } else { ",false]" });
    }
    out.push(']');
}

fn write_shape(out: &mut String, s: &EngineShape) {
    match s {
        EngineShape::List(m) | EngineShape::Map(m) => {
            out.push_str(if matches!(s, EngineShape::List(_)) { "{\"L\":" } else { "{\"M\":" });
            write_shape(out, m);
            out.push('}');
        }
        EngineShape::Struct(_, fields) => {
            out.push_str("{\"S\":");
            write_members(out, fields);
            out.push('}');
        }
        other => out.push_str(match other {
            EngineShape::Bool => "\"b\"",
            EngineShape::Integer => "\"i\"",
            EngineShape::Long => "\"l\"",
            EngineShape::Double => "\"d\"",
            EngineShape::AttributeValue => "\"a\"",
            _ => "\"s\"",
        }),
    }
}

fn members_from(v: &Value) -> Option<Vec<Member>> {
    v.as_array()?
        .iter()
        .map(|m| {
            Some(Member {
                name: m.get(0)?.as_str()?.to_owned(),
                shape: shape_from(m.get(1)?)?,
                required: m.get(2)?.as_bool()?,
            })
        })
        .collect()
}

fn shape_from(v: &Value) -> Option<Shape> {
    if let Some(s) = v.as_str() {
        return Some(match s {
            "s" => Shape::Str,
            "b" => Shape::Bool,
            "i" => Shape::Integer,
            "l" => Shape::Long,
            "d" => Shape::Double,
            "a" => Shape::AttributeValue,
            _ => return None,
        });
    }
    let (tag, inner) = v.as_object()?.iter().next()?;
    Some(match tag.as_str() {
        "L" => Shape::List(Box::new(shape_from(inner)?)),
        "M" => Shape::Map(Box::new(shape_from(inner)?)),
        "S" => Shape::Struct(members_from(inner)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    #[test]
    fn the_page_hands_over_the_registry_as_the_engine_has_it() {
        let registry = Registry::from_engine();
        assert_eq!(registry.operations.len(), OPERATIONS.iter().filter(|o| served(o)).count());
        // Application Auto Scaling's operations say their service, and read back as it.
        if let Some(put) = registry.operation("PutScalingPolicy") {
            assert!(put.scaling && !put.streams);
            assert!(engine_json().contains(r#"["PutScalingPolicy","application-autoscaling","#));
        }
        // Neither the playground's operations nor DAX's (`aws dax` is not the browser CLI's).
        assert!(registry.operation("CreateCluster").is_none());
        let text = engine_json();
        let back = Registry::from_json(&serde_json::from_slice(text.as_bytes()).unwrap()).unwrap();
        assert_eq!(back, registry);
        assert!(Registry::from_json(&json!([["X", false, [["a", "?", false]]]])).is_none());
        let put = registry.operation("PutItem").unwrap();
        assert!(put.members.iter().any(|m| m.name == "TableName" && m.required));
        assert!(registry.operation("GetRecords").unwrap().streams);
        assert!(registry.operation("PlaygroundDescribeTime").is_none());
    }
}
