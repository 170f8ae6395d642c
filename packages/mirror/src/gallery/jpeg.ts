/**
 * A JPEG's segments, walked from SOI to EOI, scans included (metadata may follow the first scan in
 * a progressive file). Allowed: JFIF/JFXX (APP0), EXIF and XMP (APP1, handed to the checks), ICC
 * profiles (APP2) and Adobe's marker (APP14); every other APPn and comments are refused.
 */
import { type Findings, label } from "./findings.ts";

const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");
const XMP_HEADERS = ["http://ns.adobe.com/xap/1.0/\0", "http://ns.adobe.com/xmp/extension/\0"].map((h) =>
  Buffer.from(h, "latin1"),
);

/** The frame's size, after checking every segment of `bytes` (which starts with SOI). */
export function checkJpeg(bytes: Buffer, findings: Findings): { width: number; height: number } {
  if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
    throw findings.invalid("does not end with the end-of-image marker (truncated, or data after the image)");
  }
  let size: { width: number; height: number } | undefined;
  let pos = 2;
  while (pos < bytes.length - 2) {
    if (bytes[pos] !== 0xff) throw findings.invalid(`no marker at byte ${pos}`);
    const marker = bytes[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > bytes.length) throw findings.invalid("truncated segment header");
    const length = bytes.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) throw findings.invalid(`segment at byte ${pos} runs past the end`);
    const payload = bytes.subarray(pos + 4, end);
    if (isFrameHeader(marker) && payload.length >= 5) {
      size = { height: payload.readUInt16BE(1), width: payload.readUInt16BE(3) };
    }
    checkSegment(marker, payload, findings);
    pos = marker === 0xda ? skipEntropyCoded(bytes, end) : end;
  }
  if (!size) throw findings.invalid("no frame header");
  return size;
}

/** SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** The position of the next marker after a scan's entropy-coded data (skips stuffed 00 and RSTn). */
function skipEntropyCoded(bytes: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    pos = bytes.indexOf(0xff, pos);
    if (pos < 0 || pos >= bytes.length - 1) return bytes.length;
    const next = bytes[pos + 1] ?? 0;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) pos += 1;
    else return pos;
  }
}

function checkSegment(marker: number, payload: Buffer, findings: Findings): void {
  if (marker === 0xfe) throw findings.refuse("a comment (COM) segment");
  if (marker < 0xe0 || marker > 0xef) return; // tables, frame and scan headers
  if (marker === 0xe0 || marker === 0xee) return; // JFIF/JFXX, Adobe
  if (marker === 0xe2) {
    if (payload.subarray(0, 12).toString("latin1") === "ICC_PROFILE\0") return;
    throw findings.refuse(`an APP2 segment that is not an ICC profile (${label(payload)})`);
  }
  if (marker === 0xe1 && payload.subarray(0, 6).equals(EXIF_HEADER)) {
    findings.exif(payload.subarray(6));
    return;
  }
  if (marker === 0xe1 && XMP_HEADERS.some((h) => payload.subarray(0, h.length).equals(h))) {
    findings.xmp(payload.toString("utf8"));
    return;
  }
  throw findings.refuse(`an APP${marker - 0xe0} segment (${label(payload)})`);
}
