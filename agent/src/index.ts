export { startAgent } from "./agent.ts";
export type { ArchiveMode } from "./archive.ts";
export { detectMedia, isTemporaryName, MEDIA_KINDS, type MediaKind } from "./media-kind.ts";
export type { RetentionOptions } from "./retention.ts";
export { type StatusFile, statusPath } from "./status-file.ts";
export {
  parseAutoDetect,
  startTether,
  type Tether,
  type TetherOptions,
  type TetherState,
} from "./tether/gphoto2.ts";
export type {
  Agent,
  AgentEvents,
  AgentOptions,
  AgentStatus,
  DeliveredEvent,
  FailedEvent,
  IgnoredEvent,
  InFlight,
} from "./types.ts";
