//! The page's request history, for the Access view's simulator (`learn/access_sim.rs`): the
//! latest distinct requests the engine ran — from the forms, the console, `dynaplay.send` and
//! the AWS SDK alike, since all of them come through [`super::Host::dispatch`] — with who they
//! were sent as and how they ended. Only the full engine keeps it (identities are in it alone),
//! so the first load pays nothing. The Playground operations are the page's controls, not
//! requests IAM authorizes, and are left out. A request sent again (a view's poll, a retried
//! form) moves to the front with its count, so polling never floods the list.

use serde_json::{json, Value};

use dynaplay_engine::ApiResult;

/// How many distinct requests are kept.
const KEPT: usize = 40;

/// The history, newest first.
#[derive(Default)]
pub struct History(Vec<Value>);

impl History {
    /// Notes a request the engine ran and its outcome.
    pub fn record(
        &mut self,
        operation: &str,
        body: &[u8],
        region: Option<&str>,
        acting_as: Option<String>,
        outcome: &ApiResult<String>,
    ) {
        if operation.starts_with("Playground") {
            return;
        }
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let mut entry = json!({"Operation": operation, "Request": request, "Count": 1});
        if let Some(region) = region {
            entry["Region"] = json!(region);
        }
        if let Some(arn) = acting_as {
            entry["ActingAs"] = json!(arn);
        }
        if let Err(e) = outcome {
            entry["Error"] = json!({"Code": e.kind.name(), "Message": e.message});
        }
        let same = |e: &Value| {
            e["Operation"] == entry["Operation"]
                && e["Request"] == entry["Request"]
                && e["Region"] == entry["Region"]
                && e["ActingAs"] == entry["ActingAs"]
        };
        if let Some(i) = self.0.iter().position(same) {
            entry["Count"] = json!(self.0.remove(i)["Count"].as_u64().unwrap_or(1) + 1);
        }
        self.0.insert(0, entry);
        self.0.truncate(KEPT);
    }

    /// The history as JSON text: `[{Operation, Request, Count, Region?, ActingAs?, Error?}]`.
    pub fn to_json(&self) -> String {
        Value::from(self.0.clone()).to_string()
    }
}
