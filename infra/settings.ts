/**
 * The deploying shell's settings, read once when `sst deploy` evaluates `infra/`. A plain module (no
 * SST globals) so tests can call it. Two kinds:
 * - settings the functions read, passed on as environment variables from an explicit allow-list:
 *   nothing secret (secrets are SST secrets), nothing local-only (endpoints, `PHOTO_RELAY_CONFIG`),
 *   and mirror credentials only as references to SST secrets;
 * - settings of the infrastructure itself (lifecycle, alerts), which no function sees.
 */
import { readSettingsDocument } from "@photo-relay/core/settings-document";
import { z } from "zod";
import { mirrorRecordBudgetSeconds, STAGE_SETTINGS } from "./stage-settings.ts";

/** Passed to every function when set. Everything else named `PHOTO_RELAY_*` stays on the deploying machine. */
export const FORWARDED = [
  "PHOTO_RELAY_INSTAGRAM_USER_ID",
  "PHOTO_RELAY_GRAPH_BASE_URL",
  "PHOTO_RELAY_GRAPH_API_VERSION",
  "PHOTO_RELAY_PUBLISH_MODE",
  "PHOTO_RELAY_CAPTION_TEMPLATE",
  "PHOTO_RELAY_HASHTAGS",
  "PHOTO_RELAY_INSTAGRAM_IMAGE_SOURCE",
  "PHOTO_RELAY_MIRROR_TARGETS",
  // The settings without a variable of their own, as one JSON document (README "Configuration").
  "PHOTO_RELAY_SETTINGS",
] as const;

/** Lambda refuses a function whose variables (names and values) exceed 4 KB; SST adds ~150 bytes. */
export const ENVIRONMENT_BUDGET_BYTES = 3_000;

/**
 * `PHOTO_RELAY_SETTINGS`, checked with the schema the functions read it with; the problems it has,
 * each named, join the others.
 */
function checkSettingsDocument(json: string | undefined, problems: string[]) {
  try {
    return readSettingsDocument(json) as { mirror?: { renditions?: string[] } };
  } catch (error) {
    problems.push(...((error as { issues?: string[] }).issues ?? [String(error)]));
    return {};
  }
}

/** Mirror credentials, which must be SST secrets named by `<field>Secret`. */
const CREDENTIALS = ["password", "privateKey", "passphrase"];
const SECRET_NAME = /^[A-Z][A-Za-z0-9]*$/;

const days = z.coerce.number().int().positive();
const infraSchema = z.object({
  /** Originals and their sidecars are deleted this many days after upload; unset: kept forever. */
  PHOTO_RELAY_KEEP_ORIGINALS_DAYS: days.optional(),
  /** Renditions are deleted this many days after conversion; unset: kept forever. */
  PHOTO_RELAY_KEEP_RENDITIONS_DAYS: days.optional(),
  /** Originals move to S3 Glacier Instant Retrieval after this many days (still read in milliseconds); 0: never. */
  PHOTO_RELAY_ARCHIVE_ORIGINALS_DAYS: z.coerce.number().int().min(0).default(30),
  /** Where dead-letter alerts go by e-mail (SNS asks the address to confirm once). */
  PHOTO_RELAY_ALERT_EMAIL: z.email().optional(),
});

const transportSchema = z.looseObject({
  type: z.string(),
  bucket: z.string().optional(),
  prefix: z.string().optional(),
});
const targetsSchema = z.array(z.looseObject({ transports: z.array(transportSchema) }));

export interface DeploySettings {
  /** The variables every function gets (from {@link FORWARDED}). */
  environment: Record<string, string>;
  /** `PHOTO_RELAY_*` variables set in the shell that no function gets. */
  ignored: string[];
  /** SST secrets the mirror targets refer to (`"passwordSecret": "MirrorFtpPassword"`). */
  mirrorSecrets: string[];
  /** Buckets (and prefixes) the mirror targets of type `s3` write to. */
  mirrorBuckets: { bucket: string; prefix: string }[];
  /** `mirror.renditions` names the original: the mirror function reads `originals/` too. */
  mirrorsOriginals: boolean;
  keepOriginalsDays?: number;
  keepRenditionsDays?: number;
  archiveOriginalsDays: number;
  alertEmail?: string;
}

/** Reads and checks the settings; throws one error naming every problem and how to fix it. */
export function readDeploySettings(env: NodeJS.ProcessEnv): DeploySettings {
  const problems: string[] = [];
  const infra = infraSchema.safeParse(env);
  if (!infra.success) problems.push(...infra.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const environment = Object.fromEntries(
    FORWARDED.flatMap((name) => (env[name] ? [[name, env[name]] as const] : [])),
  ) as Record<string, string>;
  const graph = environment.PHOTO_RELAY_GRAPH_BASE_URL;
  if (graph && !graph.startsWith("https://"))
    problems.push(
      `PHOTO_RELAY_GRAPH_BASE_URL: ${graph} is not an https URL (a local sandbox?); unset it for Instagram`,
    );
  const mirror = checkMirrorTargets(environment.PHOTO_RELAY_MIRROR_TARGETS, problems);
  const document = checkSettingsDocument(environment.PHOTO_RELAY_SETTINGS, problems);
  const size = Object.entries(environment).reduce((n, [k, v]) => n + Buffer.byteLength(k + v), 0);
  if (size > ENVIRONMENT_BUDGET_BYTES)
    problems.push(
      `the settings take ${size} bytes; Lambda allows 4 KB of variables per function (keep them under ${ENVIRONMENT_BUDGET_BYTES})`,
    );
  const { PHOTO_RELAY_KEEP_ORIGINALS_DAYS: keep, PHOTO_RELAY_ARCHIVE_ORIGINALS_DAYS: archive } =
    infra.data ?? {};
  if (keep !== undefined && archive && keep <= archive)
    problems.push(
      `PHOTO_RELAY_KEEP_ORIGINALS_DAYS: ${keep} must exceed PHOTO_RELAY_ARCHIVE_ORIGINALS_DAYS (${archive}), or set the latter to 0`,
    );
  if (problems.length > 0 || !infra.success) throw new Error(`Deploy settings:\n  ${problems.join("\n  ")}`);
  const known = new Set<string>([...FORWARDED, ...Object.keys(infraSchema.shape)]);
  const settings = infra.data;
  return {
    environment,
    ignored: Object.keys(env)
      .filter((name) => name.startsWith("PHOTO_RELAY_") && !known.has(name))
      .sort(),
    ...mirror,
    mirrorsOriginals: document.mirror?.renditions?.includes("original") ?? false,
    archiveOriginalsDays: settings.PHOTO_RELAY_ARCHIVE_ORIGINALS_DAYS,
    ...(settings.PHOTO_RELAY_KEEP_ORIGINALS_DAYS && {
      keepOriginalsDays: settings.PHOTO_RELAY_KEEP_ORIGINALS_DAYS,
    }),
    ...(settings.PHOTO_RELAY_KEEP_RENDITIONS_DAYS && {
      keepRenditionsDays: settings.PHOTO_RELAY_KEEP_RENDITIONS_DAYS,
    }),
    ...(settings.PHOTO_RELAY_ALERT_EMAIL && { alertEmail: settings.PHOTO_RELAY_ALERT_EMAIL }),
  };
}

/** Mirror targets may name SST secrets but never hold a credential or a file path themselves. */
function checkMirrorTargets(json: string | undefined, problems: string[]) {
  const found = { mirrorSecrets: new Set<string>(), mirrorBuckets: [] as DeploySettings["mirrorBuckets"] };
  if (!json) return { mirrorSecrets: [], mirrorBuckets: [] };
  let parsed: z.infer<typeof targetsSchema>;
  try {
    parsed = targetsSchema.parse(JSON.parse(json));
  } catch (error) {
    problems.push(
      `PHOTO_RELAY_MIRROR_TARGETS: ${error instanceof z.ZodError ? z.prettifyError(error) : "is not valid JSON"}`,
    );
    return { mirrorSecrets: [], mirrorBuckets: [] };
  }
  const budget = mirrorRecordBudgetSeconds(parsed);
  if (budget > STAGE_SETTINGS.mirror.timeoutSeconds)
    problems.push(
      `PHOTO_RELAY_MIRROR_TARGETS: one photo may take ${budget} s (each transport up to its timeoutMs), more than the mirror function's ${STAGE_SETTINGS.mirror.timeoutSeconds} s; lower timeoutMs or use fewer transports`,
    );
  for (const [t, target] of parsed.entries())
    for (const [i, transport] of target.transports.entries()) {
      const at = `PHOTO_RELAY_MIRROR_TARGETS[${t}].transports[${i}]`;
      for (const [key, value] of Object.entries(transport)) {
        if (CREDENTIALS.includes(key))
          problems.push(
            `${at}.${key}: keep it in an SST secret and write "${key}Secret": "<SecretName>" instead`,
          );
        else if (key.endsWith("File"))
          problems.push(
            `${at}.${key}: a Lambda function has no such file; give the value itself (credentials via "…Secret")`,
          );
        else if (CREDENTIALS.some((c) => key === `${c}Secret`)) {
          if (typeof value === "string" && SECRET_NAME.test(value)) found.mirrorSecrets.add(value);
          else
            problems.push(
              `${at}.${key}: an SST secret name starts with a capital letter and has only letters and digits`,
            );
        }
      }
      if (transport.type === "local")
        problems.push(`${at}: a "local" folder does not outlive a Lambda invocation; use ftps, sftp or s3`);
      if (transport.type === "s3" && transport.bucket)
        found.mirrorBuckets.push({ bucket: transport.bucket, prefix: transport.prefix ?? "" });
    }
  return { mirrorSecrets: [...found.mirrorSecrets].sort(), mirrorBuckets: found.mirrorBuckets };
}
