import { ACCESS } from "./access.ts";
import {
  ARCHITECTURE,
  FUNCTIONS,
  type FunctionKey,
  type FunctionSpec,
  nodejsOptions,
  RUNTIME,
} from "./functions.ts";
import { settings, tokenParameterName } from "./secrets.ts";

/** What every function reads from its environment besides its links: settings, never secrets. */
const environment = {
  ...settings.environment,
  // Where the token in force lives (a parameter name, not a secret).
  PHOTO_RELAY_INSTAGRAM_TOKEN_STORE: JSON.stringify({ type: "ssm", parameter: tokenParameterName }),
};

/** The function `infra/functions.ts` lists under `key`, with the rights `infra/access.ts` gives it. */
export function deployFunction(key: FunctionKey): sst.aws.Function {
  const spec: FunctionSpec = FUNCTIONS[key];
  const { links, rights } = ACCESS[key];
  return new sst.aws.Function(spec.name, {
    handler: spec.handler,
    runtime: RUNTIME,
    architecture: ARCHITECTURE,
    memory: `${spec.memoryMb} MB`,
    timeout: `${spec.timeoutSeconds} seconds`,
    ...(spec.ephemeralStorageMb && { storage: `${spec.ephemeralStorageMb} MB` as const }),
    nodejs: nodejsOptions(spec),
    link: links,
    permissions: rights,
    environment,
    transform: {
      role: (args) => {
        // SST's createRole tests `!dev` on an Output (always false), so every role would also trust
        // the whole account (meant for `sst dev`, which assumes it locally). A deploy trusts Lambda only.
        if (!$dev)
          args.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
  });
}

/**
 * Subscribes `fn` to a queue with partial batch responses, at most `maximumConcurrency`
 * invocations at once where the spec sets it (the event source's cap, not reserved concurrency,
 * which would throttle and send messages back to the queue).
 */
export function subscribe(queue: sst.aws.Queue, fn: sst.aws.Function, key: FunctionKey) {
  const spec: FunctionSpec = FUNCTIONS[key];
  if (!spec.queue) throw new Error(`${key} is not a queue consumer`);
  const { batchSize, maximumConcurrency } = spec.queue;
  return queue.subscribe(fn.arn, {
    batch: { size: batchSize, partialResponses: true },
    transform: {
      eventSourceMapping: (args) => {
        if (maximumConcurrency) args.scalingConfig = { maximumConcurrency };
      },
    },
  });
}
