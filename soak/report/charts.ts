/**
 * The report's plots: Vega-Lite specs compiled to Vega and rendered to SVG headless in Node, as
 * the benchmarks' plots are (bench/helpers/burst-plot.ts).
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";

type Row = Record<string, unknown>;
type Encoding = vegaLite.TopLevelSpec extends infer T
  ? T extends { encoding?: infer E }
    ? E
    : never
  : never;

export async function svg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

const base = (title: string, values: Row[]) => ({
  $schema: "https://vega.github.io/schema/vega-lite/v6.json" as const,
  title,
  width: 860,
  height: 240,
  background: "white",
  data: { values },
});

const seconds = (title = "seconds since the event began") =>
  ({ field: "s", type: "quantitative", title }) as const;

export function faultTimeline(rows: Array<{ fault: string; from: number; to: number }>) {
  return svg({
    ...base("Faults injected", rows),
    height: Math.max(120, 22 * new Set(rows.map((r) => r.fault)).size),
    mark: { type: "bar", height: 14, color: "#d9534f" },
    encoding: {
      y: { field: "fault", type: "nominal", title: null },
      x: { field: "from", type: "quantitative", title: "seconds since the event began" },
      x2: { field: "to" },
    },
  } as vegaLite.TopLevelSpec);
}

export function lines(title: string, rows: Row[], y: string, colour: string, yTitle: string, mark = "line") {
  const encoding = {
    x: seconds(),
    y: { field: y, type: "quantitative", title: yTitle },
    color: { field: colour, type: "nominal", title: null },
  } as Encoding;
  return svg({
    ...base(title, rows),
    mark:
      mark === "point"
        ? { type: "point", filled: true, size: 18, opacity: 0.6 }
        : { type: "line", interpolate: "step-after" },
    encoding,
  } as vegaLite.TopLevelSpec);
}

export function bars(title: string, rows: Row[], yTitle: string) {
  return svg({
    ...base(title, rows),
    mark: { type: "bar", color: "#4c78a8" },
    encoding: {
      x: {
        field: "s",
        type: "quantitative",
        title: "seconds since the event began (30 s bins)",
        bin: { step: 30 },
      },
      y: { aggregate: "count", type: "quantitative", title: yTitle },
    },
  } as vegaLite.TopLevelSpec);
}
