/**
 * `npm start` tells the truth: started as `npm start` starts it, the stack prints every endpoint
 * in use as the configuration has it (one set by configuration replaces the local line), where
 * the API token is kept but never the token, and a token refresh that is not configured is not
 * tried: `/status` says `refresh: "not configured"`, and no stack trace reaches the log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/support/wait.ts";

const START = resolve(import.meta.dirname, "../src/bin/start.ts");
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Started {
  child: ChildProcess;
  folder: string;
  output: () => string;
  banner: string;
  row: (label: string) => string;
}

/** Starts the stack in a fresh folder as `npm start -- --random-ports --no-agent` does, with `env` only. */
async function start(env: Record<string, string> = {}): Promise<Started> {
  const folder = mkdtempSync(join(tmpdir(), "photo-relay-start-"));
  const child = spawn(process.execPath, [START, "--random-ports", "--no-agent"], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", HOME: folder, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const banner = await waitFor(
    () =>
      child.exitCode !== null
        ? Promise.reject(new Error(out))
        : /is running[\s\S]*Ctrl-C stops\./.exec(out)?.[0],
    "the banner",
    { timeoutMs: 60_000 },
  );
  const row = (label: string) => new RegExp(`^ {2}${label} +(.+)$`, "m").exec(banner)?.[1] ?? "";
  return { child, folder, output: () => out, banner, row };
}

async function stop({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  child.kill("SIGINT");
  return exited;
}

describe("npm start: the banner", () => {
  it("names the local servers and where the API token is kept, never the token", async () => {
    const started = await start();
    const { row } = started;
    expect(row("S3")).toMatch(/^http:\/\/127\.0\.0\.1:\d+ {2}\(fauxqs, bucket media\)$/);
    expect(row("SQS")).toContain(
      "(fauxqs, queues photo-relay-convert, photo-relay-reel, photo-relay-mirror, photo-relay-publish)",
    );
    expect(row("DynamoDB")).toMatch(/\(dynalite, table photos\)$/);
    expect(row("API token")).toBe('stored in .data/api-token (send it as "Authorization: Bearer <token>")');
    expect(row("Mirror target web")).toMatch(
      /^local folder \.data\/www, served at http:\/\/127\.0\.0\.1:\d+ {2}\(local web server\)$/,
    );
    expect(row("Instagram Graph API")).toMatch(/\(local sandbox; its feed: /);
    expect(row("Instagram token refresh")).toBe("hourly, kept in .data/instagram-token.json");
    const token = readFileSync(join(started.folder, ".data", "api-token"), "utf8").trim();
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(await stop(started)).toBe(0);
    expect(started.output()).not.toContain(token);
  });

  it("names what the configuration sets instead, and does not try to refresh a token it cannot keep", async () => {
    const asked: string[] = [];
    const standIn: Server = createServer((req, res) => {
      asked.push(req.url ?? "");
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: "Unsupported request", type: "GraphMethodException", code: 100 },
        }),
      );
    });
    await new Promise<void>((done) => standIn.listen(0, "127.0.0.1", done));
    const graph = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    const apiToken = "configured-api-token-0123456789";
    const started = await start({
      PHOTO_RELAY_GRAPH_BASE_URL: graph,
      PHOTO_RELAY_INSTAGRAM_TOKEN: "EAAstatic-page-token-from-config",
      PHOTO_RELAY_INSTAGRAM_USER_ID: "17841400000000001",
      PHOTO_RELAY_API_TOKEN: apiToken,
      PHOTO_RELAY_S3_ENDPOINT: "http://127.0.0.1:9",
      PHOTO_RELAY_MIRROR_TARGETS: JSON.stringify([
        {
          name: "host",
          transports: [
            { type: "ftps", host: "ftp.example.com", user: "web", password: "ftp-sekrit" },
            { type: "sftp", host: "ssh.example.com", port: 2222, user: "web", password: "sftp-sekrit" },
          ],
          publicBaseUrl: "https://example.com/photos/",
        },
      ]),
    });
    const { row, banner } = started;
    try {
      expect(row("S3")).toBe("http://127.0.0.1:9  (configured, bucket media)");
      expect(row("Instagram Graph API")).toBe(`${graph}  (configured, user 17841400000000001)`);
      expect(banner).not.toMatch(/sandbox/i);
      expect(row("Mirror target host")).toBe(
        "ftps://ftp.example.com, then sftp://ssh.example.com:2222, served at https://example.com/photos/",
      );
      expect(banner).not.toMatch(/Mirror target web/);
      expect(row("API token")).toBe("as configured (PHOTO_RELAY_API_TOKEN or the config file)");
      expect(row("Instagram token refresh")).toMatch(/^not configured/);
      const api = row("HTTP API");
      const status = await (
        await fetch(`${api}/status`, { headers: { authorization: `Bearer ${apiToken}` } })
      ).json();
      expect(status.token).toMatchObject({ source: "config", refresh: "not configured" });
    } finally {
      expect(await stop(started)).toBe(0);
      await new Promise((done) => standIn.close(done));
    }
    expect(asked.filter((url) => url.includes("refresh_access_token"))).toEqual([]);
    const log = started.output();
    for (const secret of [apiToken, "EAAstatic-page-token-from-config", "ftp-sekrit", "sftp-sekrit"]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/token refresh failed/i);
    expect(log).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  });
});
