/**
 * `@photo-relay/pipeline/publish`: the publish stage for the publish function, and the runtime it
 * works with (also the token refresh job's). Brings in `@photo-relay/instagram`; nothing of
 * imaging or mirror.
 */

export {
  closePublishRuntime,
  createPublishRuntime,
  createTokenRuntime,
  type PublishRuntime,
  type TokenRuntime,
} from "./publish-runtime.ts";
export { publishStage, runPublishStep } from "./publish-stage.ts";
