// Run by the post-build hook (post-build.mjs), before minify.mjs: builds the on-demand module
// — labs, exam practice, the calculator, the Capacity tab (web/src/learn/, bin
// `dynaplay-learn`) — a wasm of its own that the page fetches the first time one of those views
// opens, so the first page load does not pay for it. Its files go to `learn-<hash>/` beside the page (a new build, a new name: a
// cached copy can never meet a page it was not built with), and js/dynaplay.js is told that
// name. minify.mjs then optimizes it as it does the page's wasm.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tellLoader } from './loader.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('learn.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const cargo = ['build', '--target', 'wasm32-unknown-unknown', '--manifest-path', path.join(root, 'web', 'Cargo.toml'), '--bin', 'dynaplay-learn'];
execFileSync('cargo', release ? [...cargo, '--release'] : cargo, { stdio: 'inherit', cwd: root });
const { target_directory: target } = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', path.join(root, 'Cargo.toml')], { cwd: root }),
);
const built = path.join(target, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'dynaplay-learn.wasm');
const hash = crypto.createHash('sha256').update(fs.readFileSync(built)).digest('hex').slice(0, 16);
const dir = `learn-${hash}`;
execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', path.join(staging, dir), built], { stdio: 'inherit' });

// Tell the page's loader where the module is (the one `'learn/'` in js/dynaplay.js).
tellLoader(staging, 'learn/', `${dir}/`);
console.log(`learn.mjs: the teaching module is ${dir}/`);
