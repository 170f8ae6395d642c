/**
 * A photo's journey as a timeline: each stage status change in order, how long the stage had been
 * in its previous status, and the error when there was one.
 */
import { formatDuration, formatTime, label } from "../shared/format.ts";

export interface JourneyEvent {
  at: string;
  stage: string;
  status: string;
  error?: { code: string; message: string };
}

export function Timeline({ createdAt, journey }: { createdAt: string; journey: JourneyEvent[] }) {
  const previous = new Map<string, string>();
  const rows = journey.map((event) => {
    const since = previous.get(event.stage) ?? createdAt;
    previous.set(event.stage, event.at);
    return { ...event, took: Date.parse(event.at) - Date.parse(since) };
  });
  return (
    <ol class="timeline" aria-label="Journey">
      <li class="arrived">
        <time dateTime={createdAt}>{formatTime(createdAt)}</time>
        <span>arrived</span>
      </li>
      {rows.map((e, i) => (
        <li key={`${e.at}-${i}`} class={e.status} data-stage={e.stage} data-status={e.status}>
          <time dateTime={e.at}>{formatTime(e.at)}</time>
          <span>
            <strong>{e.stage}</strong> <span class={`badge ${e.status}`}>{label(e.status)}</span>{" "}
            <span class="muted">after {formatDuration(e.took)}</span>
          </span>
          {e.error && (
            <span class="bad-text small">
              {e.error.code}: {e.error.message}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
