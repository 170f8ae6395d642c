/**
 * `@photo-relay/instagram`: everything photo-relay knows about Instagram. The Graph API client and
 * its error kinds, what a container is made of for each kind of post, caption templates and
 * Instagram's caption rules, the publishing quota gate, and the token's life (store, refresh,
 * status, refusals). Point `baseUrl` at `@photo-relay/graph-sandbox` locally.
 */

export {
  CAPTION_LIMITS,
  type CaptionCheck,
  type CaptionFields,
  enforceCaptionRules,
  renderCaption,
} from "./caption.ts";
export { type ContainerSpec, carouselItemsReady, createContainer } from "./container-spec.ts";
export {
  AccountSetupError,
  CaptionError,
  ContainerFailedError,
  GraphApiError,
  type GraphErrorBody,
  type GraphErrorKind,
  TokenRefusedError,
} from "./errors.ts";
export {
  type ContainerStatus,
  createGraphClient,
  GraphClient,
  type Identity,
  type ImageContainerInput,
  type MediaInfo,
  type PublishingLimit,
  type ReelsContainerInput,
  type StoryContainerInput,
} from "./graph-client.ts";
export { classifyGraphError } from "./graph-error-kinds.ts";
export {
  type ContainerStatusCode,
  type GraphClientOptions,
  type GraphFlavour,
  GraphHttp,
} from "./graph-http.ts";
export {
  type InstagramAccount,
  type InstagramAccountDeps,
  type InstagramSettings,
  openInstagramAccount,
} from "./instagram-account.ts";
export { maxDeferSeconds, type QuotaGate, quotaDeferSeconds, readQuotaGate } from "./quota-gate.ts";
export { redactUrl } from "./redact-url.ts";
export { TokenKeeper, type TokenKeeperOptions } from "./token/token-keeper.ts";
export { MemoryTokenProblems, type TokenProblem, type TokenProblemLog } from "./token/token-problems.ts";
export { type RefreshOptions, type RefreshOutcome, refreshStoredToken } from "./token/token-refresh.ts";
export { type TokenStatus, tokenStatus } from "./token/token-status.ts";
export {
  FileTokenStore,
  openTokenStore,
  SsmTokenStore,
  type StoredToken,
  type TokenStore,
} from "./token/token-store.ts";
export { type AppUsage, type BusinessUseCaseUsage, type GraphUsage, parseUsage } from "./usage.ts";
