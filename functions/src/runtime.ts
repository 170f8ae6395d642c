/**
 * The runtime of a deployed function: configuration from SST's linked resources (`Resource.X`)
 * plus environment settings, built once per Lambda container and reused across invocations.
 */
import { loadConfig, resolveSecretRefs } from "@photo-relay/core";
import { createRuntime, type Runtime } from "@photo-relay/pipeline/runtime";
import { Resource } from "sst";

let runtime: Runtime | undefined;

export function lambdaRuntime(): Runtime {
  runtime ??= createRuntime(resolveSecretRefs(loadConfig({ overrides: linkedResources() }), linkedSecret));
  return runtime;
}

/** `make` over the runtime, built once per container: a stage's own runtime (publish's Instagram account). */
export function once<T>(make: (rt: Runtime) => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make(lambdaRuntime());
    return made;
  };
}

/** The values SST links into the function; names match `infra/`. */
function linkedResources() {
  return {
    s3: { bucket: Resource.Media.name },
    sqs: {
      convertQueueUrl: Resource.ConvertQueue.url,
      mirrorQueueUrl: Resource.MirrorQueue.url,
      publishQueueUrl: Resource.PublishQueue.url,
      // Linked to the API only (it shows their depths).
      convertDlqUrl: linked("ConvertDlq")?.url,
      mirrorDlqUrl: linked("MirrorDlq")?.url,
      publishDlqUrl: linked("PublishDlq")?.url,
    },
    dynamodb: { table: Resource.Photos.name },
    api: { token: Resource.ApiToken.value },
    instagram: { accessToken: Resource.InstagramToken.value },
  };
}

/** A resource linked to this function, or `undefined` (`Resource.X` throws for an unlinked name). */
function linked(name: string): Record<string, string> | undefined {
  return name in Resource ? (Resource as unknown as Record<string, Record<string, string>>)[name] : undefined;
}

/** The mirror credentials a target names (`"passwordSecret": "MirrorFtpPassword"`): SST secrets linked to mirror. */
const linkedSecret = (name: string): string | undefined => linked(name)?.value;
