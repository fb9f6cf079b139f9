// Finds and reads the Go files the CLI checks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Folders the go tool itself ignores, plus vendored code. */
export function isSkippedDir(name: string): boolean {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

export interface WalkProblem {
  path: string;
  message: string;
}

/**
 * Expands paths (files or folders) into .go files, sorted, reporting unreadable ones. `sizes`, when
 * given, receives each file's size in bytes; `goMods`, the go.mod files met on the way (or given).
 */
export function collectGoFiles(paths: readonly string[], problems: WalkProblem[], sizes?: Map<string, number>, goMods?: string[]): string[] {
  const files = new Set<string>();
  const statOrReport = (path: string) => {
    try {
      return statSync(path);
    } catch (error) {
      problems.push({ path, message: describeFsError(error) });
      return undefined;
    }
  };
  const visitedDirs = new Set<string>();
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      const stat = statSync(dir);
      const key = `${stat.dev}:${stat.ino}`;
      if (visitedDirs.has(key)) return; // a symlink loop, or the same folder reached twice
      visitedDirs.add(key);
      entries = readdirSync(dir).sort();
    } catch (error) {
      problems.push({ path: dir, message: describeFsError(error) });
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const stat = statOrReport(path);
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (!isSkippedDir(name)) walk(path);
      } else if (stat.isFile() && name.endsWith('.go')) {
        files.add(path);
        sizes?.set(path, stat.size);
      } else if (name === 'go.mod' && stat.isFile()) {
        goMods?.push(path);
      }
    }
  };
  for (const path of paths) {
    const stat = statOrReport(path);
    if (!stat) continue;
    if (stat.isDirectory()) {
      walk(path);
    } else if (basename(path) === 'go.mod') {
      goMods?.push(path);
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
