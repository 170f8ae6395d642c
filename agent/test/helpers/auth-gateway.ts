/**
 * fauxqs checks no signatures, so this gateway plays S3's credential check in front of it: requests
 * signed with an access key other than `accessKeyId` get S3's real 403 InvalidAccessKeyId answer.
 */
import { createServer, request } from "node:http";

export async function startAuthGateway(target: string, accessKeyId: string) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (!String(req.headers.authorization ?? "").includes(`Credential=${accessKeyId}/`)) {
      req.resume();
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code>` +
          `<Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>`,
      );
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
