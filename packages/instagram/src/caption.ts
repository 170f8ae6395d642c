/**
 * Captions: a template filled from the photo (file name, date, camera, the IPTC/XMP caption, a
 * sidecar text) plus default hashtags, then held to Instagram's rules — at most 2,200 characters,
 * 30 hashtags and 20 @-mentions (`docs/instagram-graph-api.md`). Pure functions, no I/O.
 */
import { CaptionError } from "./errors.ts";

export const CAPTION_LIMITS = { chars: 2200, hashtags: 30, mentions: 20 } as const;

export interface CaptionFields {
  /** The sidecar text if there is one, else the IPTC/XMP caption. */
  caption?: string | undefined;
  sidecar?: string | undefined;
  iptc?: string | undefined;
  filename?: string | undefined;
  /** `YYYY-MM-DD` of the capture (or upload) time. */
  date?: string | undefined;
  camera?: string | undefined;
  hashtags?: readonly string[];
}

/**
 * Fills `{caption}` `{sidecar}` `{iptc}` `{filename}` `{date}` `{camera}` `{hashtags}`; unknown
 * tokens stay as written. Empty fields leave no stray blank lines or spaces behind.
 * @example renderCaption("{caption}\n\n{hashtags}", { caption: "Dawn", hashtags: ["nikon"] }) // "Dawn\n\n#nikon"
 */
export function renderCaption(template: string, fields: CaptionFields): string {
  const hashtags = (fields.hashtags ?? []).map((t) => (t.startsWith("#") ? t : `#${t}`)).join(" ");
  const values: Record<string, string | undefined> = { ...fields, hashtags };
  const filled = template.replace(/\{(\w+)\}/g, (token, name: string) =>
    name in values || name in TOKENS ? (values[name] ?? "").trim() : token,
  );
  return filled
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const TOKENS = { caption: 1, sidecar: 1, iptc: 1, filename: 1, date: 1, camera: 1, hashtags: 1 };
const HASHTAG = /(?<![\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu;
const MENTION = /(?<![\p{L}\p{N}_.])@[\p{L}\p{N}_.]+/gu;

export interface CaptionCheck {
  caption: string;
  /** What `truncate` changed, for the log; empty when the caption already fit. */
  changes: string[];
}

/**
 * Holds a caption to Instagram's rules. `truncate` (default) keeps the first 30 hashtags and drops
 * the rest, turns mentions past the 20th into plain names (no `@`), then cuts the text at a word
 * boundary with "…" to fit 2,200 characters. `fail` throws a {@link CaptionError} naming the rule.
 */
export function enforceCaptionRules(text: string, policy: "truncate" | "fail"): CaptionCheck {
  const hashtags = text.match(HASHTAG)?.length ?? 0;
  const mentions = text.match(MENTION)?.length ?? 0;
  const broken: string[] = [];
  if (hashtags > CAPTION_LIMITS.hashtags)
    broken.push(`${hashtags} hashtags (max ${CAPTION_LIMITS.hashtags})`);
  if (mentions > CAPTION_LIMITS.mentions)
    broken.push(`${mentions} mentions (max ${CAPTION_LIMITS.mentions})`);
  if (text.length > CAPTION_LIMITS.chars)
    broken.push(`${text.length} characters (max ${CAPTION_LIMITS.chars})`);
  if (broken.length === 0) return { caption: text, changes: [] };
  if (policy === "fail") throw new CaptionError(broken);

  let seen = 0;
  let out = text.replace(HASHTAG, (tag) => (++seen > CAPTION_LIMITS.hashtags ? "" : tag));
  seen = 0;
  out = out.replace(MENTION, (m) => (++seen > CAPTION_LIMITS.mentions ? m.slice(1) : m));
  out = out
    .replace(/[ \t]{2,}/g, " ")
    .replace(/[ \t]+$/gm, "")
    .trim();
  if (out.length > CAPTION_LIMITS.chars) out = cutAtWord(out, CAPTION_LIMITS.chars);
  return { caption: out, changes: broken };
}

/** At most `max` UTF-16 units (never splitting a surrogate pair), ending in "…". */
function cutAtWord(text: string, max: number): string {
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  // A word boundary only if it does not throw away much; one endless word is cut where it is.
  if (space > max - 200) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
