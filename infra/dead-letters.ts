import { deployFunction, subscribe } from "./lambda.ts";
import { stageQueues } from "./queues.ts";

/** One subscriber on every dead-letter queue: it marks the photo's stage and sends the alert. */
export const deadLetterFunction = deployFunction("deadLetter");

for (const { dlq } of stageQueues) subscribe(dlq, deadLetterFunction, "deadLetter");
