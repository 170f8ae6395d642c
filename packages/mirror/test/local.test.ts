import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe } from "vitest";
import { serverFolder, transportConformance } from "./conformance.ts";

describe("mirror: local folder", () => {
  let root: string;
  afterAll(() => rm(root, { recursive: true, force: true }));
  transportConformance(async () => {
    root = await mkdtemp(join(tmpdir(), "photo-relay-local-"));
    return { options: { type: "local", root }, ...serverFolder(root) };
  });
});
