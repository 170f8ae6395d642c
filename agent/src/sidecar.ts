/**
 * Caption sidecars: a `.txt` next to a photo with the same name (`DSC_0001.NEF` + `DSC_0001.txt`),
 * as tools such as Photo Mechanic write them. The agent uploads the text to `sidecars/<id>.txt`
 * before the photo itself, so the publish stage finds it; the sidecar is archived with the photo.
 * A `.txt` without a photo beside it is an ordinary non-media file (reported as ignored).
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile, rename } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Target } from "./delivery/s3-target.ts";

/** Captions are short; a larger "sidecar" is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;

const isText = (name: string) => extname(name).toLowerCase() === ".txt";
const stem = (name: string) => basename(name, extname(name));

/** Whether `path` is the caption sidecar of a file beside it. */
export function isSidecar(path: string): boolean {
  if (!isText(path)) return false;
  try {
    return readdirSync(dirname(path)).some((name) => !isText(name) && stem(name) === stem(path));
  } catch {
    return false;
  }
}

/** The sidecar of the photo at `photoPath`, if there is one. */
export function sidecarOf(photoPath: string): string | undefined {
  const base = join(dirname(photoPath), stem(photoPath));
  return [".txt", ".TXT"].map((ext) => base + ext).find((path) => existsSync(path));
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

/** Moves the sidecar of a photo that moved from `from` to `to`. */
export async function moveSidecar(from: string, to: string): Promise<void> {
  const path = sidecarOf(from);
  if (path) await rename(path, join(dirname(to), basename(path))).catch(() => undefined);
}
