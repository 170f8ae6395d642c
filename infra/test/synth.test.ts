/**
 * `sst.config.ts` synthesized offline (scripts/synth/) with a deploying shell that holds what a
 * developer's shell may hold: real settings, local-only endpoints, secrets under PHOTO_RELAY_*.
 * Each function must come out with exactly the rights, links, limits and environment below.
 */
import {
  FUNCTION_NEEDS,
  FUNCTION_OPTIONS,
  PHOTOS_TABLE,
  SUMMARY_PROJECTION,
} from "@photo-relay/pipeline/settings";
import { beforeAll, describe, expect, it } from "vitest";
import { linksFor } from "../../functions/src/links.ts";
import { type Graph, inspect } from "../../scripts/synth/graph.ts";
import { FUNCTIONS as DEPLOYED } from "../functions.ts";
import { EXPECTED_FUNCTIONS as FUNCTIONS } from "./expected-functions.ts";
import { synthesize } from "./graph.ts";

const REGION = "ap-southeast-2"; // named nowhere in the code: whatever appears was not pinned
const SECRETS = {
  SST_SECRET_ApiToken: "sentinel-api-token-7f3a9c11",
  SST_SECRET_InstagramToken: "sentinel-ig-token-51c2",
  SST_SECRET_MirrorFtpPassword: "sentinel-ftp-pass-e81b",
  SST_SECRET_MirrorSftpKey: "sentinel-sftp-key-0d4e",
};
const SHELL = {
  PHOTO_RELAY_INSTAGRAM_USER_ID: "17841400000000000",
  PHOTO_RELAY_PUBLISH_MODE: "manual",
  PHOTO_RELAY_MIRROR_TARGETS: JSON.stringify([
    {
      name: "web",
      transports: [
        { type: "ftps", host: "ftp.example.com", user: "web", passwordSecret: "MirrorFtpPassword" },
        {
          type: "sftp",
          host: "ssh.example.com",
          user: "web",
          privateKeySecret: "MirrorSftpKey",
          hostKeyFingerprint: "SHA256:x",
        },
        { type: "s3", bucket: "example-web-bucket", prefix: "photos/" },
      ],
      publicBaseUrl: "https://example.com/photos/",
    },
  ]),
  // File-only settings; naming the original among the mirrored renditions lets mirror read originals/.
  PHOTO_RELAY_SETTINGS: JSON.stringify({
    mirror: { renditions: ["web", "original"] },
    convert: { jpegQuality: 82 },
  }),
  PHOTO_RELAY_KEEP_RENDITIONS_DAYS: "365",
  PHOTO_RELAY_ALERT_EMAIL: "ops@example.com",
};
/** Left over from local work in the same shell: none of it may reach a function. */
const LOCAL_ONLY = {
  PHOTO_RELAY_CONFIG: "/home/dev/photo-relay.json",
  PHOTO_RELAY_S3_ENDPOINT: "http://127.0.0.1:4566",
  PHOTO_RELAY_API_TOKEN: "sentinel-shell-api-token",
  PHOTO_RELAY_INSTAGRAM_TOKEN: "sentinel-shell-ig-token",
  PHOTO_RELAY_REGION: "us-east-1",
};

let graph: Graph;
let view: ReturnType<typeof inspect>;
beforeAll(() => {
  graph = synthesize({ AWS_REGION: REGION, ...SECRETS, ...SHELL, ...LOCAL_ONLY });
  view = inspect(graph);
}, 300_000);

describe.each(Object.entries(FUNCTIONS))("synthesis: function %s", (name, spec) => {
  it("runs Node.js 24 on x86_64 with its memory and timeout, built by SST from its handler", () => {
    const fn = view.function(name);
    expect(fn.lambda).toMatchObject({
      runtime: "nodejs24.x",
      architectures: ["x86_64"],
      memorySize: spec.memory,
      timeout: spec.timeout,
    });
    expect(fn.build).toMatchObject({
      runtime: "nodejs24.x",
      properties: { minify: true, architecture: "x86_64" },
    });
    expect(fn.lambda.ephemeralStorage).toEqual({ size: spec.storage ?? 512 });
    if (spec.install) {
      const { install } = (fn.build?.properties ?? {}) as { install?: object };
      expect(Object.keys(install ?? {})).toEqual(spec.install);
    }
  });

  it("has exactly its rights, no wildcard, and a role only Lambda may assume", () => {
    const fn = view.function(name);
    expect(fn.rights).toEqual([...spec.rights].sort());
    expect(fn.statements.every((s) => s.Effect === "Allow" && s.Action.every((a) => !a.includes("*")))).toBe(
      true,
    );
    expect(fn.role.managedPolicyArns).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
    const trust = fn.role.assumeRolePolicy;
    expect(typeof trust === "string" ? JSON.parse(trust) : trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Action: "sts:AssumeRole",
          Principal: { Service: "lambda.amazonaws.com" },
          Effect: "Allow",
          Sid: "AllowAssumeRole",
        },
      ],
    });
  });

  it("reads exactly its links: what its configuration needs (and, for mirror, the secrets its targets name)", () => {
    expect(view.function(name).links).toEqual([...spec.links].sort());
    const key = Object.entries(DEPLOYED).find(([, f]) => f.name === name)?.[0] as keyof typeof FUNCTION_NEEDS;
    const secrets = name === "Mirror" ? ["MirrorFtpPassword", "MirrorSftpKey"] : [];
    const fields = [...FUNCTION_NEEDS[key], ...(FUNCTION_OPTIONS[key] ?? [])];
    expect([...linksFor(fields), ...secrets].sort()).toEqual([...spec.links].sort());
  });

  it("consumes its queues in partial batches, capped, within the queue's visibility timeout", () => {
    const fn = view.function(name);
    const sources = fn.eventSources.map((s) => ({
      queue: view.short(String(s.queue?.outputs.arn)),
      batch: s.batchSize,
      maxConcurrency: s.scalingConfig?.maximumConcurrency,
    }));
    expect(sources.sort((a, b) => a.queue.localeCompare(b.queue))).toEqual(spec.queues);
    for (const source of fn.eventSources) {
      expect(source.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(Number(source.queue?.inputs.visibilityTimeoutSeconds)).toBeGreaterThan(spec.timeout);
    }
  });

  it("gets settings only from the allow-list: no secret, no local endpoint, no region, well under 4 KB", () => {
    const env = view.function(name).environment;
    expect(Object.keys(env).sort()).toEqual([
      "PHOTO_RELAY_INSTAGRAM_TOKEN_STORE",
      "PHOTO_RELAY_INSTAGRAM_USER_ID",
      "PHOTO_RELAY_MIRROR_TARGETS",
      "PHOTO_RELAY_PUBLISH_MODE",
      "PHOTO_RELAY_SETTINGS",
      "SST_KEY",
      "SST_KEY_FILE",
      "SST_RESOURCE_App",
    ]);
    const text = JSON.stringify(env);
    for (const secret of [
      ...Object.values(SECRETS),
      LOCAL_ONLY.PHOTO_RELAY_API_TOKEN,
      LOCAL_ONLY.PHOTO_RELAY_INSTAGRAM_TOKEN,
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/127\.0\.0\.1|ap-southeast-2|us-east-1/);
    expect(Buffer.byteLength(Object.entries(env).flat().join(""))).toBeLessThan(2048);
  });
});

describe("synthesis: the app", () => {
  it("pins no region: the provider takes the deploying shell's, and no resource names another", () => {
    expect(graph.app.providers.aws).toEqual({});
    expect(JSON.stringify(graph.resources)).not.toContain("us-east-1");
  });

  it("keeps no secret in any resource's plain inputs but SST's own (the secret, and the function's encrypted links)", () => {
    const plain = graph.resources.filter((r) => !["sst:sst:Secret", "sst:sst:LinkRef"].includes(r.type));
    const text = JSON.stringify(plain.map((r) => r.inputs));
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  it("sends new originals and the agents' reports to the convert queue and keeps objects per the settings", () => {
    const notification = view.of("aws:s3/bucketNotification:BucketNotification")[0]?.inputs;
    expect(notification?.queues).toEqual([
      expect.objectContaining({ events: ["s3:ObjectCreated:*"], filterPrefix: "originals/" }),
      expect.objectContaining({
        events: ["s3:ObjectCreated:*"],
        filterPrefix: "agents/",
        filterSuffix: ".json",
      }),
    ]);
    const queues = (notification?.queues ?? []) as { filterSuffix?: string }[];
    expect(queues[0]).not.toHaveProperty("filterSuffix");
    const rules = view.of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]?.inputs
      .rules as Record<string, unknown>[];
    expect(rules).toEqual([
      expect.objectContaining({
        id: "abort-stale-multipart",
        abortIncompleteMultipartUpload: { daysAfterInitiation: 14 },
      }),
      expect.objectContaining({
        id: "archive-originals",
        filter: { prefix: "originals/" },
        transitions: [{ days: 30, storageClass: "GLACIER_IR" }],
      }),
      expect.objectContaining({
        id: "expire-renditions",
        filter: { prefix: "renditions/" },
        expiration: { days: 365 },
      }),
    ]);
    expect(rules[1]).not.toHaveProperty("expiration"); // originals: kept forever unless configured
  });

  it("declares the Photos table's indexes as the local stack creates them; the grid's projects a card", () => {
    const table = view.of("aws:dynamodb/table:Table")[0]?.inputs;
    const indexes = ((table?.globalSecondaryIndexes ?? []) as Record<string, unknown>[]).map((i) => ({
      name: i.name,
      hashKey: i.hashKey,
      rangeKey: i.rangeKey,
      projectionType: i.projectionType,
      nonKeyAttributes: i.nonKeyAttributes,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
      Object.entries(PHOTOS_TABLE.indexes)
        .map(([name, keys]) => ({
          name,
          hashKey: keys.partitionKey,
          rangeKey: keys.sortKey,
          projectionType: name === "byArrival" ? "INCLUDE" : "ALL",
          nonKeyAttributes: name === "byArrival" ? [...SUMMARY_PROJECTION] : undefined,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it("mails dead-letter alerts to the configured address and refreshes the token daily", () => {
    expect(view.of("aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs)).toEqual([
      expect.objectContaining({ protocol: "email", endpoint: "ops@example.com" }),
    ]);
    const schedule = view.of("aws:scheduler/schedule:Schedule")[0]?.inputs;
    expect(schedule).toMatchObject({ scheduleExpression: "rate(1 day)", state: "ENABLED" });
    expect(String((schedule?.target as { arn?: string } | undefined)?.arn)).toContain(
      "InstagramTokenRefreshFunction",
    );
  });
});
