import { readdirSync, readFileSync } from "node:fs";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "./src/index.ts";

const root = "/work/shared/media/";
for (const dir of readdirSync(root)) {
  if (dir.includes(".") || dir.startsWith("SHA")) continue;
  for (const f of readdirSync(root + dir)) {
    const t0 = performance.now();
    try {
      const r = await convertPhoto(readFileSync(`${root}${dir}/${f}`), DEFAULT_RENDITION_OPTIONS);
      if (r.kind === "image")
        console.log(
          dir,
          f,
          "OK",
          JSON.stringify(r.metadata),
          Object.values(r.renditions)
            .map((x) => `${x.width}x${x.height}/${x.data.length}`)
            .join(" "),
          (performance.now() - t0).toFixed(0),
        );
      else console.log(dir, f, "VIDEO", JSON.stringify(r));
    } catch (e: any) {
      console.log(dir, f, "ERR", e.code, e.message, (performance.now() - t0).toFixed(0));
    }
  }
}
console.log("rss", process.memoryUsage().rss / 1e6);
