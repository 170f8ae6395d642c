/** The benchmark's camera thread (`camera-worker.ts`): each shot resolves with its photo id and close time. */
import { Worker } from "node:worker_threads";
import type { Shot } from "./camera-worker.ts";

export interface Camera {
  /** Writes frame `name` into `inbox` as a tether program does; resolves once it is closed. */
  shoot(inbox: string, name: string): Promise<{ id: string; close: number }>;
  stop(): Promise<void>;
}

export function startCamera(photo: Buffer): Camera {
  const worker = new Worker(new URL("./camera-worker.ts", import.meta.url), { workerData: { photo } });
  const pending = new Map<
    number,
    { resolve(shot: { id: string; close: number }): void; reject(e: Error): void }
  >();
  let next = 0;
  worker.on("message", ({ seq, id, close }: { seq: number; id: string; close: number }) => {
    pending.get(seq)?.resolve({ id, close });
    pending.delete(seq);
  });
  worker.on("error", (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  return {
    shoot: (inbox, name) =>
      new Promise((resolve, reject) => {
        const seq = next++;
        pending.set(seq, { resolve, reject });
        worker.postMessage({ seq, inbox, name } satisfies Shot);
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
