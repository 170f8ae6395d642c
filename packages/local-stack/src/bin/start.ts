#!/usr/bin/env node
/** `npm start`: the whole pipeline on this machine. Ctrl-C stops it cleanly; data stays in `.data/`. */
import { sizeThreadPool } from "../threadpool.ts";
import { countBuffersInHeapLimit } from "../v8-gc.ts";

sizeThreadPool(); // before the stack is imported: see threadpool.ts
countBuffersInHeapLimit(); // see v8-gc.ts
const { startMain } = await import("../main.ts");
await startMain(process.argv.slice(2));
