// The environment the language server is started with: the editor's own, minus variables that
// only cost the server start-up time; and the Node options it runs with.
//
// NODE_EXTRA_CA_CERTS names a bundle of extra TLS root certificates (common on corporate machines
// and in containers). Node reads and parses the whole bundle while it boots, before any of the
// server's code runs: about 70 ms on the 2-core benchmark machine with Debian's 140-certificate
// bundle, a quarter of the time to first diagnostics. The server never opens a TLS connection
// (it reads files and speaks LSP over IPC), so it does not need them.

/** Variables removed from the server's environment; see above for why each one is safe to drop. */
export const VARIABLES_THE_SERVER_DOES_NOT_NEED = ['NODE_EXTRA_CA_CERTS'] as const;

/**
 * The `env` option for the server's process: vscode-languageclient merges it over the extension
 * host's environment, and Node's child_process leaves out variables whose value is undefined.
 */
export function serverEnvironmentOverrides(): Record<string, undefined> {
  return Object.fromEntries(VARIABLES_THE_SERVER_DOES_NOT_NEED.map((name) => [name, undefined]));
}

/**
 * Node options for the server's process.
 *
 * --v8-pool-size=1: one V8 platform thread for the server's background work (optimizing compiles,
 * the concurrent and parallel phases of garbage collection) instead of four. A keystroke's check
 * runs on the server's main thread; on a 2-core machine the other core is wanted by the editor,
 * and bursts of V8 helpers on both cores delayed keystrokes most at the tail (measured through the
 * stdio server on the 20 typical bench files, 4 interleaved runs each: keystroke p99 6.3 ms with
 * the default pool, 5.3 with 2 threads, 4.7 with 1; p50 unchanged).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--v8-pool-size=1'];
