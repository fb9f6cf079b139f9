// Entry point of the language server. Speaks LSP over IPC when started by the VS Code client,
// or over stdio (`node server/out/server.js --stdio`) for Neovim, Helix, Emacs and other editors.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RubricServer } from './lsp/rubricServer';

const connection = createConnection(ProposedFeatures.all);
new RubricServer(connection).listen();
