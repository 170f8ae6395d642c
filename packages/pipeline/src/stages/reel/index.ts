/**
 * `@photo-relay/pipeline/reel`: the reel stage for the reel function. Brings in the video package
 * (ffmpeg, run as a child process); nothing of sharp, mirror or Instagram.
 */
export { makePhotoReel, reelStage } from "./reel-stage.ts";
