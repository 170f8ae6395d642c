/**
 * The heartbeat: every interval, while S3 answers, the agent writes `heartbeatKey(agentId)` per
 * `heartbeatSchema` (online, what waits in the spool, the last file, counters), so the cloud side
 * can show the capture PC and call it offline when the heartbeat grows old. Nothing is written
 * offline: the age of the last one is the message. A network failure here counts like any other.
 */
import { hostname } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  describeError,
  type Heartbeat,
  heartbeatKey,
  heartbeatSchema,
  isRetryable,
  type Logger,
} from "@photo-relay/core/edge";
import type { Connectivity } from "../delivery/connectivity.ts";
import type { S3Target } from "../delivery/s3-target.ts";
import type { StatusBoard } from "../status.ts";

const VERSION = "0.0.0"; // agent/package.json

export interface HeartbeatOptions {
  agentId: string;
  intervalMs: number;
  s3: S3Target;
  connectivity: Connectivity;
  board: StatusBoard;
  logger: Logger;
}

export class HeartbeatWriter {
  readonly #o: HeartbeatOptions;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #warned = false;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#o.intervalMs <= 0) return;
    this.beat();
    this.#timer = setInterval(() => this.beat(), this.#o.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
  }

  /** Writes one heartbeat now (when online and none is being written). */
  beat(): void {
    const { connectivity } = this.#o;
    if (!connectivity.online) return;
    this.#writing = this.#writing.then(() => this.#write()).catch(() => undefined);
  }

  async #write(): Promise<void> {
    const { agentId, intervalMs, s3, connectivity, board, logger } = this.#o;
    const status = board.read();
    const body: Heartbeat = heartbeatSchema.parse({
      agentId,
      hostname: hostname(),
      version: VERSION,
      at: new Date().toISOString(),
      intervalSeconds: Math.max(1, Math.round(intervalMs / 1000)),
      online: status.online,
      spool: status.waiting,
      ...(status.lastFile && { lastFile: status.lastFile }),
      counters: { delivered: status.delivered, rejected: status.rejected ?? 0, failed: status.failed },
    });
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: heartbeatKey(agentId),
          Body: JSON.stringify(body),
          ContentType: "application/json",
        }),
      );
      this.#warned = false;
    } catch (error) {
      if (isRetryable(error)) return connectivity.markOffline(error);
      if (!this.#warned) logger.warn("heartbeat not written", { error: describeError(error) });
      this.#warned = true;
    }
  }
}
