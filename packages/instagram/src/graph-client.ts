/** The operations photo-relay needs from the Graph API, over {@link GraphHttp}. */
import { AccountSetupError } from "./errors.ts";
import { type ContainerStatusCode, type GraphClientOptions, GraphHttp } from "./graph-http.ts";

export interface ImageContainerInput {
  imageUrl: string;
  caption?: string;
  altText?: string;
  isCarouselItem?: boolean;
}

export interface ReelsContainerInput {
  videoUrl: string;
  caption?: string;
  coverUrl?: string;
  shareToFeed?: boolean;
  /** Frame for the cover when no `coverUrl`, in ms from the start. */
  thumbOffsetMs?: number;
}

export type StoryContainerInput =
  | { imageUrl: string; videoUrl?: never }
  | { videoUrl: string; imageUrl?: never };

export interface ContainerStatus {
  statusCode: ContainerStatusCode;
  /** Meta's free text; on ERROR it carries the subcode. */
  status?: string;
}

export interface MediaInfo {
  permalink?: string;
  mediaType?: string;
  mediaProductType?: string;
  timestamp?: string;
}

export interface PublishingLimit {
  quotaUsage: number;
  quotaTotal: number;
  quotaDurationSeconds: number;
}

export interface Identity {
  /** The professional account id to publish with. */
  igUserId: string;
  username?: string;
  /** Facebook Login: the Page the account is linked to. */
  pageId?: string;
}

const STATUS_CODES = new Set<string>(["IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"]);

/**
 * @example
 * const ig = createGraphClient({ baseUrl: sandbox.url, userId, accessToken });
 * const { id } = await ig.createImageContainer({ imageUrl, caption });
 * // poll ig.getContainerStatus(id) until FINISHED, then:
 * const { mediaId } = await ig.publish(id);
 */
export class GraphClient extends GraphHttp {
  readonly userId: string;

  constructor(options: GraphClientOptions) {
    super(options);
    this.userId = options.userId;
  }

  /** A feed image (JPEG, ratio 0.8–1.91, ≤ 8 MiB) or, with `isCarouselItem`, a carousel child. */
  async createImageContainer(input: ImageContainerInput): Promise<{ id: string }> {
    return this.#create({
      image_url: input.imageUrl,
      caption: input.caption,
      alt_text: input.altText,
      is_carousel_item: input.isCarouselItem || undefined,
    });
  }

  async createReelsContainer(input: ReelsContainerInput): Promise<{ id: string }> {
    return this.#create({
      media_type: "REELS",
      video_url: input.videoUrl,
      caption: input.caption,
      cover_url: input.coverUrl,
      share_to_feed: input.shareToFeed,
      thumb_offset: input.thumbOffsetMs,
    });
  }

  /** 2–10 child containers created with `isCarouselItem`. */
  async createCarouselContainer(input: { children: string[]; caption?: string }): Promise<{ id: string }> {
    return this.#create({
      media_type: "CAROUSEL",
      children: input.children.join(","),
      caption: input.caption,
    });
  }

  async createStoryContainer(input: StoryContainerInput): Promise<{ id: string }> {
    return this.#create({ media_type: "STORIES", image_url: input.imageUrl, video_url: input.videoUrl });
  }

  /** An empty `status_code` with an "Error…" `status` counts as ERROR (trypost PR #351). */
  async getContainerStatus(containerId: string): Promise<ContainerStatus> {
    const r = await this.request<{ status_code?: string; status?: string }>("GET", containerId, {
      fields: "status_code,status",
    });
    const code = r.status_code && STATUS_CODES.has(r.status_code) ? r.status_code : undefined;
    const statusCode = (code ??
      (r.status?.startsWith("Error") ? "ERROR" : "IN_PROGRESS")) as ContainerStatusCode;
    return { statusCode, ...(r.status !== undefined && { status: r.status }) };
  }

  /** `media_publish`: check {@link getContainerStatus} for PUBLISHED first, so a retry never posts twice. */
  async publish(creationId: string): Promise<{ mediaId: string }> {
    const r = await this.request<{ id: string }>("POST", `${this.userId}/media_publish`, {
      creation_id: creationId,
    });
    return { mediaId: r.id };
  }

  async getMedia(mediaId: string): Promise<MediaInfo> {
    const r = await this.request<Record<string, string | undefined>>("GET", mediaId, {
      fields: "id,permalink,media_type,media_product_type,timestamp",
    });
    const out: MediaInfo = {};
    if (r.permalink) out.permalink = r.permalink;
    if (r.media_type) out.mediaType = r.media_type;
    if (r.media_product_type) out.mediaProductType = r.media_product_type;
    if (r.timestamp) out.timestamp = r.timestamp;
    return out;
  }

  /** Usage of the rolling publishing quota; the total is read live (Meta's docs disagree on 25/50/100). */
  async getPublishingLimit(): Promise<PublishingLimit> {
    const r = await this.request<{
      data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }>;
    }>("GET", `${this.userId}/content_publishing_limit`, { fields: "quota_usage,config" });
    const entry = r.data?.[0];
    return {
      quotaUsage: entry?.quota_usage ?? 0,
      quotaTotal: entry?.config?.quota_total ?? 50,
      quotaDurationSeconds: entry?.config?.quota_duration ?? 86_400,
    };
  }

  /** Who the token belongs to: `/me` (Instagram Login) or the Page's linked account via `/me/accounts` (Facebook Login). */
  async me(): Promise<Identity> {
    if (this.flavour === "instagram") {
      const r = await this.request<{ id: string; user_id?: string; username?: string }>("GET", "me", {
        fields: "user_id,username",
      });
      return { igUserId: r.user_id ?? r.id, ...(r.username !== undefined && { username: r.username }) };
    }
    const r = await this.request<{
      data?: Array<{ id: string; instagram_business_account?: { id: string } }>;
    }>("GET", "me/accounts", {
      fields: "id,name,instagram_business_account",
    });
    const page = r.data?.find((p) => p.instagram_business_account);
    if (!page?.instagram_business_account) {
      throw new AccountSetupError("instagram_no_account");
    }
    const igUserId = page.instagram_business_account.id;
    const user = await this.request<{ username?: string }>("GET", igUserId, { fields: "username" });
    return { igUserId, pageId: page.id, ...(user.username !== undefined && { username: user.username }) };
  }

  /**
   * Instagram Login only: a fresh 60-day token for a long-lived one that is ≥ 24 h old and unexpired.
   * GET is the only method Meta serves here. The caller stores the new token.
   */
  async refreshToken(): Promise<{ accessToken: string; expiresIn: number }> {
    if (this.flavour !== "instagram") {
      throw new AccountSetupError("instagram_unsupported");
    }
    const r = await this.request<{ access_token: string; expires_in: number }>(
      "GET",
      "refresh_access_token",
      { grant_type: "ig_refresh_token" },
      false,
    );
    return { accessToken: r.access_token, expiresIn: r.expires_in };
  }

  async #create(params: Record<string, string | number | boolean | undefined>): Promise<{ id: string }> {
    const r = await this.request<{ id: string }>("POST", `${this.userId}/media`, params);
    return { id: r.id };
  }
}

/** The client for `options` (see {@link GraphClientOptions}). */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  return new GraphClient(options);
}
