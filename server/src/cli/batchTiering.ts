// How eagerly V8 optimises JavaScript during a batch run (check, report).
//
// A batch run is a few seconds of the same few hundred hot functions over thousands of files, on
// one isolate per worker thread. With V8's default interrupt budget (132 KB of bytecode executed
// before a function's tiering is reconsidered) each isolate optimised over 500 functions and
// re-optimised many of them after deoptimising on still-young type feedback: 1.3 s of TurboFan
// work per isolate on the standard library (a --jobs 1 run takes 10.2 s instead of 8.9 s when
// that work is moved onto the main thread with --no-concurrent-recompilation), paid again by each
// worker and competing with the checkers for the same two cores. A larger budget optimises
// later, with settled feedback, and less often. Measured on the standard library (check
// --no-cache, 2 cores, medians of 4 interleaved runs): 6.42 s by default, 5.89 s at 300,000,
// 5.88 s at 600,000 and at 1,200,000; the library corpus 18.7 -> 17.0 s; net/http 0.85 -> 0.77 s.
//
// Only when the checker threads take every core: with a core to spare (--jobs 1 on two cores),
// V8 optimises on it for free, and the default budget was faster (9.1 against 9.4 s, --jobs 1).
// The flag is process-wide and read whenever a function's budget is reset, so it is set before
// the worker threads start. The language server leaves it alone: a keystroke's check is short
// and wants its functions optimised early.
import { setFlagsFromString } from 'node:v8';

/** Bytes of bytecode a function executes before V8 reconsiders optimising it, in a batch run. */
export const BATCH_INTERRUPT_BUDGET = 600_000;

/**
 * The V8 flag a batch run on `jobs` checker threads sets on a machine with `cores` cores, or
 * undefined: none when a core is left over, or when node was started with its own budget
 * (node --interrupt-budget=N).
 */
export function batchTieringFlag(jobs: number, cores: number, execArgv: readonly string[]): string | undefined {
  if (jobs < cores || execArgv.some((arg) => /^--interrupt[-_]budget\b/.test(arg))) return undefined;
  return `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`;
}

/** Sets the batch run's flag, if any, before its worker threads start. */
export function tuneTieringForBatchRun(jobs: number, cores: number, execArgv: readonly string[] = process.execArgv): void {
  const flag = batchTieringFlag(jobs, cores, execArgv);
  if (flag) setFlagsFromString(flag);
}
