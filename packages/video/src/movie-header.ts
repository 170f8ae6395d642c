/**
 * Reads the header boxes of an MP4/MOV file from disk: `ftyp` and the whole `moov` (the index, a few
 * MB even for long videos), without reading the media data. Box sizes come from the file, so each
 * is checked against the file's size: a truncated upload is reported, not read past.
 */
import { type FileHandle, open } from "node:fs/promises";
import { VideoError } from "./errors.ts";

export interface MovieHeader {
  sizeBytes: number;
  /** `ftyp` (when present) and `moov`, whole boxes, in this order: a file imaging's probe can read. */
  boxes: Buffer;
  /** `moov` comes before the first `mdat`. */
  faststart: boolean;
}

/** A real index is far smaller; a bigger one is a corrupt or hostile file. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export async function readMovieHeader(path: string): Promise<MovieHeader> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const parts: Buffer[] = [];
    let mdatAt: number | undefined;
    let moovAt: number | undefined;
    for (let at = 0; at + 8 <= size; ) {
      const header = await readAt(file, at, 16);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString("latin1", 4, 8);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - at; // "extends to the end of the file"
      if (boxSize < 8) throw new VideoError("corrupt_video", `box '${type}' at ${at} has impossible size`);
      if (at + boxSize > size) {
        if (moovAt === undefined)
          throw new VideoError(
            "corrupt_video",
            `the file ends inside box '${type}': the upload was cut short`,
          );
        break; // the index is complete; media data cut short shows up when decoding
      }
      if (type === "mdat") mdatAt ??= at;
      if (type === "ftyp" && parts.length === 0 && boxSize <= 4096)
        parts.push(await readAt(file, at, boxSize));
      if (type === "moov") {
        if (boxSize > MAX_MOOV_BYTES)
          throw new VideoError("corrupt_video", "the video index is implausibly large");
        moovAt = at;
        parts.push(await readAt(file, at, boxSize));
      }
      at += boxSize;
    }
    if (moovAt === undefined) {
      throw new VideoError(
        "corrupt_video",
        mdatAt === undefined
          ? "the file is no MP4/MOV video (no moov box)"
          : "the video has media data but no index (moov): the upload was cut short",
      );
    }
    return {
      sizeBytes: size,
      boxes: Buffer.concat(parts),
      faststart: mdatAt === undefined || moovAt < mdatAt,
    };
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
