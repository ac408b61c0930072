// Two builds taking turns in one run (the machine is shared, so only same-run ratios mean
// anything): in-page GetItem, PutItem of new items and overwrites through dynaplay.send, with
// sequential awaits, in turns of BLOCK requests (default 5,000; 1,000 and 100 rounds follow a
// drifting load best), A then B. Prints each build's 90th-percentile, best and median turn and
// how often B was faster; run it in both orders (A B, then B A).
// Usage: [BLOCK=1000] [BENCH_OPS=30000] node web/e2e/abbench.mjs DIST_A DIST_B [ROUNDS=20]
import path from 'node:path';
import { serve, launch, tempDir } from './lib.mjs';

const dists = [process.argv[2], process.argv[3]].map((d) => path.resolve(d));
const ROUNDS = Number(process.argv[4] || 20);
const N = Number(process.env.BENCH_OPS || 30000);
const pages = [];
for (const [i, dist] of dists.entries()) {
  const { server, url } = await serve([dist]);
  const context = await launch(tempDir(`abbench${i}`), process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []);
  const page = await context.newPage();
  await page.goto(`${url}/?storage=memory`);
  await page.waitForSelector('[data-mode]');
  await page.evaluate(async () => {
    await dynaplay.send('CreateTable', { TableName: 'Bench', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await dynaplay.send('PlaygroundUpdateSettings', { ThrottlingEnabled: false });
  });
  pages.push({ server, context, page });
}
// Short turns (BLOCK operations each), many of them, A then B: the load of a shared machine
// drifts slower than a turn, so the best and the median turn of each build compare.
const BLOCK = Number(process.env.BLOCK || 5000);
const results = dists.map(() => ({ get: [], put: [], overwrite: [] }));
for (const { page } of pages) {
  await page.evaluate(async (N) => {
    for (let k = 0; k < N; k++) await dynaplay.send('PutItem', { TableName: 'Bench', Item: { pk: { S: 'user#' + k }, name: { S: 'Name ' + k }, age: { N: String(k % 90) } } });
    for (let k = 0; k < N; k++) await dynaplay.send('GetItem', { TableName: 'Bench', Key: { pk: { S: 'user#' + k } } });
  }, N);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const op of ['get', 'put', 'overwrite']) {
    for (const [i, { page }] of pages.entries()) {
      const rate = await page.evaluate(async ({ N, BLOCK, round, op }) => {
        const item = (k) => ({ TableName: 'Bench', Item: { pk: { S: 'user#' + k }, name: { S: 'Name ' + k }, age: { N: String(k % 90) } } });
        const first = op === 'put' ? N + round * BLOCK : 0;
        const t = performance.now();
        if (op === 'get') for (let k = 0; k < BLOCK; k++) await dynaplay.send('GetItem', { TableName: 'Bench', Key: { pk: { S: 'user#' + ((k * 7919 + round) % N) } } });
        else for (let k = first; k < first + BLOCK; k++) await dynaplay.send('PutItem', item(k));
        return BLOCK / ((performance.now() - t) / 1000);
      }, { N, BLOCK, round, op });
      results[i][op].push(Math.round(rate));
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const k of ['get', 'put', 'overwrite']) {
  const [a, b] = results.map((r) => r[k]);
  const wins = a.filter((x, j) => b[j] > x).length;
  const p10 = (xs) => [...xs].sort((a, b) => b - a)[Math.floor(xs.length / 10)];
  console.log(`${k.padEnd(9)} 90th pct A ${p10(a)} B ${p10(b)} (B/A ${(p10(b) / p10(a)).toFixed(2)})`);
  console.log(`${k.padEnd(9)} best A ${Math.max(...a)} B ${Math.max(...b)} (B/A ${(Math.max(...b) / Math.max(...a)).toFixed(2)})  median A ${median(a)} B ${median(b)} (B/A ${(median(b) / median(a)).toFixed(2)})  B faster in ${wins}/${a.length} turns`);
}
for (const { context, server } of pages) { await context.close(); server.close(); }
