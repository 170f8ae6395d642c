/** Identity and tokens: `/me`, `/me/accounts`, and the three token exchange/refresh endpoints. */
import { Hono } from "hono";
import type { GraphEnv, SandboxContext } from "./context.ts";
import { errors } from "./graph-error.ts";
import { fieldsOf, pick } from "./request.ts";
import type { TokenRecord } from "./tokens.ts";

export function identityRoutes(ctx: SandboxContext): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();
  const { account } = ctx.state;
  let pageToken: TokenRecord | undefined;

  app.get("/me", (c) => {
    const token = c.var.token as TokenRecord;
    const fields = fieldsOf(c.var.params, ["id"]);
    if (token.kind.startsWith("ig")) {
      // Instagram Login: `id` is app-scoped; `user_id` is the professional account id used for publishing.
      const available = {
        id: account.appScopedId,
        user_id: account.igUserId,
        username: account.username,
        name: account.username,
      };
      return c.json(pick(fields, available, "IGUser"));
    }
    if (token.kind === "fb_page")
      return c.json(pick(fields, { id: account.pageId, name: account.pageName }, "Page"));
    return c.json(
      pick(fields.length ? fields : ["id", "name"], { id: account.fbUserId, name: "Sandbox User" }, "User"),
    );
  });

  app.get("/me/accounts", (c) => {
    const token = c.var.token as TokenRecord;
    if (token.kind.startsWith("ig") || token.kind === "fb_page")
      throw errors.nonexistingField("accounts", "User");
    pageToken ??= ctx.tokens.issue("fb_page");
    const available = {
      id: account.pageId,
      name: account.pageName,
      access_token: pageToken.token,
      instagram_business_account: { id: account.igUserId },
    };
    const page = pick(fieldsOf(c.var.params, ["id", "name", "access_token"]), available, "Page");
    return c.json({ data: [page], paging: { cursors: { before: "QVFIUA", after: "QVFIUA" } } });
  });

  app.get("/access_token", (c) => {
    const params = c.var.params;
    if (params.grant_type !== "ig_exchange_token") throw errors.param("Unsupported grant_type.");
    return c.json(
      tokenResponse(
        ctx,
        ctx.tokens.exchangeInstagram(
          params.access_token ?? bearer(c.req.header("authorization")),
          params.client_secret,
        ),
      ),
    );
  });

  // Only GET is served (instafeed.js #654); other methods get the error invalid refreshes were seen to get.
  app.all("/refresh_access_token", (c) => {
    if (c.req.method !== "GET") throw errors.unsupportedMethod(c.req.method);
    const params = c.var.params;
    if (params.grant_type !== "ig_refresh_token") throw errors.param("Unsupported grant_type.");
    return c.json(
      tokenResponse(
        ctx,
        ctx.tokens.refreshInstagram(params.access_token ?? bearer(c.req.header("authorization"))),
      ),
    );
  });

  app.get("/oauth/access_token", (c) => {
    const params = c.var.params;
    if (params.grant_type !== "fb_exchange_token") throw errors.param("Unsupported grant_type.");
    const record = ctx.tokens.exchangeFacebook(
      params.fb_exchange_token,
      params.client_id,
      params.client_secret,
    );
    return c.json(tokenResponse(ctx, record));
  });
  return app;
}

function bearer(header: string | undefined): string | undefined {
  return header?.match(/^(?:Bearer|OAuth)\s+(\S+)$/i)?.[1];
}

function tokenResponse(ctx: SandboxContext, record: TokenRecord) {
  const expiresIn =
    record.expiresAt === null ? undefined : Math.round((record.expiresAt - ctx.clock.now()) / 1000);
  return {
    access_token: record.token,
    token_type: "bearer",
    ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
  };
}
