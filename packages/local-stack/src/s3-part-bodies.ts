/**
 * The parts of open multipart uploads, kept on disk only. fauxqs writes each part to its storage
 * directory (`_multipart/<uploadId>/parts/<n>.data`) and also keeps its body in memory until
 * CompleteMultipartUpload, and for good when no one completes or aborts the upload (a killed
 * agent that starts the file again; a phone gone mid-upload: the sweep runs after 24 h). With the
 * agent's 75 MB NEFs in flight, in the S3 thread of a process that also holds the functions, that
 * was hundreds of MB held to no use. Here a part's body is dropped once it is stored and read back
 * from its file when the upload completes (the only use fauxqs has for it).
 *
 * fauxqs exports only its server; its store is the module the server imports
 * (`dist/s3/s3Store.js`), reached by its file URL, which is the same module instance.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Part {
  partNumber: number;
  body: Buffer;
}
interface Upload {
  parts: Map<number, Part>;
}
interface Store {
  multipartUploads: Map<string, Upload>;
  persistence?: { multipartDir?: string };
  uploadPart(uploadId: string, partNumber: number, body: Buffer, checksum?: string): unknown;
  completeMultipartUpload(uploadId: string, specs: unknown): unknown;
}

/** The file each dropped part's body is in. */
const onDisk = new WeakMap<Part, string>();

/** From now on, the emulator's store in this thread keeps stored parts on disk only. Idempotent. */
export async function keepPartsOnDisk(): Promise<void> {
  const url = new URL("./s3/s3Store.js", import.meta.resolve("fauxqs"));
  const { S3Store } = (await import(url.href)) as { S3Store: { prototype: Store } };
  const proto = S3Store.prototype;
  if ((proto as { partsOnDisk?: true }).partsOnDisk) return;
  Object.assign(proto, { partsOnDisk: true });
  const uploadPart = proto.uploadPart;
  const complete = proto.completeMultipartUpload;
  proto.uploadPart = function (this: Store, uploadId, partNumber, body, checksum) {
    const answer = uploadPart.call(this, uploadId, partNumber, body, checksum);
    const dir = this.persistence?.multipartDir;
    const part = this.multipartUploads.get(uploadId)?.parts.get(partNumber);
    if (dir && part) {
      onDisk.set(part, join(dir, uploadId, "parts", `${partNumber}.data`));
      part.body = Buffer.alloc(0);
    }
    return answer;
  };
  proto.completeMultipartUpload = function (this: Store, uploadId, specs) {
    for (const part of this.multipartUploads.get(uploadId)?.parts.values() ?? []) {
      const file = onDisk.get(part);
      if (file) part.body = readFileSync(file);
    }
    return complete.call(this, uploadId, specs);
  };
}
