/**
 * The environment a function's bundle gets in the local stack, built as Lambda builds it for the
 * deployed function: `AWS_REGION`, the function's links as SST's `SST_RESOURCE_<Name>` JSON (only
 * the links `infra/` gives that function: what its configuration needs), its settings as the
 * `PHOTO_RELAY_*` variables and the `PHOTO_RELAY_SETTINGS` document — plus, local only, the
 * emulators' endpoints and credentials, which on AWS are the service defaults and the role.
 */
import { type Config, ENV_VARS, tunableSettingsSchema } from "@photo-relay/core";
import { LINKED_FIELDS, linksFor } from "@photo-relay/functions/links";
import { FUNCTION_NEEDS, FUNCTION_OPTIONS, type FunctionName } from "@photo-relay/pipeline/settings";

export function lambdaEnvironment(
  config: Config,
  name: FunctionName,
  lambda: { functionName: string; memoryMb: number; logLevel: string },
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_LAMBDA_FUNCTION_NAME: lambda.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(lambda.memoryMb),
    LOG_LEVEL: lambda.logLevel,
    PATH: process.env.PATH ?? "",
    SST_RESOURCE_App: JSON.stringify({ name: "photo-relay", stage: "local" }),
  };
  const linked = new Set<string>(Object.values(LINKED_FIELDS).map((f) => f.path));
  for (const link of linksFor([...FUNCTION_NEEDS[name], ...(FUNCTION_OPTIONS[name] ?? [])])) {
    const { property, path } = LINKED_FIELDS[link];
    const value = valueAt(config, path);
    if (value !== undefined)
      env[`SST_RESOURCE_${link}`] = JSON.stringify({ [property]: value, type: "sst.sst.Linkable" });
  }
  for (const [variable, { path, type }] of Object.entries(ENV_VARS)) {
    const value = valueAt(config, path);
    if (value === undefined || linked.has(path) || path === "region") continue;
    env[variable] =
      type === "json"
        ? JSON.stringify(value)
        : type === "list"
          ? (value as string[]).join(",")
          : String(value);
  }
  const tunables = Object.fromEntries(
    Object.entries(tunableSettingsSchema.shape).map(([section, schema]) => {
      const fields = Object.keys(schema.def.innerType.shape);
      const values = config[section as keyof Config] as Record<string, unknown>;
      return [section, Object.fromEntries(fields.map((f) => [f, values[f]]))];
    }),
  );
  env.PHOTO_RELAY_SETTINGS = JSON.stringify(tunables);
  return env;
}

function valueAt(config: Config, path: string): unknown {
  const [section, field] = path.split(".") as [keyof Config, string];
  const node = config[section];
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>)[field] : undefined;
}
