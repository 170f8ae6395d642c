/**
 * The Photos table. Every change is a read-modify-write guarded by the record's `version`, so
 * concurrent consumers never overwrite each other; transitions themselves decide idempotency
 * (e.g. a photo whose publish stage has a media id is never published again).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { NotFoundError, type PhotoId, RetryableError } from "@photo-relay/core";
import {
  extendJourney,
  PHOTO_STATUSES,
  type PhotoRecord,
  type PhotoStatus,
  STAGE_NAMES,
  statusOf,
} from "./photo-record.ts";

/** What a transition returns: the new record, or `undefined` for "nothing to change". */
export type Transition = (photo: PhotoRecord) => PhotoRecord | undefined;

export class PhotoStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;

  constructor(db: DynamoDBDocumentClient, table: string, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#table = table;
    this.#now = now;
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
    return (await this.#putIf(photo, "attribute_not_exists(id)")) ? photo : this.require(photo.id);
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
      if (await this.#putIf(item, "version = :v", { ":v": current.version })) return item;
    }
    throw new RetryableError("write_conflict", `photo ${id} is being changed by too many writers at once`);
  }

  /** Writes `item` if `condition` holds; `false` when it did not (another writer came first). */
  async #putIf(item: PhotoRecord, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: condition,
          ...(values && { ExpressionAttributeValues: values }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
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

  async countByStatus(): Promise<Record<PhotoStatus, number>> {
    const counts = await Promise.all(
      PHOTO_STATUSES.map(async (status) => [status, await this.#count(status)] as const),
    );
    return Object.fromEntries(counts) as Record<PhotoStatus, number>;
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
