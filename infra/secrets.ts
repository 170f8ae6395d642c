/** Secrets: `sst secret set ApiToken …` and `sst secret set InstagramToken …` per stage. */
export const apiToken = new sst.Secret("ApiToken");
export const instagramToken = new sst.Secret("InstagramToken");

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

/** What every function that calls Instagram needs to read the current token (the job also writes it). */
export const tokenEnvironment = {
  PHOTO_RELAY_INSTAGRAM_TOKEN_STORE: JSON.stringify({ type: "ssm", parameter: tokenParameterName }),
};
export const tokenPermissions = [
  { actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [tokenParameter.arn] },
];
