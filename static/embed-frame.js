// The postMessage API of an embedded dynaplay (`index.html?embed=<layout>`), fetched by
// js/dynaplay.js once the workspace is open (`dynaplay.ready`), and only when embedded — so a page that frames dynaplay without
// `?embed` can never read a learner's saved workspace through it, and the first load of the
// app itself does not carry it. A message: {dynaplay: 1, id, method, …}; the answer:
// {dynaplay: 1, id, result} or {…, error}. The frame posts {dynaplay: 1, event: 'ready'} to its
// parent once its workspace is open; messages sent before that are not answered.
addEventListener('message', async (e) => {
  const m = e.data;
  if (!m || m.dynaplay !== 1 || typeof m.id !== 'number' || !e.source) return;
  const reply = (body) => e.source.postMessage({ dynaplay: 1, id: m.id, ...body }, e.origin === 'null' ? '*' : e.origin);
  try {
    const api = window.dynaplay;
    let result;
    if (m.method === 'send') result = await api.send(String(m.operation), m.request);
    else if (m.method === 'cli') result = await api.cli(String(m.line));
    else if (m.method === 'import') result = await api.importWorkspace(m.workspace).then(() => true);
    else if (m.method === 'navigate') { location.hash = String(m.hash); result = true; }
    else if (m.method === 'ping') result = true;
    else throw new Error(`dynaplay: no method "${m.method}"`);
    reply({ result });
  } catch (err) {
    reply({ error: { name: err && err.name, message: err && err.message, __type: err && err.__type } });
  }
});
parent.postMessage({ dynaplay: 1, event: 'ready' }, '*');
