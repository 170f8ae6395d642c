/**
 * `PHOTO_RELAY_SETTINGS`: the settings that have no variable of their own, as one JSON document,
 * so that they reach a Lambda function (which has no config file). Read by the functions at start
 * and by `infra/` when it deploys, with the same schema, so a bad document stops the deploy.
 */
import { SETTINGS_VAR } from "./config-env.ts";
import { tunableSettingsSchema } from "./config-schema.ts";
import { ConfigError } from "./errors.ts";

/**
 * The document as a config tree (as written: defaults are the schema's business), or a
 * `ConfigError` naming every bad or unknown field.
 * @example readSettingsDocument('{"convert":{"jpegQuality":82}}') // { convert: { jpegQuality: 82 } }
 */
export function readSettingsDocument(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError([`${SETTINGS_VAR}: is not valid JSON`]);
  }
  const result = tunableSettingsSchema.safeParse(json);
  if (!result.success)
    throw new ConfigError(
      result.error.issues.map(
        (issue) => `${SETTINGS_VAR}: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      ),
    );
  return json as Record<string, unknown>;
}
