/** The SQS message bodies between stages, validated when they are read (the boundary). */
import { isPhotoId, ValidationError } from "@photo-relay/core";
import type { S3Event } from "aws-lambda";
import { z } from "zod";

const photoId = z.string().refine(isPhotoId, "must be a SHA-256 hex photo id");

export const mirrorJob = z.object({ photoId });
export type MirrorJob = z.infer<typeof mirrorJob>;

export const publishStep = z.enum(["create", "check", "publish", "permalink"]);
export type PublishStepName = z.infer<typeof publishStep>;

export const publishJob = z.object({
  photoId,
  step: publishStep,
  /** How many status checks came before this one (drives the growing delay). */
  checks: z.number().int().min(0).default(0),
});
export type PublishJob = z.infer<typeof publishJob>;

export function parseBody<T>(schema: z.ZodType<T>, body: string, queue: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ValidationError("bad_message", `${queue} message is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success)
    throw new ValidationError("bad_message", `${queue} message: ${z.prettifyError(result.error)}`);
  return result.data;
}

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  eventName: string;
}

/**
 * The objects an S3 notification announces. S3 URL-encodes keys (spaces as `+`); the test event S3
 * sends when notifications are configured carries no records and yields none.
 */
export function objectsCreated(body: string): CreatedObject[] {
  const event = JSON.parse(body) as Partial<S3Event> & { Event?: string };
  if (event.Event === "s3:TestEvent" || !Array.isArray(event.Records)) return [];
  return event.Records.filter((r) => r.eventName?.startsWith("ObjectCreated:")).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")),
    size: r.s3.object.size,
    eventName: r.eventName,
  }));
}
