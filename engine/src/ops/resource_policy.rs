//! What PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy share (and CreateTable's
//! `ResourcePolicy`): the resource an ARN names — a table or one of its streams — the policy
//! slot it has, the document's checks, and the `ExpectedRevisionId` rules.
//!
//! A policy is evaluated for requests sent as one of the playground's identities (`iam`,
//! which reads its grammar then; here only its size and JSON are checked). What DynamoDB
//! does that this does not: it applies a policy eventually (a GetResourcePolicy straight
//! after a put may still see the old one; here it sees the new one), and it blocks another update of the same resource's policy for 15
//! seconds (recorded runs against AWS update again within seconds, so the block is not
//! modelled).

use serde_json::Value;

use crate::control::ResourcePolicy;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};

/// The largest policy document, in bytes, whitespace included [API_PutResourcePolicy].
pub(super) const MAX_POLICY_BYTES: usize = 20 * 1024;

/// The `ExpectedRevisionId` that asks for no policy to be attached yet.
const NO_POLICY: &str = "NO_POLICY";

/// A resource a policy can be attached to.
pub(super) enum Resource {
    Table(String),
    /// A stream, by its ARN; `table` is the table it belongs to.
    Stream {
        table: String,
        arn: String,
    },
}

impl Resource {
    /// How PolicyNotFoundException names the resource: "table Music" as DynamoDB words it;
    /// "stream <arn>" for a stream (not recorded: DynamoDB's usual style).
    fn named(&self) -> String {
        match self {
            Self::Table(name) => format!("table {name}"),
            Self::Stream { arn, .. } => format!("stream {arn}"),
        }
    }
}

/// The table or stream a `ResourceArn` names, checked as TagResource checks a table ARN
/// (the same texts), plus stream ARNs `…:table/<name>/stream/<label>`. Index ARNs are
/// refused: an index's permissions live in its table's policy.
pub(super) fn resource(engine: &Engine, action: &str, arn: &str) -> ApiResult<Resource> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::invalid_parameter(format!("ARNs must start with 'arn:': {arn}")));
    }
    let invalid =
        || ApiError::validation(format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}"));
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, path] = parts.as_slice() else { return Err(invalid()) };
    if *service != "dynamodb" || partition.is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "Provided Arn is not a DynamoDB resource arn: {arn}"
        )));
    }
    let only_table_or_stream = || {
        ApiError::invalid_parameter(format!(
            "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"
        ))
    };
    let path = path.strip_prefix("table/").ok_or_else(only_table_or_stream)?;
    let (table, stream) = match path.split_once('/') {
        None => (path, None),
        Some((table, rest)) => match rest.strip_prefix("stream/") {
            Some(label) if !label.is_empty() && !label.contains('/') => (table, Some(label)),
            _ => return Err(only_table_or_stream()),
        },
    };
    if *region != engine.config.region || !crate::validate::is_name(table) || table.len() < 3 {
        return Err(invalid());
    }
    if *account != engine.config.account_id {
        return Err(super::tags::access_denied(engine, action, arn));
    }
    Ok(match stream {
        None => Resource::Table(table.to_owned()),
        Some(_) => Resource::Stream { table: table.to_owned(), arn: arn.to_owned() },
    })
}

/// The policy slot of `resource`, or DynamoDB's ResourceNotFoundException for it.
pub(super) fn slot<'e>(
    engine: &'e mut Engine,
    resource: &Resource,
) -> ApiResult<&'e mut Option<ResourcePolicy>> {
    match resource {
        Resource::Table(name) => {
            let table = engine.tables.get_mut(name).ok_or_else(|| ApiError::table_not_found(name))?;
            Ok(&mut table.control.policy)
        }
        Resource::Stream { table, arn } => {
            let now = engine.now_ms;
            let live =
                engine.tables.get_mut(table).and_then(|t| t.stream_log.as_mut()).filter(|s| s.arn == *arn);
            let log = match live {
                Some(log) => log,
                None => engine
                    .closed_streams
                    .iter_mut()
                    .find(|s| s.arn == *arn && !s.gone(now))
                    .ok_or_else(|| crate::streams::stream_not_found(arn))?,
            };
            Ok(&mut log.policy)
        }
    }
}

/// A policy document's checks: at most [`MAX_POLICY_BYTES`], and a JSON object. DynamoDB
/// also validates the document's grammar (actions, principals); that comes with evaluating
/// policies (issue 18). The texts follow DynamoDB's "Invalid policy document: …" style; the
/// exact ones for these two failures are not recorded.
pub(crate) fn check_document(document: &str) -> ApiResult<()> {
    if document.len() > MAX_POLICY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid policy document: The policy document is {} bytes; the maximum is {MAX_POLICY_BYTES} bytes (20 KB)",
            document.len()
        )));
    }
    if !serde_json::from_slice::<Value>(document.as_bytes()).is_ok_and(|v| v.is_object()) {
        return Err(ApiError::invalid_parameter(
            "Invalid policy document: The policy document must be a JSON object",
        ));
    }
    Ok(())
}

/// `ExpectedRevisionId` against the policy in place: DynamoDB's PolicyNotFoundException when
/// it does not match (`NO_POLICY` expects none).
pub(super) fn check_expected(
    expected: Option<&str>,
    current: Option<&ResourcePolicy>,
    resource: &Resource,
    arn: &str,
) -> ApiResult<()> {
    let not_found = |detail: String| {
        ApiError::new(
            ErrorKind::PolicyNotFound,
            format!("Resource-based policy not found for the provided ResourceArn: {detail}"),
        )
    };
    match (expected, current) {
        (None, _) | (Some(NO_POLICY), None) => Ok(()),
        (Some(NO_POLICY), Some(policy)) => Err(not_found(format!(
            "Requested policy update expecting none to be present for {}, but a policy exists with revision id {}.",
            resource.named(),
            policy.revision
        ))),
        (Some(expected), Some(policy)) if expected == policy.revision => Ok(()),
        (Some(expected), Some(policy)) => Err(not_found(format!(
            "Requested update for policy with revision id {expected}, but the policy associated to target {} has revision id {}.",
            resource.named(),
            policy.revision
        ))),
        // A revision expected where there is no policy: the not-found text (not recorded).
        (Some(_), None) => Err(not_found(arn.to_owned())),
    }
}

/// PolicyNotFoundException for a resource without a policy.
pub(super) fn no_policy(arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::PolicyNotFound,
        format!("Resource-based policy not found for the provided ResourceArn: {arn}"),
    )
}
