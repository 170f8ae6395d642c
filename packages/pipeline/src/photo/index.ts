/**
 * `@photo-relay/pipeline/photo`: the photo record (one DynamoDB item per photo, keyed by the
 * SHA-256 of its original), the records of refused files beside it, its store with optimistic
 * locking, and the transitions of its stages.
 */
export * from "./photo-record.ts";
export * from "./photo-store.ts";
export * from "./refused-records.ts";
export * from "./stage-transitions.ts";
