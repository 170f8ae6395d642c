import { readDeploySettings } from "./settings.ts";

/** The deploying shell's settings, checked once (see infra/settings.ts). */
export const settings = readDeploySettings(process.env);
if (settings.ignored.length > 0)
  console.warn(`Not passed to the functions (local-only, secret or unknown): ${settings.ignored.join(", ")}`);

/** `sst secret set ApiToken …` and `sst secret set InstagramToken …`, per stage. */
export const apiToken = new sst.Secret("ApiToken");
export const instagramToken = new sst.Secret("InstagramToken");

/** The web host's credentials that `PHOTO_RELAY_MIRROR_TARGETS` names (`"passwordSecret": "MirrorFtpPassword"`). */
export const mirrorSecrets = settings.mirrorSecrets.map((name) => new sst.Secret(name));

/** Optional: a URL (Slack, Discord, …) the dead-letter alerts are POSTed to; empty means none. */
export const alertWebhookUrl = new sst.Secret("AlertWebhookUrl", "");

/**
 * The Instagram token in force. `InstagramToken` seeds it; from then on the refresh job
 * (`infra/schedules.ts`) owns the value, so Pulumi ignores it after creation.
 */
export const tokenParameterName = `/photo-relay/${$app.stage}/instagram-token`;

export const tokenParameter = new aws.ssm.Parameter(
  "InstagramTokenParameter",
  { name: tokenParameterName, type: "SecureString", value: "unset" },
  { ignoreChanges: ["value"] },
);
