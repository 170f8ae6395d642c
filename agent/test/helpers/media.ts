/**
 * Synthetic media made by the tests themselves: just enough structure for the agent's magic-byte
 * and completeness checks (JPEG marker segments, TIFF/NEF IFD with strips and a preview, ISO-BMFF
 * boxes with sample tables). Random payloads make every file's SHA-256 unique.
 */
import { randomBytes } from "node:crypto";

/**
 * JPEG: SOI, APP0, SOF0 and SOS segments, a random "entropy-coded" payload without FF bytes (so it
 * cannot fake a marker), then EOI: the structure the agent's completeness check walks.
 */
export function jpeg(bytes: number): Buffer {
  const app0 = segment(0xe0, Buffer.from("JFIF\0\x01\x02\0\0\x01\0\x01\0\0", "latin1"));
  const sof0 = segment(0xc0, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
  const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, sos]);
  const body = randomBytes(Math.max(1, bytes - head.length - 2));
  for (let i = 0; i < body.length; i++) if (body[i] === 0xff) body[i] = 0xfe;
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

/**
 * NEF-like RAW: a little-endian TIFF whose IFD0 points at one image strip that runs to the end of
 * the file and at an embedded JPEG preview inside it; random payload, non-zero tail.
 */
export function nef(bytes: number): Buffer {
  const file = randomBytes(bytes);
  Buffer.from("II*\0").copy(file, 0);
  file.writeUInt32LE(8, 4);
  const dataStart = 128;
  const entries: Array<[tag: number, type: number, value: number]> = [
    [0x0100, 4, 4288], // ImageWidth
    [0x0101, 4, 2848], // ImageLength
    [0x0103, 3, 1], // Compression: none
    [0x0111, 4, dataStart], // StripOffsets
    [0x0117, 4, bytes - dataStart], // StripByteCounts
    [0x0201, 4, dataStart], // JPEGInterchangeFormat (the preview)
    [0x0202, 4, Math.min(1024, bytes - dataStart)], // JPEGInterchangeFormatLength
  ];
  file.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    file.writeUInt16LE(tag, at);
    file.writeUInt16LE(type, at + 2);
    file.writeUInt32LE(1, at + 4);
    if (type === 3) file.writeUInt32LE(value & 0xffff, at + 8);
    else file.writeUInt32LE(value, at + 8);
  });
  file.writeUInt32LE(0, 10 + entries.length * 12); // no next IFD
  file[bytes - 1] = 0x5a;
  return file;
}

/** MP4: ftyp, mdat, then a moov whose one track's sample table points at the whole mdat payload. */
export function mp4(bytes: number): Buffer {
  const ftyp = box("ftyp", Buffer.from("isom\0\0\x02\0isomiso2mp41", "latin1"));
  const table = (count: number, ...fields: number[]) => {
    const b = Buffer.alloc(8 + fields.length * 4);
    b.writeUInt32BE(count, 4);
    fields.forEach((f, i) => {
      b.writeUInt32BE(f, 8 + i * 4);
    });
    return b;
  };
  const moovSize = 8 * 5 + 28 + 20 + 20;
  const payload = Math.max(1, bytes - ftyp.length - 8 - moovSize);
  const stbl = box(
    "stbl",
    Buffer.concat([
      box("stsc", table(1, 1, 1, 1)),
      box("stsz", Buffer.concat([Buffer.alloc(4), u32(payload), u32(1)])),
      box("stco", table(1, ftyp.length + 8)),
    ]),
  );
  const moov = box("moov", box("trak", box("mdia", box("minf", stbl))));
  return Buffer.concat([ftyp, box("mdat", randomBytes(payload)), moov]);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};

function segment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
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
