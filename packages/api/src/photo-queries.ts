/**
 * The dashboard's reads of the Photos table, over its two indexes: a filtered page (state,
 * source, arrival date, name), the changes since a moment (live updates), and the photos active
 * in the last hours (the chart). Only the attributes a summary needs are read.
 *
 * Order is the indexes' order: most recently changed first. Filters the indexes cannot serve
 * (source, name, arrival date) are applied while paging, within a budget of items read per
 * request; the cursor then continues exactly after the last photo returned.
 */
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { PhotoStatus } from "@photo-relay/pipeline/photo";
import { SUMMARY_ATTRIBUTES, SUMMARY_NAMES, type SummarySource } from "./photo-summary.ts";

export interface PhotoQuery {
  state?: PhotoStatus;
  /** `agent`, `phone`, `guest` (any link) or `guest:<linkId>`. */
  source?: string;
  /** Arrival (createdAt) from/to, ISO 8601. */
  from?: string;
  to?: string;
  /** Case-insensitive part of the original file name. */
  q?: string;
  limit: number;
  cursor?: string;
}

export interface PhotoPage {
  photos: SummarySource[];
  cursor?: string;
  /** Items read for this page (what the filters cost). */
  scanned: number;
}

/** Items read per request at most, whatever the filters: a narrow search pages on. */
const READ_BUDGET = 3000;

type Item = SummarySource & { kind?: string; status: PhotoStatus };

export async function queryPhotos(rt: PublishRuntime, query: PhotoQuery): Promise<PhotoPage> {
  const byStatus = query.state !== undefined;
  const matches = matcher(query);
  const photos: Item[] = [];
  let start = query.cursor ? decodeCursor(query.cursor) : undefined;
  let scanned = 0;
  let more = true;
  while (photos.length < query.limit && scanned < READ_BUDGET && more) {
    const out = await rt.clients.dynamo.send(
      new QueryCommand({
        ...indexQuery(rt, byStatus ? { status: query.state as PhotoStatus } : {}, query.from),
        Limit: Math.min(READ_BUDGET - scanned, Math.max(query.limit * 2, 100)),
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    const items = (out.Items ?? []) as Item[];
    scanned += items.length;
    for (const [i, item] of items.entries()) {
      if (!matches(item)) continue;
      photos.push(item);
      if (photos.length === query.limit) {
        // Continue after this photo, not after the page: the rest of the page is not shown yet.
        const last = i === items.length - 1 ? out.LastEvaluatedKey : keyOf(item, byStatus);
        return { photos, scanned, ...(last && { cursor: encodeCursor(last) }) };
      }
    }
    start = out.LastEvaluatedKey;
    more = start !== undefined;
  }
  return { photos, scanned, ...(start && { cursor: encodeCursor(start) }) };
}

/** Photos changed at or after `since` (oldest first), at most `limit`. */
export async function changedSince(rt: PublishRuntime, since: string, limit = 200): Promise<SummarySource[]> {
  const out = await rt.clients.dynamo.send(
    new QueryCommand({ ...indexQuery(rt, {}, since), ScanIndexForward: true, Limit: limit }),
  );
  return (out.Items ?? []) as SummarySource[];
}

/** Every photo changed since `since`, with its journey (for the chart). */
export async function activeSince(
  rt: PublishRuntime,
  since: string,
): Promise<Array<SummarySource & { journey: unknown[] }>> {
  const items: Array<SummarySource & { journey: unknown[] }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const base = indexQuery(rt, {}, since);
    const out = await rt.clients.dynamo.send(
      new QueryCommand({
        ...base,
        ProjectionExpression: `${base.ProjectionExpression}, journey`,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    items.push(...((out.Items ?? []) as Array<SummarySource & { journey: unknown[] }>));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

function indexQuery(rt: PublishRuntime, by: { status?: PhotoStatus }, since?: string): QueryCommandInput {
  const names: Record<string, string> = { ...SUMMARY_NAMES };
  const values: Record<string, unknown> = {};
  let condition: string;
  if (by.status) {
    condition = "#status = :s";
    values[":s"] = by.status;
  } else {
    condition = "kind = :k";
    values[":k"] = "photo";
  }
  if (since) {
    // A photo that arrived after `since` was last changed after it too.
    condition += " AND updatedAt >= :since";
    values[":since"] = since;
  }
  return {
    TableName: rt.config.dynamodb.table,
    IndexName: by.status ? "byStatus" : "byTime",
    KeyConditionExpression: condition,
    ProjectionExpression: SUMMARY_ATTRIBUTES.join(", "),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
  };
}

function matcher(query: PhotoQuery): (item: Item) => boolean {
  const q = query.q?.trim().toLowerCase();
  return (item) => {
    if (item.kind !== undefined && item.kind !== "photo") return false;
    if (query.source && !sourceMatches(item.source ?? "upload", query.source)) return false;
    if (query.from && item.createdAt < query.from) return false;
    if (query.to && item.createdAt > query.to) return false;
    if (q && !(item.originalName ?? item.id).toLowerCase().includes(q)) return false;
    return true;
  };
}

function sourceMatches(source: string, wanted: string): boolean {
  if (wanted === "guest") return source.startsWith("guest:");
  if (wanted === "phone") return source === "phone" || source === "upload";
  return source === wanted;
}

function keyOf(item: Item, byStatus: boolean): Record<string, unknown> {
  return byStatus
    ? { id: item.id, status: item.status, updatedAt: item.updatedAt }
    : { id: item.id, kind: "photo", updatedAt: item.updatedAt };
}

const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString("base64url");

function decodeCursor(cursor: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(cursor, "base64url").toString()) as Record<string, unknown>;
}
