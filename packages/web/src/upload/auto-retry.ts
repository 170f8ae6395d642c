/**
 * Uploads that failed on the network go on by themselves. Uppy's S3 client retries a request a few
 * times and waits for the browser to be online before signing the next one, but a request cut
 * mid-way (Wi-Fi gone, a tunnel) fails the file. Such files are retried when the browser is back
 * online, and otherwise after a growing delay; a multipart upload then asks S3 which parts it
 * holds and sends only the rest. Files the API refused are left alone: retrying cannot help them.
 */
import type Uppy from "@uppy/core";
import type { FileMeta } from "./uploader.ts";

const DELAYS_MS = [2000, 5000, 15_000, 30_000, 60_000];

export function retryNetworkFailures(uppy: Uppy<FileMeta, Record<string, never>>): void {
  const attempts = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const retry = (id: string) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    const file = uppy.getFile(id);
    if (file?.error && file.meta.phase !== "refused") void uppy.retryUpload(id).catch(() => undefined);
  };
  uppy.on("upload-error", (file, error) => {
    if (!file || file.meta.phase === "refused" || !isNetworkFailure(error)) return;
    const n = attempts.get(file.id) ?? 0;
    attempts.set(file.id, n + 1);
    clearTimeout(timers.get(file.id));
    timers.set(
      file.id,
      setTimeout(() => retry(file.id), DELAYS_MS[Math.min(n, DELAYS_MS.length - 1)]),
    );
  });
  uppy.on("back-online", () => {
    for (const id of timers.keys()) retry(id);
  });
  uppy.on("upload-success", (file) => {
    if (file) attempts.delete(file.id);
  });
}

function isNetworkFailure(error: unknown): boolean {
  // Uppy's S3NetworkError carries code NETWORK (its class name does not survive minifying); the
  // API client's own failure to reach the API (a signing request) carries code `offline`.
  const e = error as { code?: string; message?: string } | undefined;
  return (
    e?.code === "NETWORK" ||
    e?.code === "offline" ||
    /network|failed to fetch|timed out/i.test(e?.message ?? "")
  );
}
