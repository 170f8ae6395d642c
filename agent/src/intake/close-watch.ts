/**
 * Linux: the writer's close (inotify IN_CLOSE_WRITE), files being written (IN_CREATE, IN_MODIFY)
 * and renames into an inbox (IN_MOVED_TO), through the kernel's inotify calls made with koffi
 * (an FFI with prebuilt binaries in its npm package). No maintained npm inotify binding reports
 * IN_CLOSE_WRITE and builds on Node 24; agent/README.md ("Readiness") says which were tried.
 * Elsewhere, or when inotify cannot start, {@link startCloseWatch} returns undefined and the
 * agent relies on chokidar, the format checks and its reconciliation scans.
 */
import { closeSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { loadKoffi } from "./koffi.ts";

const IN_MODIFY = 0x2;
const IN_CLOSE_WRITE = 0x8;
const IN_MOVED_TO = 0x80;
const IN_CREATE = 0x100;
const IN_Q_OVERFLOW = 0x4000;
const IN_IGNORED = 0x8000;
const IN_ONLYDIR = 0x1000000;
const IN_ISDIR = 0x40000000;
const IN_CLOEXEC = 0o2000000;
const IN_NONBLOCK = 0o4000;
const EFD_CLOEXEC = IN_CLOEXEC;
const EFD_NONBLOCK = IN_NONBLOCK;
const POLLIN = 0x1;
const POLLFD_BYTES = 8;
/** What an eventfd is written: a 64-bit count. */
const ONE = new BigUint64Array([1n]);
const MASK = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR;

export interface CloseWatchEvents {
  /** Bytes are being written (a new file, or a write to an existing one). */
  writing(path: string): void;
  /** The writer closed the file, or it was renamed into a watched folder whole. */
  closed(path: string): void;
  /** A new folder appeared (it is watched from now on). */
  folder(path: string): void;
  /** The kernel dropped events: everything must be looked at again. */
  overflow(): void;
}

export interface CloseWatch {
  /** Watches one more folder (not recursively; call it for each subfolder). Idempotent. */
  add(dir: string): void;
  /** Stops watching; later `add` calls do nothing (a scan may outlive the agent's stop). */
  close(): Promise<void>;
}

interface Inotify {
  init1(flags: number): number;
  addWatch(fd: number, path: string, mask: number): number;
  rmWatch(fd: number, wd: number): number;
  eventfd(initval: number, flags: number): number;
  /** `poll(2)` on libuv's thread pool; the callback gets poll's result. */
  poll: { async(fds: Buffer, count: number, timeoutMs: number, done: (error: unknown) => void): void };
}

/**
 * One inotify instance per process, shared by every agent in it: its wait holds one of libuv's
 * four pool threads, so several agents (tests, the local stack) must not each hold one.
 */
interface Shared {
  inotify: Inotify;
  /** -1 once closed (a failed descriptor ends the watch; the scans go on). */
  fd: number;
  /** Watch descriptor → folder and the watches interested in it. */
  folders: Map<number, { dir: string; watchers: Set<CloseWatchEvents> }>;
  watchers: number;
  /** Ends the wait at once; resolves when the descriptors are closed. */
  stop: () => Promise<void>;
}

let shared: Promise<Shared | undefined> | undefined;

/** Starts watching `dirs`; undefined where inotify is not available. */
export async function startCloseWatch(
  dirs: string[],
  events: CloseWatchEvents,
): Promise<CloseWatch | undefined> {
  shared ??= open();
  const s = await shared;
  if (!s) {
    shared = undefined;
    return undefined;
  }
  s.watchers++;
  const mine = new Set<number>();
  let closed = false;
  const add = (dir: string) => {
    // A scan that outlived the agent's stop must not watch again (the instance may be gone).
    if (closed) return;
    const wd = s.inotify.addWatch(s.fd, dir, MASK);
    if (wd < 0) return; // no permission, or the watch limit: the scans still see this folder
    mine.add(wd);
    const folder = s.folders.get(wd) ?? { dir, watchers: new Set() };
    folder.watchers.add(events);
    s.folders.set(wd, folder);
  };
  for (const dir of dirs) add(dir);
  return {
    add,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const wd of mine) {
        const folder = s.folders.get(wd);
        folder?.watchers.delete(events);
        if (folder && !folder.watchers.size) s.inotify.rmWatch(s.fd, wd);
      }
      if (--s.watchers > 0) return;
      shared = undefined;
      await s.stop();
    },
  };
}

/**
 * The inotify descriptor is non-blocking and waited on with `poll(2)` together with an eventfd.
 * A blocking `read(2)` on the pool thread could only be ended by an event, and a process that
 * exits (even by `process.exit` or an uncaught error, skipping `close()`) joins libuv's pool
 * threads: one stuck in that read kept the agent alive after SIGTERM for good (issue 14). Writing
 * to the eventfd (at stop, and in the process's `exit` handler) ends the poll at once.
 */
async function open(): Promise<Shared | undefined> {
  const inotify = process.platform === "linux" ? await loadInotify() : undefined;
  const fd = inotify?.init1(IN_NONBLOCK | IN_CLOEXEC) ?? -1;
  if (!inotify || fd < 0) return undefined;
  const wake = inotify.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    closeSync(fd);
    return undefined;
  }
  const fds = Buffer.alloc(2 * POLLFD_BYTES); // struct pollfd { int fd; short events, revents; }[2]
  for (const [i, each] of [fd, wake].entries()) {
    fds.writeInt32LE(each, i * POLLFD_BYTES);
    fds.writeInt16LE(POLLIN, i * POLLFD_BYTES + 4);
  }
  const buffer = Buffer.alloc(64 * 1024);
  let stopping = false;
  const wakeUp = () => writeSync(wake, ONE);
  let ended: () => void = () => undefined;
  const end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const finish = () => {
    // Closed descriptors' numbers are soon reused: nothing may touch them any more.
    stopping = true;
    s.fd = -1;
    process.off("exit", wakeUp);
    closeSync(fd);
    closeSync(wake);
    ended();
  };
  const s: Shared = {
    inotify,
    fd,
    folders: new Map(),
    watchers: 0,
    stop: () => {
      if (!stopping) {
        stopping = true;
        wakeUp();
      }
      return end;
    },
  };
  // Poll's result needs no look: the flag says a stop, and draining the inotify descriptor until
  // EAGAIN covers events (and a poll ended by a signal, EINTR).
  const wait = () =>
    inotify.poll.async(fds, 2, -1, () => {
      if (stopping || !drain(fd, buffer, s)) return finish();
      wait();
    });
  process.on("exit", wakeUp);
  wait();
  return s;
}

/** Reads and dispatches every pending event; false when the descriptor failed (the scans go on). */
function drain(fd: number, buffer: Buffer, s: Shared): boolean {
  for (;;) {
    let bytes: number;
    try {
      bytes = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EAGAIN";
    }
    dispatch(buffer.subarray(0, bytes), s);
  }
}

function dispatch(bytes: Buffer, s: Shared): void {
  for (let at = 0; at + 16 <= bytes.length; ) {
    const wd = bytes.readInt32LE(at);
    const mask = bytes.readUInt32LE(at + 4);
    const length = bytes.readUInt32LE(at + 12);
    const name = bytes.toString("utf8", at + 16, at + 16 + length).replace(/\0+$/, "");
    at += 16 + length;
    const folder = s.folders.get(wd);
    if (mask & IN_IGNORED) s.folders.delete(wd);
    for (const events of folder?.watchers ?? (mask & IN_Q_OVERFLOW ? allWatchers(s) : [])) {
      if (mask & IN_Q_OVERFLOW) events.overflow();
      if (!folder || !name) continue;
      const path = join(folder.dir, name);
      if (mask & IN_ISDIR) {
        if (mask & (IN_CREATE | IN_MOVED_TO)) events.folder(path);
      } else if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) events.closed(path);
      else if (mask & (IN_CREATE | IN_MODIFY)) events.writing(path);
    }
  }
}

const allWatchers = (s: Shared) => new Set([...s.folders.values()].flatMap((f) => [...f.watchers]));
async function loadInotify(): Promise<Inotify | undefined> {
  const loaded = await loadKoffi();
  if ("error" in loaded) return undefined;
  try {
    const libc = loaded.koffi.load("libc.so.6");
    return {
      init1: libc.func("int inotify_init1(int flags)") as Inotify["init1"],
      addWatch: libc.func(
        "int inotify_add_watch(int fd, const char *path, uint32_t mask)",
      ) as Inotify["addWatch"],
      rmWatch: libc.func("int inotify_rm_watch(int fd, int wd)") as Inotify["rmWatch"],
      eventfd: libc.func("int eventfd(unsigned int initval, int flags)") as Inotify["eventfd"],
      poll: libc.func("int poll(void *fds, unsigned long nfds, int timeout)") as unknown as Inotify["poll"],
    };
  } catch {
    return undefined; // no glibc (musl): chokidar and the scans serve
  }
}

/**
 * Which signal tells this process that a writer is done with a file, in words for `doctor`. Not
 * `ok` only where the writer's close could be seen but is not (Linux without koffi or glibc);
 * elsewhere chokidar and the scans are the design, not a fault.
 */
export async function closeWatchSupport(): Promise<{ ok: boolean; detail: string }> {
  if (process.platform !== "linux")
    return { ok: true, detail: `chokidar and scans (${process.platform} has no close-write event)` };
  const loaded = await loadKoffi();
  if ("error" in loaded) return { ok: false, detail: `chokidar and scans (koffi: ${loaded.error})` };
  const inotify = await loadInotify();
  if (!inotify) return { ok: false, detail: "chokidar and scans (no inotify in this libc)" };
  return { ok: true, detail: `inotify close-write through ${loaded.from}` };
}
