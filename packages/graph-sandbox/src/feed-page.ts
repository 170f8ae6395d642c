/** The sandbox's "feed": an HTML page of published posts, newest first, so a person can see what was posted. */
import type { SandboxState } from "./state.ts";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );

export function renderFeed(state: SandboxState, only?: string): string {
  const posts = state.publishedMedia().filter((m) => only === undefined || m.shortcode === only);
  const cards = posts.map((m) => {
    const container = state.containers.get(m.containerId);
    const imageIds = m.children ?? [m.containerId];
    const images = imageIds
      .filter((id) => state.containers.get(id)?.image)
      .map(
        (id) =>
          `<img src="/__sandbox/media/${escapeHtml(id)}.jpg" alt="${escapeHtml(state.containers.get(id)?.altText ?? "")}">`,
      )
      .join("");
    const video = container?.videoUrl
      ? `<p class="video">▶ video: <a href="${escapeHtml(container.videoUrl)}">${escapeHtml(container.videoUrl)}</a></p>`
      : "";
    return `<article id="${escapeHtml(m.shortcode)}" data-media-id="${escapeHtml(m.id)}">
  <header>${escapeHtml(m.productType)} · ${escapeHtml(m.mediaType)} · <time>${new Date(m.timestamp).toISOString()}</time></header>
  <div class="media">${images}${video}</div>
  <p class="caption">${escapeHtml(m.caption ?? "")}</p>
</article>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@${escapeHtml(state.account.username)} · Graph API sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:640px;margin:2rem auto;background:#fafafa}
article{background:#fff;border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:.75rem}
header{color:#666;font-size:.85rem} .media{display:flex;gap:4px;overflow-x:auto}
img{max-width:100%;max-height:480px} .caption{white-space:pre-wrap}
</style></head>
<body><h1>@${escapeHtml(state.account.username)}</h1>
<p>${posts.length} published post(s) in the Instagram Graph API sandbox.</p>
${cards.join("\n") || "<p>No posts yet.</p>"}
</body></html>`;
}
