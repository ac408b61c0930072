// @aws-sdk/client-dynamodb (SDK v3) and a GSI with a multi-attribute key (DynamoDB, November
// 2025): two HASH and two RANGE attributes, described as given, queried page by page through
// the SDK's paginator with the clauses in any order, and a gap refused.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  paginateQuery,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";

import { lowLevelClient, startServer } from "../server.mjs";

const KEY_SCHEMA = [
  { AttributeName: "org", KeyType: "HASH" },
  { AttributeName: "dept", KeyType: "HASH" },
  { AttributeName: "team", KeyType: "RANGE" },
  { AttributeName: "level", KeyType: "RANGE" },
];

function person(id, org, dept, team, level) {
  return { id: { S: id }, org: { S: org }, dept: { S: dept }, team: { S: team }, level: { N: String(level) } };
}

test("a multi-attribute GSI: created, described as given, queried page by page", async (t) => {
  const client = lowLevelClient(await startServer(t));
  await client.send(
    new CreateTableCommand({
      TableName: "People",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        { AttributeName: "org", AttributeType: "S" },
        { AttributeName: "dept", AttributeType: "S" },
        { AttributeName: "team", AttributeType: "S" },
        { AttributeName: "level", AttributeType: "N" },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: "ByTeam", KeySchema: KEY_SCHEMA, Projection: { ProjectionType: "KEYS_ONLY" } },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const { Table } = await client.send(new DescribeTableCommand({ TableName: "People" }));
  assert.deepEqual(Table.GlobalSecondaryIndexes[0].KeySchema, KEY_SCHEMA);

  const people = [
    person("p1", "acme", "eng", "web", 3),
    person("p2", "acme", "eng", "data", 12),
    person("p3", "acme", "eng", "web", 10),
    person("p4", "acme", "ops", "web", 1),
    person("p5", "acme", "eng", "data", 2),
  ];
  await client.send(
    new BatchWriteItemCommand({ RequestItems: { People: people.map((Item) => ({ PutRequest: { Item } })) } }),
  );

  const pages = [];
  const input = {
    TableName: "People",
    IndexName: "ByTeam",
    KeyConditionExpression: "dept = :d AND org = :o",
    ExpressionAttributeValues: { ":o": { S: "acme" }, ":d": { S: "eng" } },
    Limit: 2,
  };
  for await (const page of paginateQuery({ client }, input)) pages.push(page);
  // team first (data < web), then level as a number (2 < 12, 3 < 10).
  assert.deepEqual(
    pages.flatMap((p) => p.Items.map((i) => i.id.S)),
    ["p5", "p2", "p1", "p3"],
  );
  assert.deepEqual(Object.keys(pages[0].LastEvaluatedKey).sort(), ["dept", "id", "level", "org", "team"]);

  await assert.rejects(
    client.send(
      new QueryCommand({
        ...input,
        KeyConditionExpression: "dept = :d AND org = :o AND #l > :l",
        ExpressionAttributeNames: { "#l": "level" },
        ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ":l": { N: "5" } },
      }),
    ),
    {
      name: "ValidationException",
      message:
        "RANGE key attributes team must have equality conditions specified in the query because a condition is present on key attribute level",
    },
  );
});
