/**
 * The pages' one way to the API. The admin pages send the API token they keep in this browser's
 * localStorage; the guest page sends its link's scoped token (from the URL fragment, which never
 * reaches a server log). Errors come back as {@link ApiError} with the API's stable code.
 */

const TOKEN_KEY = "photo-relay-token";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export type Credentials = { kind: "admin"; token: string } | { kind: "guest"; token: string };

let credentials: Credentials | undefined;

/** The token in force: a guest page's link token, or the admin token saved in this browser. */
export function currentCredentials(): Credentials | undefined {
  if (credentials) return credentials;
  const saved = localStorage.getItem(TOKEN_KEY);
  return saved ? { kind: "admin", token: saved } : undefined;
}

export function useGuestToken(token: string): void {
  credentials = { kind: "guest", token };
}

export function saveAdminToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token.trim());
  credentials = undefined;
}

export function forgetAdminToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

export interface ApiResponse<T> {
  status: number;
  body: T | undefined;
  etag: string | null;
}

/** A JSON request; throws {@link ApiError} for any answer that is not 2xx or 304. */
export async function request<T>(
  path: string,
  init: { method?: string; body?: unknown; etag?: string; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const creds = currentCredentials();
  const headers: Record<string, string> = { accept: "application/json" };
  if (creds) headers.authorization = `Bearer ${creds.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.etag) headers["if-none-match"] = init.etag;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      ...(init.signal && { signal: init.signal }),
      cache: "no-store",
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(
      0,
      "offline",
      "The server cannot be reached. Check the connection; this page retries.",
    );
  }
  if (res.status === 304) return { status: 304, body: undefined, etag: res.headers.get("etag") };
  const text = await res.text();
  const body = text ? (safeJson(text) as T & { error?: { code: string; message: string } }) : undefined;
  if (!res.ok) {
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    if (res.status === 401 && creds?.kind === "admin") forgetAdminToken();
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `The server answered ${res.status}.`,
    );
  }
  return { status: res.status, body, etag: res.headers.get("etag") };
}

/** The body of a successful request. */
export async function api<T>(path: string, init: Parameters<typeof request>[1] = {}): Promise<T> {
  return (await request<T>(path, init)).body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
