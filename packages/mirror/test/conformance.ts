/**
 * The one conformance suite every transport runs (rclone's fstests): the contract of `Transport`
 * checked against a real server. The server side is inspected directly (its folder or bucket), never
 * through the transport under test.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, constants, openSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTransport, type Transport, type TransportDeps, TransportError } from "../src/index.ts";
import { galleryConformance } from "./gallery-conformance.ts";

export interface ConformanceSubject {
  options: unknown;
  deps?: TransportDeps;
  /** File names in a remote folder ("" = root), as the server stores them; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** A remote file's bytes as the server stores them, or undefined. */
  read(path: string): Promise<Buffer | undefined>;
}

/** Registers the conformance tests in the calling `describe`; `subject` runs in `beforeAll`. */
export function transportConformance(subject: () => Promise<ConformanceSubject> | ConformanceSubject): void {
  let s: ConformanceSubject;
  let transport: Transport;
  let local: string;

  beforeAll(async () => {
    s = await subject();
    transport = createTransport(s.options, s.deps);
    local = await mkdtemp(join(tmpdir(), "photo-relay-conformance-"));
  });
  afterAll(async () => {
    await transport?.close();
    if (local) await rm(local, { recursive: true, force: true });
  });

  const partials = async (dir: string) => (await s.list(dir)).filter((n) => n.endsWith(".partial"));

  it("puts a buffer and reports its size", async () => {
    const data = Buffer.from("hello mirror");
    expect(await transport.put(data, "put/hello.txt")).toEqual({ bytes: data.length });
    expect(await transport.stat("put/hello.txt")).toEqual({ size: data.length });
    expect(await s.read("put/hello.txt")).toEqual(data);
    expect(await s.list("put")).toEqual(["hello.txt"]);
  });

  it("puts a local file", async () => {
    const file = join(local, "photo.jpg");
    const data = Buffer.alloc(300_000, 7);
    await writeFile(file, data);
    expect(await transport.put(file, "file/photo.jpg")).toEqual({ bytes: data.length });
    expect(await s.read("file/photo.jpg")).toEqual(data);
  });

  it("puts a large local file byte for byte", async () => {
    const file = join(local, "large.bin");
    const data = randomBytes(5 * 1024 * 1024 + 12_345); // crosses every chunk and block boundary
    await writeFile(file, data);
    expect(await transport.put(file, "file/large.bin")).toEqual({ bytes: data.length });
    expect((await s.read("file/large.bin"))?.equals(data)).toBe(true);
  });

  it("overwrites an existing file", async () => {
    await transport.put(Buffer.from("first version, longer"), "over/a.txt");
    await transport.put(Buffer.from("second"), "over/a.txt");
    expect((await s.read("over/a.txt"))?.toString()).toBe("second");
    expect(await s.list("over")).toEqual(["a.txt"]);
  });

  it("puts a zero-length file", async () => {
    expect(await transport.put(Buffer.alloc(0), "zero/empty.bin")).toEqual({ bytes: 0 });
    expect(await transport.stat("zero/empty.bin")).toEqual({ size: 0 });
    expect(await s.read("zero/empty.bin")).toEqual(Buffer.alloc(0));
  });

  it("creates missing nested directories", async () => {
    await transport.put(Buffer.from("deep"), "/nested/a/b/c/d.txt");
    expect((await s.read("nested/a/b/c/d.txt"))?.toString()).toBe("deep");
  });

  it("keeps unicode and spaces in names", async () => {
    const name = "été 2026/café ☕ 東京.jpg";
    await transport.put(Buffer.from("ü"), `unicode/${name}`);
    expect(await s.list("unicode/été 2026")).toEqual(["café ☕ 東京.jpg"]);
    expect(await transport.stat(`unicode/${name}`)).toEqual({ size: 2 });
  });

  it("stats a missing file as undefined", async () => {
    expect(await transport.stat("missing/nothing.txt")).toBeUndefined();
  });

  it("removes a file, and removing a missing file succeeds", async () => {
    await transport.put(Buffer.from("x"), "rm/x.txt");
    await transport.remove("rm/x.txt");
    expect(await transport.stat("rm/x.txt")).toBeUndefined();
    await expect(transport.remove("rm/x.txt")).resolves.toBeUndefined();
    await expect(transport.remove("rm/never/was.txt")).resolves.toBeUndefined();
  });

  it("refuses paths that climb out of the root", async () => {
    await expect(transport.put(Buffer.from("x"), "a/../../etc/x")).rejects.toMatchObject({
      code: "invalid_path",
    });
  });

  it("deletes the partial file and keeps the old one when the size check fails", async () => {
    await transport.put(Buffer.from("old content"), "partial/p.bin");
    // A FIFO's size is 0 when the put starts, yet 1000 bytes come out of it: a source that changed.
    const fifo = join(local, "growing.fifo");
    await promisify(execFile)("mkfifo", [fifo]);
    const writer = writeFile(fifo, Buffer.alloc(1000, 1));
    const error = await transport.put(fifo, "partial/p.bin").catch((e: unknown) => e);
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)); // frees the writer if unread
    await writer.catch(() => undefined);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "size_mismatch", retryable: true });
    expect((await s.read("partial/p.bin"))?.toString()).toBe("old content");
    expect(await partials("partial")).toEqual([]);
  });

  it("keeps working on the same transport after a failed put", async () => {
    await transport.put(Buffer.from("after"), "partial/after.txt");
    expect((await s.read("partial/after.txt"))?.toString()).toBe("after");
  });

  it("reads a file back; a missing file reads as undefined, an empty one as empty", async () => {
    const data = Buffer.alloc(200_000, 9);
    await transport.put(data, "read/a.bin");
    await transport.put(Buffer.alloc(0), "read/empty.bin");
    expect(await transport.read("read/a.bin")).toEqual(data);
    expect(await transport.read("read/empty.bin")).toEqual(Buffer.alloc(0));
    expect(await transport.read("read/missing.bin")).toBeUndefined();
  });

  it("lets two connections put one path at once under unique temporary names", async () => {
    const other = createTransport(s.options, s.deps);
    try {
      const [a, b] = [Buffer.alloc(3_000_000, 1), Buffer.alloc(2_000_000, 2)];
      await Promise.all([
        transport.put(a, "race/file.bin", { temporary: "unique" }),
        other.put(b, "race/file.bin", { temporary: "unique" }),
      ]);
      const result = await s.read("race/file.bin");
      expect(result?.equals(a) || result?.equals(b)).toBe(true);
      expect(await partials("race")).toEqual([]);
    } finally {
      await other.close();
    }
  });

  galleryConformance(() => s);
}

/** list/read for a server whose files live in a local folder (vsftpd, sshd, the local transport). */
export function serverFolder(root: string): Pick<ConformanceSubject, "list" | "read"> {
  return {
    list: (dir) => readdir(join(root, dir)).catch(() => []),
    read: (path) => readFile(join(root, path)).catch(() => undefined),
  };
}
