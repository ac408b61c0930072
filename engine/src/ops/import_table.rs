//! ImportTable: a NEW table, made from TableCreationParameters exactly as CreateTable makes
//! one, filled with the items of the objects under a bucket's key prefix in the playground's
//! object store (`backups/import.rs`). The table is CREATING and the import IN_PROGRESS for
//! `IMPORT_MS` of engine time; a source with no objects makes a FAILED import and no table.

use serde_json::{json, Map, Value};

use super::export_table_to_point_in_time::check_bucket;
use super::request;
use crate::backups::import::{self, Read, IMPORT_MS};
use crate::backups::Job;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const SOURCE: &[Field] = &[
        field("S3BucketOwner", Str, &[]),
        field("S3Bucket", Str, &[NotNull, MaxLength(255)]),
        field("S3KeyPrefix", Str, &[MaxLength(1024)]),
    ];
    const CSV: &[Field] = &[
        field("Delimiter", Str, &[MinLength(1), MaxLength(1)]),
        field("HeaderList", List(&Str), &[MinLength(1), MaxLength(255)]),
    ];
    const OPTIONS: &[Field] = &[field("Csv", Struct("CsvOptions", CSV), &[])];
    const GSI: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field("KeySchema", List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)), &[NotNull, MinLength(1)]),
        field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
    ];
    const PARAMETERS: &[Field] = &[
        field("TableName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field("AttributeDefinitions", List(&Struct("AttributeDefinition", ATTRIBUTE_DEFINITION)), &[NotNull]),
        field(
            "KeySchema",
            List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
            &[NotNull, MinLength(1), MaxLength(2)],
        ),
        field("BillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("SSESpecification", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
        field("GlobalSecondaryIndexes", List(&Struct("GlobalSecondaryIndex", GSI)), &[]),
    ];
    &[
        field("ClientToken", Str, &[]),
        field("S3BucketSource", Struct("S3BucketSource", SOURCE), &[Required]),
        field("InputFormat", Str, &[Required, Enum(&["DYNAMODB_JSON", "ION", "CSV"])]),
        field("InputFormatOptions", Struct("InputFormatOptions", OPTIONS), &[]),
        field("InputCompressionType", Str, &[Enum(&["GZIP", "ZSTD", "NONE"])]),
        field("TableCreationParameters", Struct("TableCreationParameters", PARAMETERS), &[Required]),
    ]
};

/// A client token names the same import for 8 hours (the API reference).
const TOKEN_MS: u64 = 8 * 3_600_000;

/// The delimiters CsvOptions allows: `[,;:|\t ]`.
const DELIMITERS: &str = ",;:|\t ";

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    if let Some(token) = request::string(request, "ClientToken") {
        let earlier = crate::backups::state(engine).into_iter().flat_map(|b| &b.imports).find(|j| {
            j.request.get("ClientToken").and_then(Value::as_str) == Some(token)
                && now < j.until_ms - IMPORT_MS + TOKEN_MS
        });
        if let Some(job) = earlier {
            if job.request != *request {
                return Err(import::conflict(token));
            }
            return Ok(json!({"ImportTableDescription": import::description(job, now)}));
        }
    }
    let source = request.get("S3BucketSource").cloned().unwrap_or(Value::Null);
    let bucket = source.get("S3Bucket").and_then(Value::as_str).unwrap_or_default();
    check_bucket(bucket, "s3BucketSource.s3Bucket")?;
    let prefix = source.get("S3KeyPrefix").and_then(Value::as_str).unwrap_or_default();
    let format = request::string(request, "InputFormat").unwrap_or_default();
    let compression = request::string(request, "InputCompressionType").unwrap_or("NONE");
    if format == "ION" {
        return Err(ApiError::validation(
            "dynaplay imports DYNAMODB_JSON and CSV only: InputFormat ION is not simulated",
        ));
    }
    if compression == "ZSTD" {
        return Err(ApiError::validation(
            "dynaplay reads GZIP and uncompressed sources only: InputCompressionType ZSTD is not simulated",
        ));
    }
    let csv = request.get("InputFormatOptions").and_then(|o| o.get("Csv"));
    let delimiter = csv.and_then(|c| c.get("Delimiter")).and_then(Value::as_str).unwrap_or(",");
    if !DELIMITERS.contains(delimiter) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{delimiter}' at 'inputFormatOptions.csv.delimiter' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: [,;:|\\t ]"
        )));
    }
    let header: Option<Vec<String>> = csv
        .and_then(|c| c.get("HeaderList"))
        .and_then(Value::as_array)
        .map(|h| h.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    let parameters = request.get("TableCreationParameters").cloned().unwrap_or(Value::Null);
    let table_name = parameters.get("TableName").and_then(Value::as_str).unwrap_or_default().to_owned();
    // An existing table is refused at once, whatever the source holds (CreateTable's error).
    if engine.tables.contains_key(&table_name) {
        return Err(ApiError::new(
            crate::error::ErrorKind::ResourceInUse,
            format!("Table already exists: {table_name}"),
        ));
    }
    let objects = crate::backups::state(engine).map(|b| &b.objects);
    let empty = crate::backups::objects::Objects::default();
    let bodies = import::source(objects.unwrap_or(&empty), bucket, prefix, compression == "GZIP")?;
    let (region, account) = (engine.config.region.clone(), engine.config.account_id.clone());
    let table_arn = format!("arn:aws:dynamodb:{region}:{account}:table/{table_name}");
    let made = crate::backups::state(engine).map_or(0, |b| b.imports.len() as u64);
    let import_arn = format!("{table_arn}/import/{now:014}-{}", crate::backups::suffix(&table_name, made));
    let mut d = Map::new();
    d.insert("ImportArn".into(), json!(import_arn));
    d.insert("ImportStatus".into(), json!("COMPLETED"));
    d.insert("TableArn".into(), json!(table_arn));
    if let Some(token) = request.get("ClientToken") {
        d.insert("ClientToken".into(), token.clone());
    }
    d.insert("S3BucketSource".into(), source.clone());
    d.insert(
        "CloudWatchLogGroupArn".into(),
        json!(format!("arn:aws:logs:{region}:{account}:log-group:/aws-dynamodb/imports:*")),
    );
    d.insert("InputFormat".into(), json!(format));
    if let Some(options) = request.get("InputFormatOptions") {
        d.insert("InputFormatOptions".into(), options.clone());
    }
    d.insert("InputCompressionType".into(), json!(compression));
    d.insert("TableCreationParameters".into(), parameters.clone());
    d.insert("StartTime".into(), crate::backups::export::epoch(now));
    d.insert("EndTime".into(), crate::backups::export::epoch(now + IMPORT_MS));
    let (bodies, undecodable) = match bodies {
        Ok(found) => found,
        Err((code, message)) => {
            // The import fails and leaves no table (DynamoDB deletes the one it began).
            d.insert("ImportStatus".into(), json!("FAILED"));
            d.insert("FailureCode".into(), json!(code));
            d.insert("FailureMessage".into(), json!(message));
            for member in ["ErrorCount", "ProcessedSizeBytes", "ProcessedItemCount", "ImportedItemCount"] {
                d.insert(member.into(), json!(0));
            }
            return finish(engine, d, request);
        }
    };
    // The table first, exactly as CreateTable makes it (its checks, its errors).
    super::create_table(engine, &parameters)?;
    let table = engine.tables.get_mut(&table_name).ok_or_else(ApiError::resource_not_found)?;
    d.insert("TableId".into(), json!(table.table_id));
    let mut read = Read { errors: undecodable, ..Read::default() };
    if format == "CSV" {
        // Key attributes of the table and its GSIs take their defined types; the rest are strings.
        let definitions: Vec<(String, &'static str)> = parameters
            .get("AttributeDefinitions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                let t = match a.get("AttributeType")?.as_str()? {
                    "N" => "N",
                    "B" => "B",
                    _ => "S",
                };
                Some((a.get("AttributeName")?.as_str()?.to_owned(), t))
            })
            .collect();
        let typed = |name: &str| definitions.iter().find(|(n, _)| n == name).map_or("S", |(_, t)| *t);
        let delimiter = delimiter.chars().next().unwrap_or(',');
        import::read_csv(&bodies, delimiter, header.as_deref(), &typed, &mut read);
    } else {
        import::read_json(&bodies, &mut read);
    }
    let mut errors = read.errors;
    for item in &read.items {
        let key =
            crate::ops::write::check_item_size(item).and_then(|_| crate::ops::write::item_key(table, item));
        match key {
            Ok(key) => {
                table.put(key, item);
            }
            Err(_) => errors += 1,
        }
    }
    crate::capacity::admission::settle(table, now);
    let imported = table.items.len() as u64;
    d.insert("ErrorCount".into(), json!(errors));
    d.insert("ProcessedSizeBytes".into(), json!(read.processed_bytes));
    d.insert("ProcessedItemCount".into(), json!(read.processed));
    d.insert("ImportedItemCount".into(), json!(imported));
    finish(engine, d, request)
}

fn finish(engine: &mut Engine, description: Map<String, Value>, request: &Value) -> ApiResult<Value> {
    let now = engine.now_ms;
    let job =
        Job { description: Value::Object(description), until_ms: now + IMPORT_MS, request: request.clone() };
    let answer = import::description(&job, now);
    crate::backups::state_mut(engine)?.imports.push(job);
    Ok(json!({ "ImportTableDescription": answer }))
}
