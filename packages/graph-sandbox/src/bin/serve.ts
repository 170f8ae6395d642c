/**
 * Runs the sandbox on its own: `node packages/graph-sandbox/src/bin/serve.ts`
 * (port from GRAPH_SANDBOX_PORT, default 4010; 0 picks a free one).
 */
import { startGraphSandbox } from "../sandbox.ts";

const sandbox = await startGraphSandbox({ port: Number(process.env.GRAPH_SANDBOX_PORT ?? 4010) });
console.log(`graph-sandbox: ${sandbox.url} (feed at /, admin at /__sandbox/state)`);
console.log(
  `graph-sandbox: account ${sandbox.account.igUserId}; default token ${sandbox.defaultToken ?? "(none)"}`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void sandbox.stop().then(() => process.exit(0)));
}
