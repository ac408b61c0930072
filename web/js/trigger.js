// Stream triggers: runs a learner's Lambda-style handler in a sandboxed Web Worker made from a
// Blob URL. The worker has no DOM; before the handler is evaluated the worker removes what could
// reach the page's data or the network (IndexedDB, fetch, channels, importScripts), so the handler
// sees only its event. The code is evaluated with a CommonJS-like `exports`/`module.exports` shim.
// console.log/info/warn/error are captured and returned with the answer.

const WORKER_SOURCE = `
"use strict";
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
`;

let url = null;
function workerUrl() {
  if (!url) url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  return url;
}

// A runner owns one worker at a time; a timeout terminates it and the next call makes a new one.
export function newRunner() {
  return { worker: null, serial: 0 };
}

export function stopRunner(runner) {
  if (runner.worker) runner.worker.terminate();
  runner.worker = null;
}

// Invokes the handler with the event (JSON text) and resolves with the answer as JSON text:
// {ok, result | error | timedOut, logs}, or whatever the worker posted (garbage included).
export function invoke(runner, code, eventJson, timeoutMs) {
  if (!runner.worker) runner.worker = new Worker(workerUrl());
  const worker = runner.worker;
  const id = String(++runner.serial);
  return new Promise((resolve) => {
    const done = (text) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      resolve(text);
    };
    const timer = setTimeout(() => {
      worker.terminate();
      if (runner.worker === worker) runner.worker = null;
      done(JSON.stringify({ ok: false, timedOut: timeoutMs, logs: [] }));
    }, timeoutMs);
    worker.onmessage = (m) => {
      let parsed = null;
      if (typeof m.data === "string") { try { parsed = JSON.parse(m.data); } catch (e) {} }
      if (parsed && parsed.id === id) return done(m.data);
      // Anything else the worker posts (the handler cannot reach postMessage, but be safe).
      done(JSON.stringify({ garbage: typeof m.data === "string" ? m.data.slice(0, 200) : String(m.data) }));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      if (runner.worker === worker) runner.worker = null;
      done(JSON.stringify({ ok: false, error: { name: "Error", message: e.message || "the worker failed" }, logs: [] }));
    };
    worker.postMessage({ id, code, event: eventJson });
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
