// Every view from a phone's 360 px to a wide screen (issue 14): nothing wider than the screen,
// and an axe-core audit (npm) with no serious or critical violation — labelled controls,
// contrast, roles, scrolling regions reachable from the keyboard. Registered by run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const axe = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const VIEWS = ['#/', '#/create', '#/tables/Music', '#/tables/Music/items/stream', '#/tables/Music/capacity', '#/labs',
  '#/labs/first-table', '#/practice', '#/calculator', '#/workspaces', '#/tables/Music/design', '#/tables/Music/vectors', '#/import/workbench', '#/dax', '#/access'];

export default async function a11y({ test, assert, launch, tempDir, url, shot }) {
  // What a page shows that is wider than the screen, and axe's serious and critical findings.
  async function audit(page) {
    const overflow = await page.evaluate(() => (document.documentElement.scrollWidth > innerWidth + 1
      ? [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
        .slice(-2).map((e) => `${e.tagName}.${e.className} reaches ${Math.round(e.getBoundingClientRect().right)} px`) : []));
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axe });
    const found = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`));
    return [...overflow, ...found];
  }

  for (const width of [360, 1280]) {
    await test(`every view at ${width} px: nothing cut off, no serious or critical axe-core finding`, async () => {
      // The page's Content-Security-Policy is bypassed only to inject axe itself.
      const context = await launch(tempDir(`a11y-${width}`), [], { bypassCSP: true, viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${url}/?storage=memory`);
      await page.waitForSelector('[data-mode]');
      await page.evaluate(async () => {
        await dynaplay.send('CreateTable', { TableName: 'Music', BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }] });
        await dynaplay.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina' }, Year: { N: '2019' } } });
      });
      const problems = [];
      for (const hash of VIEWS) {
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.waitForTimeout(600);
        for (const p of await audit(page)) problems.push(`${hash} ${p}`);
      }
      // The item editor and a console exchange, open.
      await page.evaluate(() => { location.hash = '#/tables/Music'; });
      await page.click('[data-testid=add-item]');
      await page.waitForSelector('[data-testid=item-text]');
      for (const p of await audit(page)) problems.push(`item editor ${p}`);
      await page.click('[data-testid=send]');
      await page.waitForSelector('[data-testid=response-status]');
      for (const p of await audit(page)) problems.push(`console ${p}`);
      if (width === 360) await shot(page, 'a11y-01-360px');
      assert(problems.length === 0, problems.join('\n'));
      await context.close();
    });
  }

  await test('embedded: the example docs page and an embedded console at 360 px, no serious or critical finding', async () => {
    const context = await launch(tempDir('a11y-embed'), [], { bypassCSP: true, viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    const problems = [];
    await page.goto(`${url}/docs-example.html`);
    await page.evaluate(() => window.dynaplayEmbed.ready);
    await page.click('.dynaplay-snippet:has(#query) button');
    await page.waitForFunction(() => document.querySelector('#query').parentElement.querySelector('.dynaplay-output').textContent.includes('Items'));
    for (const p of await audit(page)) problems.push(`docs page ${p}`);
    await page.goto(`${url}/index.html?embed=console`);
    await page.waitForSelector('[data-testid=send]');
    for (const p of await audit(page)) problems.push(`embedded console ${p}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  });
}
