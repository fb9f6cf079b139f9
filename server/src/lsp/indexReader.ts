// Reading the package index from disk, in the form the language server's index consumes it: one
// message per file summary, then the folder's end. Runs on the index's reader thread
// (indexWorker.ts), or on the server's own thread when that thread cannot start.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { goFilesIn, summarizeFromDisk } from '../analysis/packageIndex';
import { isSkippedDir } from '../cli/files';
import type { IndexReply, IndexRequest } from './indexProtocol';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readFolder(id: number, dir: string, recurse: boolean, files: boolean, post: (reply: IndexReply) => void, beforeFile: () => void): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    // A document whose folder is not on disk (deleted, or a path only the editor knows): an
    // empty package, and nothing to report.
    const code = (error as NodeJS.ErrnoException).code;
    post({ kind: 'folder', id, dir, subdirs: [], ...(code === 'ENOENT' || code === 'ENOTDIR' ? {} : { error: describe(error) }) });
    return;
  }
  const subdirs: string[] = [];
  if (recurse) {
    for (const name of names.sort()) {
      if (isSkippedDir(name)) continue;
      const path = join(dir, name);
      try {
        if (statSync(path).isDirectory()) subdirs.push(path);
      } catch {
        // Gone or unreadable: nothing to index there.
      }
    }
  }
  for (const path of files ? goFilesIn(dir) : []) {
    beforeFile();
    const summary = summarizeFromDisk(path);
    if (summary) post({ kind: 'file', id, path, summary });
  }
  post({ kind: 'folder', id, dir, subdirs });
}

/**
 * Answers one request through `post`; whatever fails, the request is answered, so the index's
 * queue moves on. `beforeFile` runs before each file is read (the reader thread waits there while
 * the server checks a keystroke, see foregroundGate.ts).
 */
export function answerIndexRequest(request: IndexRequest, post: (reply: IndexReply) => void, beforeFile: () => void = () => {}): void {
  try {
    if (request.kind === 'folder') {
      readFolder(request.id, request.dir, request.recurse, request.files, post, beforeFile);
    } else {
      beforeFile();
      post({ kind: 'reread', id: request.id, path: request.path, summary: summarizeFromDisk(request.path) });
    }
  } catch (error) {
    if (request.kind === 'folder') post({ kind: 'folder', id: request.id, dir: request.dir, subdirs: [], error: describe(error) });
    else post({ kind: 'reread', id: request.id, path: request.path, summary: undefined });
  }
}
