/**
 * What a function cannot start without. The schema leaves the name, URL or secret of every resource
 * optional, so that each function links only what it uses (on AWS, convert never sees the Instagram
 * token and mirror never the API token); each names its needs instead, checked once at start with
 * the schema's own wording.
 */
import { ENV_VARS } from "./config-env.ts";
import type { Config } from "./config-schema.ts";
import { ConfigError } from "./errors.ts";

export type ConfigNeed =
  | "s3.bucket"
  | "dynamodb.table"
  | "sqs.convertQueueUrl"
  | "sqs.mirrorQueueUrl"
  | "sqs.publishQueueUrl"
  | "sqs.reelQueueUrl"
  | "sqs.convertDlqUrl"
  | "sqs.mirrorDlqUrl"
  | "sqs.publishDlqUrl"
  | "sqs.reelDlqUrl"
  | "api.token"
  | "instagram.userId"
  | "instagram.accessToken";

type Present<N extends ConfigNeed> = N extends `${infer S extends keyof Config}.${infer F}`
  ? F extends keyof Config[S]
    ? { [K in S]: { [L in F]-?: NonNullable<Config[S][L]> } }
    : never
  : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The configuration with the fields `N` names present. */
export type ConfigWith<N extends ConfigNeed> = Config & Intersection<Present<N>>;

type Sections = { [S in keyof Config]?: Partial<Config[S]> };

/**
 * `config`, checked to hold every field `needs` names; a `ConfigError` naming each missing one
 * otherwise.
 * @example const { sqs } = requireConfig(config, ["sqs.publishQueueUrl"]); // sqs.publishQueueUrl: string
 */
export function requireConfig<C extends Sections, N extends ConfigNeed>(
  config: C,
  needs: readonly N[],
): C & Intersection<Present<N>> {
  const missing = missingNeeds(config, needs);
  if (missing.length > 0) throw new ConfigError(missing);
  return config as C & Intersection<Present<N>>;
}

/** What is wrong with `tree` (a config, or a raw tree before validation) for `needs`: one line per missing field. */
export function missingNeeds(tree: object, needs: readonly ConfigNeed[]): string[] {
  return needs
    .filter((path) => {
      const [section, field] = path.split(".") as [string, string];
      return (tree as Record<string, Record<string, unknown> | undefined>)[section]?.[field] === undefined;
    })
    .map(describeMissing);
}

function describeMissing(path: ConfigNeed): string {
  const name = Object.entries(ENV_VARS).find(([, v]) => v.path === path)?.[0];
  return `${path}: is required${name ? ` (set ${name} or "${path}" in the config file; on AWS it is linked)` : ""}`;
}
