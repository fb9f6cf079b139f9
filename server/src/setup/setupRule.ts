// The two kinds of project-setup rule besides GR001 (which reads Go files like any other rule):
// rules that read one go.mod file (GR002-GR004: squiggles on its lines in the editor, findings in
// the CLI) and rules about the workspace as a whole (GR005, GR006: items of the rubric report).
import type { Fix, RuleInfo } from '../engine/types';
import type { GoModFile } from './goModFile';

export interface ModuleReport {
  start: number;
  end: number;
  message: string;
  fix?: Fix;
}

export interface ModuleContext {
  readonly mod: GoModFile;
  /** Whether a go.sum sits beside the go.mod; undefined when that cannot be known (an unsaved buffer). */
  readonly hasGoSum: boolean | undefined;
  report(report: ModuleReport): void;
}

/** A rule that checks a go.mod file. */
export interface ModuleRule extends RuleInfo {
  checkModule(ctx: ModuleContext): void;
}

/** One finding of a workspace rule: a sentence, and the folder or file it is about. */
export interface WorkspaceFinding {
  message: string;
  /** Path (absolute) of the folder or file concerned. */
  path: string;
}

/** What the workspace rules read: the modules found under a root and the files around them. */
export interface WorkspaceLayout {
  root: string;
  modules: ModuleLayout[];
  /** Top-level file names of the root (and of each module root: see ModuleLayout.files). */
  rootFiles: ReadonlySet<string>;
}

export interface ModuleLayout {
  /** The folder holding the go.mod. */
  dir: string;
  /** The module path its go.mod declares, if any. */
  path: string | undefined;
  goVersion: string | undefined;
  hasGoSum: boolean;
  /** Folders (relative to dir, '/'-separated, '' for dir itself) whose non-test files say `package main`. */
  mainPackages: string[];
  /** Folders holding Go packages (relative to dir), main or not. */
  packages: number;
  /** Names of the files and folders at the module root. */
  files: ReadonlySet<string>;
}

/** A rule about the workspace as a whole: its findings appear in the rubric report, not as squiggles. */
export interface WorkspaceRule extends RuleInfo {
  checkWorkspace(layout: WorkspaceLayout): WorkspaceFinding[];
}
