// End-to-end tests of dynaplay served from anywhere (issue 14), registered by run.mjs: the
// built app from a sub-path of a static host (relative URLs throughout, the on-demand module and
// the content files included), and the app in a cross-site frame whose browser denies it
// storage, which must fall back to an in-memory workspace and say so instead of hanging.
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './lib.mjs';

export default async function embed({ test, assert, openApp, launch, tempDir, dist, shot }) {
  // A static host whose site has the app at /some/sub/path/ and an unrelated page at its root.
  const root = tempDir('subpath-root');
  fs.mkdirSync(path.join(root, 'some', 'sub'), { recursive: true });
  fs.symlinkSync(dist, path.join(root, 'some', 'sub', 'path'));
  const { server, url } = await serve([root]);
  const port = new URL(url).port;
  const app = `${url}/some/sub/path/`;

  await test('served from a sub-path: the app, its on-demand module and its content files load from /some/sub/path/', async () => {
    const context = await launch(tempDir('subpath'));
    const page = await context.newPage();
    const missing = [];
    page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
    await page.goto(app);
    await page.waitForSelector('[data-mode=saved]');
    await page.evaluate(() => { location.hash = '#/labs'; });
    await page.waitForSelector('[data-testid=lab-first-table]');
    const datasets = await page.evaluate(async () => (await dynaplay.datasets()).length);
    assert(datasets >= 6, `the datasets' index from the sub-path: ${datasets}`);
    assert(missing.length === 0, `nothing missing: ${missing.join(', ')}`);
    const outside = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name)
      .filter((n) => !n.includes('/some/sub/path/')));
    assert(outside.length === 0, `every file from under the sub-path: ${outside.join(', ')}`);
    await context.close();
  });

  await test('a cross-site frame denied storage: an in-memory workspace that says so, not "Loading…" forever', async () => {
    // The parent page is another site (parent.test); the frame is the app. Chromium's blocked
    // third-party storage is reproduced in the frame: reading indexedDB and using Web Locks
    // throw SecurityError there, as they do for a denied frame.
    fs.writeFileSync(path.join(root, 'host.html'),
      `<!doctype html><title>A docs page</title><h1>Docs</h1><iframe id="app" src="${app}" width="1000" height="700"></iframe>`);
    const context = await launch(tempDir('crosssite'), [`--host-resolver-rules=MAP parent.test 127.0.0.1`]);
    await context.addInitScript(() => {
      if (window === window.top) return;
      const denied = () => { throw new DOMException('Access is denied for this document.', 'SecurityError'); };
      Object.defineProperty(window, 'indexedDB', { configurable: true, get: denied });
      Object.defineProperty(window, 'localStorage', { configurable: true, get: denied });
      if (navigator.locks) Object.defineProperty(navigator.locks, 'request', { configurable: true, value: denied });
    });
    const page = await context.newPage();
    await page.goto(`http://parent.test:${port}/host.html`);
    const frame = page.frameLocator('#app');
    await frame.locator('[data-mode=memory]').waitFor({ timeout: 30000 });
    const banner = await frame.locator('[data-testid=mode-banner]').textContent();
    assert(banner.includes('denies storage') && banner.includes('in memory'), banner);
    // The workspace works, in memory.
    const handle = page.frames().find((f) => f.url().startsWith(app));
    const tables = await handle.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Docs', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] });
      return (await dynaplay.send('ListTables', {})).TableNames;
    });
    assert(JSON.stringify(tables) === '["Docs"]', JSON.stringify(tables));
    await shot(page, 'embed-01-denied-frame');
    await context.close();
  });

  await test('embed.js: the example docs page\'s snippets run against one in-page DynamoDB, seeded, never the saved one', async () => {
    const context = await launch(tempDir('docs-page'));
    // The learner's saved workspace on the same site, which the docs page must not touch.
    const { page: mine } = await openApp(context);
    await mine.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Mine', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${app}docs-example.html`);
    await page.evaluate(() => window.dynaplayEmbed.ready);
    const runnable = Date.now() - started;
    const output = async (id) => {
      const box = page.locator(`.dynaplay-snippet:has(#${id})`);
      await box.locator('button').click();
      await page.waitForFunction((id) => {
        const out = document.querySelector(`#${id}`).parentElement.querySelector('.dynaplay-output');
        return out && !out.hidden && out.textContent !== 'Running…';
      }, id);
      return box.locator('.dynaplay-output').textContent();
    };
    const put = await output('put');
    assert(put.includes('"CapacityUnits": 1'), put);
    const query = JSON.parse(await output('query'));
    assert(query.Count === 2 && query.Items[0].SongTitle.S === 'Harbour Lights', JSON.stringify(query));
    const partiql = JSON.parse(await output('partiql'));
    assert(partiql.Items.length === 2, JSON.stringify(partiql));
    const js = await output('js');
    assert(js === '3 songs, 0.5 read units', js);
    // The AWS CLI snippet answers as the CLI prints it (four spaces, the model's member order).
    const cli = await output('cli');
    assert(cli.startsWith('{\n    "Item": {\n') && cli.includes('"S": "Paper Moons"'), cli);
    // A bad request gets DynamoDB's error in the panel.
    await page.evaluate(() => { document.querySelector('#query').textContent = '{"op": "Query", "request": {"TableName": "Nope", "KeyConditionExpression": "a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}}'; });
    const refused = await output('query');
    assert(refused.startsWith('ResourceNotFoundException:'), refused);
    await shot(page, 'embed-02-docs-page');
    // The iframe view is the console alone, in memory.
    const view = page.frameLocator('#console');
    await view.locator('[data-testid=send]').waitFor();
    assert(!(await view.locator('header.header').isVisible()), 'no header in the console layout');
    assert(await view.locator('[data-mode=memory]').count() === 1, 'the view runs in memory');
    // The learner's own workspace is untouched.
    const tables = await mine.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);
    assert(JSON.stringify(tables) === '["Mine"]', JSON.stringify(tables));
    console.log(`     docs page load → first snippet runnable: ${runnable} ms`);
    await context.close();
  });

  server.close();
}
