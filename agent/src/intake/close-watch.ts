/**
 * Linux: the writer's close (inotify IN_CLOSE_WRITE), files being written (IN_CREATE, IN_MODIFY)
 * and renames into an inbox (IN_MOVED_TO), through the kernel's inotify calls made with koffi
 * (an FFI with prebuilt binaries in its npm package). No maintained npm inotify binding reports
 * IN_CLOSE_WRITE and builds on Node 24; agent/README.md ("Readiness") says which were tried.
 * Elsewhere, or when inotify cannot start, {@link startCloseWatch} returns undefined and the
 * agent relies on chokidar, the format checks and its reconciliation scans.
 */
import { closeSync, read } from "node:fs";
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
}

/**
 * One inotify instance per process, shared by every agent in it: its blocking read holds one of
 * libuv's four pool threads, so several agents (tests, the local stack) must not each hold one.
 */
interface Shared {
  inotify: Inotify;
  fd: number;
  /** Watch descriptor → folder and the watches interested in it. */
  folders: Map<number, { dir: string; watchers: Set<CloseWatchEvents> }>;
  watchers: number;
  /** Starts the read loop (with the first watch: without one, a read would block for good). */
  start: () => void;
  /** Ends the read loop; false when it never ran (then the descriptor is simply closed). */
  stop: () => boolean;
  closed?: () => void;
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
    // A watch added after close() would keep the shared read (and so close itself) waiting for good.
    if (closed) return;
    const wd = s.inotify.addWatch(s.fd, dir, MASK);
    if (wd < 0) return; // no permission, or the watch limit: the scans still see this folder
    mine.add(wd);
    const folder = s.folders.get(wd) ?? { dir, watchers: new Set() };
    folder.watchers.add(events);
    s.folders.set(wd, folder);
    s.start();
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
      // The last one: the IN_IGNORED events of the removed watches end the pending read.
      shared = undefined;
      const done = new Promise<void>((resolve) => {
        s.closed = resolve;
      });
      if (!s.stop()) return;
      await done;
    },
  };
}

async function open(): Promise<Shared | undefined> {
  const inotify = process.platform === "linux" ? await loadInotify() : undefined;
  const fd = inotify?.init1(IN_CLOEXEC) ?? -1;
  if (!inotify || fd < 0) return undefined;
  const buffer = Buffer.alloc(64 * 1024);
  let reading = false;
  const s: Shared = {
    inotify,
    fd,
    folders: new Map(),
    watchers: 0,
    start: () => {
      if (!reading) next();
      reading = true;
    },
    stop: () => {
      if (!reading) {
        closeSync(fd);
        return false;
      }
      // A watch added and removed at once: its IN_IGNORED wakes the read even when none is left.
      const wd = inotify.addWatch(fd, "/", IN_ONLYDIR | IN_CLOSE_WRITE);
      if (wd >= 0) inotify.rmWatch(fd, wd);
      return true;
    },
  };
  // A blocking read on libuv's thread pool returns with each batch of events.
  const next = () =>
    read(fd, buffer, 0, buffer.length, null, (error, bytes) => {
      if (!error) dispatch(buffer.subarray(0, bytes), s);
      if (error || (s.watchers === 0 && s.folders.size === 0)) {
        closeSync(fd);
        return s.closed?.();
      }
      next();
    });
  return s;
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
