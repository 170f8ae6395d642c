/**
 * The ICC profile of a HEIC, from its `colr` property. libheif's RGBA output carries no profile, and
 * iPhones shoot in Display P3: without the profile, colours would be read as sRGB and look dull.
 */
import { findBox, readBoxes } from "./iso-bmff.ts";

export function heicIccProfile(input: Buffer): Buffer | undefined {
  try {
    const meta = readBoxes(input).find((b) => b.type === "meta");
    if (!meta) return undefined;
    // meta is a full box: its children start after version and flags.
    const iprp = readBoxes(input, meta.body + 4, meta.end).find((b) => b.type === "iprp");
    const ipco = iprp && findBox(input, iprp, "ipco");
    if (!ipco) return undefined;
    for (const box of readBoxes(input, ipco.body, ipco.end)) {
      const kind = input.toString("latin1", box.body, box.body + 4);
      // One profile serves the primary image and its grid tiles in phone files; take the first.
      if (box.type === "colr" && (kind === "prof" || kind === "rICC"))
        return input.subarray(box.body + 4, box.end);
    }
  } catch {
    // A damaged property list costs the profile only: the pixels are read as sRGB.
  }
  return undefined;
}
