/** A scripted shot's bytes, made when it is taken (a 75 MB NEF is not kept around). */
import { createHash } from "node:crypto";
import type { Shot } from "../event-script.ts";
import { baseJpeg, frameJpeg, nefWithPreview, type PhotoSizes } from "./photos.ts";

export interface TakenPhoto {
  name: string;
  source: Shot["source"];
  kind: Shot["kind"];
  id: string;
  bytes: number;
  /** When the file was complete in its folder or its upload began (epoch ms). */
  takenAt: number;
}

export async function shotBytes(shot: Shot, sizes: PhotoSizes, seed: number): Promise<Buffer> {
  const base = await baseJpeg(shot.scene, sizes.pixels);
  const nonce = `${seed}/${shot.source}/${shot.name}`;
  return shot.kind === "nef"
    ? nefWithPreview(frameJpeg(base, nonce, 0), sizes.nefBytes)
    : frameJpeg(base, nonce, sizes.jpegBytes);
}

export const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");
