/**
 * What the sandbox remembers: the account, containers (with their lifecycle), published media and the
 * timestamps that drive the rolling limits. Inspectable by tests as `sandbox.state`.
 */
import { readFile } from "node:fs/promises";
import type { VirtualClock } from "./clock.ts";
import type { VideoProbe } from "./video-probe.ts";

export type ContainerKind = "IMAGE" | "VIDEO" | "CAROUSEL" | "REELS" | "STORIES";
export type StatusCode = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export interface Account {
  /** The professional account id publishing calls use (`/{ig-user-id}/media`). */
  igUserId: string;
  /** The app-scoped id Instagram Login's `/me` returns as `id` (not usable for publishing). */
  appScopedId: string;
  username: string;
  /** The Facebook Page linked to the account (Facebook Login flavour). */
  pageId: string;
  pageName: string;
  /** The Facebook user behind Facebook-Login tokens. */
  fbUserId: string;
}

export interface Container {
  id: string;
  kind: ContainerKind;
  isCarouselItem: boolean;
  createdAt: number;
  /** Processing ends here; `null` while waiting for a resumable upload (stays IN_PROGRESS). */
  readyAt: number | null;
  /** What the sandbox's probe saw in an uploaded video (for tests to look at). */
  videoProbe?: VideoProbe;
  /** Set when processing failed: the container reports ERROR with this status text. */
  error?: { subcode: number; status: string };
  caption?: string;
  altText?: string;
  imageUrl?: string;
  videoUrl?: string;
  coverUrl?: string;
  shareToFeed?: boolean;
  children?: string[];
  /** The downloaded JPEG (images), shown on the feed page: kept on disk, as Instagram keeps it, not in memory. */
  image?: StoredImage;
  width?: number;
  height?: number;
  durationSeconds?: number;
  publishedMediaId?: string;
}

/** A downloaded image in the sandbox's media folder. */
export interface StoredImage {
  file: string;
  bytes: number;
}

export interface Media {
  id: string;
  containerId: string;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  productType: "FEED" | "REELS" | "STORY";
  caption?: string;
  timestamp: number;
  shortcode: string;
  /** Child container ids of a carousel. */
  children?: string[];
}

/** Containers expire when not published within 24 h. */
export const CONTAINER_TTL_MS = 24 * 3600 * 1000;
export const WINDOW_MS = 24 * 3600 * 1000;

export class SandboxState {
  readonly account: Account;
  readonly containers = new Map<string, Container>();
  readonly media = new Map<string, Media>();
  /** Epoch ms of each successful media_publish (the publishing quota counts these). */
  readonly publishLog: number[] = [];
  /** Epoch ms of each created container (400 per rolling 24 h). */
  readonly containerLog: number[] = [];
  readonly #clock: VirtualClock;
  #nextId = BigInt(17_889_455_560_051_444n);

  constructor(clock: VirtualClock, account: Account) {
    this.#clock = clock;
    this.account = account;
  }

  /** A fresh numeric id in Meta's style (17-digit string). */
  newId(): string {
    this.#nextId += BigInt(1 + Math.floor(Math.random() * 1000));
    return this.#nextId.toString();
  }

  statusOf(container: Container): StatusCode {
    if (container.publishedMediaId) return "PUBLISHED";
    const now = this.#clock.now();
    if (now - container.createdAt >= CONTAINER_TTL_MS) return "EXPIRED";
    if (container.error) return "ERROR";
    if (container.readyAt === null || now < container.readyAt) return "IN_PROGRESS";
    if (container.children) {
      const states = container.children.map((id) => {
        const child = this.containers.get(id);
        return child ? this.statusOf(child) : "ERROR";
      });
      if (states.some((s) => s === "ERROR" || s === "EXPIRED")) return "ERROR";
      if (states.some((s) => s === "IN_PROGRESS")) return "IN_PROGRESS";
    }
    return "FINISHED";
  }

  /** The free-text `status` field Meta sends next to `status_code`. */
  statusText(container: Container): string {
    switch (this.statusOf(container)) {
      case "IN_PROGRESS":
        return "In progress: Media is still being processed.";
      case "ERROR":
        return container.error?.status ?? "Error: Media upload has failed with error code 2207001";
      case "EXPIRED":
        return "Expired: Media was not published within 24 hours.";
      case "PUBLISHED":
        return "Published: Media has been published.";
      default:
        return "Finished: Media has been uploaded and it is ready to be published.";
    }
  }

  /** How many events in `log` fall into the rolling 24 h window (and after `sinceMs`, if given). */
  countInWindow(log: number[], sinceMs = 0): number {
    const from = Math.max(this.#clock.now() - WINDOW_MS, sinceMs);
    return log.filter((t) => t > from).length;
  }

  /** Published media, newest first. */
  publishedMedia(): Media[] {
    return [...this.media.values()].sort((a, b) => b.timestamp - a.timestamp);
  }

  /** The JPEG a container downloaded, read from the media folder; `undefined` for none. */
  async readImage(containerId: string): Promise<Buffer | undefined> {
    const image = this.containers.get(containerId)?.image;
    return image && (await readFile(image.file));
  }

  /** A JSON-safe snapshot for `/__sandbox/state` (image files left out). */
  snapshot(): Record<string, unknown> {
    const containers = [...this.containers.values()].map(({ image, ...c }) => ({
      ...c,
      jpegBytes: image?.bytes,
      status_code: this.statusOf(c),
    }));
    return {
      now: new Date(this.#clock.now()).toISOString(),
      account: this.account,
      containers,
      media: [...this.media.values()],
      quotaUsage: this.countInWindow(this.publishLog),
      containersInWindow: this.countInWindow(this.containerLog),
    };
  }
}
