/**
 * Companion files: a caption `.txt` (as Photo Mechanic writes it), an `.xmp` (edits and ratings
 * from Lightroom or darktable) or a camera's `.thm` thumbnail next to a photo of the same name
 * (`DSC_0001.NEF` + `DSC_0001.txt`, `DSC_0001.xmp` or `DSC_0001.NEF.xmp`). They are not files of
 * their own: they move with their photo (to `processed/` or `rejected/`), and the caption's text
 * is uploaded to `sidecars/<id>.txt` before the photo itself, so the publish stage finds it. A
 * companion without a photo beside it is an ordinary file of an unknown kind (refused).
 */
import { readdirSync } from "node:fs";
import { readFile, rename } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Target } from "./delivery/s3-target.ts";

/** Captions are short; a larger "sidecar" is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;

const COMPANION_EXTS = new Set([".txt", ".xmp", ".thm"]);
const isCompanionName = (name: string) => COMPANION_EXTS.has(extname(name).toLowerCase());
const stem = (name: string) => basename(name, extname(name));
/** `DSC_0001.xmp` and `DSC_0001.NEF.xmp` both belong to `DSC_0001.NEF`. */
const belongsTo = (companion: string, photo: string) =>
  stem(companion) === stem(photo) || stem(companion) === photo;

const siblings = (path: string): string[] => {
  try {
    return readdirSync(dirname(path));
  } catch {
    return [];
  }
};

/** Whether `path` has a companion's extension (it is one once its photo is beside it). */
export const hasCompanionName = (path: string): boolean => isCompanionName(basename(path));

/** Whether `path` is the companion of a file beside it. */
export function isCompanion(path: string): boolean {
  const name = basename(path);
  return (
    isCompanionName(name) && siblings(path).some((other) => !isCompanionName(other) && belongsTo(name, other))
  );
}

/** The companions of the photo at `photoPath`. */
export function companionsOf(photoPath: string): string[] {
  const photo = basename(photoPath);
  return siblings(photoPath)
    .filter((name) => isCompanionName(name) && belongsTo(name, photo))
    .map((name) => join(dirname(photoPath), name));
}

/** The caption sidecar of the photo at `photoPath`, if there is one. */
export function sidecarOf(photoPath: string): string | undefined {
  return companionsOf(photoPath).find((path) => extname(path).toLowerCase() === ".txt");
}

/** Uploads the sidecar text of any of `sources` as `sidecars/<sha256>.txt`; a no-op without one. */
export async function uploadSidecar(
  sources: Array<{ path: string }>,
  sha256: string,
  ctx: S3Target,
): Promise<void> {
  for (const source of sources) {
    const path = sidecarOf(source.path);
    if (!path) continue;
    const text = await readFile(path).catch(() => undefined);
    if (!text || text.length > MAX_SIDECAR_BYTES) continue;
    await ctx.send(
      new PutObjectCommand({
        Bucket: ctx.bucket,
        Key: `sidecars/${sha256}.txt`,
        Body: text,
        ContentType: "text/plain; charset=utf-8",
      }),
    );
    return;
  }
}

/** Moves the companions of a photo that moved from `from` to `to`. */
export async function moveCompanions(from: string, to: string): Promise<void> {
  for (const path of companionsOf(from)) {
    await rename(path, join(dirname(to), basename(path))).catch(() => undefined);
  }
}
