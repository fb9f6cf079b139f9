// The environment the language server is started with: the editor's own, minus variables that
// only cost the server start-up time.
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
