/**
 * A frame's burst on its photo page: every frame in shooting order with its thumbnail and score,
 * the pick (posted, or to be) marked, and for the owner "post this frame instead" until a frame of
 * the burst is posted (`PUT /bursts/:id/picks`; the API refuses once one is).
 */
import { formatTime } from "../shared/format.ts";
import type { PhotoView } from "./types.ts";

type Burst = NonNullable<PhotoView["burst"]>;

export function BurstPanel({
  burst,
  current,
  onPick,
}: {
  burst: Burst;
  current: string;
  onPick: (photoId: string) => void;
}) {
  const posted = burst.members.some((m) => m.posted);
  const single = burst.policy.policy === "best-of-burst";
  return (
    <section class="panel" aria-labelledby="burst-title" data-burst={burst.id}>
      <h3 id="burst-title">Burst of {burst.members.length} frames</h3>
      <p class="muted">
        {burst.state === "open"
          ? `Still open: decided at ${burst.settlesAt ? formatTime(burst.settlesAt) : "its settle time"} unless another frame joins.`
          : `Decided ${burst.decidedAt ? formatTime(burst.decidedAt) : ""} by ${burst.pickedBy === "owner" ? "you" : "score"}.`}{" "}
        {burst.policy.policy === "best-n"
          ? `The best ${burst.policy.n} frames are posted`
          : "The best frame is posted"}
        ; the others are kept but never posted.
      </p>
      <ol class="burst-frames">
        {burst.members.map((m) => {
          const pick = burst.picks.includes(m.photoId);
          return (
            <li
              key={m.photoId}
              class={`${pick ? "pick" : ""}${m.photoId === current ? " current" : ""}`}
              data-frame={m.photoId}
              data-role={pick ? "pick" : "other"}
            >
              <a href={`#/photos/${m.photoId}`} aria-current={m.photoId === current ? "page" : undefined}>
                {m.thumbnailUrl ? (
                  <img src={m.thumbnailUrl} alt={`frame ${m.name}`} loading="lazy" />
                ) : (
                  m.name
                )}
              </a>
              <span>
                {m.name} · score {m.score.toFixed(2)}
              </span>
              <span class={`badge ${pick ? "burst-pick" : ""}`}>
                {pick ? (m.posted ? "the pick · posted" : "the pick") : "alternate"}
              </span>
              {!pick && !posted && single && (
                <button type="button" class="secondary" onClick={() => onPick(m.photoId)}>
                  Post {m.name} instead
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
