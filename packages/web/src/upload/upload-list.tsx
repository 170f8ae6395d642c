/**
 * "Your uploads": every file this page sent, from hashing through S3 to the pipeline's stages,
 * including the ones refused (with the reason) or already there. Progress in the pipeline comes
 * from one status request every two seconds for all of them, and stops when all are settled.
 */
import type { PhotoSummary } from "@photo-relay/api";
import type Uppy from "@uppy/core";
import { useEffect, useState } from "preact/hooks";
import { api } from "../shared/api.ts";
import { formatBytes, label } from "../shared/format.ts";
import type { FileMeta, UploadFile } from "./uploader.ts";

type PhotoProgress = PhotoSummary;

const SETTLED = new Set(["done", "failed", "awaiting_approval"]);
const POLL_MS = 2000;

export function UploadList({ uppy }: { uppy: Uppy<FileMeta, Record<string, never>> }) {
  const [files, setFiles] = useState<UploadFile[]>(() => uppy.getFiles());
  const [progress, setProgress] = useState<Record<string, PhotoProgress>>({});

  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setFiles(uppy.getFiles()));
    };
    uppy.on("state-update", update);
    return () => {
      cancelAnimationFrame(frame);
      uppy.off("state-update", update);
    };
  }, [uppy]);

  const sent = files
    .filter((f) => f.progress.uploadComplete && f.meta.sha256)
    .map((f) => f.meta.sha256 as string);
  const open = sent.filter((id) => !SETTLED.has(progress[id]?.status ?? ""));
  const key = open.join(",");
  useEffect(() => {
    if (!key) return;
    let stopped = false;
    const poll = async () => {
      try {
        const { photos } = await api<{ photos: PhotoProgress[] }>(`/upload-sessions/status?ids=${key}`);
        if (!stopped)
          setProgress((before) => ({ ...before, ...Object.fromEntries(photos.map((p) => [p.id, p])) }));
      } catch {
        // Offline for a moment: the next round asks again.
      }
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key]);

  if (files.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="uploads-title">
      <h2 id="uploads-title">Your uploads</h2>
      <ul class="uploads">
        {files.map((file) => (
          <Row key={file.id} file={file} photo={file.meta.sha256 ? progress[file.meta.sha256] : undefined} />
        ))}
      </ul>
    </section>
  );
}

function Row({ file, photo }: { file: UploadFile; photo: PhotoProgress | undefined }) {
  const { state, note, bad } = describe(file, photo);
  return (
    <li data-file={file.name} data-state={state} data-photo-id={file.meta.sha256}>
      {photo?.thumbnailUrl ? (
        <img src={photo.thumbnailUrl} alt="" />
      ) : (
        <span class="thumb" aria-hidden="true" />
      )}
      <div>
        <div class="name">{file.name}</div>
        <div class={bad ? "note bad" : "note"}>{note}</div>
      </div>
      <span class={`badge ${photo?.status ?? state}`}>{label(photo?.status ?? state)}</span>
    </li>
  );
}

function describe(
  file: UploadFile,
  photo: PhotoProgress | undefined,
): { state: string; note: string; bad?: boolean } {
  const size = formatBytes(file.size ?? 0);
  if (file.meta.phase === "refused")
    return { state: "refused", note: file.meta.note ?? "refused", bad: true };
  if (file.error) return { state: "error", note: file.error, bad: true };
  if (photo) {
    const stages = Object.entries(photo.stages)
      .map(([s, v]) => `${s} ${label(v)}`)
      .join(" · ");
    return photo.error
      ? {
          state: photo.status,
          note: `${photo.error.stage}: ${photo.error.message}`,
          bad: photo.status === "failed",
        }
      : { state: photo.status, note: stages };
  }
  if (file.meta.phase === "exists") return { state: "exists", note: `${size} · already there` };
  if (file.progress.uploadComplete)
    return { state: "uploaded", note: `${size} · sent, waiting for the pipeline` };
  if (file.isGhost) return { state: "paused", note: `${size} · select this file again to resume` };
  if (file.meta.phase === "hashing") return { state: "hashing", note: `${size} · checking the file` };
  if (file.progress.uploadStarted) {
    const percent = file.progress.percentage ?? 0;
    return { state: file.isPaused ? "paused" : "uploading", note: `${size} · ${percent} %` };
  }
  return { state: "queued", note: size };
}
