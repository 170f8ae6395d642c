import { deployFunction, subscribe } from "./lambda.ts";
import { convert, mirror, publish, reel } from "./queues.ts";

/** The three stages and the reel stage a video's conversion goes on in, each consuming its queue. */
export const convertFunction = deployFunction("convert");
export const reelFunction = deployFunction("reel");
export const mirrorFunction = deployFunction("mirror");
export const publishFunction = deployFunction("publish");

subscribe(convert.queue, convertFunction, "convert");
subscribe(reel.queue, reelFunction, "reel");
subscribe(mirror.queue, mirrorFunction, "mirror");
subscribe(publish.queue, publishFunction, "publish");
