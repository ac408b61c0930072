//! The page's way into the engine, in numbers. `dispatch` in `js/dynaplay.js` writes a
//! request's operation, body and Region as UTF-8 into a buffer the engine owns ([`request`]),
//! calls [`dispatch`] with their lengths, and reads the answer's text where the mailbox says
//! it is. Both are plain wasm exports (`src/main.rs`), called without wasm-bindgen's glue.
//!
//! Why: an in-page GetItem takes ~4 µs, and the glue of a Rust closure taking three strings —
//! rest arguments and try/finally around the call, an allocation and a copy loop per string, a
//! call out of wasm to hand the answer back — was a tenth of it (web/README.md,
//! *The request boundary*).

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use crate::host::{Dispatch, Host};

/// What [`dispatch`] answers: the answer's text is in the mailbox…
pub const ANSWER: u32 = 0;
/// …or a DynamoDB error's JSON text is…
pub const ERROR: u32 = 1;
/// …or a write waits for its commit: [`take_pending`] hands over its promise.
pub const PENDING: u32 = 2;

/// A request buffer this large is freed after its request (a big batch once in a while).
const KEEP_BYTES: usize = 64 * 1024;

#[derive(Default)]
struct Boundary {
    /// The host requests go to, once the workspace is loaded ([`install`]).
    host: Option<Host>,
    /// The request's operation, body and Region, back to back, as the page wrote them.
    request: Vec<u8>,
    /// The last answer's text: the page reads it before the next request replaces it.
    answer: String,
    /// `[pointer, length, 1 if ASCII]` of `answer`, read by the page as a `Uint32Array`.
    mailbox: Box<[u32; 3]>,
    /// The last write's promise, until the page takes it.
    pending: JsValue,
}

thread_local! {
    static BOUNDARY: RefCell<Boundary> = RefCell::default();
}

/// Connects the boundary to `host`: the mailbox's address, for `core.mailbox`.
pub fn install(host: &Host) -> u32 {
    BOUNDARY.with_borrow_mut(|b| {
        b.host = Some(host.clone());
        b.mailbox.as_ptr() as u32
    })
}

/// Makes room for a request of `len` bytes: where the page writes it.
pub fn request(len: u32) -> u32 {
    BOUNDARY.with_borrow_mut(|b| {
        if b.request.len() < len as usize {
            b.request.resize(len as usize, 0);
        }
        b.request.as_mut_ptr() as u32
    })
}

/// Runs the request the page wrote at wall-clock time `now` (ms since the epoch, the page's
/// `Date.now()`): `operation_len`, `body_len` and `region_len` bytes (an empty Region: the
/// engine's own). Answers [`ANSWER`], [`ERROR`] or [`PENDING`].
pub fn dispatch(now: f64, operation_len: u32, body_len: u32, region_len: u32) -> u32 {
    // The request is taken out of the cell while it runs: a host callback may send another.
    let (host, request) = BOUNDARY.with_borrow_mut(|b| (b.host.clone(), std::mem::take(&mut b.request)));
    let (operation, rest) = request.split_at((operation_len as usize).min(request.len()));
    let (body, rest) = rest.split_at((body_len as usize).min(rest.len()));
    let region = &rest[..(region_len as usize).min(rest.len())];
    // The page writes UTF-8 (`TextEncoder` makes a lone surrogate U+FFFD): never empty here
    // but for what was empty. The body goes as bytes: the engine reads JSON bytes.
    let text = |bytes| std::str::from_utf8(bytes).unwrap_or_default();
    let region = Some(text(region)).filter(|r| !r.is_empty());
    let outcome = match host {
        Some(host) => host.dispatch_at(now as u64, region, text(operation), body),
        None => Dispatch::Failed(crate::host::errors::loading().to_string()),
    };
    BOUNDARY.with_borrow_mut(|b| {
        if request.capacity() <= KEEP_BYTES && b.request.is_empty() {
            b.request = request;
        }
        let (kind, text) = match outcome {
            Dispatch::Done(text) => (ANSWER, text),
            Dispatch::Failed(text) => (ERROR, text),
            Dispatch::Pending(promise) => {
                b.pending = promise.into();
                (PENDING, String::new())
            }
        };
        b.answer = text;
        *b.mailbox = [b.answer.as_ptr() as u32, b.answer.len() as u32, b.answer.is_ascii() as u32];
        kind
    })
}

/// The promise of the write [`dispatch`] answered [`PENDING`] for.
pub fn take_pending() -> JsValue {
    BOUNDARY.with_borrow_mut(|b| std::mem::replace(&mut b.pending, JsValue::UNDEFINED))
}
