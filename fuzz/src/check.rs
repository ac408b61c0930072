//! What every answer must be, whatever the request: the checks panic (a crash to libFuzzer)
//! with the request that broke them.

use dynaplay_engine::{ApiError, ApiResult, Engine, ErrorKind};
use serde_json::Value;

/// Every error name the engine may answer with (DynamoDB's).
const KNOWN_ERRORS: [&str; 37] = [
    "ValidationException",
    "SerializationException",
    "UnknownOperationException",
    "ResourceNotFoundException",
    "ResourceInUseException",
    "ConditionalCheckFailedException",
    "TransactionCanceledException",
    "TransactionConflictException",
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "LimitExceededException",
    "IdempotentParameterMismatchException",
    "DuplicateItemException",
    "ItemCollectionSizeLimitExceededException",
    "AccessDeniedException",
    "TableNotFoundException",
    "ExpiredIteratorException",
    "TrimmedDataAccessException",
    "PolicyNotFoundException",
    // DAX's management API.
    "ClusterNotFoundFault",
    "ClusterAlreadyExistsFault",
    "ParameterGroupNotFoundFault",
    "ParameterGroupAlreadyExistsFault",
    "InvalidParameterGroupStateFault",
    "InvalidParameterValueException",
    // Global tables: multi-Region strong consistency, the legacy 2017 API.
    "ReplicatedWriteConflictException",
    "GlobalTableNotFoundException",
    // Application Auto Scaling's.
    "ObjectNotFoundException",
    // Backups and restores.
    "BackupNotFoundException",
    "TableAlreadyExistsException",
    "PointInTimeRecoveryUnavailableException",
    "InvalidRestoreTimeException",
    // Exports and imports.
    "ExportNotFoundException",
    "ExportConflictException",
    "InvalidExportTimeException",
    "ImportNotFoundException",
    "ImportConflictException",
];

/// Whether this input's failed requests are checked for changes: one input in eight, chosen
/// by its hash (so a run of one input always checks the same). Exporting the workspace twice
/// costs more than the rest of a run; the no-panic property test checks every case.
pub fn checks_state(data: &[u8]) -> bool {
    crate::text::hash(data).is_multiple_of(8)
}

/// A request cut to a readable length for a crash message.
pub fn shown(request: &[u8]) -> String {
    let text = String::from_utf8_lossy(request);
    match text.char_indices().nth(1500) {
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], request.len()),
        None => text.into_owned(),
    }
}

/// An error is DynamoDB-shaped: a known name with its wire prefix, status 400, a message for
/// validation errors, and never InternalServerError (which would mean an engine bug).
pub fn error(op: &str, request: &[u8], err: &ApiError) {
    let name = err.kind.name();
    assert!(
        err.kind != ErrorKind::InternalServerError,
        "{op} answered InternalServerError ({}) to {}",
        err.message,
        shown(request)
    );
    assert!(KNOWN_ERRORS.contains(&name), "{op} answered an unknown error {name} to {}", shown(request));
    assert_eq!(err.status(), 400, "{op}: {name} with status {} to {}", err.status(), shown(request));
    let body = err.to_json();
    let prefix = match err.kind {
        ErrorKind::Validation => "com.amazon.coral.validate#",
        ErrorKind::Serialization | ErrorKind::UnknownOperation | ErrorKind::AccessDenied => {
            "com.amazon.coral.service#"
        }
        // DAX's faults and Application Auto Scaling's errors go by their bare names.
        ErrorKind::ObjectNotFound
        | ErrorKind::ClusterNotFound
        | ErrorKind::ClusterAlreadyExists
        | ErrorKind::ParameterGroupNotFound
        | ErrorKind::ParameterGroupAlreadyExists
        | ErrorKind::InvalidParameterGroupState
        | ErrorKind::InvalidParameterValue => "",
        _ => "com.amazonaws.dynamodb.v20120810#",
    };
    assert_eq!(body["__type"].as_str(), Some(format!("{prefix}{name}").as_str()), "{op}: error body {body}");
    assert!(body["message"].is_string(), "{op}: error without a message: {body}");
    if matches!(err.kind, ErrorKind::Validation | ErrorKind::Serialization) {
        assert!(!err.message.is_empty(), "{op}: {name} with an empty message to {}", shown(request));
    }
}

/// A `handle`/`handle_json` answer: a JSON object, or a well-formed error.
pub fn answer(op: &str, request: &[u8], result: &ApiResult<Value>) {
    match result {
        Ok(response) => {
            assert!(response.is_object(), "{op} answered a non-object {response} to {}", shown(request))
        }
        Err(err) => error(op, request, err),
    }
}

/// A `handle_text` answer: JSON text of an object, or a well-formed error.
pub fn text_answer(op: &str, request: &[u8], result: &ApiResult<String>) {
    match result {
        Ok(text) => {
            let parsed: Result<Value, _> = serde_json::from_str(text);
            assert!(
                parsed.as_ref().is_ok_and(Value::is_object),
                "{op} answered text that is not a JSON object ({}) to {}",
                shown(text.as_bytes()),
                shown(request)
            );
        }
        Err(err) => error(op, request, err),
    }
}

/// Sends one request as JSON text (the hosts' path) and checks the answer; when `state` is
/// set, a request that fails must leave the workspace (tables, settings, items) as it was.
pub fn send(engine: &mut Engine, op: &str, body: &[u8], state: bool) -> ApiResult<String> {
    let before = state.then(|| engine.clone());
    let result = engine.handle_text(op, body);
    text_answer(op, body, &result);
    if let (Some(before), Err(err)) = (before, &result) {
        unchanged(&before, engine, op, body, err);
    }
    result
}

/// A request that failed with `err` left `after` as `before` was.
pub fn unchanged(before: &Engine, after: &Engine, op: &str, body: &[u8], err: &ApiError) {
    assert!(
        before.export_workspace() == after.export_workspace(),
        "{op} failed ({}: {}) but changed the workspace; request {}",
        err.kind.name(),
        err.message,
        shown(body)
    );
}

/// [`send`] for a request built as JSON.
pub fn send_json(engine: &mut Engine, op: &str, request: &Value, state: bool) -> ApiResult<String> {
    send(engine, op, request.to_string().as_bytes(), state)
}
