import { PHOTOS_TABLE } from "@photo-relay/pipeline/settings";

/** One item per photo: its metadata and the state of each stage (see packages/pipeline/src/photo.ts). */
export const photos = new sst.aws.Dynamo("Photos", {
  fields: { id: "string", status: "string", kind: "string", updatedAt: "string" },
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
  },
});
