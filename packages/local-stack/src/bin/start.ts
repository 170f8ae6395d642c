#!/usr/bin/env node
/** `npm start`: the whole pipeline on this machine. Ctrl-C stops it cleanly; data stays in `.data/`. */
import { startMain } from "../main.ts";

await startMain(process.argv.slice(2));
