/**
 * S3 ObjectCreated notifications for the emulator, which has none (docs/local-emulators.md:
 * `PUT ?notification` is accepted and ignored). The emulator records every stored object on its
 * message spy; we tap that record and deliver an event in AWS's own format to the queue, so the
 * convert handler reads exactly what it reads in AWS.
 *
 * The spy says *that* an object was stored, not *how*: the event name (Put, Post,
 * CompleteMultipartUpload, Copy) comes from the HTTP request, seen through Node's public
 * `http.server.request.start` diagnostics channel.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "@photo-relay/core";
import { type CreatedEventName, s3Event } from "@photo-relay/pipeline/jobs";
import type { FauxqsServer, S3SpyEvent, SpyMessage } from "fauxqs";

/** One of the bucket's notification rules, as `infra/storage.ts` configures them in AWS. */
export interface NotificationRule {
  bucket: string;
  prefix: string;
  /** S3's suffix filter (e.g. `.json`); absent, every key under `prefix`. */
  suffix?: string;
  queueUrl: string;
}

export interface NotificationDeps {
  server: FauxqsServer;
  s3: S3Client;
  sqs: SQSClient;
  region: string;
  logger: Logger;
}

/** Starts delivering notifications; returns a function that stops it and waits for deliveries in flight. */
export function deliverS3Notifications(
  deps: NotificationDeps,
  rules: NotificationRule[],
): () => Promise<void> {
  const requestKinds = new Map<string, CreatedEventName>();
  const pendingPosts = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let sequencer = Date.now() * 1000;
  // The emulator records a POST upload twice in the same tick (postObject.js and putObject both
  // do): one stored object is one notification.
  const recordedThisTick = new Set<string>();

  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort !== deps.server.port) return;
    const kind = classify(request);
    if (!kind) return;
    // The store records the object before the response ends; what a refused request left is dropped then.
    if (kind.name === "Post") {
      pendingPosts.set(kind.bucket, (pendingPosts.get(kind.bucket) ?? 0) + 1);
      response.once("close", () => {
        if (response.statusCode >= 300)
          pendingPosts.set(kind.bucket, Math.max(0, (pendingPosts.get(kind.bucket) ?? 1) - 1));
      });
    } else {
      const id = `${kind.bucket}/${kind.key}`;
      requestKinds.set(id, kind.name);
      response.once("close", () => requestKinds.delete(id));
    }
  };
  subscribe("http.server.request.start", onRequest);

  const spy = deps.server.spy as unknown as { addMessage(message: SpyMessage): void };
  const addMessage = spy.addMessage.bind(spy);
  spy.addMessage = (message) => {
    addMessage(message);
    if (message.service !== "s3" || message.status !== "uploaded") return;
    const rule = rules.find(
      (r) =>
        r.bucket === message.bucket &&
        message.key.startsWith(r.prefix) &&
        (r.suffix === undefined || message.key.endsWith(r.suffix)),
    );
    if (!rule) return;
    const id = `${message.bucket}/${message.key}`;
    if (recordedThisTick.has(id)) return;
    if (recordedThisTick.size === 0) setImmediate(() => recordedThisTick.clear());
    recordedThisTick.add(id);
    const delivery = deliver(deps, rule, message, eventName(message), (++sequencer).toString(16)).finally(
      () => inFlight.delete(delivery),
    );
    inFlight.add(delivery);
  };

  function eventName(message: S3SpyEvent): CreatedEventName | undefined {
    const id = `${message.bucket}/${message.key}`;
    const known = requestKinds.get(id);
    requestKinds.delete(id);
    if (known) return known;
    const posts = pendingPosts.get(message.bucket) ?? 0;
    if (posts > 0) {
      pendingPosts.set(message.bucket, posts - 1);
      return "Post";
    }
    return undefined;
  }

  return async () => {
    unsubscribe("http.server.request.start", onRequest);
    spy.addMessage = addMessage;
    await Promise.allSettled([...inFlight]);
  };
}

function classify(
  request: IncomingMessage,
): { name: CreatedEventName; bucket: string; key: string } | undefined {
  const url = new URL(request.url ?? "/", "http://local");
  const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
  const key = decodeURIComponent(rest.join("/"));
  if (request.method === "PUT" && key && !url.searchParams.has("partNumber")) {
    return { name: request.headers["x-amz-copy-source"] ? "Copy" : "Put", bucket, key };
  }
  if (request.method === "POST" && key && url.searchParams.has("uploadId")) {
    return { name: "CompleteMultipartUpload", bucket, key };
  }
  if (
    request.method === "POST" &&
    !key &&
    bucket &&
    request.headers["content-type"]?.startsWith("multipart/form-data")
  ) {
    return { name: "Post", bucket, key: "" };
  }
  return undefined;
}

async function deliver(
  deps: NotificationDeps,
  rule: NotificationRule,
  message: S3SpyEvent,
  name: CreatedEventName | undefined,
  sequencer: string,
): Promise<void> {
  try {
    const head = await deps.s3.send(new HeadObjectCommand({ Bucket: message.bucket, Key: message.key }));
    const eTag = (head.ETag ?? "").replaceAll('"', "");
    const event = s3Event({
      region: deps.region,
      bucket: message.bucket,
      key: message.key,
      size: head.ContentLength ?? 0,
      eTag,
      // Without a request to go by, a multipart ETag ("…-N") still tells a completed upload apart.
      eventName: name ?? (eTag.includes("-") ? "CompleteMultipartUpload" : "Put"),
      sequencer,
      time: new Date(message.timestamp),
    });
    await deps.sqs.send(
      new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: JSON.stringify(event) }),
    );
  } catch (error) {
    deps.logger.error("could not deliver an S3 notification", { error, key: message.key });
  }
}
