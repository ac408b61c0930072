// Read consistency (issue 17, item 1): the two delays are set in the Capacity tab's playground
// settings; a write, then eventually consistent reads in the console — one in three lands on
// replica 3 and the exchange view marks its answer stale, naming the replica and how far
// behind it was; a strongly consistent read is never marked; a GSI Query misses the new item
// until its propagation delay has passed.
import path from 'node:path';

export default async function ({ test, assert, shot, openApp, consoleSend, launch, tempDir, artifacts }) {
  await test('consistency: delays set in the settings panel, a stale eventually consistent read marked in the exchange view', async () => {
    const context = await launch(tempDir('consistency'));
    const { page } = await openApp(context, '?storage=memory');
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'OrderId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'OrderId', AttributeType: 'S' }, { AttributeName: 'CustomerId', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByCustomer', KeySchema: [{ AttributeName: 'CustomerId', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] });
    assert(created.ok, JSON.stringify(created.body));
    // The engine's clock stands still, so the delays cannot pass while the test reads. The
    // item exists before the delays are on: every replica has it.
    await page.evaluate(() => dynaplay.send('PlaygroundUpdateTime', { Paused: true }));
    const put = await consoleSend(page, 'PutItem', { TableName: 'Orders', Item: { OrderId: { S: 'o1' }, CustomerId: { S: 'c7' }, Status: { S: 'PENDING' } } });
    assert(put.ok, JSON.stringify(put.body));

    await page.click('.table-name:text("Orders")');
    await page.click('[data-testid=tab-capacity]');
    await page.waitForSelector('[data-testid=settings-summary]:has-text("partitions split at")');
    const before = await page.textContent('[data-testid=settings-summary]');
    assert(!before.includes('lags'), `no delay by default: ${before}`);
    await page.click('[data-testid=settings-summary]');
    await page.fill('[data-testid=setting-replication-delay]', '5000');
    await page.press('[data-testid=setting-replication-delay]', 'Enter');
    await page.waitForSelector('[data-testid=settings-summary]:has-text("replica 3 lags 5000 ms")');
    await page.fill('[data-testid=setting-gsi-delay]', '3000');
    await page.press('[data-testid=setting-gsi-delay]', 'Enter');
    await page.waitForSelector('[data-testid=settings-summary]:has-text("GSIs 3000 ms")');
    await page.fill('[data-testid=setting-gsi-delay]', 'later');
    await page.press('[data-testid=setting-gsi-delay]', 'Enter');
    await page.waitForSelector('[data-testid=settings-error]:has-text("whole number")');
    await page.locator('[data-testid=playground-settings]').screenshot({ path: path.join(artifacts, '60-consistency-settings.png') });
    const settings = await page.evaluate(() => dynaplay.send('PlaygroundDescribeSettings', {}));
    assert(settings.Settings.ReplicationDelayMilliseconds === 5000 && settings.Settings.GsiPropagationDelayMilliseconds === 3000, JSON.stringify(settings.Settings));

    await page.goto(page.url().replace(/#.*$/, '') + '#/');
    await page.waitForSelector('[data-testid=operation]');
    const update = await consoleSend(page, 'UpdateItem', { TableName: 'Orders', Key: { OrderId: { S: 'o1' } },
      UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'Status' }, ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } } });
    assert(update.ok, JSON.stringify(update.body));

    // Three eventually consistent reads in a row: replicas 1, 2 and 3 in some order, so
    // exactly one is served by replica 3, which has not received the update.
    const read = async (request) => {
      const sent = await consoleSend(page, 'GetItem', request);
      assert(sent.ok, JSON.stringify(sent.body));
      // An eventually consistent read's line comes once the engine has explained it.
      if (!request.ConsistentRead) await page.waitForSelector('[data-testid=consistency]', { timeout: 5000 });
      else await page.waitForTimeout(300);
      const line = await page.$('[data-testid=consistency]');
      return { status: sent.body.Item?.Status?.S, line: line ? await line.textContent() : null,
        stale: line ? await line.getAttribute('data-stale') : null };
    };
    const key = { TableName: 'Orders', Key: { OrderId: { S: 'o1' } } };
    const reads = [];
    for (let n = 0; n < 3; n++) reads.push(await read(key));
    const stale = reads.filter((r) => r.stale === 'true');
    assert(stale.length === 1, `one read in three is stale: ${JSON.stringify(reads)}`);
    assert(stale[0].status === 'PENDING', `the stale answer is the item before the update: ${JSON.stringify(stale[0])}`);
    assert(stale[0].line.startsWith('Stale answer: served by replica 3 of 3 without 1 write, acknowledged 0 ms before the read and arriving 5000 ms after it.'), stale[0].line);
    for (const fresh of reads.filter((r) => r.stale !== 'true')) {
      assert(fresh.status === 'SHIPPED' && /^Up to date: served by replica [12] of 3/.test(fresh.line), JSON.stringify(fresh));
    }
    // Find the stale one again (the rotation is 1, 2, 3) for the screenshot.
    for (let n = 0; n < 3; n++) {
      const again = await read(key);
      if (again.stale === 'true') break;
    }
    await page.waitForSelector('[data-testid=consistency].stale');
    await shot(page, '61-stale-read');

    // A strongly consistent read is never stale, and has nothing to add.
    for (let n = 0; n < 3; n++) {
      const strong = await read({ ...key, ConsistentRead: true });
      assert(strong.status === 'SHIPPED' && strong.line === null, JSON.stringify(strong));
    }
    // The GSI has not received the update: its Query finds the item as it was.
    const gsi = await consoleSend(page, 'Query', { TableName: 'Orders', IndexName: 'ByCustomer',
      KeyConditionExpression: 'CustomerId = :c', ExpressionAttributeValues: { ':c': { S: 'c7' } } });
    assert(gsi.ok && gsi.body.Count === 1 && gsi.body.Items[0].Status.S === 'PENDING', JSON.stringify(gsi.body));
    await page.waitForSelector('[data-testid=consistency]:has-text("index ByCustomer")');
    // Step past both delays: every copy agrees.
    await page.evaluate(() => dynaplay.send('PlaygroundAdvanceTime', { Milliseconds: 5000 }));
    const caught = await consoleSend(page, 'Query', { TableName: 'Orders', IndexName: 'ByCustomer',
      KeyConditionExpression: 'CustomerId = :c', ExpressionAttributeValues: { ':c': { S: 'c7' } } });
    assert(caught.ok && caught.body.Count === 1 && caught.body.Items[0].Status.S === 'SHIPPED', JSON.stringify(caught.body));
    for (let n = 0; n < 3; n++) {
      const r = await read(key);
      assert(r.status === 'SHIPPED' && r.stale !== 'true', JSON.stringify(r));
    }
    await page.close();
    await context.close();
  });
}
