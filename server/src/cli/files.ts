// Finds and reads the Go files the CLI checks.
import { lstatSync, readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, join } from 'node:path';

/** Folders the go tool itself ignores, plus vendored code. */
export function isSkippedDir(name: string): boolean {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

export interface WalkProblem {
  path: string;
  message: string;
}

/** A path to check: a file, or a folder alone or with the folders below it (patterns.ts). */
export interface WalkTarget {
  path: string;
  /** Also the folders below (`dir/...`); a plain string target is always recursive. */
  recursive: boolean;
}

/**
 * Expands paths (files or folders; a plain string walks a folder's whole tree) into .go files,
 * sorted, reporting unreadable ones. `sizes`, when given, receives each file's size in bytes;
 * `goMods`, the go.mod files met on the way (or given).
 */
export function collectGoFiles(
  paths: readonly (string | WalkTarget)[],
  problems: WalkProblem[],
  sizes?: Map<string, number>,
  goMods?: string[],
): string[] {
  const files = new Set<string>();
  const statOrReport = (path: string) => {
    try {
      return statSync(path);
    } catch (error) {
      problems.push({ path, message: describeFsError(error) });
      return undefined;
    }
  };
  /**
   * A folder's entry as the go command sees it when it walks `dir/...`: a symbolic link to a folder
   * is not followed (undefined; \`go vet ./...\` says "ignoring symlink"), so a tree that links to
   * its own parts is not checked twice; a link to a file is read through.
   */
  const entryOrReport = (path: string, recursive: boolean): Stats | undefined => {
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch (error) {
      problems.push({ path, message: describeFsError(error) });
      return undefined;
    }
    if (!stat.isSymbolicLink()) return stat;
    const target = statOrReport(path);
    return target?.isDirectory() && recursive ? undefined : target;
  };
  /** Folders walked, and whether with the folders below them. */
  const visitedDirs = new Map<string, boolean>();
  const addGoMod = (path: string) => {
    if (!goMods?.includes(path)) goMods?.push(path);
  };
  /** Walks a folder; returns whether it held a .go or go.mod file itself. */
  const walk = (dir: string, recursive: boolean): boolean => {
    let entries: Dirent[];
    try {
      const stat = statSync(dir);
      const key = `${stat.dev}:${stat.ino}`;
      // The same folder reached twice (`./... ./pkg`, or a root that links into another root): the
      // files are there already.
      if (visitedDirs.get(key) === true || (visitedDirs.has(key) && !recursive)) return true;
      visitedDirs.set(key, recursive);
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      problems.push({ path: dir, message: describeFsError(error) });
      return true;
    }
    let held = false;
    for (const entry of entries) {
      const name = entry.name;
      const wanted = name.endsWith('.go') || name === 'go.mod';
      if (!recursive && !wanted) continue;
      // The entry's type spares a stat for folders and for files of other kinds (most of a tree's
      // entries); links, and entries of a type the file system does not report, are looked at.
      if (entry.isDirectory()) {
        if (recursive && !isSkippedDir(name)) walk(join(dir, name), true);
        continue;
      }
      if (entry.isFile() && !wanted) continue;
      const path = join(dir, name);
      const stat = entryOrReport(path, recursive);
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (recursive && !isSkippedDir(name)) walk(path, true);
      } else if (stat.isFile() && name.endsWith('.go')) {
        files.add(path);
        sizes?.set(path, stat.size);
        held = true;
      } else if (name === 'go.mod' && stat.isFile()) {
        addGoMod(path);
        held = true;
      }
    }
    return held;
  };
  for (const target of paths) {
    const { path, recursive } = typeof target === 'string' ? { path: target, recursive: true } : target;
    const stat = statOrReport(path);
    if (!stat) continue;
    if (stat.isDirectory()) {
      // As the go tool says of a folder that is no package; the folders below are not looked at.
      if (!walk(path, recursive) && !recursive) problems.push({ path, message: `no Go files in this folder (${path.replace(/[\\/]+$/, '')}/... checks the folders below it)` });
    } else if (!stat.isFile()) {
      // A FIFO or a device named on the command line: reading it could block forever.
      problems.push({ path, message: 'not a regular file: skipped' });
    } else if (basename(path) === 'go.mod') {
      addGoMod(path);
    } else {
      files.add(path);
      sizes?.set(path, stat.size);
    }
  }
  return [...files].sort();
}

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a Go source file as text, refusing binary content and invalid UTF-8 with a clear reason. */
export function readGoFile(path: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, message: describeFsError(error) };
  }
  if (bytes.includes(0)) return { ok: false, message: 'binary file (contains NUL bytes): skipped' };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, message: 'not valid UTF-8 (Go source must be UTF-8): skipped' };
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return error instanceof Error ? error.message : String(error);
}
