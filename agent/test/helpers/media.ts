/**
 * Synthetic media made by the tests themselves: just enough structure for the agent's magic-byte
 * and completeness checks (JPEG SOI…EOI, TIFF/NEF header + IFD, ISO-BMFF boxes). Random payloads
 * make every file's SHA-256 unique.
 */
import { randomBytes } from "node:crypto";

/** JPEG: SOI + APP0 + random payload (no FF bytes that could fake an EOI) + EOI. */
export function jpeg(bytes: number): Buffer {
  const body = randomBytes(Math.max(0, bytes - 8));
  for (let i = 0; i < body.length; i++) if (body[i] === 0xff) body[i] = 0xfe;
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body, Buffer.from([0x00, 0x00, 0xff, 0xd9])]);
}

/** NEF-like RAW: little-endian TIFF header whose first IFD sits at offset 8, random non-zero tail. */
export function nef(bytes: number): Buffer {
  const file = randomBytes(bytes);
  Buffer.from("II*\0").copy(file, 0);
  file.writeUInt32LE(8, 4);
  file[bytes - 1] = 0x5a;
  return file;
}

/** MP4: ftyp + moov + mdat boxes that tile the file exactly. */
export function mp4(bytes: number): Buffer {
  const ftyp = box("ftyp", Buffer.from("isom\0\0\x02\0isomiso2mp41", "latin1"));
  const moov = box("moov", randomBytes(64));
  const mdat = box("mdat", randomBytes(Math.max(0, bytes - ftyp.length - moov.length - 8)));
  return Buffer.concat([ftyp, mdat, moov]);
}

export function png(): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([sig, randomBytes(200), iend]);
}

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length + 8, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, payload]);
}
