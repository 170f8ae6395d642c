/**
 * The soak's last step: everything it started is stopped, in order, each within a bounded time.
 * A part that does not stop in time (a child that ignores SIGTERM, a daemon stuck in a syscall) is
 * killed, and that is a broken promise in the report ("everything it started stopped"), never a
 * run that hangs for good (issue 14: the agent once kept the soak waiting after "drain settled").
 */
import { type CheckResult, result } from "./checks/check.ts";

export interface Part {
  name: string;
  /** The clean stop (SIGTERM, a stop message, close()). */
  stop(): Promise<void>;
  /** The last resort when `stop` overran: SIGKILL, or whatever ends the part for good. */
  kill?(): void;
}

const overran = Symbol("overran");

/** Settles with `promise`, or with `overran` once `ms` passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof overran> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof overran>((resolve) => {
    timer = setTimeout(() => resolve(overran), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops `parts` one after the other (later ones may serve earlier ones: the stack outlives the
 * agent that uploads to it). Each gets `graceMs` to stop; then it is killed and given `graceMs`
 * more to be gone. Resolves with the verdict; never rejects, never waits longer than that.
 */
export async function stopAll(parts: Part[], graceMs: number): Promise<CheckResult> {
  const problems: string[] = [];
  const detail: Record<string, string> = {};
  const seconds = `${graceMs / 1000} s`;
  for (const part of parts) {
    const started = Date.now();
    const stopping = part.stop().then(
      () => undefined,
      (error: unknown) => `failed to stop: ${String(error)}`,
    );
    const outcome = await within(stopping, graceMs);
    let how: string;
    if (outcome === overran) {
      part.kill?.();
      const killed = part.kill && (await within(stopping, graceMs)) !== overran;
      how = killed
        ? `did not stop within ${seconds}; killed`
        : `still running ${seconds} after its stop${part.kill ? ` and ${seconds} after the kill` : ""}`;
    } else how = outcome ?? "stopped";
    if (how !== "stopped") problems.push(`${part.name}: ${how}`);
    detail[part.name] = `${how} (${Date.now() - started} ms)`;
  }
  return result("everything it started stopped", problems, detail);
}
