/**
 * The one place `infra/` reads the pipeline's per-stage settings and table layout, which the local
 * stack shares. A plain module, so Node (the build script) can load it too.
 */
export {
  CONVERT_NOTIFICATIONS,
  DEAD_LETTER_SETTINGS,
  FUNCTION_NEEDS,
  mirrorRecordBudgetSeconds,
  PHOTOS_TABLE,
  STAGE_SETTINGS,
  SUMMARY_PROJECTION,
} from "@photo-relay/pipeline/settings";
