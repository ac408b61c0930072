// Shared by the build steps that put a file beside the page under a name with its hash
// (learn.mjs, editor.mjs): tells the page's loader, the js/dynaplay.js snippet, that name in
// place of the one placeholder it holds, and keeps the subresource-integrity hash index.html
// gives that snippet true.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const sri = (bytes) => `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`;

// Replaces `placeholder` (a quoted string that must occur exactly once) in the staged
// js/dynaplay.js with `name`, quoted alike.
export function tellLoader(staging, placeholder, name) {
  const snippets = path.join(staging, 'snippets');
  const loaders = fs.readdirSync(snippets).map((d) => path.join(snippets, d, 'js', 'dynaplay.js')).filter((f) => fs.existsSync(f));
  if (loaders.length !== 1) throw new Error(`loader.mjs: expected one js/dynaplay.js snippet, found ${loaders.length}`);
  const before = fs.readFileSync(loaders[0], 'utf8');
  const marks = before.split(`'${placeholder}'`).length - 1;
  if (marks !== 1) throw new Error(`loader.mjs: js/dynaplay.js names '${placeholder}' ${marks} times, not once`);
  const after = before.replace(`'${placeholder}'`, `'${name}'`);
  fs.writeFileSync(loaders[0], after);
  const htmlFile = path.join(staging, 'index.html');
  fs.writeFileSync(htmlFile, fs.readFileSync(htmlFile, 'utf8').replaceAll(sri(before), sri(after)));
}
