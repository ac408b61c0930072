//! Sample datasets (`static/datasets/*.json`, documented in that folder's README): a list of
//! requests that creates tables and fills them, and the [`Loader`] that sends them.
//!
//! The loader is a small state machine rather than a loop, because the two hosts wait
//! differently: the browser sends each request through its journal and waits for the wall
//! clock when a batch comes back with UnprocessedItems; a native test moves the engine's clock
//! itself ([`load`]).

use serde_json::{Map, Value};

use crate::read::Fields;
use crate::script::{Exchange, Step};

/// The `format` member every dataset file carries.
pub const FORMAT: &str = "dynaplay-dataset";

/// A dataset file, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Short name (`music`), also the file's name.
    pub id: String,
    /// What the welcome and the table list show.
    pub title: String,
    /// One paragraph on what the data is and what it is for.
    pub description: String,
    /// Every table the steps create; loading is refused if one exists already.
    pub tables: Vec<String>,
    /// How many items the steps write.
    pub items: u64,
    time: Option<TimeAttributes>,
    steps: Vec<Step>,
}

/// Number attributes holding epoch seconds written against the instant `clock`; the loader
/// moves them by (now − clock) so "expires seven days after the reading" keeps its meaning.
#[derive(Clone, Debug, PartialEq)]
struct TimeAttributes {
    clock: u64,
    attributes: Vec<String>,
}

impl Dataset {
    /// Reads a dataset file; unknown members and any other format are refused.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let mut fields = Fields::of(value, "dataset")?;
        let format = fields.string("format")?;
        if format != FORMAT {
            return Err(format!("dataset: format is \"{format}\", expected \"{FORMAT}\""));
        }
        if fields.optional_u64("version")? != Some(1) {
            return Err("dataset: only version 1 is known".into());
        }
        let time = match fields.optional("timeAttributes") {
            Some(value) => {
                let mut time = Fields::of(value, "dataset.timeAttributes")?;
                let clock =
                    time.optional_u64("clock")?.ok_or("dataset.timeAttributes: \"clock\" is missing")?;
                let attributes = time.strings("attributes")?;
                time.finish()?;
                Some(TimeAttributes { clock, attributes })
            }
            None => None,
        };
        let dataset = Self {
            id: fields.string("id")?,
            title: fields.string("title")?,
            description: fields.string("description")?,
            tables: fields.strings("tables")?,
            items: fields.optional_u64("items")?.ok_or("dataset: \"items\" is missing")?,
            time,
            steps: crate::script::steps_from_json(fields.required("steps")?, "dataset.steps")?,
        };
        fields.finish()?;
        Ok(dataset)
    }

    /// A loader for this dataset into a workspace whose tables are `existing`, at engine time
    /// `now_ms`. Refused, as CreateTable would refuse it, when a table of the dataset exists:
    /// nothing is overwritten and nothing is created.
    pub fn loader(&self, existing: &[String], now_ms: u64) -> Result<Loader, LoadError> {
        if let Some(table) = self.tables.iter().find(|t| existing.contains(t)) {
            return Err(LoadError {
                name: "ResourceInUseException".into(),
                message: format!("Table already exists: {table}"),
            });
        }
        let mut pending = self.steps.clone();
        if let Some(time) = &self.time {
            let shift = i128::from(now_ms / 1000) - i128::from(time.clock);
            for step in &mut pending {
                shift_times(&mut step.request, &time.attributes, shift);
            }
        }
        // Sent from the back: the steps are reversed once so `pop` takes the next one.
        pending.reverse();
        Ok(Loader { pending, written: 0, waits: 0 })
    }
}

/// Moves the named number attributes of every item a BatchWriteItem puts by `shift` seconds.
/// A value that is not a whole number, or would leave i64, is left as it is.
fn shift_times(request: &mut Value, attributes: &[String], shift: i128) {
    let Some(Value::Object(tables)) = request.get_mut("RequestItems") else { return };
    for writes in tables.values_mut().filter_map(Value::as_array_mut) {
        for write in writes {
            let Some(Value::Object(item)) = write.pointer_mut("/PutRequest/Item") else { continue };
            for name in attributes {
                let Some(Value::String(number)) = item.get_mut(name).and_then(|v| v.get_mut("N")) else {
                    continue;
                };
                let moved =
                    number.parse::<i64>().ok().and_then(|n| i64::try_from(i128::from(n) + shift).ok());
                if let Some(moved) = moved {
                    *number = moved.to_string();
                }
            }
        }
    }
}

/// Why a dataset could not be loaded, as DynamoDB would name it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// The error's name (`ResourceInUseException`), as the engine named it.
    pub name: String,
    /// What went wrong, for the learner.
    pub message: String,
}

/// What the host does after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Send the next step now.
    Next,
    /// The table was throttled (a batch came back with UnprocessedItems, or the whole call was
    /// refused): send the next step, which retries what was not written, once the engine's
    /// clock has moved on.
    WaitForClock,
    /// Every step is answered.
    Done,
}

/// Sends a dataset's steps one at a time; see [`Dataset::loader`].
#[derive(Clone, Debug)]
pub struct Loader {
    pending: Vec<Step>,
    written: u64,
    /// Throttled answers in a row; a load gives up after [`MAX_WAITS`].
    waits: u32,
}

/// How many throttled answers in a row a load waits through (about ten minutes of engine time
/// at one wait per second) before it stops: a table that stays throttled that long will not
/// take the rest either.
const MAX_WAITS: u32 = 600;

/// The errors DynamoDB answers when a whole call was throttled (provisioned, on-demand, and
/// the account's request rate).
fn is_throttling(name: &str) -> bool {
    matches!(name, "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded")
}

impl Loader {
    /// The next request to send, if any.
    pub fn next_step(&self) -> Option<&Step> {
        self.pending.last()
    }

    /// Items written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Takes the answer to [`Loader::next_step`]. A failed request stops the load with its
    /// error: the tables created so far stay, as they would after a failed script on DynamoDB.
    pub fn answered(&mut self, exchange: &Exchange) -> Result<Progress, LoadError> {
        let Some(step) = self.pending.pop() else { return Ok(Progress::Done) };
        if exchange.error_name().is_some_and(is_throttling) {
            // Every write of the call was throttled: the whole call is sent again.
            self.waits += 1;
            if self.waits > MAX_WAITS {
                return Err(LoadError {
                    name: exchange.error_name().unwrap_or_default().to_owned(),
                    message: format!("{} was throttled {MAX_WAITS} times in a row", step.op),
                });
            }
            self.pending.push(step);
            return Ok(Progress::WaitForClock);
        }
        self.waits = 0;
        let Some(response) = exchange.response() else {
            return Err(LoadError {
                name: exchange.error_name().unwrap_or("InternalServerError").to_owned(),
                message: format!("{} failed: {}", step.op, exchange.error_message().unwrap_or("")),
            });
        };
        if step.op != "BatchWriteItem" {
            return Ok(self.progress());
        }
        let unprocessed =
            response.get("UnprocessedItems").filter(|u| u.as_object().is_some_and(|m| !m.is_empty()));
        self.written += count_puts(&step.request).saturating_sub(unprocessed.map_or(0, count_puts_in));
        match unprocessed {
            Some(items) => {
                let mut request = Map::with_capacity(1);
                request.insert("RequestItems".into(), items.clone());
                self.pending.push(Step::new(step.op, Value::Object(request)));
                Ok(Progress::WaitForClock)
            }
            None => Ok(self.progress()),
        }
    }

    fn progress(&self) -> Progress {
        if self.pending.is_empty() {
            Progress::Done
        } else {
            Progress::Next
        }
    }
}

fn count_puts(request: &Value) -> u64 {
    request.get("RequestItems").map_or(0, count_puts_in)
}

fn count_puts_in(request_items: &Value) -> u64 {
    request_items
        .as_object()
        .map_or(0, |tables| tables.values().filter_map(Value::as_array).map(|w| w.len() as u64).sum())
}

/// Loads a dataset straight into an engine, moving its clock one second whenever a batch is
/// throttled: what native tests and the validator do. Returns the number of items written.
pub fn load(engine: &mut dynaplay_engine::Engine, dataset: &Dataset) -> Result<u64, LoadError> {
    let existing = table_names(engine);
    let mut loader = dataset.loader(&existing, engine.now())?;
    while let Some(step) = loader.next_step() {
        let (op, request) = (step.op.clone(), step.request.clone());
        let exchange = Exchange::perform(engine, &op, request);
        match loader.answered(&exchange)? {
            Progress::WaitForClock => engine.set_now(engine.now() + 1000),
            Progress::Next | Progress::Done => {}
        }
    }
    Ok(loader.written())
}

/// Every table's name in the engine (ListTables, page by page).
pub fn table_names(engine: &mut dynaplay_engine::Engine) -> Vec<String> {
    let mut names = Vec::new();
    let mut request = Value::Object(Map::new());
    loop {
        let Ok(page) = engine.handle_json("ListTables", request) else { return names };
        if let Some(Value::Array(list)) = page.get("TableNames") {
            names.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        match page.get("LastEvaluatedTableName") {
            Some(last) => {
                let mut next = Map::with_capacity(1);
                next.insert("ExclusiveStartTableName".into(), last.clone());
                request = Value::Object(next);
            }
            None => return names,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::Engine;
    use serde_json::json;

    fn tiny(time: bool) -> Value {
        let mut doc = json!({
            "format": FORMAT, "version": 1, "id": "tiny", "title": "Tiny", "description": "d",
            "tables": ["Tiny"], "items": 2,
            "steps": [
                {"op": "CreateTable", "request": {
                    "TableName": "Tiny", "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [{"AttributeName": "K", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "K", "AttributeType": "S"}]}},
                {"op": "BatchWriteItem", "request": {"RequestItems": {"Tiny": [
                    {"PutRequest": {"Item": {"K": {"S": "a"}, "Exp": {"N": "1000"}}}},
                    {"PutRequest": {"Item": {"K": {"S": "b"}, "Exp": {"N": "1.5"}}}}]}}}
            ]
        });
        if time {
            doc["timeAttributes"] = json!({"clock": 500, "attributes": ["Exp"]});
        }
        doc
    }

    fn get(engine: &mut Engine, key: &str) -> Value {
        engine.handle_json("GetItem", json!({"TableName": "Tiny", "Key": {"K": {"S": key}}})).unwrap()["Item"]
            .clone()
    }

    #[test]
    fn loads_and_moves_time_attributes_by_now_minus_clock() {
        let dataset = Dataset::from_json(&tiny(true)).unwrap();
        let mut engine = Engine::new();
        engine.set_now(2_000_000); // 2,000 s: every time attribute moves by 2,000 − 500 s
        assert_eq!(load(&mut engine, &dataset).unwrap(), 2);
        assert_eq!(get(&mut engine, "a")["Exp"], json!({"N": "2500"}));
        // Not a whole number: left as the file wrote it.
        assert_eq!(get(&mut engine, "b")["Exp"], json!({"N": "1.5"}));
    }

    #[test]
    fn refuses_to_overwrite_an_existing_table_and_creates_nothing() {
        let dataset = Dataset::from_json(&tiny(false)).unwrap();
        let mut engine = Engine::new();
        load(&mut engine, &dataset).unwrap();
        engine.handle_json("DeleteItem", json!({"TableName": "Tiny", "Key": {"K": {"S": "a"}}})).unwrap();
        let error = load(&mut engine, &dataset).unwrap_err();
        assert_eq!(
            error,
            LoadError { name: "ResourceInUseException".into(), message: "Table already exists: Tiny".into() }
        );
        assert_eq!(get(&mut engine, "a"), Value::Null, "the item deleted after the first load stays deleted");
    }

    #[test]
    fn a_failed_step_stops_the_load_with_its_error() {
        let mut doc = tiny(false);
        doc["steps"][1]["request"]["RequestItems"] =
            json!({"Missing": [{"PutRequest": {"Item": {"K": {"S": "a"}}}}]});
        let error = load(&mut Engine::new(), &Dataset::from_json(&doc).unwrap()).unwrap_err();
        assert_eq!(error.name, "ResourceNotFoundException");
        assert!(error.message.starts_with("BatchWriteItem failed: "), "{}", error.message);
    }

    #[test]
    fn unprocessed_items_are_sent_again_after_the_clock_moves() {
        let mut loader = Dataset::from_json(&tiny(false)).unwrap().loader(&[], 0).unwrap();
        let create = loader.next_step().unwrap().clone();
        let ok = |body: Value| Exchange::record(&create.op, Value::Null, &Ok(body), 0);
        assert_eq!(loader.answered(&ok(json!({}))).unwrap(), Progress::Next);
        let left = json!({"Tiny": [{"PutRequest": {"Item": {"K": {"S": "b"}}}}]});
        assert_eq!(loader.answered(&ok(json!({"UnprocessedItems": left}))).unwrap(), Progress::WaitForClock);
        assert_eq!(loader.written(), 1);
        assert_eq!(loader.next_step().unwrap().request, json!({"RequestItems": left}));
        assert_eq!(loader.answered(&ok(json!({"UnprocessedItems": {}}))).unwrap(), Progress::Done);
        assert_eq!(loader.written(), 2);
        assert!(loader.next_step().is_none());
    }

    #[test]
    fn a_throttled_call_is_sent_again_whole() {
        let mut loader = Dataset::from_json(&tiny(false)).unwrap().loader(&[], 0).unwrap();
        let ok = Exchange::record("CreateTable", Value::Null, &Ok(json!({})), 0);
        loader.answered(&ok).unwrap();
        let batch = loader.next_step().unwrap().clone();
        let throttled = Exchange {
            op: batch.op.clone(),
            request: batch.request.clone(),
            outcome: crate::script::Outcome::Error(
                json!({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "m"}),
            ),
            at_ms: 0,
            region: None,
        };
        for _ in 0..MAX_WAITS {
            assert_eq!(loader.answered(&throttled).unwrap(), Progress::WaitForClock);
            assert_eq!(loader.next_step(), Some(&batch));
        }
        let error = loader.answered(&throttled).unwrap_err();
        assert_eq!(error.name, "ThrottlingException");
        assert_eq!(error.message, "BatchWriteItem was throttled 600 times in a row");
    }

    #[test]
    fn other_formats_and_unknown_members_are_refused() {
        let mut doc = tiny(false);
        doc["format"] = json!("dynaplay-workspace");
        assert!(Dataset::from_json(&doc).unwrap_err().contains("expected \"dynaplay-dataset\""));
        let mut doc = tiny(false);
        doc["extra"] = json!(1);
        assert_eq!(Dataset::from_json(&doc).unwrap_err(), "dataset: unknown member \"extra\"");
        let mut doc = tiny(false);
        doc["version"] = json!(2);
        assert_eq!(Dataset::from_json(&doc).unwrap_err(), "dataset: only version 1 is known");
    }
}
