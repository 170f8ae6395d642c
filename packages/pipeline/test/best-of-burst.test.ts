/**
 * Best of the burst through the whole pipeline on the local stack: a labelled set of bursts (see
 * fixtures/labelled-bursts.ts) uploaded as the agent uploads, three cameras shooting at once, is
 * converted, grouped, decided and published: each burst posts its sharpest frame, distinct scenes
 * are never merged, and every frame is still converted, mirrored and shown by the API.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { originalKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import type { BurstView } from "@photo-relay/pipeline/api";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { type LabelledFrame, labelledBursts } from "./fixtures/labelled-bursts.ts";

const DRAWN_SCENES = 24;
let stack: LocalStack;
let frames: Map<string, LabelledFrame>;

/** Uploads frames as the agent does (source `agent`), `together` at a time in shooting order. */
export async function uploadFrames(stack: LocalStack, list: LabelledFrame[], together = 4) {
  const ids = new Map<string, LabelledFrame>();
  const put = async (frame: LabelledFrame) => {
    const id = sha256Hex(frame.jpeg);
    ids.set(id, frame);
    await stack.runtime.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.config.s3.bucket,
        Key: originalKey(id, ".jpg"),
        Body: frame.jpeg,
        Metadata: { "original-name": `${frame.scene}-${frame.at}.jpg`, source: "agent" },
      }),
    );
  };
  for (let i = 0; i < list.length; i += together) await Promise.all(list.slice(i, i + together).map(put));
  return ids;
}

/** Every photo's record once each has finished (converted, mirrored, posted or not posted). */
export function allFinished(stack: LocalStack, ids: Iterable<string>, timeoutMs = 240_000) {
  const wanted = [...ids];
  return waitFor(
    async () => {
      const photos = await Promise.all(wanted.map((id) => stack.runtime.photos.get(id)));
      return photos.every((p) => p?.status === "done" || p?.status === "failed") && (photos as PhotoRecord[]);
    },
    `${wanted.length} photos finished`,
    { timeoutMs, intervalMs: 500 },
  );
}

/** Which photo each post in the sandbox is of (its container downloaded that photo's rendition). */
export function postedPhotos(stack: LocalStack): string[] {
  return [...stack.sandbox.state.media.values()].map((media) => {
    const url = stack.sandbox.state.containers.get(media.containerId)?.imageUrl ?? "";
    return /renditions\/([0-9a-f]{64})\//.exec(url)?.[1] ?? `unknown: ${url}`;
  });
}

beforeAll(async () => {
  stack = await testStack({ settings: { bursts: { settleSeconds: 3 } }, graphQuotaTotal: 500 });
});
afterAll(async () => {
  await stack?.stop();
});

describe("best of the burst on the local stack", () => {
  it("posts each burst's sharpest frame, merges no distinct scenes, and keeps every frame", async () => {
    const set = await labelledBursts(DRAWN_SCENES);
    frames = await uploadFrames(stack, set);
    const photos = await allFinished(stack, frames.keys());

    const byScene = Map.groupBy(photos, (p) => frames.get(p.id)?.scene);
    const scenesOfBurst = new Map<string, Set<string>>();
    for (const p of photos) {
      const burst = p.burst?.id ?? `none:${p.id}`;
      scenesOfBurst.set(burst, (scenesOfBurst.get(burst) ?? new Set()).add(frames.get(p.id)?.scene ?? ""));
    }
    const misses: string[] = [];
    const split: string[] = [];
    for (const [scene, members] of byScene) {
      if (new Set(members.map((p) => p.burst?.id)).size > 1) split.push(scene ?? "");
      const sharpFrame = members.find((p) => frames.get(p.id)?.sharp) as PhotoRecord;
      if (sharpFrame.burst?.role !== "pick") {
        const picked = members.find((p) => p.burst?.role === "pick");
        misses.push(
          `${scene}: picked "${picked && frames.get(picked.id)?.label}" (${picked?.analysis?.score})`,
        );
      }
    }
    const merged = [...scenesOfBurst.values()].filter((s) => s.size > 1).flatMap((s) => [...s]);
    const posted = postedPhotos(stack);
    const picks = photos.filter((p) => p.burst?.role === "pick").map((p) => p.id);
    console.info(
      JSON.stringify({
        frames: photos.length,
        groups: byScene.size,
        pickedRight: byScene.size - misses.length,
        misses,
        mergedScenes: merged.length,
        splitScenes: split,
        bursts: scenesOfBurst.size,
        posts: posted.length,
      }),
    );
    expect((byScene.size - misses.length) / byScene.size, misses.join("\n")).toBeGreaterThanOrEqual(0.95);
    expect(merged.length / byScene.size).toBeLessThanOrEqual(0.01);
    // Exactly the picks were posted, once each; every frame was converted and mirrored.
    expect(posted.sort()).toEqual(picks.sort());
    expect(stack.sandbox.state.publishLog).toHaveLength(posted.length);
    for (const p of photos) {
      expect(p.stages.convert.status).toBe("done");
      expect(p.stages.mirror.status).toBe("done");
      expect(p.analysis?.hash).toMatch(/^[0-9a-f]{16}$/);
      if (p.burst?.role === "alternate") {
        expect(p.stages.publish).toMatchObject({
          status: "skipped",
          skipReason: { code: "not_best_of_burst" },
        });
        expect(p.stages.publish.mediaId).toBeUndefined();
      }
    }
  }, 300_000);

  it("shows each frame's burst through the API: its members, its pick and their scores", async () => {
    const api = async <T>(path: string) => {
      const res = await fetch(`${stack.urls.api}${path}`, {
        headers: { authorization: `Bearer ${stack.apiToken}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const [sharpId] = [...frames].find(([, f]) => f.sharp && f.scene === "drawn 0") ?? [];
    const photo = await api<{
      burst: { id: string; role: string; state: string; picks: string[]; members: string[] };
    }>(`/photos/${sharpId}`);
    const sceneIds = [...frames].filter(([, f]) => f.scene === "drawn 0").map(([id]) => id);
    expect(photo.burst).toMatchObject({ role: "pick", state: "decided", picks: [sharpId] });
    expect(photo.burst.members.sort()).toEqual(sceneIds.sort());
    const burst = await api<BurstView>(`/bursts/${photo.burst.id}`);
    expect(burst.members).toHaveLength(6);
    const best = burst.members.reduce((a, b) => (b.score > a.score ? b : a));
    expect(best).toMatchObject({ photoId: sharpId, role: "pick" });
    expect(burst.members.map((m) => m.shotAt)).toEqual([...burst.members.map((m) => m.shotAt)].sort());
    const list = await api<{ photos: { id: string; burst?: { id: string } }[] }>("/photos?limit=20");
    expect(list.photos.every((p) => p.burst?.id)).toBe(true);
  });
});
