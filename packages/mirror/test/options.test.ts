import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransport, parseTransportOptions, publicUrl, renderPath } from "../src/index.ts";

const date = new Date("2026-01-05T23:30:00Z");
const sftp = { type: "sftp", host: "h", user: "u", hostKeyFingerprint: `SHA256:${"a".repeat(43)}` };

describe("mirror: options", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "photo-relay-options-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("applies defaults: explicit TLS, verification on, TLS 1.2 to 1.3", () => {
    expect(parseTransportOptions({ type: "ftps", host: "h", user: "u", password: "p" })).toMatchObject({
      tls: "explicit",
      minTlsVersion: "TLSv1.2",
      maxTlsVersion: "TLSv1.3",
      allowSeparateTransferHost: false,
      timeoutMs: 30_000,
    });
  });

  it("names every invalid field", () => {
    const error = (() => {
      try {
        parseTransportOptions({ type: "ftps", host: "", user: "u", fingerprint: "nope" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join("\n")).toMatch(/host[\s\S]*fingerprint[\s\S]*password/);
  });

  it("refuses an unknown type and an SFTP host without a pinned key or credentials", () => {
    expect(() => parseTransportOptions({ type: "ftp", host: "h" })).toThrow(ConfigError);
    expect(() => parseTransportOptions({ ...sftp, hostKeyFingerprint: undefined, password: "p" })).toThrow(
      /hostKey/,
    );
    expect(() => parseTransportOptions(sftp)).toThrow(/password or a private key/);
  });

  it("reads secrets from files and fails fast when a file is missing", async () => {
    const file = join(dir, "password");
    await writeFile(file, "s3cret\n");
    expect(createTransport({ ...sftp, passwordFile: file }).name).toBe("sftp");
    expect(() => createTransport({ ...sftp, passwordFile: join(dir, "missing") })).toThrow(ConfigError);
    expect(() => createTransport({ ...sftp, password: "a", passwordFile: file })).toThrow(/at most one/);
  });
});

describe("mirror: remote path template", () => {
  const fields = { name: "abc-web.jpg", date, id: "abc", rendition: "web" };

  it("appends the file name to a folder template, with UTC date folders", () => {
    expect(renderPath("/wordpress/upload/{yyyy}/{mm}/", fields)).toBe(
      "/wordpress/upload/2026/01/abc-web.jpg",
    );
  });

  it("renders a full path template", () => {
    expect(renderPath("{yyyy}/{mm}/{dd}/{id}-{rendition}.jpg", fields)).toBe("2026/01/05/abc-web.jpg");
  });

  it("refuses unknown tokens and names that would change folders", () => {
    expect(() => renderPath("{year}/", fields)).toThrow(/unknown token \{year\}/);
    expect(() => renderPath("{yyyy}/", { ...fields, name: "../x.jpg" })).toThrow(/cannot be used in a path/);
  });

  it("builds the public url under the base, percent-encoding each segment", () => {
    expect(publicUrl("https://example.com/up", "/2026/01/café 1.jpg")).toBe(
      "https://example.com/up/2026/01/caf%C3%A9%201.jpg",
    );
  });
});
