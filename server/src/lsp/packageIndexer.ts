// The language server's package index: a FolderIndex (analysis/packageIndex.ts) per folder of the
// workspace, filled in the background and kept current.
// - Built from disk a folder at a time in short slices (setImmediate between them), so that the
//   checks of open documents, scheduled the same way, run in between: a large workspace never
//   holds up the diagnostics of the file being edited. A folder outside the workspace (a file
//   opened on its own) is read when one of its files is first checked, ahead of the queue.
// - Updated from file events (workspace/didChangeWatchedFiles on *.go) and from open documents:
//   an open document's summary comes from its buffer, as the engine last analyzed it, and events
//   for it are ignored until it is closed, when its file is read again.
// - Every change to a folder is reported (onChange), so the server checks the open documents of
//   that folder again: the engine re-checks only the declarations whose lookups answer differently.
// A failure while reading is logged and leaves the folder with what it has: rules then know less.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FolderIndex, goFilesIn, summarizeFromDisk } from '../analysis/packageIndex';
import { isSkippedDir } from '../cli/files';
import type { FileSummary } from '../engine/packageSummary';
import type { ExternalPackage, PackageSource } from '../engine/packageView';

/** How long one slice of background indexing may run before yielding to other work. */
const SLICE_MS = 8;

export class WorkspacePackages implements PackageSource {
  private readonly folders = new Map<string, FolderIndex>();
  /** Folders waiting to be read, in order; a folder is read whole before it is used. */
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  /** Open documents' summaries (undefined until first analyzed): their buffers, not the disk, are what the index holds for them. */
  private readonly open = new Map<string, FileSummary | undefined>();
  private running = false;
  private disposed = false;

  constructor(
    private readonly log: (message: string) => void,
    private readonly onChange: (dir: string, except?: string) => void,
  ) {}

  /** Starts reading the given workspace folders (and their subfolders) in the background. */
  index(roots: readonly string[]): void {
    for (const root of roots) this.enqueue(root, false);
  }

  forFile(path: string | undefined, packageName: string | undefined): ExternalPackage | undefined {
    if (path === undefined) return undefined;
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (folder) return folder.externalFor(path, packageName);
    // Not read yet: the file alone for now; its folder goes first in the queue.
    this.enqueue(dir, true, false);
    return undefined;
  }

  /** An open document's summary, as its buffer declares it (called after each analysis). */
  updateOpen(path: string, summary: FileSummary): void {
    this.open.set(path, summary);
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (folder?.set(path, summary)) this.onChange(dir, path);
  }

  /** A document was opened: until it is analyzed and closed, file events for it are ignored. */
  opened(path: string): void {
    if (!this.open.has(path)) this.open.set(path, undefined);
  }

  /** The document was closed: the file on disk takes its buffer's place. */
  closed(path: string): void {
    if (!this.open.delete(path)) return;
    this.reread(path);
  }

  /** A watched .go file was created, changed or deleted on disk. */
  fileChanged(path: string, deleted: boolean): void {
    if (this.open.has(path)) return;
    if (deleted) {
      const dir = dirname(path);
      if (this.folders.get(dir)?.delete(path)) this.onChange(dir);
      return;
    }
    this.reread(path);
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
  }

  private reread(path: string): void {
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (!folder) return;
    try {
      const summary = summarizeFromDisk(path);
      const changed = summary ? folder.set(path, summary) : folder.delete(path);
      if (changed) this.onChange(dir);
    } catch (error) {
      this.log(`package index: reading ${path} failed: ${describe(error)}`);
    }
  }

  /** Queues a folder (and, when `recurse`, its subfolders as they are reached). */
  private enqueue(dir: string, first: boolean, recurse = true): void {
    if (this.disposed || this.folders.has(dir)) return;
    const key = recurse ? `${dir}\u0000r` : dir;
    if (this.queued.has(key) || this.queued.has(`${dir}\u0000r`)) return;
    this.queued.add(key);
    if (first) this.queue.unshift(key);
    else this.queue.push(key);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.slice());
    }
  }

  /** Reads folders until SLICE_MS has passed, then yields. */
  private slice(): void {
    const until = performance.now() + SLICE_MS;
    while (this.queue.length > 0 && !this.disposed && performance.now() < until) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      const recurse = key.endsWith('\u0000r');
      const dir = recurse ? key.slice(0, -2) : key;
      try {
        this.readFolder(dir, recurse);
      } catch (error) {
        this.log(`package index: reading ${dir} failed, its files are checked without their package: ${describe(error)}`);
      }
    }
    if (this.queue.length > 0 && !this.disposed) setImmediate(() => this.slice());
    else this.running = false;
  }

  private readFolder(dir: string, recurse: boolean): void {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      // A document whose folder is not on disk (deleted, or a path only the editor knows):
      // nothing to read, and nothing to report; its package is the buffer alone.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      this.folders.set(dir, new FolderIndex(dir));
      return;
    }
    if (recurse) {
      for (const name of names.sort()) {
        if (isSkippedDir(name)) continue;
        const path = join(dir, name);
        try {
          if (statSync(path).isDirectory()) this.enqueue(path, false);
        } catch {
          // Gone or unreadable: nothing to index there.
        }
      }
    }
    if (this.folders.has(dir)) return;
    const folder = new FolderIndex(dir);
    for (const path of goFilesIn(dir)) {
      // An open document's buffer wins over the disk, which may be stale.
      const summary = this.open.has(path) ? this.open.get(path) : summarizeFromDisk(path);
      if (summary) folder.set(path, summary);
    }
    this.folders.set(dir, folder);
    if (folder.size > 0 || this.open.size > 0) this.onChange(dir);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
