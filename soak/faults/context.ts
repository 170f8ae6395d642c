/** What the faults act on: every part of the running event the soak can break and mend. */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { retry } from "@photo-relay/core";
import type { AgentProcess } from "../load/agent-process.ts";
import type { StackProcess } from "../stack/stack-process.ts";
import type { MirrorHosts } from "./mirror-hosts.ts";
import type { SpoolDisk } from "./spool-disk.ts";
import type { TcpProxy } from "./tcp-proxy.ts";

export interface FaultContext {
  stack: StackProcess;
  agent: AgentProcess;
  s3Proxy: TcpProxy;
  mirrorHosts: MirrorHosts;
  spool: SpoolDisk;
  sqs: SQSClient;
  /** The Instagram token the stack was configured with (its expiry is renewed in the token store). */
  graphToken: string;
  /** Tokens the run issued since (the secret grep looks for them too). */
  issuedTokens: string[];
  /** Each queue's visibility timeout before the redelivery storm shortened it. */
  savedVisibility: Record<string, string>;
  note(message: string): void;
}

/** Calls the API with the stack's token; throws on a status other than 2xx. */
export async function callApi(ctx: FaultContext, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${ctx.stack.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ctx.stack.apiToken}`, "content-type": "application/json" },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Calls the sandbox's admin routes. A request that fails to connect is sent again: on a loaded
 * machine one did, and the fault it was to end (the 5xx storm) stayed armed for the rest of the
 * run, so every photo's publish kept retrying and the drain timed out (issue 14). Each admin call
 * is safe to repeat (arming or clearing a switch, issuing a token, moving the clock past expiry).
 */
export async function callSandbox(ctx: FaultContext, path: string, method: string, body?: object) {
  const res = await retry(
    () =>
      fetch(`${ctx.stack.urls.graph}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body && { body: JSON.stringify(body) }),
      }),
    { attempts: 5, baseMs: 500, shouldRetry: (error) => error instanceof TypeError },
  );
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}
