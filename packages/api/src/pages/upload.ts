/**
 * The phone page: pick photos, each is hashed in the browser (its SHA-256 is the photo id), then
 * sent straight to S3 with the presigned PUT from `POST /uploads` (its signed headers as given; the
 * browser sets Content-Length itself), with a progress bar.
 */
import { page } from "./layout.ts";

export const uploadPage = page(
  "Upload",
  `<p><input id="files" type="file" accept="image/*,video/mp4,video/quicktime" multiple></p><div id="uploads"></div>`,
  `
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
function put(target, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const [k, v] of Object.entries(target.headers)) if (k !== "content-length") xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error("S3 answered " + xhr.status)));
    xhr.onerror = () => reject(new Error("network error"));
    xhr.send(file);
  });
}
async function upload(file) {
  const row = document.createElement("div");
  row.className = "upload";
  row.innerHTML = '<div class="name">' + esc(file.name) + '</div><progress max="1" value="0"></progress><div class="state">hashing…</div>';
  document.getElementById("uploads").append(row);
  const bar = row.querySelector("progress");
  const state = row.querySelector(".state");
  try {
    const sha256 = hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    row.dataset.id = sha256;
    const target = await api("/uploads", {
      method: "POST",
      body: JSON.stringify({ filename: file.name, size: file.size, contentType: file.type, sha256 }),
    });
    state.textContent = "uploading…";
    await put(target, file, (f) => (bar.value = f));
    bar.value = 1;
    state.textContent = "uploaded — processing";
    for (let i = 0; i < 120; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const photo = await api("/photos/" + sha256).catch(() => undefined);
      if (photo) state.textContent = photo.status.replace("_", " ");
      if (photo && photo.status !== "processing") break;
    }
    row.dataset.status = state.textContent;
  } catch (error) {
    state.textContent = "failed: " + error.message;
    row.dataset.status = "error";
  }
}
document.getElementById("files").addEventListener("change", (e) => { for (const f of e.target.files) upload(f); });
`,
);
