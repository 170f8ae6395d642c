/**
 * Format completeness: each check passes a whole file (proving it complete from its structure
 * where it can), and holds back the same file cut short, preallocated and half filled, or padded
 * with zeros, the way a writer leaves it while it is still at work.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, open, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectMedia } from "../src/index.ts";
import { jpeg, mp4, nef } from "./helpers/media.ts";

const dir = await mkdtemp(join(tmpdir(), "agent-formats-"));
let n = 0;

async function detect(name: string, bytes: Buffer) {
  const path = join(dir, `${n++}-${name}`);
  await writeFile(path, bytes);
  const handle = await open(path, "r");
  try {
    return await detectMedia(handle, bytes.length, name);
  } finally {
    await handle.close();
  }
}

const segment = (marker: number, payload: Buffer) => {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
};
const entropy = (bytes: number) => Buffer.alloc(bytes, 0x5a);

/** A progressive JPEG's shape: two scans with a Huffman table between them. */
function progressive(): Buffer {
  const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xc2, Buffer.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0])),
    sos,
    entropy(3000),
    Buffer.from([0xff, 0x00, 0x12, 0xff, 0xd0]), // a stuffed FF and a restart marker inside the scan
    segment(0xc4, Buffer.alloc(20, 1)),
    sos,
    entropy(3000),
    Buffer.from([0xff, 0xd9]),
  ]);
}

describe("agent: format completeness", () => {
  it("proves a JPEG with several scans complete, and holds it back cut inside its last scan", async () => {
    const whole = progressive();
    expect(await detect("p.jpg", whole)).toMatchObject({ ok: true, proven: true });
    expect(await detect("p.jpg", whole.subarray(0, whole.length - 1000))).toMatchObject({
      ok: false,
      reason: "incomplete",
    });
  });

  it("takes a JPEG with a trailer after its end marker as complete but not proven, and zero fill as still being written", async () => {
    const image = jpeg(20_000);
    expect(await detect("t.jpg", Buffer.concat([image, Buffer.from("SEFT trailer")]))).toMatchObject({
      ok: true,
      proven: false,
    });
    expect(await detect("z.jpg", Buffer.concat([image, Buffer.alloc(8192)]))).toMatchObject({
      ok: false,
      reason: "incomplete",
    });
  });

  it("holds back a TIFF/RAW whose strip, preview or SubIFD lies past the end", async () => {
    const whole = nef(50_000);
    expect(await detect("a.nef", whole)).toMatchObject({ ok: true, proven: true });
    expect(await detect("b.nef", whole.subarray(0, 40_000))).toMatchObject({
      ok: false,
      reason: "incomplete",
    });
    const subIfd = Buffer.from(whole);
    // Turn the Compression entry into a SubIFDs pointer past the end of the file.
    subIfd.writeUInt16LE(0x014a, 10 + 2 * 12);
    subIfd.writeUInt16LE(4, 10 + 2 * 12 + 2);
    subIfd.writeUInt32LE(60_000, 10 + 2 * 12 + 8);
    expect(await detect("c.nef", subIfd)).toMatchObject({ ok: false, reason: "incomplete" });
  });

  it("takes a TIFF header whose IFD is not a TIFF structure as plausible only", async () => {
    const garbage = Buffer.concat([
      Buffer.from("II*\0"),
      Buffer.from([8, 0, 0, 0]),
      Buffer.alloc(8000, 0xee),
    ]);
    expect(await detect("g.tif", garbage)).toMatchObject({ ok: true, proven: false });
  });

  it("holds back an MP4 whose moov points at samples past the end (a faststart file still being written)", async () => {
    const whole = mp4(40_000);
    expect(await detect("a.mp4", whole)).toMatchObject({ ok: true, proven: true });
    // moov first, then an mdat whose header claims only what was written so far.
    const moovAt = whole.lastIndexOf(Buffer.from("moov")) - 4;
    const moov = whole.subarray(moovAt);
    const ftyp = whole.subarray(0, 28);
    const written = 10_000;
    const mdat = Buffer.concat([Buffer.alloc(8), whole.subarray(36, 36 + written)]);
    mdat.writeUInt32BE(mdat.length, 0);
    mdat.write("mdat", 4, "latin1");
    const faststart = Buffer.concat([ftyp, moov, mdat]);
    expect(await detect("f.mp4", faststart)).toMatchObject({ ok: false, reason: "incomplete" });
  });

  it("walks GIF blocks to the trailer, padding after it allowed", async () => {
    const gif = Buffer.concat([
      Buffer.from("GIF89a"),
      Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // 1×1, a 2-colour global table
      Buffer.alloc(6),
      Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0]),
      Buffer.from([0x3b]),
    ]);
    expect(await detect("a.gif", Buffer.concat([gif, Buffer.alloc(64)]))).toMatchObject({
      ok: true,
      proven: true,
    });
    expect(await detect("b.gif", gif.subarray(0, gif.length - 3))).toMatchObject({
      ok: false,
      reason: "incomplete",
    });
  });

  const corpus = process.env.MEDIA_CORPUS;
  it.skipIf(!corpus)(
    "proves every complete file of the shared corpus complete, and every half of one incomplete",
    async () => {
      for (const folder of ["formats", "raw", "video", "orientation", "gps"]) {
        const base = join(corpus ?? "", folder);
        for (const name of readdirSync(base)) {
          if (!statSync(join(base, name)).isFile()) continue;
          const bytes = readFileSync(join(base, name));
          expect(await detect(name, bytes), name).toMatchObject({ ok: true, proven: true });
          expect(
            await detect(name, bytes.subarray(0, bytes.length >> 1)),
            `${name} cut in half`,
          ).toMatchObject({
            ok: false,
            reason: "incomplete",
          });
        }
      }
    },
  );
});
