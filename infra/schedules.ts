import { deployFunction } from "./lambda.ts";

/** Daily: Meta's tokens last 60 days and may be refreshed once a day old, so daily is plenty. */
export const tokenRefreshFunction = deployFunction("tokenRefresh");
export const tokenRefresh = new sst.aws.CronV2("InstagramTokenSchedule", {
  function: tokenRefreshFunction,
  schedule: "rate(1 day)",
});
