/** The caption Instagram will get: the template's until the owner writes their own. */
import { useEffect, useState } from "preact/hooks";
import { type ApiError, api } from "../shared/api.ts";
import type { PhotoView } from "./types.ts";

export function CaptionEditor({
  id,
  caption,
  onSaved,
}: {
  id: string;
  caption: PhotoView["caption"];
  onSaved: (v: PhotoView) => void;
}) {
  const [text, setText] = useState(caption.text ?? "");
  const [status, setStatus] = useState<string>();
  useEffect(() => setText(caption.text ?? ""), [caption.text]);
  const save = async (value: string | null) => {
    try {
      onSaved(await api<PhotoView>(`/photos/${id}/caption`, { method: "PUT", body: { caption: value } }));
      setStatus(value === null ? "Back to the template's caption" : "Caption saved");
    } catch (e) {
      setStatus((e as ApiError).message);
    }
  };
  return (
    <section class="panel" aria-labelledby="caption-title">
      <h3 id="caption-title">Caption</h3>
      <form
        class="caption"
        onSubmit={(e) => {
          e.preventDefault();
          void save(text);
        }}
      >
        <label>
          {caption.overridden
            ? "Instagram caption (yours; the template's is not used)"
            : "Instagram caption (the template's, until you save your own)"}
          <textarea
            name="caption"
            rows={4}
            maxLength={2200}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="row">
          <button type="submit">Save caption</button>
          {caption.overridden && (
            <button type="button" class="secondary" onClick={() => save(null)}>
              Use the template
            </button>
          )}
          <span class="muted small">{text.length} / 2200</span>
        </div>
        {status && (
          <p role="status" class="muted">
            {status}
          </p>
        )}
      </form>
    </section>
  );
}
