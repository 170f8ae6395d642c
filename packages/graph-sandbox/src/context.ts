/** What every route handler of the sandbox shares. */
import type { VirtualClock } from "./clock.ts";
import type { FaultSwitches } from "./faults.ts";
import type { GraphErrorInit } from "./graph-error.ts";
import type { Params } from "./request.ts";
import type { SandboxState } from "./state.ts";
import type { TokenRecord, TokenStore } from "./tokens.ts";
import type { UsageMeter } from "./usage-headers.ts";

export interface SandboxSettings {
  quotaTotal: number;
  containerLimit: number;
  containerLimitError: GraphErrorInit;
  processingMs: number;
  videoProcessingMs: number;
  fetchTimeoutMs: number;
  republish: "error" | "same_media";
  republishError: GraphErrorInit;
}

export interface SandboxContext {
  clock: VirtualClock;
  faults: FaultSwitches;
  state: SandboxState;
  tokens: TokenStore;
  usage: UsageMeter;
  settings: SandboxSettings;
  /** Where downloaded images are kept (one file per container), removed when the sandbox stops. */
  mediaDir: string;
  /** The sandbox's own base URL (known once listening). */
  baseUrl(): string;
}

/** Hono variables set by the Graph middleware. */
export interface GraphEnv {
  Variables: {
    params: Params;
    /** The caller's token; absent only on the token-exchange endpoints, which check their own. */
    token: TokenRecord | undefined;
  };
}
