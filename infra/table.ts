import { PHOTOS_TABLE, SUMMARY_PROJECTION } from "./stage-settings.ts";

/** One item per photo: its metadata and the state of each stage (see packages/pipeline/src/photo/photo-record.ts). */
export const photos = new sst.aws.Dynamo("PhotosTable", {
  fields: { id: "string", status: "string", kind: "string", updatedAt: "string", createdAt: "string" },
  primaryIndex: { hashKey: PHOTOS_TABLE.partitionKey },
  globalIndexes: {
    byStatus: {
      hashKey: PHOTOS_TABLE.indexes.byStatus.partitionKey,
      rangeKey: PHOTOS_TABLE.indexes.byStatus.sortKey,
    },
    byTime: {
      hashKey: PHOTOS_TABLE.indexes.byTime.partitionKey,
      rangeKey: PHOTOS_TABLE.indexes.byTime.sortKey,
    },
    // The dashboard's grid: a card's attributes only, not the journey (most of a photo's item).
    byArrival: {
      hashKey: PHOTOS_TABLE.indexes.byArrival.partitionKey,
      rangeKey: PHOTOS_TABLE.indexes.byArrival.sortKey,
      projection: [...SUMMARY_PROJECTION],
    },
  },
});
