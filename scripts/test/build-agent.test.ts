/**
 * `npm run build:agent`: what the executables in `dist/` are made of, checked without running
 * them (the Linux one also runs the agent's CLI and end-to-end tests in the vitest project
 * "agent-exe", whose global setup builds both). The Windows one is checked as Windows would load
 * it: a valid 64-bit console PE image (checksum, no stale signature) whose NODE_SEA_BLOB resource
 * holds this very bundle in a blob Node accepts, with the fuse flipped so Node looks for it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assetsFor,
  type Bundle,
  bundleAgent,
  DIST,
  exeName,
  exePath,
  MAIN,
  ROOT,
  SEA_FUSE,
  SEA_RESOURCE,
  sha256,
} from "../agent-exe/build.ts";
import { nodeBinary } from "../agent-exe/node-binary.ts";
import {
  findResource,
  IMAGE_FILE_MACHINE_AMD64,
  IMAGE_SUBSYSTEM_WINDOWS_CUI,
  peChecksum,
  RT_RCDATA,
  readPe,
  withoutSignature,
} from "../agent-exe/pe-file.ts";

/** `node_sea.h`: the blob's magic and the flags that follow it. */
const SEA_MAGIC = 0x143da20;
const SEA_FLAGS = {
  disableWarning: 1 << 0,
  useSnapshot: 1 << 1,
  useCodeCache: 1 << 2,
  includeAssets: 1 << 3,
};
const MiB = 1024 * 1024;
const CACHE = join(ROOT, ".build", "agent");

let bundle: Bundle;
beforeAll(async () => {
  bundle = await bundleAgent();
});

/** The blob inside an ELF image: its magic, with the main script's name right after the header. */
function seaBlobIn(exe: Buffer): Buffer {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(SEA_MAGIC);
  for (let at = exe.indexOf(magic); at >= 0; at = exe.indexOf(magic, at + 1)) {
    if (exe.subarray(at, at + 64).includes(MAIN)) return exe.subarray(at);
  }
  throw new Error("no SEA blob in the executable");
}

/** The fuse appears once, and says "injected". */
function expectFuseFlipped(bytes: Buffer) {
  const at = bytes.indexOf(SEA_FUSE);
  expect(at).toBeGreaterThan(0);
  expect(bytes.lastIndexOf(SEA_FUSE)).toBe(at);
  expect(bytes.toString("latin1", at + SEA_FUSE.length, at + SEA_FUSE.length + 2)).toBe(":1");
}

describe("build:agent: the Windows executable", () => {
  it("is a 64-bit console PE image with a valid checksum and no signature left to break", () => {
    const exe = readFileSync(exePath("win-x64"));
    const pe = readPe(exe);
    expect(pe.machine).toBe(IMAGE_FILE_MACHINE_AMD64);
    expect(pe.subsystem).toBe(IMAGE_SUBSYSTEM_WINDOWS_CUI);
    expect(pe.sections.map((s) => s.name)).toEqual(expect.arrayContaining([".text", ".rsrc"]));
    expect(pe.directories[4]).toEqual({ address: 0, size: 0 });
    expect(peChecksum(exe, pe.checksumOffset)).toBe(pe.checksum);
  });

  it("carries this bundle as NODE_SEA_BLOB, in a blob without code cache or snapshot, with the fuse flipped", () => {
    const exe = readFileSync(exePath("win-x64"));
    const blob = findResource(exe, RT_RCDATA, SEA_RESOURCE);
    if (!blob) throw new Error(`no ${SEA_RESOURCE} resource in ${exeName("win-x64")}`);
    expect(blob.readUInt32LE(0)).toBe(SEA_MAGIC);
    expect(blob.subarray(0, 64).includes(MAIN)).toBe(true);
    const flags = blob.readUInt32LE(4);
    expect(flags & SEA_FLAGS.disableWarning).toBeTruthy();
    // A code cache or snapshot is only valid on the platform that wrote it (this Linux machine).
    expect(flags & (SEA_FLAGS.useCodeCache | SEA_FLAGS.useSnapshot)).toBe(0);
    expect(flags & SEA_FLAGS.includeAssets).toBe(0); // koffi serves Linux only
    expect(blob.indexOf(bundle.code)).toBeGreaterThan(0);
    expect(bundle.code.toString("latin1")).toContain("camera folder");
    expectFuseFlipped(exe);
  });

  it("is the pinned node.exe, unsigned, plus the blob: its size says nothing else came in", () => {
    const exe = readFileSync(exePath("win-x64"));
    const blob = findResource(exe, RT_RCDATA, SEA_RESOURCE) as Buffer;
    const node = withoutSignature(readFileSync(nodeBinary("win-x64", CACHE)));
    const grown = exe.length - node.length;
    expect(grown).toBeGreaterThanOrEqual(blob.length);
    expect(grown).toBeLessThan(blob.length + 1 * MiB); // section alignment and the resource tables
    expect(exe.length).toBeLessThan(120 * MiB);
  });
});

describe("build:agent: the Linux executable", () => {
  it("is an x86-64 ELF with the bundle, its code cache and the koffi asset injected, fuse flipped", () => {
    const exe = readFileSync(exePath("linux-x64"));
    expect(exe.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(exe.readUInt16LE(18)).toBe(62); // EM_X86_64
    const blob = seaBlobIn(exe);
    const flags = blob.readUInt32LE(4);
    expect(flags & SEA_FLAGS.useCodeCache).toBeTruthy();
    expect(flags & SEA_FLAGS.includeAssets).toBeTruthy();
    expect(blob.indexOf(bundle.code)).toBeGreaterThan(0);
    const koffi = readFileSync(Object.values(assetsFor("linux-x64"))[0] as string);
    expect(exe.indexOf(koffi)).toBeGreaterThan(0);
    expectFuseFlipped(exe);
  });
});

describe("build:agent: dist/", () => {
  it("lists every executable with its SHA-256 in SHA256SUMS", () => {
    const sums = readFileSync(join(DIST, "SHA256SUMS"), "utf8");
    for (const target of ["linux-x64", "win-x64"] as const)
      expect(sums).toContain(`${sha256(readFileSync(exePath(target)))}  ${exeName(target)}\n`);
  });
});

describe("build:agent: PE handling", () => {
  it("computes node.exe's checksum as Microsoft's signing tools wrote it, and unsigns it as signtool would", () => {
    const signed = readFileSync(nodeBinary("win-x64", CACHE));
    const pe = readPe(signed);
    expect(pe.directories[4]?.size).toBeGreaterThan(0); // the Node.js Foundation's signature
    expect(peChecksum(signed, pe.checksumOffset)).toBe(pe.checksum);
    const unsigned = withoutSignature(signed);
    const after = readPe(unsigned);
    expect(unsigned.length).toBe(pe.directories[4]?.address);
    expect(after.directories[4]).toEqual({ address: 0, size: 0 });
    expect(peChecksum(unsigned, after.checksumOffset)).toBe(after.checksum);
    // Past the headers (checksum, certificate directory) every byte is the signed image's.
    expect(unsigned.subarray(0x400).equals(signed.subarray(0x400, unsigned.length))).toBe(true);
  });
});
