// Finds the go.mod that governs a .go file (the nearest one in its folder or above) and reads its
// `go` directive, caching both per folder: the CLI and the server ask for every file they check.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isFile } from './fsProbe';
import { goDirective, moduleDirective } from '../engine/goVersion';

export class GoModLocator {
  /** Folder → the go.mod path governing it (null: none up to the root). */
  private readonly folders = new Map<string, string | null>();
  /** go.mod path → its `go` directive (null: none, or unreadable). */
  private readonly directives = new Map<string, string | null>();
  /** go.mod path → its `module` path (null: none, or unreadable). */
  private readonly modulePaths = new Map<string, string | null>();

  /** The path of the go.mod governing a file, if any. */
  goModFor(filePath: string): string | undefined {
    const visited: string[] = [];
    let dir = dirname(filePath);
    let found: string | null = null;
    for (;;) {
      const cached = this.folders.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      const candidate = join(dir, 'go.mod');
      if (isFile(candidate)) {
        found = candidate;
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const folder of visited) this.folders.set(folder, found);
    return found ?? undefined;
  }

  /** The `go` version of the module a file belongs to, if its go.mod states one. */
  goVersionFor(filePath: string): string | undefined {
    return this.directiveFor(filePath, this.directives, goDirective);
  }

  /** The module a file belongs to: its path (the `module` directive) and its root folder, if its go.mod states one. */
  moduleFor(filePath: string): { path: string; dir: string } | undefined {
    const path = this.directiveFor(filePath, this.modulePaths, moduleDirective);
    return path === undefined ? undefined : { path, dir: dirname(this.goModFor(filePath)!) };
  }

  /** A directive of the go.mod governing a file, read once per go.mod. */
  private directiveFor(filePath: string, cache: Map<string, string | null>, read: (goMod: string) => string | undefined): string | undefined {
    const goMod = this.goModFor(filePath);
    if (!goMod) return undefined;
    let value = cache.get(goMod);
    if (value === undefined) {
      try {
        value = read(readFileSync(goMod, 'utf8')) ?? null;
      } catch {
        value = null;
      }
      cache.set(goMod, value);
    }
    return value ?? undefined;
  }

  /** Forgets what is known: a go.mod was created, changed or deleted. */
  clear(): void {
    this.folders.clear();
    this.directives.clear();
    this.modulePaths.clear();
  }
}

