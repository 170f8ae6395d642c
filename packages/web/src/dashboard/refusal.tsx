/**
 * How the dashboard shows a refused file: a file a capture PC refused (cut short, unreadable, not
 * a photo, too large, empty) or an upload quarantined because its bytes were not the photo its key
 * claimed. Neither is a photo of the pipeline: nothing is retried or published, the owner only
 * needs to know what happened and where the bytes are.
 */
import { label } from "../shared/format.ts";
import type { Refusal } from "./types.ts";

/** The card's and the page's badge: "refused: incomplete", "quarantined: id mismatch". */
export function RefusalBadge({ refusal }: { refusal: Refusal }) {
  return (
    <span class="badge refused" data-refusal={refusal.code}>
      {refusal.by === "agent" ? "refused" : "quarantined"}: {label(refusal.code)}
    </span>
  );
}

/** Where the refused bytes are, in the owner's words. */
export function keptLabel(refusal: Refusal): string {
  const pc = refusal.agentId ? `on ${refusal.agentId}` : "on the capture PC";
  switch (refusal.kept) {
    case "rejected-folder":
      return `kept ${pc}, in rejected/`;
    case "spool":
      return `kept ${pc}, in its spool`;
    case "left-in-place":
      return `left in the inbox ${pc}`;
    case "quarantine":
      return "kept in the bucket's quarantine/";
    case "none":
      return "not kept";
  }
}

/** The photo page of a refused file: what happened, why, where the bytes are, and what to do. */
export function RefusalPanel({ refusal }: { refusal: Refusal }) {
  return (
    <section class="panel refusal" aria-labelledby="refusal-title" data-refusal={refusal.code}>
      <h3 id="refusal-title">
        {refusal.by === "agent" ? "Refused by the capture PC" : "Quarantined upload"}{" "}
        <RefusalBadge refusal={refusal} />
      </h3>
      <p>{refusal.reason}</p>
      <p class="muted">
        {keptLabel(refusal)}.{" "}
        {refusal.by === "agent"
          ? "Nothing is retried or posted: copy the file whole into the inbox again and it arrives as a photo of its own."
          : "The genuine photo can still be uploaded under its own id; these bytes are never posted."}
      </p>
    </section>
  );
}
