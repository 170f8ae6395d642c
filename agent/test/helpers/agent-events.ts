/** Waits on agent events instead of sleeping: resolves when `count` events of a kind have arrived. */
import type { Agent, AgentEvents } from "../../src/index.ts";

export function collect<E extends keyof AgentEvents>(agent: Agent, event: E): AgentEvents[E][] {
  const seen: AgentEvents[E][] = [];
  agent.on(event, (payload) => seen.push(payload));
  return seen;
}

export function waitForEvents<E extends keyof AgentEvents>(
  agent: Agent,
  event: E,
  count: number,
  timeoutMs = 30_000,
): Promise<AgentEvents[E][]> {
  const seen: AgentEvents[E][] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${count} "${event}" events (got ${seen.length})`)),
      timeoutMs,
    );
    agent.on(event, (payload) => {
      seen.push(payload);
      if (seen.length === count) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

/** Polls a condition (for file-system outcomes that have no event) until it holds. */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
