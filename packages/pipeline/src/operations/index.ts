/**
 * `@photo-relay/pipeline/api`: what the HTTP API does to photos — publish now, publish everything
 * pending, publish as a Reel, story or carousel, re-drive a failed photo, choose a burst's picks,
 * take a photo out of the live galleries — and the runtime it works
 * with (the Instagram account for the quota and the token's status). Brings in
 * `@photo-relay/instagram`; nothing of imaging or mirror.
 */
export { type TokenStatus, tokenStatus } from "@photo-relay/instagram";
export {
  closePublishRuntime,
  createPublishRuntime,
  type PublishRuntime,
} from "../stages/publish/publish-runtime.ts";
export { type BurstMemberView, type BurstView, burstsOf, describeBurst } from "./burst-view.ts";
export { choosePicks } from "./choose-picks.ts";
export { removeFromGallery, returnToGallery, setGalleryHidden } from "./gallery-visibility.ts";
export { publishCarousel, publishStory, publishVideo, setPublishMedia } from "./publish-as.ts";
export { redrivePhoto } from "./redrive-photo.ts";
export {
  type PublishAllResult,
  type PublishRequestOutcome,
  publishPending,
  requestPublish,
} from "./request-publish.ts";
