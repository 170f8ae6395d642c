/**
 * Photos per summary status, kept in one settings item of the Photos table
 * (`PHOTOS_TABLE.countsKey`) so that `/status` and the dashboard's header read one item instead of
 * counting the status index. The photo store changes it in the same transaction as the photo
 * whose status changes (`counted`), so a write that is retried, or loses a race, never counts twice
 * and a crash never counts half.
 *
 * A table whose photos were written before the counts existed is counted once, the slow way
 * ({@link PhotoCounts.recount}): the table is scanned, and the result is written only if no photo
 * changed status meanwhile (the item's `changes` is the same as before the scan), else scanned
 * again.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { PHOTOS_TABLE } from "../settings.ts";
import { PHOTO_STATUSES, type PhotoStatus } from "./photo-record.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
export type StatusCounts = Record<PhotoStatus, number>;

const attributeOf = (status: PhotoStatus) => `n_${status}`;
const RECOUNT_ATTEMPTS = 3;

export class PhotoCounts {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #key = { id: PHOTOS_TABLE.countsKey };

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  /** The transaction item that moves one photo from `was` (none: a new photo) to `now`. */
  counted(now: PhotoStatus, was: PhotoStatus | undefined): TransactItem {
    const names: Record<string, string> = { "#now": attributeOf(now) };
    const values: Record<string, unknown> = { ":one": 1, ":kind": "setting" };
    let add = "#now :one, changes :one";
    if (was) {
      names["#was"] = attributeOf(was);
      values[":less"] = -1;
      add += ", #was :less";
    }
    return {
      Update: {
        TableName: this.#table,
        Key: this.#key,
        UpdateExpression: `SET kind = :kind ADD ${add}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Photos per status; a table never counted is counted once first. */
  async read(): Promise<StatusCounts> {
    const item = await this.#item();
    return item?.seeded ? countsOf(item) : this.recount();
  }

  /**
   * Counts the photos in the table and records the result (a table from before the counts, or a
   * check of them). The result is kept only if no photo changed status during the count; after
   * {@link RECOUNT_ATTEMPTS} busy counts the last one is answered without being kept, and the next
   * read counts again.
   */
  async recount(): Promise<StatusCounts> {
    let counts: StatusCounts | undefined;
    for (let attempt = 0; attempt < RECOUNT_ATTEMPTS; attempt++) {
      const changes = (await this.#item())?.changes;
      const counted = await this.#countTable();
      counts = counted;
      const item = {
        ...this.#key,
        kind: "setting",
        seeded: true,
        changes: changes ?? 0,
        ...Object.fromEntries(PHOTO_STATUSES.map((s) => [attributeOf(s), counted[s]])),
      };
      try {
        await this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: item,
            ...(changes === undefined
              ? { ConditionExpression: "attribute_not_exists(changes)" }
              : { ConditionExpression: "changes = :c", ExpressionAttributeValues: { ":c": changes } }),
          }),
        );
        return counted;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return counts as StatusCounts;
  }

  async #item(): Promise<Record<string, unknown> | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: this.#key, ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Every photo's status, from a strongly consistent scan of the table itself: the indexes are
   * eventually consistent on AWS, and a count that missed a change made just before it would stay
   * wrong for good.
   */
  async #countTable(): Promise<StatusCounts> {
    const counts = Object.fromEntries(PHOTO_STATUSES.map((s) => [s, 0])) as StatusCounts;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(
        new ScanCommand({
          TableName: this.#table,
          ConsistentRead: true,
          FilterExpression: "kind = :photo",
          ProjectionExpression: "#s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":photo": "photo" },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const status = item.status as PhotoStatus;
        if (status in counts) counts[status]++;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return counts;
  }
}

function countsOf(item: Record<string, unknown>): StatusCounts {
  return Object.fromEntries(
    PHOTO_STATUSES.map((s) => [s, Number(item[attributeOf(s)] ?? 0)]),
  ) as StatusCounts;
}
