// End-to-end tests of the endpoint mode (issue 14, item 8), registered by run.mjs: the same UI
// against a real DynamoDB-compatible endpoint instead of the engine in the page. dynaplay-server
// (target/debug/dynaplay-server, built by the test script's build stage) stands in for every
// endpoint; a proxy in front of it that refuses dynaplay's own operations, as DynamoDB does,
// stands in for DynamoDB Local, Alternator and DynamoDB itself.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A fresh, empty dynaplay-server on a free port.
async function startServer() {
  const child = spawn(path.join(repo, 'target/debug/dynaplay-server'), ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`dynaplay-server exited (${code}): is it built? (cargo build)`)));
    readline.createInterface({ input: child.stdout }).on('line', (l) => { if (l.includes('listening on')) resolve(l); });
  });
  return { url: line.slice(line.indexOf('http://')).trim(), stop: () => child.kill() };
}

// The server behind a proxy that answers like DynamoDB to the playground's operations (400
// UnknownOperationException) and records the targets and the Authorization headers it sees.
async function dynamoDbLike(upstream) {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'] || '';
      if (req.method === 'POST') seen.push({ target, authorization: req.headers.authorization || '' });
      if (target.startsWith('Dynaplay.')) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'access-control-allow-origin': req.headers.origin || '*' });
        res.end(JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException' }));
        return;
      }
      const u = new URL(upstream);
      const out = http.request({ host: u.hostname, port: u.port, path: '/', method: req.method, headers: { ...req.headers, host: u.host } }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

// One request straight to an endpoint, as any SDK would send it (dynaplay-server checks the
// Authorization header's shape, not its signature).
async function direct(endpoint, operation, request, region = 'us-east-1') {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
      authorization: `AWS4-HMAC-SHA256 Credential=test/20261203/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=00`,
    },
    body: JSON.stringify(request),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${operation} straight to ${endpoint}: ${JSON.stringify(answer)}`);
  return answer;
}

const music = { TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'SongTitle', KeyType: 'RANGE' }],
  AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'SongTitle', AttributeType: 'S' }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } };
const song = (artist, title) => ({ TableName: 'Music', Item: { Artist: { S: artist }, SongTitle: { S: title } } });

export default async function endpointTests({ test, assert, openApp, consoleSend, launch, tempDir, shot }) {
  const tables = (page) => page.evaluate(async () => (await dynaplay.send('ListTables', {})).TableNames);

  await test('endpoint: the UI against dynaplay-server — forms, console, JS API and views work on its tables; this browser\'s workspace waits aside', async () => {
    const server = await startServer();
    const context = await launch(tempDir('endpoint'));
    try {
      const { page, w } = await openApp(context);
      await page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Local', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }] }));
      await page.waitForSelector('.table-name:text("Local")');
      // Connect from the Workspaces view.
      await page.click('[data-testid=nav-workspaces]');
      await page.fill('[data-testid=endpoint-url]', server.url);
      await page.click('[data-testid=endpoint-connect]');
      await page.waitForSelector('[data-testid=endpoint-status]:has-text("Connected")');
      const banner = await page.textContent('[data-testid=endpoint-banner]');
      assert(banner.startsWith(`Requests go to ${server.url} (us-east-1). Disconnect`), banner);
      assert(await page.textContent('[data-testid=mode-badge]') === 'endpoint', 'the badge says where requests go');
      assert(new URL(page.url()).searchParams.get('endpoint') === server.url, `the address keeps the endpoint: ${page.url()}`);
      await page.waitForSelector('.table-name:text("Local")', { state: 'detached' });
      assert(JSON.stringify(await tables(page)) === '[]', 'the server is empty, and the JS API reaches it');
      // The console's requests go to the server.
      const created = await consoleSend(page, 'CreateTable', music);
      assert(created.ok && created.body.TableDescription.TableArn.startsWith('arn:aws:dynamodb:us-east-1:'), JSON.stringify(created.body));
      for (const title of ['Feeling Good', 'Sinnerman']) assert((await consoleSend(page, 'PutItem', song('Nina Simone', title))).ok, title);
      const stored = await direct(server.url, 'Query', { TableName: 'Music', KeyConditionExpression: 'Artist = :a',
        ExpressionAttributeValues: { ':a': { S: 'Nina Simone' } } });
      assert(stored.Count === 2, `the server holds what the console wrote: ${JSON.stringify(stored)}`);
      // Written elsewhere, seen here: the explorer reads the server.
      await direct(server.url, 'PutItem', song('Miles Davis', 'So What'));
      await page.click('.table-name:text("Music")');
      await page.waitForSelector('[data-testid=items] >> text=So What');
      // The AWS SDK's request handler in the page sends there too.
      const viaSdk = await page.evaluate(async () => {
        const { response } = await dynaplay.requestHandler().handle({ headers: { 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
          body: JSON.stringify({ TableName: 'Music', Key: { Artist: { S: 'Miles Davis' }, SongTitle: { S: 'So What' } } }) });
        return [response.statusCode, JSON.parse(new TextDecoder().decode(response.body)).Item.SongTitle.S];
      });
      assert(JSON.stringify(viaSdk) === '[200,"So What"]', `the SDK handler's answer: ${viaSdk}`);
      // The stream viewer reads the server's stream; dynaplay-server has the engine's internals,
      // so the Capacity view works on its table.
      await page.waitForSelector('[data-testid=shard-tree] li');
      const triggers = await page.textContent('[data-testid=trigger-kept]');
      assert(triggers.includes('unavailable while requests go to an endpoint') && !(await page.$('[data-testid=trigger-attach]')), triggers);
      await page.click('[data-testid=tab-capacity]');
      await page.waitForSelector('[data-testid=partition-map]');
      assert(!(await page.$('[data-testid=unavailable]')), 'the Capacity view works against dynaplay-server');
      await shot(page, 'endpoint-dynaplay-server');
      // Disconnect: this browser's workspace is back, as it was; the server keeps its tables.
      await page.click('[data-testid=disconnect]');
      await page.waitForSelector('.table-name:text("Local")');
      assert(!page.url().includes('endpoint='), `disconnected, the address forgets the endpoint: ${page.url()}`);
      assert(JSON.stringify(await tables(page)) === '["Local"]', 'the local workspace is untouched');
      assert(await page.getAttribute('[data-mode]', 'data-mode') === 'saved', 'saved in this browser again');
      assert((await direct(server.url, 'ListTables', {})).TableNames.join() === 'Music', 'the server kept its table');
      await w.check();
    } finally {
      await context.close();
      server.stop();
    }
  });

  await test('endpoint: against a DynamoDB-like endpoint (?endpoint= on load) the engine\'s views say unavailable; requests are signed; keys are kept nowhere', async () => {
    const server = await startServer();
    const proxy = await dynamoDbLike(server.url);
    // The page signs for eu-west-1, and the server serves each request in its signed Region.
    await direct(server.url, 'CreateTable', music, 'eu-west-1');
    await direct(server.url, 'PutItem', song('Nina Simone', 'Sinnerman'), 'eu-west-1');
    const context = await launch(tempDir('endpoint-like'));
    try {
      const { page, w } = await openApp(context, `?endpoint=${encodeURIComponent(proxy.url)}&region=eu-west-1#/tables/Music`);
      await page.waitForSelector('[data-testid=endpoint-banner]:has-text("time are dynaplay\'s engine\'s, unavailable there")');
      // The first view's requests waited for the connection: the table opened is the endpoint's.
      await page.waitForSelector('[data-testid=items] >> text=Sinnerman');
      assert((await page.textContent('[data-testid=trigger-kept]')).includes('unavailable'), 'the trigger panel says so');
      await page.click('[data-testid=tab-capacity]');
      await page.waitForSelector('[data-testid=unavailable]');
      assert((await page.textContent('[data-testid=unavailable]')).includes('does not expose'), 'the Capacity view says why');
      // Export design reads the endpoint's table (DescribeTable and friends), never its items.
      await page.click('[data-testid=tab-design]');
      const cfn = await page.textContent('[data-testid=design-text-cfn-yaml]');
      assert(cfn.includes('TableName: Music') && cfn.includes('SongTitle') && cfn.includes('NEW_AND_OLD_IMAGES'), cfn);
      await page.click('[data-testid=design-tab-workbench]');
      await page.waitForSelector('[data-testid=design-note]:has-text("No sample data")');
      assert(!(await page.textContent('[data-testid=design-text-workbench]')).includes('Sinnerman'), 'no items read for the model');
      await page.click('[data-testid=design-tab-s3]');
      await page.waitForSelector('[data-testid=unavailable]:has-text("S3 export files")');
      const refused = await page.evaluate(() => dynaplay.send('PlaygroundDescribeTime', {}).then(() => 'answered', (e) => `${e.name}: ${e.message}`));
      assert(refused.startsWith('UnknownOperationException: PlaygroundDescribeTime is dynaplay\'s own'), refused);
      // Pure computations still answer, in the page.
      const size = await page.evaluate(() => dynaplay.send('PlaygroundExplainItemSize', { Item: { A: { S: 'abc' } } }));
      assert(size && JSON.stringify(size).includes('4'), JSON.stringify(size));
      // Only the connection's probe asked the endpoint for a playground operation; every
      // request was signed for the Region asked.
      const playground = proxy.seen.filter((s) => s.target.startsWith('Dynaplay.'));
      assert(playground.length === 1 && playground[0].target === 'Dynaplay.PlaygroundDescribeTime', JSON.stringify(playground));
      assert(proxy.seen.length > 3 && proxy.seen.every((s) => /^AWS4-HMAC-SHA256 Credential=dynaplay\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/.test(s.authorization)),
        JSON.stringify(proxy.seen.slice(0, 3)));

      // Keys: connect again with real-looking ones; they are sent (signed) and kept nowhere.
      const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYzzSECRETzz';
      await page.click('[data-testid=nav-workspaces]');
      await page.fill('[data-testid=endpoint-url]', proxy.url);
      await page.fill('[data-testid=endpoint-region]', 'eu-west-1');
      await page.fill('[data-testid=endpoint-key]', 'AKIAEXAMPLEKEYID');
      await page.fill('[data-testid=endpoint-secret]', secret);
      await page.fill('[data-testid=endpoint-token]', 'SESSIONzzTOKEN');
      await page.click('[data-testid=endpoint-connect]');
      await page.waitForSelector('[data-testid=endpoint-status]:has-text("Connected")');
      // A reload reconnects (the address keeps the endpoint, never the keys): the form is empty.
      await page.reload();
      await page.waitForSelector('[data-testid=endpoint-banner]:has-text("unavailable there")');
      assert(await page.inputValue('[data-testid=endpoint-secret]') === '', 'no key survives a reload');
      await page.fill('[data-testid=endpoint-url]', proxy.url);
      await page.fill('[data-testid=endpoint-region]', 'eu-west-1');
      await page.fill('[data-testid=endpoint-key]', 'AKIAEXAMPLEKEYID');
      await page.fill('[data-testid=endpoint-secret]', secret);
      await page.fill('[data-testid=endpoint-token]', 'SESSIONzzTOKEN');
      await page.click('[data-testid=endpoint-connect]');
      await page.waitForSelector('[data-testid=endpoint-status]:has-text("Connected")');
      await page.evaluate(() => dynaplay.send('ListTables', {}));
      assert(proxy.seen.at(-1).authorization.startsWith('AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEYID/'), proxy.seen.at(-1).authorization);
      const kept = await page.evaluate(async () => {
        const dbs = await indexedDB.databases();
        return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, href: location.href,
          html: document.documentElement.outerHTML, dbs, workspace: await dynaplay.exportWorkspace() });
      });
      assert(!kept.includes(secret) && !kept.includes('SESSIONzzTOKEN'), 'the secret key and token are in no storage, the address, the page or an export');
      await shot(page, 'endpoint-dynamodb-like');
      await w.check();
    } finally {
      await context.close();
      proxy.close();
      server.stop();
    }
  });

  await test('endpoint: an unreachable or refused endpoint gives a clear error and changes nothing', async () => {
    const context = await launch(tempDir('endpoint-bad'));
    try {
      const { page, w } = await openApp(context);
      await page.evaluate(() => dynaplay.send('CreateTable', { TableName: 'Kept', BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }] }));
      const closed = await new Promise((resolve) => { const s = http.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
      const tries = [
        [{ endpoint: `http://127.0.0.1:${closed}` }, 'Could not reach'],
        [{ endpoint: 'http://192.168.1.5:8000' }, 'plain http reaches localhost and 127.0.0.1 only'],
        [{ endpoint: 'ftp://localhost' }, 'is not an endpoint\'s protocol'],
        [{ endpoint: 'not a url' }, 'is not an endpoint address'],
        [{ region: 'eu-west-1' }, 'DynamoDB needs an access key ID and a secret access key'],
        [{ endpoint: 'http://localhost:8000', region: 'Mars' }, 'is not a Region name'],
      ];
      for (const [options, said] of tries) {
        const error = await page.evaluate((o) => dynaplay.connect(o).then(() => 'connected', (e) => e.message), options);
        assert(error.includes(said), `${JSON.stringify(options)}: ${error}`);
      }
      // The form says it the same way.
      await page.click('[data-testid=nav-workspaces]');
      await page.fill('[data-testid=endpoint-url]', `http://127.0.0.1:${closed}`);
      await page.click('[data-testid=endpoint-connect]');
      await page.waitForSelector('[data-testid=endpoint-status]:has-text("Not connected: Could not reach")');
      assert(!(await page.$('[data-testid=endpoint-banner]')), 'still working in this browser');
      assert(JSON.stringify(await tables(page)) === '["Kept"]', 'nothing changed');
      // On load, a failed connection says so in the header; requests run in the page.
      await page.goto(page.url().split('#')[0].split('?')[0] + `?endpoint=${encodeURIComponent(`http://127.0.0.1:${closed}`)}`);
      await page.waitForSelector('[data-testid=endpoint-banner]:has-text("Could not connect")');
      await page.waitForSelector('.table-name:text("Kept")');
      await page.click('[data-testid=disconnect]');
      await page.waitForSelector('[data-testid=endpoint-banner]', { state: 'detached' });
      await w.check();
    } finally {
      await context.close();
    }
  });
}
