import { environment, link } from "./pipeline";

/** The HTTP API (status, photos, presigned uploads, publish-now) as one Lambda behind API Gateway. */
export const api = new sst.aws.ApiGatewayV2("Api");
api.route("ANY /{proxy+}", {
  handler: "functions/src/api.handler",
  link,
  environment,
  timeout: "29 seconds",
});
api.route("GET /health", { handler: "functions/src/api.handler", link, environment });
