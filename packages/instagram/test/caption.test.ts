/**
 * Captions: a template filled from the photo's fields, held to Instagram's rules: 2,200
 * characters, 30 hashtags, 20 mentions.
 */
import { describe, expect, it } from "vitest";
import { CAPTION_LIMITS, enforceCaptionRules, renderCaption } from "../src/index.ts";

const tags = (n: number) => Array.from({ length: n }, (_, i) => `#tag${i}`).join(" ");
const mentions = (n: number) => Array.from({ length: n }, (_, i) => `@user${i}`).join(" ");

describe("captions: template and rules", () => {
  it("fills the tokens and leaves no blank lines for empty ones", () => {
    const template = "{caption}\n\n{camera} · {date}\n\n{hashtags}";
    expect(renderCaption(template, { caption: "Dawn", camera: "NIKON D800", date: "2026-07-14" })).toBe(
      "Dawn\n\nNIKON D800 · 2026-07-14",
    );
    expect(renderCaption("{caption}\n\n{hashtags}", { hashtags: ["nikon", "#dawn"] })).toBe("#nikon #dawn");
    expect(renderCaption("{filename} {unknown}", { filename: "DSC_1.JPG" })).toBe("DSC_1.JPG {unknown}");
  });

  it("keeps a caption within the rules unchanged", () => {
    const text = `${"a".repeat(2000)} ${tags(30)} ${mentions(20)}`.slice(0, 2200);
    expect(enforceCaptionRules(text, "fail")).toEqual({ caption: text, changes: [] });
  });

  it("truncates: drops hashtags past 30, un-mentions past 20, cuts at a word to 2,200 characters", () => {
    const { caption, changes } = enforceCaptionRules(`Hello ${mentions(25)} ${tags(35)}`, "truncate");
    expect(caption.match(/#tag\d+/g)).toHaveLength(30);
    expect(caption.match(/@user\d+/g)).toHaveLength(20);
    expect(caption).toContain(" user24 ");
    expect(changes).toHaveLength(2);
    const long = enforceCaptionRules("word ".repeat(600), "truncate").caption;
    expect(long.length).toBeLessThanOrEqual(CAPTION_LIMITS.chars);
    expect(long).toMatch(/word…$/);
  });

  it("fails under the fail policy, naming the broken rule", () => {
    expect(() => enforceCaptionRules(tags(31), "fail")).toThrow(/31 hashtags \(max 30\)/);
  });
});
