// Backups and point-in-time recovery in the page (issue 18, items 1 and 4): the Backups view
// (#/backups, in the module loaded on demand, with the full engine) — PITR turned on from the
// view, writes and a bad delete marked on the timeline, a second picked from a mark, the table
// previewed as it was then (PlaygroundDescribeHistory: no table made), restored into a new
// table, and on-demand backups made, restored and deleted; in the small engine the view offers
// the full one. Then the lab "point-in-time-recovery" walked through the view and "show me",
// whose lab-time RestoreDateTime ({"$secondsBeforeNow": 61}) is shown resolved.
// The playground clock is paused and stepped, so the figures do not depend on this machine.
import fs from 'node:fs';
import path from 'node:path';

export default async function ({ test, assert, shot, openApp, launch, tempDir, dist }) {
  const full = async (name) => {
    const context = await launch(tempDir(name));
    await context.addInitScript(() => { try { localStorage.setItem('dynaplay.engine', 'full'); } catch (_) { /* a sandboxed frame */ } });
    const { page, w } = await openApp(context);
    assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())) === true, 'the full engine runs');
    const send = (op, request) => page.evaluate(([op, request]) =>
      dynaplay.send(op, request).then((r) => ({ ok: true, r }), (e) => ({ ok: false, e: e.name, m: e.message })), [op, request]);
    return { context, page, w, send };
  };

  await test('Backups view: PITR on, the bad delete on the timeline, a preview of the second before it, a restore, backups', async () => {
    const { context, page, w, send } = await full('backups');
    const advance = (ms) => send('PlaygroundAdvanceTime', { Milliseconds: ms });
    assert((await send('PlaygroundUpdateTime', { Paused: true })).ok, 'the clock pauses');
    assert((await send('CreateTable', { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })).ok, 'table');

    await page.click('[data-testid=nav-backups]');
    await page.waitForSelector('[data-testid=pitr-off]');
    assert(await page.evaluate(() => location.hash) === '#/backups', 'the view has its own address');
    await page.fill('[data-testid=pitr-days]', '7');
    await page.click('[data-testid=pitr-enable]');
    await page.waitForSelector('[data-testid=pitr-timeline]');
    assert((await page.textContent('[data-testid=pitr-on]')).includes('7 days'), await page.textContent('[data-testid=pitr-on]'));
    const pitr = await send('DescribeContinuousBackups', { TableName: 'Orders' });
    assert(pitr.r.ContinuousBackupsDescription.PointInTimeRecoveryDescription.RecoveryPeriodInDays === 7, JSON.stringify(pitr));

    // Writes, then a bad delete of two of them, seconds apart.
    await advance(2000);
    for (const id of ['a', 'b', 'c']) assert((await send('PutItem', { TableName: 'Orders', Item: { id: { S: id }, n: { N: '1' } } })).ok, id);
    await advance(5000);
    const del = await send('BatchWriteItem', { RequestItems: { Orders: [
      { DeleteRequest: { Key: { id: { S: 'a' } } } }, { DeleteRequest: { Key: { id: { S: 'b' } } } }] } });
    assert(del.ok, JSON.stringify(del));
    await advance(3000);
    // One mark for the batch's two deletes, one for the three puts (one instant of a paused clock).
    await page.waitForSelector('[data-testid=pitr-mark][data-kind=REMOVE][data-count="2"]');
    assert(await page.$$eval('[data-testid=pitr-mark][data-kind=INSERT]', (m) => m.map((x) => x.dataset.count).join()) === '3', 'the INSERT mark');
    assert((await page.textContent('[data-testid=pitr-window]')).includes('5 changes'), await page.textContent('[data-testid=pitr-window]'));

    // A REMOVE mark picks the second before the delete; its preview has the deleted items back.
    await page.click('[data-testid=pitr-mark][data-kind=REMOVE]');
    await page.waitForFunction(() => document.querySelector('[data-testid=pitr-picked]').textContent.startsWith('Picked:'));
    const picked = await page.textContent('[data-testid=pitr-picked]');
    // The second before the delete: 3 to 4 s before now (engine time has milliseconds).
    assert(/ (3\.\d+|4) s before now/.test(picked), picked);
    await page.click('[data-testid=pitr-preview]');
    await page.waitForSelector('[data-testid=pitr-preview-count]');
    const count = await page.textContent('[data-testid=pitr-preview-count]');
    assert(count.endsWith(': 3 items'), count);
    const items = await page.$$eval('[data-testid=pitr-preview-item]', (l) => l.map((i) => i.textContent).join(' '));
    assert(items.includes('"a"') && items.includes('"b"') && items.includes('"c"'), items);
    const tables = async () => (await send('ListTables', {})).r.TableNames;
    assert(JSON.stringify(await tables()) === '["Orders"]', 'a preview makes no table');
    await shot(page, '80-backups-timeline');

    // Restore it into a new table, provisioned and with a KMS key (the overrides DynamoDB offers).
    await page.fill('[data-testid=restore-target]', 'OrdersBack');
    await page.selectOption('[data-testid=restore-billing]', 'PROVISIONED');
    await page.selectOption('[data-testid=restore-encryption]', 'KMS');
    await page.click('[data-testid=pitr-restore]');
    await page.waitForSelector('[data-testid=backups-said]:has-text("OrdersBack is being restored")');
    const back = await send('Scan', { TableName: 'OrdersBack' });
    assert(back.ok && back.r.Count === 3, JSON.stringify(back));
    const described = await send('DescribeTable', { TableName: 'OrdersBack' });
    assert(described.r.Table.RestoreSummary.RestoreInProgress === true, JSON.stringify(described.r.Table.RestoreSummary));
    assert(described.r.Table.BillingModeSummary === undefined || described.r.Table.BillingModeSummary.BillingMode === 'PROVISIONED', JSON.stringify(described.r.Table));
    assert(described.r.Table.ProvisionedThroughput.ReadCapacityUnits === 5, JSON.stringify(described.r.Table.ProvisionedThroughput));
    await page.selectOption('[data-testid=restore-billing]', '');
    await page.selectOption('[data-testid=restore-encryption]', '');
    const now = await send('Scan', { TableName: 'Orders', Select: 'COUNT' });
    assert(now.r.Count === 1, 'the source table is untouched');
    // The latest restorable time is after the delete.
    await page.fill('[data-testid=restore-target]', 'OrdersLatest');
    await page.click('[data-testid=pitr-restore-latest]');
    await page.waitForSelector('[data-testid=backups-said]:has-text("OrdersLatest is being restored")');
    assert((await send('Scan', { TableName: 'OrdersLatest', Select: 'COUNT' })).r.Count === 1, 'latest: after the delete');

    // On-demand backups: make one, restore it, delete it.
    await page.fill('[data-testid=backup-name]', 'nightly');
    await page.click('[data-testid=backup-create]');
    await page.waitForSelector('[data-testid=backup-row]');
    assert((await page.textContent('[data-testid=backup-row]')).includes('nightly'), await page.textContent('[data-testid=backup-row]'));
    await page.fill('[data-testid=restore-target]', 'OrdersCopy');
    await page.click('[data-testid=backup-restore]');
    await page.waitForSelector('[data-testid=backups-said]:has-text("restored from the backup")');
    assert((await send('Scan', { TableName: 'OrdersCopy', Select: 'COUNT' })).r.Count === 1, 'the backup holds the table as it was');
    await page.click('[data-testid=backup-delete]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=backup-row]'));
    const listed = await send('ListBackups', { TableName: 'Orders' });
    assert(listed.r.BackupSummaries.length === 0, JSON.stringify(listed));
    await w.check();
    await context.close();

    // The small engine explains and offers the full one.
    const small = await launch(tempDir('backups-small'));
    const { page: p2, w: w2 } = await openApp(small, '#/backups');
    await p2.waitForSelector('[data-testid=full-engine-offer]');
    assert((await p2.textContent('[data-testid=full-engine-offer]')).includes('Backups and point-in-time recovery'), 'the offer names the view');
    assert(await p2.$('[data-testid=use-full-engine]'), 'and loads the full engine');
    await w2.check();
    await small.close();
  });

  await test('lab point-in-time-recovery: the bad delete found on the timeline, the second before it previewed and restored', async () => {
    const lab = JSON.parse(fs.readFileSync(path.join(dist, 'labs/point-in-time-recovery.json'), 'utf8'));
    const { context, page, w, send } = await full('backups-lab');
    const toLab = async () => {
      await page.evaluate(() => { location.hash = '#/labs/point-in-time-recovery'; });
      await page.waitForSelector('[data-testid=lab-step]');
    };
    await page.evaluate(() => { location.hash = '#/labs/point-in-time-recovery'; });
    await page.waitForSelector('[data-testid=lab-start]');
    await page.click('[data-testid=lab-start]');
    await page.waitForSelector('[data-testid=lab-step]');
    assert((await page.textContent('[data-testid=lab-step]')).includes('Step 1 of 3'), 'step 1');

    // Step 1 in the Backups view: its timeline reads the history; four REMOVE marks at once.
    await page.click('[data-testid=nav-backups]');
    await page.waitForSelector('[data-testid=pitr-mark][data-kind=REMOVE][data-count="4"]');
    await toLab();
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-pass]');
    await page.click('[data-testid=lab-next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=lab-step]').textContent.includes('Step 2 of 3'));

    // Step 2: a wrong action (the latest restorable time) is refused with its sentence.
    const latest = await send('RestoreTableToPointInTime', { SourceTableName: 'Orders', TargetTableName: 'OrdersRestored', UseLatestRestorableTime: true });
    assert(latest.ok, JSON.stringify(latest));
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-refusal]');
    const said = await page.textContent('[data-testid=lab-refusal]');
    assert(said.includes(lab.steps[1].wrong[0].missing), said);
    assert((await send('DeleteTable', { TableName: 'OrdersRestored' })).ok, 'the wrong restore deleted');

    // The view: the mark picks the second before the delete, 60–61 s before now; its preview holds six orders.
    await page.click('[data-testid=nav-backups]');
    await page.waitForSelector('[data-testid=pitr-mark][data-kind=REMOVE]');
    await page.selectOption('[data-testid=backups-table]', 'Orders');
    await page.click('[data-testid=pitr-mark][data-kind=REMOVE]');
    await page.waitForFunction(() => / (60\.\d+|61) s before now/.test(document.querySelector('[data-testid=pitr-picked]').textContent));
    await page.click('[data-testid=pitr-preview]');
    await page.waitForSelector('[data-testid=pitr-preview-count]');
    assert((await page.textContent('[data-testid=pitr-preview-count]')).endsWith(': 6 items'), await page.textContent('[data-testid=pitr-preview-count]'));
    await page.fill('[data-testid=restore-target]', 'OrdersRestored');
    await page.click('[data-testid=pitr-restore]');
    await page.waitForSelector('[data-testid=backups-said]:has-text("OrdersRestored is being restored")');
    await toLab();
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-pass]');
    const restored = await send('Scan', { TableName: 'OrdersRestored', Select: 'COUNT' });
    assert(restored.r.Count === 6, JSON.stringify(restored));

    // "Show me" sends the lab-time request resolved, and shows it so.
    assert((await send('DeleteTable', { TableName: 'OrdersRestored' })).ok, 'again, by show me');
    const time = (await send('PlaygroundDescribeTime', {})).r.Now;
    const refused = await (async () => {
      await page.click('[data-testid=lab-show-me]');
      await page.waitForSelector('[data-testid=lab-shown]', { timeout: 60000 });
      return page.$('[data-testid=lab-refusal]');
    })();
    assert(!refused, 'show me passes');
    const shown = await page.textContent('[data-testid=lab-shown]');
    assert(!shown.includes('$secondsBeforeNow') && !shown.includes('(refused)'), shown);
    const at = (time - 61000) / 1000;
    assert(shown.includes(`"RestoreDateTime": ${at}`), `resolved to ${at}: ${shown}`);
    await page.click('[data-testid=lab-next]');

    // Step 3 by "show me", then the summary.
    await page.waitForFunction(() => document.querySelector('[data-testid=lab-step]').textContent.includes('Step 3 of 3'));
    await page.click('[data-testid=lab-show-me]');
    await page.waitForSelector('[data-testid=lab-pass]', { timeout: 60000 });
    await page.click('[data-testid=lab-next]');
    await page.waitForSelector('[data-testid=lab-summary]');
    await w.check();
    await context.close();
  });
}
