import { environment, link } from "./pipeline";
import { tokenPermissions } from "./secrets";

/** Daily: Meta's tokens last 60 days and may be refreshed once a day old, so daily is plenty. */
export const tokenRefresh = new sst.aws.Cron("InstagramTokenRefresh", {
  schedule: "rate(1 day)",
  job: {
    handler: "functions/src/token-refresh.handler",
    timeout: "60 seconds",
    link,
    environment,
    permissions: tokenPermissions,
  },
});
