/** A local stack for integration tests: random ports, a temp data folder, quiet logs, fast timings. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createLogger, originalKey, sha256Hex } from "@photo-relay/core";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "@photo-relay/local-stack";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { waitFor } from "./wait.ts";

/** Settings that keep integration tests fast: quick status checks and redeliveries. */
export const FAST_SETTINGS = {
  redelivery: { baseSeconds: 1, maxSeconds: 2 },
  instagram: { checkDelaysSeconds: [1] },
  // Tests read `/status` right after what they count happened.
  api: { statusMaxAgeSeconds: 0, photosMaxAgeSeconds: 0 },
};

export async function testStack(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const extra = (options.settings ?? {}) as Record<string, object>;
  return startLocalStack({
    dataDir: join(mkdtempSync(join(tmpdir(), "photo-relay-it-")), ".data"),
    inbox: false,
    graphProcessingMs: 200,
    logger: createLogger("it", { level: "SILENT" }),
    env: {}, // the developer's own PHOTO_RELAY_* settings never leak into tests
    ...options,
    settings: {
      ...FAST_SETTINGS,
      ...extra,
      redelivery: { ...FAST_SETTINGS.redelivery, ...extra.redelivery },
      instagram: { ...FAST_SETTINGS.instagram, ...extra.instagram },
      api: { ...FAST_SETTINGS.api, ...extra.api },
    },
  });
}

/** Uploads an original as a phone or the agent would, returning the photo id. */
export async function uploadOriginal(
  stack: LocalStack,
  data: Buffer,
  name = "photo.jpg",
  source = "test",
): Promise<string> {
  const id = sha256Hex(data);
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.s3.bucket,
      Key: originalKey(id, ".jpg"),
      Body: data,
      Metadata: { "original-name": name, source },
    }),
  );
  return id;
}

export function waitForPhoto(
  stack: LocalStack,
  id: string,
  test: (p: PhotoRecord) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<PhotoRecord> {
  return waitFor(
    async () => {
      const photo = await stack.runtime.photos.get(id);
      return photo && test(photo) ? photo : undefined;
    },
    what,
    { timeoutMs },
  );
}
