// V8 flags the server changes while it runs, and a way to put them back for a moment.
//
// V8 stamps a code cache with a hash of its flags, and a process whose flags hash differently
// rejects the cache and compiles everything again (about 100 ms more to first diagnostics here).
// The server changes flags at run time (the young generation's growth factor, youngGeneration.ts),
// so the code cache that server.ts writes would be stamped with a state a fresh process never has
// at start, and rejected: measured as a bimodal start-up, 230-270 ms or 340-360 ms. server.ts
// therefore writes it inside withDefaultFlags(). The loader (server.ts) and the server
// (serverMain.js) are separate bundles, each with its own copy of this module, so the flags'
// owners register through a process-wide registry (Symbol.for) rather than a module variable.

/** Puts a flag back to V8's default and returns how to restore its current value. */
export type ResetToDefault = () => () => void;

const REGISTRY = Symbol.for('go-rubric.runtime-flags');
type Registry = { [REGISTRY]?: Set<ResetToDefault> };

function registry(): Set<ResetToDefault> {
  const holder = globalThis as Registry;
  return (holder[REGISTRY] ??= new Set());
}

/** Registers a flag the caller changes at run time; the returned function unregisters it. */
export function registerRuntimeFlag(reset: ResetToDefault): () => void {
  registry().add(reset);
  return () => registry().delete(reset);
}

/** Runs `fn` with every registered flag at its default, then restores them (also if `fn` throws). */
export function withDefaultFlags<T>(fn: () => T): T {
  const restores = [...registry()].map((reset) => reset());
  try {
    return fn();
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}
