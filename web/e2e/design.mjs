// Taking a design to AWS (issue 14, item 6): a table's "Export design" tab, loaded on demand,
// shows it as CloudFormation, Terraform and a NoSQL Workbench model and downloads its items as
// S3 export files in a zip; "Import a NoSQL Workbench model" loads a model written by hand to
// Workbench's format (design/tests/fixtures/bookshop.workbench.json) — and refuses a bad file,
// a model the engine refuses and a table that exists, changing nothing.
import fs from 'node:fs';
import path from 'node:path';

export default async function ({ test, assert, shot, openApp, launch, tempDir, dist }) {
  const repo = path.resolve(dist, '..');
  const fixture = path.join(repo, 'design/tests/fixtures/bookshop.workbench.json');

  await test('Export design: the tab shows the table as CloudFormation, Terraform and a Workbench model; the S3 export downloads a zip', async () => {
    const context = await launch(tempDir('design'), [], { acceptDownloads: true });
    const { page, w } = await openApp(context);
    await page.evaluate(async () => {
      await dynaplay.send('CreateTable', {
        TableName: 'Music',
        KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'SongTitle', AttributeType: 'S' },
          { AttributeName: 'Album', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [{ IndexName: 'AlbumIndex', KeySchema: [{ AttributeName: 'Album', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      });
      await dynaplay.send('UpdateTimeToLive', { TableName: 'Music', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
      for (const song of ['Sinnerman', 'Feeling Good']) {
        await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina' }, SongTitle: { S: song }, Album: { S: 'Pastel Blues' } } });
      }
    });
    // Nothing of the on-demand module is fetched until the tab opens.
    const fetched = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.click('.table-name:text("Music")');
    await page.click('[data-testid=tab-design]');
    assert(await page.evaluate(() => location.hash) === '#/tables/Music/design', 'the tab has its own address');
    const yaml = await page.waitForSelector('[data-testid=design-text-cfn-yaml]');
    assert(fetched.some((u) => /\/learn-[^/]*\/.*\.wasm$/.test(u)), 'the tab loads the on-demand module');
    const text = await yaml.textContent();
    for (const line of ['Type: AWS::DynamoDB::Table', 'TableName: Music', 'BillingMode: PROVISIONED', 'IndexName: AlbumIndex',
      'ProjectionType: KEYS_ONLY', 'StreamViewType: NEW_IMAGE', 'AttributeName: expiresAt']) {
      assert(text.includes(line), `${line} in\n${text}`);
    }
    assert(!text.includes('Tags') && !text.includes('LocalSecondaryIndexes'), 'nothing the table does not have');
    await shot(page, '60-export-design-cloudformation');
    await page.click('[data-testid=design-tab-cfn-json]');
    const json = JSON.parse(await page.textContent('[data-testid=design-text-cfn-json]'));
    assert(json.Resources.MusicTable.Properties.GlobalSecondaryIndexes[0].ProvisionedThroughput.WriteCapacityUnits === 1, JSON.stringify(json));
    await page.click('[data-testid=design-tab-terraform]');
    const tf = await page.textContent('[data-testid=design-text-terraform]');
    assert(tf.includes('resource "aws_dynamodb_table" "music"') && tf.includes('stream_view_type = "NEW_IMAGE"'), tf);
    await page.click('[data-testid=design-tab-cdk]');
    assert((await page.textContent('[data-testid=design-text-cdk]')).includes('new dynamodb.Table(this, "Table"'), 'the CDK app');
    // The Workbench model carries the items as its sample data, and says what it leaves out.
    await page.click('[data-testid=design-tab-workbench]');
    const model = JSON.parse(await page.textContent('[data-testid=design-text-workbench]'));
    assert(model.DataModel[0].TableData.length === 2 && model.DataModel[0].GlobalSecondaryIndexes[0].IndexName === 'AlbumIndex',
      JSON.stringify(model).slice(0, 300));
    assert(/stream/.test(await page.textContent('[data-testid=design-note]')), 'the note names the stream');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=design-download]')]);
    assert(download.suggestedFilename() === 'Music.workbench.json', download.suggestedFilename());
    // The items as S3 export files, in one zip.
    await page.click('[data-testid=design-tab-s3]');
    await page.fill('[data-testid=s3-bucket]', 'learner-bucket');
    await page.fill('[data-testid=s3-prefix]', 'exports');
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=s3-export]')]);
    assert(zip.suggestedFilename() === 'Music-s3-export.zip', zip.suggestedFilename());
    const bytes = fs.readFileSync(await zip.path());
    assert(bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'a zip');
    const listed = await page.$$eval('[data-testid=s3-files] code', (c) => c.map((x) => x.textContent));
    assert(listed.length === 4 && listed.every((p) => p.startsWith('exports/AWSDynamoDB/'))
      && listed.some((p) => /\/data\/[a-z2-7]{26}\.json\.gz$/.test(p)) && listed.some((p) => p.endsWith('/manifest-summary.json')),
    listed.join());
    assert((await page.textContent('[data-testid=s3-command]')).includes('S3Bucket=learner-bucket,S3KeyPrefix=exports/AWSDynamoDB/'), 'the import command');
    await shot(page, '61-export-design-s3');
    await w.check();
    await context.close();
  });

  await test('Workbench import: a hand-written model creates its tables and items; a bad file, a refused model and an existing table change nothing', async () => {
    const context = await launch(tempDir('workbench'));
    const { page, w } = await openApp(context);
    const tables = () => page.evaluate(() => dynaplay.send('ListTables', {}).then((r) => r.TableNames.join()));
    await page.click('[data-testid=open-workbench-import]');
    assert(await page.evaluate(() => location.hash) === '#/import/workbench', 'its own address');
    // A bad file: refused with where and why, nothing created.
    await page.setInputFiles('[data-testid=workbench-file]', { name: 'bad.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ DataModel: [{ TableName: 'Broken' }] })) });
    await page.waitForSelector('[data-testid=workbench-error]:text("table Broken has no KeyAttributes")');
    assert(await page.$('[data-testid=workbench-import]') === null, 'no import offered');
    // A model the engine refuses (a table name too short): the dry run stops it.
    await page.setInputFiles('[data-testid=workbench-file]', { name: 'short.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ DataModel: [{ TableName: 'ab', KeyAttributes: { PartitionKey: { AttributeName: 'id', AttributeType: 'S' } } }] })) });
    await page.click('[data-testid=workbench-import]');
    await page.waitForSelector('[data-testid=workbench-error]:text("Nothing was imported: the request that creates table ab is refused")');
    assert(await tables() === '', `nothing created: ${await tables()}`);
    // The hand-written model.
    await page.setInputFiles('[data-testid=workbench-file]', fixture);
    await page.waitForSelector('[data-testid=workbench-summary]:text("Model Bookshop: 2 tables, 7 items.")');
    const rows = await page.$$eval('[data-testid=workbench-table]', (r) => r.map((x) => x.textContent));
    assert(rows.length === 2 && rows[0].includes('GSI1, ByPrice, TitleOnly') && rows[0].includes('Book (BookId / Metadata, 2 items)')
      && rows[0].includes('provisioned 6 RCU / 4 WCU') && rows[1].includes('on demand'), rows.join(' | '));
    await shot(page, '62-workbench-preview');
    await page.click('[data-testid=workbench-import]');
    await page.waitForSelector('[data-testid=workbench-done]:text("Imported 7 items into Bookshop, Shoppers.")');
    assert(await tables() === 'Bookshop,Shoppers', await tables());
    const shape = await page.evaluate(async () => {
      const t = (await dynaplay.send('DescribeTable', { TableName: 'Bookshop' })).Table;
      const count = (await dynaplay.send('Scan', { TableName: 'Bookshop', Select: 'COUNT' })).Count;
      const shopper = (await dynaplay.send('GetItem', { TableName: 'Shoppers', Key: { email: { S: 'ines@example.com' } } })).Item;
      return { indexes: t.GlobalSecondaryIndexes.map((i) => `${i.IndexName}:${i.Projection.ProjectionType}`).join(), count, visits: shopper.visits.N };
    });
    assert(shape.indexes === 'GSI1:ALL,ByPrice:KEYS_ONLY,TitleOnly:INCLUDE' && shape.count === 5 && shape.visits === '2', JSON.stringify(shape));
    // Again: the tables exist, so the import stops before anything changes.
    await page.setInputFiles('[data-testid=workbench-file]', fixture);
    await page.click('[data-testid=workbench-import]');
    await page.waitForSelector('[data-testid=workbench-error]:text("Table already exists: Bookshop")');
    const after = await page.evaluate(async () => (await dynaplay.send('Scan', { TableName: 'Bookshop', Select: 'COUNT' })).Count);
    assert(await tables() === 'Bookshop,Shoppers' && after === 5, `unchanged: ${await tables()}, ${after} items`);
    await w.check();
    await context.close();
  });
}
