/**
 * The agent's configuration file (JSON), validated once with zod. Relative paths are relative to the
 * file. Secrets may come from `*File` fields or the usual AWS environment, and are masked in logs.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "@photo-relay/core";
import { z } from "zod";
import { MEDIA_KINDS, type MediaKind } from "../index.ts";

const kind = z.enum(MEDIA_KINDS as [MediaKind, ...MediaKind[]]);

export const agentConfigSchema = z.object({
  inbox: z.array(z.string().min(1)).min(1),
  processedDir: z.string().optional(),
  archive: z.enum(["move", "keep"]).default("move"),
  spoolDir: z.string().min(1),
  s3: z.object({
    bucket: z.string().min(3),
    region: z.string().default("us-east-1"),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    /** Read the secret from a file (Docker/systemd credentials) instead of the config. */
    secretAccessKeyFile: z.string().optional(),
  }),
  partSizeMiB: z.number().min(5).max(512).default(8),
  concurrency: z.number().int().min(1).max(32).default(4),
  stableMs: z.number().int().min(0).default(2000),
  scanIntervalMs: z.number().int().min(100).default(10_000),
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

/** Reads and validates the config file; throws {@link ConfigError} naming every bad field. */
export function loadConfig(path = DEFAULT_CONFIG): AgentConfig {
  const file = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError([`${file}: ${(error as Error).message}`]);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  const base = dirname(file);
  const at = (p: string) => resolve(base, p);
  const c = parsed.data;
  const secret = c.s3.secretAccessKeyFile
    ? readFileSync(at(c.s3.secretAccessKeyFile), "utf8").trim()
    : c.s3.secretAccessKey;
  return {
    ...c,
    path: file,
    inbox: c.inbox.map(at),
    spoolDir: at(c.spoolDir),
    ...(c.processedDir && { processedDir: at(c.processedDir) }),
    s3: { ...c.s3, ...(secret && { secretAccessKey: secret }) },
    log: { ...c.log, ...(c.log.file && { file: at(c.log.file) }) },
  };
}

/** The config as it may be logged or printed: secrets replaced by a short mask. */
export function maskSecrets(config: AgentConfig): AgentConfig {
  const mask = (value?: string) => (value ? `${value.slice(0, 4)}****` : value);
  const s3 = { ...config.s3 };
  if (s3.secretAccessKey) s3.secretAccessKey = "****";
  if (s3.accessKeyId) s3.accessKeyId = mask(s3.accessKeyId) ?? "";
  return { ...config, s3 };
}
