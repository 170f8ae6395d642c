/**
 * The replica of SST's Node builder on a tiny app in a temporary folder: it must fail where
 * `sst deploy` fails (a native addon bundled, a mismatched `sst` package) and build as SST does
 * otherwise (banner, target, externals, minification only when asked).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { BANNER, buildLikeSst } from "../sst-node-builder.ts";

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const build = (handler: string, properties = {}) =>
  buildLikeSst({
    root,
    handler,
    runtime: "nodejs24.x",
    properties,
    out: join(root, "out"),
    cliVersion: "4.17.1",
  });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sst-builder-"));
  // A package like ssh2: JavaScript that loads a compiled addon.
  write("node_modules/native-thing/package.json", JSON.stringify({ name: "native-thing", main: "index.js" }));
  write("node_modules/native-thing/index.js", 'module.exports = require("./build/Release/addon.node");');
  write("node_modules/native-thing/build/Release/addon.node", "\0");
  write(
    "node_modules/sst/package.json",
    JSON.stringify({ name: "sst", version: "4.17.1", main: "index.js" }),
  );
  write("node_modules/sst/index.js", "export const Resource = {};");
  write("src/native.ts", 'import thing from "native-thing";\nexport const handler = async () => thing;');
  write(
    "src/plain.ts",
    'import { Resource } from "sst";\nexport const handler = async (): Promise<unknown> => Resource ?? null;',
  );
});

describe("SST's Node builder, replicated", () => {
  it("fails as sst deploy does on a native addon that is bundled, naming the file", async () => {
    const result = await build("src/native.handler");
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^No loader is configured for "\.node" files: .*addon\.node \S*node_modules\/native-thing\/index\.js:1:\d+$/,
      ),
    ]);
  });

  it("leaves a package in nodejs.install external, for SST to install for Linux", async () => {
    const result = await build("src/native.handler", { install: { "native-thing": "*" } });
    expect(result.errors).toEqual([]);
    expect(result.install).toEqual(["native-thing"]);
    expect(readFileSync(result.outfile, "utf8")).toMatch(/from"native-thing"|from "native-thing"/);
  });

  it("refuses an sst package whose version is not the CLI's", async () => {
    write(
      "node_modules/sst/package.json",
      JSON.stringify({ name: "sst", version: "3.19.3", main: "index.js" }),
    );
    const result = await build("src/plain.handler");
    expect(result.errors.join("\n")).toContain(
      "The sst package your application is importing (3.19.3) does not match the sst cli version (4.17.1)",
    );
  });

  it("writes bundle.mjs with SST's banner and a linked source map, minified only when minify is true", async () => {
    const plain = await build("src/plain.handler");
    const text = readFileSync(plain.outfile, "utf8");
    expect(plain.handler).toBe("bundle.handler");
    expect(text.startsWith(BANNER)).toBe(true);
    expect(text).toContain("//# sourceMappingURL=bundle.mjs.map");
    expect(text).toContain("async () =>"); // not minified: SST's documented default is not applied
    const minified = await build("src/plain.handler", { minify: true });
    expect(readFileSync(minified.outfile, "utf8").length).toBeLessThan(text.length);
  });

  it("finds the handler file by SST's extension order and refuses options it does not replicate", async () => {
    await expect(build("src/missing.handler")).rejects.toThrow("Handler not found: src/missing.handler");
    await expect(build("src/plain.handler", { splitting: true })).rejects.toThrow(
      "nodejs.splitting: not replicated",
    );
  });
});
