/**
 * Writes a file over SFTP with several WRITE requests in flight, in offset order, as OpenSSH's own
 * `sftp` client does. ssh2-sftp-client's `put()` keeps one request in flight, which caps throughput
 * at one round trip per chunk; `fastPut()` only takes local paths. Any server that serves
 * OpenSSH's client handles pipelined writes; the caller still checks the final size before renaming.
 *
 * Measured (bench/mirror.ts, profile in packages/mirror/README.md): garbage collection, not
 * encryption, is the client's main cost, driven by the bytes allocated per byte sent. So the file
 * is read into one reused block: ssh2 copies a request's data synchronously when it fits in one
 * request.
 */
import { open as openFile } from "node:fs/promises";
import type { SFTPWrapper } from "ssh2";

/** Request bytes in flight: four times OpenSSH's channel window (2 MiB), so the wire never waits on us. */
const IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** Bytes read from the local file at once, cut into requests. */
const READ_BYTES = 1024 * 1024;
/** Without the limits@openssh.com extension ssh2 assumes 34000-byte packets, minus its overhead. */
const FALLBACK_CHUNK = 34_000 - 2 * 1024;

interface SshInternals {
  /** The largest WRITE payload ssh2 sends unsplit: from limits@openssh.com (255 KiB on OpenSSH ≥ 8.6). */
  _maxWriteLen?: number;
}

export async function pipelinedWrite(
  sftp: SFTPWrapper,
  remotePath: string,
  source: Buffer | string,
): Promise<number> {
  const internals = sftp as unknown as SshInternals;
  // Never above ssh2's limit: a larger write is split, and ssh2 then keeps reading our buffer later.
  const chunk = internals._maxWriteLen ?? FALLBACK_CHUNK;
  const window = Math.max(1, Math.floor(IN_FLIGHT_BYTES / chunk));
  // ssh2 may leave request callbacks pending when the connection dies: every wait also ends then.
  const lost = connectionLost(sftp);
  const call = <T>(fn: (cb: (error: Error | undefined | null, value: T) => void) => void) =>
    Promise.race([callback(fn), lost.promise]);
  const handle = await call<Buffer>((cb) => sftp.open(remotePath, "w", cb));
  const local = typeof source === "string" ? await openFile(source, "r") : undefined;
  const block = local ? Buffer.allocUnsafe(Math.max(1, Math.floor(READ_BYTES / chunk)) * chunk) : undefined;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let offset = 0;
  try {
    for (;;) {
      // Sequential reads (position null): the source may be a pipe.
      const data =
        local && block
          ? block.subarray(0, (await local.read(block, 0, block.length, null)).bytesRead)
          : (source as Buffer);
      if (data.length === 0 || failure) break;
      for (let at = 0; at < data.length && !failure; at += chunk) {
        const piece = data.subarray(at, at + chunk);
        const position = offset + at;
        const request: Promise<void> = call<void>((cb) =>
          sftp.write(handle, piece, 0, piece.length, position, cb),
        )
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(request));
        inFlight.add(request);
        if (inFlight.size >= window) await Promise.race(inFlight);
      }
      offset += data.length;
      if (!local) break;
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
