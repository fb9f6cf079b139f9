// Spreads the CLI's files over worker threads. Each worker owns a parser and an engine and is sent
// only file paths, a few at a time (so nothing is read before a worker is about to check it), and
// sends back only the small per-file report. A worker that dies is replaced, and the file it was on
// is reported as a problem; the files queued behind it go to the new worker.
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
}

/** Main thread → worker: check one file. */
export interface WorkerJob {
  id: number;
  path: string;
  display: string;
}

/** Worker → main thread. */
export type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; report: FileReport };

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

interface Slot {
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
    /** Big files waiting for the big file in flight to finish, in file order. */
    const deferred: number[] = [];
    const bigInFlight = new Set<number>();
    const isBig = (id: number) => files[id]!.size >= BIG_FILE_BYTES;
    let next = 0;
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

    const take = (): number | undefined => {
      if (bigInFlight.size === 0 && deferred.length > 0) return deferred.shift();
      for (;;) {
        const id = requeued.length > 0 ? requeued.shift() : next < files.length ? next++ : undefined;
        if (id === undefined || !isBig(id) || bigInFlight.size === 0) return id;
        deferred.push(id);
      }
    };

    const fill = (slot: Slot) => {
      while (!stopping && slot.inFlight.length < options.inFlight) {
        const id = take();
        if (id === undefined) return;
        slot.inFlight.push(id);
        if (isBig(id)) bigInFlight.add(id);
        const job: WorkerJob = { id, path: files[id]!.path, display: files[id]!.display };
        slot.worker.postMessage(job);
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
        const at = slot.inFlight.indexOf(message.id);
        if (at < 0) return;
        slot.inFlight.splice(at, 1);
        if (message.report.recycle) replace(slot, worker);
        else fill(slot);
        finish(message.id, message.report);
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
        const crashed = slot.inFlight.shift();
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
