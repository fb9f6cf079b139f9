// The language server: keeps open Go documents parsed incrementally, runs the engine on them,
// and answers with diagnostics, quick fixes and hovers; on request it also checks the whole
// workspace from disk (workspaceCheck.ts). Every handler is guarded: a failure is
// logged and answered with an empty result, never allowed to take the server down.
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type WorkspaceEdit,
  type Diagnostic,
  type ExecuteCommandParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { checkFile, faultsEnabled, withRuleFaults, type FileReport } from '../cli/checkFile';
import { GoModLocator } from '../analysis/goModLocator';
import { DocumentAnalysis, type DocumentPlace } from '../documents/documentAnalysis';
import { DocumentStore } from '../documents/documentStore';
import type { GoDocument } from '../documents/goDocument';
import type { RuleConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { computeFileFacts } from '../engine/fileFacts';
import type { ConfigScope } from '../config/configScope';
import type { Finding, RuleInfo, TextEdit } from '../engine/types';
import { fixEdits } from '../fixes/applyFix';
import { fixAll } from '../fixes/fixAll';
import { textAnalyzer } from '../analysis/analyzer';
import { insideMultilineToken } from '../engine/syntax';
import { FIX_ALL_KIND, kindRequested, quickFixes, replacementEdit, type FixAllData } from './codeActions';
import { findingsHover } from '../hover/ruleHover';
import { createGoParser } from '../parsing/goParser';
import { allRules, catalog, directiveRules } from '../rules';
import { toDiagnostic, toLspEdit, toRange, SOURCE } from './convert';
import { EditorConfigs } from './editorConfig';
import { ForegroundSignal } from './foregroundGate';
import { GoModDocuments, isGoModUri } from './goModDocuments';
import { pathOption } from './paths';
import { REPORT_COMMAND, workspaceReport, type ReportResult } from './reportCommand';
import { IdleCollector } from './idleCollector';
import { WorkspacePackages } from './packageIndexer';
import {
  CHECK_WORKSPACE_ALIAS,
  CHECK_WORKSPACE_COMMAND,
  WorkspaceCheck,
  type WorkspaceCheckSummary,
  type WorkspaceFolderPath,
} from './workspaceCheck';

/** The settings under the "goRubric" section. */
export interface ServerSettings {
  enable: boolean;
  rules: Record<string, unknown>;
  /** Path globs relative to the workspace folder: matching files get no diagnostics (editorConfig.ts). */
  exclude: string[];
  /** Milliseconds to wait after a change before checking; 0 checks at once. */
  debounce: number;
  /**
   * Leave the rules that duplicate gopls's default vet analyzers to gopls. "auto" is resolved by
   * the VS Code client (on when the Go extension runs gopls); a server that receives it from
   * another client cannot tell, and runs the rules.
   */
  deferToGopls: 'on' | 'off' | 'auto';
}

const DEFAULT_SETTINGS: ServerSettings = { enable: true, rules: {}, exclude: [], debounce: 0, deferToGopls: 'auto' };

/**
 * After this much quiet, a parse that was cut off, or an incremental tree with syntax errors, is
 * replaced by a fresh parse (GoDocument.settle) and the document checked again; the diagnostics
 * are published again if that changed them.
 */
const SETTLE_DELAY_MS = 300;

interface Analysis {
  version: number;
  config: RuleConfig;
  findings: Finding[];
}

export class RubricServer {
  private store: DocumentStore | undefined;
  private readonly engine: Engine;
  private readonly rulesByCode = new Map<string, RuleInfo>(catalog.map((r) => [r.meta.code, r]));
  private readonly ruleNames = new Map<string, string>(catalog.map((r) => [r.meta.code, r.meta.name]));
  private readonly workspaceCheck: WorkspaceCheck;
  /** Open documents' file paths by URI, so the workspace check can tell which files are open. */
  private readonly openPaths = new Map<string, string>();
  /** From initialize; asked for again before each workspace check when the client can answer. */
  private initialFolders: WorkspaceFolder[] = [];
  private canAskForFolders = false;
  private canPullConfiguration = false;
  private canUseVersionedEdits = false;
  /** The client asks for a code action's edit when it is chosen (codeAction/resolve): "Fix all" is computed only then. */
  private canResolveEdits = false;
  private globalSettings: ServerSettings = DEFAULT_SETTINGS;
  private readonly settingsCache = new Map<string, Promise<ServerSettings>>();
  /** The last resolved rule configuration per document, for requests answered synchronously. */
  private readonly configs = new Map<string, { settings: ServerSettings; enabled: boolean; config: RuleConfig; debounce: number }>();
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  private readonly settleTimers = new Map<string, NodeJS.Timeout>();
  private readonly caches = new Map<string, DocumentAnalysis>();
  /** Each file's go.mod and its `go` directive, cached until a go.mod changes. */
  private readonly goMod = new GoModLocator();
  private readonly warnedSkips = new Set<string>();
  /** What the other files of each open document's package declare (see packageIndexer.ts). */
  private readonly packages: WorkspacePackages;
  /** The package view each open document's summary was last sent to the index with. */
  private readonly indexedViews = new Map<string, unknown>();
  /** Open documents waiting to be checked again after a change to their package. */
  private readonly indexRechecks = new Set<string>();
  /** Each document's and folder's rule configuration: configuration files and settings. */
  private readonly editorConfigs: EditorConfigs;
  /** A full collection once the server has been idle a while after checks (see idleCollector.ts). */
  private readonly idle = new IdleCollector();
  /** Raised from a change's arrival until its diagnostics are out: the index's reader waits meanwhile (foregroundGate.ts). */
  private readonly foreground = new ForegroundSignal();
  /** Open go.mod files, checked with the go.mod rules. */
  private readonly goModDocs: GoModDocuments;

  constructor(private readonly connection: Connection) {
    // A rule that fails on a file fails again on each keystroke in it: say so once per rule and file.
    const logged = new Set<string>();
    this.engine = new Engine(
      faultsEnabled() ? withRuleFaults(allRules) : allRules,
      (message, once) => {
        if (once !== undefined) {
          if (logged.has(once)) return;
          logged.add(once);
        }
        connection.console.error(message);
      },
      directiveRules,
    );
    this.editorConfigs = new EditorConfigs(connection, catalog, (message) => this.showWarning(message));
    this.goModDocs = new GoModDocuments(connection, async (uri) => {
      const { enabled, config } = this.editorConfigs.forDocument(uri, await this.settingsFor(uri));
      return enabled ? config : undefined;
    });
    this.packages = new WorkspacePackages(
      (message) => connection.console.error(message),
      (dir, except) => this.packagesChanged(dir, except),
      undefined,
      this.foreground.buffer,
    );
    this.workspaceCheck = new WorkspaceCheck(
      {
        connection,
        folders: () => this.workspaceFolders(),
        folderConfig: (folder) => this.folderConfig(folder),
        isOpen: (path) => [...this.openPaths.values()].includes(path),
        checkNow: (path, config) => this.checkFromDisk(path, config),
      },
      this.rulesByCode,
    );
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      if (this.canPullConfiguration) {
        // Ask to be told about settings changes (the settings themselves are pulled per document).
        void c.client.register(DidChangeConfigurationNotification.type, { section: 'goRubric' }).catch(() => undefined);
      }
      // The package index reads the workspace folders of initialize in the background; open
      // documents are checked meanwhile with what it has, and again as their folders are read.
      // (A folder added later is read as its files are opened.)
      this.packages.index(this.initialFolders.flatMap((folder) => pathOption(folder.uri).path ?? []));
      // Configuration files are looked for inside the workspace folders, so their list is kept.
      if (this.canAskForFolders) {
        c.workspace.onDidChangeWorkspaceFolders(() =>
          this.guard('didChangeWorkspaceFolders', undefined, () => void this.workspaceFolders().then(() => this.recheckAll())),
        );
      }
    });
    c.onDidOpenTextDocument((p) =>
      this.guard('didOpen', undefined, () => {
        if (isGoModUri(p.textDocument.uri)) return this.goModDocs.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
        if (!this.store || !isGo(p.textDocument.uri, p.textDocument.languageId)) return;
        this.store.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
        const path = pathOption(p.textDocument.uri).path;
        if (path !== undefined) {
          this.openPaths.set(p.textDocument.uri, path);
          this.packages.opened(path);
        }
        this.schedule(p.textDocument.uri, 0);
      }),
    );
    c.onDidChangeTextDocument((p) =>
      this.guard('didChange', undefined, () => {
        if (this.goModDocs.has(p.textDocument.uri)) return this.goModDocs.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
        const doc = this.store?.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
        if (!doc) {
          if (!this.store?.get(p.textDocument.uri)) c.console.warn(`ignored a change to ${p.textDocument.uri}, which is not open`);
          return;
        }
        this.schedule(doc.uri, this.configs.get(doc.uri)?.debounce ?? 0);
      }),
    );
    c.onDidCloseTextDocument((p) =>
      this.guard('didClose', undefined, () => {
        const uri = p.textDocument.uri;
        if (this.goModDocs.has(uri)) return this.goModDocs.close(uri);
        this.cancel(uri);
        this.lowerForegroundWhenDone();
        this.store?.close(uri);
        this.analyses.delete(uri);
        this.caches.delete(uri);
        this.configs.delete(uri);
        this.settingsCache.delete(uri);
        this.warnedSkips.delete(uri);
        this.openPaths.delete(uri);
        this.indexedViews.delete(uri);
        // The live diagnostics go; what a workspace check says about the file on disk (if it
        // covered the file) takes their place, as for any file that is not open.
        const path = pathOption(uri).path;
        if (path !== undefined) this.packages.closed(path);
        let diagnostics: Diagnostic[] = [];
        try {
          if (path !== undefined) diagnostics = this.workspaceCheck.diagnosticsAfterClose(uri, path);
        } catch (error) {
          c.console.error(`checking ${uri} from disk after close failed: ${describe(error)}`);
        }
        void c.sendDiagnostics({ uri, diagnostics });
      }),
    );
    c.onDidChangeWatchedFiles((p) =>
      this.guard('didChangeWatchedFiles', undefined, () => {
        // A .go file changed on disk: the package index reads it again (and, if that changes what
        // its package declares, the open documents of its folder are checked again).
        for (const change of p.changes) {
          const path = change.uri.endsWith('.go') ? pathOption(change.uri).path : undefined;
          if (path !== undefined) this.packages.fileChanged(path, change.type === FileChangeType.Deleted);
        }
        // A go.mod was created, changed or deleted: which module (and go version) a file belongs
        // to may have changed, so forget what is known and check the open documents again.
        // A go.sum appeared or went: GR002 on the open go.mod files may change.
        if (p.changes.some((change) => change.uri.endsWith('/go.sum') || change.uri.endsWith('/go.mod'))) this.goModDocs.recheckAll();
        // A configuration file changed: every document may be configured differently now.
        if (this.editorConfigs.filesChanged(p.changes.map((change) => change.uri))) this.recheckAll();
        if (!p.changes.some((change) => change.uri.endsWith('/go.mod'))) return;
        this.goMod.clear();
        for (const doc of this.store?.all() ?? []) this.schedule(doc.uri, 0);
      }),
    );
    c.onDidChangeConfiguration((p) =>
      this.guard('didChangeConfiguration', undefined, () => {
        this.settingsCache.clear();
        this.editorConfigs.forgetFiles();
        if (!this.canPullConfiguration) {
          const section = (p.settings as { goRubric?: Partial<ServerSettings> } | undefined)?.goRubric;
          this.globalSettings = normalizeSettings(section);
        }
        this.recheckAll();
      }),
    );
    c.onCodeAction((p) => this.guard('codeAction', [], () => (this.goModDocs.has(p.textDocument.uri) ? this.goModDocs.codeActions(p) : this.codeActions(p))));
    c.onCodeActionResolve((action) => this.guard('codeAction/resolve', action, () => this.resolveCodeAction(action)));
    c.onHover((p) => this.guard('hover', null, () => (this.goModDocs.has(p.textDocument.uri) ? this.goModDocs.hover(p) : this.hover(p))));
    c.onExecuteCommand((p, token, workDone) => this.executeCommand(p, token, workDone));
    c.onShutdown(() => {
      this.workspaceCheck.cancel();
      for (const uri of [...this.timers.keys()]) this.cancel(uri);
      for (const timer of this.settleTimers.values()) clearTimeout(timer);
      this.settleTimers.clear();
      this.store?.dispose();
      this.packages.dispose();
      this.idle.dispose();
    });
    c.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.canPullConfiguration = params.capabilities.workspace?.configuration === true;
    this.canUseVersionedEdits = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.canResolveEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    this.canAskForFolders = params.capabilities.workspace?.workspaceFolders === true;
    this.initialFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.editorConfigs.setFolders(this.initialFolders.flatMap((folder) => pathOption(folder.uri).path ?? []));
    const opts = params.initializationOptions as { settings?: Partial<ServerSettings> } | undefined;
    if (opts?.settings) this.globalSettings = normalizeSettings(opts.settings);
    this.store = new DocumentStore(await createGoParser(), (message) => this.connection.console.error(message));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        executeCommandProvider: { commands: [CHECK_WORKSPACE_COMMAND, REPORT_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'go-rubric', version: SERVER_VERSION },
    };
  }

  /**
   * Checks the document after `delay` ms, or with no delay (setImmediate, which still lets a burst
   * of changes that arrived together be checked once) when it is 0.
   */
  private schedule(uri: string, delay: number): void {
    this.cancel(uri);
    this.foreground.busy();
    const run = () => {
      this.timers.delete(uri);
      void this.validate(uri);
    };
    this.timers.set(uri, delay > 0 ? setTimeout(run, delay) : setImmediate(run));
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
    this.timers.delete(uri);
    const settle = this.settleTimers.get(uri);
    if (settle) clearTimeout(settle);
    this.settleTimers.delete(uri);
  }

  /** Lowers the foreground flag once no document waits to be checked. */
  private lowerForegroundWhenDone(): void {
    if (this.timers.size === 0) this.foreground.idle();
  }

  /** Once edits pause, replaces a cut-off or error-recovered tree by a fresh parse and re-publishes if that changes anything. */
  private scheduleSettle(doc: GoDocument): void {
    if (!doc.needsSettling) return;
    const version = doc.version;
    this.settleTimers.set(
      doc.uri,
      setTimeout(() => {
        this.settleTimers.delete(doc.uri);
        try {
          if (this.store?.get(doc.uri) !== doc || doc.version !== version || !doc.settle()) return;
          this.idle.activity();
          const before = this.analyses.get(doc.uri);
          this.analyses.delete(doc.uri);
          const diagnostics = this.diagnosticsFor(doc);
          const after = this.analyses.get(doc.uri);
          if (before && after && sameFindings(before.findings, after.findings)) return;
          void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
        } catch (error) {
          this.connection.console.error(`settling ${doc.uri} failed: ${describe(error)}`);
        }
      }, SETTLE_DELAY_MS),
    );
  }

  /** Checks a document and publishes its diagnostics, tagged with the version that was checked. */
  private async validate(uri: string): Promise<void> {
    try {
      const settings = await this.settingsFor(uri);
      // The document may have changed or closed while the settings were fetched: check what is there now.
      const doc = this.store?.get(uri);
      if (!doc) return;
      // While the settings and configuration files are unchanged this is the same RuleConfig
      // object (editorConfig.ts keeps it), so the cached analysis of this version stays valid.
      const { enabled, config } = this.editorConfigs.forDocument(uri, settings);
      this.configs.set(uri, { settings, enabled, config, debounce: settings.debounce });
      const diagnostics = this.diagnosticsFor(doc);
      await this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      this.scheduleSettle(doc);
      this.idle.activity();
    } catch (error) {
      this.connection.console.error(`checking ${uri} failed: ${describe(error)}`);
    } finally {
      this.lowerForegroundWhenDone();
    }
  }

  private diagnosticsFor(doc: GoDocument): Diagnostic[] {
    const analysis = this.analysisFor(doc);
    if (!analysis) return [];
    return analysis.findings.map((f) => toDiagnostic(f, this.rulesByCode.get(f.code), doc.lineIndex, doc.uri));
  }

  /** A document's path on disk and its module's go version (from the nearest go.mod), when known. */
  private placeOf(uri: string): DocumentPlace {
    const { path } = pathOption(uri);
    // An untitled buffer is its own package.
    if (path === undefined) return {};
    const goVersion = this.goMod.goVersionFor(path);
    const noGoMod = this.goMod.goModFor(path) === undefined;
    return goVersion === undefined ? { path, noGoMod, packages: this.packages } : { path, goVersion, noGoMod, packages: this.packages };
  }

  /**
   * What a folder's files declare changed (read from disk, a file event, another open buffer):
   * the open documents of that folder are checked again, except the one whose buffer changed it,
   * and their diagnostics published again only if that changed them.
   */
  private packagesChanged(dir: string, except?: string): void {
    for (const [uri, path] of this.openPaths) {
      if (path === except || dirname(path) !== dir || this.indexRechecks.has(uri)) continue;
      this.indexRechecks.add(uri);
      setImmediate(() => {
        this.indexRechecks.delete(uri);
        this.guard('package index re-check', undefined, () => this.recheck(uri));
      });
    }
  }

  private recheck(uri: string): void {
    const doc = this.store?.get(uri);
    // Not checked yet: its first check, still to come, reads the index as it is then.
    if (!doc || !this.configs.has(uri)) return;
    const before = this.analyses.get(uri);
    this.analyses.delete(uri);
    const diagnostics = this.diagnosticsFor(doc);
    const after = this.analyses.get(uri);
    if (before && after && before.version === after.version && sameFindings(before.findings, after.findings)) return;
    void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /** The findings for the document's current version, computed now if they are not cached. */
  private analysisFor(doc: GoDocument): Analysis | undefined {
    const state = this.configs.get(doc.uri);
    if (!state?.enabled) return undefined;
    if (doc.skipReason) {
      if (!this.warnedSkips.has(doc.uri)) {
        this.warnedSkips.add(doc.uri);
        this.showWarning(`Go Rubric: ${doc.skipReason} (${doc.uri})`);
      }
      return undefined;
    }
    const cached = this.analyses.get(doc.uri);
    if (cached && cached.version === doc.version && cached.config === state.config) return cached;
    let documentAnalysis = this.caches.get(doc.uri);
    if (!documentAnalysis) this.caches.set(doc.uri, (documentAnalysis = new DocumentAnalysis(this.engine)));
    const place = this.placeOf(doc.uri);
    const result = documentAnalysis.analyze(doc, state.config, place);
    if (!result) return undefined;
    // The buffer is what the package index holds for this file: send its summary when it may
    // have changed (the view changes with the file's own declarations), not on every keystroke.
    const view = documentAnalysis.cache.view;
    if (place.path !== undefined && view && this.indexedViews.get(doc.uri) !== view) {
      this.indexedViews.set(doc.uri, view);
      const summary = documentAnalysis.cache.fileSummary();
      if (summary) this.packages.updateOpen(place.path, summary);
    }
    const analysis = { version: doc.version, config: state.config, findings: result.findings };
    this.analyses.set(doc.uri, analysis);
    return analysis;
  }

  /**
   * workspace/executeCommand: the workspace check. Progress goes to the client's token when the
   * request carries one (VS Code's client does, to show a notification); otherwise to progress
   * created here with window/workDoneProgress/create, which the library only does for a client
   * that announced window.workDoneProgress. Cancelling the request or that progress stops the check.
   */
  private async executeCommand(
    params: ExecuteCommandParams,
    token: CancellationToken,
    attached: WorkDoneProgressReporter,
  ): Promise<WorkspaceCheckSummary | ReportResult> {
    const report = params.command === REPORT_COMMAND;
    if (!report && params.command !== CHECK_WORKSPACE_COMMAND && params.command !== CHECK_WORKSPACE_ALIAS) {
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command: ${params.command}`);
    }
    const tokens = [token];
    let progress = attached;
    if (WorkDoneProgressReporter.isNullInstance(attached)) {
      try {
        const created = await this.connection.window.createWorkDoneProgress();
        tokens.push(created.token);
        progress = created;
      } catch (error) {
        this.connection.console.warn(`workspace check without progress: ${describe(error)}`);
      }
    }
    progress.begin('Go Rubric', 0, report ? 'writing the rubric report' : 'checking the workspace', true);
    if (report) {
      try {
        const folders = await this.workspaceFolders();
        return await workspaceReport(folders, (folder) => this.folderConfig(folder), progress, tokens, SERVER_VERSION);
      } catch (error) {
        this.connection.console.error(`rubric report failed: ${describe(error)}`);
        throw new ResponseError(ErrorCodes.InternalError, `Go Rubric: the rubric report failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        progress.done();
      }
    }
    try {
      const summary = await this.workspaceCheck.run(progress, tokens);
      const what = `${summary.findings} finding${summary.findings === 1 ? '' : 's'} in ${summary.files} file${summary.files === 1 ? '' : 's'}`;
      const problems = summary.problems > 0 ? `, ${summary.problems} problem${summary.problems === 1 ? '' : 's'} (see above)` : '';
      this.connection.console.info(`workspace check${summary.cancelled ? ' cancelled' : ''}: ${what}${problems}, ${summary.ms} ms`);
      return summary;
    } catch (error) {
      this.connection.console.error(`workspace check failed: ${describe(error)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Go Rubric: the workspace check failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      progress.done();
    }
  }

  /** The workspace folders on disk (file: URIs only; a virtual workspace has none to walk). */
  private async workspaceFolders(): Promise<WorkspaceFolderPath[]> {
    let folders = this.initialFolders;
    if (this.canAskForFolders) {
      try {
        folders = (await this.connection.workspace.getWorkspaceFolders()) ?? [];
      } catch (error) {
        this.connection.console.warn(`asking for the workspace folders failed, using those from initialize: ${describe(error)}`);
      }
    }
    const onDisk = folders.flatMap((folder) => {
      const path = pathOption(folder.uri).path;
      return path === undefined ? [] : [{ uri: folder.uri, path }];
    });
    this.editorConfigs.setFolders(onDisk.map((folder) => folder.path));
    return onDisk;
  }

  private async folderConfig(folder: WorkspaceFolderPath): Promise<{ enabled: boolean; scope: ConfigScope }> {
    return this.editorConfigs.forFolder(folder.path, await this.settingsFor(folder.uri));
  }

  /** Checks every open document and go.mod file again (their configuration may have changed). */
  private recheckAll(): void {
    for (const doc of this.store?.all() ?? []) this.schedule(doc.uri, 0);
    this.goModDocs.recheckAll();
  }

  /** One file from disk, checked as a workspace-check worker would, on this thread's parser and engine. */
  private checkFromDisk(path: string, config: RuleConfig): FileReport {
    // The document store's parser (rebuilt after a failure); it may have left a parse cut off by its time budget.
    const parser = this.store?.parser;
    if (!parser) return { findings: [], problems: [], logs: [] };
    parser.reset();
    // The engine logs straight to the console here, so the checker's own log stays empty.
    return checkFile(
      { parser, engine: this.engine, config, names: this.ruleNames, logs: [], related: true, goMod: this.goMod, packages: this.packages },
      path,
      path,
    );
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const only = params.context.only;
    const doc = this.store?.get(params.textDocument.uri);
    if (!doc?.tree) return [];
    const analysis = this.analysisFor(doc);
    const state = this.configs.get(doc.uri);
    if (!analysis || !state) return [];
    const actions: CodeAction[] = [];
    // source.fixAll is asked for by name (editor.codeActionsOnSave), never offered with the quick fixes.
    if (only && kindRequested(only, FIX_ALL_KIND) && only.some((k) => k !== CodeActionKind.Source)) {
      const edits = this.fixAllEdits(doc, state.config, undefined);
      if (edits.length > 0) actions.push({ title: 'Fix all Go Rubric problems', kind: FIX_ALL_KIND, edit: this.workspaceEdit(doc, edits) });
    }
    if (!kindRequested(only, CodeActionKind.QuickFix)) return actions;
    const place = this.placeOf(doc.uri);
    const file = computeFileFacts(doc.text, doc.tree, place.path, place.goVersion, place.noGoMod);
    const root = doc.tree.rootNode;
    const packageClause = root.children.find((c) => c?.type === 'package_clause');
    actions.push(
      ...quickFixes(
        {
          uri: doc.uri,
          index: doc.lineIndex,
          findings: analysis.findings,
          rule: (code) => this.rulesByCode.get(code),
          diagnosticFor: (finding) =>
            params.context.diagnostics.find(
              (d) => d.source === SOURCE && d.code === finding.code && sameRange(d.range, toRange(doc.lineIndex, finding.start, finding.end)),
            ) ?? toDiagnostic(finding, this.rulesByCode.get(finding.code), doc.lineIndex, doc.uri),
          edit: (edits) => this.workspaceEdit(doc, edits),
          fixEdits: (finding) => (finding.fix ? fixEdits(finding.fix, file) : undefined),
          insideToken: (offset) => insideMultilineToken(root.descendantForIndex(offset), offset),
          fileDirectiveAfter: packageClause?.endIndex,
          fixAll: { version: doc.version, resolveLater: this.canResolveEdits, edits: (code) => this.fixAllEdits(doc, state.config, code) },
        },
        doc.lineIndex.offsetAt(params.range.start),
        doc.lineIndex.offsetAt(params.range.end),
      ),
    );
    return actions;
  }

  /** Fills in the edit of a "Fix all GRxxx problems" action, for the document version it was offered on. */
  private resolveCodeAction(action: CodeAction): CodeAction {
    const data = action.data as FixAllData | undefined;
    if (!data || action.edit) return action;
    const doc = this.store?.get(data.uri);
    const state = this.configs.get(data.uri);
    if (!doc?.tree || !state || doc.version !== data.version) return action;
    return { ...action, edit: this.workspaceEdit(doc, this.fixAllEdits(doc, state.config, data.code)) };
  }

  /** The edits that apply every safe fix of the document (or of one rule), as one replacement of the span they change. */
  private fixAllEdits(doc: GoDocument, config: RuleConfig, code: string | undefined): TextEdit[] {
    const parser = this.store?.parser;
    if (!parser) return [];
    const place = this.placeOf(doc.uri);
    const analyze = textAnalyzer(parser, this.engine, config, place.path, place.goVersion, place.packages, place.noGoMod);
    const result = fixAll(analyze, doc.text, code ? { codes: new Set([code]) } : {});
    for (const r of result.rejected) this.connection.console.warn(`fix all: ${r.code} "${r.title}" left out in ${doc.uri}: ${r.reason}`);
    const edit = replacementEdit(doc.text, result.text);
    return edit ? [edit] : [];
  }

  private workspaceEdit(doc: GoDocument, edits: TextEdit[]): WorkspaceEdit {
    const lsp = edits.map((e) => toLspEdit(e, doc.lineIndex));
    return this.canUseVersionedEdits ? { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: lsp }] } : { changes: { [doc.uri]: lsp } };
  }

  private hover(params: HoverParams): Hover | null {
    const doc = this.store?.get(params.textDocument.uri);
    if (!doc) return null;
    const analysis = this.analysisFor(doc);
    if (!analysis) return null;
    return findingsHover(analysis.findings, doc.lineIndex.offsetAt(params.position), doc.lineIndex, (code) => this.rulesByCode.get(code));
  }

  private settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.canPullConfiguration) return Promise.resolve(this.globalSettings);
    let settings = this.settingsCache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'goRubric' })
        .then((value: unknown) => normalizeSettings(value as Partial<ServerSettings> | null | undefined))
        .catch((error: unknown) => {
          this.connection.console.error(`reading settings failed, using defaults: ${describe(error)}`);
          return DEFAULT_SETTINGS;
        });
      this.settingsCache.set(uri, settings);
    }
    return settings;
  }

  /**
   * A warning for the user, as a window/showMessage notification: it offers no action, so it needs
   * no answer (showWarningMessage would send a request, and a client that rejects it, as some
   * editors do, would leave a rejected promise behind).
   */
  private showWarning(message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
  }

  private guard<T>(what: string, fallback: T, body: () => T): T {
    try {
      return body();
    } catch (error) {
      this.connection.console.error(`${what} failed: ${describe(error)}`);
      return fallback;
    }
  }
}

/** Replaced by the build with package.json's version. */
declare const GO_RUBRIC_VERSION: string;
const SERVER_VERSION = typeof GO_RUBRIC_VERSION === 'string' ? GO_RUBRIC_VERSION : 'dev';

function normalizeSettings(value: Partial<ServerSettings> | null | undefined): ServerSettings {
  const debounce = Number(value?.debounce);
  return {
    enable: value?.enable !== false,
    rules: value?.rules && typeof value.rules === 'object' ? value.rules : {},
    exclude: Array.isArray(value?.exclude) ? value.exclude.filter((pattern): pattern is string => typeof pattern === 'string') : [],
    debounce: Number.isFinite(debounce) && debounce > 0 ? Math.min(debounce, 5000) : 0,
    deferToGopls: normalizeDefer(value?.deferToGopls),
  };
}

/** goRubric.deferToGopls as written: "on"/true, "off"/false, anything else "auto". */
function normalizeDefer(value: unknown): ServerSettings['deferToGopls'] {
  if (value === true || value === 'on') return 'on';
  if (value === false || value === 'off') return 'off';
  return 'auto';
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.code === b[i]!.code && f.start === b[i]!.start && f.end === b[i]!.end && f.message === b[i]!.message && f.severity === b[i]!.severity)
  );
}

function isGo(uri: string, languageId: string): boolean {
  return languageId === 'go' || uri.endsWith('.go');
}

function sameRange(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
