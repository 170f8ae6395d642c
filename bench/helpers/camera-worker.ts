/**
 * The latency benchmark's camera, in a worker thread (started by `camera.ts`): a tether program is
 * a process of its own, so making each frame's bytes, hashing them for the photo id and writing
 * them in chunks must not load the stack's main thread (in a 120-frame burst ≈ 7 s of copies and
 * 4 s of hashing, counted against the stack before).
 */
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { sha256Hex } from "@photo-relay/core";
import { tetherWrite, variant } from "./d800-photo.ts";

export interface Shot {
  seq: number;
  inbox: string;
  name: string;
}

const { photo } = workerData as { photo: Uint8Array };
const original = Buffer.from(photo.buffer, photo.byteOffset, photo.byteLength);

parentPort?.on("message", async ({ seq, inbox, name }: Shot) => {
  const bytes = variant(original, name);
  const id = sha256Hex(bytes);
  const close = await tetherWrite(join(inbox, name), bytes);
  parentPort?.postMessage({ seq, id, close });
});
