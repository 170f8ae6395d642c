/**
 * The browser pages and their assets, built at build time by `@photo-relay/web` and imported as
 * one JSON bundle (so the Lambda carries them inside its own code). Page shells hold no data and
 * need no token; hashed assets are cached for good, shells are revalidated on every load.
 */
import type { Config } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { AssetBundle } from "@photo-relay/web";
import bundle from "@photo-relay/web/assets" with { type: "json" };
import type { Context, Hono } from "hono";

const web = bundle as AssetBundle;

export function mountPageRoutes(app: Hono, runtime: () => PublishRuntime): void {
  const shell = (name: keyof AssetBundle["pages"]) => (c: Context) => {
    c.header("cache-control", "no-cache");
    c.header("content-security-policy", contentSecurityPolicy(runtime().config));
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    return c.html(web.pages[name]);
  };
  app.get("/app", (c) => c.redirect("/app/dashboard"));
  app.get("/app/dashboard", shell("dashboard"));
  app.get("/app/upload", shell("upload"));
  app.get("/app/guest/:linkId", shell("guest"));
  app.get("/favicon.ico", (c) => c.body(null, 204));

  app.get("/app/assets/:name", (c) => {
    const asset = web.assets[c.req.path];
    if (!asset) return c.json({ error: { code: "not_found", message: "no such asset" } }, 404);
    c.header("etag", asset.etag);
    c.header("cache-control", "public, max-age=31536000, immutable");
    c.header("vary", "accept-encoding");
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304);
    c.header("content-type", asset.type);
    const brotli = asset.br && /\bbr\b/.test(c.req.header("accept-encoding") ?? "");
    if (brotli) c.header("content-encoding", "br");
    return c.body(Buffer.from(brotli ? (asset.br as string) : asset.body, "base64"));
  });
}

/**
 * Scripts only from this origin (the wasm SHA-256 needs `wasm-unsafe-eval`); requests and images
 * also to the bucket, where uploads go and thumbnails come from.
 */
function contentSecurityPolicy(config: Config): string {
  const bucket = bucketOrigins(config).join(" ");
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    // Uppy's dashboard positions its elements with inline styles.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${bucket}`,
    `connect-src 'self' ${bucket}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

function bucketOrigins(config: Config): string[] {
  const { bucket, endpoint, forcePathStyle } = config.s3;
  if (endpoint) {
    const url = new URL(endpoint);
    return forcePathStyle ? [url.origin] : [url.origin, `${url.protocol}//${bucket}.${url.host}`];
  }
  return [`https://${bucket}.s3.${config.region}.amazonaws.com`, `https://s3.${config.region}.amazonaws.com`];
}
