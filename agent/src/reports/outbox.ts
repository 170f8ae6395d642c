/**
 * Reports waiting for S3: each is written durably to `<spool>/reports/` first and deleted only
 * once S3 has it, so a report made offline (or before a crash) is sent when S3 answers again.
 * When the spool's disk is full, a report waits in memory instead: sent all the same, lost only
 * to a crash before that (the file it is about is already in `rejected/`).
 * Objects are written with `If-None-Match: *`: a report is never overwritten, and a 412 means
 * it is already there.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describeError, isRetryable, type Logger } from "@photo-relay/core/edge";
import type { Connectivity } from "../delivery/connectivity.ts";
import type { S3Target } from "../delivery/s3-target.ts";
import { fsyncDir, isCode, writeFileAtomic } from "../durable-fs.ts";
import { isPreconditionFailed } from "../errors.ts";

export class Outbox {
  readonly #dir: string;
  readonly #s3: S3Target;
  readonly #connectivity: Connectivity;
  readonly #logger: Logger;
  /** Reports the full disk could not keep, by file name. */
  readonly #unsaved = new Map<string, { key: string; body: object }>();
  #flushing: Promise<void> | undefined;
  /** A report was kept while a flush was under way (its listing may have missed it): list again. */
  #again = false;

  constructor(spoolDir: string, s3: S3Target, connectivity: Connectivity, logger: Logger) {
    this.#dir = join(spoolDir, "reports");
    this.#s3 = s3;
    this.#connectivity = connectivity;
    this.#logger = logger;
  }

  async init(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
  }

  /** Keeps `body` for `key` (durably), then tries to send everything waiting. */
  async put(key: string, body: object): Promise<void> {
    const name = `${encodeURIComponent(key)}.json`;
    try {
      await writeFileAtomic(join(this.#dir, name), JSON.stringify({ key, body }));
    } catch (error) {
      if (!isCode(error, "ENOSPC")) throw error;
      this.#unsaved.set(name, { key, body });
    }
    void this.flush();
  }

  /** Sends every waiting report, oldest name first; stops at the first network failure. */
  flush(): Promise<void> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      do {
        this.#again = false;
        await this.#send();
      } while (this.#again && this.#connectivity.online);
    })().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** The reports waiting, by file name, oldest first: those kept on disk and those only in memory. */
  async #waiting(): Promise<string[]> {
    const saved = (await readdir(this.#dir).catch(() => [] as string[])).filter(
      (name) => name.endsWith(".json") && !name.startsWith("."),
    );
    return [...new Set([...saved, ...this.#unsaved.keys()])].sort();
  }

  async #send(): Promise<void> {
    for (const name of await this.#waiting()) {
      if (!this.#connectivity.online) continue;
      const path = join(this.#dir, name);
      try {
        const { key, body } =
          this.#unsaved.get(name) ??
          (JSON.parse(await readFile(path, "utf8")) as { key: string; body: object });
        await this.#s3
          .send(
            new PutObjectCommand({
              Bucket: this.#s3.bucket,
              Key: key,
              Body: JSON.stringify(body),
              ContentType: "application/json",
              IfNoneMatch: "*",
            }),
          )
          .catch((error: unknown) => {
            if (!isPreconditionFailed(error)) throw error; // already there: sent before a crash
          });
        this.#unsaved.delete(name);
        await rm(path, { force: true });
        await fsyncDir(this.#dir);
      } catch (error) {
        if (isRetryable(error)) return this.#connectivity.markOffline(error); // sent once S3 answers again
        this.#logger.error("report not sent; kept for the next try", {
          file: name,
          error: describeError(error),
        });
      }
    }
  }
}
