/**
 * The caption Instagram will get: the template's until the owner writes their own. Beside the
 * editor, the caption as it would be posted now (held to Instagram's rules), and the template's
 * while the owner's replaces it, so the two can be compared.
 */
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
      <div class="caption-columns">
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
              : "Your own caption (the template's is posted until you save one)"}
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
        <CaptionPreview preview={caption.preview} />
      </div>
    </section>
  );
}

function CaptionPreview({ preview }: { preview: PhotoView["caption"]["preview"] }) {
  const refused = preview.policy === "fail" && preview.broken.length > 0;
  return (
    <aside class="caption-preview" aria-labelledby="caption-preview-title">
      <h4 id="caption-preview-title">
        Posted now {preview.source === "owner" ? "(your caption)" : "(from the template)"}
      </h4>
      {refused ? (
        <p class="error-box" data-caption="posted">
          Instagram would refuse it: {preview.broken.join(", ")}
        </p>
      ) : (
        <p class="caption-text" data-caption="posted">
          {preview.posted ?? <span class="muted">no caption</span>}
        </p>
      )}
      {!refused && preview.broken.length > 0 && (
        <p class="muted small">Trimmed to Instagram's rules: {preview.broken.join(", ")}</p>
      )}
      {preview.source === "owner" && (
        <>
          <h4>The template's caption</h4>
          <p class="caption-text muted" data-caption="template">
            {preview.template ?? "no caption"}
          </p>
        </>
      )}
    </aside>
  );
}
