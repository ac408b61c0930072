// Stream triggers, the page's side: a pool of workers per trigger and each invocation's timeout.
// The workers live in the trigger sandbox (static/sandbox.html): an iframe with
// sandbox="allow-scripts" — an opaque origin, with no access to this page, its storage or its
// cookies — under a Content-Security-Policy that blocks every network request (added by
// web/tools/csp.mjs). Each handler runs in a Web Worker the sandbox starts, so a runaway one can
// be terminated; its answer (result, error, console output, each capped there) comes back as
// one JSON string. See web/README.md, "The trigger sandbox".

// Characters of one answer the page accepts (the sandbox applies the same bound; this side checks
// again so nothing larger ever reaches the engine's page).
const MAX_MESSAGE = 16 * 1024 * 1024;

// The sandbox frame, started on first use and again if it stops answering (its process crashed).
let sandbox = null;
let workerSerial = 0;
const proxies = new Map();

function sandboxUrl() {
  // This module is served as snippets/<crate>-<hash>/js/trigger.js; sandbox.html sits at the
  // root of the build, beside index.html, wherever the site is served from.
  return new URL("../../../sandbox.html", import.meta.url).href;
}

function startSandbox() {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("aria-hidden", "true");
  frame.title = "trigger sandbox";
  frame.hidden = true;
  const box = { frame, ready: null, failed: null, pongs: 0 };
  box.ready = new Promise((resolve) => {
    box.markReady = resolve;
    const giveUp = () => {
      if (!box.isReady) box.failed = "the trigger sandbox did not start (sandbox.html is missing or its script was blocked)";
      resolve();
    };
    frame.addEventListener("load", () => setTimeout(giveUp, 2000));
    setTimeout(giveUp, 15000);
  });
  frame.src = sandboxUrl();
  document.body.appendChild(frame);
  return box;
}

function onSandboxMessage(m) {
  if (!sandbox || m.source !== sandbox.frame.contentWindow) return;
  const d = m.data;
  if (!d || typeof d !== "object") return;
  if (d.op === "ready") { sandbox.isReady = true; sandbox.failed = null; sandbox.markReady(); return; }
  if (d.op === "pong") { sandbox.pongs = Math.max(sandbox.pongs, d.n | 0); return; }
  const proxy = proxies.get(d.wid);
  if (!proxy) return;
  if (d.op === "answer" && typeof d.text === "string" && d.text.length <= MAX_MESSAGE) {
    if (proxy.onmessage) proxy.onmessage({ data: d.text });
  } else if (d.op === "answer") {
    if (proxy.onerror) proxy.onerror({ message: `the handler's answer is larger than the ${MAX_MESSAGE} characters the page accepts`, preventDefault() {} });
  } else if (d.op === "error" && proxy.onerror) {
    proxy.onerror({ message: String(d.message).slice(0, 8192), preventDefault() {} });
  }
}

function ensureSandbox() {
  if (!sandbox) {
    addEventListener("message", onSandboxMessage);
    sandbox = startSandbox();
  }
  return sandbox;
}

// After a timeout: if the sandbox does not answer a ping within 2 s, its process is gone (a
// handler exhausted its memory, say). Every worker in it is failed and the next invocation starts
// a fresh sandbox.
function checkSandbox() {
  const box = sandbox;
  if (!box || !box.isReady) return;
  const n = box.pongs + 1;
  box.frame.contentWindow.postMessage({ op: "ping", n }, "*");
  setTimeout(() => {
    if (sandbox !== box || box.pongs >= n) return;
    box.frame.remove();
    sandbox = startSandbox();
    for (const proxy of [...proxies.values()]) {
      proxies.delete(proxy.wid);
      if (proxy.onerror) proxy.onerror({ message: "the trigger sandbox stopped answering and was restarted", preventDefault() {} });
    }
  }, 2000);
}

// A worker in the sandbox, as the pool sees it: postMessage, onmessage/onerror, terminate.
class SandboxWorker {
  constructor() {
    this.wid = ++workerSerial;
    this.onmessage = null;
    this.onerror = null;
    proxies.set(this.wid, this);
  }
  postMessage(message) {
    const box = ensureSandbox();
    if (box.failed) {
      const onerror = this.onerror;
      setTimeout(() => onerror && onerror({ message: box.failed, preventDefault() {} }), 0);
      return;
    }
    box.frame.contentWindow.postMessage({ op: "run", wid: this.wid, ...message }, "*");
  }
  terminate() {
    proxies.delete(this.wid);
    if (sandbox && sandbox.isReady) sandbox.frame.contentWindow.postMessage({ op: "kill", wid: this.wid }, "*");
  }
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
  if (!worker && runner.busy.size < runner.max) worker = new SandboxWorker();
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
    wake(keep && !runner.stopped ? worker : (runner.stopped ? null : new SandboxWorker()));
  } else if (keep && !runner.stopped) {
    runner.idle.push(worker);
  }
}

// Invokes the handler with the event (JSON text) and resolves with the answer as JSON text:
// {ok, result | resultShown + resultBytes | error | timedOut, logs}, or {garbage} for anything
// else the worker posted.
export async function invoke(runner, code, eventJson, timeoutMs) {
  const worker = await acquire(runner);
  if (!worker) return JSON.stringify({ ok: false, error: { name: "Error", message: "the trigger was detached" }, logs: [] });
  const id = String(++runner.serial);
  // The timeout counts the handler's time, not the sandbox's first start.
  await ensureSandbox().ready;
  return new Promise((resolve) => {
    const done = (text, keep) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      release(runner, worker, keep);
      resolve(text);
    };
    const timer = setTimeout(() => {
      done(JSON.stringify({ ok: false, timedOut: timeoutMs, logs: [] }), false);
      checkSandbox();
    }, timeoutMs);
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
