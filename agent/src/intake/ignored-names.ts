/**
 * What is nobody's photo and nothing to report: files that operating systems, file managers and
 * editors leave in any folder (`Thumbs.db`, `desktop.ini`, `.DS_Store`, editor backups and swap
 * files), the temporary names of tether software (`isTemporaryName`), and the system folders of
 * cards and shares (`$RECYCLE.BIN`, `.Trashes`, Synology's `@eaDir`). They are ignored silently:
 * never candidates, never moved, never reported. Every other file the agent cannot take is
 * refused visibly (reports/rejections.ts).
 */
import { isTemporaryName } from "./media-kind.ts";

const SYSTEM_FILES = new Set(["thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "icon\r"]);
const SYSTEM_FOLDERS = new Set([
  "$recycle.bin",
  "recycler",
  "system volume information",
  "@eadir",
  "lost+found",
]);

/** A file name to ignore silently (dotfiles, system files, editor temp files, tether temp names). */
export function isIgnoredName(name: string): boolean {
  return (
    isTemporaryName(name) ||
    SYSTEM_FILES.has(name.toLowerCase()) ||
    name.endsWith("~") || // editor backups (emacs, gedit, kate)
    /^#.*#$/.test(name) || // emacs autosave
    /\.(swp|swo|swx)$/i.test(name) // vim swap files
  );
}

/** A folder whose contents are ignored silently (dot folders such as `.Trashes`, system folders). */
export function isIgnoredFolder(name: string): boolean {
  return name.startsWith(".") || SYSTEM_FOLDERS.has(name.toLowerCase());
}
