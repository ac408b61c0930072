// lib-dynamodb's DocumentClient (SDK v3) against dynaplay-server: marshalling of numbers,
// sets, binary, null and nested maps/lists both ways (checked on the wire with the low-level
// client too), UpdateCommand on nested paths and sets, and a transaction with a cancellation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  ExecuteStatementCommand,
  GetCommand,
  NumberValue,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

import { documentClient, lowLevelClient, startServer } from "../server.mjs";

async function createProducts(endpoint) {
  await lowLevelClient(endpoint).send(
    new CreateTableCommand({
      TableName: "Products",
      KeySchema: [{ AttributeName: "sku", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "sku", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

const PRODUCT = {
  sku: "P-1",
  price: 19.99,
  stock: 3,
  negative: -0.5,
  tags: new Set(["sale", "new"]),
  sizes: new Set([8, 10, 12]),
  blob: new Uint8Array([0, 1, 2, 255]),
  discontinued: false,
  note: null,
  dims: { w: 1.5, h: { cm: 20, label: "tall" }, parts: [1, "two", true, null, { deep: [[]] }] },
  empty: {},
};

test("DocumentClient put/get round-trips JS values through DynamoDB types", async (t) => {
  const endpoint = await startServer(t);
  await createProducts(endpoint);
  const doc = documentClient(endpoint);
  await doc.send(new PutCommand({ TableName: "Products", Item: PRODUCT }));

  const { Item } = await doc.send(new GetCommand({ TableName: "Products", Key: { sku: "P-1" } }));
  assert.deepStrictEqual(Item, PRODUCT);

  // On the wire: the types DocumentClient chose, and numbers as DynamoDB's canonical strings.
  const raw = await lowLevelClient(endpoint).send(
    new GetItemCommand({ TableName: "Products", Key: { sku: { S: "P-1" } } }),
  );
  const wire = raw.Item;
  assert.deepStrictEqual(wire.price, { N: "19.99" });
  assert.deepStrictEqual(wire.negative, { N: "-0.5" });
  assert.deepStrictEqual([...wire.tags.SS].sort(), ["new", "sale"]);
  assert.deepStrictEqual([...wire.sizes.NS].sort(), ["10", "12", "8"]);
  assert.deepStrictEqual(wire.blob, { B: new Uint8Array([0, 1, 2, 255]) });
  assert.deepStrictEqual(wire.note, { NULL: true });
  assert.deepStrictEqual(wire.discontinued, { BOOL: false });
  assert.deepStrictEqual(wire.dims.M.h, { M: { cm: { N: "20" }, label: { S: "tall" } } });
  assert.deepStrictEqual(wire.dims.M.parts.L[4], { M: { deep: { L: [{ L: [] }] } } });
  assert.deepStrictEqual(wire.empty, { M: {} });
});

test("numbers beyond JavaScript's precision survive as NumberValue", async (t) => {
  const endpoint = await startServer(t);
  await createProducts(endpoint);
  const doc = documentClient(endpoint, { unmarshallOptions: { wrapNumbers: true } });
  // 38 significant digits: DynamoDB's full precision, beyond a double.
  const big = "12345678901234567890123456789012345678";
  await doc.send(
    new PutCommand({ TableName: "Products", Item: { sku: "big", n: NumberValue.from(big), tiny: NumberValue.from("1E-130") } }),
  );
  const { Item } = await doc.send(new GetCommand({ TableName: "Products", Key: { sku: "big" } }));
  assert.equal(Item.n.toString(), big);
  // DynamoDB returns numbers in plain positional notation, never with an exponent.
  assert.equal(Item.tiny.toString(), `0.${"0".repeat(129)}1`);

  // Without wrapNumbers, an integer beyond Number.MAX_SAFE_INTEGER comes back as a BigInt.
  const plain = await documentClient(endpoint).send(new GetCommand({ TableName: "Products", Key: { sku: "big" } }));
  assert.equal(plain.Item.n, BigInt(big));
});

test("UpdateCommand on nested paths, sets and counters with ReturnValues", async (t) => {
  const endpoint = await startServer(t);
  await createProducts(endpoint);
  const doc = documentClient(endpoint);
  await doc.send(new PutCommand({ TableName: "Products", Item: PRODUCT }));

  const { Attributes } = await doc.send(
    new UpdateCommand({
      TableName: "Products",
      Key: { sku: "P-1" },
      UpdateExpression:
        "SET dims.h.cm = :cm, stock = stock - :one, dims.parts[1] = :p REMOVE note ADD tags :t DELETE sizes :s",
      ConditionExpression: "stock > :zero AND contains(tags, :sale)",
      ExpressionAttributeValues: {
        ":cm": 21.5,
        ":one": 1,
        ":zero": 0,
        ":p": { replaced: true },
        ":t": new Set(["clearance"]),
        ":s": new Set([10]),
        ":sale": "sale",
      },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  assert.deepStrictEqual(Attributes, {
    dims: { h: { cm: 21.5 }, parts: [{ replaced: true }] },
    stock: 2,
    tags: new Set(["clearance", "new", "sale"]),
    sizes: new Set([8, 12]),
  });

  // A failed condition: the SDK's modelled exception, and the item untouched.
  await assert.rejects(
    doc.send(
      new UpdateCommand({
        TableName: "Products",
        Key: { sku: "P-1" },
        UpdateExpression: "SET stock = :n",
        ConditionExpression: "stock > :n",
        ExpressionAttributeValues: { ":n": 100 },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    ),
    (err) => {
      assert.equal(err.name, "ConditionalCheckFailedException");
      assert.equal(err.message, "The conditional request failed");
      assert.equal(err.$metadata.httpStatusCode, 400);
      // The old item comes back in DynamoDB JSON on the error (the DocumentClient leaves errors as they are).
      assert.deepStrictEqual(err.Item.stock, { N: "2" });
      return true;
    },
  );

  const { Attributes: old } = await doc.send(
    new DeleteCommand({ TableName: "Products", Key: { sku: "P-1" }, ReturnValues: "ALL_OLD" }),
  );
  assert.equal(old.stock, 2);
  assert.equal(old.note, undefined);
});

test("TransactWrite / TransactGet, and a cancellation with its reasons", async (t) => {
  const endpoint = await startServer(t);
  const ll = lowLevelClient(endpoint);
  await ll.send(
    new CreateTableCommand({
      TableName: "Ledger",
      KeySchema: [
        { AttributeName: "account", KeyType: "HASH" },
        { AttributeName: "entry", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "account", AttributeType: "S" },
        { AttributeName: "entry", AttributeType: "N" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const doc = documentClient(endpoint);
  await doc.send(new PutCommand({ TableName: "Ledger", Item: { account: "A", entry: 0, balance: 100 } }));
  await doc.send(new PutCommand({ TableName: "Ledger", Item: { account: "B", entry: 0, balance: 0 } }));

  const move = (amount) => [
    {
      Update: {
        TableName: "Ledger",
        Key: { account: "A", entry: 0 },
        UpdateExpression: "SET balance = balance - :a",
        ConditionExpression: "balance >= :a",
        ExpressionAttributeValues: { ":a": amount },
      },
    },
    {
      Update: {
        TableName: "Ledger",
        Key: { account: "B", entry: 0 },
        UpdateExpression: "SET balance = balance + :a",
        ExpressionAttributeValues: { ":a": amount },
      },
    },
    { Put: { TableName: "Ledger", Item: { account: "A", entry: Date.now() % 1000 + 1, amount: -amount, memo: new Set(["transfer"]) } } },
  ];

  const ok = await doc.send(new TransactWriteCommand({ TransactItems: move(40), ReturnConsumedCapacity: "TOTAL" }));
  assert.deepStrictEqual(ok.ConsumedCapacity, [{ TableName: "Ledger", CapacityUnits: 6, WriteCapacityUnits: 6 }]);

  const got = await doc.send(
    new TransactGetCommand({
      TransactItems: [
        { Get: { TableName: "Ledger", Key: { account: "A", entry: 0 } } },
        { Get: { TableName: "Ledger", Key: { account: "B", entry: 0 }, ProjectionExpression: "balance" } },
        { Get: { TableName: "Ledger", Key: { account: "C", entry: 0 } } },
      ],
    }),
  );
  assert.deepStrictEqual(
    got.Responses.map((r) => r.Item),
    [{ account: "A", entry: 0, balance: 60 }, { balance: 40 }, undefined],
  );

  await assert.rejects(doc.send(new TransactWriteCommand({ TransactItems: move(500) })), (err) => {
    assert.equal(err.name, "TransactionCanceledException");
    assert.equal(
      err.message,
      "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]",
    );
    assert.deepStrictEqual(err.CancellationReasons, [
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
      { Code: "None" },
      { Code: "None" },
    ]);
    return true;
  });

  // Nothing of the cancelled transaction happened.
  const { Items } = await doc.send(
    new QueryCommand({ TableName: "Ledger", KeyConditionExpression: "account = :a", ExpressionAttributeValues: { ":a": "A" } }),
  );
  assert.equal(Items.length, 2);
  assert.equal(Items[0].balance, 60);
  assert.deepStrictEqual(Items[1].memo, new Set(["transfer"]));

  // PartiQL through the DocumentClient: parameters marshalled from JS values.
  const { Items: rows } = await doc.send(
    new ExecuteStatementCommand({
      Statement: 'SELECT balance FROM Ledger WHERE account = ? AND entry = ?',
      Parameters: ["B", 0],
    }),
  );
  assert.deepStrictEqual(rows, [{ balance: 40 }]);
});
