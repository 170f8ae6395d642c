/** Starts the soak's stack process (`stack-child.ts`) and talks to it; stops it by its own PID. */
import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { LocalStackOptions } from "@photo-relay/local-stack";
import { LOCAL_STACK_THREADS } from "../../packages/local-stack/src/threadpool.ts";
import type { StackReady, StackRequest } from "./stack-protocol.ts";

export interface StackProcess extends StackReady {
  pid: number;
  request(request: StackRequest): Promise<void>;
  stop(): Promise<void>;
  kill(): void;
}

/** `logFile` collects the process's stdout and stderr (the soak greps it for secrets). */
export async function startStackProcess(
  options: Omit<LocalStackOptions, "logger" | "env">,
  logFile: string,
): Promise<StackProcess> {
  const child: ChildProcess = fork(new URL("./stack-child.ts", import.meta.url), [JSON.stringify(options)], {
    env: { ...process.env, UV_THREADPOOL_SIZE: String(LOCAL_STACK_THREADS) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const ready = await new Promise<StackReady>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the stack process exited (${code}) before it was ready`)));
    child.on("message", (m: { ready?: StackReady }) => m.ready && resolve(m.ready));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const request = (r: StackRequest) =>
    new Promise<void>((resolve) => {
      const onReply = (m: { done?: string }) => {
        if (m.done !== r.cmd) return;
        child.off("message", onReply);
        resolve();
      };
      child.on("message", onReply);
      child.send(r);
    });
  return {
    ...ready,
    pid: child.pid as number,
    request,
    /** Asks the stack to stop and waits for its exit, however long (the soak bounds it: stop-all.ts). */
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ cmd: "stop" } satisfies StackRequest);
      await exited;
      log.end();
    },
    kill: () => child.kill("SIGKILL"),
  };
}
