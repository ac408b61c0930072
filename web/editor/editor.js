// The playground's code editor: CodeMirror 6 over each `<textarea data-lang="json|javascript">`
// the shell renders (the console's request, the item editor, the trigger's handler; any later
// one that carries the attribute). Bundled by web/tools/editor.mjs into dist/editor-<hash>.js and
// imported by js/dynaplay.js once the workspace is ready and the page is idle, so the first page
// load never fetches it; until then, or if it never comes, the textareas are the editors.
//
// The textarea stays the source of truth that yew owns: it is hidden (but left focusable, so
// anything that fills it still works) and the editor mirrors it both ways. An edit in the editor
// writes the textarea's value and fires `input`, so the component's `oninput` runs as if the
// learner had typed there; a value yew sets (another operation's example, the plain/DynamoDB
// JSON toggle) goes through the textarea's `value` setter, which this module wraps, into the
// editor. Ctrl+Enter is passed on to the textarea's own key handler.
//
// Styles: CodeMirror writes its CSS at run time. In a document it would add a <style> element,
// which the page's policy (`style-src 'self'`, web/tools/csp.mjs) refuses; each editor therefore
// lives in a shadow root, where CodeMirror uses a constructed stylesheet (adoptedStyleSheets):
// CSS built by the page's own script, which the policy does not govern (as with `el.style`).
// The policy stays as it was: no nonce (a fixed nonce in a static page would allow any injected
// <style>), no 'unsafe-inline'.
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, ensureSyntaxTree, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { linter, lintGutter } from '@codemirror/lint';
import { json } from '@codemirror/lang-json';
import { javascript } from '@codemirror/lang-javascript';
import { tags as t } from '@lezer/highlight';

// The textarea's own `value` property, which the wrapper below delegates to.
const VALUE = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
// Marks a change that came from the textarea (so it is not written back to it).
const fromTextarea = Annotation.define();

// --- Errors at their position ----------------------------------------------------------------

// Where JSON.parse stopped, from its message: "… at position 15 (line 2 column 3)" (V8),
// "… at line 2 column 3 …" (Firefox); an "end of" message without a position is the end.
function jsonErrorAt(message, text) {
  let m = /at position (\d+)/.exec(message);
  if (m) return Math.min(Number(m[1]), text.length);
  m = /line (\d+) column (\d+)/.exec(message);
  if (m) {
    let at = 0;
    for (let line = 1; line < Number(m[1]); line++) {
      const next = text.indexOf('\n', at);
      if (next < 0) return text.length;
      at = next + 1;
    }
    return Math.min(at + Number(m[2]) - 1, text.length);
  }
  return text.length;
}

// One diagnostic marking the character at `at` (or the end of the text).
const diagnostic = (state, at, message) => [{
  from: at, to: Math.min(at + 1, state.doc.length), severity: 'error', message,
}];

// JSON as the console and the item editor will parse it: the browser's JSON.parse. The console
// also takes AWS CLI lines (`aws dynamodb …`, web/src/cli/), which are not JSON: none marked.
function jsonErrors(view) {
  const text = view.state.doc.toString();
  if (!text.trim() || /^\s*(\$\s+)?aws\s/.test(text)) return [];
  try { JSON.parse(text); return []; } catch (e) {
    return diagnostic(view.state, jsonErrorAt(String(e.message), text), String(e.message));
  }
}

// JavaScript: the first syntax error in the parse tree (the page may not eval code; the
// handler itself runs in the trigger sandbox, which reports what the parser cannot see).
function javascriptErrors(view) {
  const { state } = view;
  const tree = ensureSyntaxTree(state, state.doc.length, 200);
  if (!tree) return [];
  let at = -1;
  tree.iterate({ enter: (node) => {
    if (at >= 0) return false;
    if (node.type.isError) { at = node.from; return false; }
    return undefined;
  } });
  if (at < 0) return [];
  const near = state.doc.sliceString(at, at + 12).split('\n')[0].trim();
  return diagnostic(state, at, near ? `Syntax error at “${near}”` : 'Syntax error: the code ends too early');
}

// --- Looks ----------------------------------------------------------------------------------

// Token colours for a light and a dark box (the trigger's handler is light on dark).
const palettes = {
  light: { key: '#8a2fb3', prop: '#1f4fb8', str: '#1f7a45', num: '#a34f00', atom: '#b3261e', comment: '#6b7385', fn: '#6a4a00' },
  dark: { key: '#d6a8ff', prop: '#9cc3ff', str: '#a5e3b0', num: '#ffc27a', atom: '#ff9ec4', comment: '#8f99ad', fn: '#f0d58a' },
};
const highlighting = {};
for (const [name, c] of Object.entries(palettes)) {
  highlighting[name] = syntaxHighlighting(HighlightStyle.define([
    { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword, t.self], color: c.key },
    { tag: [t.propertyName, t.definition(t.propertyName)], color: c.prop },
    { tag: [t.string, t.special(t.string), t.regexp], color: c.str },
    { tag: [t.number], color: c.num },
    { tag: [t.bool, t.null, t.atom], color: c.atom },
    { tag: [t.comment, t.lineComment, t.blockComment], color: c.comment, fontStyle: 'italic' },
    { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.variableName)], color: c.fn },
    { tag: t.invalid, color: palettes.light.atom },
  ]));
}

// The editor takes the box's font, colours and border from the textarea it replaces (style.css
// styles textareas; a shadow root does not see that sheet), again whenever the page's root
// changes class (demo mode's larger type and contrast), and its height in `em`, so it looks as
// the textarea did. Variables such as --accent inherit into the shadow root.
function looks(dark, minHeight) {
  const err = dark ? '#ff8a80' : 'var(--err, #b3261e)';
  return EditorView.theme({
    '&': { color: 'inherit', backgroundColor: 'transparent', minHeight: `${minHeight}em`, maxHeight: '40rem', borderRadius: 'inherit' },
    '&.cm-focused': { outline: '2px solid var(--accent, #3355cc)', outlineOffset: '1px' },
    '.cm-scroller': { fontFamily: 'inherit', lineHeight: 'inherit', overflow: 'auto', flexGrow: '1' },
    '.cm-content': { padding: '.45rem 0', caretColor: dark ? '#fff' : '#1d2330' },
    '.cm-line': { padding: '0 .55rem 0 .3rem' },
    '.cm-gutters': { backgroundColor: 'transparent', color: dark ? '#8f99ad' : 'var(--muted, #6b7385)', border: 'none' },
    '.cm-lineNumbers .cm-gutterElement': { padding: '0 .2rem 0 .45rem' },
    '&.cm-focused .cm-matchingBracket': { backgroundColor: dark ? '#3a4a70' : '#d7e2ff', outline: '1px solid var(--accent, #3355cc)' },
    '.cm-panels': { backgroundColor: dark ? '#2a3144' : '#fbfcfd', color: 'inherit' },
    // The error's message sits at the bottom of the box, under the code (not stuck to the
    // bottom of the window over other lines, as panels are by default).
    '.cm-panels.cm-panels-bottom': { position: 'relative', borderTop: `1px solid ${dark ? '#3a4460' : 'var(--line, #dde1e8)'}` },
    '.cm-diagnostic-error': { borderLeftColor: err },
    // The lint package draws its underline and gutter dot as data: SVG images, which the page's
    // policy refuses (img-src 'self'): the same marks in CSS instead.
    '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: `underline wavy ${err}`, textDecorationSkipInk: 'none', textUnderlineOffset: '3px' },
    '.cm-lint-marker-error': { content: 'normal', borderRadius: '50%', backgroundColor: err, transform: 'scale(.55)' },
  }, { dark });
}

function isDark(color) {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(color);
  return !!m && 0.299 * m[1] + 0.587 * m[2] + 0.114 * m[3] < 128;
}

// --- Attaching ------------------------------------------------------------------------------

const attached = new Map(); // textarea → its editor's teardown
const restylers = new Set(); // each editor's `restyle`

// The change that turns `from` into `to`: the span between their common prefix and suffix
// (so the learner's cursor stays where it was when yew writes back the same text, or a
// small edit).
function change(from, to) {
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  return { from: start, to: from.length - end, insert: to.slice(start, to.length - end) };
}

function attach(textarea) {
  if (attached.has(textarea) || !textarea.isConnected) return;
  const lang = textarea.dataset.lang;
  if (lang !== 'json' && lang !== 'javascript') return;
  const style = getComputedStyle(textarea);
  const dark = isDark(style.backgroundColor);
  const host = document.createElement('div');
  host.className = 'code-editor';
  if (textarea.dataset.testid) host.dataset.testid = `${textarea.dataset.testid}-editor`;
  const restyle = () => {
    const now = getComputedStyle(textarea);
    for (const p of ['font', 'color', 'backgroundColor', 'border', 'borderRadius']) host.style[p] = now[p];
  };
  restyle();
  const shadow = host.attachShadow({ mode: 'open' });
  const label = [...textarea.labels].map((l) => l.textContent.trim()).filter(Boolean).join(' ');

  let view;
  // Into the textarea, as the learner typing there would: its value, then `input`.
  const toTextarea = EditorView.updateListener.of((u) => {
    if (!u.docChanged || u.transactions.some((tr) => tr.annotation(fromTextarea))) return;
    VALUE.set.call(textarea, u.state.doc.toString());
    textarea.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
  });
  // From the textarea: a value set by yew, or typed or filled into the textarea itself.
  const show = () => {
    const text = VALUE.get.call(textarea);
    const doc = view.state.doc.toString();
    if (text !== doc) view.dispatch({ changes: change(doc, text), annotations: fromTextarea.of(true) });
  };
  // Ctrl+Enter (Cmd+Enter) is the textarea's: send the request, save the item.
  const submit = () => {
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
    return true;
  };
  view = new EditorView({
    parent: shadow,
    state: EditorState.create({
      doc: VALUE.get.call(textarea),
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlighting[dark ? 'dark' : 'light'],
        lang === 'json' ? json() : javascript(),
        lintGutter(),
        linter(lang === 'json' ? jsonErrors : javascriptErrors, { delay: 300, autoPanel: true }),
        keymap.of([{ key: 'Mod-Enter', run: submit }, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label || 'Code', spellcheck: 'false' }),
        looks(dark, (textarea.offsetHeight || 160) / parseFloat(style.fontSize)),
        toTextarea,
      ],
    }),
  });

  Object.defineProperty(textarea, 'value', {
    configurable: true,
    get() { return VALUE.get.call(this); },
    set(v) { VALUE.set.call(this, v); show(); },
  });
  textarea.addEventListener('input', show);
  // A click on the label (or inside the editor, which a wrapping label contains) would focus
  // the hidden textarea: the editor takes it instead.
  const onLabelClick = (e) => {
    if (e.target === textarea) return;
    e.preventDefault();
    if (e.target !== host) view.focus();
  };
  const labels = [...textarea.labels];
  for (const l of labels) l.addEventListener('click', onLabelClick);
  // Hidden where it stands, out of the flow, the tab order and the accessibility tree; still
  // focusable and a box of its own (a few px, transparent), so whatever fills the textarea
  // keeps working. Its font, colours and border stay as style.css sets them, for `restyle`.
  const before = textarea.getAttribute('style');
  Object.assign(textarea.style, {
    position: 'absolute', width: '1px', height: '1px', minHeight: '0',
    opacity: '0', pointerEvents: 'none', resize: 'none', overflow: 'hidden',
  });
  textarea.tabIndex = -1;
  textarea.setAttribute('aria-hidden', 'true');
  textarea.after(host);

  restylers.add(restyle);

  attached.set(textarea, () => {
    restylers.delete(restyle);
    delete textarea.value; // the prototype's accessor again
    textarea.removeEventListener('input', show);
    for (const l of labels) l.removeEventListener('click', onLabelClick);
    if (before === null) textarea.removeAttribute('style'); else textarea.setAttribute('style', before);
    textarea.removeAttribute('tabindex');
    textarea.removeAttribute('aria-hidden');
    view.destroy();
    host.remove();
  });
}

// Editors for the textareas there now and every one yew adds later; an editor whose textarea
// has left the page goes with it.
function watchPage() {
  const attachWithin = (node) => {
    if (node.nodeType !== 1) return;
    if (node.tagName === 'TEXTAREA') attach(node);
    else for (const ta of node.getElementsByTagName('textarea')) attach(ta);
  };
  new MutationObserver((records) => {
    let removed = false;
    for (const r of records) {
      for (const n of r.addedNodes) attachWithin(n);
      removed ||= r.removedNodes.length > 0;
    }
    if (removed) {
      for (const [textarea, teardown] of attached) {
        if (!textarea.isConnected) { attached.delete(textarea); teardown(); }
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
  new MutationObserver(() => { for (const restyle of restylers) restyle(); })
    .observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  attachWithin(document.body);
}

try {
  watchPage();
} finally {
  // For the e2e test and the benchmark: first render → editor ready.
  performance.mark('dynaplay-editor-ready');
}
