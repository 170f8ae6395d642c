/**
 * The photos a mirror batch's gallery update must consider: the batch's own, and for a frame of a
 * decided burst, the burst's lead and picks too (the lead leaves as the picks come in). A burst
 * found settled is decided here if no publish step has done it yet, and the decision is applied to
 * those members' records first, so that what the gallery shows always follows from a record (and
 * its version, see the roster).
 */
import type { PhotoId } from "@photo-relay/core";
import { applyDecision } from "../../bursts/burst-decision.ts";
import type { Burst } from "../../bursts/burst-store.ts";
import { BurstNotSettledError } from "../../errors.ts";
import type { MirrorJob } from "../../jobs/job-schemas.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

export class GalleryPhotos {
  readonly #rt: Runtime;
  readonly #bursts = new Map<string, Promise<Burst>>();
  /** Every photo gathered, as its record now stands. */
  readonly photos = new Map<PhotoId, PhotoRecord>();

  constructor(rt: Runtime) {
    this.#rt = rt;
  }

  /**
   * Gathers the photos `job` brings in and returns their ids. Throws when the job is the check
   * after its burst's last join and the burst has not settled yet (it comes back).
   */
  async gather(job: MirrorJob): Promise<Set<PhotoId>> {
    const rt = this.#rt;
    const photo = await rt.photos.get(job.photoId);
    // Not converted: the record's own mirror step says so.
    if (photo?.stages.convert.status !== "done") return new Set();
    this.photos.set(photo.id, photo);
    if (!photo.burst) return new Set([photo.id]);
    const burst = await this.#burst(photo.burst.id);
    if (!burst.decision) {
      if (job.check === "burst" && burst.lastJoin.photoId === photo.id)
        throw new BurstNotSettledError(burst.burstId);
      return new Set([photo.id]);
    }
    const brought = new Set([photo.id, burst.lead, ...burst.decision.picks]);
    for (const id of brought) {
      const updated = await rt.photos.updateIfExists(id, applyDecision(burst, rt.now()));
      if (updated) this.photos.set(id, updated);
    }
    return brought;
  }

  /** The burst, decided if it has settled; read once per batch. */
  #burst(id: string): Promise<Burst> {
    let burst = this.#bursts.get(id);
    if (!burst) {
      burst = this.#rt.bursts.decide(id, this.#rt.config.bursts.settleSeconds * 1000);
      this.#bursts.set(id, burst);
    }
    return burst;
  }
}
