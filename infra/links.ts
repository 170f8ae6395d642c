import { convert, mirror, publish, reel } from "./queues.ts";
import { bucket } from "./storage.ts";
import { photos } from "./table.ts";

/**
 * What the functions read as `Resource.<Name>`: names and URLs only. Linking SST's own components
 * would also grant `s3:*`, `sqs:*` and `dynamodb:*` on them (their `getSSTLink()` includes those
 * permissions); these carry none, so each function's rights are only those in `infra/access.ts`.
 */
export const media = new sst.Linkable("Media", { properties: { name: bucket.name } });
export const table = new sst.Linkable("Photos", { properties: { name: photos.name } });
export const convertQueue = new sst.Linkable("ConvertQueue", { properties: { url: convert.queue.url } });
export const mirrorQueue = new sst.Linkable("MirrorQueue", { properties: { url: mirror.queue.url } });
export const publishQueue = new sst.Linkable("PublishQueue", { properties: { url: publish.queue.url } });
export const reelQueue = new sst.Linkable("ReelQueue", { properties: { url: reel.queue.url } });
export const convertDlq = new sst.Linkable("ConvertDlq", { properties: { url: convert.dlq.url } });
export const mirrorDlq = new sst.Linkable("MirrorDlq", { properties: { url: mirror.dlq.url } });
export const publishDlq = new sst.Linkable("PublishDlq", { properties: { url: publish.dlq.url } });
export const reelDlq = new sst.Linkable("ReelDlq", { properties: { url: reel.dlq.url } });
