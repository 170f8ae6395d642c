/**
 * The transport registry: each backend contributes its options schema and its factory, and the
 * union of the schemas is what configuration is validated against (rclone's `fs.Register`).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { ConfigError } from "@photo-relay/core";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import type { Transport } from "./transport.ts";
import { createFtpsTransport, ftpsOptionsSchema } from "./transports/ftps.ts";
import { createLocalTransport, localOptionsSchema } from "./transports/local.ts";
import { createS3Transport, s3OptionsSchema } from "./transports/s3.ts";
import { createSftpTransport, sftpOptionsSchema } from "./transports/sftp.ts";

/**
 * Options of one transport, discriminated on `type`: "local" | "ftps" | "sftp" | "s3". Secrets
 * (`password`, `privateKey`) may instead be given as files (`passwordFile`, `privateKeyFile`).
 */
export const transportOptionsSchema = z.discriminatedUnion("type", [
  localOptionsSchema,
  ftpsOptionsSchema,
  sftpOptionsSchema,
  s3OptionsSchema,
]);

export type TransportOptions = z.infer<typeof transportOptionsSchema>;
export type TransportOptionsInput = z.input<typeof transportOptionsSchema>;

/** What transports may be handed instead of building their own. */
export interface TransportDeps {
  s3?: S3Client;
}

/** Validates once, at the boundary: every problem is reported with its field path. */
export function parseTransportOptions(options: unknown): TransportOptions {
  const result = transportOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(transport)"}: ${i.message}`));
}

/**
 * Builds a transport from options (validated here). No connection is opened until the first
 * operation; secret files are read now, so a missing one fails fast with a {@link ConfigError}.
 */
export function createTransport(options: unknown, deps: TransportDeps = {}): Transport {
  const parsed = parseTransportOptions(options);
  switch (parsed.type) {
    case "local":
      return createLocalTransport(parsed);
    case "ftps":
      return createFtpsTransport(parsed);
    case "sftp":
      return createSftpTransport(parsed);
    case "s3":
      return createS3Transport(parsed, deps);
  }
}
