import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, describe } from "vitest";
import { transportConformance } from "./conformance.ts";

describe("mirror: s3 to another bucket", () => {
  let server: FauxqsServer;
  let s3: S3Client;
  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
  });
  transportConformance(async () => {
    server = await startFauxqs({ port: 0, logger: false });
    server.createBucket("mirror");
    const credentials = { accessKeyId: "test", secretAccessKey: "test" };
    s3 = new S3Client({ endpoint: server.address, region: "us-east-1", forcePathStyle: true, credentials });
    const list = async (dir: string) => {
      const Prefix = dir === "" ? "site/" : `site/${dir}/`;
      const out = await s3.send(new ListObjectsV2Command({ Bucket: "mirror", Prefix }));
      return (out.Contents ?? [])
        .map((o) => o.Key?.slice(Prefix.length) ?? "")
        .filter((k) => !k.includes("/"));
    };
    const read = async (path: string) => {
      const body = await fetch(
        `${server.address}/mirror/site/${path.split("/").map(encodeURIComponent).join("/")}`,
      );
      return body.ok ? Buffer.from(await body.arrayBuffer()) : undefined;
    };
    return { options: { type: "s3", bucket: "mirror", prefix: "site" }, deps: { s3 }, list, read };
  });
});
