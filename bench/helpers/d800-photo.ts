/**
 * The latency benchmark's photo: a 7360×4912 (Nikon D800, 36 MP) JPEG that looks like a landscape
 * (sky gradient, hills, trees) with texture and grain, so it codes to a camera's size (≈ 17 MB at
 * quality 92) and decodes at a camera JPEG's cost. Made once with sharp and kept in `bench/.cache/`
 * (gitignored); each run gets its own bytes (and so its own photo id) from a comment segment.
 */
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";

export const D800 = { width: 7360, height: 4912 };
const CACHE = join(import.meta.dirname, "..", ".cache", "d800-landscape-q92.jpg");

/** The cached photo, made on first use (≈ 15 s on one core). */
export async function d800Photo(): Promise<Buffer> {
  if (existsSync(CACHE)) return readFile(CACHE);
  const jpeg = await landscape();
  await mkdir(join(CACHE, ".."), { recursive: true });
  await writeFile(`${CACHE}.partial`, jpeg);
  await rename(`${CACHE}.partial`, CACHE);
  return jpeg;
}

/**
 * The photo with a COM segment right after SOI carrying `nonce`: a valid JPEG that decodes like the
 * original, with bytes (and so a photo id) of its own.
 */
export function variant(photo: Buffer, nonce: string): Buffer {
  const text = Buffer.from(`photo-relay latency bench ${nonce}`);
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(2 + text.length, 2);
  text.copy(segment, 4);
  return Buffer.concat([photo.subarray(0, 2), segment, photo.subarray(2)]);
}

/**
 * Writes `data` to `path` as tethering software does: the final name, in chunks spread over
 * `spreadMs`, then close. Resolves with the epoch ms right after the close returned.
 */
export async function tetherWrite(path: string, data: Buffer, spreadMs = 300, chunks = 16): Promise<number> {
  const handle = await open(path, "w");
  const start = performance.now();
  const size = Math.ceil(data.length / chunks);
  try {
    for (let i = 0; i < chunks; i++) {
      const due = start + (spreadMs * i) / (chunks - 1);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const chunk = data.subarray(i * size, Math.min(data.length, (i + 1) * size));
      await handle.write(chunk, 0, chunk.length, i * size);
    }
  } finally {
    await handle.close();
  }
  return epochMs();
}

/** Now, in epoch ms with sub-ms precision (the same clock as `Date.now()`). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sceneSvg(): string {
  const { width: W, height: H } = D800;
  const r = lcg(7);
  const colours = [
    ["#6b7d5a", "#3e4a30"],
    ["#587a3c", "#2f4a22"],
    ["#7d8f3a", "#4a3d22"],
  ];
  const gradients = colours.map(
    ([top, bottom], k) =>
      `<linearGradient id="g${k}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient>`,
  );
  const hills = [0.55, 0.62, 0.7].map((base, k) => {
    let d = `M0 ${H}`;
    for (let x = 0; x <= W; x += 230)
      d += ` L${x} ${Math.round(H * (base + 0.06 * Math.sin(x / (900 + k * 400) + k) + 0.02 * r()))}`;
    return `<path d="${d} L${W} ${H} Z" fill="url(#g${k})"/>`;
  });
  const trees = Array.from({ length: 60 }, () => {
    const x = Math.round(r() * W);
    const y = Math.round(H * (0.62 + r() * 0.3));
    const s = 80 + r() * 260;
    const fill = `rgb(${Math.round(20 + r() * 40)},${Math.round(60 + r() * 70)},${Math.round(20 + r() * 30)})`;
    return `<ellipse cx="${x}" cy="${y}" rx="${Math.round(s * 0.6)}" ry="${Math.round(s)}" fill="${fill}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>
<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2f5fa8"/><stop offset="1" stop-color="#f3d9b1"/></linearGradient>
${gradients.join("")}</defs><rect width="${W}" height="${H}" fill="url(#sky)"/>
<circle cx="${W * 0.78}" cy="${H * 0.2}" r="260" fill="#fff4d6"/>${hills.join("")}${trees.join("")}</svg>`;
}

/** Grey value noise at `w`×`h`, enlarged to the photo's size (texture at that scale). */
function noise(w: number, h: number, seed: number): Promise<Buffer> {
  const r = lcg(seed);
  const px = Buffer.allocUnsafe(w * h);
  for (let i = 0; i < px.length; i++) px[i] = Math.floor(r() * 256);
  return sharp(px, { raw: { width: w, height: h, channels: 1 } })
    .resize(D800.width, D800.height, { kernel: "cubic" })
    .raw()
    .toBuffer();
}

async function landscape(): Promise<Buffer> {
  const { width: W, height: H } = D800;
  const [pixels, texture, grain] = await Promise.all([
    sharp(Buffer.from(sceneSvg())).removeAlpha().raw().toBuffer(),
    noise(W / 4, H / 4, 2),
    noise(W, H, 3),
  ]);
  for (let y = 0, p = 0; y < H; y++) {
    // Texture grows from the horizon down (grass, foliage); the sky keeps only the grain.
    const ground = Math.min(1, Math.max(0.2, (y / H - 0.45) * 8));
    for (let x = 0; x < W; x++, p++) {
      const t = ((texture[p] ?? 128) - 128) * 0.6 * ground + ((grain[p] ?? 128) - 128) * 0.14;
      for (let c = 0; c < 3; c++) {
        const i = p * 3 + c;
        pixels[i] = Math.max(0, Math.min(255, (pixels[i] ?? 0) + t));
      }
    }
  }
  return sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}
