/**
 * API Gateway's HTTP API (payload format 2.0) in front of a bundled Lambda handler: a request
 * becomes the event API Gateway sends, the handler's answer becomes the response. Lets the local
 * stack serve its API from the same bundle Lambda runs.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export type ApiGatewayInvoke = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A `fetch` handler (for `@hono/node-server`'s `serve`) over `invoke`. */
export function apiGatewayFetch(invoke: ApiGatewayInvoke): (request: Request) => Promise<Response> {
  return async (request) => fromResult(await invoke(await toEvent(request)));
}

async function toEvent(request: Request): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers = Object.fromEntries(request.headers);
  const body = Buffer.from(await request.arrayBuffer());
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(headers.cookie && { cookies: headers.cookie.split(/;\s*/) }),
    ...(url.search && { queryStringParameters: Object.fromEntries(url.searchParams) }),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method: request.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0,
    ...(body.length > 0 && { body: body.toString("base64") }),
  };
}

function fromResult(result: APIGatewayProxyStructuredResultV2): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  for (const cookie of result.cookies ?? []) headers.append("set-cookie", cookie);
  const status = result.statusCode ?? 200;
  const body =
    result.body === undefined ? null : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}
