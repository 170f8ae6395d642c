/**
 * What a container is made of, for each kind of post: a feed image, a carousel item, a Reel, a
 * story (image or video) or a carousel of items. The URLs are ones Meta can download from at
 * request time; the caller decides where they point.
 */
import type { GraphClient } from "./graph-client.ts";

export type ContainerSpec =
  /** A feed image (JPEG, ratio 0.8–1.91, ≤ 8 MiB). */
  | { kind: "image"; imageUrl: string; caption?: string; altText?: string }
  /** One image of a carousel; items take no caption. */
  | { kind: "carousel_item"; imageUrl: string }
  /** A Reel (H.264/AAC MP4 or MOV, 3 s – 15 min, ≤ 300 MB); `shareToFeed` also shows it in the feed. */
  | { kind: "reel"; videoUrl: string; caption?: string; coverUrl?: string; shareToFeed?: boolean }
  /** A story; stories take no caption. */
  | { kind: "story"; imageUrl: string; videoUrl?: never }
  | { kind: "story"; videoUrl: string; imageUrl?: never }
  /** 2–10 item containers as one post, every one of them FINISHED. */
  | { kind: "carousel"; children: string[]; caption?: string };

/**
 * Creates the container `spec` describes.
 * @example await createContainer(graph, { kind: "reel", videoUrl, shareToFeed: true, caption })
 */
export function createContainer(graph: GraphClient, spec: ContainerSpec): Promise<{ id: string }> {
  switch (spec.kind) {
    case "image":
      return graph.createImageContainer({
        imageUrl: spec.imageUrl,
        ...(spec.caption !== undefined && { caption: spec.caption }),
        ...(spec.altText !== undefined && { altText: spec.altText }),
      });
    case "carousel_item":
      return graph.createImageContainer({ imageUrl: spec.imageUrl, isCarouselItem: true });
    case "reel": {
      const { kind: _, ...input } = spec;
      return graph.createReelsContainer(input);
    }
    case "story":
      return graph.createStoryContainer(
        spec.videoUrl !== undefined ? { videoUrl: spec.videoUrl } : { imageUrl: spec.imageUrl },
      );
    case "carousel":
      return graph.createCarouselContainer({
        children: spec.children,
        ...(spec.caption !== undefined && { caption: spec.caption }),
      });
  }
}

/** Whether every carousel item finished processing; Meta wants them all FINISHED before the carousel. */
export async function carouselItemsReady(graph: GraphClient, children: string[]): Promise<boolean> {
  const states = await Promise.all(children.map((c) => graph.getContainerStatus(c)));
  return !states.some((s) => s.statusCode === "IN_PROGRESS");
}
