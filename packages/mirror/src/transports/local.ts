/**
 * A local folder: the local stack's default target (served over HTTP there) and the reference
 * implementation of the transport contract.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { networkCode, transportError } from "../classify.ts";
import type { TransportErrorCode } from "../errors.ts";
import { createFileTransport } from "../file-transport.ts";
import type { Transport } from "../transport.ts";

export const localOptionsSchema = z.object({
  type: z.literal("local"),
  name: z.optional(z.string().check(z.minLength(1))),
  /** Folder the files are written under. */
  root: z.string().check(z.minLength(1)),
});

export type LocalOptions = z.infer<typeof localOptionsSchema>;

export function createLocalTransport(options: LocalOptions): Transport {
  const name = options.name ?? "local";
  const abs = (path: string) => join(options.root, path);
  return createFileTransport({
    name,
    root: "",
    classify: (error) => {
      const code = fsCode(error);
      return transportError(name, code, `${options.root}: ${(error as Error).message}`, error);
    },
    connect: async () => ({
      alive: true,
      async mkdirs(dir) {
        await mkdir(abs(dir), { recursive: true });
      },
      async write(source, path) {
        if (typeof source === "string")
          await pipeline(createReadStream(source), createWriteStream(abs(path)));
        else await writeFile(abs(path), source);
      },
      async size(path) {
        const stats = await stat(abs(path)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        });
        return stats?.isFile() ? stats.size : undefined;
      },
      async read(path) {
        return readFile(abs(path)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        });
      },
      async rename(from, to) {
        await rename(abs(from), abs(to));
      },
      async delete(path) {
        await rm(abs(path), { force: true });
      },
      async close() {},
    }),
  });
}

function fsCode(error: unknown): TransportErrorCode {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "permission_denied";
  if (code === "ENOSPC" || code === "EBUSY" || code === "EMFILE") return "server_busy";
  return networkCode(error, "transfer") ?? "remote_error";
}
