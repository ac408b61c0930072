// The servers bench/run.mjs measures, how each is started on a free loopback port, and what
// a process (with its children: nginx's worker, for one) costs the machine, read from /proc.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/// The servers, in table order. `ceiling` marks the fixed replies (no DynamoDB behind them).
/// `command(port, dir)` gives the program and its arguments; `dir` is a fresh scratch dir.
export const SERVERS = [
  {
    name: 'dynaplay',
    label: 'dynaplay-server',
    command: (port) => [process.env.DYNAPLAY_BIN ?? `${repo}/target/release-native/dynaplay-server`, ['--port', port]],
  },
  // BASELINE=/path/to/an/older/dynaplay-server adds it as a column ("dynaplay before"), and
  // BASELINE=label=path,label=path adds several: before/after figures of changes, one run.
  ...(process.env.BASELINE ?? '').split(',').filter(Boolean).map((entry, i) => {
    const [label, binary] = entry.includes('=') ? entry.split('=') : ['dynaplay before', entry];
    return { name: `baseline${i}`, label, command: (port) => [binary, ['--port', port]] };
  }),
  {
    name: 'dynoxide',
    label: 'Dynoxide',
    // In memory (no --db-path), as dynaplay and dynalite run here.
    command: (port) => [`${repo}/bench/.tools/dynoxide/bin/dynoxide`, ['serve', '--port', port, '--log', 'quiet']],
  },
  {
    name: 'dynalite',
    label: 'dynalite',
    command: (port) => ['node', [`${repo}/bench/dynalite-server.js`, port]],
  },
  {
    name: 'moto',
    label: 'moto server',
    command: (port) => [`${repo}/bench/.tools/moto/bin/moto_server`, ['-H', '127.0.0.1', '-p', port]],
  },
  {
    name: 'nginx',
    label: 'nginx fixed reply',
    ceiling: true,
    command: (port, dir) => ['/usr/sbin/nginx', ['-p', dir, '-c', nginxConfig(port, dir), '-g', 'daemon off;']],
  },
  {
    name: 'hyper',
    label: 'hyper fixed reply',
    ceiling: true,
    command: (port) => [`${repo}/target/release-native/examples/fixed_reply`, [`${repo}/bench/fixed-reply.json`, port]],
  },
];

/// nginx with one worker answering every request with bench/fixed-reply.json (200 bytes).
function nginxConfig(port, dir) {
  const body = fs.readFileSync(`${repo}/bench/fixed-reply.json`, 'utf8');
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir};
  server {
    listen 127.0.0.1:${port};
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '${body}';
    }
  }
}
`);
  return file;
}

/// A free loopback port (the kernel's pick; released just before the server takes it).
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/// Starts `server`; resolves once it has answered its first HTTP request, with
/// `{url, pid, startMs, stop()}`. `startMs` runs from the spawn to that first response.
export async function start(server) {
  const port = String(await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${server.name}-`));
  const [program, args] = server.command(port, dir);
  const log = fs.openSync(path.join(dir, 'output.log'), 'w');
  const t0 = performance.now();
  const child = spawn(program, args, { stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  child.on('exit', (code, signal) => { exited = `exited (${code ?? signal})`; });
  for (;;) { // bounded: 60 s (moto imports a lot before it listens)
    if (exited || performance.now() - t0 > 60_000) {
      throw new Error(`${server.name} did not answer: ${exited ?? 'timed out'}\n${fs.readFileSync(path.join(dir, 'output.log'), 'utf8')}`);
    }
    if (await answers(url)) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const startMs = performance.now() - t0;
  return {
    url,
    pid: child.pid,
    startMs,
    stop: () => new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

/// True once a ListTables request gets any HTTP response.
function answers(url) {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      agent: false,
    }, (res) => { res.resume(); res.on('end', () => resolve(true)); });
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

/// The process and its descendants (nginx's worker, a server's helpers).
function tree(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(Number(entry));
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/// utime, stime (in ticks) and ppid from /proc/PID/stat; null when the process is gone.
function readStat(pid) {
  let text;
  try { text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return null; }
  // The command name is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
}

/// CPU time used so far by the process tree, in microseconds.
export function cpuMicros(pid) {
  let ticks = 0;
  for (const p of tree(pid)) {
    const stat = readStat(p);
    if (stat) ticks += stat.utime + stat.stime;
  }
  return (ticks * 1e6) / CLK_TCK;
}

/// Resident memory of the process tree, in bytes (VmRSS).
export function rssBytes(pid) {
  let kb = 0;
  for (const p of tree(pid)) {
    try {
      const line = fs.readFileSync(`/proc/${p}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      kb += Number(line?.split(/\s+/)[1] ?? 0);
    } catch { /* gone */ }
  }
  return kb * 1024;
}
