// The load bench/run.mjs puts on a server: wrk over keep-alive HTTP for one operation (with
// bench/wrk.lua), and BatchWriteItem waves that store many items of a known DynamoDB size.
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const WRK_LUA = path.resolve(here, '../wrk.lua');

/// Runs wrk against `url` for `seconds`; resolves with `{rps, requests}`. Rejects when any
/// response was not a 2xx or a socket failed, so a server answering errors posts no score.
export function wrk(url, { op, body, connections, seconds }) {
  const threads = Math.min(connections, 2);
  const args = ['-t', threads, '-c', connections, '-d', `${seconds}s`, '-s', WRK_LUA, `${url}/`].map(String);
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env: { ...process.env, BENCH_OP: op, BENCH_BODY: body } }, (err, out) => {
      if (err) return reject(err);
      if (/Non-2xx or 3xx responses|Socket errors/.test(out)) return reject(new Error(`${op} at ${url} failed:\n${out}`));
      const requests = Number(out.match(/(\d+) requests in/)?.[1]);
      const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
      if (!(requests > 0) || !(rps > 0)) return reject(new Error(`unreadable wrk output:\n${out}`));
      resolve({ rps, requests });
    });
  });
}

const SIGV4 = 'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, ' +
  'SignedHeaders=host;x-amz-date;x-amz-target, Signature=0';

/// One DynamoDB call over `agent`; resolves with the parsed answer, rejects on a non-200.
export function call(url, operation, body, agent, api = 'DynamoDB_20120810') {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/`, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `${api}.${operation}`,
        // Now: a date more than 15 minutes off is refused.
        'X-Amz-Date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        Authorization: SIGV4,
        'Content-Length': Buffer.byteLength(payload),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) return reject(new Error(`${operation}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
        resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/// The memory table's items: every attribute a string of fixed width, so each item is exactly
/// ITEM_BYTES by DynamoDB's measure (the sum of attribute name and value lengths).
export const ITEM_BYTES = 200;
export const MEMORY_TABLE = 'Memory';

export function memoryItem(i) {
  const n = String(i).padStart(7, '0');
  const item = {
    pk: { S: `item#${n}` }, // 2 + 12
    sk: { S: 'profile' }, // 2 + 7
    name: { S: `Name ${n}` }, // 4 + 12
    email: { S: `user${n}@example.com` }, // 5 + 23
    city: { S: 'London' }, // 4 + 6
  };
  const used = Object.entries(item).reduce((sum, [k, v]) => sum + k.length + v.S.length, 0);
  item.bio = { S: 'x'.repeat(ITEM_BYTES - used - 'bio'.length) };
  return item;
}

/// Creates the memory table and waits until it is ACTIVE.
export async function createMemoryTable(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await call(url, 'CreateTable', {
    TableName: MEMORY_TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }, agent);
  for (let i = 0; i < 200; i++) { // bounded: 10 s
    const { Table } = await call(url, 'DescribeTable', { TableName: MEMORY_TABLE }, agent);
    if (Table.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // dynaplay simulates DynamoDB's capacity, and a fresh on-demand table throttles a load this
  // fast (TableWriteKeyRangeThroughputExceeded), as DynamoDB would. Memory is what is measured
  // here and the peers throttle nothing: dynaplay's throttling is turned off (the peers
  // refuse the call, which is ignored).
  await call(url, 'PlaygroundUpdateSettings', { ThrottlingEnabled: false }, agent, 'Dynaplay').catch(() => {});
  agent.destroy();
}

/// Writes items 0..count to the memory table with BatchWriteItem (25 a request, 8 requests
/// in flight), resending whatever comes back unprocessed. Resolves with items per second.
export async function loadItems(url, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, next + 25);
      let writes = [];
      for (let i = first; i < next; i++) writes.push({ PutRequest: { Item: memoryItem(i) } });
      for (let attempt = 0; writes.length > 0; attempt++) {
        if (attempt > 100) throw new Error('BatchWriteItem left items unprocessed 100 times');
        const answer = await call(url, 'BatchWriteItem', { RequestItems: { [MEMORY_TABLE]: writes } }, agent);
        writes = answer.UnprocessedItems?.[MEMORY_TABLE] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  return count / ((performance.now() - t0) / 1000);
}
