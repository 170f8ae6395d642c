/** S3 `ObjectCreated` notifications in AWS's own format: built by the local stack, and for re-drives. */

export type CreatedEventName = "Put" | "Post" | "CompleteMultipartUpload" | "Copy";

export interface S3EventInput {
  region: string;
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  eventName: CreatedEventName;
  sequencer: string;
  time: Date;
}

/** An `ObjectCreated` notification exactly as S3 writes it (key URL-encoded, spaces as `+`). */
export function s3Event(input: S3EventInput) {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: input.region,
        eventTime: input.time.toISOString(),
        eventName: `ObjectCreated:${input.eventName}`,
        userIdentity: { principalId: "AWS:LOCAL" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": input.sequencer, "x-amz-id-2": "local" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "originals-to-convert",
          bucket: {
            name: input.bucket,
            ownerIdentity: { principalId: "LOCAL" },
            arn: `arn:aws:s3:::${input.bucket}`,
          },
          object: {
            key: encodeURIComponent(input.key).replace(/%20/g, "+").replace(/%2F/g, "/"),
            size: input.size,
            eTag: input.eTag,
            sequencer: input.sequencer.padStart(18, "0").toUpperCase(),
          },
        },
      },
    ],
  };
}
