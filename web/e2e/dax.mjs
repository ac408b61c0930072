// DAX in the page (issue 17, item 3): requests through a simulated cluster from the JS API
// (`dynaplay.send(op, request, {dax})`), the AWS SDK v3 (`dynaplay.requestHandler({dax})`) and the
// console's "Through DAX" field, whose exchange view says how the cluster served each one; and
// the DAX view (#/dax, loaded on demand): hit ratio, cached items with their time left, the
// entry a write that bypassed DAX left stale, and a cluster made from its form.

export default async function ({ test, assert, shot, openApp, consoleSend, launch, tempDir }) {
  await test('DAX: hits and misses through the JS API, the SDK and the console; the DAX view marks a stale entry', async () => {
    const context = await launch(tempDir('dax'));
    // The full engine (global tables, DAX: web/src/host/engines.rs), as its view's button asks.
    await context.addInitScript(() => { try { localStorage.setItem('dynaplay.engine', 'full'); } catch (_) { /* a sandboxed frame */ } });
    const { page, w } = await openApp(context);
    assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())) === true, 'the full engine runs');
    await page.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Users', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] });
      await dynaplay.send('PutItem', { TableName: 'Users', Item: { id: { S: 'u1' }, name: { S: 'Ada' } } });
      await dynaplay.send('CreateCluster', { ClusterName: 'c1', NodeType: 'dax.t3.small', ReplicationFactor: 1,
        IamRoleArn: 'arn:aws:iam::000000000000:role/DAXServiceRole' });
    });

    // The JS API: DynamoDB's answer, and how the cluster served it as `$dax`.
    const js = await page.evaluate(async () => {
      const get = { TableName: 'Users', Key: { id: { S: 'u1' } }, ReturnConsumedCapacity: 'TOTAL' };
      const first = await dynaplay.send('GetItem', get, { dax: 'c1' });
      const second = await dynaplay.send('GetItem', get, { dax: 'c1' });
      const strong = await dynaplay.send('GetItem', { ...get, ConsistentRead: true }, { dax: 'c1' });
      let refused = null;
      try { await dynaplay.send('GetItem', get, { dax: 'nope' }); } catch (e) { refused = e.name; }
      return { first: first.$dax, second: second.$dax, item: second.Item, text: JSON.stringify(second),
        capacity: second.ConsumedCapacity.CapacityUnits, strong: strong.$dax.outcome, refused };
    });
    assert(js.first.outcome === 'MISS' && js.second.outcome === 'HIT' && js.second.cache === 'ITEM', JSON.stringify(js));
    assert(js.second.latencyMicroseconds < 1000 && js.first.latencyMicroseconds >= 1000, JSON.stringify(js));
    assert(js.item.name.S === 'Ada' && js.capacity === 0 && !js.text.includes('$dax') && !js.text.includes('Outcome'), JSON.stringify(js));
    assert(js.strong === 'PASS_THROUGH' && js.refused === 'ClusterNotFoundFault', JSON.stringify(js));

    // The AWS SDK for JavaScript v3, its client bound to the cluster by the request handler.
    await page.addScriptTag({ url: '/sdk-test.js' });
    const sdk = await page.evaluate(() => window.runSdkDaxTest('c1'));
    assert(sdk.name === 'Ada' && sdk.hitsAfter === sdk.hitsBefore + 2, JSON.stringify(sdk));

    // The console: "Through DAX", and the exchange view's line.
    await page.fill('[data-testid=dax-through]', 'c1');
    const sent = await consoleSend(page, 'GetItem', { TableName: 'Users', Key: { id: { S: 'u1' } } });
    assert(sent.ok && sent.body.Item.name.S === 'Ada' && !('Outcome' in sent.body), JSON.stringify(sent.body));
    const line = await page.textContent('[data-testid=dax]');
    assert(line.startsWith('DAX c1: item cache hit') && line.includes('200 µs'), line);

    // The trap: a write straight to the table; the cluster keeps the old item.
    await page.fill('[data-testid=dax-through]', '');
    assert((await consoleSend(page, 'PutItem', { TableName: 'Users', Item: { id: { S: 'u1' }, name: { S: 'Grace' } } })).ok, 'the bypassing write');
    assert(!(await page.$('[data-testid=dax]')), 'a request straight to the table has no DAX line');
    const stale = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Users', Key: { id: { S: 'u1' } } }, { dax: 'c1' }));
    assert(stale.Item.name.S === 'Ada', JSON.stringify(stale));

    // The DAX view, loaded on demand.
    const fetched = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.click('[data-testid=open-dax]');
    await page.waitForSelector('[data-testid=dax-item]');
    assert(await page.evaluate(() => location.hash) === '#/dax', 'the view has its own address');
    // MISS, HIT, PASS_THROUGH (neither), the SDK's two hits, the console's hit, the stale hit: 5 of 6.
    await page.waitForFunction(() => document.querySelector('[data-testid=dax-item-ratio]').textContent === '83.3 %');
    const row = await page.textContent('[data-testid=dax-item]');
    assert(row.includes('Users') && row.includes('id="u1"') && row.includes('name="Ada"'), row);
    assert(await page.$('[data-testid=dax-item] [data-testid=dax-stale]'), 'the entry the bypassing write left is marked stale');
    const ttl = await page.textContent('[data-testid=dax-ttl]');
    assert(/^[45]:\d\d$/.test(ttl), `five minutes, counting down: ${ttl}`);
    assert(/hits/.test(await page.textContent('[data-testid=dax-chart-caption]')), 'the chart');
    await shot(page, '72-dax-view');

    // A cluster of short TTLs from the form: a parameter group is made for it.
    await page.click('text=Create a cluster (CreateCluster)');
    await page.fill('[data-testid=dax-create-name]', 'fast');
    await page.fill('[data-testid=dax-create-record-ttl]', '10000');
    await page.click('[data-testid=dax-create-submit]');
    await page.waitForSelector('[data-testid=dax-said]:has-text("available")');
    await page.waitForFunction(() => document.querySelector('[data-testid=dax-record-ttl]')?.textContent === '10 s');
    const groups = await page.evaluate(() => dynaplay.send('DescribeParameterGroups', {}));
    assert(groups.ParameterGroups.map((g) => g.ParameterGroupName).join() === 'default.dax1.0,fast-ttl', JSON.stringify(groups));
    assert(fetched.some((u) => /\/learn-[^/]*\/.*\.wasm$/.test(u)), 'the view loads the on-demand module');
    await w.check();
    await context.close();
  });
}
