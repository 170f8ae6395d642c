/**
 * `@photo-relay/graph-sandbox`: a local Instagram Graph API that behaves like the documented API
 * (see docs/instagram-graph-api.md), for tests and the local stack.
 * @example
 * const sandbox = await startGraphSandbox({ processingMs: 0 });
 * sandbox.faults.set("rate_limit", { times: 2, code: 80002 });
 * // … point the client at sandbox.url with token sandbox.defaultToken …
 * await sandbox.stop();
 */

export type { AudioFacts } from "./audio-entry.ts";
export { type ByteSource, bufferSource, fileSource } from "./byte-source.ts";
export { VirtualClock, type VirtualClockOptions } from "./clock.ts";
export type { StreamConfig } from "./decoder-config.ts";
export { type ArmedFault, FAULT_NAMES, type FaultName, type FaultOptions, FaultSwitches } from "./faults.ts";
export { GraphError, type GraphErrorInit } from "./graph-error.ts";
export { type HostedFile, type MediaHost, startMediaHost } from "./media-host.ts";
export { LIMITS, VIDEO_SPEC } from "./media-rules.ts";
export { type Mp4FixtureOptions, makeMp4 } from "./mp4-fixture.ts";
export {
  DEFAULT_SANDBOX_TOKEN,
  type GraphSandbox,
  type GraphSandboxOptions,
  startGraphSandbox,
} from "./sandbox.ts";
export type { Account, Container, ContainerKind, Media, SandboxState, StatusCode } from "./state.ts";
export { type TokenKind, type TokenRecord, TokenStore } from "./tokens.ts";
export { probeVideo, type VideoFacts, type VideoProbe } from "./video-probe.ts";
