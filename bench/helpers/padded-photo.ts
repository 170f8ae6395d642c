/**
 * A camera JPEG grown to a phone's file size: the photo with COM segments after SOI carrying a
 * nonce and filler, so it decodes like the original, ends with FFD9 as a JPEG must, and has bytes
 * (and so a photo id) of its own.
 */
const MAX_SEGMENT = 0xffff - 2;

export function padded(photo: Buffer, nonce: string, size: number): Buffer {
  const segments: Buffer[] = [];
  let room = Math.max(0, size - photo.length);
  let text = Buffer.from(`photo-relay api-load bench ${nonce}`);
  do {
    const length = Math.min(MAX_SEGMENT, Math.max(text.length, room - 4));
    const segment = Buffer.alloc(4 + length, 0x20);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(2 + length, 2);
    text.copy(segment, 4);
    segments.push(segment);
    room -= segment.length;
    text = Buffer.alloc(0);
  } while (room > 4);
  return Buffer.concat([photo.subarray(0, 2), ...segments, photo.subarray(2)]);
}
