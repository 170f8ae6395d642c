/**
 * The api-load benchmark's hammering client, in a process of its own (an attacker has a machine of
 * its own): on `{ api, perSecond }` it sends, four at a time, requests with no token, a wrong one
 * or a forged guest token to `/status`, `/photos` and `POST /upload-sessions`, at about `perSecond`
 * a second, until `{ stop: true }`; then it posts the statuses it got and each answer's time.
 */
import type { ApiTarget } from "./phone-upload.ts";

export interface Hammered {
  statuses: Record<string, number>;
  ms: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRONG = [undefined, "wrong-token-0123456789", "abcdefgh.wrong-guest-secret"];
const ROUTES = ["/status", "/photos", "/upload-sessions"];
const LOOPS = 4;

async function hammer(api: ApiTarget, perSecond: number, stopped: () => boolean): Promise<Hammered> {
  const into: Hammered = { statuses: {}, ms: [] };
  let n = 0;
  const one = async () => {
    while (!stopped()) {
      const i = n++;
      const token = WRONG[i % WRONG.length];
      const path = ROUTES[Math.floor(i / WRONG.length) % ROUTES.length] as string;
      const post = path === "/upload-sessions";
      const start = performance.now();
      try {
        const res = await fetch(`${api.url}${path}`, {
          method: post ? "POST" : "GET",
          headers: { ...(token && { authorization: `Bearer ${token}` }), "content-type": "application/json" },
          ...(post && { body: "{}" }),
        });
        await res.arrayBuffer();
        into.statuses[res.status] = (into.statuses[res.status] ?? 0) + 1;
      } catch {
        into.statuses.error = (into.statuses.error ?? 0) + 1;
      }
      const took = performance.now() - start;
      into.ms.push(took);
      await sleep(Math.max(0, (LOOPS * 1000) / perSecond - took));
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, one));
  return into;
}

let stopped = false;
let running: Promise<Hammered> | undefined;
process.on("message", (message: { api: ApiTarget; perSecond: number } | { stop: true }) => {
  if (!("stop" in message)) {
    running = hammer(message.api, message.perSecond, () => stopped);
    return;
  }
  stopped = true;
  void (running ?? Promise.resolve({ statuses: {}, ms: [] })).then((hammered) =>
    process.send?.({ type: "hammered", hammered }),
  );
});
