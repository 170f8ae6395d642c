import { createConnection, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransport } from "../src/index.ts";
import { serverFolder } from "./conformance.ts";
import { startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

// A host whose PASV replies name another address for data (127.0.0.2 here, as a NAT'd or load-balanced
// server would) and that has no EPSV. Forwarders on 127.0.0.2 relay to vsftpd's passive ports.
const BASE = 40_000 + Math.floor(Math.random() * 20_000);
const PORTS = [0, 1, 2, 3, 4].map((i) => BASE + i);
let server: VsftpdServer;
const forwarders: Server[] = [];
let relayed = 0;

beforeAll(async () => {
  server = await startVsftpd({
    settings: {
      cmds_denied: "EPSV",
      pasv_address: "127.0.0.2",
      pasv_min_port: String(PORTS[0]),
      pasv_max_port: String(PORTS.at(-1)),
    },
  });
  for (const port of PORTS) {
    const forwarder = createServer((client) => {
      relayed++;
      const upstream = createConnection(port, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) =>
      forwarder.once("error", reject).listen(port, "127.0.0.2", resolve),
    );
    forwarders.push(forwarder);
  }
});
afterAll(async () => {
  for (const f of forwarders) f.close();
  await server?.stop();
});

describe("mirror: ftps passive mode with a separate transfer host", () => {
  it("sends data to the host the PASV reply names when allowSeparateTransferHost is set", async () => {
    const { host, port, user, password } = server;
    const options = { type: "ftps", host, port, user, password, ca: server.certificate.pem };
    const transport = createTransport({ ...options, allowSeparateTransferHost: true });
    try {
      await transport.put(Buffer.from("through the transfer host"), "pasv/a.txt");
      expect(relayed).toBeGreaterThan(0);
      expect((await serverFolder(server.root).read("pasv/a.txt"))?.toString()).toBe(
        "through the transfer host",
      );
    } finally {
      await transport.close();
    }
  });
});
