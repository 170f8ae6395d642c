/**
 * Where the current Instagram token lives once it has been refreshed: an SSM SecureString
 * parameter in AWS, a file under the data folder in the local stack. Both hold the same JSON
 * document, {@link StoredToken}.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import type { Config } from "@photo-relay/core";

export interface StoredToken {
  accessToken: string;
  /** ISO time the token stops working; absent while unknown (a token pasted into the config). */
  expiresAt?: string;
  refreshedAt?: string;
  /** SHA-256 of the configured token this one descends from: a newly configured token replaces it. */
  seedHash: string;
}

/**
 * Read and replace the stored token. A missing or unreadable document reads as `undefined`. Only
 * the refresh job writes it (refusals go to the keeper's problem log, which every caller may write).
 */
export interface TokenStore {
  readonly kind: "ssm" | "file";
  read(): Promise<StoredToken | undefined>;
  write(token: StoredToken): Promise<void>;
}

/** The local stack's store: a JSON file, replaced atomically (write, then rename). */
export class FileTokenStore implements TokenStore {
  readonly kind = "file";
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async read(): Promise<StoredToken | undefined> {
    try {
      return parseStored(readFileSync(this.#path, "utf8"));
    } catch {
      return undefined;
    }
  }

  async write(token: StoredToken): Promise<void> {
    mkdirSync(dirname(this.#path), { recursive: true });
    const partial = `${this.#path}.partial`;
    writeFileSync(partial, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, this.#path);
  }
}

/** AWS: a SecureString parameter (created by `infra/`), its value the JSON document. */
export class SsmTokenStore implements TokenStore {
  readonly kind = "ssm";
  readonly #ssm: SSMClient;
  readonly #name: string;

  /** `ssm` comes from core's `createSsmClient`, made with the other AWS clients. */
  constructor(name: string, ssm: SSMClient) {
    this.#name = name;
    this.#ssm = ssm;
  }

  async read(): Promise<StoredToken | undefined> {
    try {
      const out = await this.#ssm.send(new GetParameterCommand({ Name: this.#name, WithDecryption: true }));
      return parseStored(out.Parameter?.Value ?? "");
    } catch (error) {
      if (error instanceof ParameterNotFound) return undefined;
      throw error;
    }
  }

  async write(token: StoredToken): Promise<void> {
    await this.#ssm.send(
      new PutParameterCommand({
        Name: this.#name,
        Value: JSON.stringify(token),
        Type: "SecureString",
        Overwrite: true,
      }),
    );
  }
}

/**
 * The store `instagram.tokenStore` names, or `undefined` when none is set (the configured token is
 * then used as it is, never refreshed). `ssm` is asked for a client only for an SSM store.
 */
export function openTokenStore(
  where: Config["instagram"]["tokenStore"],
  ssm: () => SSMClient,
): TokenStore | undefined {
  if (where?.type === "ssm") return new SsmTokenStore(where.parameter, ssm());
  if (where?.type === "file") return new FileTokenStore(where.path);
  return undefined;
}

/** The infrastructure seeds the parameter with a placeholder: anything but our document is "none yet". */
function parseStored(text: string): StoredToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredToken>;
    return typeof value.accessToken === "string" && typeof value.seedHash === "string"
      ? (value as StoredToken)
      : undefined;
  } catch {
    return undefined;
  }
}
