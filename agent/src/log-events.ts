/** The agent's log: one line per event, each about a photo carrying its `photoId`. */
import type { Logger } from "@photo-relay/core/edge";
import type { AgentBus } from "./events.ts";

export function logEvents(bus: AgentBus, logger: Logger, waiting: () => number): void {
  bus.on("spooled", (e) =>
    logger.info("spooled", { photoId: e.sha256, path: e.path, bytes: e.bytes, kind: e.kind }),
  );
  bus.on("delivered", (e) =>
    logger.info("delivered", { photoId: e.sha256, key: e.key, path: e.path, bytes: e.bytes }),
  );
  bus.on("ignored", (e) => logger.warn(`ignored: ${e.reason}`, { ...e }));
  bus.on("failed", (e) => logger.error(`failed: ${e.reason}`, { ...e }));
  bus.on("retrying", (e) => logger.error("upload failed; will retry later", { ...e }));
  bus.on("unarchived", (e) =>
    logger.warn(`original ${e.result} before archiving`, { photoId: e.sha256, path: e.path }),
  );
  bus.on("offline", (e) =>
    logger.warn("S3 unreachable; spooling and retrying with backoff", { error: e.error }),
  );
  bus.on("online", () => logger.info("S3 reachable again; draining the spool", { waiting: waiting() }));
}
