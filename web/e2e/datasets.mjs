// Sample datasets: the welcome view lists them, one click loads one into the workspace and
// opens its table; loading it again is refused without touching the data; the JS API loads
// the 10,000-item set (through the journal) and it survives a reload; TTL times move to now.
export default async function ({ test, assert, shot, openApp, launch, tempDir }) {
  await test('datasets: one click loads the music catalogue; again is refused; the JS API loads 10,000 items that survive a reload', async () => {
    const context = await launch(tempDir('datasets'));
    let { page, w } = await openApp(context);
    await page.waitForSelector('[data-testid=load-dataset-music]');
    const listed = await page.$$eval('[data-testid^=load-dataset-]', (b) => b.map((x) => x.dataset.testid.slice(13)));
    assert(listed.join() === 'music,forum,ecommerce,social,iot,paging', listed.join());
    await shot(page, '30-welcome-datasets');
    await page.click('[data-testid=load-dataset-music]');
    await page.waitForFunction(() => location.hash === '#/tables/Music');
    await page.waitForFunction(() => /Scan · page 1 · 25 items/.test(document.querySelector('[data-testid=explorer-count]')?.textContent));
    // Again: the table exists, so nothing is created or overwritten.
    const again = await page.evaluate(() => dynaplay.loadDataset('music').then(() => 'loaded', (e) => `${e.name}: ${e.message}`));
    assert(again === 'ResourceInUseException: Table already exists: Music', again);
    const unknown = await page.evaluate(() => dynaplay.loadDataset('../x').then(() => 'loaded', (e) => `${e.name}: ${e.message}`));
    assert(/^ValidationException: Unknown dataset/.test(unknown), unknown);
    const index = await page.evaluate(() => dynaplay.datasets());
    assert(index.length === 6 && index.find((d) => d.id === 'paging').items === 10000, JSON.stringify(index).slice(0, 200));
    const started = Date.now();
    const done = await page.evaluate(() => dynaplay.loadDataset('paging'));
    const ms = Date.now() - started;
    assert(done.ItemsWritten === 10000 && done.Tables[0] === 'Orders', JSON.stringify(done));
    console.log(`     paging dataset (10,000 items, 3.3 MB) loaded in ${ms} ms`);
    await page.close();
    ({ page, w } = await openApp(context, '#/tables/Orders'));
    const count = await page.evaluate(async () => {
      let n = 0; let key;
      do {
        const r = await dynaplay.send('Scan', { TableName: 'Orders', Select: 'COUNT', ExclusiveStartKey: key });
        n += r.Count; key = r.LastEvaluatedKey;
      } while (key);
      return n;
    });
    assert(count === 10000, `after a reload the Orders table holds ${count} items`);
    // Time attributes move with the moment of loading: the newest reading, taken 30 minutes
    // before the dataset's clock, expires 7 days after that moment.
    const iot = await page.evaluate(async () => {
      const { Now } = await dynaplay.send('PlaygroundDescribeTime', {});
      await dynaplay.loadDataset('iot');
      const r = await dynaplay.send('Query', { TableName: 'SensorReadings', ScanIndexForward: false, Limit: 1,
        KeyConditionExpression: 'DeviceId = :d', ExpressionAttributeValues: { ':d': { S: 'sensor-01' } } });
      return { now: Math.floor(Now / 1000), expires: Number(r.Items[0].ExpiresAt.N) };
    });
    const expected = iot.now - 1800 + 7 * 86400;
    assert(Math.abs(iot.expires - expected) <= 2, JSON.stringify({ ...iot, expected }));
    await w.check();
    await context.close();
  });
}
