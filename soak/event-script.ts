/**
 * The event, scripted from a seed: who shoots what when (two cameras in 4 fps bursts, phones one
 * photo at a time) and the faults, overlapping, at seeded times. Durations are the for a
 * 20-minute event (S3 gone 60 s, the FTPS host 5 minutes) and shrink in proportion for a shorter one.
 */
import { between, intBetween, type Random, seeded } from "./random.ts";

export type Source = "tethered" | "folder" | "phone";
export type ShotKind = "jpeg" | "nef";

export interface Shot {
  atMs: number;
  source: Source;
  kind: ShotKind;
  /** Frames of one burst share a scene. */
  scene: number;
  name: string;
}

export const FAULT_NAMES = [
  "agent_kill",
  "s3_down",
  "ftps_down",
  "mirror_hosts_down",
  "graph_5xx",
  "graph_rate_limit",
  "graph_media_not_ready",
  "graph_token_expired",
  "sqs_redelivery_storm",
  "handler_crash",
  "spool_full",
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface ScriptedFault {
  name: FaultName;
  atMs: number;
  durationMs: number;
  /** e.g. the Graph rate limit's code, the crashed function. */
  detail?: string;
}

export interface EventScript {
  seed: number;
  durationMs: number;
  shots: Shot[];
  faults: ScriptedFault[];
}

const FULL_EVENT_MS = 20 * 60_000;
const FPS = 4;

export function eventScript({ photos, minutes, seed }: { photos: number; minutes: number; seed: number }) {
  const random = seeded(seed);
  const durationMs = minutes * 60_000;
  // Shooting stops at 70 % of the event: the rest is for the faults to end and the queues to drain.
  const shootingMs = durationMs * 0.7;
  const shots = [...cameraShots(random, "tethered", Math.round(photos * 0.4), shootingMs, 0)];
  shots.push(...cameraShots(random, "folder", Math.round(photos * 0.4), shootingMs, 10_000));
  const phones = photos - shots.length;
  for (let i = 0; i < phones; i++) {
    shots.push({
      atMs: Math.round(between(random, 0, shootingMs)),
      source: "phone",
      kind: "jpeg",
      scene: 100_000 + i,
      name: `IMG_${String(i + 1).padStart(4, "0")}.JPG`,
    });
  }
  shots.sort((a, b) => a.atMs - b.atMs);
  return { seed, durationMs, shots, faults: faultSchedule(random, durationMs) } satisfies EventScript;
}

function* cameraShots(random: Random, source: Source, count: number, spanMs: number, scene0: number) {
  const bursts: number[] = [];
  for (let left = count; left > 0; ) {
    const n = Math.min(left, intBetween(random, 2, 8));
    bursts.push(n);
    left -= n;
  }
  let frame = 0;
  for (const [b, n] of bursts.entries()) {
    const start = Math.round((spanMs * b) / bursts.length + between(random, 0, 2000));
    // The folder camera shoots RAW on every third burst (a D800 NEF), the tethered one JPEG.
    const kind: ShotKind = source === "folder" && b % 3 === 2 ? "nef" : "jpeg";
    for (let i = 0; i < n; i++) {
      frame++;
      const name = `${source === "tethered" ? "DSC" : "CAM"}_${String(frame).padStart(4, "0")}`;
      yield {
        atMs: start + Math.round((i * 1000) / FPS),
        source,
        kind,
        scene: scene0 + b,
        name: `${name}.${kind === "nef" ? "NEF" : "JPG"}`,
      };
    }
  }
}

/** Each fault at a seeded time; several overlap by design. */
function faultSchedule(random: Random, durationMs: number): ScriptedFault[] {
  const scale = durationMs / FULL_EVENT_MS;
  const at = (from: number, to: number) => Math.round(between(random, from, to) * durationMs);
  const lasting = (ms: number) => Math.max(5_000, Math.round(ms * scale));
  const faults: ScriptedFault[] = [];
  const kills = Math.max(3, Math.round(10 * scale));
  for (let i = 0; i < kills; i++)
    faults.push({
      name: "agent_kill",
      atMs: at(0.05 + (0.6 * i) / kills, 0.05 + (0.6 * (i + 1)) / kills),
      durationMs: 2_000,
    });
  faults.push({ name: "s3_down", atMs: at(0.15, 0.25), durationMs: lasting(60_000) });
  const ftpsAt = at(0.1, 0.2);
  const ftpsMs = lasting(5 * 60_000);
  faults.push({ name: "ftps_down", atMs: ftpsAt, durationMs: ftpsMs });
  // Both hosts down right after the FTPS outage, long enough for the mirror to dead-letter.
  faults.push({
    name: "mirror_hosts_down",
    atMs: ftpsAt + ftpsMs,
    durationMs: Math.max(30_000, lasting(2 * 60_000)),
  });
  faults.push({ name: "graph_5xx", atMs: at(0.1, 0.3), durationMs: lasting(45_000), detail: "server_error" });
  const code = ["4", "17", "32"][intBetween(random, 0, 2)] as string;
  faults.push({ name: "graph_rate_limit", atMs: at(0.3, 0.4), durationMs: lasting(30_000), detail: code });
  faults.push({ name: "graph_media_not_ready", atMs: at(0.2, 0.5), durationMs: lasting(30_000) });
  faults.push({ name: "graph_token_expired", atMs: at(0.4, 0.5), durationMs: lasting(60_000) });
  faults.push({ name: "sqs_redelivery_storm", atMs: at(0.25, 0.45), durationMs: lasting(60_000) });
  for (const fn of ["convert", "convert", "mirror", "publish"])
    faults.push({ name: "handler_crash", atMs: at(0.1, 0.6), durationMs: 1_000, detail: fn });
  faults.push({ name: "spool_full", atMs: at(0.3, 0.5), durationMs: lasting(60_000) });
  return faults.sort((a, b) => a.atMs - b.atMs);
}
