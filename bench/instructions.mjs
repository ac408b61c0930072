// Instructions per request of dynaplay-server builds, counted by valgrind's callgrind: the
// same count for the same build and requests on any machine, whatever else it is running —
// the before/after measure of a change, where wall-clock figures on a shared 2-core machine
// move by ±20 % from one run to the next.
//
//   node bench/instructions.mjs [label=BINARY …]    (default: target/release-native/dynaplay-server)
//   REQUESTS=1000   KEEP=1 keeps the callgrind dumps (in /tmp/callgrind-*) for callgrind_annotate
//                   (of a build with symbols: release-native strips them)
//
// Each build runs under callgrind and is prepared by bench/setup.js (the benchmark's table,
// items and request bodies); then for each operation the counters are zeroed, REQUESTS
// requests are sent one after another over one keep-alive connection, and the counters are
// dumped: their total over REQUESTS is the figure (everything the server did: HTTP, engine,
// answer). Instructions are not time — a cache miss costs more than an add — but a change
// that removes work shows here first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { start } from './lib/peers.mjs';
import { call } from './lib/load.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const REQUESTS = Number(process.env.REQUESTS || 1000);
const OPERATIONS = ['GetItem', 'PutItem', 'Query'];
const builds = (process.argv.length > 2 ? process.argv.slice(2) : [`dynaplay=${repo}/target/release-native/dynaplay-server`])
  .map((arg) => (arg.includes('=') ? arg.split('=') : [path.basename(arg), arg]));

const rows = [];
for (const [label, binary] of builds) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'callgrind-'));
  const server = await start({
    name: label,
    command: (port) => ['valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}/cg.%p`, binary, '--port', port]],
  });
  // The valgrind process is the server's: callgrind_control finds it by that pid.
  const bodies = Object.fromEntries(
    execFileSync('node', [`${repo}/bench/setup.js`, server.url], { encoding: 'utf8' })
      .trim().split('\n').map((line) => line.split('\t')));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const row = { label };
  for (const op of OPERATIONS) {
    const requests = Array.from({ length: REQUESTS }, (_, i) => JSON.parse(bodies[op].replace('%d', `i-${i}`)));
    await call(server.url, op, requests[0], agent); // the connection is open before counting
    execFileSync('callgrind_control', ['-z', String(server.pid)], { stdio: 'ignore' });
    for (const request of requests) await call(server.url, op, request, agent);
    execFileSync('callgrind_control', ['-d', op, String(server.pid)], { stdio: 'ignore' });
    row[op] = Math.round(totalOf(out, op) / REQUESTS);
  }
  agent.destroy();
  await server.stop();
  if (!process.env.KEEP) fs.rmSync(out, { recursive: true, force: true });
  rows.push(row);
}

console.log(`instructions per request (callgrind, ${REQUESTS} sequential requests each, ${new Date().toISOString().slice(0, 16)} UTC)`);
console.log(['build'.padEnd(12), ...OPERATIONS.map((c) => c.padStart(18))].join(''));
for (const row of rows) {
  const ratio = (op) => (rows[0] === row ? '' : ` (${(row[op] / rows[0][op]).toFixed(2)}×)`);
  console.log([row.label.padEnd(12), ...OPERATIONS.map((op) => `${row[op].toLocaleString('en')}${ratio(op)}`.padStart(18))].join(''));
}

/// The instruction total of the dump made for `op` (`callgrind_control -d op`).
function totalOf(dir, op) {
  const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).find((f) => dumpFor(f, op));
  if (!file) throw new Error(`no callgrind dump for ${op} in ${dir}`);
  const text = fs.readFileSync(file, 'utf8');
  const totals = text.match(/^(?:summary|totals): (\d+)/m);
  if (!totals) throw new Error(`no totals in ${file}`);
  return Number(totals[1]);
}

function dumpFor(file, op) {
  return new RegExp(`^desc: Trigger: .*\\b${op}$`, 'm').test(fs.readFileSync(file, 'utf8'));
}
