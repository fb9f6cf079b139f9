// Background threads step aside while the server checks a keystroke.
//
// The package index's reader thread reads and summarises a folder file by file (a few
// milliseconds each; the runtime package has 500 files). On a 2-core machine a keystroke's check
// runs beside it, and the editor needs a core to take the diagnostics when they are published:
// measured through the stdio server on the 20 typical bench files, keystroke p99 was 6.2-7.4 ms
// with the index reading folders and 5.2-5.9 ms without an index at all, although the reader
// already runs at the lowest priority (threadPriority.ts: its V8 helper threads do not, and two
// virtual cores may share one physical core). So the server raises a flag from the moment a
// change arrives until its diagnostics are out, and the reader waits before each file while it
// is raised, and for QUIET_MS after, when the next keystroke often follows at once. Typing at
// human speed leaves the reader most of the time; a stream of changes with no gaps holds it off
// for up to MAX_WAIT_MS per file, so the index still moves on.
//
// The flag lives in a SharedArrayBuffer: raising it is one atomic store, with no message for the
// reader thread to receive.

/** Int32 cells of the shared buffer. */
const BUSY = 0;
const ENDS = 1;

/** After a keystroke's diagnostics are published, how long no other may start before the reader goes on. */
export const QUIET_MS = 5;
/** The longest the reader waits before a file, whatever the server is doing. */
export const MAX_WAIT_MS = 250;

/** The server's side: raises the flag while a keystroke is being checked. */
export class ForegroundSignal {
  readonly buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  private readonly cells = new Int32Array(this.buffer);

  /** A change arrived: its check and publication are foreground work. */
  busy(): void {
    if (Atomics.exchange(this.cells, BUSY, 1) === 0) Atomics.notify(this.cells, BUSY);
  }

  /** Nothing is waiting to be checked any more. */
  idle(): void {
    if (Atomics.exchange(this.cells, BUSY, 0) === 0) return;
    Atomics.add(this.cells, ENDS, 1);
    Atomics.notify(this.cells, BUSY);
  }
}

/** A background thread's side: waits for a quiet moment before each unit of work. */
export class ForegroundWait {
  private readonly cells: Int32Array;
  /** The count of ended busy periods when this thread last went on. */
  private seen: number;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly quietMs: number = QUIET_MS,
    private readonly maxWaitMs: number = MAX_WAIT_MS,
  ) {
    this.cells = new Int32Array(buffer);
    this.seen = Atomics.load(this.cells, ENDS);
  }

  /**
   * Returns when no keystroke is being checked and none was for quietMs (at once when none was
   * since the last call), or after maxWaitMs. Blocks the calling thread: only for threads that
   * have nothing else to do meanwhile.
   */
  untilQuiet(): void {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      if (Atomics.load(this.cells, BUSY) === 1) {
        Atomics.wait(this.cells, BUSY, 1, left);
        continue;
      }
      const ends = Atomics.load(this.cells, ENDS);
      if (ends === this.seen) return;
      this.seen = ends;
      // A keystroke just ended: another that starts within quietMs wakes this wait early.
      Atomics.wait(this.cells, BUSY, 0, Math.min(this.quietMs, left));
    }
  }
}
