// Keeps the language server's young generation (V8's new space) at 16 MiB.
//
// V8 starts a process with a small new space and doubles it, up to 32 MiB on 64-bit machines, when
// many objects survive its collections. In the server that happened a few thousand keystrokes in
// (measured with one file open: 16 MiB after 2,000 edits, 32 MiB by 4,000), for 21 MiB more
// resident memory and no gain: with 8 or 16 MiB semi-spaces the keystroke latencies were the same
// (docs/performance.md). The cap is the growth factor: set to 1 once the new space has reached
// 16 MiB, V8 keeps it there (the maximum size itself can only be set on Node's command line, which
// editors write, not us).
//
// The flag is process-wide: the package index's reader thread keeps the young generation it starts
// with, which suits a background reader. A workspace check lifts the cap while its checker threads
// run (whileBulk).
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { registerRuntimeFlag } from '../runtimeFlags';

/** Both semi-spaces of the new space. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;
/** V8's own value of --semi-space-growth-factor. */
const DEFAULT_GROWTH_FACTOR = 2;

export class YoungGenerationCap {
  private capped = false;
  private bulk = 0;
  private observer: PerformanceObserver | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly capBytes: number = YOUNG_GENERATION_CAP_BYTES) {}

  /**
   * Checks after every collection (the new space grows only at one) whether it has reached the cap.
   * The observer runs between tasks, so a burst of collections within one long task (opening a huge
   * file) can still double it once past the cap; a keystroke's check is far too short for that.
   */
  start(): void {
    if (this.observer) return;
    this.observer = new PerformanceObserver(() => this.adjust());
    this.observer.observe({ entryTypes: ['gc'] });
    // The code cache must not be stamped with the capped flag (see runtimeFlags.ts).
    this.unregister = registerRuntimeFlag(() => {
      const wasCapped = this.capped;
      this.set(false);
      return () => this.set(wasCapped);
    });
    this.adjust();
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.unregister?.();
    this.unregister = undefined;
    this.set(false);
  }

  /** Runs bulk work on worker threads with the cap lifted, so that their young generations can grow. */
  async whileBulk<T>(work: () => Promise<T>): Promise<T> {
    this.bulk++;
    this.set(false);
    try {
      return await work();
    } finally {
      this.bulk--;
      this.adjust();
    }
  }

  private adjust(): void {
    if (!this.observer || this.bulk > 0) return;
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace) this.set(newSpace.space_size >= this.capBytes);
  }

  private set(capped: boolean): void {
    if (capped === this.capped) return;
    this.capped = capped;
    setFlagsFromString(`--semi-space-growth-factor=${capped ? 1 : DEFAULT_GROWTH_FACTOR}`);
  }
}

/** The server process's cap (started by serverMain.ts; the CLI and the tests leave it off). */
export const youngGeneration = new YoungGenerationCap();
