import { mkdtemp, open, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectMedia, isTemporaryName } from "../src/index.ts";
import { jpeg, mp4, nef, png } from "./helpers/media.ts";

const dir = await mkdtemp(join(tmpdir(), "agent-media-"));

async function detect(name: string, bytes: Buffer) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const handle = await open(path, "r");
  try {
    return await detectMedia(handle, bytes.length, name);
  } finally {
    await handle.close();
  }
}

const ftyp = (brand: string, rest: Buffer[] = []) => {
  const boxes = [Buffer.from(`\0\0\0\x10ftyp${brand}\0\0\0\0`, "latin1"), ...rest];
  return Buffer.concat(boxes);
};
const box = (type: string, size: number) => {
  const b = Buffer.alloc(size, 1);
  b.writeUInt32BE(size, 0);
  b.write(type, 4, "latin1");
  return b;
};

describe("agent: media detection", () => {
  it.each([
    ["a.JPG", jpeg(5000), "jpeg", ".jpg"],
    ["a.jpeg", jpeg(5000), "jpeg", ".jpg"],
    ["b.png", png(), "png", ".png"],
    ["c.NEF", nef(10_000), "raw", ".nef"],
    ["c.tif", nef(10_000), "tiff", ".tif"],
    ["d.mp4", mp4(10_000), "mp4", ".mp4"],
    ["e.MOV", ftyp("qt  ", [box("moov", 64), box("mdat", 128)]), "mov", ".mov"],
    ["f.HEIC", ftyp("heic", [box("meta", 64), box("mdat", 128)]), "heic", ".heic"],
    ["g.avif", ftyp("avif", [box("meta", 64), box("mdat", 128)]), "avif", ".avif"],
    [
      "h.gif",
      Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(20, 7), Buffer.from([0x3b])]),
      "gif",
      ".gif",
    ],
    [
      "o.ORF",
      Buffer.concat([Buffer.from("IIRO"), Buffer.from([8, 0, 0, 0]), Buffer.alloc(8000, 3)]),
      "raw",
      ".orf",
    ],
  ])("detects %s by its bytes", async (name, bytes, kind, ext) => {
    expect(await detect(name, bytes)).toMatchObject({ ok: true, kind, ext });
  });

  it.each([
    ["truncated JPEG (no FFD9)", "t.jpg", jpeg(5000).subarray(0, 4000)],
    [
      "preallocated JPEG (zero tail)",
      "p.jpg",
      Buffer.concat([jpeg(5000).subarray(0, 3000), Buffer.alloc(2000)]),
    ],
    ["preallocated NEF (zero tail)", "p.nef", Buffer.concat([nef(8000), Buffer.alloc(8192)])],
    ["MP4 without moov yet", "m.mp4", ftyp("isom", [box("mdat", 4096)])],
    ["MP4 whose box runs past the end", "r.mp4", mp4(10_000).subarray(0, 9000)],
    ["PNG without IEND", "x.png", png().subarray(0, 100)],
    ["empty file", "z.jpg", Buffer.alloc(0)],
  ])("holds back a %s", async (_, name, bytes) => {
    expect(await detect(name, bytes)).toMatchObject({ ok: false, reason: "incomplete" });
  });

  it("rejects unknown bytes as unsupported", async () => {
    expect(await detect("notes.jpg", Buffer.from("hello, not a photo"))).toMatchObject({
      ok: false,
      reason: "unsupported",
    });
  });

  it("skips temporary names of tether software, gphoto2 and dotfiles", () => {
    for (const name of ["tmpfileXa3F9z", "DSC_1.NEF.part", ".DS_Store", "x.tmp", "img.crdownload"]) {
      expect(isTemporaryName(name), name).toBe(true);
    }
    expect(isTemporaryName("DSC_0001.NEF")).toBe(false);
  });
});
