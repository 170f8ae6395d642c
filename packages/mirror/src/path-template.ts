/**
 * Remote paths and public URLs of mirrored files. A template is either a folder (ends with `/`: the
 * file's name is appended) or a full path; tokens are `{yyyy}`, `{mm}`, `{dd}` (UTC), `{id}`,
 * `{rendition}` and `{name}`.
 */
import { ValidationError } from "@photo-relay/core";

export interface PathFields {
  name: string;
  date: Date;
  id: string;
  rendition: string;
}

const TOKEN = /\{(\w+)\}/g;

/** @example renderPath("/wordpress/upload/{yyyy}/{mm}/", { name: "ab-web.jpg", date, id: "ab", rendition: "web" }) → "/wordpress/upload/2026/11/ab-web.jpg" */
export function renderPath(template: string, fields: PathFields): string {
  const values: Record<string, string> = {
    yyyy: String(fields.date.getUTCFullYear()),
    mm: String(fields.date.getUTCMonth() + 1).padStart(2, "0"),
    dd: String(fields.date.getUTCDate()).padStart(2, "0"),
    id: fields.id,
    rendition: fields.rendition,
    name: fields.name,
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === "" || value.includes("/") || value === "..") {
      throw new ValidationError("invalid_path_field", `"${key}" cannot be used in a path: "${value}"`);
    }
  }
  const path = (template.endsWith("/") ? `${template}{name}` : template).replace(
    TOKEN,
    (token, key: string) => {
      const value = values[key];
      if (value === undefined)
        throw new ValidationError("invalid_path_template", `unknown token ${token} in "${template}"`);
      return value;
    },
  );
  return path;
}

/**
 * The URL a file is served at: `publicBaseUrl` stands for the transports' `root`, so the rendered
 * path (without its leading `/`) is appended, each segment percent-encoded.
 */
export function publicUrl(publicBaseUrl: string, remotePath: string): string {
  const base = publicBaseUrl.endsWith("/") ? publicBaseUrl : `${publicBaseUrl}/`;
  const path = remotePath
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");
  return new URL(path, base).toString();
}
