// End-to-end checks of what a learner trips over (issue 13, item 9), run by run.mjs (its suites
// list) with its harness: each step does what a learner does through the UI and asserts what they see.
export default async function learnerTests({ test, assert, launch, tempDir, openApp, consoleSend, shot, artifacts }) {
  const text = (page, id) => page.textContent(`[data-testid=${id}]`);
  const waitText = (page, id, re) => page.waitForFunction(([id, re]) => {
    const el = document.querySelector(`[data-testid=${id}]`);
    return el && new RegExp(re).test(el.textContent);
  }, [id, re.source]);

  await test('learner: the panel shows my own action; keys, reads, filters and key edits say what they do', async () => {
    const context = await launch(tempDir('learner'));
    const { page, w } = await openApp(context);
    const missing = [];
    page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
    await page.reload();
    await page.waitForSelector('[data-mode]');
    assert(missing.length === 0, `no 404 on load (the favicon included): ${missing}`);
    // The favicon is linked, served and allowed by the page's policy (img-src 'self').
    const icon = await page.evaluate(async () => {
      const link = document.querySelector('link[rel=icon]');
      const policy = document.querySelector('meta[http-equiv=Content-Security-Policy]');
      return link && { status: (await fetch(link.href)).status, policy: policy ? policy.content : '' };
    });
    assert(icon && icon.status === 200 && (!icon.policy || icon.policy.includes("img-src 'self'")), JSON.stringify(icon));
    // The header speaks plainly: no "1 commits · 1 writes"; the figures are in the badge's tooltip.
    assert(!/commits/.test(await page.textContent('.header')), await page.textContent('.header'));

    // Create table through the form: the explorer then shows that CreateTable, not a Scan.
    await page.click('[data-testid=open-create]');
    await page.fill('[data-testid=table-name]', 'Songs');
    await page.fill('[data-testid=partition-key]', 'Artist');
    await page.fill('[data-testid=sort-key]', 'Title');
    await page.click('[data-testid=create-submit]');
    await waitText(page, 'explorer-response-status', /^CreateTable succeeded/);
    // The header names the keys in words, the billing mode, indexes and stream.
    await waitText(page, 'fact-partition-key', /^Artist \(S\)$/);
    assert(await text(page, 'fact-sort-key') === 'Title (S)', await text(page, 'fact-sort-key'));
    assert(/On-demand/.test(await text(page, 'fact-billing')) && await text(page, 'fact-stream') === 'off'
      && await text(page, 'fact-indexes') === 'none', await text(page, 'table-header'));

    // Save: the panel shows the PutItem and its units, not the Scan that refreshes the page.
    const add = async (item) => {
      await page.click('[data-testid=add-item]');
      await page.fill('[data-testid=item-text]', JSON.stringify(item));
      await page.click('[data-testid=item-save]');
      await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
    };
    await add({ Artist: 'Nina Simone', Title: 'Feeling Good', Year: 1965 });
    await waitText(page, 'explorer-count', /· 1 item$/);
    assert(/^PutItem succeeded/.test(await text(page, 'explorer-response-status')), await text(page, 'explorer-response-status'));
    assert(/1(\.0)? capacity units on Songs/.test(await text(page, 'explorer-capacity')), await text(page, 'explorer-capacity'));
    await add({ Artist: 'Nina Simone', Title: 'Sinnerman', Year: 1965 });
    await waitText(page, 'explorer-count', /· 2 items$/);
    const roles = await page.$$eval('[data-testid=items] th .key-role', (els) => els.map((e) => e.textContent));
    assert(JSON.stringify(roles) === '["partition key","sort key"]', JSON.stringify(roles));

    // A filter on a reserved word works (the builder aliases it) and Count vs ScannedCount shows
    // that the filter ran after the read.
    await page.click('[data-testid=mode-query]');
    await page.fill('[data-testid=query-pk]', 'Nina Simone');
    await page.fill('[data-testid=query-filter]', 'Year > :y');
    await page.fill('[data-testid=query-filter-values]', '{":y": 2000}');
    assert((await text(page, 'query-preview')).includes('"#Year > :y"'), await text(page, 'query-preview'));
    await page.click('[data-testid=query-run]');
    await waitText(page, 'explorer-read', /Count 0 of ScannedCount 2: the filter dropped 2/);
    assert(/^Query succeeded/.test(await text(page, 'explorer-response-status')), 'the query ran');
    // A failing query does not leave the previous results under its error.
    await page.fill('[data-testid=query-filter]', 'Year >');
    await page.click('[data-testid=query-run]');
    await waitText(page, 'explorer-count', /^Query failed · no items shown$/);
    await page.fill('[data-testid=query-filter]', '');
    await page.click('[data-testid=query-run]');
    await waitText(page, 'explorer-count', /Query · page 1 · 2 items$/);
    assert(!(await page.$('[data-testid=items] tr:has-text("Year >")')), 'items after a good query');
    await shot(page, '30-learner-filter-counts');

    // GetItem by key, with the consistency chosen; "Edit" reads the same way and says so.
    await page.click('[data-testid=mode-get]');
    await page.fill('[data-testid=get-pk]', 'Nina Simone');
    await page.fill('[data-testid=get-sk]', 'Feeling Good');
    await page.click('[data-testid=get-run]');
    await waitText(page, 'explorer-read', /^eventually consistent read$/);
    assert(/0\.5 capacity units/.test(await text(page, 'explorer-capacity')), await text(page, 'explorer-capacity'));
    await waitText(page, 'explorer-count', /GetItem · page 1 · 1 item$/);
    await page.check('[data-testid=consistent-read]');
    await page.click('[data-testid=get-run]');
    await waitText(page, 'explorer-read', /^strongly consistent read$/);
    assert(/(^|\D)1(\.0)? capacity units/.test(await text(page, 'explorer-capacity')), await text(page, 'explorer-capacity'));
    await page.uncheck('[data-testid=consistent-read]');
    await page.click('[data-testid=mode-scan]');
    await waitText(page, 'explorer-count', /Scan · page 1 · 2 items$/);
    await page.click('[data-testid=items] tr:has-text("Sinnerman") button:text("Edit")');
    await page.waitForSelector('[data-testid=item-text]');
    await waitText(page, 'explorer-read', /^eventually consistent read$/);
    assert((await text(page, 'explorer-request-sent')).includes('"ConsistentRead": false'), 'Edit says which read it made');

    // Editing a key attribute asks first (a PutItem would write a second item): declining
    // every choice sends nothing; the first choice moves the item.
    const editing = JSON.parse(await page.inputValue('[data-testid=item-text]'));
    await page.fill('[data-testid=item-text]', JSON.stringify({ ...editing, Title: 'Sinner Man' }));
    const asked = [];
    const decline = (d) => { asked.push(d.message()); d.dismiss(); };
    page.on('dialog', decline);
    await page.click('[data-testid=item-save]');
    await waitText(page, 'item-error', /^Nothing was sent: the key changed/);
    page.off('dialog', decline);
    assert(asked.length === 3 && /^You changed the key \(Title\)\. An item's key cannot be updated\. Move/.test(asked[0])
      && /UpdateItem/.test(asked[1]) && /PutItem/.test(asked[2]), JSON.stringify(asked));
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=item-save]');
    await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
    assert(/^TransactWriteItems succeeded/.test(await text(page, 'explorer-response-status')), await text(page, 'explorer-response-status'));
    await page.waitForSelector('[data-testid=items] td:text("Sinner Man")');
    await waitText(page, 'explorer-count', /· 2 items$/);
    assert(!(await page.$('[data-testid=items] td:text("Sinnerman")')), 'the old item moved, not copied');

    // Delete: the panel shows the DeleteItem.
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=items] tr:has-text("Sinner Man") button:text("Delete")');
    await waitText(page, 'explorer-count', /· 1 item$/);
    assert(/^DeleteItem succeeded/.test(await text(page, 'explorer-response-status')), await text(page, 'explorer-response-status'));

    // Edit capacity from the header (UpdateTable; the prompt offers the current setting), then
    // the header shows it.
    let offered = null;
    page.once('dialog', (d) => { offered = d.defaultValue(); d.accept('7 3'); });
    await page.click('[data-testid=edit-capacity]');
    await waitText(page, 'explorer-response-status', /^UpdateTable (succeeded|failed)/).catch(() => {});
    await waitText(page, 'fact-billing', /^Provisioned · 7 RCU \/ 3 WCU$/).catch(async (e) => {
      throw new Error(`${e.message}: ${await text(page, 'table-header')} / ${await text(page, 'explorer-response-status')} ${await page.textContent('.explorer .exchange')}`);
    });
    assert(offered === 'on-demand', `the prompt offered ${offered}`);
    assert(/^UpdateTable succeeded/.test(await text(page, 'explorer-response-status')), await text(page, 'explorer-response-status'));
    await waitText(page, 'fact-status', /· 1 item$/);
    await shot(page, '32-learner-table-header');

    // A DeleteTable from the console: the main panel stops showing the table.
    const deleted = await consoleSend(page, 'DeleteTable', { TableName: 'Songs' });
    assert(deleted.ok, JSON.stringify(deleted.body));
    await page.waitForSelector('.welcome');
    assert(!(await page.$('[data-testid=table-header]')), 'no header of a deleted table');

    // Delete table from the header (after the confirmation), and Reset, do the same.
    for (const name of ['Gone', 'Reset']) {
      assert((await consoleSend(page, 'CreateTable', { TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })).ok, 'CreateTable');
      await page.click(`.table-name:text("${name}")`);
      await page.waitForSelector(`#explorer-title:text("Items · ${name}")`);
      page.once('dialog', (d) => d.accept());
      await page.click(name === 'Gone' ? '[data-testid=delete-table]' : '.header button:text("Reset")');
      await page.waitForSelector('.welcome');
    }
    await w.check();
    await context.close();
  });

  await test('learner: choosing an operation puts its example in the console; what I wrote is kept unless I agree', async () => {
    const context = await launch(tempDir('learner-console'));
    const { page, w } = await openApp(context);
    const request = async () => JSON.parse(await page.inputValue('[data-testid=request]'));
    assert((await request()).KeySchema, 'the console starts with the CreateTable example');
    await page.fill('[data-testid=operation]', 'PutItem');
    assert((await request()).Item.Artist.S === 'Nina Simone', JSON.stringify(await request()));
    await page.fill('[data-testid=operation]', 'Query');
    assert(/begins_with/.test((await request()).KeyConditionExpression), JSON.stringify(await request()));
    // Edited: another operation only offers its example.
    await page.fill('[data-testid=request]', '{"TableName": "Mine"}');
    await page.fill('[data-testid=operation]', 'Scan');
    await waitText(page, 'example-offer', /Replace your request with the Scan example\?/);
    assert(await page.inputValue('[data-testid=request]') === '{"TableName": "Mine"}', 'my request is kept');
    await shot(page, '33-learner-console-offer');
    await page.click('[data-testid=example-replace]');
    assert((await request()).Limit === 10 && !(await page.$('[data-testid=example-offer]')), JSON.stringify(await request()));
    await w.check();
    await context.close();
  });

  await test('learner: the Capacity tab names burst and says why one partition cannot spread load; red means throttled', async () => {
    const context = await launch(tempDir('learner-capacity'));
    const { page, w } = await openApp(context);
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Small', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    assert(created.ok, JSON.stringify(created.body));
    await page.click('.table-name:text("Small")');
    await page.click('[data-testid=tab-capacity]');
    await waitText(page, 'one-partition', /One partition: every key shares its 5 WCU and 5 RCU a second, so a better partition key cannot spread this load/);
    // 50 writes/s of 100 bytes on 5 WCU: burst capacity serves them (its 1,500 banked WCU last
    // about 30 s), nothing throttles, and the axis follows the traffic past 25 (5 × provisioned).
    await page.selectOption('[data-testid=workload-distribution]', 'UNIFORM');
    await page.fill('[data-testid=workload-rate]', '50');
    await page.click('[data-testid=workload-start]');
    await waitText(page, 'capacity-log', /Burst capacity covers \d+ WCU\/s above the provisioned 5/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=chart-write]').dataset.max) >= 50);
    // The one partition sits at its ceiling, served by burst: the legend's "at its ceiling"
    // colour, not its "throttled" red (colours compared as the browser computes them).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=partition]').dataset.heat) >= 1);
    const colours = await page.evaluate(() => {
      const bg = (el) => getComputedStyle(el).backgroundColor;
      return { cells: [...document.querySelectorAll('[data-testid=partition]')].map((p) => [p.dataset.throttled, bg(p.querySelector('.fill'))]),
        legend: [...document.querySelectorAll('[data-testid=capacity-legend] .swatch')].map(bg) };
    });
    assert(colours.legend.length === 5 && colours.cells.length === 1 && colours.cells[0][0] === 'false'
      && colours.cells[0][1] === colours.legend[3] && colours.cells[0][1] !== colours.legend[4], JSON.stringify(colours) + await text(page, 'capacity-log') + await text(page, 'partition-map'));
    assert(!/Throttling:/.test(await text(page, 'capacity-log')), await text(page, 'capacity-log'));
    await shot(page, '34-learner-capacity-burst');
    await page.click('[data-testid=workload-stop]');
    await w.check();
    await context.close();
  });

  await test('learner: stream, trigger and console sit beside the items; invocations collapse; the stream can be disabled', async () => {
    const context = await launch(tempDir('learner-side'));
    const { page, w } = await openApp(context);
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Feed', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    assert(created.ok, JSON.stringify(created.body));
    await page.click('.table-name:text("Feed")');
    await page.waitForSelector('[data-testid=stream-viewer] code:has-text("arn:aws:dynamodb")');
    // Beside the items, in view without scrolling the page.
    const boxes = await page.evaluate(() => Object.fromEntries(['.explorer', '[data-testid=stream-viewer]', '[data-testid=trigger-panel]']
      .map((q) => { const b = document.querySelector(q).getBoundingClientRect(); return [q, { x: b.x, right: b.right, top: b.top }]; })));
    const items = boxes['.explorer'], stream = boxes['[data-testid=stream-viewer]'];
    assert(stream.x >= items.right && stream.top < 400 && await page.evaluate(() => scrollY) === 0, JSON.stringify(boxes));
    // The sample handler keeps its indentation; an invocation is a collapsible block.
    const code = await page.inputValue('[data-testid=trigger-code]');
    assert(code.includes('\n  for (const record of event.Records) {\n    console.log('), code);
    await page.click('[data-testid=trigger-attach]');
    await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
    assert((await consoleSend(page, 'PutItem', { TableName: 'Feed', Item: { id: { S: 'one' } } })).ok, 'PutItem');
    const invocation = '[data-testid=trigger-log] details.invocation';
    await page.waitForSelector(`${invocation} summary:has-text("START RequestId")`, { timeout: 15000 });
    await page.waitForFunction((q) => /New item added:/.test(document.querySelector(q).textContent), invocation);
    assert(await page.$eval(invocation, (d) => d.open && d.querySelector('summary').textContent.startsWith('✓')), 'open, succeeded');
    await page.click(`${invocation} summary`);
    assert(!(await page.$eval(invocation, (d) => d.open)), 'collapsed by a click');
    await shot(page, '35-learner-side-panels');
    // Disable stream (after the confirmation): the viewer offers to enable one again.
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=disable-stream]');
    await page.waitForSelector('[data-testid=enable-stream]');
    await waitText(page, 'fact-stream', /^off$/);
    await page.click('[data-testid=trigger-detach]');
    await w.check();
    await context.close();
  });

  await test('learner: retry settings — a failing batch is discarded after MaximumRetryAttempts and its record lands in the on-failure destination', async () => {
    const context = await launch(tempDir('learner-retry'));
    const { page, w } = await openApp(context);
    const created = await consoleSend(page, 'CreateTable', { TableName: 'Jobs', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    assert(created.ok, JSON.stringify(created.body));
    await page.click('.table-name:text("Jobs")');
    await page.waitForSelector('[data-testid=trigger-error-handling]');
    // Lambda's defaults, and Lambda's own words for values it refuses.
    assert(await page.inputValue('[data-testid=trigger-retries]') === '-1' && await page.inputValue('[data-testid=trigger-max-age]') === '-1'
      && !(await page.isChecked('[data-testid=trigger-bisect]')) && !(await page.isChecked('[data-testid=trigger-on-failure]')), 'defaults');
    await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => {\n  for (const r of event.Records) if (r.dynamodb.Keys.id.S.startsWith("bad")) throw new Error("cannot handle " + r.dynamodb.Keys.id.S);\n  return "ok";\n};');
    const refused = async (retries, age, re) => {
      await page.fill('[data-testid=trigger-retries]', retries);
      await page.fill('[data-testid=trigger-max-age]', age);
      await page.click('[data-testid=trigger-attach]');
      await waitText(page, 'trigger-panel', re);
      assert(!(await page.$('[data-testid=trigger-status]')), 'nothing attached');
    };
    await refused('10001', '-1', /Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000/);
    await refused('2', '30', /MaximumRecordAgeInSeconds must be either -1 \(forever\) or between 60 and 604800 \(inclusive\)/);
    // MaximumRetryAttempts 2 with a destination: the first invocation and 2 retries, then discarded.
    await page.fill('[data-testid=trigger-retries]', '2');
    await page.fill('[data-testid=trigger-max-age]', '-1');
    await page.check('[data-testid=trigger-on-failure]');
    await page.fill('[data-testid=trigger-batch]', '1');
    await page.click('[data-testid=trigger-attach]');
    await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
    assert(await page.$('[data-testid=trigger-failed]:has-text("0 invocation records")'), 'an empty destination is shown');
    assert((await consoleSend(page, 'PutItem', { TableName: 'Jobs', Item: { id: { S: 'bad-1' } } })).ok, 'PutItem');
    const discarded = '[data-testid=trigger-log] .log-line:has-text("DISCARDED RetryAttemptsExhausted")';
    await page.waitForSelector(discarded, { timeout: 20000 });
    const line = await page.textContent(discarded);
    assert(/· 1 record · sequence numbers \d+ – \d+ · invoked 3×: its retries are used up \(MaximumRetryAttempts 2\); its invocation record went to the on-failure destination\. The shard goes on\.$/.test(line), line);
    const lines = await page.$$eval('[data-testid=trigger-log] .log-line', (ls) => ls.map((l) => l.textContent));
    const errors = lines.filter((l) => l.startsWith('ERROR RequestId') && l.includes('Error: cannot handle bad-1'));
    const starts = lines.filter((l) => l.startsWith('START RequestId'));
    assert(errors.length === 3 && starts.length === 3 && /\(retry 2\)$/.test(starts[2]) && !/retry/.test(starts[0]), JSON.stringify(lines));
    // The destination shows the invocation record, in the shape Lambda sends an SQS queue.
    const entry = '[data-testid=trigger-failed] details.failed-event';
    await page.waitForSelector(entry);
    assert(/^RetryAttemptsExhausted · …\w+ · 1 record · sequence numbers \d+ – \d+ · invoked 3×$/.test(await page.textContent(`${entry} summary`)),
      await page.textContent(`${entry} summary`));
    await page.click(`${entry} summary`);
    const record = JSON.parse(await page.textContent(`${entry} pre`));
    const info = record.DDBStreamBatchInfo;
    assert(record.requestContext.condition === 'RetryAttemptsExhausted' && record.requestContext.approximateInvokeCount === 3
      && record.responseContext.functionError === 'Unhandled' && record.version === '1.0' && /Z$/.test(record.timestamp)
      && info.batchSize === 1 && info.startSequenceNumber === info.endSequenceNumber && /^shardId-/.test(info.shardId)
      && /:table\/Jobs\/stream\//.test(info.streamArn) && /Z$/.test(info.approximateArrivalOfFirstRecord), JSON.stringify(record));
    assert(/Error: cannot handle bad-1/.test(await page.textContent(`${entry} .error-text`)), 'the last error is shown');
    // The shard went on: a good record is processed; the discarded one is not tried again.
    assert((await consoleSend(page, 'PutItem', { TableName: 'Jobs', Item: { id: { S: 'good-1' } } })).ok, 'PutItem');
    await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("returned \\"ok\\"")', { timeout: 15000 });
    assert(await page.$('[data-testid=trigger-status].ok-text'), 'no batch failing');
    // Settings change on a running trigger: no retries now, so the next bad record runs once.
    await page.fill('[data-testid=trigger-retries]', '0');
    await page.click('[data-testid=trigger-update-settings]');
    await page.waitForSelector('[data-testid=trigger-log] .log-line:has-text("Error handling updated: MaximumRetryAttempts 0")');
    assert((await consoleSend(page, 'PutItem', { TableName: 'Jobs', Item: { id: { S: 'bad-2' } } })).ok, 'PutItem');
    await page.waitForFunction((q) => document.querySelectorAll(q).length === 2, entry, { timeout: 15000 });
    assert(/invoked 1×$/.test(await page.textContent(`${entry} summary`)), 'the newest first, invoked once');
    await page.locator('[data-testid=trigger-error-handling]').screenshot({ path: `${artifacts}/36-learner-trigger-error-handling.png` });
    await page.locator('[data-testid=trigger-failed]').screenshot({ path: `${artifacts}/37-learner-trigger-failed-events.png` });
    await page.click('[data-testid=trigger-detach]');
    await w.check();
    await context.close();
  });
}
