/**
 * The grid's filters: state (a dead-lettered photo is a failed one whose message reached its
 * dead-letter queue), source, arrival date, a name search (debounced), and whether a burst's
 * alternates show beside its picks.
 */
import { useEffect, useState } from "preact/hooks";
import type { PhotoSummary } from "./types.ts";

export interface Filters {
  state: string;
  source: string;
  from: string;
  to: string;
  q: string;
  /** `picks`: leave out the frames a burst did not pick. */
  frames: string;
}

export const NO_FILTERS: Filters = { state: "", source: "", from: "", to: "", q: "", frames: "" };

/** The query string `GET /dashboard/photos` takes for these filters. */
export function filterQuery(f: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.state) params.set("state", f.state);
  if (f.source) params.set("source", f.source);
  if (f.from) params.set("from", new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) params.set("to", new Date(`${f.to}T23:59:59.999`).toISOString());
  if (f.q.trim()) params.set("q", f.q.trim());
  if (f.frames) params.set("frames", f.frames);
  return params;
}

/** Whether a photo (e.g. one that just changed) belongs in the grid under these filters. */
export function matchesFilters(p: PhotoSummary, f: Filters): boolean {
  if (
    f.state === "dead_lettered" ? !(p.status === "failed" && p.deadLettered) : f.state && p.status !== f.state
  )
    return false;
  if (f.frames === "picks" && p.burst?.role === "alternate") return false;
  if (
    f.source === "guest"
      ? !p.source.startsWith("guest:")
      : f.source === "phone"
        ? !["phone", "upload"].includes(p.source)
        : f.source && p.source !== f.source
  )
    return false;
  if (f.from && p.createdAt < new Date(`${f.from}T00:00:00`).toISOString()) return false;
  if (f.to && p.createdAt > new Date(`${f.to}T23:59:59.999`).toISOString()) return false;
  if (f.q.trim() && !p.name.toLowerCase().includes(f.q.trim().toLowerCase())) return false;
  return true;
}

export function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const [q, setQ] = useState(value.q);
  useEffect(() => {
    if (q === value.q) return;
    const timer = setTimeout(() => onChange({ ...value, q }), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const set = (field: keyof Filters) => (event: Event) =>
    onChange({ ...value, [field]: (event.target as HTMLInputElement).value });
  return (
    <search>
      <form class="filters" aria-label="Filter photos" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search by file name
          <input
            type="search"
            name="q"
            value={q}
            placeholder="DSC_0042"
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          State
          <select name="state" value={value.state} onChange={set("state")}>
            <option value="">all</option>
            <option value="processing">processing</option>
            <option value="awaiting_approval">awaiting approval</option>
            <option value="held">held</option>
            <option value="done">done</option>
            <option value="failed">failed</option>
            <option value="dead_lettered">dead-lettered</option>
            <option value="rejected">refused by a capture PC</option>
            <option value="quarantined">quarantined upload</option>
          </select>
        </label>
        <label>
          Source
          <select name="source" value={value.source} onChange={set("source")}>
            <option value="">all</option>
            <option value="agent">capture PC</option>
            <option value="phone">phone / web</option>
            <option value="guest">guest links</option>
          </select>
        </label>
        <label>
          Bursts
          <select name="frames" value={value.frames} onChange={set("frames")}>
            <option value="">every frame</option>
            <option value="picks">picks only</option>
          </select>
        </label>
        <label>
          Arrived from
          <input type="date" name="from" value={value.from} onChange={set("from")} />
        </label>
        <label>
          to
          <input type="date" name="to" value={value.to} onChange={set("to")} />
        </label>
        {(value.state || value.source || value.from || value.to || value.q || value.frames) && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setQ("");
              onChange(NO_FILTERS);
            }}
          >
            Clear filters
          </button>
        )}
      </form>
    </search>
  );
}
