// End-to-end tests of the code editor (web/editor/: CodeMirror 6 over the page's code textareas,
// loaded on demand), registered by run.mjs: it is fetched only after the first render; it
// highlights JSON and JavaScript, marks a JSON or syntax error where it is; what is typed in it
// is what the console sends and what yew puts in the textarea shows in it; the label, Ctrl+Enter
// and demo mode's type work; the page's Content-Security-Policy holds (no violation, style-src unchanged); and without
// it (its fetch refused) the textareas are the editors, as before.
export default async function editorTests({ test, assert, shot, launch, tempDir, watch, url }) {
  const EDITOR_FILE = /\/editor-[0-9a-f]{16}\.js$/;

  // Policy violations, from the page's first script on.
  const recordViolations = (page) => page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });

  // What one editor shows: its text, and the text, colour and place of chosen parts.
  const editorState = (page, testid, tokens = []) => page.evaluate(([testid, tokens]) => {
    const host = document.querySelector(`[data-testid=${testid}-editor]`);
    const root = host && host.shadowRoot;
    if (!root) return null;
    const content = root.querySelector('.cm-content');
    const lines = [...content.querySelectorAll('.cm-line')];
    // A token's colour: the innermost element whose whole text it is.
    const colour = (text) => {
      const el = [...content.querySelectorAll('span')].find((s) => s.textContent === text && !s.querySelector('span'));
      return el ? getComputedStyle(el).color : null;
    };
    // Each error mark: its text, line and column (1-based, as JSON.parse counts).
    const marks = [...content.querySelectorAll('.cm-lintRange-error, .cm-lintPoint-error')].map((m) => {
      const line = m.closest('.cm-line');
      const before = document.createRange();
      before.setStart(line, 0);
      before.setEndBefore(m);
      return { text: m.textContent, line: lines.indexOf(line) + 1, column: before.toString().length + 1 };
    });
    const panel = root.querySelector('.cm-panel-lint');
    return {
      text: lines.map((l) => l.textContent).join('\n'),
      colours: Object.fromEntries([...tokens, 'plain'].map((t) => [t, t === 'plain' ? getComputedStyle(content).color : colour(t)])),
      marks,
      gutterErrors: root.querySelectorAll('.cm-lint-marker-error').length,
      panel: panel ? panel.textContent : null,
      focused: root.activeElement === content,
    };
  }, [testid, tokens]);

  // Waits until an editor shows an error mark ('mark'), exactly `arg` ('text') or text that
  // matches the pattern `arg` ('match'). (The page's policy forbids eval, so no predicates as text.)
  const waitFor = (page, testid, kind, arg) => page.waitForFunction(([testid, kind, arg]) => {
    const root = document.querySelector(`[data-testid=${testid}-editor]`)?.shadowRoot;
    if (!root) return false;
    if (kind === 'mark') return !!root.querySelector('.cm-lintRange-error, .cm-lintPoint-error');
    const text = [...root.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n');
    return kind === 'text' ? text === arg : new RegExp(arg).test(text);
  }, [testid, kind, arg]);

  await test('code editor: loaded after the first render; JSON highlighted, errors marked where they are, edits sent', async () => {
    const context = await launch(tempDir('editor'));
    const page = await context.newPage();
    const w = watch(page);
    await recordViolations(page);
    await page.goto(`${url}/`);
    await page.waitForSelector('[data-mode]');
    await page.waitForFunction(() => performance.getEntriesByName('dynaplay-editor-ready').length > 0, null, { timeout: 30000 });

    // The first load did not fetch it: its one fetch started after yew's first render (and the
    // page links no editor file); then first render → editor ready.
    const timing = await page.evaluate((re) => {
      const fetched = performance.getEntriesByType('resource').filter((r) => new RegExp(re).test(r.name));
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
      return {
        fetches: fetched.length, fetchStart: fetched[0]?.startTime, firstRender: at('dynaplay-first-render'),
        ready: at('dynaplay-editor-ready'), linked: !!document.querySelector('link[href*="editor-"], script[src*="editor-"]'),
        policy: document.querySelector('meta[http-equiv=Content-Security-Policy]').content,
      };
    }, EDITOR_FILE.source);
    assert(timing.fetches === 1 && !timing.linked, `the editor is fetched once, by the loader: ${JSON.stringify(timing)}`);
    assert(timing.fetchStart > timing.firstRender, `the editor's fetch starts after the first render: ${JSON.stringify(timing)}`);
    console.log(`     editor: first render at ${timing.firstRender.toFixed(0)} ms, fetched from ${timing.fetchStart.toFixed(0)} ms, ready ${(timing.ready - timing.firstRender).toFixed(0)} ms after the first render`);
    // The policy was not loosened for it: styles from the page's own files only.
    const styleSrc = timing.policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('style-src '));
    assert(styleSrc === "style-src 'self'", `style-src unchanged: ${timing.policy}`);

    // The console's request box is the editor now; the textarea behind it is hidden from the
    // learner (and from assistive technology) but still holds the request.
    const request = await editorState(page, 'request', ['"TableName"', '"Music"']);
    assert(request && request.text.includes('"TableName": "Music"'), `the editor shows the example request: ${JSON.stringify(request)}`);
    const hidden = await page.$eval('[data-testid=request]', (t) => ({ opacity: getComputedStyle(t).opacity, aria: t.getAttribute('aria-hidden'), tab: t.tabIndex, value: t.value }));
    assert(hidden.opacity === '0' && hidden.aria === 'true' && hidden.tab === -1 && hidden.value === request.text, JSON.stringify(hidden));
    // JSON is highlighted: property names, strings and the rest in three colours (the light palette).
    const c = request.colours;
    assert(c['"TableName"'] === 'rgb(31, 79, 184)' && c['"Music"'] === 'rgb(31, 122, 69)' && c.plain !== c['"TableName"'],
      `JSON highlighting: ${JSON.stringify(c)}`);

    // It looks as the textarea would, demo mode's larger type and contrast included.
    const look = () => page.evaluate(() => {
      const content = document.querySelector('[data-testid=request-editor]').shadowRoot.querySelector('.cm-content');
      const textarea = getComputedStyle(document.querySelector('[data-testid=request]'));
      return { editor: parseFloat(getComputedStyle(content).fontSize), textarea: parseFloat(textarea.fontSize), color: getComputedStyle(content).color, ink: textarea.color };
    });
    const plainLook = await look();
    await page.click('[data-testid=demo-toggle]');
    await page.waitForFunction(() => document.documentElement.classList.contains('demo'));
    const demoLook = await look();
    assert(plainLook.editor === plainLook.textarea && demoLook.editor === demoLook.textarea && demoLook.ink === demoLook.color
      && Math.abs(demoLook.editor / plainLook.editor - 1.25) < 0.01, `the editor's type follows demo mode: ${JSON.stringify([plainLook, demoLook])}`);
    await page.click('[data-testid=demo-toggle]');
    await page.waitForFunction(() => !document.documentElement.classList.contains('demo'));

    // Clicking the label puts the caret in the editor (not in the hidden textarea).
    await page.click('.console label.field:has([data-testid=request]) > span');
    assert((await editorState(page, 'request')).focused, 'the label focuses the editor');

    // An error is marked at its position: a missing comma before line 3's "Key" (column 3),
    // underlined there, flagged in the gutter, and said in words below the code.
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{\n  "TableName": "Music"\n  "Key": {}\n}');
    await waitFor(page, 'request', 'mark');
    let s = await editorState(page, 'request');
    const expected = await page.evaluate((text) => { try { JSON.parse(text); return null; } catch (e) { return e.message; } }, s.text);
    assert(s.marks.length === 1 && s.marks[0].line === 3 && s.marks[0].column === 3 && s.marks[0].text === '"',
      `the error is marked at line 3, column 3: ${JSON.stringify(s.marks)}`);
    assert(s.gutterErrors === 1 && s.panel && s.panel.includes(expected), `the gutter and the panel say it: ${JSON.stringify(s)} / ${expected}`);
    // The textarea (yew's state) followed the edit: Send refuses it as the editor shows it.
    assert(await page.inputValue('[data-testid=request]') === s.text, 'the textarea holds the edited request');
    await shot(page, '30-editor-json-error');
    await page.click('[data-testid=send]');
    await page.waitForSelector('.error-text:text("not valid JSON")');

    // An edit in the editor is what gets sent: another operation's example arrives from yew
    // into the editor; a request typed over it, one key pressed inside a string, Ctrl+Enter.
    await page.fill('[data-testid=operation]', 'PutItem');
    const offer = await page.$('[data-testid=example-replace]');
    if (offer) await offer.click();
    const example = await page.inputValue('[data-testid=request]');
    await waitFor(page, 'request', 'text', example);
    await page.click('[data-testid=request-editor] .cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"TableName": "Music", "Item": {"Artist": {"S": "Nina Simone"}, "SongTitle": {"S": "Feeling Goo"}}}');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('d');
    s = await editorState(page, 'request');
    assert(s.text.endsWith('"Feeling Good"}}}') && s.marks.length === 0, `typed in the editor: ${JSON.stringify(s)}`);
    // The operation's own CreateTable first (the example table), unless it is there already.
    await page.evaluate(async () => {
      const { TableNames } = await dynaplay.send('ListTables', {});
      if (!TableNames.includes('Music')) {
        await dynaplay.send('CreateTable', { TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'SongTitle', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }] });
      }
    });
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => /PutItem succeeded/.test(document.querySelector('[data-testid=response-status]')?.textContent || ''));
    const stored = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Music', Key: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Feeling Good' } } }));
    assert(stored.Item && stored.Item.SongTitle.S === 'Feeling Good', `the edited request was sent: ${JSON.stringify(stored)}`);

    // Whatever fills the textarea (as the other tests do) shows in the editor.
    await page.fill('[data-testid=request]', '{"TableName": "Filled"}');
    await waitFor(page, 'request', 'text', '{"TableName": "Filled"}');

    // The item editor is one too: Edit reads the item into it; an attribute added there and
    // Ctrl+Enter in the editor saves it (the form's own Ctrl+Enter).
    await page.click('.table-name:text("Music")');
    await page.click('[data-testid=items] tr:has-text("Feeling Good") button:text("Edit")');
    await waitFor(page, 'item-text', 'match', 'Feeling Good');
    const item = JSON.parse((await editorState(page, 'item-text')).text);
    await page.click('[data-testid=item-text-editor] .cm-content');
    await page.keyboard.press('Control+A');
    // (Plain JSON or DynamoDB JSON, whichever the editor opened in.)
    await page.keyboard.insertText(JSON.stringify({ ...item, Year: typeof item.Artist === 'string' ? 1965 : { N: '1965' } }, null, 2));
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid=item-editor]', { state: 'detached' });
    const saved = await page.evaluate(() => dynaplay.send('GetItem', { TableName: 'Music', Key: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Feeling Good' } } }));
    assert(saved.Item && saved.Item.Year && saved.Item.Year.N === '1965', `saved from the item editor: ${JSON.stringify(saved)}`);

    // The trigger's handler is JavaScript, in the dark box's palette; a syntax error is marked
    // where the parser stopped.
    await page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'OrderId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'OrderId', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    await page.click('.table-name:text("Orders")');
    await page.waitForSelector('[data-testid=trigger-code-editor]');
    const handler = await editorState(page, 'trigger-code', ['exports', 'async', 'const', 'plain']);
    assert(handler.text === await page.inputValue('[data-testid=trigger-code]') && /exports\.handler/.test(handler.text), handler.text);
    assert(handler.colours.async === 'rgb(214, 168, 255)' && handler.colours.plain !== handler.colours.async,
      `JavaScript highlighting on the dark box: ${JSON.stringify(handler.colours)}`);
    await page.click('[data-testid=trigger-code-editor] .cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('exports.handler = async (event) => {\n  console.log(event.Records.length;\n};');
    await waitFor(page, 'trigger-code', 'mark');
    s = await editorState(page, 'trigger-code');
    assert(s.marks.length === 1 && s.marks[0].line === 2 && s.gutterErrors === 1 && /Syntax error/.test(s.panel),
      `the syntax error is marked on line 2: ${JSON.stringify(s)}`);
    await shot(page, '31-editor-handler-error');
    assert(!(await page.evaluate(() => window.__violations.length)), `no policy violation: ${await page.evaluate(() => window.__violations.join('; '))}`);
    await w.check();
    await context.close();
  });

  await test('code editor: when it cannot be fetched, the textareas are the editors and the console still sends; an API frame never fetches it', async () => {
    const context = await launch(tempDir('editor-refused'));
    const page = await context.newPage();
    const w = watch(page);
    let refused = 0;
    await page.route(EDITOR_FILE, (route) => { refused++; return route.abort(); });
    await page.goto(`${url}/`);
    await page.waitForSelector('[data-mode]');
    await page.waitForFunction(() => window.dynaplay && dynaplay.stats().mode !== 'loading');
    await page.waitForTimeout(500);
    assert(refused === 1, `the page asked for the editor once: ${refused}`);
    assert(!(await page.$('.code-editor')), 'no editor');
    assert(await page.isVisible('[data-testid=request]'), 'the request textarea is visible');
    await page.fill('[data-testid=request]', '{"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], '
      + '"KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}');
    await page.press('[data-testid=request]', 'Control+Enter');
    await page.waitForSelector('.table-name:text("Music")');
    await w.check();

    // An embedded API frame (embed.js's hidden DynamoDB) shows no code, so it never asks.
    refused = 0;
    await page.goto(`${url}/?embed=api`);
    await page.waitForFunction(() => window.dynaplay);
    await page.evaluate(() => dynaplay.ready);
    await page.waitForTimeout(500);
    assert(refused === 0, `the API frame asked for the editor ${refused} times`);
    await context.close();
  });
}
