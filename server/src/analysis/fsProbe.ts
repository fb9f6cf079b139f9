// Yes-or-no questions about paths (links followed), for the lookups that walk folders asking for
// a name most of them do not hold: go.mod, configuration files, VCS markers, package folders. A
// missing path answers false without an exception being thrown and caught (one per folder and
// name was most of the time the configuration search took on the library corpus); any other
// failure (permission, a loop of links) answers false too.
import { statSync, type Stats } from 'node:fs';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether the path is a regular file. */
export function isFile(path: string): boolean {
  return statOf(path)?.isFile() === true;
}

/** Whether the path is a folder. */
export function isFolder(path: string): boolean {
  return statOf(path)?.isDirectory() === true;
}

/** Whether anything is there. */
export function exists(path: string): boolean {
  return statOf(path) !== undefined;
}
