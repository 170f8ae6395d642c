/**
 * The two capture folders: the tethered camera's shots land on its "card" (the stand-in gphoto2
 * downloads them into the first inbox), the other camera's software writes straight into the
 * second inbox, in chunks over a moment as a card reader or tethering tool does.
 */
import { open, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Shot } from "../event-script.ts";
import type { PhotoSizes } from "./photos.ts";
import { sha256, shotBytes, type TakenPhoto } from "./shot-files.ts";

export interface CameraFolders {
  card: string;
  folder: string;
}

export async function takeCameraShot(
  shot: Shot,
  folders: CameraFolders,
  sizes: PhotoSizes,
  seed: number,
): Promise<TakenPhoto> {
  const data = await shotBytes(shot, sizes, seed);
  if (shot.source === "tethered") {
    // The camera finished writing the frame: it appears on the card whole.
    const temp = join(dirname(folders.card), `.${shot.name}`);
    await writeFile(temp, data);
    await rename(temp, join(folders.card, shot.name));
  } else {
    await writeInChunks(join(folders.folder, shot.name), data);
  }
  return {
    name: shot.name,
    source: shot.source,
    kind: shot.kind,
    id: sha256(data),
    bytes: data.length,
    takenAt: Date.now(),
  };
}

async function writeInChunks(path: string, data: Buffer, chunks = 8): Promise<void> {
  const handle = await open(path, "w");
  try {
    const size = Math.ceil(data.length / chunks);
    for (let i = 0; i < chunks; i++) {
      await handle.write(data, i * size, Math.min(size, data.length - i * size), i * size);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await handle.close();
  }
}
