import { convert } from "./queues.ts";
import { settings } from "./secrets.ts";
import { CONVERT_NOTIFICATIONS } from "./stage-settings.ts";

/**
 * Originals, sidecars, renditions, the agents' reports and quarantined uploads (bytes that were
 * not the photo their key claimed), each under its own prefix.
 */
export const bucket = new sst.aws.Bucket("MediaBucket", {
  transform: {
    bucket: (args) => {
      args.forceDestroy = $app.stage !== "production";
    },
  },
});

const expire = (id: string, prefix: string, days: number | undefined) =>
  days === undefined ? [] : [{ id, status: "Enabled", filter: { prefix }, expiration: { days } }];

/**
 * Stale multipart uploads (an agent offline for long) are aborted after 14 days. Originals are read
 * once by convert and after that only by a re-drive, so they move to Glacier Instant Retrieval
 * (a sixth of Standard's storage price, still read in milliseconds, so a re-drive works unchanged).
 * What is kept how long is the deployer's choice (`PHOTO_RELAY_KEEP_*_DAYS`); by default, everything forever.
 */
new aws.s3.BucketLifecycleConfiguration("MediaLifecycle", {
  bucket: bucket.name,
  rules: [
    {
      id: "abort-stale-multipart",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: 14 },
    },
    ...(settings.archiveOriginalsDays > 0
      ? [
          {
            id: "archive-originals",
            status: "Enabled",
            filter: { prefix: "originals/" },
            transitions: [{ days: settings.archiveOriginalsDays, storageClass: "GLACIER_IR" }],
            ...(settings.keepOriginalsDays && { expiration: { days: settings.keepOriginalsDays } }),
          },
        ]
      : expire("expire-originals", "originals/", settings.keepOriginalsDays)),
    ...expire("expire-sidecars", "sidecars/", settings.keepOriginalsDays),
    ...expire("expire-quarantine", "quarantine/", settings.keepOriginalsDays),
    ...expire("expire-renditions", "renditions/", settings.keepRenditionsDays),
  ],
});

/** New originals and the agents' reports go to the convert queue (see CONVERT_NOTIFICATIONS). */
bucket.notify({
  notifications: CONVERT_NOTIFICATIONS.map((rule) => ({
    name: rule.name,
    queue: convert.queue,
    events: ["s3:ObjectCreated:*"],
    filterPrefix: rule.prefix,
    ...("suffix" in rule && { filterSuffix: rule.suffix }),
  })),
});
