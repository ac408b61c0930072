// Table exports in the page (issue 18): in the full engine, a table's Export design tab lists the
// exports ExportTableToPointInTime made of it in the playground's object store and downloads one
// as a .zip of its files (manifests, checksums, gzip'd data), laid out as in S3; "Export this
// table now" exports it (point-in-time recovery must be on, else DynamoDB's refusal is shown).
import fs from 'node:fs';

export default async function ({ test, assert, shot, openApp, launch, tempDir }) {
  await test('Exports: the Export design tab lists the table\'s exports and downloads one as a zip', async () => {
    const context = await launch(tempDir('exports'), [], { acceptDownloads: true });
    const { page, w } = await openApp(context, '?engine=full');
    await page.evaluate(async () => {
      await dynaplay.send('CreateTable', {
        TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
      });
      for (const artist of ['Nina', 'Miles']) {
        await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: artist } } });
      }
    });
    await page.click('.table-name:text("Music")');
    await page.click('[data-testid=tab-design]');
    await page.click('[data-testid=design-tab-s3]');
    await page.waitForSelector('[data-testid=table-exports]');
    await page.fill('[data-testid=s3-bucket]', 'learner-bucket');
    // Without point-in-time recovery DynamoDB refuses an export.
    await page.click('[data-testid=export-now]');
    await page.waitForSelector('[data-testid=export-note]:text("PointInTimeRecoveryUnavailableException")');
    await page.evaluate(() => dynaplay.send('UpdateContinuousBackups', {
      TableName: 'Music', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await page.click('[data-testid=export-now]');
    await page.waitForSelector('[data-testid=export-note]:text("IN_PROGRESS")');
    const row = await page.waitForSelector('[data-testid=table-export]');
    assert((await row.textContent()).includes('FULL_EXPORT'), await row.textContent());
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-export]')]);
    assert(/^\d{14}-[0-9a-f]{8}\.zip$/.test(zip.suggestedFilename()), zip.suggestedFilename());
    const bytes = fs.readFileSync(await zip.path());
    assert(bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'a zip');
    const text = bytes.toString('latin1');
    for (const name of ['manifest-summary.json', 'manifest-files.json', '_started', '.json.gz']) {
      assert(text.includes(name), `${name} in the zip`);
    }
    await shot(page, '62-table-exports');
    await w.check();
    await context.close();
  });
}
