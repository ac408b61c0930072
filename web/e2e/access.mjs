// Access control in the page (issue 18, item 3): the Access view (#/access, loaded on demand,
// full engine) — the identity picker that every request path follows (forms, console,
// dynaplay.send, the AWS SDK), the policy editor with the engine's own validation errors, a
// table's resource-based policy, and the simulator that explains each request of the page's
// history. In the small engine the view offers the switch to the full engine.

const OWN_ITEMS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'OwnItemsOnly', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    Resource: 'arn:aws:dynamodb:*:*:table/*',
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
  }],
}, null, 2);

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const axe = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export default async function ({ test, assert, shot, openApp, consoleSend, launch, tempDir }) {
  await test('Access: the small engine offers the full one', async () => {
    const context = await launch(tempDir('access-small'));
    const { page } = await openApp(context);
    await page.click('[data-testid=nav-access]');
    await page.waitForSelector('[data-testid=full-engine-offer]');
    const text = await page.textContent('[data-testid=full-engine-offer]');
    assert(text.includes('Access control') && text.includes('access control'), text);
    assert(!(await page.$('[data-testid=acting-as]')), 'the small engine shows no identity');
    await context.close();
  });

  await test('Access: policy editor, identity picker on every request path, simulator', async () => {
    // The page's Content-Security-Policy is bypassed only to inject axe-core (the audit below).
    const context = await launch(tempDir('access'), [], { bypassCSP: true });
    await context.addInitScript(() => { try { localStorage.setItem('dynaplay.engine', 'full'); } catch (_) { /* a sandboxed frame */ } });
    const { page } = await openApp(context);
    assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())) === true, 'the full engine runs');
    const arn = await page.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Notes', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }] });
      await dynaplay.send('PutItem', { TableName: 'Notes', Item: { owner: { S: 'alice' }, text: { S: 'mine' } } });
      await dynaplay.send('PutItem', { TableName: 'Notes', Item: { owner: { S: 'bob' }, text: { S: 'not hers' } } });
      return (await dynaplay.send('DescribeTable', { TableName: 'Notes' })).Table.TableArn;
    });

    await page.click('[data-testid=nav-access]');
    await page.waitForSelector('[data-testid=access-none]');

    // An invalid policy: the engine's error beside the text, and nothing made.
    await page.fill('[data-testid=access-policy-document]', JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'dynamodb:GetItem', Resource: '*' }] }));
    await page.click('[data-testid=access-save]');
    await page.waitForSelector('[data-testid=access-policy-error]');
    const invalid = await page.textContent('[data-testid=access-policy-error]');
    assert(invalid.includes('MalformedPolicyDocument') && invalid.includes('Missing required field Effect'), invalid);
    assert(await page.getAttribute('[data-testid=access-policy-document]', 'aria-invalid') === 'true', 'the text is marked');
    const none = await page.evaluate(() => dynaplay.send('PlaygroundListIdentities', {}));
    assert(none.Identities.length === 0, JSON.stringify(none));
    assert(await page.$('[data-testid=access-none]'), 'still no identity');
    await shot(page, 'access-invalid-policy');

    // The LeadingKeys policy, saved.
    await page.fill('[data-testid=access-policy-document]', OWN_ITEMS);
    await page.click('[data-testid=access-save]');
    await page.waitForSelector('[data-testid=access-row]');
    const saved = await page.textContent('[data-testid=access-said]');
    assert(saved.includes('arn:aws:iam::000000000000:user/alice'), saved);

    // Picked: every request path goes as alice.
    await page.selectOption('[data-testid=access-identity]', 'AKIAALICE0000001');
    await page.waitForFunction(() => (document.querySelector('[data-testid=access-acting-as]') || {}).textContent?.includes('user/alice'));
    await page.waitForSelector('[data-testid=acting-as]');
    const consoleSays = await page.textContent('[data-testid=acting-as]');
    assert(consoleSays.includes('Sent as arn:aws:iam::000000000000:user/alice'), consoleSays);

    const denial = `User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:GetItem on resource: ${arn} because no identity-based policy allows the dynamodb:GetItem action`;
    const js = await page.evaluate(async () => {
      const own = await dynaplay.send('GetItem', { TableName: 'Notes', Key: { owner: { S: 'alice' } } });
      let other = null;
      try { await dynaplay.send('GetItem', { TableName: 'Notes', Key: { owner: { S: 'bob' } } }); } catch (e) { other = { name: e.name, message: e.message }; }
      return { own: own.Item.text.S, other };
    });
    assert(js.own === 'mine', JSON.stringify(js));
    assert(js.other && js.other.name === 'AccessDeniedException' && js.other.message === denial, JSON.stringify(js));

    const denied = await consoleSend(page, 'GetItem', { TableName: 'Notes', Key: { owner: { S: 'bob' } } });
    assert(!denied.ok && String(denied.body.__type).endsWith('AccessDeniedException') && denied.body.message === denial, JSON.stringify(denied.body));
    const allowed = await consoleSend(page, 'GetItem', { TableName: 'Notes', Key: { owner: { S: 'alice' } } });
    assert(allowed.ok && allowed.body.Item.text.S === 'mine', JSON.stringify(allowed.body));

    await page.addScriptTag({ url: '/sdk-test.js' });
    const sdk = await page.evaluate(() => window.runSdkGetItem('Notes', { owner: { S: 'bob' } }));
    assert(sdk.name === 'AccessDeniedException' && sdk.message === denial && sdk.status === 400, JSON.stringify(sdk));
    const sdkOwn = await page.evaluate(() => window.runSdkGetItem('Notes', { owner: { S: 'alice' } }));
    assert(sdkOwn.item && sdkOwn.item.text.S === 'mine', JSON.stringify(sdkOwn));

    // The simulator: each request of the history, allowed or denied and by which statement.
    const rowFor = (key) => page.waitForFunction((k) => {
      const rows = [...document.querySelectorAll('[data-testid=access-sim-row][data-operation=GetItem]')];
      const row = rows.find((r) => r.textContent.includes(`owner=${k}`) && r.textContent.includes('user/alice'));
      if (!row) return null;
      const d = row.querySelector('[data-testid=access-sim-decision]');
      return { decision: d.getAttribute('data-decision'), text: row.textContent,
        statements: [...row.querySelectorAll('[data-testid=access-sim-statement]')].map((s) => s.textContent),
        message: (row.querySelector('[data-testid=access-sim-message]') || {}).textContent || null };
    }, key, { timeout: 10000 }).then((h) => h.jsonValue());
    const own = await rowFor('alice');
    assert(own.decision === 'allowed' && own.statements.some((s) => s.includes('dynamodb:GetItem') && s.includes('OwnItems') && s.includes('Sid OwnItemsOnly')), JSON.stringify(own));
    assert(own.text.includes('succeeded'), JSON.stringify(own));
    const other = await rowFor('bob');
    assert(other.decision === 'implicitDeny' && other.message === `AccessDeniedException: ${denial}`, JSON.stringify(other));
    assert(other.text.includes('AccessDeniedException'), 'the row says how the request ended');
    await shot(page, 'access-simulator');
    // The whole view, filled: no serious or critical axe-core finding.
    await page.addScriptTag({ content: axe });
    const found = await page.evaluate(async () => (await axe.run(document.querySelector('[data-testid=access-view]'), { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`));
    assert(found.length === 0, found.join('\n'));

    // A resource-based policy: as alice, PutResourcePolicy is denied; as the root user it is
    // saved, and then lets alice Scan (a resource-based policy naming her suffices).
    const scan = () => page.evaluate(() => dynaplay.send('Scan', { TableName: 'Notes' }).then((a) => a.Count, (e) => e.name));
    assert(await scan() === 'AccessDeniedException', 'alice may not scan');
    await page.waitForSelector('[data-testid=access-resource-document]');
    const allowScan = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AliceScans', Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' }, Action: 'dynamodb:Scan', Resource: arn }] });
    await page.fill('[data-testid=access-resource-document]', allowScan);
    await page.click('[data-testid=access-resource-put]');
    await page.waitForSelector('[data-testid=access-resource-said][role=alert]');
    const refused = await page.textContent('[data-testid=access-resource-said]');
    assert(refused.includes('user/alice is not authorized to perform: dynamodb:PutResourcePolicy'), refused);
    await page.selectOption('[data-testid=access-identity]', '');
    await page.waitForFunction(() => (document.querySelector('[data-testid=access-acting-as]') || {}).textContent?.includes('root user'));
    assert(!(await page.$('[data-testid=acting-as]')), 'the console sends as the root user again');
    // A malformed resource policy: refused with the engine's words.
    await page.fill('[data-testid=access-resource-document]', '{"Version": "2012-10-17", "Statement": [');
    await page.click('[data-testid=access-resource-put]');
    await page.waitForSelector('[data-testid=access-resource-said][role=alert]');
    const malformed = await page.textContent('[data-testid=access-resource-said]');
    assert(/policy|Policy/.test(malformed), malformed);
    await page.fill('[data-testid=access-resource-document]', allowScan);
    await page.click('[data-testid=access-resource-put]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=access-resource-said]') || {}).textContent?.includes('saved'));
    const got = await page.evaluate((a) => dynaplay.send('GetResourcePolicy', { ResourceArn: a }), arn);
    assert(JSON.parse(got.Policy).Statement[0].Sid === 'AliceScans', JSON.stringify(got));
    await page.selectOption('[data-testid=access-identity]', 'AKIAALICE0000001');
    await page.waitForFunction(() => (document.querySelector('[data-testid=access-acting-as]') || {}).textContent?.includes('user/alice'));
    assert(await scan() === 2, 'the resource-based policy lets alice scan');
    const scanRow = await page.waitForFunction(() => {
      const row = [...document.querySelectorAll('[data-testid=access-sim-row][data-operation=Scan]')]
        .find((r) => r.querySelector('[data-decision=allowed]'));
      return row ? [...row.querySelectorAll('[data-testid=access-sim-statement]')].map((s) => s.textContent) : null;
    }, null, { timeout: 10000 }).then((h) => h.jsonValue());
    assert(scanRow.some((s) => s.includes('Resource Policy') && s.includes('AliceScans')), JSON.stringify(scanRow));

    // Edit: the form takes the identity; delete: gone, and requests are the root user's again.
    await page.click('[data-testid=access-edit]');
    assert(await page.inputValue('[data-testid=access-name]') === 'alice', 'the form holds alice');
    assert((await page.inputValue('[data-testid=access-policy-document]')).includes('OwnItemsOnly'), 'and her policy');
    await page.click('[data-testid=access-delete]');
    await page.waitForSelector('[data-testid=access-none]');
    assert(await scan() === 2, 'with no identity, everything is allowed');
    await context.close();
  });
}
