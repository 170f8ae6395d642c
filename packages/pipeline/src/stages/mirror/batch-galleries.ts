/**
 * The live galleries of one mirror invocation: one `updateGallery` per target that keeps a
 * gallery, for all the batch's photos at once, made when the first record asks for it. Each record
 * then fails exactly when something of its own failed (its rendition was refused, or the update
 * of a gallery it changed), so the queue retries just those.
 *
 * Per target: the roster says which photos the gallery lists; photos to show that it does not list
 * are placed and recorded (`onPlaced`); photos it lists that are no longer shown are taken out of
 * the roster first, then passed as `removed`; a change a failed update left pending is written
 * again. The manifest is derived from the roster (see gallery-roster.ts for why not an index).
 */
import type { MirrorTarget, PhotoId } from "@photo-relay/core";
import { assertPublicImage, type GalleryUpload, updateGallery } from "@photo-relay/mirror";
import { galleryEntryOf, shownInGallery } from "../../gallery/gallery-entry.ts";
import type { GalleryRoster, RosterChange } from "../../gallery/gallery-roster.ts";
import type { MirrorJob } from "../../jobs/job-schemas.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";
import { GalleryPhotos } from "./gallery-photos.ts";
import type { MirrorSessions } from "./mirror-sessions.ts";
import { readObject } from "./s3-object.ts";

type Failures = Map<PhotoId, unknown>;

const jobKey = (job: MirrorJob) => (job.check ? `${job.photoId}#${job.check}` : job.photoId);

export class BatchGalleries {
  readonly #rt: Runtime;
  readonly #sessions: MirrorSessions;
  readonly #roster: GalleryRoster;
  readonly #jobs: MirrorJob[];
  #run: Promise<Map<PhotoId, unknown>> | undefined;

  /** `jobs`: the batch's jobs as far as its messages could be read (the runner reports the others). */
  constructor(rt: Runtime, sessions: MirrorSessions, roster: GalleryRoster, jobs: MirrorJob[]) {
    this.#rt = rt;
    this.#sessions = sessions;
    this.#roster = roster;
    this.#jobs = jobs;
  }

  /** Brings the galleries up to date for the batch (once), then throws what failed for `job`. */
  async update(job: MirrorJob): Promise<void> {
    if (!this.#rt.config.mirror.targets.some((t) => t.gallery)) return;
    const key = jobKey(job);
    const inBatch = this.#jobs.some((j) => jobKey(j) === key);
    const failures = await (inBatch ? this.#batchRun() : this.#updateAll([job]));
    if (failures.has(key)) throw failures.get(key);
  }

  #batchRun(): Promise<Map<string, unknown>> {
    this.#run ??= this.#updateAll(this.#jobs);
    return this.#run;
  }

  /** What failed for each job: its own check, or a photo it brought in. */
  async #updateAll(jobs: MirrorJob[]): Promise<Map<string, unknown>> {
    const gathered = new GalleryPhotos(this.#rt);
    const failures = new Map<string, unknown>();
    const brought = new Map<string, Set<PhotoId>>();
    for (const job of jobs) {
      try {
        brought.set(jobKey(job), await gathered.gather(job));
      } catch (error) {
        failures.set(jobKey(job), error);
      }
    }
    const photoFailures: Failures = new Map();
    const photos = [...gathered.photos.values()];
    for (const target of this.#rt.config.mirror.targets) {
      if (target.gallery) await this.#updateTarget(target, photos, photoFailures);
    }
    for (const [key, ids] of brought) {
      const failed = [...ids].find((id) => photoFailures.has(id));
      if (failed !== undefined) failures.set(key, photoFailures.get(failed));
    }
    return failures;
  }

  /** One target's gallery; records a failure on every photo it concerned. */
  async #updateTarget(target: MirrorTarget, photos: PhotoRecord[], failures: Failures): Promise<void> {
    const name = target.name;
    const { states } = await this.#roster.load(name);
    const coming: PhotoRecord[] = [];
    const leaving: PhotoRecord[] = [];
    const unsettled: Omit<RosterChange, "entry">[] = [];
    for (const photo of photos) {
      const state = states.get(photo.id);
      const shown = shownInGallery(photo);
      if (shown && !state?.listed) coming.push(photo);
      else if (!shown && state?.listed) leaving.push(photo);
      else if (state?.pending) {
        unsettled.push({ id: photo.id, version: state.version });
        if (!shown) leaving.push(photo); // its files may still be on the host
      }
    }
    if (coming.length + leaving.length + unsettled.length === 0) return;
    const uploads = await this.#uploads(coming, failures);
    const concerned = [
      ...uploads.map((u) => u.id),
      ...leaving.map((p) => p.id),
      ...unsettled.map((u) => u.id),
    ];
    try {
      const written = await this.#write(target, uploads, coming, leaving);
      await this.#roster.confirm(name, [...written, ...unsettled]);
    } catch (error) {
      for (const id of concerned) failures.set(id, error);
    }
  }

  /** The renditions to place, each checked for private metadata first: a refused one fails its photo alone. */
  async #uploads(coming: PhotoRecord[], failures: Failures): Promise<GalleryUpload[]> {
    const uploads: GalleryUpload[] = [];
    for (const photo of coming) {
      try {
        // Both exist: a photo without them is never shown.
        const [web, thumbnail] = await Promise.all(
          (["web", "thumbnail"] as const).map((r) =>
            readObject(this.#rt, photo.renditions?.[r]?.key as string),
          ),
        );
        if (!web || !thumbnail) continue;
        assertPublicImage(web, `photo ${photo.id}: web rendition`);
        assertPublicImage(thumbnail, `photo ${photo.id}: thumbnail`);
        uploads.push({ id: photo.id, web, thumbnail });
      } catch (error) {
        failures.set(photo.id, error);
      }
    }
    return uploads;
  }

  /** Updates the gallery; returns the roster changes its manifest now shows. */
  async #write(
    target: MirrorTarget,
    uploads: GalleryUpload[],
    coming: PhotoRecord[],
    leaving: PhotoRecord[],
  ): Promise<Omit<RosterChange, "entry">[]> {
    const { name } = target;
    const settings = { ...target.gallery, now: this.#rt.now, logger: this.#rt.logger };
    const gone = leaving.map((p) => ({ id: p.id, version: p.version }));
    await this.#roster.write(name, gone);
    const byId = new Map(coming.map((p) => [p.id, p]));
    const placed: RosterChange[] = [];
    const refused = new Set<PhotoId>();
    const entries = () => this.#roster.list(name);
    const session = this.#sessions.open(target);
    const onPlaced = async (ids: string[]) => {
      for (const id of ids) {
        const photo = byId.get(id) as PhotoRecord;
        placed.push({ id, version: photo.version, entry: galleryEntryOf(photo) });
      }
      for (const id of await this.#roster.write(name, placed)) refused.add(id);
    };
    await updateGallery(session, { uploads, onPlaced, entries, removed: gone.map((g) => g.id) }, settings);
    // Taken out by the owner while its files were on their way: they go too.
    if (refused.size > 0) await updateGallery(session, { entries, removed: [...refused] }, settings);
    return [...gone, ...placed.filter((p) => !refused.has(p.id))];
  }
}
