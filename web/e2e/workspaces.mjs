// End-to-end tests of workspaces and share links (issue 14), registered by run.mjs: create,
// rename, switch, duplicate and delete workspaces (each an IndexedDB database of its own); a
// share link made in one browser opens in a new workspace of another after its summary is
// confirmed; hostile links (truncated, malformed, an inflation bomb, markup in names, not a
// workspace) are refused with a clear error and change nothing.
import zlib from 'node:zlib';

const link = (base, text) => `${base}/#/share/${zlib.deflateRawSync(Buffer.from(text)).toString('base64url')}`;
const music = { TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }] };

export default async function workspaces({ test, assert, openApp, launch, tempDir, url, shot }) {
  const tables = (page) => page.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);
  const settle = async (page) => { await page.waitForLoadState(); await page.waitForSelector('[data-mode=saved]'); };

  await test('workspaces: create, rename, switch, duplicate and delete — each keeps its own tables', async () => {
    const context = await launch(tempDir('workspaces'));
    const { page, w } = await openApp(context);
    await page.evaluate((t) => dynaplay.send('CreateTable', t), music);
    await page.click('[data-testid=nav-workspaces]');
    await page.waitForSelector('[data-testid=workspaces]');
    await page.fill('[data-testid=workspace-name]', 'Second');
    await page.click('[data-testid=workspace-create]');
    await page.waitForURL(/\?ws=[a-z0-9]+#\/$/);
    await settle(page);
    assert(JSON.stringify(await tables(page)) === '[]', 'a new workspace is empty');
    assert((await page.textContent('[data-testid=nav-workspaces]')) === 'Second', 'the header names it');
    // Rename it, then back to the first: Music is there.
    page.once('dialog', (d) => d.accept('Scratch'));
    await page.click('[data-testid=nav-workspaces]');
    await page.click('li:has-text("Second") [data-testid=workspace-rename]');
    await page.waitForSelector('li:has-text("Scratch")');
    await page.click('[data-testid=workspace-first] [data-testid=workspace-open]');
    await page.waitForURL((u) => !u.search.includes('ws='));
    await settle(page);
    assert(JSON.stringify(await tables(page)) === '["Music"]', 'the first workspace kept its table');
    // Duplicate it: the copy opens with the same table.
    await page.click('[data-testid=nav-workspaces]');
    await page.click('[data-testid=workspace-duplicate]');
    await page.waitForURL(/\?ws=/);
    await settle(page);
    await page.waitForFunction(async () => (await dynaplay.send('ListTables', {})).TableNames.length === 1);
    assert((await page.textContent('[data-testid=nav-workspaces]')) === 'My workspace (copy)', 'the copy is named');
    // Delete "Scratch" from here: gone from the list.
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=nav-workspaces]');
    await page.click('li:has-text("Scratch") [data-testid=workspace-delete]');
    await page.waitForSelector('li:has-text("Scratch")', { state: 'detached' });
    await shot(page, 'workspaces-01-list');
    await w.check();
    await context.close();
  });

  await test('share by link: the link opens, after its summary, in a new workspace of another browser', async () => {
    const context = await launch(tempDir('share-from'));
    const { page } = await openApp(context);
    await page.evaluate(async (t) => {
      await dynaplay.send('CreateTable', t);
      await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina' } } });
      await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Miles' } } });
    }, music);
    await page.click('[data-testid=nav-workspaces]');
    await page.click('[data-testid=share-make]');
    const shared = await page.inputValue('[data-testid=share-link]');
    assert(shared.includes('#/share/') && shared.length < 2000, shared);
    await context.close();

    const other = await launch(tempDir('share-to'));
    const { page: there } = await openApp(other);
    await there.evaluate((t) => dynaplay.send('CreateTable', { ...t, TableName: 'Mine' }), music);
    await there.goto(shared);
    await there.waitForSelector('[data-testid=share-summary]');
    const said = await there.textContent('[data-testid=share-summary]');
    assert(said === 'This link holds 1 table (Music), 2 items.', said);
    await shot(there, 'workspaces-02-share-summary');
    await there.click('[data-testid=share-open]');
    await there.waitForURL(/\?ws=/);
    await settle(there);
    await there.waitForFunction(async () => (await dynaplay.send('ListTables', {})).TableNames.join() === 'Music');
    const count = await there.evaluate(async () => (await dynaplay.send('Scan', { TableName: 'Music', Select: 'COUNT' })).Count);
    assert(count === 2, `items: ${count}`);
    // The receiver's own workspace is as it was.
    await there.goto(`${url}/`);
    await settle(there);
    assert(JSON.stringify(await tables(there)) === '["Mine"]', 'the first workspace untouched');
    await other.close();
  });

  await test('share by link: hostile links are refused with a clear error and change nothing', async () => {
    const context = await launch(tempDir('share-hostile'));
    const { page, w } = await openApp(context);
    await page.evaluate((t) => dynaplay.send('CreateTable', t), music);
    const good = link(url, JSON.stringify({ format: 'dynaplay-workspace', version: 1, tables: [] }));
    const cases = [
      ['truncated', good.slice(0, good.length - 6), /damaged or cut short/],
      ['malformed', `${url}/#/share/%3Cscript%3E`, /not a dynaplay share link/],
      ['an inflation bomb', link(url, ' '.repeat(9 * 1024 * 1024)), /larger than 8388608 bytes/],
      ['not JSON', link(url, 'hello'), /not a workspace \(not JSON\)/],
      ['another document', link(url, JSON.stringify({ format: 'something-else', tables: [] })), /not a dynaplay workspace/],
    ];
    for (const [what, href, expected] of cases) {
      await page.goto(href);
      await page.waitForSelector('[data-testid=share-error]');
      const error = await page.textContent('[data-testid=share-error]');
      assert(expected.test(error) && error.includes('Nothing was changed'), `${what}: ${error}`);
      assert(!(await page.$('[data-testid=share-open]')), `${what}: nothing to open`);
    }
    // Markup in a table name is shown as text; opening it is refused by the import, and the new
    // workspace stays empty.
    const evil = '<img src=x onerror=alert(1)>';
    await page.goto(link(url, JSON.stringify({ format: 'dynaplay-workspace', version: 1, tables: [{ TableName: evil }] })));
    await page.waitForSelector('[data-testid=share-summary]');
    assert((await page.textContent('[data-testid=share-summary]')).includes(evil), 'the name as text');
    assert(!(await page.$('[data-testid=share] img')), 'never markup');
    const refused = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.message()); d.accept(); }));
    await page.click('[data-testid=share-open]');
    const message = await refused;
    assert(/could not be loaded: .*Validation/i.test(message), message);
    await settle(page);
    assert(JSON.stringify(await tables(page)) === '[]', 'nothing loaded');
    await page.goto(`${url}/`);
    await settle(page);
    assert(JSON.stringify(await tables(page)) === '["Music"]', 'the first workspace untouched');
    await w.check();
    await context.close();
  });

  await test('workspaces: an imported file opens in a new workspace unless the learner chooses to replace', async () => {
    const context = await launch(tempDir('import-new'));
    const { page, w } = await openApp(context);
    await page.evaluate((t) => dynaplay.send('CreateTable', { ...t, TableName: 'Mine' }), music);
    const file = { name: 'orders.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'dynaplay-workspace', version: 1,
      tables: [{ ...music, TableName: 'Orders', Items: [{ Artist: { S: 'a' } }] }] })) };
    page.once('dialog', (d) => { assert(d.message().includes('orders.json'), d.message()); d.accept(); });
    await page.setInputFiles('header input[type=file]', file);
    await page.waitForURL(/\?ws=/);
    await settle(page);
    await page.waitForFunction(async () => (await dynaplay.send('ListTables', {})).TableNames.join() === 'Orders');
    assert((await page.textContent('[data-testid=nav-workspaces]')) === 'orders', 'named after the file');
    await page.goto(`${url}/`);
    await settle(page);
    assert(JSON.stringify(await tables(page)) === '["Mine"]', 'the first workspace untouched');
    // Cancel replaces this workspace's tables instead.
    page.once('dialog', (d) => d.dismiss());
    await page.setInputFiles('header input[type=file]', file);
    await page.waitForFunction(async () => (await dynaplay.send('ListTables', {})).TableNames.join() === 'Orders');
    await w.check();
    await context.close();
  });
}
