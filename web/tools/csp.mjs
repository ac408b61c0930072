// The Content-Security-Policies of the built site, added to the staged HTML by the Trunk
// post-build hook (minify.mjs calls `addPolicies` for every profile: Trunk runs a stage's hooks
// at once, and both rewrite index.html). Each policy is a <meta http-equiv> right after the
// charset, before anything it governs, and names the inline scripts it allows by their SHA-256,
// computed here from the HTML as built — so nothing in the source has to be kept in step.
// web/README.md, "The trigger sandbox", says what each policy allows and why.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

// The page: its own scripts and Trunk's inline start-up script, the wasm compiled from bytes
// ('wasm-unsafe-eval', not 'unsafe-eval': no eval in the page), its stylesheet and the style
// attributes the views set (partition bars, chart swatches, the shard tree's indent), fetches
// to itself only (the wasm), its own favicon, and the trigger sandbox as its only frame. Nothing
// else: no workers, fonts, other images, objects, forms or <base>.
export function pagePolicy(scriptHashes) {
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
    "img-src 'self'", // the favicon (static/favicon.svg); the views draw no images
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

// The trigger sandbox (static/sandbox.html, an opaque origin): its one inline script, eval for
// the handlers' code, workers from blob: (the handlers' workers, which inherit this policy), and
// no request of any kind — default-src 'none' covers fetch, XMLHttpRequest, WebSocket,
// EventSource, import(), importScripts, fonts and images.
export function sandboxPolicy(scriptHashes) {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.join(' ')} 'unsafe-eval'`,
    "worker-src blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

// The text of every inline <script> in `html`, as the browser hashes it (newlines normalized).
export function inlineScripts(html) {
  const scripts = [];
  for (const [, attributes, text] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/i.test(attributes)) scripts.push(text.replace(/\r\n?/g, '\n'));
  }
  return scripts;
}

export const sha256Source = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// `html` with the policy `policyOf(hashes)` inserted after its charset declaration.
export function withPolicy(html, policyOf, file) {
  if (/http-equiv=["']?content-security-policy/i.test(html)) throw new Error(`csp.mjs: ${file} already has a policy (it is added at build time)`);
  const charset = html.match(/<meta charset=[^>]*>/i);
  if (!charset) throw new Error(`csp.mjs: ${file} has no <meta charset> to put the policy after`);
  const at = charset.index + charset[0].length;
  const first = html.slice(0, at).search(/<(script|link|style)\b/i);
  if (first !== -1) throw new Error(`csp.mjs: ${file} loads something before its charset: the policy would not cover it`);
  const hashes = inlineScripts(html).map(sha256Source);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policyOf(hashes)}">`;
  return html.slice(0, at) + meta + html.slice(at);
}

export function addPolicies(dir) {
  for (const [file, policyOf] of [['index.html', pagePolicy], ['sandbox.html', sandboxPolicy]]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) throw new Error(`csp.mjs: ${full} is missing (static/index.html copies sandbox.html)`);
    fs.writeFileSync(full, withPolicy(fs.readFileSync(full, 'utf8'), policyOf, file));
  }
}
