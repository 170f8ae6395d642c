/**
 * The burst's timeline as an SVG: one row per frame, one dot per stage (closed by the writer, in S3,
 * converted, mirrored, published), seconds since the first frame's close. Vega-Lite compiled to
 * Vega and rendered headless in Node (no browser, no canvas).
 */
import { writeFile } from "node:fs/promises";
import * as vega from "vega";
import * as vegaLite from "vega-lite";

export const STAGES = ["closed", "in S3", "converted", "mirrored", "published"] as const;
export type Stage = (typeof STAGES)[number];

export interface FrameTimes {
  frame: number;
  times: Partial<Record<Stage, number>>;
}

export async function writeBurstPlot(path: string, frames: FrameTimes[], title: string): Promise<void> {
  const origin = Math.min(...frames.map((f) => f.times.closed ?? Number.POSITIVE_INFINITY));
  const points = frames.flatMap((f) =>
    STAGES.flatMap((stage) => {
      const t = f.times[stage];
      return t === undefined ? [] : [{ frame: f.frame, stage, seconds: (t - origin) / 1000 }];
    }),
  );
  const spans = frames.flatMap((f) => {
    const ends = STAGES.map((s) => f.times[s]).filter((t): t is number => t !== undefined);
    return ends.length
      ? [
          {
            frame: f.frame,
            from: (Math.min(...ends) - origin) / 1000,
            to: (Math.max(...ends) - origin) / 1000,
          },
        ]
      : [];
  });
  const x = {
    field: "seconds",
    type: "quantitative",
    title: "seconds since the first frame's close",
  } as const;
  const spec: vegaLite.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 900,
    height: 600,
    background: "white",
    layer: [
      {
        data: { values: spans },
        mark: { type: "rule", color: "#cccccc", strokeWidth: 1 },
        encoding: {
          y: { field: "frame", type: "quantitative", title: "frame", scale: { reverse: true } },
          x: { field: "from", type: "quantitative", title: x.title },
          x2: { field: "to" },
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 14 },
        encoding: {
          x,
          y: { field: "frame", type: "quantitative", scale: { reverse: true } },
          color: {
            field: "stage",
            type: "nominal",
            sort: [...STAGES],
            scale: { domain: [...STAGES], scheme: "category10" },
            legend: { orient: "top-right", title: "stage" },
          },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  await writeFile(path, await view.toSVG());
  view.finalize();
}
