/**
 * The whole cloud side on one machine, no AWS account: S3+SQS (fauxqs) and DynamoDB (dynalite)
 * with persistence, S3 notifications, the functions as SQS consumers with Lambda semantics, the
 * HTTP API, a local folder served over HTTP as the mirror target, the Instagram Graph API sandbox,
 * and the edge agent watching the inbox.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type Agent, type AgentOptions, startAgent } from "@photo-relay/agent";
import { type ConfigWith, createLogger, type Logger, type LoggerOptions } from "@photo-relay/core";
import { type GraphSandbox, type GraphSandboxOptions, startGraphSandbox } from "@photo-relay/graph-sandbox";
import type { RefreshOutcome } from "@photo-relay/instagram";
import { createDeadLetterRuntime } from "@photo-relay/pipeline/dead-letters";
import {
  closePublishRuntime,
  createPublishRuntime,
  type PublishRuntime,
} from "@photo-relay/pipeline/publish";
import { createRuntime, type Runtime } from "@photo-relay/pipeline/runtime";
import { CONVERT_NOTIFICATIONS } from "@photo-relay/pipeline/settings";
import { type FauxqsServer, type SpyMessage, startFauxqs } from "fauxqs";
import { startApiThread } from "./api-thread.ts";
import { startDynamoThread } from "./dynamodb-thread.ts";
import { type LocalNeed, localConfig } from "./local-config.ts";
import { bundledFunctions, type FunctionBundles, sourceFunctions } from "./local-functions.ts";
import { boundNativeHeap, startHeapTrim } from "./native-heap.ts";
import { startPipelineConsumers } from "./pipeline-consumers.ts";
import { queuesInUse, withLoopbackUrls } from "./queues-in-use.ts";
import { createPhotosTable, createQueuesAndBucket, LOCAL_REGION, type QueueOverrides } from "./resources.ts";
import { allowCors } from "./s3-cors.ts";
import { routeS3ToThread } from "./s3-front.ts";
import { startMultipartSweep } from "./s3-multipart-sweep.ts";
import { deliverS3Notifications } from "./s3-notifications.ts";
import { startS3Thread } from "./s3-thread.ts";
import { withRelaxedSqliteSync } from "./sqs-durability.ts";
import { lowerLibvipsWorkers } from "./thread-priority.ts";
import { startTokenRefresh } from "./token-refresh-job.ts";
import { startWebServer } from "./web-server.ts";

export interface LocalStackOptions {
  /** Everything the stack keeps across restarts lives under this folder. */
  dataDir: string;
  /** The agent's watched folder; `false` runs no agent. */
  inbox?: string | false;
  processedDir?: string;
  /** Fixed ports for `npm start`; 0 (the default) picks free ones, as tests want. */
  ports?: Partial<Record<"aws" | "dynamodb" | "api" | "web" | "graph", number>>;
  apiToken?: string;
  publishMode?: "auto" | "manual";
  queueOverrides?: QueueOverrides;
  /** Container processing time in the Graph API sandbox. */
  graphProcessingMs?: number;
  /** The sandbox's rolling publishing quota (default 50). */
  graphQuotaTotal?: number;
  /** The sandbox's rolling container limit (default 400 a day, as Meta's). */
  graphContainerLimit?: number;
  /** The hourly call budget the sandbox's usage headers report against (default 200). */
  graphCallsPerHour?: number;
  /** Extra tokens the sandbox accepts (e.g. one with a lifetime, to configure as `instagram.accessToken`). */
  graphTokens?: GraphSandboxOptions["tokens"];
  /** Configuration beyond the local defaults (faster redelivery in tests, a caption template, …); file and env still win. */
  settings?: Record<string, unknown>;
  /** Agent settings beyond the inbox, e.g. a shorter `stableMs` in tests. */
  agentOptions?: Partial<Omit<AgentOptions, "inbox" | "s3">>;
  logger?: Logger;
  /**
   * Run the functions from these bundles (`npm run build:functions`), each in a worker with the
   * environment and links Lambda would give it, instead of from their sources over the stack's
   * runtimes. The settings then reach them as they do on AWS: variables, `PHOTO_RELAY_SETTINGS`
   * and links — a test that changes `runtime.config` afterwards does not reach them.
   */
  bundles?: FunctionBundles;
  /**
   * Where `PHOTO_RELAY_*` settings and `PHOTO_RELAY_CONFIG` are read from (default `process.env`):
   * they replace the local defaults, e.g. a real FTPS mirror target or another Graph API.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Serve the API from a thread of its own (`api-thread.ts`), as `npm start` does, so that it waits
   * for nothing the emulators and stages do; its runtime is then its own, and a test that changes
   * `runtime.config` afterwards does not reach it. Ignored with `bundles` (the API's bundle has a worker).
   */
  apiThread?: boolean;
}

export interface LocalStack {
  urls: { aws: string; dynamodb: string; api: string; web: string; graph: string };
  /** Every resource the stack starts is named in it (unlike a Lambda function's config, which holds its own needs). */
  config: ConfigWith<LocalNeed>;
  /** The API token in force (the configuration's, else the stack's own). */
  apiToken: string;
  /** Where the stack keeps its own API token (`<data>/api-token`); absent when the configuration brings one. */
  apiTokenFile?: string;
  runtime: Runtime;
  /** The runtime of the publish function and the API: the runtime plus the Instagram account. */
  publishRuntime: PublishRuntime;
  fauxqs: FauxqsServer;
  sandbox: GraphSandbox;
  agent?: Agent;
  /**
   * Runs the token refresh job now (it also runs at start and every hour while a token store is
   * configured), on the sandbox's clock when the sandbox is the Graph API.
   */
  refreshToken(): Promise<RefreshOutcome>;
  /** With `bundles`: ends one function's container mid-batch, as a crashed runtime (see `LocalFunctions.crash`). */
  crashFunction?(name: keyof FunctionBundles): Promise<void>;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
/** The SNS topic the dead-letter alerts go to, and the queue subscribed to it. */
const ALERTS = "photo-relay-alerts";
const REGION = LOCAL_REGION;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const logger = options.logger ?? createLogger("local-stack");
  // Before any thread starts: their arenas and buffers are made under the bounds (native-heap.ts).
  logger.debug("native heap", { bounds: await boundNativeHeap(logger) });
  const ports = options.ports ?? {};
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => logger.error("stop failed", { error }));
  };

  try {
    // What the arenas free goes back to the OS while the stack runs (native-heap.ts).
    const stopTrim = await startHeapTrim(logger);
    stops.push(async () => stopTrim());
    const names = { bucket: "media", table: "photos", queuePrefix: "photo-relay-" };
    // S3 runs in a thread of its own (`s3-worker.ts`: objects under `s3/`, its integrity checks and
    // listings); this thread's fauxqs keeps SQS and SNS in `dataDir` (SQLite) and the one port.
    const fauxqs = await withRelaxedSqliteSync(() =>
      startFauxqs({
        port: ports.aws ?? 0,
        logger: false,
        messageSpies: { bufferSize: 1000 },
        dataDir: join(dataDir, "fauxqs"),
      }),
    );
    stops.push(() => fauxqs.stop());
    const spy = fauxqs.spy as unknown as { addMessage(message: SpyMessage): void };
    const s3Thread = await startS3Thread(
      { storageDir: join(dataDir, "s3"), bucket: names.bucket, region: REGION, logLevel: levelOf(logger) },
      (stored) => spy.addMessage(stored),
    );
    stops.push(() => s3Thread.stop());
    const stopFront = routeS3ToThread(fauxqs.port, s3Thread);
    stops.push(async () => stopFront());
    const stopCors = allowCors(fauxqs.port);
    stops.push(async () => stopCors());
    const awsUrl = `http://${HOST}:${fauxqs.port}`;
    const queues = withLoopbackUrls(createQueuesAndBucket(fauxqs, names, options.queueOverrides), awsUrl);
    // Dead-letter alerts land on a queue of their own, as an e-mail subscription would receive them.
    const alerts = fauxqs.createTopic(ALERTS);
    fauxqs.createQueue(ALERTS);
    fauxqs.subscribe({ topic: ALERTS, queue: ALERTS });

    const dynamo = await startDynamoThread(logger, join(dataDir, "dynamodb"), HOST, ports.dynamodb ?? 0);
    stops.push(() => dynamo.stop());
    const ddb = new DynamoDBClient({ region: REGION, endpoint: dynamo.url, credentials: LOCAL_CREDENTIALS });
    await createPhotosTable(ddb, names.table);
    ddb.destroy();

    const sandbox = await startGraphSandbox({
      port: ports.graph ?? 0,
      host: HOST,
      ...(options.graphProcessingMs !== undefined && { processingMs: options.graphProcessingMs }),
      ...(options.graphQuotaTotal !== undefined && { quotaTotal: options.graphQuotaTotal }),
      ...(options.graphContainerLimit !== undefined && { containerLimit: options.graphContainerLimit }),
      ...(options.graphCallsPerHour !== undefined && { callsPerHour: options.graphCallsPerHour }),
      ...(options.graphTokens && { tokens: options.graphTokens }),
      mediaDir: join(dataDir, "graph-sandbox-media"),
    });
    stops.push(() => sandbox.stop());

    const webRoot = join(dataDir, "www");
    mkdirSync(webRoot, { recursive: true });
    const web = await startWebServer(webRoot, HOST, ports.web ?? 0);
    stops.push(() => web.stop());

    const env = options.env ?? process.env;
    const { config, apiTokenFile } = localConfig(
      {
        dataDir,
        region: REGION,
        awsUrl,
        bucket: names.bucket,
        queues,
        dynamoUrl: dynamo.url,
        table: names.table,
        web: { root: webRoot, url: web.url },
        sandbox,
        alertsTopicArn: alerts.topicArn,
      },
      { env, apiToken: options.apiToken, publishMode: options.publishMode, settings: options.settings },
    );
    const clientOptions = {
      logger: logger.createChild({ serviceName: "pipeline" }),
      // The emulators accept any credentials; AWS credentials of the caller's own are left to the SDK.
      ...(!env.AWS_ACCESS_KEY_ID && { credentials: LOCAL_CREDENTIALS }),
    };
    const runtime = createRuntime(config, clientOptions);
    const publishRuntime = createPublishRuntime(runtime);
    stops.push(async () => closePublishRuntime(publishRuntime));
    const deadLetterRuntime = createDeadLetterRuntime(config, clientOptions);
    stops.push(async () => deadLetterRuntime.close());
    // Token lifetimes run on the sandbox's clock, which tests move forward.
    const onSandbox = config.instagram.graphBaseUrl === sandbox.url;
    const tokenClock = () => (onSandbox ? new Date(sandbox.clock.now()) : new Date());
    const tokenRefresh = startTokenRefresh(publishRuntime, tokenClock, logger);
    stops.push(async () => tokenRefresh.stop());

    const stopNotifications = deliverS3Notifications(
      { server: fauxqs, s3: runtime.clients.s3, sqs: runtime.clients.sqs, region: REGION, logger },
      CONVERT_NOTIFICATIONS.map((rule) => ({
        ...rule,
        bucket: names.bucket,
        queueUrl: config.sqs.convertQueueUrl,
      })),
    );
    stops.push(stopNotifications);
    const stopSweep = startMultipartSweep(runtime.clients.s3, names.bucket, logger);
    stops.push(async () => stopSweep());

    const functions = options.bundles
      ? bundledFunctions(config, options.bundles, logger.getLevelName())
      : sourceFunctions({ runtime, publishRuntime, deadLetterRuntime });
    stops.push(() => functions.stop());
    const consumers = startPipelineConsumers({
      // The queues in use are the configuration's: the local ones unless it names others.
      queues: queuesInUse(config, queues),
      handlers: functions.consumers,
      sqs: runtime.clients.sqs,
      region: REGION,
      logger,
      ...(options.queueOverrides && { overrides: options.queueOverrides }),
    });
    stops.push(async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    });

    const api =
      options.apiThread && !options.bundles
        ? await startApiThread(
            {
              config,
              host: HOST,
              port: ports.api ?? 0,
              logLevel: logger.getLevelName() as LoggerOptions["level"],
              ...(!env.AWS_ACCESS_KEY_ID && { credentials: LOCAL_CREDENTIALS }),
            },
            logger,
          )
        : await functions.serveApi(HOST, ports.api ?? 0);
    stops.push(api.stop);
    // sharp's conversions run below the API's and DynamoDB's threads (thread-priority.ts).
    const stopLoweringLibvips = lowerLibvipsWorkers();
    stops.push(async () => stopLoweringLibvips());

    let agent: Agent | undefined;
    if (options.inbox !== false) {
      const inbox = resolve(options.inbox ?? "inbox");
      mkdirSync(inbox, { recursive: true });
      agent = startAgent({
        inbox: [inbox],
        processedDir: resolve(options.processedDir ?? join(inbox, "..", "processed")),
        spoolDir: join(dataDir, "spool"),
        s3: { client: runtime.clients.s3, bucket: names.bucket },
        logger: logger.createChild({ serviceName: "agent" }),
        ...options.agentOptions,
      });
      stops.push(() => (agent as Agent).stop());
      await agent.ready;
    }

    return {
      urls: { aws: awsUrl, dynamodb: dynamo.url, api: api.url, web: web.url, graph: sandbox.url },
      config,
      apiToken: config.api.token,
      ...(apiTokenFile && { apiTokenFile }),
      runtime,
      publishRuntime,
      fauxqs,
      sandbox,
      ...(agent && { agent }),
      refreshToken: tokenRefresh.refresh,
      ...(functions.crash && { crashFunction: functions.crash }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The emulators accept any credentials; the SDK just needs some to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const levelOf = (logger: Logger) => logger.getLevelName() as NonNullable<LoggerOptions["level"]>;
