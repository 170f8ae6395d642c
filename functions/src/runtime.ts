/**
 * The configuration of a deployed function: SST's linked resources (`Resource.X`) plus environment
 * settings, read once per Lambda container. Each function reads only the links it has (infra links
 * only what its configuration needs) and checks its needs at start, naming whatever is missing.
 */
import { type Config, loadConfig, resolveSecretRefs } from "@photo-relay/core";
import { FUNCTION_NEEDS, type FunctionName } from "@photo-relay/pipeline/settings";
import { Resource } from "sst";
import { LINKED_FIELDS } from "./links.ts";

/**
 * The configuration of function `name`, checked to hold what it needs (the runtime each function
 * builds narrows the type to those fields).
 */
export function lambdaConfig(name: FunctionName): Config {
  const config = loadConfig({ overrides: linkedResources(), needs: FUNCTION_NEEDS[name] });
  return resolveSecretRefs(config, linkedSecret);
}

/** `make`, run once per container on first use (not at import: a cold start pays only for the code). */
export function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** The configuration fields this function's links set; an empty secret (an unset optional one) sets none. */
function linkedResources(): Record<string, Record<string, string>> {
  const tree: Record<string, Record<string, string>> = {};
  for (const [name, { property, path }] of Object.entries(LINKED_FIELDS)) {
    const value = linked(name)?.[property];
    if (!value) continue;
    const [section, field] = path.split(".") as [string, string];
    tree[section] = { ...tree[section], [field]: value };
  }
  return tree;
}

/** A resource linked to this function, or `undefined` (`Resource.X` throws for an unlinked name). */
function linked(name: string): Record<string, string> | undefined {
  return name in Resource ? (Resource as unknown as Record<string, Record<string, string>>)[name] : undefined;
}

/** The mirror credentials a target names (`"passwordSecret": "MirrorFtpPassword"`): SST secrets linked to mirror. */
const linkedSecret = (name: string): string | undefined => linked(name)?.value;
