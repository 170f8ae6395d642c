import { deployFunction, subscribe } from "./lambda.ts";
import { convert, mirror, publish } from "./queues.ts";

/** The three stages, each consuming its queue. */
export const convertFunction = deployFunction("convert");
export const mirrorFunction = deployFunction("mirror");
export const publishFunction = deployFunction("publish");

subscribe(convert.queue, convertFunction, "convert");
subscribe(mirror.queue, mirrorFunction, "mirror");
subscribe(publish.queue, publishFunction, "publish");
