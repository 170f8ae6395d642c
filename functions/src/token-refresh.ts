import { createLogger } from "@photo-relay/core";
import { refreshStoredToken } from "@photo-relay/instagram";
import { createTokenRuntime } from "@photo-relay/pipeline/publish";
import { lambdaConfig, once } from "./runtime.ts";

const logger = createLogger("token-refresh");
const runtime = once(() => createTokenRuntime(lambdaConfig("tokenRefresh")));

/** The scheduled token refresh (`infra/schedules.ts`): renews the stored Instagram token when due. */
export const handler = async () => {
  const rt = runtime();
  const outcome = await refreshStoredToken(rt.tokens, rt.config.instagram);
  // A refused token cannot fix itself: fail the run so it shows in the function's error metrics.
  if (!outcome.refreshed && outcome.reason === "invalid") {
    logger.error("Instagram refused the stored token; configure a new one", { outcome });
    throw new Error(`Instagram token refused: ${outcome.problem.message}`);
  }
  logger.info("token refresh", { outcome });
  return outcome;
};
