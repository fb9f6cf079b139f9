// The VS Code side of Go Rubric. It is deliberately thin: all analysis lives in the language
// server (server/out/server.js), so that the CLI and other editors get exactly the same results.
// This file only starts that server, shows whether it is running, offers a restart, and starts
// the server's workspace check and rubric report with a progress notification.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  LSPErrorCodes,
  ResponseError,
  State,
  TransportKind,
  WorkDoneProgress,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { GO_EXTENSION_ID, withDeferResolved } from './goplsPresence';
import { SERVER_NODE_OPTIONS, serverEnvironmentOverrides } from './serverEnvironment';

// The client id decides the trace setting the library reads: `goRubric.trace.server`.
const CLIENT_ID = 'goRubric';
const CLIENT_NAME = 'Go Rubric';

/**
 * The workspace check as the server advertises it (executeCommandProvider). vscode-languageclient
 * registers every advertised command id as a VS Code command, which would clash with registering
 * goRubric.checkWorkspace here; so the server advertises its own id (registered by the library,
 * not in package.json, so not in the palette), and goRubric.checkWorkspace is ours. Ours exists
 * before the server has started, can say so when it is not running, and shows the progress as a
 * notification: the library shows progress that the server creates only in the status bar.
 */
const SERVER_CHECK_WORKSPACE = 'goRubric.server.checkWorkspace';

/** The rubric report, computed by the server (server/src/lsp/reportCommand.ts) and shown here. */
const SERVER_REPORT = 'goRubric.server.report';

/** The server's answer to SERVER_REPORT. */
interface ReportResult {
  markdown: string;
  cancelled: boolean;
}

/** The server's answer to SERVER_CHECK_WORKSPACE (server/src/lsp/workspaceCheck.ts). */
interface WorkspaceCheckSummary {
  files: number;
  findings: number;
  problems: number;
  ms: number;
  cancelled: boolean;
}

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.LanguageStatusItem;
let goplsWatch: vscode.Disposable | undefined;
/** When the running server exited unexpectedly and the client restarted it, since the last manual (re)start. */
const crashes: Date[] = [];

/** What the extension exports: the language status it shows (for tests and other extensions). */
export interface GoRubricApi {
  status(): { text: string; detail: string | undefined; severity: vscode.LanguageStatusSeverity };
}

export async function activate(context: vscode.ExtensionContext): Promise<GoRubricApi> {
  // One log channel for our own messages, the server's stderr and the protocol trace, so a bug
  // report needs only one copy-paste. vscode-languageclient 11 requires a LogOutputChannel.
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  status = vscode.languages.createLanguageStatusItem('goRubric.status', { language: 'go' });
  status.name = CLIENT_NAME;
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('goRubric.restartServer', () => restart(context)),
    vscode.commands.registerCommand('goRubric.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('goRubric.checkWorkspace', () => checkWorkspace()),
    vscode.commands.registerCommand('goRubric.showReport', () => showReport(context)),
  );
  await restart(context);
  return { status: () => ({ text: status.text, detail: status.detail, severity: status.severity }) };
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/**
 * Starts a fresh client, first disposing the previous one. A LanguageClient whose start failed
 * cannot be started again, so "restart" always builds a new one: that is what makes the command
 * useful after a failure (for example after rebuilding a missing server/out/server.js).
 */
async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  crashes.length = 0;
  showState(State.Starting);

  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnvironmentOverrides(), execArgv: [...SERVER_NODE_OPTIONS] } },
    // Used when the extension host itself runs under a debugger ("Run Extension"): attach to port 6009.
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { env: serverEnvironmentOverrides(), execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6009'] },
    },
  };
  let next: LanguageClient | undefined;
  let crashPolicy: ErrorHandler | undefined;
  const clientOptions: LanguageClientOptions = {
    // Untitled Go buffers are checked too: the server needs only the text, not a file on disk.
    // go.mod files get the project-setup rules (GR002-GR004); they are matched by name, since
    // their language id depends on which extensions are installed ("go.mod" with the Go extension).
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
      { scheme: 'file', pattern: '**/go.mod' },
    ],
    // Sends didChangeConfiguration when goRubric.* changes so the server re-checks open files, and
    // didChangeWatchedFiles when a go.mod changes (its `go` directive gates version-specific advice)
    // or a .go file does (the server's package index: what the other files of a package declare),
    // and when a go.sum appears or goes (GR002 on the go.mod beside it), and when a Go Rubric
    // configuration file is created, changed or deleted (the server reads it again).
    synchronize: {
      configurationSection: 'goRubric',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/go.mod'),
        vscode.workspace.createFileSystemWatcher('**/go.sum'),
        vscode.workspace.createFileSystemWatcher('**/*.go'),
        vscode.workspace.createFileSystemWatcher('**/{.gorubric.json,.gorubric.yaml,.gorubric.yml}'),
      ],
    },
    outputChannel: output,
    traceOutputChannel: output,
    // goRubric.deferToGopls "auto" depends on the Go extension, which only this side can see:
    // the settings the server pulls carry "on" or "off".
    middleware: {
      workspace: {
        configuration: async (params, token, pull) => {
          const result = await pull(params, token);
          if (!Array.isArray(result)) return result;
          const goExtension = vscode.extensions.getExtension(GO_EXTENSION_ID) !== undefined;
          return result.map((value, i) => {
            const item = params.items[i];
            if (item?.section !== 'goRubric') return value;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return withDeferResolved(value, goExtension, vscode.workspace.getConfiguration('go', scope).get('useLanguageServer'));
          });
        },
      },
    },
    // The library's default policy restarts a server that exits, up to 4 times in 3 minutes. That
    // is right for a crash while running, but a server that exits while starting (a missing or
    // broken bundle) only fails the same way again within a second: stop at the first failure.
    errorHandler: {
      error: (error, message, count) => crashPolicy?.error(error, message, count) ?? { action: ErrorAction.Shutdown },
      closed: async () => {
        if (next?.state !== State.Running || !crashPolicy) {
          return {
            action: CloseAction.DoNotRestart,
            message: 'The Go Rubric server exited while starting (see the messages above). Fix the cause, then run "Go Rubric: Restart Server".',
          };
        }
        const result = await crashPolicy.closed();
        if (result.action === CloseAction.Restart) {
          crashes.push(new Date());
          output.warn(`The Go Rubric server exited unexpectedly; restarting it (${crashes.length} time${crashes.length === 1 ? '' : 's'} since the last manual restart).`);
        }
        return result;
      },
    },
  };

  try {
    // The constructor can throw (for example on a VS Code older than the library supports).
    next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  } catch (error) {
    reportStartFailure(error);
    return;
  }
  crashPolicy = next.createDefaultErrorHandler();
  client = next;
  watchGopls(context, next);
  // Ignore events from clients we have already replaced: a disposed client still reports "stopped".
  next.onDidChangeState((event) => {
    if (client === next) showState(event.newState);
  });
  try {
    await next.start();
  } catch (error) {
    // The library has already logged the details; make sure the reason is visible, and leave
    // the extension active so "Restart Server" and "Show Output" keep working.
    if (client === next) reportStartFailure(error);
  }
}

/**
 * Tells the server to pull its settings again when what goRubric.deferToGopls "auto" depends on
 * changes: the Go extension enabled or disabled, or go.useLanguageServer changed.
 */
function watchGopls(context: vscode.ExtensionContext, watched: LanguageClient): void {
  let goExtension = vscode.extensions.getExtension(GO_EXTENSION_ID) !== undefined;
  const changed = () => {
    if (client === watched && watched.state === State.Running) void watched.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  };
  // One watch at a time: a restart replaces the previous client's.
  goplsWatch?.dispose();
  goplsWatch = vscode.Disposable.from(
    vscode.extensions.onDidChange(() => {
      const now = vscode.extensions.getExtension(GO_EXTENSION_ID) !== undefined;
      if (now !== goExtension) changed();
      goExtension = now;
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('go.useLanguageServer')) changed();
    }),
  );
  context.subscriptions.push({ dispose: () => goplsWatch?.dispose() });
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (!old) return;
  try {
    await old.dispose();
  } catch {
    // dispose() rejects when the client never got running (start failed or still starting);
    // the Node client still terminates the server process in that case, which is all we need.
  }
}

/**
 * Asks the server to check every Go file of the workspace, showing its progress in a cancellable
 * notification (the request carries our own work-done token), then a summary. Resolves with the
 * summary, for tests and other extensions.
 */
async function checkWorkspace(): Promise<WorkspaceCheckSummary | undefined> {
  const summary = await runServerCommand<WorkspaceCheckSummary>(SERVER_CHECK_WORKSPACE, 'checking the workspace', 'workspace check');
  if (summary) void showSummary(summary);
  return summary;
}

/**
 * Asks the server for the rubric report of the workspace folders and opens it in the markdown
 * preview. The report is written to the extension's storage (not an untitled editor, which would
 * ask to be saved on closing); its links open the files at the lines it names. Resolves with the
 * report's file, for tests.
 */
async function showReport(context: vscode.ExtensionContext): Promise<vscode.Uri | undefined> {
  const result = await runServerCommand<ReportResult>(SERVER_REPORT, 'writing the rubric report', 'rubric report');
  if (!result || result.cancelled) return undefined;
  const folder = context.storageUri ?? context.globalStorageUri;
  await vscode.workspace.fs.createDirectory(folder);
  const file = vscode.Uri.joinPath(folder, 'Go Rubric report.md');
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(result.markdown));
  await vscode.commands.executeCommand('markdown.showPreview', file);
  return file;
}

/**
 * Runs a server command that works through the workspace, showing its progress in a cancellable
 * notification (the request carries our own work-done token). Undefined when the server is not
 * running, the user cancelled, or it failed (then the error is shown).
 */
async function runServerCommand<T>(command: string, doing: string, what: string): Promise<T | undefined> {
  const running = client;
  if (!running || running.state !== State.Running) {
    void vscode.window.showErrorMessage('Go Rubric: the language server is not running. See "Go Rubric: Show Output", then run "Go Rubric: Restart Server".');
    return undefined;
  }
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Go Rubric: ${doing}`, cancellable: true },
      async (progress, cancellation) => {
        const token = randomUUID();
        let shown = 0;
        const listener = running.onProgress(WorkDoneProgress.type, token, (value) => {
          if (value.kind === 'end') return;
          // VS Code's progress takes increments; the server reports percentages done.
          const percentage = Math.min(100, value.percentage ?? shown);
          progress.report({ message: value.message, increment: Math.max(0, percentage - shown) });
          shown = Math.max(shown, percentage);
        });
        try {
          // Cancelling the notification cancels the request; the server stops and answers with what it did.
          return (await running.sendRequest(ExecuteCommandRequest.type, { command, arguments: [], workDoneToken: token }, cancellation)) as T;
        } finally {
          listener.dispose();
        }
      },
    );
  } catch (error) {
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) return undefined;
    if (client !== running) return undefined; // restarted meanwhile: the new server is what counts
    const message = error instanceof Error ? error.message : String(error);
    output.error(`${what} failed: ${message}`);
    void vscode.window.showErrorMessage(`Go Rubric: the ${what} failed: ${message}`);
    return undefined;
  }
}

async function showSummary(summary: WorkspaceCheckSummary): Promise<void> {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const found = `${plural(summary.findings, 'finding')} in ${plural(summary.files, 'file')}`;
  // The summary's "problems" are files or folders that could not be checked (named in the output),
  // not the Problems view's entries.
  const problems = summary.problems > 0 ? `; ${summary.problems} could not be checked, see the output` : '';
  const text = summary.cancelled
    ? `Go Rubric: workspace check cancelled after ${found}${problems}.`
    : `Go Rubric: ${found} (${(summary.ms / 1000).toFixed(1)} s)${problems}.`;
  const actions = summary.problems > 0 ? ['Show Problems', 'Show Output'] : summary.findings > 0 ? ['Show Problems'] : [];
  const choice = await vscode.window.showInformationMessage(text, ...actions);
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === 'Show Output') output.show(true);
}

function reportStartFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  output.error(`Go Rubric language server failed to start: ${message}`);
  showState(State.StartFailed);
}

/** What the language status item shows in each state. */
const STATE_VIEW: Record<State, { text: string; severity: vscode.LanguageStatusSeverity; command: vscode.Command }> = {
  [State.Running]: { text: 'Go Rubric: running', severity: vscode.LanguageStatusSeverity.Information, command: { title: 'Show Output', command: 'goRubric.showOutput' } },
  [State.Starting]: { text: 'Go Rubric: starting', severity: vscode.LanguageStatusSeverity.Information, command: { title: 'Show Output', command: 'goRubric.showOutput' } },
  [State.StartFailed]: { text: 'Go Rubric: failed', severity: vscode.LanguageStatusSeverity.Error, command: { title: 'Show Output', command: 'goRubric.showOutput' } },
  // Reached when the server crashed more often than the client's restart policy allows.
  [State.Stopped]: { text: 'Go Rubric: stopped', severity: vscode.LanguageStatusSeverity.Warning, command: { title: 'Restart', command: 'goRubric.restartServer' } },
};

function showState(state: State): void {
  const view = STATE_VIEW[state];
  status.busy = state === State.Starting;
  status.text = view.text;
  status.severity = view.severity;
  status.command = view.command;
  status.detail = undefined;
  // A server that crashed and was brought back says so until the next manual restart.
  const last = crashes[crashes.length - 1];
  if (state === State.Running && last) {
    status.text = 'Go Rubric: restarted after a crash';
    status.severity = vscode.LanguageStatusSeverity.Warning;
    status.detail = `The server exited unexpectedly at ${last.toLocaleTimeString()} and was restarted automatically${crashes.length > 1 ? ` (${crashes.length} times)` : ''}.`;
  }
}
