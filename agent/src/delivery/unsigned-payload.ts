/**
 * A part is signed without hashing its bytes (`x-amz-content-sha256: UNSIGNED-PAYLOAD`). Over a
 * plain-HTTP endpoint the SDK would otherwise hash every part with SHA-256 for SigV4, a third pass
 * over the bytes after the key's SHA-256 and the part's MD5. The bytes stay bound to the
 * signature: the part's `Content-MD5` is a signed header and S3 refuses a part whose body does not
 * match it (`BadDigest`); over HTTPS, TLS protects them on the way too. S3 accepts unsigned
 * payloads on every endpoint.
 */

type Handler = (args: { request: unknown }) => Promise<unknown>;

const unsignedPayload =
  (next: Handler): Handler =>
  (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers) request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
    return next(args);
  };

interface WithMiddleware {
  middlewareStack: { add(middleware: unknown, options: { step: "build"; name: string }): void };
}

/** `command`, sent with an unsigned payload. */
export function withUnsignedPayload<C extends WithMiddleware>(command: C): C {
  command.middlewareStack.add(unsignedPayload, { step: "build", name: "photoRelayUnsignedPayload" });
  return command;
}
