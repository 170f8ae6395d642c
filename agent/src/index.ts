/** The edge agent as a library: the CLI (`src/cli/`) and the local stack use only what is exported here. */
export type { ArchiveMode } from "./delivery/archive.ts";
export { isAuthError, isNotFound } from "./errors.ts";
export type { AgentEvents, DeliveredEvent, FailedEvent, IgnoredEvent, RejectedEvent } from "./events.ts";
export { closeWatchSupport } from "./intake/close-watch.ts";
export { detectMedia, isTemporaryName, MEDIA_KINDS, type MediaKind } from "./intake/media-kind.ts";
export type { AgentOptions } from "./options.ts";
export { defaultAgentId } from "./reports/agent-id.ts";
export type { JournalRecord } from "./spool/journal.ts";
export type { RetentionOptions } from "./spool/retention.ts";
export { type Agent, startAgent } from "./start-agent.ts";
export type { AgentStatus, InFlight } from "./status.ts";
export { type StatusFile, statusPath } from "./status-file.ts";
export {
  parseAutoDetect,
  startTether,
  type Tether,
  type TetherOptions,
  type TetherState,
} from "./tether/gphoto2.ts";
