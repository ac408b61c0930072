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
