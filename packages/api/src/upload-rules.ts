/**
 * What the upload page may send: the kinds of file, the size limit, and how a file travels (one
 * presigned POST up to {@link MULTIPART_ABOVE}, multipart parts of {@link PART_SIZE} above it, as
 * small parts resume at a finer grain).
 */
import type { Config } from "@photo-relay/core";
import { EXTENSIONS } from "./uploads.ts";

const MiB = 1024 * 1024;

export const PART_SIZE = 8 * MiB;
export const MULTIPART_ABOVE = 8 * MiB;
/** S3's smallest part (all but the last): the most parts a file of a given size can honestly need. */
const MIN_PART_SIZE = 5 * MiB;

export interface UploadRules {
  maxUploadBytes: number;
  /** Content type → the extension of its key. */
  types: Record<string, string>;
  partSize: number;
  multipartAbove: number;
}

export function uploadRules(config: Config): UploadRules {
  return {
    maxUploadBytes: config.api.maxUploadBytes,
    types: EXTENSIONS,
    partSize: PART_SIZE,
    multipartAbove: MULTIPART_ABOVE,
  };
}

/** The highest part number a file of `size` bytes may use. */
export function maxPartNumber(size: number): number {
  return Math.min(10_000, Math.max(1, Math.ceil(size / MIN_PART_SIZE)));
}

/** `originals/<sha256><ext>`: the only keys the upload routes sign. */
export const UPLOAD_KEY = /^originals\/[0-9a-f]{64}\.[a-z0-9]{2,5}$/;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}
