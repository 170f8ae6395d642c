import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactConfig, requireConfig, resolveSecretRefs } from "../src/index.ts";

const env = {
  AWS_REGION: "eu-central-1",
  PHOTO_RELAY_S3_BUCKET: "media",
  PHOTO_RELAY_CONVERT_QUEUE_URL: "http://127.0.0.1:1/000000000000/convert",
  PHOTO_RELAY_MIRROR_QUEUE_URL: "http://127.0.0.1:1/000000000000/mirror",
  PHOTO_RELAY_PUBLISH_QUEUE_URL: "http://127.0.0.1:1/000000000000/publish",
  PHOTO_RELAY_TABLE: "photos",
  PHOTO_RELAY_API_TOKEN: "a-token-long-enough-123",
  PHOTO_RELAY_INSTAGRAM_USER_ID: "17841405822304914",
  PHOTO_RELAY_INSTAGRAM_TOKEN: "IGQ-secret-token",
};

describe("config", () => {
  it("reads every endpoint from the environment and fills the defaults", () => {
    const config = loadConfig({ env: { ...env, PHOTO_RELAY_S3_ENDPOINT: "http://127.0.0.1:4566" } });
    expect(config.s3).toMatchObject({
      bucket: "media",
      endpoint: "http://127.0.0.1:4566",
      forcePathStyle: false,
    });
    expect(config.convert.instagramWidth).toBe(1080);
    expect(config.instagram.mode).toBe("auto");
  });

  it("names each bad field, what is wrong and how to set it", () => {
    const bad = { ...env, PHOTO_RELAY_S3_ENDPOINT: "ftp://nope", PHOTO_RELAY_API_TOKEN: "short" } as Record<
      string,
      string
    >;
    delete bad.PHOTO_RELAY_TABLE;
    const error = (() => {
      try {
        loadConfig({ env: bad, needs: ["dynamodb.table"] });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^s3\.endpoint: .*PHOTO_RELAY_S3_ENDPOINT/),
        expect.stringMatching(/^dynamodb\.table: is required .*PHOTO_RELAY_TABLE/),
        expect.stringMatching(/^api\.token: must be at least 16 characters/),
      ]),
    );
    expect(error.message).not.toContain("short");
  });

  it("layers file < environment < platform overrides, and reads secrets from *_FILE", () => {
    const dir = mkdtempSync(join(tmpdir(), "config-"));
    const file = join(dir, "photo-relay.config.json");
    writeFileSync(file, JSON.stringify({ s3: { bucket: "from-file", presignSeconds: 120 } }));
    writeFileSync(join(dir, "token"), "token-from-a-file-0001\n");
    const { PHOTO_RELAY_API_TOKEN: _, ...rest } = env;
    const config = loadConfig({
      env: { ...rest, PHOTO_RELAY_API_TOKEN_FILE: join(dir, "token") },
      file,
      overrides: { dynamodb: { table: "from-platform" } },
    });
    expect(config.s3.bucket).toBe("media"); // env beats file
    expect(config.s3.presignSeconds).toBe(120); // file still fills what env leaves out
    expect(config.dynamodb.table).toBe("from-platform");
    expect(config.api.token).toBe("token-from-a-file-0001");
  });

  it("lets file and environment replace the defaults a caller supplies (the local stack's endpoints)", () => {
    const config = loadConfig({
      env: { ...env, PHOTO_RELAY_GRAPH_BASE_URL: "https://graph.instagram.com" },
      defaults: {
        instagram: { graphBaseUrl: "http://127.0.0.1:8090", mode: "manual" },
        s3: { bucket: "local" },
      },
    });
    expect(config.instagram.graphBaseUrl).toBe("https://graph.instagram.com");
    expect(config.instagram.mode).toBe("manual");
    expect(config.s3.bucket).toBe("media");
  });

  it("never shows secrets in the redacted copy, also inside mirror transports", () => {
    const targets = [
      { name: "web", transports: [{ type: "sftp", host: "h", password: "sftp-pass-1", privateKey: "KEY" }] },
    ];
    const text = JSON.stringify(
      redactConfig(loadConfig({ env: { ...env, PHOTO_RELAY_MIRROR_TARGETS: JSON.stringify(targets) } })),
    );
    expect(text).not.toContain("sftp-pass-1");
    expect(text).not.toContain("KEY");
    expect(text).not.toContain(env.PHOTO_RELAY_API_TOKEN);
    expect(text).not.toContain(env.PHOTO_RELAY_INSTAGRAM_TOKEN);
    expect(text).toContain("media");
  });

  it("takes the region from Lambda's AWS_REGION, lets PHOTO_RELAY_REGION win, and never guesses one", () => {
    expect(loadConfig({ env }).region).toBe("eu-central-1");
    expect(loadConfig({ env: { ...env, PHOTO_RELAY_REGION: "ap-southeast-2" } }).region).toBe(
      "ap-southeast-2",
    );
    const { AWS_REGION: _, ...noRegion } = env;
    expect(loadConfig({ env: { ...noRegion, AWS_DEFAULT_REGION: "sa-east-1" } }).region).toBe("sa-east-1");
    expect(() => loadConfig({ env: noRegion })).toThrow(/region: is required .*PHOTO_RELAY_REGION/);
  });

  it("swaps a mirror transport's secret references for the secrets' values, and only those it is given", () => {
    const targets = [
      {
        name: "web",
        transports: [
          { type: "ftps", host: "f", user: "u", passwordSecret: "MirrorFtpPassword" },
          {
            type: "sftp",
            host: "s",
            user: "u",
            privateKeySecret: "MirrorSftpKey",
            passphraseSecret: "Unlinked",
          },
        ],
      },
    ];
    const config = loadConfig({ env: { ...env, PHOTO_RELAY_MIRROR_TARGETS: JSON.stringify(targets) } });
    const secrets: Record<string, string> = { MirrorFtpPassword: "ftp-pass", MirrorSftpKey: "-----KEY-----" };
    const resolved = resolveSecretRefs(config, (name) => secrets[name]);
    expect(resolved.mirror.targets[0]?.transports).toEqual([
      { type: "ftps", host: "f", user: "u", password: "ftp-pass" },
      { type: "sftp", host: "s", user: "u", privateKey: "-----KEY-----", passphraseSecret: "Unlinked" },
    ]);
    expect(JSON.stringify(config)).not.toContain("ftp-pass"); // the input is left as it was
    expect(JSON.stringify(redactConfig(resolved))).not.toMatch(/ftp-pass|KEY/);
  });

  it("refuses a credential given both inline and as a secret reference", () => {
    const targets = [
      { transports: [{ type: "ftps", password: "inline", passwordSecret: "MirrorFtpPassword" }] },
    ];
    const config = loadConfig({ env: { ...env, PHOTO_RELAY_MIRROR_TARGETS: JSON.stringify(targets) } });
    expect(() => resolveSecretRefs(config, () => "from-secret")).toThrow(
      /mirror\.targets\.0\.transports\.0\.passwordSecret: give password one way only/,
    );
  });

  it("reads the file-only settings from PHOTO_RELAY_SETTINGS, below the variables, and refuses anything else in it", () => {
    const document = JSON.stringify({
      convert: { jpegQuality: 82 },
      instagram: { checkDelaysSeconds: [1, 2] },
    });
    const config = loadConfig({ env: { ...env, PHOTO_RELAY_SETTINGS: document } });
    expect(config.convert).toMatchObject({ jpegQuality: 82, instagramWidth: 1080 });
    expect(config.instagram.checkDelaysSeconds).toEqual([1, 2]);
    expect(() =>
      loadConfig({
        env: { ...env, PHOTO_RELAY_SETTINGS: JSON.stringify({ instagram: { accessToken: "x" } }) },
      }),
    ).toThrow(/PHOTO_RELAY_SETTINGS: instagram: Unrecognized key: "accessToken"/);
  });

  it("requires only what a process says it needs, naming each missing field with its variable", () => {
    const bare = { AWS_REGION: "eu-central-1" };
    expect(loadConfig({ env: bare }).s3.bucket).toBeUndefined();
    const attempt = () => loadConfig({ env: bare, needs: ["s3.bucket", "instagram.accessToken"] });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/s3\.bucket: is required \(set PHOTO_RELAY_S3_BUCKET/);
    expect(attempt).toThrow(/instagram\.accessToken: is required \(set PHOTO_RELAY_INSTAGRAM_TOKEN/);
    expect(() => requireConfig(loadConfig({ env }), ["sqs.convertDlqUrl"])).toThrow(
      /sqs\.convertDlqUrl: is required/,
    );
  });
});
