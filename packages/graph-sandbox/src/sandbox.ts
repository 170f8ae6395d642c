/**
 * `startGraphSandbox()`: one HTTP server that behaves like graph.facebook.com, graph.instagram.com and
 * rupload.facebook.com (versioned and unversioned paths) for one professional account.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { VirtualClock } from "./clock.ts";
import type { GraphEnv, SandboxContext, SandboxSettings } from "./context.ts";
import { FaultSwitches } from "./faults.ts";
import { GraphError, type GraphErrorInit } from "./graph-error.ts";
import { graphMiddleware } from "./graph-middleware.ts";
import { unversionedPath } from "./request.ts";
import { adminRoutes } from "./routes-admin.ts";
import { identityRoutes } from "./routes-identity.ts";
import { publishingRoutes } from "./routes-publishing.ts";
import { type Account, SandboxState } from "./state.ts";
import { type TokenKind, TokenStore } from "./tokens.ts";
import { UsageMeter } from "./usage-headers.ts";

/** The token the local stack uses unless told otherwise: Instagram-Login long-lived, never expires. */
export const DEFAULT_SANDBOX_TOKEN = "IGAA-photo-relay-sandbox-token";

export interface GraphSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only. */
  host?: "127.0.0.1" | "::1" | "localhost";
  /** `config.quota_total` of content_publishing_limit (default 50). */
  quotaTotal?: number;
  /** Containers per rolling 24 h (default 400). */
  containerLimit?: number;
  /** The error past `containerLimit`: Meta's code is **UNCONFIRMED** (default 9/2207042 wording adapted). */
  containerLimitError?: GraphErrorInit;
  /** How long an image (and carousel) container stays IN_PROGRESS, in virtual ms (default 1000). */
  processingMs?: number;
  /** The same for videos after download or upload (default `processingMs`). */
  videoProcessingMs?: number;
  /** Download timeout for image_url / video_url in real ms (default 10 000); past it → -2/2207003. */
  fetchTimeoutMs?: number;
  clock?: VirtualClock;
  /** Extra valid tokens: a string is an Instagram long-lived token that never expires; an object gets its kind's lifetime unless `ttlSeconds`. */
  tokens?: Array<string | { token: string; kind?: TokenKind; ttlSeconds?: number | null }>;
  /** The well-known never-expiring token (default {@link DEFAULT_SANDBOX_TOKEN}); `false` for none. */
  defaultToken?: string | false;
  account?: Partial<Account>;
  /** Publishing a PUBLISHED container: an error (default) or the same media id. Meta's behaviour is **UNCONFIRMED**. */
  republish?: "error" | "same_media";
  republishError?: GraphErrorInit;
  /** Hourly call budget the usage headers report against (default 200). */
  callsPerHour?: number;
  /**
   * The folder downloaded images are kept in (default: a fresh one in the system's temporary
   * folder). Like the rest of the sandbox's state it lasts as long as the sandbox: removed at `stop()`.
   */
  mediaDir?: string;
}

export interface GraphSandbox {
  /** Base URL, e.g. `http://127.0.0.1:41234` — use as the client's base URL for either flavour. */
  url: string;
  port: number;
  clock: VirtualClock;
  faults: FaultSwitches;
  state: SandboxState;
  tokens: TokenStore;
  account: Account;
  /** The default token, unless disabled. */
  defaultToken: string | undefined;
  /** Issues a valid token of `kind` (lifetime per Meta unless `ttlSeconds`; `null` never expires). */
  issueToken(kind: TokenKind, ttlSeconds?: number | null): string;
  stop(): Promise<void>;
}

const DEFAULT_ACCOUNT: Account = {
  igUserId: "17841405822304914",
  appScopedId: "7328150475914352",
  username: "photo_relay_sandbox",
  pageId: "104857600123456",
  pageName: "Photo Relay Sandbox",
  fbUserId: "10160000000000001",
};

/** Starts the sandbox on a loopback port. */
export async function startGraphSandbox(options: GraphSandboxOptions = {}): Promise<GraphSandbox> {
  const clock = options.clock ?? new VirtualClock();
  const account: Account = { ...DEFAULT_ACCOUNT, ...options.account };
  const processingMs = options.processingMs ?? 1000;
  const settings: SandboxSettings = {
    quotaTotal: options.quotaTotal ?? 50,
    containerLimit: options.containerLimit ?? 400,
    containerLimitError: options.containerLimitError ?? {
      code: 9,
      subcode: 2207042,
      message: "Application request limit reached",
      userMsg: "You reached the maximum number of media containers allowed in 24 hours.",
    },
    processingMs,
    videoProcessingMs: options.videoProcessingMs ?? processingMs,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 10_000,
    republish: options.republish ?? "error",
    republishError: options.republishError ?? {
      code: 100,
      message: "(#100) The media has already been published.",
    },
  };
  let baseUrl = "";
  const mediaDir = options.mediaDir ?? (await mkdtemp(join(tmpdir(), "graph-sandbox-media-")));
  await mkdir(mediaDir, { recursive: true });
  const ctx: SandboxContext = {
    clock,
    faults: new FaultSwitches(),
    state: new SandboxState(clock, account),
    tokens: new TokenStore(clock),
    usage: new UsageMeter(options.callsPerHour ?? 200),
    settings,
    mediaDir,
    baseUrl: () => baseUrl,
  };
  const defaultToken =
    options.defaultToken === false ? undefined : (options.defaultToken ?? DEFAULT_SANDBOX_TOKEN);
  if (defaultToken) ctx.tokens.issue("ig_long", null, defaultToken);
  for (const t of options.tokens ?? []) {
    if (typeof t === "string") ctx.tokens.issue("ig_long", null, t);
    else ctx.tokens.issue(t.kind ?? "ig_long", t.ttlSeconds, t.token);
  }

  const app = new Hono<GraphEnv>({ getPath: (request) => unversionedPath(request.url) });
  app.route("/", adminRoutes(ctx));
  app.use("*", graphMiddleware(ctx));
  app.route("/", identityRoutes(ctx));
  app.route("/", publishingRoutes(ctx));
  app.notFound((c) =>
    c.json(
      new GraphError({ code: 100, message: `Unknown path components: ${c.req.path}` }).toEnvelope(),
      400,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof GraphError) return c.json(error.toEnvelope(), error.httpStatus as 400);
    console.error("graph-sandbox: unexpected error", error);
    return c.json(
      new GraphError({ code: 1, isTransient: true, message: "An unknown error occurred" }).toEnvelope(),
      500,
    );
  });

  const host = options.host ?? "127.0.0.1";
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
      s.once("error", reject);
    },
  );
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: baseUrl,
    port,
    clock,
    faults: ctx.faults,
    state: ctx.state,
    tokens: ctx.tokens,
    account,
    defaultToken,
    issueToken: (kind, ttlSeconds) => ctx.tokens.issue(kind, ttlSeconds).token,
    stop: async () => {
      await new Promise<void>((resolve, reject) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}
