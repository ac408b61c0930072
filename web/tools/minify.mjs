// Trunk post-build hook (Trunk.toml) for release builds; debug builds are left readable.
// 1. Shortens the names the wasm imports its JavaScript glue by: wasm-bindgen names each
//    `__wbg_<function>_<16 hex digits>`, once in the wasm and once in the glue, and those random
//    digits are what gzip cannot compress (≈ 5 KB of the bundle). Each becomes a short name in
//    both files, and the build fails if the glue does not hold each old name exactly once.
// 2. Minifies the JavaScript — the glue and the snippets, which Trunk leaves as they are.
// 3. Updates the subresource-integrity hashes in index.html for every file changed.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import * as esbuild from 'esbuild';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('minify.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

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

// --- 1. Import names -------------------------------------------------------------------------

// The glue is the one .js file next to the one .wasm file, named after it.
const wasmFile = files.find((f) => f.endsWith('_bg.wasm'));
const glueFile = wasmFile && wasmFile.replace(/_bg\.wasm$/, '.js');
const renamed = new Map();
if (wasmFile && files.includes(glueFile)) {
  const wasm = fs.readFileSync(wasmFile);
  const glueModule = `./${path.basename(wasmFile).replace(/-[0-9a-f]+_bg\.wasm$/, '_bg.js')}`;
  const out = renameImports(wasm, glueModule, renamed);
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

// Rewrites the import section: each function imported from the glue gets a short name
// (recorded in `renamed`); every other section is copied as it is.
function renameImports(wasm, glueModule, renamed) {
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const entries = [writeU32(count)];
    while (count--) {
      let length;
      [length, p] = readU32(wasm, p);
      const module = wasm.toString('utf8', p, p + length);
      p += length;
      [length, p] = readU32(wasm, p);
      let field = wasm.toString('utf8', p, p + length);
      p += length;
      const descStart = p;
      const kind = wasm[p++];
      if (kind === 0) [, p] = readU32(wasm, p); // function: type index
      else if (kind === 1) { p++; const flags = wasm[p++]; [, p] = readU32(wasm, p); if (flags & 1) [, p] = readU32(wasm, p); } // table
      else if (kind === 2) { const flags = wasm[p++]; [, p] = readU32(wasm, p); if (flags & 1) [, p] = readU32(wasm, p); } // memory
      else if (kind === 3) p += 2; // global: value type, mutability
      else throw new Error(`minify.mjs: unknown import kind ${kind}`);
      if (module === glueModule && kind === 0 && /^__wbg_/.test(field)) {
        if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
        field = renamed.get(field);
      }
      entries.push(encodeName(module), encodeName(field), wasm.subarray(descStart, p));
    }
    if (p !== end) throw new Error('minify.mjs: the import section did not parse to its end');
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([2]), writeU32(body.length), body);
    at = end;
  }
  return Buffer.concat(parts);
}

// --- 2. and 3. JavaScript ------------------------------------------------------------------------

for (const file of files.filter((f) => f.endsWith('.js'))) {
  const source = fs.readFileSync(file, 'utf8');
  // ES modules; names of exports stay (wasm-bindgen's glue imports the snippets by name).
  const { code } = await esbuild.transform(source, { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
  replaceFile(file, source, code);
}
fs.writeFileSync(htmlFile, html);
