/** Reading a rendition or an original from the bucket, for the web host. */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { Runtime } from "../../runtime.ts";

export async function readObject(rt: Runtime, key: string): Promise<Buffer> {
  const out = await rt.clients.s3.send(new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }));
  const bytes = await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, not a copy
}
