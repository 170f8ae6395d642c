import { createHash, randomBytes } from "node:crypto";
import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ShapedLink, startShapedLink } from "../helpers/shaped-link.ts";

/**
 * The benchmarks' shaped link must be a faithful wire: a benchmark through a link that reordered
 * bytes or cut a response off with its own connection's close measured retries, not the uploader
 * (each part's answer came with `Connection: close`, and the close overtook it).
 */
let server: Server;
let link: ShapedLink;
beforeAll(async () => {
  // Reads a length (4 bytes) and that many bytes, answers with their SHA-256 and closes at once
  // (as a reply with `Connection: close` does).
  server = createServer((socket) => {
    let received = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length === 4 + received.readUInt32BE(0))
        socket.end(createHash("sha256").update(received.subarray(4)).digest("hex"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  link = await startShapedLink({ host: "127.0.0.1", port }, { bitsPerSecond: 400_000_000, rttMs: 4 });
});
afterAll(async () => {
  await link.close();
  await new Promise((resolve) => server.close(resolve));
});

function send(chunks: Buffer[]): Promise<string> {
  const { port } = new URL(link.endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    socket.write(length);
    for (const chunk of chunks) socket.write(chunk);
  });
}

describe("bench: shaped link", () => {
  it("delivers every byte in order and the answer before its close, on many connections at once", async () => {
    const bodies = Array.from({ length: 8 }, () =>
      // Chunks of very different sizes, so that a small one could overtake a large one.
      Array.from({ length: 40 }, (_, i) => randomBytes(i % 3 === 0 ? 64 * 1024 : 1 + (i % 7) * 100)),
    );
    const answers = await Promise.all(bodies.map(send));
    answers.forEach((answer, i) => {
      const expected = createHash("sha256")
        .update(Buffer.concat(bodies[i] ?? []))
        .digest("hex");
      expect(answer).toBe(expected);
    });
  });
});
