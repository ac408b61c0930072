// The one Trunk post-build hook (Trunk.toml). Trunk starts a stage's hooks all at once, so the
// steps that must follow each other are run here, in order: first the full engine (full.mjs:
// the page's wasm built again with global tables and DAX, and the start-up script that chooses
// between the two — before anything else edits the snippets or index.html), then the on-demand module
// (learn.mjs) and the code editor (editor.mjs), then the optimization of both wasm files and
// the JavaScript (minify.mjs, which also adds the Content-Security-Policies).
await import('./full.mjs');
await import('./learn.mjs');
await import('./editor.mjs');
await import('./minify.mjs');
