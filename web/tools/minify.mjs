// Trunk post-build hook (Trunk.toml): minifies the JavaScript of a release build — the
// wasm-bindgen glue and the snippets, which Trunk leaves as they are — and updates their
// subresource-integrity hashes in index.html. Debug builds are left readable.
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
    else if (entry.name.endsWith('.js')) files.push(full);
  }
})(staging);

const htmlFile = path.join(staging, 'index.html');
let html = fs.readFileSync(htmlFile, 'utf8');
const sri = (text) => `sha384-${crypto.createHash('sha384').update(text).digest('base64')}`;
for (const file of files) {
  const source = fs.readFileSync(file, 'utf8');
  // ES modules; names of exports stay (wasm-bindgen's glue imports the snippets by name).
  const { code } = await esbuild.transform(source, { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
  fs.writeFileSync(file, code);
  html = html.replaceAll(sri(source), sri(code));
}
fs.writeFileSync(htmlFile, html);
