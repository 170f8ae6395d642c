/**
 * Reads the configuration once: defaults (the local stack's endpoints), a JSON file (optional),
 * the `PHOTO_RELAY_SETTINGS` document, environment variables, then values supplied by the platform
 * (SST `Resource` links in AWS), each later source overriding the earlier.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { ENV_VARS, SECRET_PATHS, SETTINGS_VAR } from "./config-env.ts";
import { type ConfigNeed, type ConfigWith, missingNeeds } from "./config-needs.ts";
import {
  type Config,
  type ConfigInput,
  configSchema,
  SECRET_REF_FIELDS,
  SECRET_REF_SUFFIX,
} from "./config-schema.ts";
import { ConfigError } from "./errors.ts";
import { readSettingsDocument } from "./settings-document.ts";

export * from "./config-env.ts";
export * from "./config-needs.ts";
export * from "./config-schema.ts";
export * from "./settings-document.ts";

type Tree = Record<string, unknown>;

export interface LoadConfigOptions<N extends ConfigNeed = never> {
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file; defaults to `$PHOTO_RELAY_CONFIG` when set. */
  file?: string;
  /** Values from the platform, e.g. SST linked resources, as a partial config tree. */
  overrides?: Tree;
  /** Lowest-priority values, e.g. the endpoints of the local stack, which file and env may replace; later trees win. */
  defaults?: Tree | Tree[];
  /** The fields this process cannot work without (see `config-needs.ts`); checked after the schema. */
  needs?: readonly N[];
}

export function loadConfig<N extends ConfigNeed = never>(options: LoadConfigOptions<N> = {}): ConfigWith<N> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.PHOTO_RELAY_CONFIG;
  const tree: Tree = {};
  for (const defaults of [options.defaults ?? []].flat()) mergeInto(tree, structuredClone(defaults));
  if (file) mergeInto(tree, readJsonFile(file));
  mergeInto(tree, readSettingsDocument(env[SETTINGS_VAR]));
  mergeInto(tree, fromEnv(env));
  if (options.overrides) mergeInto(tree, options.overrides);
  return parseConfig(tree, options.needs ?? []);
}

/** Validates a config tree, with `needs` present; the error names every bad or missing field and how to set it. */
export function parseConfig<N extends ConfigNeed = never>(
  input: unknown,
  needs: readonly N[] = [],
): ConfigWith<N> {
  const result = configSchema.safeParse(input);
  const problems = [
    ...(result.error?.issues.map((issue) => describeIssue(issue)) ?? []),
    ...missingNeeds(isTree(input) ? input : {}, needs),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data as ConfigWith<N>;
}

/** Field names that hold secrets wherever they appear (e.g. a mirror transport's password). */
const SECRET_KEY = /password|passphrase|secret|token|privatekey|credential/i;

/** A copy of the config with every secret replaced, safe to log or return from the API. */
export function redactConfig(config: Config): Tree {
  return redactSecrets(config, { secretPaths: SECRET_PATHS });
}

function describeIssue(issue: z.core.$ZodIssue, vars: EnvVarTable = ENV_VARS): string {
  const path = issue.path.join(".");
  const envName = Object.entries(vars).find(([, v]) => v.path === path)?.[0];
  const hint = envName ? ` (set ${envName} or "${path}" in the config file)` : "";
  const message =
    issue.code === "invalid_type" && issue.message.includes("undefined") ? "is required" : issue.message;
  return `${path || "(root)"}: ${message}${hint}`;
}

function fromEnv(env: NodeJS.ProcessEnv, vars: EnvVarTable = ENV_VARS): Tree {
  // photo-relay's own config also takes the region the AWS tools use; another schema has its own.
  const region = vars === ENV_VARS ? env.AWS_REGION || env.AWS_DEFAULT_REGION : undefined;
  const tree: Tree = region ? { region } : {};
  for (const [name, { path, type }] of Object.entries(vars)) {
    const raw = env[name] ?? readSecretFile(env[`${name}_FILE`]);
    if (raw === undefined || raw === "") continue;
    setPath(tree, path, coerce(name, raw, type));
  }
  return tree;
}

function coerce(name: string, raw: string, type: EnvVarTable[string]["type"]): unknown {
  switch (type) {
    case "number":
      return Number(raw);
    case "boolean":
      return raw === "true" || raw === "1";
    case "list":
      return raw.split(",").map((s) => s.trim());
    case "json":
      try {
        return JSON.parse(raw);
      } catch {
        throw new ConfigError([`${name}: is not valid JSON`]);
      }
    default:
      return raw;
  }
}

function readSecretFile(path: string | undefined): string | undefined {
  return path ? readFileSync(path, "utf8").trim() : undefined;
}

function readJsonFile(path: string): Tree {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Tree;
  } catch (error) {
    throw new ConfigError([`config file ${path}: ${(error as Error).message}`]);
  }
}

function mergeInto(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isTree(value) && isTree(current)) mergeInto(current, value);
    else target[key] = value;
  }
}

const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null && !Array.isArray(v);

function getPath(tree: Tree, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isTree(node) ? node[key] : undefined), tree);
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys.at(-1) as string] = value;
}

/**
 * A copy of the config with each mirror transport's secret references (`passwordSecret`, …, see
 * {@link SECRET_REF_FIELDS}) replaced by the value `lookup` gives for the named secret. A reference
 * `lookup` does not know stays as it is (on AWS only the mirror function is linked to the mirror
 * secrets); a field given both ways is a configuration error.
 *
 * @example
 * resolveSecretRefs(config, (name) => (name in Resource ? Resource[name].value : undefined));
 */
export function resolveSecretRefs<C extends Config>(
  config: C,
  lookup: (name: string) => string | undefined,
): C {
  const copy = structuredClone(config);
  const problems: string[] = [];
  for (const [t, target] of copy.mirror.targets.entries())
    for (const [i, transport] of target.transports.entries())
      for (const field of SECRET_REF_FIELDS) {
        const ref = transport[`${field}${SECRET_REF_SUFFIX}`];
        if (typeof ref !== "string") continue;
        if (transport[field] !== undefined || transport[`${field}File`] !== undefined)
          problems.push(
            `mirror.targets.${t}.transports.${i}.${field}${SECRET_REF_SUFFIX}: give ${field} one way only`,
          );
        const value = lookup(ref);
        if (value === undefined) continue;
        transport[field] = value;
        delete transport[`${field}${SECRET_REF_SUFFIX}`];
      }
  if (problems.length > 0) throw new ConfigError(problems);
  return copy;
}

export type { Config, ConfigInput };

// The same loader and masking for any schema (the edge agent's config file, say).

/** Environment variables a schema reads: name → the field it sets. `NAME_FILE` may name a file holding the value. */
export type EnvVarTable = Record<string, { path: string; type?: "number" | "boolean" | "list" | "json" }>;

export interface LoadSettingsOptions extends Omit<LoadConfigOptions, "file"> {
  /** A JSON file (optional); relative `…File` paths in it are relative to its folder. */
  file?: string;
  envVars?: EnvVarTable;
  /**
   * Secret fields. Each may also be given as `<field>File` (in the file or in `overrides`): a path
   * whose contents are the value, as `NAME_FILE` is for environment variables.
   */
  secretPaths?: string[];
}

/**
 * Reads settings for `schema` the way {@link loadConfig} reads photo-relay's: defaults, then the
 * file, then the environment, then overrides; validated once, every bad field named.
 * @example const settings = loadSettings(agentSchema, { file: "agent.json", envVars, secretPaths: ["s3.secretAccessKey"] });
 */
export function loadSettings<T>(schema: z.ZodType<T>, options: LoadSettingsOptions = {}): T {
  const vars = options.envVars ?? {};
  const tree: Tree = {};
  for (const defaults of [options.defaults ?? []].flat()) mergeInto(tree, structuredClone(defaults));
  if (options.file) mergeInto(tree, readJsonFile(options.file));
  mergeInto(tree, fromEnv(options.env ?? process.env, vars));
  if (options.overrides) mergeInto(tree, options.overrides);
  const base = options.file ? dirname(resolve(options.file)) : process.cwd();
  for (const path of options.secretPaths ?? []) {
    const file = getPath(tree, `${path}File`);
    if (typeof file !== "string") continue;
    setPath(tree, path, readSecretFile(resolve(base, file)));
    setPath(tree, `${path}File`, undefined);
  }
  const result = schema.safeParse(tree);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, vars)));
}

export interface RedactOptions {
  /** Fields replaced by `***` (besides every field whose name says it is a secret). */
  secretPaths?: string[];
  /** Identifiers shown by their first 4 characters only (an access key id: `AKIA****`). */
  hintPaths?: string[];
}

/** A copy of any settings tree with its secrets masked, safe to log. */
export function redactSecrets(settings: unknown, options: RedactOptions = {}): Tree {
  const copy = structuredClone(settings) as Tree;
  for (const path of options.secretPaths ?? [])
    if (getPath(copy, path) !== undefined) setPath(copy, path, "***");
  for (const path of options.hintPaths ?? []) {
    const value = getPath(copy, path);
    if (typeof value === "string") setPath(copy, path, `${value.slice(0, 4)}****`);
  }
  const mask = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(mask);
    else if (isTree(node))
      for (const [key, value] of Object.entries(node)) {
        if (SECRET_KEY.test(key) && typeof value === "string") node[key] = "***";
        else mask(value);
      }
  };
  mask(copy);
  return copy;
}
