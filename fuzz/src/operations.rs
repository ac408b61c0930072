//! Target `operations`: the engine's entry point over every operation of the registry, from
//! the fixture's state, a few requests in a row.
//!
//! Input, by its first byte:
//! - an ASCII capital or `~`: lines of text, each `<Operation> <JSON body>` (the body sent as
//!   raw bytes, so it may be anything) or `~advance <ms>` (moves engine time); an operation
//!   name the registry lacks is sent as it is (UnknownOperationException) and then to the
//!   registered operation its hash picks. The seeds are golden cases in this form: their
//!   setup steps beyond the fixture's, then the request.
//! - anything else: the rest drives [`arbitrary`]: one to four requests, each for an
//!   operation of the registry with a body built from its schema ([`crate::shaped`]), now and
//!   then with a few bytes of its JSON text overwritten, and now and then a step of time.
//!
//! Every answer is checked ([`crate::check`]), and (in one input of eight,
//! [`check::checks_state`]) a request that fails must leave the workspace as it was.

use arbitrary::Unstructured;
use dynaplay_engine::{Engine, OPERATIONS};

use crate::check;
use crate::fixture;
use crate::shaped::{chance, index, pick, Gen};
use crate::text::hash;

/// Requests per input at most (text form).
const MAX_LINES: usize = 8;
/// The longest step of time one `~advance` takes: three days (stream records expire after
/// one, TTL deletions and workloads run on the way).
const MAX_ADVANCE_MS: u64 = 3 * 86_400_000;

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some(&first) = data.first() else { return };
    let mut engine = fixture::engine();
    let state = check::checks_state(data);
    if first.is_ascii_uppercase() || first == b'~' {
        run_lines(&mut engine, data, state);
    } else {
        run_shaped(&mut engine, &data[1..], state);
    }
}

/// Sends one request: odd ones through `handle` (a `Value` answer), even ones through
/// `handle_text` (what the hosts call); a failure must change nothing.
fn send(engine: &mut Engine, op: &str, body: &[u8], nth: usize, state: bool) {
    if nth.is_multiple_of(2) {
        let _ = check::send(engine, op, body, state);
    } else {
        let before = state.then(|| engine.clone());
        let result = engine.handle(op, body);
        check::answer(op, body, &result);
        if let (Some(before), Err(err)) = (before, &result) {
            check::unchanged(&before, engine, op, body, err);
        }
    }
}

fn run_lines(engine: &mut Engine, data: &[u8], state: bool) {
    for (nth, line) in data.split(|b| *b == b'\n').take(MAX_LINES).enumerate() {
        let (name, body) = match line.iter().position(|b| *b == b' ') {
            Some(at) => (&line[..at], &line[at + 1..]),
            None => (line, &b""[..]),
        };
        if name == b"~advance" {
            let ms = String::from_utf8_lossy(body).trim().parse::<u64>().unwrap_or(1000);
            engine.advance(ms.min(MAX_ADVANCE_MS));
            continue;
        }
        let name = String::from_utf8_lossy(name);
        match OPERATIONS.iter().find(|spec| spec.name == name) {
            Some(spec) => send(engine, spec.name, body, nth, state),
            None => {
                send(engine, &name, body, nth, state);
                let spec = &OPERATIONS[(hash(name.as_bytes()) % OPERATIONS.len() as u64) as usize];
                send(engine, spec.name, body, nth, state);
            }
        }
    }
}

fn run_shaped(engine: &mut Engine, data: &[u8], state: bool) {
    let facts = fixture::facts();
    let mut u = Unstructured::new(data);
    let requests = 1 + index(&mut u, 4);
    for nth in 0..requests {
        let spec = pick(&mut u, OPERATIONS);
        let request = Gen::new(&mut u, facts).request(spec);
        let mut body = request.to_string().into_bytes();
        // Raw bytes mixed in: a few overwritten, so the JSON reader meets broken text too.
        if chance(&mut u, 1, 10) && !body.is_empty() {
            for _ in 0..=index(&mut u, 3) {
                let at = index(&mut u, body.len());
                body[at] = u.arbitrary().unwrap_or(b'"');
            }
        }
        if chance(&mut u, 1, 8) {
            engine.advance(*pick(&mut u, &[1, 999, 1000, 60_000, 86_400_001]));
        }
        send(engine, spec.name, &body, nth, state);
    }
}
