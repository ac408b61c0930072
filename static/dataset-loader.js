// The sample datasets' loader (static/datasets/README.md), fetched by js/dynaplay.js the first
// time a dataset — or a NoSQL Workbench model — is loaded, so the first page load does not pay
// for it. It only fetches, sends and waits; its rules are dynaplay_teach::dataset's (the native
// tests run those over every file): refuse a dataset whose table exists, move its time
// attributes by now − clock, and send throttled writes again once a second has passed, giving
// up after 600 throttled answers in a row.

const THROTTLED = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'];

const puts = (requestItems) => Object.values(requestItems || {}).reduce((n, writes) => n + writes.length, 0);
const pause = () => new Promise((resolve) => { setTimeout(resolve, 1000); });

// `send`: dynaplay.send; `toError`: a DynamoDB error body as an Error; `fetchText`: a file's text.
export function loader({ send, toError, fetchText }) {
  const datasetError = (name, message) => toError(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message }));

  async function load(id) {
    id = String(id);
    if (!/^[a-z0-9-]+$/.test(id)) throw datasetError('ValidationException', `Unknown dataset: ${id}`);
    let doc;
    try { doc = JSON.parse(await fetchText(`datasets/${id}.json`)); } catch (e) {
      throw datasetError('ValidationException', `Dataset ${id} could not be loaded: ${e.message}`);
    }
    return loadDoc(doc, id);
  }

  // Sends a dataset document's requests (also a NoSQL Workbench model, which the on-demand module
  // turns into one: web/src/learn/workbench.rs).
  async function loadDoc(doc, id) {
    if (doc.format !== 'dynaplay-dataset' || doc.version !== 1 || !Array.isArray(doc.steps) || !Array.isArray(doc.tables)) {
      throw datasetError('ValidationException', `datasets/${id}.json is not a dynaplay dataset (version 1)`);
    }
    const existing = [];
    for (let page = {}; ;) {
      page = await send('ListTables', page.LastEvaluatedTableName ? { ExclusiveStartTableName: page.LastEvaluatedTableName } : {});
      existing.push(...page.TableNames);
      if (!page.LastEvaluatedTableName) break;
    }
    const taken = doc.tables.find((t) => existing.includes(t));
    if (taken) throw datasetError('ResourceInUseException', `Table already exists: ${taken}`);
    const time = doc.timeAttributes;
    const shift = time ? Math.floor((await send('PlaygroundDescribeTime', {})).Now / 1000) - time.clock : 0;
    let written = 0;
    for (const step of doc.steps) {
      let request = step.request || {};
      if (shift && step.op === 'BatchWriteItem') {
        for (const write of Object.values(request.RequestItems).flat()) {
          const item = write.PutRequest && write.PutRequest.Item;
          for (const name of time.attributes) {
            const value = item && item[name] && item[name].N;
            if (value !== undefined && /^-?\d+$/.test(value)) item[name] = { N: String(Number(value) + shift) };
          }
        }
      }
      for (let throttled = 0; ;) {
        let answer;
        try { answer = await send(step.op, request); } catch (e) {
          if (!THROTTLED.includes(e.name) || ++throttled > 600) throw e;
          await pause();
          continue;
        }
        if (step.op !== 'BatchWriteItem') break;
        throttled = 0;
        const left = answer.UnprocessedItems || {};
        written += puts(request.RequestItems) - puts(left);
        if (!Object.keys(left).length) break;
        request = { RequestItems: left };
        await pause();
      }
    }
    return { Dataset: doc.id, Tables: doc.tables, ItemsWritten: written };
  }

  return { load, loadDoc };
}
