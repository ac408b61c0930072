// Prepares a DynamoDB-compatible server for bench/run.sh and prints the request bodies the
// load uses. Usage: node setup.js http://127.0.0.1:PORT
//
// Creates table Bench (pk S, sk S), writes the item GetItem reads and the 10 items the Query
// returns, then checks that each benchmarked request succeeds and returns what it should,
// so a server that answers with errors cannot post a fast score.
'use strict'
const http = require('http')

const endpoint = new URL(process.argv[2])
const TABLE = 'Bench'
// Roughly a user profile: a few hundred bytes.
const attrs = {
  name: { S: 'Ada Lovelace' },
  email: { S: 'ada@example.com' },
  age: { N: '36' },
  tags: { SS: ['math', 'engines', 'poetry'] },
  address: { M: { city: { S: 'London' }, zip: { S: 'W1' } } },
}
const bodies = {
  PutItem: { TableName: TABLE, Item: { pk: { S: 'put#%d' }, sk: { S: 'profile' }, ...attrs } },
  GetItem: { TableName: TABLE, Key: { pk: { S: 'user#1' }, sk: { S: 'profile' } } },
  Query: {
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'orders#1' } },
  },
}

function call (operation, body, api = 'DynamoDB_20120810') {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: endpoint.hostname,
      port: endpoint.port,
      method: 'POST',
      path: '/',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `${api}.${operation}`,
        // Now: a date more than 15 minutes off is refused.
        'X-Amz-Date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, ' +
          'SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
        'Content-Length': Buffer.byteLength(payload),
      },
    }, (res) => {
      let data = ''
      res.on('data', (chunk) => { data += chunk })
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${operation}: HTTP ${res.statusCode} ${data}`))
        resolve(JSON.parse(data))
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

async function main () {
  // dynalite does not simulate capacity; dynaplay does (a hot key at 20k requests/s is
  // throttled, as on DynamoDB). Compare the plumbing like for like: throttling off. dynalite
  // answers this playground operation with an error, which is fine.
  await call('PlaygroundUpdateSettings', { ThrottlingEnabled: false }, 'Dynaplay').catch(() => {})
  await call('CreateTable', {
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  })
  for (let i = 0; i < 100; i++) { // bounded wait for ACTIVE
    const { Table } = await call('DescribeTable', { TableName: TABLE })
    if (Table.TableStatus === 'ACTIVE') break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await call('PutItem', { TableName: TABLE, Item: { pk: { S: 'user#1' }, sk: { S: 'profile' }, ...attrs } })
  for (let i = 0; i < 10; i++) {
    await call('PutItem', {
      TableName: TABLE,
      Item: { pk: { S: 'orders#1' }, sk: { S: `order#${String(i).padStart(2, '0')}` }, ...attrs },
    })
  }
  // Neighbours the Query must skip.
  await call('PutItem', { TableName: TABLE, Item: { pk: { S: 'orders#2' }, sk: { S: 'order#00' }, ...attrs } })

  const got = await call('GetItem', bodies.GetItem)
  if (!got.Item || got.Item.name.S !== 'Ada Lovelace') throw new Error(`GetItem returned ${JSON.stringify(got)}`)
  const queried = await call('Query', bodies.Query)
  if (queried.Count !== 10 || queried.Items.length !== 10) throw new Error(`Query returned ${queried.Count} items`)
  const put = JSON.parse(JSON.stringify(bodies.PutItem).replace('%d', 'check'))
  await call('PutItem', put)

  for (const [op, body] of Object.entries(bodies)) console.log(`${op}\t${JSON.stringify(body)}`)
}

main().catch((err) => {
  console.error(`setup failed against ${endpoint}: ${err.message}`)
  process.exit(1)
})
