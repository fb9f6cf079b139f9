// Where CI formats anchor their paths. GitHub (code scanning and workflow annotations) reads paths
// relative to the repository's root, so SARIF and `github` output give each path from the root of
// the repository around the working folder, whatever subfolder the command ran in; outside a
// repository, from the working folder.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VCS_MARKERS } from '../../config/configFile';

/** The nearest folder at or above `cwd` that holds .git, .hg or .svn; else `cwd`. */
export function sourceRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (VCS_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/**
 * A finding's path (relative to `cwd`) relative to `root`, with / separators; undefined when the
 * file is not inside the root.
 */
export function pathUnderRoot(path: string, cwd: string, root: string): string | undefined {
  const rel = relative(root, resolve(cwd, path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
