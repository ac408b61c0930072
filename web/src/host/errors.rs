//! The errors the browser host adds to DynamoDB's own: storage failures, a read-only tab.
//! They use DynamoDB's error shape (`__type`, `message`) and kinds an SDK already handles:
//! `InternalServerError` (HTTP 500, retried by SDKs) for storage trouble that may pass,
//! `AccessDeniedException` (400, not retried) for writes a read-only tab refuses.

use dynaplay_engine::{ApiError, ErrorKind};
use serde_json::Value;

/// A write could not be made durable; it was not applied.
pub fn storage_failed(cause: &str, quota: bool) -> Value {
    let advice = if quota {
        "The browser's storage for this site is full. Delete items or tables (or export the \
         workspace and reset it) and retry"
    } else {
        "Retry the request"
    };
    ApiError::new(
        ErrorKind::InternalServerError,
        format!(
            "dynaplay could not save this change in the browser's storage ({cause}), so it was not \
             applied; every change acknowledged before it is saved. {advice}."
        ),
    )
    .to_json()
}

/// Requests arriving while the engine is rolled back to the stored state after a failure.
pub fn recovering() -> Value {
    ApiError::new(
        ErrorKind::InternalServerError,
        "dynaplay is restoring the last saved state after a storage failure; retry the request.",
    )
    .to_json()
}

/// Storage cannot be used at all (it failed to open, or a rollback could not read it back).
pub fn storage_unavailable(reason: &str) -> Value {
    ApiError::new(
        ErrorKind::InternalServerError,
        format!("dynaplay cannot save changes: {reason}. Reload the page."),
    )
    .to_json()
}

/// A write in a tab that does not own the workspace.
pub fn read_only() -> Value {
    ApiError::new(
        ErrorKind::AccessDenied,
        "This tab is read-only: another dynaplay tab owns this workspace. Make changes there, or \
         close it and this tab takes over.",
    )
    .to_json()
}

/// A write in a tab whose lease another tab took over (it stopped renewing it, e.g. frozen in
/// the background): the change was not saved and the tab is read-only from now on.
pub fn ownership_lost() -> Value {
    ApiError::new(
        ErrorKind::AccessDenied,
        "This change was not saved: another dynaplay tab has taken this workspace over (this tab \
         stopped renewing its claim on it). This tab is read-only now; make changes in the other \
         tab, or close it and this tab takes over.",
    )
    .to_json()
}

/// A request before the workspace finished loading (the JS API waits for `ready` itself).
pub fn loading() -> Value {
    ApiError::new(
        ErrorKind::InternalServerError,
        "dynaplay is still loading the workspace; retry the request.",
    )
    .to_json()
}

/// An import file that is not JSON at all.
pub fn import_not_json(detail: &str) -> Value {
    ApiError::validation(format!("Invalid workspace file: not JSON ({detail})")).to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_errors_have_dynamodbs_shape() {
        let e = storage_failed("QuotaExceededError: full", true);
        assert_eq!(e["__type"], "com.amazonaws.dynamodb.v20120810#InternalServerError");
        assert!(e["message"].as_str().unwrap().contains("storage for this site is full"));
        assert_eq!(read_only()["__type"], "com.amazon.coral.service#AccessDeniedException");
        assert_eq!(ownership_lost()["__type"], "com.amazon.coral.service#AccessDeniedException");
        assert!(ownership_lost()["message"].as_str().unwrap().contains("not saved"));
        assert!(import_not_json("x")["message"].as_str().unwrap().starts_with("Invalid workspace file"));
    }
}
