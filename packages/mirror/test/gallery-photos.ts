/**
 * Photos for the gallery tests, made with sharp the way convert makes renditions: a web JPEG (sRGB
 * ICC profile, optionally artist/copyright EXIF, which convert may keep) and a WebP thumbnail. Each
 * is a small landscape scene with its number on it, so screenshots show which photo is which.
 */

import sharp from "sharp";
import type { GalleryEntry, GalleryUpload } from "../src/index.ts";

export interface TestPhoto {
  entry: GalleryEntry;
  upload: GalleryUpload;
}

const BASE_TIME = Date.parse("2026-06-12T18:00:00Z");

/** Photo `n`, taken `n` seconds after the first; every fifth one is portrait. */
export async function testPhoto(n: number, options: { webLongEdge?: number } = {}): Promise<TestPhoto> {
  const long = options.webLongEdge ?? 640;
  const portrait = n % 5 === 4;
  const [width, height] = portrait ? [Math.round(long * 0.75), long] : [long, Math.round(long * 0.66)];
  const scene = sharp(Buffer.from(sceneSvg(n, width, height)));
  const web = await scene.clone().jpeg({ quality: 80 }).withIccProfile("srgb").toBuffer();
  const thumb = { width: Math.round(width / 2.5), height: Math.round(height / 2.5) };
  const thumbnail = await scene.clone().resize(thumb).webp({ quality: 70 }).toBuffer();
  const id = `photo${String(n).padStart(4, "0")}`;
  return {
    entry: {
      id,
      takenAt: new Date(BASE_TIME + n * 1000),
      web: { width, height },
      thumbnail: { ...thumb, type: "image/webp" },
      alt: `Photo ${n}`,
    },
    upload: { id, web, thumbnail },
  };
}

export async function testPhotos(from: number, count: number): Promise<TestPhoto[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => testPhoto(from + i)));
}

/** A plain JPEG, optionally with EXIF or XMP written by sharp (for the metadata checks). */
export function jpegWith(metadata: { exif?: Record<string, Record<string, string>>; xmp?: string } = {}) {
  let image = sharp({ create: { width: 48, height: 32, channels: 3, background: "#4a7" } }).jpeg();
  if (metadata.exif) image = image.withExif(metadata.exif);
  if (metadata.xmp) image = image.withXmp(metadata.xmp);
  return image.toBuffer();
}

function sceneSvg(n: number, width: number, height: number): string {
  const hue = (n * 47) % 360;
  const sunX = 20 + ((n * 37) % 60);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 ${(100 * height) / width}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue},70%,38%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},85%,72%)"/>
  </linearGradient></defs>
  <rect width="100" height="200" fill="url(#sky)"/>
  <circle cx="${sunX}" cy="22" r="9" fill="hsl(${(hue + 180) % 360},90%,85%)" opacity=".9"/>
  <path d="M0 ${(100 * height) / width} L0 48 Q25 ${30 + (n % 7)} 50 46 T100 40 L100 200 Z" fill="hsl(${(hue + 200) % 360},35%,22%)"/>
  <text x="50" y="${(62 * height) / width}" font-family="sans-serif" font-size="16" font-weight="700" fill="#fff" text-anchor="middle" opacity=".92">${n}</text>
</svg>`;
}
