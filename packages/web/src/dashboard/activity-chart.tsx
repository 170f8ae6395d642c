/** The last hours at a glance (uPlot): photos arriving and published per minute, and stage latency. */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { api } from "../shared/api.ts";
import type { PhotoStats as Stats } from "./types.ts";

const REFRESH_MS = 30_000;

export function ActivityChart({ hours = 6 }: { hours?: number }) {
  const [stats, setStats] = useState<Stats>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const load = () =>
      api<Stats>(`/dashboard/stats?hours=${hours}`)
        .then(setStats)
        .catch((e: Error) => setError(e.message));
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [hours]);
  if (error)
    return (
      <p class="error-box" role="alert">
        {error}
      </p>
    );
  if (!stats) return null;
  const total = stats.arrived.reduce((a, b) => a + b, 0);
  return (
    <section class="panel charts" aria-labelledby="chart-title">
      <h2 id="chart-title">Last {hours} hours</h2>
      <div class="chart-row">
        <Chart
          label={`Photos per minute: ${total} arrived in the last ${hours} hours`}
          data={[stats.minutes, stats.arrived, stats.published]}
          series={[
            { label: "arrived", stroke: "#2f4fd0", fill: "rgba(47,79,208,.12)" },
            { label: "published", stroke: "#2e9a50" },
          ]}
          unit="photos"
        />
        <Chart
          label="Stage latency in seconds (mean per minute)"
          data={[stats.minutes, stats.latency.convert, stats.latency.mirror, stats.latency.publish]}
          series={[
            { label: "convert", stroke: "#7b3fb8" },
            { label: "mirror", stroke: "#c98a00" },
            { label: "publish", stroke: "#c62828" },
          ]}
          unit="s"
        />
      </div>
    </section>
  );
}

function Chart({
  label,
  data,
  series,
  unit,
}: {
  label: string;
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  unit: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 180,
        series: [
          {},
          ...series.map((s) => ({ ...s, width: 2, spanGaps: false, points: { show: true, size: 4 } })),
        ],
        axes: [{}, { label: unit, size: 50 }],
        scales: { x: { time: true } },
        legend: { live: false },
      },
      data,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 180 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={label} />
      <figcaption class="muted small">{label}</figcaption>
    </figure>
  );
}
