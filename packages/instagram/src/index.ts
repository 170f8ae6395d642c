/**
 * `@photo-relay/instagram`: the Instagram Graph API client (content publishing) and its error taxonomy.
 * Point `baseUrl` at `@photo-relay/graph-sandbox` locally.
 */

export {
  classifyGraphError,
  GraphApiError,
  type GraphErrorBody,
  type GraphErrorKind,
  redactUrl,
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
export {
  type ContainerStatusCode,
  type GraphClientOptions,
  type GraphFlavour,
  GraphHttp,
} from "./graph-http.ts";
export { type AppUsage, type BusinessUseCaseUsage, type GraphUsage, parseUsage } from "./usage.ts";
