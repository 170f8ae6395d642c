/**
 * The sandbox's own endpoints, for another process (the local stack, an e2e test) to drive it:
 * faults, the virtual clock, state, tokens, stored JPEGs and the feed page.
 */
import { Hono } from "hono";
import type { GraphEnv, SandboxContext } from "./context.ts";
import { type FaultOptions, isFaultName } from "./faults.ts";
import { renderFeed } from "./feed-page.ts";
import { TOKEN_TTL_S, type TokenKind } from "./tokens.ts";

const readJson = async (request: Request): Promise<Record<string, unknown>> => {
  const body: unknown = await request.json().catch(() => ({}));
  return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
};
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export function adminRoutes(ctx: SandboxContext): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get("/", (c) => c.html(renderFeed(ctx.state)));
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/p/:code/", (c) => c.html(renderFeed(ctx.state, c.req.param("code"))));
  app.get("/reel/:code/", (c) => c.html(renderFeed(ctx.state, c.req.param("code"))));

  app.get("/__sandbox/state", (c) =>
    c.json({
      ...ctx.state.snapshot(),
      faults: ctx.faults.list(),
      // Token strings stay out: the state endpoint is for looking, not for borrowing credentials.
      tokens: ctx.tokens.list().map(({ token, ...t }) => ({ ...t, token: `${token.slice(0, 6)}…` })),
    }),
  );

  app.get("/__sandbox/faults", (c) => c.json({ faults: ctx.faults.list() }));
  /** Body `{ name, times?, code?, retryAfterMinutes? }`; `times: null` keeps the fault until cleared. */
  app.post("/__sandbox/faults", async (c) => {
    const body = await readJson(c.req.raw);
    const name = String(body.name ?? "");
    if (!isFaultName(name)) return c.json({ error: `unknown fault ${JSON.stringify(name)}` }, 400);
    const options: FaultOptions = {
      times: body.times === null ? Number.POSITIVE_INFINITY : (num(body.times) ?? 1),
    };
    const code = num(body.code);
    const retryAfterMinutes = num(body.retryAfterMinutes);
    if (code !== undefined) options.code = code;
    if (retryAfterMinutes !== undefined) options.retryAfterMinutes = retryAfterMinutes;
    ctx.faults.set(name, options);
    return c.json({ faults: ctx.faults.list() });
  });
  app.delete("/__sandbox/faults", (c) => {
    const name = c.req.query("name");
    if (name !== undefined && !isFaultName(name)) return c.json({ error: `unknown fault ${name}` }, 400);
    ctx.faults.clear(name);
    return c.json({ faults: ctx.faults.list() });
  });

  app.get("/__sandbox/clock", (c) => c.json(clockJson(ctx)));
  /** Body `{ advanceMs }` or `{ advanceSeconds }`. */
  app.post("/__sandbox/clock", async (c) => {
    const body = await readJson(c.req.raw);
    const ms = num(body.advanceMs) ?? (num(body.advanceSeconds) ?? 0) * 1000;
    if (!(ms >= 0)) return c.json({ error: "advance must be >= 0" }, 400);
    ctx.clock.advance(ms);
    return c.json(clockJson(ctx));
  });

  /** Body `{ kind, ttlSeconds? }` → `{ access_token, expires_at }`. */
  app.post("/__sandbox/tokens", async (c) => {
    const body = await readJson(c.req.raw);
    const kind = String(body.kind ?? "ig_long");
    if (!(kind in TOKEN_TTL_S)) return c.json({ error: `unknown token kind ${kind}` }, 400);
    const ttl = body.ttlSeconds === null ? null : num(body.ttlSeconds);
    const record = ctx.tokens.issue(kind as TokenKind, ttl);
    return c.json({ access_token: record.token, kind, expires_at: record.expiresAt });
  });

  app.get("/__sandbox/media/:file", async (c) => {
    const id = c.req.param("file").replace(/\.jpe?g$/, "");
    const media = ctx.state.media.get(id);
    const containerId = media ? (media.children?.[0] ?? media.containerId) : id;
    const jpeg = await ctx.state.readImage(containerId);
    if (!jpeg) return c.json({ error: "no image" }, 404);
    return c.body(new Uint8Array(jpeg), 200, {
      "content-type": "image/jpeg",
      "cache-control": "max-age=3600",
    });
  });
  return app;
}

function clockJson(ctx: SandboxContext) {
  const now = ctx.clock.now();
  return { now, iso: new Date(now).toISOString(), frozen: ctx.clock.frozen };
}
