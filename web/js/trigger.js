// Stream triggers: runs a learner's Lambda-style handler in sandboxed Web Workers made from a
// Blob URL. A worker has no DOM; before the handler is evaluated the worker removes what could
// reach the page's data or the network (IndexedDB, fetch, channels, importScripts), so the handler
// sees only its event. The code is evaluated with a CommonJS-like `exports`/`module.exports` shim.
// console.log/info/warn/error are captured and returned with the answer. The worker's own
// variables live in a function scope, out of the handler's reach (Function-constructor code
// sees only globals).

const WORKER_SOURCE = `
"use strict";
(() => {
const post = self.postMessage.bind(self);
const hidden = ["indexedDB", "fetch", "XMLHttpRequest", "WebSocket", "BroadcastChannel", "EventSource", "importScripts",
                "caches", "Request", "Response", "Worker", "SharedWorker", "navigator", "postMessage", "IDBFactory",
                "WorkerNavigator", "WebTransport", "FileReaderSync", "storage"];
// Off the prototype chain too (an accessor there could otherwise be called on self), then shadowed.
for (let o = Object.getPrototypeOf(self); o; o = Object.getPrototypeOf(o)) {
  for (const name of hidden) { try { delete o[name]; } catch (e) {} }
}
for (const name of hidden) {
  try { Object.defineProperty(self, name, { value: undefined, configurable: false, writable: false }); } catch (e) {}
}
let logs = [];
const show = (v) => {
  if (typeof v === "string") return v;
  if (v instanceof Error) return v.stack || String(v);
  try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
};
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => { logs.push([level, args.map(show).join(" ")]); };
}
let loaded = null, handler = null;
self.onmessage = async (m) => {
  const { id, code, event } = m.data;
  logs = [];
  const answer = (body) => {
    let text;
    try { text = JSON.stringify(Object.assign({ id, logs }, body)); }
    catch (e) { text = JSON.stringify({ id, logs, ok: false, error: { name: "TypeError", message: "the handler's result is not JSON: " + e.message } }); }
    post(text);
  };
  try {
    if (loaded !== code) {
      const module = { exports: {} };
      new Function("exports", "module", "require", code)(module.exports, module, (name) => { throw new Error("require('" + name + "') is not available in the playground"); });
      loaded = code;
      handler = module.exports && module.exports.handler;
    }
    if (typeof handler !== "function") throw new TypeError("the code does not export a function named handler (exports.handler = async (event) => { ... })");
    const context = { functionName: "playground-trigger", awsRequestId: id, getRemainingTimeInMillis: () => 0 };
    const result = await handler(JSON.parse(event), context);
    answer({ ok: true, result: result === undefined ? null : result });
  } catch (e) {
    loaded = null;
    const error = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack }
                                     : { name: "Error", message: show(e) };
    answer({ ok: false, error });
  }
};
})();
`;

let url = null;
function workerUrl() {
  if (!url) url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  return url;
}

// A runner is one trigger's pool of workers: an invocation takes an idle worker or starts a new
// one, up to `max` at once (the trigger's concurrency: one invocation per shard, as Lambda runs
// them, but never more than `max` workers in the page); beyond that, invocations wait in line.
// A worker that timed out, crashed or answered garbage is terminated; the next invocation gets
// a fresh one. The timeout runs from when the invocation gets its worker.
export function newRunner(max) {
  return { max: Math.max(1, max | 0), idle: [], busy: new Set(), waiting: [], serial: 0, stopped: false };
}

export function stopRunner(runner) {
  runner.stopped = true;
  for (const w of runner.idle) w.terminate();
  for (const w of runner.busy) w.terminate();
  runner.idle = [];
  runner.busy.clear();
  const waiting = runner.waiting;
  runner.waiting = [];
  for (const wake of waiting) wake(null);
}

function acquire(runner) {
  if (runner.stopped) return Promise.resolve(null);
  let worker = runner.idle.pop();
  if (!worker && runner.busy.size < runner.max) worker = new Worker(workerUrl());
  if (worker) { runner.busy.add(worker); return Promise.resolve(worker); }
  return new Promise((wake) => runner.waiting.push(wake)).then((w) => {
    if (w) runner.busy.add(w);
    return w;
  });
}

function release(runner, worker, keep) {
  runner.busy.delete(worker);
  if (!keep || runner.stopped) worker.terminate();
  const wake = runner.waiting.shift();
  if (wake) {
    wake(keep && !runner.stopped ? worker : (runner.stopped ? null : new Worker(workerUrl())));
  } else if (keep && !runner.stopped) {
    runner.idle.push(worker);
  }
}

// Invokes the handler with the event (JSON text) and resolves with the answer as JSON text:
// {ok, result | error | timedOut, logs}, or {garbage} for anything else the worker posted.
export async function invoke(runner, code, eventJson, timeoutMs) {
  const worker = await acquire(runner);
  if (!worker) return JSON.stringify({ ok: false, error: { name: "Error", message: "the trigger was detached" }, logs: [] });
  const id = String(++runner.serial);
  return new Promise((resolve) => {
    const done = (text, keep) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      release(runner, worker, keep);
      resolve(text);
    };
    const timer = setTimeout(() => done(JSON.stringify({ ok: false, timedOut: timeoutMs, logs: [] }), false), timeoutMs);
    worker.onmessage = (m) => {
      let parsed = null;
      if (typeof m.data === "string") { try { parsed = JSON.parse(m.data); } catch (e) {} }
      if (parsed && typeof parsed === "object" && parsed.id === id) return done(m.data, true);
      // Anything else (a handler that broke the worker's JSON, say): garbage, and the worker goes.
      const text = typeof m.data === "string" ? m.data : String(m.data);
      done(JSON.stringify({ garbage: text.slice(0, 200) }), false);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      done(JSON.stringify({ ok: false, error: { name: "Error", message: e.message || "the worker failed" }, logs: [] }), false);
    };
    worker.postMessage({ id, code, event: eventJson });
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
