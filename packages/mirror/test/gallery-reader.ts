/** A reader of a gallery on disk, as a guest's browser or a crawler reads it while it is updated. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { galleryManifestSchema } from "../src/index.ts";

/** What is wrong with one read of gallery.json: it must parse, and every file it names must exist. */
export async function manifestProblems(body: string, folder: string): Promise<string[]> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [`unparseable gallery.json: ${body.slice(0, 60)}…`];
  }
  const parsed = galleryManifestSchema.safeParse(json);
  if (!parsed.success) return [`not a manifest: ${parsed.error.message.slice(0, 80)}`];
  const files = [
    ...parsed.data.photos.flatMap((p) => [p.web.src, p.thumbnail.src]),
    ...parsed.data.older.map((p) => p.src),
  ];
  const missing = await Promise.all(
    files.map((f) =>
      stat(join(folder, f)).then(
        () => "",
        () => f,
      ),
    ),
  );
  return missing.filter((f) => f !== "").map((f) => `gallery.json names ${f}, which is not there`);
}
