// Frame rate of the Capacity view under load (a measurement, not a test): opens the built app
// (dist/) in headless Chromium, creates a provisioned table, opens its Capacity tab, starts
// the workload generator through the form at BENCH_RATE requests per second (default 5,000)
// and records requestAnimationFrame intervals for BENCH_FPS_SECONDS (default 10) seconds.
// Prints fps, frame-interval percentiles, long tasks and the simulated request rate.
// Usage: node web/e2e/fps.mjs [DIST]   (bench/fps.sh builds first)
// Aim (issue 5): ≥ 55 fps and frame p95 ≤ 20 ms while simulating 5,000 requests/s.
import os from 'node:os';
import path from 'node:path';
import { serve, launch, tempDir, watch } from './lib.mjs';

const dist = path.resolve(process.argv[2] || 'dist');
const RATE = Number(process.env.BENCH_RATE || 5000);
const SECONDS = Number(process.env.BENCH_FPS_SECONDS || 10);
const DISTRIBUTION = process.env.BENCH_DISTRIBUTION || 'UNIFORM';
const { server, url } = await serve([dist]);
const context = await launch(tempDir('fps'));
const page = await context.newPage();
// Tall enough that the whole Capacity view (map, charts, hot keys) is on screen and painted.
await page.setViewportSize({ width: 1280, height: 1500 });
const w = watch(page);
await page.goto(`${url}/?storage=memory`);
await page.waitForSelector('[data-mode]');
// 3,000 RCU / 3,000 WCU: four partitions (ceil(3000/3000 + 3000/1000)), so the map has a few
// tracks, the charts a provisioned line and a burst strip.
await page.evaluate(() => dynaplay.send('CreateTable', {
  TableName: 'Load', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  ProvisionedThroughput: { ReadCapacityUnits: 3000, WriteCapacityUnits: 3000 } }));
await page.click('.table-name:text("Load")');
await page.click('[data-testid=tab-capacity]');
await page.waitForSelector('[data-testid=partition-map] [data-testid=partition]');
await page.evaluate(() => document.querySelector('[data-testid=capacity-view]').scrollIntoView());
await page.selectOption('[data-testid=workload-distribution]', DISTRIBUTION);
await page.fill('[data-testid=workload-rate]', String(RATE));
await page.fill('[data-testid=workload-reads]', '50');
await page.fill('[data-testid=workload-keys]', '10000');
await page.click('[data-testid=workload-start]');
await page.waitForSelector('[data-testid=workload-list] li.running');
// Warm up: the charts have drawn a few seconds of traffic.
await page.waitForFunction(() => Number(document.querySelector('[data-testid=chart-write]')?.dataset.points) >= 3, null, { timeout: 30000 });
const requestsOf = () => page.evaluate(async () => {
  const w = await dynaplay.send('PlaygroundListWorkloads', {});
  return w.Workloads.find((x) => x.Running).Requests;
});
// Main-thread time (all tasks, and script alone) over the window, from DevTools' counters:
// how much of a core the view and the engine need, whatever the machine's other load.
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const busy = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const load = os.loadavg()[0];
const before = await requestsOf();
const busyBefore = await busy();
const r = await page.evaluate((seconds) => new Promise((resolve) => {
  const intervals = [];
  let longTasks = 0; let longest = 0;
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) { longTasks++; longest = Math.max(longest, e.duration); }
    });
    observer.observe({ type: 'longtask', buffered: false });
  } catch (_) { /* no long task timing */ }
  const start = performance.now();
  let last = start;
  const frame = (now) => {
    intervals.push(now - last);
    last = now;
    if (now - start < seconds * 1000) requestAnimationFrame(frame);
    else {
      if (observer) observer.disconnect();
      resolve({ intervals, elapsed: now - start, longTasks, longest });
    }
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(frame); });
}), SECONDS);
const busyAfter = await busy();
const after = await requestsOf();
const loadAfter = os.loadavg()[0];
const sorted = [...r.intervals].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
const fps = r.intervals.length / (r.elapsed / 1000);
const simulated = (after - before) / (r.elapsed / 1000);
const ms = (v) => v.toFixed(1);
console.log(`Capacity view, ${DISTRIBUTION} workload at ${RATE} requests/s (50% reads), ${SECONDS} s of frames:`);
console.log(`  fps:            ${fps.toFixed(1)}  (${r.intervals.length} frames in ${ms(r.elapsed)} ms)`);
console.log(`  frame interval: p50 ${ms(pct(50))} ms · p95 ${ms(pct(95))} ms · p99 ${ms(pct(99))} ms · max ${ms(sorted[sorted.length - 1])} ms`);
console.log(`  long tasks:     ${r.longTasks} (longest ${ms(r.longest)} ms)`);
const share = (name) => ((busyAfter[name] - busyBefore[name]) / (r.elapsed / 1000) * 100).toFixed(0);
console.log(`  main thread:    busy ${share('TaskDuration')}% of the time (script ${share('ScriptDuration')}%, layout ${share('LayoutDuration')}%, style ${share('RecalcStyleDuration')}%)`);
console.log(`  simulated:      ${Math.round(simulated)} requests per second of wall time`);
if (process.env.BENCH_SHOT) await page.screenshot({ path: process.env.BENCH_SHOT });
console.log(`  machine:        ${os.cpus().length} cores, load average ${load.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
await w.check();
await context.close();
server.close();
