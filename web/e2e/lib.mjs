// Shared by the end-to-end tests and the benchmark: a static server for dist/ and Debian's
// Chromium launched through playwright-core (no browser download).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

// Serves `roots` (first match wins) on 127.0.0.1 and a free port.
export function serve(roots) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    for (const root of roots) {
      let file = path.join(root, url);
      if (!file.startsWith(root)) break;
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (fs.existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404); res.end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// A browser context whose profile (and so IndexedDB) lives in `dir`: relaunching on the same
// directory is a browser restart. `extra`: more Chromium switches; `options`: more of
// playwright's context options.
export function launch(dir, extra = [], options = {}) {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extra], viewport: { width: 1280, height: 800 }, ...options });
}

export function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dynaplay-${name}-`));
}

// Collects page errors and console errors; `check()` throws if a panic or page error happened.
export function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && /panicked/.test(m.text())) problems.push(`console: ${m.text()}`); });
  return {
    problems,
    async check() {
      const panics = await page.evaluate(() => (window.__dynaplayPanics || []).slice()).catch(() => []);
      const banner = await page.$('#dynaplay-panic');
      if (panics.length || banner) problems.push(`panic: ${panics.join('; ')}`);
      if (problems.length) throw new Error(problems.join('\n'));
    },
  };
}
