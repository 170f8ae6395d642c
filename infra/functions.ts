/**
 * Every Lambda function of the app: the one list that `infra/` deploys and that
 * `npm run build:functions` bundles the way SST does. A plain module (no SST globals), so Node and
 * the build script can import it as well as `sst.config.ts`.
 */
import { DEAD_LETTER_SETTINGS, STAGE_SETTINGS } from "./stage-settings.ts";

export interface FunctionSpec {
  /** The SST component name; also the Lambda function's logical name. */
  name: string;
  /** `<file without extension>.<export>`, relative to the repository root (SST's convention). */
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Lambda's /tmp in MB, where it is more than the default 512 MB. */
  ephemeralStorageMb?: number;
  /**
   * Packages installed into the function's folder for the Lambda platform instead of bundled
   * (`nodejs.install`): native addons and packages that read files beside their own code.
   */
  install: readonly string[];
  /** For queue consumers: records per invocation and, where set, concurrent invocations at most. */
  queue?: { batchSize: number; maximumConcurrency?: number };
}

/** Lambda's Node.js 24 runtime; SST 4's default, stated so a change of default cannot move us. */
export const RUNTIME = "nodejs24.x";
/** x86_64: the prebuilt ssh2/sharp binaries SST installs are tried on it (arm64 untested). */
export const ARCHITECTURE = "x86_64";

const stage = (name: keyof typeof STAGE_SETTINGS) => ({
  memoryMb: STAGE_SETTINGS[name].memoryMb,
  timeoutSeconds: STAGE_SETTINGS[name].timeoutSeconds,
});

export const FUNCTIONS = {
  /** The HTTP API behind API Gateway, whose integrations stop at 30 s. */
  api: { name: "Api", handler: "functions/src/api.handler", memoryMb: 512, timeoutSeconds: 29, install: [] },
  convert: {
    name: "Convert",
    handler: "functions/src/convert.handler",
    ...stage("convert"),
    ephemeralStorageMb: STAGE_SETTINGS.convert.ephemeralStorageMb,
    // sharp is native; libheif-js and libraw-wasm load their WebAssembly from beside their own files.
    install: ["sharp", "heic-decode", "libheif-js", "libraw-wasm"],
    queue: { batchSize: STAGE_SETTINGS.convert.batchSize },
  },
  mirror: {
    name: "Mirror",
    handler: "functions/src/mirror.handler",
    ...stage("mirror"),
    // ssh2 carries native bindings (and cpu-features); esbuild cannot bundle `.node` files.
    install: ["ssh2"],
    // A web host takes few connections at once; 2 is the lowest maximum Lambda accepts.
    queue: { batchSize: STAGE_SETTINGS.mirror.batchSize, maximumConcurrency: 2 },
  },
  /** Videos made Reels: ffmpeg as a child process, the original and the Reel in /tmp. */
  reel: {
    name: "Reel",
    handler: "functions/src/reel.handler",
    ...stage("reel"),
    ephemeralStorageMb: STAGE_SETTINGS.reel.ephemeralStorageMb,
    // The ffmpeg binary is a file of `@ffmpeg-installer/<platform>-<arch>`, which npm picks for the
    // platform SST installs for; a bundle cannot carry it.
    install: ["@ffmpeg-installer/ffmpeg"],
    queue: { batchSize: STAGE_SETTINGS.reel.batchSize },
  },
  publish: {
    name: "Publish",
    handler: "functions/src/publish.handler",
    ...stage("publish"),
    install: [],
    // Instagram's per-account rate limits and publishing quota gain nothing from parallel calls.
    queue: { batchSize: STAGE_SETTINGS.publish.batchSize, maximumConcurrency: 2 },
  },
  tokenRefresh: {
    name: "InstagramTokenRefresh",
    handler: "functions/src/token-refresh.handler",
    memoryMb: 256,
    timeoutSeconds: 60,
    install: [],
  },
  /** Subscribed to every dead-letter queue: marks the photo's stage and sends the alert. */
  deadLetter: {
    name: "DeadLetters",
    handler: "functions/src/dead-letter.handler",
    memoryMb: DEAD_LETTER_SETTINGS.memoryMb,
    timeoutSeconds: DEAD_LETTER_SETTINGS.timeoutSeconds,
    install: [],
    queue: {
      batchSize: DEAD_LETTER_SETTINGS.batchSize,
      maximumConcurrency: DEAD_LETTER_SETTINGS.maximumConcurrency,
    },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof FUNCTIONS;

/** The options every function is built with, as SST passes them to its Node builder (`nodejs`). */
export function nodejsOptions(spec: FunctionSpec): { install: string[]; minify: boolean } {
  // SST documents `minify` as on by default, but its builder minifies only when it is `true`.
  return { install: [...spec.install], minify: true };
}
