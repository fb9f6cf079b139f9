// The editor's workspace check (the goRubric.server.checkWorkspace command): every .go file of
// every workspace folder, read from disk and checked on the CLI's worker threads (runPool and
// server/out/cliWorker.js, one worker per core), with diagnostics published as each file's report
// comes back. Only file paths go to the workers and only findings come back, so the server's
// memory does not grow with the workspace; what is kept between runs is the set of files whose
// diagnostics this check published, so that the next run (or a close) can replace them.
//
// Open documents are left alone: the live path owns their diagnostics (checked as typed, with the
// text in the editor rather than on disk). When one is closed, its diagnostics fall back to what the
// workspace check says about the file on disk, checked again then (it may have been saved since).
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, Connection, Diagnostic, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { FileReport } from '../cli/checkFile';
import { IN_FLIGHT_PER_WORKER } from '../cli/check';
import { collectGoFiles, isSkippedDir, type WalkProblem } from '../cli/files';
import { runPool, type PoolFile } from '../cli/pool';
import { youngGeneration } from './youngGeneration';
import type { RuleConfig } from '../engine/config';
import { groupByConfig, type ConfigScope } from '../config/configScope';
import type { RuleInfo } from '../engine/types';
import { recordToDiagnostic } from './convert';

/**
 * The id the server advertises in executeCommandProvider. It is not the VS Code command id
 * (goRubric.checkWorkspace): vscode-languageclient registers every advertised id as a VS Code
 * command, which would clash with the client's own command of that name (see client/src/extension.ts).
 */
export const CHECK_WORKSPACE_COMMAND = 'goRubric.server.checkWorkspace';
/** Also accepted, for editors whose users type the command name they see in the README. */
export const CHECK_WORKSPACE_ALIAS = 'goRubric.checkWorkspace';

/** The command's result. */
export interface WorkspaceCheckSummary {
  /** Files checked (all files found, unless cancelled). */
  files: number;
  /** Findings in those files as they are on disk, open ones included. */
  findings: number;
  /** Files or folders that could not be (fully) checked; each is logged. */
  problems: number;
  ms: number;
  cancelled: boolean;
}

export interface WorkspaceFolderPath {
  uri: string;
  path: string;
}

/** What the workspace check needs from the language server. */
export interface WorkspaceCheckHost {
  readonly connection: Connection;
  /** The workspace folders on disk, asked for at the start of each run. */
  folders(): Promise<WorkspaceFolderPath[]>;
  /** The folder's configuration (its goRubric settings and configuration files), as for a document in it. */
  folderConfig(folder: WorkspaceFolderPath): Promise<{ enabled: boolean; scope: ConfigScope }>;
  /** Whether the editor has the file open (then its live diagnostics are the ones shown). */
  isOpen(path: string): boolean;
  /** Checks one file from disk in this thread, with related places (for a document just closed). */
  checkNow(path: string, config: RuleConfig): FileReport;
}

export interface WorkspaceCheckOptions {
  /** The worker bundle: cliWorker.js, which the build writes next to server.js. */
  workerScript?: string;
  workers?: number;
}

interface Scope extends WorkspaceFolderPath {
  enabled: boolean;
  scope: ConfigScope;
}

/** Progress reports are sent at most this often (besides the first and the last). */
const PROGRESS_INTERVAL_MS = 100;

export class WorkspaceCheck {
  /** The run in progress or waiting to start; a new run cancels it and starts when it has stopped. */
  private current: { abort: AbortController; finished: Promise<WorkspaceCheckSummary> } | undefined;
  /** Files whose (non-empty) diagnostics this check has published, and the URI they went to. */
  private readonly published = new Map<string, string>();
  /** The folders of the last run, innermost first: they decide what a closed document falls back to. */
  private scopes: Scope[] = [];
  private readonly workerScript: string;
  private readonly workers: number;

  constructor(
    private readonly host: WorkspaceCheckHost,
    private readonly rulesByCode: ReadonlyMap<string, RuleInfo>,
    options: WorkspaceCheckOptions = {},
  ) {
    this.workerScript = options.workerScript ?? join(__dirname, 'cliWorker.js');
    this.workers = Math.max(1, options.workers ?? availableParallelism());
  }

  /**
   * Checks the workspace, reporting "n / total files" on `progress` (begun and ended by the
   * caller). Any of `tokens` cancels it: no more files are handed out, the workers are
   * terminated, and the diagnostics published so far stay.
   */
  run(progress: WorkDoneProgressReporter, tokens: readonly CancellationToken[]): Promise<WorkspaceCheckSummary> {
    const previous = this.current;
    previous?.abort.abort();
    const abort = new AbortController();
    const subscriptions = tokens.map((t) => t.onCancellationRequested(() => abort.abort()));
    if (tokens.some((t) => t.isCancellationRequested)) abort.abort();
    const started = performance.now();
    // Two runs must not publish over each other: wait for the previous one's workers to stop.
    const finished = (previous?.finished ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => (abort.signal.aborted ? emptySummary(started) : this.check(abort.signal, progress, started)))
      .finally(() => {
        for (const s of subscriptions) s.dispose();
        if (this.current?.abort === abort) this.current = undefined;
      });
    this.current = { abort, finished };
    return finished;
  }

  /** Stops a run in progress (on shutdown). */
  cancel(): void {
    this.current?.abort.abort();
  }

  /**
   * The diagnostics to publish for a document the editor just closed: the file as it is on disk,
   * when the last workspace check covered it (the file may have been saved since, so it is
   * checked again, in this thread); otherwise none, as without a workspace check.
   */
  diagnosticsAfterClose(uri: string, path: string): Diagnostic[] {
    const config = this.coveringScope(path)?.scope.configFor(path);
    if (!config) return [];
    const report = this.host.checkNow(path, config);
    for (const log of report.logs) this.host.connection.console.error(log);
    const diagnostics = this.toDiagnostics(report, uri);
    if (diagnostics.length > 0) this.published.set(path, uri);
    else this.published.delete(path);
    return diagnostics;
  }

  private async check(signal: AbortSignal, progress: WorkDoneProgressReporter, started: number): Promise<WorkspaceCheckSummary> {
    const log = this.host.connection.console;
    const scopes: Scope[] = [];
    for (const folder of await this.host.folders()) scopes.push({ ...folder, ...(await this.host.folderConfig(folder)) });
    // A file belongs to the innermost workspace folder holding it, as VS Code's folder settings do.
    scopes.sort((a, b) => b.path.length - a.path.length);
    this.scopes = scopes;

    // Files with the same rule configuration share one pool; usually there is only one. Excluded
    // files are left out.
    const found: { file: PoolFile; config: RuleConfig | undefined }[] = [];
    const walkProblems: WalkProblem[] = [];
    for (const scope of scopes) {
      if (!scope.enabled || signal.aborted) continue;
      const sizes = new Map<string, number>();
      for (const path of collectGoFiles([scope.path], walkProblems, sizes)) {
        // A nested folder's files are walked by the outer folder too; only their own folder takes them.
        if (this.ownerOf(path) === scope) found.push({ file: { path, display: path, size: sizes.get(path) ?? 0 }, config: scope.scope.configFor(path) });
      }
    }
    for (const problem of walkProblems) log.warn(`workspace check: ${problem.path}: ${problem.message}`);
    const groups = groupByConfig(found, (f) => f.config).map(({ config, indices }) => ({ config, files: indices.map((i) => found[i]!.file) }));

    const total = groups.reduce((n, g) => n + g.files.length, 0);
    const summary: WorkspaceCheckSummary = { files: 0, findings: 0, problems: walkProblems.length, ms: 0, cancelled: false };
    /** Files reported in this run: after a complete run, published files not among them are cleared. */
    const reported = new Set<string>();
    let lastProgress = performance.now();
    const report = () => progress.report(total === 0 ? 100 : (summary.files / total) * 100, `${summary.files} / ${total} files`);
    report();

    for (const { config, files } of groups) {
      if (signal.aborted) break;
      await youngGeneration.whileBulk(() => runPool({
        script: this.workerScript,
        workers: Math.min(this.workers, files.length),
        inFlight: IN_FLIGHT_PER_WORKER,
        setup: { config: [...config.severities], related: true },
        files,
        signal,
        onReport: (index, fileReport) => {
          const path = files[index]!.path;
          summary.files++;
          summary.findings += fileReport.findings.length;
          summary.problems += fileReport.problems.length;
          for (const line of fileReport.logs) log.error(line);
          for (const message of fileReport.problems) log.warn(`workspace check: ${path}: ${message}`);
          reported.add(path);
          this.publish(path, fileReport);
          const now = performance.now();
          if (now - lastProgress >= PROGRESS_INTERVAL_MS || summary.files === total) {
            lastProgress = now;
            report();
          }
        },
      }));
    }

    summary.cancelled = signal.aborted;
    if (!summary.cancelled) {
      // Files that are gone, or no longer in a checked folder, lose what an earlier run published.
      for (const [path, uri] of [...this.published]) {
        if (reported.has(path)) continue;
        this.published.delete(path);
        if (!this.host.isOpen(path)) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
    summary.ms = Math.round(performance.now() - started);
    return summary;
  }

  /** Publishes one file's result, unless the file is open; clears what an earlier run published there. */
  private publish(path: string, report: FileReport): void {
    const connection = this.host.connection;
    if (this.host.isOpen(path)) {
      // The live diagnostics replaced ours when it was opened; an empty publish would erase them.
      this.published.delete(path);
      return;
    }
    const uri = this.published.get(path) ?? pathToFileURL(path).href;
    const diagnostics = this.toDiagnostics(report, uri);
    if (diagnostics.length > 0) {
      this.published.set(path, uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    } else if (this.published.delete(path)) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  private toDiagnostics(report: FileReport, uri: string): Diagnostic[] {
    return report.findings.map((f, i) => recordToDiagnostic(f, report.related?.[i], this.rulesByCode.get(f.code), uri));
  }

  private ownerOf(path: string): Scope | undefined {
    return this.scopes.find((scope) => isInside(scope.path, path));
  }

  /** The enabled folder of the last run that a walk would have taken this file from, if any. */
  private coveringScope(path: string): Scope | undefined {
    const scope = this.ownerOf(path);
    if (!scope?.enabled || !path.endsWith('.go')) return undefined;
    const folders = relative(scope.path, path).split(sep).slice(0, -1);
    return folders.some(isSkippedDir) ? undefined : scope;
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function emptySummary(started: number): WorkspaceCheckSummary {
  return { files: 0, findings: 0, problems: 0, ms: Math.round(performance.now() - started), cancelled: true };
}
