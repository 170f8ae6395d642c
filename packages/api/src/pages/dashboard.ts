/** Each photo's journey at a glance: thumbnail, the three stages, errors, links, "publish now". */
import { page } from "./layout.ts";

export const dashboardPage = page(
  "Dashboard",
  `<p class="counts" id="counts"></p><div class="grid" id="photos"></div>`,
  `
const card = (p) => {
  const stages = ["convert", "mirror", "publish"].map((s) => {
    const st = p.stages[s];
    return '<span class="stage ' + esc(st.status) + '" title="' + esc(st.lastError?.message) + '">' + s + ": " + esc(st.status.replace("_", " ")) + "</span>";
  }).join("");
  const error = ["convert", "mirror", "publish"].map((s) => p.stages[s]).find((st) => st.status === "failed" || st.status === "retrying")?.lastError;
  const web = p.stages.mirror.files?.find((f) => f.publicUrl)?.publicUrl;
  const links = (web ? '<a href="' + esc(web) + '">web</a>' : "") + (p.stages.publish.permalink ? '<a href="' + esc(p.stages.publish.permalink) + '">instagram</a>' : "");
  const approve = p.status === "awaiting_approval" ? '<button data-publish="' + esc(p.id) + '">Publish now</button>' : "";
  return '<div class="card" data-id="' + esc(p.id) + '" data-status="' + esc(p.status) + '">' +
    (p.thumbnailUrl ? '<img alt="" src="' + esc(p.thumbnailUrl) + '">' : '<img alt="">') +
    '<div class="name" title="' + esc(p.id) + '">' + esc(p.originalName || p.id.slice(0, 12)) + "</div>" +
    '<div class="stages">' + stages + "</div>" +
    (error ? '<div class="error">' + esc(error.code) + ": " + esc(error.message) + "</div>" : "") +
    '<div class="links">' + links + approve + "</div></div>";
};
async function refresh() {
  try {
    const [{ photos }, status] = await Promise.all([api("/photos?limit=100"), api("/status")]);
    document.getElementById("photos").innerHTML = photos.map(card).join("");
    document.getElementById("counts").innerHTML = Object.entries(status.counts)
      .map(([k, v]) => "<span>" + esc(k.replace("_", " ")) + ": <b>" + v + "</b></span>").join("");
  } catch (error) {
    document.getElementById("counts").textContent = "Cannot load: " + error.message;
  }
}
document.addEventListener("click", async (event) => {
  const id = event.target.dataset?.publish;
  if (!id) return;
  event.target.disabled = true;
  await api("/photos/" + id + "/publish", { method: "POST" });
  refresh();
});
refresh();
setInterval(refresh, 3000);
`,
);
