// Reads what the workspace rules and the rubric report need from a folder tree: its modules
// (go.mod files), their package folders, which of them are commands (`package main`), and the
// files at each module root (go.sum, lint and build set-up). Folders the go command ignores
// (vendor, testdata, hidden, `_`-prefixed, links to folders) are skipped, as the checker skips them.
import { closeSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isSkippedDir } from '../cli/files';
import { goDirective } from '../engine/goVersion';
import type { ModuleLayout, WorkspaceLayout } from './setupRule';

/** Enough of a Go file to find its package clause behind a license header and build tags. */
const HEAD_BYTES = 8192;

export function readWorkspaceLayout(root: string): WorkspaceLayout {
  const modules: ModuleLayout[] = [];
  const rootFiles = new Set(safeList(root));
  const visited = new Set<string>();
  const walk = (dir: string, module: ModuleLayout | undefined) => {
    let key: string;
    try {
      const stat = statSync(dir);
      key = `${stat.dev}:${stat.ino}`;
    } catch {
      return;
    }
    if (visited.has(key)) return;
    visited.add(key);
    const names = safeList(dir);
    let current = module;
    if (names.includes('go.mod')) {
      current = readModule(dir, names);
      modules.push(current);
    }
    let isPackage = false;
    let isMain = false;
    for (const name of names) {
      const path = join(dir, name);
      if (name.endsWith('.go')) {
        if (name.endsWith('_test.go')) {
          isPackage = true;
          continue;
        }
        const pkg = packageClauseOf(path);
        if (pkg === undefined) continue;
        isPackage = true;
        if (pkg === 'main') isMain = true;
      } else if (!isSkippedDir(name) && isRealDirectory(path)) {
        walk(path, current);
      }
    }
    if (current && isPackage) {
      current.packages++;
      if (isMain) current.mainPackages.push(relative(current.dir, dir).split(sep).join('/'));
    }
  };
  walk(root, undefined);
  for (const module of modules) module.mainPackages.sort();
  return { root, modules, rootFiles };
}

function readModule(dir: string, names: readonly string[]): ModuleLayout & { packages: number } {
  let text = '';
  try {
    text = readHead(join(dir, 'go.mod'), 1 << 20);
  } catch {
    // An unreadable go.mod still marks a module; its path and version stay unknown.
  }
  const path = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text)?.[2];
  return { dir, path, goVersion: goDirective(text), hasGoSum: names.includes('go.sum'), mainPackages: [], packages: 0, files: new Set(names) };
}

/**
 * The package name a file declares, or undefined when the file is excluded from every build
 * (`//go:build ignore`, the convention for generators run with `go run gen.go`) or has no clause.
 */
function packageClauseOf(path: string): string | undefined {
  let head: string;
  try {
    head = readHead(path, HEAD_BYTES);
  } catch {
    return undefined;
  }
  const clause = /^package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(head);
  if (!clause) return undefined;
  const header = head.slice(0, clause.index);
  if (/^\/\/go:build\s+ignore\s*$/m.test(header) || /^\/\/\s*\+build\s+ignore\s*$/m.test(header)) return undefined;
  // A clause inside a block comment is not the clause.
  if (header.lastIndexOf('/*') > header.lastIndexOf('*/')) return undefined;
  return clause[1];
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** A folder, not a link to one: the go command does not follow those when it walks `./...`. */
function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
