/**
 * Phones uploading through the API's presigned path, as the upload page does: hash the photo,
 * `POST /uploads` for a signed PUT, then PUT the bytes straight to S3 with the signed headers.
 * A phone whose upload fails (the stack busy, a fault) tries again, as the page's retry does.
 */
import type { Shot } from "../event-script.ts";
import type { PhotoSizes } from "./photos.ts";
import { sha256, shotBytes, type TakenPhoto } from "./shot-files.ts";

export interface PhoneApi {
  url: string;
  token: string;
}

export async function uploadFromPhone(
  shot: Shot,
  api: PhoneApi,
  sizes: PhotoSizes,
  seed: number,
): Promise<TakenPhoto> {
  const data = await shotBytes(shot, sizes, seed);
  const id = sha256(data);
  const takenAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await presignedPut(api, shot.name, data, id);
      return { name: shot.name, source: "phone", kind: shot.kind, id, bytes: data.length, takenAt };
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
    }
  }
}

async function presignedPut(api: PhoneApi, filename: string, data: Buffer, sha: string): Promise<void> {
  const res = await fetch(`${api.url}/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.token}`, "content-type": "application/json" },
    body: JSON.stringify({ filename, size: data.length, contentType: "image/jpeg", sha256: sha }),
  });
  if (res.status === 409) return void (await res.text()); // already in S3 (an earlier try got through)
  if (res.status !== 201) throw new Error(`POST /uploads: ${res.status} ${await res.text()}`);
  const signed = (await res.json()) as { url: string; headers: Record<string, string> };
  const { "content-length": _length, ...headers } = signed.headers;
  // The photo's own bytes, not a copy: ten phones × 20 MB copies were the soak process's peak.
  // (Buffer.concat's memory is a plain ArrayBuffer, which is what fetch's body type asks for.)
  const body = data as Uint8Array<ArrayBuffer>;
  const put = await fetch(signed.url, { method: "PUT", headers, body });
  const text = await put.text();
  if (put.status !== 200) throw new Error(`PUT to S3: ${put.status} ${text.slice(0, 200)}`);
}
