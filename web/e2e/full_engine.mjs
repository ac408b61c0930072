// The page's two engines (web/src/host/engines.rs, web/tools/full.mjs): the first load fetches
// the small build only; the Regions view offers the full engine (global tables, DAX) and its
// button reloads the page onto it once the learner's writes are committed, every item still
// there; the small engine refuses a global table's request with the engine's words; a journal
// written by the full engine, opened with the choice forgotten, makes the page switch to the
// full engine instead of reporting a damaged store; a lab that needs it offers it.

import fs from 'node:fs';
import path from 'node:path';

export default async function ({ test, assert, shot, openApp, launch, tempDir, dist }) {
  await test('full engine: first load small; the Regions view loads the full engine keeping every item; a full journal switches', async () => {
    const context = await launch(tempDir('full-engine'));
    const wasm = [];
    context.on('request', (r) => { if (/dynaplay-web-.*_bg\.wasm$|dynaplay-web-full-/.test(r.url())) wasm.push(r.url()); });
    const { page, w } = await openApp(context);
    const small = await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine()));
    assert(small === false, `the first load runs the small engine: ${small}`);
    assert(wasm.length === 1 && !wasm[0].includes('dynaplay-web-full-'), `the first load fetches the small wasm only: ${wasm.join(', ')}`);
    const timing = await page.evaluate(() => performance.getEntriesByName('dynaplay-first-render')[0]?.startTime);
    console.log(`     first render (small engine): ${timing === undefined ? '?' : timing.toFixed(0)} ms`);

    // Data, and a plain request the small engine refuses, with its words and no reload.
    const wrote = await page.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Keep', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }] });
      // The last writes are not awaited: the switch must wait for their commit itself.
      const puts = [];
      for (let i = 0; i < 50; i += 1) puts.push(dynaplay.send('PutItem', { TableName: 'Keep', Item: { k: { S: `item-${i}` } } }));
      await Promise.all(puts.slice(0, 40));
      const refusal = (p) => p.then(() => 'answered', (e) => `${e.name}: ${e.message}`);
      return [
        await refusal(dynaplay.send('UpdateTable', { TableName: 'Keep', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })),
        // The page's Region and DAX routing reach the engine, which refuses them alike.
        await refusal(dynaplay.send('GetItem', { TableName: 'Keep', Key: { k: { S: 'item-1' } } }, { region: 'us-west-2' })),
        await refusal(dynaplay.send('GetItem', { TableName: 'Keep', Key: { k: { S: 'item-1' } } }, { dax: 'c1' })),
      ];
    });
    const words = /^ValidationException: Not in this build of dynaplay's engine: (global tables|Regions other than|DAX)/;
    assert(wrote.every((r) => words.test(r)), wrote.join('\n'));
    assert(await page.evaluate(() => dynaplay.fullEngine()) === false, 'no reload on a plain request');

    await page.click('[data-testid=nav-regions]');
    await page.waitForSelector('[data-testid=full-engine-offer]');
    const offer = await page.textContent('[data-testid=full-engine-size]');
    assert(/loaded on demand \(\d+ KB more to download, once\)/.test(offer), offer);
    await shot(page, '85-full-engine-offer');
    const reloaded = page.waitForEvent('load');
    await page.click('[data-testid=use-full-engine]');
    await reloaded;
    await page.waitForSelector('[data-mode]');
    const after = await page.evaluate(async () => {
      await dynaplay.ready;
      const scan = await dynaplay.send('Scan', { TableName: 'Keep', Select: 'COUNT' });
      return { full: dynaplay.fullEngine(), count: scan.Count, hash: location.hash };
    });
    assert(after.full === true && after.count === 50, `the full engine, every item there: ${JSON.stringify(after)}`);
    assert(wasm.some((u) => u.includes('dynaplay-web-full-')), 'the full wasm was fetched');
    await page.waitForSelector('[data-testid=make-global-table]');
    const first = await page.evaluate(() => performance.getEntriesByName('dynaplay-first-render')[0]?.startTime);
    console.log(`     first render (full engine, cached): ${first === undefined ? '?' : first.toFixed(0)} ms`);

    // A replica: the journal now holds what only the full engine replays.
    const replica = await page.evaluate(async () => {
      await dynaplay.send('UpdateTable', { TableName: 'Keep', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] });
      return dynaplay.send('DescribeTable', { TableName: 'Keep' }).then((d) => d.Table.Replicas.length);
    });
    assert(replica === 1, `a replica: ${replica}`);
    await w.check();

    // The choice forgotten: the small engine meets the replica in the journal and switches.
    await page.evaluate(() => localStorage.removeItem('dynaplay.engine'));
    await page.reload();
    // Two loads: the small engine's, which switches, then the full engine's.
    for (let tries = 0; ; tries += 1) {
      const full = await page.evaluate(() => window.dynaplay && dynaplay.fullEngine()).catch(() => null);
      if (full === true) break;
      assert(tries < 300, 'the page never switched to the full engine');
      await page.waitForTimeout(100);
    }
    const back = await page.evaluate(async () => ({
      engine: localStorage.getItem('dynaplay.engine'),
      stats: dynaplay.stats(),
      count: (await dynaplay.send('Scan', { TableName: 'Keep', Select: 'COUNT' })).Count,
      replicas: (await dynaplay.send('DescribeTable', { TableName: 'Keep' })).Table.Replicas.length,
    }));
    assert(back.engine === 'full' && back.count === 50 && back.replicas === 1, JSON.stringify(back));
    assert(!back.stats.damage && back.stats.mode === 'saved', `no damage reported: ${JSON.stringify(back.stats)}`);
    assert(!(await page.$('[data-testid=damage-banner]')), 'no damaged-store banner');

    // A workspace file holding a replica, opened in a new workspace (as a share link or the
    // header's Import does) by the small engine: kept for the full engine, which imports it.
    await page.evaluate(async () => {
      const text = await dynaplay.exportWorkspace();
      localStorage.removeItem('dynaplay.engine');
      sessionStorage.setItem('dynaplay.import.fromfile', text);
      location.assign('?ws=fromfile');
    });
    for (let tries = 0; ; tries += 1) {
      const at = await page.evaluate(() => window.dynaplay && dynaplay.fullEngine() && location.search).catch(() => null);
      if (at === '?ws=fromfile') break;
      assert(tries < 300, 'the new workspace never opened on the full engine');
      await page.waitForTimeout(100);
    }
    const imported = await page.evaluate(async () => {
      await dynaplay.ready;
      const d = await dynaplay.send('DescribeTable', { TableName: 'Keep' });
      return { items: d.Table.ItemCount, replicas: d.Table.Replicas.length, count: (await dynaplay.send('Scan', { TableName: 'Keep', Select: 'COUNT' })).Count };
    });
    assert(imported.replicas === 1 && imported.count === 50, `imported by the full engine: ${JSON.stringify(imported)}`);
    await w.check();
    await context.close();
  });

  await test('full engine: the labs that need it (DAX, global tables, …) offer the full engine in the small one', async () => {
    const context = await launch(tempDir('full-lab'));
    const { page, w } = await openApp(context);
    // The list says which labs load the full engine.
    await page.click('[data-testid=open-labs]');
    await page.waitForSelector('[data-testid=lab-dax]');
    const listed = await page.$$eval('.lab-list li', (li) => li.filter((l) => l.textContent.includes('loads the full engine'))
      .map((l) => l.querySelector('a').dataset.testid).sort());
    // Exactly the labs whose index line says "engine": "full".
    const index = JSON.parse(fs.readFileSync(path.join(dist, 'labs', 'index.json'), 'utf8'));
    const full = index.labs.filter((l) => l.engine === 'full').map((l) => `lab-${l.id}`).sort();
    assert(full.includes('lab-dax') && full.includes('lab-global-tables'), `index: ${full}`);
    assert(JSON.stringify(listed) === JSON.stringify(full), `marked: ${listed}, index: ${full}`);
    // Their files say "engine": "full": the offer comes before the lab can start.
    for (const id of ['dax', 'global-tables']) {
      await page.evaluate((id) => { location.hash = `#/labs/${id}`; }, id);
      await page.waitForSelector('[data-testid=use-full-engine]');
      assert(!(await page.$('[data-testid=lab-start]')), `${id}: no start in the small engine`);
      const said = await page.textContent('[data-testid=lab]');
      assert(said.includes('This lab needs global tables or DAX'), said);
    }
    await w.check();
    await context.close();
  });
}
