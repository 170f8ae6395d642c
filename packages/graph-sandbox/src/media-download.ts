/**
 * Meta cURLs `image_url` / `video_url` at request time; the sandbox does the same with a real HTTP GET,
 * a timeout, and a byte cap (the body is counted to the end, but only the head is kept in memory).
 */
import { open } from "node:fs/promises";
import { errors } from "./graph-error.ts";

export interface Download {
  /** The first `keepBytes` bytes (the whole body when smaller). */
  head: Uint8Array;
  /** Total body size in bytes, or `limitBytes + 1` when the body was cut short for exceeding the cap. */
  size: number;
  contentType: string;
}

export interface DownloadOptions {
  timeoutMs: number;
  /** Stop reading past this many bytes: the caller only needs to know it is too big. */
  limitBytes: number;
  /** How much of the body to keep in memory (images: all of it up to the cap). */
  keepBytes: number;
  /** Also write the whole body (up to the cap) to this file (videos, read back by the probe). */
  spoolTo?: string;
}

/**
 * Downloads `url`. Unreachable hosts, non-2xx answers and non-HTTP URLs → 9004/2207052;
 * no complete answer within the timeout → -2/2207003.
 */
export async function downloadMedia(url: string, options: DownloadOptions): Promise<Download> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.fetchFailed(url);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw errors.fetchFailed(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(parsed, { signal, redirect: "follow" });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw errors.fetchFailed(url);
    }
    const reader = response.body.getReader();
    const spool = options.spoolTo === undefined ? undefined : await open(options.spoolTo, "w");
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        await spool?.write(value);
        if (kept < options.keepBytes) {
          const part = value.subarray(0, options.keepBytes - kept);
          chunks.push(part);
          kept += part.byteLength;
        }
        if (size > options.limitBytes) {
          await reader.cancel().catch(() => {});
          break;
        }
      }
    } finally {
      await spool?.close();
    }
    return { head: Buffer.concat(chunks), size, contentType: response.headers.get("content-type") ?? "" };
  } catch (error) {
    if (signal.aborted) throw errors.fetchTimeout();
    if (error instanceof Error && error.name === "GraphError") throw error;
    throw errors.fetchFailed(url);
  }
}
