/**
 * Phones uploading through the API's presigned path, as the upload page does: hash the photo,
 * `POST /uploads` for a signed PUT, then PUT the bytes straight to S3 with the signed headers.
 * A phone whose upload fails (the stack busy, a fault) tries again, as the page's retry does.
 */
import { request } from "node:http";
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
  const put = await putBytes(signed.url, signed.headers, data);
  if (put.status !== 200) throw new Error(`PUT to S3: ${put.status} ${put.text.slice(0, 200)}`);
}

/**
 * The PUT itself over `node:http`, which writes the photo's own bytes to the socket. `fetch` does
 * not: it takes a copy of every buffer body before it sends it (undici's `extractBody`, as the
 * Fetch standard says), so ten phones held twenty 20 MB buffers, and each retry made one more.
 */
function putBytes(
  url: string,
  headers: Record<string, string>,
  data: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const put = request(url, { method: "PUT", headers: { ...headers, "content-length": data.length } });
    put.once("error", reject);
    put.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.once("error", reject);
      res.once("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    put.end(data);
  });
}
