// Memory, main-thread time and storage writes of the playground under its heaviest load (issue
// 12, item 5) — a measurement, not a test, and not in CI: it runs for minutes (an hour of
// engine time, or until MEMORY_MAX_WALL_SECONDS), far past CI's budget. Run it with
// `bench/memory.sh` (builds first) or `node web/e2e/memory.mjs [DIST]`.
//
// Opens the built app (saved in IndexedDB, as a learner's workspace is), creates a table with a
// NEW_AND_OLD_IMAGES stream (each record carries two images: the heaviest stream), attaches a
// trigger to it (MEMORY_TRIGGER=0 leaves it out), opens the table's Capacity tab (engine time
// moves every animation frame), sets the clock to 60× and starts the workload: by default the
// heaviest the generator takes — 100,000 requests/s, half of them PutItems of the largest item
// (408,576 bytes) over MEMORY_KEYS keys (default 100: a 40 MB table), with throttling off so
// every request is served.
//
// Then, every MEMORY_SAMPLE_SECONDS (10), after a garbage collection: the JS heap in use
// (CDP Runtime.getHeapUsage), the wasm memory (the instance's WebAssembly.Memory), the
// origin's storage use (navigator.storage.estimate) and engine time. It stops once engine time
// has moved MEMORY_ENGINE_SECONDS (3,600) or after MEMORY_MAX_WALL_SECONDS (600) of wall time,
// and prints, for each measure, its samples' range after MEMORY_WARMUP_SECONDS (60) relative to
// the first sample after it, and whether that stays within ±10 %. Also printed: frames and long
// tasks over the whole run, and the bytes the page wrote to IndexedDB per second (string
// values given to IDBObjectStore put/add, counted in the page).
//
// At 60× the heaviest workload asks for far more than a page can run (6,000,000 requests a
// wall second): the step budget keeps each frame's share bounded and engine time falls behind
// the clock (printed as "behind"), so MEMORY_MAX_WALL_SECONDS ends that run. MEMORY_RATE sets a
// rate the page keeps up with at 60× (e.g. 5) to cover one hour of engine time.
import os from 'node:os';
import path from 'node:path';
import { serve, launch, tempDir, watch } from './lib.mjs';

const dist = path.resolve(process.argv[2] || 'dist');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const RATE = env('MEMORY_RATE', 100000);
const ITEM = env('MEMORY_ITEM_BYTES', 408576);
const KEYS = env('MEMORY_KEYS', 100);
const READS = env('MEMORY_READ_PERCENT', 50);
const SPEED = env('MEMORY_SPEED', 60);
const ENGINE_SECONDS = env('MEMORY_ENGINE_SECONDS', 3600);
const MAX_WALL = env('MEMORY_MAX_WALL_SECONDS', 600);
const SAMPLE = env('MEMORY_SAMPLE_SECONDS', 10);
const WARMUP = env('MEMORY_WARMUP_SECONDS', 60);
const TRIGGER = env('MEMORY_TRIGGER', 1) !== 0;

const { server, url } = await serve([dist]);
const context = await launch(tempDir('memory'));
// Before any page script: count what goes into IndexedDB, note the wasm memory, watch frames
// and long tasks.
await context.addInitScript(() => {
  // Fixed-size counters only: the measurement must not grow the heap it measures (frame
  // intervals go into 1 ms buckets, up to 10 s).
  const m = { written: 0, puts: 0, frames: new Uint32Array(10001), frameCount: 0, frameMax: 0, longTasks: 0, longest: 0 };
  window.__memory = m;
  const count = (original) => function (value, ...rest) {
    if (typeof value === 'string') m.written += value.length;
    m.puts++;
    return original.call(this, value, ...rest);
  };
  IDBObjectStore.prototype.put = count(IDBObjectStore.prototype.put);
  IDBObjectStore.prototype.add = count(IDBObjectStore.prototype.add);
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail?.wasm?.memory; });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) { m.longTasks++; m.longest = Math.max(m.longest, e.duration); }
    }).observe({ type: 'longtask', buffered: false });
  } catch (_) { /* no long task timing */ }
  // How long callbacks of each kind run: animation frames (the tick that steps workloads),
  // timers (the panels' poll, the trigger poller), and the rest by difference.
  m.callbacks = { frame: { n: 0, over16: 0, max: 0, total: 0 }, timer: { n: 0, over16: 0, max: 0, total: 0 } };
  const timed = (kind, f) => function (...args) {
    const t = performance.now();
    try { return f.apply(this, args); } finally {
      const d = performance.now() - t; const c = m.callbacks[kind];
      c.n++; c.total += d; c.max = Math.max(c.max, d); if (d > 16) c.over16++;
    }
  };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (f) => raf(timed('frame', f));
  const st = window.setTimeout.bind(window);
  window.setTimeout = (f, ...rest) => st(typeof f === 'function' ? timed('timer', f) : f, ...rest);
  let last = 0;
  const frame = (now) => {
    if (last) {
      const d = now - last;
      m.frames[Math.min(10000, Math.round(d))]++;
      m.frameCount++;
      m.frameMax = Math.max(m.frameMax, d);
    }
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
});
const page = await context.newPage();
await page.setViewportSize({ width: 1280, height: 1500 });
const w = watch(page);
await page.goto(url);
await page.waitForSelector('[data-mode]');
const mode = await page.getAttribute('[data-mode]', 'data-mode');
const send = (op, body) => page.evaluate(([op, body]) => dynaplay.send(op, body), [op, body]);
await send('CreateTable', {
  TableName: 'Heavy', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  ProvisionedThroughput: { ReadCapacityUnits: 40000, WriteCapacityUnits: 40000 },
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
await page.click('.table-name:text("Heavy")');
if (TRIGGER) {
  await page.waitForSelector('[data-testid=trigger-code]');
  await page.fill('[data-testid=trigger-code]', 'exports.handler = async (event) => { console.log("batch", event.Records.length); };');
  await page.fill('[data-testid=trigger-batch]', '100');
  await page.click('[data-testid=trigger-attach]');
  await page.waitForSelector('[data-testid=trigger-status]:has-text("polling")');
}
await page.click('[data-testid=tab-capacity]');
await page.waitForSelector('[data-testid=partition-map] [data-testid=partition]');
await send('PlaygroundUpdateTime', { Speed: SPEED });
// Every request served (none throttled, which would make it cheap): the heaviest load.
await send('PlaygroundUpdateSettings', { ThrottlingEnabled: false });
const started = await send('PlaygroundStartWorkload', {
  TableName: 'Heavy', RequestsPerSecond: RATE, ReadRatio: READS / 100, ItemSizeBytes: ITEM, KeyCount: KEYS, Seed: 1 });
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));

const sample = async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const p = await page.evaluate(async () => {
    const time = await dynaplay.send('PlaygroundDescribeTime', {});
    const estimate = await navigator.storage.estimate();
    return { wasm: window.__wasmMemory?.buffer.byteLength ?? NaN, idb: estimate.usage, now: time.Now,
      behind: time.BehindMilliseconds || 0, written: window.__memory.written, stats: JSON.parse(JSON.stringify(dynaplay.stats())) };
  });
  return { wall: (Date.now() - t0) / 1000, heap: heap.usedSize, ...p };
};
// MEMORY_PROFILE=SECONDS: first a CPU profile of the main thread for that long, its top
// functions by self time printed (where the time goes; wasm functions by index in a release
// build, whose names are dropped).
const PROFILE = env('MEMORY_PROFILE', 0);
if (PROFILE > 0) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  await new Promise((r) => setTimeout(r, PROFILE * 1000));
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? path.basename(f.url) : ''}`;
    self.set(key, (self.get(key) || 0) + (dt[i] || 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`CPU profile, ${PROFILE} s: top self time`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(v / total * 100).toFixed(1).padStart(5)} %  ${k}`);
}
// MEMORY_TRACE=SECONDS: a DevTools trace of that long, and the main thread's tasks by their
// CPU time (`tdur`) as well as wall time: on a machine shared with other work, wall time also
// counts the time the thread waited for a core, CPU time only what the page itself ran.
const TRACE = env('MEMORY_TRACE', 0);
if (TRACE > 0) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline,devtools.timeline', transferMode: 'ReportEvents' });
  await new Promise((r) => setTimeout(r, TRACE * 1000));
  await cdp.send('Tracing.end');
  await done;
  // The renderer main thread with the most tasks: the page's (an about:blank has one too).
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasksOf = (m) => events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === m.pid && e.tid === m.tid);
  const tasks = mains.map(tasksOf).sort((a, b) => b.length - a.length)[0] || [];
  const stat = (key) => {
    const v = tasks.map((t) => (t[key] || 0) / 1000).sort((a, b) => a - b);
    return { over16: v.filter((x) => x > 16).length, over50: v.filter((x) => x > 50).length, max: v[v.length - 1] || 0, total: v.reduce((a, b) => a + b, 0) };
  };
  const cpu = stat('tdur'); const wall = stat('dur');
  console.log(`trace, ${TRACE} s: ${tasks.length} main-thread tasks; by CPU time: ${cpu.over50} over 50 ms, ${cpu.over16} over 16 ms, longest ${cpu.max.toFixed(0)} ms, ${(cpu.total / TRACE / 10).toFixed(0)}% of the time; by wall time: ${wall.over50} over 50 ms, longest ${wall.max.toFixed(0)} ms`);
}
const t0 = Date.now();
const load = os.loadavg()[0];
const busyBefore = await metrics();
const samples = [await sample()];
const engineStart = samples[0].now;
const MB = (b) => (b / 1048576).toFixed(1);
console.log(`wall s  engine s  behind s   JS heap MB  wasm MB  storage MB  written MB  snapshot MB`);
const line = (s) => console.log(`${s.wall.toFixed(0).padStart(6)}  ${((s.now - engineStart) / 1000).toFixed(0).padStart(8)}  ${(s.behind / 1000).toFixed(0).padStart(8)}   ${MB(s.heap).padStart(10)}  ${MB(s.wasm).padStart(7)}  ${MB(s.idb).padStart(10)}  ${MB(s.written).padStart(10)}  ${MB(s.stats.snapshotBytes).padStart(11)}`);
line(samples[0]);
for (;;) {
  await new Promise((r) => setTimeout(r, SAMPLE * 1000));
  const s = await sample();
  samples.push(s);
  line(s);
  if ((s.now - engineStart) / 1000 >= ENGINE_SECONDS || s.wall >= MAX_WALL) break;
}
const busyAfter = await metrics();
const end = samples[samples.length - 1];
const page_ = await page.evaluate(() => {
  const m = window.__memory;
  const pct = (p) => {
    let seen = 0;
    for (let ms = 0; ms < m.frames.length; ms++) {
      seen += m.frames[ms];
      if (seen > p / 100 * m.frameCount) return ms;
    }
    return m.frames.length - 1;
  };
  return { callbacks: m.callbacks, frames: m.frameCount, p50: pct(50), p95: pct(95), p99: pct(99), max: m.frameMax, longTasks: m.longTasks, longest: m.longest, puts: m.puts };
});
const workload = (await send('PlaygroundListWorkloads', {})).Workloads.find((x) => x.WorkloadId === started.WorkloadId);

console.log(`\nheaviest workload: ${RATE} requests/s, ${READS}% reads, items of ${ITEM} B over ${KEYS} keys, NEW_AND_OLD_IMAGES stream${TRIGGER ? ', a trigger' : ''}, ${SPEED}× (${mode})`);
console.log(`ran ${end.wall.toFixed(0)} s of wall time: engine time moved ${((end.now - engineStart) / 1000).toFixed(0)} s (${(end.behind / 1000).toFixed(0)} s behind the clock); ${workload?.Requests ?? '?'} workload requests (${workload?.Throttled ?? '?'} throttled, ${workload?.Errors ?? '?'} errors)`);
const wallMs = end.wall * 1000;
console.log(`frames: ${page_.frames} (${(page_.frames / end.wall).toFixed(1)} fps) · interval p50 ${page_.p50} ms · p95 ${page_.p95} ms · p99 ${page_.p99} ms (1 ms buckets) · max ${page_.max?.toFixed(0)} ms`);
console.log(`long tasks: ${page_.longTasks} (longest ${page_.longest.toFixed(0)} ms) · main thread busy ${((busyAfter.TaskDuration - busyBefore.TaskDuration) / end.wall * 100).toFixed(0)}%`);
for (const [kind, c] of Object.entries(page_.callbacks)) {
  console.log(`${kind} callbacks: ${c.n}, ${c.over16} over 16 ms, longest ${c.max.toFixed(0)} ms, ${(c.total / end.wall / 10).toFixed(0)}% of the time`);
}
console.log(`IndexedDB writes: ${MB(end.written)} MB in ${page_.puts} puts = ${(end.written / 1024 / end.wall).toFixed(0)} KB/s (snapshot now ${MB(end.stats.snapshotBytes)} MB, ${end.stats.transactions} transactions, ${end.stats.compactions} compactions)`);
const after = samples.filter((s) => s.wall >= WARMUP);
let flat = true;
if (after.length < 2) {
  console.log(`too few samples after the ${WARMUP} s warm-up to judge`);
  flat = false;
} else {
  for (const [name, key] of [['JS heap', 'heap'], ['wasm memory', 'wasm'], ['storage use', 'idb']]) {
    const base = after[0][key];
    const values = after.map((s) => s[key]);
    const lo = (Math.min(...values) / base - 1) * 100;
    const hi = (Math.max(...values) / base - 1) * 100;
    const ok = lo >= -10 && hi <= 10;
    flat &&= ok;
    console.log(`${name.padEnd(12)} after ${WARMUP} s: ${MB(base)} MB, then ${MB(Math.min(...values))}–${MB(Math.max(...values))} MB (${lo.toFixed(1)} % … +${hi.toFixed(1)} %), last ${MB(values[values.length - 1])} MB: ${ok ? 'within ±10 %' : 'NOT within ±10 %'}`);
  }
}
console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`);
console.log(flat ? 'memory: flat' : 'memory: NOT flat');
await w.check();
await context.close();
server.close();
