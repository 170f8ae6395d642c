/**
 * Graph API errors as the sandbox sends them: the documented envelope (HTTP 400, 403 for code 200)
 * with a random `fbtrace_id`. Messages follow Meta's error-code page and observed responses.
 */
import { randomBytes } from "node:crypto";

export interface GraphErrorInit {
  code: number;
  subcode?: number;
  message: string;
  type?: "OAuthException" | "IGApiException" | "GraphMethodException";
  isTransient?: boolean;
  userTitle?: string;
  userMsg?: string;
  /** Overrides the documented status (400, or 403 for code 200). */
  httpStatus?: number;
}

export class GraphError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly type: string;
  readonly isTransient: boolean;
  readonly userTitle: string | undefined;
  readonly userMsg: string | undefined;
  readonly httpStatus: number;

  constructor(init: GraphErrorInit) {
    super(init.message);
    this.name = "GraphError";
    this.code = init.code;
    this.subcode = init.subcode;
    this.type = init.type ?? "OAuthException";
    this.isTransient = init.isTransient ?? false;
    this.userTitle = init.userTitle;
    this.userMsg = init.userMsg;
    this.httpStatus = init.httpStatus ?? (init.code === 200 ? 403 : 400);
  }

  /** The JSON body Meta sends. */
  toEnvelope(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { message: this.message, type: this.type, code: this.code };
    if (this.subcode !== undefined) error.error_subcode = this.subcode;
    error.is_transient = this.isTransient;
    if (this.userTitle !== undefined) error.error_user_title = this.userTitle;
    if (this.userMsg !== undefined) error.error_user_msg = this.userMsg;
    error.fbtrace_id = randomBytes(8).toString("base64url");
    return { error };
  }
}

/** Publishing errors from Meta's table (code/subcode → message), plus generic Graph codes. */
export const errors = {
  missingToken: () =>
    new GraphError({ code: 104, message: "An access token is required to request this resource." }),
  invalidToken: () =>
    new GraphError({
      code: 190,
      subcode: 467,
      message: "Invalid OAuth access token - Cannot parse access token",
    }),
  expiredToken: (expiredAt: number, now: number) =>
    new GraphError({
      code: 190,
      subcode: 463,
      message: `Error validating access token: Session has expired on ${fbDate(expiredAt)}. The current time is ${fbDate(now)}.`,
    }),
  unsupported: (method: string, id: string) =>
    new GraphError({
      code: 100,
      subcode: 33,
      type: "GraphMethodException",
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    }),
  unsupportedMethod: (method: string) =>
    new GraphError({
      code: 100,
      type: "IGApiException",
      message: `Unsupported request - method type: ${method.toLowerCase()}`,
    }),
  param: (message: string, subcode?: number) =>
    new GraphError({
      code: 100,
      ...(subcode === undefined ? {} : { subcode }),
      message: `(#100) ${message}`,
    }),
  nonexistingField: (field: string, node: string) =>
    new GraphError({
      code: 100,
      message: `(#100) Tried accessing nonexisting field (${field}) on node type (${node})`,
    }),
  fetchFailed: (url: string) =>
    new GraphError({
      code: 9004,
      subcode: 2207052,
      message: "Only photo or video can be accepted as media type.",
      userTitle: "Media download has failed.",
      userMsg: `The media could not be fetched from this URI: ${url}. Please check the URI and try again.`,
    }),
  fetchTimeout: () =>
    new GraphError({
      code: -2,
      subcode: 2207003,
      isTransient: true,
      message: "It takes too long to download the media.",
      userTitle: "Timeout",
      userMsg: "It takes too long to download the media.",
    }),
  imageTooLarge: () =>
    new GraphError({
      code: 36000,
      subcode: 2207004,
      message: "The image is too large to download. It should be less than 8 MiB.",
      userTitle: "Image size too large",
    }),
  imageFormat: () =>
    new GraphError({
      code: 36001,
      subcode: 2207005,
      message: "The image format is not supported. Supported formats are: JPEG.",
      userTitle: "Unsupported image format",
    }),
  aspectRatio: () =>
    new GraphError({
      code: 36003,
      subcode: 2207009,
      message:
        "The submitted image with aspect ratio cannot be published. Please submit an image with a valid aspect ratio.",
      userTitle: "Aspect ratio not supported",
    }),
  captionTooLong: () =>
    new GraphError({
      code: 36004,
      subcode: 2207010,
      message: "The caption was too long.",
      userTitle: "Caption too long",
    }),
  tooManyMentions: () =>
    new GraphError({
      code: 100,
      subcode: 2207040,
      message: "(#100) Cannot use more than 20 tags per created media.",
    }),
  unknownMediaType: () =>
    new GraphError({ code: 100, subcode: 2207023, message: "(#100) The media type is not supported." }),
  carouselSize: () =>
    new GraphError({
      code: 100,
      subcode: 2207028,
      message: "(#100) Carousel must contain between 2 and 10 items.",
    }),
  badThumbOffset: () =>
    new GraphError({
      code: 1,
      subcode: 2207057,
      message: "The thumbnail offset entered exceeds the video duration.",
    }),
  notReady: () =>
    new GraphError({
      code: 9007,
      subcode: 2207027,
      message: "Media ID is not available",
      userTitle: "Cannot publish",
      userMsg: "The media is not ready to be published. Please wait a moment.",
    }),
  creationIdUnknown: () =>
    new GraphError({
      code: 24,
      subcode: 2207008,
      isTransient: true,
      message: "The container ID is invalid or has expired.",
      userTitle: "Media builder expired",
    }),
  containerExpired: () =>
    new GraphError({ code: -2, subcode: 2207020, message: "The media has expired. Please upload it again." }),
  quotaReached: () =>
    new GraphError({
      code: 9,
      subcode: 2207042,
      message: "Application request limit reached",
      userTitle: "Publishing limit reached",
      userMsg: "You reached the maximum number of posts that is allowed to be published by API in 24 hours.",
    }),
  serverError: () =>
    new GraphError({
      code: -1,
      subcode: 2207001,
      isTransient: true,
      message: "An unexpected error has occurred. Please retry your request later.",
    }),
  service: () => new GraphError({ code: 2, isTransient: true, message: "Service temporarily unavailable" }),
  permission: () =>
    new GraphError({
      code: 200,
      message: "(#200) Requires ads_management permission to manage the object",
    }),
  unknown: () => new GraphError({ code: 1, isTransient: true, message: "An unknown error occurred" }),
  spam: () =>
    new GraphError({
      code: 4,
      subcode: 2207051,
      message: "Application request limit reached",
      userTitle: "Action is blocked",
      userMsg:
        "We restrict certain activity to protect our community. Let us know if you think we made a mistake.",
    }),
  restricted: () =>
    new GraphError({
      code: 25,
      subcode: 2207050,
      message: "The Instagram account is restricted.",
      userTitle: "Restricted account",
      userMsg: "The app user's Instagram Professional account is inactive, checkpointed, or restricted.",
    }),
  rateLimit: (code: number) =>
    new GraphError({ code, isTransient: true, message: RATE_LIMIT_MESSAGES[code] ?? "Rate limit reached" }),
  tooManyActions: (code: number) =>
    new GraphError({
      code,
      type: "IGApiException",
      httpStatus: 401,
      message: "User is performing too many actions",
    }),
} as const;

const RATE_LIMIT_MESSAGES: Record<number, string> = {
  4: "(#4) Application request limit reached",
  17: "(#17) User request limit reached",
  32: "(#32) Page request limit reached",
  613: "(#613) Calls to this api have exceeded the rate limit.",
  80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.",
};

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Meta's date style in token errors, e.g. "Sunday, 22-Nov-26 03:48:17 UTC" (Meta prints Pacific time). */
function fbDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}
