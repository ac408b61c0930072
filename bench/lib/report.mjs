// Reads the engine's and the browser's benchmark output into figures, and renders the one
// table of bench/run.mjs: a column per server, a row per figure. Every share in it is of the
// nginx fixed reply measured in the same run with the same request and connections.

/// `cargo bench --bench entry_point` lines: `  GetItem   on   250000 ops/s   4.00 µs/op`.
export function parseEngine(text) {
  const engine = {};
  for (const [, name, throttling, ops] of text.matchAll(/^\s+(\w+(?: via Value)?)\s+(on|off)\s+(\d+) ops\/s/gm)) {
    (engine[name] ??= {})[throttling === 'on' ? 'throttlingOn' : 'throttlingOff'] = Number(ops);
  }
  if (!engine.GetItem) throw new Error(`no engine figures in:\n${text}`);
  return engine;
}

/// bench/browser.sh's output (scripts/bundle-size.sh, web/e2e/bench.mjs, web/e2e/item_memory.mjs).
export function parseBrowser(text) {
  const number = (re) => {
    const m = text.match(re);
    return m ? Number(m[1].replace(/,/g, '')) : null;
  };
  return {
    bundleGzipBytes: number(/^\s+total\s+(\d+) bytes/m),
    firstRenderMs: number(/time to first render:\s+([\d,]+) ms/),
    putItemPerSecond: number(/in-page PutItem\/s \(memory\):\s+([\d,]+)/),
    getItemPerSecond: number(/in-page GetItem\/s:\s+([\d,]+)/),
    durablePutItemPerSecond: number(/durable PutItem\/s:\s+([\d,]+)/),
    reloadItems: number(/reload with ([\d,]+) items/),
    reloadReadyMs: number(/([\d,]+) ms page reload to ready/),
    reloadLoadMs: number(/items:\s+([\d,]+) ms to read \+ import \+ replay/),
    memoryBytesPerItem: number(/page memory per stored item:\s+([\d,]+) bytes/),
    memoryItems: number(/MiB with ([\d,]+) items/),
  };
}

const int = (n) => Math.round(n).toLocaleString('en-US');
const mb = (bytes) => (bytes / 1048576).toFixed(1);

/// The markdown table (and a line saying when and under what load it was measured).
export function render(result) {
  const names = Object.keys(result.servers);
  const servers = names.map((n) => result.servers[n]);
  const nginx = result.servers.nginx;
  const rows = [];
  const row = (label, cell) => rows.push([label, ...servers.map((s, i) => cell(s, names[i]) ?? '—')]);

  row('start → first response, ms', (s) => s.startMs.toFixed(0));
  row('RSS idle, MB', (s) => mb(s.idleRssBytes));
  row('RSS after the load, MB', (s) => mb(s.loadRssBytes));
  for (const op of Object.keys(servers[0].ops)) {
    for (const c of Object.keys(servers[0].ops[op])) {
      const conns = c === 'c1' ? '1 connection' : `${c.slice(1)} connections`;
      row(`${op}/s, ${conns} (share of nginx)`, (s) => {
        const rps = s.ops[op][c].rps;
        const ceiling = nginx?.ops[op][c].rps;
        return ceiling ? `${int(rps)} (${((100 * rps) / ceiling).toFixed(0)} %)` : int(rps);
      });
    }
  }
  for (const op of Object.keys(servers[0].ops)) {
    row(`server CPU µs per ${op}`, (s) => {
      const runs = Object.values(s.ops[op]);
      const micros = runs.reduce((a, r) => a + r.cpuMicros, 0) / runs.reduce((a, r) => a + r.requests, 0);
      return micros.toFixed(1);
    });
  }
  // What the machine's load does not move: nginx's CPU per request over this server's, the
  // share of nginx's requests/s it reaches when both are bound by one core's CPU.
  if (nginx) {
    for (const op of Object.keys(servers[0].ops)) {
      const perRequest = (s) => {
        const runs = Object.values(s.ops[op]);
        return runs.reduce((a, r) => a + r.cpuMicros, 0) / runs.reduce((a, r) => a + r.requests, 0);
      };
      row(`nginx CPU ÷ this server's, ${op}`, (s) => (s === nginx ? null : `${((100 * perRequest(nginx)) / perRequest(s)).toFixed(0)} %`));
    }
  }
  const dynaplay = result.servers.dynaplay;
  if (dynaplay) {
    for (const op of Object.keys(dynaplay.ops)) {
      const c = 'c8' in dynaplay.ops[op] ? 'c8' : Object.keys(dynaplay.ops[op]).at(-1);
      row(`dynaplay ÷ this, ${op} ${c.slice(1)} conn.`, (s, name) =>
        name === 'dynaplay' || s.ceiling ? null : `${(dynaplay.ops[op][c].rps / s.ops[op][c].rps).toFixed(1)}×`);
    }
  }
  const itemBytes = result.settings.itemBytes;
  row(`memory per stored ${itemBytes}-byte item, bytes (× its size)`, (s) =>
    s.memory && `${int(s.memory.bytesPerItem)} (${(s.memory.bytesPerItem / itemBytes).toFixed(2)}×, ${int(s.memory.items)} items)`);

  const only = (label, value) => row(label, (_, name) => (name === 'dynaplay' && value != null ? value : null));
  if (result.engine) {
    for (const [op, f] of Object.entries(result.engine)) {
      only(`engine ${op} ops/s, native (throttling on / off)`,
        f.throttlingOn ? `${int(f.throttlingOn)} / ${int(f.throttlingOff)}` : int(f.throttlingOff));
    }
  }
  const b = result.browser;
  if (b) {
    only('browser: first load, gzip bytes', b.bundleGzipBytes && int(b.bundleGzipBytes));
    only('browser: first render, ms', b.firstRenderMs && int(b.firstRenderMs));
    only('browser: in-page GetItem/s (sequential awaits)', b.getItemPerSecond && int(b.getItemPerSecond));
    only('browser: in-page PutItem/s (memory, sequential)', b.putItemPerSecond && int(b.putItemPerSecond));
    only('browser: durable PutItem/s (IndexedDB)', b.durablePutItemPerSecond && int(b.durablePutItemPerSecond));
    only(`browser: reload with ${int(b.reloadItems ?? 0)} items, ms to ready`, b.reloadReadyMs && int(b.reloadReadyMs));
    only(`browser: memory per stored ${itemBytes}-byte item, bytes (${int(b.memoryItems ?? 0)} items)`,
      b.memoryBytesPerItem && `${int(b.memoryBytesPerItem)} (${(b.memoryBytesPerItem / itemBytes).toFixed(2)}×)`);
  }

  const header = ['', ...servers.map((s) => s.label)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const m = result.machine;
  return [
    `dynaplay benchmark, ${result.date.slice(0, 16).replace('T', ' ')} UTC: ${m.cores} cores (${m.cpu}), ` +
      `1-min load average ${m.loadavgAtStart[0]} at the start, ${m.loadavgAfterHttp?.[0] ?? '?'} after the HTTP runs; ` +
      `each req/s the best of ${result.settings.rounds} wrk runs of ${result.settings.durationSeconds} s, taken in turns, over keep-alive loopback HTTP`,
    '',
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n');
}
