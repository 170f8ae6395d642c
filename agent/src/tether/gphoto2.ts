/**
 * Tethering through the gphoto2 CLI (see agent/README.md, "Tethering"): auto-detect the camera, then
 * one gphoto2 run that catches up (`--get-all-files --skip-existing`) and goes on to
 * `--capture-tethered --keep`, with a hook script whose `download` event nominates each new file at
 * once. When the camera goes away gphoto2 exits, and the session starts over under the shared
 * capped, jittered backoff (core's `retry`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { type Logger, retry } from "@photo-relay/core/edge";
import { writeFileAtomic } from "../durable-fs.ts";
import { TetherEndedError } from "../errors.ts";

export interface TetherOptions {
  /** gphoto2 executable (name on PATH or a path). */
  gphoto2?: string;
  /** Download folder: an inbox folder. gphoto2 runs there so its tmpfile → rename stays atomic. */
  dir: string;
  /** Where the hook script is written (the spool folder). */
  workDir: string;
  /** Unique per shot, so gphoto2 never prompts or overwrites (Nikon counters wrap at 9999). */
  filename?: string;
  onDownload: (path: string) => void;
  onState?: (state: TetherState) => void;
  logger: Logger;
  backoff?: { baseMs?: number; maxMs?: number };
}

export type TetherState =
  | { state: "searching" }
  | { state: "catching-up"; camera: string }
  | { state: "tethered"; camera: string }
  | { state: "disconnected"; retryInMs: number; reason: string };

export interface Tether {
  stop(): Promise<void>;
}

const HOOK_TAG = "photo-relay-download";

/** Parses `gphoto2 --auto-detect`: the rows under the dashed line are "<model>   <port>". */
export function parseAutoDetect(output: string): Array<{ model: string; port: string }> {
  const lines = output.split(/\r?\n/);
  const start = lines.findIndex((l) => /^-{10,}/.test(l));
  return lines
    .slice(start + 1)
    .map((l) => l.trim().match(/^(.*\S)\s{2,}(\S+)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ model: m[1] ?? "", port: m[2] ?? "" }));
}

export function startTether(options: TetherOptions): Tether {
  const stopper = new AbortController();
  const gphoto2 = options.gphoto2 ?? "gphoto2";
  const filename = options.filename ?? "%Y%m%d-%H%M%S-%f.%C";
  const { logger } = options;
  let current: ChildProcess | undefined;

  const run = (args: string[], onLine: (line: string) => void = () => undefined) =>
    runGphoto2(
      gphoto2,
      options.dir,
      args,
      (line) => {
        const hooked = line.startsWith(`${HOOK_TAG}\t`) ? line.slice(HOOK_TAG.length + 1) : undefined;
        if (hooked) options.onDownload(resolve(options.dir, hooked));
        onLine(line);
      },
      (child) => {
        current = child;
      },
    );

  /** One session: detect, catch up, capture. Throws when it ends soon; resolves after a long good run. */
  const session = async (hook: string) => {
    const common = ["--hook-script", hook, "--filename", filename];
    options.onState?.({ state: "searching" });
    const detected = await run(["--auto-detect"]);
    const camera = parseAutoDetect(detected.output)[0];
    if (!camera || stopper.signal.aborted) {
      const last = detected.output.trim().split("\n").at(-1);
      throw new TetherEndedError(detected.code === 0 ? "no camera detected" : (last ?? "gphoto2 failed"));
    }
    const name = `${camera.model} (${camera.port})`;
    options.onState?.({ state: "catching-up", camera: name });
    const started = Date.now();
    // Catch-up and capture in ONE run, so in one camera session: the camera queues an "added" event
    // for every shot taken after the catch-up looked at the card, and the tethered wait downloads
    // them. As two runs, a shot landing between them (the catch-up of a busy card takes seconds)
    // was on the card only, until the next restart; after the last one, never (issue 14's soak).
    const args = ["--get-all-files", "--skip-existing", "--capture-tethered", "--keep", ...common];
    const capture = await run(args, (line) => {
      if (!line.startsWith("Waiting for events")) return;
      logger.info("tethered", { camera: name });
      options.onState?.({ state: "tethered", camera: name });
    });
    if (stopper.signal.aborted || Date.now() - started > 60_000) return; // ran fine: the backoff starts afresh
    const lines = capture.output.trim().split("\n");
    throw new TetherEndedError(
      lines.findLast((l) => l.includes("Error")) ?? `gphoto2 exited (${capture.code})`,
    );
  };

  const loop = async () => {
    const backoff = { baseMs: 1000, maxMs: 30_000, ...options.backoff };
    while (!stopper.signal.aborted) {
      await retry(() => writeHookScript(options.workDir).then(session), {
        ...backoff,
        attempts: Number.POSITIVE_INFINITY,
        signal: stopper.signal,
        shouldRetry: (error) => error instanceof TetherEndedError,
        onRetry: (error, _attempt, retryInMs) => {
          const reason = (error as Error).message;
          logger.warn("camera not tethered; retrying", { reason, retryInMs });
          options.onState?.({ state: "disconnected", retryInMs, reason });
        },
      }).catch(() => undefined); // aborted while waiting: the loop ends
    }
  };
  const running = mkdir(options.workDir, { recursive: true }).then(loop);
  running.catch((error: unknown) => logger.error("tether loop failed", { error }));

  return {
    async stop() {
      stopper.abort();
      // SIGUSR2 ends gphoto2's wait loop cleanly (2.5.26+); SIGTERM elsewhere.
      current?.kill(process.platform === "win32" ? "SIGTERM" : "SIGUSR2");
      await running.catch(() => undefined);
    },
  };
}

/** Runs gphoto2 in `dir` to its end, passing each stdout line on; resolves with its exit code and all output. */
function runGphoto2(
  gphoto2: string,
  dir: string,
  args: string[],
  onLine: (line: string) => void,
  onChild: (child: ChildProcess | undefined) => void,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(gphoto2, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    onChild(child);
    let output = "";
    if (child.stdout)
      createInterface({ input: child.stdout }).on("line", (line) => {
        output += `${line}\n`;
        onLine(line);
      });
    if (child.stderr) createInterface({ input: child.stderr }).on("line", (l) => (output += `${l}\n`));
    child.on("error", (error) => {
      output += `${error.message}\n`;
    });
    child.on("close", (code) => {
      onChild(undefined);
      done({ code, output });
    });
  });
}

/**
 * The hook prints the saved path on gphoto2's stdout, which the supervisor reads. Written at each
 * session's start, atomically: on a full spool disk the session waits its backoff and tries again
 * (a plain write would leave a truncated hook, and a throw here would end tethering for good).
 */
async function writeHookScript(dir: string): Promise<string> {
  try {
    return await writeHook(dir);
  } catch (error) {
    throw new TetherEndedError(`cannot write the hook script: ${(error as Error).message}`);
  }
}

async function writeHook(dir: string): Promise<string> {
  if (process.platform === "win32") {
    const path = join(dir, "gphoto2-hook.cmd");
    await writeFileAtomic(
      path,
      `@echo off\r\nif "%ACTION%"=="download" echo ${HOOK_TAG}\t%ARGUMENT%\r\nexit /b 0\r\n`,
    );
    return path;
  }
  const path = join(dir, "gphoto2-hook.sh");
  await writeFileAtomic(
    path,
    `#!/bin/sh\n# photo-relay: gphoto2 --hook-script (ACTION=init|start|download|stop, ARGUMENT=saved file)\n` +
      `if [ "$ACTION" = "download" ]; then printf '${HOOK_TAG}\\t%s\\n' "$ARGUMENT"; fi\nexit 0\n`,
  );
  await chmod(path, 0o755);
  return path;
}
