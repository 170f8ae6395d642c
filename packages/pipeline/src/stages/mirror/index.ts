/**
 * `@photo-relay/pipeline/mirror`: the mirror stage for the mirror function. Brings in the mirror
 * transports (ssh2, basic-ftp); nothing of imaging or Instagram.
 */

export { type MirrorRuntime, type MirrorSessions, openMirrorBatch } from "./mirror-sessions.ts";
export { mirrorPhoto, mirrorStage } from "./mirror-stage.ts";
