/**
 * The owner chooses a burst's pick in the dashboard (`PUT /bursts/:id/picks`) before it is posted:
 * while the burst is open the decision takes the choice; once decided, the old pick stops and the
 * new one goes to publish; once a pick is posted, the choice is refused.
 */
import type { LocalStack } from "@photo-relay/local-stack";
import type { BurstView } from "@photo-relay/pipeline/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack, waitForPhoto } from "../../../test/support/stack.ts";
import { postedPhotos, uploadFrames } from "./fixtures/burst-stack.ts";
import { type LabelledFrame, labelledBursts } from "./fixtures/labelled-bursts.ts";

let stack: LocalStack;
let scenes: Map<string, [string, LabelledFrame][]>;

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual", settings: { bursts: { settleSeconds: 4 } } });
  // Four drawn scenes: the first camera (of three) shoots two of them, with or without the corpus.
  const frames = await labelledBursts(4);
  // One camera's scenes only, each its own burst.
  const first = frames.filter((f) => f.camera === frames[0]?.camera);
  scenes = Map.groupBy([...(await uploadFrames(stack, first))], ([, f]) => f.scene);
});
afterAll(async () => {
  await stack?.stop();
});

const choose = (burstId: string, picks: string[]) =>
  fetch(`${stack.urls.api}/bursts/${burstId}/picks`, {
    method: "PUT",
    headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ picks }),
  });

describe("best of the burst: the owner's pick", () => {
  it("takes the owner's choice while the burst is open", async () => {
    const [frames = []] = [...scenes.values()].slice(1);
    const [soft] = frames.find(([, f]) => !f.sharp) ?? [];
    const photo = await waitForPhoto(stack, soft as string, (p) => p.burst !== undefined, "in a burst");
    const res = await choose(photo.burst?.id as string, [soft as string]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: "open", picks: [soft], pickedBy: "owner" });
    await waitForPhoto(
      stack,
      soft as string,
      (p) => p.status === "awaiting_approval",
      "the owner's pick waits",
    );
    const view = (await (await choose(photo.burst?.id as string, [soft as string])).json()) as BurstView;
    expect(view).toMatchObject({ state: "decided", picks: [soft], pickedBy: "owner" });
  });

  it("swaps a decided pick for another frame, then refuses once the new pick is posted", async () => {
    const [frames = []] = [...scenes.values()];
    const [sharpId] = frames.find(([, f]) => f.sharp) ?? [];
    const [softId] = frames.find(([, f]) => !f.sharp) ?? [];
    const pick = await waitForPhoto(
      stack,
      sharpId as string,
      (p) => p.status === "awaiting_approval",
      "the pick",
    );
    const burstId = pick.burst?.id as string;
    expect(pick.burst?.role).toBe("pick");

    const res = await choose(burstId, [softId as string]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: "decided", picks: [softId], pickedBy: "owner" });
    const old = await stack.runtime.photos.require(sharpId as string);
    expect(old.burst?.role).toBe("alternate");
    expect(old.stages.publish).toMatchObject({
      status: "skipped",
      skipReason: { code: "not_best_of_burst" },
    });
    await waitForPhoto(
      stack,
      softId as string,
      (p) => p.status === "awaiting_approval",
      "the new pick waits",
    );

    const approve = await fetch(`${stack.urls.api}/photos/${softId}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(approve.status).toBe(202);
    await waitForPhoto(stack, softId as string, (p) => p.stages.publish.mediaId !== undefined, "posted");
    expect(postedPhotos(stack)).toEqual([softId]);
    // The old pick cannot be approved into a second post of the moment…
    const again = await fetch(`${stack.urls.api}/photos/${sharpId}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(await again.json()).toEqual({ outcome: "ignored" });
    // …nor chosen back now that the moment is posted.
    const refused = await choose(burstId, [sharpId as string]);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: "pick_posted" } });
    expect(postedPhotos(stack)).toEqual([softId]);
  });

  it("refuses picks outside the burst and more picks than its policy posts", async () => {
    const [a = [], b = []] = [...scenes.values()];
    const burstId = (await stack.runtime.photos.require(a[0]?.[0] as string)).burst?.id as string;
    const outside = await choose(burstId, [b[0]?.[0] as string]);
    expect(outside.status).toBe(400);
    expect(await outside.json()).toMatchObject({ error: { code: "not_in_burst" } });
    const many = await choose(burstId, [a[0]?.[0] as string, a[1]?.[0] as string]);
    expect(await many.json()).toMatchObject({ error: { code: "too_many_picks" } });
    expect((await choose("not a burst", [a[0]?.[0] as string])).status).toBe(400);
    expect((await choose("0123-none", [a[0]?.[0] as string])).status).toBe(404);
  });
});
