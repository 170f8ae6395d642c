#!/usr/bin/env node
/** `npm start`: the whole pipeline on this machine. Ctrl-C stops it cleanly; data stays in `.data/`. */
import { sizeThreadPool } from "../threadpool.ts";

sizeThreadPool(); // before the stack is imported: see threadpool.ts
const { startMain } = await import("../main.ts");
await startMain(process.argv.slice(2));
