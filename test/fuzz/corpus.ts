// The Go files the fuzzer edits: the standard library (when installed) and the repository's own
// Go fixtures and examples, whose many findings make the diagnostics comparison bite.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GoModLocator } from '../../server/src/analysis/goModLocator';
import { goCorpusSkipReason, GO_SRC, repoRoot } from '../helpers/goFiles';
import type { Rng } from '../helpers/random';

export interface CorpusFile {
  /** Absolute path on disk. */
  file: string;
  /** The path the fuzz case records (repository files relative to the repository). */
  path: string;
  size: number;
  goVersion?: string;
  noGoMod: boolean;
}

/**
 * Larger files are picked less often: every step parses and analyzes the whole file from scratch
 * and compares whole trees, so a 200 KB file costs about 30 small ones.
 */
const COMFORTABLE_SIZE = 40_000;

export class Corpus {
  private readonly goMod = new GoModLocator();

  private constructor(
    readonly standardLibrary: readonly string[],
    readonly repository: readonly string[],
    private readonly root: string,
  ) {}

  static load(): Corpus {
    const root = repoRoot();
    const std = goCorpusSkipReason() ? [] : goFiles(GO_SRC);
    const repo = ['test/fixtures', 'examples'].flatMap((dir) => goFiles(join(root, dir)));
    return new Corpus(std, repo, root);
  }

  get size(): number {
    return this.standardLibrary.length + this.repository.length;
  }

  /** A random file: a repository file a quarter of the time, a standard library file otherwise. */
  pick(rng: Rng): CorpusFile {
    for (;;) {
      const fromRepo = this.standardLibrary.length === 0 || rng.chance(0.25);
      const file = rng.pick(fromRepo ? this.repository : this.standardLibrary);
      const size = statSync(file).size;
      if (size > COMFORTABLE_SIZE && !rng.chance(COMFORTABLE_SIZE / size)) continue;
      const path = file.startsWith(this.root) ? relative(this.root, file) : file;
      const goVersion = this.goMod.goVersionFor(file);
      return { file, path, size, noGoMod: this.goMod.goModFor(file) === undefined, ...(goVersion ? { goVersion } : {}) };
    }
  }

  read(file: CorpusFile): string {
    return readFileSync(file.file, 'utf8');
  }
}

/** The .go files under a folder, testdata excluded (not Go that compiles, and some not UTF-8). */
function goFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testdata') walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.go')) {
        out.push(path);
      }
    }
  };
  walk(dir);
  return out.sort();
}
