/**
 * The port the publish steps need from the Instagram Graph API; `@photo-relay/instagram`'s
 * client is the adapter, the local sandbox or the real API behind it.
 */
export type ContainerStatusCode = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export interface GraphPort {
  createImageContainer(input: { imageUrl: string; caption?: string }): Promise<{ id: string }>;
  getContainerStatus(containerId: string): Promise<{ statusCode: ContainerStatusCode; status?: string }>;
  publish(creationId: string): Promise<{ mediaId: string }>;
  getMedia(mediaId: string): Promise<{ permalink?: string }>;
  getPublishingLimit(): Promise<{ quotaUsage: number; quotaTotal: number; quotaDurationSeconds: number }>;
}
