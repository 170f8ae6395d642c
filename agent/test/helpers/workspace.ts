/** A fresh agent workspace per test: `root/inbox` (created), `root/spool`, `root/processed`. */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Workspace {
  root: string;
  inbox: string;
  spoolDir: string;
  processed: string;
  remove(): Promise<void>;
}

export async function workspace(name = "agent"): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), `${name}-`));
  const inbox = join(root, "inbox");
  await mkdir(inbox);
  return {
    root,
    inbox,
    spoolDir: join(root, "spool"),
    processed: join(root, "processed"),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
