// Real Go source for tests: files from an installed Go source tree when there is one, and the
// committed fixtures in test/fixtures/go (always present) otherwise.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Go source tree searched for corpus files (GO_RUBRIC_GO_SRC overrides it). */
export const GO_SRC = process.env.GO_RUBRIC_GO_SRC ?? '/usr/share/go-1.19/src';

/** Why the Go corpus cannot be used, or undefined when it can. Tests pass this to t.skip(). */
export function goCorpusSkipReason(): string | undefined {
  if (existsSync(join(GO_SRC, 'fmt', 'print.go'))) return undefined;
  return `Go source tree not found at ${GO_SRC} (set GO_RUBRIC_GO_SRC to use another); the committed fixtures in test/fixtures/go still run`;
}

/** Reads a file of the Go corpus by its path under src/, or undefined when it is absent. */
export function readGoCorpusFile(relativePath: string): string | undefined {
  if (relativePath.split('/').includes('testdata')) throw new Error(`testdata files are not part of the corpus: ${relativePath}`);
  const path = join(GO_SRC, relativePath);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The repository root, found by walking up from the bundled test (test/out/...). */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
}

export function fixturesDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'go');
}

/** The committed Go fixtures, sorted by name. */
export function goFixtures(): { name: string; text: string }[] {
  const dir = fixturesDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.go') && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export function readFixture(name: string): string {
  return readFileSync(join(fixturesDir(), name), 'utf8');
}
