/**
 * Best of the burst, for the owner's dashboard:
 * - `GET /bursts/:id`: the burst (`BurstView`): its frames in shooting order with their scores and
 *   roles, whether it is open or decided, its picks and who chose them;
 * - `PUT /bursts/:id/picks` `{"picks": ["<photo id>", …]}`: post these frames instead (one for
 *   `best-of-burst`, up to `n` for `best-n`), before any pick is posted; answers the burst.
 */
import { ValidationError } from "@photo-relay/core";
import { choosePicks, describeBurst, type PublishRuntime } from "@photo-relay/pipeline/api";
import type { Hono } from "hono";
import * as z from "zod/mini";

const burstId = (value: string) => {
  if (!/^[0-9a-z-]{1,80}$/.test(value)) throw new ValidationError("bad_request", "not a burst id");
  return value;
};
export const picksBody = z.object({
  picks: z.array(z.string().check(z.regex(/^[0-9a-f]{64}$/))).check(z.minLength(1), z.maxLength(10)),
});

export function mountBurstRoutes(app: Hono, runtime: () => PublishRuntime): void {
  app.get("/bursts/:id", async (c) => c.json(await describeBurst(runtime(), burstId(c.req.param("id")))));

  app.put("/bursts/:id/picks", async (c) => {
    const body = picksBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) throw new ValidationError("bad_request", z.prettifyError(body.error));
    return c.json(await choosePicks(runtime(), burstId(c.req.param("id")), body.data.picks));
  });
}
