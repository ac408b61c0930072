//! DynamoDB errors as they travel on the wire: a `__type` with its namespace prefix, a
//! `message`, an HTTP status, and for a few errors extra members (the old `Item` of a failed
//! condition, a transaction's `CancellationReasons`).

use serde_json::{Map, Value};

use crate::types::ScalarType;

const SERVICE: &str = "com.amazonaws.dynamodb.v20120810#";
const VALIDATE: &str = "com.amazon.coral.validate#";
const CORAL_SERVICE: &str = "com.amazon.coral.service#";

/// The kinds of error DynamoDB returns; each knows its wire prefix and HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A request that breaks a rule of the API (`com.amazon.coral.validate#`).
    Validation,
    /// A body that is not JSON, or a member of the wrong JSON type.
    Serialization,
    /// An `X-Amz-Target` naming no operation.
    UnknownOperation,
    /// The table or index does not exist (or is not ACTIVE for this call).
    ResourceNotFound,
    /// The table already exists, or is busy being created / updated / deleted.
    ResourceInUse,
    /// A `ConditionExpression` evaluated to false.
    ConditionalCheckFailed,
    /// A transaction was cancelled; see `CancellationReasons`.
    TransactionCanceled,
    /// Write hit an item held by an ongoing transaction.
    TransactionConflict,
    /// Provisioned capacity exhausted.
    ProvisionedThroughputExceeded,
    /// On-demand capacity exhausted.
    Throttling,
    /// Too many tables, indexes or concurrent control-plane operations.
    LimitExceeded,
    /// Reused `ClientRequestToken` with another payload.
    IdempotentParameterMismatch,
    /// A PartiQL INSERT of an item whose key is already taken.
    DuplicateItem,
    /// A write would grow an item collection (a partition key's items and their LSI entries)
    /// past its limit; only tables with a local secondary index have one.
    ItemCollectionSizeLimitExceeded,
    /// The caller may not act on the resource (another account's ARN, or one that is not there
    /// for ListTagsOfResource).
    AccessDenied,
    /// Continuous-backup operations name a missing table this way.
    TableNotFound,
    /// A stream shard iterator older than its 15 minutes.
    ExpiredIterator,
    /// No resource-based policy, or not the revision the request expected.
    PolicyNotFound,
    /// A stream read that reaches behind the 24-hour trim horizon.
    TrimmedDataAccess,
    /// DAX: no cluster by that name (`ClusterNotFoundFault`).
    ClusterNotFound,
    /// DAX: a cluster by that name exists already.
    ClusterAlreadyExists,
    /// DAX: no parameter group by that name.
    ParameterGroupNotFound,
    /// DAX: a parameter group by that name exists already.
    ParameterGroupAlreadyExists,
    /// DAX: the parameter group cannot change now (the default one, or one in use).
    InvalidParameterGroupState,
    /// DAX: a parameter value DAX refuses (`InvalidParameterValueException`).
    InvalidParameterValue,
    /// A write to an item of a strongly consistent global table that another Region is
    /// writing (multi-Region strong consistency).
    ReplicatedWriteConflict,
    /// The legacy (2017.11.29) global table API names a global table it does not know.
    GlobalTableNotFound,
    /// Application Auto Scaling: no scalable target or scaling policy by that identity.
    ObjectNotFound,
    /// No backup has that ARN.
    BackupNotFound,
    /// A restore's target table exists already.
    TableAlreadyExists,
    /// A point-in-time restore of a table without point-in-time recovery.
    PointInTimeRecoveryUnavailable,
    /// A restore time outside the table's point-in-time window.
    InvalidRestoreTime,
    /// An ExportTableToPointInTime ExportTime outside the table's point-in-time window.
    InvalidExportTime,
    /// No export has that ARN.
    ExportNotFound,
    /// An export that conflicts with an earlier one (a ClientToken reused with other parameters).
    ExportConflict,
    /// No import has that ARN.
    ImportNotFound,
    /// An import that conflicts with an earlier one (a ClientToken reused with other parameters).
    ImportConflict,
    /// A bug in dynaplay (never a bad request), or a strongly consistent global table's write
    /// in a Region cut off from the others (a simulated outage); HTTP 500.
    InternalServerError,
}

impl ErrorKind {
    /// The error name as SDKs read it (the part of `__type` after `#`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Validation => "ValidationException",
            Self::Serialization => "SerializationException",
            Self::UnknownOperation => "UnknownOperationException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::ResourceInUse => "ResourceInUseException",
            Self::ConditionalCheckFailed => "ConditionalCheckFailedException",
            Self::TransactionCanceled => "TransactionCanceledException",
            Self::TransactionConflict => "TransactionConflictException",
            Self::ProvisionedThroughputExceeded => "ProvisionedThroughputExceededException",
            Self::Throttling => "ThrottlingException",
            Self::LimitExceeded => "LimitExceededException",
            Self::IdempotentParameterMismatch => "IdempotentParameterMismatchException",
            Self::DuplicateItem => "DuplicateItemException",
            Self::ItemCollectionSizeLimitExceeded => "ItemCollectionSizeLimitExceededException",
            Self::AccessDenied => "AccessDeniedException",
            Self::TableNotFound => "TableNotFoundException",
            Self::ExpiredIterator => "ExpiredIteratorException",
            Self::PolicyNotFound => "PolicyNotFoundException",
            Self::TrimmedDataAccess => "TrimmedDataAccessException",
            Self::ClusterNotFound => "ClusterNotFoundFault",
            Self::ClusterAlreadyExists => "ClusterAlreadyExistsFault",
            Self::ParameterGroupNotFound => "ParameterGroupNotFoundFault",
            Self::ParameterGroupAlreadyExists => "ParameterGroupAlreadyExistsFault",
            Self::InvalidParameterGroupState => "InvalidParameterGroupStateFault",
            Self::InvalidParameterValue => "InvalidParameterValueException",
            Self::ReplicatedWriteConflict => "ReplicatedWriteConflictException",
            Self::GlobalTableNotFound => "GlobalTableNotFoundException",
            Self::ObjectNotFound => "ObjectNotFoundException",
            Self::BackupNotFound => "BackupNotFoundException",
            Self::TableAlreadyExists => "TableAlreadyExistsException",
            Self::PointInTimeRecoveryUnavailable => "PointInTimeRecoveryUnavailableException",
            Self::InvalidRestoreTime => "InvalidRestoreTimeException",
            Self::InvalidExportTime => "InvalidExportTimeException",
            Self::ExportNotFound => "ExportNotFoundException",
            Self::ExportConflict => "ExportConflictException",
            Self::ImportNotFound => "ImportNotFoundException",
            Self::ImportConflict => "ImportConflictException",
            Self::InternalServerError => "InternalServerError",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Validation => VALIDATE,
            Self::Serialization | Self::UnknownOperation | Self::AccessDenied => CORAL_SERVICE,
            // DAX's faults go by their bare names (SDKs read what follows a `#`, if any).
            Self::ClusterNotFound
            | Self::ClusterAlreadyExists
            | Self::ParameterGroupNotFound
            | Self::ParameterGroupAlreadyExists
            | Self::InvalidParameterGroupState
            | Self::InvalidParameterValue
            | Self::ObjectNotFound => "",
            _ => SERVICE,
        }
    }

    /// The HTTP status DynamoDB answers this error with.
    pub fn status(self) -> u16 {
        match self {
            Self::InternalServerError => 500,
            _ => 400,
        }
    }
}

/// What exactly went wrong, for the errors code must tell apart from others of their kind
/// (a caller rewords or passes on some of them). The wire never shows it: an error with a
/// cause serialises exactly as the same kind and message without one. Code branches on this,
/// never on a message's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// An item (not a `Key` member) lacks one of the table's key attributes.
    MissingKeyAttribute,
    /// An item's key attribute has another type than the key schema declares.
    KeyTypeMismatch,
    /// A number DynamoDB cannot store: not numeric, more than 38 significant digits, or out
    /// of range.
    InvalidNumber,
    /// A set with the same member twice.
    DuplicateSetMembers,
    /// A value nested past DynamoDB's 32 levels.
    NestedTooDeep,
    /// A check of the request's members that DynamoDB's current layer reports inside the
    /// `1 validation error detected: ` envelope on PutItem, UpdateItem and DeleteItem.
    RequestCheck,
    /// A set with no members, of this member type.
    EmptySet(ScalarType),
    /// A PartiQL WHERE clause without an equality on every key attribute.
    MissingKeyEquality,
    /// An enum the current layer checks ahead of the model's constraints, bare (a request
    /// read by the older layer gets the model's wording instead).
    CurrentLayerEnum,
    /// A key attribute holding an empty string or binary: a transaction refuses it outright
    /// rather than cancelling.
    EmptyKeyValue,
}

/// An error response exactly as DynamoDB sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// Which error.
    pub kind: ErrorKind,
    /// The `message` text, word for word as DynamoDB writes it.
    pub message: String,
    /// Extra top-level members (`Item`, `CancellationReasons`, `ThrottlingReasons`).
    pub extra: Map<String, Value>,
    /// What exactly went wrong, where code must know (never on the wire).
    pub cause: Option<Cause>,
}

impl ApiError {
    /// An error with a message and no extra members.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), extra: Map::new(), cause: None }
    }

    /// The same error, marked with what exactly went wrong.
    pub fn because(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    /// The same error, marked with the cause of `other` (an error it rewords).
    pub fn because_of(mut self, other: &ApiError) -> Self {
        self.cause = other.cause;
        self
    }

    /// `ValidationException` with the given text.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// `ValidationException` "One or more parameter values were invalid: …".
    pub fn invalid_parameter(detail: impl std::fmt::Display) -> Self {
        Self::validation(format!("One or more parameter values were invalid: {detail}"))
    }

    /// `SerializationException` with the given text.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Serialization, message)
    }

    /// `ResourceNotFoundException` "Requested resource not found".
    pub fn resource_not_found() -> Self {
        Self::new(ErrorKind::ResourceNotFound, "Requested resource not found")
    }

    /// `ResourceNotFoundException` as control-plane operations word it, naming the table.
    pub fn table_not_found(table: &str) -> Self {
        Self::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Table: {table} not found"),
        )
    }

    /// `ConditionalCheckFailedException` "The conditional request failed".
    pub fn conditional_check_failed() -> Self {
        Self::new(ErrorKind::ConditionalCheckFailed, "The conditional request failed")
    }

    /// `DuplicateItemException`: a PartiQL INSERT found its key taken.
    pub fn duplicate_item() -> Self {
        Self::new(ErrorKind::DuplicateItem, "Duplicate primary key exists in table")
    }

    /// Adds a top-level member to the error body.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// The full `__type` member: prefix and name.
    pub fn type_name(&self) -> String {
        format!("{}{}", self.kind.prefix(), self.kind.name())
    }

    /// The JSON body DynamoDB sends for this error.
    pub fn to_json(&self) -> Value {
        let mut body = Map::with_capacity(2 + self.extra.len());
        body.insert("__type".into(), Value::String(self.type_name()));
        body.insert("message".into(), Value::String(self.message.clone()));
        for (k, v) in &self.extra {
            body.insert(k.clone(), v.clone());
        }
        Value::Object(body)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for ApiError {}

/// Result of anything that can fail with a DynamoDB error.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_never_reaches_the_wire() {
        let plain = ApiError::invalid_parameter("Missing the key pk in the item");
        let caused = plain.clone().because(Cause::MissingKeyAttribute);
        assert_eq!(caused.cause, Some(Cause::MissingKeyAttribute));
        assert_eq!(caused.to_json(), plain.to_json());
        assert_eq!(caused.to_string(), plain.to_string());
    }
}
