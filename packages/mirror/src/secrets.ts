/**
 * Secrets in transport options may be given inline (`password`) or as a file to read (`passwordFile`,
 * a container secret mount); the file is read when the transport is created, never logged.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "@photo-relay/core";

/** Reads `file` if given, else returns `value`; a trailing newline of a secret file is dropped. */
export function readSecret(
  field: string,
  value: string | undefined,
  file: string | undefined,
): string | undefined {
  if (file === undefined) return value;
  try {
    return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (error) {
    throw new ConfigError([`${field}File: cannot read ${file} (${(error as Error).message})`]);
  }
}

/** A zod refinement message helper: at most one of `name` and `nameFile`. */
export function oneOf(options: Record<string, unknown>, field: string): boolean {
  return !(options[field] !== undefined && options[`${field}File`] !== undefined);
}
