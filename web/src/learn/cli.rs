//! AWS CLI lines for the page — `dynaplay.cli` and the console's `aws …` box: read by the
//! parser (`dynaplay_web::cli`), each request sent through the page as the forms send theirs
//! (journaled, acknowledged once saved, to whichever workspace is in front), each answer fed
//! back until the CLI's output is known. The parser is here, in the module loaded on demand,
//! because it is larger than the first load could afford (web/README.md, *The AWS CLI*); the
//! page hands it the registry's request schemas once.

use std::cell::RefCell;
use std::rc::Rc;

use dynaplay_web::cli::{self, Registry, Run, Step};
use serde_json::{json, Value};

use super::bridge::Page;

thread_local! {
    static REGISTRY: RefCell<Option<Rc<Registry>>> = const { RefCell::new(None) };
}

/// A waiter's pause between polls: the CLI's (20 s) would leave a learner staring at a page
/// whose engine moves on its own clock; the outcome is the same, polled every second.
const MAX_POLL_MS: u32 = 1000;

fn registry(page: &Page) -> Rc<Registry> {
    REGISTRY.with(|r| {
        r.borrow_mut()
            .get_or_insert_with(|| {
                Rc::new(
                    Registry::from_json(&page.cli_registry()).unwrap_or(Registry { operations: Vec::new() }),
                )
            })
            .clone()
    })
}

/// Runs the commands of `text` (one per line) in order, stopping at the first that fails; the
/// report's JSON text: `{stdout, error: {message, exitCode} | null, notes, requests, last}` —
/// what the CLI printed, its error, what was ignored, how many requests were sent, and the
/// last of them (`{operation, request, ok, answer, id, ms}`) for the console to show.
pub async fn run(page: &Page, text: &str) -> String {
    let registry = registry(page);
    let (commands, refused) = cli::commands(text, &registry);
    let (mut stdout, mut notes, mut sent, mut last, mut failure) =
        (String::new(), Vec::new(), 0, Value::Null, None);
    'commands: for command in commands {
        notes.extend(command.notes.iter().cloned());
        let (mut run, mut call) = match Run::start(command) {
            Ok(started) => started,
            Err(f) => {
                failure = Some(f);
                break;
            }
        };
        loop {
            if call.delay_ms > 0 {
                sleep(call.delay_ms.min(MAX_POLL_MS)).await;
            }
            let started = js_sys::Date::now();
            let (answer, id) = page.send_traced(&call.operation, &call.request).await;
            sent += 1;
            let (ok, body) = match &answer {
                Ok(v) => (true, v.clone()),
                Err(e) => (false, e.clone()),
            };
            last = json!({"operation": call.operation, "request": call.request, "ok": ok, "answer": body,
                          "id": id, "ms": js_sys::Date::now() - started});
            match run.answer(answer) {
                Step::Send(next) => call = next,
                Step::Done(Ok(printed)) => {
                    stdout.push_str(&printed);
                    break;
                }
                Step::Done(Err(f)) => {
                    failure = Some(f);
                    break 'commands;
                }
            }
        }
    }
    let failure = failure.or(refused);
    json!({
        "stdout": stdout,
        "error": failure.map(|f| json!({"message": f.message, "exitCode": f.exit_code})),
        "notes": notes,
        "requests": sent,
        "last": last,
    })
    .to_string()
}

async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
