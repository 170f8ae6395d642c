import { environment, link } from "./pipeline";
import { tokenPermissions } from "./secrets";

/** The HTTP API (status, photos, presigned uploads, publish-now, pages) as one Lambda behind API Gateway. */
export const api = new sst.aws.ApiGatewayV2("Api");
api.route("$default", {
  handler: "functions/src/api.handler",
  link,
  environment,
  permissions: tokenPermissions,
  timeout: "29 seconds",
});
