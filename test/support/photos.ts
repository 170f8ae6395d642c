/**
 * Generated test photos: made on the fly with sharp so every case exists on a fresh clone, without
 * the real-world corpus. Each call with a different `seed` gives different bytes (a different photo id).
 */
import sharp from "sharp";

export interface PhotoSpec {
  width: number;
  height: number;
  seed: number;
}

/** A camera-like JPEG with EXIF (make, model, orientation) and GPS tags. */
export function cameraJpeg({ width, height, seed }: PhotoSpec, orientation = 1): Promise<Buffer> {
  return base({ width, height, seed })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation })
    .withExifMerge({
      IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 8/1 0/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "11/1 34/1 0/1",
      },
    })
    .toBuffer();
}

export const pngWithAlpha = (spec: PhotoSpec): Promise<Buffer> => base(spec, 4).png().toBuffer();

export const webp = (spec: PhotoSpec): Promise<Buffer> => base(spec).webp({ quality: 80 }).toBuffer();

function base({ width, height, seed }: PhotoSpec, channels: 3 | 4 = 3) {
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = (seed * 37) % 256;
      if (channels === 4) pixels[i + 3] = x < width / 2 ? 255 : 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } });
}
