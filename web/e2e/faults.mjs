// Fault tests of the built playground (issue 12, item 8), run by run.mjs: a damaged store, two
// tabs on a plain-http origin without Web Locks, Chromium killed with writes in flight, a full
// origin quota that is lifted again, and a reload (and a kill) in the middle of a compaction.
// Each test asserts that nothing acknowledged is lost and nothing stored is corrupt.
import fs from 'node:fs';
import path from 'node:path';
import { launch, tempDir, watch } from './lib.mjs';

// The main Chromium process of the profile in `dir` (the one without --type=): found by its own
// command line, so only the browser this test launched is killed.
function browserPid(dir) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd;
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch (_) { continue; }
    if (cmd.includes(`--user-data-dir=${dir}`) && !cmd.some((a) => a.startsWith('--type='))) return Number(pid);
  }
  return null;
}

// SIGKILLs the browser of `context` (profile `dir`) and waits until it is gone.
async function killBrowser(context, dir) {
  const pid = browserPid(dir);
  if (!pid) throw new Error(`no browser process for ${dir}`);
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && fs.existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8')); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
}

// Every item of `table` (all Scan pages), as { id: item }.
const scanAll = (page, table) => page.evaluate(async (t) => {
  const items = {}; let start;
  do {
    const r = await dynaplay.send('Scan', { TableName: t, ...(start ? { ExclusiveStartKey: start } : {}) });
    for (const item of r.Items) items[item.id.S] = item;
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}, table);

const createTable = (page, name) => page.evaluate((n) => dynaplay.send('CreateTable', { TableName: n,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST' }), name);

// Appends raw records to the journal store behind the host's back, as damage would.
const appendRecords = (page, records) => page.evaluate((rs) => new Promise((resolve, reject) => {
  const open = indexedDB.open('dynaplay');
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction('journal', 'readwrite');
    for (const r of rs) tx.objectStore('journal').add(r);
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(String(tx.error));
  };
  open.onerror = () => reject(String(open.error));
}), records);

// A payload that says which item it belongs to, so a torn or mixed-up item shows.
const payload = (id, n) => `${id}:`.repeat(Math.ceil(n / (id.length + 1))).slice(0, n);
const intact = (items, n) => Object.entries(items).every(([id, item]) => item.body && item.body.S === payload(id, n));

export async function faults({ test, assert, url, openApp, shot }) {
  await test('faults: a damaged store opens with what came before, names the failed request, downloads, Reset and Import work', async () => {
    const context = await launch(tempDir('damaged'));
    let { page, w } = await openApp(context);
    page.on('dialog', (d) => d.accept());
    await createTable(page, 'Notes');
    await page.evaluate(async () => {
      for (const id of ['a', 'b', 'c']) await dynaplay.send('PutItem', { TableName: 'Notes', Item: { id: { S: id } } });
    });
    const exported = await page.evaluate(() => dynaplay.exportWorkspace());
    const bad = JSON.stringify([['PutItem', Date.UTC(2026, 0, 2, 3, 4, 5), { TableName: 'Gone', Item: { id: { S: 'x' } } }]]);
    const after = JSON.stringify([['PutItem', Date.UTC(2026, 0, 2, 3, 4, 6), { TableName: 'Notes', Item: { id: { S: 'after' } } }]]);
    await appendRecords(page, [bad, after]);
    await page.reload();
    await page.waitForSelector('[data-testid=damage-banner]');
    const problem = await page.textContent('[data-testid=damage-problem]');
    assert(/^PutItem \(request 1 of saved change \d+, run at 2026-01-02T03:04:05\.000Z\) failed when replayed: ResourceNotFoundException: /.test(problem), problem);
    await page.waitForSelector('[data-mode=saved]'); // the damaged workspace opens, and saves
    let items = await scanAll(page, 'Notes');
    assert(Object.keys(items).sort().join() === 'a,b,c', `everything before the damage: ${Object.keys(items)}`);
    await shot(page, '21-damaged-store');
    // The raw stored data downloads, the damaged record and the one after it included.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-stored]')]);
    const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert(download.suggestedFilename() === 'dynaplay-stored-data.json', download.suggestedFilename());
    assert(data.journal.includes(bad) && data.journal.indexOf(after) === data.journal.indexOf(bad) + 1, 'raw records kept');
    assert(data.failure.operation === 'PutItem' && /ResourceNotFound/.test(data.failure.error.__type), JSON.stringify(data.failure));
    assert(typeof data.snapshot === 'string' || data.snapshot === null, 'the snapshot as stored');
    // Writes go on; the damaged entry is not replayed again; the banner stays until dismissed.
    await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Notes', Item: { id: { S: 'd' } } }));
    await page.reload();
    await page.waitForSelector('[data-testid=damage-banner]');
    items = await scanAll(page, 'Notes');
    assert(Object.keys(items).sort().join() === 'a,b,c,d', `after a write and a reload: ${Object.keys(items)}`);
    const ws = JSON.parse(await page.evaluate(() => dynaplay.exportWorkspace()));
    assert(JSON.stringify(ws).includes('"d"') && !JSON.stringify(ws).includes('"after"'), 'Export exports what was restored');
    const [again] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-stored]')]);
    assert(fs.readFileSync(await again.path(), 'utf8').includes(JSON.stringify(bad).slice(1, -1)), 'still downloadable after a reload');
    await page.click('[data-testid=dismiss-damage]');
    await page.waitForSelector('[data-testid=damage-banner]', { state: 'detached' });
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    assert(!(await page.$('[data-testid=damage-banner]')), 'dismissed for good');

    // Damaged again: Import replaces it (and the banner goes).
    await appendRecords(page, [bad]);
    await page.reload();
    await page.waitForSelector('[data-testid=damage-banner]');
    await page.setInputFiles('header input[type=file]', { name: 'ws.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForSelector('.banner.ok:text("Workspace imported")');
    assert(!(await page.$('[data-testid=damage-banner]')), 'import replaces the damaged store');
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    items = await scanAll(page, 'Notes');
    assert(Object.keys(items).sort().join() === 'a,b,c' && !(await page.$('[data-testid=damage-banner]')), `imported: ${Object.keys(items)}`);

    // A store this version cannot read at all (storage failed): Reset still works and saves again.
    await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('dynaplay');
      open.onsuccess = () => { const tx = open.result.transaction('meta', 'readwrite'); tx.objectStore('meta').put('garbage', 'format'); tx.oncomplete = () => { open.result.close(); resolve(); }; };
    }));
    await page.reload();
    await page.waitForSelector('[data-mode=storage-failed]');
    await page.waitForSelector('[data-testid=failed-banner]');
    await shot(page, '22-storage-failed');
    await page.click('header button.danger');
    await page.waitForSelector('.banner.ok:text("Workspace reset")');
    await page.waitForSelector('[data-mode=saved]');
    await createTable(page, 'Fresh');
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    const tables = await page.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);
    assert(tables.join() === 'Fresh', `after reset: ${tables}`);
    await w.check();
    await context.close();
  });

  await test('faults: two tabs on plain http without Web Locks — an IndexedDB lease keeps one writer', async () => {
    // http://dynaplay.test:PORT reaches the same server but is not a secure context (not
    // loopback by name), so navigator.locks is undefined there, as on a LAN address.
    const insecure = url.replace('127.0.0.1', 'dynaplay.test');
    const context = await launch(tempDir('lease'), ['--host-resolver-rules=MAP dynaplay.test 127.0.0.1']);
    const open = async () => {
      const page = await context.newPage();
      const w = watch(page);
      await page.goto(`${insecure}/`);
      await page.waitForSelector('[data-mode]');
      return { page, w };
    };
    // Both at once: the lease is taken in a read-write transaction, so exactly one wins.
    const tabs = await Promise.all([open(), open()]);
    for (const { page } of tabs) {
      const env = await page.evaluate(() => ({ secure: isSecureContext, locks: typeof navigator.locks }));
      assert(env.secure === false && env.locks === 'undefined', `not a secure context, no Web Locks: ${JSON.stringify(env)}`);
    }
    await tabs[0].page.waitForFunction(() => dynaplay.stats().mode !== 'loading');
    const modes = await Promise.all(tabs.map(({ page }) => page.getAttribute('[data-mode]', 'data-mode')));
    assert(modes.sort().join() === 'read-only,saved', `one owner, one follower: ${modes}`);
    const owner = (await tabs[0].page.getAttribute('[data-mode]', 'data-mode')) === 'saved' ? tabs[0] : tabs[1];
    const reader = owner === tabs[0] ? tabs[1] : tabs[0];
    await reader.page.waitForSelector('.banner.warn:text("Another tab owns this workspace"):has-text("takes over when that tab closes")');
    await shot(reader.page, '23-read-only-without-web-locks');
    await createTable(owner.page, 'Lease');
    // Both write at once.
    const write = (page, prefix) => page.evaluate(async (p) => {
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => dynaplay.send('PutItem',
        { TableName: 'Lease', Item: { id: { S: `${p}-${i}` }, body: { S: `${p}-${i}:`.repeat(50) } } }).then(() => 'ok', (e) => e.name)));
      return outcomes.reduce((m, o) => ({ ...m, [o]: (m[o] || 0) + 1 }), {});
    }, prefix);
    const [fromOwner, fromReader] = await Promise.all([write(owner.page, 'owner'), write(reader.page, 'reader')]);
    assert(fromOwner.ok === 40, `owner: ${JSON.stringify(fromOwner)}`);
    assert(fromReader.AccessDeniedException === 40, `reader: ${JSON.stringify(fromReader)}`);
    for (const { page } of [reader, owner]) await page.reload();
    for (const { page } of [reader, owner]) await page.waitForSelector('[data-mode]');
    for (const { page } of [owner, reader]) {
      const items = await scanAll(page, 'Lease');
      const ids = Object.keys(items);
      assert(ids.length === 40 && ids.every((id) => id.startsWith('owner-')), `exactly the owner's writes: ${ids.length}`);
      assert(Object.values(items).every((it) => it.body.S === `${it.id.S}:`.repeat(50)), 'items intact');
      const stats = await page.evaluate(() => dynaplay.stats());
      assert(stats.damage === null, `no damage: ${stats.damage}`);
    }
    // After the reloads one tab owns it (whichever took the lease first) and the other follows.
    const after = await Promise.all([owner, reader].map(({ page }) => page.getAttribute('[data-mode]', 'data-mode')));
    assert(after.sort().join() === 'read-only,saved', `still one writer after reloading both: ${after}`);
    const nowOwner = (await owner.page.getAttribute('[data-mode]', 'data-mode')) === 'saved' ? owner : reader;
    const nowReader = nowOwner === owner ? reader : owner;
    // The owner closes: the follower takes the lease over once it expires, and writes.
    const closed = Date.now();
    await nowOwner.page.close();
    await nowReader.page.waitForSelector('[data-mode=saved]', { timeout: 15000 });
    const took = Date.now() - closed;
    await nowReader.page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Lease', Item: { id: { S: 'took-over' } } }));
    await nowReader.page.reload();
    await nowReader.page.waitForSelector('[data-mode=saved]');
    const final = await scanAll(nowReader.page, 'Lease');
    assert(Object.keys(final).length === 41 && final['took-over'], `after the takeover: ${Object.keys(final).length}`);
    console.log(`     lease: the follower took over ${took} ms after the owner closed`);
    await nowReader.w.check();
    await context.close();
  });

  await test('faults: Chromium killed (SIGKILL) with 200 writes in flight — every acknowledged write is there, nothing corrupt', async () => {
    const dir = tempDir('kill');
    let context = await launch(dir);
    let { page } = await openApp(context);
    await createTable(page, 'Kill');
    // Writes of 2 KB from 20 writers, each sending its next 20–80 ms after the last one was
    // acknowledged. Once 60 are acknowledged, 200 more of 32 KB are sent at once — one group
    // commit, so one transaction of 6.4 MB, whose commit outlasts the kill's way from the page
    // to this process — and the kill is asked for in the same task: it lands with those 200 in
    // flight (and the writers' own). The page hands over what was acknowledged by then.
    let atKill = null;
    let markKilled;
    const killed = new Promise((resolve) => { markKilled = resolve; });
    await page.exposeFunction('killNow', (state) => { atKill = JSON.parse(state); markKilled(); });
    await page.evaluate(({ size }) => {
      const body = (id, n) => `${id}:`.repeat(Math.ceil(n / (id.length + 1))).slice(0, n);
      const put = (id, n = size) => dynaplay.send('PutItem', { TableName: 'Kill', Item: { id: { S: id }, body: { S: body(id, n) } } });
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const acked = [];
      let asked = false;
      for (let writer = 0; writer < 20; writer++) {
        (async () => {
          for (let j = 0; j < 10; j++) {
            const id = `w${writer}-${j}`;
            await put(id);
            acked.push(id);
            if (acked.length >= 60 && !asked) {
              asked = true;
              for (let b = 0; b < 200; b++) put(`b${b}`, 16 * size); // 6.4 MB: its commit takes a while
              window.killNow(JSON.stringify({ acked, unacknowledged: dynaplay.stats().unacknowledged }));
            }
            await sleep(20 + Math.random() * 60);
          }
        })();
      }
    }, { size: 2048 });
    await Promise.race([killed, new Promise((r) => setTimeout(r, 15000))]);
    await killBrowser(context, dir);
    assert(atKill && atKill.acked.length >= 60 && atKill.unacknowledged >= 200,
      `writes in flight at the kill: ${JSON.stringify(atKill && { ...atKill, acked: atKill.acked.length })}`);

    context = await launch(dir);
    let w;
    ({ page, w } = await openApp(context));
    assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'reopens and saves');
    const items = await scanAll(page, 'Kill');
    const missing = atKill.acked.filter((id) => !items[id]);
    assert(missing.length === 0, `acknowledged writes lost: ${missing.join()}`);
    const writers = Object.fromEntries(Object.entries(items).filter(([id]) => id.startsWith('w')));
    const bursts = Object.fromEntries(Object.entries(items).filter(([id]) => id.startsWith('b')));
    assert(intact(writers, 2048) && intact(bursts, 16 * 2048), 'every stored item is whole');
    // The 200 shared one transaction: all of them or none.
    const burst = Object.keys(items).filter((id) => id.startsWith('b')).length;
    assert(burst === 0 || burst === 200, `the 200 writes in flight are all there or all gone: ${burst}`);
    assert((await page.evaluate(() => dynaplay.stats().damage)) === null, 'the store replays in full');
    await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Kill', Item: { id: { S: 'after' }, body: { S: 'after:' } } }));
    console.log(`     killed with ${atKill.unacknowledged} writes awaiting their commit, ${atKill.acked.length} acknowledged (the page's view as it asked); after the restart ${Object.keys(items).length} stored, ${burst} of the 200`);
    await w.check();
    await context.close();
  });

  await test('faults: a full origin quota — a clear error, the page keeps working, data intact, writes resume when space returns', async () => {
    const context = await launch(tempDir('quota-back'));
    const { page, w } = await openApp(context);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: url, quotaSize: 3 * 1024 * 1024 });
    await createTable(page, 'Full');
    const r = await page.evaluate(async () => {
      // Random text: IndexedDB compresses values, so repeated text would not fill it.
      const random = () => { const b = new Uint8Array(150 * 1024); for (let o = 0; o < b.length; o += 65536) crypto.getRandomValues(b.subarray(o, o + 65536)); let t = ''; for (let o = 0; o < b.length; o += 8192) t += String.fromCharCode.apply(null, b.subarray(o, o + 8192)); return btoa(t); };
      let acknowledged = 0;
      for (let i = 0; i < 100; i++) {
        try { await dynaplay.send('PutItem', { TableName: 'Full', Item: { id: { S: `i${i}` }, body: { S: random() } } }); acknowledged++; }
        catch (e) { return { acknowledged, name: e.name, message: e.message, status: e.$status }; }
      }
      return { acknowledged, name: 'none' };
    });
    assert(r.name === 'InternalServerError' && r.status === 500 && /storage for this site is full/.test(r.message) && r.acknowledged > 0, JSON.stringify(r));
    await page.waitForFunction(() => dynaplay.stats().unacknowledged === 0 && !dynaplay.stats().recovering);
    // The page keeps working: reads answer, the UI responds, the tab still owns the workspace.
    assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'still the owner');
    await page.click('.table-name:text("Full")');
    await page.waitForSelector('[data-testid=explorer-count]');
    let items = await page.evaluate(async () => (await dynaplay.send('Scan', { TableName: 'Full', Select: 'COUNT' })).Count);
    const counted = async () => { let n = 0; let start; do { const s = await page.evaluate((st) => dynaplay.send('Scan', { TableName: 'Full', Select: 'COUNT', ...(st ? { ExclusiveStartKey: st } : {}) }), start); n += s.Count; start = s.LastEvaluatedKey; } while (start); return n; };
    items = await counted();
    assert(items === r.acknowledged, `rolled back to the acknowledged writes: ${items} vs ${r.acknowledged}`);
    // Space returns: the next write is saved.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: url, quotaSize: 512 * 1024 * 1024 });
    await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Full', Item: { id: { S: 'after' }, body: { S: 'space again' } } }));
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    items = await counted();
    assert(items === r.acknowledged + 1, `stored: ${items} vs ${r.acknowledged + 1}`);
    assert((await page.evaluate(() => dynaplay.stats().damage)) === null, 'nothing damaged');
    console.log(`     quota: ${r.acknowledged} acknowledged 200 KB items, then "${r.message.slice(0, 90)}…"; writes resumed`);
    await w.check();
    await context.close();
  });

  await test('faults: a reload, then a kill, in the middle of a compaction — nothing acknowledged is lost', async () => {
    const dir = tempDir('compaction');
    let context = await launch(dir);
    // Test hook in the page (not in the bundle): a transaction that clears the journal — a
    // compaction, which also stores the new snapshot — is held open with every request issued
    // and never committed while `__holdCompaction` is set, so the reload or kill lands exactly
    // between its steps and its commit.
    await context.addInitScript(() => {
      const clear = IDBObjectStore.prototype.clear;
      IDBObjectStore.prototype.clear = function (...args) {
        if (this.name === 'journal') this.transaction.__compaction = true;
        return clear.apply(this, args);
      };
      const commit = IDBTransaction.prototype.commit;
      IDBTransaction.prototype.commit = function (...args) {
        if (!(this.__compaction && window.__holdCompaction)) return commit.apply(this, args);
        window.__compactionHeld = true;
        const keep = () => { this.objectStore('meta').get('format').onsuccess = keep; };
        keep();
        return undefined;
      };
    });
    let { page, w } = await openApp(context);
    await createTable(page, 'Compact');
    const fill = (from) => page.evaluate(async ({ from, size }) => {
      window.__holdCompaction = true;
      const body = (id) => `${id}:`.repeat(Math.ceil(size / (id.length + 1))).slice(0, size);
      for (let i = from; i < from + 400; i++) {
        const id = `c${i}`;
        const done = dynaplay.send('PutItem', { TableName: 'Compact', Item: { id: { S: id }, body: { S: body(id) } } }).then(() => true);
        // Resolved, or held (the hook says so): never a guess from timing.
        const held = new Promise((resolve) => {
          const poll = () => (window.__compactionHeld ? resolve(false) : setTimeout(poll, 20));
          poll();
        });
        if (!(await Promise.race([done, held]))) {
          return { acknowledged: i - from, held: window.__compactionHeld === true, stats: dynaplay.stats() };
        }
      }
      return { acknowledged: 400, held: false, stats: dynaplay.stats() };
    }, { from, size: 8192 });
    // The journal passes 1 MB after ~130 writes of 8 KB: that write's transaction compacts.
    let r = await fill(0);
    assert(r.held && r.acknowledged > 100 && r.stats.compactions === 0, `a compaction was caught in flight: ${JSON.stringify(r)}`);
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    let items = await scanAll(page, 'Compact');
    let expected = Array.from({ length: r.acknowledged }, (_, i) => `c${i}`);
    assert(expected.every((id) => items[id]) && intact(items, 8192), `after a reload mid-compaction: ${Object.keys(items).length} of ${r.acknowledged}`);
    assert((await page.evaluate(() => dynaplay.stats().damage)) === null, 'the old snapshot and journal replay in full');
    const first = r.acknowledged;
    // Again, and this time the browser is killed while the compaction is held.
    r = await fill(first + 1);
    assert(r.held, `compaction held again: ${JSON.stringify(r)}`);
    await killBrowser(context, dir);
    context = await launch(dir);
    ({ page, w } = await openApp(context));
    items = await scanAll(page, 'Compact');
    expected = [...expected, ...Array.from({ length: r.acknowledged }, (_, i) => `c${first + 1 + i}`)];
    assert(expected.every((id) => items[id]) && intact(items, 8192), `after a kill mid-compaction: ${Object.keys(items).length}, expected ${expected.length}`);
    // Without the hook the compaction completes, and everything is still there after it.
    const done = await page.evaluate(async () => {
      await dynaplay.send('PutItem', { TableName: 'Compact', Item: { id: { S: 'last' }, body: { S: 'last:' } } });
      return dynaplay.stats();
    });
    assert(done.compactions === 1 && done.journalBytes === 0, `compacted: ${JSON.stringify(done)}`);
    await page.reload();
    await page.waitForSelector('[data-mode=saved]');
    items = await scanAll(page, 'Compact');
    assert([...expected, 'last'].every((id) => items[id]), `after the compaction: ${Object.keys(items).length}`);
    assert((await page.evaluate(() => dynaplay.stats().replayed)) === 0, 'reloaded from the new snapshot alone');
    await w.check();
    await context.close();
  });
}
