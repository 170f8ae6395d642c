/** Drops secrets from a URL before it goes into a message: tokens, app secrets, exchange tokens. */
export function redactUrl(url: string | URL): string {
  const u = new URL(url);
  for (const key of ["access_token", "client_secret", "fb_exchange_token", "input_token"]) {
    if (u.searchParams.has(key)) u.searchParams.set(key, "REDACTED");
  }
  return u.toString().replace(/REDACTED/g, "…");
}
