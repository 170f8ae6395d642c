import { PHOTOS_TABLE } from "./stage-settings.ts";

/** One item per photo: its metadata and the state of each stage (see packages/pipeline/src/photo/photo-record.ts). */
export const photos = new sst.aws.Dynamo("PhotosTable", {
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
