/** The agent's config file through core's loader: environment overrides, secrets from files, masking. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, maskSecrets } from "../src/cli/config.ts";

async function configFile(body: object): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "agent-config-"));
  const path = join(dir, "photo-relay.agent.json");
  await writeFile(path, JSON.stringify(body));
  return { dir, path };
}

describe("agent: config", () => {
  it("takes environment variables over the file, and a secret from NAME_FILE as everywhere in photo-relay", async () => {
    const { dir, path } = await configFile({
      inbox: ["./in"],
      spoolDir: "./spool",
      s3: { bucket: "from-file" },
    });
    await writeFile(join(dir, "secret"), "s3cr3t-from-file\n");
    const config = loadConfig(path, {
      PHOTO_RELAY_S3_BUCKET: "from-env",
      PHOTO_RELAY_AGENT_ACCESS_KEY_ID: "AKIAENVEXAMPLE",
      PHOTO_RELAY_AGENT_SECRET_ACCESS_KEY_FILE: join(dir, "secret"),
    });
    expect(config.s3).toMatchObject({ bucket: "from-env", accessKeyId: "AKIAENVEXAMPLE" });
    expect(config.s3.secretAccessKey).toBe("s3cr3t-from-file");
    expect(config.inbox).toEqual([join(dir, "in")]);
    const masked = JSON.stringify(maskSecrets(config));
    expect(masked).not.toContain("s3cr3t");
    expect(masked).toContain("AKIA****");
  });

  it("reads s3.secretAccessKeyFile relative to the config file", async () => {
    const { dir, path } = await configFile({
      inbox: ["./in"],
      spoolDir: "./spool",
      s3: { bucket: "media", secretAccessKeyFile: "./key.txt" },
    });
    await writeFile(join(dir, "key.txt"), "from-key-file\n");
    expect(loadConfig(path, {}).s3.secretAccessKey).toBe("from-key-file");
  });
});
