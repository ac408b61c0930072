// The teaching module's few browser helpers (a wasm-bindgen snippet of `dynaplay-learn`,
// web/src/learn/): content files fetched on demand, progress kept in localStorage.

// A content file (a lab, its index) as text; rejects with the HTTP status when not found.
export async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

// A saved value (guided labs' progress); undefined when storage is unavailable.
export function loadValue(key) {
  try { return localStorage.getItem(key) ?? undefined; } catch { return undefined; }
}

export function saveValue(key, value) {
  try { localStorage.setItem(key, value); } catch { /* private mode: progress is not kept */ }
}

// Demo mode's presenter keys in a lab: → or Page Down (what a presenter's clicker sends) does
// the lab's next thing — start it, "show me" the step, or go to the next step once it passed.
// Installed once; ignored outside demo mode and while typing.
let presenting = false;
export function presenterKeys() {
  if (presenting) return;
  presenting = true;
  document.addEventListener('keydown', (e) => {
    if (!document.documentElement.classList.contains('demo')) return;
    if (e.key !== 'ArrowRight' && e.key !== 'PageDown') return;
    if (e.target instanceof Element && e.target.closest('input, textarea, select, [contenteditable]')) return;
    const next = ['lab-next', 'lab-show-me', 'lab-start']
      .map((id) => document.querySelector(`[data-testid=${id}]`)).find((b) => b && !b.disabled);
    if (next) { e.preventDefault(); next.click(); }
  });
}

// --- Workspaces (web/src/learn/workspaces.rs) ----------------------------------------------
// Their names live in localStorage; each one's data is an IndexedDB database ("dynaplay" for
// the first, "dynaplay-<id>" for the others) that the page opens when the address says
// `?ws=<id>` (js/dynaplay.js, workspaceId).

const LIST = 'dynaplay.workspaces';
const readList = () => { try { return JSON.parse(localStorage.getItem(LIST) || '[]'); } catch (_) { return []; } };
const writeList = (list) => { try { localStorage.setItem(LIST, JSON.stringify(list)); } catch (_) { /* kept for this page */ } };
const currentId = () => {
  const id = new URLSearchParams(location.search).get('ws') || '';
  return /^[a-z0-9-]{1,40}$/.test(id) ? id : '';
};
const dbName = (id) => (id ? `dynaplay-${id}` : 'dynaplay');

// Every workspace as JSON text: [{id, name, current}], the first one ("") always there.
export function workspacesText() {
  const list = readList().filter((w) => w && typeof w.id === 'string' && typeof w.name === 'string');
  if (!list.some((w) => w.id === '')) list.unshift({ id: '', name: 'My workspace' });
  const current = currentId();
  return JSON.stringify(list.map((w) => ({ id: w.id, name: w.name, current: w.id === current })));
}

export function createWorkspace(name) {
  const list = JSON.parse(workspacesText()).map(({ id, name: n }) => ({ id, name: n }));
  let id;
  do { id = Math.random().toString(36).slice(2, 10); } while (list.some((w) => w.id === id));
  list.push({ id, name });
  writeList(list);
  return id;
}

export function renameWorkspace(id, name) {
  writeList(JSON.parse(workspacesText()).map((w) => ({ id: w.id, name: w.id === id ? name : w.name })));
}

// Deletes a workspace's data and forgets it (the first one is emptied and kept). Rejects for
// the workspace open in this page, which must be left first.
export function deleteWorkspace(id) {
  if (id === currentId()) return Promise.reject(new Error('This workspace is open: switch to another one first.'));
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(dbName(id));
    request.onsuccess = () => {
      writeList(JSON.parse(workspacesText()).filter((w) => w.id !== id || id === '').map(({ id: i, name }) => ({ id: i, name })));
      resolve();
    };
    request.onerror = () => reject(new Error(String(request.error && request.error.message)));
    request.onblocked = () => reject(new Error('This workspace is open in another tab: close it there first.'));
  });
}

// Opens workspace `id` in this page (the address changes, the page reloads), filled first with
// `text` (an exported workspace) when given.
export function openWorkspace(id, text) {
  if (text !== undefined) {
    try { sessionStorage.setItem(`dynaplay.import.${id}`, text); } catch (e) { throw new Error(`The workspace could not be handed over: ${e.message}`); }
  }
  const url = new URL(location.href);
  if (id) url.searchParams.set('ws', id); else url.searchParams.delete('ws');
  url.hash = '#/';
  location.assign(url.href);
}

// --- Share by link --------------------------------------------------------------------------
// An exported workspace, deflate-compressed and base64url-encoded into the link's fragment
// (#/share/<data>): nothing is sent to any server.

const toBase64Url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

export async function encodeShare(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

// The workspace text a link carries; rejects with what is wrong (not base64url, not deflate
// data, larger than `limit` bytes once inflated — read no further than that).
export async function decodeShare(data, limit) {
  if (!/^[A-Za-z0-9_-]+$/.test(data)) throw new Error('the link is not a dynaplay share link (unexpected characters)');
  let bytes;
  try {
    const b64 = data.replaceAll('-', '+').replaceAll('_', '/');
    bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch (_) { throw new Error('the link is damaged (not base64url)'); }
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) { reader.cancel().catch(() => {}); throw new RangeError(`the shared workspace is larger than ${limit} bytes`); }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof RangeError) throw new Error(e.message);
    throw new Error('the link is damaged or cut short (its data does not inflate)');
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(await new Blob(parts).arrayBuffer());
}
