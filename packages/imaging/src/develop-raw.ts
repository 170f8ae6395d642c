/**
 * Develops a camera RAW's sensor data with LibRaw (the libraw-wasm WebAssembly build), for RAWs whose
 * embedded previews are too small to serve. LibRaw runs in a worker thread: its calls are
 * synchronous and can take seconds, so the thread is what lets us keep a deadline (terminate) and
 * keep the event loop free. The worker is started from source text so that it needs no file of ours
 * next to a bundled Lambda; only the libraw-wasm package must be installed (SST `nodejs.install`).
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ImagingError } from "./errors.ts";

export interface DevelopedRaw {
  /** 8-bit RGB, sRGB primaries and curve, already turned upright by LibRaw. */
  data: Buffer;
  width: number;
  height: number;
}

export interface DevelopOptions {
  maxInputPixels: number;
  /** Demosaic at half size (2×2 binning): four times faster, for when half is still big enough. */
  halfSize: boolean;
  timeoutMs: number;
}

/** LibRaw's messages that mean the sensor data was not really decoded, though a picture came out. */
const FAILED = /corrupt|unsupported|cannot|error|not enough/i;

// CommonJS, because an `eval` worker is a script; the module and its .wasm are found by URL.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const warnings = [];
(async () => {
  const { default: factory } = await import(workerData.moduleUrl);
  const wasmBinary = readFileSync(new URL("libraw.wasm", workerData.moduleUrl));
  const lib = await factory({ wasmBinary, print: () => {}, printErr: (m) => warnings.push(String(m)) });
  const raw = new lib.LibRaw();
  raw.open(workerData.bytes, workerData.settings);
  const meta = raw.metadata(false);
  if (!meta || !meta.width || !meta.height) throw new Error("LibRaw found no image in the file");
  if (meta.width * meta.height > workerData.maxInputPixels) {
    parentPort.postMessage({ tooMany: meta.width + "x" + meta.height });
    return;
  }
  const image = raw.imageData();
  if (!image || image.colors !== 3 || image.bits !== 8) throw new Error("LibRaw gave no 8-bit RGB image");
  const data = new Uint8Array(image.data); // out of the WebAssembly heap, so it can be transferred
  parentPort.postMessage({ width: image.width, height: image.height, data, warnings }, [data.buffer]);
})().catch((e) => {
  const error = e instanceof Error ? e.message : "LibRaw refused the file (" + (warnings.join("; ") || "no message") + ")";
  parentPort.postMessage({ error, warnings });
});
`;

let moduleUrl: string | undefined;
const libraw = (): string => {
  moduleUrl ??= pathToFileURL(createRequire(import.meta.url).resolve("libraw-wasm/dist/libraw.js")).href;
  return moduleUrl;
};

interface WorkerReply {
  width?: number;
  height?: number;
  data?: Uint8Array;
  warnings?: string[];
  error?: string;
  tooMany?: string;
}

/**
 * Demosaics `input` to 8-bit sRGB with the camera's white balance.
 * @throws ImagingError `too_many_pixels`, `timeout`, or `no_preview` (LibRaw could not develop it).
 */
export async function developRaw(input: Uint8Array, options: DevelopOptions): Promise<DevelopedRaw> {
  const settings = { outputBps: 8, outputColor: 1, useCameraWb: true, halfSize: options.halfSize };
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { moduleUrl: libraw(), bytes: input, settings, maxInputPixels: options.maxInputPixels },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new ImagingError("timeout", `LibRaw took over ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`LibRaw's worker exited (${code}) without an answer`)));
    });
    if (reply.tooMany) {
      throw new ImagingError(
        "too_many_pixels",
        `the RAW's sensor image is ${reply.tooMany}, more than ${options.maxInputPixels} pixels`,
      );
    }
    const failed = reply.warnings?.find((w) => FAILED.test(w));
    if (reply.error || failed || !reply.data || !reply.width || !reply.height) {
      throw new ImagingError(
        "no_preview",
        `LibRaw could not develop the sensor data: ${reply.error ?? failed}`,
      );
    }
    const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
    return { data, width: reply.width, height: reply.height };
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw new ImagingError("no_preview", `LibRaw could not develop the sensor data: ${String(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
