// Vector search in the UI (issue 16, item 2): a table's "Vector search" tab, loaded on demand,
// lists its vector indexes as DescribeTable shows them, adds one (UpdateTable, backfilled) and
// deletes one, and runs SearchVectors — a typed vector, or an item's own vector read by its key —
// listing the results nearest first with their scores, the request shown as code. The
// create-table form adds vector indexes too (the same fields as the tab's add form).

export default async function ({ test, assert, shot, openApp, consoleSend, launch, tempDir }) {
  await test('Vector search: add an index in the tab, search it, results nearest first; an item\'s vector as the query', async () => {
    const context = await launch(tempDir('vectors'));
    const { page, w } = await openApp(context);
    // The table, with one vector index partitioned by Category, from the console.
    const created = await consoleSend(page, 'CreateTable', {
      TableName: 'Products', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'ProductId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'ProductId', AttributeType: 'S' }, { AttributeName: 'Category', AttributeType: 'S' }],
      VectorIndexes: [{ IndexName: 'ByCategory', VectorAttribute: { AttributeName: 'Embedding' }, Dimensions: 3,
        DistanceFunction: 'COSINE', SearchSchema: [{ AttributeName: 'Category', SearchSchemaElementType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' } }],
    });
    assert(created.ok, JSON.stringify(created.body));
    await page.evaluate(async () => {
      const put = (id, category, v) => dynaplay.send('PutItem', { TableName: 'Products', Item: {
        ProductId: { S: id }, Category: { S: category }, Title: { S: `Title ${id}` },
        Embedding: { L: v.map((n) => ({ N: String(n) })) } } });
      await put('p1', 'books', [1, 0, 0]);
      await put('p2', 'books', [0, 1, 0]);
      await put('p3', 'books', [1, 1, 0]);
      await put('p4', 'toys', [0.9, 0.1, 0]);
      await put('p5', 'books', [0, 0, 1]);
    });
    const fetched = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.click('.table-name:text("Products")');
    await page.click('[data-testid=tab-vectors]');
    assert(await page.evaluate(() => location.hash) === '#/tables/Products/vectors', 'the tab has its own address');
    await page.waitForSelector('[data-testid=vector-index]');
    assert(fetched.some((u) => /\/learn-[^/]*\/.*\.wasm$/.test(u)), 'the tab loads the on-demand module');
    const cells = () => page.$$eval('[data-testid=vector-index]', (r) => r.map((x) => [...x.cells].map((c) => c.textContent).join('|')));
    let rows = await cells();
    assert(rows.length === 1 && rows[0].includes('ByCategory') && rows[0].includes('COSINE') && rows[0].includes('HASH Category')
      && rows[0].includes('ACTIVE'), rows.join('\n'));

    // A second index, Euclidean over the whole table, from the tab's form.
    await page.click('text=Add a vector index (UpdateTable)');
    await page.fill('[data-testid=vector-create-name]', 'Nearest');
    await page.selectOption('[data-testid=vector-create-metric]', 'EUCLIDEAN');
    await page.click('[data-testid=vector-create-submit]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=vector-index]').length === 2);
    const status = await page.$$eval('[data-testid=vector-index-status]', (s) => s.map((x) => x.textContent));
    assert(status[1].startsWith('CREATING') && status[1].includes('backfilling'), status.join());
    assert((await page.textContent('[data-testid=vectors-request-sent]')).includes('"VectorIndexUpdates"'), 'the UpdateTable is shown');
    // Backfilled within 3 s of engine time; the tab re-reads the table until it is ACTIVE.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=vector-index-status]')].every((s) => s.textContent === 'ACTIVE'),
      null, { timeout: 15000 });
    rows = await cells();
    // Name, attribute, dimensions, distance, search schema, projection, status, items (all 5 backfilled).
    assert(rows[1].startsWith('Nearest|Embedding|3|EUCLIDEAN|—|ALL|ACTIVE|5|'), rows[1]);

    // Search the Euclidean index with a typed vector: every item, nearest first.
    await page.selectOption('[data-testid=vector-search-index]', 'Nearest');
    await page.fill('[data-testid=vector-search-vector]', '[1, 0.2, 0]');
    await page.fill('[data-testid=vector-search-topk]', '4');
    await page.click('[data-testid=vector-search-submit]');
    await page.waitForSelector('[data-testid=vector-result]');
    const ids = async () => (await page.$$eval('[data-testid=vector-result] code', (c) => c.map((x) => x.textContent)))
      .map((t) => /ProductId=(p\d)/.exec(t)[1]);
    // Distances from (1, 0.2, 0): p4 0.14, p1 0.2, p3 0.8, p2 1.28, p5 1.43.
    let order = await ids();
    assert(order.join() === 'p4,p1,p3,p2', order.join());
    const scores = await page.$$eval('[data-testid=vector-result] .score', (s) => s.map((x) => x.textContent));
    assert(scores.join() === 'Score 0.141,Score 0.200,Score 0.800,Score 1.281', scores.join());
    assert(/VectorSearchRequestBytes/.test(await page.textContent('[data-testid=vectors-capacity]')), 'metered in bytes');
    const code = await page.textContent('[data-testid=vectors-code]');
    assert(code.includes('aws dynamodb search-vectors') && code.includes('--top-k 4'), code);
    // "why?" says how a search is metered, rather than "no capacity".
    await page.click('[data-testid=vectors-why]');
    const why = await (await page.waitForSelector('[data-testid=vectors-why-panel]')).textContent();
    assert(why.includes('metered in VectorSearchRequestBytes'), why);
    await shot(page, '70-vector-search');

    // The partitioned index: p3's own vector as the query, within Category = books.
    await page.selectOption('[data-testid=vector-search-index]', 'ByCategory');
    await page.fill('[data-testid=vector-item-key]', 'p3');
    await page.click('[data-testid=vector-use-item]');
    await page.waitForFunction(() => document.querySelector('[data-testid=vector-search-vector]').value === '[1, 1, 0]');
    await page.fill('[data-testid=vector-search-hash]', 'books');
    await page.fill('[data-testid=vector-search-topk]', '3');
    await page.click('[data-testid=vector-search-submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=vector-results]')
      && /SearchConditionExpression/.test(document.querySelector('[data-testid=vectors-request-sent]').textContent));
    order = await ids();
    // Cosine distance from (1, 1, 0): p3 0, p1 and p2 0.29 (ties keep the index order); p4 is a toy.
    assert(order.length === 3 && order[0] === 'p3' && !order.includes('p4') && !order.includes('p5'), order.join());
    // A partitioned index needs its HASH value.
    await page.fill('[data-testid=vector-search-hash]', '');
    await page.click('[data-testid=vector-search-submit]');
    assert((await page.textContent('[data-testid=vector-problem]')).includes('partitioned by Category'), 'the form says what it lacks');

    // Delete the Euclidean index.
    await page.click('[aria-label="Delete vector index Nearest"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=vector-index]').length === 1, null, { timeout: 15000 });
    // An index no item fits yet says what an item needs.
    await page.fill('[data-testid=vector-create-name]', 'Fresh');
    await page.fill('[data-testid=vector-create-attribute]', 'Other');
    await page.fill('[data-testid=vector-create-dimensions]', '2');
    await page.fill('[data-testid=vector-create-filters]', 'Brand');
    await page.click('[data-testid=vector-create-submit]');
    const hint = await (await page.waitForSelector('[data-testid=vector-empty-hint]', { timeout: 15000 })).textContent();
    assert(hint.startsWith('Fresh holds no item yet: an item is indexed once its Other is a list of 2 numbers'), hint);
    rows = await cells();
    // The form keeps what was chosen last (EUCLIDEAN).
    assert(rows.some((r) => r.startsWith('Fresh|Other|2|EUCLIDEAN|INLINE_FILTER Brand|ALL|ACTIVE|0|')), rows.join('\n'));
    // Its search offers a field for the filter.
    await page.selectOption('[data-testid=vector-search-index]', 'Fresh');
    await page.waitForSelector('[data-testid=vector-search-inline_filter]');
    await w.check();
    await context.close();
  });

  await test('Vector search: the create-table form adds vector indexes, which the tab then lists', async () => {
    const context = await launch(tempDir('vector-create'));
    const { page, w } = await openApp(context);
    await page.click('[data-testid=open-create]');
    await page.fill('[data-testid=table-name]', 'Docs');
    await page.fill('[data-testid=partition-key]', 'DocId');
    for (let i = 0; i < 3; i++) await page.click('[data-testid=add-vector]');
    const rows = page.locator('[data-testid=vector-row]');
    assert(await rows.count() === 3, 'three vector index rows');
    // The second partitioned by Lang, filtered by Year, DOT_PRODUCT over 4 dimensions; the third removed.
    const second = rows.nth(1);
    assert(await second.locator('[data-testid=vector-create-name]').inputValue() === 'ByEmbedding2', 'a second name of its own');
    await second.locator('[data-testid=vector-create-attribute]').fill('Summary');
    await second.locator('[data-testid=vector-create-dimensions]').fill('4');
    await second.locator('[data-testid=vector-create-metric]').selectOption('DOT_PRODUCT');
    await second.locator('[data-testid=vector-create-hash]').fill('Lang');
    await second.locator('[data-testid=vector-create-filters]').fill('Year:N');
    await rows.nth(2).locator('[aria-label="Remove this vector index"]').click();
    assert(await rows.count() === 2, 'the third row is gone');
    await shot(page, '71-create-table-vector-rows');
    await page.click('text=Request preview');
    const preview = JSON.parse(await page.textContent('[data-testid=create-preview]'));
    const [plain, partitioned] = preview.VectorIndexes;
    assert(preview.VectorIndexes.length === 2 && plain.IndexName === 'ByEmbedding' && plain.Dimensions === 3
      && plain.DistanceFunction === 'COSINE' && plain.VectorAttribute.AttributeName === 'Embedding'
      && partitioned.Dimensions === 4 && partitioned.DistanceFunction === 'DOT_PRODUCT'
      && JSON.stringify(partitioned.SearchSchema) === '[{"AttributeName":"Lang","SearchSchemaElementType":"HASH"},{"AttributeName":"Year","SearchSchemaElementType":"INLINE_FILTER"}]',
    JSON.stringify(preview));
    // The search schema's attributes are declared with their types.
    assert(JSON.stringify(preview.AttributeDefinitions) === '[{"AttributeName":"DocId","AttributeType":"S"},{"AttributeName":"Lang","AttributeType":"S"},{"AttributeName":"Year","AttributeType":"N"}]',
      JSON.stringify(preview.AttributeDefinitions));
    // Provisioned billing: the form says DynamoDB will refuse them, and DynamoDB does.
    await page.click('[data-testid=provisioned]');
    assert((await page.textContent('[data-testid=create-form]')).includes('Vector indexes need an on-demand table'), 'the provisioned hint');
    await page.click('[data-testid=create-submit]');
    const refused = await (await page.waitForSelector('[data-testid=create-error]')).textContent();
    assert(refused.includes('PAY_PER_REQUEST'), refused);
    await page.click('input[name=billing][value=PAY_PER_REQUEST]');
    await page.click('[data-testid=create-submit]');
    await page.waitForFunction(() => /^CreateTable succeeded/.test((document.querySelector('[data-testid=explorer-response-status]') || {}).textContent || ''));
    await page.click('[data-testid=tab-vectors]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=vector-index]').length === 2);
    const listed = await page.$$eval('[data-testid=vector-index]', (r) => r.map((x) => [...x.cells].map((c) => c.textContent).join('|')));
    assert(listed[0].startsWith('ByEmbedding|Embedding|3|COSINE|—|ALL|ACTIVE|0|')
      && listed[1].startsWith('ByEmbedding2|Summary|4|DOT_PRODUCT|HASH Lang') && listed[1].includes('INLINE_FILTER Year'), listed.join('\n'));
    await shot(page, '72-create-table-vector-indexes');
    // A write's "why?" explains its vector bytes beside its units.
    const put = await consoleSend(page, 'PutItem', { TableName: 'Docs', ReturnConsumedCapacity: 'INDEXES',
      Item: { DocId: { S: 'd1' }, Lang: { S: 'en' }, Embedding: { L: [{ N: '1' }, { N: '0' }, { N: '0' }] },
        Summary: { L: [{ N: '1' }, { N: '0' }, { N: '0' }, { N: '0' }] } } });
    assert(put.ok && put.body.ConsumedCapacity.VectorIndexes.ByEmbedding.VectorWriteRequestBytes === 1024, JSON.stringify(put.body));
    const line = await page.textContent('[data-testid=capacity]');
    assert(line.includes('VectorWriteRequestBytes ByEmbedding 1024'), line);
    await page.click('[data-testid=why]');
    const why = await (await page.waitForSelector('[data-testid=why-panel]')).textContent();
    assert(why.includes('2,048 B of VectorWriteRequestBytes') && why.includes('Vector index ByEmbedding2: 1,024 VectorWriteRequestBytes (the minimum).')
      && why.includes('Its vector attribute Embedding counts 21 B (9 for the name + 4 × 3 dimensions)'), why);
    await w.check();
    await context.close();
  });
}
