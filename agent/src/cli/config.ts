/**
 * The agent's configuration file (JSON), read by core's loader and validated once with zod.
 * Without keys in it, the AWS default credential chain applies.
 */
import { dirname, resolve } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  agentId,
  type ConfigError,
  type EnvVarTable,
  type Logger,
  loadSettings,
  redactSecrets,
} from "@photo-relay/core/edge";
import { z } from "zod";
import { type AgentOptions, MEDIA_KINDS, type MediaKind } from "../index.ts";

const MiB = 1024 * 1024;
const kind = z.enum(MEDIA_KINDS as [MediaKind, ...MediaKind[]]);

export const agentConfigSchema = z.object({
  inbox: z.array(z.string().min(1)).min(1),
  processedDir: z.string().optional(),
  archive: z.enum(["move", "keep"]).default("move"),
  spoolDir: z.string().min(1),
  /** Where refused files whose bytes matter go; default `rejected/` beside `processed/`. */
  rejectedDir: z.string().optional(),
  /** This capture PC's name in its reports (agents/<agentId>/…); default: the host name. */
  agentId: z.optional(agentId),
  heartbeatSeconds: z.number().int().min(0).default(30),
  maxFileMiB: z
    .number()
    .positive()
    .default(20 * 1024),
  s3: z.object({
    bucket: z.string().min(3),
    region: z.string().default("us-east-1"),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: z.string().optional(),
    /** Or `secretAccessKeyFile`: a file holding it (Docker/systemd credentials), read by core's loader. */
    secretAccessKey: z.string().optional(),
  }),
  partSizeMiB: z.number().min(5).max(512).default(8),
  concurrency: z.number().int().min(1).max(32).default(4),
  /** The settle after the writer closed a file whose format proves it complete (see AgentOptions). */
  stableMs: z.number().int().min(0).default(100),
  scanIntervalMs: z.number().int().min(100).default(10_000),
  /** A stable file still incomplete or unreadable after this long is refused; default max(30 s, 5 × stableMs). */
  graceMs: z.number().int().min(0).optional(),
  /** Hard-link originals into the spool when on its volume (default); false always copies. */
  linkIntoSpool: z.boolean().default(true),
  /** One S3 request's limit, so a dead link is noticed; default 120 000 ms. */
  requestTimeoutMs: z.number().int().min(100).optional(),
  /** How often S3 is probed while offline: from baseMs doubling to maxMs, with jitter. */
  backoff: z
    .object({ baseMs: z.number().int().min(10).optional(), maxMs: z.number().int().min(10).optional() })
    .default({}),
  include: z.array(kind).optional(),
  exclude: z.array(kind).optional(),
  spoolMinFreeMiB: z.number().min(0).default(256),
  retention: z
    .object({ keepDays: z.number().min(0).optional(), minFreeMiB: z.number().min(0).optional() })
    .default({}),
  log: z
    .object({
      file: z.string().optional(),
      maxMiB: z.number().min(1).default(10),
      files: z.number().int().min(1).default(5),
      level: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO"),
    })
    .default({ maxMiB: 10, files: 5, level: "INFO" }),
  tether: z
    .object({
      enabled: z.boolean().default(false),
      gphoto2: z.string().default("gphoto2"),
      /** gphoto2 --filename pattern: unique per shot so nothing is overwritten (agent/README.md, "Tethering"). */
      filename: z.string().default("%Y%m%d-%H%M%S-%f.%C"),
    })
    .default({ enabled: false, gphoto2: "gphoto2", filename: "%Y%m%d-%H%M%S-%f.%C" }),
});

export type AgentConfig = z.infer<typeof agentConfigSchema> & { path: string };

export const DEFAULT_CONFIG = "photo-relay.agent.json";

/** Environment variables the agent reads (each also as `NAME_FILE`, a file holding the value). */
export const AGENT_ENV_VARS: EnvVarTable = {
  PHOTO_RELAY_AGENT_INBOX: { path: "inbox", type: "list" },
  PHOTO_RELAY_AGENT_SPOOL_DIR: { path: "spoolDir" },
  PHOTO_RELAY_AGENT_ID: { path: "agentId" },
  PHOTO_RELAY_S3_BUCKET: { path: "s3.bucket" },
  PHOTO_RELAY_S3_ENDPOINT: { path: "s3.endpoint" },
  PHOTO_RELAY_S3_FORCE_PATH_STYLE: { path: "s3.forcePathStyle", type: "boolean" },
  PHOTO_RELAY_REGION: { path: "s3.region" },
  PHOTO_RELAY_AGENT_ACCESS_KEY_ID: { path: "s3.accessKeyId" },
  PHOTO_RELAY_AGENT_SECRET_ACCESS_KEY: { path: "s3.secretAccessKey" },
};

const SECRETS = { secretPaths: ["s3.secretAccessKey"], hintPaths: ["s3.accessKeyId"] };

/**
 * Reads and validates the config file (with core's loader: file, then environment; secrets from
 * `s3.secretAccessKeyFile` or `PHOTO_RELAY_AGENT_SECRET_ACCESS_KEY_FILE`); throws
 * {@link ConfigError} naming every bad field. Relative paths are relative to the file.
 */
export function loadConfig(path = DEFAULT_CONFIG, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const file = resolve(path);
  const c = loadSettings(agentConfigSchema, { file, env, envVars: AGENT_ENV_VARS, ...SECRETS });
  const at = (p: string) => resolve(dirname(file), p);
  return {
    ...c,
    path: file,
    inbox: c.inbox.map(at),
    spoolDir: at(c.spoolDir),
    ...(c.processedDir && { processedDir: at(c.processedDir) }),
    ...(c.rejectedDir && { rejectedDir: at(c.rejectedDir) }),
    log: { ...c.log, ...(c.log.file && { file: at(c.log.file) }) },
  };
}

/** The config as it may be logged or printed: secrets replaced by a short mask (core's masking). */
export function maskSecrets(config: AgentConfig): Record<string, unknown> {
  return redactSecrets(config, SECRETS);
}

/** What `startAgent` takes, from the config file. */
export function agentOptions(config: AgentConfig, client: S3Client, logger: Logger): AgentOptions {
  return {
    inbox: config.inbox,
    spoolDir: config.spoolDir,
    ...(config.processedDir && { processedDir: config.processedDir }),
    ...(config.rejectedDir && { rejectedDir: config.rejectedDir }),
    ...(config.agentId && { agentId: config.agentId }),
    heartbeatIntervalMs: config.heartbeatSeconds * 1000,
    maxFileBytes: Math.round(config.maxFileMiB * MiB),
    archive: config.archive,
    s3: { client, bucket: config.s3.bucket },
    partSizeBytes: Math.round(config.partSizeMiB * MiB),
    concurrency: config.concurrency,
    stableMs: config.stableMs,
    scanIntervalMs: config.scanIntervalMs,
    ...(config.graceMs !== undefined && { graceMs: config.graceMs }),
    linkIntoSpool: config.linkIntoSpool,
    ...(config.requestTimeoutMs !== undefined && { requestTimeoutMs: config.requestTimeoutMs }),
    backoff: {
      ...(config.backoff.baseMs !== undefined && { baseMs: config.backoff.baseMs }),
      ...(config.backoff.maxMs !== undefined && { maxMs: config.backoff.maxMs }),
    },
    ...(config.include && { include: config.include }),
    ...(config.exclude && { exclude: config.exclude }),
    spoolMinFreeBytes: config.spoolMinFreeMiB * MiB,
    retention: {
      ...(config.retention.keepDays !== undefined && { keepDays: config.retention.keepDays }),
      ...(config.retention.minFreeMiB !== undefined && { minFreeBytes: config.retention.minFreeMiB * MiB }),
    },
    logger,
  };
}
