/**
 * Guest upload links, kept in the Photos table beside the photos (`kind: "guest-link"`, no
 * `status`, so the status index never sees them and `byTime` lists them newest first).
 *
 * A link's secret is never stored: it is an HMAC of the link id under a key derived from the API
 * token, so the owner's dashboard can show the link again at any time, a stolen table dump grants
 * nothing, and rotating the API token revokes every link at once. Each link has its own limits
 * (expiry, files, bytes), counts what its guests used, and can be revoked.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

export interface GuestLink {
  linkId: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  maxFiles: number;
  maxBytes: number;
  usedFiles: number;
  usedBytes: number;
  revokedAt?: string;
}

interface GuestLinkItem extends GuestLink {
  id: string;
  kind: "guest-link";
  updatedAt: string;
  uploadKeys?: Set<string>;
  rateWindow?: number;
  rateCount?: number;
}

const itemId = (linkId: string) => `guest-link#${linkId}`;
const LINK_ID = /^[A-Za-z0-9_-]{10,32}$/;

export type Reservation = "reserved" | "already_reserved" | "quota" | "closed";

export class GuestLinkStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #key: Buffer;

  constructor(db: DynamoDBDocumentClient, table: string, apiToken: string) {
    this.#db = db;
    this.#table = table;
    this.#key = createHmac("sha256", apiToken).update("photo-relay guest links v1").digest();
  }

  /** The secret half of a link's token: `<linkId>.<secret>`. */
  secretOf(linkId: string): string {
    return createHmac("sha256", this.#key).update(linkId).digest("base64url");
  }

  /** The link id a token names, when its secret is right (the link may still be expired or revoked). */
  verify(token: string): string | undefined {
    const [linkId = "", secret = ""] = token.split(".");
    if (!LINK_ID.test(linkId)) return undefined;
    const given = Buffer.from(secret);
    const expected = Buffer.from(this.secretOf(linkId));
    return given.length === expected.length && timingSafeEqual(given, expected) ? linkId : undefined;
  }

  async create(
    init: Pick<GuestLink, "label" | "expiresAt" | "maxFiles" | "maxBytes">,
    now: Date,
  ): Promise<GuestLink> {
    const at = now.toISOString();
    const link: GuestLink = {
      linkId: randomBytes(9).toString("base64url"),
      createdAt: at,
      usedFiles: 0,
      usedBytes: 0,
      ...init,
    };
    const item: GuestLinkItem = { ...link, id: itemId(link.linkId), kind: "guest-link", updatedAt: at };
    await this.#db.send(
      new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: "attribute_not_exists(id)" }),
    );
    return link;
  }

  async get(linkId: string): Promise<GuestLink | undefined> {
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { id: itemId(linkId) }, ConsistentRead: true }),
    );
    return out.Item ? present(out.Item as GuestLinkItem) : undefined;
  }

  /** Every link, newest first. */
  async list(): Promise<GuestLink[]> {
    const links: GuestLink[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: "byTime",
          KeyConditionExpression: "kind = :k",
          ExpressionAttributeValues: { ":k": "guest-link" },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
      links.push(...(out.Items ?? []).map((i) => present(i as GuestLinkItem)));
      start = out.LastEvaluatedKey;
    } while (start);
    return links;
  }

  async revoke(linkId: string, now: Date): Promise<GuestLink | undefined> {
    try {
      const out = await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { id: itemId(linkId) },
          UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :now), updatedAt = :now",
          ConditionExpression: "attribute_exists(id)",
          ExpressionAttributeValues: { ":now": now.toISOString() },
          ReturnValues: "ALL_NEW",
        }),
      );
      return present(out.Attributes as GuestLinkItem);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Counts one file of `bytes` against the link, atomically: two guests racing for the last file
   * of a link cannot both get it. A key counted before (a resumed upload) is not counted again.
   */
  async reserve(link: GuestLink, key: string, bytes: number, now: Date): Promise<Reservation> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { id: itemId(link.linkId) },
          UpdateExpression: "ADD usedFiles :one, usedBytes :bytes, uploadKeys :keys",
          ConditionExpression:
            "attribute_not_exists(revokedAt) AND expiresAt > :now AND usedFiles < maxFiles AND usedBytes <= :room AND NOT contains(uploadKeys, :key)",
          ExpressionAttributeValues: {
            ":one": 1,
            ":bytes": bytes,
            ":keys": new Set([key]),
            ":key": key,
            ":now": now.toISOString(),
            ":room": link.maxBytes - bytes,
          },
        }),
      );
      return "reserved";
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const out = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: { id: itemId(link.linkId) }, ConsistentRead: true }),
    );
    const item = out.Item as GuestLinkItem | undefined;
    if (!item || item.revokedAt || item.expiresAt <= now.toISOString()) return "closed";
    return item.uploadKeys?.has(key) ? "already_reserved" : "quota";
  }

  /** Whether `key` was uploaded through this link (what its guests may see). */
  async owns(linkId: string, keys: string[]): Promise<Set<string>> {
    const out = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: { id: itemId(linkId) },
        ProjectionExpression: "uploadKeys",
      }),
    );
    const owned = (out.Item as GuestLinkItem | undefined)?.uploadKeys ?? new Set<string>();
    return new Set(keys.filter((k) => owned.has(k)));
  }

  /**
   * One request against the link's budget of `perMinute` (a fixed one-minute window kept on the
   * link's item, so every API instance counts together). Returns false when the budget is spent.
   */
  async hit(linkId: string, perMinute: number, now: Date): Promise<boolean> {
    const window = Math.floor(now.getTime() / 60_000);
    const update = (expression: string, condition: string, values: Record<string, number>) =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { id: itemId(linkId) },
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(id) AND (${condition})`,
          ExpressionAttributeValues: { ":w": window, ...values },
        }),
      );
    try {
      await update("ADD rateCount :one", "rateWindow = :w AND rateCount < :limit", {
        ":one": 1,
        ":limit": perMinute,
      });
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await update(
        "SET rateWindow = :w, rateCount = :one",
        "attribute_not_exists(rateWindow) OR rateWindow < :w",
        {
          ":one": 1,
        },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function present(item: GuestLinkItem): GuestLink {
  const { id: _i, kind: _k, updatedAt: _u, uploadKeys: _keys, rateWindow: _w, rateCount: _c, ...link } = item;
  return link;
}
