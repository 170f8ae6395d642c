import { afterAll, beforeAll, describe } from "vitest";
import { serverFolder, transportConformance } from "./conformance.ts";
import { startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

// vsftpd refusing TLS 1.2 (OpenSSL MinProtocol) and speaking implicit TLS, session reuse required.
let server: VsftpdServer;
beforeAll(async () => {
  server = await startVsftpd({ tls13Only: true, implicit: true });
});
afterAll(() => server?.stop());

describe("mirror: ftps, implicit TLS, TLS 1.3 only", () => {
  transportConformance(() => {
    const { host, port, user, password } = server;
    const options = { type: "ftps", tls: "implicit", host, port, user, password, ca: server.certificate.pem };
    return { options, ...serverFolder(server.root) };
  });
});
