/**
 * The terminal view of `photo-relay agent`: online/offline, queue, throughput, one progress bar per
 * file in flight, and the latest events. Redrawn in place on a TTY; plain event lines otherwise.
 */
import type { Agent, AgentStatus } from "../index.ts";

const ESC = "\x1b[";
const color = (code: number, text: string) => `${ESC}${code}m${text}${ESC}0m`;
const green = (t: string) => color(32, t);
const red = (t: string) => color(31, t);
const yellow = (t: string) => color(33, t);
const dim = (t: string) => color(2, t);

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${"█".repeat(filled)}${dim("░".repeat(width - filled))}`;
}

/** Renders one frame (pure, so it can be tested and reused by `status`). */
export function renderStatus(
  status: AgentStatus,
  extra: { throughput?: number; tether?: string; events?: string[] } = {},
) {
  const lines: string[] = [];
  const state = status.online ? green("● online") : red("● offline");
  const rate = extra.throughput === undefined ? "" : `  ${formatBytes(extra.throughput)}/s`;
  lines.push(
    `${color(1, "photo-relay agent")}  ${state}${rate}${extra.tether ? `  📷 ${extra.tether}` : ""}`,
  );
  lines.push(
    `queue ${status.waiting.files} file(s), ${formatBytes(status.waiting.bytes)}   ` +
      `${green(`✔ ${status.delivered} delivered`)}  ${yellow(`○ ${status.ignored} ignored`)}  ${red(`✖ ${status.failed} failed`)}` +
      (status.rejected ? `  ${yellow(`⚠ ${status.rejected} refused`)}` : ""),
  );
  if (status.lastError && (!status.online || status.failed))
    lines.push(red(`last error: ${status.lastError.code}: ${status.lastError.message}`));
  for (const file of status.inFlight) {
    const fraction = file.bytes ? file.sent / file.bytes : 1;
    lines.push(
      `  ${bar(fraction)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${file.name}  ${dim(`${formatBytes(file.sent)} / ${formatBytes(file.bytes)}`)}`,
    );
  }
  for (const event of extra.events ?? []) lines.push(dim(event));
  return lines;
}

export interface LiveView {
  stop(): void;
}

/** Starts the view; on a non-TTY stream it prints one line per event instead of redrawing. */
export function startLiveView(
  agent: Agent,
  out: NodeJS.WriteStream,
  tether?: () => string | undefined,
): LiveView {
  const events: string[] = [];
  const note = (line: string) => {
    const stamped = `${new Date().toLocaleTimeString()} ${line}`;
    if (!out.isTTY) return void out.write(`${stamped}\n`);
    events.push(stamped);
    if (events.length > 6) events.shift();
  };
  agent.on("delivered", (e) => note(`✔ ${e.path} → ${e.key} (${formatBytes(e.bytes)})`));
  agent.on("ignored", (e) => note(`○ ${e.path}: ${e.reason}`));
  agent.on("failed", (e) => note(`✖ ${e.path}: ${e.reason}`));
  agent.on("rejected", (e) => note(`⚠ ${e.path}: refused (${e.code}), ${e.to ? `kept in ${e.to}` : e.kept}`));
  agent.on("offline", (e) => note(`S3 unreachable (${e.error.code}); spooling and retrying`));
  agent.on("online", () => note("S3 reachable again; draining the spool"));
  if (!out.isTTY) return { stop: () => undefined };

  let drawn = 0;
  let lastBytes = 0;
  let lastAt = Date.now();
  let throughput = 0;
  let delivered = 0;
  agent.on("delivered", (e) => {
    delivered += e.bytes;
  });
  const draw = () => {
    const status = agent.status();
    const now = Date.now();
    const moved = delivered + status.inFlight.reduce((sum, f) => sum + f.sent, 0);
    const rate = Math.max(0, moved - lastBytes) / Math.max(0.001, (now - lastAt) / 1000);
    throughput = throughput * 0.7 + rate * 0.3; // smoothed, parts complete in steps
    lastBytes = moved;
    lastAt = now;
    const camera = tether?.();
    const lines = renderStatus(status, { throughput, events, ...(camera && { tether: camera }) });
    out.write(`${drawn ? `${ESC}${drawn}A` : ""}${ESC}0J${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  out.write(`${ESC}?25l`); // hide the cursor while redrawing
  const timer = setInterval(draw, 250);
  draw();
  return {
    stop() {
      clearInterval(timer);
      draw();
      out.write(`${ESC}?25h`);
    },
  };
}
