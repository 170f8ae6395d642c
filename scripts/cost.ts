/**
 * `npm run cost`: what 1,000 photos cost on AWS, from the measured durations in
 * `bench/results.json`, each function's configured memory (`infra/functions.ts`) and the list prices
 * below. Every figure that is not measured is named as an assumption with its reason, and can be
 * replaced: `npm run cost -- --original-mb 40 --publish-seconds 0.8`. Prints the markdown table
 * `docs/cost.md` shows.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BenchResult } from "../bench/result.ts";
import { FUNCTIONS } from "../infra/functions.ts";

/** AWS list prices, US East (N. Virginia), x86_64, on-demand, beyond the free tiers. */
export const PRICES = {
  asOf: "2025-06 (AWS pricing pages as last read; not re-checked from this offline machine)",
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  s3StandardGbMonth: 0.023,
  s3GlacierIrGbMonth: 0.004,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  s3TransitionToGlacierIr: 0.02 / 1000,
  sqsRequest: 0.4 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoGbMonth: 0.25,
  httpApiRequest: 1.0 / 1e6,
  logsIngestGb: 0.5,
  transferOutGb: 0.09,
};

const CONVERT_BENCH = "imaging: D800 JPEG → 3 renditions";

const { values } = parseArgs({
  options: {
    results: { type: "string", default: "bench/results.json" },
    "original-mb": { type: "string", default: "20" },
    "renditions-mb": { type: "string", default: "1.3" },
    "mirror-seconds": { type: "string", default: "1.5" },
    "publish-seconds": { type: "string", default: "0.6" },
    "publish-steps": { type: "string", default: "4" },
    "item-kb": { type: "string", default: "3" },
    "phone-share": { type: "string", default: "0.2" },
  },
});
const num = (name: keyof typeof values) => Number(values[name]);

const root = resolve(import.meta.dirname, "..");
const results = JSON.parse(readFileSync(join(root, String(values.results)), "utf8")) as BenchResult[];
const convertSeconds = results.find((r) => r.name === CONVERT_BENCH && r.unit === "s")?.value;
if (convertSeconds === undefined)
  throw new Error(`${values.results}: no "${CONVERT_BENCH}" figure; run npm run bench -- imaging`);

const photos = 1000;
const gb = (mb: number) => mb / 1024;
const originalGb = gb(num("original-mb"));
const renditionsGb = gb(num("renditions-mb"));
const itemUnits = Math.ceil(num("item-kb"));
/** Photo writes: convert 3 (create, start, done), mirror 2, publish one per step plus done. */
const writesPerPhoto = 3 + 2 + num("publish-steps") + 1;

interface Line {
  item: string;
  quantity: string;
  usd: number;
  basis: string;
}

function lambda(name: string, memoryMb: number, seconds: number, invocations: number, basis: string): Line {
  const gbSeconds = invocations * seconds * (memoryMb / 1024);
  return {
    item: `Lambda ${name} (${memoryMb} MB)`,
    quantity: `${invocations} × ${seconds} s = ${gbSeconds.toFixed(0)} GB-s`,
    usd: gbSeconds * PRICES.lambdaGbSecond + invocations * PRICES.lambdaRequest,
    basis,
  };
}

const steps = num("publish-steps");
const lines: Line[] = [
  lambda("convert", FUNCTIONS.convert.memoryMb, convertSeconds, photos, `measured: bench "${CONVERT_BENCH}"`),
  lambda(
    "mirror",
    FUNCTIONS.mirror.memoryMb,
    num("mirror-seconds"),
    photos,
    "assumed: one FTPS/SFTP login + a ~1 MB upload to a remote host (bench measures loopback only)",
  ),
  lambda(
    "publish",
    FUNCTIONS.publish.memoryMb,
    num("publish-seconds"),
    photos * steps,
    `assumed: ${steps} steps (create, check, publish, permalink), one or two Graph calls each`,
  ),
  lambda(
    "api",
    FUNCTIONS.api.memoryMb,
    0.2,
    Math.round(photos * num("phone-share")),
    "assumed: one presign per phone upload; dashboard polling is per hour open, not per photo",
  ),
  {
    item: "S3 requests",
    quantity: `${photos * 10} PUT-class, ${photos * 5} GET`,
    usd: photos * (10 * PRICES.s3Put + 5 * PRICES.s3Get),
    basis:
      "per photo: multipart create + 3 parts + complete, sidecar, 3 renditions, heartbeat share; GET original, HEAD verify, mirror, Meta's download, a thumbnail",
  },
  {
    item: "S3 storage, first month",
    quantity: `${((originalGb + renditionsGb) * photos).toFixed(1)} GB Standard`,
    usd: (originalGb + renditionsGb) * photos * PRICES.s3StandardGbMonth,
    basis: `assumed: ${values["original-mb"]} MB original (a D800 JPEG), ${values["renditions-mb"]} MB of renditions`,
  },
  {
    item: "S3 storage, each later month",
    quantity: `${(originalGb * photos).toFixed(1)} GB Glacier IR + ${(renditionsGb * photos).toFixed(1)} GB Standard`,
    usd: photos * (originalGb * PRICES.s3GlacierIrGbMonth + renditionsGb * PRICES.s3StandardGbMonth),
    basis:
      "originals move to Glacier Instant Retrieval after 30 days (infra/storage.ts); kept forever by default",
  },
  {
    item: "S3 lifecycle transitions",
    quantity: `${photos} objects`,
    usd: photos * PRICES.s3TransitionToGlacierIr,
    basis: "once per original",
  },
  {
    item: "SQS requests",
    quantity: `${photos * (9 + 3 * steps)} requests`,
    usd: photos * (9 + 3 * steps) * PRICES.sqsRequest,
    basis:
      "send + receive + delete per message: S3 → convert, convert → mirror, convert → publish, each publish step",
  },
  {
    item: "DynamoDB writes (incl. index writes)",
    quantity: `${photos * writesPerPhoto * itemUnits * 5} WRU`,
    usd: photos * writesPerPhoto * itemUnits * 5 * PRICES.dynamoWriteUnit,
    basis: `${writesPerPhoto} item writes × ${itemUnits} WRU (a ${values["item-kb"]} KB item) × 5: each write changes updatedAt, the sort key of both indexes (projection ALL), so each index deletes and puts the item`,
  },
  {
    item: "DynamoDB reads",
    quantity: `${photos * (writesPerPhoto + 2)} RRU`,
    usd: photos * (writesPerPhoto + 2) * PRICES.dynamoReadUnit,
    basis: "a strongly consistent GetItem before every write, plus a couple of status reads",
  },
  {
    item: "API Gateway (HTTP API)",
    quantity: `${Math.round(photos * num("phone-share"))} requests`,
    usd: photos * num("phone-share") * PRICES.httpApiRequest,
    basis: `assumed: ${Number(values["phone-share"]) * 100} % of photos come from phones`,
  },
  {
    item: "CloudWatch Logs ingestion",
    quantity: `${(photos * 5) / 1000} MB`,
    usd: ((photos * 5) / 1e6) * PRICES.logsIngestGb,
    basis: "assumed: ~5 KB of JSON log lines per photo",
  },
  {
    item: "Data transfer out",
    quantity: `${(photos * 1.3) / 1000} GB`,
    usd: ((photos * 1.3) / 1024) * PRICES.transferOutGb,
    basis: "the web rendition to the web host, the Instagram rendition to Meta",
  },
];

const total = lines
  .filter((l) => l.item !== "S3 storage, each later month")
  .reduce((sum, l) => sum + l.usd, 0);
const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(3)}`);
console.log(`Per ${photos} photos, ${PRICES.asOf}; convert measured at ${convertSeconds} s\n`);
console.log("| item | quantity | USD | basis |\n| --- | --- | ---: | --- |");
for (const l of lines) console.log(`| ${l.item} | ${l.quantity} | ${usd(l.usd)} | ${l.basis} |`);
console.log(
  `| **total, first month** | | **${usd(total)}** | everything above but the later months' storage |`,
);

/**
 * Lambda polls each subscribed queue with long polls of up to 20 s even when it is empty; five
 * pollers per queue is the estimate used (AWS does not publish the idle count).
 */
const queues = 6;
const idlePolls = queues * 5 * 3 * 60 * 24 * 30;
console.log(`\nFixed, per month, whatever the number of photos:\n`);
console.log("| item | quantity | USD | basis |\n| --- | --- | ---: | --- |");
console.log(
  `| SQS polling by Lambda | ${idlePolls.toLocaleString("en")} requests | ${usd(idlePolls * PRICES.sqsRequest)} | estimate: ${queues} queues (3 stages, 3 dead-letter) × 5 pollers × a 20 s long poll |`,
);
console.log(
  `| Token refresh job | 30 × 1 s at ${FUNCTIONS.tokenRefresh.memoryMb} MB | ${usd(30 * (FUNCTIONS.tokenRefresh.memoryMb / 1024) * PRICES.lambdaGbSecond)} | daily (infra/schedules.ts) |`,
);
