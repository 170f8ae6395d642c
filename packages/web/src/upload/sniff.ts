/**
 * What a file's first bytes say it is, as the pipeline's own format check would (it never trusts
 * a name or a declared type). `undefined`: no kind the pipeline takes.
 */
export function sniffType(head: Uint8Array): string | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, j) => head[i + j] === b);
  const ascii = (i: number, n: number) => String.fromCharCode(...head.subarray(i, i + n));
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (ascii(0, 4) === "GIF8") return "image/gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 4) === "WEBP") return "image/webp";
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return "image/tiff";
  if (ascii(4, 4) === "ftyp") {
    const brand = ascii(8, 4);
    if (brand === "avif" || brand === "avis") return "image/avif";
    if (["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].includes(brand)) return "image/heic";
    if (brand === "qt  ") return "video/quicktime";
    return "video/mp4";
  }
  return undefined;
}

/** Two types name the same kind of content (HEIC and HEIF are one family, so are TIFF and RAW). */
export function sameFamily(declared: string, sniffed: string): boolean {
  const family = (t: string) =>
    t === "image/heif" ? "image/heic" : t.startsWith("image/x-") ? "image/tiff" : t;
  return family(declared) === family(sniffed);
}
