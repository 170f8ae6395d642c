/**
 * Read-modify-write of one item of the Photos table that is not a photo (a camera's recent frames,
 * a burst, a gallery roster shard), guarded by the item's `version` as the photo store guards a
 * photo: concurrent writers never overwrite each other, and a conflict re-reads and tries again.
 * Only GetItem and PutItem, the rights every stage already has on the table.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { RetryableError } from "@photo-relay/core";

export interface VersionedItem {
  id: string;
  version: number;
}

/** The table and client the items live in. */
export interface ItemTable {
  db: DynamoDBDocumentClient;
  table: string;
}

export async function getItem<T extends VersionedItem>(at: ItemTable, id: string): Promise<T | undefined> {
  const out = await at.db.send(new GetCommand({ TableName: at.table, Key: { id }, ConsistentRead: true }));
  return out.Item as T | undefined;
}

/**
 * Applies `change` to the item as stored (`undefined` when there is none yet) and writes the
 * result if nobody wrote in between. `change` returns `undefined` for "nothing to change"; it may
 * run several times, so it must not have effects of its own. Returns the item as stored afterwards.
 */
export async function updateItem<T extends VersionedItem>(
  at: ItemTable,
  id: string,
  change: (current: T | undefined) => Omit<T, "version" | "id"> | undefined,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const current = await getItem<T>(at, id);
    const next = change(current === undefined ? undefined : structuredClone(current));
    if (next === undefined) return current;
    const item = { ...next, id, version: (current?.version ?? 0) + 1 } as T;
    try {
      await at.db.send(
        new PutCommand({
          TableName: at.table,
          Item: item,
          ...(current
            ? { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": current.version } }
            : { ConditionExpression: "attribute_not_exists(id)" }),
        }),
      );
      return item;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new RetryableError("write_conflict", `${id} is being changed by too many writers at once`);
}
