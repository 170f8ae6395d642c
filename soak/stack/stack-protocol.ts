/** What the soak and its stack process say to each other over IPC. */
export interface StackReady {
  urls: { aws: string; dynamodb: string; api: string; web: string; graph: string };
  apiToken: string;
  bucket: string;
  awsPort: number;
  queues: { convert: string; mirror: string; publish: string };
  /** The file the stack keeps the refreshed Instagram token in. */
  tokenStore: string;
}

export type StackRequest = { cmd: "crash"; name: "convert" | "mirror" | "publish" } | { cmd: "stop" };
