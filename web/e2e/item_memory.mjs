// Memory per stored item in the page (issue 15): how much the wasm memory grows while
// ITEM_MEMORY_ITEMS (default 200,000) items of exactly 200 bytes — the items bench/run.sh
// stores in each server (bench/lib/load.mjs, `memoryItem`) — are stored in memory
// (`?storage=memory`) with BatchWriteItem through window.dynaplay.send.
//   node web/e2e/item_memory.mjs [DIST]      (bench/browser.sh runs it on a release build)
// The wasm memory never shrinks, so its growth is what the items cost the page, allocator
// overhead and fragmentation included (it grows in steps of 1 MiB or more: a few bytes per
// item of rounding).
import path from 'node:path';
import { serve, launch, tempDir } from './lib.mjs';

const dist = path.resolve(process.argv[2] || 'dist');
const ITEMS = Number(process.env.ITEM_MEMORY_ITEMS || 200_000);
const ITEM_BYTES = 200;

const { server, url } = await serve([dist]);
const context = await launch(tempDir('item-memory'));
await context.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail?.wasm?.memory; });
});
const page = await context.newPage();
await page.goto(`${url}/?storage=memory`);
await page.waitForSelector('[data-mode]');
const r = await page.evaluate(async ({ ITEMS, ITEM_BYTES }) => {
  const table = {
    TableName: 'Memory', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  };
  await dynaplay.send('CreateTable', table);
  await dynaplay.send('PlaygroundUpdateSettings', { ThrottlingEnabled: false });
  // bench/lib/load.mjs's memoryItem: every attribute a string of fixed width.
  const item = (i) => {
    const n = String(i).padStart(7, '0');
    const it = { pk: { S: `item#${n}` }, sk: { S: 'profile' }, name: { S: `Name ${n}` },
      email: { S: `user${n}@example.com` }, city: { S: 'London' } };
    const used = Object.entries(it).reduce((sum, [k, v]) => sum + k.length + v.S.length, 0);
    it.bio = { S: 'x'.repeat(ITEM_BYTES - used - 'bio'.length) };
    return it;
  };
  const before = window.__wasmMemory.buffer.byteLength;
  const t = performance.now();
  for (let first = 0; first < ITEMS; first += 25) {
    const writes = [];
    for (let i = first; i < Math.min(ITEMS, first + 25); i++) writes.push({ PutRequest: { Item: item(i) } });
    const answer = await dynaplay.send('BatchWriteItem', { RequestItems: { Memory: writes } });
    if (Object.keys(answer.UnprocessedItems || {}).length) throw new Error('items left unprocessed');
  }
  const seconds = (performance.now() - t) / 1000;
  const after = window.__wasmMemory.buffer.byteLength;
  const described = await dynaplay.send('DescribeTable', { TableName: 'Memory' });
  return { before, after, seconds, count: described.Table.ItemCount, size: described.Table.TableSizeBytes };
}, { ITEMS, ITEM_BYTES });
await context.close();
server.close();
if (r.count !== ITEMS || r.size !== ITEMS * ITEM_BYTES) {
  throw new Error(`stored ${r.count} items of ${r.size} bytes, not ${ITEMS} of ${ITEMS * ITEM_BYTES}`);
}
const perItem = (r.after - r.before) / ITEMS;
console.log(`page memory per stored item:  ${perItem.toFixed(0)} bytes for a ${ITEM_BYTES}-byte item `
  + `(${(perItem / ITEM_BYTES).toFixed(2)}×; wasm memory ${(r.before / 2 ** 20).toFixed(0)} → `
  + `${(r.after / 2 ** 20).toFixed(0)} MiB with ${ITEMS.toLocaleString('en-US')} items, `
  + `${Math.round(ITEMS / r.seconds).toLocaleString('en-US')} items/s)`);
