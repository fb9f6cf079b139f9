// The language server's package index: a FolderIndex (analysis/packageIndex.ts) per folder of the
// workspace, filled in the background and kept current.
// - Read from disk on a thread of its own (indexWorker.ts), a folder at a time, in the order
//   folders are queued: a large workspace never holds up the diagnostics of the file being edited
//   (reading net/http alone takes 20-90 ms); while the server checks a keystroke the thread waits
//   before its next file (foregroundGate.ts). A folder outside the workspace (a file opened on its
//   own) goes first in the queue when one of its files is first checked. Where the thread cannot
//   start, the folders are read on the server's thread, one per turn of the event loop.
// - Updated from file events (workspace/didChangeWatchedFiles on *.go) and from open documents:
//   an open document's summary comes from its buffer, as the engine last analyzed it, and events
//   for it are ignored until it is closed, when its file is read again.
// - Every change to a folder is reported (onChange), so the server checks the open documents of
//   that folder again: the engine re-checks only the declarations whose lookups answer differently.
// - Answers about other packages of the workspace too (importedKey: GR215 asks what another
//   package's struct holds), from the folders read so far: an import path names a folder of the
//   file's module or of a GOPATH-style tree (analysis/packageIndex.ts, importedFolder). When such a
//   folder changes, or is first read, the folders whose files asked about it are checked again.
// A failure while reading is logged and leaves the folder with what it has: rules then know less.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FolderIndex, ImportedFolders } from '../analysis/packageIndex';
import type { FileSummary } from '../engine/packageSummary';
import { splitImportedKey, type ExternalPackage, type PackageSource } from '../engine/packageView';
import type { IndexReply, IndexRequest } from './indexProtocol';
import { answerIndexRequest } from './indexReader';

/** Where requests go: the reader thread, or the server's own thread when that cannot start. */
interface IndexReader {
  send(request: IndexRequest): void;
  dispose(): void;
}

/** The folder being read: its files arrive one message each, and it is used once whole. */
interface FolderInFlight {
  id: number;
  dir: string;
  folder: FolderIndex;
}

/** How long the reader thread's boot waits after the first folder is queued (see scheduleNext). */
const READER_BOOT_DELAY_MS = 100;

export class WorkspacePackages implements PackageSource {
  private readonly folders = new Map<string, FolderIndex>();
  /** Folders waiting to be read, in order; a folder is read whole before it is used. */
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  /** Open documents' summaries (undefined until first analyzed): their buffers, not the disk, are what the index holds for them. */
  private readonly open = new Map<string, FileSummary | undefined>();
  private reader: IndexReader | undefined;
  private inFlight: FolderInFlight | undefined;
  private nextId = 1;
  private disposed = false;
  private nextScheduled = false;
  private readonly importedFolders = new ImportedFolders();
  /** Folder → the folders whose files asked about it as an import. */
  private readonly importers = new Map<string, Set<string>>();
  /** Changes to folders that others import: part of every view's key, so that answers about them are asked again. */
  private importedChanges = 0;

  constructor(
    private readonly log: (message: string) => void,
    private readonly onChange: (dir: string, except?: string) => void,
    /** The reader thread's bundle; by default indexWorker.js next to this bundle (server/out). */
    private readonly workerScript: string = join(__dirname, 'indexWorker.js'),
    /** The server's ForegroundSignal buffer: the reader thread waits while it is raised (foregroundGate.ts). */
    private readonly foreground?: SharedArrayBuffer,
  ) {}

  /** Starts reading the given workspace folders (and their subfolders) in the background. */
  index(roots: readonly string[]): void {
    for (const root of roots) this.enqueue(root, false);
  }

  forFile(path: string | undefined, packageName: string | undefined): ExternalPackage | undefined {
    if (path === undefined) return undefined;
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (folder) return this.withImports(path, folder.externalFor(path, packageName));
    // Not read yet: the file alone for now; its folder goes first in the queue.
    this.enqueue(dir, true, false);
    return undefined;
  }

  /** A file's view of its package that also answers importedKey questions about the folders read so far. */
  private withImports(path: string, own: ExternalPackage): ExternalPackage {
    const asked = new Map<string, ExternalPackage | undefined>();
    return {
      key: `${own.key}\u0000${this.importedChanges}`,
      get: (key) => {
        const imported = splitImportedKey(key);
        if (!imported) return own.get(key);
        if (!asked.has(imported.importPath)) asked.set(imported.importPath, this.importedPackage(path, imported.importPath));
        return asked.get(imported.importPath)?.get(imported.key);
      },
    };
  }

  /** The package an import path names, seen from a file, if its folder has been read; the asking folder is noted. */
  private importedPackage(fromFile: string, importPath: string): ExternalPackage | undefined {
    const asking = dirname(fromFile);
    const dir = this.importedFolders.folderOf(fromFile, importPath);
    if (dir === undefined) return undefined;
    let importers = this.importers.get(dir);
    if (!importers) this.importers.set(dir, (importers = new Set()));
    importers.add(asking);
    return this.folders.get(dir)?.imported();
  }

  /** A folder's package changed: its open documents are checked again, and those of the folders that import it. */
  private changed(dir: string, except?: string): void {
    const importers = this.importers.get(dir);
    if (importers) this.importedChanges++;
    this.onChange(dir, except);
    for (const importer of importers ?? []) if (importer !== dir) this.onChange(importer);
  }

  /** An open document's summary, as its buffer declares it (called after each analysis). */
  updateOpen(path: string, summary: FileSummary): void {
    this.open.set(path, summary);
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (folder?.set(path, summary)) this.changed(dir, path);
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
      if (this.folders.get(dir)?.delete(path)) this.changed(dir);
      return;
    }
    this.reread(path);
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.reader?.dispose();
    this.reader = undefined;
  }

  private reread(path: string): void {
    if (this.disposed || !this.folders.has(dirname(path))) return;
    this.readerOrStart().send({ kind: 'reread', id: this.nextId++, path });
  }

  /** Queues a folder (and, when `recurse`, its subfolders as they are reached). */
  private enqueue(dir: string, first: boolean, recurse = true): void {
    // A folder read on its own (an open file's) still has its subfolders to queue.
    if (this.disposed || (this.folders.has(dir) && !recurse)) return;
    const key = recurse ? `${dir}\u0000r` : dir;
    if (this.queued.has(key) || this.queued.has(`${dir}\u0000r`)) return;
    this.queued.add(key);
    if (first) this.queue.unshift(key);
    else this.queue.push(key);
    this.scheduleNext();
  }

  /**
   * Folders are usually queued from inside an analysis (an open file's folder): the reader starts
   * after that analysis is published. The first time, when the reader thread has yet to boot, it
   * waits READER_BOOT_DELAY_MS more: the boot takes a core for ~65 ms here, and on a 2-core
   * machine it would otherwise compete with the editor reading and drawing the first diagnostics
   * (measured: they arrived 10-15 ms later). Later folders go on the next turn of the event loop.
   */
  private scheduleNext(): void {
    if (this.nextScheduled) return;
    this.nextScheduled = true;
    const go = () => {
      this.nextScheduled = false;
      this.next();
    };
    if (this.reader) setImmediate(go);
    else setTimeout(go, READER_BOOT_DELAY_MS);
  }

  /** Sends the next queued folder to the reader, unless one is being read. */
  private next(): void {
    while (!this.inFlight && !this.disposed && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      const recurse = key.endsWith('\u0000r');
      const dir = recurse ? key.slice(0, -2) : key;
      // Read already (a folder queued twice, once with its subfolders and once without).
      const files = !this.folders.has(dir);
      if (!files && !recurse) continue;
      this.inFlight = { id: this.nextId++, dir, folder: new FolderIndex(dir) };
      this.readerOrStart().send({ kind: 'folder', id: this.inFlight.id, dir, recurse, files });
    }
  }

  private receive(reply: IndexReply): void {
    if (this.disposed) return;
    switch (reply.kind) {
      case 'file': {
        if (this.inFlight?.id !== reply.id) return;
        // An open document's buffer wins over the disk, which may be stale.
        const summary = this.open.has(reply.path) ? this.open.get(reply.path) : reply.summary;
        if (summary) this.inFlight.folder.set(reply.path, summary);
        return;
      }
      case 'folder': {
        const done = this.inFlight;
        if (done?.id !== reply.id) return;
        this.inFlight = undefined;
        if (reply.error) this.log(`package index: reading ${reply.dir} failed, its files are checked without their package: ${reply.error}`);
        for (const sub of reply.subdirs) this.enqueue(sub, false);
        if (!this.folders.has(done.dir)) {
          // Buffers analyzed while the folder was read.
          for (const [path, summary] of this.open) if (summary && dirname(path) === done.dir) done.folder.set(path, summary);
          this.folders.set(done.dir, done.folder);
          if (done.folder.size > 0 || this.open.size > 0 || this.importers.has(done.dir)) this.changed(done.dir);
        }
        this.next();
        return;
      }
      case 'reread': {
        if (this.open.has(reply.path)) return;
        const dir = dirname(reply.path);
        const folder = this.folders.get(dir);
        if (!folder) return;
        const changed = reply.summary ? folder.set(reply.path, reply.summary) : folder.delete(reply.path);
        if (changed) this.changed(dir);
        return;
      }
    }
  }

  private readerOrStart(): IndexReader {
    this.reader ??= this.startWorker() ?? this.inThreadReader();
    return this.reader;
  }

  private startWorker(): IndexReader | undefined {
    if (!existsSync(this.workerScript)) {
      this.log(`package index: ${this.workerScript} not found; reading folders on the server's thread`);
      return undefined;
    }
    let worker: Worker;
    try {
      worker = new Worker(this.workerScript, { workerData: { foreground: this.foreground } });
    } catch (error) {
      this.log(`package index: the reader thread did not start (${describe(error)}); reading folders on the server's thread`);
      return undefined;
    }
    // The index never keeps the server alive.
    worker.unref();
    const pending = new Map<number, IndexRequest>();
    worker.on('message', (reply: IndexReply) => {
      if (reply.kind !== 'file') pending.delete(reply.id);
      this.receive(reply);
    });
    // A thread that fails (or exits, which it never does on its own) hands over to the server's
    // thread, which is asked again what was not answered.
    let failed = false;
    const takeOver = (why: string) => {
      if (this.disposed || failed) return;
      failed = true;
      this.log(`package index: the reader thread ${why}; reading folders on the server's thread`);
      this.reader = this.inThreadReader();
      for (const request of pending.values()) this.reader.send(request);
    };
    worker.on('error', (error) => takeOver(`failed (${describe(error)})`));
    worker.on('exit', (code) => takeOver(`exited (code ${code})`));
    return {
      send: (request) => {
        pending.set(request.id, request);
        worker.postMessage(request);
      },
      dispose: () => void worker.terminate(),
    };
  }

  /** Requests answered on the server's thread, one per turn of the event loop. */
  private inThreadReader(): IndexReader {
    let stopped = false;
    return {
      send: (request) =>
        setImmediate(() => {
          if (!stopped) answerIndexRequest(request, (reply) => this.receive(reply));
        }),
      dispose: () => {
        stopped = true;
      },
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
