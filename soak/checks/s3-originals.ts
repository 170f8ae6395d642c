/** Every photo taken is in S3 exactly once, under its id, and its bytes hash to that id. */
import { createHash } from "node:crypto";
import { GetObjectCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import { photoIdOfKey } from "@photo-relay/core";
import { type CheckInput, type CheckResult, result } from "./check.ts";

export async function checkS3Originals(input: Omit<CheckInput, "records">): Promise<CheckResult> {
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: input.stack.urls.aws,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const problems: string[] = [];
  const keysById = new Map<string, string[]>();
  try {
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: input.stack.bucket, Prefix: "originals/" },
    ))
      for (const { Key } of page.Contents ?? []) {
        const id = Key && photoIdOfKey(Key);
        if (id) keysById.set(id, [...(keysById.get(id) ?? []), Key]);
      }
    const taken = new Set(input.outcome.taken.map((p) => p.id));
    for (const photo of input.outcome.taken) {
      const keys = keysById.get(photo.id) ?? [];
      if (keys.length !== 1) {
        problems.push(`${photo.name}: ${keys.length} originals in S3`);
        continue;
      }
      const out = await s3.send(new GetObjectCommand({ Bucket: input.stack.bucket, Key: keys[0] }));
      const hash = createHash("sha256");
      for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
      if (hash.digest("hex") !== photo.id)
        problems.push(`${photo.name}: the bytes in S3 do not hash to its id`);
    }
    for (const id of keysById.keys())
      if (!taken.has(id)) problems.push(`an original nobody took: ${id.slice(0, 12)}`);
    return result("every photo in S3 exactly once, with the right checksum", problems, {
      taken: taken.size,
      originalsInS3: [...keysById.values()].flat().length,
    });
  } finally {
    s3.destroy();
  }
}
