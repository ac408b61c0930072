// End-to-end tests of the built playground (dist/) in Debian's Chromium via playwright-core.
// Usage: node web/e2e/run.mjs [DIST] [ARTIFACTS]   (scripts/test.sh runs it after `trunk build`)
// Prints one line per test and closes with "N passed, M failed"; screenshots go to ARTIFACTS.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { serve, launch, tempDir, watch } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const dist = path.resolve(process.argv[2] || path.join(repo, 'dist'));
const artifacts = path.resolve(process.argv[3] || path.join(repo, 'target/e2e-artifacts'));
fs.mkdirSync(artifacts, { recursive: true });

// The SDK test bundle is served next to the app.
const extra = tempDir('sdk');
await esbuild.build({ entryPoints: [path.join(here, 'sdk-entry.js')], bundle: true, format: 'iife', platform: 'browser',
  outfile: path.join(extra, 'sdk-test.js'), logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' } });
const { server, url } = await serve([dist, extra]);

const results = [];
async function test(name, fn) {
  // E2E_ONLY=Capacity runs one test; E2E_ONLY='UI: create|JS API' each test naming either.
  if (process.env.E2E_ONLY && !process.env.E2E_ONLY.split('|').some((part) => name.includes(part))) return;
  const started = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${e && e.stack || e}`);
  }
}
function assert(cond, message) { if (!cond) throw new Error(message); }
const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

async function openApp(context, query = '') {
  const page = await context.newPage();
  const w = watch(page);
  await page.goto(`${url}/${query}`);
  await page.waitForSelector('[data-mode]');
  return { page, w };
}

async function consoleSend(page, operation, request) {
  await page.fill('[data-testid=operation]', operation);
  await page.fill('[data-testid=request]', typeof request === 'string' ? request : JSON.stringify(request, null, 2));
  const before = await page.$eval('[data-testid=send]', () => performance.now());
  await page.click('[data-testid=send]');
  await page.waitForFunction((t) => {
    const s = document.querySelector('[data-testid=response-status]');
    return s && !document.querySelector('[aria-busy=true]') && performance.now() > t;
  }, before);
  await page.waitForTimeout(50);
  const status = await page.textContent('[data-testid=response-status]');
  const body = JSON.parse(await page.textContent('[data-testid=response]'));
  return { ok: status.includes('succeeded'), body };
}

const music = (artist, song, year) => ({ TableName: 'Music', Item: { Artist: { S: artist }, SongTitle: { S: song }, Year: { N: String(year) } } });
const queryMusic = { TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'Nina Simone' } } };

const profile = tempDir('profile');

await test('UI: create a table, add items, query, reload, restart: everything still there', async () => {
  let context = await launch(profile);
  let { page, w } = await openApp(context);
  assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'the tab owns the workspace');
  await shot(page, '01-empty-workspace');
  // The console offers the engine's DynamoDB operations (from its operation registry).
  const offered = await page.$$eval('#operations option', (os) => os.map((o) => o.value));
  assert(offered.length === 52 && offered[0] === 'CreateTable' && offered.includes('TransactWriteItems') && offered.includes('CreateBackup')
    && offered.includes('DescribeContributorInsights') && offered.includes('PutResourcePolicy') && offered.includes('ExportTableToPointInTime') && offered.includes('SearchVectors') && !offered.some((o) => /^Playground|^GetRecords$/.test(o)), JSON.stringify(offered));
  // The console starts with a CreateTable example for "Music".
  await page.click('[data-testid=send]');
  await page.waitForSelector('.table-name:text("Music")');
  for (const [song, year] of [['Feeling Good', 1965], ['Sinnerman', 1965], ['I Put a Spell on You', 1965]]) {
    const r = await consoleSend(page, 'PutItem', music('Nina Simone', song, year));
    assert(r.ok, `PutItem failed: ${JSON.stringify(r.body)}`);
  }
  let q = await consoleSend(page, 'Query', queryMusic);
  assert(q.ok && q.body.Count === 3, `Query: ${JSON.stringify(q.body)}`);
  await shot(page, '02-query-result');
  // Malformed input gets a clear message, the page lives on.
  await page.fill('[data-testid=request]', '{"TableName": ');
  await page.click('[data-testid=send]');
  await page.waitForSelector('.error-text:text("not valid JSON")');
  const bad = await consoleSend(page, 'PutItem', { TableName: 'Music', Item: { Artist: { S: 'x' } } });
  assert(!bad.ok && /ValidationException/.test(bad.body.__type), 'a missing key is a ValidationException');
  await shot(page, '03-validation-error');

  await page.reload();
  await page.waitForSelector('.table-name:text("Music")');
  q = await consoleSend(page, 'Query', queryMusic);
  assert(q.ok && q.body.Count === 3, `after reload: ${JSON.stringify(q.body)}`);
  await w.check();
  await context.close();

  context = await launch(profile);
  ({ page, w } = await openApp(context));
  await page.waitForSelector('.table-name:text("Music")');
  q = await consoleSend(page, 'Query', queryMusic);
  assert(q.ok && q.body.Count === 3, `after a browser restart: ${JSON.stringify(q.body)}`);
  await shot(page, '04-after-restart');
  await w.check();
  await context.close();
});

await test('JS API: dynaplay.send resolves responses and rejects with DynamoDB errors', async () => {
  const context = await launch(profile);
  const { page, w } = await openApp(context);
  const r = await page.evaluate(async () => {
    const out = {};
    out.get = await dynaplay.send('GetItem', { TableName: 'Music', Key: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Sinnerman' } } });
    // Requests go into the engine's memory as ASCII or, when they are not, as UTF-8 (a second
    // try, with room for it), and a request buffer over 64 KiB is freed after it; answers become
    // strings two ways (short ASCII byte for byte, anything else as UTF-8): js/dynaplay.js,
    // host/boundary.rs. Every kind of text must come back as it was sent.
    out.texts = [];
    for (const text of ['plain', 'Café 🎵 ñ', 'x'.repeat(300), 'é'.repeat(200), 'a"\\\n\u0001', '', 'y'.repeat(150000), 'ü'.repeat(60000), 'z']) {
      const key = { Artist: { S: 'Texts' }, SongTitle: { S: `t${out.texts.length}` } };
      const item = text ? { ...key, Note: { S: text } } : key;
      await dynaplay.send('PutItem', { TableName: 'Music', Item: item });
      const got = await dynaplay.send('GetItem', { TableName: 'Music', Key: key });
      const back = got.Item.SongTitle.S === key.SongTitle.S && (got.Item.Note ? got.Item.Note.S : '') === text;
      out.texts.push(back || `${JSON.stringify(item)} came back as ${JSON.stringify(got.Item)}`);
    }
    try { await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Sinnerman' } }, ConditionExpression: 'attribute_not_exists(Artist)' }); }
    catch (e) { out.err = { isError: e instanceof Error, name: e.name, type: e.__type, message: e.message, status: e.$status }; }
    try { await dynaplay.send('NoSuchOperation', {}); } catch (e) { out.unknown = e.name; }
    const ws = JSON.parse(await dynaplay.exportWorkspace());
    out.format = ws.format;
    try { await dynaplay.importWorkspace('{"format":"nope"}'); } catch (e) { out.badImport = e.message; }
    out.stats = dynaplay.stats();
    return out;
  });
  assert(r.get.Item.Year.N === '1965', 'GetItem');
  assert(r.texts.length === 9 && r.texts.every((t) => t === true), JSON.stringify(r.texts));
  assert(r.err.isError && r.err.name === 'ConditionalCheckFailedException' && r.err.type.endsWith('#ConditionalCheckFailedException')
    && r.err.message === 'The conditional request failed' && r.err.status === 400, JSON.stringify(r.err));
  assert(r.unknown === 'UnknownOperationException', r.unknown);
  assert(r.format === 'dynaplay-workspace', 'export');
  assert(/Invalid workspace file/.test(r.badImport), r.badImport);
  assert(r.stats.mode === 'saved' && r.stats.replayed > 0, JSON.stringify(r.stats));
  await w.check();
  await context.close();
});

await test('AWS SDK v3 (client-dynamodb + lib-dynamodb) against the in-page engine', async () => {
  const context = await launch(tempDir('sdk-profile'));
  const { page, w } = await openApp(context);
  await page.addScriptTag({ url: '/sdk-test.js' });
  const r = await page.evaluate(() => window.runSdkTest());
  assert(r.lowCount === 2, JSON.stringify(r));
  assert(JSON.stringify(r.docSongs) === '["Feeling Good","Sinnerman"]', JSON.stringify(r));
  assert(r.docYear === 1965 && JSON.stringify(r.tags) === '["live","jazz"]', JSON.stringify(r));
  assert(r.conditional === 'ConditionalCheckFailedException' && r.conditionalStatus === 400, JSON.stringify(r));
  await page.reload();
  await page.waitForSelector('.table-name:text("SdkSongs")');
  await shot(page, '05-sdk-table');
  await w.check();
  await context.close();
});

await test('two tabs: the second is read-only and takes over when the first closes', async () => {
  const context = await launch(tempDir('tabs'));
  const first = await openApp(context);
  await first.page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Tabs', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  const second = await openApp(context);
  assert(await second.page.getAttribute('[data-mode]', 'data-mode') === 'read-only', 'second tab is read-only');
  await second.page.waitForSelector('.banner.warn');
  await shot(second.page, '06-read-only-tab');
  const refused = await second.page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Tabs', Item: { id: { S: 'a' } } }).then(() => 'accepted', (e) => e.name));
  assert(refused === 'AccessDeniedException', refused);
  // The follower sees the owner's commits.
  await first.page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Tabs', Item: { id: { S: 'from-first' } } }));
  await second.page.waitForFunction(async () => (await dynaplay.send('Scan', { TableName: 'Tabs' })).Count === 1);
  await first.page.close();
  await second.page.waitForSelector('[data-mode=saved]');
  const count = await second.page.evaluate(async () => {
    await dynaplay.send('PutItem', { TableName: 'Tabs', Item: { id: { S: 'from-second' } } });
    return (await dynaplay.send('Scan', { TableName: 'Tabs' })).Count;
  });
  assert(count === 2, `count ${count}`);
  await second.w.check();
  await context.close();
});

await test('quota: a full origin gets a clear error; acknowledged writes survive, the refused one is gone', async () => {
  const context = await launch(tempDir('quota'));
  const { page, w } = await openApp(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: url, quotaSize: 3 * 1024 * 1024 });
  const r = await page.evaluate(async () => {
    await dynaplay.send('CreateTable', { TableName: 'Big', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' });
    // Random text: IndexedDB compresses values, so a repeated character would never fill it.
    const random = () => { const b = new Uint8Array(225 * 1024); for (let o = 0; o < b.length; o += 65536) crypto.getRandomValues(b.subarray(o, o + 65536)); let t = ''; for (let o = 0; o < b.length; o += 8192) t += String.fromCharCode.apply(null, b.subarray(o, o + 8192)); return btoa(t); };
    let acknowledged = 0;
    for (let i = 0; i < 60; i++) {
      try { await dynaplay.send('PutItem', { TableName: 'Big', Item: { id: { N: String(i) }, blob: { S: random() } } }); acknowledged++; }
      catch (e) { return { acknowledged, name: e.name, message: e.message }; }
    }
    return { acknowledged, name: 'none' };
  });
  // Chromium reports the quota failure as an aborted transaction whose error is QuotaExceededError:
  // the learner is told the site's storage is full and what to do.
  assert(r.name === 'InternalServerError' && /could not save this change/.test(r.message)
    && /storage for this site is full/.test(r.message) && r.acknowledged > 0, JSON.stringify(r));
  await page.waitForFunction(() => dynaplay.stats().unacknowledged === 0 && !dynaplay.stats().recovering);
  // Scan pages stop at 1 MB: count every page.
  const countAll = () => page.evaluate(async () => {
    let n = 0; let start;
    do {
      const r = await dynaplay.send('Scan', { TableName: 'Big', Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) });
      n += r.Count; start = r.LastEvaluatedKey;
    } while (start);
    return n;
  });
  const inMemory = await countAll();
  assert(inMemory === r.acknowledged, `rolled back: ${inMemory} vs ${r.acknowledged}`);
  await page.reload();
  await page.waitForSelector('[data-mode]');
  const stored = await countAll();
  assert(stored === r.acknowledged, `stored: ${stored} vs ${r.acknowledged}`);
  console.log(`     quota hit after ${r.acknowledged} acknowledged 300 KB items: "${r.message.slice(0, 120)}…"`);
  await w.check();
  await context.close();
});

await test('UI forms: create a table through the form, add items in the editor, query them through the builder', async () => {
  const context = await launch(tempDir('forms'));
  const { page, w } = await openApp(context);
  await page.click('[data-testid=open-create]');
  await page.fill('[data-testid=table-name]', 'Songs');
  await page.fill('[data-testid=partition-key]', 'Artist');
  await page.fill('[data-testid=sort-key]', 'Title');
  await page.click('[data-testid=add-gsi]');
  await page.fill('[data-testid=index-name]', 'ByGenre');
  await page.fill('[data-testid=index-partition-key]', 'Genre');
  // An invalid capacity: the engine's validation message shows next to the button.
  await page.check('[data-testid=provisioned]');
  // The form's markup is rewritten (capacity fields appear); the radio button keeps the focus.
  await page.waitForSelector('[data-testid=rcu]');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
  assert(focused === 'provisioned', `focus after choosing provisioned: ${focused}`);
  await page.fill('[data-testid=rcu]', '0');
  await page.press('[data-testid=table-name]', 'Enter');
  const error = await (await page.waitForSelector('[data-testid=create-error]')).textContent();
  assert(/ValidationException/.test(error) && /ReadCapacityUnits|capacity/i.test(error), `inline error: ${error}`);
  const createCli = await page.textContent('[data-testid=create-code]');
  assert(createCli.startsWith('aws dynamodb create-table \\\n    --table-name Songs \\\n') && createCli.includes('--global-secondary-indexes'), createCli);
  await shot(page, '07-create-form');
  await page.fill('[data-testid=rcu]', '5');
  await page.click('[data-testid=create-submit]');
  await page.waitForSelector('#explorer-title:text("Items · Songs")');
  await page.waitForSelector('.table-name.current:text("Songs")');

  // Add items in plain JSON; malformed JSON is refused with a message and nothing is sent.
  const add = async (item) => {
    await page.click('[data-testid=add-item]');
    await page.fill('[data-testid=item-text]', JSON.stringify(item, null, 2));
    await page.click('[data-testid=item-save]');
    await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
  };
  await add({ Artist: 'Nina Simone', Title: 'Feeling Good', Year: 1965, Genre: 'Jazz', Tags: ['live', "it's"] });
  await add({ Artist: 'Nina Simone', Title: 'Sinnerman', Year: 1965, Genre: 'Jazz' });
  await add({ Artist: 'Miles Davis', Title: 'So What', Year: 1959, Genre: 'Jazz', Live: false });
  await page.click('[data-testid=add-item]');
  await page.fill('[data-testid=item-text]', '{"Artist": ');
  await page.click('[data-testid=item-save]');
  const bad = await (await page.waitForSelector('[data-testid=item-error]')).textContent();
  assert(/Not valid JSON/.test(bad) && /nothing was sent/.test(bad), bad);
  // The toggle converts plain JSON to DynamoDB JSON.
  await page.fill('[data-testid=item-text]', '{"Artist": "x", "Title": "y", "N": 1.5, "M": {"l": [true, null]}}');
  await page.click('[data-testid=item-toggle]');
  const ddb = JSON.parse(await page.inputValue('[data-testid=item-text]'));
  assert(JSON.stringify(ddb) === JSON.stringify({ Artist: { S: 'x' }, M: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } }, N: { N: '1.5' }, Title: { S: 'y' } }), JSON.stringify(ddb));
  await page.click('.editor button:text("Cancel")');
  await page.waitForFunction(() => /Scan · page 1 · 3 items/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  // A write from elsewhere (the JS API here; the console or a workload alike) shows up in the open page.
  await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Songs', Item: { Artist: { S: 'Zz Elsewhere' }, Title: { S: 'Outside' } } }));
  await page.waitForFunction(() => /Scan · page 1 · 4 items/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  await page.evaluate(() => dynaplay.send('DeleteItem', { TableName: 'Songs', Key: { Artist: { S: 'Zz Elsewhere' }, Title: { S: 'Outside' } } }));
  await page.waitForFunction(() => /Scan · page 1 · 3 items/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  // The panel keeps the learner's own last action (the editor's PutItem), not the refreshing Scan.
  const lastCli = await page.textContent('[data-testid=explorer-code]');
  assert(lastCli.includes('aws dynamodb put-item'), lastCli);
  // Edit reads the whole item (GetItem) into the editor; saving puts it back.
  await page.click('[data-testid=items] tr:has-text("So What") button:text("Edit")');
  const editing = JSON.parse(await (await page.waitForSelector('[data-testid=item-text]')).inputValue());
  assert(editing.Title === 'So What' && editing.Live === false && editing.Year === 1959, JSON.stringify(editing));
  await page.fill('[data-testid=item-text]', JSON.stringify({ ...editing, Year: 1960 }));
  await page.press('[data-testid=item-text]', 'Control+Enter');
  await page.waitForSelector('[data-testid=items] tr:has-text("So What") td:text("1960")');
  await shot(page, '08-explorer');
  // Delete (after the confirmation) and the page shows one item fewer.
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid=items] tr:has-text("So What") button:text("Delete")');
  await page.waitForFunction(() => /Scan · page 1 · 2 items/.test(document.querySelector('[data-testid=explorer-count]').textContent));

  // The query builder: partition key + begins_with on the sort key.
  await page.click('[data-testid=mode-query]');
  await page.fill('[data-testid=query-pk]', 'Nina Simone');
  await page.selectOption('[data-testid=query-sk-op]', 'begins_with');
  await page.fill('[data-testid=query-sk]', 'Feel');
  await page.fill('[data-testid=query-projection]', 'Title, Year');
  await page.press('[data-testid=query-sk]', 'Enter');
  await page.waitForFunction(() => /Query · page 1 · 1 item$/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  const row = await page.textContent('[data-testid=items] tbody');
  assert(row.includes('Feeling Good') && row.includes('1965') && !row.includes('Jazz'), row);
  const cli = await page.textContent('[data-testid=explorer-code]');
  assert(cli.includes("aws dynamodb query \\\n    --table-name Songs \\\n")
    && cli.includes("--key-condition-expression '#pk = :pk AND begins_with(#sk, :sk)'")
    && cli.includes("--projection-expression '#p0, #p1'")
    && cli.includes("--return-consumed-capacity TOTAL"), cli);
  const capacity = await page.textContent('[data-testid=explorer-capacity]');
  assert(/0\.5 capacity units on Songs/.test(capacity), capacity);
  await page.click('.code-tabs .tab:text("boto3")');
  const tab = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  assert(tab === 'boto3', `focus after choosing a code tab: ${tab}`);
  const py = await page.textContent('[data-testid=explorer-code]');
  assert(py.includes("response = client.query(\n    TableName='Songs',\n"), py);
  await page.click('.code-tabs .tab:text("JS SDK v3")');
  const js = await page.textContent('[data-testid=explorer-code]');
  assert(js.includes('import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";') && js.includes('new QueryCommand({'), js);
  await shot(page, '09-query-builder');

  // Pagination: Limit 1 over the partition, then Next page via LastEvaluatedKey.
  await page.selectOption('[data-testid=query-sk-op]', '(any)');
  await page.fill('[data-testid=query-projection]', '');
  await page.fill('[data-testid=query-limit]', '1');
  await page.click('[data-testid=query-run]');
  await page.waitForFunction(() => /Query · page 1 · 1 item$/.test(document.querySelector('[data-testid=explorer-count]').textContent)
    && !document.querySelector('[data-testid=next-page]').disabled);
  await page.click('.code-tabs .tab:text("AWS CLI")');
  const paged = await page.textContent('[data-testid=explorer-code]');
  assert(paged.includes('--cli-input-json') && paged.includes('--no-paginate'), paged);
  await page.click('[data-testid=next-page]');
  await page.waitForFunction(() => /Query · page 2 · 1 item$/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  assert((await page.textContent('[data-testid=items] tbody')).includes('Sinnerman'), 'second page');
  await w.check();
  await context.close();
});

await test('UI forms: a GSI with a multi-attribute key, made in the form and queried in the builder', async () => {
  const context = await launch(tempDir('multi-key'));
  const { page, w } = await openApp(context);
  await page.click('[data-testid=open-create]');
  await page.fill('[data-testid=table-name]', 'Matches');
  await page.fill('[data-testid=partition-key]', 'matchId');
  await page.click('[data-testid=add-gsi]');
  await page.fill('[data-testid=index-name]', 'ByTournament');
  // Two partition key attributes and two sort key attributes, the last a number.
  await page.fill('[data-testid=index-partition-key]', 'tournamentId');
  await page.click('[data-testid=add-partition-key]');
  await page.fill('[data-testid=index-partition-key-more]', 'region');
  await page.fill('[data-testid=index-sort-key]', 'round');
  await page.click('[data-testid=add-sort-key]');
  await page.fill('[data-testid=index-sort-key-more]', 'game');
  await page.selectOption('label:has([data-testid=index-sort-key-more]) + label select', 'N');
  const preview = JSON.parse(await page.textContent('[data-testid=create-preview]'));
  assert(JSON.stringify(preview.GlobalSecondaryIndexes[0].KeySchema.map((k) => k.AttributeName + ':' + k.KeyType))
    === '["tournamentId:HASH","region:HASH","round:RANGE","game:RANGE"]', JSON.stringify(preview));
  await shot(page, '09b-create-multi-attribute-key');
  await page.click('[data-testid=create-submit]');
  await page.waitForSelector('#explorer-title:text("Items · Matches")');
  await page.evaluate(async () => {
    const m = (id, region, round, game) => ({ matchId: { S: id }, tournamentId: { S: 'WINTER2024' }, region: { S: region },
      round: { S: round }, game: { N: String(game) } });
    for (const item of [m('m1', 'NA-EAST', 'SEMIFINALS', 10), m('m2', 'NA-EAST', 'SEMIFINALS', 9),
      m('m3', 'NA-EAST', 'FINALS', 1), m('m4', 'EU-WEST', 'FINALS', 2)]) {
      await dynaplay.send('PutItem', { TableName: 'Matches', Item: item });
    }
  });

  // The builder shows a value field per partition key attribute, a condition per sort key one.
  await page.click('[data-testid=mode-query]');
  await page.selectOption('[data-testid=query-index]', 'ByTournament');
  await page.fill('[data-testid=query-pk]', 'WINTER2024');
  await page.fill('[data-testid=query-pk-2]', 'NA-EAST');
  await page.click('[data-testid=query-run]');
  await page.waitForFunction(() => /Query · page 1 · 3 items$/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  const order = await page.$$eval('[data-testid=items] tbody tr', (rows) => rows.map((r) => r.textContent.match(/m\d/)[0]));
  assert(JSON.stringify(order) === '["m3","m2","m1"]', `sorted by round, then game as a number: ${order}`);
  await page.selectOption('[data-testid=query-sk-op]', '=');
  await page.fill('[data-testid=query-sk]', 'SEMIFINALS');
  await page.selectOption('[data-testid=query-sk-op-2]', '>');
  await page.fill('[data-testid=query-sk-2]', '9');
  await page.click('[data-testid=query-run]');
  await page.waitForFunction(() => /Query · page 1 · 1 item$/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  assert((await page.textContent('[data-testid=items] tbody')).includes('m1'), 'game > 9 in the semifinals');
  const cli = await page.textContent('[data-testid=explorer-code]');
  assert(cli.includes("--key-condition-expression '#pk = :pk AND #pk_2 = :pk_2 AND #sk = :sk AND #sk_2 > :sk_2'"), cli);
  await shot(page, '09c-query-multi-attribute-key');
  // A condition on the second sort key attribute alone: DynamoDB's message names the gap.
  await page.selectOption('[data-testid=query-sk-op]', '(any)');
  await page.click('[data-testid=query-run]');
  await page.waitForFunction(() => /^Query failed/.test(document.querySelector('[data-testid=explorer-count]').textContent));
  const error = await page.textContent('[data-testid=explorer-error]');
  assert(error.includes('RANGE key attributes round must have equality conditions specified in the query because a condition is present on key attribute game'), error);
  await w.check();
  await context.close();
});

// The seed's stream handler, exactly as the seed file has it (falls back to the trigger editor's
// default, a verbatim copy, when the seed file is not next to the repository).
// The stream handler of seed 000, unchanged. The copy beside this file is what the tests run;
// when shared/ sits beside the repository (as on the project's machines) it must still be the
// seed's code, character for character.
function seedHandler() {
  const copy = fs.readFileSync(path.join(here, 'seed_000_handler.js'), 'utf8').trim();
  const file = process.env.DYNAPLAY_SEED || path.resolve(repo, '../shared/seeds/000_86161b496cbd8265.txt');
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf('exports.handler');
    const seed = text.slice(start, text.indexOf('};', start) + 2);
    if (seed.trim() !== copy) throw new Error(`web/e2e/seed_000_handler.js is not the handler of ${file}`);
  }
  return copy;
}

await test('streams: the seed Lambda handler runs on INSERT records; a throw is retried; an infinite loop times out', async () => {
  const context = await launch(tempDir('streams'));
  const { page, w } = await openApp(context);
  const created = await consoleSend(page, 'CreateTable', {
    TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'OrderId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'OrderId', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  assert(created.ok, JSON.stringify(created.body));
  await page.click('.table-name:text("Orders")');
  await page.waitForSelector('[data-testid=stream-viewer] code:has-text("arn:aws:dynamodb")');
  await page.waitForSelector('[data-testid=shard-tree] li');

  // The editor starts with the seed handler, indented (the seed's text lost its indentation);
  // attach the seed's text unchanged.
  const seed = seedHandler();
  const editorDefault = await page.inputValue('[data-testid=trigger-code]');
  const unindented = (t) => t.trim().split('\n').map((l) => l.trimStart()).join('\n');
  assert(unindented(editorDefault) === seed && editorDefault.includes('\n  for (const record of event.Records) {\n    console.log('),
    `the default handler is the seed handler, indented: ${editorDefault}`);
  await page.fill('[data-testid=trigger-code]', seed);
  await page.fill('[data-testid=trigger-batch]', '10');
  await page.fill('[data-testid=trigger-timeout]', '1.5');
  await page.click('[data-testid=trigger-attach]');
  await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
  const put = (id, extra = {}) => consoleSend(page, 'PutItem', { TableName: 'Orders', Item: { OrderId: { S: id }, Total: { N: '42' }, ...extra } });
  assert((await put('order-1')).ok, 'PutItem');
  await page.waitForSelector('[data-testid=trigger-log]:has-text("New item added:")', { timeout: 15000 });
  const log = await page.textContent('[data-testid=trigger-log]');
  assert(log.includes('"eventSourceARN"') && log.includes('"eventName": "INSERT"') && log.includes('order-1'), log.slice(0, 2000));
  assert(log.includes('returned "Successfully processed 1 records."'), log.slice(-800));
  // The viewer shows the record; an expanded record shows its images.
  await page.waitForSelector('[data-testid=stream-records] details.record:has-text("OrderId=order-1")');
  assert((await put('order-2', { Note: { S: 'second' } })).ok, 'PutItem 2');
  const updated = await consoleSend(page, 'UpdateItem', { TableName: 'Orders', Key: { OrderId: { S: 'order-1' } },
    UpdateExpression: 'SET #t = :t', ExpressionAttributeNames: { '#t': 'Total' }, ExpressionAttributeValues: { ':t': { N: '43' } } });
  assert(updated.ok, JSON.stringify(updated.body));
  await page.waitForSelector('[data-testid=stream-records] .event-modify', { timeout: 10000 }).catch(async (e) => {
    await shot(page, 'debug-modify');
    throw new Error(`${e.message}; viewer: ${await page.textContent('[data-testid=stream-viewer]')}`);
  });
  await page.waitForFunction(() => (document.querySelector('[data-testid=trigger-log]').textContent.match(/New item added:/g) || []).length >= 2);
  await page.click('[data-testid=stream-records] details.record:has-text("MODIFY") summary');
  await page.selectOption('[data-testid=stream-filter]', 'ALL');
  await page.waitForTimeout(300);
  await page.locator('[data-testid=stream-viewer]').scrollIntoViewIfNeeded();
  await shot(page, '12-stream-trigger');
  await page.locator('[data-testid=stream-viewer]').screenshot({ path: path.join(artifacts, '12-stream-viewer.png') });
  await page.locator('[data-testid=trigger-panel]').screenshot({ path: path.join(artifacts, '12-trigger-log.png') });
  await page.selectOption('[data-testid=stream-filter]', 'INSERT');
  await page.waitForFunction(() => /^2 of 3 record/.test(document.querySelector('[data-testid=stream-count]').textContent));

  // A handler that throws: the error is shown and the batch is retried; fixing the code lets it through.
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => {\n  console.log("trying", event.Records.length);\n  throw new Error("boom on purpose");\n};');
  await page.click('[data-testid=trigger-update]');
  assert((await put('order-3')).ok, 'PutItem 3');
  await page.waitForSelector('[data-testid=trigger-log]:has-text("Error: boom on purpose")', { timeout: 10000 });
  await page.waitForSelector('[data-testid=trigger-log]:has-text("(retry 1)")', { timeout: 10000 });
  await page.waitForSelector('[data-testid=trigger-status].error-text:has-text("batch failing")');
  await shot(page, '13-trigger-retry');
  await page.fill('[data-testid=trigger-code]', seed || editorDefault);
  await page.click('[data-testid=trigger-update]');
  await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("New item added:"):has-text("order-3")', { timeout: 15000 });

  // Garbage: a result that is not JSON is an error too (and retried), then an infinite loop times out.
  await page.click('[data-testid=trigger-detach]');
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async () => { while (true) {} };');
  await page.fill('[data-testid=trigger-timeout]', '1');
  await page.selectOption('[data-testid=trigger-position]', 'TRIM_HORIZON');
  await page.click('[data-testid=trigger-attach]');
  await page.waitForSelector('[data-testid=trigger-log]:has-text("Task timed out after 1.00 seconds")', { timeout: 10000 });
  // The page and the engine still work while the worker is being recreated.
  const get = await consoleSend(page, 'GetItem', { TableName: 'Orders', Key: { OrderId: { S: 'order-2' } } });
  assert(get.ok && get.body.Item.Note.S === 'second', JSON.stringify(get.body));
  await page.waitForSelector('[data-testid=trigger-log]:has-text("(retry 1)")', { timeout: 10000 });
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async () => 10n;');
  await page.click('[data-testid=trigger-update]');
  await page.waitForSelector('[data-testid=trigger-log]:has-text("not JSON")', { timeout: 15000 });
  // The sandbox: the handler sees neither the page, the workspace's IndexedDB nor the network.
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async () => { console.log("sandbox:", typeof document, typeof indexedDB, typeof fetch, typeof importScripts, typeof dynaplay); return "probed"; };');
  await page.click('[data-testid=trigger-update]');
  await page.waitForSelector('[data-testid=trigger-log]:has-text("sandbox: undefined undefined undefined undefined undefined")', { timeout: 15000 });
  await shot(page, '14-trigger-timeout');
  await page.click('[data-testid=trigger-detach]');
  await w.check();
  await context.close();
});

// The triggers IndexedDB holds (the page's `triggers` store), and the stored format.
const storedTriggers = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('dynaplay');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(['triggers', 'meta']);
    const all = tx.objectStore('triggers').getAll();
    const format = tx.objectStore('meta').get('format');
    tx.oncomplete = () => { db.close(); resolve({ format: format.result, triggers: all.result.map((t) => JSON.parse(t)) }); };
    tx.onerror = () => reject(tx.error);
  };
}));
const logLines = (page, text) => page.$$eval('[data-testid=trigger-log] .log-line', (ls, t) => ls.map((l) => l.textContent).filter((l) => l.includes(t)), text);
const settled = (page) => page.waitForFunction(() => dynaplay.stats().unacknowledged === 0);

await test('trigger survives a reload: the seed handler resumes after its last processed record — new records processed, old ones not again', async () => {
  const context = await launch(tempDir('trigger-reload'));
  const { page, w } = await openApp(context);
  const seed = seedHandler();
  assert((await consoleSend(page, 'CreateTable', {
    TableName: 'Shop', AttributeDefinitions: [{ AttributeName: 'OrderId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'OrderId', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })).ok, 'CreateTable');
  await page.click('.table-name:text("Shop")');
  await page.waitForSelector('[data-testid=shard-tree] li');
  await page.fill('[data-testid=trigger-code]', seed);
  await page.fill('[data-testid=trigger-batch]', '10');
  await page.fill('[data-testid=trigger-timeout]', '3');
  await page.click('[data-testid=trigger-attach]');
  await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
  const kept = await page.textContent('[data-testid=trigger-kept]');
  assert(/Saved with the workspace/.test(kept) && /do not carry trigger code/.test(kept), `says what is saved, and where not: ${kept}`);
  const put = (id, total) => page.evaluate(([id, total]) => dynaplay.send('PutItem', { TableName: 'Shop', Item: { OrderId: { S: id }, Total: { N: String(total) } } }), [id, total]);
  await put('order-1', 10);
  await put('order-2', 20);
  await page.waitForFunction(() => ['order-1', 'order-2'].every((id) => [...document.querySelectorAll('[data-testid=trigger-log] .log-line')]
    .some((l) => l.textContent.startsWith('New item added:') && l.textContent.includes(id))), null, { timeout: 15000 });
  await settled(page);
  // Stored: code, settings, stream and a position (a sequence number) per shard read.
  let stored = await storedTriggers(page);
  assert(stored.format === 2 && stored.triggers.length === 1, JSON.stringify(stored).slice(0, 400));
  const t = stored.triggers[0];
  assert(t.TableName === 'Shop' && t.Code === seed && t.BatchSize === 10 && t.TimeoutMs === 3000 && t.StartingPosition === 'TRIM_HORIZON'
    && /\/stream\//.test(t.StreamArn), JSON.stringify(t).slice(0, 400));
  const processed = Object.values(t.Positions).filter((p) => /^\d+$/.test(p));
  assert(processed.length >= 1, `positions: ${JSON.stringify(t.Positions)}`);

  // Reload: the trigger is restored and resumes after order-1 and order-2.
  await page.reload();
  await page.waitForSelector('[data-mode=saved]');
  await page.click('.table-name:text("Shop")');
  await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("Trigger restored")');
  assert(await page.inputValue('[data-testid=trigger-code]') === seed, 'the restored code is in the editor');
  await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
  assert(/batch 10 · TRIM_HORIZON · timeout 3 s/.test(await page.textContent('[data-testid=trigger-panel]')), 'settings restored');
  await put('order-3', 30);
  await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("END RequestId")', { timeout: 15000 });
  await put('order-4', 40);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=trigger-log] .log-line')].filter((l) => l.textContent.startsWith('END RequestId')).length >= 2, null, { timeout: 15000 });
  const added = await logLines(page, 'New item added:');
  assert(added.length === 2 && added[0].includes('order-3') && added[1].includes('order-4'), `after the reload: ${JSON.stringify(added)}`);
  const starts = await logLines(page, 'START RequestId');
  assert(starts.length === 2 && starts.every((s) => s.includes('· 1 record(s) from')), JSON.stringify(starts));
  // The viewer reads the stream from its start: all four INSERTs are there.
  await page.waitForFunction(() => /^4 of 4 record/.test(document.querySelector('[data-testid=stream-count]').textContent));
  await page.click('[data-testid=stream-records] details.record:has-text("order-4") summary');
  await page.locator('[data-testid=trigger-log]').evaluate((l) => { l.scrollTop = l.scrollHeight; });
  await page.waitForTimeout(200); // let the log's scroll settle for the picture (not an assertion)
  const viewer = await page.locator('[data-testid=stream-viewer]').boundingBox();
  const panel = await page.locator('[data-testid=trigger-panel]').boundingBox();
  await page.setViewportSize({ width: 1280, height: Math.ceil(panel.y + panel.height + 40) });
  const top = (await page.locator('[data-testid=stream-viewer]').boundingBox()).y;
  const bottom = await page.locator('[data-testid=trigger-panel]').boundingBox();
  await page.screenshot({ path: path.join(artifacts, '19-stream-viewer-trigger-resumed.png'),
    clip: { x: viewer.x - 8, y: top - 8, width: viewer.width + 16, height: bottom.y + bottom.height - top + 16 } });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Detach removes it from storage; a reload then has no trigger.
  await page.click('[data-testid=trigger-detach]');
  await page.waitForSelector('[data-testid=trigger-attach]');
  await settled(page);
  stored = await storedTriggers(page);
  assert(stored.triggers.length === 0, JSON.stringify(stored.triggers));
  await page.reload();
  await page.waitForSelector('[data-mode=saved]');
  await page.click('.table-name:text("Shop")');
  await page.waitForSelector('[data-testid=trigger-attach]');
  assert(!(await page.$('[data-testid=trigger-log]')), 'no trigger after a detach and a reload');
  await w.check();
  await context.close();
});

await test('two tabs: a trigger runs only in the tab that owns the workspace, and moves with it', async () => {
  const context = await launch(tempDir('trigger-tabs'));
  const first = await openApp(context);
  await first.page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Feed', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
  await first.page.click('.table-name:text("Feed")');
  await first.page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => { for (const r of event.Records) console.log("saw", r.dynamodb.Keys.Id.S); };');
  await first.page.click('[data-testid=trigger-attach]');
  await first.page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Feed', Item: { Id: { S: 'a-1' } } }));
  await first.page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("saw a-1")', { timeout: 15000 });
  await settled(first.page);
  // The second tab follows, read-only: it shows no trigger and runs none.
  const second = await openApp(context);
  assert(await second.page.getAttribute('[data-mode]', 'data-mode') === 'read-only', 'second tab is read-only');
  await second.page.click('.table-name:text("Feed")');
  await second.page.waitForSelector('[data-testid=trigger-kept]:has-text("run in the tab that owns")');
  assert(!(await second.page.$('[data-testid=trigger-attach]')) && !(await second.page.$('[data-testid=trigger-log]')), 'no trigger in a read-only tab');
  // The owner closes: the second tab takes the workspace over and resumes the trigger.
  await first.page.close();
  await second.page.waitForSelector('[data-mode=saved]');
  await second.page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("Trigger restored")', { timeout: 10000 });
  await second.page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Feed', Item: { Id: { S: 'a-2' } } }));
  await second.page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("saw a-2")', { timeout: 15000 });
  assert((await logLines(second.page, 'saw a-1')).length === 0, 'a-1 was processed by the first tab, not again');
  await second.w.check();
  await context.close();
});

await test('bad input: invalid and expired iterators, a handler that posts garbage — clear errors; the page, the engine and the trigger keep working', async () => {
  const context = await launch(tempDir('bad-input'));
  const { page, w } = await openApp(context, '?storage=memory');
  assert((await consoleSend(page, 'CreateTable', {
    TableName: 'Events', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })).ok, 'CreateTable');
  await page.click('.table-name:text("Events")');
  await page.waitForSelector('[data-testid=shard-tree] li');
  // An iterator that is not one: the console shows DynamoDB's error.
  let r = await consoleSend(page, 'GetRecords', { ShardIterator: 'not-an-iterator' });
  assert(!r.ok && /ValidationException/.test(r.body.__type) && /Invalid ShardIterator/.test(r.body.message), JSON.stringify(r.body));
  assert(/GetRecords failed/.test(await page.textContent('[data-testid=response-status]')), 'the status says it failed');
  assert(/Invalid ShardIterator/.test(await page.textContent('[data-testid=response]')), 'the response shows the message');
  // An expired one: 15 minutes of engine time later.
  const arn = (await page.evaluate(() => dynaplay.send('DescribeTable', { TableName: 'Events' }))).Table.LatestStreamArn;
  const shard = (await page.evaluate((a) => dynaplay.send('DescribeStream', { StreamArn: a }), arn)).StreamDescription.Shards[0].ShardId;
  r = await consoleSend(page, 'GetShardIterator', { StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' });
  assert(r.ok, JSON.stringify(r.body));
  const iterator = r.body.ShardIterator;
  // A handler that breaks the worker's own answer (it "posts garbage").
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => {\n  JSON.stringify = () => "garbage, not an answer";\n  return "done";\n};');
  await page.fill('[data-testid=trigger-timeout]', '2');
  await page.click('[data-testid=trigger-attach]');
  assert(/In memory only/.test(await page.textContent('[data-testid=trigger-kept]')), 'says it is not saved');
  await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Events', Item: { Id: { S: 'e-1' } } }));
  await page.waitForSelector('[data-testid=trigger-log] .log-error:has-text("not a result"):has-text("garbage, not an answer")', { timeout: 15000 });
  await page.waitForSelector('[data-testid=trigger-status].error-text:has-text("batch failing")');
  const get = await consoleSend(page, 'GetItem', { TableName: 'Events', Key: { Id: { S: 'e-1' } } });
  assert(get.ok && get.body.Item.Id.S === 'e-1', 'the engine answers while the batch fails');
  // Fixed: the next retry runs in a fresh worker and the batch goes through.
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => { console.log("got", event.Records.map((r) => r.dynamodb.Keys.Id.S).join(",")); return "ok"; };');
  await page.click('[data-testid=trigger-update]');
  await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("got e-1")', { timeout: 20000 });
  await page.waitForSelector('[data-testid=trigger-status].ok-text');
  // 16 minutes on: the console's iterator has expired, and so has the trigger's — which renews its own.
  assert((await consoleSend(page, 'PlaygroundAdvanceTime', { Milliseconds: 16 * 60 * 1000 })).ok, 'advance time');
  r = await consoleSend(page, 'GetRecords', { ShardIterator: iterator });
  assert(!r.ok && /ExpiredIteratorException/.test(r.body.__type) && /exceeds the maximum age/.test(r.body.message), JSON.stringify(r.body));
  await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Events', Item: { Id: { S: 'e-2' } } }));
  await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("got e-2")', { timeout: 15000 });
  assert((await logLines(page, 'got e-1')).length === 1, 'e-1 was processed once');
  await w.check();
  await context.close();
});

await test('shards run concurrently: slow invocations overlap across shards, and a failing batch holds only its shard', async () => {
  const context = await launch(tempDir('concurrency'));
  const { page, w } = await openApp(context, '?storage=memory');
  // On demand: 4 partitions, so 4 shards.
  const shards = await page.evaluate(async () => {
    await dynaplay.send('CreateTable', { TableName: 'Jobs', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
    for (let i = 0; i < 12; i++) await dynaplay.send('PutItem', { TableName: 'Jobs', Item: { Id: { S: `job-${i}` } } });
    await dynaplay.send('PutItem', { TableName: 'Jobs', Item: { Id: { S: 'poison' } } });
    const arn = (await dynaplay.send('DescribeTable', { TableName: 'Jobs' })).Table.LatestStreamArn;
    const d = await dynaplay.send('DescribeStream', { StreamArn: arn });
    return d.StreamDescription.Shards.length;
  });
  await page.click('.table-name:text("Jobs")');
  await page.fill('[data-testid=trigger-code]', [
    'exports.handler = async (event) => {',
    '  const ids = event.Records.map((r) => r.dynamodb.Keys.Id.S);',
    '  if (ids.includes("poison")) throw new Error("poison pill");',
    '  const began = Date.now();',
    '  await new Promise((resolve) => setTimeout(resolve, 800));',
    '  console.log("span " + began + " " + Date.now() + " " + ids.join(","));',
    '};'].join('\n'));
  await page.fill('[data-testid=trigger-batch]', '1');
  await page.click('[data-testid=trigger-attach]');
  // The poison was written last, so every job is ahead of it in its shard: all 12 get through
  // while the poisoned shard keeps failing.
  await page.waitForSelector('[data-testid=trigger-log] .log-error:has-text("poison pill")', { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=trigger-log] .log-line')].filter((l) => l.textContent.startsWith('span ')).length >= 12, null, { timeout: 60000 });
  const spans = (await logLines(page, 'span ')).map((l) => l.split(' ')).map(([, a, b, ids]) => ({ a: Number(a), b: Number(b), ids }));
  const log = await page.textContent('[data-testid=trigger-log]');
  assert(/poison pill/.test(log), 'the poisoned batch failed');
  assert(await page.$('[data-testid=trigger-status].error-text:has-text("batch failing")'), 'its shard is held');
  const processed = new Set(spans.flatMap((s) => s.ids.split(',')));
  assert(processed.size === 12 && !processed.has('poison'), `processed ${[...processed]}`);
  let most = 0;
  for (const s of spans) most = Math.max(most, spans.filter((t) => t.a < s.b && s.a < t.b).length);
  assert(most >= 2, `invocations overlapped at most ${most} at a time`);
  console.log(`     ${shards} shards: ${processed.size} of 12 jobs processed past a poisoned shard, up to ${most} invocations at once`);
  await w.check();
  await context.close();
});

await test('a stream with more than 100 shards: the shard tree shows every DescribeStream page, the trigger processes every shard', async () => {
  const context = await launch(tempDir('many-shards'));
  const { page, w } = await openApp(context, '?storage=memory');
  // ~1 KB items in 1 KB partitions: nearly every write splits a partition, and shards follow.
  const written = await page.evaluate(async () => {
    await dynaplay.send('PlaygroundUpdateSettings', { PartitionSizeLimitBytes: 1024 });
    await dynaplay.send('CreateTable', { TableName: 'Wide', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
    const arn = (await dynaplay.send('DescribeTable', { TableName: 'Wide' })).Table.LatestStreamArn;
    const keys = [];
    for (let i = 0; i < 400; i++) {
      const pk = `k${String(i).padStart(3, '0')}`;
      await dynaplay.send('PutItem', { TableName: 'Wide', Item: { pk: { S: pk }, pad: { S: 'x'.repeat(700) } } });
      keys.push(pk);
      if (i % 10 === 9 && (await dynaplay.send('DescribeStream', { StreamArn: arn })).StreamDescription.LastEvaluatedShardId && i > 100) break;
    }
    let shards = 0; let pages = 0; let start;
    do {
      const d = (await dynaplay.send('DescribeStream', { StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) })).StreamDescription;
      shards += d.Shards.length; pages++; start = d.LastEvaluatedShardId;
    } while (start);
    return { keys, shards, pages };
  });
  assert(written.shards > 100 && written.pages >= 2, JSON.stringify({ shards: written.shards, pages: written.pages }));
  await page.click('.table-name:text("Wide")');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=shard-tree] li').length === n, written.shards, { timeout: 15000 });
  assert((await page.textContent('[data-testid=shard-count]')).endsWith(`· ${written.shards}`), 'the count names every shard');
  await page.waitForFunction((n) => new RegExp(`of ${n} record`).test(document.querySelector('[data-testid=stream-count]').textContent), written.keys.length, { timeout: 20000 });
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => { console.log("keys " + event.Records.map((r) => r.dynamodb.Keys.pk.S).join(" ")); return event.Records.length; };');
  await page.fill('[data-testid=trigger-batch]', '1000');
  await page.click('[data-testid=trigger-attach]');
  const started = Date.now();
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=trigger-log] .log-line')]
    .filter((l) => l.textContent.startsWith('keys ')).reduce((s, l) => s + l.textContent.split(' ').length - 1, 0) >= n, written.keys.length, { timeout: 60000 });
  const seen = (await logLines(page, 'keys ')).flatMap((l) => l.split(' ').slice(1));
  assert(seen.length === written.keys.length && new Set(seen).size === seen.length, `${seen.length} processed, ${new Set(seen).size} distinct`);
  assert(written.keys.every((k) => seen.includes(k)), 'every record of every shard');
  console.log(`     ${written.shards} shards in ${written.pages} DescribeStream pages, ${written.keys.length} records processed in ${Date.now() - started} ms`);
  await page.locator('[data-testid=stream-viewer]').screenshot({ path: path.join(artifacts, '20-many-shards.png') });
  await w.check();
  await context.close();
});

await test('TTL panel: enable TTL, items about to expire, the sweeper removes an expired item with a TTL REMOVE record', async () => {
  const context = await launch(tempDir('ttl'));
  const { page, w } = await openApp(context, '?storage=memory');
  assert((await consoleSend(page, 'CreateTable', {
    TableName: 'Sessions', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })).ok, 'CreateTable');
  await page.click('.table-name:text("Sessions")');
  await page.click('[data-testid=enable-stream]');
  await page.waitForSelector('[data-testid=stream-viewer] code:has-text("arn:aws:dynamodb")');
  await page.fill('[data-testid=ttl-attribute]', 'expiresAt');
  await page.click('[data-testid=ttl-enable]');
  await page.waitForSelector('[data-testid=ttl-status]:has-text("expiresAt")');
  const now = Math.floor(Date.now() / 1000);
  for (const [id, at] of [['soon', now + 2], ['later', now + 3600]]) {
    assert((await consoleSend(page, 'PutItem', { TableName: 'Sessions', Item: { Id: { S: id }, expiresAt: { N: String(at) } } })).ok, 'PutItem');
  }
  await page.waitForSelector('[data-testid=ttl-items] li:has-text("Id=later"):has-text("expires in")');
  await page.waitForSelector('[data-testid=ttl-items] li:has-text("Id=soon")');
  // The sweeper deletes it a few seconds of engine time after expiry; a REMOVE record marked TTL.
  await page.waitForSelector('[data-testid=stream-records] details.record:has-text("REMOVE"):has-text("TTL")', { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=ttl-items]').textContent.includes('Id=soon'), null, { timeout: 15000 });
  await shot(page, '15-ttl-panel');
  await w.check();
  await context.close();
});

await test('Capacity view: a hot-key write workload on a low-WCU table throttles one partition; the charts draw it', async () => {
  const context = await launch(tempDir('capacity'));
  const { page, w } = await openApp(context, '?storage=memory');
  // A provisioned table with a low WCU, and a small partition size limit so its data splits.
  let r = await consoleSend(page, 'CreateTable', { TableName: 'Hot', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
  assert(r.ok, `CreateTable: ${JSON.stringify(r.body)}`);
  r = await consoleSend(page, 'PlaygroundUpdateSettings', { PartitionSizeLimitBytes: 4096 });
  assert(r.ok, `UpdateSettings: ${JSON.stringify(r.body)}`);
  await page.click('.table-name:text("Hot")');
  await page.click('[data-testid=tab-capacity]');
  await page.waitForSelector('[data-testid=partition-map] [data-testid=partition]');
  // Spread some items first (uniform), so the map has several partitions.
  await page.selectOption('[data-testid=workload-distribution]', 'UNIFORM');
  await page.fill('[data-testid=workload-rate]', '200');
  await page.fill('[data-testid=workload-keys]', '100');
  await page.click('[data-testid=workload-start]');
  await page.waitForSelector('[data-testid=workload-list] li.running');
  await page.click('[data-testid=time-pause]');
  await page.waitForSelector('[data-testid=time-pause]:text("Resume")');
  for (let i = 0; i < 5; i++) { await page.click('[data-testid=time-step]'); await page.waitForTimeout(60); }
  await page.click('[data-testid=workload-stop]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=workload-list] li.running'));
  // Then a single hot key, writes only, far above 5 WCU.
  await page.selectOption('[data-testid=workload-distribution]', 'HOT_KEY');
  await page.fill('[data-testid=workload-rate]', '400');
  await page.click('[data-testid=workload-start]');
  await page.waitForSelector('[data-testid=workload-list] li.running');
  for (let i = 0; i < 12; i++) { await page.click('[data-testid=time-step]'); await page.waitForTimeout(60); }
  await page.waitForSelector('[data-testid=partition][data-throttled=true]', { timeout: 5000 });
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-testid=chart-write]');
    return c && Number(c.dataset.points) >= 10 && Number(c.dataset.throttles) > 0 && c.querySelector('path.line').getAttribute('d').length > 20;
  }, null, { timeout: 5000 });
  const parts = await page.$$eval('[data-testid=partition-map] [data-testid=partition]', (ps) => ps.map((p) => [p.dataset.throttled, Number(p.dataset.heat)]));
  const hot = parts.filter(([t]) => t === 'true');
  assert(parts.length >= 2, `several partitions: ${JSON.stringify(parts)}`);
  assert(hot.length >= 1 && hot.length < parts.length, `one partition throttles, not all: ${JSON.stringify(parts)}`);
  assert(Math.max(...parts.map(([, h]) => h)) >= 1, `the hot partition is at its ceiling: ${JSON.stringify(parts)}`);
  const hotKey = await page.textContent('[data-testid=hot-accessed] li code');
  assert(hotKey === 'key-0', `hot key: ${hotKey}`);
  assert((await page.textContent('[data-testid=hot-throttled]')).includes('key-0'), 'key-0 is the most throttled');
  assert(await page.$('[data-testid=chart-write] path.provisioned'), 'provisioned line drawn');
  await page.waitForTimeout(300);
  await page.locator('[data-testid=partition-map]').screenshot({ path: path.join(artifacts, '10-partition-map.png') });
  await page.locator('[data-testid=capacity-view]').screenshot({ path: path.join(artifacts, '11-capacity-charts.png') });
  // Resume, 10×: engine time runs on; stop the workload.
  await page.click('[data-testid=time-pause]');
  await page.click('[data-testid=speed-10]');
  await page.waitForSelector('[data-testid=speed-10][aria-pressed=true]');
  await page.click('[data-testid=workload-stop]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=workload-list] li.running'));
  await w.check();
  await context.close();
});

// Issue 5's walkthrough, through the UI only: a table keyed on a low-cardinality attribute
// takes a single-hot-key workload; one partition saturates at its 1,000 WCU ceiling and requests
// throttle although the table has capacity to spare. Then a table keyed on a high-cardinality
// attribute takes the same write rate spread over many keys: the load spreads, nothing throttles.
await test('Capacity walkthrough: a poor partition key saturates one partition and throttles; a high-cardinality key spreads the load', async () => {
  const context = await launch(tempDir('walkthrough'));
  const { page, w } = await openApp(context, '?storage=memory');
  // 1,000 RCU + 2,000 WCU: three partitions (ceil(1000/3000 + 2000/1000)), 667 WCU a second each.
  const createTable = async (name, key) => {
    await page.click('[data-testid=open-create]');
    await page.fill('[data-testid=table-name]', name);
    await page.fill('[data-testid=partition-key]', key);
    await page.check('[data-testid=provisioned]');
    await page.fill('[data-testid=rcu]', '1000');
    await page.fill('[data-testid=wcu]', '2000');
    await page.click('[data-testid=create-submit]');
    await page.waitForSelector(`.table-name.current:text("${name}")`);
    await page.click('[data-testid=tab-capacity]');
    await page.waitForSelector(`[data-testid=capacity-view] h2:text("Capacity · ${name}")`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=partition-map] [data-testid=partition]').length === 3);
  };
  const startWorkload = async ({ keys, distinct }) => {
    await page.selectOption('[data-testid=workload-distribution]', keys);
    await page.fill('[data-testid=workload-rate]', '800');
    await page.fill('[data-testid=workload-reads]', '0');
    await page.fill('[data-testid=workload-size]', '2000'); // 2 WCU a write: 1,600 WCU a second
    await page.fill('[data-testid=workload-keys]', String(distinct));
    await page.click('[data-testid=workload-start]');
    await page.waitForSelector('[data-testid=workload-list] li.running');
  };
  const partitions = () => page.$$eval('[data-testid=partition-map] [data-testid=partition]',
    (ps) => ps.map((p) => ({ throttled: p.dataset.throttled === 'true', heat: Number(p.dataset.heat), title: p.title })));
  // Engine time flows at 10×: wait until the running workload has sent `n` requests.
  const sent = (n) => page.waitForFunction((n) => {
    const li = document.querySelector('[data-testid=workload-list] li.running');
    const m = li && li.textContent.match(/(\d+) requests/);
    return m && Number(m[1]) >= n;
  }, n, { timeout: 60000 });
  const workload = async () => {
    const text = await page.textContent('[data-testid=workload-list] li.running');
    const [, requests, throttled] = text.match(/(\d+) requests, (\d+) throttled/);
    return { requests: Number(requests), throttled: Number(throttled) };
  };

  // 1. The poor key: every order is written under one status value.
  await createTable('OrdersByStatus', 'status');
  await startWorkload({ keys: 'HOT_KEY', distinct: 3 });
  await page.click('[data-testid=speed-10]');
  await page.waitForSelector('[data-testid=speed-10][aria-pressed=true]');
  // Let 40 s of engine time flow (4 s at 10×), then watch the hot partition.
  await sent(800 * 40);
  await page.waitForSelector('[data-testid=partition][data-throttled=true]', { timeout: 10000 });
  let parts = await partitions();
  const hot = parts.filter((p) => p.throttled);
  assert(hot.length === 1, `exactly one partition throttles: ${JSON.stringify(parts)}`);
  assert(hot[0].heat >= 1, `the hot partition is at its ceiling: ${JSON.stringify(hot)}`);
  assert(/writes 1000 of/.test(hot[0].title), `the hot partition writes its 1,000 WCU ceiling: ${hot[0].title}`);
  assert(parts.filter((p) => !p.throttled).every((p) => p.heat === 0), `the other partitions idle: ${JSON.stringify(parts)}`);
  // Adaptive capacity isolated the hot item on a partition of its own: it still throttles.
  assert(parts.length > 3, `the hot item was isolated (a split): ${parts.length} partitions`);
  assert((await page.textContent('[data-testid=hot-accessed] li code')) === 'key-0', 'key-0 is the most accessed key');
  assert((await page.textContent('[data-testid=hot-throttled] li code')) === 'key-0', 'key-0 is the most throttled key');
  const poor = await workload();
  assert(poor.throttled > poor.requests / 5, `many requests throttle: ${JSON.stringify(poor)}`);
  const chart = await page.$eval('[data-testid=chart-write]', (c) => ({ ...c.dataset, caption: c.querySelector('figcaption').textContent }));
  assert(Number(chart.throttles) >= 20 && chart.caption.includes('provisioned 2000'), `throttle marks under a 2,000 WCU table: ${JSON.stringify(chart)}`);
  // Consumption (1,000 WCU) stays under provisioned (2,000): the scale keeps the line in view.
  assert(Number(chart.provisionedY) >= 20, `provisioned line readable: ${JSON.stringify(chart)}`);
  assert(Number(chart.burst) > 0, `the table still has burst capacity banked: ${JSON.stringify(chart)}`);
  await page.waitForTimeout(300); // let the bars' colour transition settle for the picture
  await page.locator('[data-testid=capacity-view]').screenshot({ path: path.join(artifacts, '16-walkthrough-hot-key.png') });
  await page.click('[data-testid=workload-stop]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=workload-list] li.running'));

  // 2. The fix: key orders by their id (high cardinality), same capacity, same write rate.
  await createTable('Orders', 'orderId');
  await startWorkload({ keys: 'UNIFORM', distinct: 2000 });
  await sent(800 * 40);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=partition-map] [data-testid=partition]')].every((p) => Number(p.dataset.heat) > 0.5));
  parts = await partitions();
  assert(parts.length === 3 && parts.every((p) => !p.throttled), `the load spreads over the three partitions, no throttling: ${JSON.stringify(parts)}`);
  assert(parts.every((p) => p.heat > 0.5 && p.heat < 1), `each partition busy but under its share: ${JSON.stringify(parts)}`);
  const good = await workload();
  assert(good.requests > 20000 && good.throttled === 0, `no request throttled: ${JSON.stringify(good)}`);
  assert(/None in the last minute/.test(await page.textContent('[data-testid=hot-throttled]')), 'no throttled keys');
  const spread = await page.$eval('[data-testid=chart-write]', (c) => ({ ...c.dataset }));
  assert(Number(spread.throttles) === 0, `no throttle marks: ${JSON.stringify(spread)}`);
  await page.waitForTimeout(300);
  await page.locator('[data-testid=capacity-view]').screenshot({ path: path.join(artifacts, '17-walkthrough-spread.png') });
  await page.click('[data-testid=workload-stop]');
  await page.click('[data-testid=speed-1]');
  await w.check();
  await context.close();
});

await test('Playground settings: changed in the Capacity view, journaled, still set after a reload', async () => {
  const context = await launch(tempDir('settings'));
  let { page, w } = await openApp(context);
  assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'the tab owns the workspace');
  const r = await consoleSend(page, 'CreateTable', { TableName: 'Tiny', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
  assert(r.ok, JSON.stringify(r.body));
  const open = async () => {
    await page.click('.table-name:text("Tiny")');
    await page.click('[data-testid=tab-capacity]');
    await page.waitForSelector('[data-testid=settings-summary]:has-text("partitions split at")');
    await page.click('[data-testid=settings-summary]');
  };
  await open();
  assert((await page.textContent('[data-testid=settings-summary]')).includes('partitions split at 10.0 GB · throttling on · TTL deletes 5 s after expiry · streams keep 4.0 MB'), 'defaults');
  await page.selectOption('[data-testid=setting-partition-size]', '16384');
  await page.waitForSelector('[data-testid=settings-summary]:has-text("split at 16.0 KB")');
  await page.uncheck('[data-testid=setting-throttling]');
  await page.waitForSelector('[data-testid=settings-summary]:has-text("throttling off")');
  await page.fill('[data-testid=setting-ttl-delay]', '30');
  await page.press('[data-testid=setting-ttl-delay]', 'Enter');
  await page.waitForSelector('[data-testid=settings-summary]:has-text("TTL deletes 30 s after expiry")');
  await page.selectOption('[data-testid=setting-stream-retention]', String(16 << 20));
  await page.waitForSelector('[data-testid=settings-summary]:has-text("streams keep 16.0 MB")');
  await page.locator('[data-testid=playground-settings]').screenshot({ path: path.join(artifacts, '18-playground-settings.png') });
  // A bad value is refused with a message; nothing is sent.
  await page.fill('[data-testid=setting-ttl-delay]', 'soon');
  await page.press('[data-testid=setting-ttl-delay]', 'Enter');
  await page.waitForSelector('[data-testid=settings-error]:has-text("whole number")');
  const engine = await page.evaluate(() => dynaplay.send('PlaygroundDescribeSettings', {}));
  assert(engine.Settings.PartitionSizeLimitBytes === 16384 && engine.Settings.ThrottlingEnabled === false
    && engine.Settings.TtlDeletionDelayMilliseconds === 30000 && engine.Settings.StreamRetentionBytes === 16 << 20, JSON.stringify(engine));
  // Reload: the journal replays the settings changes.
  await page.reload();
  await page.waitForSelector('.table-name:text("Tiny")');
  await open();
  const summary = await page.textContent('[data-testid=settings-summary]');
  assert(summary.includes('partitions split at 16.0 KB · throttling off · TTL deletes 30 s after expiry · streams keep 16.0 MB'), `after reload: ${summary}`);
  assert(await page.inputValue('[data-testid=setting-stream-retention]') === String(16 << 20), 'the menu shows the stream size cap');
  assert(!(await page.isChecked('[data-testid=setting-throttling]')), 'the checkbox shows throttling off');
  const stats = await page.evaluate(() => dynaplay.stats());
  assert(stats.replayed >= 5, `settings replayed from the journal: ${JSON.stringify(stats)}`);
  // And they travel in an exported workspace.
  const exported = JSON.parse(await page.evaluate(() => dynaplay.exportWorkspace()));
  assert(JSON.stringify(exported.settings) === JSON.stringify({ PartitionSizeLimitBytes: 16384, StreamRetentionBytes: 16 << 20, ThrottlingEnabled: false, TtlDeletionDelayMilliseconds: 30000 }), JSON.stringify(exported.settings));
  await w.check();
  await context.close();
});

await test('workload writes survive a reload (snapshot checkpoints); a read-only tab cannot start a workload', async () => {
  const context = await launch(tempDir('workload-save'));
  let { page, w } = await openApp(context);
  assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'the tab owns the workspace');
  const count = () => page.evaluate(async () => {
    let n = 0; let start;
    do {
      const r = await dynaplay.send('Scan', { TableName: 'Flow', Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) });
      n += r.Count; start = r.LastEvaluatedKey;
    } while (start);
    return n;
  });
  const runWorkload = (seed) => page.evaluate(async (seed) => {
    const { WorkloadId } = await dynaplay.send('PlaygroundStartWorkload', { TableName: 'Flow', Distribution: 'UNIFORM',
      KeyCount: 400, RequestsPerSecond: 200, ReadRatio: 0, Seed: seed });
    await new Promise((r) => setTimeout(r, 1200));
    await dynaplay.send('ListTables', {}); // moves engine time: the workload writes
    await dynaplay.send('PlaygroundStopWorkload', { WorkloadId });
  }, seed);
  await page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Flow', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));

  // 1. Workload traffic alone is saved within a couple of seconds (no request needed).
  await runWorkload(1);
  const first = await count();
  assert(first > 50, `the workload wrote items: ${first}`);
  await page.waitForTimeout(2200);
  await page.evaluate(() => dynaplay.send('ListTables', {}));
  await page.waitForFunction(() => dynaplay.stats().unacknowledged === 0);
  await page.reload();
  await page.waitForSelector('[data-mode=saved]');
  assert(await count() === first, `after a reload: ${first} items expected`);

  // 2. A request right after workload traffic is journaled on top of a snapshot of it.
  await runWorkload(2);
  await page.evaluate(() => dynaplay.send('PutItem', { TableName: 'Flow', Item: { pk: { S: 'mine' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
  const second = await count();
  assert(second > first, `more items after the second workload: ${second} vs ${first}`);
  await page.reload();
  await page.waitForSelector('[data-mode=saved]');
  assert(await count() === second, `after the second reload: ${second} items expected`);
  const mine = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Flow', Key: { pk: { S: 'mine' } } }));
  assert(mine.Item && mine.Item.pk.S === 'mine', 'the acknowledged PutItem is there');

  // 3. A second tab is read-only: its copy of the engine must not run workloads.
  const other = await context.newPage();
  await other.goto(page.url());
  await other.waitForSelector('[data-mode=read-only]');
  const refused = await other.evaluate(() => dynaplay.send('PlaygroundStartWorkload', { TableName: 'Flow', RequestsPerSecond: 10 }).then(() => 'started', (e) => e.name));
  assert(refused === 'AccessDeniedException', refused);
  await w.check();
  await context.close();
});

await test('navigation: the URL hash keeps the table, its tab and its panel across a reload, the back button and a copied link', async () => {
  const context = await launch(tempDir('routes'));
  let { page, w } = await openApp(context);
  await page.evaluate(async () => {
    for (const name of ['Alpha', 'Beta.v-2']) {
      await dynaplay.send('CreateTable', { TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    }
  });
  const hash = () => page.evaluate(() => location.hash);
  const capacityOf = (name) => page.waitForSelector(`[data-testid=capacity-view] h2:text("Capacity · ${name}")`);
  const itemsOf = (name) => page.waitForSelector(`#explorer-title:text("Items · ${name}")`);
  await page.click('.table-name:text("Alpha")');
  await itemsOf('Alpha');
  assert(await hash() === '#/tables/Alpha', await hash());
  await page.click('[data-testid=tab-capacity]');
  await capacityOf('Alpha');
  assert(await hash() === '#/tables/Alpha/capacity', await hash());
  // A reload keeps the table and the tab.
  await page.reload();
  await capacityOf('Alpha');
  assert(await page.getAttribute('[data-testid=tab-capacity]', 'aria-selected') === 'true', 'the Capacity tab is the selected one');
  // Another table opens in the same tab; back returns to the previous place, step by step.
  await page.click('.table-name:text("Beta.v-2")');
  await capacityOf('Beta.v-2');
  assert(await hash() === '#/tables/Beta.v-2/capacity', await hash());
  await page.goBack();
  await capacityOf('Alpha');
  await page.goBack();
  await itemsOf('Alpha');
  await page.goBack();
  await page.waitForSelector('.welcome');
  await page.goForward();
  await itemsOf('Alpha');
  // A panel's heading links to it.
  await page.click('[data-testid=trigger-panel] h2 a');
  assert(await hash() === '#/tables/Alpha/items/trigger', await hash());
  await w.check();
  const link = `${url}/#/tables/Beta.v-2/items/ttl`;
  await page.close();
  // A copied link opens the table scrolled to its panel.
  ({ page, w } = await openApp(context, '#/tables/Beta.v-2/items/ttl'));
  assert(page.url() === link, page.url());
  await itemsOf('Beta.v-2');
  await page.waitForSelector('[data-testid=ttl-panel]');
  await page.waitForTimeout(600);
  // The panel sits in the side column beside the items (which scrolls on its own), or below
  // them on a narrow screen: either way it was scrolled to — at the top of the window, or as
  // near as the column's length allows — and its first lines are in view.
  const at = await page.$eval('#panel-ttl', (el) => {
    const side = el.closest('.side-col');
    const scroller = side && side.scrollHeight > side.clientHeight ? side : document.documentElement;
    return { top: el.getBoundingClientRect().top, scrolled: scroller.scrollTop,
      rest: scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop, height: innerHeight };
  });
  assert(at.scrolled > 0 && at.top > -5 && at.top < at.height - 100 && (at.top < 50 || at.rest <= 2),
    `the TTL panel is scrolled into view: ${JSON.stringify(at)}`);
  await shot(page, '20-link-to-a-panel');
  // Hashes that name nothing — mistyped, a broken escape — show the welcome view.
  for (const bad of ['#/tables/%zz', '#/nowhere', '#/tables/Alpha/charts', '#%']) {
    await page.goto(`${url}/${bad}`);
    await page.waitForSelector('.welcome');
  }
  await w.check();
  await context.close();
});

await (await import('./faults.mjs')).faults({ test, assert, url, openApp, shot }); // issue 12's fault tests
// Suites kept in their own files (one per feature), each handed the harness above.
const harness = { test, assert, shot, openApp, consoleSend, launch, tempDir, watch, url, dist, artifacts };
for (const suite of ['editor.mjs', 'datasets.mjs', 'sandbox.mjs', 'learner.mjs', 'explain.mjs', 'consistency.mjs', 'labs.mjs', 'practice.mjs', 'embed.mjs', 'cli.mjs', 'workspaces.mjs', 'design.mjs', 'exports.mjs', 'vectors.mjs', 'regions.mjs', 'dax.mjs', 'backups.mjs', 'access.mjs', 'scaling.mjs', 'full_engine.mjs', 'endpoint.mjs', 'a11y.mjs']) await (await import(`./${suite}`)).default(harness);

server.close();
const passed = results.filter((r) => r[1]).length;
const failed = results.length - passed;
console.log(`screenshots: ${artifacts}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
