/**
 * `TransactWriteItems` for the local DynamoDB: dynalite has no transactions
 * (https://github.com/architect/dynalite/issues/98), and the photo store writes a status change and the counts in one.
 *
 * The request is taken before dynalite sees it and run as dynalite's own conditional writes, one
 * by one, while every other write waits: each item's old value is read first, and when an item's
 * condition fails, the ones already written are put back and the answer is DynamoDB's
 * `TransactionCanceledException` with one reason per item. So writers see all of a transaction
 * or none of it, as on AWS; readers may see a transaction half done (dynalite's reads are not held
 * back), which nothing here relies on. A repeated `ClientRequestToken` within 10 minutes answers
 * as the first time did (the SDK's own retry of a request whose answer was lost).
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

const TARGET = "DynamoDB_20120810.";
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);
const TOKEN_MS = 10 * 60_000;
const MAX_ITEMS = 100;

type Item = Record<string, AttributeValue>;
type Answer = { status: number; body: unknown };

/** Serves `TransactWriteItems` on dynalite's `server` (listening at `url`); other requests pass on. */
export function serveTransactions(server: Server, url: () => string): () => void {
  const [dynalite] = server.listeners("request") as Array<
    (req: IncomingMessage, res: ServerResponse) => void
  >;
  if (!dynalite) throw new Error("dynalite's request handler is missing");
  const bypass = randomBytes(16).toString("hex");
  const gate = new WriteGate();
  const tokens = new Map<string, { at: number; hash: string; answer: Answer }>();
  let client: DynamoDBClient | undefined;
  const own = () => (client ??= internalClient(url(), bypass));

  server.removeListener("request", dynalite);
  server.on("request", (req, res) => {
    const operation = String(req.headers["x-amz-target"] ?? "").replace(TARGET, "");
    if (req.headers["x-local-transaction"] === bypass) return dynalite(req, res);
    if (operation === "TransactWriteItems") {
      void readBody(req)
        .then((body) => gate.exclusive(() => transact(own(), body, tokens)))
        .catch((error: unknown) => refusal("InternalServerError", String(error), 500))
        .then((answer) => send(res, answer));
      return;
    }
    if (!WRITES.has(operation)) return dynalite(req, res);
    // A writer that went away while it waited (a crashed Lambda container) has had its "close"
    // already: without the check its place in the gate was never given back, and every later
    // transaction and write waited forever.
    void gate.shared(
      () =>
        new Promise<void>((done) => {
          if (res.closed || req.destroyed) return done();
          res.once("close", done);
          dynalite(req, res);
        }),
    );
  });
  return () => client?.destroy();
}

async function transact(
  db: DynamoDBClient,
  raw: string,
  tokens: Map<string, { at: number; hash: string; answer: Answer }>,
): Promise<Answer> {
  const input = JSON.parse(raw) as { TransactItems?: TransactWriteItem[]; ClientRequestToken?: string };
  const items = input.TransactItems ?? [];
  if (items.length === 0 || items.length > MAX_ITEMS) {
    return refusal("ValidationException", `TransactItems must hold 1 to ${MAX_ITEMS} items`);
  }
  const hash = createHash("sha256").update(JSON.stringify(items)).digest("hex");
  const now = Date.now();
  for (const [token, seen] of tokens) if (now - seen.at > TOKEN_MS) tokens.delete(token);
  const earlier = input.ClientRequestToken ? tokens.get(input.ClientRequestToken) : undefined;
  if (earlier) {
    return earlier.hash === hash
      ? earlier.answer
      : refusal("IdempotentParameterMismatchException", "the token was used with other items");
  }
  const answer = await runAll(db, items);
  if (input.ClientRequestToken) tokens.set(input.ClientRequestToken, { at: now, hash, answer });
  return answer;
}

/** Each item in order; on the first refusal, the items written so far are put back as they were. */
async function runAll(db: DynamoDBClient, items: TransactWriteItem[]): Promise<Answer> {
  const targets = await Promise.all(items.map((item) => targetOf(db, item)));
  const keys = targets.map((t) => `${t.table}\n${JSON.stringify(t.key)}`);
  if (new Set(keys).size !== keys.length) {
    return refusal(
      "ValidationException",
      "Transaction request cannot include multiple operations on one item",
    );
  }
  const before = await Promise.all(
    targets.map(
      async ({ table, key }) =>
        (await db.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item,
    ),
  );
  for (const [i, item] of items.entries()) {
    try {
      await write(db, item, before[i]);
    } catch (error) {
      for (let j = i - 1; j >= 0; j--) await restore(db, targets[j] as Target, before[j]);
      if (error instanceof DynamoDBServiceException && error.name === "ConditionalCheckFailedException") {
        const reasons = items.map((_, j) =>
          j === i
            ? { Code: "ConditionalCheckFailed", Message: "The conditional request failed" }
            : { Code: "None" },
        );
        const codes = reasons.map((r) => r.Code).join(", ");
        return {
          status: 400,
          body: {
            __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
            CancellationReasons: reasons,
          },
        };
      }
      const name = error instanceof DynamoDBServiceException ? error.name : "InternalServerError";
      return refusal(name, (error as Error).message, error instanceof DynamoDBServiceException ? 400 : 500);
    }
  }
  return { status: 200, body: {} };
}

interface Target {
  table: string;
  key: Item;
}

const keyNames = new Map<string, string[]>();

async function targetOf(db: DynamoDBClient, item: TransactWriteItem): Promise<Target> {
  const action = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  if (!action?.TableName) throw new Error("a transaction item names no action or table");
  const table = action.TableName;
  let names = keyNames.get(table);
  if (!names) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    names = (Table?.KeySchema ?? []).map((k) => k.AttributeName as string);
    keyNames.set(table, names);
  }
  const source: Item = item.Put ? (item.Put.Item ?? {}) : ((action as { Key?: Item }).Key ?? {});
  return { table, key: Object.fromEntries(names.map((n) => [n, source[n] as AttributeValue])) };
}

/** Writes the item as one of dynalite's own writes; a condition check writes back what is there. */
async function write(db: DynamoDBClient, item: TransactWriteItem, before: Item | undefined): Promise<void> {
  if (item.Put) await db.send(new PutItemCommand(item.Put));
  else if (item.Update) await db.send(new UpdateItemCommand(item.Update));
  else if (item.Delete) await db.send(new DeleteItemCommand(item.Delete));
  else if (item.ConditionCheck) {
    const { TableName, Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } =
      item.ConditionCheck;
    const condition = { ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues };
    if (before) await db.send(new PutItemCommand({ TableName, Item: before, ...condition }));
    else await db.send(new DeleteItemCommand({ TableName, Key, ...condition }));
  }
}

async function restore(db: DynamoDBClient, { table, key }: Target, before: Item | undefined): Promise<void> {
  if (before) await db.send(new PutItemCommand({ TableName: table, Item: before }));
  else await db.send(new DeleteItemCommand({ TableName: table, Key: key }));
}

/** Plain writes run together; a transaction waits for those under way and holds later ones back. */
class WriteGate {
  #shared = 0;
  #exclusive = false;
  readonly #waiting: Array<{ exclusive: boolean; start: () => void }> = [];

  shared<T>(work: () => Promise<T>): Promise<T> {
    return this.#run(false, work);
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#run(true, work);
  }

  async #run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.#waiting.push({ exclusive, start });
      this.#admit();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.#exclusive = false;
      else this.#shared--;
      this.#admit();
    }
  }

  /** First come, first served: a waiting transaction also holds back the writes behind it. */
  #admit(): void {
    for (let next = this.#waiting[0]; next && !this.#exclusive; next = this.#waiting[0]) {
      if (next.exclusive && this.#shared > 0) return;
      this.#waiting.shift();
      if (next.exclusive) this.#exclusive = true;
      else this.#shared++;
      next.start();
    }
  }
}

function internalClient(endpoint: string, bypass: string): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-local-transaction"] = bypass;
      return next(args);
    },
    { step: "build", name: "localTransactionBypass" },
  );
  return client;
}

function refusal(name: string, message: string, status = 400): Answer {
  return { status, body: { __type: `com.amazonaws.dynamodb.v20120810#${name}`, message } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, { status, body }: Answer): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomBytes(16).toString("hex"),
  });
  res.end(text);
}
