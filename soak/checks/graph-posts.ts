/**
 * What Instagram (the sandbox's own record) holds: every publishable photo posted exactly once,
 * none twice, none that should not be (a burst's frames the pick passed over), and each photo's
 * record names the post the sandbox has (or says why it cannot: `mediaIdUnknown`). Deferred by the
 * quota counts as not yet, in order.
 */
import { photoRecord } from "../drain.ts";
import { type CheckInput, type CheckResult, result } from "./check.ts";
import { heldByInstagramLimit } from "./limit-wait.ts";

interface SandboxState {
  media: Array<{ id: string; containerId: string; timestamp: number }>;
  containers: Array<{ id: string; imageUrl?: string }>;
}

const ID = /[0-9a-f]{64}/;

export async function checkGraphPosts(input: CheckInput): Promise<CheckResult> {
  const state = (await (await fetch(`${input.stack.urls.graph}/__sandbox/state`)).json()) as SandboxState;
  const containers = new Map(state.containers.map((c) => [c.id, c]));
  const postsByPhoto = new Map<string, string[]>();
  const problems: string[] = [];
  for (const media of state.media) {
    const photoId = containers.get(media.containerId)?.imageUrl?.match(ID)?.[0];
    if (!photoId) {
      problems.push(`post ${media.id}: no photo id in its image URL`);
      continue;
    }
    postsByPhoto.set(photoId, [...(postsByPhoto.get(photoId) ?? []), media.id]);
  }
  const counts = {
    posted: 0,
    postIdUnknown: 0,
    postedAfterRecordsRead: 0,
    skipped: 0,
    deferred: 0,
    other: 0,
  };
  for (const [id, photo] of input.records) {
    const posts = postsByPhoto.get(id) ?? [];
    const publish = photo?.stages.publish;
    if (posts.length > 1) problems.push(`${id.slice(0, 12)}: posted ${posts.length} times`);
    if (publish?.status === "done") {
      counts.posted++;
      if (!publish.mediaId) {
        // Published by an attempt whose answer was lost: the record says so, and its one post is there.
        if (!publish.mediaIdUnknown) problems.push(`${id.slice(0, 12)}: done without a post id or a reason`);
        else if (posts.length !== 1)
          problems.push(`${id.slice(0, 12)}: done (post id unknown), ${posts.length} posts`);
        else counts.postIdUnknown++;
      } else if (!posts.includes(publish.mediaId))
        problems.push(`${id.slice(0, 12)}: done, but its post ${publish.mediaId} is not on Instagram`);
    } else if (publish?.status === "skipped") {
      counts.skipped++;
      if (posts.length > 0)
        problems.push(`${id.slice(0, 12)}: skipped (${publish.skipReason?.code}) but posted`);
    } else if (heldByInstagramLimit(photo)) {
      // Waiting for the quota or the container limit, with its next look recorded.
      if (posts.length === 0) counts.deferred++;
      else if (await postedSince(input, id, posts)) counts.postedAfterRecordsRead++;
      else problems.push(`${id.slice(0, 12)}: posted while it waits for a limit`);
    } else if (posts.length > 0 && (await postedSince(input, id, posts))) {
      // Posted after the records were read (the pipeline goes on after a drain that timed out):
      // the record read now names the post. The photo stays reported as open by the failures check.
      counts.postedAfterRecordsRead++;
    } else {
      counts.other++;
      if (posts.length > 0)
        problems.push(`${id.slice(0, 12)}: posted while its publish step is ${publish?.status}`);
    }
  }
  const known = new Set(input.records.keys());
  for (const id of postsByPhoto.keys())
    if (!known.has(id)) problems.push(`a post of a photo nobody took: ${id.slice(0, 12)}`);
  return result("every publishable photo posted exactly once, none twice, none early", problems, {
    ...counts,
    postsOnInstagram: state.media.length,
  });
}

/** Whether photo `id`'s record, read again now, is done with its one post `posts` (read after the records were). */
async function postedSince(input: CheckInput, id: string, posts: string[]): Promise<boolean> {
  const publish = (await photoRecord(input.api, id))?.stages.publish;
  if (publish?.status !== "done" || posts.length !== 1) return false;
  return publish.mediaId ? posts.includes(publish.mediaId) : publish.mediaIdUnknown !== undefined;
}
