/**
 * `@photo-relay/pipeline/convert`: the convert stage for the convert function. Brings in imaging
 * (sharp); nothing of mirror or Instagram.
 */
export { convertObject, convertStage } from "./convert-stage.ts";
