// The one benchmark (bench/run.sh installs and builds, then runs this): dynaplay-server beside
// Dynoxide, dynalite and moto's server, and the loopback ceiling (nginx and hyper answering a
// fixed 200-byte body), all in one run; then the engine's native ops/s and the browser's
// figures. Prints one table and writes it with its JSON to bench/out/.
//
//   node bench/run.mjs [--no-browser] [--no-engine] [--no-memory]
//   DURATION=3 WARMUP=1 ROUNDS=3 MEMORY_ITEMS=1000000 PEER_MEMORY_ITEMS=100000 SERVERS=dynaplay,nginx
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { SERVERS, start, cpuMicros, rssBytes } from './lib/peers.mjs';
import { wrk, call, createMemoryTable, loadItems, ITEM_BYTES, MEMORY_TABLE } from './lib/load.mjs';
import { parseEngine, parseBrowser, render } from './lib/report.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const flags = new Set(process.argv.slice(2));
const DURATION = Number(process.env.DURATION || 3);
const WARMUP = Number(process.env.WARMUP || 1);
const ROUNDS = Number(process.env.ROUNDS || 3);
const MEMORY_ITEMS = Number(process.env.MEMORY_ITEMS || 1_000_000);
// dynalite and moto store items hundreds of times slower; fewer items still show their cost.
const PEER_MEMORY_ITEMS = Number(process.env.PEER_MEMORY_ITEMS || 100_000);
const OPERATIONS = ['GetItem', 'PutItem', 'Query'];
const CONNECTIONS = [1, 8];
const only = process.env.SERVERS?.split(',');
const servers = SERVERS.filter((s) => !only || only.includes(s.name) || s.name.startsWith('baseline'));

const log = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const loadavg = () => os.loadavg().map((l) => Number(l.toFixed(2)));

const result = {
  date: new Date().toISOString(),
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgAtStart: loadavg() },
  settings: { durationSeconds: DURATION, warmupSeconds: WARMUP, rounds: ROUNDS, itemBytes: ITEM_BYTES },
  servers: {},
};

// 1. Over HTTP: start each server alone (its start-up time), then let them take turns per
// operation and connection count, so a change in the machine's load hits all alike.
const running = {};
for (const server of servers) {
  log(`==> starting ${server.label}`);
  const r = await start(server);
  running[server.name] = r;
  await sleep(1000);
  result.servers[server.name] = {
    label: server.label,
    ceiling: Boolean(server.ceiling),
    startMs: r.startMs,
    idleRssBytes: rssBytes(r.pid),
    ops: {},
  };
}
let bodies; // the same for every server; setup.js checks each answers them correctly
try {
  for (const server of servers.filter((s) => !s.ceiling)) {
    bodies = await setup(running[server.name].url);
  }
  if (!bodies) throw new Error('SERVERS must name at least one DynamoDB server');
  // Each figure is the best of ROUNDS turns: the machine is shared, and the best turn is the
  // closest to what the server itself can do. CPU per request counts every turn.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const op of OPERATIONS) {
      for (const connections of CONNECTIONS) {
        for (const server of servers) {
          const { url, pid } = running[server.name];
          const body = bodies[op];
          await wrk(url, { op, body, connections, seconds: WARMUP });
          const cpu0 = cpuMicros(pid);
          const { rps, requests } = await wrk(url, { op, body, connections, seconds: DURATION });
          const cpu = cpuMicros(pid) - cpu0;
          const ops = (result.servers[server.name].ops[op] ??= {});
          const cell = (ops[`c${connections}`] ??= { rps: 0, rounds: [], requests: 0, cpuMicros: 0 });
          cell.rps = Math.max(cell.rps, rps);
          cell.rounds.push(Math.round(rps));
          cell.requests += requests;
          cell.cpuMicros += cpu;
          cell.cpuMicrosPerRequest = cell.cpuMicros / cell.requests;
          log(`    round ${round}: ${op} ×${connections} ${server.name}: ${Math.round(rps)} req/s, ${(cpu / requests).toFixed(1)} µs CPU/request`);
        }
      }
    }
  }
  for (const server of servers) result.servers[server.name].loadRssBytes = rssBytes(running[server.name].pid);
  result.machine.loadavgAfterHttp = loadavg();

  // 2. Memory per stored item, one server at a time (each is stopped after its load).
  for (const server of servers) {
    const { url, pid, stop } = running[server.name];
    if (!server.ceiling && !flags.has('--no-memory')) {
      const items = server.name === 'dynaplay' || server.name === 'dynoxide' ? MEMORY_ITEMS : PEER_MEMORY_ITEMS;
      log(`==> ${server.label}: storing ${items} items of ${ITEM_BYTES} bytes`);
      await createMemoryTable(url);
      await sleep(500);
      const before = rssBytes(pid);
      const itemsPerSecond = await loadItems(url, items);
      await sleep(1000);
      const after = rssBytes(pid);
      const described = await call(url, 'DescribeTable', { TableName: MEMORY_TABLE }, new http.Agent()).catch(() => null);
      result.servers[server.name].memory = {
        items,
        itemsPerSecond,
        rssBeforeBytes: before,
        rssAfterBytes: after,
        bytesPerItem: (after - before) / items,
        describedItemCount: described?.Table?.ItemCount ?? null,
        describedTableSizeBytes: described?.Table?.TableSizeBytes ?? null,
      };
      log(`    ${((after - before) / items).toFixed(0)} bytes per item (${Math.round(itemsPerSecond)} items/s loaded)`);
    }
    await stop();
    delete running[server.name];
  }
} finally {
  await Promise.all(Object.values(running).map((r) => r.stop()));
}
result.machine.loadavgAfterServers = loadavg();

// 3. The engine alone, natively: ops/s through its entry point, capacity simulation on and off.
if (!flags.has('--no-engine')) {
  log('==> cargo bench -p dynaplay-engine --bench entry_point');
  result.engine = parseEngine(await run('cargo', ['bench', '-q', '-p', 'dynaplay-engine', '--bench', 'entry_point']));
}

// 4. The browser: bundle, first render, in-page ops/s, durable PutItem/s, reload.
if (!flags.has('--no-browser')) {
  log('==> bench/browser.sh');
  result.browser = parseBrowser(await run(`${repo}/bench/browser.sh`, []));
}
result.machine.loadavgAtEnd = loadavg();

const table = render(result);
fs.mkdirSync(`${repo}/bench/out`, { recursive: true });
fs.writeFileSync(`${repo}/bench/out/bench.json`, `${JSON.stringify(result, null, 2)}\n`);
fs.writeFileSync(`${repo}/bench/out/bench.md`, table);
process.stdout.write(table);
log('(written to bench/out/bench.md and bench/out/bench.json)');

/// Prepares a DynamoDB server with bench/setup.js; resolves with its request bodies by operation.
function setup(url) {
  return run('node', [`${repo}/bench/setup.js`, url]).then((out) =>
    Object.fromEntries(out.trim().split('\n').map((line) => line.split('\t'))));
}

/// Runs a command, its stderr passed through; resolves with its stdout.
function run(program, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${program} exited ${code}`))));
  });
}
