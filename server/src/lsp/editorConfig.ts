// The rule configuration of each document and workspace folder in the editor: the nearest
// configuration file (.gorubric.json, .gorubric.yaml, .gorubric.yml) inside the document's
// workspace folder, then the goRubric settings over it (config/configScope.ts). The search never
// goes above a workspace folder: what the editor reads stays inside the workspace, and every file
// it reads is one the client's file watcher reports changes of.
//
// Problems are shown once each as a warning notification and in the output channel; a
// configuration file's problems are logged again each time the file is read.
import { basename, dirname } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { ConfigLocator, isConfigFileName, type ConfigFileProblem } from '../config/configFile';
import { LayeredScope, type ConfigScope } from '../config/configScope';
import { isWithin, pathExcluder } from '../config/glob';
import { resolveConfig, type RuleConfig } from '../engine/config';
import type { RuleInfo } from '../engine/types';
import { pathOption } from './paths';

/** The goRubric settings this module reads. */
export interface ConfigSettings {
  enable: boolean;
  rules: Record<string, unknown>;
  /** goRubric.exclude: patterns relative to the workspace folder. */
  exclude: readonly string[];
  deferToGopls: 'on' | 'off' | 'auto';
}

export class EditorConfigs {
  /** Workspace folder paths, longest first, so that the first holding a path is the innermost. */
  private folders: string[] = [];
  private readonly files: ConfigLocator;
  /** One scope per settings object (a new one whenever the settings are pulled again) and folder. */
  private readonly scopes = new WeakMap<ConfigSettings, Map<string, LayeredScope>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly rules: readonly RuleInfo[],
    /** Shows a warning notification (the server's, which needs no answer from the client). */
    private readonly showWarning: (message: string) => void,
  ) {
    this.files = new ConfigLocator(rules, (located) => this.report(located.problems));
  }

  setFolders(paths: readonly string[]): void {
    this.folders = [...new Set(paths)].sort((a, b) => b.length - a.length);
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /**
   * Forgets the configuration files read when a change concerns one (by URI); says whether it did,
   * so that the caller checks the open documents again.
   */
  filesChanged(uris: readonly string[]): boolean {
    if (!uris.some((uri) => isConfigFileName(basename(pathOption(uri).path ?? '')))) return false;
    this.files.clear();
    return true;
  }

  /** Forgets the configuration files read (on a settings change: a client without a file watcher gets them read again then). */
  forgetFiles(): void {
    this.files.clear();
  }

  /** A document's configuration: disabled when goRubric.enable is off or an exclude pattern matches it. */
  forDocument(uri: string, settings: ConfigSettings): { enabled: boolean; config: RuleConfig } {
    const { path } = pathOption(uri);
    const folder = path === undefined ? undefined : this.folders.find((f) => isWithin(f, path));
    const scope = this.scope(settings, folder);
    // An untitled buffer has no folder, so no configuration file and no exclude patterns.
    if (path === undefined) return { enabled: settings.enable, config: scope.folderConfig('') };
    const config = scope.configFor(path);
    return config ? { enabled: settings.enable, config } : { enabled: false, config: scope.folderConfig(dirname(path)) };
  }

  /** A workspace folder's configuration, for the workspace check and the report. */
  forFolder(folder: string, settings: ConfigSettings): { enabled: boolean; scope: ConfigScope } {
    return { enabled: settings.enable, scope: this.scope(settings, folder) };
  }

  private scope(settings: ConfigSettings, folder: string | undefined): LayeredScope {
    let byFolder = this.scopes.get(settings);
    if (!byFolder) this.scopes.set(settings, (byFolder = new Map()));
    let scope = byFolder.get(folder ?? '');
    if (!scope) {
      for (const problem of resolveConfig(this.rules, settings.rules).problems) this.warnOnce(`goRubric.rules: ${problem.message}`);
      // Patterns are relative to a workspace folder: a document outside every folder has none.
      const excluded = folder === undefined ? undefined : pathExcluder(folder, settings.exclude);
      for (const problem of excluded?.problems ?? []) this.warnOnce(`goRubric.exclude: ${problem}`);
      scope = new LayeredScope(this.rules, (dir) => (folder === undefined ? undefined : this.files.lookup(dir, folder).file), {
        rules: settings.rules,
        excluder: excluded?.excluder,
        deferToGopls: settings.deferToGopls === 'on',
      });
      byFolder.set(folder ?? '', scope);
    }
    return scope;
  }

  private report(problems: readonly ConfigFileProblem[]): void {
    for (const problem of problems) {
      const ignored = problem.severity === 'error' ? ' (the file is ignored until this is fixed)' : '';
      this.warnOnce(`${problem.path}: ${problem.message}${ignored}`, true);
    }
  }

  /** A notification the first time; a line in the output channel then, or every time with `log`. */
  private warnOnce(message: string, log = false): void {
    const first = !this.reported.has(message);
    if (first || log) this.connection.console.warn(message);
    if (!first) return;
    this.reported.add(message);
    this.showWarning(`Go Rubric: ${message}`);
  }
}
