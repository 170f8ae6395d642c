import { deployFunction } from "./lambda.ts";

/** The HTTP API (status, photos, presigned uploads, publish-now, pages) as one Lambda behind API Gateway. */
export const apiFunction = deployFunction("api");
export const api = new sst.aws.ApiGatewayV2("HttpApi");
api.route("$default", apiFunction.arn);
