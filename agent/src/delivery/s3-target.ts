import type { S3Client } from "@aws-sdk/client-s3";

/** Where the agent writes: the bucket, and `send` with the agent's per-request timeout and stop signal. */
export interface S3Target {
  bucket: string;
  send: S3Client["send"];
}
