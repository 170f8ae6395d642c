/**
 * `photo-relay doctor`: checks the config, folders, disk space, S3 reachability and credentials,
 * gphoto2 and the camera, and says what to do about each failure.
 */
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, stat, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { describeError } from "@photo-relay/core/edge";
import { closeWatchSupport, isAuthError, isNotFound, parseAutoDetect } from "../index.ts";
import type { AgentConfig } from "./config.ts";
import { formatBytes } from "./live-view.ts";
import { createS3Client } from "./s3-client.ts";

const run = promisify(execFile);

export interface Check {
  name: string;
  ok: boolean;
  /** true: a warning that does not fail the doctor. */
  optional?: boolean;
  detail: string;
}

export async function runChecks(config: AgentConfig): Promise<Check[]> {
  const checks: Check[] = [{ name: "config", ok: true, detail: config.path }];
  const check = async (name: string, fn: () => Promise<string>, optional = false) => {
    try {
      checks.push({ name, ok: true, detail: await fn(), ...(optional && { optional }) });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message, ...(optional && { optional }) });
    }
  };
  for (const dir of config.inbox) {
    await check(`inbox ${dir}`, async () => {
      await access(dir, constants.R_OK | constants.W_OK);
      return "readable and writable";
    });
  }
  await check("spool", async () => {
    await mkdir(config.spoolDir, { recursive: true });
    await access(config.spoolDir, constants.W_OK);
    const first = config.inbox[0];
    const same = first && (await stat(first)).dev === (await stat(config.spoolDir)).dev;
    return same
      ? "writable, same volume as the inbox (hard links)"
      : "writable, other volume than the inbox (copies)";
  });
  await check("disk space", async () => {
    const fs = await statfs(config.spoolDir);
    const free = fs.bavail * fs.bsize;
    const floor = config.spoolMinFreeMiB * 1024 * 1024;
    if (free < floor)
      throw new Error(`${formatBytes(free)} free on the spool volume, below the ${formatBytes(floor)} floor`);
    return `${formatBytes(free)} free on the spool volume`;
  });
  const processed = config.processedDir ?? join(dirname(config.inbox[0] ?? "."), "processed");
  await check("processed", async () => {
    await mkdir(processed, { recursive: true });
    await access(processed, constants.W_OK);
    return `${processed} (${config.archive})`;
  });
  const watch = await closeWatchSupport();
  checks.push({ name: "file watch", ok: watch.ok, optional: true, detail: watch.detail });
  await check("s3", async () => {
    const client = createS3Client(config);
    try {
      await client.send(new HeadBucketCommand({ Bucket: config.s3.bucket }), {
        abortSignal: AbortSignal.timeout(10_000),
      });
      return `bucket ${config.s3.bucket} reachable, credentials accepted${config.s3.endpoint ? ` (${config.s3.endpoint})` : ""}`;
    } catch (error) {
      if (isAuthError(error))
        throw new Error("S3 refused the credentials (403): check accessKeyId/secret and the bucket policy");
      if (isNotFound(error)) throw new Error(`bucket ${config.s3.bucket} does not exist`);
      throw new Error(`S3 unreachable: ${describeError(error).message}`);
    } finally {
      client.destroy();
    }
  });
  await check(
    "gphoto2",
    async () => {
      const { stdout } = await run(config.tether.gphoto2, ["--version"], { timeout: 10_000 });
      const cameras = parseAutoDetect(
        (await run(config.tether.gphoto2, ["--auto-detect"], { timeout: 10_000 })).stdout,
      );
      const version = stdout.split("\n")[0] ?? "";
      if (!cameras.length)
        throw new Error(`${version}: no camera detected (USB cable, camera on, gvfs not claiming it?)`);
      return `${version}; camera ${cameras.map((c) => `${c.model} (${c.port})`).join(", ")}`;
    },
    !config.tether.enabled,
  );
  return checks;
}

export async function doctorCommand(
  config: AgentConfig,
  json: boolean,
  out: NodeJS.WriteStream,
): Promise<number> {
  const checks = await runChecks(config);
  if (json) out.write(`${JSON.stringify(checks, null, 2)}\n`);
  else {
    for (const c of checks)
      out.write(`${c.ok ? "✔" : c.optional ? "!" : "✖"} ${c.name.padEnd(12)} ${c.detail}\n`);
  }
  return checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
}
