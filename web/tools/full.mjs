// Run first by the post-build hook (post-build.mjs): builds the page's wasm a second time, with
// the engine's global tables and DAX (`--features full-engine`, web/src/host/engines.rs), as
// `dynaplay-web-full-<hash>.js` / `_bg.wasm` beside the page's own; the page's first load is the
// build without them (its byte budget). Then it rewrites Trunk's start-up script in index.html
// so that it loads the full build when the learner asked for it — `localStorage
// ['dynaplay.engine'] === 'full'` or `?engine=full` — and the small one otherwise, and drops the
// preloads that would fetch the small build's files for nothing in the full case (a script
// first in the head starts the chosen build's fetches instead). minify.mjs then optimizes the full wasm as it does every
// `_bg.wasm` in the staging directory, and computes the page's policy from the script as
// rewritten here.
//
// Both builds share the glue's snippets (js/dynaplay.js, js/trigger.js): the full glue imports
// them from the directory Trunk staged, and the build fails unless they are the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('full.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const fail = (why) => { throw new Error(`full.mjs: ${why}`); };

// The build. Its crates differ from the small build's only by the features (both stay in
// cargo's cache), but the bin's file in target/ is the same: it is copied away at once.
const cargo = ['build', '--target', 'wasm32-unknown-unknown', '--manifest-path', path.join(root, 'web', 'Cargo.toml'),
  '--bin', 'dynaplay-web', '--features', 'full-engine'];
const started = Date.now();
execFileSync('cargo', release ? [...cargo, '--release'] : cargo, { stdio: 'inherit', cwd: root });
const { target_directory: target } = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', path.join(root, 'Cargo.toml')], { cwd: root }),
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dynaplay-full-'));
try {
  // Named dynaplay-web-full so the glue's module name (`./dynaplay-web-full_bg.js`, what
  // minify.mjs renames imports from) is its own.
  const built = path.join(tmp, 'dynaplay-web-full.wasm');
  fs.copyFileSync(path.join(target, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'dynaplay-web.wasm'), built);
  const out = path.join(tmp, 'out');
  execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out, built], { stdio: 'inherit' });

  // The snippets the full glue imports must be those Trunk staged for the small one.
  const snippets = [];
  (function walk(dir) {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full); else snippets.push(path.relative(out, full));
    }
  })(path.join(out, 'snippets'));
  if (snippets.length === 0) fail('the full build has no snippets (js/dynaplay.js): wasm-bindgen output changed?');
  for (const s of snippets) {
    const staged = path.join(staging, s);
    if (!fs.existsSync(staged)) fail(`the full glue imports ./${s}, which Trunk did not stage`);
    if (!fs.readFileSync(staged).equals(fs.readFileSync(path.join(out, s)))) fail(`./${s} differs between the two builds`);
  }
  const others = fs.readdirSync(out).filter((f) => f !== 'snippets' && !['dynaplay-web-full.js', 'dynaplay-web-full_bg.wasm'].includes(f));
  if (others.length) fail(`unexpected wasm-bindgen output: ${others.join(', ')}`);

  const wasm = fs.readFileSync(path.join(out, 'dynaplay-web-full_bg.wasm'));
  const hash = crypto.createHash('sha256').update(wasm).digest('hex').slice(0, 16);
  const name = `dynaplay-web-full-${hash}`;
  fs.writeFileSync(path.join(staging, `${name}_bg.wasm`), wasm);
  fs.copyFileSync(path.join(out, 'dynaplay-web-full.js'), path.join(staging, `${name}.js`));
  rewriteStart(name, wasm);
  console.log(`full.mjs: the full engine is ${name} (built in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// Trunk's start-up script imports the small glue and instantiates the small wasm; it becomes
// a choice between the two. The wasm is fetched with its integrity hash (minify.mjs updates
// both as it optimizes them), so dropping Trunk's preload keeps the check it made. Fetching
// from the module script instead (it runs once the document is parsed) cost the first render
// ≈ 35 ms unthrottled, ≈ 80 ms at 20 Mbit/s and 40 ms (web/README.md, *On demand*).
function rewriteStart(name, fullWasm) {
  const htmlFile = path.join(staging, 'index.html');
  let html = fs.readFileSync(htmlFile, 'utf8');
  const start = /import init, \* as bindings from '\.\/(dynaplay-web-[0-9a-f]+)\.js';\s*const wasm = await init\(\{ module_or_path: '\.\/\1_bg\.wasm' \}\);/;
  const m = start.exec(html);
  if (!m) fail("Trunk's start-up script is not the one expected (import init … await init({ module_or_path }))");
  const small = m[1];
  const attr = (tag, name) => (new RegExp(`\\b${name}=("([^"]*)"|'([^']*)'|([^\\s>]+))`).exec(tag) || [])
    .slice(2).find((v) => v !== undefined);
  const links = [...html.matchAll(/<link\b[^>]*>/g)].map((l) => l[0]);
  const wasmLink = links.find((l) => attr(l, 'href') === `./${small}_bg.wasm`);
  const glueLink = links.find((l) => attr(l, 'href') === `./${small}.js` && attr(l, 'rel') === 'modulepreload');
  if (!wasmLink || !glueLink) fail('no preload links for the small build to replace');
  const smallIntegrity = attr(wasmLink, 'integrity');
  if (!smallIntegrity) fail('the small wasm has no integrity hash');
  const fullIntegrity = `sha384-${crypto.createHash('sha384').update(fullWasm).digest('base64')}`;
  // The choice runs as the head is parsed (a classic script, first in the head: no stylesheet
  // holds it back), and starts both fetches there, as early as Trunk's preloads did; the module
  // script then takes what it started.
  const choice = [
    '<script>(() => {',
    "let full = new URLSearchParams(location.search).get('engine') === 'full';",
    "try { full ||= localStorage.getItem('dynaplay.engine') === 'full'; } catch (_) { /* storage denied */ }",
    `const [glue, path, integrity] = full ? ['./${name}.js', './${name}_bg.wasm', '${fullIntegrity}'] : ['./${small}.js', './${small}_bg.wasm', '${smallIntegrity}'];`,
    "const link = document.createElement('link');",
    "link.rel = 'modulepreload'; link.href = glue;",
    'document.head.appendChild(link);',
    'self.dynaplayStart = { glue, wasm: fetch(path, { integrity }) };',
    '})();</script>',
  ].join('\n');
  const boot = [
    'const bindings = await import(self.dynaplayStart.glue);',
    'const wasm = await bindings.default({ module_or_path: self.dynaplayStart.wasm });',
  ].join('\n');
  const charset = /<meta charset=[^>]*>/i.exec(html);
  if (!charset) fail('index.html has no <meta charset> to put the choice after');
  html = html.replace(m[0], boot).replace(wasmLink, '').replace(glueLink, '');
  html = html.replace(charset[0], charset[0] + choice);
  fs.writeFileSync(htmlFile, html);
}
