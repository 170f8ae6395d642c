/**
 * Telling someone that a photo gave up: one SNS message (`alerts.topicArn`: on AWS the topic that
 * mails `PHOTO_RELAY_ALERT_EMAIL`) and/or one JSON POST to `alerts.webhookUrl` (Slack-compatible:
 * `text` is the line a chat shows). Both say the same, secret-free: which stage, which photo, the
 * reason on record, how to re-drive. Each is tried twice within a bounded time; a failure is
 * logged (never the webhook's URL, which carries a token) and never thrown: the photo is marked
 * already.
 */
import { PublishCommand } from "@aws-sdk/client-sns";
import { describeError, type Logger, PhotoRelayError, RetryableError, retry } from "@photo-relay/core";
import type { PhotoRecord } from "../photo/photo-record.ts";
import type { DeadLetter } from "./dead-letter.ts";
import type { DeadLetterRuntime } from "./dead-letter-runtime.ts";

export interface Alert {
  letter: DeadLetter;
  summary: string;
  /** The photo as marked, when there is one. */
  photo?: PhotoRecord;
}

/** The alert as both channels send it. */
export function alertBody(alert: Alert) {
  const { letter, photo } = alert;
  const lastError = letter.stage && photo?.stages[letter.stage].lastError;
  const name = photo?.originalName ? ` (${photo.originalName})` : "";
  const reason = lastError ? `: ${lastError.message}` : "";
  return {
    text: `photo-relay: ${alert.summary}${letter.photoId ? ` for photo ${letter.photoId}${name}` : ""}${reason}`,
    event: "dead_letter",
    stage: letter.stage ?? null,
    photoId: letter.photoId ?? null,
    originalName: photo?.originalName ?? null,
    error: lastError ? { code: lastError.code, message: lastError.message } : null,
    receives: letter.receives,
    messageId: letter.messageId,
    ...(photo && { retry: `POST /photos/${photo.id}/retry` }),
  };
}

export async function sendAlert(rt: DeadLetterRuntime, alert: Alert, log: Logger): Promise<void> {
  const body = alertBody(alert);
  const { topicArn, webhookUrl, webhookTimeoutSeconds } = rt.config.alerts;
  const sends: Array<[string, () => Promise<unknown>]> = [];
  if (rt.sns && topicArn)
    sends.push([
      "sns",
      () =>
        (rt.sns as NonNullable<typeof rt.sns>).send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: body.text.slice(0, 100),
            Message: `${body.text}\n\n${JSON.stringify(body, null, 2)}`,
          }),
        ),
    ]);
  if (webhookUrl) sends.push(["webhook", () => post(rt.fetch, webhookUrl, body, webhookTimeoutSeconds)]);
  const outcomes = await Promise.allSettled(
    sends.map(([, send]) => retry(send, { attempts: 2, baseMs: 500 })),
  );
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "rejected")
      log.error(`the dead-letter alert could not be sent by ${sends[i]?.[0]}`, {
        error: describeError(outcome.reason),
      });
  });
}

async function post(fetcher: typeof fetch, url: string, body: object, timeoutSeconds: number): Promise<void> {
  let res: Response;
  try {
    res = await fetcher(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
  } catch (error) {
    // Without the URL: undici's messages name the host, and the URL is a secret.
    throw new RetryableError("webhook_unreachable", `the webhook did not answer (${(error as Error).name})`);
  }
  await res.body?.cancel();
  if (!res.ok) {
    const problem = `the webhook answered ${res.status}`;
    throw res.status >= 500 || res.status === 429
      ? new RetryableError("webhook_failed", problem)
      : new PhotoRelayError("webhook_refused", problem);
  }
}
