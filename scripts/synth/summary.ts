/** A synthesized graph as a reviewer reads it: per function, its limits, triggers, links and rights. */
import { type Graph, inspect } from "./graph.ts";

export function summarize(graph: Graph): string {
  const view = inspect(graph);
  const lines = [
    `${graph.app.name} / ${graph.app.stage} in ${graph.region}: ${graph.resources.length} resources`,
  ];
  for (const build of graph.builds) {
    const fn = view.function(build.functionID);
    const { runtime, memorySize, timeout } = fn.lambda as Record<string, unknown>;
    lines.push("", `${build.functionID}  (${build.handler}; ${runtime}, ${memorySize} MB, ${timeout} s)`);
    for (const source of fn.eventSources) {
      const max = source.scalingConfig?.maximumConcurrency;
      lines.push(
        `  consumes ${view.short(String(source.queue?.outputs.arn))}: batch ${source.batchSize}, ${max ? `at most ${max} at once` : "no concurrency cap"}, visibility ${source.queue?.inputs.visibilityTimeoutSeconds} s`,
      );
    }
    lines.push(`  links   ${fn.links.join(", ")}`);
    lines.push(`  env     ${Object.keys(fn.environment).sort().join(", ")}`);
    for (const right of fn.rights) lines.push(`  allow   ${right}`);
  }
  return lines.join("\n");
}
