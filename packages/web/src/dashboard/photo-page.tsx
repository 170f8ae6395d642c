/**
 * A photo's own page: renditions, the journey, where it went (web host, Instagram), its burst, and
 * what the owner can do before it is posted (publish now, retry, hold or skip, edit the caption,
 * post another frame of its burst). A refused file's page says why it was refused and where its
 * bytes are, and offers no action.
 */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api } from "../shared/api.ts";
import { formatBytes, label } from "../shared/format.ts";
import { BurstPanel } from "./burst-panel.tsx";
import { CaptionEditor } from "./caption-editor.tsx";
import { live } from "./live.ts";
import { sourceLabel } from "./photo-card.tsx";
import { RefusalPanel } from "./refusal.tsx";
import { Timeline } from "./timeline.tsx";
import type { PhotoView } from "./types.ts";

export function PhotoPage({ id }: { id: string }) {
  const [view, setView] = useState<PhotoView>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const reload = () =>
    api<PhotoView>(`/photos/${id}/view`)
      .then((v) => {
        setView(v);
        setError(undefined);
      })
      .catch((e: ApiError) => setError(e.message));
  useEffect(() => {
    void reload();
    return live.onChanges((changes) => {
      if (changes.some((c) => c.id === id)) void reload();
    });
  }, [id]);

  const act = async (what: string, path: string, init: Parameters<typeof api>[1]) => {
    try {
      const answer = await api<unknown>(path, init);
      setNotice(`${what}: done`);
      if (answer && typeof answer === "object" && "summary" in answer) setView(answer as PhotoView);
      else await reload();
    } catch (e) {
      setNotice(`${what}: ${(e as Error).message}`);
    }
  };

  if (error)
    return (
      <p class="error-box" role="alert">
        {error}
      </p>
    );
  if (!view) return <p class="muted">Loading…</p>;
  const { summary, photo } = view;
  if (summary.refusal) {
    return (
      <article class="photo-page" data-id={id} data-status={summary.status}>
        <Heading view={view} />
        <RefusalPanel refusal={summary.refusal} />
        <Journey photo={photo} />
      </article>
    );
  }
  const publish = photo.stages.publish;
  const stuck = (["convert", "mirror", "publish"] as const).some((s) =>
    ["failed", "retrying"].includes(photo.stages[s].status),
  );
  const published = Boolean(publish.mediaId) || publish.status === "done";
  const actionable = !published && publish.status !== "skipped";
  return (
    <article class="photo-page" data-id={id} data-status={summary.status}>
      <Heading view={view} />
      <div class="stages">
        {(["convert", "mirror", "publish"] as const).map((s) => (
          <span key={s} class={`badge ${photo.stages[s].status}`} data-stage={s}>
            {s}: {label(photo.stages[s].status)} ({photo.stages[s].attempts} tries)
          </span>
        ))}
      </div>
      {(actionable || stuck || summary.publishHold || notice) && (
        <section class="panel actions" aria-label="Actions">
          {!published && publish.status !== "skipped" && summary.publishHold !== "hold" && (
            <button
              type="button"
              onClick={() => act("Publish now", `/photos/${id}/publish`, { method: "POST" })}
            >
              Publish now
            </button>
          )}
          {stuck && (
            <button
              type="button"
              class="secondary"
              onClick={() => act("Retry", `/photos/${id}/retry`, { method: "POST" })}
            >
              Retry failed stage
            </button>
          )}
          {!published && summary.publishHold !== "hold" && publish.status !== "skipped" && (
            <button
              type="button"
              class="secondary"
              onClick={() =>
                act("Hold", `/photos/${id}/publishing`, { method: "POST", body: { action: "hold" } })
              }
            >
              Hold publishing
            </button>
          )}
          {!published && publish.status !== "skipped" && (
            <button
              type="button"
              class="danger"
              onClick={() =>
                act("Skip", `/photos/${id}/publishing`, { method: "POST", body: { action: "skip" } })
              }
            >
              Skip Instagram
            </button>
          )}
          {summary.publishHold && (
            <button
              type="button"
              class="secondary"
              onClick={() =>
                act("Release", `/photos/${id}/publishing`, { method: "POST", body: { action: "release" } })
              }
            >
              {summary.publishHold === "hold" ? "Release hold" : "Publish after all"}
            </button>
          )}
          {notice && (
            <p role="status" class="muted">
              {notice}
            </p>
          )}
        </section>
      )}
      {view.burst && (
        <BurstPanel
          burst={view.burst}
          current={id}
          onPick={(pick) =>
            act("Post this frame instead", `/bursts/${view.burst?.id}/picks`, {
              method: "PUT",
              body: { picks: [pick] },
            })
          }
        />
      )}
      {!published && <CaptionEditor id={id} caption={view.caption} onSaved={setView} />}
      <section class="panel" aria-labelledby="where-title">
        <h3 id="where-title">Where it went</h3>
        <ul class="links">
          {publish.permalink && (
            <li>
              Instagram:{" "}
              <a href={publish.permalink} data-link="instagram">
                {publish.permalink}
              </a>
            </li>
          )}
          {(photo.stages.mirror.files ?? []).map((f) => (
            <li key={`${f.target}-${f.rendition}`}>
              {f.target} ({f.rendition}):{" "}
              {f.publicUrl ? (
                <a href={f.publicUrl} data-link="mirror">
                  {f.publicUrl}
                </a>
              ) : (
                f.remotePath
              )}
            </li>
          ))}
          {!publish.permalink && !(photo.stages.mirror.files ?? []).length && (
            <li class="muted">Not published anywhere yet.</li>
          )}
        </ul>
      </section>
      <section class="panel" aria-labelledby="renditions-title">
        <h3 id="renditions-title">Renditions</h3>
        <div class="renditions">
          {view.renditions.map((r) => (
            <figure key={r.name}>
              {r.name === "original" ? (
                <a href={r.url}>download the original</a>
              ) : (
                <a href={r.url}>
                  <img src={r.url} alt={`${r.name} rendition of ${summary.name}`} loading="lazy" />
                </a>
              )}
              <figcaption>
                {r.name}
                {r.width && ` · ${r.width}×${r.height}`} · {formatBytes(r.bytes)}
              </figcaption>
            </figure>
          ))}
        </div>
      </section>
      <Journey photo={photo} />
    </article>
  );
}

/** The way back, the file's name and what is known of it (a refused file has no format or size in pixels). */
function Heading({ view: { summary, photo } }: { view: PhotoView }) {
  return (
    <>
      <p>
        <a href="#/">← All photos</a>
      </p>
      <h2>{summary.name}</h2>
      <p class="muted">
        {sourceLabel(summary.source)} · {formatBytes(summary.bytes)}
        {!summary.refusal && ` · ${summary.format ?? "?"}`}
        {photo.width && ` · ${photo.width}×${photo.height}`}
        {photo.camera && ` · ${photo.camera}`}
      </p>
    </>
  );
}

function Journey({ photo }: { photo: PhotoView["photo"] }) {
  return (
    <section class="panel" aria-labelledby="journey-title">
      <h3 id="journey-title">Journey</h3>
      <Timeline createdAt={photo.createdAt} journey={photo.journey} />
    </section>
  );
}
