// Bundled by esbuild into the SDK test page: the real AWS SDK for JavaScript v3 against the
// in-page engine, configured in one line with dynaplay's request handler.
import { DynamoDBClient, CreateTableCommand, PutItemCommand, QueryCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand as DocQuery, GetCommand } from '@aws-sdk/lib-dynamodb';

window.runSdkTest = async function runSdkTest() {
  await window.dynaplay.ready;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    endpoint: 'http://dynaplay.local',
    requestHandler: window.dynaplay.requestHandler(),
  });
  const doc = DynamoDBDocumentClient.from(client);
  const out = {};
  await client.send(new CreateTableCommand({
    TableName: 'SdkSongs',
    KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'Song', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'Song', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  await client.send(new PutItemCommand({ TableName: 'SdkSongs', Item: { Artist: { S: 'Nina' }, Song: { S: 'Feeling Good' }, Year: { N: '1965' } } }));
  await doc.send(new PutCommand({ TableName: 'SdkSongs', Item: { Artist: 'Nina', Song: 'Sinnerman', Year: 1965, Tags: ['live', 'jazz'] } }));
  const low = await client.send(new QueryCommand({ TableName: 'SdkSongs', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'Nina' } } }));
  out.lowCount = low.Count;
  const q = await doc.send(new DocQuery({ TableName: 'SdkSongs', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': 'Nina' } }));
  out.docSongs = q.Items.map((i) => i.Song);
  out.docYear = q.Items[1].Year;
  const got = await doc.send(new GetCommand({ TableName: 'SdkSongs', Key: { Artist: 'Nina', Song: 'Sinnerman' } }));
  out.tags = got.Item.Tags;
  try {
    await doc.send(new PutCommand({ TableName: 'SdkSongs', Item: { Artist: 'Nina', Song: 'Sinnerman' }, ConditionExpression: 'attribute_not_exists(Artist)' }));
    out.conditional = 'no error';
  } catch (e) {
    out.conditional = e.name;
    out.conditionalStatus = e.$metadata && e.$metadata.httpStatusCode;
  }
  return out;
};

// The SDK through a DAX cluster: the same client code, its requests served by the cluster's
// caches (`dynaplay.requestHandler({dax})`); the item cache's hits, before and after.
window.runSdkDaxTest = async function runSdkDaxTest(cluster) {
  await window.dynaplay.ready;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    endpoint: 'http://dynaplay.local',
    requestHandler: window.dynaplay.requestHandler({ dax: cluster }),
  });
  const hits = async () => (await window.dynaplay.send('PlaygroundDescribeDaxCache', { ClusterName: cluster })).Totals.ItemCacheHits;
  const hitsBefore = await hits();
  const get = new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'u1' } } });
  await client.send(get);
  const got = await client.send(get);
  return { name: got.Item.name.S, hitsBefore, hitsAfter: await hits() };
};

// One GetItem through the SDK (access control: the request goes as the identity the page
// picked, whatever the client's credentials): the item, or the error's name and message.
window.runSdkGetItem = async function runSdkGetItem(table, key) {
  await window.dynaplay.ready;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    endpoint: 'http://dynaplay.local',
    requestHandler: window.dynaplay.requestHandler(),
  });
  try {
    const got = await client.send(new GetItemCommand({ TableName: table, Key: key }));
    return { item: got.Item || null };
  } catch (e) {
    return { name: e.name, message: e.message, status: e.$metadata && e.$metadata.httpStatusCode };
  }
};
