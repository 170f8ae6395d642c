/**
 * The stand-in for the CLI's RPC server (`SST_SERVER`) that SST's components call while a deploy
 * evaluates. Only the two methods this app's components call are answered:
 * - `Runtime.Build`: builds the function with the replica of SST's Node builder
 *   (`scripts/sst-node-builder.ts`) into the artifact folder the CLI uses, and answers as the CLI
 *   does (`{ handler, out, errors, sourcemaps }`); every request is recorded for the checks.
 * - `Provider.Aws.Bootstrap`: SST's per-region bootstrap bucket, which a deploy looks up in the
 *   account; here a fixed name (nothing is uploaded).
 * Any other method answers an error, so a new call cannot pass unnoticed.
 */
import { mkdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildLikeSst, type NodeProperties } from "../sst-node-builder.ts";

export interface BuildRequest {
  functionID: string;
  handler: string;
  runtime: string;
  properties: NodeProperties;
  links: Record<string, Record<string, unknown>>;
  copyFiles: unknown[];
  dev: boolean;
}

export interface RpcStandIn {
  url: string;
  builds: BuildRequest[];
  close(): Promise<void>;
}

export async function startRpcStandIn(root: string, work: string, cliVersion: string): Promise<RpcStandIn> {
  const builds: BuildRequest[] = [];
  const methods: Record<string, (args: never) => Promise<unknown>> = {
    "Runtime.Build": async (input: BuildRequest) => {
      builds.push(input);
      const out = join(work, "artifacts", `${input.functionID}-src`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const { architecture, ...nodejs } = input.properties;
      const result = await buildLikeSst({
        root,
        handler: input.handler,
        runtime: input.runtime,
        properties: { ...nodejs, ...(architecture && { architecture }) },
        out,
        cliVersion,
      });
      return { handler: result.handler, out, errors: result.errors, sourcemaps: [] };
    },
    "Provider.Aws.Bootstrap": async () => ({
      asset: "sst-asset-synth",
      assetEcrRegistryId: "000000000000",
      assetEcrUrl: "000000000000.dkr.ecr.invalid/sst-asset",
      state: "sst-state-synth",
      appsyncHttp: "",
      appsyncRealtime: "",
    }),
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      const { method, params } = JSON.parse(body) as { method: string; params: [never] };
      const handler = methods[method];
      const reply = handler
        ? await handler(params[0]).then(
            (result) => ({ result }),
            (error: unknown) => ({ error: String(error) }),
          )
        : { error: `rpc: can't find method ${method} (not stood in for by scripts/synth/rpc.ts)` };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    builds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
