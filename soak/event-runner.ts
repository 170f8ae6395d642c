/**
 * Plays the script against the running stack: each shot at its time (a camera writes it, or one
 * of ten phones uploads it, each phone one photo at a time: both in the devices process,
 * `load/devices.ts`), each fault started and ended at its times. Records what was taken and the
 * faults' actual start and end.
 */
import type { EventScript, ScriptedFault, Shot } from "./event-script.ts";
import type { FaultContext } from "./faults/context.ts";
import { FAULTS } from "./faults/inject.ts";
import type { Devices } from "./load/devices.ts";
import type { TakenPhoto } from "./load/shot-files.ts";

export interface FaultRecord extends ScriptedFault {
  startedAt: number;
  endedAt?: number;
  error?: string;
}

export interface EventOutcome {
  taken: TakenPhoto[];
  faults: FaultRecord[];
  notes: Array<{ t: number; message: string }>;
  shotErrors: string[];
}

const PHONES = 10;

export async function playEvent(
  script: EventScript,
  ctx: Omit<FaultContext, "note">,
  devices: Devices,
): Promise<EventOutcome> {
  const outcome: EventOutcome = { taken: [], faults: [], notes: [], shotErrors: [] };
  const full: FaultContext = { ...ctx, note: (message) => outcome.notes.push({ t: Date.now(), message }) };
  const start = Date.now();
  const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, start + ms - Date.now())));
  const phoneQueues = Array.from({ length: PHONES }, () => Promise.resolve());
  let phone = 0;

  const shoot = async (shot: Shot) => {
    await at(shot.atMs);
    try {
      if (shot.source === "phone") {
        const slot = phone++ % PHONES;
        const upload = (phoneQueues[slot] as Promise<void>).then(async () => {
          outcome.taken.push(await devices.take(shot));
        });
        phoneQueues[slot] = upload.catch((error) => void outcome.shotErrors.push(`${shot.name}: ${error}`));
        return;
      }
      outcome.taken.push(await devices.take(shot));
    } catch (error) {
      outcome.shotErrors.push(`${shot.name}: ${error}`);
    }
  };
  const inject = async (fault: ScriptedFault) => {
    await at(fault.atMs);
    const record: FaultRecord = { ...fault, startedAt: Date.now() };
    outcome.faults.push(record);
    // The end runs even when the start failed half-way: nothing stays broken past its time.
    const errors: string[] = [];
    await FAULTS[fault.name].start(full, fault).catch((error) => void errors.push(`start: ${error}`));
    await at(fault.atMs + fault.durationMs);
    await FAULTS[fault.name].end(full, fault).catch((error) => void errors.push(`end: ${error}`));
    if (errors.length) record.error = errors.join("; ");
    record.endedAt = Date.now();
  };
  // A camera's frames are written in order, one after another, as the camera writes them.
  const cameras = ["tethered", "folder"].map(async (source) => {
    for (const shot of script.shots.filter((s) => s.source === source)) await shoot(shot);
  });
  const phones = (async () => {
    for (const shot of script.shots.filter((s) => s.source === "phone")) await shoot(shot);
  })();
  await Promise.all([...cameras, phones, ...script.faults.map(inject)]);
  await Promise.all(phoneQueues);
  return outcome;
}
