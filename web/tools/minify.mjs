// Run by the post-build hook (post-build.mjs) after learn.mjs; release builds only (debug
// builds are left readable):
// 0. Optimizes the wasm with wasm-opt -Oz, repeated until it stops shrinking (`--converge`: 381
//    bytes of the page's gzip, 2026-12-03; web/tools' binaryen; Trunk's own wasm-opt step is off),
//    its functions ordered by name: gzip finds far more repeats when instantiations of one generic
//    function, or one module's functions, sit next to each other (≈ 12 KB of the bundle). The
//    names are first shortened to their paths (hashes and leading `<`/`&` dropped) so that, for
//    example, every `<… as Display>::fmt` lands beside its type's other code; wasm-opt then drops
//    the names from the output.
// 1. Shortens the names the wasm imports its JavaScript glue by: wasm-bindgen names each
//    `__wbg_<function>_<16 hex digits>`, once in the wasm and once in the glue, and those random
//    digits are what gzip cannot compress (≈ 5 KB of the bundle). Each becomes a short name in
//    both files, and the build fails if the glue does not hold each old name exactly once.
// 2. Minifies the JavaScript — the glue and the snippets, which Trunk leaves as they are.
// 3. Updates the subresource-integrity hashes in index.html for every file changed.
// 4. Adds the Content-Security-Policies (csp.mjs) — in every profile, debug builds too.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { addPolicies } from './csp.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('minify.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
if (process.env.TRUNK_PROFILE !== 'release') {
  addPolicies(staging);
  process.exit(0);
}

const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else files.push(full);
  }
})(staging);

const htmlFile = path.join(staging, 'index.html');
let html = fs.readFileSync(htmlFile, 'utf8');
const sri = (bytes) => `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`;
const replaceFile = (file, before, after) => {
  fs.writeFileSync(file, after);
  html = html.replaceAll(sri(before), sri(after));
};

// --- 0. wasm-opt ------------------------------------------------------------------------------

// Every wasm and its glue, the .js file beside it named after it: the page's (both builds:
// web/tools/full.mjs), and the teaching module's (web/tools/learn.mjs). The wasm-opt runs are
// independent and each uses one core: they run side by side (the output is the same).
const wasmFiles = files.filter((f) => f.endsWith('_bg.wasm'));
const started = Date.now();
await Promise.all(wasmFiles.map(optimize));
console.log(`minify.mjs: ${wasmFiles.length} wasm files optimized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const wasmFile of wasmFiles) shortenImports(wasmFile, wasmFile.replace(/_bg\.wasm$/, '.js'));

async function optimize(wasmFile) {
  const built = fs.readFileSync(wasmFile);
  const sortable = `${wasmFile}.sortable`;
  fs.writeFileSync(sortable, sortableNames(built));
  const wasmOpt = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules', '.bin', 'wasm-opt');
  const features = ['bulk-memory', 'bulk-memory-opt', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
  const began = Date.now();
  // WASM_NAMES=1: the functions keep their names (-g), for a CPU profile (web/e2e/getbench.mjs).
  await new Promise((resolve, reject) => {
    const run = spawn(wasmOpt, [
      '-Oz', '--converge', ...(process.env.WASM_NAMES ? ['-g'] : []), ...features.map((f) => `--enable-${f}`), '--reorder-functions-by-name', '--strip-producers', '--strip-target-features',
      sortable, '-o', wasmFile,
    ], { stdio: 'inherit' });
    run.on('error', reject);
    run.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`minify.mjs: wasm-opt failed on ${wasmFile} (${code})`))));
  });
  console.log(`minify.mjs: ${path.basename(wasmFile)} optimized in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  fs.rmSync(sortable);
  html = html.replaceAll(sri(built), sri(fs.readFileSync(wasmFile)));
}

// The module with each function's name (the "name" section's function names) replaced by its
// sort key: the path without hashes or leading `<`/`&`, then the function's index so ties keep
// their order and the build stays deterministic.
function sortableNames(wasm) {
  const key = (name) => name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, '').replace(/^[<&]+/, '');
  let named = false;
  const sortable = mapSections(wasm, (id, body) => {
    if (id !== 0) return body;
    let [length, p] = readU32(body, 0);
    if (body.toString('utf8', p, p + length) !== 'name') return body;
    p += length;
    const parts = [body.subarray(0, p)];
    while (p < body.length) {
      const sub = body[p];
      const [size, start] = readU32(body, p + 1);
      if (sub !== 1) {
        parts.push(body.subarray(p, start + size));
      } else {
        let [count, q] = readU32(body, start);
        const names = [writeU32(count)];
        while (count--) {
          let index;
          [index, q] = readU32(body, q);
          [length, q] = readU32(body, q);
          const sortKey = `${key(body.toString('utf8', q, q + length))} ${String(index).padStart(6, '0')}`;
          q += length;
          names.push(writeU32(index), encodeName(sortKey));
        }
        const content = Buffer.concat(names);
        parts.push(Buffer.from([1]), writeU32(content.length), content);
        named = true;
      }
      p = start + size;
    }
    return Buffer.concat(parts);
  });
  // Without names wasm-opt would order by index numbers as text, scattering the code.
  if (!named) throw new Error('minify.mjs: the wasm has no function names to order by (the release profile must keep them: strip = "debuginfo")');
  return sortable;
}

// --- 1. Import names -------------------------------------------------------------------------

function shortenImports(wasmFile, glueFile) {
  const renamed = new Map();
  if (!files.includes(glueFile)) throw new Error(`minify.mjs: no glue ${glueFile} beside the wasm`);
  const wasm = fs.readFileSync(wasmFile);
  // The name wasm-bindgen gave the glue, before Trunk added its hash to the file name.
  const glueModule = `./${path.basename(wasmFile).replace(/(-[0-9a-f]+)?_bg\.wasm$/, '_bg.js')}`;
  const out = renameImports(wasm, glueModule, renamed);
  if (renamed.size === 0) throw new Error(`minify.mjs: no imports from ${glueModule} to rename (has the glue's name changed?)`);
  let glue = fs.readFileSync(glueFile, 'utf8');
  const before = glue;
  for (const [old, short] of renamed) {
    const pattern = new RegExp(`\\b${old}\\b`, 'g');
    const found = glue.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`minify.mjs: the glue names ${old} ${found} times, not once`);
    glue = glue.replace(pattern, short);
  }
  replaceFile(wasmFile, wasm, out);
  replaceFile(glueFile, before, glue);
}

// LEB128, as the wasm binary format writes sizes and counts.
function readU32(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, at];
}
function writeU32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
function encodeName(s) {
  return Buffer.concat([writeU32(Buffer.byteLength(s)), Buffer.from(s)]);
}

// Short identifiers: a … z, A … Z, then two letters and so on.
function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[n % 52] + s;
    n = Math.floor(n / 52) - 1;
  } while (n >= 0);
  return s;
}

// The module with each section's body replaced by `map(id, body)`.
function mapSections(wasm, map) {
  const parts = [wasm.subarray(0, 8)];
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const body = map(id, wasm.subarray(start, start + size));
    parts.push(Buffer.from([id]), writeU32(body.length), body);
    at = start + size;
  }
  return Buffer.concat(parts);
}

// Rewrites the import section: each function imported from the glue gets a short name
// (recorded in `renamed`).
function renameImports(wasm, glueModule, renamed) {
  return mapSections(wasm, (id, body) => {
    if (id !== 2) return body;
    let [count, p] = readU32(body, 0);
    const entries = [writeU32(count)];
    while (count--) {
      let length;
      [length, p] = readU32(body, p);
      const module = body.toString('utf8', p, p + length);
      p += length;
      [length, p] = readU32(body, p);
      let field = body.toString('utf8', p, p + length);
      p += length;
      const descStart = p;
      const kind = body[p++];
      if (kind === 0) [, p] = readU32(body, p); // function: type index
      else if (kind === 1) { p++; const flags = body[p++]; [, p] = readU32(body, p); if (flags & 1) [, p] = readU32(body, p); } // table
      else if (kind === 2) { const flags = body[p++]; [, p] = readU32(body, p); if (flags & 1) [, p] = readU32(body, p); } // memory
      else if (kind === 3) p += 2; // global: value type, mutability
      else throw new Error(`minify.mjs: unknown import kind ${kind}`);
      if (module === glueModule && kind === 0 && /^__wbg_/.test(field)) {
        if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
        field = renamed.get(field);
      }
      entries.push(encodeName(module), encodeName(field), body.subarray(descStart, p));
    }
    if (p !== body.length) throw new Error('minify.mjs: the import section did not parse to its end');
    return Buffer.concat(entries);
  });
}

// --- 2. and 3. JavaScript ------------------------------------------------------------------------

// The code editor's bundle is minified by esbuild as editor.mjs builds it.
for (const file of files.filter((f) => f.endsWith('.js') && !/^editor-[0-9a-f]+\.js$/.test(path.basename(f)))) {
  const source = fs.readFileSync(file, 'utf8');
  // ES modules; names of exports stay (wasm-bindgen's glue imports the snippets by name).
  const { code } = await esbuild.transform(source, { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
  replaceFile(file, source, code);
}
// --- 4. The full engine's size --------------------------------------------------------------------

// What loading the full engine (web/tools/full.mjs) downloads, gzip -9 of its wasm and glue as
// they ship, written into the page's js/dynaplay.js (its minified "full-engine-size") for the
// Regions and DAX views to say.
const fullWasm = files.find((f) => /^dynaplay-web-full-[0-9a-f]+_bg\.wasm$/.test(path.basename(f)));
if (fullWasm) {
  const bytes = [fullWasm, fullWasm.replace(/_bg\.wasm$/, '.js')]
    .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
  // The page's own snippet (the teaching module's directory has a copy of its own).
  const loader = files.find((f) => /^snippets\/[^/]+\/js\/dynaplay\.js$/.test(path.relative(staging, f).split(path.sep).join('/')));
  const before = fs.readFileSync(loader, 'utf8');
  if (before.split('"full-engine-size"').length !== 2) throw new Error('minify.mjs: js/dynaplay.js must hold "full-engine-size" once');
  replaceFile(loader, before, before.replace('"full-engine-size"', `"${Math.round(bytes / 1024)} KB"`));
}

fs.writeFileSync(htmlFile, html);
addPolicies(staging);
