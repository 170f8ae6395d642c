/**
 * Runs the ffmpeg binary as a child process: arguments as an array (never a shell), stderr kept
 * only as a bounded tail, progress read from `-progress pipe:1`, and the process killed when the
 * caller's signal aborts.
 */
import { spawn } from "node:child_process";
import { FfmpegError, VideoError } from "./errors.ts";

export interface RunFfmpegOptions {
  /** The binary (default: the caller resolves it; see `ffmpegPath`). */
  path: string;
  /** Kills ffmpeg (SIGKILL) and rejects with an FfmpegError when aborted. */
  signal?: AbortSignal;
  /** Called with the media time written so far, in seconds (adds `-progress pipe:1`). */
  onProgress?: (seconds: number) => void;
}

export interface FfmpegRun {
  stdout: string;
  /** The last {@link STDERR_TAIL_BYTES} of stderr. */
  stderr: string;
  exitCode: number;
}

const STDERR_TAIL_BYTES = 8192;

/** Runs ffmpeg to the end; rejects with FfmpegError when it cannot start, exits non-zero or is aborted. */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  const run = await spawnFfmpeg(args, options);
  if (run.exitCode !== 0) {
    throw new FfmpegError(`ffmpeg exited with code ${run.exitCode}: ${lastLine(run.stderr)}`, run.stderr);
  }
  return run;
}

/**
 * Runs ffmpeg on a video whose index was already read: a non-zero exit now means the media data
 * itself cannot be decoded, a fault of the file (VideoError `corrupt_video`, with ffmpeg's reason),
 * while a failure to start or a kill stays a retryable FfmpegError.
 */
export async function runOnVideo(args: readonly string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  const run = await spawnFfmpeg(args, options);
  if (run.exitCode === 0) return run;
  throw new VideoError("corrupt_video", `the video cannot be decoded: ${errorLine(run.stderr)}`, {
    cause: new FfmpegError(`ffmpeg exited with code ${run.exitCode}`, run.stderr),
  });
}

/** Like {@link runFfmpeg} but resolves with a non-zero exit code instead of rejecting. */
export function spawnFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  const { path, signal, onProgress } = options;
  const fullArgs = onProgress ? ["-progress", "pipe:1", "-nostats", ...args] : [...args];
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal, ""));
    const child = spawn(path, fullArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (!onProgress) {
        stdout += chunk;
        return;
      }
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        // `out_time_ms` is in microseconds despite its name (ffmpeg's own naming slip, kept for compatibility).
        const match = /^out_time_ms=(\d+)/.exec(line);
        if (match) onProgress(Number(match[1]) / 1e6);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.once("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(new FfmpegError(`ffmpeg could not start (${path}): ${error.message}`, "", { cause: error }));
    });
    child.once("close", (code, killedBy) => {
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) return reject(aborted(signal, stderr));
      if (code === null) return reject(new FfmpegError(`ffmpeg was killed by ${killedBy}`, stderr));
      resolve({ stdout, stderr, exitCode: code });
    });
  });
}

function aborted(signal: AbortSignal, stderr: string): FfmpegError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new FfmpegError(`ffmpeg stopped: ${reason}`, stderr, { cause: signal.reason });
}

/** ffmpeg's last stderr line is usually the one that says what went wrong. */
export function lastLine(stderr: string): string {
  return stderr.trim().split("\n").pop()?.trim() ?? "";
}

/** The last line that names an error (the stderr tail may start mid-line; "Conversion failed!" says nothing). */
function errorLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .filter(
      (l) => /error|invalid|fail|corrupt/i.test(l) && !/Conversion failed|Last message repeated/.test(l),
    );
  const line = lines.at(-1) ?? lastLine(stderr);
  return (
    line
      .replace(/^\[[^\]]*\]\s*/, "")
      .trim()
      .slice(0, 300) || "ffmpeg gave no reason"
  );
}
