// The language server (started by server.ts). Speaks LSP over IPC when started by the VS Code client,
// or over stdio (`node server/out/server.js --stdio`) for Neovim, Helix, Emacs and other editors.
import { createConnection, ProposedFeatures, type MessageWriter } from 'vscode-languageserver/node';
import { RubricServer } from './lsp/rubricServer';
import { SingleWriteMessageWriter } from './lsp/singleWriteMessageWriter';
import { youngGeneration } from './lsp/youngGeneration';

function connect() {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  // stdout carries the protocol: anything a dependency prints with console.log goes to stderr
  // (vscode-languageserver does the same, with its own writer, when it sees --stdio).
  console.log = console.info = console.debug = console.error;
  // stdin stays a stream so that the connection still exits when the editor closes it.
  const writer: MessageWriter = new SingleWriteMessageWriter(process.stdout);
  return createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
}

// A promise that rejects with no handler (a client that refuses one of our requests, say) must not
// end the server, as Node does by default: log it and go on. Handlers are guarded on their own.
process.on('unhandledRejection', (reason) => {
  console.error(`go-rubric: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

youngGeneration.start();
new RubricServer(connect()).listen();
