// Go-style package patterns on the command line, read as the go tool reads them on a file system:
//
//   ./...  or  ...        this folder and every folder below it
//   dir/...  ./pkg/...    that folder and every folder below it
//   dir  .  ./pkg         that folder alone (one package), as `go vet ./pkg` checks one package
//   file.go  go.mod       that file
//
// Below a folder, vendor/, testdata/, node_modules/ and folders whose name starts with . or _ are
// skipped (files.ts), as the go tool skips them for `...`. No pattern at all means `./...`.
import type { WalkTarget } from './files';

/** The pattern that stands for the current folder's whole tree; also the default. */
export const EVERYTHING = './...';

/** The walk targets of the patterns given (none means ./...), or why one cannot be read. */
export function parsePatterns(patterns: readonly string[]): WalkTarget[] | string {
  const targets: WalkTarget[] = [];
  for (const pattern of patterns.length > 0 ? patterns : [EVERYTHING]) {
    const target = parsePattern(pattern);
    if (typeof target === 'string') return target;
    targets.push(target);
  }
  return targets;
}

function parsePattern(pattern: string): WalkTarget | string {
  if (pattern === '...') return { path: '.', recursive: true };
  const tail = /[\\/]\.\.\.$/.exec(pattern);
  const path = tail ? pattern.slice(0, tail.index) || '/' : pattern;
  // The go tool also takes `...` inside a pattern (net/.../http); on a file system that is rarely
  // what is meant, so it is refused rather than read as a folder of that name.
  if (/(^|[\\/])\.\.\.([\\/]|$)/.test(path) || path.endsWith('...')) {
    return `"${pattern}": only a trailing /... is a pattern (dir/... checks dir and the folders below it)`;
  }
  return { path, recursive: tail !== null };
}
