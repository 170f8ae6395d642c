/** The secret grep reads files a window at a time and still sees a secret split between two reads. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSecrets, scanFile } from "../checks/secrets.ts";

const dir = mkdtempSync(join(tmpdir(), "soak-secrets-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("soak: the secret grep", () => {
  it("finds a secret that straddles two windows", () => {
    const secret = "IGAA-soak-0123456789abcdef";
    for (let at = 0; at < 40; at++) {
      const path = file(`log-${at}`, `${"x".repeat(at)}${secret}${"y".repeat(17)}`);
      expect(scanFile(path, [Buffer.from(secret), Buffer.from("absent")], 16).hits).toEqual([true, false]);
    }
  });

  it("reports each secret by the file and the answer it is in", () => {
    const clean = file("clean.log", "nothing to see\n".repeat(1000));
    const leaky = file("leaky.log", `${"line\n".repeat(500_000)}token=s3cr3t-api-token\n`);
    const checked = checkSecrets(
      ["s3cr3t-api-token", "pass-word"],
      [clean, leaky, join(dir, "missing")],
      ['{"ok":true}', '{"password":"pass-word"}'],
    );
    expect(checked.problems).toEqual([`secret #0 (s3c…) in ${leaky}`, "secret #1 (pas…) in API answer #1"]);
    expect(checked.detail).toMatchObject({ sources: 4 });
  });
});
