/**
 * The soak's shutdown is bounded: a child that ignores SIGTERM is SIGKILLed after the grace time
 * and reported as a broken promise, and the run goes on (issue 14).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { stopAll } from "../stop-all.ts";

/** A Node child that prints "up" once its SIGTERM handling is in place. */
async function child(onSigterm: string): Promise<ChildProcess> {
  const source = `process.on("SIGTERM", () => { ${onSigterm} }); setInterval(() => {}, 1000); console.log("up");`;
  const started = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise((resolve) => started.stdout?.once("data", resolve));
  return started;
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => c.once("exit", () => resolve()));

function part(name: string, c: ChildProcess) {
  return {
    name,
    stop: async () => {
      c.kill("SIGTERM");
      await exited(c);
    },
    kill: () => c.kill("SIGKILL"),
  };
}

describe("soak: stopping what it started", () => {
  it("SIGKILLs a child that ignores SIGTERM after the grace time, reports it, and stops the rest", async () => {
    const polite = await child("process.exit(0)");
    const stubborn = await child("/* ignored */");
    const after = await child("process.exit(0)");
    const verdict = await stopAll(
      [part("polite", polite), part("stubborn", stubborn), part("after", after)],
      500,
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(["stubborn: did not stop within 0.5 s; killed"]);
    expect(stubborn.signalCode).toBe("SIGKILL");
    expect(polite.exitCode).toBe(0);
    expect(after.exitCode).toBe(0);
  });

  it("passes when everything stops, and reports a stop that failed", async () => {
    const polite = await child("process.exit(0)");
    expect((await stopAll([part("polite", polite)], 5000)).ok).toBe(true);
    const failing = { name: "proxy", stop: () => Promise.reject(new Error("EBUSY")) };
    expect((await stopAll([failing], 5000)).problems).toEqual(["proxy: failed to stop: Error: EBUSY"]);
  });
});
