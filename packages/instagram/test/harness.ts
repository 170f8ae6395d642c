/** Starts the real Graph API sandbox and a media host for the client tests. */
import {
  type GraphSandbox,
  type MediaHost,
  startGraphSandbox,
  startMediaHost,
  VirtualClock,
} from "@photo-relay/graph-sandbox";
import sharp from "sharp";
import { createGraphClient, type GraphClient, type GraphClientOptions } from "../src/index.ts";

export interface Harness {
  sandbox: GraphSandbox;
  host: MediaHost;
  clock: VirtualClock;
  /** A 1080×1080 JPEG on the media host. */
  jpegUrl: string;
  client(options?: Partial<GraphClientOptions>): GraphClient;
  stop(): Promise<void>;
}

export async function startHarness(processingMs = 1000): Promise<Harness> {
  const clock = new VirtualClock({ frozen: true });
  const [sandbox, host] = await Promise.all([startGraphSandbox({ clock, processingMs }), startMediaHost()]);
  const jpeg = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: "#246" } })
    .jpeg()
    .toBuffer();
  return {
    sandbox,
    host,
    clock,
    jpegUrl: host.put("/photo.jpg", { body: jpeg, contentType: "image/jpeg" }),
    client: (options = {}) =>
      createGraphClient({
        baseUrl: sandbox.url,
        userId: sandbox.account.igUserId,
        accessToken: sandbox.defaultToken as string,
        apiVersion: "v25.0",
        ...options,
      }),
    stop: async () => {
      await Promise.all([sandbox.stop(), host.stop()]);
    },
  };
}
