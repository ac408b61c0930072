// "Why?" and the capacity calculator (issue 13, items 3 and 5): the JS API gives seed 004's
// figures and explains a request by its id; the UI's "why?" beside a ConsumedCapacity figure
// and in the Capacity tab opens the engine's explanation; the calculator view shows the
// estimate, reprices with an edited price, and "Try it" measures the same figures.
export default async function ({ test, assert, shot, openApp, consoleSend, launch, tempDir }) {
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

  await test('explain: "why?" beside a ConsumedCapacity figure and in the Capacity tab; the calculator view and "Try it"', async () => {
    const context = await launch(tempDir('explain-ui'));
    let { page } = await openApp(context, '?storage=memory');
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Orders', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    assert(created.ok, JSON.stringify(created.body));
    const put = await consoleSend(page, 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o1' }, blob: { S: 'x'.repeat(1500) } } });
    assert(put.ok, JSON.stringify(put.body));
    await page.click('[data-testid=why]');
    await page.waitForSelector('[data-testid=why-panel]');
    const text = await page.textContent('[data-testid=why-panel]');
    assert(text.includes('⌈1,508 / 1,024⌉ = 2 WCU') && text.includes('partition 1 of 1 of Orders'), text);
    await shot(page, '40-why-consumed-capacity');

    await page.goto(page.url().replace(/#.*$/, '') + '#/tables/Orders/capacity');
    await page.waitForSelector('[data-testid=capacity-why]');
    await page.click('[data-testid=capacity-why]');
    await page.waitForSelector('[data-testid=capacity-why-panel]');
    const table = await page.textContent('[data-testid=capacity-why-panel]');
    assert(table.includes('1 partition: the larger of ⌈RCU/3,000 + WCU/1,000⌉ = 1') && table.includes('"o1"'), table);

    await page.click('[data-testid=open-calculator]');
    await page.waitForSelector('[data-testid=calc-provisioned-summary]');
    const perItem = await page.textContent('[data-testid=calc-per-item]');
    assert(perItem === 'Capacity per Item: 1 RCU, 1 WCU', perItem);
    const provisioned = await page.textContent('[data-testid=calc-provisioned-summary]');
    assert(provisioned === 'Provisioned: $9.36 reads + $23.40 writes a month', provisioned);
    assert((await page.textContent('[data-testid=calc-price-date]')).includes('us-east-1 as of'), 'the price table is dated');
    await shot(page, '41-calculator');
    await page.click('[data-testid=calc-try]');
    await page.waitForFunction(() => /Measured on|rror/.test(document.querySelector('[data-testid=calc-measured]')?.textContent || ''), null, { timeout: 60000 });
    const measured = await page.textContent('[data-testid=calc-measured]');
    assert(measured.includes('100.0 RCU and 50.0 WCU a second (150 requests sent, their ConsumedCapacity summed)'), measured);
    // An edited price reprices at once.
    await page.click('summary:has-text("Price table")');
    await page.fill('[data-testid=calc-price-0]', '0.00026');
    await page.waitForFunction(() => document.querySelector('[data-testid=calc-provisioned-summary]')?.textContent.includes('$18.72 reads'));
    await shot(page, '42-calculator-tried');
    await page.close();
    await context.close();
  });

  await test('explain: the item editor shows the item\'s size with the engine\'s worked "why?"', async () => {
    const context = await launch(tempDir('explain-size'));
    const { page, w } = await openApp(context, '?storage=memory');
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Users', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'UserId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'UserId', AttributeType: 'S' }] });
    assert(created.ok, JSON.stringify(created.body));
    await page.goto(page.url().replace(/#.*$/, '') + '#/tables/Users');
    await page.click('[data-testid=add-item]');
    await page.fill('[data-testid=item-text]', JSON.stringify({ UserId: 'U1', Name: 'Alice', Age: 29 }));
    // 6 + 2 (UserId) + 4 + 5 (Name) + 3 + 2 (Age) = 22 bytes, recomputed as the learner types.
    await page.waitForSelector('[data-testid=item-size] summary:has-text("22 B")');
    await page.click('[data-testid=item-size] summary');
    const steps = await page.textContent('[data-testid=item-size] .why');
    assert(steps.includes('Age: 3 B of name + 2 B of value') && steps.includes('Total: 22 B'), steps);
    await page.fill('[data-testid=item-text]', '{ "UserId": ');
    await page.waitForSelector('[data-testid=item-size]', { state: 'detached' });
    await w.check();
    await context.close();
  });
}
