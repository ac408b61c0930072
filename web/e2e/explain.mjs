// "Why?" and the capacity calculator (issue 13, items 3 and 5) through the JS API: seed 004's
// figures, an edited price, and a request explained by the id it ran under.
export default async function ({ test, assert, openApp, launch, tempDir }) {
  await test('explain: the JS API prices seed 004 exactly and explains a request by its id', async () => {
    const context = await launch(tempDir('explain-api'));
    const { page } = await openApp(context, '?storage=memory');
    const estimate = await page.evaluate(() => dynaplay.estimateCapacity({ itemSizeBytes: 1000, readsPerSecond: 100, writesPerSecond: 50, consistentReads: true }));
    assert(estimate.perItem.summary === 'Capacity per Item: 1 RCU, 1 WCU', JSON.stringify(estimate.perItem));
    assert(estimate.perItem.readCapacityUnits === 1 && estimate.perItem.writeCapacityUnits === 1, JSON.stringify(estimate.perItem));
    assert(estimate.provisioned.summary === '$9.36 reads + $23.40 writes', JSON.stringify(estimate.provisioned));
    assert(estimate.onDemand.readCostPerMonth === '32.40' && estimate.onDemand.writeCostPerMonth === '81.00', JSON.stringify(estimate.onDemand));
    assert(estimate.priceTable.date && estimate.priceTable.region === 'us-east-1', JSON.stringify(estimate.priceTable));
    const edited = await page.evaluate(() => dynaplay.estimateCapacity({ itemSizeBytes: 1000, readsPerSecond: 100, consistentReads: true, prices: { readCapacityUnitHour: 0.00026 } }));
    assert(edited.provisioned.readCostPerMonth === '18.72', JSON.stringify(edited.provisioned));

    const why = await page.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Why', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] });
      await dynaplay.send('PutItem', { TableName: 'Why', Item: { pk: { S: 'a' }, d: { S: 'x'.repeat(9417) } } });
      // The engine runs a request as send() is called: its id is read right then.
      const sent = dynaplay.send('GetItem', { TableName: 'Why', Key: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' });
      const id = dynaplay.lastRequestId();
      const got = await sent;
      return { units: got.ConsumedCapacity.CapacityUnits, id, why: await dynaplay.explain(id) };
    });
    assert(why.units === 1.5 && why.why.requestId === why.id, JSON.stringify(why).slice(0, 300));
    const read = why.why.explanations.find((e) => e.rule === 'ReadUnits');
    assert(read.summary === '1.5 RCU: an item of 9,421 B on Why, eventually consistent.', read.summary);
    assert(read.steps.includes('Reads are counted in 4 KB (4,096 B) units, rounded up: ⌈9,421 / 4,096⌉ = 3 read units.'), read.steps.join('\n'));
    await page.close();
    await context.close();
  });
}
