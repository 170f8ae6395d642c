/**
 * The cameras and the phones, in a process of their own at the other machines' priority
 * (other-machines.ts): making a shot's 20–75 MB of bytes, hashing them, writing them into a capture
 * folder or uploading them through the presigned path is the capture PC's and the phones' work, and
 * done on the soak's own thread it also held the API probe's event loop, so the probe's figures
 * counted it. The event runner asks for each shot (`take`); the process answers with what was taken.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Shot } from "../event-script.ts";
import type { CameraFolders } from "./cameras.ts";
import { niced } from "./other-machines.ts";
import type { PhoneApi } from "./phones.ts";
import type { PhotoSizes } from "./photos.ts";
import type { TakenPhoto } from "./shot-files.ts";

export interface DevicesSetup {
  folders: CameraFolders;
  phoneApi: PhoneApi;
  sizes: PhotoSizes;
  seed: number;
}

export type DeviceRequest = { id: number; shot: Shot };
export type DeviceReply = { id: number; taken?: TakenPhoto; error?: string };

export interface Devices {
  readonly pid: number;
  /** The shot taken by its camera or phone (a phone retries as the upload page does); rejects with the device's error. */
  take(shot: Shot): Promise<TakenPhoto>;
  /** SIGTERM, then waits for its exit, however long (stop-all.ts bounds it). */
  stop(): Promise<void>;
  /** SIGKILL: the last resort when `stop` overran, or the soak itself is ended. */
  kill(): void;
}

export function startDevices(setup: DevicesSetup): Devices {
  const [command, args] = niced(process.execPath, [
    new URL("./devices-child.ts", import.meta.url).pathname,
    JSON.stringify(setup),
  ]);
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve(t: TakenPhoto): void; reject(e: Error): void }>();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code, signal) => {
    for (const call of pending.values())
      call.reject(new Error(`the devices process exited (${code ?? signal})`));
    pending.clear();
  });
  child.on("message", ({ id, taken, error }: DeviceReply) => {
    const call = pending.get(id);
    pending.delete(id);
    if (taken) call?.resolve(taken);
    else call?.reject(new Error(error ?? "no answer"));
  });
  let next = 0;
  return {
    get pid() {
      return child.pid ?? 0;
    },
    take(shot) {
      const id = next++;
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || !child.connected)
          return reject(new Error("the devices process is gone"));
        pending.set(id, { resolve, reject });
        child.send({ id, shot } satisfies DeviceRequest);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
