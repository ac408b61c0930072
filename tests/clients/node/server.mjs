// Test helpers for the Node real-client tests: a fresh dynaplay-server per test (port 0, like
// the Python fixtures in ../conftest.py) and SDK v3 clients pointed at it.
//
// The binary is DYNAPLAY_SERVER_BIN or target/debug/dynaplay-server under the repository root;
// scripts/test.sh builds it before running `node --test`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "../../..");
export const REGION = "us-east-1";

// The server checks only the shape of the SigV4 signature, never the keys behind it.
export const DUMMY_CREDENTIALS = {
  accessKeyId: "AKIDDYNAPLAYTEST",
  secretAccessKey: "dynaplay-test-secret",
};

/** The environment for a child program: dummy credentials, and nothing from this machine's AWS setup. */
export function childEnv(endpoint) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("AWS_")) delete env[name];
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_MAX_ATTEMPTS: "1",
    // SDK v3 reads its endpoint from here; v2 reads none (see seeds/with_endpoint.cjs).
    AWS_ENDPOINT_URL: endpoint,
    DYNAPLAY_ENDPOINT: endpoint,
    // aws-sdk v2 otherwise prints its end-of-support notice on every run.
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  };
}

function serverBinary() {
  const bin = process.env.DYNAPLAY_SERVER_BIN ?? "target/debug/dynaplay-server";
  const full = path.isAbsolute(bin) ? bin : path.join(REPO, bin);
  if (!existsSync(full)) {
    throw new Error(`${full} does not exist: build it first (cargo build -p dynaplay-server)`);
  }
  return full;
}

/**
 * Starts a fresh, empty server on a free port and stops it when the test `t` ends (SIGTERM
 * must exit 0: a clean shutdown is part of the contract). Returns its http:// address.
 */
export async function startServer(t) {
  const proc = spawn(serverBinary(), ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: proc.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    proc.once("error", reject);
    exited.then(({ code, signal }) => reject(new Error(`dynaplay-server exited (${code ?? signal}) before it was ready`)));
  });
  lines.close();
  const prefix = "dynaplay-server listening on ";
  if (!first.startsWith(prefix)) {
    proc.kill("SIGKILL");
    throw new Error(`unexpected first line from the server: ${JSON.stringify(first)}`);
  }
  t.after(async () => {
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`dynaplay-server exited with ${code ?? signal} on SIGTERM`);
  });
  return first.slice(prefix.length);
}

/** A low-level SDK v3 client for the server; one attempt, so errors are seen as they are. */
export function lowLevelClient(endpoint) {
  return new DynamoDBClient({ endpoint, region: REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
}

/** A DocumentClient (lib-dynamodb) over a fresh low-level client. */
export function documentClient(endpoint, translateConfig) {
  return DynamoDBDocumentClient.from(lowLevelClient(endpoint), translateConfig);
}
