// dynaplay in any page: <script src="…/embed.js"></script> turns each
//   <pre data-dynaplay="json">   an operation and its request: {"op": "PutItem", "request": {…}},
//                                or the operation's name on the first line and the JSON below
//   <pre data-dynaplay="partiql"> a PartiQL statement (ExecuteStatement)
//   <pre data-dynaplay="cli">    an `aws dynamodb …` line, as the AWS CLI prints its answer
//   <pre data-dynaplay="js">     JavaScript run with `dynaplay.send(operation, request)`; what it
//                                console.logs or returns is shown
// into a runnable snippet: a Run button and an output panel. Every snippet of the page shares one
// in-memory DynamoDB — dynaplay itself, in a hidden frame served beside this script
// (index.html?embed=api) — that never touches the learner's saved workspace. The page can seed
// it: <script type="application/json" data-dynaplay-seed>[{"op": "CreateTable", "request": …}, …]
// </script>, or data-dynaplay-seed="url-of-a-file" on this script tag (steps, or an exported
// workspace). `window.dynaplayEmbed.ready` resolves once the snippets can run.
(() => {
  const script = document.currentScript;
  const base = new URL('.', script.src);
  const frame = document.createElement('iframe');
  frame.src = new URL('index.html?embed=api', base).href;
  frame.title = 'dynaplay engine';
  frame.hidden = true;
  const origin = base.origin;
  let next = 1;
  const waiting = new Map();
  let markReady;
  const loaded = new Promise((resolve) => { markReady = resolve; });
  addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow || !e.data || e.data.dynaplay !== 1) return;
    if (e.data.event === 'ready') { markReady(); return; }
    const pending = waiting.get(e.data.id);
    if (!pending) return;
    waiting.delete(e.data.id);
    if (e.data.error) {
      const err = new Error(e.data.error.message);
      err.name = e.data.error.name || 'Error';
      pending.reject(err);
    } else pending.resolve(e.data.result);
  });
  const call = (method, args) => loaded.then(() => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    frame.contentWindow.postMessage({ dynaplay: 1, id, method, ...args }, origin);
  }));
  const dynaplay = {
    send: (operation, request) => call('send', { operation, request }),
    cli: (line) => call('cli', { line }),
  };

  async function seed() {
    const inline = document.querySelector('script[type="application/json"][data-dynaplay-seed]');
    let doc = null;
    if (inline) doc = JSON.parse(inline.textContent);
    else if (script.dataset.dynaplaySeed) doc = await (await fetch(new URL(script.dataset.dynaplaySeed, document.baseURI))).json();
    if (doc === null) return;
    if (Array.isArray(doc)) { for (const step of doc) await dynaplay.send(step.op, step.request || {}); }
    else await call('import', { workspace: doc });
  }

  const pretty = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  async function run(kind, text) {
    if (kind === 'json') {
      const trimmed = text.trim();
      if (trimmed.startsWith('{')) {
        const { op, request } = JSON.parse(trimmed);
        return pretty(await dynaplay.send(op, request));
      }
      const [first, ...rest] = trimmed.split('\n');
      return pretty(await dynaplay.send(first.trim(), rest.join('\n').trim() ? JSON.parse(rest.join('\n')) : {}));
    }
    if (kind === 'partiql') return pretty(await dynaplay.send('ExecuteStatement', { Statement: text.trim() }));
    if (kind === 'cli') return pretty(await dynaplay.cli(text.trim()));
    if (kind === 'js') {
      const lines = [];
      const log = (...a) => lines.push(a.map(pretty).join(' '));
      const body = new Function('dynaplay', 'console', `return (async () => {\n${text}\n})();`);
      const value = await body(dynaplay, { log, info: log, warn: log, error: log });
      if (value !== undefined) lines.push(pretty(value));
      return lines.join('\n');
    }
    throw new Error(`unknown snippet kind "${kind}"`);
  }

  function enhance(pre) {
    const kind = pre.dataset.dynaplay;
    const box = document.createElement('div');
    box.className = 'dynaplay-snippet';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Run';
    button.disabled = true;
    const out = document.createElement('pre');
    out.className = 'dynaplay-output';
    out.setAttribute('aria-live', 'polite');
    out.hidden = true;
    // Both may scroll sideways: reachable from the keyboard.
    pre.tabIndex = 0;
    out.tabIndex = 0;
    pre.replaceWith(box);
    box.append(pre, button, out);
    button.addEventListener('click', async () => {
      button.disabled = true;
      out.hidden = false;
      out.textContent = 'Running…';
      out.classList.remove('dynaplay-error');
      try { out.textContent = await run(kind, pre.textContent); } catch (e) {
        out.textContent = `${e.name}: ${e.message}`;
        out.classList.add('dynaplay-error');
      }
      button.disabled = false;
    });
    return button;
  }

  const buttons = [];
  const ready = new Promise((resolve) => {
    const start = () => {
      for (const pre of document.querySelectorAll('pre[data-dynaplay]')) buttons.push(enhance(pre));
      document.body.append(frame);
      resolve();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  }).then(() => loaded).then(seed).then(() => { for (const b of buttons) b.disabled = false; });
  window.dynaplayEmbed = { ready, send: dynaplay.send, cli: dynaplay.cli };
})();
