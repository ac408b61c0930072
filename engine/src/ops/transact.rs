//! What TransactGetItems and TransactWriteItems share: cancellation reasons and the
//! `TransactionCanceledException` that lists them, and the `ClientRequestToken` memory that
//! makes TransactWriteItems idempotent for ten minutes of engine time.
//!
//! TransactionConflictException: DynamoDB raises it when a write meets an item that an
//! *ongoing* transaction holds. Here every operation runs to completion inside one `handle`
//! call on `&mut Engine`, so no write can ever observe a transaction in progress; the error
//! is unreachable by construction and is deliberately not simulated (simulating it would make
//! ordinary sequential use fail).

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ErrorKind};
use crate::types::{item_to_json, Item};

/// How long a `ClientRequestToken` is remembered [API_TransactWriteItems].
const TOKEN_LIFETIME_MS: u64 = 10 * 60 * 1000;

/// Why one action of a transaction would not (or would) go through.
#[derive(Debug, PartialEq)]
pub(crate) enum Reason {
    /// The action would have succeeded.
    None,
    /// Its condition was false; carries the item when ALL_OLD was asked for and it exists.
    ConditionalCheckFailed(Option<Item>),
    /// A user error found while applying the action (key schema, update type error, size…).
    ValidationError(String),
    /// The action's table or index was out of capacity, or its item collection out of room:
    /// (code, message).
    Throttled(&'static str, String),
}

impl Reason {
    fn code(&self) -> &'static str {
        match self {
            Self::None => "None",
            Self::ConditionalCheckFailed(_) => "ConditionalCheckFailed",
            Self::ValidationError(_) => "ValidationError",
            Self::Throttled(code, _) => code,
        }
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Self::ConditionalCheckFailed(Some(item)) = self {
            m.insert("Item".into(), item_to_json(item));
        }
        m.insert("Code".into(), json!(self.code()));
        match self {
            Self::None => {}
            Self::ConditionalCheckFailed(_) => {
                m.insert("Message".into(), json!("The conditional request failed"));
            }
            Self::ValidationError(message) | Self::Throttled(_, message) => {
                m.insert("Message".into(), json!(message));
            }
        }
        Value::Object(m)
    }
}

/// `TransactionCanceledException` when any reason is not `None`.
pub(crate) fn cancel_if_failed(reasons: &[Reason]) -> Result<(), ApiError> {
    if reasons.iter().all(|r| *r == Reason::None) {
        return Ok(());
    }
    let codes: Vec<&str> = reasons.iter().map(Reason::code).collect();
    Err(ApiError::new(
        ErrorKind::TransactionCanceled,
        format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        ),
    )
    .with("CancellationReasons", Value::Array(reasons.iter().map(Reason::to_json).collect())))
}

/// Admits every action's charges, all or none: `charges[i]` are action `i`'s (table name,
/// charges). A refusal refunds what was taken and cancels the transaction with the throttled
/// action's reason (`None` for the others).
pub(crate) fn admit_all(
    engine: &mut crate::engine::Engine,
    charges: &[(usize, &str, Vec<crate::capacity::admission::Charge>)],
    actions: usize,
) -> Result<(), ApiError> {
    use crate::capacity::admission;
    let mut taken: Vec<(&str, admission::Receipts)> = Vec::with_capacity(charges.len());
    for (action, table_name, list) in charges {
        let (table, env) = super::request::split(engine, table_name)?;
        let prior: Vec<_> =
            taken.iter().filter(|(n, _)| n == table_name).flat_map(|(_, r)| r.iter().copied()).collect();
        match admission::admit_after(table, &env, list, &prior) {
            Ok(receipts) => taken.push((table_name, receipts)),
            Err(throttle) => {
                let (code, message) = admission::cancellation_reason(table, &throttle);
                admission::note_throttled_request(table, env.now);
                for (name, receipts) in taken.into_iter().rev() {
                    if let Some(t) = engine.tables.get_mut(name) {
                        admission::refund(t, receipts);
                    }
                }
                let mut reasons: Vec<Reason> = (0..actions).map(|_| Reason::None).collect();
                if let Some(r) = reasons.get_mut(*action) {
                    *r = Reason::Throttled(code, message);
                }
                return cancel_if_failed(&reasons);
            }
        }
    }
    Ok(())
}

/// The error a transaction gives when two actions name one item.
pub(crate) fn duplicate_item() -> ApiError {
    ApiError::validation("Transaction request cannot include multiple operations on one item")
}

/// A successful TransactWriteItems remembered under its token.
#[derive(Clone, Debug, PartialEq)]
struct TokenEntry {
    token: String,
    at_ms: u64,
    /// A hash of the request without its token and response-shaping members (its canonical
    /// JSON text), to detect a changed payload without keeping a copy of up to 4 MB.
    payload: u64,
}

/// Most tokens remembered at once. DynamoDB keeps every token for ten minutes; the playground
/// keeps the newest 10,000 (a retry behind ten thousand newer tokens runs as a new call), so
/// a script firing transactions cannot grow this list without end.
pub(crate) const MAX_CLIENT_TOKENS: usize = 10_000;

/// `ClientRequestToken`s of successful TransactWriteItems calls, with their engine time, oldest
/// first. A list, not a map: tokens live ten minutes, so there are few, and a map type of its
/// own would compile its tree code into the browser bundle once more. The list is workspace
/// state: a snapshot keeps it, so a retry after a reload is still answered from the token.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ClientTokens {
    entries: Vec<TokenEntry>,
}

/// What a token says about a new call.
#[derive(Debug, PartialEq)]
pub(crate) enum TokenCheck {
    /// Never seen (or expired): run the transaction.
    New,
    /// The same call again: answer as before without applying anything.
    Replay,
}

impl ClientTokens {
    /// Forgets tokens older than ten minutes, then checks `token` against `payload`.
    pub fn check(&mut self, token: &str, payload: &Value, now_ms: u64) -> Result<TokenCheck, ApiError> {
        self.entries.retain(|e| now_ms.saturating_sub(e.at_ms) < TOKEN_LIFETIME_MS);
        match self.entries.iter().find(|e| e.token == token) {
            None => Ok(TokenCheck::New),
            Some(e) if e.payload == payload_hash(payload) => Ok(TokenCheck::Replay),
            Some(_) => Err(ApiError::new(
                ErrorKind::IdempotentParameterMismatch,
                "The request uses the same client token as a previous, but non-identical request.",
            )),
        }
    }

    /// Remembers a token after its transaction succeeded.
    pub fn record(&mut self, token: &str, payload: &Value, now_ms: u64) {
        self.entries.retain(|e| e.token != token);
        if self.entries.len() >= MAX_CLIENT_TOKENS {
            self.entries.remove(0);
        }
        self.entries.push(TokenEntry {
            token: token.to_owned(),
            at_ms: now_ms,
            payload: payload_hash(payload),
        });
    }

    /// The tokens still live at `now_ms` as a snapshot keeps them: `[[token, engine ms,
    /// payload hash], …]` (expired ones are forgotten whenever a call next looks).
    pub fn to_json(&self, now_ms: u64) -> Value {
        let live = self.entries.iter().filter(|e| now_ms.saturating_sub(e.at_ms) < TOKEN_LIFETIME_MS);
        live.map(|e| json!([e.token, e.at_ms, e.payload])).collect()
    }

    /// Tokens from [`ClientTokens::to_json`]'s form; `None` if it is not that.
    pub fn from_json(v: &Value) -> Option<Self> {
        let entries = v
            .as_array()?
            .iter()
            .map(|e| match e.as_array().map(Vec::as_slice) {
                Some([Value::String(token), at, payload]) => {
                    Some(TokenEntry { token: token.clone(), at_ms: at.as_u64()?, payload: payload.as_u64()? })
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { entries })
    }

    /// How many tokens are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The payload's hash: its canonical JSON text (object members are sorted) through the key
/// hash.
fn payload_hash(payload: &Value) -> u64 {
    crate::types::KeyValue::S(payload.to_string()).hash64()
}

/// The part of a TransactWriteItems request a token is bound to: everything but the token
/// itself and the members that only shape the response.
pub(crate) fn token_payload(request: &Value) -> Value {
    // Built by inserting what stays rather than by removing what goes: removal would compile
    // the tree's rebalancing code for JSON objects into the browser bundle for this alone.
    let shaping = ["ClientRequestToken", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"];
    let members = request.as_object().into_iter().flatten();
    Value::Object(crate::types::object_from(
        members.filter(|(k, _)| !shaping.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_lists_every_action_in_order() {
        let err = cancel_if_failed(&[Reason::None, Reason::ConditionalCheckFailed(None)]).unwrap_err();
        assert_eq!(
            err.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
        );
        assert_eq!(
            err.extra["CancellationReasons"],
            json!([{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}])
        );
        assert!(cancel_if_failed(&[Reason::None, Reason::None]).is_ok());
    }

    #[test]
    fn tokens_replay_mismatch_and_expire() {
        let mut tokens = ClientTokens::default();
        let a = json!({"TransactItems": [1]});
        let b = json!({"TransactItems": [2]});
        assert_eq!(tokens.check("t", &a, 0), Ok(TokenCheck::New));
        tokens.record("t", &a, 0);
        assert_eq!(tokens.check("t", &a, TOKEN_LIFETIME_MS - 1), Ok(TokenCheck::Replay));
        let err = tokens.check("t", &b, TOKEN_LIFETIME_MS - 1).unwrap_err();
        assert_eq!(err.kind, ErrorKind::IdempotentParameterMismatch);
        // Ten minutes later the token is free again, whatever the payload.
        assert_eq!(tokens.check("t", &b, TOKEN_LIFETIME_MS), Ok(TokenCheck::New));
    }

    #[test]
    fn tokens_survive_their_snapshot_form_and_are_bounded() {
        let mut tokens = ClientTokens::default();
        let a = json!({"TransactItems": [{"Put": {"TableName": "x"}}]});
        tokens.record("t", &a, 5);
        let copy = ClientTokens::from_json(&tokens.to_json(5)).unwrap();
        assert_eq!(copy, tokens);
        assert_eq!(tokens.to_json(5 + TOKEN_LIFETIME_MS), json!([]), "expired tokens are not kept");
        let mut copy = copy;
        assert_eq!(copy.check("t", &a, 6), Ok(TokenCheck::Replay));
        assert!(copy.check("t", &json!({"TransactItems": []}), 6).is_err());
        assert_eq!(ClientTokens::from_json(&json!([["t", "x", 1]])), None);
        for i in 0..MAX_CLIENT_TOKENS + 5 {
            tokens.record(&format!("k{i}"), &a, 10);
        }
        assert_eq!(tokens.len(), MAX_CLIENT_TOKENS);
        assert_eq!(tokens.check("k4", &a, 10), Ok(TokenCheck::New), "the oldest were forgotten");
        assert_eq!(tokens.check("k5", &a, 10), Ok(TokenCheck::Replay));
    }

    #[test]
    fn payload_ignores_token_and_response_shaping() {
        let one = json!({"TransactItems": [], "ClientRequestToken": "x", "ReturnConsumedCapacity": "TOTAL"});
        let two = json!({"TransactItems": [], "ClientRequestToken": "x"});
        assert_eq!(token_payload(&one), token_payload(&two));
    }
}
