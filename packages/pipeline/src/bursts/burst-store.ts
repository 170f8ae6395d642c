/**
 * Bursts in the Photos table, beside the photos: per camera, one item holding its most recent
 * frames (`camera#<hash>`), and per burst, one item holding its members and, once made, its
 * decision (`burst#<id>`). Every change is a conditional write on one item (see versioned-item.ts),
 * never a lock held in memory:
 * - placing a frame is a write to its camera's item, so two convert invocations finishing frames
 *   of one camera at once see each other's frames and never open two bursts for one moment;
 * - a decision is a write to the burst's item conditional on its version, so it is made once, and
 *   only if no frame joined since the settle time was checked.
 */
import type { BurstPolicy, PhotoId } from "@photo-relay/core";
import { NotFoundError } from "@photo-relay/core";
import { getItem, type ItemTable, updateItem, type VersionedItem } from "../photo/versioned-item.ts";
import { cameraHash, picksAllowed } from "./burst-rules.ts";
import { type CameraFrame, type GroupingRules, pickFrames, placeFrame } from "./frame-grouping.ts";

/** A camera's frames are compared with its last this many (about 30 s of shooting at 4 fps). */
export const RECENT_FRAMES = 128;

/** What the decision and the dashboard know of a member: its score and the score's parts. */
export interface BurstMember {
  score: number;
  sharpness: number;
  motion: number;
  exposure: number;
  /** When it was shot (ms, see `shotAt`). */
  at: number;
  /** When it joined (ms, the pipeline's clock). */
  joinedAt: number;
}

export interface BurstDecision {
  at: string;
  picks: PhotoId[];
  /** `score`: the best frames by their analysis; `owner`: chosen in the dashboard. */
  by: "score" | "owner";
}

export interface Burst extends VersionedItem {
  kind: "burst";
  burstId: string;
  camera: string;
  policy: BurstPolicy;
  /** The frame that opened the burst. */
  lead: PhotoId;
  members: Record<PhotoId, BurstMember>;
  /** The latest join: the burst settles `bursts.settleSeconds` after it. */
  lastJoin: { photoId: PhotoId; at: number };
  createdAt: string;
  /** The owner's choice before the decision: the decision takes it. */
  ownerPicks?: PhotoId[];
  decision?: BurstDecision;
}

interface CameraItem extends VersionedItem {
  kind: "camera";
  camera: string;
  /** Oldest first: p photo id, t shot at, h hash, b burst id, l opened its burst. */
  frames: { p: PhotoId; t: number; h: string; b: string; l?: 1 }[];
}

const burstKey = (burstId: string) => `burst#${burstId}`;

export class BurstStore {
  readonly #at: ItemTable;
  readonly #now: () => Date;

  constructor(at: ItemTable, now: () => Date = () => new Date()) {
    this.#at = at;
    this.#now = now;
  }

  /**
   * Places a frame among its camera's recent frames: in the burst of the closest-looking frame shot
   * within the gap, or at the head of a new one. Returns the frame's place and its burst's lead.
   */
  async place(
    camera: string,
    frame: Omit<CameraFrame, "burstId" | "lead">,
    rules: GroupingRules,
  ): Promise<{ frame: CameraFrame; lead: PhotoId }> {
    const hash = cameraHash(camera);
    const newBurstId = `${hash}-${Math.max(0, frame.at).toString(36)}-${frame.photoId.slice(0, 8)}`;
    let placed: CameraFrame | undefined;
    let frames: CameraFrame[] = [];
    await updateItem<CameraItem>(this.#at, `camera#${hash}`, (current) => {
      frames = (current?.frames ?? []).map((f) => ({
        photoId: f.p,
        at: f.t,
        hash: f.h,
        burstId: f.b,
        ...(f.l && { lead: true as const }),
      }));
      placed = placeFrame(frames, frame, rules, newBurstId);
      if (current?.frames.some((f) => f.p === frame.photoId)) return undefined;
      const { photoId: p, at: t, hash: h, burstId: b, lead } = placed;
      const stored = [...(current?.frames ?? []), { p, t, h, b, ...(lead && { l: 1 as const }) }];
      return { kind: "camera", camera, frames: stored.slice(-RECENT_FRAMES) };
    });
    const own = placed as CameraFrame;
    const lead = own.lead ? own.photoId : frames.find((f) => f.burstId === own.burstId && f.lead)?.photoId;
    // A lead that has left the recent frames: the burst item, which exists by then, names it.
    return { frame: own, lead: lead ?? (await this.require(own.burstId)).lead };
  }

  /** Adds a placed frame to its burst, making the burst's item when this frame is the first to arrive. */
  async join(
    placed: { frame: CameraFrame; lead: PhotoId },
    member: BurstMember,
    camera: string,
    policy: BurstPolicy,
  ): Promise<Burst> {
    const { photoId, burstId } = placed.frame;
    const joined = await updateItem<Burst>(this.#at, burstKey(burstId), (current) => {
      if (current?.members[photoId]) return undefined;
      const lastJoin = { photoId, at: member.joinedAt };
      const base = current ?? {
        kind: "burst" as const,
        burstId,
        camera,
        policy,
        lead: placed.lead,
        members: {},
        lastJoin,
        createdAt: this.#now().toISOString(),
      };
      return { ...base, members: { ...base.members, [photoId]: member }, lastJoin };
    });
    return joined as Burst;
  }

  async get(burstId: string): Promise<Burst | undefined> {
    return getItem<Burst>(this.#at, burstKey(burstId));
  }

  async require(burstId: string): Promise<Burst> {
    const burst = await this.get(burstId);
    if (!burst) throw new NotFoundError(`burst ${burstId}`);
    return burst;
  }

  /**
   * Decides the burst once it has settled (no frame joined for `settleMs`): its picks are the
   * owner's choice, else its best frames. The write fails if a frame joined since the read, and
   * the next check starts over. Returns the burst as stored: decided, or not yet.
   */
  async decide(burstId: string, settleMs: number): Promise<Burst> {
    const burst = await this.update(burstId, (current) => {
      if (current.decision || this.#now().getTime() - current.lastJoin.at < settleMs) return undefined;
      const members = Object.entries(current.members).map(([photoId, m]) => ({ photoId, ...m }));
      const picks = current.ownerPicks ?? pickFrames(members, picksAllowed(current.policy));
      const by = current.ownerPicks ? "owner" : "score";
      return { ...current, decision: { at: this.#now().toISOString(), picks, by } };
    });
    return burst;
  }

  /** A conditional change of the burst (`undefined`: nothing to change); returns it as stored. */
  async update(
    burstId: string,
    change: (burst: Burst) => Omit<Burst, "version" | "id"> | undefined,
  ): Promise<Burst> {
    const burst = await updateItem<Burst>(this.#at, burstKey(burstId), (current) => {
      if (!current) throw new NotFoundError(`burst ${burstId}`);
      return change(current);
    });
    return burst as Burst;
  }
}
