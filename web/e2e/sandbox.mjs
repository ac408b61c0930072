// End-to-end tests of the trigger sandbox and the page's Content-Security-Policy (issue 12,
// item 4), run by run.mjs with its harness: a handler tries every way out of the sandbox while a local endpoint on
// another port records every connection made to it; handlers that return or log far more than
// the caps allow; the page must stay responsive, also after a reload; a sandbox that stops
// answering is replaced.
import http from 'node:http';

// A local endpoint that records every TCP connection, request and upgrade (WebSocket) it gets.
async function recorder() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/javascript' });
    res.end('export default 1; postMessage("reached");');
  });
  server.on('connection', () => hits.push('connection'));
  server.on('upgrade', (req, socket) => { hits.push(`upgrade ${req.url}`); socket.destroy(); });
  // On every address: the page may reach 127.0.0.1 (a DynamoDB endpoint a learner connects
  // to), so its own probes aim at 127.0.0.2 — loopback too, but outside its policy.
  await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
  const target = `http://127.0.0.1:${server.address().port}`;
  return { hits, target, elsewhere: target.replace('127.0.0.1', '127.0.0.2'), close: () => server.close() };
}

// Every way out a handler could try, each as `name: () => promise or value`; a probe that throws,
// rejects or does not settle in 2 s is blocked. `target` is the recording endpoint.
const PROBES = `{
  fetch: () => fetch(target + "/fetch"),
  import: () => import(target + "/import.js"),
  "import(data:)": () => import("data:text/javascript,export default 1"),
  XMLHttpRequest: () => new Promise((ok, no) => { const x = new XMLHttpRequest(); x.open("GET", target + "/xhr"); x.onload = ok; x.onerror = () => no(new Error("error event")); x.send(); }),
  WebSocket: () => new Promise((ok, no) => { const w = new WebSocket(target.replace("http", "ws") + "/ws"); w.onopen = ok; w.onerror = () => no(new Error("error event")); }),
  EventSource: () => new Promise((ok, no) => { const s = new EventSource(target + "/events"); s.onopen = ok; s.onerror = () => { s.close(); no(new Error("error event")); }; }),
  importScripts: () => importScripts(target + "/imported.js"),
  sendBeacon: () => { if (!navigator.sendBeacon(target + "/beacon", "x")) throw new Error("refused"); },
  FontFace: () => new FontFace("probe", "url(" + target + "/font.woff)").load(),
  Worker: () => new Promise((ok, no) => { const w = new Worker(target + "/worker.js"); w.onmessage = ok; w.onerror = () => no(new Error("error event")); }),
  "Worker(blob:)": () => new Promise((ok, no) => { const w = new Worker(URL.createObjectURL(new Blob(["postMessage(1)"]))); w.onmessage = ok; w.onerror = () => no(new Error("error event")); }),
  "parent.document": () => parent.document.title,
  "top.document": () => top.document.title,
  indexedDB: () => new Promise((ok, no) => { const r = indexedDB.open("dynaplay"); r.onsuccess = () => ok(r.result.objectStoreNames.length); r.onerror = () => no(r.error); }),
  "indexedDB.deleteDatabase": () => new Promise((ok, no) => { const r = indexedDB.deleteDatabase("dynaplay"); r.onsuccess = ok; r.onerror = () => no(r.error); }),
  localStorage: () => localStorage.setItem("sentinel", "overwritten"),
  "document.cookie": () => { document.cookie = "sentinel=overwritten"; return document.cookie; },
  caches: () => caches.open("probe"),
  dynaplay: () => dynaplay.send("DeleteTable", { TableName: "Vault" }),
}`;
const PROBE_NAMES = ['fetch', 'import', 'import(data:)', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'sendBeacon',
  'FontFace', 'Worker', 'Worker(blob:)', 'parent.document', 'top.document', 'indexedDB', 'indexedDB.deleteDatabase', 'localStorage',
  'document.cookie', 'caches', 'dynaplay'];
// Runs `probes` (an object of thunks) and answers one line per probe: "name: blocked (…)" or
// "name: REACHED …". Source text, so the same code runs as a handler and in a bare worker.
const RUN_PROBES = `async (probes) => {
  const lines = [];
  for (const [name, probe] of Object.entries(probes)) {
    try {
      const r = await Promise.race([Promise.resolve().then(probe), new Promise((_, no) => setTimeout(() => no(new Error("no answer in 2 s")), 2000))]);
      lines.push(name + ": REACHED " + String(r).slice(0, 60));
    } catch (e) {
      lines.push(name + ": blocked (" + (e && e.name) + ": " + String(e && e.message).slice(0, 90) + ")");
    }
  }
  return lines;
}`;

// Reads every frame's Content-Security-Policy violations (recorded by the init script below).
const violations = (frame) => frame.evaluate(() => (window.__cspViolations || []).slice());

// The largest gap between animation frames since `startFrames` (ms).
const startFrames = (page) => page.evaluate(() => {
  window.__frames = { max: 0, last: performance.now() };
  const tick = (t) => { window.__frames.max = Math.max(window.__frames.max, t - window.__frames.last); window.__frames.last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
});
const largestFrameGap = (page) => page.evaluate(() => window.__frames.max);

export default async function sandboxTests({ test, assert, openApp, shot, launch, tempDir }) {
  const createStreamTable = (page, name) => page.evaluate((name) => dynaplay.send('CreateTable', {
    TableName: name, AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }), name);
  const attach = async (page, table, code, timeoutSeconds) => {
    await page.click(`.table-name:text("${table}")`);
    await page.waitForSelector('[data-testid=shard-tree] li');
    await page.fill('[data-testid=trigger-code]', code);
    await page.fill('[data-testid=trigger-batch]', '10');
    await page.fill('[data-testid=trigger-timeout]', String(timeoutSeconds));
    await page.click('[data-testid=trigger-attach]');
    await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
  };
  const logText = (page) => page.textContent('[data-testid=trigger-log]');

  await test('trigger sandbox: fetch, import(), XHR, WebSocket, EventSource, importScripts, sendBeacon, FontFace, Worker from a handler — zero hits; the page\'s data untouched; the page has a CSP', async () => {
    const endpoint = await recorder();
    const context = await launch(tempDir('sandbox'));
    // In every frame (the page and the sandbox), before its own scripts: record CSP violations.
    await context.addInitScript(() => {
      window.__cspViolations = [];
      addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    try {
      const { page, w } = await openApp(context);
      assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'the tab owns the workspace');
      // The page's own policy: no eval, no inline script but Trunk's (by hash), no other origin.
      const policy = await page.$eval('meta[http-equiv=Content-Security-Policy]', (m) => m.content);
      const directive = (name) => (policy.split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name) || []).slice(1);
      assert(directive('default-src').join(' ') === "'none'" && directive('connect-src').join(' ') === "'self' https: http://localhost:* http://127.0.0.1:*"
        && directive('script-src').includes("'wasm-unsafe-eval'") && !directive('script-src').some((s) => s === "'unsafe-eval'" || s === "'unsafe-inline'" || s === '*'),
        `page policy: ${policy}`);
      await page.evaluate(() => { localStorage.setItem('sentinel', 'page-data'); document.cookie = 'sentinel=page-cookie'; });
      await createStreamTable(page, 'Vault');
      await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Vault', Item: { Id: { S: 'secret' }, Note: { S: 'keep me' } } }));
      // The page itself reaches no origin but its own and the endpoints a learner may connect
      // to (https, or http on localhost / 127.0.0.1).
      const fromPage = await page.evaluate(async (target) => {
        const out = [];
        try { await fetch(`${target}/page-fetch`); out.push('fetch reached'); } catch (e) { out.push(`fetch ${e.name}`); }
        try { await import(`${target}/page-import.js`); out.push('import reached'); } catch (e) { out.push(`import ${e.name}`); }
        return out;
      }, endpoint.elsewhere);
      assert(JSON.stringify(fromPage) === '["fetch TypeError","import TypeError"]', `from the page: ${fromPage}`);

      const code = `exports.handler = async (event) => {\n  const target = ${JSON.stringify(endpoint.target)};\n  const lines = await (${RUN_PROBES})(${PROBES});\n`
        + '  for (const line of lines) console.log("probe " + line);\n  return lines.filter((l) => l.includes("REACHED")).length;\n};';
      await attach(page, 'Vault', code, 60);
      await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Vault', Item: { Id: { S: 'fire' } } }));
      await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("END RequestId")', { timeout: 90000 });
      const log = await logText(page);
      for (const name of PROBE_NAMES) assert(log.includes(`probe ${name}: blocked (`), `${name} was not blocked:\n${log}`);
      assert(!log.includes('REACHED') && log.includes('returned 0'), log);

      // Without the worker's own precautions — a bare worker started in the sandbox frame — the
      // policy alone blocks the network; the frame is an opaque origin that cannot see the page.
      const frame = page.frames().find((f) => f.url().endsWith('/sandbox.html'));
      assert(frame, `the sandbox frame: ${page.frames().map((f) => f.url())}`);
      const bare = await frame.evaluate(async ([target, runProbes]) => {
        const source = `const target = ${JSON.stringify(target)};
          (${runProbes})({
            fetch: () => fetch(target + "/bare-fetch"),
            import: () => import(target + "/bare-import.js"),
            importScripts: () => importScripts(target + "/bare-imported.js"),
            XMLHttpRequest: () => { const x = new XMLHttpRequest(); x.open("GET", target + "/bare-xhr", false); x.send(); return x.status; },
            WebSocket: () => new Promise((ok, no) => { const w = new WebSocket(target.replace("http", "ws") + "/bare-ws"); w.onopen = ok; w.onerror = () => no(new Error("error event")); }),
            EventSource: () => new Promise((ok, no) => { const s = new EventSource(target + "/bare-events"); s.onopen = ok; s.onerror = () => { s.close(); no(new Error("error event")); }; }),
            FontFace: () => new FontFace("probe", "url(" + target + "/bare-font.woff)").load(),
            Worker: () => new Promise((ok, no) => { const w = new Worker(target + "/bare-worker.js"); w.onmessage = ok; w.onerror = () => no(new Error("error event")); }),
          }).then((lines) => postMessage(lines));`;
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        const lines = await new Promise((resolve) => { worker.onmessage = (m) => resolve(m.data); worker.onerror = (e) => resolve([`worker error ${e.message}`]); });
        worker.terminate();
        let parentDocument;
        try { parentDocument = parent.document.title; } catch (e) { parentDocument = e.name; }
        const policy = document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content;
        return { lines, origin: self.origin, parentDocument, policy };
      }, [endpoint.target, RUN_PROBES]);
      assert(bare.lines.length === 8 && bare.lines.every((l) => l.includes(': blocked (')), `bare worker: ${bare.lines.join('\n')}`);
      assert(bare.origin === 'null' && bare.parentDocument === 'SecurityError', JSON.stringify(bare));
      assert(/^default-src 'none'; script-src 'sha256-[^']+' 'unsafe-eval'; worker-src blob:/.test(bare.policy), `sandbox policy: ${bare.policy}`);

      await page.waitForTimeout(1000); // anything still on its way to the endpoint arrives
      assert(endpoint.hits.length === 0, `the endpoint was reached: ${endpoint.hits.join(', ')}`);
      // The page's data is untouched: storage, cookie, the workspace (also as stored).
      const data = await page.evaluate(async () => ({
        local: localStorage.getItem('sentinel'), cookie: document.cookie,
        item: (await dynaplay.send('GetItem', { TableName: 'Vault', Key: { Id: { S: 'secret' } } })).Item,
      }));
      assert(data.local === 'page-data' && data.cookie.includes('sentinel=page-cookie') && data.item?.Note?.S === 'keep me', JSON.stringify(data));
      // CSP violations: only the page's own two attempts above; none from the app's own work.
      const pageViolations = await violations(page);
      assert(pageViolations.length >= 2 && pageViolations.every((v) => v.includes(endpoint.target) || v.includes(endpoint.elsewhere)), `page: ${pageViolations.join('\n')}`);
      await shot(page, '26-sandbox-probes');
      await page.click('[data-testid=trigger-detach]');
      await page.reload();
      await page.waitForSelector('[data-mode=saved]');
      const stored = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Vault', Key: { Id: { S: 'secret' } } }));
      assert(stored.Item?.Note?.S === 'keep me', 'the stored workspace is intact after a reload');
      assert((await violations(page)).length === 0, `after a reload: ${await violations(page)}`);
      await w.check();
    } finally {
      await context.close();
      endpoint.close();
    }
  });

  await test('trigger sandbox: a handler logging 100,000 lines or returning 150 MB — a cut log, a failed invocation; the page stays responsive, also after a reload', async () => {
    const context = await launch(tempDir('sandbox-caps'));
    try {
      const { page, w } = await openApp(context);
      await createStreamTable(page, 'Flood');
      // One 20 MB line, then 100,000 short ones.
      await attach(page, 'Flood', 'exports.handler = async (event) => {\n  console.log("big " + "z".repeat(20 * 1024 * 1024));\n'
        + '  for (let i = 0; i < 100000; i++) console.log("line " + i);\n  return "logged";\n};', 30);
      await startFrames(page);
      await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Flood', Item: { Id: { S: 'a' } } }));
      await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("END RequestId")', { timeout: 60000 });
      let log = await logText(page);
      assert(log.includes('returned "logged"'), 'the invocation succeeded');
      assert(log.includes(' … [cut at 8,128 of 20,971,524 characters]'), 'the 20 MB line is cut');
      assert(log.includes('line 198') && !log.includes('line 199') && log.includes('… 99,801 more log line(s) not kept: the playground keeps the first 200 of each invocation'),
        log.slice(-600));
      const lines = await page.$$eval('[data-testid=trigger-log] .log-line', (ls) => ls.map((l) => l.textContent.length));
      assert(lines.length <= 400 && Math.max(...lines) <= 8192, `${lines.length} lines, longest ${Math.max(...lines)}`);
      const afterLogs = await largestFrameGap(page);

      // 150 MB returned: Lambda's "Response payload size exceeded", a failed (and retried) batch.
      await page.fill('[data-testid=trigger-code]', 'exports.handler = async () => "x".repeat(150 * 1024 * 1024);');
      await page.click('[data-testid=trigger-update]');
      await startFrames(page);
      await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Flood', Item: { Id: { S: 'b' } } }));
      const get = await page.evaluate(async () => {
        const t = performance.now();
        const r = await dynaplay.send('GetItem', { TableName: 'Flood', Key: { Id: { S: 'a' } } });
        return { ms: performance.now() - t, id: r.Item.Id.S };
      });
      assert(get.id === 'a', 'the engine answers');
      await page.waitForSelector('[data-testid=trigger-log] .log-error:has-text("Function.ResponseSizeTooLarge")', { timeout: 60000 });
      log = await logText(page);
      assert(log.includes('Response payload size exceeded maximum allowed payload size (6291556 bytes): the handler returned at least 157,286,402 bytes of JSON'), log.slice(-800));
      await page.waitForSelector('[data-testid=trigger-status].error-text:has-text("batch failing")');
      const afterResult = await largestFrameGap(page);
      console.log(`     largest frame gap: ${Math.round(afterLogs)} ms while 100,001 lines were logged, ${Math.round(afterResult)} ms while 150 MB was returned; GetItem meanwhile ${get.ms.toFixed(1)} ms`);
      // A page that took the answer in would stop for seconds (parsing 150 MB twice); a frame a
      // second apart leaves room for a loaded machine.
      assert(afterLogs < 1000 && afterResult < 1000, `frames stalled: ${afterLogs} ms, ${afterResult} ms`);
      await shot(page, '27-sandbox-caps');

      // Reload: the trigger is restored and runs the failing batch again; the page opens and
      // stays responsive, and nothing of the answers was stored.
      const started = Date.now();
      await page.reload();
      await page.waitForSelector('[data-mode=saved]');
      const opened = Date.now() - started;
      await startFrames(page);
      await page.click('.table-name:text("Flood")');
      await page.waitForSelector('[data-testid=trigger-log] .log-error:has-text("Function.ResponseSizeTooLarge")', { timeout: 60000 });
      const afterReload = await largestFrameGap(page);
      const stored = await page.evaluate(() => new Promise((resolve, reject) => {
        const open = indexedDB.open('dynaplay');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('triggers').objectStore('triggers').getAll();
          all.onsuccess = () => { open.result.close(); resolve(all.result.map((t) => t.length)); };
          all.onerror = () => reject(all.error);
        };
      }));
      console.log(`     after a reload: ready in ${opened} ms, largest frame gap ${Math.round(afterReload)} ms; stored trigger ${stored} characters`);
      assert(afterReload < 1000, `frames stalled after the reload: ${afterReload} ms`);
      assert(stored.length === 1 && stored[0] < 2000, `the stored trigger holds its code and positions only: ${stored}`);
      await page.click('[data-testid=trigger-detach]');
      await w.check();
    } finally {
      await context.close();
    }
  });

  await test('trigger sandbox: a sandbox that stops answering is noticed at the next timeout and replaced; the page goes on, the batch goes through', async () => {
    const context = await launch(tempDir('sandbox-crash'));
    try {
      const { page, w } = await openApp(context, '?storage=memory');
      await createStreamTable(page, 'Crash');
      // The invocation is in flight (waiting) when the sandbox's process dies.
      await attach(page, 'Crash', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 60000)); };', 2);
      await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Crash', Item: { Id: { S: 'a' } } }));
      await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("START RequestId")');
      const sandboxFrames = () => page.frames().filter((f) => f.url().endsWith('/sandbox.html'));
      const [frame] = sandboxFrames();
      // The sandbox hangs for good (as a process that died or ran out of memory would): it
      // answers nothing more. It runs apart from the page's main thread, so the page goes on.
      frame.evaluate(() => { for (;;) { /* hang */ } }).catch(() => {});
      await startFrames(page);
      await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => { console.log("after the crash", event.Records.length); return "ok"; };');
      await page.click('[data-testid=trigger-update]');
      const get = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Crash', Key: { Id: { S: 'a' } } }));
      assert(get.Item.Id.S === 'a', 'the page answers while its sandbox is gone');
      await page.waitForSelector('[data-testid=trigger-log] .log-error:has-text("the trigger sandbox stopped answering and was restarted")', { timeout: 30000 });
      await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("after the crash 1")', { timeout: 30000 });
      assert(sandboxFrames().length === 1 && sandboxFrames()[0] !== frame, 'one sandbox frame, a new one');
      const gap = await largestFrameGap(page);
      assert(gap < 1000, `the page's frames stalled while its sandbox hung: ${gap} ms`);
      await page.click('[data-testid=trigger-detach]');
      await w.check();
    } finally {
      await context.close();
    }
  });
}
