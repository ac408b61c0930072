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
