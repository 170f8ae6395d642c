/** fauxqs behind a TCP proxy that can cut the link, started before a file's tests and stopped after. */
import { afterAll, beforeAll } from "vitest";
import { startS3, type TestS3 } from "./s3.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

export function useS3BehindProxy(): { readonly s3: TestS3; readonly proxy: TcpProxy } {
  let s3: TestS3 | undefined;
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    s3 = await startS3();
    const url = new URL(s3.endpoint);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.stop();
  });
  return {
    get s3() {
      if (!s3) throw new Error("S3 is not started yet (use it inside a test)");
      return s3;
    },
    get proxy() {
      if (!proxy) throw new Error("the proxy is not started yet (use it inside a test)");
      return proxy;
    },
  };
}
