/**
 * A writer that goes away while its write waits behind a transaction (a Lambda container ended
 * mid-batch, its connections cut): the local DynamoDB must not keep that write's place in the
 * write gate, or every later transaction and write waits forever — the soak's stalled stack
 * (every convert, publish and dead-letter invocation timing out after a crashed container).
 */
import { request } from "node:http";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import { type DynamoServer, startDynamo } from "../src/dynamodb-server.ts";

let server: DynamoServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
const TableName = "abandoned";

beforeAll(async () => {
  server = await startDynamo(undefined);
  client = localDynamoClient(server.url);
  db = DynamoDBDocumentClient.from(client);
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

/** Sends a PutItem and cuts the connection at once, before any answer (the writer died). */
function abandonedPut(id: string): Promise<void> {
  const body = JSON.stringify({ TableName, Item: { id: { S: id } } });
  return new Promise((resolve) => {
    const req = request(`${server.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.PutItem",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20261203/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        "content-length": Buffer.byteLength(body),
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.end(body, () => setTimeout(() => req.destroy(), 5));
  });
}

const many = (prefix: string) =>
  Array.from({ length: 100 }, (_, i) => ({ Put: { TableName, Item: { id: `${prefix}-${i}`, v: i } } }));

describe("local DynamoDB: a write abandoned while it waited", () => {
  it("gives up its place, so the transactions and writes after it still run", async () => {
    // A long transaction holds the gate while the abandoned write queues behind it.
    const long = db.send(new TransactWriteCommand({ TransactItems: many("long") }));
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([abandonedPut("gone-1"), abandonedPut("gone-2")]);
    await long;
    await db.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { id: "after", v: 1 } } }] }),
    );
    expect((await db.send(new GetCommand({ TableName, Key: { id: "after" } }))).Item).toEqual({
      id: "after",
      v: 1,
    });
  }, 20_000);
});
