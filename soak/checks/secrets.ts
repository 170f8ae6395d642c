/**
 * No secret anywhere the soak collected: the stack's and the agent's logs, the API's answers, the
 * report. Grepped for the API token, the Graph tokens (configured and renewed), the FTP/SFTP passwords.
 */
import { existsSync, readFileSync } from "node:fs";
import { type CheckResult, result } from "./check.ts";

export function checkSecrets(secrets: string[], files: string[], answers: string[]): CheckResult {
  const problems: string[] = [];
  const texts: Array<[string, string]> = [
    ...files.filter((f) => existsSync(f)).map((f): [string, string] => [f, readFileSync(f, "utf8")]),
    ...answers.map((a, i): [string, string] => [`API answer #${i}`, a]),
  ];
  let bytes = 0;
  for (const [where, text] of texts) {
    bytes += text.length;
    secrets.forEach((secret, i) => {
      if (secret && text.includes(secret)) problems.push(`secret #${i} (${secret.slice(0, 3)}…) in ${where}`);
    });
  }
  return result("no secret in any log line, report or API answer", problems, {
    secrets: secrets.length,
    sources: texts.length,
    bytesGrepped: bytes,
  });
}
