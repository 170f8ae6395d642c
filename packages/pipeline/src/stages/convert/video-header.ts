/**
 * Probes a video on disk by its header boxes alone: `ftyp` and `moov` (the index, a few MB even
 * for a long video) are read and handed to imaging's Reels probe, the media data stays on disk.
 * The file's real size and box order fill in what the header boxes cannot tell.
 * (`@photo-relay/video`'s `probeReel(path)` does the same once it lands; this file then goes.)
 */
import { type FileHandle, open } from "node:fs/promises";
import { ImagingError, probeVideo, type VideoProbe } from "@photo-relay/imaging";

/** A real index is far smaller; a bigger one is a corrupt or hostile file. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export async function probeVideoFile(path: string, container: "mp4" | "mov"): Promise<VideoProbe> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const { boxes, moovAt, mdatAt } = await readHeaderBoxes(file, size);
    if (moovAt === undefined) {
      throw mdatAt === undefined
        ? new ImagingError("corrupt_image", "video has no moov box")
        : new ImagingError("truncated", "video has media data but no index (moov): the upload was cut short");
    }
    const probe = probeHeader(Buffer.concat(boxes), container);
    return { ...probe, sizeBytes: size, faststart: mdatAt === undefined || moovAt < mdatAt };
  } finally {
    await file.close();
  }
}

/** `ftyp` and `moov`, whole, in file order, and where `moov` and the first `mdat` start. */
async function readHeaderBoxes(file: FileHandle, size: number) {
  const boxes: Buffer[] = [];
  let moovAt: number | undefined;
  let mdatAt: number | undefined;
  for (let at = 0; at + 8 <= size && moovAt === undefined; ) {
    const header = await readAt(file, at, 16);
    const type = header.toString("latin1", 4, 8);
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 1 && header.length >= 16) boxSize = Number(header.readBigUInt64BE(8));
    else if (boxSize === 0) boxSize = size - at; // "extends to the end of the file"
    if (boxSize < 8)
      throw new ImagingError("corrupt_image", `video box '${type}' at ${at} has an impossible size`);
    if (at + boxSize > size) break; // cut short: what is missing shows below
    if (type === "ftyp" && boxes.length === 0 && boxSize <= 4096) boxes.push(await readAt(file, at, boxSize));
    if (type === "mdat") mdatAt ??= at;
    if (type === "moov") {
      if (boxSize > MAX_MOOV_BYTES)
        throw new ImagingError("corrupt_image", "video index (moov) is implausibly large");
      boxes.push(await readAt(file, at, boxSize));
      moovAt = at;
    }
    at += boxSize;
  }
  return { boxes, moovAt, mdatAt };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Buffer reads past a box's end throw RangeError: the boxes lie about their contents. */
function probeHeader(boxes: Buffer, container: "mp4" | "mov"): VideoProbe {
  try {
    return probeVideo(boxes, container);
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw new ImagingError("corrupt_image", `video structure is inconsistent: ${String(error)}`, {
      cause: error,
    });
  }
}
