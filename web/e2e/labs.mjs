// End-to-end tests of the guided labs (static/labs/, the labs panel in web/src/learn/labs.rs,
// part of the teaching module loaded on demand), registered by run.mjs. Every lab of the index is walked through the UI: start it,
// and for each step press "Show me" (which sends the step's exact requests through the host,
// like any other request) and see its check pass, then "Next step", up to the summary. Wrong
// actions — sent through the JS API and the console, not the lab panel — are refused with the
// step's "missing" sentence. The learner's own workspace is untouched by all of it.
import fs from 'node:fs';
import path from 'node:path';

export default async function labs({ test, assert, shot, openApp, launch, tempDir, dist }) {
  const index = JSON.parse(fs.readFileSync(path.join(dist, 'labs/index.json'), 'utf8')).labs;
  const lab = (id) => JSON.parse(fs.readFileSync(path.join(dist, `labs/${id}.json`), 'utf8'));

  async function startLab(page, id) {
    await page.evaluate((id) => { location.hash = `#/labs/${id}`; }, id);
    await page.waitForSelector('[data-testid=lab-start]');
    await page.click('[data-testid=lab-start]');
    await page.waitForSelector('[data-testid=lab-step]');
  }

  async function stepTitle(page) { return page.textContent('[data-testid=lab-step]'); }

  // Presses "Show me" on the current step and waits for its verdict.
  async function showMe(page) {
    await page.click('[data-testid=lab-show-me]');
    // The requests shown and the verdict arrive together, once every request has answered.
    await page.waitForSelector('[data-testid=lab-shown]', { timeout: 60000 });
    const refusal = await page.$('[data-testid=lab-refusal]');
    return refusal ? page.textContent('[data-testid=lab-refusal]') : null;
  }

  await test(`guided labs: all ${index.length} labs walked end to end with "show me", every check passing`, async () => {
    assert(index.length >= 16, `at least 16 labs: ${index.length}`);
    const context = await launch(tempDir('labs'));
    const { page, w } = await openApp(context);
    // The learner's own workspace, which no lab may touch.
    await page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Mine', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));
    // The teaching module is not part of the first load: it is fetched when a lab opens.
    const learnFetches = () => page.evaluate(() => performance.getEntriesByType('resource')
      .map((r) => r.name).filter((n) => /\/learn-[0-9a-f]+\/.*_bg\.wasm$/.test(n)).length);
    assert(await learnFetches() === 0, 'the first load fetches no teaching module');
    await page.click('[data-testid=open-labs]');
    await page.waitForSelector(`[data-testid=lab-${index[0].id}]`);
    assert(await learnFetches() === 1, 'opening the labs fetched the teaching module once');
    for (const entry of index) {
      const file = lab(entry.id);
      // A lab that needs global tables or DAX offers the full engine; its button reloads the
      // page onto it (the learner's table kept, checked at the end), and the walk goes on there.
      if (entry.engine === 'full' && !(await page.evaluate(() => dynaplay.fullEngine()))) {
        await page.evaluate((id) => { location.hash = `#/labs/${id}`; }, entry.id);
        await page.waitForSelector('[data-testid=use-full-engine]');
        const loaded = page.waitForEvent('load');
        await page.click('[data-testid=use-full-engine]');
        await loaded;
        await page.waitForSelector('[data-mode]');
        assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())), `${entry.id}: the full engine runs`);
      }
      await startLab(page, entry.id);
      assert(await page.$('[data-testid=lab-bar]'), `${entry.id}: the lab workspace is announced`);
      for (let n = 0; n < file.steps.length; n++) {
        const title = await stepTitle(page);
        assert(title.includes(`Step ${n + 1} of ${file.steps.length}`), `${entry.id}: ${title}`);
        // The check refuses before anything is done.
        await page.click('[data-testid=lab-check]');
        await page.waitForSelector('[data-testid=lab-refusal]');
        const refused = await showMe(page);
        assert(refused === null, `${entry.id} step ${n + 1}: "show me" passes its check, not: ${refused}`);
        await page.click('[data-testid=lab-next]');
      }
      await page.waitForSelector('[data-testid=lab-summary]');
      if (entry.id === 'hot-partition') await shot(page, 'labs-01-summary');
    }
    // Back to the learner's own tables: only theirs.
    await page.click('text=Back to my workspace');
    await page.waitForFunction(() => !document.querySelector('[data-testid=lab-bar]'));
    const tables = await page.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);
    assert(JSON.stringify(tables) === '["Mine"]', `the learner's workspace holds only its own table: ${tables}`);
    await w.check();
    await context.close();
  });

  await test('guided labs: wrong actions from the JS API and the console are refused with what is missing; progress resumes', async () => {
    const context = await launch(tempDir('labs-wrong'));
    const { page, w } = await openApp(context);
    // capacity-maths, step 1: a read of the wrong item through window.dynaplay.
    const maths = lab('capacity-maths');
    await startLab(page, 'capacity-maths');
    const wrong = maths.steps[0].wrong[0];
    await page.evaluate(async (steps) => { for (const s of steps) await dynaplay.send(s.op, s.request); }, wrong.steps);
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-refusal]');
    const said = await page.textContent('[data-testid=lab-refusal]');
    assert(said.includes(wrong.missing) && said.includes('your last GetItem: request.Key.Id.S is "s1", expected "big"'), said);
    await shot(page, 'labs-02-refusal');
    // The right request, typed in the console, passes (checked without pressing Check).
    const right = maths.steps[0].showMe[0];
    await page.fill('[data-testid=operation]', right.op);
    await page.fill('[data-testid=request]', JSON.stringify(right.request));
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=response-status]');
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-pass]');
    await page.click('[data-testid=lab-next]');
    await page.waitForSelector('text=Step 2 of');
    // A reload resumes at step 2, rebuilding the lab's workspace.
    await page.reload();
    await page.waitForSelector('[data-mode]');
    await page.waitForSelector('[data-testid=lab-start]');
    assert((await page.textContent('[data-testid=lab-start]')).includes('Resume at step 2'), 'resumable');
    await page.click('[data-testid=lab-start]');
    await page.waitForSelector('text=Step 2 of');
    // The strongly consistent read, through the console this time, but eventually consistent: refused.
    const bad = maths.steps[1].wrong[0].steps[0];
    await page.fill('[data-testid=operation]', bad.op);
    await page.fill('[data-testid=request]', JSON.stringify(bad.request));
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=response-status]');
    await page.click('[data-testid=lab-check]');
    await page.waitForSelector('[data-testid=lab-refusal]');
    assert((await page.textContent('[data-testid=lab-refusal]')).includes(maths.steps[1].wrong[0].missing), 'refused');
    await w.check();
    await context.close();
  });

  await test('demo mode: larger type and high contrast, time controls in the header, a lab advanced with the arrow key', async () => {
    const context = await launch(tempDir('labs-demo'));
    const { page, w } = await openApp(context, '?demo');
    assert(await page.evaluate(() => document.documentElement.classList.contains('demo')), '?demo turns demo mode on');
    const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    assert(size === '20px', `larger type: ${size}`);
    // The time controls are at hand in the header: pause, and the engine says it is paused.
    await page.click('header [data-testid=time-pause]');
    await page.waitForFunction(async () => (await dynaplay.send('PlaygroundDescribeTime', {})).Paused === true);
    await page.waitForSelector('header [data-testid=time-pause]:has-text("Resume")');
    await page.click('header [data-testid=time-pause]');
    await page.waitForFunction(async () => (await dynaplay.send('PlaygroundDescribeTime', {})).Paused === false);
    // A presenter's clicker (→) starts the lab, shows the step, then moves to the next one.
    await page.click('[data-testid=nav-labs]');
    await page.waitForSelector('[data-testid=lab-first-table]');
    await page.click('[data-testid=lab-first-table]');
    await page.waitForSelector('[data-testid=lab-start]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('text=Step 1 of');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid=lab-pass]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('text=Step 2 of');
    await shot(page, 'labs-03-demo-mode');
    // Off again, and it stays off after a reload (kept in localStorage).
    await page.click('[data-testid=demo-toggle]');
    assert(!(await page.evaluate(() => document.documentElement.classList.contains('demo'))), 'off');
    await page.goto(page.url().replace('?demo', ''));
    await page.waitForSelector('[data-mode]');
    assert(!(await page.evaluate(() => document.documentElement.classList.contains('demo'))), 'still off after a reload');
    await w.check();
    await context.close();
  });

  await test('guided labs: opening another lab never shows (or starts) the last one while the new file loads', async () => {
    const context = await launch(tempDir('labs-switch'));
    const { page, w } = await openApp(context);
    await startLab(page, 'first-table');
    // The next lab's file arrives late, as on a slow network.
    await page.route('**/labs/partiql.json', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
    await page.evaluate(() => { location.hash = '#/labs/partiql'; });
    await page.waitForSelector('text=Loading the lab');
    const shown = await page.textContent('[data-testid=learn-slot]');
    assert(!shown.includes(lab('first-table').title) && !(await page.$('[data-testid=lab-start]')), `stale lab shown: ${shown.slice(0, 200)}`);
    await page.waitForSelector('[data-testid=lab-start]');
    await page.click('[data-testid=lab-start]');
    await page.waitForSelector('text=Step 1 of');
    const tables = await page.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);
    const setup = lab('partiql').setup.filter((s) => s.op === 'CreateTable').map((s) => s.request.TableName).sort();
    assert(JSON.stringify(tables) === JSON.stringify(setup), `the partiql lab's own workspace: ${tables} vs ${setup}`);
    await w.check();
    await context.close();
  });
}
