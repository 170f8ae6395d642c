/**
 * No secret anywhere the soak collected: the stack's and the agent's logs, the API's answers, the
 * report. Grepped for the API token, the Graph tokens (configured and renewed), the FTP/SFTP passwords.
 * The files are read a window at a time, not whole: a full run's logs are hundreds of MB, and all
 * of them read at once as strings were the soak process's peak at the end of the run.
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { type CheckResult, result } from "./check.ts";

const WINDOW_BYTES = 1024 * 1024;

export function checkSecrets(secrets: string[], files: string[], answers: string[]): CheckResult {
  const problems: string[] = [];
  const needles = secrets.map((s) => Buffer.from(s));
  const found = (where: string, hits: boolean[]) =>
    hits.forEach((hit, i) => {
      if (hit) problems.push(`secret #${i} (${secrets[i]?.slice(0, 3)}…) in ${where}`);
    });
  let bytes = 0;
  let sources = 0;
  for (const file of files.filter((f) => existsSync(f))) {
    sources++;
    const scanned = scanFile(file, needles);
    bytes += scanned.bytes;
    found(file, scanned.hits);
  }
  answers.forEach((answer, i) => {
    sources++;
    bytes += answer.length;
    found(
      `API answer #${i}`,
      secrets.map((s) => Boolean(s) && answer.includes(s)),
    );
  });
  return result("no secret in any log line, report or API answer", problems, {
    secrets: secrets.length,
    sources,
    bytesGrepped: bytes,
  });
}

/**
 * Which of `needles` occur in `file`. Each window keeps the last bytes of the one before (one
 * less than the longest needle), so a secret split across two reads is still seen.
 */
export function scanFile(
  file: string,
  needles: Buffer[],
  windowBytes = WINDOW_BYTES,
): { hits: boolean[]; bytes: number } {
  const keep = Math.max(0, ...needles.map((n) => n.length - 1));
  const window = Buffer.alloc(keep + windowBytes);
  const hits = needles.map(() => false);
  const fd = openSync(file, "r");
  let bytes = 0;
  try {
    let carried = 0;
    for (;;) {
      const read = readSync(fd, window, carried, windowBytes, null);
      if (read === 0) break;
      bytes += read;
      const filled = window.subarray(0, carried + read);
      needles.forEach((needle, i) => {
        if (needle.length && !hits[i] && filled.includes(needle)) hits[i] = true;
      });
      carried = Math.min(keep, filled.length);
      filled.copy(window, 0, filled.length - carried);
    }
  } finally {
    closeSync(fd);
  }
  return { hits, bytes };
}
