/**
 * Best of the burst through the whole pipeline on the local stack: a labelled set of bursts (see
 * fixtures/labelled-bursts.ts) uploaded as the agent uploads, three cameras shooting at once, is
 * converted, grouped, decided and published: each burst posts its sharpest frame, distinct scenes
 * are never merged, and every frame is still converted, mirrored and shown by the API.
 */
import type { LocalStack } from "@photo-relay/local-stack";
import type { BurstView } from "@photo-relay/pipeline/api";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import { allFinished, postedPhotos, uploadFrames } from "./fixtures/burst-stack.ts";
import { type LabelledFrame, labelledBursts } from "./fixtures/labelled-bursts.ts";

const DRAWN_SCENES = 24;
let stack: LocalStack;
let frames: Map<string, LabelledFrame>;

beforeAll(async () => {
  // Settled 6 s after the last join: on a loaded 2-core box a burst's frames can be seconds apart.
  stack = await testStack({ settings: { bursts: { settleSeconds: 6 } }, graphQuotaTotal: 500 });
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
        const burst = await stack.runtime.bursts.require(sharpFrame.burst?.id as string);
        const late = Date.parse(burst.decision?.at ?? "") < (burst.members[sharpFrame.id]?.joinedAt ?? 0);
        misses.push(
          `${scene}: picked "${picked && frames.get(picked.id)?.label}" (${picked?.analysis?.score} over ` +
            `${sharpFrame.analysis?.score}${late ? ", which joined after the decision" : ""})`,
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
    const list = await api<{
      photos: { id: string; burst?: { id: string; role: string; members?: string[] } }[];
    }>("/photos?limit=20");
    expect(list.photos.every((p) => p.burst?.id && p.burst.role)).toBe(true);
    // A list leaves each burst's members to the photo's own page: every frame would repeat them.
    expect(list.photos.filter((p) => p.burst?.members)).toEqual([]);
  });
});
