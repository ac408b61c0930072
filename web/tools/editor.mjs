// Run by the post-build hook (post-build.mjs), after learn.mjs and before minify.mjs: bundles the
// code editor (web/editor/: CodeMirror 6 and editor.js, which attaches it to the page's code
// textareas) with esbuild into `editor-<hash>.js` beside the page — minified in release builds,
// readable in debug ones — and tells js/dynaplay.js that name (its one 'editor.js'). The page
// imports it once the workspace is ready and the page is idle, so the first load never fetches
// it. minify.mjs leaves the file alone (it is minified here). The licences of the packages in
// the bundle go beside it, in `editor-<hash>.js.LICENSES.txt`, named at the bundle's top.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import * as esbuild from 'esbuild';
import { tellLoader } from './loader.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('editor.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';
const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'editor');
if (!fs.existsSync(path.join(dir, 'node_modules', '@codemirror', 'view'))) {
  throw new Error('editor.mjs: web/editor/node_modules is missing: run scripts/setup-web.sh');
}

const built = await esbuild.build({
  entryPoints: [path.join(dir, 'editor.js')], absWorkingDir: dir, bundle: true, format: 'esm', platform: 'browser',
  target: 'es2020', minify: release, legalComments: 'none', write: false, metafile: true, logLevel: 'warning',
});

// The packages bundled, from the inputs' paths, and their licence files.
const packages = new Set();
for (const input of Object.keys(built.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const licences = [...packages].sort().map((name) => {
  const root = path.join(dir, 'node_modules', name);
  const file = fs.readdirSync(root).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`editor.mjs: ${name} has no licence file to ship with the bundle`);
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return `${name} ${version}\n\n${fs.readFileSync(path.join(root, file), 'utf8').trim()}\n`;
}).join('\n-----\n\n');

const code = built.outputFiles[0].text;
const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = `editor-${hash}.js`;
fs.writeFileSync(path.join(staging, name), `/* CodeMirror 6 and the packages it uses; their licences: ${name}.LICENSES.txt */\n${code}`);
fs.writeFileSync(path.join(staging, `${name}.LICENSES.txt`), licences);
tellLoader(staging, 'editor.js', name);
console.log(`editor.mjs: the code editor is ${name} (${packages.size} packages)`);
