// The JavaScript side of dynaplay's page API: `window.dynaplay` (send, the AWS SDK v3 request
// handler, export/import/reset) and the Web Locks / BroadcastChannel glue. The engine and
// every decision live in Rust (web/src/host/js_api.rs, web/src/host/engine_host.rs); this file only adapts
// shapes. Loaded as a wasm-bindgen snippet.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A DynamoDB error body (JSON text) as a rejected value: an Error whose `name` is the short
// error name, carrying `__type`, `message`, any extra members, and `$status`.
function toError(text) {
  let body;
  try { body = JSON.parse(text); } catch (_) { body = { __type: 'InternalServerError', message: String(text) }; }
  const type = String(body.__type || 'InternalServerError');
  const name = type.slice(type.lastIndexOf('#') + 1);
  const err = new Error(body.message || body.Message || name);
  Object.assign(err, body);
  err.name = name;
  err.$status = name === 'InternalServerError' ? 500 : 400;
  return err;
}

let core = null;
let markReady;
const ready = new Promise((resolve) => { markReady = resolve; });

// The code editor (web/editor/) is fetched once the workspace is ready and the page idle, never
// in the first load, and takes over the code textareas itself; if it cannot load, they stay.
// An embedded API frame (embed.js's, below) shows none. The build names the file after its
// hash (web/tools/editor.mjs).
ready.then(() => embedLayout !== 'api' && (self.requestIdleCallback || setTimeout)(() => import(new URL('editor.js', document.baseURI).href).catch(() => {})));

// Runs one request through the engine (once `core` is set): the operation, body and Region are
// written as UTF-8 into a buffer the engine owns and run by its wasm exports, called directly
// (web/src/host/boundary.rs: wasm-bindgen's glue for three strings was a tenth of a GetItem).
// Answers a string (the response JSON), `{error}` (a DynamoDB error JSON) or a Promise (a write
// waiting for its IndexedDB commit). `region`: the Region it is sent to (each has its own tables;
// a global table a replica in each); '', the engine's own.
function dispatch(operation, body, region) {
  const engine = core.exports;
  // First as if all were ASCII (a byte per UTF-16 unit), else as UTF-8 (at most three).
  for (let size = operation.length + body.length + region.length; ; size *= 3) {
    const start = engine.dynaplay_request(size) >>> 0;
    const end = start + size;
    const bodyAt = writeText(operation, start, end);
    const regionAt = writeText(body, bodyAt, end);
    const last = writeText(region, regionAt, end);
    if (last < 0) continue;
    // The clock read here: from inside the wasm it is a call out of it.
    const kind = engine.dynaplay_dispatch(Date.now(), bodyAt - start, regionAt - bodyAt, last - regionAt);
    if (kind === PENDING) return core.takePending();
    const text = answerText();
    return kind === ANSWER ? text : { error: text };
  }
}
const ANSWER = 0;
const PENDING = 2;

// The engine's memory as bytes and as 32-bit words; a growing memory detaches the views.
let memoryBytes = null;
let memoryWords = null;
function engineMemory() {
  if (memoryBytes === null || memoryBytes.byteLength === 0) {
    memoryBytes = new Uint8Array(core.memory.buffer);
    memoryWords = new Uint32Array(core.memory.buffer);
  }
  return memoryBytes;
}

// Writes `text` as UTF-8 at `at`, before `end`: where it ends, or -1 if it does not fit.
function writeText(text, at, end) {
  const n = text.length;
  if (at < 0 || at + n > end) return -1;
  const memory = engineMemory();
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) {
      const { read, written } = encoder.encodeInto(text.slice(i), memory.subarray(at + i, end));
      return read === n - i ? at + i + written : -1;
    }
    memory[at + i] = c;
  }
  return at + n;
}

// The answer's text, where the mailbox (`[pointer, length, ASCII?]`) says it is. Chromium's
// `TextDecoder` has a fixed cost per call that was a tenth of an in-page GetItem: a short ASCII
// answer (most are) becomes a string byte for byte instead.
function answerText() {
  const memory = engineMemory();
  const mail = core.mailbox >>> 2;
  const at = memoryWords[mail];
  const bytes = memory.subarray(at, at + memoryWords[mail + 1]);
  if (memoryWords[mail + 2] === 1 && bytes.length <= 256) return String.fromCharCode.apply(null, bytes);
  return decoder.decode(bytes);
}

function dispatchText(operation, body, region) {
  if (core === null) return ready.then(() => dispatchText(operation, body, region));
  const r = dispatch(String(operation), body, region ? String(region) : '');
  if (typeof r === 'string') return Promise.resolve(r);
  if (r instanceof Promise) return r;
  return Promise.reject(r.error);
}

// The DynamoDB operations a DAX cluster serves (engine/src/dax/serve.rs); anything else is
// sent straight to the table even through a DAX-bound client, as the DAX SDK client does.
const DAX_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems',
  'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

// `dynaplay.send(op, request, {dax: "cluster"})`: the request through that DAX cluster
// (PlaygroundDaxRequest). It answers DynamoDB's answer, with how the cluster served it — its
// `Outcome` (HIT, MISS…), `Cache`, hits, misses and simulated latency, camelCased — as the
// answer's non-enumerable `$dax` (so JSON.stringify shows DynamoDB's answer alone).
function sendThroughDax(cluster, operation, request, options) {
  return send('PlaygroundDaxRequest', { ClusterName: String(cluster), Operation: String(operation), Request: request === undefined ? {} : request }, { region: options.region })
    .then((answer) => {
      const response = answer.Response;
      delete answer.Response;
      Object.defineProperty(response, '$dax', { value: { clusterName: String(cluster), ...camel(answer) }, enumerable: false });
      return response;
    });
}

// `options.region`: the Region the request is sent to, as an SDK client's `region` (global
// tables: each Region holds its own replica).
function send(operation, request, options) {
  if (options && options.dax) return sendThroughDax(options.dax, operation, request, options);
  const region = options && options.region ? String(options.region) : undefined;
  let body;
  try { body = JSON.stringify(request === undefined ? {} : request); } catch (e) {
    return Promise.reject(toError(JSON.stringify({ __type: 'com.amazon.coral.service#SerializationException', message: String(e) })));
  }
  if (core !== null) {
    // The fast path: reads answer synchronously, with one promise and no extra hop.
    const r = dispatch(String(operation), body, region || '');
    if (typeof r === 'string') return Promise.resolve(JSON.parse(r));
    if (r instanceof Promise) return r.then(JSON.parse, (t) => { throw toError(t); });
    return Promise.reject(toError(r.error));
  }
  return dispatchText(operation, body, region).then(JSON.parse, (t) => { throw toError(t); });
}

// Member names between the Playground operations' PascalCase and a page's camelCase.
function recase(value, first) {
  if (Array.isArray(value)) return value.map((v) => recase(v, first));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const k of Object.keys(value)) out[first(k[0]) + k.slice(1)] = recase(value[k], first);
  return out;
}
const camel = (v) => recase(v, (c) => c.toLowerCase());
const pascal = (v) => recase(v, (c) => c.toUpperCase());

// The capacity calculator: `{itemSizeBytes, readsPerSecond, writesPerSecond, consistentReads,
// transactionalPercent, storageGB, prices: {readCapacityUnitHour: 0.00013, …}}` → per item, per
// second, monthly provisioned and on-demand costs (PlaygroundEstimateCapacity, camelCased).
// Prices go as decimal text, so the engine's money arithmetic stays exact.
function estimateCapacity(input) {
  const request = pascal(input || {});
  if (request.Prices) {
    for (const k of Object.keys(request.Prices)) {
      if (k !== 'HoursPerMonth') request.Prices[k] = String(request.Prices[k]);
    }
  }
  return send('PlaygroundEstimateCapacity', request).then(camel);
}

// "Why?" for a recent request (the id `lastRequestId()` gave, or the SDK's
// `$metadata.requestId`; none: the latest), camelCased.
function explain(requestId) {
  return send('PlaygroundExplainRequest', requestId === undefined ? {} : { RequestId: String(requestId) }).then(camel);
}

// AWS CLI lines: `aws dynamodb …` / `aws dynamodbstreams …`, several one a line, read as the
// AWS CLI reads them (web/src/cli/). The parser runs in the module loaded on demand
// (web/src/learn/cli.rs), fetched the first time a line is run; its report is JSON text: {stdout,
// error: {message, exitCode} | null, notes, requests: how many were sent, last: the last one}.
export function runCli(text) {
  return ready.then(loadLearn).then((m) => m.cli(String(text), learnBridge()));
}

// `dynaplay.cli(line)`: resolves to the text the AWS CLI would print with --output json; rejects
// with an Error whose message is the CLI's error text (`code`: a service error's name,
// `exitCode`: the CLI's exit status, `output`: what the commands before it printed).
function cli(line) {
  return runCli(line).then(JSON.parse).then((r) => {
    if (!r.error) return r.stdout;
    const err = new Error(r.error.message);
    err.name = 'AwsCliError';
    err.exitCode = r.error.exitCode;
    err.output = r.stdout;
    const code = /^An error occurred \(([^)]+)\)/.exec(r.error.message);
    if (code) err.code = code[1];
    throw err;
  });
}

// A request handler for the AWS SDK for JavaScript v3 (the interface of @smithy's
// FetchHttpHandler): it takes the HttpRequest the SDK built (X-Amz-Target + JSON body) and
// answers an HttpResponse-shaped object ({statusCode, headers, body: Uint8Array}).
// `requestHandler({dax: "cluster"})`: the data-plane requests of that client go through the DAX
// cluster (the answer's headers say how: `x-dynaplay-dax-outcome`, `…-latency-us`). A DAX
// management client (@aws-sdk/client-dax, `AmazonDAXV3.*`) is answered in its JSON 1.1.
function requestHandler(handlerOptions = {}) {
  const dax = handlerOptions && handlerOptions.dax ? String(handlerOptions.dax) : null;
  let requestId = 0;
  return {
    metadata: { handlerProtocol: 'dynaplay' },
    async handle(request, options = {}) {
      if (options.abortSignal && options.abortSignal.aborted) {
        const e = new Error('Request aborted'); e.name = 'AbortError'; throw e;
      }
      const headers = request.headers || {};
      let target = '';
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'x-amz-target') target = headers[k];
      const operation = target.slice(target.indexOf('.') + 1);
      // The client's Region, from the credential scope the SDK signed with
      // (`Credential=KEY/DATE/REGION/dynamodb/aws4_request`).
      let region;
      for (const k of Object.keys(headers)) {
        if (k.toLowerCase() !== 'authorization') continue;
        const scope = /Credential=[^/,\s]*\/[^/]*\/([^/]+)\//.exec(String(headers[k]));
        if (scope) region = scope[1];
      }
      let body = request.body;
      if (body === undefined || body === null) body = '{}';
      else if (body instanceof Uint8Array) body = decoder.decode(body);
      else if (typeof body !== 'string') body = String(body);
      let statusCode = 200;
      let text;
      if (core === null) await ready;
      const throughDax = dax !== null && DAX_OPERATIONS.has(operation);
      const pending = throughDax
        ? dispatchText('PlaygroundDaxRequest', `{"ClusterName":${JSON.stringify(dax)},"Operation":"${operation}","Request":${body}}`, region)
        : dispatchText(operation, body, region);
      // The engine ran the request synchronously: its id names its cost trace ("why?").
      const traced = core.lastRequestId();
      try {
        text = await pending;
      } catch (errText) {
        text = String(errText);
        statusCode = text.includes('InternalServerError') ? 500 : 400;
      }
      requestId += 1;
      const responseHeaders = {
        'content-type': target.startsWith('AmazonDAXV3.') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
        'x-amzn-requestid': traced || 'dynaplay-' + requestId,
      };
      if (throughDax && statusCode === 200) {
        const answer = JSON.parse(text);
        text = JSON.stringify(answer.Response);
        responseHeaders['x-dynaplay-dax-outcome'] = answer.Outcome;
        responseHeaders['x-dynaplay-dax-latency-us'] = String(answer.LatencyMicroseconds);
      }
      return {
        response: {
          statusCode,
          reason: statusCode === 200 ? 'OK' : 'Error',
          headers: responseHeaders,
          body: encoder.encode(text),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() { return {}; },
    destroy() {},
  };
}

// Installs `window.dynaplay` at once, so a page can `await dynaplay.ready` before the
// workspace has loaded; requests sent before that wait for it.
export function installApi() {
  const api = {
    ready,
    send,
    cli,
    requestHandler,
    exportWorkspace: () => ready.then(() => core.exportWorkspace()),
    importWorkspace: (text) => ready.then(() => core.importWorkspace(typeof text === 'string' ? text : JSON.stringify(text)))
      .catch((t) => { throw toError(t); }),
    reset: () => ready.then(() => core.reset()).catch((t) => { throw toError(t); }),
    // The sample datasets (static/datasets/): their index, and loading one by id.
    datasets: () => datasetIndexText().then((t) => JSON.parse(t).datasets),
    loadDataset,
    stats: () => (core === null ? { mode: 'loading' } : JSON.parse(core.stats())),
    lastRequestId: () => (core === null ? null : core.lastRequestId() || null),
    explain,
    explainTable: (tableName) => send('PlaygroundExplainTable', { TableName: tableName }).then(camel),
    estimateCapacity,
    // The engine with global tables and DAX (web/src/host/engines.rs): whether it is the one
    // running (null until the workspace is loaded), and a switch to it.
    fullEngine: () => (core === null ? null : core.fullEngine),
    useFullEngine,
    // A real endpoint instead of the engine in the page: {endpoint, region, accessKeyId,
    // secretAccessKey, sessionToken} → {endpoint, region, internals}; and back.
    connect: (options) => ready.then(remote).then((r) => r.connect(options)),
    disconnect: () => ready.then(disconnectEndpoint),
  };
  window.dynaplay = api;
  return api;
}

export function setCore(c) {
  core = c;
  // `?endpoint=`: the host waits for the connection (static/remote.js makes it) from the start.
  const asked = new URLSearchParams(location.search);
  if (asked.get('endpoint')) {
    const said = { endpoint: asked.get('endpoint'), region: asked.get('region') || 'us-east-1' };
    report(JSON.stringify({ ...said, connecting: true }));
    remote().catch((e) => report(JSON.stringify({ ...said, error: String(e.message) })));
  }
  markReady(window.dynaplay);
}

// The page's wasm comes in two builds (web/src/host/engines.rs, web/tools/full.mjs): the
// small one of the first load, and the full engine, with global tables and DAX, which the
// start-up script in index.html loads instead when `localStorage['dynaplay.engine']` is 'full'
// or the address has `?engine=full`. Switching reloads the page; `useFullEngine` first waits
// until every write the engine has run is committed, so the reload loses no acknowledged write.
const ENGINE_KEY = 'dynaplay.engine';
// Its download size (gzip), written in by the release build (web/tools/minify.mjs).
const FULL_ENGINE_SIZE = 'full-engine-size';
async function useFullEngine() {
  await ready;
  if (core.fullEngine) return;
  await core.settled();
  switchToFullEngine();
}
// Asks for the full engine and reloads: in localStorage, or in the address where storage is
// denied (an embedding frame). Also the host's way out of a workspace the small engine cannot
// load (it has written nothing then).
export function switchToFullEngine() {
  try {
    localStorage.setItem(ENGINE_KEY, 'full');
    location.reload();
  } catch (_) {
    const url = new URL(location.href);
    url.searchParams.set('engine', 'full');
    location.replace(url.href);
  }
}
// Puts an exported workspace back for workspace `id`'s next open (the full engine imports it).
export function keepPendingImport(id, text) {
  try { sessionStorage.setItem(`dynaplay.import.${id}`, text); return true; } catch (_) { return false; }
}

// A real DynamoDB endpoint instead of the engine in the page (web/src/host/endpoint.rs): its
// client — the keys, the signing, the connection — is static/remote.js, fetched the first time
// one is connected, or on load with `?endpoint=<url>&region=<r>` in the address.
// The host is told where requests go by `core.endpoint(report)`; the last report is kept for
// the module loaded on demand (its Capacity and Export design tabs).
let endpoints = null;
let reported = '';
const report = (text) => { reported = text; core.endpoint(text); };
const remote = () => (endpoints ??= import(new URL('remote.js', document.baseURI).href).then((m) => m.page(report)));
export const remoteSend = (operation, body, settled) => remote()
  .then((r) => r.send(operation, body), (e) => { throw JSON.stringify({ __type: 'NetworkingError', message: String(e.message) }); })
  .finally(settled);
export function disconnectEndpoint() {
  report('');
  if (endpoints) endpoints.then((r) => r.disconnect(), () => {});
}

// Web Locks exist only in secure contexts (https, localhost): on plain http from a LAN address
// the host uses an IndexedDB lease instead (web/src/host/lease.rs).
export function hasWebLocks() { return !!navigator.locks; }

// Whether the browser denies this document storage: a cross-site frame where third-party
// storage is blocked, a sandboxed frame, an opaque origin. There even reading `indexedDB`
// throws SecurityError (and Web Locks do too), so the workspace lives in memory instead.
export function storageDenied() {
  try { return !window.indexedDB; } catch (_) { return true; }
}

// This tab's lease id (`fresh` unless the tab is reloading): it survives a reload of the same
// tab, so a reloading owner keeps the workspace instead of waiting for its own lease to expire,
// but two live tabs never share it. It is taken out of sessionStorage while the page lives and
// put back only as the page goes; "Duplicate tab" copies sessionStorage, and finds nothing.
export function leaseId(fresh) {
  const key = 'dynaplay-lease-id';
  let id = null;
  try { id = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (_) { /* storage disabled */ }
  id = id || fresh;
  addEventListener('pagehide', () => { try { sessionStorage.setItem(key, id); } catch (_) { /* ignore */ } });
  addEventListener('pageshow', (e) => { if (e.persisted) try { sessionStorage.removeItem(key); } catch (_) { /* ignore */ } });
  return id;
}

// Web Locks: one tab owns the workspace. Resolves to a release function, or null when another
// tab holds the lock (ifAvailable) — or, with `wait`, once this tab gets it.
export function acquireLock(name, wait) {
  if (!navigator.locks) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    navigator.locks.request(name, wait ? {} : { ifAvailable: true }, (lock) => {
      if (!lock) { resolve(null); return undefined; }
      let release;
      const held = new Promise((r) => { release = r; });
      resolve(release);
      return held;
    });
  });
}

// Creates or upgrades the object stores of the IndexedDB database `name` to `version`, then
// closes it; the host then opens it with indexed_db_futures. `stores` is JSON:
// [[the version that added it, store name, autoIncrement], …], so an upgrade from version v
// creates every store added after v. indexed_db_futures' own upgrade hook is not used: its
// error path links float formatting and its error chain into the wasm (≈ 10 KB of gzip).
export function upgradeDatabase(name, version, stores) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (e) => {
      for (const [added, store, autoIncrement] of JSON.parse(stores)) {
        if (e.oldVersion < added) request.result.createObjectStore(store, { autoIncrement });
      }
    };
    request.onsuccess = () => { request.result.close(); resolve(); };
    request.onerror = () => reject(request.error);
  });
}

// Whether writing `bytes` more would (nearly) exceed the origin's storage quota: how a failed
// transaction is recognised as a quota failure when the browser only reports "aborted".
// Why the last aborted transaction on a dynaplay database failed: the DOMException name of
// `IDBTransaction.error` ("QuotaExceededError" when the origin or disk is full). The IndexedDB
// wrapper the host uses reports only "aborted", so transactions on the workspace databases
// (`watchAborts(name)`) get an abort listener as they are created; other databases are left alone.
let lastAbort = null;
const watched = new Set();
export function watchAborts(name) { watched.add(name); }
if (typeof IDBDatabase !== 'undefined') {
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    const tx = transaction.apply(this, args);
    if (watched.has(this.name)) {
      tx.addEventListener('abort', () => { lastAbort = tx.error ? tx.error.name : null; });
    }
    return tx;
  };
}
export function takeAbortReason() {
  const reason = lastAbort;
  lastAbort = null;
  return reason;
}

export async function storageNearlyFull(bytes) {
  if (!navigator.storage || !navigator.storage.estimate) return false;
  const { usage, quota } = await navigator.storage.estimate();
  return typeof usage === 'number' && typeof quota === 'number' && usage + bytes * 2 >= quota * 0.9;
}

// A BroadcastChannel for "the owner committed" notices to read-only tabs.
export function openChannel(name, onMessage) {
  if (typeof BroadcastChannel === 'undefined') return { postMessage() {}, close() {} };
  const ch = new BroadcastChannel(name);
  ch.onmessage = () => onMessage();
  return ch;
}

// Sample datasets (static/datasets/README.md): their loader is static/dataset-loader.js,
// fetched the first time one is loaded (it is not in the first page load).
let datasetLoader = null;
const loader = () => (datasetLoader ??= import(new URL('dataset-loader.js', document.baseURI).href)
  .then((m) => m.loader({ send, toError, fetchText }), (e) => { datasetLoader = null; throw e; }));
const loadDataset = (id) => loader().then((l) => l.load(id));
const loadDatasetDoc = (doc, id) => loader().then((l) => l.loadDoc(doc, id));

// Also the guided labs' fetch of their files (web/src/ui/components/labs.rs).
export async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

export function datasetIndexText() { return fetchText('datasets/index.json'); }

// For the welcome view: resolves to the result as JSON text, rejects with the message.
export function loadDatasetText(id) {
  return loadDataset(id).then(JSON.stringify, (e) => { throw String(e.message); });
}

export function downloadText(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url; a.download = filename;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Calls `callback` on every animation frame until the returned function is called (the
// Capacity view moves engine time a frame at a time, so workload requests run in small
// batches instead of one large batch per poll).
export function everyFrame(callback) {
  let running = true;
  const frame = () => {
    if (!running) return;
    callback();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return () => { running = false; };
}

// The teaching views (labs, exam practice, the calculator) are a wasm of their own, built into
// learn/ beside the page (web/tools/learn.mjs) and fetched the first time one is opened, so
// the first page load does not pay for them. They reach the engine only through the page's
// `core` functions (web/src/host/js_api.rs, web/src/host/lab.rs).
let learn = null;
function loadLearn() {
  if (learn === null) {
    // The build names the directory after the module's hash (web/tools/learn.mjs).
    const at = (file) => new URL('learn/' + file, document.baseURI).href;
    learn = import(at('dynaplay-learn.js')).then(async (m) => {
      await m.default({ module_or_path: at('dynaplay-learn_bg.wasm') });
      return m;
    });
    // A failed fetch (offline, a deploy in between) is tried again next time.
    learn.catch(() => { learn = null; });
  }
  return learn;
}

// Shows the teaching module in the page's `#learn-slot` (fetching it the first time), or takes
// it down; on a table's Items tab it also renders the side panels into `#learn-side` (a portal
// of the same app, so one mount follows the hash). Each call has a turn: a slot left before the
// module arrived is not mounted at all. The shell keeps the slot's element from one view to the
// next; only the side column comes and goes, and the mounted module is told.
let turns = 0;
let mounted = null;
export async function learnSlot(show) {
  const slot = show ? document.getElementById('learn-slot') : null;
  const side = show ? document.getElementById('learn-side') : null;
  if (slot !== null && slot === mounted) { (await learn).side(side); return; }
  const turn = ++turns;
  if (mounted !== null) {
    mounted = null;
    (await learn).unmount();
  }
  if (slot === null) return;
  await ready;
  let m;
  try { m = await loadLearn(); } catch (e) {
    if (turn === turns) {
      slot.setAttribute('role', 'alert');
      slot.textContent = `This view could not be loaded (${e && e.message || e}). Reload the page to try again.`;
    }
    return;
  }
  if (turn !== turns) return;
  mounted = slot;
  // The side column as it is now (the page may have moved on while the module loaded).
  m.mount(slot, document.getElementById('learn-side'), learnBridge());
}
export function learnChanged() { if (mounted !== null) learn.then((m) => m.changed()); }
// A trigger changed (web/src/triggers/registry.rs): the trigger panel, drawn by the module,
// reads it again.
export function learnTriggersChanged() { if (mounted !== null) learn.then((m) => m.triggers_changed()); }

// What the teaching module may ask of the page: requests, as the forms send them, and the
// lab functions of web/src/host/lab.rs behind one `core.lab(command, a, b)`. Entering a lab
// waits while the learner's own writes are still being committed ('busy').
function learnBridge() {
  const lab = (command, a = '', b = '') => core.lab(command, String(a), String(b));
  return {
    send: dispatchText,
    lastRequestId: () => core.lastRequestId(),
    cliRegistry: () => core.cliRegistry(),
    exportWorkspace: () => core.exportWorkspace(),
    workspacesText, createWorkspace, renameWorkspace, deleteWorkspace, openWorkspace,
    lab,
    connect: (text) => remote().then((r) => r.connect(JSON.parse(text))).then(JSON.stringify, (e) => { throw e.message; }),
    disconnect: disconnectEndpoint,
    endpoint: () => reported,
    triggers: (command, table, arg) => core.triggers(String(command), String(table), String(arg)),
    fullEngine: () => core.fullEngine,
    requestHistory: () => core.requestHistory?.() || '[]',
    useFullEngine: () => { useFullEngine(); },
    fullEngineSize: () => (FULL_ENGINE_SIZE.endsWith(' KB') ? FULL_ENGINE_SIZE : ''),
    loadDataset: (text) => loadDatasetDoc(JSON.parse(text), 'model').then(JSON.stringify, (e) => { throw String(e.message); }),
    async enterLab(id, steps) {
      for (;;) {
        const said = lab('enter', id, steps);
        if (said !== 'busy') { if (said) throw said; return; }
        await new Promise((resolve) => { setTimeout(resolve, 20); });
      }
    },
  };
}

// Demo mode, for a teacher at a projector: larger type and high contrast (style.css `.demo`),
// the time controls in the header, a lab advanced with the arrow keys or a presenter's clicker
// (web/src/learn/labs.rs). Kept in localStorage; `?demo` in the address turns it on.
export function demoMode(on) {
  if (on === undefined || on === null) {
    let saved = null;
    try { saved = localStorage.getItem('dynaplay.demo'); } catch { /* no storage: off */ }
    on = new URLSearchParams(location.search).has('demo') || saved === '1';
  } else {
    try { localStorage.setItem('dynaplay.demo', on ? '1' : '0'); } catch { /* kept for this page only */ }
  }
  document.documentElement.classList.toggle('demo', on);
  return on;
}

// Workspaces (web/src/learn/workspaces.rs): each is an IndexedDB database of its own, chosen by
// `?ws=<id>` in the address (none: the first one, database "dynaplay"; others "dynaplay-<id>").
// A workspace made from a shared link, a duplicate or a file is filled on its first open from
// sessionStorage (`takePendingImport`).
export function workspaceId() {
  const id = new URLSearchParams(location.search).get('ws') || '';
  return /^[a-z0-9-]{1,40}$/.test(id) ? id : '';
}

export function takePendingImport(id) {
  try {
    const key = `dynaplay.import.${id}`;
    const text = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return text ?? undefined;
  } catch (_) { return undefined; }
}

// The open workspace's name, for the header (the list is js/learn.js's).
export function workspaceName() {
  const id = workspaceId();
  try {
    const found = JSON.parse(localStorage.getItem('dynaplay.workspaces') || '[]').find((w) => w && w.id === id);
    if (found && typeof found.name === 'string') return found.name;
  } catch (_) { /* no storage */ }
  return id ? 'Workspace' : 'My workspace';
}

// Embedded (`?embed=<layout>`): the page is a view inside another site's page — snippets made
// by embed.js, or an author's <iframe>. Its workspace is in memory (host/page.rs), the layout
// keeps only what the view needs (style.css `html.embed-*`: `app`, `console`, `table`,
// `capacity`, `lab`, `api`), and it answers the postMessage API of static/embed-frame.js,
// fetched only by an embedded page, once its workspace is open.
const embedLayout = new URLSearchParams(location.search).get('embed');
if (embedLayout !== null) {
  document.documentElement.classList.add('embed', `embed-${embedLayout.replace(/[^a-z]/g, '') || 'app'}`);
  ready.then(() => import(new URL('embed-frame.js', document.baseURI).href));
}

// The workspaces' list (the view is web/src/learn/workspaces.rs, which gets these through the
// bridge; the header's Import uses them too). Names live in localStorage; each workspace's data
// is an IndexedDB database ("dynaplay" for the first, "dynaplay-<id>" for the others).

const LIST = 'dynaplay.workspaces';
const readList = () => { try { return JSON.parse(localStorage.getItem(LIST) || '[]'); } catch (_) { return []; } };
const writeList = (list) => { try { localStorage.setItem(LIST, JSON.stringify(list)); } catch (_) { /* kept for this page */ } };
const currentId = () => workspaceId();
const dbName = (id) => (id ? `dynaplay-${id}` : 'dynaplay');

// Every workspace as JSON text: [{id, name, current}], the first one ("") always there.
export function workspacesText() {
  const list = readList().filter((w) => w && typeof w.id === 'string' && typeof w.name === 'string');
  if (!list.some((w) => w.id === '')) list.unshift({ id: '', name: 'My workspace' });
  const current = currentId();
  return JSON.stringify(list.map((w) => ({ id: w.id, name: w.name, current: w.id === current })));
}

export function createWorkspace(name) {
  const list = JSON.parse(workspacesText()).map(({ id, name: n }) => ({ id, name: n }));
  let id;
  do { id = Math.random().toString(36).slice(2, 10); } while (list.some((w) => w.id === id));
  list.push({ id, name });
  writeList(list);
  return id;
}

export function renameWorkspace(id, name) {
  writeList(JSON.parse(workspacesText()).map((w) => ({ id: w.id, name: w.id === id ? name : w.name })));
}

// Deletes a workspace's data and forgets it (the first one is emptied and kept). Rejects for
// the workspace open in this page, which must be left first.
export function deleteWorkspace(id) {
  if (id === currentId()) return Promise.reject(new Error('This workspace is open: switch to another one first.'));
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(dbName(id));
    request.onsuccess = () => {
      writeList(JSON.parse(workspacesText()).filter((w) => w.id !== id || id === '').map(({ id: i, name }) => ({ id: i, name })));
      resolve();
    };
    request.onerror = () => reject(new Error(String(request.error && request.error.message)));
    request.onblocked = () => reject(new Error('This workspace is open in another tab: close it there first.'));
  });
}

// Opens workspace `id` in this page (the address changes, the page reloads), filled first with
// `text` (an exported workspace) when given.
export function openWorkspace(id, text) {
  if (text !== undefined) {
    try { sessionStorage.setItem(`dynaplay.import.${id}`, text); } catch (e) { throw new Error(`The workspace could not be handed over: ${e.message}`); }
  }
  const url = new URL(location.href);
  if (id) url.searchParams.set('ws', id); else url.searchParams.delete('ws');
  url.hash = '#/';
  location.assign(url.href);
}

// The header's Import: a file opens in a workspace of its own unless the learner chooses to
// replace this one's tables.
export function confirmNewWorkspace(file) {
  return confirm(`Open “${file}” in a new workspace?\n\nOK: a new workspace beside this one.\nCancel: replace this workspace's tables with it.`);
}
export function openNewWorkspace(file, text) {
  openWorkspace(createWorkspace(file.replace(/\.json$/i, '')), text);
}
