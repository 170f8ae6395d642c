/**
 * The soak's reading of a photo still open at the end (issue 14): deferred by Instagram's quota or
 * container limit, with its next look recorded, is not lost; anything else open is.
 */
import { newPhoto, type PhotoRecord } from "@photo-relay/pipeline/photo";
import { describe, expect, it } from "vitest";
import { heldByInstagramLimit } from "../checks/limit-wait.ts";

const until = "2026-12-04T02:00:00.000Z";

/** A photo converted and mirrored whose publish stage is as given. */
function photo(publish: Partial<PhotoRecord["stages"]["publish"]>, mirror = "done"): PhotoRecord {
  const p = newPhoto({ id: "a".repeat(64), originalKey: "originals/a.jpg", bytes: 1 }, new Date(0));
  const at = p.createdAt;
  return {
    ...p,
    stages: {
      convert: { status: "done", attempts: 1, updatedAt: at },
      mirror: { status: mirror as "done", attempts: 1, updatedAt: at },
      publish: { status: "waiting", attempts: 0, updatedAt: at, ...publish },
    },
  };
}

describe("soak: a photo held by Instagram's limits", () => {
  it("is deferred while it waits for the quota or the container limit, its next look recorded", () => {
    expect(heldByInstagramLimit(photo({ waitingFor: { limit: "quota", until } }))).toEqual({
      limit: "quota",
      until,
    });
    expect(heldByInstagramLimit(photo({ waitingFor: { limit: "containers", until } }))?.limit).toBe(
      "containers",
    );
  });

  it("is open when it waits for anything else, or for a call-rate limit, or another stage is open", () => {
    expect(heldByInstagramLimit(photo({}))).toBeUndefined();
    expect(heldByInstagramLimit(photo({ waitingFor: { limit: "calls", until } }))).toBeUndefined();
    expect(
      heldByInstagramLimit(photo({ status: "running", waitingFor: { limit: "quota", until } })),
    ).toBeUndefined();
    expect(
      heldByInstagramLimit(photo({ waitingFor: { limit: "quota", until } }, "retrying")),
    ).toBeUndefined();
    expect(heldByInstagramLimit(undefined)).toBeUndefined();
  });
});
