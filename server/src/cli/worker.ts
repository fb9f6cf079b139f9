// A checker thread (bundled as server/out/cliWorker.js), started by the CLI and by the language
// server's workspace check (lsp/workspaceCheck.ts): one parser and one engine, checking the files
// the main thread sends, one at a time, and answering with each file's small report.
// Trees are freed before the answer goes out. web-tree-sitter's wasm heap grows to fit the largest
// tree parsed so far and never shrinks, so a worker whose heap has grown past RECYCLE_BYTES asks to
// be replaced by a fresh one (the main thread does that between files).
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { checkFile, createChecker, FAULT_MARKERS, faultsEnabled } from './checkFile';
import type { FileReport } from './checkFile';
import type { WorkerJob, WorkerMessage, WorkerSetup } from './pool';

const port = parentPort;
if (!port) throw new Error('go-rubric: cliWorker.js runs only as a worker thread of the CLI or the language server');
const setup = workerData as WorkerSetup;

/**
 * Memory outside the JavaScript heap, mostly the wasm heap: 32 MiB at start, still 34 MiB after every
 * hand-written file of the Go standard library, but about 170 MiB after parsing a 5 MB table.
 */
const RECYCLE_BYTES = 128 * 1024 * 1024;

void createChecker({ severities: new Map(setup.config) }, { related: setup.related === true, applicable: setup.applicable === true, fix: setup.fix === true }).then((checker) => {
  // Reports go back in batches: every file checked from the jobs that were waiting, in one message
  // once they are done (a message per file cost a worker 280 of 9,500 ms on the standard library,
  // most of it waking the main thread).
  let batch: { id: number; report: FileReport }[] = [];
  let flushing = false;
  /** After a report that asks for a fresh worker, the jobs still queued here are left to it. */
  let retiring = false;
  const flush = () => {
    flushing = false;
    if (batch.length === 0) return;
    port.postMessage({ type: 'results', results: batch } satisfies WorkerMessage);
    batch = [];
  };
  port.on('message', (job: WorkerJob) => {
    if (retiring) return;
    if (faultsEnabled() && injectedCrash(job.path)) throw new Error('injected worker crash');
    const report = checkFile(checker, job.path, job.display);
    if (getHeapStatistics().external_memory > RECYCLE_BYTES) report.recycle = true;
    batch.push({ id: job.id, report });
    if (report.recycle) {
      retiring = true;
      flush();
    } else if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
});
// A failure to load the parser rejects the promise above: an unhandled rejection ends this thread
// with an 'error' event, and the main thread stops the run with that message.

function injectedCrash(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(FAULT_MARKERS.crash);
  } catch {
    return false;
  }
}
