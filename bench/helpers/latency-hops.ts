/**
 * The hops of one photo's way from the writer's close to Instagram, as points in its marks (see
 * stack-taps.ts), and the table of their medians the latency benchmark prints.
 */
import type { Marks } from "./stack-taps.ts";

type Probe = (marks: Marks, id: string) => number | undefined;

const first =
  (what: string): Probe =>
  (m, id) =>
    m.first(id, what);
const firstMatching =
  (test: (what: string) => boolean): Probe =>
  (m, id) =>
    m.all(id).find((mark) => test(mark.what))?.at;

export const POINTS = {
  close: first("close"),
  /** The agent's first request about the original: readiness, spooling and hashing are behind it. */
  agentFirstRequest: firstMatching(
    (w) => w.startsWith("s3 ") && !w.includes("rendition") && w.endsWith(" sent"),
  ),
  uploaded: firstMatching((w) => /^s3 (CompleteMultipartUpload|PutObject) answered$/.test(w)),
  delivered: first("delivered"),
  notified: firstMatching((w) => w.startsWith("sqs convert sent")),
  convertReceived: first("sqs convert received"),
  convertRunning: first("journey convert:running"),
  convertDone: first("journey convert:done"),
  mirrorReceived: first("sqs mirror received"),
  mirrored: first("mirrored"),
  createReceived: first("sqs publish:create received"),
  containerCreated: first("container created"),
  containerReady: first("container ready"),
  publishReceived: first("sqs publish:publish received"),
  published: first("published"),
} satisfies Record<string, Probe>;

export type Point = keyof typeof POINTS;

export const HOPS: Array<[Point, Point, string]> = [
  ["close", "agentFirstRequest", "agent: close → first S3 request (readiness, settle, spool, hash)"],
  ["agentFirstRequest", "uploaded", "agent: HeadObject, multipart create, parts, complete"],
  ["uploaded", "delivered", "agent: verify (HeadObject), journal, archive → delivered"],
  ["uploaded", "notified", "local stack: S3 notification sent to the convert queue"],
  ["notified", "convertReceived", "SQS: convert consumer receives it"],
  ["convertReceived", "convertRunning", "convert: read + hash the original, create the record"],
  ["convertRunning", "convertDone", "convert: renditions (sharp), puts, record"],
  ["convertDone", "mirrorReceived", "SQS: mirror consumer receives its job"],
  ["mirrorReceived", "mirrored", "mirror: read, copy to the web folder, served over HTTP"],
  ["convertDone", "createReceived", "SQS: publish consumer receives `create`"],
  [
    "createReceived",
    "containerCreated",
    "publish create: quota read, caption, container (sandbox downloads)",
  ],
  ["containerCreated", "containerReady", "sandbox: container processing (graphProcessingMs)"],
  [
    "containerReady",
    "publishReceived",
    "publish: FINISHED seen (in the step or a queued check), `publish` received",
  ],
  ["publishReceived", "published", "publish: lease, status, quota read, media_publish"],
];

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  // Nearest rank: the p50 of 20 runs is the 10th value, the p95 the 19th.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export const at = (marks: Marks, id: string, point: Point): number | undefined => POINTS[point](marks, id);

/** Milliseconds from one point to another for the photo (NaN when either is missing). */
export function span(marks: Marks, id: string, from: Point, to: Point): number {
  const a = at(marks, id, from);
  const b = at(marks, id, to);
  return a === undefined || b === undefined ? Number.NaN : b - a;
}

/** Best, median and p95 of every hop over `ids`, as a Markdown table (ms). */
export function hopTable(marks: Marks, ids: string[]): string {
  const rows = HOPS.map(([from, to, label]) => {
    const values = ids.map((id) => span(marks, id, from, to)).filter((v) => !Number.isNaN(v));
    const ms = (v: number) => (Number.isNaN(v) ? "—" : Math.round(v).toString());
    const [best, p50, p95] = [percentile(values, 0), percentile(values, 50), percentile(values, 95)];
    return `| ${label} | ${ms(best)} | ${ms(p50)} | ${ms(p95)} | ${values.length} |`;
  });
  return ["| hop | best ms | p50 ms | p95 ms | runs |", "| --- | --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}
