/**
 * The whole configuration of photo-relay, validated once at the boundary. Every endpoint is here,
 * so the same code runs against AWS, the local stack or a test harness.
 */
import { z } from "zod";

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const secret = z.string().min(1);

/**
 * A config section. Parsing starts from `{}` when the section is absent, so every missing field is
 * reported by name ("dynamodb.table: is required") and fields with defaults are filled.
 */
function section<S extends z.core.$ZodLooseShape>(shape: S) {
  const object = z.object(shape);
  return object.prefault({} as z.input<typeof object>);
}

/**
 * One transport of a mirror target (`{ type: "local" | "ftps" | "sftp" | "s3", … }`). Its options are
 * validated in full by the mirror package's transport registry when the runtime starts.
 */
export const transportSchema = z.looseObject({ type: z.string().min(1) });

/**
 * A transport's credentials may name a secret instead of holding it: `"passwordSecret": "MirrorFtpPassword"`
 * stands for `"password": <that secret's value>` (on AWS an SST secret, `sst secret set MirrorFtpPassword …`),
 * so no password, key or passphrase sits in a variable, a file in the bundle or the deployment state.
 * {@link resolveSecretRefs} swaps the references for the values.
 */
export const SECRET_REF_FIELDS = ["password", "privateKey", "passphrase"] as const;
export const SECRET_REF_SUFFIX = "Secret";

export const mirrorTargetSchema = z.object({
  name: z.string().min(1).default("web"),
  /** Tried in order: the first transport that works takes the file (FTPS, then SFTP, …). */
  transports: z.array(transportSchema).min(1),
  /** Remote path: a folder (ends with `/`) or a full path; tokens `{yyyy}` `{mm}` `{dd}` `{id}` `{rendition}` `{name}`. */
  pathTemplate: z.string().default("{yyyy}/{mm}/"),
  /** Public URL prefix under which the remote root is served. */
  publicBaseUrl: url.optional(),
});

export const configSchema = z.object({
  /** Never defaulted: on Lambda it is the function's own `AWS_REGION`, so a deployment works in any region. */
  region: z.string().min(1),
  s3: section({
    bucket: z.string().min(3),
    /** Custom S3 endpoint (the local stack, MinIO, …); AWS when absent. */
    endpoint: url.optional(),
    forcePathStyle: z.boolean().default(false),
    /** Lifetime of presigned URLs handed to phones and to Instagram, in seconds. */
    presignSeconds: z.number().int().min(60).max(604_800).default(900),
  }),
  sqs: section({
    endpoint: url.optional(),
    convertQueueUrl: url,
    mirrorQueueUrl: url,
    publishQueueUrl: url,
    /** The dead-letter queues, whose depths `GET /status` shows; absent, it finds them from the redrive policy. */
    convertDlqUrl: url.optional(),
    mirrorDlqUrl: url.optional(),
    publishDlqUrl: url.optional(),
  }),
  dynamodb: section({
    endpoint: url.optional(),
    table: z.string().min(3),
  }),
  api: section({
    /** Bearer token every route but the health check requires. */
    token: secret.min(16, "must be at least 16 characters"),
    /** Largest file a phone may upload, in bytes. */
    maxUploadBytes: z
      .number()
      .int()
      .positive()
      .default(200 * 1024 * 1024),
  }),
  convert: section({
    instagramWidth: z.number().int().min(320).max(1440).default(1080),
    webLongEdge: z.number().int().min(320).default(2048),
    thumbnailLongEdge: z.number().int().min(64).default(400),
    jpegQuality: z.number().int().min(50).max(100).default(88),
    aspect: z.enum(["pad", "crop"]).default("pad"),
    /** What fills the padding: a blurred copy of the photo, or a solid colour. */
    padBackground: z.enum(["blur", "white", "black"]).default("blur"),
    /** Metadata copied into the renditions; everything else (GPS first) is always stripped. */
    keep: z
      .object({ artist: z.boolean().default(false), copyright: z.boolean().default(false) })
      .prefault({}),
    /** Inputs larger than this many pixels are refused (decompression bombs). */
    maxInputPixels: z.number().int().positive().default(200_000_000),
  }),
  /** How a failed message comes back: after a growing delay, until the queue's max receives. */
  redelivery: section({
    baseSeconds: z.number().int().min(1).max(900).default(10),
    maxSeconds: z.number().int().min(1).max(43_200).default(900),
  }),
  mirror: section({
    targets: z.array(mirrorTargetSchema).default([]),
    /** What goes to the web host: renditions, and optionally the original file. */
    renditions: z
      .array(z.enum(["web", "instagram", "thumbnail", "original"]))
      .min(1)
      .default(["web"]),
  }),
  instagram: section({
    /** Graph API base URL, e.g. https://graph.instagram.com or the local sandbox. */
    graphBaseUrl: url.default("https://graph.instagram.com"),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, "must look like v25.0")
      .default("v25.0"),
    userId: z.string().regex(/^\d+$/, "must be the numeric Instagram user id"),
    accessToken: secret,
    mode: z.enum(["auto", "manual"]).default("auto"),
    /** Delays between container status checks, in seconds; the last one repeats until the deadline. */
    checkDelaysSeconds: z.array(z.number().int().min(0).max(900)).min(1).default([2, 5, 15, 30, 60]),
    checkDeadlineSeconds: z.number().int().positive().default(600),
    /**
     * An image container is asked again within the step that made it, every `everyMs` for up to
     * `forSeconds`, before the queued checks (`checkDelaysSeconds`) take over: Meta processes an
     * image in about a second. `forSeconds: 0` leaves every check to the queue.
     */
    checkInStep: z
      .object({
        everyMs: z.number().int().min(100).max(10_000).default(250),
        forSeconds: z.number().min(0).max(30).default(3),
      })
      .prefault({}),
    /**
     * When the rolling publishing quota is spent, the step comes back after between half this many
     * seconds and all of it, at random (so a deferred burst does not return all at once).
     * SQS delays stop at 900 s; a longer wait is several deferrals.
     */
    quotaDeferSeconds: z.number().int().min(1).max(900).default(900),
    /** Caption tokens: {caption} (sidecar text, else IPTC/XMP), {sidecar}, {iptc}, {filename}, {date}, {camera}, {hashtags}. */
    captionTemplate: z.string().max(10_000).default("{caption}\n\n{hashtags}"),
    /** Appended through {hashtags}; with or without the leading `#`. */
    hashtags: z.array(z.string().regex(/^#?[\p{L}\p{N}_]+$/u, "must be one word")).default([]),
    /** A caption breaking Instagram's rules: `truncate` trims it to fit, `fail` fails the photo's publish stage. */
    captionPolicy: z.enum(["truncate", "fail"]).default("truncate"),
    /** What Meta downloads: a presigned S3 URL of the Instagram rendition, or its URL on the mirror. */
    imageSource: z.enum(["presigned", "mirror"]).default("presigned"),
    /** Where the refreshed long-lived token lives; `accessToken` seeds it. Absent: the token is never refreshed. */
    tokenStore: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("ssm"), parameter: z.string().min(1) }),
        z.object({ type: z.literal("file"), path: z.string().min(1) }),
      ])
      .optional(),
    /** The refresh job renews the token when fewer days than this are left (Meta's tokens last 60). */
    tokenRefreshDays: z.number().int().min(1).max(59).default(10),
  }),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type MirrorTarget = z.infer<typeof mirrorTargetSchema>;
export type TransportOptions = z.infer<typeof transportSchema>;

/**
 * Environment variables and the field each one sets. Secrets may also come from `<NAME>_FILE`
 * (a path whose contents are the value), as in container secret mounts. `region` also comes from
 * AWS's own `AWS_REGION` (set in every Lambda) or `AWS_DEFAULT_REGION`; `PHOTO_RELAY_REGION` wins.
 */
export const ENV_VARS: Record<string, { path: string; type?: "number" | "boolean" | "list" | "json" }> = {
  PHOTO_RELAY_REGION: { path: "region" },
  PHOTO_RELAY_S3_BUCKET: { path: "s3.bucket" },
  PHOTO_RELAY_S3_ENDPOINT: { path: "s3.endpoint" },
  PHOTO_RELAY_S3_FORCE_PATH_STYLE: { path: "s3.forcePathStyle", type: "boolean" },
  PHOTO_RELAY_SQS_ENDPOINT: { path: "sqs.endpoint" },
  PHOTO_RELAY_CONVERT_QUEUE_URL: { path: "sqs.convertQueueUrl" },
  PHOTO_RELAY_MIRROR_QUEUE_URL: { path: "sqs.mirrorQueueUrl" },
  PHOTO_RELAY_PUBLISH_QUEUE_URL: { path: "sqs.publishQueueUrl" },
  PHOTO_RELAY_CONVERT_DLQ_URL: { path: "sqs.convertDlqUrl" },
  PHOTO_RELAY_MIRROR_DLQ_URL: { path: "sqs.mirrorDlqUrl" },
  PHOTO_RELAY_PUBLISH_DLQ_URL: { path: "sqs.publishDlqUrl" },
  PHOTO_RELAY_DYNAMODB_ENDPOINT: { path: "dynamodb.endpoint" },
  PHOTO_RELAY_TABLE: { path: "dynamodb.table" },
  PHOTO_RELAY_API_TOKEN: { path: "api.token" },
  PHOTO_RELAY_MIRROR_TARGETS: { path: "mirror.targets", type: "json" },
  PHOTO_RELAY_GRAPH_BASE_URL: { path: "instagram.graphBaseUrl" },
  PHOTO_RELAY_GRAPH_API_VERSION: { path: "instagram.apiVersion" },
  PHOTO_RELAY_INSTAGRAM_USER_ID: { path: "instagram.userId" },
  PHOTO_RELAY_INSTAGRAM_TOKEN: { path: "instagram.accessToken" },
  PHOTO_RELAY_PUBLISH_MODE: { path: "instagram.mode" },
  PHOTO_RELAY_CAPTION_TEMPLATE: { path: "instagram.captionTemplate" },
  PHOTO_RELAY_HASHTAGS: { path: "instagram.hashtags", type: "list" },
  PHOTO_RELAY_INSTAGRAM_IMAGE_SOURCE: { path: "instagram.imageSource" },
  PHOTO_RELAY_INSTAGRAM_TOKEN_STORE: { path: "instagram.tokenStore", type: "json" },
};

/** Fields never to print: masked by {@link redactConfig}. */
export const SECRET_PATHS = ["api.token", "instagram.accessToken"];
