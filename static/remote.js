// The endpoint client: sends the page's requests to a DynamoDB-compatible endpoint instead of
// the engine in the page — dynaplay-server, DynamoDB Local, ScyllaDB Alternator, or DynamoDB
// itself — signed with Signature Version 4 by WebCrypto. Loaded on demand (js/dynaplay.js
// imports it the first time the learner connects), never in the first page load. The keys live
// in this module's memory only: never in storage, the URL or the workspace, gone with the page.

const encoder = new TextEncoder();

// The JSON protocol's target prefix of each operation's API: the four stream operations are
// DynamoDB Streams', the playground's are dynaplay's own (served by dynaplay-server only).
const STREAMS = new Set(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords']);
export function target(operation) {
  if (STREAMS.has(operation)) return `DynamoDBStreams_20120810.${operation}`;
  if (operation.startsWith('Playground')) return `Dynaplay.${operation}`;
  return `DynamoDB_20120810.${operation}`;
}

// Where DynamoDB itself answers in a Region (and its streams: an endpoint of their own there).
export const awsEndpoint = (region) => `https://dynamodb.${region}.amazonaws.com`;
const AWS_HOST = /^dynamodb\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text) => hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key,
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(text));
}

// Signs a POST of `body` to `url` (Signature Version 4, service `dynamodb`, which signs the
// stream operations too): the headers to send, Authorization included. `now` is a Date.
// Exported for the test that checks it against botocore (tests/clients/test_sigv4.py).
export async function sign({ url, region, headers, body, credentials, now }) {
  const u = new URL(url);
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const all = { ...headers, host: u.host, 'x-amz-date': amzDate };
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const value = (n) => String(Object.entries(all).find(([k]) => k.toLowerCase() === n)[1]).trim().replace(/\s+/g, ' ');
  const signed = names.join(';');
  const canonical = ['POST', u.pathname || '/', u.search.slice(1),
    names.map((n) => `${n}:${value(n)}\n`).join(''), signed, await sha256(body)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonical)].join('\n');
  let key = `AWS4${credentials.secretAccessKey}`;
  for (const part of [day, region, 'dynamodb', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  delete all.host; // the browser sets it from the URL
  all.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, `
    + `SignedHeaders=${signed}, Signature=${signature}`;
  return all;
}

// An error as the page's engine words them: DynamoDB's JSON error body, as text.
const failure = (type, message) => JSON.stringify({ __type: type, message });

// Local endpoints accept any well-formed signature: these stand in when no keys are given.
const PLACEHOLDER = { accessKeyId: 'dynaplay', secretAccessKey: 'dynaplay' };

// Checks an endpoint's address before anything is sent: a clear sentence instead of the
// browser's "Failed to fetch".
function address(text) {
  let u;
  try { u = new URL(String(text).trim()); } catch (_) {
    throw new Error(`"${text}" is not an endpoint address: give one such as http://localhost:8000`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new Error(`${u.protocol} is not an endpoint's protocol: use http:// or https://`);
  }
  // The page's Content-Security-Policy (web/tools/csp.mjs) lets it reach https anywhere and
  // http on this machine only; a plain-http endpoint elsewhere would be refused by the browser.
  if (u.protocol === 'http:' && !['localhost', '127.0.0.1'].includes(u.hostname)) {
    throw new Error(`plain http reaches localhost and 127.0.0.1 only: serve ${u.host} over https`);
  }
  if (u.search || u.hash) throw new Error('an endpoint address has no query or fragment');
  return u.pathname === '/' ? u.origin : u.href;
}

// Connects: checks the address, the keys and that the endpoint answers (ListTables), then
// whether it is dynaplay-server (its playground operations answer), whose partitions, capacity
// and clock the views can then show. Resolves to the client; rejects with an Error saying why.
export async function connect(options) {
  const region = String(options.region || 'us-east-1').trim();
  if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region)) throw new Error(`"${region}" is not a Region name, such as us-east-1`);
  const endpoint = address(options.endpoint || awsEndpoint(region));
  const aws = AWS_HOST.test(new URL(endpoint).hostname);
  const keys = options.accessKeyId || options.secretAccessKey;
  if (aws && (!options.accessKeyId || !options.secretAccessKey)) {
    throw new Error('DynamoDB needs an access key ID and a secret access key (kept in this page\'s memory only)');
  }
  const credentials = keys
    ? { accessKeyId: String(options.accessKeyId), secretAccessKey: String(options.secretAccessKey), sessionToken: options.sessionToken || undefined }
    : PLACEHOLDER;
  // DynamoDB serves its streams from an endpoint of their own in each Region.
  const streams = aws ? endpoint.replace('//dynamodb.', '//streams.dynamodb.') : endpoint;

  async function send(operation, body) {
    const url = STREAMS.has(operation) ? streams : endpoint;
    const headers = await sign({
      url, region, body, credentials, now: new Date(),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target(operation) },
    });
    let response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30000), credentials: 'omit' });
    } catch (e) {
      throw failure('NetworkingError', `Could not reach ${url} (${e && e.message || e}). Is it running, and does it `
        + `allow requests from ${location.origin}? dynaplay-server: --cors ${location.origin}; DynamoDB Local: -cors ${location.origin}`);
    }
    const text = await response.text();
    if (response.ok) return text;
    let error;
    try { error = JSON.parse(text); } catch (_) { error = null; }
    if (error === null || typeof error !== 'object' || !error.__type) {
      throw failure('HttpError', `${url} answered ${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
    }
    if (error.message === undefined && error.Message !== undefined) error.message = error.Message;
    throw JSON.stringify(error);
  }

  try {
    await send('ListTables', '{"Limit":1}');
  } catch (text) {
    let said = String(text);
    try { said = JSON.parse(text).message || said; } catch (_) { /* said as it is */ }
    throw new Error(said);
  }
  const internals = await send('PlaygroundDescribeTime', '{}').then(() => true, () => false);
  return { endpoint, region, internals, send };
}

// The page's side (js/dynaplay.js imports this module and calls `page(tell)` once): the
// connection in use, which the host is told of through `tell(report)` (the JSON text
// `host::endpoint::Endpoint` reads). With `?endpoint=<url>&region=<r>` in the address it
// connects at once, and the views' first requests wait for it instead of running in the page.
export function page(tell) {
  let connection = null;
  const report = (state) => tell(JSON.stringify(state));
  const described = (c) => ({ endpoint: c.endpoint, region: c.region, internals: c.internals });
  // The address keeps the endpoint (never the keys), so a reload reconnects — and forgets it on
  // disconnect, so a reload stays in the page.
  const remember = (client) => {
    const u = new URL(location.href);
    for (const name of ['endpoint', 'region']) u.searchParams.delete(name);
    if (client) { u.searchParams.set('endpoint', client.endpoint); u.searchParams.set('region', client.region); }
    history.replaceState(history.state, '', u);
  };

  const asked = new URLSearchParams(location.search);
  if (asked.get('endpoint')) {
    const region = asked.get('region') || 'us-east-1';
    const said = { endpoint: asked.get('endpoint'), region };
    const connecting = connect(said);
    connection = connecting; // the page has told the host it is connecting
    connecting.then((c) => connection === connecting && report(described(c)), (e) => {
      if (connection === connecting) { connection = null; report({ ...said, error: String(e && e.message || e) }); }
    });
  }

  return {
    // One request: the response's JSON text, or the error's (a playground operation is refused
    // here when the endpoint is not dynaplay-server).
    send(operation, body) {
      if (connection === null) return Promise.reject(failure('NetworkingError', 'not connected to an endpoint'));
      return connection.then((client) => {
        if (operation.startsWith('Playground') && !client.internals) {
          throw failure('com.amazon.coral.service#UnknownOperationException', `${operation} is dynaplay's own: `
            + `${client.endpoint} is not dynaplay-server, so the views of the engine's internals are unavailable there`);
        }
        return client.send(operation, body);
      }, (e) => { throw failure('NetworkingError', String(e && e.message || e)); });
    },
    // Connects (the connection in use stays until the new one answers): resolves to
    // {endpoint, region, internals}, rejects with an Error saying why not.
    async connect(options) {
      const client = await connect(options || {});
      connection = Promise.resolve(client);
      report(described(client));
      remember(client);
      return described(client);
    },
    // Forgets the connection, keys included (the page tells the host).
    disconnect() {
      connection = null;
      remember(null);
    },
  };
}
