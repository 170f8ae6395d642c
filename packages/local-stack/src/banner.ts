/**
 * What `npm start` prints once the stack runs: every endpoint in use as the configuration has it
 * (one set by configuration, e.g. another Graph API or a real FTPS host, replaces the local
 * line), and where the API token is kept, never the token itself: logs are kept and shared.
 */
import { relative } from "node:path";
import type { Config, MirrorTarget } from "@photo-relay/core";
import type { LocalStack } from "./stack.ts";

export interface BannerPlaces {
  /** The agent's watched folder, or `false` when no agent runs. */
  inbox: string | false;
  processed: string;
  dataDir: string;
  /** Paths are shown relative to this folder. */
  cwd: string;
}

export function bannerText(
  stack: Pick<LocalStack, "config" | "urls" | "apiTokenFile">,
  places: BannerPlaces,
): string {
  const { config, urls } = stack;
  const here = (path: string) => relative(places.cwd, path) || ".";
  const rows: [string, string][] = [
    ["S3", endpoint(config.s3.endpoint, urls.aws, "fauxqs", `bucket ${config.s3.bucket}`, config.region)],
    ["SQS", endpoint(config.sqs.endpoint, urls.aws, "fauxqs", queueNames(config), config.region)],
    [
      "DynamoDB",
      endpoint(
        config.dynamodb.endpoint,
        urls.dynamodb,
        "dynalite",
        `table ${config.dynamodb.table}`,
        config.region,
      ),
    ],
    ["HTTP API", urls.api],
    [
      "API token",
      stack.apiTokenFile
        ? `stored in ${here(stack.apiTokenFile)} (send it as "Authorization: Bearer <token>")`
        : "as configured (PHOTO_RELAY_API_TOKEN or the config file)",
    ],
    ["Dashboard / phone upload", `${urls.api}/app/dashboard  ${urls.api}/app/upload`],
    ...config.mirror.targets.map((t): [string, string] => [
      `Mirror target ${t.name}`,
      mirrorLine(t, urls.web, here),
    ]),
    ...(config.mirror.targets.length === 0 ? [["Mirror", "no target configured"] as [string, string]] : []),
    ["Instagram Graph API", graphLine(config, urls.graph)],
    ["Instagram token refresh", refreshLine(config, here)],
    [
      "Agent inbox",
      places.inbox === false
        ? "(off)"
        : `${here(places.inbox)} → delivered to ${here(places.processed)}, refused files to rejected/`,
    ],
    ["Data", here(places.dataDir)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
  const drop = places.inbox === false ? "" : `Drop photos into ${here(places.inbox)}/ — `;
  return `\nphoto-relay local stack is running\n\n${lines}\n\n${drop}Ctrl-C stops.\n\n`;
}

/** The local server's URL with its name, or the configured endpoint (AWS itself when there is none). */
function endpoint(
  configured: string | undefined,
  local: string,
  server: string,
  what: string,
  region: string,
) {
  if (configured === local) return `${local}  (${server}, ${what})`;
  return configured ? `${configured}  (configured, ${what})` : `AWS in ${region}  (configured, ${what})`;
}

/** The stages' queues in the order a photo meets them; the reel queue only when videos have one. */
function queueNames(config: Config): string {
  const { convertQueueUrl, reelQueueUrl, mirrorQueueUrl, publishQueueUrl } = config.sqs;
  const reel = reelQueueUrl ? [reelQueueUrl] : [];
  const names = [convertQueueUrl, ...reel, mirrorQueueUrl, publishQueueUrl].map(
    (url) => url?.split("/").pop() ?? "(none)",
  );
  return `queues ${names.join(", ")}`;
}

/** A target's transports by where they write (no credentials), and its public URL. */
function mirrorLine(target: MirrorTarget, localWeb: string, here: (path: string) => string): string {
  const local = target.publicBaseUrl === localWeb;
  const places = target.transports.map((t) => {
    const where = (field: string) =>
      typeof t[field] === "string" || typeof t[field] === "number" ? t[field] : undefined;
    if (t.type === "local") return `local folder ${here(String(where("root") ?? "?"))}`;
    if (t.type === "s3") return `s3://${where("bucket") ?? "?"}/${where("prefix") ?? ""}`;
    const port = where("port");
    return `${t.type}://${where("host") ?? "?"}${port ? `:${port}` : ""}`;
  });
  const served = target.publicBaseUrl ? `, served at ${target.publicBaseUrl}` : "";
  return `${places.join(", then ")}${served}${local ? "  (local web server)" : ""}`;
}

function graphLine(config: Config, sandbox: string): string {
  const base = config.instagram.graphBaseUrl;
  if (base === sandbox) return `${base}  (local sandbox; its feed: ${sandbox}/)`;
  return `${base}  (configured, user ${config.instagram.userId})`;
}

function refreshLine(config: Config, here: (path: string) => string): string {
  const store = config.instagram.tokenStore;
  if (!store)
    return "not configured (the configured token is used as it is; set instagram.tokenStore to refresh it)";
  return store.type === "file"
    ? `hourly, kept in ${here(store.path)}`
    : `hourly, kept in SSM ${store.parameter}`;
}
