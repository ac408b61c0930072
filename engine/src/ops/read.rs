//! What Query and Scan share: choosing the table or index to read, Select, reading one page
//! (Limit and the 1 MB cap count items *read*, before the filter), LastEvaluatedKey, and the
//! read capacity of the page.

use std::borrow::Cow;
use std::cell::Cell;

use serde_json::{json, Map, Value};

use super::request::{self, Env};
use crate::capacity::admission::{Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ReturnConsumedCapacity};
use crate::error::{ApiError, ApiResult};
use crate::expr::{Condition, Projection as ProjectionExpression};
use crate::replication::{Reading, Served, View};
use crate::storage::{Entry, SortPosition};
use crate::table::{IndexKind, Projection, SecondaryIndex, Table};
use crate::types::text::object_text;
use crate::types::{item_to_json, map_from, Item, ItemText, KeySchema, PartitionKey};

/// A page stops once this many bytes have been read.
const PAGE_BYTES: usize = 1024 * 1024;

/// The `Select` request member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Select {
    AllAttributes,
    AllProjectedAttributes,
    SpecificAttributes,
    Count,
}

/// What a Query or Scan reads from: the table, or one of its indexes — and which copy of it
/// (`replication`).
pub(crate) struct Target<'t> {
    pub table: &'t Table,
    pub index: Option<&'t SecondaryIndex>,
    pub reading: Reading,
    /// Where the read was served, and what it found stale (noted as the page is read).
    pub served: Cell<Served>,
}

impl<'t> Target<'t> {
    /// Resolves `IndexName` (a GSI still backfilling at engine time `now` cannot be read) and
    /// checks ConsistentRead against it; `reading` is the replica the read lands on.
    pub fn resolve(table: &'t Table, request: &Value, reading: Reading) -> ApiResult<Self> {
        let now = reading.now;
        let index = match request::string(request, "IndexName") {
            Some(name) => Some(table.index(name).ok_or_else(|| {
                ApiError::validation(format!("The table does not have the specified index: {name}"))
            })?),
            None => None,
        };
        if let Some(index) = index.filter(|i| !i.control.readable(now)) {
            return Err(ApiError::validation(format!(
                "Cannot read from backfilling global secondary index: {}",
                index.name
            )));
        }
        if index.is_some_and(|i| i.kind == IndexKind::Global) && request::boolean(request, "ConsistentRead") {
            return Err(ApiError::validation(
                "Consistent reads are not supported on global secondary indexes",
            ));
        }
        let served = Cell::new(reading.served(index.map(|i| i.kind)).unwrap_or_default());
        Ok(Self { table, index, reading, served })
    }

    /// What the read sees: the latest, or a lagging copy (`replication`).
    pub fn view(&self) -> View {
        match self.index {
            Some(index) => self.reading.index_view(index.kind),
            None => self.reading.table_view(),
        }
    }

    /// The key schema of what is read.
    pub fn key_schema(&self) -> &'t KeySchema {
        self.index.map_or(&self.table.key_schema, |i| &i.key_schema)
    }

    /// The attributes a LastEvaluatedKey holds: the table key, plus the index key.
    pub fn start_key_names(&self) -> Vec<&'t str> {
        let mut names: Vec<&str> = self.table.key_schema.names().collect();
        if let Some(index) = self.index {
            for n in index.key_schema.names() {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    }

    /// The effective `Select`: DynamoDB's default when none was given, and the rule that a
    /// GSI can return all attributes only when it projects them all.
    pub fn select(&self, requested: Option<Select>, has_projection: bool) -> ApiResult<Select> {
        let select = match requested {
            Some(select) => select,
            None if has_projection => Select::SpecificAttributes,
            None if self.index.is_some() => Select::AllProjectedAttributes,
            None => Select::AllAttributes,
        };
        if let Some(index) = self.index {
            if select == Select::AllAttributes
                && index.kind == IndexKind::Global
                && index.projection != Projection::All
            {
                return Err(ApiError::invalid_parameter(format!(
                    "Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                    index.name
                )));
            }
        }
        Ok(select)
    }
}

impl Target<'_> {
    /// A global secondary index cannot fetch from the table what it does not project, so
    /// naming such an attribute is refused — in the projection ("Global secondary index my_index
    /// does not project [table_column]", recorded from DynamoDB in localstack#478) or in the
    /// filter ("Secondary index gs1 does not project one or more filter attributes:
    /// [friendRequestUserId]", recorded in dynamodb-onetable#377). Names are listed once, in
    /// the order the request gives them. A local index reaches the table instead.
    fn check_projected(
        &self,
        projection: Option<&ProjectionExpression>,
        attributes_to_get: Option<&[String]>,
        filter: Option<&Condition>,
    ) -> ApiResult<()> {
        let Some(index) =
            self.index.filter(|i| i.kind == IndexKind::Global && i.projection != Projection::All)
        else {
            return Ok(());
        };
        let schema = &self.table.key_schema;
        let requested = match (projection, attributes_to_get) {
            (Some(p), _) => index.unprojected(schema, p.paths().iter().map(|path| path.head())),
            (None, Some(names)) => index.unprojected(schema, names.iter().map(String::as_str)),
            (None, None) => Vec::new(),
        };
        if !requested.is_empty() {
            return Err(ApiError::invalid_parameter(format!(
                "Global secondary index {} does not project [{}]",
                index.name,
                requested.join(", ")
            )));
        }
        let filtered =
            filter.map(|f| index.unprojected(schema, f.paths().into_iter().map(|path| path.head())));
        match filtered.filter(|names| !names.is_empty()) {
            Some(names) => Err(ApiError::invalid_parameter(format!(
                "Secondary index {} does not project one or more filter attributes: [{}]",
                index.name,
                names.join(", ")
            ))),
            None => Ok(()),
        }
    }
}

impl Select {
    /// Reads `Select` and checks the rules that need no table: SPECIFIC_ATTRIBUTES needs a
    /// projection, a projection needs SPECIFIC_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES needs an
    /// index. (Query wraps the first message in the validation envelope; Scan does not.)
    pub fn from_request(request: &Value, has_projection: bool, is_query: bool) -> ApiResult<Option<Select>> {
        let select = match request::string(request, "Select") {
            Some("ALL_ATTRIBUTES") => Select::AllAttributes,
            Some("ALL_PROJECTED_ATTRIBUTES") => Select::AllProjectedAttributes,
            Some("SPECIFIC_ATTRIBUTES") => Select::SpecificAttributes,
            Some("COUNT") => Select::Count,
            _ => return Ok(None),
        };
        if select == Select::SpecificAttributes && !has_projection {
            let problem =
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES";
            return Err(if is_query {
                crate::validate::detected(&[problem.to_owned()])
            } else {
                ApiError::validation(problem)
            });
        }
        if has_projection && select != Select::SpecificAttributes {
            let given = if request::is_present(request, "AttributesToGet") {
                "AttributesToGet"
            } else {
                "ProjectionExpression"
            };
            let chosen = match select {
                Select::Count => "only the Count",
                Select::AllAttributes => "ALL_ATTRIBUTES",
                _ => "ALL_PROJECTED_ATTRIBUTES",
            };
            return Err(ApiError::validation(format!(
                "Cannot specify the {given} when choosing to get {chosen}"
            )));
        }
        if select == Select::AllProjectedAttributes && !request::is_present(request, "IndexName") {
            return Err(ApiError::validation(
                "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
            ));
        }
        Ok(Some(select))
    }
}

/// How to shape a page.
pub(crate) struct PageSpec<'a> {
    /// How the answer is built: a JSON value, or JSON text written straight from the items.
    pub form: Form,
    pub limit: Option<usize>,
    pub filter: Option<&'a Condition>,
    pub projection: Option<&'a ProjectionExpression>,
    pub attributes_to_get: Option<Vec<String>>,
    pub select: Select,
    pub consistent: bool,
}

impl<'a> PageSpec<'a> {
    /// The page a Query or Scan asked for, with `Select` resolved against what it reads.
    pub fn new(
        request: &Value,
        target: &Target<'_>,
        requested_select: Option<Select>,
        filter: Option<&'a Condition>,
        projection: Option<&'a ProjectionExpression>,
        attributes_to_get: Option<Vec<String>>,
        form: Form,
    ) -> ApiResult<Self> {
        let select = target.select(requested_select, projection.is_some() || attributes_to_get.is_some())?;
        target.check_projected(projection, attributes_to_get.as_deref(), filter)?;
        Ok(Self {
            form,
            limit: limit(request),
            filter,
            projection,
            attributes_to_get,
            select,
            consistent: request::boolean(request, "ConsistentRead"),
        })
    }
}

/// A page read but not yet charged: the response without `ConsumedCapacity`, what it
/// consumed, and the charges that pay for it.
pub(crate) struct Page {
    /// Every member but `Items`.
    body: Map<String, Value>,
    items: Items,
    consumed: Consumed,
    charges: Vec<Charge>,
    /// Bytes and items read, and the consistency: what the units were computed from.
    bytes: usize,
    scanned: usize,
    consistent: bool,
    /// Where an eventually consistent page was served (`replication`).
    served: Option<Served>,
}

/// The form of a read's answer (see [`crate::Engine::handle_text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Value,
    Text,
}

/// A page's `Items`, in the answer's form (none for `Select: COUNT`).
enum Items {
    None,
    Values(Vec<Value>),
    /// The JSON array's text (UTF-8, as serde_json writes it).
    Text(Vec<u8>),
}

impl Items {
    fn new(spec: &PageSpec<'_>) -> Self {
        match (spec.select, spec.form) {
            (Select::Count, _) => Items::None,
            (_, Form::Value) => Items::Values(Vec::new()),
            (_, Form::Text) => Items::Text(b"[".to_vec()),
        }
    }

    /// Adds a stored item the page shows whole: as a value, or written as text straight from
    /// its stored bytes.
    fn push_whole<S: SortPosition>(&mut self, entry: Entry<'_, S>) {
        match self {
            Items::None => {}
            Items::Values(values) => values.push(item_to_json(&entry.item())),
            Items::Text(text) => {
                if text.len() > 1 {
                    text.push(b',');
                }
                entry.write_json(text);
            }
        }
    }

    /// Adds `item` as the page shows it (projected).
    fn push(&mut self, item: &Item, spec: &PageSpec<'_>) {
        match self {
            Items::None => {}
            Items::Values(values) => values.push(item_to_json(&shape_item(item, spec))),
            Items::Text(text) => {
                if text.len() > 1 {
                    text.push(b',');
                }
                // Writing into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *text, &ItemText(&shape_item(item, spec)));
            }
        }
    }
}

/// A Query or Scan answer in the form asked for.
pub(crate) enum Answer {
    Value(Value),
    Text(String),
}

impl Answer {
    /// The answer as a JSON value (text is parsed back: only the value path asks for it).
    pub fn into_value(self) -> Value {
        match self {
            Answer::Value(v) => v,
            Answer::Text(t) => serde_json::from_slice(t.as_bytes()).unwrap_or(Value::Null),
        }
    }

    /// The answer as JSON text.
    pub fn into_text(self) -> String {
        match self {
            Answer::Value(v) => v.to_string(),
            Answer::Text(t) => t,
        }
    }
}

impl Page {
    /// Admits the page's charges and renders the response, or answers with the throttling
    /// error. Reading changed nothing, so a throttled page leaves no trace but the metrics.
    pub fn charge(self, table: &mut Table, env: &Env<'_>, request: &Value) -> ApiResult<Answer> {
        env.trace.read(&table.name, |t| crate::explain::trace::ReadStep {
            table: t,
            index: self.consumed.indexes.first().map(|(name, _, _)| name.clone()),
            bytes: self.bytes as u64,
            items: self.scanned as u64,
            page: true,
            consistent: self.consistent,
            transactional: false,
            micro: self.charges.iter().map(|c| c.micro).sum(),
            served: self.served,
        });
        env.admit(table, &self.charges)?;
        let mut body = self.body;
        if let Some(c) = self.consumed.to_json(&table.name, ReturnConsumedCapacity::from_request(request)) {
            body.insert("ConsumedCapacity".into(), c);
        }
        Ok(match self.items {
            Items::None => Answer::Value(Value::Object(body)),
            Items::Values(items) => {
                body.insert("Items".into(), Value::Array(items));
                Answer::Value(Value::Object(body))
            }
            Items::Text(mut items) => {
                items.push(b']');
                // Checked as text the fast way: the items are written as UTF-8, so the lossy
                // copy (a char at a time, a tenth of a Query's instructions) never changes them.
                let items = match std::str::from_utf8(&items) {
                    Ok(text) => std::borrow::Cow::Borrowed(text),
                    Err(_) => String::from_utf8_lossy(&items),
                };
                Answer::Text(object_text(&body, "Items", &items))
            }
        })
    }
}

/// Where a read is charged: a GSI on its own partitions, the table (and its LSIs) on the
/// table's. `first` is the partition key charged when the page read nothing.
pub(crate) fn charge_target(target: &Target<'_>) -> On {
    match target.index {
        Some(index) if index.kind == IndexKind::Global => {
            target.table.indexes.iter().position(|i| std::ptr::eq(i, index)).map_or(On::Table, On::Index)
        }
        _ => On::Table,
    }
}

/// Reads one page from `entries` and renders the Query/Scan response (charged by
/// [`Page::charge`]). The page's units are shared among the partitions it read from in
/// proportion to the bytes read on each; `first` takes them when nothing was read.
pub(crate) fn read_page<'a, S: SortPosition + 'a>(
    target: &Target<'_>,
    entries: impl Iterator<Item = Entry<'a, S>>,
    spec: &PageSpec<'_>,
    first: &PartitionKey,
) -> Page {
    let on = charge_target(target);
    let partitions = match on {
        On::Index(i) => &target.table.indexes[i].entries.capacity.partitions,
        On::Table => &target.table.items.capacity.partitions,
    };
    // (partition index, first entry read there, bytes read there)
    let mut runs: Vec<(usize, Entry<'a, S>, usize)> = Vec::new();
    let mut scanned = 0usize;
    let mut bytes = 0usize;
    let mut count = 0usize;
    let mut items = Items::new(spec);
    let mut last: Option<Entry<'a, S>> = None;
    let mut truncated = false;
    let fetch_from_table = fetches_from_table(target, spec);
    // Most pages show their items whole and unfiltered: those are never decoded.
    let whole = !fetch_from_table
        && spec.filter.is_none()
        && spec.projection.is_none()
        && spec.attributes_to_get.is_none();
    for entry in entries {
        scanned += 1;
        let size = entry.size();
        bytes += size;
        match runs.last_mut() {
            Some(run) if run.1.same_partition(&entry) || run.0 == partitions.index_of(entry.token()) => {
                run.2 += size
            }
            _ => runs.push((partitions.index_of(entry.token()), entry, size)),
        }
        last = Some(entry);
        if whole {
            count += 1;
            items.push_whole(entry);
        } else {
            let stored = entry.item();
            let fetched = if fetch_from_table {
                target
                    .table
                    .key_schema
                    .key_of_key(&target.table.key_schema.key_item(&stored))
                    .ok()
                    .and_then(|k| {
                        let view = target.reading.table_view();
                        target.table.items.get_seen(&k.partition, &k.sort, view, &target.served)
                    })
                    .map(|entry| entry.item())
            } else {
                None
            };
            let item = fetched.as_ref().unwrap_or(&stored);
            if spec.filter.is_none_or(|f| f.evaluate(item)) {
                count += 1;
                items.push(item, spec);
            }
        }
        if spec.limit.is_some_and(|l| scanned >= l) || bytes >= PAGE_BYTES {
            truncated = true;
            break;
        }
    }
    let mut body = Map::new();
    body.insert("Count".into(), json!(count));
    body.insert("ScannedCount".into(), json!(scanned));
    if truncated {
        if let Some(last) = last.map(|entry| entry.item()) {
            let key: Item = map_from(
                target
                    .start_key_names()
                    .into_iter()
                    .filter_map(|n| last.get(n).map(|v| (n.to_owned(), v.clone()))),
            );
            body.insert("LastEvaluatedKey".into(), item_to_json(&key));
        }
    }
    let units = read_units(bytes, spec.consistent);
    let consumed = match target.index {
        Some(index) => Consumed {
            table: 0.0,
            indexes: vec![(index.name.clone(), units, index.kind == IndexKind::Global)],
            vectors: Vec::new(),
        },
        None => Consumed::table(units),
    };
    let mut charges: Vec<Charge> = Vec::with_capacity(runs.len().max(1));
    if bytes == 0 || runs.is_empty() {
        charges.push(Charge::new(on, Access::Read, first.token, first.value.clone(), units));
    } else {
        let total = Charge::new(on, Access::Read, 0, first.value.clone(), units).micro;
        let mut given = 0;
        let last = runs.len() - 1;
        for (n, (_, entry, run_bytes)) in runs.into_iter().enumerate() {
            let pk = entry.partition();
            let share = if n == last { total - given } else { total * run_bytes as i64 / bytes as i64 };
            given += share;
            charges.push(Charge {
                on,
                access: Access::Read,
                token: pk.token,
                key: pk.value.clone(),
                micro: share,
            });
        }
    }
    let served = target.reading.replica.map(|_| target.served.get());
    Page { body, items, consumed, charges, bytes, scanned, consistent: spec.consistent, served }
}

/// Whether a page reads each item from the table rather than from the index entry: a local
/// secondary index fetches the table's item when asked for attributes it does not project —
/// all of them (ALL_ATTRIBUTES), or named ones (SPECIFIC_ATTRIBUTES: "If any of the requested
/// attributes are not projected into the local secondary index, DynamoDB fetches each of these
/// attributes from the parent table" [API_Query, Select]). A GSI never fetches: ALL_ATTRIBUTES
/// and named attributes it does not project are refused (`Target::check_projected`).
fn fetches_from_table(target: &Target<'_>, spec: &PageSpec<'_>) -> bool {
    let Some(index) = target.index.filter(|i| i.projection != Projection::All) else { return false };
    let projected = |name: &str| index.projects(&target.table.key_schema, name);
    match spec.select {
        Select::AllAttributes => true,
        Select::SpecificAttributes if index.kind == IndexKind::Local => {
            match (spec.projection, &spec.attributes_to_get) {
                (Some(p), _) => p.paths().iter().any(|path| !projected(path.head())),
                (None, Some(names)) => names.iter().any(|n| !projected(n)),
                (None, None) => false,
            }
        }
        _ => false,
    }
}

/// The item as the page shows it: projected, or the stored item itself.
fn shape_item<'i>(item: &'i Item, spec: &PageSpec<'_>) -> Cow<'i, Item> {
    if let Some(p) = spec.projection {
        return Cow::Owned(p.apply(item));
    }
    if let Some(names) = &spec.attributes_to_get {
        return Cow::Owned(map_from(
            names.iter().filter_map(|n| item.get(n).map(|v| (n.clone(), v.clone()))),
        ));
    }
    Cow::Borrowed(item)
}

/// `AttributesToGet` as names, rejecting duplicates as DynamoDB does.
pub(crate) fn attributes_to_get(request: &Value) -> ApiResult<Option<Vec<String>>> {
    let Some(names) = request.get("AttributesToGet").and_then(Value::as_array) else { return Ok(None) };
    let names: Vec<String> = names.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    let mut seen = crate::types::Seen::default();
    if let Some(dup) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(ApiError::invalid_parameter(format!("Duplicate value in attribute name: {dup}")));
    }
    Ok(Some(names))
}

/// `Limit` as a count.
pub(crate) fn limit(request: &Value) -> Option<usize> {
    request::integer(request, "Limit").map(|l| l.max(1) as usize)
}
