// @aws-sdk/client-dynamodb (SDK v3, low level) against dynaplay-server: a table with a GSI,
// the SDK's waiter, BatchWriteItem, a Query on the index through the SDK's paginator, Scan
// pagination, and errors as the SDK's modelled exception classes.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  paginateQuery,
  paginateScan,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

import { lowLevelClient, startServer } from "../server.mjs";

async function createPosts(client) {
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: "Posts",
      KeySchema: [
        { AttributeName: "author", KeyType: "HASH" },
        { AttributeName: "id", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "author", AttributeType: "S" },
        { AttributeName: "id", AttributeType: "N" },
        { AttributeName: "topic", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "ByTopic",
          KeySchema: [
            { AttributeName: "topic", KeyType: "HASH" },
            { AttributeName: "id", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return TableDescription;
}

function post(author, id, topic) {
  return { author: { S: author }, id: { N: String(id) }, topic: { S: topic } };
}

test("create a table with a GSI, wait for it, batch-write, query the index page by page", async (t) => {
  const client = lowLevelClient(await startServer(t));
  const created = await createPosts(client);
  assert.equal(created.TableName, "Posts");
  assert.equal(created.GlobalSecondaryIndexes[0].IndexName, "ByTopic");

  const waited = await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName: "Posts" });
  assert.equal(waited.state, "SUCCESS");
  const { Table } = await client.send(new DescribeTableCommand({ TableName: "Posts" }));
  assert.equal(Table.TableStatus, "ACTIVE");
  assert.equal(Table.GlobalSecondaryIndexes[0].IndexStatus, "ACTIVE");
  assert.deepStrictEqual((await client.send(new ListTablesCommand({}))).TableNames, ["Posts"]);

  const posts = [];
  for (let id = 1; id <= 12; id++) posts.push(post(id % 2 ? "ann" : "ben", id, id % 3 ? "rust" : "dynamodb"));
  const batch = await client.send(
    new BatchWriteItemCommand({ RequestItems: { Posts: posts.map((Item) => ({ PutRequest: { Item } })) } }),
  );
  assert.deepStrictEqual(batch.UnprocessedItems, {});

  const pages = [];
  for await (const page of paginateQuery(
    { client, pageSize: 3 },
    {
      TableName: "Posts",
      IndexName: "ByTopic",
      KeyConditionExpression: "topic = :t",
      ExpressionAttributeValues: { ":t": { S: "rust" } },
      ScanIndexForward: false,
    },
  )) {
    pages.push(page.Items.map((i) => Number(i.id.N)));
  }
  // 8 "rust" posts, newest first, in pages of 3; the last full page may need one more request.
  assert.deepStrictEqual(pages.flat(), [11, 10, 8, 7, 5, 4, 2, 1]);
  assert.deepStrictEqual(pages.slice(0, 3), [[11, 10, 8], [7, 5, 4], [2, 1]]);

  let scanned = 0;
  let requests = 0;
  for await (const page of paginateScan({ client, pageSize: 5 }, { TableName: "Posts", Select: "COUNT" })) {
    scanned += page.Count;
    requests += 1;
  }
  assert.equal(scanned, 12);
  assert.equal(requests, 3);

  const { Items, Count } = await client.send(
    new QueryCommand({
      TableName: "Posts",
      KeyConditionExpression: "author = :a AND id BETWEEN :lo AND :hi",
      FilterExpression: "topic <> :t",
      ExpressionAttributeValues: { ":a": { S: "ben" }, ":lo": { N: "2" }, ":hi": { N: "10" }, ":t": { S: "rust" } },
    }),
  );
  assert.equal(Count, 1);
  assert.deepStrictEqual(Items, [post("ben", 6, "dynamodb")]);
});

test("errors are the SDK's modelled exceptions with DynamoDB's messages", async (t) => {
  const client = lowLevelClient(await startServer(t));
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: "Nope" })), (err) => {
    assert.ok(err instanceof ResourceNotFoundException);
    assert.equal(err.message, "Requested resource not found: Table: Nope not found");
    assert.equal(err.$fault, "client");
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });

  await createPosts(client);
  await client.send(new PutItemCommand({ TableName: "Posts", Item: post("ann", 1, "rust") }));
  await assert.rejects(
    client.send(
      new PutItemCommand({
        TableName: "Posts",
        Item: post("ann", 1, "other"),
        ConditionExpression: "attribute_not_exists(id)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    ),
    (err) => {
      assert.ok(err instanceof ConditionalCheckFailedException);
      assert.equal(err.message, "The conditional request failed");
      assert.deepStrictEqual(err.Item, post("ann", 1, "rust"));
      return true;
    },
  );

  await assert.rejects(
    client.send(
      new QueryCommand({
        TableName: "Posts",
        KeyConditionExpression: "author = :a AND begins_with(id, :p)",
        ExpressionAttributeValues: { ":a": { S: "ann" }, ":p": { N: "1" } },
      }),
    ),
    (err) => {
      assert.equal(err.name, "ValidationException");
      assert.equal(
        err.message,
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
      );
      return true;
    },
  );
});
