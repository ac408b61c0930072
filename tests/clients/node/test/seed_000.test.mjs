// The Node seed from shared/seeds/000_86161b496cbd8265.txt: its DocumentClient query on
// "Orders" run verbatim with the v2 aws-sdk, and the same query written with lib-dynamodb v3.
// Both run as child programs against a fresh server; what they print is asserted.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import vm from "node:vm";

import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";

import { childEnv, documentClient, HERE, lowLevelClient, REPO, startServer } from "../server.mjs";

const run = promisify(execFile);
const SEEDS = path.join(HERE, "seeds");

const ORDERS = [
  { CustomerId: "C1234", OrderId: "O-1002", Total: 15, Items: ["pen", "ink"] },
  { CustomerId: "C1234", OrderId: "O-1001", Total: 25.5, Status: "SHIPPED" },
  { CustomerId: "C9999", OrderId: "O-2001", Total: 99 },
];

async function createOrders(endpoint) {
  await lowLevelClient(endpoint).send(
    new CreateTableCommand({
      TableName: "Orders",
      KeySchema: [
        { AttributeName: "CustomerId", KeyType: "HASH" },
        { AttributeName: "OrderId", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "CustomerId", AttributeType: "S" },
        { AttributeName: "OrderId", AttributeType: "S" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await documentClient(endpoint).send(
    new BatchWriteCommand({
      RequestItems: { Orders: ORDERS.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
}

/** Runs a node program against the server; returns what it printed. */
async function runProgram(endpoint, ...args) {
  const { stdout, stderr } = await run(process.execPath, args, {
    cwd: HERE,
    env: childEnv(endpoint),
    timeout: 60_000,
  });
  return { stdout, stderr };
}

/**
 * The seed prints `console.log("Orders:", data.Items)`: "Orders: " and util.inspect of the
 * items, which for plain strings, numbers and arrays is a JavaScript literal. Compare it as a
 * value: the attributes and their values are DynamoDB's contract, not their order.
 */
function printedOrders(stdout) {
  assert.match(stdout, /^Orders: \[[^]*\]\n$/);
  return vm.runInNewContext(`(${stdout.slice("Orders: ".length)})`);
}

// C1234's orders in sort-key order; C9999's is not among them.
const EXPECTED = [
  { CustomerId: "C1234", OrderId: "O-1001", Total: 25.5, Status: "SHIPPED" },
  { CustomerId: "C1234", OrderId: "O-1002", Total: 15, Items: ["pen", "ink"] },
];

test("seed 000 query, verbatim with aws-sdk v2 DocumentClient", async (t) => {
  const endpoint = await startServer(t);
  await createOrders(endpoint);
  const { stdout, stderr } = await runProgram(endpoint, "seeds/with_endpoint.cjs", "seeds/seed_000_query.js");
  assert.equal(stderr, "");
  // deepEqual across vm contexts compares structure, not prototypes.
  assert.deepEqual(JSON.parse(JSON.stringify(printedOrders(stdout))), EXPECTED);
});

test("seed 000 query, written with lib-dynamodb v3 DocumentClient", async (t) => {
  const endpoint = await startServer(t);
  await createOrders(endpoint);
  const { stdout, stderr } = await runProgram(endpoint, "seeds/seed_000_query_v3.mjs");
  // SDK v3 may warn about the Node version on stderr; the seed's own error line must not be there.
  assert.doesNotMatch(stderr, /^Error:/m);
  assert.deepEqual(JSON.parse(JSON.stringify(printedOrders(stdout))), EXPECTED);
});

test("seed 000 against a missing table prints the v2 error", async (t) => {
  const endpoint = await startServer(t);
  const { stdout, stderr } = await runProgram(endpoint, "seeds/with_endpoint.cjs", "seeds/seed_000_query.js");
  assert.equal(stdout, "");
  assert.match(stderr, /^Error: ResourceNotFoundException: Requested resource not found\n/);
});

// The copy under seeds/ must stay the seed's code, character for character. shared/ sits
// beside the repository (as in CI); skip when it is not there.
const SHARED_SEED = path.resolve(
  process.env.DYNAPLAY_SHARED ?? path.join(REPO, "..", "shared"),
  "seeds/000_86161b496cbd8265.txt",
);
test("seeds/seed_000_query.js is the seed's code verbatim", { skip: !existsSync(SHARED_SEED) && `${SHARED_SEED} not found` }, () => {
  const seed = readFileSync(SHARED_SEED, "utf8");
  const copy = readFileSync(path.join(SEEDS, "seed_000_query.js"), "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("// "))
    .join("\n");
  assert.ok(copy.trim().length > 0);
  assert.ok(seed.includes(copy.trim()), "seeds/seed_000_query.js differs from the seed's code");
});
