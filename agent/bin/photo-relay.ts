#!/usr/bin/env node
import { runCli } from "../src/cli/main.ts";

// No top-level await: the single executable runs this file bundled as CommonJS (scripts/build-agent.ts).
void runCli();
