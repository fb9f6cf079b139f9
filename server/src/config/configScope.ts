// Which rule configuration applies to each file, from three layers: the rules' defaults, the
// nearest configuration file (configFile.ts), and the settings above it (the editor's
// goRubric.rules, or the command line's flags), each overriding the one before for the rules it
// names. Exclude patterns combine: a file matched by the configuration file's or by the settings'
// patterns is not checked at all.
import { dirname } from 'node:path';
import { deferredToGopls, resolveConfig, type RuleConfig } from '../engine/config';
import type { RuleInfo } from '../engine/types';
import type { ConfigFile } from './configFile';
import type { PathExcluder } from './glob';

/** How the files under some folders are checked. */
export interface ConfigScope {
  /** The rule configuration of a .go or go.mod file, or undefined when an exclude pattern matches it. */
  configFor(path: string): RuleConfig | undefined;
  /** The rule configuration of a folder as a whole: the rubric report's table and the workspace rules. */
  folderConfig(dir: string): RuleConfig;
}

/** The settings above the configuration file. */
export interface TopLayer {
  rules: Record<string, unknown>;
  /** Patterns relative to the folder they were given for (the workspace folder, or the current directory). */
  excluder?: PathExcluder;
  /** Leave the rules that gopls reports to gopls (the editor's goRubric.deferToGopls). */
  deferToGopls?: boolean;
}

/** A scope over configuration files found by `find` (the nearest one for a folder, or none) and one top layer. */
export class LayeredScope implements ConfigScope {
  /** One RuleConfig object per configuration file, so that unchanged settings keep their identity (the editor's caches rely on it). */
  private readonly byFile = new WeakMap<ConfigFile, RuleConfig>();
  private withoutFile: RuleConfig | undefined;

  constructor(
    private readonly rules: readonly RuleInfo[],
    private readonly find: (dir: string) => ConfigFile | undefined,
    private readonly top: TopLayer,
  ) {}

  configFor(path: string): RuleConfig | undefined {
    const file = this.find(dirname(path));
    if (file?.excluder.excludes(path) || this.top.excluder?.excludes(path)) return undefined;
    return this.resolved(file);
  }

  folderConfig(dir: string): RuleConfig {
    return this.resolved(this.find(dir));
  }

  private resolved(file: ConfigFile | undefined): RuleConfig {
    const cached = file ? this.byFile.get(file) : this.withoutFile;
    if (cached) return cached;
    // Problems were reported where each layer was read (the file's when it was loaded).
    const { config } = resolveConfig(this.rules, file?.rules, this.top.rules);
    // Only a rule's own code or name, in either layer, keeps it from being left to gopls.
    const result = this.top.deferToGopls ? deferredToGopls(this.rules, config, { ...file?.rules, ...this.top.rules }) : config;
    if (file) this.byFile.set(file, result);
    else this.withoutFile = result;
    return result;
  }
}

/** A configuration's identity as data: configurations with the same severities check files alike. */
export function configKey(config: RuleConfig): string {
  // Configurations are immutable and shared by every file they apply to (a run groups thousands
  // of files by this key: 110 ms of the library corpus's start before it was kept).
  let key = configKeys.get(config);
  if (key === undefined) configKeys.set(config, (key = JSON.stringify([...config.severities].sort(([a], [b]) => a.localeCompare(b)))));
  return key;
}

const configKeys = new WeakMap<RuleConfig, string>();

/**
 * Splits items by the configuration that applies to each (leaving out excluded ones), in the
 * order each configuration first appears; `indices` are the items' positions in `items`.
 */
export function groupByConfig<T>(items: readonly T[], configOf: (item: T) => RuleConfig | undefined): { config: RuleConfig; indices: number[] }[] {
  const groups = new Map<string, { config: RuleConfig; indices: number[] }>();
  items.forEach((item, i) => {
    const config = configOf(item);
    if (!config) return;
    const key = configKey(config);
    const group = groups.get(key);
    if (group) group.indices.push(i);
    else groups.set(key, { config, indices: [i] });
  });
  return [...groups.values()];
}
