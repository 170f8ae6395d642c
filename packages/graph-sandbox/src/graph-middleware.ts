/**
 * Runs before every Graph API route: reads params, checks the token, counts the call for the usage
 * headers, and fires the armed faults that apply to any call.
 */
import type { MiddlewareHandler } from "hono";
import type { GraphEnv, SandboxContext } from "./context.ts";
import { errors, GraphError } from "./graph-error.ts";
import { readParams, tokenOf } from "./request.ts";

/** Token endpoints check the token they are given themselves (an expired short token is their business). */
const SELF_AUTHENTICATING = new Set(["/access_token", "/refresh_access_token", "/oauth/access_token"]);

export function graphMiddleware(ctx: SandboxContext): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    // rupload answers in its own `debug_info` shape and reads the raw body itself.
    if (c.req.path.startsWith("/ig-api-upload/")) return next();
    const now = ctx.clock.now();
    ctx.usage.record(now);
    let throttledMinutes = 0;
    try {
      const params = await readParams(c);
      c.set("params", params);
      c.set("token", SELF_AUTHENTICATING.has(c.req.path) ? undefined : ctx.tokens.check(tokenOf(c, params)));
      const tooMany = ctx.faults.take("too_many_actions_401");
      if (tooMany) throw errors.tooManyActions(tooMany.code ?? 4);
      const rate = ctx.faults.take("rate_limit");
      if (rate) {
        throttledMinutes = rate.retryAfterMinutes ?? 1;
        throw errors.rateLimit(rate.code ?? 4);
      }
      if (ctx.faults.take("server_error")) throw errors.serverError();
      if (ctx.faults.take("service_unavailable")) throw errors.service();
      if (ctx.faults.take("unknown_error")) throw errors.unknown();
      if (ctx.faults.take("permission_missing")) throw errors.permission();
      await next();
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      c.res = c.json(error.toEnvelope(), error.httpStatus as 400);
    }
    for (const [name, value] of Object.entries(
      ctx.usage.headers(ctx.state.account.igUserId, now, throttledMinutes),
    )) {
      c.res.headers.set(name, value);
    }
  };
}
