/**
 * The local DynamoDB's `TransactWriteItems` (dynalite has none): all of a transaction or none of
 * it, DynamoDB's cancellation reasons, exact under concurrent transactions and plain writes, and a
 * retried request (same token) answered as the first time.
 */
import {
  CreateTableCommand,
  type DynamoDBClient,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import { type DynamoServer, startDynamo } from "../src/dynamodb-server.ts";

let server: DynamoServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
const TableName = "items";
const get = async (id: string) =>
  (await db.send(new GetCommand({ TableName, Key: { id }, ConsistentRead: true }))).Item;
const add = (id: string, n: number) => ({
  Update: {
    TableName,
    Key: { id },
    UpdateExpression: "ADD n :n",
    ExpressionAttributeValues: { ":n": n },
  },
});

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

describe("local DynamoDB transactions", () => {
  it("write every item, or none: a failed condition puts back what was written before it", async () => {
    await db.send(new PutCommand({ TableName, Item: { id: "a", v: 1 } }));
    await db.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName, Item: { id: "a", v: 2 } } }, add("c", 1)],
      }),
    );
    expect(await get("a")).toEqual({ id: "a", v: 2 });
    expect(await get("c")).toEqual({ id: "c", n: 1 });

    const failed = db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { id: "a", v: 3 } } },
          add("c", 1),
          { Put: { TableName, Item: { id: "b", v: 1 } } },
          { ConditionCheck: { TableName, Key: { id: "e" }, ConditionExpression: "attribute_exists(id)" } },
        ],
      }),
    );
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      "None",
      "None",
      "None",
      "ConditionalCheckFailed",
    ]);
    expect(await get("a")).toEqual({ id: "a", v: 2 });
    expect(await get("c")).toEqual({ id: "c", n: 1 });
    expect(await get("b")).toBeUndefined();
  });

  it("refuse two actions on one item, as DynamoDB does", async () => {
    const error = await db
      .send(new TransactWriteCommand({ TransactItems: [add("d", 1), add("d", 2)] }))
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("ValidationException");
    expect(await get("d")).toBeUndefined();
  });

  it("stay exact when many transactions and plain writes meet on the same items", async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? db.send(new PutCommand({ TableName, Item: { id: `plain-${i}`, v: i } }))
          : db.send(new TransactWriteCommand({ TransactItems: [add("total", 1), add(`own-${i % 3}`, 1)] })),
      ),
    );
    expect((await get("total"))?.n).toBe(30);
    const own = await Promise.all([0, 1, 2].map(async (k) => (await get(`own-${k}`))?.n));
    expect(own.reduce((a, b) => a + b, 0)).toBe(30);
    expect(await get("plain-36")).toEqual({ id: "plain-36", v: 36 });
  });

  it("answer a retried request (same ClientRequestToken) as the first time, without writing again", async () => {
    const request = { TransactItems: [add("once", 1)], ClientRequestToken: "retry-of-a-lost-answer" };
    await db.send(new TransactWriteCommand(request));
    await db.send(new TransactWriteCommand(request));
    expect((await get("once"))?.n).toBe(1);
    const mismatch = await db
      .send(new TransactWriteCommand({ ...request, TransactItems: [add("once", 5)] }))
      .catch((e: unknown) => e);
    expect((mismatch as Error).name).toBe("IdempotentParameterMismatchException");
  });
});
