// A full garbage collection once the server goes idle after a burst of work.
//
// Keystrokes leave garbage in V8's old generation (replaced cache entries, texts that were still
// alive at a young collection), which V8 collects only when the old generation reaches a limit
// that starts small and grows with it: measured with one file open, the old generation grew from
// 10 to 22 MiB over the first 9,000 edits before its first full collection, and the server's
// resident memory with it. A browser tab that goes idle gets a collection from V8's memory
// reducer; Node has none, so the server does it: half a second after its last check, if the heap
// has grown by 8 MiB since the last such collection. A keystroke that arrives during one waits a
// few milliseconds, once in thousands of keystrokes.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const IDLE_MS = 500;
const GROWTH_BYTES = 8 * 1024 * 1024;

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private usedAfterLast = getHeapStatistics().used_heap_size;
  private gc: (() => void) | null | undefined;
  /** Full collections run so far (for tests and logs). */
  collections = 0;

  constructor(
    private readonly idleMs: number = IDLE_MS,
    private readonly growthBytes: number = GROWTH_BYTES,
  ) {}

  /** Work was done: the idle period starts again from now. */
  activity(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.idleMs);
    // Never the reason the process stays up.
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collect(): void {
    this.timer = undefined;
    if (getHeapStatistics().used_heap_size - this.usedAfterLast < this.growthBytes) return;
    this.gc ??= exposedGc();
    if (!this.gc) return;
    this.gc();
    this.collections++;
    this.usedAfterLast = getHeapStatistics().used_heap_size;
  }
}

/**
 * V8's gc() function, which Node exposes only with --expose-gc: the flag can be turned on at run
 * time, and a context created after that has gc() as a global. Null if that fails.
 */
function exposedGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    // The function stays usable; the flag goes back to its default, with which the server's code
    // cache is stamped (see runtimeFlags.ts).
    try {
      setFlagsFromString('--no-expose-gc');
    } catch {
      // Nothing to restore.
    }
  }
}
