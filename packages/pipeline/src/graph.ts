/**
 * The port the publish steps need from the Instagram Graph API; `@photo-relay/instagram`'s
 * client is the adapter, the local sandbox or the real API behind it.
 */
export type ContainerStatusCode = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export interface GraphPort {
  createImageContainer(input: {
    imageUrl: string;
    caption?: string;
    isCarouselItem?: boolean;
  }): Promise<{ id: string }>;
  createReelsContainer(input: {
    videoUrl: string;
    caption?: string;
    coverUrl?: string;
    shareToFeed?: boolean;
  }): Promise<{ id: string }>;
  createStoryContainer(input: { imageUrl: string } | { videoUrl: string }): Promise<{ id: string }>;
  createCarouselContainer(input: { children: string[]; caption?: string }): Promise<{ id: string }>;
  getContainerStatus(containerId: string): Promise<{ statusCode: ContainerStatusCode; status?: string }>;
  publish(creationId: string): Promise<{ mediaId: string }>;
  getMedia(mediaId: string): Promise<{ permalink?: string }>;
  getPublishingLimit(): Promise<{ quotaUsage: number; quotaTotal: number; quotaDurationSeconds: number }>;
}
