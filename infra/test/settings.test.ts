import { describe, expect, it } from "vitest";
import { readDeploySettings } from "../settings.ts";

const targets = (...transports: object[]) => JSON.stringify([{ name: "web", transports }]);

describe("deploy settings", () => {
  it("passes on only the allow-listed settings and names the PHOTO_RELAY_* ones it keeps back", () => {
    const settings = readDeploySettings({
      PHOTO_RELAY_INSTAGRAM_USER_ID: "17841400000000000",
      PHOTO_RELAY_HASHTAGS: "dogs,cats",
      PHOTO_RELAY_CONFIG: "/home/dev/photo-relay.json",
      PHOTO_RELAY_DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      PHOTO_RELAY_API_TOKEN: "a-secret-in-the-shell",
      HOME: "/root",
    });
    expect(settings.environment).toEqual({
      PHOTO_RELAY_INSTAGRAM_USER_ID: "17841400000000000",
      PHOTO_RELAY_HASHTAGS: "dogs,cats",
    });
    expect(settings.ignored).toEqual([
      "PHOTO_RELAY_API_TOKEN",
      "PHOTO_RELAY_CONFIG",
      "PHOTO_RELAY_DYNAMODB_ENDPOINT",
    ]);
  });

  it("collects the SST secrets the mirror targets name and the buckets of s3 targets", () => {
    const settings = readDeploySettings({
      PHOTO_RELAY_MIRROR_TARGETS: targets(
        { type: "ftps", host: "f", user: "u", passwordSecret: "MirrorFtpPassword" },
        {
          type: "sftp",
          host: "s",
          user: "u",
          privateKeySecret: "MirrorSftpKey",
          passphraseSecret: "MirrorSftpPassphrase",
        },
        { type: "s3", bucket: "web-bucket" },
      ),
    });
    expect(settings.mirrorSecrets).toEqual(["MirrorFtpPassword", "MirrorSftpKey", "MirrorSftpPassphrase"]);
    expect(settings.mirrorBuckets).toEqual([{ bucket: "web-bucket", prefix: "" }]);
  });

  it("refuses credentials, file paths and local folders in the targets, and names that are no SST secret name", () => {
    const attempt = () =>
      readDeploySettings({
        PHOTO_RELAY_MIRROR_TARGETS: targets(
          { type: "ftps", host: "f", user: "u", password: "hunter2" },
          {
            type: "sftp",
            host: "s",
            user: "u",
            privateKeyFile: "/home/dev/.ssh/id_ed25519",
            passphraseSecret: "my-passphrase",
          },
        ),
      });
    expect(attempt).toThrow(/transports\[0\]\.password: keep it in an SST secret and write "passwordSecret"/);
    expect(attempt).toThrow(/transports\[1\]\.privateKeyFile: a Lambda function has no such file/);
    expect(attempt).toThrow(/transports\[1\]\.passphraseSecret: an SST secret name starts with a capital/);
    expect(attempt).not.toThrow(/hunter2/);
    expect(() =>
      readDeploySettings({ PHOTO_RELAY_MIRROR_TARGETS: targets({ type: "local", root: ".data/www" }) }),
    ).toThrow(/transports\[0\]: a "local" folder does not outlive a Lambda invocation/);
  });

  it("refuses mirror targets whose transports could keep one photo longer than the mirror function may run", () => {
    const ftps = { type: "ftps", host: "f", user: "u", passwordSecret: "P" };
    const sftp = { type: "sftp", host: "s", user: "u", privateKeySecret: "K" };
    expect(() => readDeploySettings({ PHOTO_RELAY_MIRROR_TARGETS: targets(ftps, sftp) })).not.toThrow(); // 30 + 30 + 10 s
    expect(() =>
      readDeploySettings({
        PHOTO_RELAY_MIRROR_TARGETS: targets({ ...ftps, timeoutMs: 60_000 }, { ...sftp, timeoutMs: 60_000 }),
      }),
    ).toThrow(
      /one photo may take 130 s \(each transport up to its timeoutMs\), more than the mirror function's 120 s/,
    );
  });

  it("refuses a local Graph API sandbox URL and settings too large for Lambda's 4 KB", () => {
    expect(() => readDeploySettings({ PHOTO_RELAY_GRAPH_BASE_URL: "http://127.0.0.1:8090" })).toThrow(
      /not an https URL/,
    );
    expect(() => readDeploySettings({ PHOTO_RELAY_CAPTION_TEMPLATE: "x".repeat(3500) })).toThrow(
      /Lambda allows 4 KB/,
    );
  });

  it("archives originals after 30 days and keeps everything forever by default; retention must outlast the archive", () => {
    expect(readDeploySettings({})).toMatchObject({ archiveOriginalsDays: 30 });
    expect(readDeploySettings({})).not.toHaveProperty("keepOriginalsDays");
    expect(readDeploySettings({ PHOTO_RELAY_KEEP_ORIGINALS_DAYS: "400" })).toMatchObject({
      keepOriginalsDays: 400,
    });
    expect(() => readDeploySettings({ PHOTO_RELAY_KEEP_ORIGINALS_DAYS: "20" })).toThrow(
      /must exceed PHOTO_RELAY_ARCHIVE_ORIGINALS_DAYS/,
    );
    expect(() => readDeploySettings({ PHOTO_RELAY_ALERT_EMAIL: "not-an-address" })).toThrow(
      /PHOTO_RELAY_ALERT_EMAIL/,
    );
  });

  it("passes PHOTO_RELAY_SETTINGS on when the functions' own schema accepts it, and names what it refuses", () => {
    const document = JSON.stringify({
      convert: { jpegQuality: 82 },
      mirror: { renditions: ["web", "original"] },
    });
    const settings = readDeploySettings({ PHOTO_RELAY_SETTINGS: document });
    expect(settings.environment).toEqual({ PHOTO_RELAY_SETTINGS: document });
    expect(settings.mirrorsOriginals).toBe(true);
    expect(readDeploySettings({}).mirrorsOriginals).toBe(false);
    const attempt = (value: object) => () =>
      readDeploySettings({ PHOTO_RELAY_SETTINGS: JSON.stringify(value) });
    expect(attempt({ convert: { jpegQuality: 20 } })).toThrow(/PHOTO_RELAY_SETTINGS: convert\.jpegQuality: /);
    // Resources and secrets have variables or links of their own.
    expect(attempt({ s3: { bucket: "mine" } })).toThrow(
      /PHOTO_RELAY_SETTINGS: s3: Unrecognized key: "bucket"/,
    );
    expect(attempt({ api: { token: "a-secret-token-123456" } })).toThrow(/Unrecognized key: "token"/);
    expect(() => readDeploySettings({ PHOTO_RELAY_SETTINGS: "{" })).toThrow(
      /PHOTO_RELAY_SETTINGS: is not valid JSON/,
    );
  });
});
