// Spreads the CLI's files over worker threads. Each worker owns a parser and an engine and is sent
// only file paths, a few at a time and a folder at a time (so nothing is read before a worker is
// about to check it), and sends back only the small per-file reports, in batches. A worker that
// dies is replaced; the files it had are checked again one by one, and the one a worker dies on
// alone is reported as a problem.
//
// Memory: a worker's wasm heap grows to fit the largest tree it has parsed and never shrinks (the
// worker asks to be replaced when it has grown large). So that two workers never hold two very large
// trees at once, a file of BIG_FILE_BYTES or more is handed out only while no other such file is in
// flight; the smaller files after it go ahead meanwhile (output order is restored by the caller).
import { Worker } from 'node:worker_threads';
import type { ConfigEntries, FileReport } from './checkFile';

/** Sent to a worker at start (workerData). */
export interface WorkerSetup {
  config: ConfigEntries;
  /** Also report each finding's related places (the editor needs them; the CLI prints none). */
  related?: boolean;
  /** Also report which rules apply to each file (the CLI: the rubric report and the result cache). */
  applicable?: boolean;
  /** Apply every safe fix and write the files they change (check --fix). */
  fix?: boolean;
}

/** Main thread → worker: check one file. */
export interface WorkerJob {
  id: number;
  path: string;
  display: string;
}

/** Worker → main thread: the reports of the files checked since the last message, in the order checked. */
export type WorkerMessage = { type: 'ready' } | { type: 'results'; results: { id: number; report: FileReport }[] };

export interface PoolFile {
  path: string;
  display: string;
  /** Bytes on disk. */
  size: number;
}

/** Files this large are checked one at a time (their trees take a few hundred MiB of wasm heap). */
export const BIG_FILE_BYTES = 1024 * 1024;

export interface PoolOptions {
  /** The worker bundle (server/out/cliWorker.js). */
  script: string;
  workers: number;
  /** Files queued per worker at once: enough to hide the round trip, small enough to balance the tail. */
  inFlight: number;
  setup: WorkerSetup;
  files: readonly PoolFile[];
  /** Called once per file, in completion order (not file order). */
  onReport(index: number, report: FileReport): void;
  /**
   * Stops the run when aborted (the editor's Cancel): no more files are handed out, the workers
   * are terminated, and the promise resolves with the files reported so far. The CLI sets none.
   */
  signal?: AbortSignal;
}

/**
 * Consecutive files of one folder, [next, end) not handed out yet. A folder's files go to one
 * worker: each worker reads the package of every folder it checks a file of (DiskPackages, the
 * other files' declarations), and handing files out one by one had both workers read every
 * folder (750 ms of a worker's 11.7 s on the standard library).
 */
interface FolderRun {
  next: number;
  end: number;
}

/** The files in runs of one folder each (in file order; a folder listed in pieces makes several runs). */
function folderRuns(files: readonly PoolFile[]): FolderRun[] {
  const runs: FolderRun[] = [];
  let folder: string | undefined;
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!.path;
    const here = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    if (runs.length > 0 && here === folder) runs[runs.length - 1]!.end = i + 1;
    else runs.push({ next: i, end: i + 1 });
    folder = here;
  }
  return runs;
}

interface Slot {
  /** The folder the slot is checking. */
  run?: FolderRun;
  /** A suspect file (see runPool's suspects) in flight alone. */
  suspect?: number;
  worker: Worker;
  /** The worker finished loading the parser; a worker that dies before that cannot be retried. */
  ready: boolean;
  /** Indexes sent and not answered yet, in the order sent (the worker takes them in that order). */
  inFlight: number[];
  error?: Error;
}

/** Checks every file on `workers` threads; resolves when all are reported and the workers are gone. */
export function runPool(options: PoolOptions): Promise<void> {
  const { files } = options;
  return new Promise<void>((resolve, reject) => {
    if (files.length === 0 || options.signal?.aborted) {
      resolve();
      return;
    }
    const slots: Slot[] = [];
    const requeued: number[] = [];
    /**
     * Files that were in flight when a worker died. A worker reports its files in batches, so the
     * one it died on is not known: these are checked again one at a time (a slot with one in
     * flight takes no other), and the one a worker dies on alone is the culprit.
     */
    const suspects: number[] = [];
    /** Big files waiting for the big file in flight to finish, in file order. */
    const deferred: number[] = [];
    const bigInFlight = new Set<number>();
    const isBig = (id: number) => files[id]!.size >= BIG_FILE_BYTES;
    const runs = folderRuns(files);
    let nextRun = 0;
    let done = 0;
    let stopping = false;

    const onAbort = () => stop();
    const stop = (error?: Error) => {
      if (stopping) return;
      stopping = true;
      options.signal?.removeEventListener('abort', onAbort);
      void Promise.all(slots.map((s) => s.worker.terminate())).then(
        () => (error ? reject(error) : resolve()),
        () => (error ? reject(error) : resolve()),
      );
    };

    /**
     * The slot's next file: the next of the folder it is on, else the first of the next folder no
     * one has started. At the end, a slot with nothing left helps the folder with the most files
     * left, from its last file, so that no worker idles while another still has a queue.
     */
    const nextFor = (slot: Slot): number | undefined => {
      let run = slot.run;
      if (!run || run.next >= run.end) {
        run = nextRun < runs.length ? runs[nextRun++] : undefined;
        slot.run = run;
        if (!run) {
          let busiest: FolderRun | undefined;
          for (const r of runs) if (r.end > r.next && (!busiest || r.end - r.next > busiest.end - busiest.next)) busiest = r;
          return busiest ? --busiest.end : undefined;
        }
      }
      return run.next++;
    };

    const take = (slot: Slot): number | undefined => {
      if (bigInFlight.size === 0 && deferred.length > 0) return deferred.shift();
      for (;;) {
        const id = requeued.length > 0 ? requeued.shift() : nextFor(slot);
        if (id === undefined || !isBig(id) || bigInFlight.size === 0) return id;
        deferred.push(id);
      }
    };

    const send = (slot: Slot, id: number) => {
      slot.inFlight.push(id);
      slot.worker.postMessage({ id, path: files[id]!.path, display: files[id]!.display } satisfies WorkerJob);
    };

    const fill = (slot: Slot) => {
      if (slot.suspect !== undefined) return;
      if (suspects.length > 0) {
        if (slot.inFlight.length > 0 || stopping) return;
        slot.suspect = suspects.shift()!;
        send(slot, slot.suspect);
        return;
      }
      while (!stopping && slot.inFlight.length < options.inFlight) {
        const id = take(slot);
        if (id === undefined) return;
        if (isBig(id)) bigInFlight.add(id);
        send(slot, id);
      }
    };

    const finish = (id: number, report: FileReport) => {
      done++;
      if (bigInFlight.delete(id)) for (const s of slots) fill(s);
      try {
        options.onReport(id, report);
      } catch (error) {
        stop(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (done === files.length) stop();
    };

    /** Starts a fresh worker in the slot; the old one's remaining files go back to the front of the queue. */
    const replace = (slot: Slot, old: Worker | undefined) => {
      for (const id of slot.inFlight) bigInFlight.delete(id);
      requeued.unshift(...slot.inFlight);
      slot.inFlight = [];
      if (old) void old.terminate();
      start(slot);
      for (const s of slots) fill(s);
    };

    const start = (slot: Slot) => {
      const worker = new Worker(options.script, { workerData: options.setup });
      slot.worker = worker;
      slot.ready = false;
      delete slot.error;
      worker.on('message', (message: WorkerMessage) => {
        if (slot.worker !== worker || stopping) return; // a replaced worker's late answers
        if (message.type === 'ready') {
          slot.ready = true;
          return;
        }
        const answered = message.results.filter(({ id }) => {
          const at = slot.inFlight.indexOf(id);
          if (at >= 0) slot.inFlight.splice(at, 1);
          if (id === slot.suspect) slot.suspect = undefined;
          return at >= 0;
        });
        if (answered.some(({ report }) => report.recycle)) replace(slot, worker);
        else fill(slot);
        for (const { id, report } of answered) {
          if (stopping) return;
          finish(id, report);
        }
      });
      worker.on('error', (error) => {
        if (slot.worker === worker) slot.error = error;
      });
      worker.on('exit', (code) => {
        if (slot.worker !== worker || stopping) return;
        const reason = slot.error ? slot.error.message : `exit code ${code}`;
        if (!slot.ready) {
          stop(new Error(`a checker thread failed to start: ${reason}`));
          return;
        }
        // Alone in flight, the file is the one the worker died on; else all of them are suspects.
        const crashed = slot.suspect;
        slot.suspect = undefined;
        for (const id of slot.inFlight) bigInFlight.delete(id);
        if (crashed === undefined) suspects.push(...slot.inFlight);
        slot.inFlight = [];
        replace(slot, undefined);
        if (crashed !== undefined) {
          finish(crashed, { findings: [], problems: [`the checker thread died on this file (${reason}); it was restarted and the file skipped`], logs: [] });
        }
      });
    };

    options.signal?.addEventListener('abort', onAbort, { once: true });

    const count = Math.max(1, Math.min(options.workers, files.length));
    for (let i = 0; i < count; i++) {
      const slot = { inFlight: [] } as unknown as Slot;
      slots.push(slot);
      start(slot);
    }
    for (const slot of slots) fill(slot);
  });
}
