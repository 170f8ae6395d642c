/**
 * Writes a file over SFTP with several WRITE requests in flight, in offset order, as OpenSSH's own
 * `sftp` client does (64 outstanding requests). ssh2-sftp-client's `put()` keeps one request in
 * flight, which caps throughput at one round trip per chunk; `fastPut()` only takes local paths.
 * Any server that serves OpenSSH's client handles pipelined writes; the caller still checks the
 * final size before renaming the file into place.
 */
import { open as openFile } from "node:fs/promises";
import type { SFTPWrapper } from "ssh2";

/** Requests in flight, as OpenSSH's sftp (at most 64 × the chunk, 16 MiB, per upload). */
const WINDOW = 64;
/** ssh2 splits anything above the server's write limit into sequential requests, so stay within it. */
const DEFAULT_CHUNK = 32 * 1024;

export async function pipelinedWrite(
  sftp: SFTPWrapper,
  remotePath: string,
  source: Buffer | string,
): Promise<number> {
  // ssh2 learns the server's limit from the limits@openssh.com extension (255 KiB on OpenSSH ≥ 8.6).
  const chunk = Math.max(DEFAULT_CHUNK, (sftp as unknown as { _maxWriteLen?: number })._maxWriteLen ?? 0);
  // ssh2 may leave request callbacks pending when the connection dies: every wait also ends then.
  const lost = connectionLost(sftp);
  const call = <T>(fn: (cb: (error: Error | undefined | null, value: T) => void) => void) =>
    Promise.race([callback(fn), lost.promise]);
  const handle = await call<Buffer>((cb) => sftp.open(remotePath, "w", cb));
  const local = typeof source === "string" ? await openFile(source, "r") : undefined;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let offset = 0;
  try {
    for (;;) {
      let data: Buffer;
      if (local) {
        const buffer = Buffer.allocUnsafe(chunk);
        // Sequential reads (position null): the source may be a pipe.
        const { bytesRead } = await local.read(buffer, 0, chunk, null);
        data = buffer.subarray(0, bytesRead);
      } else {
        data = (source as Buffer).subarray(offset, offset + chunk);
      }
      if (data.length === 0 || failure) break;
      const at = offset;
      const request: Promise<void> = call<void>((cb) => sftp.write(handle, data, 0, data.length, at, cb))
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      offset += data.length;
      if (inFlight.size >= WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } finally {
    lost.dispose();
    await local?.close();
    await call<void>((cb) => sftp.close(handle, cb)).catch((error: unknown) => {
      failure ??= error;
    });
  }
  if (failure) throw failure;
  return offset;
}

function callback<T>(fn: (cb: (error: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
}

/** Rejects once the SFTP channel closes or ends (a killed connection), until disposed. */
function connectionLost(sftp: SFTPWrapper): { promise: Promise<never>; dispose(): void } {
  let onClose = () => {};
  const promise = new Promise<never>((_, reject) => {
    onClose = () =>
      reject(
        Object.assign(new Error("the SFTP connection closed during the upload"), { code: "ECONNRESET" }),
      );
    sftp.once("close", onClose);
    sftp.once("end", onClose);
  });
  promise.catch(() => undefined);
  return {
    promise,
    dispose: () => {
      sftp.off("close", onClose);
      sftp.off("end", onClose);
    },
  };
}
