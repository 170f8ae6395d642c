/**
 * What the publish stage, the API and the token refresh job work with: the runtime plus the
 * Instagram account (its Graph client over the token in force, and that token's keeper). The SSM
 * client for the token's parameter is made here, with the runtime's other AWS clients, and only
 * when the token lives in SSM.
 */
import type { SSMClient } from "@aws-sdk/client-ssm";
import { createSsmClient } from "@photo-relay/core";
import { type InstagramAccount, openInstagramAccount } from "@photo-relay/instagram";
import { closeRuntime, type Runtime } from "../../runtime.ts";
import { STAGE_SETTINGS } from "../../settings.ts";

export interface PublishRuntime extends Runtime, InstagramAccount {
  clients: Runtime["clients"] & { ssm?: SSMClient };
}

export function createPublishRuntime(rt: Runtime): PublishRuntime {
  const clients: PublishRuntime["clients"] = { ...rt.clients };
  const account = openInstagramAccount(rt.config.instagram, {
    ssm: () => {
      clients.ssm ??= createSsmClient(rt.config);
      return clients.ssm;
    },
    timeoutMs: STAGE_SETTINGS.publish.graphCallSeconds * 1000,
    now: rt.now,
  });
  return { ...rt, ...account, clients };
}

export function closePublishRuntime(rt: PublishRuntime): void {
  rt.clients.ssm?.destroy();
  closeRuntime(rt);
}
