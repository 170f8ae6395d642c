/**
 * Where a photo's time goes on the local stack, seen from outside the code under test: the S3 and
 * SQS clients every part shares (agent, notifications, consumers, stages) carry a middleware that
 * notes each request about a photo; the web folder is watched and each new web rendition fetched
 * over its public URL; the Graph API sandbox's own records give container and post times; the
 * photo record's journey gives each stage's transitions. Nothing here changes what is measured.
 */
import { type FSWatcher, watch } from "node:fs";
import type { LocalStack } from "@photo-relay/local-stack";
import { epochMs } from "./d800-photo.ts";

/** One noted moment about a photo (epoch ms). */
export interface Mark {
  what: string;
  at: number;
}

const ID = /[0-9a-f]{64}/;

export class Marks {
  readonly #byPhoto = new Map<string, Mark[]>();
  readonly #waiters: Array<{ id: string; what: string; resolve: (at: number) => void }> = [];

  add(id: string, what: string, at = epochMs()): void {
    const marks = this.#byPhoto.get(id) ?? [];
    marks.push({ what, at });
    this.#byPhoto.set(id, marks);
    for (const w of this.#waiters.filter((w) => w.id === id && w.what === what)) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve(at);
    }
  }

  /** The first time `what` happened to the photo. */
  first(id: string, what: string): number | undefined {
    return this.#byPhoto.get(id)?.find((m) => m.what === what)?.at;
  }

  /** The last time `what` happened to the photo. */
  last(id: string, what: string): number | undefined {
    return this.#byPhoto.get(id)?.findLast((m) => m.what === what)?.at;
  }

  all(id: string): Mark[] {
    return [...(this.#byPhoto.get(id) ?? [])].sort((a, b) => a.at - b.at);
  }

  /** Resolves with the time of `what` for the photo, at once if it happened already. */
  when(id: string, what: string): Promise<number> {
    const at = this.first(id, what);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.#waiters.push({ id, what, resolve }));
  }
}

export interface Taps {
  marks: Marks;
  /** Adds the photo record's journey (`journey convert:done`, …) to its marks. */
  readJourney(id: string): Promise<void>;
  stop(): void;
}

/** The part of an AWS SDK v3 initialize middleware this file uses (added with a cast: one tap serves both clients). */
type Middleware = (
  next: (args: { input: object }) => Promise<{ output: object }>,
  context: { commandName?: string },
) => (args: { input: object }) => Promise<{ output: object }>;

export function tapStack(stack: LocalStack): Taps {
  const marks = new Marks();
  const { s3, sqs } = stack.runtime.clients;
  s3.middlewareStack.add(s3Tap(marks) as never, { step: "initialize", name: "latencyBenchTap" });
  sqs.middlewareStack.add(sqsTap(marks) as never, { step: "initialize", name: "latencyBenchTap" });
  const stopWeb = watchWebFolder(stack, marks);
  const stopGraph = watchSandbox(stack, marks);
  return {
    marks,
    async readJourney(id) {
      const photo = await stack.runtime.photos.get(id);
      for (const e of photo?.journey ?? []) marks.add(id, `journey ${e.stage}:${e.status}`, Date.parse(e.at));
    },
    stop() {
      s3.middlewareStack.remove("latencyBenchTap");
      sqs.middlewareStack.remove("latencyBenchTap");
      stopWeb();
      stopGraph();
    },
  };
}

/** `s3 <Command> sent|answered` for every request whose key names a photo. */
function s3Tap(marks: Marks): Middleware {
  return (next, context) => async (args) => {
    const key = (args.input as { Key?: string }).Key ?? "";
    const id = ID.exec(key)?.[0];
    const what = `s3 ${key.startsWith("originals/") ? "" : "rendition "}${String(context.commandName).replace(/Command$/, "")}`;
    if (id) marks.add(id, `${what} sent`);
    const out = await next(args);
    if (id) marks.add(id, `${what} answered`);
    return out;
  };
}

/** `sqs <queue>[:step] sent` (with its delay) and `… received`, from message bodies that name a photo. */
function sqsTap(marks: Marks): Middleware {
  const name = (url: string) => url.slice(url.lastIndexOf("/") + 1).replace(/^photo-relay-/, "");
  const label = (url: string, body: string) => {
    const step = /"step":"(\w+)"/.exec(body)?.[1];
    return `${name(url)}${step ? `:${step}` : ""}`;
  };
  return (next, context) => async (args) => {
    const input = args.input as { QueueUrl?: string; MessageBody?: string; DelaySeconds?: number };
    const url = input.QueueUrl ?? "";
    if (context.commandName === "SendMessageCommand" && input.MessageBody) {
      const id = ID.exec(input.MessageBody)?.[0];
      if (id) marks.add(id, `sqs ${label(url, input.MessageBody)} sent+${input.DelaySeconds ?? 0}s`);
    }
    const out = await next(args);
    if (context.commandName === "ReceiveMessageCommand") {
      const messages = (out.output as { Messages?: Array<{ Body?: string }> }).Messages ?? [];
      for (const m of messages) {
        const id = ID.exec(m.Body ?? "")?.[0];
        if (id) marks.add(id, `sqs ${label(url, m.Body ?? "")} received`);
      }
    }
    return out;
  };
}

/** `web file` when a web rendition lands in the web folder, `mirrored` once its public URL serves it whole. */
function watchWebFolder(stack: LocalStack, marks: Marks): () => void {
  const target = stack.config.mirror.targets[0]?.transports[0] as
    | { type?: string; root?: unknown }
    | undefined;
  if (target?.type !== "local" || typeof target.root !== "string")
    throw new Error("the latency bench expects the local stack's web folder as the mirror target");
  const seen = new Set<string>();
  const watcher: FSWatcher = watch(target.root, { recursive: true }, (_event, file: string | null) => {
    const match = /([0-9a-f]{64})-web\.jpg$/.exec(file ?? "");
    if (!match?.[1] || seen.has(match[1])) return;
    const id = match[1];
    seen.add(id);
    marks.add(id, "web file");
    void (async () => {
      const res = await fetch(`${stack.urls.web}/${file}`);
      const body = await res.arrayBuffer();
      if (res.ok && body.byteLength > 0) marks.add(id, "mirrored");
      else seen.delete(id);
    })();
  });
  return () => watcher.close();
}

/** `container created`, `container ready` and `published` from the sandbox's own records. */
function watchSandbox(stack: LocalStack, marks: Marks): () => void {
  const { state } = stack.sandbox;
  const known = new Set<string>();
  const timer = setInterval(() => {
    for (const media of state.media.values()) {
      if (known.has(media.id)) continue;
      const container = state.containers.get(media.containerId);
      const id = ID.exec(container?.imageUrl ?? "")?.[0];
      if (!container || !id) continue;
      known.add(media.id);
      marks.add(id, "container created", container.createdAt);
      if (container.readyAt !== null) marks.add(id, "container ready", container.readyAt);
      marks.add(id, "published", media.timestamp);
    }
  }, 5);
  return () => clearInterval(timer);
}
