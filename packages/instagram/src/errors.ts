/**
 * What can go wrong talking to Instagram, as named errors. {@link GraphApiError}'s `kind` is the
 * vocabulary the rest of photo-relay reacts to (wait, slow down, start over, stop); Meta's numeric
 * codes stay inside this package (`graph-error-kinds.ts` turns them into kinds; see
 * `docs/instagram-graph-api.md`). Messages never carry the access token.
 */
import { PhotoRelayError } from "@photo-relay/core";

/**
 * - `transient`: retry the same call with backoff.
 * - `not_ready`: the container is still processing: poll its status, then publish.
 * - `rate_limited`: call-rate limits; wait `retryAfterSeconds` when known.
 * - `quota_spent`: the rolling 24 h publishing quota: defer the publish.
 * - `auth`: the token is invalid, expired or lacks a permission: a person must act.
 * - `blocked`: the account is restricted or suspected of spam: stop posting.
 * - `rejected`: this media or request can never succeed.
 * - `container_invalid`: the container is gone (expired, not found): create a new one.
 */
export type GraphErrorKind =
  | "transient"
  | "not_ready"
  | "rate_limited"
  | "quota_spent"
  | "auth"
  | "blocked"
  | "rejected"
  | "container_invalid";

/** What Meta's envelope `{"error":{…}}` holds. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

export interface GraphApiErrorInit {
  kind: GraphErrorKind;
  message: string;
  httpStatus: number;
  body?: GraphErrorBody;
  retryAfterSeconds?: number;
}

const RETRYABLE: ReadonlySet<GraphErrorKind> = new Set([
  "transient",
  "not_ready",
  "rate_limited",
  "quota_spent",
]);

/** A Graph API error response. `code` (inherited, a string) is `instagram_<kind>`; Meta's number is `graphCode`. */
export class GraphApiError extends PhotoRelayError {
  readonly kind: GraphErrorKind;
  readonly graphCode: number | undefined;
  readonly subcode: number | undefined;
  readonly fbtraceId: string | undefined;
  /** The HTTP status Meta answered with (diagnostics only). */
  readonly httpStatus: number;
  readonly type: string | undefined;
  readonly userTitle: string | undefined;
  readonly userMsg: string | undefined;
  /** From `estimated_time_to_regain_access` (rate limits only). */
  readonly retryAfterSeconds: number | undefined;
  /** Retrying with the same container is pointless (or only worth once): make a new one. */
  readonly recreateContainer: boolean;

  constructor(init: GraphApiErrorInit) {
    super(`instagram_${init.kind}`, init.message, { retryable: RETRYABLE.has(init.kind) });
    this.name = "GraphApiError";
    this.kind = init.kind;
    this.graphCode = init.body?.code;
    this.subcode = init.body?.error_subcode;
    this.fbtraceId = init.body?.fbtrace_id;
    this.httpStatus = init.httpStatus;
    this.type = init.body?.type;
    this.userTitle = init.body?.error_user_title;
    this.userMsg = init.body?.error_user_msg;
    this.retryAfterSeconds = init.retryAfterSeconds;
    // 24/2207008 "creation id unknown" is worth one retry, then a new container.
    this.recreateContainer =
      init.kind === "container_invalid" || (this.graphCode === 24 && this.subcode === 2207008);
  }
}

/** A caption that breaks Instagram's rules under the `fail` policy: the photo fails with the reason. */
export class CaptionError extends PhotoRelayError {
  /** The rules broken, e.g. "31 hashtags (max 30)". */
  readonly broken: readonly string[];

  constructor(broken: readonly string[]) {
    super("caption_invalid", `the caption breaks Instagram's rules: ${broken.join(", ")}`);
    this.name = "CaptionError";
    this.broken = broken;
  }
}

/** Instagram could not process a container (ERROR, or still processing past the deadline). */
export class ContainerFailedError extends PhotoRelayError {
  /** The container, when one is to blame (not for carousel items still processing). */
  readonly containerId: string | undefined;

  constructor(message: string, containerId?: string) {
    super("container_failed", message);
    this.name = "ContainerFailedError";
    this.containerId = containerId;
  }
}

/** Instagram refused the token in force earlier: nothing is published until a new one is configured. */
export class TokenRefusedError extends PhotoRelayError {
  constructor(reason: string) {
    super(
      "instagram_auth",
      `Instagram refused the access token (${reason}); configure a new token, then retry the photo`,
    );
    this.name = "TokenRefusedError";
  }
}

/** The account or its token cannot do what was asked; `code` says what is missing. */
export class AccountSetupError extends PhotoRelayError {
  declare readonly code: "instagram_no_account" | "instagram_unsupported";

  constructor(code: "instagram_no_account" | "instagram_unsupported") {
    const message =
      code === "instagram_no_account"
        ? "no Facebook Page of this token has a linked Instagram account"
        : "Facebook Login tokens cannot be refreshed; exchange or log in again";
    super(code, message);
    this.name = "AccountSetupError";
  }
}
