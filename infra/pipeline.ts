import { STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import { convert, mirror, publish } from "./queues";
import { apiToken, instagramToken, tokenEnvironment, tokenPermissions } from "./secrets";
import { bucket } from "./storage";
import { photos } from "./table";

const link = [bucket, photos, convert.queue, mirror.queue, publish.queue, apiToken, instagramToken];

/**
 * Settings that are not linked resources (Graph API user, publish mode, …) come from the deploying
 * shell's `PHOTO_RELAY_*` variables. Secrets never travel this way: they are SST secrets.
 */
const environment: Record<string, string> = {
  ...(Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name.startsWith("PHOTO_RELAY_") && !/TOKEN|PASSWORD|SECRET|PRIVATE_KEY/.test(name),
    ),
  ) as Record<string, string>),
  // Where the token in force lives (a parameter name, not a secret).
  ...tokenEnvironment,
};

function subscriber(stage: keyof typeof STAGE_SETTINGS, nodejs: sst.aws.FunctionArgs["nodejs"] = {}) {
  const settings = STAGE_SETTINGS[stage];
  return {
    handler: `functions/src/${stage}.handler`,
    timeout: `${settings.timeoutSeconds} seconds` as const,
    memory: `${settings.memoryMb} MB` as const,
    architecture: "x86_64" as const,
    link,
    environment,
    permissions: tokenPermissions,
    nodejs,
  };
}

// Native binaries (sharp, ssh2) and the WebAssembly HEIC decoder are installed for the Lambda
// platform from functions/package.json, never bundled.
convert.queue.subscribe(subscriber("convert", { install: ["sharp", "heic-decode", "libheif-js"] }), {
  batch: { size: STAGE_SETTINGS.convert.batchSize, partialResponses: true },
});
mirror.queue.subscribe(subscriber("mirror", { install: ["ssh2"] }), {
  batch: { size: STAGE_SETTINGS.mirror.batchSize, partialResponses: true },
});
publish.queue.subscribe(subscriber("publish"), {
  batch: { size: STAGE_SETTINGS.publish.batchSize, partialResponses: true },
});

export { environment, link };
