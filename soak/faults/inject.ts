/**
 * Each scripted fault as what it does at its start and at its end. The S3 outage and the host
 * outages are proxies going down; the Graph API's are the sandbox's own fault switches and clock;
 * the redelivery storm shortens the queues' visibility timeout; the crash ends a function's
 * container mid-batch; the full spool is a filled disk.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { ScriptedFault } from "../event-script.ts";
import { callApi, callSandbox, type FaultContext } from "./context.ts";

type Step = (ctx: FaultContext, fault: ScriptedFault) => Promise<void>;
const DAY_S = 86_400;

export const FAULTS: Record<ScriptedFault["name"], { start: Step; end: Step }> = {
  agent_kill: {
    start: async (ctx) => ctx.agent.kill(),
    end: async (ctx) => ctx.agent.start(),
  },
  s3_down: {
    start: async (ctx) => ctx.s3Proxy.setDown(true),
    end: async (ctx) => {
      ctx.s3Proxy.setDown(false);
      ctx.note(`S3 back; the agent's connections refused meanwhile: ${ctx.s3Proxy.refused}`);
    },
  },
  ftps_down: {
    start: async (ctx) => ctx.mirrorHosts.setDown("ftps", true),
    end: async (ctx) => {
      ctx.mirrorHosts.setDown("ftps", false);
      ctx.note(`FTPS back; connections refused so far ${JSON.stringify(ctx.mirrorHosts.refused())}`);
    },
  },
  mirror_hosts_down: {
    start: async (ctx) => {
      ctx.mirrorHosts.setDown("ftps", true);
      ctx.mirrorHosts.setDown("sftp", true);
    },
    end: async (ctx) => {
      ctx.mirrorHosts.setDown("ftps", false);
      ctx.mirrorHosts.setDown("sftp", false);
      ctx.note(`both hosts back; connections refused so far ${JSON.stringify(ctx.mirrorHosts.refused())}`);
      // The operator sees the dead-lettered mirrors on the dashboard and retries them all.
      await retryAll(ctx, "hosts back");
    },
  },
  graph_5xx: graphSwitch("server_error"),
  graph_rate_limit: {
    start: async (ctx, f) =>
      void (await callSandbox(ctx, "/__sandbox/faults", "POST", {
        name: "rate_limit",
        code: Number(f.detail),
        times: null,
      })),
    end: async (ctx) => void (await callSandbox(ctx, "/__sandbox/faults?name=rate_limit", "DELETE")),
  },
  graph_media_not_ready: graphSwitch("media_not_ready"),
  graph_token_expired: {
    // 61 days on the sandbox's clock: the configured long-lived token (60 days) has expired.
    start: async (ctx) =>
      void (await callSandbox(ctx, "/__sandbox/clock", "POST", { advanceSeconds: 61 * DAY_S })),
    end: async (ctx) => {
      const issued = await callSandbox(ctx, "/__sandbox/tokens", "POST", { kind: "ig_long" });
      const accessToken = String(issued.access_token);
      ctx.issuedTokens.push(accessToken);
      // The renewed token goes where the refresh job keeps it (SSM in AWS, this file locally).
      const seedHash = createHash("sha256").update(ctx.graphToken).digest("hex");
      const expiresAt = new Date(Number(issued.expires_at)).toISOString();
      const stored = { accessToken, expiresAt, refreshedAt: new Date().toISOString(), seedHash };
      writeFileSync(ctx.stack.tokenStore, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      await retryAll(ctx, "token renewed");
    },
  },
  sqs_redelivery_storm: {
    start: async (ctx) => {
      for (const url of Object.values(ctx.stack.queues)) {
        ctx.savedVisibility[url] ??= await visibility(ctx, url);
        await setVisibility(ctx, url, "2");
      }
    },
    end: async (ctx) => {
      for (const url of Object.values(ctx.stack.queues))
        await setVisibility(ctx, url, ctx.savedVisibility[url] ?? "60");
    },
  },
  handler_crash: {
    start: async (ctx, f) => {
      const url = ctx.stack.queues[f.detail as "convert"];
      // Mid-batch: wait (a while at most) until the function holds messages.
      for (let i = 0; i < 50 && (await inFlight(ctx, url)) === 0; i++)
        await new Promise((r) => setTimeout(r, 200));
      const busy = await inFlight(ctx, url);
      await ctx.stack.request({ cmd: "crash", name: f.detail as "convert" });
      ctx.note(`${f.detail} container ended with ${busy} message(s) in flight`);
    },
    end: async () => {},
  },
  spool_full: {
    start: async (ctx) => {
      const bytes = ctx.spool.fill();
      ctx.note(
        bytes
          ? `spool filled with ${Math.round(bytes / 2 ** 20)} MiB`
          : `spool not filled: ${ctx.spool.kind}`,
      );
    },
    end: async (ctx) => ctx.spool.empty(),
  },
};

function graphSwitch(name: string): { start: Step; end: Step } {
  return {
    start: async (ctx) => void (await callSandbox(ctx, "/__sandbox/faults", "POST", { name, times: null })),
    end: async (ctx) => void (await callSandbox(ctx, `/__sandbox/faults?name=${name}`, "DELETE")),
  };
}

async function retryAll(ctx: FaultContext, why: string): Promise<void> {
  // The dead-letter subscriber marks a photo a moment after its message reached the DLQ.
  await new Promise((r) => setTimeout(r, 3_000));
  const result = await callApi(ctx, "/retry", { method: "POST" });
  ctx.note(`POST /retry (${why}): ${JSON.stringify(result)}`);
}

async function setVisibility(ctx: FaultContext, QueueUrl: string, seconds: string): Promise<void> {
  await ctx.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: seconds } }));
}

async function visibility(ctx: FaultContext, QueueUrl: string): Promise<string> {
  const out = await ctx.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout"] }),
  );
  return out.Attributes?.VisibilityTimeout ?? "60";
}

async function inFlight(ctx: FaultContext, QueueUrl: string): Promise<number> {
  const out = await ctx.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
