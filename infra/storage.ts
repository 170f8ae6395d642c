import { convert } from "./queues";

/** Originals and renditions. Stale multipart uploads (an agent offline for long) are aborted after 14 days. */
export const bucket = new sst.aws.Bucket("Media", {
  transform: {
    bucket: (args) => {
      args.forceDestroy = $app.stage !== "production";
    },
  },
});

new aws.s3.BucketLifecycleConfiguration("MediaLifecycle", {
  bucket: bucket.name,
  rules: [
    {
      id: "abort-stale-multipart",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: 14 },
    },
  ],
});

bucket.notify({
  notifications: [
    {
      name: "OriginalsToConvert",
      queue: convert.queue,
      events: ["s3:ObjectCreated:*"],
      filterPrefix: "originals/",
    },
  ],
});
