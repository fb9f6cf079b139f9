// Go Rubric's shared configuration file: `.gorubric.json`, `.gorubric.yaml` or `.gorubric.yml`,
// `{ "rules": { ... }, "exclude": [ ... ] }`. The file is data only: it is parsed (JSON.parse, or
// the `yaml` package with its core schema, no custom tags, aliases bounded), checked against
// schemas/gorubric.schema.json, and its exclude patterns confined to its own folder. Nothing in
// it is ever run.
//
// What is wrong with a file comes back as problems: errors (unreadable, too large, not JSON or
// YAML, a wrong type, a bad severity or pattern) make the whole file unusable, so that a half-read
// configuration never passes for a whole one; warnings (an unknown key, a rule key that names no
// rule) are reported and the rest of the file applies.
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { exists, isFile } from '../analysis/fsProbe';
import { describeFsError } from '../cli/files';
import { resolveConfig } from '../engine/config';
import type { RuleInfo } from '../engine/types';
import { isWithin, pathExcluder, type PathExcluder } from './glob';
import { validate } from './schema';

/** The names looked for in each folder. Two of them in one folder is an error. */
export const CONFIG_FILE_NAMES = ['.gorubric.json', '.gorubric.yaml', '.gorubric.yml'] as const;

/** Folders that end the search upwards on the command line: the root of a repository. */
export const VCS_MARKERS = ['.git', '.hg', '.svn'] as const;

/** A configuration file is a few lines; anything this large is not one. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** YAML aliases expand; a handful is plenty for a configuration (and bounds a "billion laughs"). */
const MAX_YAML_ALIASES = 100;

export interface ConfigFile {
  path: string;
  /** The folder holding the file: its exclude patterns are relative to it. */
  dir: string;
  rules: Record<string, unknown>;
  exclude: readonly string[];
  excluder: PathExcluder;
}

export interface ConfigFileProblem {
  /** The configuration file (or the folder holding several). */
  path: string;
  severity: 'error' | 'warning';
  message: string;
}

/** A file that loaded (perhaps with warnings), or none that can be used and why. */
export interface LoadedConfig {
  file: ConfigFile | undefined;
  problems: ConfigFileProblem[];
}

export function isConfigFileName(name: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(name);
}

/** Reads and checks a configuration file. `rules` are the rules its keys may name. */
export function loadConfigFile(path: string, rules: readonly RuleInfo[]): LoadedConfig {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) return failed(path, `too large for a configuration file (${size} bytes; the limit is ${MAX_CONFIG_BYTES})`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return failed(path, `cannot be read: ${describeFsError(error)}`);
  }
  return parseConfigText(text, path, rules);
}

/** Parses and checks a configuration file's text; the format follows the file name's extension. */
export function parseConfigText(text: string, path: string, rules: readonly RuleInfo[]): LoadedConfig {
  const problems: ConfigFileProblem[] = [];
  const error = (message: string) => problems.push({ path, severity: 'error', message });
  const warning = (message: string) => problems.push({ path, severity: 'warning', message });
  const body = text.replace(/^\uFEFF/, '');
  let data: unknown = {};
  if (body.trim() !== '') {
    const parsed = extname(path) === '.json' ? parseJson(body) : parseYaml(body);
    if ('error' in parsed) return failed(path, parsed.error);
    for (const message of parsed.warnings) warning(message);
    // An empty YAML document (only comments) is an empty configuration.
    data = parsed.value ?? {};
  }
  for (const issue of validate(data)) (issue.unknownKey ? warning : error)(issue.message);
  const config = data as { rules?: unknown; exclude?: unknown };
  // The patterns are checked even when something else is wrong, so that one run shows every error.
  const exclude = Array.isArray(config.exclude) ? config.exclude.filter((p): p is string => typeof p === 'string' && p !== '') : [];
  const compiled = pathExcluder(dirname(path), exclude);
  for (const message of compiled.problems) error(message);
  if (problems.some((p) => p.severity === 'error')) return { file: undefined, problems };

  const ruleSettings = (config.rules ?? {}) as Record<string, unknown>;
  // Keys that name no rule are warnings, as in the editor's settings; values were checked above.
  for (const problem of resolveConfig(rules, ruleSettings).problems) warning(`rules: ${problem.message}`);
  return { file: { path, dir: dirname(path), rules: ruleSettings, exclude, excluder: compiled.excluder }, problems };
}

function failed(path: string, message: string): LoadedConfig {
  return { file: undefined, problems: [{ path, severity: 'error', message }] };
}

function parseJson(text: string): { value: unknown; warnings: string[] } | { error: string } {
  try {
    return { value: JSON.parse(text), warnings: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says where by character offset; people count lines and columns.
    const at = /at position (\d+)/.exec(message);
    if (!at || /\(line \d+ column \d+\)/.test(message)) return { error: `not valid JSON: ${message}` };
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { error: `not valid JSON: ${message} (line ${line}, column ${column})` };
  }
}

function parseYaml(text: string): { value: unknown; warnings: string[] } | { error: string } {
  // The core schema resolves plain scalars to strings, numbers, booleans and null only: no
  // custom tags, no dates, no merge keys.
  const doc = parseDocument(text, { schema: 'core', strict: true, uniqueKeys: true, prettyErrors: true });
  // Pretty messages say where ("... at line 3, column 3:") and then quote the text: keep the first line.
  const firstLine = (message: string) => message.split('\n')[0]!.trim().replace(/:$/, '');
  if (doc.errors.length > 0) return { error: `not valid YAML: ${firstLine(doc.errors[0]!.message)}` };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), warnings: doc.warnings.map((w) => `YAML: ${firstLine(w.message)}`) };
  } catch (error) {
    return { error: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The nearest configuration of a folder: the file that applies to it, and what was wrong on the way. */
export interface LocatedConfig extends LoadedConfig {
  /** The file (or folder, when it holds several) that applies; undefined when there is none. */
  source: string | undefined;
}

const NONE: LocatedConfig = { file: undefined, source: undefined, problems: [] };

/**
 * Finds the configuration file that applies to a folder: the first of CONFIG_FILE_NAMES found in
 * it or its parents. The search stops at `limit` (the editor's workspace folder: never above it)
 * or, without one, after the root of a repository (a folder holding .git, .hg or .svn) or at the
 * filesystem root. Results are cached per folder until clear(); each file is read once, and
 * `onLoad` hears about it (with its problems) when it is.
 */
export class ConfigLocator {
  private readonly folders = new Map<string, LocatedConfig>();
  private readonly files = new Map<string, LocatedConfig>();

  constructor(
    private readonly rules: readonly RuleInfo[],
    private readonly onLoad: (located: LocatedConfig) => void = () => undefined,
  ) {}

  /** The configuration for files in `dir` (relative to the current directory, or absolute). */
  lookup(relativeDir: string, limit?: string): LocatedConfig {
    // The search goes up from the real folder, not from what the command line happened to name.
    const dir = resolve(relativeDir);
    if (limit !== undefined && !isWithin(limit, dir)) return NONE;
    const key = `${limit ?? ''}\0${dir}`;
    let located = this.folders.get(key);
    if (!located) {
      located = this.search(dir, limit);
      this.folders.set(key, located);
    }
    return located;
  }

  /** Loads an explicit file (`--config FILE`), cached like the others. */
  load(path: string): LocatedConfig {
    let located = this.files.get(path);
    if (!located) {
      located = { ...loadConfigFile(path, this.rules), source: path };
      this.files.set(path, located);
      this.onLoad(located);
    }
    return located;
  }

  /** Forgets everything found and read (a configuration file was created, changed or deleted). */
  clear(): void {
    this.folders.clear();
    this.files.clear();
  }

  private search(dir: string, limit: string | undefined): LocatedConfig {
    const present = CONFIG_FILE_NAMES.filter((name) => isFile(join(dir, name)));
    if (present.length > 1) {
      const located: LocatedConfig = {
        file: undefined,
        source: dir,
        problems: [{ path: dir, severity: 'error', message: `several configuration files in one folder (${present.join(', ')}): keep one` }],
      };
      if (!this.files.has(dir)) {
        this.files.set(dir, located);
        this.onLoad(located);
      }
      return this.files.get(dir)!;
    }
    if (present.length === 1) return this.load(join(dir, present[0]!));
    const parent = dirname(dir);
    if (parent === dir || dir === limit || (limit === undefined && VCS_MARKERS.some((marker) => exists(join(dir, marker))))) return NONE;
    return this.lookup(parent, limit);
  }
}
