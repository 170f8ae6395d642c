/**
 * `@photo-relay/pipeline/jobs`: the messages between the stages (their schemas, the sender, the
 * S3 notification convert reads) and the route a photo takes.
 */
export * from "./job-queues.ts";
export * from "./job-schemas.ts";
export * from "./next-jobs.ts";
export * from "./photo-route.ts";
export * from "./s3-event.ts";
