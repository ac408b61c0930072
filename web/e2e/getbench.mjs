// Where an in-page GetItem's time goes (a diagnostic, run by hand): dynaplay.send GetItem,
// ListTables (little engine work), an unknown operation (the boundary and error path only),
// and JSON.stringify+parse alone.  Usage: node web/e2e/getbench.mjs [DIST]
// PROFILE=1 (GetItem) or PROFILE=put (PutItem of new items): a CPU profile instead, self time per
// function (JavaScript functions with their place in the minified file); PROFILE_OUT=file keeps
// the whole profile (Chrome DevTools opens it).
import path from 'node:path';
import { serve, launch, tempDir } from './lib.mjs';

const dist = path.resolve(process.argv[2] || 'dist');
const { server, url } = await serve([dist]);
const context = await launch(tempDir('getbench'));
const page = await context.newPage();
await page.goto(`${url}/?storage=memory`);
await page.waitForSelector('[data-mode]');
await page.evaluate((n) => { window.ITEMS = n; }, Number(process.env.ITEMS || 10000));
// PROFILE=1: a CPU profile of GetItem calls, self time per function (build the wasm with names).
if (process.env.PROFILE) {
  const cdp = await context.newCDPSession(page);
  await page.evaluate(async () => {
    await dynaplay.send('CreateTable', { TableName: 'Prof', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await dynaplay.send('PlaygroundUpdateSettings', { ThrottlingEnabled: false });
    for (let i = 0; i < window.ITEMS; i++) await dynaplay.send('PutItem', { TableName: 'Prof', Item: { pk: { S: 'user#' + i }, name: { S: 'Name ' + i }, age: { N: String(i % 90) } } });
    for (let i = 0; i < 20000; i++) await dynaplay.send('GetItem', { TableName: 'Prof', Key: { pk: { S: 'user#' + (i % window.ITEMS) } } });
  });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.evaluate(async (put) => {
    if (put) for (let i = 0; i < 100000; i++) await dynaplay.send('PutItem', { TableName: 'Prof', Item: { pk: { S: 'new#' + i }, name: { S: 'Name ' + i }, age: { N: String(i % 90) } } });
    else for (let i = 0; i < 100000; i++) await dynaplay.send('GetItem', { TableName: 'Prof', Key: { pk: { S: 'user#' + (i % window.ITEMS) } } });
  }, process.env.PROFILE === 'put');
  const { profile } = await cdp.send('Profiler.stop');
  if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i] || 0)));
  let total = 0;
  for (const n of profile.nodes) {
    const t = dt.get(n.id) || 0; total += t;
    const name = (n.callFrame.functionName || '(anonymous)') + (n.callFrame.url.endsWith('.js') ? ` @${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}` : '');
    self.set(name, (self.get(name) || 0) + t);
  }
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP || 45))) {
    console.log(`${(100 * t / total).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
  }
}
const r = process.env.PROFILE ? {} : await page.evaluate(async () => {
  const N = 50000;
  await dynaplay.send('CreateTable', { TableName: 'Bench', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  await dynaplay.send('PlaygroundUpdateSettings', { ThrottlingEnabled: false });
  for (let i = 0; i < (window.ITEMS || 10000); i++) await dynaplay.send('PutItem', { TableName: 'Bench', Item: { pk: { S: 'user#' + i }, name: { S: 'Name ' + i }, age: { N: String(i % 90) } } });
  const rate = async (f) => { for (let i = 0; i < 2000; i++) await f(i); const t = performance.now(); for (let i = 0; i < N; i++) await f(i); return Math.round(N / ((performance.now() - t) / 1000)); };
  const out = {};
  for (let round = 0; round < 2; round++) {
    out.get = await rate((i) => dynaplay.send('GetItem', { TableName: 'Bench', Key: { pk: { S: 'user#' + (i % (window.ITEMS || 10000)) } } }));
    out.listTables = await rate(() => dynaplay.send('ListTables', {}));
    out.unknown = await rate(() => dynaplay.send('Nope', {}).catch(() => 0));
    out.json = await rate((i) => JSON.parse(JSON.stringify({ TableName: 'Bench', Key: { pk: { S: 'user#' + i } } })));
  }
  return out;
});
console.log(JSON.stringify(r));
await context.close();
server.close();
