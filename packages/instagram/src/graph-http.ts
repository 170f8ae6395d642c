/**
 * The Instagram Graph API client: both flavours (Instagram Login on graph.instagram.com, Facebook Login
 * on graph.facebook.com), a pinned API version and a configurable base URL (the sandbox, a harness).
 */
import { RetryableError } from "@photo-relay/core";
import type { GraphApiError } from "./errors.ts";
import { graphApiError, networkError } from "./graph-error-kinds.ts";
import { redactUrl } from "./redact-url.ts";
import { type GraphUsage, parseUsage } from "./usage.ts";

export type GraphFlavour = "instagram" | "facebook";
export type ContainerStatusCode = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export interface GraphClientOptions {
  /** The Instagram professional account id (`/{ig-user-id}/media`). */
  userId: string;
  /** A token string, or a function asked before every call (so a refreshed token is picked up). */
  accessToken: string | (() => string | Promise<string>);
  /** Pinned Graph version, e.g. "v25.0" (default). */
  apiVersion?: string;
  /** Default: inferred from `baseUrl` (graph.facebook.com → facebook), else "instagram". */
  flavour?: GraphFlavour;
  /** Default: https://graph.instagram.com or https://graph.facebook.com per flavour. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per-call timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Called with the usage headers of every response that has them. */
  onUsage?: (usage: GraphUsage) => void;
  /** Called before an `auth` error is thrown: Instagram refused `token`, the one the call carried (see `TokenKeeper.noteRefusal`). */
  onRefused?: (error: GraphApiError, token: string) => Promise<void>;
}

type Params = Record<string, string | number | boolean | undefined>;

/** Low-level request helper shared by the operations: JSON in, JSON out, errors typed. */
export class GraphHttp {
  readonly flavour: GraphFlavour;
  readonly baseUrl: string;
  readonly apiVersion: string;
  /** Usage from the most recent response that carried the headers. */
  lastUsage: GraphUsage | undefined;
  readonly #options: GraphClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: GraphClientOptions) {
    this.#options = options;
    const inferred =
      options.baseUrl && new URL(options.baseUrl).hostname.endsWith("facebook.com")
        ? "facebook"
        : "instagram";
    this.flavour = options.flavour ?? inferred;
    const defaultBase =
      this.flavour === "facebook" ? "https://graph.facebook.com" : "https://graph.instagram.com";
    this.baseUrl = (options.baseUrl ?? defaultBase).replace(/\/+$/, "");
    this.apiVersion = options.apiVersion ?? "v25.0";
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** Calls `path` under the pinned version (or unversioned with `versioned: false`). */
  async request<T>(method: "GET" | "POST", path: string, params: Params = {}, versioned = true): Promise<T> {
    const url = new URL(
      `${this.baseUrl}${versioned ? `/${this.apiVersion}` : ""}/${path.replace(/^\//, "")}`,
    );
    const body: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (method === "GET") url.searchParams.set(key, String(value));
      else body[key] = value;
    }
    const token =
      typeof this.#options.accessToken === "function"
        ? await this.#options.accessToken()
        : this.#options.accessToken;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    const init: RequestInit = {
      method,
      headers,
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
    };
    if (method === "POST") {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response: Response;
    let payload: unknown;
    try {
      response = await this.#fetch(url, init);
      const text = await response.text();
      payload = text ? safeJson(text) : undefined;
    } catch (error) {
      throw networkError(method, url, error);
    }
    const usage = parseUsage(response.headers);
    if (usage) {
      this.lastUsage = usage;
      this.#options.onUsage?.(usage);
    }
    const isError = !response.ok || (payload !== null && typeof payload === "object" && "error" in payload);
    if (isError) {
      const error = graphApiError(method, url, response.status, payload, usage?.retryAfterSeconds);
      if (error.kind === "auth") await this.#options.onRefused?.(error, token);
      throw error;
    }
    // A 2xx that is not JSON comes from something between us and Meta (a proxy, a captive portal).
    if (payload === undefined) {
      throw new RetryableError(
        "instagram_bad_response",
        `Graph API ${method} ${redactUrl(url)}: HTTP ${response.status} without JSON`,
      );
    }
    return payload as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
