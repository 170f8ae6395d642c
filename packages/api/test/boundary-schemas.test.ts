/**
 * The API's boundary schemas are zod/mini (a smaller Api bundle); each must take and refuse what
 * its classic zod form did, with the same message. Side by side: the classic form of every schema,
 * as it stood before the move, against the one in use, over inputs good and bad.
 */
import { PHOTO_STATUSES } from "@photo-relay/pipeline/photo";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listQuery } from "../src/app.ts";
import { picksBody } from "../src/routes/bursts.ts";
import { liveQuery, photosQuery, statsQuery } from "../src/routes/dashboard.ts";
import { createBody } from "../src/routes/guest-links.ts";
import { captionBody, publishingBody } from "../src/routes/photo-actions.ts";
import { signBody } from "../src/routes/uploads.ts";
import { sessionRequest } from "../src/upload-sessions.ts";
import { presignableRequest } from "../src/upload-signer.ts";
import { ticketSchema } from "../src/upload-tickets.ts";
import { EXTENSIONS, uploadRequest } from "../src/uploads.ts";

const hex = /^[0-9a-f]{64}$/;
const sha = "a".repeat(64);
const iso = z.iso.datetime({ offset: true });

const classicPresignable = z.object({
  method: z.enum(["GET", "PUT", "POST", "DELETE"]),
  key: z.string().min(1).max(1024),
  uploadId: z.string().min(1).max(1024).optional(),
  partNumber: z.number().int().optional(),
  contentType: z.string().optional(),
});

/** [the schema in use, its classic form, inputs]. */
const pairs: Array<[string, { safeParse(v: unknown): unknown }, z.ZodType, unknown[]]> = [
  [
    "POST /upload-sessions",
    sessionRequest,
    z.object({
      filename: z.string().min(1).max(255),
      size: z.number().int().nonnegative(),
      contentType: z.string().max(255),
      sha256: z.string().regex(hex, "must be the file's SHA-256 in lower-case hex"),
      uploadId: z.string().min(1).max(1024).optional(),
    }),
    [
      { filename: "a.jpg", size: 10, contentType: "image/jpeg", sha256: sha },
      { filename: "a.jpg", size: 10, contentType: "image/jpeg", sha256: sha, uploadId: "u1" },
      { filename: "", size: -1.5, contentType: "x".repeat(256), sha256: "A", uploadId: "" },
      { filename: "x".repeat(256), size: "10", sha256: 5 },
      undefined,
      "text",
    ],
  ],
  [
    "POST /uploads",
    uploadRequest,
    z.object({
      filename: z.string().min(1).max(255),
      size: z.number().int().positive(),
      contentType: z.enum(Object.keys(EXTENSIONS) as [string, ...string[]], {
        error: `must be one of ${Object.keys(EXTENSIONS).join(", ")}`,
      }),
      sha256: z.string().regex(hex, "must be the file's SHA-256 in lower-case hex"),
    }),
    [
      { filename: "a.mov", size: 1, contentType: "video/quicktime", sha256: sha },
      { filename: "a", size: 0, contentType: "application/pdf", sha256: sha.toUpperCase() },
      { size: 2.5 },
      null,
    ],
  ],
  [
    "upload ticket",
    ticketSchema,
    z.object({
      key: z.string(),
      size: z.number().int().positive(),
      contentType: z.string(),
      filename: z.string(),
      source: z.string(),
      multipart: z.boolean(),
      link: z.string().optional(),
      exp: z.number().int(),
    }),
    [
      { key: "k", size: 1, contentType: "t", filename: "f", source: "phone", multipart: true, exp: 5 },
      {
        key: "k",
        size: 1,
        contentType: "t",
        filename: "f",
        source: "s",
        multipart: false,
        link: "l",
        exp: 1,
      },
      { key: 1, size: 0, multipart: "yes", link: 3, exp: 1.5 },
      [],
    ],
  ],
  [
    "Uppy's signing request",
    presignableRequest,
    classicPresignable,
    [
      { method: "GET", key: "k" },
      { method: "PATCH", key: "", partNumber: 1.5 },
    ],
  ],
  [
    "POST /upload-sessions/sign",
    signBody,
    z.object({ ticket: z.string().min(1).max(4096), request: classicPresignable }),
    [
      { ticket: "t", request: { method: "PUT", key: "k", uploadId: "u", partNumber: 2 } },
      { ticket: "", request: { method: "PUT", key: "k", uploadId: "" } },
      { ticket: "x".repeat(4097) },
    ],
  ],
  [
    "POST /photos/:id/publishing",
    publishingBody,
    z.object({ action: z.enum(["hold", "skip", "release"]) }),
    [{ action: "hold" }, { action: "post" }, {}],
  ],
  [
    "PUT /photos/:id/caption",
    captionBody,
    z.object({ caption: z.string().nullable() }),
    [{ caption: "hi" }, { caption: null }, { caption: 3 }, {}],
  ],
  [
    "POST /guest-links",
    createBody,
    z.object({
      label: z.string().trim().min(1).max(120),
      expiresAt: z.iso.datetime({ offset: true }),
      maxFiles: z.number().int().min(1).max(10_000),
      maxBytes: z
        .number()
        .int()
        .min(1024 * 1024, "a link must allow at least 1 MiB"),
    }),
    [
      { label: "  Wedding  ", expiresAt: "2026-12-31T10:00:00+01:00", maxFiles: 10, maxBytes: 2 ** 30 },
      { label: "   ", expiresAt: "tomorrow", maxFiles: 0, maxBytes: 1000 },
      { label: "x".repeat(121), expiresAt: "2026-12-31T10:00:00Z", maxFiles: 10_001, maxBytes: 2.5e6 },
    ],
  ],
  [
    "PUT /bursts/:id/picks",
    picksBody,
    z.object({
      picks: z.array(z.string().regex(hex)).min(1).max(10),
    }),
    [{ picks: [sha] }, { picks: [] }, { picks: Array(11).fill(sha) }, { picks: ["x"] }],
  ],
  [
    "GET /dashboard/photos",
    photosQuery,
    z.object({
      state: z.enum([...PHOTO_STATUSES, "dead_lettered"]).optional(),
      source: z
        .string()
        .regex(/^(agent|phone|guest|guest:[A-Za-z0-9_-]+|test|upload)$/)
        .optional(),
      from: iso.optional(),
      to: iso.optional(),
      q: z.string().max(200).optional(),
      frames: z.enum(["picks", "all"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(60),
      cursor: z.string().max(2000).optional(),
    }),
    [
      {},
      { state: "failed", source: "guest:ab_1", from: "2026-01-01T00:00:00Z", limit: "100", frames: "picks" },
      { state: "lost", source: "camera", to: "yesterday", q: "x".repeat(201), limit: "1.5", frames: "some" },
      { limit: "0" },
      { limit: "abc" },
      { limit: "501", cursor: "c".repeat(2001) },
    ],
  ],
  [
    "GET /dashboard/live",
    liveQuery,
    z.object({ since: iso.optional() }),
    [{}, { since: "2026-01-01T00:00:00.000Z" }, { since: "now" }],
  ],
  [
    "GET /dashboard/stats",
    statsQuery,
    z.object({ hours: z.coerce.number().int().min(1).max(48).default(6) }),
    [{}, { hours: "12" }, { hours: "49" }, { hours: "0.5" }, { hours: "x" }],
  ],
  [
    "GET /photos",
    listQuery,
    z.object({
      status: z.enum(PHOTO_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
      cursor: z.string().optional(),
    }),
    [{}, { status: "done", limit: "5", cursor: "c" }, { status: "nope", limit: "201" }, { limit: "-1" }],
  ],
];

type Outcome = { success: true; data: unknown } | { success: false; error: z.core.$ZodError };
const described = (result: unknown) => {
  const r = result as Outcome;
  return r.success ? { ok: r.data } : { refused: z.prettifyError(r.error) };
};

describe("the API's zod/mini schemas", () => {
  it.each(pairs)(
    "%s takes and refuses what the classic form did, with the same messages",
    (_, mini, classic, inputs) => {
      for (const input of inputs) {
        const expected = described(classic.safeParse(input));
        expect(described(mini.safeParse(input)), JSON.stringify(input)).toEqual(expected);
      }
      // Each schema meets at least one input it takes and one it refuses.
      const outcomes = inputs.map((input) => "ok" in described(classic.safeParse(input)));
      expect(outcomes).toContain(true);
      expect(outcomes).toContain(false);
    },
  );
});
