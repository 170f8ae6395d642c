/**
 * The Photos table. Every change is a read-modify-write guarded by the record's `version`, so
 * concurrent consumers never overwrite each other; transitions themselves decide idempotency
 * (e.g. a photo whose publish stage has a media id is never published again). A write that
 * changes the photo's summary status moves it in the counts per status too, in one transaction
 * (`photo-counts.ts`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { backoffDelay, NotFoundError, type PhotoId, RetryableError } from "@photo-relay/core";
import { PhotoCounts, type StatusCounts } from "./photo-counts.ts";
import { extendJourney, type PhotoRecord, type PhotoStatus, STAGE_NAMES, statusOf } from "./photo-record.ts";

/** What a transition returns: the new record, or `undefined` for "nothing to change". */
export type Transition = (photo: PhotoRecord) => PhotoRecord | undefined;

/** Sends of one write that met other transactions, before giving up (retryable). */
const CONFLICT_ATTEMPTS = 8;

export class PhotoStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;
  /** Photos per summary status, moved in the same write as each photo. */
  readonly counts: PhotoCounts;

  constructor(db: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#table = table;
    this.#now = now;
    this.counts = new PhotoCounts(db, table);
  }

  async get(id: PhotoId): Promise<PhotoRecord | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }),
    );
    return out.Item as PhotoRecord | undefined;
  }

  async require(id: PhotoId): Promise<PhotoRecord> {
    const photo = await this.get(id);
    if (!photo) throw new NotFoundError(`photo ${id}`);
    return photo;
  }

  /** Creates the record unless it exists; returns the stored record either way. */
  async ensure(photo: PhotoRecord): Promise<PhotoRecord> {
    return (await this.#write(photo, undefined, "attribute_not_exists(id)")) ? photo : this.require(photo.id);
  }

  /** Like {@link update}, for a photo that may not exist (yet): `undefined` when it does not. */
  async updateIfExists(id: PhotoId, transition: Transition): Promise<PhotoRecord | undefined> {
    try {
      return await this.update(id, transition);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * Applies `transition` to the current record and writes the result if nobody else wrote in
   * between; on a conflict it re-reads and tries again. Returns the record as stored afterwards.
   */
  async update(id: PhotoId, transition: Transition): Promise<PhotoRecord> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.require(id);
      const next = transition(structuredClone(current));
      if (!next) return current;
      const now = this.#now().toISOString();
      const item: PhotoRecord = {
        ...next,
        status: statusOf(next),
        journey: extendJourney(current, next, now),
        updatedAt: now,
        version: current.version + 1,
      };
      if (await this.#write(item, current.status, "version = :v", { ":v": current.version })) return item;
    }
    throw new RetryableError("write_conflict", `photo ${id} is being changed by too many writers at once`);
  }

  /**
   * Writes `item` if `condition` holds; `false` when it did not (another writer came first). A new
   * photo (`was` undefined) or a changed status is counted in the same transaction. A write that
   * met another transaction on the same items (AWS refuses it rather than wait) is sent again: its
   * condition still decides, so it is written once at most.
   */
  async #write(
    item: PhotoRecord,
    was: PhotoStatus | undefined,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    const put = {
      TableName: this.#table,
      Item: item,
      ConditionExpression: condition,
      ...(values && { ExpressionAttributeValues: values }),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (was === item.status) await this.#db.send(new PutCommand(put));
        else {
          const counted = this.counts.counted(item.status, was);
          await this.#db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, counted] }));
        }
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons[0]?.Code === "ConditionalCheckFailed") return false;
        const conflict =
          error instanceof TransactionConflictException ||
          reasons.some((r) => r?.Code === "TransactionConflict");
        if (!conflict) throw error;
        if (attempt === CONFLICT_ATTEMPTS) {
          throw new RetryableError("write_conflict", `photo ${item.id} met other writes ${attempt} times`);
        }
        await sleep(backoffDelay(attempt, { baseMs: 20, maxMs: 500 }));
      }
    }
  }

  /** Most recently changed first; `status` narrows to one summary status. */
  async list(options: { status?: PhotoStatus; limit?: number; cursor?: string } = {}): Promise<{
    photos: PhotoRecord[];
    cursor?: string;
  }> {
    const byStatus = options.status !== undefined;
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: byStatus ? "byStatus" : "byTime",
        KeyConditionExpression: byStatus ? "#s = :s" : "kind = :k",
        ...(byStatus && { ExpressionAttributeNames: { "#s": "status" } }),
        ExpressionAttributeValues: byStatus ? { ":s": options.status } : { ":k": "photo" },
        ScanIndexForward: false,
        Limit: options.limit ?? 50,
        ...(options.cursor && {
          ExclusiveStartKey: JSON.parse(Buffer.from(options.cursor, "base64url").toString()),
        }),
      }),
    );
    const photos = (out.Items ?? []) as PhotoRecord[];
    return out.LastEvaluatedKey
      ? { photos, cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString("base64url") }
      : { photos };
  }

  /**
   * The photos in the publishing quota's line (`stages.publish.quotaLine`, not yet posted), oldest
   * arrival first: the order the quota lets them through.
   */
  async quotaLine(): Promise<Pick<PhotoRecord, "id" | "createdAt">[]> {
    const line: Pick<PhotoRecord, "id" | "createdAt">[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: "byStatus",
          KeyConditionExpression: "#s = :s",
          FilterExpression: "#st.#p.#q = :t AND NOT #st.#p.#s IN (:done, :skipped)",
          ProjectionExpression: "id, createdAt",
          ExpressionAttributeNames: { "#s": "status", "#st": "stages", "#p": "publish", "#q": "quotaLine" },
          ExpressionAttributeValues: {
            ":s": "processing",
            ":t": true,
            ":done": "done",
            ":skipped": "skipped",
          },
          ExclusiveStartKey: start,
        }),
      );
      line.push(...((out.Items ?? []) as Pick<PhotoRecord, "id" | "createdAt">[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return line.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Photos per summary status: one read of the counts item. */
  countByStatus(): Promise<StatusCounts> {
    return this.counts.read();
  }

  /** Photos with a dead-lettered stage (all of them `failed`). */
  countDeadLettered(): Promise<number> {
    // `convert` is one of DynamoDB's reserved words: every name goes through a placeholder.
    return this.#count("failed", {
      filter: STAGE_NAMES.map((s) => `#stages.#${s}.#dead = :dead`).join(" OR "),
      names: {
        "#stages": "stages",
        "#dead": "deadLettered",
        ...Object.fromEntries(STAGE_NAMES.map((s) => [`#${s}`, s])),
      },
      values: { ":dead": true },
    });
  }

  /** Photos of one summary status, optionally filtered, read page by page from the status index. */
  async #count(
    status: PhotoStatus,
    where?: { filter: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: "byStatus",
          KeyConditionExpression: "#s = :s",
          ExpressionAttributeNames: { "#s": "status", ...where?.names },
          ExpressionAttributeValues: { ":s": status, ...where?.values },
          ...(where && { FilterExpression: where.filter }),
          Select: "COUNT",
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
