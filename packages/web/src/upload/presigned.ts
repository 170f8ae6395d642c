/**
 * The presigned requests that came with a file's upload session (its ListParts and first parts),
 * so the S3 plugin's `signRequest` answers them without asking the API. Each is used once: a
 * retried part, or one asked for after the URLs' expiry, is signed afresh by the API.
 */

/** Left unused when less than this remains of a URL's validity: the request may outlast it. */
const MARGIN_MS = 60_000;

interface Entry {
  uploadId: string;
  list: string | undefined;
  parts: Map<number, string>;
  until: number;
}

const byKey = new Map<string, Entry>();

export interface PresignedSet {
  list: string;
  parts: string[];
  expiresAt: string;
}

/** Keeps `set` for the upload `uploadId` of `key`, replacing what was kept for that key. */
export function keepPresigned(key: string, uploadId: string, set: PresignedSet): void {
  byKey.set(key, {
    uploadId,
    list: set.list,
    parts: new Map(set.parts.map((url, i) => [i + 1, url])),
    until: Date.parse(set.expiresAt) - MARGIN_MS,
  });
}

/** The kept URL for this request, taken out (once), or undefined: then the API signs it. */
export function takePresigned(request: {
  method: string;
  key: string;
  uploadId?: string;
  partNumber?: number;
}): { url: string } | undefined {
  const entry = byKey.get(request.key);
  if (!entry || entry.uploadId !== request.uploadId) return undefined;
  if (Date.now() > entry.until) return void byKey.delete(request.key);
  let url: string | undefined;
  if (request.method === "GET") {
    url = entry.list;
    entry.list = undefined;
  } else if (request.method === "PUT" && request.partNumber !== undefined) {
    url = entry.parts.get(request.partNumber);
    entry.parts.delete(request.partNumber);
  }
  return url === undefined ? undefined : { url };
}
