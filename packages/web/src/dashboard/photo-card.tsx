/**
 * One photo in the grid: thumbnail, name, a badge per stage, its place in a burst (the pick, an
 * alternate that is never posted, or still open), dead-lettered, and the error that stopped it. A
 * refused file (a capture PC refused it, or storage quarantined it) has one "refused" badge with its
 * code instead, its reason, and where its bytes are.
 */
import { memo } from "preact/compat";
import { formatAgo, label } from "../shared/format.ts";
import { keptLabel, RefusalBadge } from "./refusal.tsx";
import type { PhotoSummary, StageName } from "./types.ts";

const STAGES: StageName[] = ["convert", "mirror", "publish"];

export const PhotoCard = memo(function PhotoCard({ photo }: { photo: PhotoSummary }) {
  return (
    <a
      class={`card${photo.burst?.role === "alternate" ? " alternate" : ""}`}
      href={`#/photos/${photo.id}`}
      data-id={photo.id}
      data-status={photo.status}
      {...(photo.burst && { "data-burst": photo.burst.id, "data-role": photo.burst.role })}
    >
      {photo.thumbnailUrl ? (
        <img src={photo.thumbnailUrl} alt="" loading="lazy" decoding="async" width={400} height={300} />
      ) : (
        <span class="thumb-empty" aria-hidden="true">
          {photo.format ?? (photo.refusal ? "refused" : "…")}
        </span>
      )}
      <span class="name" title={photo.name}>
        {photo.name}
      </span>
      <span class="stages">
        {photo.refusal ? (
          <RefusalBadge refusal={photo.refusal} />
        ) : (
          <>
            {STAGES.map((s) => (
              <span key={s} class={`badge ${photo.stages[s]}`} data-stage={s}>
                {s}: {label(photo.stages[s])}
              </span>
            ))}
            {photo.burst && (
              <span class={`badge burst-${photo.burst.role}`} data-badge="burst">
                {BURST_ROLES[photo.burst.role]}
              </span>
            )}
            {photo.deadLettered && (
              <span class="badge failed" data-badge="dead-lettered">
                dead-lettered ({photo.deadLettered})
              </span>
            )}
          </>
        )}
      </span>
      <span class="meta muted">
        {sourceLabel(photo.source)} · {formatAgo(photo.updatedAt)}
        {photo.publishHold && ` · ${photo.publishHold === "hold" ? "held" : "not for Instagram"}`}
        {photo.refusal && ` · ${keptLabel(photo.refusal)}`}
      </span>
      {photo.refusal ? (
        <span class="card-error" data-refusal-reason>
          {photo.refusal.reason}
        </span>
      ) : (
        photo.error && (
          <span class="card-error">
            {photo.error.stage}: {photo.error.message}
          </span>
        )
      )}
    </a>
  );
});

export const BURST_ROLES = {
  open: "burst: deciding",
  pick: "burst: the pick",
  alternate: "burst: alternate",
} as const;

export function sourceLabel(source: string): string {
  if (source === "agent") return "capture PC";
  if (source.startsWith("guest:")) return "guest link";
  if (source === "phone" || source === "upload") return "phone / web";
  return source;
}
