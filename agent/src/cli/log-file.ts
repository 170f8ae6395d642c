/**
 * JSON logs to a size-rotated file (`agent.log`, `agent.log.1` … `agent.log.N`). The Powertools
 * Logger prints through its own `console`; pointing that console at this stream keeps the terminal
 * free for the live view.
 */
import { Console } from "node:console";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import type { Logger } from "@photo-relay/core/edge";

export class RotatingFile extends Writable {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #files: number;
  #fd: number;
  #size: number;

  constructor(path: string, maxBytes: number, files: number) {
    super();
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#files = files;
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, "a");
    this.#size = statSync(path).size;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      if (this.#size + chunk.length > this.#maxBytes && this.#size > 0) this.#rotate();
      writeSync(this.#fd, chunk);
      this.#size += chunk.length;
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    closeSync(this.#fd);
    done();
  }

  #rotate(): void {
    closeSync(this.#fd);
    rmSync(`${this.#path}.${this.#files}`, { force: true });
    for (let n = this.#files - 1; n >= 1; n--) {
      try {
        renameSync(`${this.#path}.${n}`, `${this.#path}.${n + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.#path, `${this.#path}.1`);
    this.#fd = openSync(this.#path, "a");
    this.#size = 0;
  }
}

/** Sends a Powertools logger's output to `stream`. Relies on its `console` field (logger 2.x). */
export function redirectLogger(logger: Logger, stream: Writable): void {
  Reflect.set(logger, "console", new Console({ stdout: stream, stderr: stream }));
}
