// @aws-sdk/client-dynamodb (SDK v3) and vector search (DynamoDB, August 2026): a table created
// with a vector index, embeddings written as lists of numbers with the document client, and
// SearchVectorsCommand (which the SDK would send to its search endpoint; with `endpoint` set it
// goes to the server's one address) with a search condition and the consumed bytes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CreateTableCommand, DescribeTableCommand, SearchVectorsCommand } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";

import { documentClient, lowLevelClient, startServer } from "../server.mjs";

const N = (...values) => values.map((v) => ({ N: String(v) }));

test("a vector index: created, described, written through the document client and searched", async (t) => {
  const endpoint = await startServer(t);
  const client = lowLevelClient(endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: "Docs",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        { AttributeName: "lang", AttributeType: "S" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      VectorIndexes: [
        {
          IndexName: "ByLang",
          VectorAttribute: { AttributeName: "embedding" },
          SearchSchema: [{ AttributeName: "lang", SearchSchemaElementType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
          Dimensions: 2,
          DistanceFunction: "DOT_PRODUCT",
        },
      ],
    }),
  );
  const { Table } = await client.send(new DescribeTableCommand({ TableName: "Docs" }));
  assert.equal(Table.VectorIndexes[0].IndexName, "ByLang");
  assert.equal(Table.VectorIndexes[0].DistanceFunction, "DOT_PRODUCT");
  assert.deepEqual(Table.VectorIndexes[0].SearchSchema, [{ AttributeName: "lang", SearchSchemaElementType: "HASH" }]);

  const docs = [
    { id: "a", lang: "en", title: "big", embedding: [10, 0] },
    { id: "b", lang: "en", title: "even", embedding: [1, 1] },
    { id: "c", lang: "en", title: "against", embedding: [-1, 0] },
    { id: "d", lang: "pt", title: "other language", embedding: [100, 100] },
  ];
  await documentClient(endpoint).send(
    new BatchWriteCommand({ RequestItems: { Docs: docs.map((Item) => ({ PutRequest: { Item } })) } }),
  );

  const found = await client.send(
    new SearchVectorsCommand({
      TableName: "Docs",
      IndexName: "ByLang",
      SearchVector: N(1, 0.5),
      TopK: 3,
      SearchConditionExpression: "lang = :l",
      ExpressionAttributeValues: { ":l": { S: "en" } },
      ProjectionExpression: "id, title",
      ReturnConsumedCapacity: "TOTAL",
    }),
  );
  // DOT_PRODUCT: the largest first, and scores may be negative.
  assert.deepEqual(
    found.SearchResults.map((r) => [r.Item.id.S, r.Score]),
    [
      ["a", 10],
      ["b", 1.5],
      ["c", -1],
    ],
  );
  assert.deepEqual(found.SearchResults[0].Item, { id: { S: "a" }, title: { S: "big" } });
  assert.deepEqual(found.ConsumedCapacity, { VectorSearchRequestBytes: 1024 });

  await assert.rejects(
    client.send(new SearchVectorsCommand({ TableName: "Docs", IndexName: "ByLang", SearchVector: N(1, 0), TopK: 1 })),
    (e) =>
      e.name === "ValidationException" &&
      e.message === "SearchConditionExpression must be provided when SearchSchema has a HASH key",
  );
});
