//! The DynamoDB HTTP protocol ⇄ [`Engine::handle_text`].
//!
//! DynamoDB's JSON protocol is one `POST /` per call: the operation is named by the
//! `X-Amz-Target` header (`DynamoDB_20120810.PutItem`) and the request is the JSON body.
//! Everything before the engine sees a request — body limits, content types, targets, the
//! shape of the `Authorization` header, CORS, the health check — answers the way DynamoDB
//! does, as recorded by dynalite's connection tests: the errors a client gets for a broken
//! request are part of what a learner sees. Responses carry `x-amzn-RequestId` and the
//! `x-amz-crc32` checksum that boto3 and the other SDKs verify.

use std::borrow::Cow;
use std::convert::Infallible;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dynaplay_engine::{ApiError, ApiFamily, Engine, ErrorKind};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use crate::access::{Cors, Policy};
use crate::exports::ExportsDir;
use crate::sigv4::{self, Credentials};
use crate::store::{self, Store};

/// DynamoDB refuses request bodies larger than this (16 MiB).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// The JSON protocol's content type; SDKs send it and DynamoDB answers with it.
const AMZ_JSON: &str = "application/x-amz-json-1.0";
/// JSON 1.1, the protocol of DAX's management API (`AmazonDAXV3.*`) and of Application Auto
/// Scaling (`AnyScaleFrontendService.*`), answered in kind.
const AMZ_JSON_11: &str = "application/x-amz-json-1.1";
/// DynamoDB also takes plain JSON, and then answers with plain JSON.
const PLAIN_JSON: &str = "application/json";

// The protocol's own headers, parsed once (a name given as text is parsed at every lookup).
static X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
pub(crate) static X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
static X_AMZN_REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
static X_AMZ_CRC32: HeaderName = HeaderName::from_static("x-amz-crc32");

/// The operations of the DynamoDB API version 2012-08-10 that the engine does not serve.
/// DynamoDB rejects a name that is not an operation with `UnknownOperationException` before
/// it looks at credentials; these are real names, so they are routed like the engine's own
/// (see [`target`]) and the engine answers them.
const DYNAMODB_NOT_SERVED: &[&str] = &[
    "DescribeKinesisStreamingDestination",
    "DescribeTableReplicaAutoScaling",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "UpdateKinesisStreamingDestination",
    "UpdateTableReplicaAutoScaling",
];

/// What every request shares: the one engine, where it is saved, who may call, and the
/// request-id generator.
pub struct State {
    /// The engine. The lock is held only around [`Engine::handle`], which is synchronous and
    /// short, so a plain mutex beats an async one.
    engine: Mutex<Engine>,
    /// With `--data-dir`: where every change is made durable before it is answered.
    store: Option<Store>,
    /// The health check names the region, as DynamoDB's does.
    health_body: Bytes,
    request_ids: RequestIds,
    /// Which `Host` and `Origin` values are answered.
    access: Policy,
    /// The longest pause allowed while a request body arrives.
    body_timeout: Duration,
    /// With `--credentials`: the keys signatures are verified against.
    credentials: Option<Credentials>,
    /// The region a signature's credential scope must name (with `--credentials`).
    region: String,
    /// Whether the engine has identities (`iam`), as of the last request: until it has, a
    /// request's access key is not looked up (no second lock of the engine).
    identities: AtomicBool,
    /// Where exports appear as files and ImportTable finds files (`exports.rs`).
    exports: Option<ExportsDir>,
}

impl State {
    /// Serves `engine` (saved in `store`, if any) for `region`.
    pub fn new(
        engine: Engine,
        store: Option<Store>,
        region: &str,
        access: Policy,
        body_timeout: Duration,
    ) -> Self {
        Self {
            identities: AtomicBool::new(engine.has_identities()),
            engine: Mutex::new(engine),
            store,
            // The trailing space is DynamoDB's own.
            health_body: Bytes::from(format!("healthy: dynamodb.{region}.amazonaws.com ")),
            request_ids: RequestIds::new(),
            access,
            body_timeout,
            credentials: None,
            region: region.to_owned(),
            exports: None,
        }
    }

    /// Mirrors the engine's object store in `dir` (`--exports-dir`).
    pub fn with_exports_dir(mut self, dir: Option<ExportsDir>) -> Self {
        self.exports = dir;
        self
    }

    /// Verifies SigV4 signatures against `credentials` (`--credentials FILE`); `None` accepts
    /// any well-formed signature.
    pub fn with_credentials(mut self, credentials: Option<Credentials>) -> Self {
        self.credentials = credentials;
        self
    }

    /// Saves what the engine changed on its own (TTL deletions, workload traffic) when no
    /// write has for a while; the server calls it every [`store::CHECKPOINT_INTERVAL`].
    pub fn checkpoint_tick(&self) {
        if let Some(store) = &self.store {
            store.checkpoint_if_moved(&self.engine.lock().unwrap_or_else(PoisonError::into_inner), false);
        }
    }

    /// Shutdown: with a data directory, everything queued is written and the writer stops.
    pub fn close(&self) {
        if let Some(store) = &self.store {
            store.close(&self.engine.lock().unwrap_or_else(PoisonError::into_inner));
        }
    }
}

/// Answers one HTTP request. Never fails: every problem becomes a DynamoDB-shaped response.
pub async fn respond(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let mut reply = Reply { request_id: state.request_ids.next(), allow_origin: None };

    // Who is asking comes first: a refused request runs nothing, not even the health check.
    let host = parts.uri.authority().map(|a| a.as_str()).or_else(|| headers.get(header::HOST).map(host_text));
    if !state.access.host_allowed(host) {
        return Ok(reply.refuse_host(host.unwrap_or("")));
    }
    let origin = headers.get(header::ORIGIN);
    match state.access.cors(origin.map(HeaderValue::as_bytes)) {
        Cors::None => {}
        Cors::Allow(allowed) => reply.allow_origin = HeaderValue::from_str(&allowed).ok(),
        Cors::Refuse => {
            return Ok(
                reply.refuse_origin(&String::from_utf8_lossy(origin.map_or(&[][..], HeaderValue::as_bytes)))
            )
        }
    }

    let raw = match read_body(headers, body, state.body_timeout).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return Ok(reply.too_large()),
        // The client went away mid-body; nobody will read what we answer.
        Err(BodyError::Broken) => return Ok(reply.raw(StatusCode::BAD_REQUEST, None, Bytes::new())),
        Err(BodyError::Stalled) => return Ok(reply.stalled(state.body_timeout)),
    };
    // The signature covers the body as sent; everything else reads it decoded.
    let body = match decode_body(headers, &raw) {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return Ok(reply.too_large()),
        Err(_) => {
            let encoding =
                headers.get(header::CONTENT_ENCODING).map(|v| String::from_utf8_lossy(v.as_bytes()));
            let message = format!(
                "The request body could not be decoded as Content-Encoding: {}",
                encoding.unwrap_or_default()
            );
            let json_type = answer_type(media_type(headers));
            return Ok(reply.json(
                json_type,
                StatusCode::BAD_REQUEST,
                &coral_error("SerializationException", Some(&message)),
            ));
        }
    };

    if reply.allow_origin.is_some() && parts.method == Method::OPTIONS {
        return Ok(reply.preflight(headers));
    }
    if parts.method == Method::GET {
        return Ok(reply.raw(StatusCode::OK, None, state.health_body.clone()));
    }
    let content_type = media_type(headers);
    if parts.method != Method::POST
        || (!body.is_empty() && content_type != AMZ_JSON && content_type != PLAIN_JSON && !dax_json(headers))
    {
        // DynamoDB's answer to anything that is not its protocol at all.
        return Ok(reply.raw(
            StatusCode::NOT_FOUND,
            None,
            Bytes::from_static(b"<UnknownOperationException/>\n"),
        ));
    }
    let json_type = answer_type(content_type);

    // DynamoDB checks, in order: the body is JSON, the target names an operation, the
    // request is signed, the body is not empty. The engine parses the body itself on the
    // happy path, so it is only parsed here when an earlier-ranked error must win.
    let Some(operation) = target(headers) else {
        return Ok(reply.json_error(json_type, body_error(&body).unwrap_or("UnknownOperationException")));
    };
    let auth = match check_auth(headers, parts.uri.query()) {
        Ok(auth) => auth,
        Err((name, message)) => {
            if let Some(serialization) = body_error(&body) {
                return Ok(reply.json_error(json_type, serialization));
            }
            return Ok(reply.json(json_type, StatusCode::BAD_REQUEST, &coral_error(name, Some(&message))));
        }
    };
    let signed = sigv4::Request {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers,
        body: &raw,
        auth,
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Once the engine has identities, a request signed with one's access key is sent as it,
    // and its signature is verified with that key's secret (`iam`).
    let identities = state.identities.load(Ordering::Relaxed);
    let caller = identities.then(|| sigv4::access_key(&signed)).flatten().and_then(|key| {
        let engine = state.engine.lock().unwrap_or_else(PoisonError::into_inner);
        engine.access_key_secret(&key).map(|secret| (key, secret.to_owned()))
    });
    let identity_secret = caller.as_ref().map(|(_, secret)| secret.as_str());
    let scope_region =
        match sigv4::check(&signed, now, state.credentials.as_ref(), &state.region, identity_secret) {
            Ok(region) => region,
            Err((name, message)) => {
                return Ok(reply.json(json_type, StatusCode::BAD_REQUEST, &coral_error(name, Some(&message))))
            }
        };
    if body.is_empty() {
        return Ok(reply.json_error(json_type, "SerializationException"));
    }

    let region = scope_region.as_deref().unwrap_or(&state.region);
    let caller = caller.map(|(key, _)| key);
    // ImportTable reads files of the exports directory: first they go into the engine's object
    // store, each by a journaled PlaygroundPutObject.
    if let (Some(dir), "ImportTable") = (&state.exports, operation) {
        let puts = dir.import_puts(&mut state.engine.lock().unwrap_or_else(PoisonError::into_inner), &body);
        for put in puts {
            let (_, saved) =
                run_engine(&state, region, "PlaygroundPutObject", &put, reply.request_id(), None);
            if let Some(saved) = saved {
                let _ = saved.await;
            }
        }
    }
    let (mut result, saved) =
        run_engine(&state, region, operation, &body, reply.request_id(), caller.as_deref());
    // An export's files also appear in the exports directory.
    if let (Some(dir), "ExportTableToPointInTime", Ok(answer)) = (&state.exports, operation, &result) {
        dir.write_export(&mut state.engine.lock().unwrap_or_else(PoisonError::into_inner), answer);
    }
    // A write is answered once it is on disk (with --data-dir), outside the engine lock.
    if let Some(saved) = saved {
        let outcome = saved.await.unwrap_or_else(|_| Err("the writer stopped".into()));
        if let Err(reason) = outcome {
            result = Err(store::not_saved(&reason));
        }
    }
    Ok(match result {
        Ok(text) => reply.raw(StatusCode::OK, Some(json_type), Bytes::from(text)),
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            reply.json(json_type, status, &err.to_json())
        }
    })
}

/// Runs one operation in `region` (its signature's credential scope: each Region has its own
/// tables, and a global table a replica in each), advancing engine time from the wall clock
/// first. A panic in the engine is a dynaplay bug: it becomes a 500 for that request instead
/// of a dead connection.
/// With a data directory, a successful mutation is queued to be saved, in the order the
/// engine ran it; the caller waits for the returned acknowledgement before answering.
fn run_engine(
    state: &State,
    region: &str,
    operation: &str,
    body: &[u8],
    request_id: &str,
    caller: Option<&str>,
) -> (Result<String, ApiError>, Option<store::Ack>) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    // A poisoned lock only means an earlier request panicked; the engine is still usable.
    let mut engine = state.engine.lock().unwrap_or_else(PoisonError::into_inner);
    let mutating = state.store.is_some() && store::is_mutating(operation);
    if let Some(store) = &state.store {
        if let Err(err) = store.recover(&mut engine) {
            if mutating {
                return (Err(err), None);
            }
        }
    }
    // Engine time never runs backwards: after a restart it starts where the stored data
    // left it, and a wall clock behind that is ignored until it catches up.
    engine.set_now(now);
    if let Some(store) = &state.store {
        store.checkpoint_if_moved(&engine, mutating);
    }
    let background = engine.background_writes();
    // The answer's x-amzn-RequestId names the request's cost trace, so a client can ask
    // Dynaplay.PlaygroundExplainRequest why it consumed what it did.
    engine.name_next_request(request_id);
    // Sent as the identity its access key names, or as the account's root user.
    if caller.is_some() || engine.acting_as().is_some() {
        engine.act_as(caller);
    }
    // In memory nothing is journaled: the plain entry point skips copying the request into a
    // journal entry that would be dropped (and answers the same).
    let run = |engine: &mut Engine| match &state.store {
        Some(_) => engine.handle_logged_in(region, operation, body),
        None => (engine.handle_text_in(region, operation, body), None),
    };
    let (result, entry) = catch_unwind(AssertUnwindSafe(|| run(&mut engine))).unwrap_or_else(|_| {
        let error = ApiError::new(
            ErrorKind::InternalServerError,
            format!("dynaplay failed while handling {operation}; please report this request"),
        );
        (Err(error), None)
    });
    state.identities.store(engine.has_identities(), Ordering::Relaxed);
    let saved = match (&state.store, entry) {
        (Some(store), Some(mutation)) if mutating => {
            let ack = store.journal(&engine, mutation);
            // A split that followed traffic happened during the request: checkpoint right
            // after its entry (replaying the entry would not split).
            if engine.background_writes() != background {
                store.checkpoint_if_moved(&engine, true);
            }
            ack
        }
        _ => None,
    };
    (result, saved)
}

/// Why a body could not be read.
#[derive(Debug)]
enum BodyError {
    TooLarge,
    Broken,
    /// No byte of it arrived for the body timeout (a slow-body client holding a connection).
    Stalled,
}

/// A `Host` header as text; a value that is not text cannot be one of ours, so it becomes
/// a name no policy accepts.
fn host_text(value: &HeaderValue) -> &str {
    value.to_str().unwrap_or("\u{fffd}")
}

/// Reads the whole body, refusing more than [`MAX_REQUEST_BYTES`] without buffering it, and
/// giving up when the client pauses longer than `stall`.
async fn read_body(headers: &HeaderMap, mut body: Incoming, stall: Duration) -> Result<Bytes, BodyError> {
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    // A declared oversize body is refused before a byte of it is read (and before hyper sends
    // `100 Continue`, so a client that asked first never uploads it).
    if declared.is_some_and(|len| len > MAX_REQUEST_BYTES as u64) {
        return Err(BodyError::TooLarge);
    }
    // A body that arrives in one piece (nearly every one: it came with its head) is kept as
    // hyper read it; only a body in several pieces is copied together.
    let mut whole: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    loop {
        // What has arrived is taken at once; only a wait for more arms the stall timer.
        let next = match std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut body).poll_frame(cx))).await {
            Poll::Ready(next) => next,
            Poll::Pending => {
                tokio::time::timeout(stall, body.frame()).await.map_err(|_| BodyError::Stalled)?
            }
        };
        let Some(frame) = next else { break };
        let frame = frame.map_err(|_| BodyError::Broken)?;
        if let Ok(data) = frame.into_data() {
            if whole.as_ref().map_or(0, Bytes::len) + joined.len() + data.len() > MAX_REQUEST_BYTES {
                return Err(BodyError::TooLarge);
            }
            match whole.take() {
                None if joined.is_empty() => whole = Some(data),
                first => {
                    if let Some(first) = first {
                        joined.reserve(declared.unwrap_or(0) as usize);
                        joined.extend_from_slice(&first);
                    }
                    joined.extend_from_slice(&data);
                }
            }
        }
    }
    Ok(whole.unwrap_or_else(|| Bytes::from(joined)))
}

/// Undoes `Content-Encoding: gzip` or `deflate` (zlib-wrapped, or raw as some clients send
/// it), several applied in turn when listed; `identity` is nothing. The size limit applies to
/// what comes out, so a small compressed body cannot unpack past it.
fn decode_body(headers: &HeaderMap, raw: &Bytes) -> Result<Bytes, BodyError> {
    use std::io::Read;
    let Some(encoding) = headers.get(header::CONTENT_ENCODING) else { return Ok(raw.clone()) };
    let encoding = encoding.to_str().map_err(|_| BodyError::Broken)?.to_ascii_lowercase();
    let mut body = raw.clone();
    // Encodings are listed in the order they were applied: undo the last first.
    for coding in encoding.split(',').map(str::trim).rev().filter(|c| !c.is_empty()) {
        let limit = MAX_REQUEST_BYTES as u64 + 1;
        let mut out = Vec::new();
        let read = |reader: &mut dyn Read, out: &mut Vec<u8>| reader.take(limit).read_to_end(out).is_ok();
        let ok = match coding {
            "identity" => continue,
            "gzip" | "x-gzip" => read(&mut flate2::read::GzDecoder::new(&body[..]), &mut out),
            "deflate" => {
                read(&mut flate2::read::ZlibDecoder::new(&body[..]), &mut out) || {
                    out.clear();
                    read(&mut flate2::read::DeflateDecoder::new(&body[..]), &mut out)
                }
            }
            _ => false,
        };
        if !ok {
            return Err(BodyError::Broken);
        }
        if out.len() > MAX_REQUEST_BYTES {
            return Err(BodyError::TooLarge);
        }
        body = Bytes::from(out);
    }
    Ok(body)
}

/// Whether the request is JSON 1.1 for one of DAX's or Application Auto Scaling's operations
/// (DynamoDB's own endpoint answers JSON 1.1 with its 404, as to any other protocol).
fn dax_json(headers: &HeaderMap) -> bool {
    media_type(headers) == AMZ_JSON_11
        && target(headers)
            .and_then(dynaplay_engine::operation)
            .is_some_and(|spec| matches!(spec.family, ApiFamily::Dax | ApiFamily::ApplicationAutoScaling))
}

/// The media type an answer goes in: the request's own AWS JSON version, else plain JSON.
fn answer_type(request_type: &str) -> &'static str {
    match request_type {
        AMZ_JSON => AMZ_JSON,
        AMZ_JSON_11 => AMZ_JSON_11,
        _ => PLAIN_JSON,
    }
}

/// The media type of `Content-Type` without parameters (`application/json; charset=x`).
fn media_type(headers: &HeaderMap) -> &str {
    let value = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    value.split(';').next().unwrap_or("").trim()
}

/// The operation named by `X-Amz-Target`: one the engine registers under that family's
/// prefix (`DynamoDB_20120810`, `DynamoDBStreams_20120810`, DAX's `AmazonDAXV3`, Application
/// Auto Scaling's `AnyScaleFrontendService`, or the
/// playground's `Dynaplay`),
/// or a DynamoDB operation it does not serve.
fn target(headers: &HeaderMap) -> Option<&'static str> {
    let value = headers.get(&X_AMZ_TARGET)?.to_str().ok()?;
    let (api, operation) = value.split_once('.')?;
    match dynaplay_engine::operation(operation) {
        Some(spec) => (spec.family.target_prefix() == api).then_some(spec.name),
        None if api == ApiFamily::DynamoDB.target_prefix() => {
            DYNAMODB_NOT_SERVED.iter().copied().find(|op| *op == operation)
        }
        None => None,
    }
}

/// `Some("SerializationException")` when a non-empty body is not JSON.
fn body_error(body: &[u8]) -> Option<&'static str> {
    let invalid = !body.is_empty() && serde_json::from_slice::<serde_json::Value>(body).is_err();
    invalid.then_some("SerializationException")
}

/// Checks that the request carries SigV4 credentials in the shape DynamoDB requires — in
/// the `Authorization` header or presigned in the query string — without verifying any
/// signature. Returns the error name and message DynamoDB gives otherwise.
///
/// A request signed in its `Authorization` header of ASCII text (as every SDK signs) passes
/// with the header's [`sigv4::header_params`], for the signature check to reuse.
fn check_auth<'h>(
    headers: &'h HeaderMap,
    query: Option<&str>,
) -> Result<Option<sigv4::HeaderParams<'h>>, (&'static str, String)> {
    // Borrowed unless the header is not UTF-8: the happy path allocates nothing.
    let auth = headers.get(header::AUTHORIZATION).map(|v| match std::str::from_utf8(v.as_bytes()) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(v.as_bytes()),
    });
    let query_pairs = || {
        query
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
    };
    let presigned = query_pairs().any(|(key, _)| key == "X-Amz-Algorithm");

    let auth =
        match auth {
            Some(_) if presigned => return Err((
                "InvalidSignatureException",
                "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
                    .into(),
            )),
            Some(auth) if auth.trim().starts_with("AWS4-") => auth,
            None if presigned => {
                let mut message = String::new();
                for param in [
                    "X-Amz-Algorithm",
                    "X-Amz-Credential",
                    "X-Amz-Signature",
                    "X-Amz-SignedHeaders",
                    "X-Amz-Date",
                ] {
                    if !query_pairs().any(|(key, value)| key == param && !value.is_empty()) {
                        message += &format!("AWS query-string parameters must include '{param}'. ");
                    }
                }
                if message.is_empty() {
                    return Ok(None);
                }
                message += "Re-examine the query-string parameters.";
                return Err(("IncompleteSignatureException", message));
            }
            _ => {
                return Err((
                    "MissingAuthenticationTokenException",
                    "Request is missing Authentication Token".into(),
                ))
            }
        };

    // `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`: pairs split on commas
    // and spaces after the algorithm. A value counts up to a second `=`.
    let missing = |params: sigv4::HeaderParams<'_>| {
        let mut message = String::new();
        for (param, value) in sigv4::AUTH_PARAMS.iter().zip(params) {
            if value.is_none_or(|v| sigv4::split_eq(v).map_or(v, |(v, _)| v).is_empty()) {
                message += &format!("Authorization header requires '{param}' parameter. ");
            }
        }
        if !headers.contains_key(&X_AMZ_DATE) && !headers.contains_key(header::DATE) {
            message +=
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
        }
        message
    };
    let mut message = match &auth {
        Cow::Borrowed(text) => {
            let params = sigv4::header_params(text);
            let message = missing(params);
            // The signature check reads the header only as ASCII text (HeaderValue::to_str).
            if message.is_empty() {
                return Ok(text.is_ascii().then_some(params));
            }
            message
        }
        Cow::Owned(text) => missing(sigv4::header_params(text)),
    };
    if message.is_empty() {
        return Ok(None);
    }
    message += &format!("Authorization={auth}");
    Err(("IncompleteSignatureException", message))
}

/// A `com.amazon.coral.service#` error body; DynamoDB omits `message` for some of them.
fn coral_error(name: &str, message: Option<&str>) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    body.insert("__type".into(), format!("com.amazon.coral.service#{name}").into());
    if let Some(message) = message {
        body.insert("message".into(), message.into());
    }
    serde_json::Value::Object(body)
}

/// Builds the responses for one request, with the headers every response carries.
struct Reply {
    /// `x-amzn-RequestId`, made once: each request sends exactly one response.
    request_id: HeaderValue,
    /// The request came from a browser page whose origin is allowed: let it read the answer.
    allow_origin: Option<HeaderValue>,
}

impl Reply {
    /// A response with `x-amzn-RequestId`, `x-amz-crc32` and, for browsers, CORS headers.
    fn raw(
        &self,
        status: StatusCode,
        content_type: Option<&'static str>,
        body: Bytes,
    ) -> Response<Full<Bytes>> {
        let crc = crc32fast::hash(&body);
        let mut response = Response::new(Full::new(body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(X_AMZN_REQUEST_ID.clone(), self.request_id.clone());
        headers.insert(X_AMZ_CRC32.clone(), HeaderValue::from(crc));
        if let Some(content_type) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if let Some(origin) = &self.allow_origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            // The answer differs per origin, so a cache must not reuse it for another one.
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
            // Without this a browser SDK cannot read the request id or verify the checksum.
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("x-amzn-RequestId,x-amz-crc32"),
            );
        }
        response
    }

    fn json(
        &self,
        content_type: &'static str,
        status: StatusCode,
        value: &serde_json::Value,
    ) -> Response<Full<Bytes>> {
        match serde_json::to_vec(value) {
            Ok(body) => self.raw(status, Some(content_type), Bytes::from(body)),
            Err(_) => self.raw(StatusCode::INTERNAL_SERVER_ERROR, Some(content_type), Bytes::new()),
        }
    }

    /// A `400` coral error without a message, as DynamoDB sends protocol-level errors.
    fn json_error(&self, content_type: &'static str, name: &str) -> Response<Full<Bytes>> {
        self.json(content_type, StatusCode::BAD_REQUEST, &coral_error(name, None))
    }

    /// `413` for a body over 16 MiB. DynamoDB sends an empty 413; the JSON body here tells a
    /// learner (and any SDK, which reads `__type`) what went wrong. The rest of the body was
    /// not read, so the connection cannot carry another request.
    fn too_large(&self) -> Response<Full<Bytes>> {
        let message = format!("Request body must not exceed {MAX_REQUEST_BYTES} bytes (16 MB)");
        let mut response = self.json(
            AMZ_JSON,
            StatusCode::PAYLOAD_TOO_LARGE,
            &coral_error("RequestEntityTooLargeException", Some(&message)),
        );
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }

    /// A `403` for a request the access policy refuses. The body (if any) was not read, so
    /// the connection closes.
    fn refused(&self, message: String) -> Response<Full<Bytes>> {
        let mut response =
            self.json(AMZ_JSON, StatusCode::FORBIDDEN, &coral_error("AccessDeniedException", Some(&message)));
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }

    fn refuse_host(&self, host: &str) -> Response<Full<Bytes>> {
        let name = host.rsplit_once(':').filter(|(h, _)| !h.contains(':')).map_or(host, |(h, _)| h);
        self.refused(format!(
            "dynaplay-server does not answer requests addressed to host '{host}': it accepts localhost, \
             loopback addresses and its --host address, so that web pages cannot reach it through DNS \
             rebinding. To accept this name, start it with --allow-host {name}"
        ))
    }

    fn refuse_origin(&self, origin: &str) -> Response<Full<Bytes>> {
        self.refused(format!(
            "dynaplay-server does not answer web pages from origin '{origin}': it allows pages on \
             localhost and loopback addresses only. To allow this one, start it with --cors {origin}"
        ))
    }

    /// `408` for a body that stopped arriving; the connection closes.
    fn stalled(&self, after: Duration) -> Response<Full<Bytes>> {
        let message = format!("The request body stopped arriving for {after:?} (--header-timeout)");
        let mut response = self.json(
            AMZ_JSON,
            StatusCode::REQUEST_TIMEOUT,
            &coral_error("RequestTimeoutException", Some(&message)),
        );
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }

    /// The answer to a browser's CORS preflight from an allowed origin: allow whatever it
    /// asks for, for two days.
    fn preflight(&self, request: &HeaderMap) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(Bytes::new()));
        let headers = response.headers_mut();
        headers.insert(X_AMZN_REQUEST_ID.clone(), self.request_id.clone());
        if let Some(origin) = &self.allow_origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        if let Some(asked) = request.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
        }
        if let Some(asked) = request.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, asked.clone());
        }
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("172800"));
        response
    }

    fn request_id(&self) -> &str {
        self.request_id.to_str().unwrap_or("0")
    }
}

/// Unique request ids in DynamoDB's format: 52 characters of `[0-9A-Z]`.
struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    fn new() -> Self {
        // Different per process so ids from two runs do not repeat; not a secret.
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        Self { seed: nanos ^ (u64::from(std::process::id()) << 32), counter: AtomicU64::new(0) }
    }

    fn next(&self) -> HeaderValue {
        const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut id = [0u8; 52];
        // Four 64-bit words, 13 base-36 digits each (36^13 > 2^64). splitmix64 is a bijection,
        // so the first word alone already differs for every request of this process.
        for (word, digits) in (0..4u64).zip(id.chunks_exact_mut(13)) {
            let mut x = splitmix64(self.seed.wrapping_add(n.wrapping_mul(4).wrapping_add(word)));
            for digit in digits {
                *digit = DIGITS[(x % 36) as usize];
                x /= 36;
            }
        }
        HeaderValue::from_bytes(&id).unwrap_or_else(|_| HeaderValue::from_static("0"))
    }
}

/// The splitmix64 finaliser: a cheap, well-mixed bijection on `u64`.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn targets() {
        let t = |v: &str| target(&headers(&[("x-amz-target", v)]));
        assert_eq!(t("DynamoDB_20120810.PutItem"), Some("PutItem"));
        assert_eq!(t("DynamoDBStreams_20120810.GetRecords"), Some("GetRecords"));
        assert_eq!(t("Dynaplay.PlaygroundDescribeTime"), Some("PlaygroundDescribeTime"));
        assert_eq!(t("AmazonDAXV3.DescribeClusters"), Some("DescribeClusters"));
        assert_eq!(t("AnyScaleFrontendService.PutScalingPolicy"), Some("PutScalingPolicy"));
        assert_eq!(t("DynamoDB_20120810.PutScalingPolicy"), None);
        assert_eq!(t("DynamoDB_20120810.DescribeClusters"), None);
        assert_eq!(t("DynamoDB_20120810.CreateBackup"), Some("CreateBackup"));
        assert_eq!(t("DynamoDB_20120810.ListTable"), None);
        assert_eq!(t("DynamoDB_20120810.GetRecords"), None);
        assert_eq!(t("DynamoDB_20120810.PlaygroundDescribeTime"), None);
        assert_eq!(t("Dynaplay.PutItem"), None);
        assert_eq!(t("DynamoDBStreams_20120810.CreateBackup"), None);
        assert_eq!(t("DynamoDB_20111205.PutItem"), None);
        assert_eq!(t("DynamoDB_20120810.PutItem.x"), None);
        assert_eq!(t("whatever"), None);
        assert_eq!(target(&HeaderMap::new()), None);
    }

    /// Every registered operation is reachable under its family's prefix, and only there.
    #[test]
    fn every_registered_operation_is_routed() {
        let families = [
            ApiFamily::DynamoDB,
            ApiFamily::DynamoDBStreams,
            ApiFamily::Playground,
            ApiFamily::Dax,
            ApiFamily::ApplicationAutoScaling,
        ];
        for spec in dynaplay_engine::OPERATIONS {
            assert!(families.contains(&spec.family), "{}: a family the server does not route", spec.name);
            for family in families {
                let header = format!("{}.{}", family.target_prefix(), spec.name);
                let routed = target(&headers(&[("x-amz-target", &header)]));
                assert_eq!(routed, (family == spec.family).then_some(spec.name), "{header}");
            }
        }
        for name in DYNAMODB_NOT_SERVED {
            assert!(
                dynaplay_engine::operation(name).is_none(),
                "{name} is served now: drop it from the list"
            );
        }
    }

    #[test]
    fn media_types() {
        let m = |v: &str| media_type(&headers(&[("content-type", v)])).to_owned();
        assert_eq!(m("  application/json  ;   asfd"), "application/json");
        assert_eq!(m("application/x-amz-json-1.0"), AMZ_JSON);
        assert_eq!(answer_type(AMZ_JSON_11), AMZ_JSON_11);
        assert_eq!(answer_type("text/plain"), PLAIN_JSON);
        assert_eq!(media_type(&HeaderMap::new()), "");
    }

    #[test]
    fn signed_requests_pass() {
        let sigv4 = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, \
                     SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123";
        assert_eq!(
            check_auth(&headers(&[("authorization", sigv4), ("x-amz-date", "20240101T000000Z")]), None),
            Ok(Some([
                Some("AKID/20240101/us-east-1/dynamodb/aws4_request"),
                Some("abc123"),
                Some("content-type;host;x-amz-date;x-amz-target")
            ]))
        );
        let presigned =
            "X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-SignedHeaders=d&X-Amz-Date=e";
        assert_eq!(check_auth(&HeaderMap::new(), Some(presigned)), Ok(None));
    }

    #[test]
    fn auth_errors_match_dynamodb() {
        let missing =
            Err(("MissingAuthenticationTokenException", "Request is missing Authentication Token".into()));
        assert_eq!(check_auth(&HeaderMap::new(), None), missing);
        assert_eq!(check_auth(&headers(&[("authorization", "AWS4")]), None), missing);
        assert_eq!(check_auth(&headers(&[("authorization", "X")]), Some("X-Amz-Algorith")), missing);
        assert_eq!(
            check_auth(&headers(&[("authorization", "X")]), Some("X-Amz-Algorithm")).unwrap_err().0,
            "InvalidSignatureException"
        );
        assert_eq!(
            check_auth(&headers(&[("authorization", "AWS4-")]), None),
            Err((
                "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' \
                 parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires \
                 existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-"
                    .into()
            ))
        );
        assert_eq!(
            check_auth(&headers(&[("authorization", "AWS4- Signature=b, Credential=a"), ("date", "a")]), None),
            Err((
                "IncompleteSignatureException",
                "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b, Credential=a"
                    .into()
            ))
        );
        assert_eq!(
            check_auth(&HeaderMap::new(), Some("X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d")),
            Err((
                "IncompleteSignatureException",
                "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."
                    .into()
            ))
        );
    }

    #[test]
    fn request_ids_are_unique_and_well_formed() {
        let ids = RequestIds::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = ids.next().to_str().unwrap().to_owned();
            assert_eq!(id.len(), 52);
            assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn serialization_errors_only_for_non_json() {
        assert_eq!(body_error(b""), None);
        assert_eq!(body_error(b"{}"), None);
        assert_eq!(body_error(b"hi"), Some("SerializationException"));
    }
}
