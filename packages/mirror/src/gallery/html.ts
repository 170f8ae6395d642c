/**
 * `index.html`: the newest photos rendered as a plain grid of links (a guest without JavaScript
 * sees them and opens each one), plus the script that polls `gallery.json`, adds new photos
 * without a reload, loads older pages and opens a lightbox. Every URL is relative, so the folder can
 * be served from anywhere.
 */
import { type GalleryManifest, type GalleryPhoto, MANIFEST_FILE } from "./manifest.ts";

/** Tile width per viewport, matching the grid's columns in {@link STYLE}; the browser picks the rendition. */
export const TILE_SIZES = "(min-width: 1400px) 13vw, (min-width: 1000px) 17vw, (min-width: 640px) 25vw, 50vw";
/** Tiles loaded at once; the rest load as they scroll into view. */
const EAGER_TILES = 8;

const STYLE = `
:root { color-scheme: dark; --gap: 3px; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 16px/1.4 system-ui, sans-serif; background: #0e0e10; color: #eee; }
header { position: sticky; top: 0; z-index: 1; display: flex; align-items: baseline; gap: .6rem;
  padding: .7rem 1rem; background: rgb(14 14 16 / .9); backdrop-filter: blur(8px); }
h1 { margin: 0; font-size: 1.1rem; font-weight: 600; }
.count { color: #9a9aa2; font-size: .85rem; }
.live { margin-left: auto; color: #9a9aa2; font-size: .8rem; white-space: nowrap; }
.live::before { content: ""; display: inline-block; width: .5rem; height: .5rem; margin-right: .35rem;
  border-radius: 50%; background: #e5484d; }
[data-state="offline"] .live::before { background: #6b6b73; }
.grid { display: grid; grid-template-columns: repeat(2, 1fr); gap: var(--gap); padding: var(--gap); }
@media (min-width: 640px) { .grid { grid-template-columns: repeat(4, 1fr); } }
@media (min-width: 1000px) { .grid { grid-template-columns: repeat(6, 1fr); } }
@media (min-width: 1400px) { .grid { grid-template-columns: repeat(8, 1fr); } }
.tile { display: block; aspect-ratio: 1; overflow: hidden; background: #1c1c20; }
.tile img { display: block; width: 100%; height: 100%; object-fit: cover; }
.tile.new { animation: arrive .5s ease-out; }
@keyframes arrive { from { opacity: 0; transform: scale(.94); } }
.more, .note { display: block; margin: 1.2rem auto 2rem; text-align: center; color: #9a9aa2; }
.more { padding: .6rem 1.2rem; border: 1px solid #3a3a40; border-radius: 2rem; background: none; font: inherit; }
.lightbox { width: 100vw; height: 100dvh; max-width: none; max-height: none; margin: 0; padding: 0;
  border: 0; background: #000; color: #eee; }
.lightbox::backdrop { background: #000; }
.lightbox img { width: 100%; height: 100%; object-fit: contain; touch-action: pan-y pinch-zoom; }
.lightbox button { position: absolute; border: 0; background: rgb(0 0 0 / .45); color: #fff;
  font-size: 2rem; line-height: 1; width: 3rem; height: 3rem; border-radius: 50%; }
.lightbox .close { top: .6rem; right: .6rem; }
.lightbox .prev { left: .6rem; top: calc(50% - 1.5rem); }
.lightbox .next { right: .6rem; top: calc(50% - 1.5rem); }
.lightbox p { position: absolute; bottom: 0; margin: 0; width: 100%; padding: .8rem 1rem;
  background: linear-gradient(transparent, rgb(0 0 0 / .7)); }
.lightbox p:empty { display: none; }
`;

/** The page for `manifest`; `script` is the client script's file name beside it. */
export function renderIndex(manifest: GalleryManifest, script: string): string {
  const tiles = manifest.photos.map((photo, i) => renderTile(photo, i < EAGER_TILES)).join("\n");
  const shown = manifest.photos.length;
  const older = manifest.count > shown;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex">
<title>${escapeHtml(manifest.title)}</title>
<style>${STYLE}</style>
<script src="${escapeHtml(script)}" defer></script>
</head>
<body>
<main data-gallery data-manifest="${MANIFEST_FILE}" data-revision="${escapeHtml(manifest.revision)}" data-poll="${manifest.pollSeconds}" data-sizes="${TILE_SIZES}">
<header><h1>${escapeHtml(manifest.title)}</h1><span class="count">${countText(manifest.count)}</span><span class="live">live</span></header>
<div class="grid">
${tiles}
</div>
<button class="more" type="button" hidden>Older photos</button>
${older ? `<noscript><p class="note">The newest ${shown} photos are shown; older ones need JavaScript.</p></noscript>` : ""}
</main>
</body>
</html>
`;
}

function renderTile(photo: GalleryPhoto, eager: boolean): string {
  const { web, thumbnail } = photo;
  return `<a class="tile" href="${escapeHtml(web.src)}" data-id="${escapeHtml(photo.id)}"><img src="${escapeHtml(thumbnail.src)}" srcset="${escapeHtml(thumbnail.src)} ${thumbnail.width}w, ${escapeHtml(web.src)} ${web.width}w" sizes="${TILE_SIZES}" width="${thumbnail.width}" height="${thumbnail.height}" alt="${escapeHtml(photo.alt ?? "")}"${eager ? "" : ' loading="lazy"'} decoding="async"></a>`;
}

/** The same wording the script writes when the count changes. */
export function countText(count: number): string {
  return count === 1 ? "1 photo" : `${count} photos`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
