// Global tables in the page (issue 17, item 2): dynaplay.send with {region}, and the Regions
// view (#/regions, in the module loaded on demand) — a table made global from its form, a
// write in one Region arriving in the other after the replication delay, two Regions racing
// on one item and the conflict drawn with who won, a Region taken offline and brought back.
// The playground clock is paused and stepped, so the figures do not depend on this machine.

export default async function ({ test, assert, shot, openApp, launch, tempDir }) {
  await test('Regions view: a replica made from the form, replication lag, last writer wins, an outage and convergence', async () => {
    const context = await launch(tempDir('regions'));
    // The full engine (global tables, DAX: web/src/host/engines.rs), as its view's button asks.
    await context.addInitScript(() => { try { localStorage.setItem('dynaplay.engine', 'full'); } catch (_) { /* a sandboxed frame */ } });
    const { page, w } = await openApp(context);
    assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())) === true, 'the full engine runs');
    const send = (op, request, region) => page.evaluate(([op, request, region]) =>
      dynaplay.send(op, request, region ? { region } : undefined).then((r) => ({ ok: true, r }), (e) => ({ ok: false, e: e.name, m: e.message })),
    [op, request, region]);
    const advance = (ms) => send('PlaygroundAdvanceTime', { Milliseconds: ms });
    assert((await send('PlaygroundUpdateTime', { Paused: true })).ok, 'the clock pauses');
    const created = await send('CreateTable', { TableName: 'Profiles', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'UserId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'UserId', AttributeType: 'S' }] });
    assert(created.ok, JSON.stringify(created));
    // A table exists only in its Region.
    const elsewhere = await send('DescribeTable', { TableName: 'Profiles' }, 'us-west-2');
    assert(!elsewhere.ok && elsewhere.e === 'ResourceNotFoundException', JSON.stringify(elsewhere));

    await page.click('[data-testid=nav-regions]');
    await page.waitForSelector('[data-testid=regions-none]');
    assert(await page.evaluate(() => location.hash) === '#/regions', 'the view has its own address');
    await page.selectOption('[data-testid=make-global-table]', 'Profiles');
    await page.selectOption('[data-testid=make-global-region]', 'us-west-2');
    await page.click('[data-testid=make-global-submit]');
    await page.waitForSelector('[data-testid=replica-us-west-2]');
    const replicaStatus = () => page.$eval('[data-testid=replica-us-west-2]', (r) => r.cells[1].textContent);
    assert(await replicaStatus() === 'CREATING', await replicaStatus());
    await advance(10000);
    await page.waitForFunction(() => document.querySelector('[data-testid=replica-us-west-2]').cells[1].textContent === 'ACTIVE');
    const west = await send('DescribeTable', { TableName: 'Profiles' }, 'us-west-2');
    assert(west.ok && west.r.Table.Replicas[0].RegionName === 'us-east-1', JSON.stringify(west));

    // A write in us-east-1, read in us-west-2 before and after the delay.
    const item = (name) => JSON.stringify({ UserId: { S: 'u1' }, Name: { S: name } });
    const writeIn = async (region, op, name) => {
      await page.selectOption('[data-testid=regions-write-region]', region);
      await page.fill('[data-testid=regions-item]', item(name));
      await page.click(`[data-testid=regions-${op}]`);
    };
    const said = async (text) => {
      await page.waitForFunction((t) => (document.querySelector('[data-testid=regions-said]') || {}).textContent?.includes(t), text);
      return page.textContent('[data-testid=regions-said]');
    };
    await writeIn('us-east-1', 'put', 'Ana (east)');
    await said('PutItem in us-east-1');
    await page.waitForSelector('[data-testid=flight]');
    const flight = await page.textContent('[data-testid=flight]');
    assert(flight.startsWith('us-east-1 → us-west-2: write of UserId=u1') && flight.includes('arrives in'), flight);
    await writeIn('us-west-2', 'get', 'Ana (east)');
    await said('no such item there (yet)');
    await advance(1000);
    await writeIn('us-west-2', 'get', 'Ana (east)');
    await said('Ana (east)');

    // Two Regions write u1 within the delay: last writer wins, the same in both.
    await writeIn('us-east-1', 'put', 'Ana (east) again');
    await said('PutItem in us-east-1');
    await advance(200);
    await writeIn('us-west-2', 'put', 'Ana (west)');
    await said('PutItem in us-west-2');
    await advance(1000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=conflict]').length === 2);
    const conflicts = await page.$$eval('[data-testid=conflict]', (c) => c.map((x) => x.textContent));
    assert(conflicts.every((c) => c.includes("us-west-2's write (+200 ms) won over us-east-1's (+0 ms)")), conflicts.join('\n'));
    for (const region of ['us-east-1', 'us-west-2']) {
      const got = await send('GetItem', { TableName: 'Profiles', Key: { UserId: { S: 'u1' } }, ConsistentRead: true }, region);
      assert(got.ok && got.r.Item.Name.S === 'Ana (west)', `${region}: ${JSON.stringify(got)}`);
    }
    await shot(page, '80-regions-conflict');

    // us-west-2 offline: a write waits, then flows when it is back.
    await page.click('[data-testid=region-toggle-us-west-2]');
    await page.waitForFunction(() => document.querySelector('[data-testid=region-us-west-2]').cells[2].textContent === 'offline');
    const put = await send('PutItem', { TableName: 'Profiles', Item: { UserId: { S: 'u3' }, Name: { S: 'Cy' } } });
    assert(put.ok, JSON.stringify(put));
    await advance(3000);
    await page.waitForFunction(() => document.querySelector('[data-testid=replica-lag-us-west-2]').textContent === '1 write waiting (Region offline)');
    assert((await page.textContent('[data-testid=flight]')).includes('waiting for a Region to come back'), 'the write waits');
    const missing = await send('GetItem', { TableName: 'Profiles', Key: { UserId: { S: 'u3' } }, ConsistentRead: true }, 'us-west-2');
    assert(missing.ok && !missing.r.Item, JSON.stringify(missing));
    await shot(page, '81-regions-offline');
    await page.click('[data-testid=region-toggle-us-west-2]');
    await page.waitForFunction(() => document.querySelector('[data-testid=replica-lag-us-west-2]').textContent === 'up to date');
    const arrived = await send('GetItem', { TableName: 'Profiles', Key: { UserId: { S: 'u3' } }, ConsistentRead: true }, 'us-west-2');
    assert(arrived.ok && arrived.r.Item.Name.S === 'Cy', JSON.stringify(arrived));

    // A reload keeps the other Region's replica and its items (IndexedDB: snapshot + journal).
    await page.reload();
    await page.waitForSelector('[data-testid=regions]');
    const kept = await send('GetItem', { TableName: 'Profiles', Key: { UserId: { S: 'u1' } }, ConsistentRead: true }, 'us-west-2');
    assert(kept.ok && kept.r.Item.Name.S === 'Ana (west)', JSON.stringify(kept));
    await w.check();
    await context.close();
  });
}
