#!/usr/bin/env node
import { countBuffersInHeapLimit } from "@photo-relay/core/v8-gc";
/** `npm start`: the whole pipeline on this machine. Ctrl-C stops it cleanly; data stays in `.data/`. */
import { sizeThreadPool } from "../threadpool.ts";

sizeThreadPool(); // before the stack is imported: see threadpool.ts
countBuffersInHeapLimit(); // see packages/core/src/v8-gc.ts
const { startMain } = await import("../main.ts");
await startMain(process.argv.slice(2));
