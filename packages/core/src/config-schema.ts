/**
 * The whole configuration of photo-relay, validated once at the boundary. Every endpoint is here,
 * so the same code runs against AWS, the local stack or a test harness.
 *
 * Written with `zod/mini`, the tree-shakable form of zod 4: every function loads this at its cold
 * start, and the classic API costs ~35 ms of CPU more to load (`npm run build:functions`).
 */
import { en } from "zod/locales";
import * as z from "zod/mini";

// zod/mini ships no messages of its own; these are the classic API's.
z.config(en());

/** `schema`, filled with `value` when absent. */
const withDefault = z._default;
/** An integer in [min, max]. */
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => z.int().check(z.minimum(min), z.maximum(max));
/** A string of at least `min` characters. */
const text = (min = 1, error?: string) => z.string().check(z.minLength(min, error));
/** A number in [min, max]. */
const decimal = (min: number, max: number) => z.number().check(z.minimum(min), z.maximum(max));

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/**
 * A config section. Parsing starts from `{}` when the section is absent, so every missing field is
 * reported by name ("dynamodb.table: is required") and fields with defaults are filled.
 */
function section<S extends z.core.$ZodLooseShape>(shape: S) {
  const object = z.object(shape);
  return z.prefault(object, {} as z.input<typeof object>);
}

/**
 * One transport of a mirror target (`{ type: "local" | "ftps" | "sftp" | "s3", … }`). Its options are
 * validated in full by the mirror package's transport registry when the runtime starts.
 */
export const transportSchema = z.looseObject({ type: text() });

/**
 * A transport's credentials may name a secret instead of holding it: `"passwordSecret": "MirrorFtpPassword"`
 * stands for `"password": <that secret's value>` (on AWS an SST secret, `sst secret set MirrorFtpPassword …`),
 * so no password, key or passphrase sits in a variable, a file in the bundle or the deployment state.
 * {@link resolveSecretRefs} swaps the references for the values.
 */
export const SECRET_REF_FIELDS = ["password", "privateKey", "passphrase"] as const;
export const SECRET_REF_SUFFIX = "Secret";

export const mirrorTargetSchema = z.object({
  name: withDefault(text(), "web"),
  /** Tried in order: the first transport that works takes the file (FTPS, then SFTP, …). */
  transports: z.array(transportSchema).check(z.minLength(1)),
  /** Remote path: a folder (ends with `/`) or a full path; tokens `{yyyy}` `{mm}` `{dd}` `{id}` `{rendition}` `{name}`. */
  pathTemplate: withDefault(z.string(), "{yyyy}/{mm}/"),
  /** Public URL prefix under which the remote root is served. */
  publicBaseUrl: z.optional(url),
  /** A live event gallery kept in a folder of this target; `@photo-relay/mirror` validates it in full. */
  gallery: z.optional(
    z.object({
      folder: withDefault(z.string(), "gallery"),
      title: withDefault(z.string().check(z.minLength(1), z.maxLength(200)), "Live gallery"),
      pollSeconds: withDefault(decimal(1, 3600), 5),
      pageSize: withDefault(integer(1, 1000), 60),
    }),
  ),
});

/**
 * Which frames of a burst are posted: `all` (every photo, no grouping), `best-of-burst` (the best
 * frame of each burst) or `best-n` (its `n` best).
 */
const burstPolicyShape = {
  policy: z.enum(["all", "best-of-burst", "best-n"]),
  n: withDefault(integer(1, 10), 3),
};
export const burstPolicySchema = z.object(burstPolicyShape);
export type BurstPolicy = z.infer<typeof burstPolicySchema>;

/**
 * The settings without an environment variable of their own (numbers rarely changed, lists,
 * nested objects). Locally they sit in the config file; on AWS, which has no such file, they
 * travel as one JSON document in `PHOTO_RELAY_SETTINGS` ({@link tunableSettingsSchema}).
 */
const TUNABLES = {
  s3: {
    /** Lifetime of presigned URLs handed to phones and to Instagram, in seconds. */
    presignSeconds: withDefault(integer(60, 604_800), 900),
  },
  api: {
    /** Largest file a phone may upload, in bytes. */
    maxUploadBytes: withDefault(integer(1), 200 * 1024 * 1024),
    /**
     * How old `GET /status`'s figures may be, in seconds: one computation per instance serves every
     * caller meanwhile. 0 computes for each caller.
     */
    statusMaxAgeSeconds: withDefault(integer(0, 60), 5),
    /**
     * How old the records of `GET /photos`'s first page may be, in seconds: one read per instance
     * serves every caller meanwhile. 0 reads for each caller.
     */
    photosMaxAgeSeconds: withDefault(integer(0, 60), 1),
  },
  convert: {
    instagramWidth: withDefault(integer(320, 1440), 1080),
    webLongEdge: withDefault(integer(320), 2048),
    thumbnailLongEdge: withDefault(integer(64), 400),
    jpegQuality: withDefault(integer(50, 100), 88),
    aspect: withDefault(z.enum(["pad", "crop"]), "pad"),
    /** What fills the padding: a blurred copy of the photo, or a solid colour. */
    padBackground: withDefault(z.enum(["blur", "white", "black"]), "blur"),
    /** Metadata copied into the renditions; everything else (GPS first) is always stripped. */
    keep: z.prefault(
      z.object({ artist: withDefault(z.boolean(), false), copyright: withDefault(z.boolean(), false) }),
      {},
    ),
    /** Inputs larger than this many pixels are refused (decompression bombs). */
    maxInputPixels: withDefault(integer(1), 200_000_000),
  },
  /** How a failed message comes back: after a growing delay, until the queue's max receives. */
  redelivery: {
    baseSeconds: withDefault(integer(1, 900), 10),
    maxSeconds: withDefault(integer(1, 43_200), 900),
  },
  mirror: {
    /** What goes to the web host: renditions, and optionally the original file. */
    renditions: withDefault(
      z.array(z.enum(["web", "instagram", "thumbnail", "original"])).check(z.minLength(1)),
      ["web"],
    ),
  },
  instagram: {
    /** Delays between container status checks, in seconds; the last one repeats until the deadline. */
    checkDelaysSeconds: withDefault(z.array(integer(0, 900)).check(z.minLength(1)), [2, 5, 15, 30, 60]),
    checkDeadlineSeconds: withDefault(integer(1), 600),
    /**
     * An image container is asked again within the step that made it, every `everyMs` for up to
     * `forSeconds`, before the queued checks (`checkDelaysSeconds`) take over: Meta processes an
     * image in about a second. `forSeconds: 0` leaves every check to the queue.
     */
    checkInStep: z.prefault(
      z.object({
        everyMs: withDefault(integer(100, 10_000), 250),
        forSeconds: withDefault(z.number().check(z.minimum(0), z.maximum(30)), 3),
      }),
      {},
    ),
    /**
     * When the rolling publishing quota is spent, the photo waits in the quota's line and looks
     * again after half this many seconds at the head of the line, up to all of it further back.
     * SQS delays stop at 900 s; a longer wait is several deferrals.
     */
    quotaDeferSeconds: withDefault(integer(1, 900), 900),
    /** A caption breaking Instagram's rules: `truncate` trims it to fit, `fail` fails the photo's publish stage. */
    captionPolicy: withDefault(z.enum(["truncate", "fail"]), "truncate"),
    /** The refresh job renews the token when fewer days than this are left (Meta's tokens last 60). */
    tokenRefreshDays: withDefault(integer(1, 59), 10),
  },
  alerts: {
    /** How long one POST to the webhook may take. */
    webhookTimeoutSeconds: withDefault(integer(1, 10), 5),
  },
  /**
   * Best of the burst: frames of one camera shot within `gapSeconds` of each other whose perceptual
   * hashes lie within `maxHashDistance` form a burst, decided `settleSeconds` after its last frame
   * joined. The policy is the event's (by capture time), else the upload source's, else `policy`.
   */
  bursts: {
    policy: withDefault(burstPolicyShape.policy, "all"),
    n: burstPolicyShape.n,
    /** By upload source: `agent`, `phone`, `guest` (every guest link) or `guest:<linkId>`. */
    sources: withDefault(z.record(z.string(), burstPolicySchema), {
      agent: { policy: "best-of-burst", n: 3 },
    }),
    /** Spans of capture time with a policy of their own, e.g. a wedding's reception. */
    events: withDefault(
      z.array(
        z.object({
          ...burstPolicyShape,
          name: z.string().check(z.minLength(1), z.maxLength(200)),
          from: z.iso.datetime({ offset: true }),
          until: z.iso.datetime({ offset: true }),
        }),
      ),
      [],
    ),
    gapSeconds: withDefault(decimal(0.1, 60), 1.5),
    /** 0 … 64 bits; imaging's `SAME_SCENE_MAX_DISTANCE` (14) lies between same and distinct scenes. */
    maxHashDistance: withDefault(integer(0, 64), 14),
    settleSeconds: withDefault(integer(1, 900), 30),
  },
};

function tunable<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.optional(z.partial(z.strictObject(shape)));
}

export const configSchema = z.object({
  /** Never defaulted: on Lambda it is the function's own `AWS_REGION`, so a deployment works in any region. */
  region: text(),
  // Names, URLs and secrets of resources are optional here: each function links only what it uses
  // and names what it cannot start without (`loadConfig`'s `needs`, see config-needs.ts).
  s3: section({
    bucket: z.optional(text(3)),
    /** Custom S3 endpoint (the local stack, MinIO, …); AWS when absent. */
    endpoint: z.optional(url),
    forcePathStyle: withDefault(z.boolean(), false),
    ...TUNABLES.s3,
  }),
  sqs: section({
    endpoint: z.optional(url),
    convertQueueUrl: z.optional(url),
    mirrorQueueUrl: z.optional(url),
    publishQueueUrl: z.optional(url),
    /** Videos waiting to be made Reels (the reel stage, after convert). */
    reelQueueUrl: z.optional(url),
    /** The dead-letter queues: the API shows their depths, the dead-letter subscriber tells them apart. */
    convertDlqUrl: z.optional(url),
    mirrorDlqUrl: z.optional(url),
    publishDlqUrl: z.optional(url),
    reelDlqUrl: z.optional(url),
  }),
  dynamodb: section({
    endpoint: z.optional(url),
    table: z.optional(text(3)),
  }),
  api: section({
    /** Bearer token every route but the health check requires. */
    token: z.optional(text(16, "must be at least 16 characters")),
    ...TUNABLES.api,
  }),
  convert: section(TUNABLES.convert),
  redelivery: section(TUNABLES.redelivery),
  mirror: section({
    targets: withDefault(z.array(mirrorTargetSchema), []),
    ...TUNABLES.mirror,
  }),
  instagram: section({
    /** Graph API base URL, e.g. https://graph.instagram.com or the local sandbox. */
    graphBaseUrl: withDefault(url, "https://graph.instagram.com"),
    apiVersion: withDefault(z.string().check(z.regex(/^v\d+\.\d+$/, "must look like v25.0")), "v25.0"),
    userId: z.optional(z.string().check(z.regex(/^\d+$/, "must be the numeric Instagram user id"))),
    accessToken: z.optional(text()),
    mode: withDefault(z.enum(["auto", "manual"]), "auto"),
    /** Caption tokens: {caption} (sidecar text, else IPTC/XMP), {sidecar}, {iptc}, {filename}, {date}, {camera}, {hashtags}. */
    captionTemplate: withDefault(z.string().check(z.maxLength(10_000)), "{caption}\n\n{hashtags}"),
    /** Appended through {hashtags}; with or without the leading `#`. */
    hashtags: withDefault(z.array(z.string().check(z.regex(/^#?[\p{L}\p{N}_]+$/u, "must be one word"))), []),
    /** What Meta downloads: a presigned S3 URL of the Instagram rendition, or its URL on the mirror. */
    imageSource: withDefault(z.enum(["presigned", "mirror"]), "presigned"),
    /** Where the refreshed long-lived token lives; `accessToken` seeds it. Absent: the token is never refreshed. */
    tokenStore: z.optional(
      z.discriminatedUnion("type", [
        z.object({ type: z.literal("ssm"), parameter: text() }),
        z.object({ type: z.literal("file"), path: text() }),
      ]),
    ),
    ...TUNABLES.instagram,
  }),
  bursts: section(TUNABLES.bursts),
  /** Where the dead-letter subscriber tells someone that a photo gave up; neither set: the log only. */
  alerts: section({
    /** An SNS topic (on AWS the app's `DeadLetterAlerts`, which mails `PHOTO_RELAY_ALERT_EMAIL`). */
    topicArn: z.optional(z.string().check(z.startsWith("arn:"))),
    /** Custom SNS endpoint (the local stack); AWS when absent. */
    endpoint: z.optional(url),
    /** A URL (Slack, a chat bot, …) the alert is POSTed to as JSON; a secret, since such URLs carry a token. */
    webhookUrl: z.optional(url),
    ...TUNABLES.alerts,
  }),
});

/**
 * `PHOTO_RELAY_SETTINGS`: the {@link TUNABLES} as one JSON document, e.g.
 * `{"convert":{"jpegQuality":82},"mirror":{"renditions":["web","instagram"]}}`. Strict, so a
 * resource, an endpoint or a secret (each has its own variable or link) is refused by name.
 */
export const tunableSettingsSchema = z.strictObject({
  s3: tunable(TUNABLES.s3),
  api: tunable(TUNABLES.api),
  convert: tunable(TUNABLES.convert),
  redelivery: tunable(TUNABLES.redelivery),
  mirror: tunable(TUNABLES.mirror),
  instagram: tunable(TUNABLES.instagram),
  alerts: tunable(TUNABLES.alerts),
  bursts: tunable(TUNABLES.bursts),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type MirrorTarget = z.infer<typeof mirrorTargetSchema>;
export type TransportOptions = z.infer<typeof transportSchema>;
