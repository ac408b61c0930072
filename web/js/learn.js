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
